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


Bounds = tuple[float, float, float, float]


def _geos_bounds_1_8():
    """Bounds through GEOS's own C functions on shapely 1.8 (``.bounds`` is Python there, 15x slower)."""
    try:
        import ctypes

        from shapely.geos import lgeos

        handle = lgeos.geos_handle
        getters = [getattr(lgeos._lgeos, f"GEOSGeom_get{n}_r") for n in ("XMin", "YMin", "XMax", "YMax")]
        for getter in getters:
            getter.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_double)]
            getter.restype = ctypes.c_int
    except Exception:  # older GEOS or a different build: the plain property still works
        return None
    value = ctypes.c_double()

    def bounds(geom: BaseGeometry) -> Bounds:
        out = []
        for getter in getters:
            if not getter(handle, geom._geom, ctypes.byref(value)):
                return geom.bounds
            out.append(value.value)
        return tuple(out)

    return bounds


def bounds_of(geoms: Sequence[BaseGeometry]) -> list[Bounds]:
    """(minx, miny, maxx, maxy) of each geometry, fast on shapely 1.8 and 2.x."""
    import shapely

    if hasattr(shapely, "bounds"):  # shapely 2: vectorised
        import numpy as np

        array = np.empty(len(geoms), dtype=object)
        array[:] = list(geoms)
        return [tuple(row) for row in shapely.bounds(array).tolist()]
    single = _BOUNDS_1_8 or (lambda g: g.bounds)
    return [single(g) for g in geoms]


_BOUNDS_1_8 = None if hasattr(__import__("shapely"), "bounds") else _geos_bounds_1_8()


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


@dataclass
class _Piece:
    """A part of a zone under one rank, with its bounds cached for cheap overlap tests."""

    rank: Hashable
    geom: BaseGeometry
    bounds: tuple[float, float, float, float]
    area: float
    source: int = -1  # index of the hazard polygon it was cut from; -1 once merged or cut


class _OverlapCache:
    """Whether two hazard polygons' interiors meet, asked once per pair however many zones need it.

    Pieces of two hazard polygons can only overlap where the polygons do, so the answer for
    the whole polygons settles most piece pairs (a zone border splits a pair between zones).
    """

    def __init__(self, hazards: Sequence[tuple[BaseGeometry, Hashable]]) -> None:
        self.hazards = hazards
        self.known: dict[tuple[int, int], bool] = {}

    def interiors_meet(self, a: _Piece, b: _Piece) -> bool:
        if a.source >= 0 and b.source >= 0:
            key = (a.source, b.source) if a.source < b.source else (b.source, a.source)
            meet = self.known.get(key)
            if meet is None:
                meet = self.known[key] = self.hazards[key[0]][0].relate_pattern(self.hazards[key[1]][0], _INTERIORS)
            if not meet:
                return False
            if a.geom is self.hazards[a.source][0] and b.geom is self.hazards[b.source][0]:
                return True
        return a.geom.relate_pattern(b.geom, _INTERIORS)


_INTERIORS = "T********"  # DE-9IM: the interiors meet (touching along an edge does not count)


