"""Building entity layers from a stream of entity pages, with bounded memory.

`LayerGroupBuilder` takes entities page by page: the schema grows as new
attributes appear (new fields are added to the layers already made, values that
no longer fit widen their field), a layer is made for each geometry kind when
its first entity arrives, and features go into the memory provider at once, so
only one page of entity objects is ever held.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from qgis.core import QgsFeedback, QgsVectorLayer

from smartcity_qgis.cityos_client.names import short_name
from smartcity_qgis.credits import says_synthetic, set_layer_credit
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.entity_features import (
    GEOMETRY_KINDS,
    LINE,
    NO_GEOMETRY,
    POINT,
    POLYGON,
    GeometryError,
    RowBuilder,
    add_field_alias_units,
    apply_schema_change,
    build_features,
    create_memory_layer,
    entity_kind,
    lazy_point,
)
from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta, public_url
from smartcity_qgis.layers.cityos.entity_schema import ROLE_UNIT, EntitySchema
from smartcity_qgis.local_time import show_local_times

PAGE = 1000
# NGSI's own attributes naming where the data comes from (Smart Data Models: dataProvider, source).
PROVIDER_ATTRIBUTES = ("dataProvider", "source")
MAX_PROVIDERS = 5


def credit_city_os(layer: QgsVectorLayer, meta: LayerMeta, providers: list[str], sources: list[str]) -> None:
    """Credit the layer to its city OS connection and the providers its entities name.

    Data the city OS itself calls synthetic (in ``dataProvider`` or ``source``) is credited as synthetic.
    """
    where = meta.connection or public_url(meta.url)
    named = [p for p in providers or sources if p]
    if named:
        credit = tr("{0} (city OS {1})").format("、".join(named[:2]), where)
    else:
        credit = tr("City OS {0}").format(where)
    set_layer_credit(layer, credit, synthetic=any(says_synthetic(p) for p in [*providers, *sources]))


@dataclass
class InvalidEntity:
    """An entity left out, with the reason (for the message bar's details view)."""

    entity_id: str | None
    reason: str


def type_label(entity_type: str) -> str:
    """A readable name for well-known entity types (by their short name too), in the user's language."""
    labels = {
        "WaterObserved": tr("River water level"),
        "CrowdFlowObserved": tr("People count"),
        "AirQualityObserved": tr("Air quality"),
        "Streetlight": tr("Streetlights"),
        "OffStreetParking": tr("Parking"),
        "ParkingSpot": tr("Parking"),
        "parking": tr("Parking"),
        "Parking": tr("Parking"),
        "PointOfInterest": tr("Points of interest"),
        "WeatherObserved": tr("Weather"),
        "TrafficFlowObserved": tr("Traffic flow"),
        "NoiseLevelObserved": tr("Noise level"),
    }
    return labels.get(short_name(entity_type), "")


def layer_name(meta: LayerMeta, kind: str, split: bool) -> str:
    """The layer's name: readable type, NGSI type, service path, geometry kind, connection."""
    label = type_label(meta.entity_type)
    shown = short_name(meta.entity_type)  # an NGSI-LD type the @context does not define comes as an IRI
    name = f"{label} ({shown})" if label else shown
    if meta.service_path and meta.service_path != "/":
        name += f" {meta.service_path}"
    if split:
        name += " — " + {POINT: tr("points"), LINE: tr("lines"), POLYGON: tr("polygons")}.get(kind, "")
    if meta.connection:
        name += f" [{meta.connection}]"
    return name


def _group_by_kind(entities: list[Any], invalid: list[InvalidEntity]) -> tuple[dict[str, list[Any]], list[Any]]:
    groups: dict[str, list[Any]] = {}
    for entity in entities:
        try:
            kind = entity_kind(entity)
        except (GeometryError, ValueError, TypeError) as exc:
            invalid.append(InvalidEntity(entity.id, str(exc)))
            continue
        groups.setdefault(kind, []).append(entity)
    without = groups.pop(NO_GEOMETRY, [])
    return groups, without


def _needs_multipoint(entities: list[Any]) -> bool:
    return any(
        lazy_point(e) is None
        and e.geometry is not None
        and e.geometry.geom_type == "MultiPoint"
        and len(e.geometry.geoms) > 1
        for e in entities
    )


class LayerGroupBuilder:
    """Memory layers (one per geometry kind) of one entity type, filled page by page."""

    def __init__(self, meta: LayerMeta, invalid: list[InvalidEntity], received_at: datetime | None = None) -> None:
        self.meta = meta
        self.invalid = invalid
        self.received_at = received_at or datetime.now(UTC)
        self.schema = EntitySchema()
        self.builder = RowBuilder(self.schema)
        self.layers: dict[str, QgsVectorLayer] = {}
        self.units: dict[str, str] = {}
        # What the entities say of where they come from (dataProvider, else source), in order.
        self.providers: dict[str, dict[str, None]] = {name: {} for name in PROVIDER_ATTRIBUTES}
        self.count = 0
        self._without: list[Any] = []

    def add(self, entities: list[Any]) -> None:
        """Turn one page of entities into features."""
        change = self.schema.observe(entities)
        if change:
            for layer in self.layers.values():
                apply_schema_change(layer, self.schema, change)
            self.builder = RowBuilder(self.schema)
        self._note_units(entities)
        for entity in entities:
            for name, seen in self.providers.items():
                attr = entity.attributes.get(name)
                if attr is not None and isinstance(attr.value, str) and len(seen) < MAX_PROVIDERS:
                    seen.setdefault(attr.value.strip()[:200], None)
        groups, without = _group_by_kind(entities, self.invalid)
        self._without.extend(without)
        for kind, members in groups.items():
            layer = self.layers.get(kind)
            if layer is None:
                layer = self.layers[kind] = create_memory_layer(
                    self.meta.entity_type, kind, self.schema, _needs_multipoint(members)
                )
            self._add_features(layer, kind, members)

    def _note_units(self, entities: list[Any]) -> None:
        """The first unit code of each attribute that has a unit field (for the field aliases)."""
        missing = [spec.attr for spec in self.schema.specs if spec.role == ROLE_UNIT and spec.attr not in self.units]
        if not missing:
            return
        for entity in entities:
            attributes = entity.attributes
            for name in missing:
                attr = attributes.get(name)
                if attr is not None and attr.unit_code and name not in self.units:
                    self.units[name] = attr.unit_code

    def _add_features(self, layer: QgsVectorLayer, kind: str, members: list[Any]) -> None:
        bad: list[tuple[str, str]] = []
        features = build_features(members, layer, self.builder, kind, self.received_at, bad)
        layer.dataProvider().addFeatures(features)
        self.count += len(features)
        self.invalid.extend(InvalidEntity(eid, reason) for eid, reason in bad)

    def finish(self) -> dict[str, QgsVectorLayer]:
        """The layers, named, described and with entities without location in the main one."""
        if not self.layers:
            kind = NO_GEOMETRY if self._without else POINT
            self.layers[kind] = create_memory_layer(self.meta.entity_type, kind, self.schema)
        main = POINT if POINT in self.layers else max(self.layers, key=lambda k: self.layers[k].featureCount())
        if self._without:
            self._add_features(self.layers[main], main, self._without)
            self._without = []
        split = len([k for k in self.layers if k in GEOMETRY_KINDS]) > 1
        ordered = dict(sorted(self.layers.items(), key=lambda item: (item[0] != main, item[0])))
        for kind, layer in ordered.items():
            kind_meta = LayerMeta(**{**self.meta.__dict__, "geometry_kind": kind, "units": dict(self.units)})
            layer.setName(layer_name(kind_meta, kind, split))
            kind_meta.apply(layer)
            layer.setCustomProperty("smartcity/schema", self.schema.to_json())
            add_field_alias_units(layer, self.schema, self.units)
            show_local_times(layer)
            credit_city_os(layer, self.meta, *(list(self.providers[name]) for name in PROVIDER_ATTRIBUTES))
            layer.updateExtents()
        self.layers = ordered
        return ordered


def build_layers(
    entities: list[Any],
    meta: LayerMeta,
    invalid: list[InvalidEntity] | None = None,
    feedback: QgsFeedback | None = None,
    received_at: datetime | None = None,
) -> dict[str, QgsVectorLayer]:
    """Memory layers (one per geometry kind) holding ``entities``; ``meta`` is written on each."""
    builder = LayerGroupBuilder(meta, invalid if invalid is not None else [], received_at)
    for start in range(0, len(entities), 20 * PAGE):
        if feedback is not None and feedback.isCanceled():
            break
        builder.add(entities[start : start + 20 * PAGE])
    return builder.finish()


def iter_pages(entities: Iterable[Any], size: int = PAGE) -> Iterator[list[Any]]:
    """``entities`` in lists of ``size``.

    Entities are parsed on the thread that builds the layers: a thread parsing pages of its own
    was measured slower, the two fighting over the interpreter lock. Only the next page's
    request runs ahead on a thread of its own (the client's ``prefetch``), where it mostly waits.
    """
    page: list[Any] = []
    for entity in entities:
        page.append(entity)
        if len(page) >= size:
            yield page
            page = []
    if page:
        yield page
