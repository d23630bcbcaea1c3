"""Location values of both NGSI flavors into checked GeoJSON and shapely geometries.

Accepts GeoJSON geometries (a Feature or a one-feature FeatureCollection too)
and NGSI-v2's older ``geo:point`` / ``geo:line`` / ``geo:polygon`` / ``geo:box``
strings, whose pairs are in ``"lat, lng"`` order. Coordinates are checked for
range and rings for closure; a self-intersecting polygon is repaired with a
warning. Nothing is ever swapped silently: a point that only makes sense with
lat/lon swapped gets a warning.
"""

from __future__ import annotations

import math
from typing import Any

from shapely.geometry import Point, shape

try:  # shapely >= 1.8 has make_valid in shapely.validation, 2.x also at top level
    from shapely.validation import make_valid as _make_valid
except ImportError:  # pragma: no cover - very old shapely
    _make_valid = None

GEOJSON_TYPES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"}
)
V2_GEO_TYPES = frozenset({"geo:json", "geo:point", "geo:line", "geo:polygon", "geo:box"})
SWAP_WARNING = "latitude and longitude look swapped"


class GeometryError(ValueError):
    """A location value that cannot be used; the message says why."""


def looks_like_geojson(value: Any) -> bool:
    """True for a dict that is shaped like a GeoJSON geometry, Feature or FeatureCollection."""
    if type(value) is not dict:
        return False
    kind = value.get("type")
    if type(kind) is not str:
        return False
    if kind in GEOJSON_TYPES:
        return "coordinates" in value or "geometries" in value
    if kind == "Feature":
        return "geometry" in value
    return kind == "FeatureCollection" and "features" in value


def _position(pos: Any, where: str) -> None:
    if (type(pos) is not list and type(pos) is not tuple) or len(pos) < 2:
        raise GeometryError(f"{where}: a position must be [longitude, latitude], got {pos!r:.60}")
    lon, lat = pos[0], pos[1]
    tl, ta = type(lon), type(lat)
    if (tl is not float and tl is not int) or (ta is not float and ta is not int):
        raise GeometryError(f"{where}: coordinates must be numbers, got {pos!r:.60}")
    if len(pos) > 2:
        tz = type(pos[2])
        if len(pos) > 3 or (tz is not float and tz is not int) or not math.isfinite(pos[2]):
            raise GeometryError(f"{where}: a position is [longitude, latitude] or with a height, got {pos!r:.60}")
    if not (-180.0 <= lon <= 180.0) or not (-90.0 <= lat <= 90.0):
        if math.isnan(lon) or math.isnan(lat) or math.isinf(lon) or math.isinf(lat):
            raise GeometryError(f"{where}: coordinates must be finite numbers")
        hint = ""
        if -180.0 <= lat <= 180.0 and -90.0 <= lon <= 90.0:
            hint = f"; {SWAP_WARNING}"
        raise GeometryError(
            f"{where}: coordinates out of range (longitude {lon}, latitude {lat}; "
            f"longitude must be within ±180 and latitude within ±90{hint})"
        )


def _positions(seq: Any, where: str, minimum: int) -> None:
    if type(seq) is not list or len(seq) < minimum:
        raise GeometryError(f"{where}: needs a list of at least {minimum} positions")
    for pos in seq:
        _position(pos, where)


def _ring(ring: Any, where: str) -> None:
    _positions(ring, where, 4)
    first, last = ring[0], ring[-1]
    if first[0] != last[0] or first[1] != last[1]:
        raise GeometryError(f"{where}: polygon ring is not closed (first and last positions differ)")


def _polygon(rings: Any, where: str) -> None:
    if type(rings) is not list or not rings:
        raise GeometryError(f"{where}: a polygon needs at least one ring")
    for ring in rings:
        _ring(ring, where)


