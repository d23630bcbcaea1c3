"""Stored entities as NGSI-v2 and NGSI-LD JSON, with per-entity fragments cached until the entity changes."""

from __future__ import annotations

import json
from typing import Any

from smartcity_qgis.cityos_sim.ld_names import CORE_NAMES, LdNames
from smartcity_qgis.cityos_sim.model import GEO_TYPES, Attr, EntityRecord, as_geojson, iso


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------- NGSI-v2


def v2_metadata(attr: Attr, wanted: list[str] | None = None) -> dict:
    """An attribute's metadata as Orion renders it for the ``metadata`` URI parameter.

    ``None``: the user metadata. Otherwise only the names listed; ``*`` stands for all user
    metadata, and the built-in ``dateModified`` appears only when named.
    """
    user = attr.metadata or {}
    if wanted is None:
        return dict(user)
    out = dict(user) if "*" in wanted else {}
    for name in wanted:
        if name == "*" or name in out:
            continue
        if name in user:
            out[name] = user[name]
        elif name == "dateModified" and attr.modified:
            out[name] = {"type": "DateTime", "value": iso(attr.modified)}
    return out


def _v2_attr(attr: Attr, metadata: list[str] | None = None) -> dict:
    return {"type": attr.type, "value": attr.value, "metadata": v2_metadata(attr, metadata)}


def v2_special(rec: EntityRecord, name: str) -> Attr | None:
    if name == "dateCreated":
        return Attr("DateTime", iso(rec.created))
    if name == "dateModified":
        return Attr("DateTime", iso(rec.modified))
    return None


def _selected(rec: EntityRecord, attrs: list[str] | None) -> list[tuple[str, Attr]]:
    if attrs is None:
        return list(rec.attrs.items())  # a snapshot: updates may run meanwhile
    out = []
    want_all = "*" in attrs
    if want_all:
        out.extend(rec.attrs.items())
    for name in attrs:
        if name == "*":
            continue
        attr = rec.attrs.get(name) if not want_all else None
        if attr is None:
            attr = v2_special(rec, name)
        if attr is not None:
            out.append((name, attr))
    return out


def v2_entity(
    rec: EntityRecord, mode: str = "normalized", attrs: list[str] | None = None, metadata: list[str] | None = None
) -> Any:
    """mode: normalized | keyValues | values (values: list of values in ``attrs`` order).

    ``metadata`` (normalized only): the metadata names to keep in each attribute (see ``v2_metadata``).
    """
    selected = _selected(rec, attrs)
    if mode == "values":
        return [a.value for _, a in selected]
    out: dict[str, Any] = {"id": rec.id, "type": rec.type}
    for name, attr in selected:
        out[name] = attr.value if mode == "keyValues" else _v2_attr(attr, metadata)
    return out


def v2_fragment(
    rec: EntityRecord, mode: str, attrs: list[str] | None, lock: Any, metadata: list[str] | None = None
) -> str:
    """The JSON text of one entity; cached when the whole entity is asked for with its user metadata."""
    if attrs is not None or (metadata is not None and mode == "normalized"):
        return dumps(v2_entity(rec, mode, attrs, metadata))
    key = "v2" + mode
    cache = rec.cache
    if cache is not None:
        text = cache.get(key)
        if text is not None:
            return text
    with lock:  # the store's lock: no update may slip between rendering and caching
        text = dumps(v2_entity(rec, mode))
        if rec.cache is None:
            rec.cache = {}
        rec.cache[key] = text
    return text


# ---------------------------------------------------------------- NGSI-LD


def _ld_value(attr: Attr) -> Any:
    if attr.type in GEO_TYPES:
        return as_geojson(attr)
    if attr.type == "DateTime":
        return {"@type": "DateTime", "@value": attr.value}
    return attr.value


