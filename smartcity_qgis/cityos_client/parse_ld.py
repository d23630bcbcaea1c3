"""NGSI-LD entity payloads (normalized, concise, keyValues/simplified) into `Entity` objects."""

from __future__ import annotations

from typing import Any

from smartcity_qgis.cityos_client.errors import InvalidEntityError
from smartcity_qgis.cityos_client.geometry import looks_like_geojson
from smartcity_qgis.cityos_client.models import Attribute, Entity
from smartcity_qgis.cityos_client.parse_common import ParseOptions, entity_head, finish, new_entity
from smartcity_qgis.cityos_client.values import maybe_datetime, parse_datetime, typed_datetime

# Attribute types of ETSI GS CIM 009 and the member holding each one's value.
VALUE_MEMBER = {
    "Property": "value",
    "GeoProperty": "value",
    "Relationship": "object",
    "LanguageProperty": "languageMap",
    "VocabProperty": "vocab",
    "JsonProperty": "json",
    "ListProperty": "valueList",
    "ListRelationship": "objectList",
}
LD_ATTRIBUTE_TYPES = frozenset(VALUE_MEMBER)
_CONCISE_KEYS = frozenset(("value", "object", "languageMap", "vocab", "json", "valueList", "objectList"))
_CONCISE_HINTS = (
    "Property",
    "GeoProperty",
    "Relationship",
    "LanguageProperty",
    "VocabProperty",
    "JsonProperty",
    "ListProperty",
    "ListRelationship",
)
# Entity members that are not attributes.
_ENTITY_MEMBERS = frozenset({"id", "type", "@context", "@id", "@type", "scope", "createdAt", "deletedAt"})
# Attribute members that are not sub-properties.
_ATTR_MEMBERS = frozenset(
    {
        "type",
        "value",
        "object",
        "languageMap",
        "vocab",
        "json",
        "valueList",
        "objectList",
        "observedAt",
        "unitCode",
        "createdAt",
        "modifiedAt",
        "datasetId",
        "instanceId",
        "deletedAt",
        "objectType",
        "lang",
    }
)
# In concise form the member present tells the attribute type.
_CONCISE_MEMBER = (
    ("value", "Property"),
    ("object", "Relationship"),
    ("languageMap", "LanguageProperty"),
    ("vocab", "VocabProperty"),
    ("json", "JsonProperty"),
    ("valueList", "ListProperty"),
    ("objectList", "ListRelationship"),
)


def _sub_properties(raw: dict) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for key, sub in raw.items():
        if key in _ATTR_MEMBERS:
            continue
        if type(sub) is dict:
            if "value" in sub:
                meta[key] = typed_datetime(sub["value"])
            elif "object" in sub:
                meta[key] = sub["object"]
            else:
                meta[key] = sub
        else:
            meta[key] = typed_datetime(sub)
    return meta


def _pick_instance(eid: str, name: str, raw: list, warnings: list[str]) -> Any:
    """The default instance of a multi-attribute (the one without datasetId, else the first)."""
    if not raw:
        raise InvalidEntityError(eid, f"attribute {name!r} is an empty list of instances")
    for inst in raw:
        if type(inst) is dict and "datasetId" not in inst:
            chosen = inst
            break
    else:
        chosen = raw[0]
    if len(raw) > 1:
        warnings.append(f"attribute {name!r} has {len(raw)} instances (datasetId); using the default one")
    return chosen


def _check_typed_date(name: str, typed: dict, warnings: list[str]) -> None:
    """Warn when a JSON-LD ``{"@type": "DateTime", "@value": ...}`` holds no valid date (kept as text)."""
    text = typed.get("@value")
    if typed.get("@type") == "DateTime" and parse_datetime(text) is None:
        warnings.append(f"attribute {name!r} is a DateTime but {text!r:.40} is not a valid date")


def _attribute(
    eid: str, name: str, raw: dict, atype: str, geo: list, options: ParseOptions, warnings: list[str]
) -> Attribute:
    member = VALUE_MEMBER[atype]
    if member not in raw:
        raise InvalidEntityError(eid, f"attribute {name!r} is a {atype} without '{member}'")
    value = raw[member]
    if atype == "Property":
        tv = type(value)
        if tv is str or tv is dict:
            value = typed_datetime(value)
            if tv is dict and type(value) is str:
                _check_typed_date(name, raw[member], warnings)
        if name == options.primary and tv is dict and looks_like_geojson(value):
            warnings.append(f"attribute {name!r} is a Property, not a GeoProperty; used as the location")
            geo.append((name, value))
    elif atype == "GeoProperty":
        geo.append((name, value))
    observed = raw.get("observedAt")
    if observed is not None:
        observed = parse_datetime(observed)
        if observed is None:
            warnings.append(f"attribute {name!r} has an observedAt that is not a date-time")
    meta = _sub_properties(raw) if len(raw) > 2 else {}
    return Attribute(name, value, atype, observed, raw.get("unitCode"), meta)


class NotNormalizedError(Exception):
    """Raised by `parse_ld_normalized` in detecting mode when an attribute is not in normalized form."""


# Members whose presence alone does not call for a sub-property scan.
_PLAIN_MEMBERS = frozenset({"type", "value", "observedAt", "unitCode"})


