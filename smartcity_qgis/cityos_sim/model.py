"""Entities as the embedded city OS keeps them, and their conversion from NGSI-v2 and NGSI-LD payloads.

One canonical form serves both APIs: attributes carry an NGSI-v2 type (``Number``, ``Text``,
``DateTime``, ``geo:json``, ``Relationship``, ``LanguageProperty``...), a value, metadata and an
optional observation time; the renderers turn it into either flavor.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from shapely.geometry import Point, Polygon, box, shape
from shapely.geometry.base import BaseGeometry

GEO_TYPES = ("geo:json", "geo:point", "geo:line", "geo:polygon", "geo:box")
LD_CORE_CONTEXT = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"
LD_DEFAULT_PREFIX = "https://uri.etsi.org/ngsi-ld/default-context/"
_FORBIDDEN_CHARS = re.compile(r"[<>\"'=;()\x00-\x1f]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


class PayloadError(ValueError):
    """A request body the broker refuses (400), with the broker's own wording."""


class Attr:
    """One attribute: NGSI-v2 type, value, metadata (name -> {type, value}), observation time."""

    __slots__ = ("metadata", "modified", "observed_at", "type", "value")

    def __init__(
        self,
        atype: str,
        value: Any,
        metadata: dict[str, dict] | None = None,
        observed_at: float | None = None,
        modified: float = 0.0,
    ) -> None:
        self.type = atype
        self.value = value
        self.metadata = metadata
        self.observed_at = observed_at
        self.modified = modified

    @property
    def unit_code(self) -> str | None:
        meta = (self.metadata or {}).get("unitCode")
        return meta.get("value") if isinstance(meta, dict) else None


class EntityRecord:
    """One stored entity; ``index`` is its creation rank inside its tenant."""

    __slots__ = ("attrs", "cache", "created", "history", "id", "index", "modified", "path", "type")

    def __init__(self, eid: str, etype: str, path: str, attrs: dict[str, Attr], created: float) -> None:
        self.id = eid
        self.type = etype
        self.path = path
        self.attrs = attrs
        self.created = created
        self.modified = created
        self.index = -1
        self.cache: dict[str, str] | None = None
        self.history: dict[str, Any] | None = None

    def geo_attr_name(self) -> str | None:
        """The attribute holding the entity's geometry: ``location`` first, else the first geo one."""
        loc = self.attrs.get("location")
        if loc is not None and loc.type in GEO_TYPES:
            return "location"
        for name, attr in self.attrs.items():
            if attr.type in GEO_TYPES:
                return name
        return None


# ---------------------------------------------------------------- time


def iso(ts: float | None) -> str | None:
    """Epoch seconds -> ``YYYY-MM-DDThh:mm:ss.sssZ`` (Orion's output format)."""
    if ts is None:
        return None
    dt = datetime.fromtimestamp(ts, UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def parse_time(text: str) -> float:
    """ISO 8601 (``Z`` or offset; naive = UTC) -> epoch seconds; ValueError when unreadable."""
    text = text.strip()
    if not _ISO_DATE.match(text):
        raise ValueError(f"not an ISO 8601 date: {text!r}")
    dt = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def looks_like_date(value: Any) -> bool:
    return isinstance(value, str) and bool(_ISO_DATE.match(value)) and len(value) >= 10


# ---------------------------------------------------------------- geometry


def _latlng(text: str) -> tuple[float, float]:
    parts = [p.strip() for p in str(text).split(",")]
    if len(parts) != 2:
        raise PayloadError(f"bad coordinates {text!r}: expected 'lat, lng'")
    try:
        lat, lng = float(parts[0]), float(parts[1])
    except ValueError as exc:
        raise PayloadError(f"bad coordinates {text!r}: not numbers") from exc
    return lat, lng


def _check_lonlat(geom: BaseGeometry) -> BaseGeometry:
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90) or any(math.isnan(v) for v in geom.bounds):
        raise PayloadError("coordinates out of range (longitude -180..180, latitude -90..90)")
    return geom


def geometry_of(attr_type: str, value: Any) -> BaseGeometry:
    """The shapely geometry (lon/lat) of a geo attribute; PayloadError when it is not one."""
    try:
        if attr_type == "geo:json":
            if not isinstance(value, dict):
                raise PayloadError("geo:json value must be a GeoJSON object")
            if value.get("type") == "FeatureCollection":
                features = value.get("features") or []
                if len(features) != 1:
                    raise PayloadError("a geo:json FeatureCollection must hold exactly one feature")
                value = features[0]
            if value.get("type") == "Feature":
                value = value.get("geometry")
                if not isinstance(value, dict):
                    raise PayloadError("geo:json Feature without geometry")
            geom = shape(value)
        elif attr_type == "geo:point":
            lat, lng = _latlng(value)
            geom = Point(lng, lat)
        elif attr_type == "geo:line":
            from shapely.geometry import LineString

            geom = LineString([_latlng(p)[::-1] for p in value])
        elif attr_type == "geo:polygon":
            ring = [_latlng(p)[::-1] for p in value]
            if len(ring) < 4 or ring[0] != ring[-1]:
                raise PayloadError("geo:polygon needs at least 4 points, the last equal to the first")
            geom = Polygon(ring)
        elif attr_type == "geo:box":
            (lat1, lng1), (lat2, lng2) = (_latlng(p) for p in value)
            geom = box(min(lng1, lng2), min(lat1, lat2), max(lng1, lng2), max(lat1, lat2))
        else:
            raise PayloadError(f"{attr_type} is not a geo type")
    except PayloadError:
        raise
    except Exception as exc:  # shapely raises a zoo of types for broken GeoJSON
        raise PayloadError(f"error parsing location attribute: {exc}") from exc
    if geom.is_empty:
        raise PayloadError("error parsing location attribute: empty geometry")
    return _check_lonlat(geom)


