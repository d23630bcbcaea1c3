"""Fact sheet of a pilot district: area, population, hazard exposure, entities, rivers, KPIs.

Pure geometry arithmetic on shapely geometries that are already in the district's
plane-rectangular zone (metres). A figure that cannot be computed because its input is
missing is reported as :data:`UNAVAILABLE`, never estimated.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from shapely.ops import unary_union

from smartcity_qgis.analysis.district_schema import KPI_KINDS, domain_label, phase_label

UNAVAILABLE = "—（データなし）"

#: Depth range of each 浸水深ランク (国土数値情報 A31 water depth code).
RANK_DEPTHS = {1: "0.5m未満", 2: "0.5–3m", 3: "3–5m", 4: "5–10m", 5: "10–20m", 6: "20m以上"}

# Origins (lat, lon) of the plane-rectangular zones I–XIX (EPSG:6669–6687), from the
# 国土交通省告示 defining them; used only when ``analysis.plane_zone`` is absent.
_ZONE_ORIGINS: tuple[tuple[float, float], ...] = (
    (33.0, 129.5),
    (33.0, 131.0),
    (36.0, 132.0 + 1 / 6),
    (33.0, 133.5),
    (36.0, 134.0 + 1 / 3),
    (36.0, 136.0),
    (36.0, 137.0 + 1 / 6),
    (36.0, 138.5),
    (36.0, 139.0 + 5 / 6),
    (40.0, 140.0 + 5 / 6),
    (44.0, 140.25),
    (44.0, 142.25),
    (44.0, 144.25),
    (26.0, 142.0),
    (26.0, 127.5),
    (26.0, 124.0),
    (26.0, 131.0),
    (20.0, 136.0),
    (26.0, 154.0),
)


def zone_epsg(lon: float, lat: float) -> int:
    """EPSG code of the plane-rectangular zone for a point (JGD2011, 6669–6687).

    Uses ``smartcity_qgis.analysis.plane_zone.plane_zone_epsg`` when available (it follows
    prefecture boundaries); otherwise the zone whose origin is nearest, which is right for
    the interior of most prefectures.
    """
    try:
        from smartcity_qgis.analysis.plane_zone import plane_zone_epsg
    except ImportError:
        plane_zone_epsg = None
    if plane_zone_epsg is not None:
        return int(plane_zone_epsg(lon, lat))
    coslat = math.cos(math.radians(lat))
    best = min(
        range(len(_ZONE_ORIGINS)),
        key=lambda i: (_ZONE_ORIGINS[i][0] - lat) ** 2 + ((_ZONE_ORIGINS[i][1] - lon) * coslat) ** 2,
    )
    return 6669 + best


@dataclass(frozen=True)
class FactRow:
    """One line of a fact sheet: section, stable key, label, value text and unit."""

    section: str
    key: str
    item: str
    value: str
    unit: str = ""


@dataclass(frozen=True)
class StationFact:
    """A river station near a district."""

    name: str
    distance_m: float
    alert_level: int | None
    status_text: str | None = None  # a gauge of another scheme (e.g. a crisis gauge) says its own status


def area_ha(geometry) -> float:
    """Area in hectares of a geometry in metre coordinates."""
    return geometry.area / 10_000.0


def population_by_area_share(district, cells: Iterable[tuple[Any, float | None]]) -> float | None:
    """People in ``district`` from cells with counts, each shared by the area inside.

    ``None`` when no cell has a count (the figure is unavailable, not zero).
    """
    total = 0.0
    counted = False
    for geometry, value in cells:
        if value is None or geometry is None or geometry.is_empty:
            continue
        counted = True
        if geometry.area <= 0:
            continue
        inside = geometry.intersection(district).area
        if inside > 0:
            total += float(value) * inside / geometry.area
    return total if counted else None


def hazard_exposure(district, zones: Iterable[tuple[Any, int | None]]) -> dict[int, float]:
    """Area in m² of ``district`` in each hazard rank.

    Where zones overlap (nested bands, overlapping rivers) a place counts once, at its
    deepest rank, so the areas add up to at most the district's area.
    """
    by_rank: dict[int, list] = defaultdict(list)
    for geometry, rank in zones:
        if rank is None or geometry is None or geometry.is_empty:
            continue
        by_rank[int(rank)].append(geometry)
    exposure = {}
    taken = None
    for rank in sorted(by_rank, reverse=True):
        inside = unary_union(by_rank[rank]).intersection(district)
        if taken is not None:
            inside = inside.difference(taken)
        if inside.area > 0:
            exposure[rank] = inside.area
            taken = inside if taken is None else taken.union(inside)
    return dict(sorted(exposure.items()))


def count_by_type(district, points: Iterable[tuple[Any, str]]) -> dict[str, int]:
    """Number of features of each type whose geometry lies inside ``district``."""
    counts: dict[str, int] = defaultdict(int)
    for geometry, kind in points:
        if geometry is not None and not geometry.is_empty and district.intersects(geometry):
            counts[kind] += 1
    return dict(sorted(counts.items()))


def stations_within(district, stations: Iterable[tuple], distance_m: float) -> list[StationFact]:
    """River stations within ``distance_m`` of the district, nearest first.

    Each station is ``(geometry, name, alert level)``, or with a fourth item, the status text of
    a gauge read in another scheme (a crisis gauge's 観測開始水位 / 危険水位 / 氾濫開始水位)."""
    found = []
    for geometry, name, level, *status in stations:
        if geometry is None or geometry.is_empty:
            continue
        distance = district.distance(geometry)
        if distance <= distance_m:
            found.append(StationFact(name, distance, level, status[0] if status else None))
    return sorted(found, key=lambda s: (s.distance_m, s.name))


def alert_level_text(level: int | None) -> str:
    """警戒レベル as read in a fact sheet (0 is below the 水防団待機水位, not a level)."""
    if level is None:
        return UNAVAILABLE
    if level <= 0:
        return "水防団待機水位未満"
    return f"警戒レベル{level}"


def _number(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def format_quantity(value: float) -> str:
    """A number as a Japanese document prints it: thousands separated, no needless decimals
    (12,000 / 0.5 / 1,234.25), never in exponent form."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _text(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return UNAVAILABLE
    return str(value)


@dataclass(frozen=True)
class KpiRow:
    """One KPI of a district for the KPI table."""

    kind: str
    indicator: str
    target: str
    unit: str
    year: str


def kpi_table(attributes: dict[str, Any]) -> list[KpiRow]:
    """The district's KPIs (アウトカム, アウトプット); missing cells read as unavailable."""
    rows = []
    for prefix, label in KPI_KINDS:
        target = attributes.get(f"{prefix}_target")
        year = attributes.get(f"{prefix}_year")
        rows.append(
            KpiRow(
                kind=label,
                indicator=_text(attributes.get(prefix)),
                target=UNAVAILABLE if target is None else format_quantity(float(target)),
                unit=_text(attributes.get(f"{prefix}_unit")) if target is not None else "",
                year=UNAVAILABLE if year is None else f"{int(year)}年",
            )
        )
    return rows


def build_fact_sheet(
    attributes: dict[str, Any],
    area_hectares: float,
    epsg: int,
    population: dict[str, float | None] | None = None,
    hazard: dict[int, float] | None = None,
    entity_counts: dict[str, int] | None = None,
    stations: list[StationFact] | None = None,
    station_distance_m: float | None = None,
    type_labels: dict[str, str] | None = None,
) -> list[FactRow]:
    """All rows of one district's fact sheet.

    ``type_labels`` gives readable (Japanese) names of entity types: rows read 「大気質（AirQualityObserved）」.

    ``None`` for an input means the input was not given: its rows say :data:`UNAVAILABLE`.
    An empty result for a given input (no hazard zone, no entity inside) is a real zero.
    """
    rows = [
        FactRow("概要", "name", "地区名", _text(attributes.get("name"))),
        FactRow("概要", "domain", "分野", _text(domain_label(attributes.get("domain")))),
        FactRow("概要", "phase", "段階", _text(phase_label(attributes.get("phase")))),
        FactRow("概要", "lead_body", "推進主体", _text(attributes.get("lead_body"))),
        FactRow("概要", "vision", "目標・ビジョン", _text(attributes.get("vision"))),
        FactRow("概要", "initiatives", "主な取組内容", _text(attributes.get("initiatives"))),
        FactRow("面積", "area_ha", "面積", _number(area_hectares, 2), "ha"),
        FactRow("面積", "crs", "計算に用いた座標系", f"EPSG:{epsg}"),
    ]
    population = population or {}
    for key, label in (("day", "昼間人口（昼 11–14時台）"), ("night", "夜間人口（深夜 1–4時台）")):
        value = population.get(key)
        rows.append(FactRow("人口", f"population_{key}", label, UNAVAILABLE if value is None else _number(value), "人"))
    if hazard is None:
        rows.append(FactRow("浸水想定", "hazard", "浸水想定区域", UNAVAILABLE))
    else:
        total = sum(hazard.values())
        rows.append(FactRow("浸水想定", "hazard_total", "浸水想定区域内の面積", _number(total / 10_000, 2), "ha"))
        share = 100.0 * total / (area_hectares * 10_000) if area_hectares > 0 else 0.0
        rows.append(FactRow("浸水想定", "hazard_share", "浸水想定区域内の割合", _number(share, 1), "%"))
        for rank, area in sorted(hazard.items()):
            rows.append(
                FactRow(
                    "浸水想定",
                    f"hazard_rank_{rank}",
                    f"浸水深ランク{rank}（{RANK_DEPTHS.get(rank, '')}）",
                    _number(area / 10_000, 2),
                    "ha",
                )
            )
    if entity_counts is None:
        rows.append(FactRow("都市OSエンティティ", "entities", "地区内のエンティティ数", UNAVAILABLE))
    else:
        rows.append(
            FactRow(
                "都市OSエンティティ",
                "entities_total",
                "地区内のエンティティ数",
                _number(sum(entity_counts.values())),
                "件",
            )
        )
        for kind, count in entity_counts.items():
            label = (type_labels or {}).get(kind)
            item = f"{label}（{kind}）" if label and label != kind else kind
            rows.append(FactRow("都市OSエンティティ", f"entities:{kind}", item, _number(count), "件"))
    if stations is None:
        rows.append(FactRow("河川", "river_stations", "近傍の水位観測所", UNAVAILABLE))
    else:
        within = f"{station_distance_m:g} m以内" if station_distance_m is not None else ""
        rows.append(FactRow("河川", "river_stations", f"近傍の水位観測所（{within}）", _number(len(stations)), "箇所"))
        for station in stations:
            level = station.status_text or alert_level_text(station.alert_level)
            rows.append(
                FactRow(
                    "河川",
                    f"river:{station.name}",
                    f"{station.name}（{_number(station.distance_m)} m）",
                    level,
                )
            )
    for kpi in kpi_table(attributes):
        target = kpi.target if kpi.target == UNAVAILABLE else f"{kpi.target} {kpi.unit}".strip()
        rows.append(
            FactRow(
                "KPI",
                f"kpi_{kpi.kind}",
                f"KPI（{kpi.kind}）",
                f"{kpi.indicator} ／ 目標 {target} ／ 目標年次 {kpi.year}",
            )
        )
    return rows