def _clip(zone: BaseGeometry, zone_prepared, geom: BaseGeometry) -> tuple[BaseGeometry, float] | None:
    """The part of ``geom`` inside the zone, and its area; ``None`` when they share no area."""
    if zone_prepared.contains(geom):
        return geom, geom.area
    if not zone_prepared.intersects(geom):
        return None
    piece = zone.intersection(geom)
    area = piece.area
    if area <= 0:
        return None
    if piece.geom_type == "GeometryCollection":  # touching parts come back as lines and points too
        piece = unary_union([g for g in piece.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    return piece, area


def _overlapping_pairs(pieces: Sequence[_Piece], cache: _OverlapCache) -> list[tuple[int, int]]:
    """Pairs of pieces whose interiors meet (sweep over x; pieces that only touch do not count)."""
    order = sorted(range(len(pieces)), key=lambda i: pieces[i].bounds[0])
    active: list[int] = []
    pairs = []
    for i in order:
        x0, y0, _x1, y1 = pieces[i].bounds
        active = [j for j in active if pieces[j].bounds[2] > x0]
        for j in active:
            _, b_y0, _, b_y1 = pieces[j].bounds
            if y0 < b_y1 and b_y0 < y1 and cache.interiors_meet(pieces[i], pieces[j]):
                pairs.append((min(i, j), max(i, j)))
        active.append(i)
    return pairs


def _piece(rank: Hashable, geom: BaseGeometry, bounds: Bounds | None = None, area: float | None = None) -> _Piece:
    return _Piece(
        rank, geom, bounds if bounds is not None else bounds_of([geom])[0], area if area is not None else geom.area
    )


def _resolve_overlaps(pieces: list[_Piece], cache: _OverlapCache) -> list[_Piece]:
    """Merge overlapping pieces of the same rank; cut lower ranks out of higher ones."""
    pairs = _overlapping_pairs(pieces, cache)
    if not pairs:
        return pieces
    # Same rank: merge each group of mutually overlapping pieces.
    parent = list(range(len(pieces)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        if pieces[i].rank == pieces[j].rank:
            parent[root(i)] = root(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(pieces)):
        groups[root(i)].append(i)
    merged = [
        pieces[g[0]] if len(g) == 1 else _piece(pieces[g[0]].rank, unary_union([pieces[i].geom for i in g]))
        for g in groups.values()
    ]
    # Across ranks: a place belongs to its highest rank.
    merged.sort(key=lambda p: rank_order_key(p.rank), reverse=True)
    higher_of: dict[int, list[int]] = defaultdict(list)
    for i, j in _overlapping_pairs(merged, cache):  # i < j: merged[i] has the higher (or equal) rank
        if merged[i].rank != merged[j].rank:
            higher_of[j].append(i)
    result: list[_Piece] = []
    for j, piece in enumerate(merged):
        if higher_of[j]:
            cut = piece.geom.difference(unary_union([merged[i].geom for i in higher_of[j]]))
            area = cut.area
            if area <= 0:
                continue
            piece = _piece(piece.rank, cut, area=area)
        result.append(piece)
    return result


def zone_pieces(
    zone: BaseGeometry,
    hazards: Sequence[tuple[BaseGeometry, Hashable]],
    index: SpatialIndex,
    hazard_bounds: Sequence[Bounds],
    cache: _OverlapCache | None = None,
    may_overlap: bool = True,
) -> list[_Piece]:
    """The parts of ``zone`` under hazard ranks, not overlapping each other.

    A clipped piece keeps its hazard polygon's bounds: a box around the piece, which is
    all the overlap tests need.
    """
    zone_prepared = prep(zone)
    pieces = []
    for i in index.candidates(zone):
        geom, rank = hazards[i]
        clipped = _clip(zone, zone_prepared, geom)
        if clipped is not None:
            pieces.append(_Piece(rank, clipped[0], hazard_bounds[i], clipped[1], i))
    return _resolve_overlaps(pieces, cache or _OverlapCache(hazards)) if may_overlap else pieces


def _meets(bounds: tuple[float, float, float, float], other: tuple[float, float, float, float]) -> bool:
    return bounds[0] <= other[2] and other[0] <= bounds[2] and bounds[1] <= other[3] and other[1] <= bounds[3]


def _population_by_rank(zone, pieces: list[_Piece], population, index: SpatialIndex) -> dict[Hashable, float]:
    totals: dict[Hashable, float] = defaultdict(float)
    for i in index.candidates(zone):
        geom, value, full_area = population[i]
        if value is None:
            continue
        bounds = bounds_of([geom])[0]
        if full_area is None:  # a point with a weight
            for piece in pieces:
                if _meets(piece.bounds, bounds) and piece.geom.contains(geom):
                    totals[piece.rank] += float(value)
                    break
            continue
        if full_area <= 0:
            continue
        prepared = prep(geom)
        for piece in pieces:
            if not _meets(piece.bounds, bounds):
                continue
            if prepared.contains(piece.geom):
                share = piece.area
            elif prepared.intersects(piece.geom):
                share = geom.intersection(piece.geom).area
            else:
                continue
            totals[piece.rank] += float(value) * share / full_area
    return totals


def _count_by_rank(zone, pieces: list[_Piece], points: Sequence[BaseGeometry], index: SpatialIndex):
    counts: dict[Hashable, int] = defaultdict(int)
    for i in index.candidates(zone):
        point = points[i]
        bounds = (point.x, point.y, point.x, point.y)
        for piece in pieces:
            if _meets(piece.bounds, bounds) and piece.geom.contains(point):
                counts[piece.rank] += 1
                break
    return counts


def hazard_exposure(
    zones: Iterable[tuple[Hashable, BaseGeometry]],
    hazards: Iterable[tuple[BaseGeometry, Hashable]],
    population: Iterable[tuple[BaseGeometry, float | None]] | None = None,
    features: Iterable[BaseGeometry] | None = None,
    step: Callable[[int], bool] | None = None,
    may_overlap: bool = True,
) -> list[ExposureRow]:
    """One row per zone and hazard rank present in it.

    ``zones``: (zone id, polygon); ``hazards``: (polygon, rank), a ``None`` rank is
    skipped; ``population``: (geometry, value) where a polygon (e.g. a mesh cell) is
    shared out by area and a point counts with its weight; ``features``: geometries to
    count (their representative point). All in the same planar CRS, metres.
    ``step(zones_done)`` is called after each zone; returning ``False`` stops early.
    ``may_overlap=False`` skips the overlap checks for hazards known not to overlap (the
    polygons of :func:`iter_raster_hazard`).
    """
    hazard_list = [
        (valid_geometry(g), rank) for g, rank in hazards if rank is not None and g is not None and not g.is_empty
    ]
    hazard_index = SpatialIndex([g for g, _ in hazard_list])
    hazard_bounds = bounds_of([g for g, _ in hazard_list])
    overlap_cache = _OverlapCache(hazard_list)
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
        pieces = zone_pieces(zone, hazard_list, hazard_index, hazard_bounds, overlap_cache, may_overlap)
        if not pieces:
            continue
        areas: dict[Hashable, float] = defaultdict(float)
        for piece in pieces:
            areas[piece.rank] += piece.area
        people = _population_by_rank(zone, pieces, pop_list, pop_index) if pop_list is not None else None
        counts = _count_by_rank(zone, pieces, points, point_index) if points is not None else None
        for rank in sorted(areas, key=rank_order_key, reverse=True):
            rows.append(
                ExposureRow(
                    zone_id=zone_id,
                    rank=rank,
                    area_m2=areas[rank],
                    population=people.get(rank, 0.0) if people is not None else None,
                    feature_count=counts.get(rank, 0) if counts is not None else None,
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
