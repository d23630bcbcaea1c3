"""Gather a district's fact sheet from QGIS layers (the arithmetic is in ``analysis``)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsFields,
    QgsGeometry,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)
from shapely import wkb

from smartcity_qgis.analysis.district_facts import (
    FactRow,
    KpiRow,
    area_ha,
    build_fact_sheet,
    count_by_type,
    hazard_exposure,
    kpi_table,
    population_by_area_share,
    stations_within,
)
from smartcity_qgis.layers.cityos.entity_builder import type_label
from smartcity_qgis.layers.cityos.entity_schema import STRING, qgs_field
from smartcity_qgis.layers.districts.geometry import japan_zone_epsg
from smartcity_qgis.layers.districts.layer import feature_attributes
from smartcity_qgis.layers.rivers.exposure import feature_status, status_label_ja
from smartcity_qgis.layers.rivers.schemes import is_crisis_layer

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
ENTITY_TYPE_PROPERTY = "smartcity/entity_type"
DAY_FIELDS = ("population_day", "day_population", "pop_day", "昼間人口")
NIGHT_FIELDS = ("population_night", "night_population", "pop_night", "夜間人口")
RANK_FIELDS = ("rank", "depth_rank", "A31a_205", "A31a_105")
LEVEL_FIELDS = ("alert_level", "alertLevel", "警戒レベル", "level")
STATION_NAME_FIELDS = ("name", "stationName", "station_name", "観測所名", "id", "entity_id")


@dataclass
class FactSheetInputs:
    """Layers a fact sheet draws on; any of them may be missing."""

    people_flow: QgsVectorLayer | None = None
    day_field: str | None = None
    night_field: str | None = None
    hazard: QgsVectorLayer | None = None
    rank_field: str | None = None
    entity_layers: Sequence[QgsVectorLayer] = ()
    stations: QgsVectorLayer | None = None
    level_field: str | None = None
    station_distance_m: float = 1000.0


@dataclass
class DistrictFactSheet:
    """The facts of one district."""

    fid: int
    name: str
    rows: list[FactRow]
    kpis: list[KpiRow]
    epsg: int
    attributes: dict[str, Any] = field(default_factory=dict)


def _first_field(layer: QgsVectorLayer, candidates: Iterable[str], pattern: str | None = None) -> str | None:
    names = layer.fields().names()
    for name in candidates:
        if name in names:
            return name
    if pattern:
        return next((n for n in names if re.fullmatch(pattern, n)), None)
    return None


def entity_type_labels(layers: Sequence[QgsVectorLayer], kinds: Iterable[str]) -> dict[str, str]:
    """Readable names of entity types: the name a layer gives its type ("大気質 (AirQualityObserved) […]"
    names AirQualityObserved 大気質), else the plugin's own name for a well-known type."""
    labels: dict[str, str] = {}
    for layer in layers:
        kind = entity_type_of(layer)
        name = layer.name()
        marker = f" ({kind})"
        if marker in name and name.index(marker) > 0:
            labels.setdefault(kind, name[: name.index(marker)].strip())
    for kind in kinds:
        if kind not in labels and type_label(kind):
            labels[kind] = type_label(kind)
    return labels


def entity_type_of(layer: QgsVectorLayer) -> str:
    """The city OS entity type of a layer (its ``smartcity/entity_type`` property, else its name)."""
    return str(layer.customProperty(ENTITY_TYPE_PROPERTY, "") or layer.name())


def _number(value: Any) -> float | None:
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class _Projector:
    """Geometries of a layer as shapely objects in one plane-rectangular zone."""

    def __init__(self, zone: QgsCoordinateReferenceSystem) -> None:
        self.zone = zone

    def shapes(self, layer: QgsVectorLayer, district: QgsGeometry, margin_m: float = 0.0, attrs=None):
        to_zone = QgsCoordinateTransform(layer.crs(), self.zone, QgsProject.instance())
        area = QgsGeometry(district).buffer(margin_m, 8) if margin_m > 0 else district
        back = QgsGeometry(area)
        back.transform(QgsCoordinateTransform(self.zone, layer.crs(), QgsProject.instance()))
        request = QgsFeatureRequest().setFilterRect(back.boundingBox())
        for feature in layer.getFeatures(request):
            if not feature.hasGeometry():
                continue
            geometry = QgsGeometry(feature.geometry())
            geometry.transform(to_zone)
            yield wkb.loads(bytes(geometry.asWkb())), feature


def _population(inputs: FactSheetInputs, projector: _Projector, district_qgs, district) -> dict[str, float | None]:
    layer = inputs.people_flow
    if layer is None:
        return {}
    day = inputs.day_field or _first_field(layer, DAY_FIELDS)
    night = inputs.night_field or _first_field(layer, NIGHT_FIELDS)
    names = layer.fields().names()
    cells = list(projector.shapes(layer, district_qgs))
    if (day or night) or "timezone" not in names or "population" not in names:
        return {
            "day": population_by_area_share(district, [(g, _number(f[day])) for g, f in cells]) if day else None,
            "night": population_by_area_share(district, [(g, _number(f[night])) for g, f in cells]) if night else None,
        }
    # MLIT people-flow rows: the latest month, 全日 (2) before 平日 (1) before 休日 (0);
    # timezone 0 = 昼 (11–14時台), 1 = 深夜 (1–4時台).
    rows = [(g, f) for g, f in cells]
    if "year" in names and "month" in names and rows:
        latest = max((int(_number(f["year"]) or 0), int(_number(f["month"]) or 0)) for _g, f in rows)
        rows = [(g, f) for g, f in rows if (int(_number(f["year"]) or 0), int(_number(f["month"]) or 0)) == latest]
    if "dayflag" in names and rows:
        flags = {int(_number(f["dayflag"]) or 0) for _g, f in rows}
        chosen = next(flag for flag in (2, 1, 0) if flag in flags) if flags & {0, 1, 2} else None
        rows = [(g, f) for g, f in rows if int(_number(f["dayflag"]) or 0) == chosen]
    result = {}
    for key, zone in (("day", 0), ("night", 1)):
        picked = [(g, _number(f["population"])) for g, f in rows if _number(f["timezone"]) == zone]
        result[key] = population_by_area_share(district, picked)
    return result


