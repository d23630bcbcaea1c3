"""Measuring a KPI from the city OS's history: the entities inside the district, their past values
(NGSI-LD temporal API or QuantumLeap), aggregated per Japan day.

The history is asked for in windows of :data:`WINDOW_DAYS` days per entity, so that a long
period arrives in pieces, progress can be shown and a cancel is honoured between requests.
Per-day aggregates are what is stored (with their number of observations): weeks and months
roll up from them exactly. KPIs counting people leave out the days standing for fewer than
k = 10 people and say how many.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from smartcity_qgis.analysis.kpi import JST, PeriodValue, aggregate, suppress_small_periods
from smartcity_qgis.analysis.kpi_schema import KpiDefinition, KpiValue
from smartcity_qgis.analysis.privacy import DEFAULT_K
from smartcity_qgis.cityos_client import CancelledError, CityOSError, NotFoundError
from smartcity_qgis.layers.districts.kpi_store import utc_now

WINDOW_DAYS = 30
LEFT_OUT_NOTE = "k={k}: fewer than {k} people, not published"
PARTIAL_NOTE = "partial day (to {time} JST)"

Progress = Callable[[float], Any]
Cancel = Callable[[], bool]


class KpiMeasureError(Exception):
    """A KPI cannot be measured (English message naming the KPI and the reason)."""


@dataclass
class MeasureOutcome:
    """What one measurement produced: the values to store and what the user should be told."""

    kpi: KpiDefinition
    values: list[KpiValue] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    observations: int = 0
    source: str = ""
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    stored: int = 0


def japan_day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From 00:00 JST of ``start`` to 00:00 JST after ``end``, in UTC."""
    first = dt.datetime.combine(start, dt.time(), JST).astimezone(dt.UTC)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), JST).astimezone(dt.UTC)
    return first, after


