"""Zonal hazard exposure: area, population and feature counts per zone and hazard rank.

Everything here works in one planar CRS in metres (the caller reprojects to the zone's
plane-rectangular CRS first). Where hazard polygons of different ranks overlap — the
A31a files of two rivers, say — a place counts once, under its highest rank, as the
ハザードマップポータル shows overlapping rivers by their deepest rank; polygons of the
same rank are merged so that no area is counted twice.

Works with shapely 1.8 and 2.x.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.prepared import prep
from shapely.strtree import STRtree

try:  # shapely >= 1.8 with GEOS >= 3.8
    from shapely.validation import make_valid as _make_valid
except ImportError:  # pragma: no cover - older GEOS
    _make_valid = None

# Depth bands of the 浸水深ランク code list (A31): upper bounds in metres of ranks 1-5.
DEPTH_RANK_UPPER_BOUNDS = (0.5, 3.0, 5.0, 10.0, 20.0)


@dataclass(frozen=True)
class ExposureRow:
    """One zone and one hazard rank: area in m², population, features counted."""

    zone_id: Hashable
    rank: Hashable
    area_m2: float
    population: float | None
    feature_count: int | None


def depth_rank(depth_m: float) -> int:
    """浸水深ランク (1-6) of a depth in metres; 0 for no water (depth <= 0)."""
    if not depth_m > 0:
        return 0
    for rank, upper in enumerate(DEPTH_RANK_UPPER_BOUNDS, start=1):
        if depth_m < upper:
            return rank
    return 6


def rank_order_key(rank: Hashable) -> tuple[int, float, str]:
    """Order of ranks: numbers (also numeric text) by value, then other text."""
    try:
        return (0, float(rank), "")
    except (TypeError, ValueError):
        return (1, 0.0, str(rank))


def valid_geometry(geom: BaseGeometry) -> BaseGeometry:
    """The geometry, repaired when invalid (self-touching rings from digitising are common)."""
    if geom.is_valid:
        return geom
    if _make_valid is not None:
        return _make_valid(geom)
    return geom.buffer(0)


class SpatialIndex:
    """STRtree answering with item positions on shapely 1.8 and 2.x alike."""

    def __init__(self, geoms: Sequence[BaseGeometry]) -> None:
        self._geoms = list(geoms)
        self._legacy = hasattr(STRtree, "query_items")
        if self._legacy:
            with warnings.catch_warnings():  # shapely 1.8 warns about the 2.0 change of ``items``
                warnings.simplefilter("ignore")
                self._tree = STRtree(self._geoms, list(range(len(self._geoms)))) if self._geoms else None
        else:
            self._tree = STRtree(self._geoms) if self._geoms else None

    def candidates(self, geom: BaseGeometry) -> list[int]:
        """Positions of the items whose bounding boxes meet the geometry's."""
        if self._tree is None or geom.is_empty:
            return []
        if self._legacy:
            return sorted(self._tree.query_items(geom))
        return sorted(int(i) for i in self._tree.query(geom))


def _clip(zone: BaseGeometry, zone_prepared, geom: BaseGeometry) -> BaseGeometry | None:
    if zone_prepared.contains(geom):
        return geom
    if not zone_prepared.intersects(geom):
        return None
    piece = zone.intersection(geom)
    return piece if not piece.is_empty and piece.area > 0 else None


def rank_regions(
    zone: BaseGeometry, hazards: Sequence[tuple[BaseGeometry, Hashable]], index: SpatialIndex
) -> list[tuple[Hashable, BaseGeometry]]:
    """The parts of ``zone`` under each rank, highest rank first, not overlapping each other."""
    zone_prepared = prep(zone)
    pieces: dict[Hashable, list[BaseGeometry]] = defaultdict(list)
    for i in index.candidates(zone):
        geom, rank = hazards[i]
        piece = _clip(zone, zone_prepared, geom)
        if piece is not None:
            pieces[rank].append(piece)
    regions: list[tuple[Hashable, BaseGeometry]] = []
    covered: BaseGeometry | None = None
    for rank in sorted(pieces, key=rank_order_key, reverse=True):
        merged = pieces[rank][0] if len(pieces[rank]) == 1 else unary_union(pieces[rank])
        region = merged if covered is None else merged.difference(covered)
        covered = merged if covered is None else unary_union([covered, merged])
        if not region.is_empty and region.area > 0:
            regions.append((rank, region))
    return regions


def _population_in(region: BaseGeometry, population, index: SpatialIndex) -> float:
    total = 0.0
    region_prepared = prep(region)
    for i in index.candidates(region):
        geom, value, full_area = population[i]
        if value is None:
            continue
        if full_area is None:  # a point with a weight
            if region_prepared.contains(geom):
                total += float(value)
        elif full_area > 0:
            if region_prepared.contains(geom):
                total += float(value)
            elif region_prepared.intersects(geom):
                total += float(value) * region.intersection(geom).area / full_area
    return total


