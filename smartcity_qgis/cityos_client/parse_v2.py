"""NGSI-v2 entity payloads (normalized and keyValues) into `Entity` objects."""

from __future__ import annotations

from typing import Any

from smartcity_qgis.cityos_client.errors import InvalidEntityError
from smartcity_qgis.cityos_client.geometry import GeometryError, from_v2_simple, looks_like_geojson
from smartcity_qgis.cityos_client.models import Attribute, Entity
from smartcity_qgis.cityos_client.parse_common import ParseOptions, entity_head, finish, new_entity
from smartcity_qgis.cityos_client.values import maybe_datetime, parse_datetime

_SIMPLE_GEO = ("geo:point", "geo:line", "geo:polygon", "geo:box")
_DATE_TYPES = ("DateTime", "ISO8601")
# Pre-3.11 Orion marked a "lat, lng" value as a location with this metadata (misspelt too).
_LEGACY_CRS = ("WGS84", "WSG84")


def _metadata(eid: str, name: str, md: Any) -> tuple[dict[str, Any], Any, Any]:
    if type(md) is not dict:
        raise InvalidEntityError(eid, f"attribute {name!r}: 'metadata' must be an object")
    meta: dict[str, Any] = {}
    for key, item in md.items():
        if type(item) is dict and "value" in item:
            value = item["value"]
            if item.get("type") in _DATE_TYPES:
                value = parse_datetime(value) or value
            meta[key] = value
        else:
            meta[key] = item
    observed = meta.get("TimeInstant")
    if observed is None:
        observed = meta.get("dateObserved")
    if type(observed) is str:
        observed = parse_datetime(observed)
    unit = meta.get("unitCode")
    return meta, observed if observed is not None and not isinstance(observed, str) else None, unit


def parse_v2_normalized(payload: Any, options: ParseOptions) -> Entity:
    """An entity from an NGSI-v2 normalized payload (``{"attr": {"type", "value", "metadata"}}``)."""
    eid, etype, warnings = entity_head(payload, "NGSI-v2")
    entity, attrs = new_entity(eid, etype, warnings)
    geo: list[tuple[str, Any]] = []
    for name, raw in payload.items():
        if name == "id" or name == "type":
            continue
        if type(raw) is not dict:
            raise InvalidEntityError(
                eid, f"attribute {name!r} is not an object with 'type' and 'value' (normalized NGSI-v2)"
            )
        atype = raw.get("type")
        value = raw.get("value")
        md = raw.get("metadata")
        if md:
            meta, observed, unit = _metadata(eid, name, md)
        else:
            meta, observed, unit = {}, None, None
        if atype is not None and type(atype) is not str:
            raise InvalidEntityError(eid, f"attribute {name!r}: 'type' must be a string")
        if atype == "geo:json":
            geo.append((name, value))
        elif atype in _SIMPLE_GEO:
            try:
                geo.append((name, from_v2_simple(atype, value, f"attribute {name!r}")))
            except GeometryError as exc:
                if name == options.primary:
                    raise InvalidEntityError(eid, str(exc)) from None
                warnings.append(str(exc))
        elif atype in _DATE_TYPES:
            if value is not None:
                parsed = parse_datetime(value)
                if parsed is None:
                    warnings.append(f"attribute {name!r} is a {atype} but {value!r:.40} is not a valid date")
                else:
                    value = parsed
        elif meta and meta.get("location") in _LEGACY_CRS and type(value) is str:
            try:
                geo.append((name, from_v2_simple("geo:point", value, f"attribute {name!r}")))
            except GeometryError as exc:
                raise InvalidEntityError(eid, str(exc)) from None
        attrs[name] = Attribute(name, value, atype, observed, unit, meta)
    return finish(entity, geo, options)


def parse_v2_key_values(payload: Any, options: ParseOptions) -> Entity:
    """An entity from an NGSI-v2 keyValues payload (``{"attr": value}``)."""
    eid, etype, warnings = entity_head(payload, "NGSI-v2")
    entity, attrs = new_entity(eid, etype, warnings)
    geo: list[tuple[str, Any]] = []
    for name, value in payload.items():
        if name == "id" or name == "type":
            continue
        tv = type(value)
        if tv is str:
            if len(value) >= 16 and value[10] == "T":  # cheap pre-check before trying a date
                value = maybe_datetime(value)
        elif tv is dict and looks_like_geojson(value):
            geo.append((name, value))
        attrs[name] = Attribute(name, value)
    return finish(entity, geo, options)


def is_v2_normalized(payload: dict) -> bool:
    """True when every attribute of a v2 payload is an object and at least one carries a 'value'."""
    with_value = False
    for name, raw in payload.items():
        if name == "id" or name == "type":
            continue
        if type(raw) is not dict:
            return False
        if "value" in raw:
            with_value = True
    return with_value
