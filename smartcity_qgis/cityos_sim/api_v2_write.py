"""NGSI-v2 writes: create, delete, attribute updates and ``/v2/op/update``, with Orion's metadata rule.

Updating an attribute keeps the metadata the request does not name (Orion's merge), unless the
request says ``options=overrideMetadata``; replacing all attributes (PUT ``/attrs``, ``replace``)
starts them afresh. ``options=forcedUpdate`` notifies subscribers even when no value changed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from smartcity_qgis.cityos_sim import api_v2_common as common
from smartcity_qgis.cityos_sim.api_context import SimContext
from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response
from smartcity_qgis.cityos_sim.model import Attr, EntityRecord, PayloadError
from smartcity_qgis.cityos_sim.orion_rules import check_value
from smartcity_qgis.cityos_sim.store import TenantStore
from smartcity_qgis.cityos_sim.v2_payload import attr_from_v2, entity_from_v2

BATCH_ACTIONS = ("append", "appendStrict", "update", "delete", "replace")


def merge_metadata(rec: EntityRecord, attrs: dict[str, Attr], override: bool) -> dict[str, Attr]:
    """Orion's update rule: metadata not named in the request stay (unless ``overrideMetadata``)."""
    if override:
        return attrs
    for name, new in attrs.items():
        old = rec.attrs.get(name)
        if old is not None and old.metadata:
            new.metadata = {**old.metadata, **(new.metadata or {})}
            if new.observed_at is None and "dateObserved" not in (new.metadata or {}):
                new.observed_at = old.observed_at
    return attrs


def _apply(store: TenantStore, rec: EntityRecord, attrs: dict[str, Attr], now: float, opts: set[str]) -> None:
    store.update(rec, merge_metadata(rec, attrs, "overrideMetadata" in opts), now, force="forcedUpdate" in opts)


def create_entity(sim: SimContext, req: Request) -> Response:
    store = common.tenant(sim, req)
    path = common.paths(req, False)[0]
    opts = common.options(req)
    body = req.json_body("v2")
    try:
        rec = entity_from_v2(body, "keyValues" in opts, path, sim.now())
    except PayloadError as exc:
        raise common.payload_error(exc) from exc
    with store.lock:
        existing = store.get(rec.id)
        if existing is not None:
            if "upsert" not in opts:
                raise ApiError(422, "Already Exists", "Unprocessable")
            _apply(store, existing, rec.attrs, sim.now(), opts)
            return Response.empty(204)
        store.add(rec)
    return Response.empty(201, {"Location": f"/v2/entities/{quote(rec.id, safe=':')}?type={quote(rec.type)}"})


def delete_entity(sim: SimContext, req: Request, eid: str) -> Response:
    store, rec = common.record(sim, req, eid, common.write_scope(req))
    store.delete(rec)
    return Response.empty(204)


def _parse_attrs(body: Any, key_values: bool) -> dict[str, Attr]:
    if not isinstance(body, dict):
        raise ApiError(400, "Errors found in incoming JSON buffer", "ParseError")
    if "id" in body:
        raise ApiError(400, "invalid input, 'id' as attribute")
    if "type" in body:
        raise ApiError(400, "attribute must be a JSON object, unless keyValues option is used")
    try:
        return {k: attr_from_v2(k, v, key_values, 0.0) for k, v in body.items()}
    except PayloadError as exc:
        raise common.payload_error(exc) from exc


def write_attrs(sim: SimContext, req: Request, eid: str, method: str) -> Response:
    """POST (append or update), PATCH (update existing) and PUT (replace all) on ``/attrs``."""
    store, rec = common.record(sim, req, eid, common.write_scope(req))
    opts = common.options(req)
    attrs = _parse_attrs(req.json_body("v2"), "keyValues" in opts)
    now = sim.now()
    for attr in attrs.values():
        attr.modified = now
    if method == "PATCH":
        missing = [a for a in attrs if a not in rec.attrs]
        if missing:
            raise ApiError(422, f"do not exist: {eid} - [ {', '.join(missing)} ]", "Unprocessable")
    if method == "POST" and "append" in opts:
        present = [a for a in attrs if a in rec.attrs]
        if present:
            raise ApiError(
                422,
                f"one or more of the attributes in the request already exist: {eid} - [ {', '.join(present)} ]",
                "Unprocessable",
            )
    if method == "PUT":
        store.update(rec, attrs, now, replace=True, force="forcedUpdate" in opts)
    else:
        _apply(store, rec, attrs, now, opts)
    return Response.empty(204)