def _count_in(region: BaseGeometry, points: Sequence[BaseGeometry], index: SpatialIndex) -> int:
    region_prepared = prep(region)
    return sum(1 for i in index.candidates(region) if region_prepared.contains(points[i]))


def hazard_exposure(
    zones: Iterable[tuple[Hashable, BaseGeometry]],
    hazards: Iterable[tuple[BaseGeometry, Hashable]],
    population: Iterable[tuple[BaseGeometry, float | None]] | None = None,
    features: Iterable[BaseGeometry] | None = None,
    step: Callable[[int], bool] | None = None,
) -> list[ExposureRow]:
    """One row per zone and hazard rank present in it.

    ``zones``: (zone id, polygon); ``hazards``: (polygon, rank), a ``None`` rank is
    skipped; ``population``: (geometry, value) where a polygon (e.g. a mesh cell) is
    shared out by area and a point counts with its weight; ``features``: geometries to
    count (their representative point). All in the same planar CRS, metres.
    ``step(zones_done)`` is called after each zone; returning ``False`` stops early.
    """
    hazard_list = [
        (valid_geometry(g), rank) for g, rank in hazards if rank is not None and g is not None and not g.is_empty
    ]
    hazard_index = SpatialIndex([g for g, _ in hazard_list])
    pop_list = None
    if population is not None:
        pop_list = []
        for geom, value in population:
            if geom is None or geom.is_empty:
                continue
            if geom.geom_type in ("Point", "MultiPoint"):
                pop_list.append((geom, value, None))
            else:
                geom = valid_geometry(geom)
                pop_list.append((geom, value, geom.area))
        pop_index = SpatialIndex([g for g, _, _ in pop_list])
    points = None
    if features is not None:
        points = [
            g if g.geom_type == "Point" else g.representative_point()
            for g in features
            if g is not None and not g.is_empty
        ]
        point_index = SpatialIndex(points)

    rows: list[ExposureRow] = []
    for done, (zone_id, zone) in enumerate(zones, start=1):
        if step is not None and done > 1 and not step(done - 1):
            break
        if zone is None or zone.is_empty:
            continue
        zone = valid_geometry(zone)
        for rank, region in rank_regions(zone, hazard_list, hazard_index):
            rows.append(
                ExposureRow(
                    zone_id=zone_id,
                    rank=rank,
                    area_m2=region.area,
                    population=_population_in(region, pop_list, pop_index) if pop_list is not None else None,
                    feature_count=_count_in(region, points, point_index) if points is not None else None,
                )
            )
    return rows


def iter_raster_hazard(
    path: str,
    bounds: tuple[float, float, float, float] | None = None,
    window_size: int = 1024,
    band: int = 1,
) -> Iterator[tuple[BaseGeometry, int]]:
    """Hazard polygons of a GeoTIFF, read window by window, in the raster's CRS.

    Integer rasters hold ranks (0 and nodata are no hazard); floating-point rasters
    hold depths in metres, turned into 浸水深ランク with :func:`depth_rank`. Only the
    windows meeting ``bounds`` (minx, miny, maxx, maxy in the raster's CRS) are read.
    """
    import numpy as np
    import rasterio
    from rasterio.features import shapes
    from rasterio.windows import Window, from_bounds
    from shapely.geometry import shape

    with rasterio.open(path) as src:
        full = Window(0, 0, src.width, src.height)
        area = full
        if bounds is not None:
            try:
                area = from_bounds(*bounds, transform=src.transform).round_offsets().round_lengths()
                area = area.intersection(full)
            except Exception:  # no overlap with the zones: nothing to read
                return
        nodata = src.nodata
        is_float = np.issubdtype(np.dtype(src.dtypes[band - 1]), np.floating)
        row_end = area.row_off + area.height
        col_end = area.col_off + area.width
        for row in range(int(area.row_off), int(row_end), window_size):
            for col in range(int(area.col_off), int(col_end), window_size):
                window = Window(col, row, min(window_size, col_end - col), min(window_size, row_end - row))
                data = src.read(band, window=window)
                valid = np.ones(data.shape, dtype=bool)
                if nodata is not None:
                    valid &= ~np.isclose(data, nodata) if is_float else data != nodata
                if is_float:
                    valid &= np.isfinite(data)
                    ranks = np.zeros(data.shape, dtype=np.int32)
                    ranks[data > 0] = 1
                    for rank, lower in enumerate(DEPTH_RANK_UPPER_BOUNDS, start=2):
                        ranks[data >= lower] = rank
                else:
                    ranks = data.astype(np.int32)
                valid &= ranks > 0
                if not valid.any():
                    continue
                transform = src.window_transform(window)
                for geom, value in shapes(ranks, mask=valid, transform=transform):
                    yield shape(geom), int(value)