def _ld_attr(attr: Attr, fmt: str, sys_attrs: bool = False, names: LdNames = CORE_NAMES) -> Any:
    if fmt == "keyValues":
        return _ld_value(attr)
    if attr.type == "Relationship":
        body: dict[str, Any] = {"type": "Relationship", "object": attr.value}
    elif attr.type == "LanguageProperty":
        body = {"type": "LanguageProperty", "languageMap": attr.value}
    elif attr.type in GEO_TYPES:
        body = {"type": "GeoProperty", "value": _ld_value(attr)}
    else:
        body = {"type": "Property", "value": _ld_value(attr)}
    if attr.observed_at is not None:
        body["observedAt"] = iso(attr.observed_at)
    if sys_attrs and attr.modified:
        body["modifiedAt"] = iso(attr.modified)
    for mname, meta in (attr.metadata or {}).items():
        if mname == "unitCode":
            body["unitCode"] = meta.get("value")
        elif mname != "dateObserved":
            body[names.shown(mname)] = {"type": "Property", "value": meta.get("value")}
    if fmt == "concise":
        kind = body.pop("type")
        if list(body) == ["value"] and (kind == "GeoProperty" or not isinstance(body["value"], dict)):
            return body["value"]  # a bare GeoJSON still reads as a GeoProperty
    return body


def ld_entity(
    rec: EntityRecord,
    fmt: str = "normalized",
    attrs: list[str] | None = None,
    context: bool = False,
    sys_attrs: bool = False,
    names: LdNames = CORE_NAMES,
) -> dict:
    """fmt: normalized | concise | keyValues. ``context`` adds ``@context`` (application/ld+json).

    ``sys_attrs`` (``options=sysAttrs``) adds the system attributes: the entity's ``createdAt`` and
    ``modifiedAt``, and each attribute's ``modifiedAt`` (normalized and concise forms). ``names``
    compacts the type and the attribute names with the request's @context.
    """
    shown = names.shown
    out: dict[str, Any] = {"id": rec.id, "type": shown(rec.type)}
    if sys_attrs:
        out["createdAt"], out["modifiedAt"] = iso(rec.created), iso(rec.modified)
    for name, attr in list(rec.attrs.items()):
        if attrs is None or name in attrs:
            out[shown(name)] = _ld_attr(attr, fmt, sys_attrs, names)
    if context:
        out["@context"] = names.context_value()
    return out


def ld_fragment(
    rec: EntityRecord,
    fmt: str,
    attrs: list[str] | None,
    context: bool,
    lock: Any,
    sys_attrs: bool = False,
    names: LdNames = CORE_NAMES,
) -> str:
    """The JSON text of one entity; cached when the whole entity is asked for under the core context."""
    if attrs is not None or not names.core_only:
        return dumps(ld_entity(rec, fmt, attrs, context, sys_attrs, names))
    key = f"ld{fmt}{int(context)}{int(sys_attrs)}"
    cache = rec.cache
    if cache is not None:
        text = cache.get(key)
        if text is not None:
            return text
    with lock:
        text = dumps(ld_entity(rec, fmt, None, context, sys_attrs))
        if rec.cache is None:
            rec.cache = {}
        rec.cache[key] = text
    return text


def ld_feature(
    rec: EntityRecord,
    fmt: str,
    attrs: list[str] | None,
    geoproperty: str = "location",
    sys_attrs: bool = False,
    names: LdNames = CORE_NAMES,
) -> dict:
    """One entity as a GeoJSON Feature (NGSI-LD ``application/geo+json``)."""
    body = ld_entity(rec, fmt, attrs, sys_attrs=sys_attrs, names=names)
    geo = rec.attrs.get(geoproperty)
    geometry = as_geojson(geo) if geo is not None and geo.type in GEO_TYPES else None
    props = {k: v for k, v in body.items() if k != "id"}
    return {"id": rec.id, "type": "Feature", "geometry": geometry, "properties": props}


def ld_feature_collection(features: list[dict], names: LdNames = CORE_NAMES) -> str:
    return dumps({"type": "FeatureCollection", "features": features, "@context": names.context_value()})