def _windows(first: dt.datetime, after: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    out, cursor, step = [], first, dt.timedelta(days=WINDOW_DAYS)
    while cursor < after:
        out.append((cursor, min(cursor + step, after)))
        cursor += step
    return out


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def transform_value(kpi: KpiDefinition, value: float, denominator: float | None) -> float | None:
    """The observed value as the KPI counts it: as is, a share of the denominator, or an occupancy."""
    if not kpi.transform:
        return value
    if denominator is None or denominator == 0:
        return None
    share = value / denominator
    return 100.0 * share if kpi.transform == "share" else 100.0 * (1.0 - share)


def values_from_series(
    kpi: KpiDefinition,
    series: Sequence[PeriodValue],
    source: str,
    now: dt.datetime | None = None,
    k: int = DEFAULT_K,
) -> tuple[list[KpiValue], list[str]]:
    """Stored values from per-period aggregates: the k rule for people, today's value marked partial."""
    computed = utc_now()
    left_out: list[str] = []
    if kpi.counts_people:
        left_out = suppress_small_periods(series, k).left_out
    now_jst = (now or dt.datetime.now(dt.UTC)).astimezone(JST)
    values = []
    for item in series:
        hidden = item.key in left_out
        note = LEFT_OUT_NOTE.format(k=k) if hidden else ""
        if item.end >= now_jst.date() and not hidden:
            note = PARTIAL_NOTE.format(time=now_jst.strftime("%H:%M"))
        values.append(
            KpiValue(
                period=item.key,
                start=item.start.isoformat(),
                end=item.end.isoformat(),
                value=None if hidden else item.value,
                n_obs=item.n_obs,
                n_days=item.n_days,
                total=None if hidden else item.total,
                source=source,
                computed_at=computed,
                signature=kpi.signature(),
                note=note,
            )
        )
    return values, left_out


def entities_inside(client: Any, kpi: KpiDefinition, area: BaseGeometry, cancel: Cancel | None = None) -> list:
    """The entities of the KPI's type whose location lies in ``area`` (lon/lat), asked for by bounding box."""
    attrs = [kpi.attribute] + ([kpi.denominator] if kpi.denominator else [])
    found = []
    for entity in client.iter_entities(kpi.entity_type, bbox=area.bounds, attrs=attrs, cancel=cancel):
        geometry = entity.geometry
        if geometry is not None and not geometry.is_empty and area.intersects(geometry):
            found.append(entity)
    return sorted(found, key=lambda e: e.id)


def fetch_observations(
    client: Any,
    kpi: KpiDefinition,
    entities: Sequence[Any],
    start: dt.date,
    end: dt.date,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> tuple[list[dt.datetime], list[float], list[str]]:
    """Times and (transformed) values of the KPI's attribute of ``entities`` over JST days ``start``–``end``."""
    first, after = japan_day_bounds(start, end)
    windows = _windows(first, after)
    total = max(1, len(windows) * len(entities))
    times: list[dt.datetime] = []
    values: list[float] = []
    warnings: list[str] = []
    done = 0
    for entity in entities:
        denominator = _number(entity.value(kpi.denominator)) if kpi.transform else None
        if kpi.transform and not denominator:
            warnings.append(f"{entity.id}: no {kpi.denominator} to divide by; left out")
            done += len(windows)
            continue
        points: dict[dt.datetime, Any] = {}
        for window_start, window_end in windows:
            if cancel is not None and cancel():
                raise CancelledError("cancelled")
            try:
                history = client.history(entity.id, kpi.attribute, start=window_start, end=window_end)
            except NotFoundError:
                history = []  # QuantumLeap answers 404 for a window without records
            for when, value in history:
                if first <= when < after:  # windows overlap by one instant on QuantumLeap (toDate inclusive)
                    points[when] = value
            done += 1
            if progress is not None:
                progress(100.0 * done / total)
        for when, raw in sorted(points.items()):
            number = _number(raw)
            value = None if number is None else transform_value(kpi, number, denominator)
            if value is not None:
                times.append(when)
                values.append(value)
    return times, values, warnings


def measure_cityos(
    client: Any,
    kpi: KpiDefinition,
    area: BaseGeometry,
    start: dt.date,
    end: dt.date,
    source_name: str = "",
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    now: dt.datetime | None = None,
) -> MeasureOutcome:
    """Per-day values of a city-OS KPI over the JST days ``start``–``end`` for the district ``area`` (lon/lat)."""
    if kpi.method != "cityos":
        raise KpiMeasureError(f"{kpi.name}: not a city-OS KPI ({kpi.method})")
    if start > end:
        raise KpiMeasureError(f"{kpi.name}: the period starts ({start}) after it ends ({end})")
    try:
        entities = entities_inside(client, kpi, area, cancel)
    except CancelledError:
        raise
    except CityOSError as exc:
        raise KpiMeasureError(f"{kpi.name}: the city OS refused the entity query: {exc}") from exc
    outcome = MeasureOutcome(kpi, entities=[e.id for e in entities])
    if not entities:
        outcome.warnings.append(f"{kpi.name}: no {kpi.entity_type} entity inside the district")
        return outcome
    times, values, warnings = fetch_observations(client, kpi, entities, start, end, progress, cancel)
    outcome.warnings.extend(warnings)
    outcome.observations = len(values)
    name = source_name or client.config.url
    outcome.source = f"{name}: {kpi.entity_type}.{kpi.attribute} ({len(entities)})"
    series = aggregate(times, values, "day", kpi.how, kpi.days, kpi.hours, (start, end))
    outcome.values, outcome.left_out = values_from_series(kpi, series, outcome.source, now)
    return outcome


def manual_values(
    kpi: KpiDefinition, entries: Iterable[tuple[dt.date | str, float]], source: str = ""
) -> list[KpiValue]:
    """Values typed in by the user, one per day (a survey date, a fiscal year's first day...)."""
    out = []
    computed = utc_now()
    for day, value in entries:
        when = dt.date.fromisoformat(str(day)) if not isinstance(day, dt.date) else day
        number = _number(value)
        if number is None:
            raise KpiMeasureError(f"{kpi.name}: {value!r} on {when} is not a number")
        out.append(
            KpiValue(
                period=when.isoformat(),
                start=when.isoformat(),
                end=when.isoformat(),
                value=number,
                n_obs=1,
                n_days=1,
                total=number,
                source=source or "manual",
                computed_at=computed,
                signature=kpi.signature(),
            )
        )
    return out
