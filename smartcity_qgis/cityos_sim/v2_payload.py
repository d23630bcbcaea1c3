"""NGSI-v2 request bodies into stored attributes and entities, under Orion's rules (`orion_rules`)."""

from __future__ import annotations

from typing import Any

from smartcity_qgis.cityos_sim.model import (
    GEO_TYPES,
    Attr,
    EntityRecord,
    PayloadError,
    geometry_of,
    infer_type,
    parse_time,
)
from smartcity_qgis.cityos_sim.orion_rules import check_id_field, check_metadata, check_value

# Orion's text for a DateTime value it cannot read (attribute or metadata).
BAD_DATE = "date has invalid format"


def attr_from_v2(name: str, body: Any, key_values: bool, now: float) -> Attr:
    """One attribute of a v2 request body (normalized or keyValues)."""
    check_id_field(name, "attribute name")
    if key_values:
        body = {"value": body}
    elif not isinstance(body, dict):
        raise PayloadError("attribute must be a JSON object, unless keyValues option is used")
    value = body.get("value")
    atype = body.get("type") or infer_type(value)
    check_id_field(atype, "attribute type")
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise PayloadError("metadata must be a JSON object")
    if atype not in GEO_TYPES:  # GeoJSON has no strings Orion would refuse; legacy geo: values are checked below
        check_value(value)
    meta: dict[str, dict] | None = None
    if metadata:
        check_metadata(metadata)
        meta = {}
        for mname, mbody in metadata.items():
            if not isinstance(mbody, dict):
                mbody = {"value": mbody}
            mval = mbody.get("value")
            mtype = mbody.get("type") or infer_type(mval)
            if mtype == "DateTime":
                _check_date(mval)
            meta[mname] = {"type": mtype, "value": mval}
    if atype in GEO_TYPES:
        geometry_of(atype, value)
    if atype == "DateTime":
        _check_date(value)
    observed = None
    if isinstance(meta, dict) and "dateObserved" in meta:
        try:
            observed = parse_time(str(meta["dateObserved"]["value"]))
        except ValueError:
            observed = None
    return Attr(atype, value, meta, observed, now)


def _check_date(value: Any) -> None:
    if not isinstance(value, str):
        raise PayloadError(BAD_DATE)
    try:
        parse_time(value)
    except ValueError as exc:
        raise PayloadError(BAD_DATE) from exc


def entity_from_v2(body: Any, key_values: bool, path: str, now: float) -> EntityRecord:
    """A new entity from a POST /v2/entities body (or one entity of a batch)."""
    if not isinstance(body, dict):
        raise PayloadError("Errors found in incoming JSON buffer")
    if "id" not in body:
        raise PayloadError("entity id length: 0, min length supported: 1")
    eid = check_id_field(body["id"], "entity id")
    etype = check_id_field(body.get("type", "Thing"), "entity type")
    attrs = {k: attr_from_v2(k, v, key_values, now) for k, v in body.items() if k not in ("id", "type")}
    return EntityRecord(eid, etype, path, attrs, now)