def put_attr(sim: SimContext, req: Request, eid: str, name: str, value_only: bool) -> Response:
    """PUT ``/attrs/{name}`` (the attribute object) or ``/attrs/{name}/value`` (its value alone)."""
    store, rec = common.record(sim, req, eid, common.write_scope(req))
    opts = common.options(req)
    attr = rec.attrs.get(name)
    if attr is None:
        raise ApiError(404, common.ATTR_NOT_FOUND, "NotFound")
    now = sim.now()
    try:
        if value_only:
            value = _raw_value(req)
            check_value(value)
            new = attr_from_v2(name, {"type": attr.type, "value": value}, False, now)
            new.metadata, new.observed_at = attr.metadata, attr.observed_at  # only the value changes
            store.update(rec, {name: new}, now, force="forcedUpdate" in opts)
            return Response.empty(204)
        body = req.json_body("v2")
        if not isinstance(body, dict):
            raise ApiError(400, "Errors found in incoming JSON buffer", "ParseError")
        new = attr_from_v2(name, body, False, now)
    except PayloadError as exc:
        raise common.payload_error(exc) from exc
    _apply(store, rec, {name: new}, now, opts)
    return Response.empty(204)


def delete_attr(sim: SimContext, req: Request, eid: str, name: str) -> Response:
    store, rec = common.record(sim, req, eid, common.write_scope(req))
    if name not in rec.attrs:
        raise ApiError(404, common.ATTR_NOT_FOUND, "NotFound")
    store.remove_attrs(rec, [name], sim.now())
    return Response.empty(204)


def _raw_value(req: Request) -> Any:
    ctype = (req.header("content-type") or "").split(";")[0].strip()
    if ctype == "text/plain":
        text = req.body.decode("utf-8", "replace")
        if text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        try:
            return float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            if len(text) >= 2 and text[0] == text[-1] == '"':
                return text[1:-1]
            raise ApiError(400, "attribute value type not recognized") from None
    return req.json_body("v2")


def batch_update(sim: SimContext, req: Request) -> Response:
    """``POST /v2/op/update``: append, appendStrict, update, delete, replace, entity by entity."""
    store = common.tenant(sim, req)
    path = common.paths(req, False)[0]
    opts = common.options(req)
    body = req.json_body("v2")
    if not isinstance(body, dict) or not isinstance(body.get("entities"), list):
        raise ApiError(400, "Invalid JSON payload: entities array expected")
    action = body.get("actionType")
    if action not in BATCH_ACTIONS:
        raise ApiError(400, "invalid update action type: right ones are: " + ", ".join(sorted(BATCH_ACTIONS)))
    if not body["entities"]:
        raise ApiError(400, "empty entities vector")
    now = sim.now()
    try:
        items = [entity_from_v2(item, "keyValues" in opts, path, now) for item in body["entities"]]
    except PayloadError as exc:
        raise common.payload_error(exc) from exc
    for rec in items:
        existing = store.get(rec.id)
        if action == "delete":
            if existing is None:
                raise ApiError(404, common.NOT_FOUND, "NotFound")
            if rec.attrs:
                store.remove_attrs(existing, list(rec.attrs), now)
            else:
                store.delete(existing)
        elif existing is None:
            if action in ("update", "replace"):
                raise ApiError(404, common.NOT_FOUND, "NotFound")
            store.add(rec)
        elif action == "appendStrict" and any(a in existing.attrs for a in rec.attrs):
            present = ", ".join(a for a in rec.attrs if a in existing.attrs)
            raise ApiError(
                422, f"one or more of the attributes in the request already exist: {rec.id} - [ {present} ]",
                "Unprocessable",
            )  # fmt: skip
        elif action == "update" and any(a not in existing.attrs for a in rec.attrs):
            missing = ", ".join(a for a in rec.attrs if a not in existing.attrs)
            raise ApiError(422, f"do not exist: {rec.id} - [ {missing} ]", "Unprocessable")
        elif action == "replace":
            store.update(existing, rec.attrs, now, replace=True, force="forcedUpdate" in opts)
        else:
            _apply(store, existing, rec.attrs, now, opts)
    return Response.empty(204)