def parse_ld_normalized(payload: Any, options: ParseOptions, detecting: bool = False) -> Entity:
    """An entity from an NGSI-LD normalized payload (every attribute carries its ``type``).

    With ``detecting``, an attribute that is not in normalized form raises
    `NotNormalizedError` instead of `InvalidEntityError`, so that the caller can
    try the concise/keyValues reading (detection without a separate pass).
    """
    eid, etype, warnings = entity_head(payload, "NGSI-LD")
    entity, attrs = new_entity(eid, etype, warnings)
    geo: list[tuple[str, Any]] = []
    primary = options.primary
    for name, raw in payload.items():
        if name in _ENTITY_MEMBERS:
            continue
        tr = type(raw)
        if tr is list:
            if detecting and (not raw or type(raw[0]) is not dict):
                raise NotNormalizedError
            raw = _pick_instance(eid, name, raw, warnings)
            tr = type(raw)
        if tr is not dict:
            if name == "modifiedAt" and tr is str:
                entity.modified_at = parse_datetime(raw)
                continue
            if detecting:
                raise NotNormalizedError
            raise InvalidEntityError(eid, f"attribute {name!r} is not an object with a 'type' (normalized NGSI-LD)")
        atype = raw.get("type")
        if atype == "Property" and "value" in raw:
            # The common case, inline: a Property with a value and maybe observedAt / unitCode.
            value = raw["value"]
            tv = type(value)
            if tv is str:
                if len(value) >= 16 and value[10] == "T":
                    value = maybe_datetime(value)
            elif tv is dict:
                if name == primary and looks_like_geojson(value):
                    warnings.append(f"attribute {name!r} is a Property, not a GeoProperty; used as the location")
                    geo.append((name, value))
                else:
                    value = typed_datetime(value)
                    if type(value) is str:
                        _check_typed_date(name, raw["value"], warnings)
            if len(raw) == 2:
                attrs[name] = Attribute(name, value, "Property")
                continue
            observed = raw.get("observedAt")
            if observed is not None:
                observed = parse_datetime(observed)
                if observed is None:
                    warnings.append(f"attribute {name!r} has an observedAt that is not a date-time")
            meta = _sub_properties(raw) if not _PLAIN_MEMBERS.issuperset(raw) else {}
            attrs[name] = Attribute(name, value, "Property", observed, raw.get("unitCode"), meta)
            continue
        if type(atype) is not str or atype not in LD_ATTRIBUTE_TYPES:
            if detecting and (atype is None or ("value" not in raw and "object" not in raw)):
                raise NotNormalizedError
            raise InvalidEntityError(
                eid,
                f"attribute {name!r} has type {atype!r:.40}, which is not an NGSI-LD attribute type "
                "(Property, GeoProperty, Relationship, LanguageProperty...)",
            )
        attrs[name] = _attribute(eid, name, raw, atype, geo, options, warnings)
    modified = entity.modified_at
    finish(entity, geo, options)
    if modified is not None and entity.modified_at is None:
        entity.modified_at = modified
    return entity


def parse_ld_concise(payload: Any, options: ParseOptions, key_values: bool = False, detecting: bool = False) -> Entity:
    """An entity from NGSI-LD concise or (``key_values``) keyValues/simplified payload.

    With ``key_values`` and ``detecting``, an attribute only concise form explains
    (a ``value``/``object``/``languageMap``... member or an LD attribute type)
    raises `NotNormalizedError` so that the caller reads the payload as concise.
    """
    eid, etype, warnings = entity_head(payload, "NGSI-LD")
    entity, attrs = new_entity(eid, etype, warnings)
    geo: list[tuple[str, Any]] = []
    modified = None
    for name, raw in payload.items():
        if name in _ENTITY_MEMBERS:
            continue
        if name == "modifiedAt" and type(raw) is str:
            modified = parse_datetime(raw)
            continue
        tr = type(raw)
        if tr is str:
            if len(raw) >= 16 and raw[10] == "T":  # cheap pre-check before trying a date
                raw = maybe_datetime(raw)
            attrs[name] = Attribute(name, raw, None if key_values else "Property")
            continue
        if tr is not dict:
            attrs[name] = Attribute(name, raw, None if key_values else "Property")
            continue
        if "@value" in raw:  # a JSON-LD typed value, usually {"@type": "DateTime", "@value": ...}
            value = typed_datetime(raw)
            if type(value) is str:
                _check_typed_date(name, raw, warnings)
            attrs[name] = Attribute(name, value, None if key_values else "Property")
            continue
        if looks_like_geojson(raw):
            geo.append((name, raw))
            attrs[name] = Attribute(name, raw, None if key_values else "GeoProperty")
            continue
        if detecting and (raw.get("type") in _CONCISE_HINTS or not _CONCISE_KEYS.isdisjoint(raw)):
            raise NotNormalizedError
        if not key_values:
            atype = raw.get("type")
            if type(atype) is str and atype in LD_ATTRIBUTE_TYPES:
                attrs[name] = _attribute(eid, name, raw, atype, geo, options, warnings)
                continue
            found = None
            for member, kind in _CONCISE_MEMBER:
                if member in raw:
                    found = kind
                    break
            if found is not None:
                if atype is not None:
                    raise InvalidEntityError(
                        eid,
                        f"attribute {name!r} has type {atype!r:.40}, which is not an NGSI-LD attribute type "
                        "(Property, GeoProperty, Relationship, LanguageProperty...)",
                    )
                attrs[name] = _attribute(eid, name, raw, found, geo, options, warnings)
                continue
        attrs[name] = Attribute(name, typed_datetime(raw), None if key_values else "Property")
    finish(entity, geo, options)
    if modified is not None and entity.modified_at is None:
        entity.modified_at = modified
    return entity
