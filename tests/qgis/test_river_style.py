"""River station layers: each 警戒レベル renders in its official colour; labels; alert log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from qgis.core import (
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsRenderContext,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, Qt, QVariant

from smartcity_qgis.analysis.river import Crossing, read_station_table
from smartcity_qgis.layers.rivers.alerts import append_crossings, create_alert_log_layer, export_alert_log
from smartcity_qgis.layers.rivers.style import (
    LEVEL_COLOURS,
    STALE_COLOUR,
    RiverFieldMap,
    annotate_river_layer,
    apply_river_style,
    label_expression,
)

NOW = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
LEVELS = (1.8, 2.6, 3.2, 3.7, 5.2)  # standby, caution, evacuation, danger, levee crown
FIELDS = [
    ("entity_id", QVariant.String),
    ("stationName", QVariant.String),
    ("waterLevel", QVariant.Double),
    ("standbyLevel", QVariant.Double),
    ("cautionLevel", QVariant.Double),
    ("evacuationLevel", QVariant.Double),
    ("dangerLevel", QVariant.Double),
    ("leveeCrownHeight", QVariant.Double),
    ("dateObserved", QVariant.DateTime),
]


def qdt(when: datetime) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(int(when.timestamp() * 1000), Qt.UTC)


def station_layer(rows, fields=FIELDS):
    layer = QgsVectorLayer("Point?crs=EPSG:4326", "water", "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    features = []
    for i, values in enumerate(rows):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(137.15 + i * 0.01, 34.95)))
        feature.setAttributes(values)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def one_station_per_level():
    readings = {0: 1.0, 1: 1.8, 2: 2.6, 3: 3.25, 4: 3.7, 5: 5.4}
    rows = [
        [
            f"urn:ngsi-ld:WaterObserved:okazaki-s{level}",
            f"観測所{level}",
            value,
            *LEVELS,
            qdt(NOW - timedelta(minutes=5)),
        ]
        for level, value in readings.items()
    ]
    rows.append(["urn:ngsi-ld:WaterObserved:okazaki-old", "古い観測所", 3.8, *LEVELS, qdt(NOW - timedelta(hours=3))])
    rows.append(["urn:ngsi-ld:WaterObserved:okazaki-bad", "不整合", 2.0, 2.0, 1.0, 3.0, 4.0, None, qdt(NOW)])
    return station_layer(rows)


def render_colour(layer, feature):
    context = QgsRenderContext()
    context.expressionContext().appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    renderer = layer.renderer().clone()
    renderer.startRender(context, layer.fields())
    try:
        context.expressionContext().setFeature(feature)
        symbols = renderer.symbolsForFeature(feature, context)
        assert len(symbols) == 1, f"exactly one rule matches {feature['stationName']}"
        return symbols[0].color().name().upper()
    finally:
        renderer.stopRender(context)


def test_each_level_renders_in_its_official_colour(qgis_app):
    layer = one_station_per_level()
    report = annotate_river_layer(layer, now=NOW)
    assert report.annotated == 7
    assert len(report.problems) == 1 and "不整合" in report.problems[0] and "not increasing" in report.problems[0]
    apply_river_style(layer)
    by_name = {f["stationName"]: f for f in layer.getFeatures()}
    for level in range(6):
        feature = by_name[f"観測所{level}"]
        assert feature["alert_level"] == level
        assert feature["stale"] == 0
        assert render_colour(layer, feature) == LEVEL_COLOURS[level].upper()
    assert by_name["古い観測所"]["stale"] == 1
    assert render_colour(layer, by_name["古い観測所"]) == STALE_COLOUR
    assert render_colour(layer, by_name["不整合"]) == "#000000", "no level: hollow marker"
    legend = {item.label(): item.symbol().color().name().upper() for item in layer.renderer().legendSymbolItems()}
    assert sorted(c for c in legend.values()) == sorted(
        [*(c.upper() for c in LEVEL_COLOURS.values()), STALE_COLOUR, "#000000"]
    )
    assert by_name["観測所2"]["margin"] == pytest.approx(0.6)
    assert by_name["観測所5"]["margin"] is None or str(by_name["観測所5"]["margin"]) == "NULL"


def test_label_shows_level_trend_and_margin(qgis_app):
    layer = one_station_per_level()
    histories = {"urn:ngsi-ld:WaterObserved:okazaki-s3": [2.9, 3.1, 3.25]}
    annotate_river_layer(layer, now=NOW, histories=histories)
    expression = QgsExpression(label_expression())
    assert not expression.hasParserError(), expression.parserErrorString()
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    texts = {}
    for feature in layer.getFeatures():
        context.setFeature(feature)
        texts[feature["stationName"]] = expression.evaluate(context)
    assert texts["観測所3"] == "観測所3\n3.25 m ↑\n0.45 m to the next level"
    assert texts["観測所0"].startswith("観測所0\n1.00 m")
    assert texts["古い観測所"].endswith("no recent reading")


def test_thresholds_from_a_station_table_in_shift_jis(qgis_app, tmp_path):
    table_path = tmp_path / "stations.csv"
    table_path.write_bytes(
        "観測所コード,観測所名,水防団待機水位,氾濫注意水位,避難判断水位,氾濫危険水位\n"
        "okazaki-a,甲,1.0,2.0,3.0,4.0\n".encode("cp932")
    )
    fields = [("id", QVariant.String), ("name", QVariant.String), ("level", QVariant.Double), ("time", QVariant.String)]
    layer = station_layer(
        [["urn:ngsi-ld:WaterObserved:okazaki-a", "甲", 3.5, NOW.isoformat()], ["x", "乙", 1.0, NOW.isoformat()]],
        fields,
    )
    mapping = RiverFieldMap(water_level="level", name="name", observed="time", station_id="id")
    report = annotate_river_layer(layer, mapping, station_table=read_station_table(table_path), now=NOW)
    levels = {f["name"]: f["alert_level"] for f in layer.getFeatures()}
    assert levels["甲"] == 3
    assert report.annotated == 1 and "乙" in report.problems[0] and "missing" in report.problems[0]


def test_alert_log_rows_and_export(qgis_app, tmp_path):
    log = create_alert_log_layer()
    when = datetime(2026, 7, 1, 3, 15, 30, tzinfo=UTC)
    n = append_crossings(log, "s1", "殿橋", [Crossing(1, 2), Crossing(2, 3)], when, 3.45, QgsPointXY(137.16, 34.96))
    assert n == 2 and log.featureCount() == 2
    assert append_crossings(log, "s1", "殿橋", []) == 0
    rows = [(f["from_level"], f["to_level"], f["direction"]) for f in log.getFeatures()]
    assert rows == [(1, 2, "up"), (2, 3, "up")]
    first = next(log.getFeatures())
    assert first["time"].toUTC().toString(Qt.ISODate) == "2026-07-01T03:15:30Z"
    for suffix in (".gpkg", ".csv"):
        path = export_alert_log(log, tmp_path / f"alerts{suffix}")
        back = QgsVectorLayer(str(path), "back", "ogr")
        assert back.isValid() and back.featureCount() == 2
        assert {f["station_name"] for f in back.getFeatures()} == {"殿橋"}
    with pytest.raises(ValueError):
        export_alert_log(log, tmp_path / "alerts.xlsx")