def check_geometry(geom: Any, where: str = "geometry") -> dict:
    """Return the plain GeoJSON geometry inside ``geom`` after checking it; raise `GeometryError`."""
    if type(geom) is not dict:
        raise GeometryError(f"{where}: not a GeoJSON object ({type(geom).__name__})")
    kind = geom.get("type")
    if kind == "Feature":
        return check_geometry(geom.get("geometry"), where)
    if kind == "FeatureCollection":
        features = geom.get("features")
        if type(features) is not list or len(features) != 1:
            raise GeometryError(f"{where}: a FeatureCollection location must hold exactly one feature")
        return check_geometry(features[0], where)
    if type(kind) is not str or kind not in GEOJSON_TYPES:
        raise GeometryError(f"{where}: {kind!r:.40} is not a GeoJSON geometry type")
    if kind == "GeometryCollection":
        parts = geom.get("geometries")
        if type(parts) is not list:
            raise GeometryError(f"{where}: a GeometryCollection needs a 'geometries' list")
        for part in parts:
            if type(part) is not dict or type(part.get("type")) is not str or part["type"] not in GEOJSON_TYPES:
                raise GeometryError(f"{where}: a GeometryCollection may only hold geometries")
            check_geometry(part, where)
        return geom
    coords = geom.get("coordinates")
    if coords is None:
        raise GeometryError(f"{where}: {kind} has no coordinates")
    if kind == "Point":
        _position(coords, where)
    elif kind == "MultiPoint":
        _positions(coords, where, 1)
    elif kind == "LineString":
        _positions(coords, where, 2)
    elif kind == "MultiLineString":
        if type(coords) is not list or not coords:
            raise GeometryError(f"{where}: a MultiLineString needs at least one line")
        for line in coords:
            _positions(line, where, 2)
    elif kind == "Polygon":
        _polygon(coords, where)
    else:  # MultiPolygon
        if type(coords) is not list or not coords:
            raise GeometryError(f"{where}: a MultiPolygon needs at least one polygon")
        for poly in coords:
            _polygon(poly, where)
    return geom


def _latlng(text: Any, where: str) -> list[float]:
    """A ``"lat, lng"`` string as a GeoJSON ``[lng, lat]`` position."""
    if not isinstance(text, str):
        raise GeometryError(f"{where}: expected a 'lat, lng' string, got {text!r:.60}")
    parts = text.split(",")
    if len(parts) != 2:
        raise GeometryError(f"{where}: expected a 'lat, lng' string, got {text!r:.60}")
    try:
        lat, lng = float(parts[0]), float(parts[1])
    except ValueError:
        raise GeometryError(f"{where}: expected a 'lat, lng' string, got {text!r:.60}") from None
    pos = [lng, lat]
    _position(pos, where)
    return pos


def from_v2_simple(kind: str, value: Any, where: str) -> dict:
    """GeoJSON for a v2 ``geo:point`` / ``geo:line`` / ``geo:polygon`` / ``geo:box`` value."""
    if kind == "geo:point":
        return {"type": "Point", "coordinates": _latlng(value, where)}
    if type(value) is not list:
        raise GeometryError(f"{where}: {kind} needs a list of 'lat, lng' strings")
    points = [_latlng(v, where) for v in value]
    if kind == "geo:line":
        if len(points) < 2:
            raise GeometryError(f"{where}: geo:line needs at least 2 points")
        return {"type": "LineString", "coordinates": points}
    if kind == "geo:polygon":
        _ring(points, where)
        return {"type": "Polygon", "coordinates": [points]}
    if kind == "geo:box":
        if len(points) != 2:
            raise GeometryError(f"{where}: geo:box needs exactly 2 corners (south-west, north-east)")
        (x1, y1), (x2, y2) = points
        lo_x, hi_x, lo_y, hi_y = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
        ring = [[lo_x, lo_y], [hi_x, lo_y], [hi_x, hi_y], [lo_x, hi_y], [lo_x, lo_y]]
        return {"type": "Polygon", "coordinates": [ring]}
    raise GeometryError(f"{where}: unknown location type {kind!r}")


