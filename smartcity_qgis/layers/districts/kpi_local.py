"""KPIs measured from layers of the project: people on a people-flow mesh, 警戒レベル crossings in
the river alert log. Areas and distances are in the district's plane-rectangular zone."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsVectorLayer,
)
from shapely import wkb
from shapely.geometry.base import BaseGeometry

from smartcity_qgis.analysis.kpi import JST, PeriodValue, day_matches
from smartcity_qgis.analysis.kpi_schema import KpiDefinition
from smartcity_qgis.layers.districts.geometry import WGS84, plane_zone_crs
from smartcity_qgis.layers.districts.kpi_measure import KpiMeasureError, MeasureOutcome, values_from_series
from smartcity_qgis.layers.rivers.alerts import ALERT_LOG_PROPERTY

#: MLIT 全国の人流オープンデータ codes: dayflag 0 休日, 1 平日, 2 全日; timezone 0 昼 (11–14時台),
#: 1 深夜 (1–4時台), 2 終日.
DAYFLAGS = {"holiday": 0, "weekday": 1, "all": 2}
TIMEZONES = {None: 2, (11, 15): 0, (1, 5): 1}
POPULATION_FIELDS = ("population", "population_day", "人口")


@dataclass
class DistrictArea:
    """A district's outline in its plane-rectangular zone (shapely, metres) and in lon/lat."""

    zone: QgsCoordinateReferenceSystem
    metres: BaseGeometry
    lonlat: BaseGeometry
    qgs_metres: QgsGeometry


def district_area(geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem) -> DistrictArea:
    """The district's outline in metres (its zone) and in lon/lat (for city-OS queries)."""
    zone = plane_zone_crs(geometry, crs)
    metres = QgsGeometry(geometry)
    metres.transform(QgsCoordinateTransform(crs, zone, QgsProject.instance()))
    lonlat = QgsGeometry(geometry)
    lonlat.transform(QgsCoordinateTransform(crs, WGS84, QgsProject.instance()))

    def shape(g: QgsGeometry) -> BaseGeometry:
        s = wkb.loads(bytes(g.asWkb()))
        return s if s.is_valid else s.buffer(0)

    return DistrictArea(zone, shape(metres), shape(lonlat), metres)


def _shapes(layer: QgsVectorLayer, area: DistrictArea, margin_m: float = 0.0):
    to_zone = QgsCoordinateTransform(layer.crs(), area.zone, QgsProject.instance())
    search = QgsGeometry(area.qgs_metres).buffer(margin_m, 8) if margin_m > 0 else QgsGeometry(area.qgs_metres)
    search.transform(QgsCoordinateTransform(area.zone, layer.crs(), QgsProject.instance()))
    for feature in layer.getFeatures(QgsFeatureRequest().setFilterRect(search.boundingBox())):
        if not feature.hasGeometry():
            continue
        geometry = QgsGeometry(feature.geometry())
        geometry.transform(to_zone)
        yield wkb.loads(bytes(geometry.asWkb())), feature


def _int(value) -> int | None:
    try:
        return None if value is None or (hasattr(value, "isNull") and value.isNull()) else int(value)
    except (TypeError, ValueError):
        return None


def _float(value) -> float | None:
    try:
        return None if value is None or (hasattr(value, "isNull") and value.isNull()) else float(value)
    except (TypeError, ValueError):
        return None


def _days_in(year: int, month: int, days: str, start: dt.date, end: dt.date) -> int:
    first, last = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    span = (max(first, start), min(last, end))
    count = (span[1] - span[0]).days + 1
    return sum(day_matches(span[0] + dt.timedelta(days=i), days) for i in range(max(count, 0)))