def as_geojson(attr: Attr) -> dict:
    """A geo attribute as a GeoJSON geometry (legacy geo:point & co converted)."""
    if attr.type == "geo:json":
        value = attr.value
        if value.get("type") == "FeatureCollection":
            value = value["features"][0]
        if value.get("type") == "Feature":
            value = value["geometry"]
        return value
    from shapely.geometry import mapping

    return _plain(mapping(geometry_of(attr.type, attr.value)))


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj


# ---------------------------------------------------------------- validation and conversion


def check_name(name: Any, what: str) -> str:
    """Orion's rule for ids, types and attribute names: 1-256 chars, none of <>"'=;() or controls."""
    if not isinstance(name, str) or not name or len(name) > 256:
        raise PayloadError(f"Invalid characters in {what}" if isinstance(name, str) else f"Invalid {what}")
    if _FORBIDDEN_CHARS.search(name) or " " in name:
        raise PayloadError(f"Invalid characters in {what}")
    return name


def infer_type(value: Any) -> str:
    """NGSI-v2 default attribute type for a JSON value (Orion's rule)."""
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, (int, float)):
        return "Number"
    if isinstance(value, str):
        return "Text"
    if value is None:
        return "None"
    return "StructuredValue"


def short_type(name: str) -> str:
    """An LD type or attribute as the broker stores it: default-context URIs compacted."""
    if name.startswith(LD_DEFAULT_PREFIX):
        return name[len(LD_DEFAULT_PREFIX) :]
    return name


def _same(name: str) -> str:
    return name


def attr_from_ld(name: str, body: Any, now: float, rename: Callable[[str], str] = _same) -> Attr:
    """One attribute of an NGSI-LD normalized body (Property, GeoProperty, Relationship, LanguageProperty).

    ``rename`` gives the stored name of a sub-property (the request's @context expands them too).
    """
    check_name(name, "attribute name")
    if not isinstance(body, dict) or "type" not in body:
        if isinstance(body, dict) and "value" in body:
            body = {"type": "Property", **body}
        else:
            body = {"type": "Property", "value": body}
    kind = body["type"]
    meta: dict[str, dict] = {}
    observed = None
    if "observedAt" in body:
        try:
            observed = parse_time(str(body["observedAt"]))
        except ValueError as exc:
            raise PayloadError(f"attribute /{name}/: observedAt {exc}") from exc
    if "unitCode" in body:
        meta["unitCode"] = {"type": "Text", "value": body["unitCode"]}
    for key, sub in body.items():
        if key in ("type", "value", "object", "languageMap", "observedAt", "unitCode", "datasetId"):
            continue
        sval = sub.get("value", sub.get("object")) if isinstance(sub, dict) else sub
        meta[rename(key)] = {"type": infer_type(sval), "value": sval}
    if kind == "GeoProperty":
        value = body.get("value")
        geometry_of("geo:json", value)
        return Attr("geo:json", value, meta or None, observed, now)
    if kind == "Relationship":
        if "object" not in body:
            raise PayloadError(f"Relationship /{name}/ without object")
        return Attr("Relationship", body["object"], meta or None, observed, now)
    if kind == "LanguageProperty":
        if not isinstance(body.get("languageMap"), dict):
            raise PayloadError(f"LanguageProperty /{name}/ without languageMap")
        return Attr("LanguageProperty", body["languageMap"], meta or None, observed, now)
    if kind != "Property":
        raise PayloadError(f"attribute /{name}/ has an unknown type {kind!r}")
    if "value" not in body:
        raise PayloadError(f"Property /{name}/ without value")
    value = body["value"]
    if isinstance(value, dict) and value.get("@type") == "DateTime":
        text = str(value.get("@value", ""))
        try:
            parse_time(text)
        except ValueError as exc:
            raise PayloadError(f"attribute /{name}/: {exc}") from exc
        return Attr("DateTime", text, meta or None, observed, now)
    return Attr(infer_type(value), value, meta or None, observed, now)


def entity_from_ld(body: Any, now: float, rename: Callable[[str], str] = short_type) -> EntityRecord:
    """A new entity from a POST /ngsi-ld/v1/entities body (normalized); ``rename`` gives the stored
    name of a type or attribute name (the request's @context expands them)."""
    if not isinstance(body, dict):
        raise PayloadError("the payload is not a JSON object")
    eid = body.get("id")
    if not isinstance(eid, str) or ":" not in eid or _FORBIDDEN_CHARS.search(eid):
        raise PayloadError("Invalid Entity ID: not a URI")
    etype = body.get("type")
    if isinstance(etype, list) and len(etype) == 1:
        etype = etype[0]
    if not isinstance(etype, str):
        raise PayloadError("Invalid Entity Type")
    etype = check_name(rename(etype), "entity type")
    attrs = {
        rename(k): attr_from_ld(rename(k), v, now, rename)
        for k, v in body.items()
        if k not in ("id", "type", "@context", "scope", "createdAt", "modifiedAt")
    }
    return EntityRecord(eid, etype, "/", attrs, now)