def _bounds(coords: Any, acc: list[float]) -> None:
    if type(coords[0]) is not list and type(coords[0]) is not tuple:
        x, y = coords[0], coords[1]
        if x < acc[0]:
            acc[0] = x
        if y < acc[1]:
            acc[1] = y
        if x > acc[2]:
            acc[2] = x
        if y > acc[3]:
            acc[3] = y
        return
    for part in coords:
        _bounds(part, acc)


def geojson_bounds(geom: dict) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of a checked GeoJSON geometry."""
    acc = [math.inf, math.inf, -math.inf, -math.inf]
    if geom["type"] == "GeometryCollection":
        for part in geom["geometries"]:
            b = geojson_bounds(part)
            acc = [min(acc[0], b[0]), min(acc[1], b[1]), max(acc[2], b[2]), max(acc[3], b[3])]
        return tuple(acc)  # type: ignore[return-value]
    _bounds(geom["coordinates"], acc)
    return tuple(acc)  # type: ignore[return-value]


def looks_swapped(geom: dict, aoi: tuple[float, float, float, float]) -> bool:
    """True when ``geom`` misses the area of interest but its lat/lon swap lies in it."""
    if geom["type"] == "Point":
        c = geom["coordinates"]
        x0 = x1 = c[0]
        y0 = y1 = c[1]
    else:
        x0, y0, x1, y1 = geojson_bounds(geom)
        if x0 > x1:  # empty collection
            return False
    inside = x1 >= aoi[0] and x0 <= aoi[2] and y1 >= aoi[1] and y0 <= aoi[3]
    if inside:
        return False
    return y1 >= aoi[0] and y0 <= aoi[2] and x1 >= aoi[1] and x0 <= aoi[3]


def build_point(coords: list) -> Any:
    """Shapely point from a checked GeoJSON position."""
    if len(coords) > 2:
        return Point(coords[0], coords[1], coords[2])
    return Point(coords[0], coords[1])


def build_shape(geom: dict) -> Any:
    """Shapely geometry from a checked GeoJSON geometry."""
    return shape(geom)


def _has_area(geom: dict) -> bool:
    kind = geom["type"]
    if kind == "GeometryCollection":
        return any(_has_area(g) for g in geom["geometries"])
    return kind in ("Polygon", "MultiPolygon")


def repair(shp: Any) -> Any:
    """A valid version of an invalid shapely geometry (``make_valid`` when present, else buffer(0))."""
    if _make_valid is not None:
        return _make_valid(shp)
    return shp.buffer(0)  # pragma: no cover - shapely without make_valid


def attach(entity: Any, geom: dict, aoi: tuple[float, float, float, float] | None, where: str) -> None:
    """Give ``entity`` the checked GeoJSON ``geom`` as its geometry, with warnings where due.

    Points and lines are built lazily (on first access); areas are built now
    because their validity decides whether a repair warning is due.
    """
    if aoi is not None and looks_swapped(geom, aoi):
        entity.warnings.append(
            f"{where}: {SWAP_WARNING} (the location lies outside the area of interest, "
            "its latitude/longitude swap inside it)"
        )
    if geom["type"] == "Point":
        entity.set_lazy_geometry(build_point, geom["coordinates"])
        return
    if not _has_area(geom):
        entity.set_lazy_geometry(build_shape, geom)
        return
    try:
        shp = shape(geom)
    except Exception as exc:  # shapely/GEOS refuses what our checks let through
        raise GeometryError(f"{where}: unusable geometry ({exc})") from None
    if not shp.is_valid:
        fixed = repair(shp)
        if fixed.is_empty:
            raise GeometryError(f"{where}: polygon is degenerate (no area left after repair)")
        entity.warnings.append(f"{where}: polygon self-intersects; it was repaired")
        shp = fixed
    entity.geometry = shp