def measure_mesh(
    kpi: KpiDefinition, area: DistrictArea, layer: QgsVectorLayer, start: dt.date, end: dt.date
) -> MeasureOutcome:
    """People in the district per month from a people-flow mesh, each cell shared by the area inside.

    MLIT layers (``year``, ``month``, ``dayflag``, ``timezone``, ``population``) are read with the
    KPI's day filter (休日 / 平日 / 全日) and hours (昼 11–14時台 = 11–15, 深夜 1–4時台 = 1–5, or none
    for 終日); other mesh layers need ``year`` and ``month`` and a population field.
    """
    names = layer.fields().names()
    field = kpi.mesh_field or next((n for n in POPULATION_FIELDS if n in names), "")
    if field not in names or not {"year", "month"} <= set(names):
        raise KpiMeasureError(f"{kpi.name}: {layer.name()} needs year, month and a population field")
    wanted = {}
    if "dayflag" in names:
        wanted["dayflag"] = DAYFLAGS[kpi.days]
    if "timezone" in names:
        if kpi.hours not in TIMEZONES:
            raise KpiMeasureError(f"{kpi.name}: people-flow data has 昼 (11–15), 深夜 (1–5) or the whole day only")
        wanted["timezone"] = TIMEZONES[kpi.hours]
    totals: dict[tuple[int, int], list[float]] = {}
    for geometry, feature in _shapes(layer, area):
        if any(_int(feature[name]) != code for name, code in wanted.items()):
            continue
        year, month, people = _int(feature["year"]), _int(feature["month"]), _float(feature[field])
        if year is None or month is None or people is None or geometry.area <= 0:
            continue
        if dt.date(year, month, calendar.monthrange(year, month)[1]) < start or dt.date(year, month, 1) > end:
            continue
        inside = geometry.intersection(area.metres).area
        if inside > 0:
            totals.setdefault((year, month), []).append(people * inside / geometry.area)
    series = []
    for (year, month), shares in sorted(totals.items()):
        first = max(dt.date(year, month, 1), start)
        last = min(dt.date(year, month, calendar.monthrange(year, month)[1]), end)
        value = sum(shares)
        n_days = _days_in(year, month, kpi.days, start, end)
        series.append(PeriodValue(f"{year}-{month:02d}", first, last, value, len(shares), n_days, value))
    outcome = MeasureOutcome(kpi, observations=sum(p.n_obs for p in series))
    credit = layer.attribution() if hasattr(layer, "attribution") else ""
    outcome.source = f"{layer.name()}: {field}" + (f"（{credit}）" if credit else "")
    # People on a mesh are people: the k rule applies whatever the definition says (counts_people).
    outcome.values, outcome.left_out = values_from_series(kpi, series, outcome.source)
    if not series:
        outcome.warnings.append(f"{kpi.name}: no mesh cell of {layer.name()} covers the district in the period")
    return outcome


def alert_log_layers(project: QgsProject | None = None) -> list[QgsVectorLayer]:
    """The river alert log layers of the project."""
    project = project or QgsProject.instance()
    return [
        layer
        for layer in project.mapLayers().values()
        if isinstance(layer, QgsVectorLayer) and layer.customProperty(ALERT_LOG_PROPERTY)
    ]


def _when(value) -> dt.datetime | None:
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if hasattr(value, "toMSecsSinceEpoch"):
        return dt.datetime.fromtimestamp(value.toMSecsSinceEpoch() / 1000.0, dt.UTC)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def measure_events(
    kpi: KpiDefinition,
    area: DistrictArea,
    log: QgsVectorLayer,
    start: dt.date,
    end: dt.date,
    now: dt.datetime | None = None,
) -> MeasureOutcome:
    """Per Japan day, the 警戒レベル rises to ``event_level`` or above at gauges within ``distance_m``."""
    names = set(log.fields().names())
    if not {"time", "to_level"} <= names:
        raise KpiMeasureError(f"{kpi.name}: {log.name()} is not a river alert log")
    per_day: dict[dt.date, int] = {}
    stations: set[str] = set()
    for geometry, feature in _shapes(log, area, float(kpi.distance_m or 0.0)):
        level = _int(feature["to_level"])
        when = _when(feature["time"])
        upward = "direction" not in names or str(feature["direction"]) == "up"
        if level is None or when is None or not upward or level < int(kpi.event_level):
            continue
        if area.metres.distance(geometry) > float(kpi.distance_m or 0.0):
            continue
        local = when.astimezone(JST)
        hours = kpi.hours
        if hours is not None and not (
            hours[0] <= local.hour < hours[1]
            if hours[0] < hours[1]
            else local.hour >= hours[0] or local.hour < hours[1]
        ):
            continue
        if start <= local.date() <= end and day_matches(local.date(), kpi.days):
            per_day[local.date()] = per_day.get(local.date(), 0) + 1
            if "station_id" in names:
                stations.add(str(feature["station_id"]))
    series = []
    day = start
    while day <= end:  # a day without a crossing is a real zero for an event count
        if day_matches(day, kpi.days):
            count = per_day.get(day, 0)
            series.append(PeriodValue(day.isoformat(), day, day, float(count), count, 1, float(count)))
        day += dt.timedelta(days=1)
    outcome = MeasureOutcome(kpi, entities=sorted(stations), observations=sum(per_day.values()))
    outcome.source = f"{log.name()}: 警戒レベル{int(kpi.event_level)}以上 ({float(kpi.distance_m):g} m)"
    outcome.values, outcome.left_out = values_from_series(kpi.copy(people=False), series, outcome.source, now)
    return outcome
