"""Entity layers built from entities, and changes applied in place (no server needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from qgis.core import QgsWkbTypes
from qgis.PyQt.QtCore import QVariant
from shapely.geometry import LineString, MultiPoint, Point, Polygon

from smartcity_qgis.cityos_client.models import Attribute, Entity
from smartcity_qgis.layers.cityos.entity_builder import InvalidEntity, build_layers
from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta
from smartcity_qgis.layers.cityos.live_apply import REMOVE, SYNC, UPSERT, EntityApplier
from smartcity_qgis.layers.cityos.map_tips import feature_html, map_tip_template

T0 = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)
META = LayerMeta(url="http://127.0.0.1:1", flavor="ngsi-v2", entity_type="WaterObserved", connection="test")


def station(n: int, level: float | int = 1.5, lon: float = 137.17, **extra: Attribute) -> Entity:
    attrs = {
        "waterLevel": Attribute("waterLevel", level, "Number", T0, "MTR"),
        "stationName": Attribute("stationName", f"観測所{n}", "Text"),
        "dateObserved": Attribute("dateObserved", T0, "DateTime"),
        **extra,
    }
    return Entity(
        f"urn:ngsi:WaterObserved:{n}",
        "WaterObserved",
        Point(lon + n * 0.001, 34.95),
        attrs,
        observed_at=T0,
        modified_at=T0,
    )


def values(layer, entity_id: str, field: str):
    for feature in layer.getFeatures():
        if feature["entity_id"] == entity_id:
            value = feature[field]
            return None if isinstance(value, QVariant) and value.isNull() else value
    raise KeyError(entity_id)


def fids(layer) -> dict[str, int]:
    return {f["entity_id"]: f.id() for f in layer.getFeatures()}


def test_fields_types_units_and_observation_times(qgis_app):
    layers = build_layers([station(1, 2), station(2, 3.25)], META)
    layer = layers["point"]
    fields = {f.name(): f.type() for f in layer.fields()}
    assert fields["waterLevel"] == QVariant.Double  # 2 and 3.25 together make a double
    assert fields["stationName"] == QVariant.String
    assert fields["dateObserved"] == QVariant.DateTime
    assert fields["waterLevel_unit"] == QVariant.String
    assert fields["waterLevel_observed_at"] == QVariant.DateTime
    assert fields["observed_at"] == QVariant.DateTime
    assert layer.crs().authid() == "EPSG:4326"
    assert layer.featureCount() == 2
    assert values(layer, "urn:ngsi:WaterObserved:1", "waterLevel_unit") == "MTR"
    assert values(layer, "urn:ngsi:WaterObserved:1", "stationName") == "観測所1"
    assert layer.customProperty("smartcity/entity_type") == "WaterObserved"
    assert "m]" in layer.attributeAlias(layer.fields().indexOf("waterLevel"))


def test_bool_int_json_and_reserved_names(qgis_app):
    entity = station(1)
    entity.attributes["count"] = Attribute("count", 7, "Integer")
    entity.attributes["open"] = Attribute("open", True, "Boolean")
    entity.attributes["address"] = Attribute("address", {"addressLocality": "岡崎市"}, "StructuredValue")
    entity.attributes["fid"] = Attribute("fid", "x", "Text")
    layer = build_layers([entity], META)["point"]
    types = {f.name(): f.type() for f in layer.fields()}
    assert types["count"] == QVariant.LongLong
    assert types["open"] == QVariant.Bool
    assert types["address"] == QVariant.String
    assert '"addressLocality":"岡崎市"' in values(layer, entity.id, "address")
    assert "fid" not in types and types["fid_attr"] == QVariant.String


def test_mixed_geometries_are_split(qgis_app):
    line = Entity("l1", "Road", LineString([(137.1, 34.9), (137.2, 34.95)]), {})
    area = Entity("a1", "Road", Polygon([(137.1, 34.9), (137.2, 34.9), (137.2, 35.0), (137.1, 34.9)]), {})
    point = Entity("p1", "Road", Point(137.1, 34.9), {})
    nowhere = Entity("n1", "Road", None, {})
    meta = LayerMeta(url="http://127.0.0.1:1", flavor="ngsi-v2", entity_type="Road")
    layers = build_layers([line, area, point, nowhere], meta)
    assert set(layers) == {"point", "line", "polygon"}
    assert layers["point"].featureCount() == 2  # the entity without location joins the main layer
    assert QgsWkbTypes.geometryType(layers["line"].wkbType()) == QgsWkbTypes.LineGeometry
    assert QgsWkbTypes.geometryType(layers["polygon"].wkbType()) == QgsWkbTypes.PolygonGeometry
    names = {layer.name() for layer in layers.values()}
    assert len(names) == 3


def test_multipoint_layer_when_needed(qgis_app):
    many = Entity("m1", "Sensor", MultiPoint([(137.1, 34.9), (137.2, 34.9)]), {})
    one = Entity("p1", "Sensor", Point(137.1, 34.9), {})
    layer = build_layers([many, one], LayerMeta(url="http://x", flavor="ngsi-v2", entity_type="Sensor"))["point"]
    assert layer.wkbType() == QgsWkbTypes.MultiPoint
    assert layer.featureCount() == 2


def test_upsert_changes_only_changed_features_in_place(qgis_app):
    entities = [station(n) for n in range(5)]
    layer = build_layers(entities, META)["point"]
    before = fids(layer)
    applier = EntityApplier({"point": layer})
    updated, changes = [], []
    applier.features_updated.connect(updated.extend)
    applier.value_changed.connect(lambda *args: changes.append(args))
    later = T0 + timedelta(minutes=5)
    moved = station(2, 4.5, lon=137.30)
    moved.modified_at = later
    applier.enqueue(UPSERT, [station(0), station(1), moved])  # 0 and 1 are unchanged
    applier.flush()
    assert fids(layer) == before
    assert updated == [before["urn:ngsi:WaterObserved:2"]]
    assert ("urn:ngsi:WaterObserved:2", "waterLevel", 1.5, 4.5) in changes
    assert values(layer, moved.id, "waterLevel") == 4.5
    feature = next(f for f in layer.getFeatures() if f["entity_id"] == moved.id)
    assert abs(feature.geometry().asPoint().x() - (137.30 + 0.002)) < 1e-9


def test_new_attribute_grows_schema_and_int_widens_to_double(qgis_app):
    layer = build_layers([station(1, 2), station(2, 3)], META)["point"]
    assert layer.fields().field("waterLevel").type() == QVariant.LongLong
    applier = EntityApplier({"point": layer})
    changed = station(1, 2.75, flowRate=Attribute("flowRate", 12.5, "Number", None, "MQS"))
    applier.enqueue(UPSERT, [changed])
    applier.flush()
    assert layer.fields().field("waterLevel").type() == QVariant.Double
    assert values(layer, changed.id, "waterLevel") == 2.75
    assert values(layer, "urn:ngsi:WaterObserved:2", "waterLevel") == 3.0  # carried over
    assert values(layer, changed.id, "flowRate") == 12.5
    assert values(layer, changed.id, "flowRate_unit") == "MQS"
    assert values(layer, "urn:ngsi:WaterObserved:2", "flowRate") is None


def test_sync_adds_and_removes_without_duplicates(qgis_app):
    layer = build_layers([station(n) for n in range(3)], META)["point"]
    before = fids(layer)
    applier = EntityApplier({"point": layer})
    removed, added = [], []
    applier.features_removed.connect(removed.extend)
    applier.features_added.connect(added.extend)
    applier.enqueue(SYNC, [station(0), station(2), station(7)])
    applier.enqueue(SYNC, [station(0), station(2), station(7)])  # a repeated catch-up changes nothing
    applier.flush()
    after = fids(layer)
    assert set(after) == {"urn:ngsi:WaterObserved:0", "urn:ngsi:WaterObserved:2", "urn:ngsi:WaterObserved:7"}
    assert after["urn:ngsi:WaterObserved:0"] == before["urn:ngsi:WaterObserved:0"]
    assert removed == [before["urn:ngsi:WaterObserved:1"]]
    assert added == [after["urn:ngsi:WaterObserved:7"]]
    applier.enqueue(REMOVE, ["urn:ngsi:WaterObserved:7"])
    applier.flush()
    assert layer.featureCount() == 2


def test_large_burst_is_applied_in_bounded_slices(qgis_app):
    layer = build_layers([station(n) for n in range(2000)], META)["point"]
    applier = EntityApplier({"point": layer}, budget_ms=20)
    applier.enqueue(UPSERT, [station(n, 9.0) for n in range(2000)])
    slices = 0
    while applier.pending():
        applier._drain()
        slices += 1
    assert slices > 1  # the burst did not go through in one event-loop turn
    assert all(f["waterLevel"] == 9.0 for f in layer.getFeatures())


def test_bad_geometry_is_reported_not_loaded(qgis_app):
    invalid: list[InvalidEntity] = []
    empty = Entity("e1", "WaterObserved", Point(), {})
    layers = build_layers([station(1), empty], META, invalid)
    assert layers["point"].featureCount() == 1
    assert [item.entity_id for item in invalid] == ["e1"]
    assert "empty" in invalid[0].reason or "空" in invalid[0].reason


def test_map_tip_escapes_entity_text(qgis_app):
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils

    hostile = station(1)
    hostile.attributes["stationName"] = Attribute("stationName", "<script>alert(1)</script>[% 1+1 %]", "Text")
    hostile.attributes["note[%1%]<b>"] = Attribute("note[%1%]<b>", "x", "Text")
    layer = build_layers([hostile], META)["point"]
    template = map_tip_template(layer)
    assert "<b>note" not in template and "[%1%]" not in template
    feature = next(layer.getFeatures())
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    context.setFeature(feature)
    rendered = QgsExpression.replaceExpressionText(template, context)
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered
    assert "[% 1+1 %]" in rendered  # shown as text, never evaluated
    assert "m" in rendered  # the unit of waterLevel
    html = feature_html(layer, feature, now=T0 + timedelta(minutes=3))
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "3" in html


@pytest.mark.parametrize("kind", ["point"])
def test_stale_style_can_be_switched(qgis_app, kind):
    from qgis.core import QgsSymbolLayer

    from smartcity_qgis.layers.cityos.map_tips import apply_stale_style

    layer = build_layers([station(1)], META)[kind]
    apply_stale_style(layer, 15)
    symbol_layer = layer.renderer().symbol().symbolLayer(0)
    prop = symbol_layer.dataDefinedProperties().property(QgsSymbolLayer.PropertyFillColor)
    assert prop.isActive() and "15.0" in prop.expressionString()
    apply_stale_style(layer, enabled=False)
    prop = symbol_layer.dataDefinedProperties().property(QgsSymbolLayer.PropertyFillColor)
    assert not prop.isActive()


def test_stale_expression_tells_old_from_fresh(qgis_app):
    from qgis.core import QgsExpression, QgsExpressionContext, QgsExpressionContextUtils

    from smartcity_qgis.layers.cityos.map_tips import stale_expression

    fresh = station(2)
    fresh.observed_at = datetime.now(UTC) - timedelta(minutes=2)
    layer = build_layers([station(1), fresh], META)["point"]
    expression = QgsExpression(stale_expression(15))
    assert not expression.hasParserError(), expression.parserErrorString()
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    verdicts = {}
    for feature in layer.getFeatures():
        context.setFeature(feature)
        verdicts[feature["entity_id"]] = bool(expression.evaluate(context))
        assert not expression.hasEvalError(), expression.evalErrorString()
    assert verdicts == {station(1).id: True, fresh.id: False}
