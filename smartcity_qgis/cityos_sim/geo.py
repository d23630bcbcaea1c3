"""Geo-queries: NGSI-v2 (``coords`` in lat,lng) and NGSI-LD (``coordinates`` in [lon, lat]).

Point entities are filtered with numpy over the store's coordinate columns (bounding box first, then
a vectorised point-in-polygon); the few entities with other geometries go through shapely one by one.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
from shapely.geometry import LineString, Point, Polygon, box, shape
from shapely.geometry.base import BaseGeometry

from smartcity_qgis.cityos_sim.store import KIND_OTHER, KIND_POINT, TenantStore

EARTH_RADIUS_M = 6371008.8

try:  # shapely 2
    from shapely import contains_xy as _contains_xy
    from shapely import intersects_xy as _intersects_xy
except ImportError:  # shapely 1.8
    from shapely.vectorized import contains as _contains_xy  # type: ignore[no-redef]

    _intersects_xy = None


class GeoQueryError(ValueError):
    """A geo-query the broker refuses (400)."""


@dataclass
class GeoFilter:
    """A parsed geo-query: relation, reference geometry (lon/lat), distances for ``near``."""

    rel: str  # near | coveredBy | intersects | equals | disjoint | contains
    geom: BaseGeometry
    max_distance: float | None = None
    min_distance: float | None = None
    exact: bool = False  # Orion's equals: the same coordinates, not only the same point set


def _num(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError as exc:
        raise GeoQueryError(f"invalid {what}") from exc
    if math.isnan(value) or math.isinf(value):
        raise GeoQueryError(f"invalid {what}")
    return value


def _near_distances(parts: list[str], sep: str) -> tuple[float | None, float | None]:
    max_d = min_d = None
    for mod in parts:
        key, _, value = mod.partition(sep)
        if key == "maxDistance":
            max_d = _num(value, "maxDistance")
        elif key == "minDistance":
            min_d = _num(value, "minDistance")
        else:
            raise GeoQueryError(f"invalid georel modifier: {mod!r}")
    if max_d is None and min_d is None:
        raise GeoQueryError("georel near needs maxDistance or minDistance")
    return max_d, min_d


def parse_v2(georel: str | None, geometry: str | None, coords: str | None) -> GeoFilter | None:
    """The v2 triple; ``coords`` is ``lat,lng;lat,lng`` (Orion's order, not GeoJSON's).

    The refusals are Orion's, in its words (``Scope::fill``): combinations MongoDB cannot run
    (``near`` with anything but a point, ``coveredBy`` with a point or a line) are refused too.
    """
    if not (georel or geometry or coords):
        return None
    if not (georel and geometry and coords):
        raise GeoQueryError("partial geo expression: geometry, georel and coords have to be provided together")
    kind = geometry.lower() if geometry in ("point", "line", "polygon", "box") else None
    if kind is None:
        raise GeoQueryError("error parsing geometry: invalid geometry")
    parts = georel.split(";")
    rel = parts[0]
    if rel not in ("near", "coveredBy", "intersects", "equals", "disjoint"):
        raise GeoQueryError("Invalid georel")
    if kind == "line" and rel == "coveredBy":
        raise GeoQueryError("line geometry cannot be used with coveredBy georel")
    if kind == "point" and rel == "coveredBy":
        raise GeoQueryError("point geometry cannot be used with coveredBy georel")
    if kind != "point" and rel == "near":
        raise GeoQueryError("georel /near/ used with geometry different than point")
    points = []
    for pair in coords.split(";"):
        items = pair.split(",")
        if len(items) != 2:
            raise GeoQueryError("invalid point in URI param /coords/")
        lat, lng = (_num(v.strip(), "coordinates") for v in items)
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise GeoQueryError("invalid coordinates")
        points.append((lng, lat))
    if kind == "point":
        if len(points) != 1:
            raise GeoQueryError("invalid number of coordinates for /point/")
        geom: BaseGeometry = Point(points[0])
    elif kind == "line":
        if len(points) < 2:
            raise GeoQueryError("invalid number of coordinates for /line/")
        geom = LineString(points)
    elif kind == "box":
        if len(points) != 2:
            raise GeoQueryError("invalid number of coordinates for /box/")
        (x1, y1), (x2, y2) = points
        if x1 == x2 or y1 == y2:
            raise GeoQueryError("box coordinates are not defining an actual box")
        geom = box(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
    else:
        if len(points) < 4:
            raise GeoQueryError("Too few coordinates for polygon")
        if points[0] != points[-1]:
            raise GeoQueryError("First and last point in polygon not the same")
        geom = Polygon(points)
    if rel == "near":
        max_d, min_d = _near_distances(parts[1:], ":")
        return GeoFilter("near", geom, max_d, min_d)
    if len(parts) > 1:
        raise GeoQueryError("Invalid georel")
    return GeoFilter(rel, geom, exact=rel == "equals")


def parse_ld(georel: str | None, geometry: str | None, coordinates: str | None) -> GeoFilter | None:
    """The LD triple; ``coordinates`` is a GeoJSON coordinates array in [lon, lat]."""
    if not (georel or geometry or coordinates):
        return None
    if not (georel and geometry and coordinates):
        raise GeoQueryError("georel, geometry and coordinates are needed together")
    try:
        coords = json.loads(coordinates)
        geom = shape({"type": geometry, "coordinates": coords})
    except Exception as exc:
        raise GeoQueryError(f"invalid geometry/coordinates: {exc}") from exc
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise GeoQueryError("coordinates out of range: [longitude, latitude] expected")
    parts = georel.split(";")
    rel = parts[0]
    if rel == "near":
        max_d, min_d = _near_distances(parts[1:], "==")
        return GeoFilter("near", geom, max_d, min_d)
    mapping = {
        "within": "coveredBy",
        "intersects": "intersects",
        "equals": "equals",
        "disjoint": "disjoint",
        "contains": "contains",
        "overlaps": "overlaps",
    }
    if rel not in mapping:
        raise GeoQueryError(f"invalid georel: {rel!r}")
    return GeoFilter(mapping[rel], geom)


def haversine_m(lon: np.ndarray, lat: np.ndarray, lon0: float, lat0: float) -> np.ndarray:
    """Great-circle distance in metres from (lon0, lat0)."""
    p1, p2 = np.radians(lat), np.radians(lat0)
    dp, dl = p2 - p1, np.radians(lon0) - np.radians(lon)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _points_in(geom: BaseGeometry, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Points covered by ``geom`` (boundary included), vectorised."""
    minx, miny, maxx, maxy = geom.bounds
    inside = (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
    if geom.equals(box(minx, miny, maxx, maxy)) or not inside.any():
        return inside
    sel = np.flatnonzero(inside)
    if _intersects_xy is not None:
        hit = _intersects_xy(geom, lon[sel], lat[sel])
    else:
        from shapely.vectorized import touches

        hit = _contains_xy(geom, lon[sel], lat[sel]) | touches(geom, lon[sel], lat[sel])
    out = np.zeros(len(lon), dtype=bool)
    out[sel[np.asarray(hit, dtype=bool)]] = True
    return out


def _point_matches(f: GeoFilter, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    if f.rel == "near":
        c = f.geom.centroid
        d = haversine_m(lon, lat, c.x, c.y)
        ok = np.ones(len(lon), dtype=bool)
        if f.max_distance is not None:
            ok &= d <= f.max_distance
        if f.min_distance is not None:
            ok &= d >= f.min_distance
        return ok
    if f.rel in ("coveredBy", "intersects"):
        if f.geom.geom_type in ("Polygon", "MultiPolygon"):
            return _points_in(f.geom, lon, lat)
        return np.array([f.geom.intersects(Point(x, y)) for x, y in zip(lon, lat, strict=True)], dtype=bool)
    if f.rel == "disjoint":
        return ~_point_matches(GeoFilter("intersects", f.geom), lon, lat)
    if f.rel == "equals":
        if f.geom.geom_type != "Point":
            return np.zeros(len(lon), dtype=bool)
        return (lon == f.geom.x) & (lat == f.geom.y)
    if f.rel == "contains":  # a point contains only an equal point
        return _point_matches(GeoFilter("equals", f.geom), lon, lat)
    return np.zeros(len(lon), dtype=bool)  # overlaps: never for points


def shape_matches(f: GeoFilter, geom: BaseGeometry) -> bool:
    """The filter on one shapely geometry (entities that are not points, subscriptions)."""
    if f.rel == "near":
        c = f.geom.centroid
        if geom.intersects(c):
            d = 0.0
        else:
            from shapely.ops import nearest_points

            nearest = nearest_points(geom, c)[0]
            d = float(haversine_m(np.array([nearest.x]), np.array([nearest.y]), c.x, c.y)[0])
        return (f.max_distance is None or d <= f.max_distance) and (f.min_distance is None or d >= f.min_distance)
    rel = {
        "coveredBy": "covered_by",
        "intersects": "intersects",
        "disjoint": "disjoint",
        "equals": "equals",
        "contains": "contains",
        "overlaps": "overlaps",
    }[f.rel]
    if rel == "covered_by":
        return f.geom.covers(geom)
    if rel == "equals" and f.exact:
        # Orion matches the stored coordinates as given (MongoDB compares the GeoJSON), in order
        return geom.geom_type == f.geom.geom_type and geom.equals_exact(f.geom, 0.0)
    return bool(getattr(geom, rel)(f.geom))


def apply(f: GeoFilter, store: TenantStore, idx: np.ndarray) -> np.ndarray:
    """The subset of ``idx`` (kept in order) whose geometry satisfies the filter."""
    if len(idx) == 0:
        return idx
    kind = store.kind[idx]
    keep = np.zeros(len(idx), dtype=bool)
    pts = kind == KIND_POINT
    if pts.any():
        keep[pts] = _point_matches(f, store.lon[idx[pts]], store.lat[idx[pts]])
    for j in np.flatnonzero(kind == KIND_OTHER):
        geom = store.others.get(int(idx[j]))
        keep[j] = geom is not None and shape_matches(f, geom)
    return idx[keep]


def distances(f: GeoFilter, store: TenantStore, idx: np.ndarray) -> np.ndarray:
    """Distance in metres from the ``near`` point (for ``orderBy=geo:distance``)."""
    c = f.geom.centroid
    return haversine_m(store.lon[idx], store.lat[idx], c.x, c.y)