def district_fact_sheets(
    districts: QgsVectorLayer, inputs: FactSheetInputs | None = None, selected_only: bool = False
) -> list[DistrictFactSheet]:
    """The fact sheet of every district (or of the selected ones)."""
    inputs = inputs or FactSheetInputs()
    features = districts.selectedFeatures() if selected_only else list(districts.getFeatures())
    return [district_fact_sheet(districts, f, inputs) for f in features if f.hasGeometry()]


def district_fact_sheet(districts: QgsVectorLayer, feature: QgsFeature, inputs: FactSheetInputs) -> DistrictFactSheet:
    """The fact sheet of one district feature."""
    attributes = feature_attributes(feature)
    geometry = QgsGeometry(feature.geometry())
    centre = QgsGeometry(geometry.centroid())
    centre.transform(QgsCoordinateTransform(districts.crs(), WGS84, QgsProject.instance()))
    epsg = japan_zone_epsg(centre.asPoint().x(), centre.asPoint().y())
    zone = QgsCoordinateReferenceSystem(f"EPSG:{epsg}")
    geometry.transform(QgsCoordinateTransform(districts.crs(), zone, QgsProject.instance()))
    district = wkb.loads(bytes(geometry.asWkb()))
    if not district.is_valid:
        district = district.buffer(0)
    projector = _Projector(zone)

    population = _population(inputs, projector, geometry, district)
    hazard = None
    if inputs.hazard is not None:
        rank = inputs.rank_field or _first_field(inputs.hazard, RANK_FIELDS, r"A31a_\d05")
        if rank:
            hazard = hazard_exposure(
                district, [(g, _number(f[rank])) for g, f in projector.shapes(inputs.hazard, geometry)]
            )
    counts = None
    if inputs.entity_layers:
        points = []
        for layer in inputs.entity_layers:
            kind = entity_type_of(layer)
            type_field = "type" if "type" in layer.fields().names() else None
            for g, f in projector.shapes(layer, geometry):
                points.append((g, str(f[type_field]) if type_field and f[type_field] else kind))
        counts = count_by_type(district, points)
        for layer in inputs.entity_layers:
            if "type" not in layer.fields().names():
                counts.setdefault(entity_type_of(layer), 0)
    stations = None
    if inputs.stations is not None:
        layer = inputs.stations
        crisis = is_crisis_layer(layer)  # crisis gauges: their own status, never a 警戒レベル
        level = None if crisis else inputs.level_field or _first_field(layer, LEVEL_FIELDS)
        name = _first_field(layer, STATION_NAME_FIELDS)
        found = []
        for g, f in projector.shapes(layer, geometry, margin_m=inputs.station_distance_m):
            value = _number(f[level]) if level else None
            status = status_label_ja(feature_status(layer, f)) if crisis else None
            found.append((g, str(f[name]) if name else str(f.id()), None if value is None else int(value), status))
        stations = stations_within(district, found, inputs.station_distance_m)
    rows = build_fact_sheet(
        attributes,
        area_ha(district),
        epsg,
        population=population or None,
        hazard=hazard,
        entity_counts=counts,
        stations=stations,
        station_distance_m=inputs.station_distance_m if inputs.stations is not None else None,
        type_labels=entity_type_labels(inputs.entity_layers, counts or {}),
    )
    return DistrictFactSheet(
        feature.id(), str(attributes.get("name") or feature.id()), rows, kpi_table(attributes), epsg, attributes
    )


FACT_FIELDS = ("district", "section", "key", "item", "value", "unit")


def fact_sheet_fields() -> QgsFields:
    """Fields of the fact sheet table."""
    fields = QgsFields()
    for name in FACT_FIELDS:
        fields.append(qgs_field(name, STRING))
    return fields


def fact_sheet_features(sheets: Iterable[DistrictFactSheet]) -> list[QgsFeature]:
    """One table row (no geometry) per fact."""
    fields = fact_sheet_fields()
    features = []
    for sheet in sheets:
        for row in sheet.rows:
            feature = QgsFeature(fields)
            feature.setAttributes([sheet.name, row.section, row.key, row.item, row.value, row.unit])
            features.append(feature)
    return features


def fact_sheet_layer(sheets: Iterable[DistrictFactSheet], name: str) -> QgsVectorLayer:
    """A memory table with the facts."""
    layer = QgsVectorLayer("None", name, "memory")
    layer.dataProvider().addAttributes(fact_sheet_fields().toList())
    layer.updateFields()
    layer.dataProvider().addFeatures(fact_sheet_features(sheets))
    return layer


def write_fact_sheet_csv(sheets: Iterable[DistrictFactSheet], path: str | Path) -> Path:
    """The facts as CSV, UTF-8 with BOM so that spreadsheet software reads the Japanese."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FACT_FIELDS)
        for sheet in sheets:
            for row in sheet.rows:
                writer.writerow([sheet.name, row.section, row.key, row.item, row.value, row.unit])
    return path


def is_polygon_layer(layer) -> bool:
    """Whether ``layer`` is a polygon vector layer."""
    return isinstance(layer, QgsVectorLayer) and layer.geometryType() == QgsWkbTypes.GeometryType.PolygonGeometry
