"""The NGSI-v2 API (Orion's URLs, parameters, headers, status codes and error texts)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from smartcity_qgis.cityos_sim import geo as geoq
from smartcity_qgis.cityos_sim.api_context import SimContext
from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response
from smartcity_qgis.cityos_sim.model import PayloadError, attr_from_v2, entity_from_v2
from smartcity_qgis.cityos_sim.query import QueryError, compile_mq_v2, compile_q_v2
from smartcity_qgis.cityos_sim.render import dumps, v2_entity, v2_fragment, v2_metadata
from smartcity_qgis.cityos_sim.search import find
from smartcity_qgis.cityos_sim.store import PathError, TenantStore, parse_service_paths, path_matches

NOT_FOUND = "The requested entity has not been found. Check type and id"


def _tenant(sim: SimContext, req: Request) -> TenantStore:
    try:
        return sim.store.tenant(req.header("fiware-service"))
    except PathError as exc:
        raise ApiError(400, str(exc)) from exc


def _paths(req: Request, for_query: bool) -> list[str]:
    try:
        return parse_service_paths(req.header("fiware-servicepath"), for_query)
    except PathError as exc:
        raise ApiError(400, str(exc)) from exc


def _write_scope(req: Request) -> list[str]:
    """Service paths an update or delete may touch: the one named, or any when none is named."""
    return _paths(req, False) if req.header("fiware-servicepath") else ["/#"]


def _mode(req: Request) -> str:
    opts = req.options()
    unknown = opts - {"count", "keyValues", "values", "unique", "upsert", "append", "sysAttrs", "skipForwarding"}
    if unknown:
        raise ApiError(400, f"Invalid value for URI param /options/: {sorted(unknown)[0]}")
    if "keyValues" in opts:
        return "keyValues"
    if "values" in opts or "unique" in opts:
        return "values"
    return "normalized"


def _record(sim: SimContext, req: Request, eid: str) -> tuple[TenantStore, Any]:
    store = _tenant(sim, req)
    rec = store.get(eid)
    etype = req.params.get("type")
    if rec is None or (etype and rec.type != etype) or not path_matches(rec.path, _paths(req, True)):
        raise ApiError(404, NOT_FOUND)
    return store, rec


def _payload_error(exc: PayloadError) -> ApiError:
    return ApiError(400, str(exc))


def handle(sim: SimContext, req: Request) -> Response:
    seg = req.segments[1:]  # after "v2"
    m = req.method
    if not seg:
        return Response.json(
            {
                "entities_url": "/v2/entities",
                "types_url": "/v2/types",
                "subscriptions_url": "/v2/subscriptions",
                "registrations_url": "/v2/registrations",
            }
        )
    head = seg[0]
    if head == "entities":
        if len(seg) == 1:
            return {"GET": list_entities, "POST": create_entity}.get(m, _not_allowed)(sim, req)
        eid = seg[1]
        if len(seg) == 2:
            return {"GET": get_entity, "DELETE": delete_entity}.get(m, _not_allowed)(sim, req, eid)
        if seg[2] == "attrs" and len(seg) == 3:
            if m == "GET":
                return get_entity(sim, req, eid, attrs_only=True)
            if m in ("POST", "PATCH", "PUT"):
                return write_attrs(sim, req, eid, m)
        if seg[2] == "attrs" and len(seg) in (4, 5):
            return single_attr(sim, req, eid, seg[3], value_only=len(seg) == 5 and seg[4] == "value")
        raise ApiError(400, f"service '{req.path}' not found")
    if head == "types":
        if m != "GET":
            return _not_allowed(sim, req)
        return list_types(sim, req) if len(seg) == 1 else get_type(sim, req, seg[1])
    if head == "subscriptions":
        return sim.subs.handle_v2(req, _tenant(sim, req), seg[1] if len(seg) > 1 else None)
    if head == "op" and len(seg) == 2 and seg[1] == "update" and m == "POST":
        return batch_update(sim, req)
    if head == "registrations" and m == "GET":
        return Response.json([])
    raise ApiError(400, f"service '{req.path}' not found")


def _not_allowed(*_args: Any) -> Response:
    raise ApiError(405, "method not allowed")


# ---------------------------------------------------------------- entities


def list_entities(sim: SimContext, req: Request) -> Response:
    store = _tenant(sim, req)
    paths = _paths(req, True)
    mode = _mode(req)
    limit, offset = req.paging("v2")
    if req.shift_page and offset:
        offset = max(0, offset - max(1, limit // 4))
    try:
        geo = geoq.parse_v2(req.params.get("georel"), req.params.get("geometry"), req.params.get("coords"))
    except geoq.GeoQueryError as exc:
        raise ApiError(400, str(exc)) from exc
    q = []
    try:
        if req.params.get("q"):
            q.append(compile_q_v2(req.params["q"]))
        if req.params.get("mq"):
            q.append(compile_mq_v2(req.params["mq"]))
    except QueryError as exc:
        raise ApiError(400, str(exc)) from exc
    ids = req.csv("id")
    if ids is not None and req.params.get("idPattern"):
        raise ApiError(400, "Incompatible parameters: id, IdPattern")
    types = req.csv("type")
    if types is not None and req.params.get("typePattern"):
        raise ApiError(400, "Incompatible parameters: type, typePattern")
    # One request reads one state of the store: no change lands between choosing and rendering a page.
    with store.lock:
        return _list_page(store, req, ids, types, paths, q, geo, limit, offset, mode)


def _list_page(
    store: TenantStore,
    req: Request,
    ids: list[str] | None,
    types: list[str] | None,
    paths: list[str],
    q: list,
    geo: Any,
    limit: int,
    offset: int,
    mode: str,
) -> Response:
    try:
        page, total = find(
            store,
            ids=ids,
            id_pattern=req.params.get("idPattern"),
            types=types,
            type_pattern=req.params.get("typePattern"),
            paths=paths,
            q=q,
            geo=geo,
            order_by=req.csv("orderBy"),
            offset=offset,
            limit=limit,
            count="count" in req.options(),
        )
    except Exception as exc:  # a bad regular expression in idPattern / typePattern
        if isinstance(exc, ApiError):
            raise
        raise ApiError(400, f"invalid pattern: {exc}") from exc
    attrs = req.csv("attrs")
    metadata = req.csv("metadata")
    body = "[" + ",".join(v2_fragment(r, mode, attrs, store.lock, metadata) for r in page) + "]"
    headers = {"Fiware-Total-Count": str(total)} if total is not None else {}
    return Response.json(body, headers=headers)


def get_entity(sim: SimContext, req: Request, eid: str, attrs_only: bool = False) -> Response:
    _, rec = _record(sim, req, eid)
    mode = _mode(req)
    body = v2_entity(rec, mode, req.csv("attrs"), req.csv("metadata"))
    if attrs_only and isinstance(body, dict):
        body.pop("id")
        body.pop("type")
    return Response.json(body)


def create_entity(sim: SimContext, req: Request) -> Response:
    store = _tenant(sim, req)
    path = _paths(req, False)[0]
    body = req.json_body("v2")
    opts = req.options()
    try:
        rec = entity_from_v2(body, "keyValues" in opts, path, sim.now())
    except PayloadError as exc:
        raise _payload_error(exc) from exc
    with store.lock:
        existing = store.get(rec.id)
        if existing is not None:
            if "upsert" not in opts:
                raise ApiError(422, "Already Exists", "Unprocessable")
            store.update(existing, rec.attrs, sim.now())
            return Response.empty(204)
        store.add(rec)
    return Response.empty(201, {"Location": f"/v2/entities/{quote(rec.id, safe=':')}?type={quote(rec.type)}"})


def delete_entity(sim: SimContext, req: Request, eid: str) -> Response:
    store = _tenant(sim, req)
    rec = store.get(eid)
    etype = req.params.get("type")
    if rec is None or (etype and rec.type != etype) or not path_matches(rec.path, _write_scope(req)):
        raise ApiError(404, NOT_FOUND)
    store.delete(rec)
    return Response.empty(204)


def _parse_attrs(req: Request, body: Any, key_values: bool) -> dict:
    if not isinstance(body, dict):
        raise ApiError(400, "Errors found in incoming JSON buffer", "ParseError")
    if "id" in body or "type" in body:
        raise ApiError(
            400,
            "attribute must be a JSON object, unless keyValues option is used"
            if "id" not in body
            else "Invalid JSON payload: id not allowed here",
        )
    try:
        return {k: attr_from_v2(k, v, key_values, 0.0) for k, v in body.items()}
    except PayloadError as exc:
        raise _payload_error(exc) from exc


def write_attrs(sim: SimContext, req: Request, eid: str, method: str) -> Response:
    store = _tenant(sim, req)
    rec = store.get(eid)
    etype = req.params.get("type")
    if rec is None or (etype and rec.type != etype) or not path_matches(rec.path, _write_scope(req)):
        raise ApiError(404, NOT_FOUND)
    attrs = _parse_attrs(req, req.json_body("v2"), "keyValues" in req.options())
    now = sim.now()
    for attr in attrs.values():
        attr.modified = now
    if method == "PATCH":
        missing = [a for a in attrs if a not in rec.attrs]
        if missing:
            raise ApiError(422, f"do not exist: {eid} - [ {', '.join(missing)} ]", "Unprocessable")
    if method == "POST" and "append" in req.options():
        present = [a for a in attrs if a in rec.attrs]
        if present:
            raise ApiError(
                422,
                f"one or more of the attributes in the request already exist: {eid} - [ {', '.join(present)} ]",
                "Unprocessable",
            )
    store.update(rec, attrs, now, replace=method == "PUT")
    return Response.empty(204)


def single_attr(sim: SimContext, req: Request, eid: str, name: str, value_only: bool) -> Response:
    store, rec = _record(sim, req, eid)
    attr = rec.attrs.get(name)
    if req.method == "GET":
        if attr is None:
            raise ApiError(404, "The entity does not have such an attribute")
        if value_only:
            return Response.json(dumps(attr.value))
        return Response.json(
            {"type": attr.type, "value": attr.value, "metadata": v2_metadata(attr, req.csv("metadata"))}
        )
    if req.method == "DELETE" and not value_only:
        if attr is None:
            raise ApiError(404, "The entity does not have such an attribute")
        store.remove_attrs(rec, [name], sim.now())
        return Response.empty(204)
    if req.method == "PUT":
        if attr is None:
            raise ApiError(404, "The entity does not have such an attribute")
        body = req.json_body("v2") if not value_only else _raw_value(req)
        try:
            new = attr_from_v2(
                name,
                {"type": attr.type, "value": body, "metadata": attr.metadata or {}} if value_only else body,
                False,
                sim.now(),
            )
        except PayloadError as exc:
            raise _payload_error(exc) from exc
        store.update(rec, {name: new}, sim.now())
        return Response.empty(204)
    return _not_allowed()


def _raw_value(req: Request) -> Any:
    ctype = (req.header("content-type") or "").split(";")[0].strip()
    text = req.body.decode("utf-8", "replace")
    if ctype == "text/plain":
        try:
            return float(text) if "." in text else int(text)
        except ValueError:
            return {"true": True, "false": False, "null": None}.get(text, text.strip('"'))
    return req.json_body("v2")


def batch_update(sim: SimContext, req: Request) -> Response:
    store = _tenant(sim, req)
    path = _paths(req, False)[0]
    body = req.json_body("v2")
    if not isinstance(body, dict) or not isinstance(body.get("entities"), list):
        raise ApiError(400, "Invalid JSON payload: entities array expected")
    action = body.get("actionType")
    kv = "keyValues" in req.options()
    now = sim.now()
    if action not in ("append", "appendStrict", "update", "replace", "delete"):
        raise ApiError(400, f"invalid update action type: {action!r}")
    for item in body["entities"]:
        try:
            rec = entity_from_v2(item, kv, path, now)
        except PayloadError as exc:
            raise _payload_error(exc) from exc
        existing = store.get(rec.id)
        if action == "delete":
            if existing is None:
                raise ApiError(404, NOT_FOUND)
            if rec.attrs:
                store.remove_attrs(existing, list(rec.attrs), now)
            else:
                store.delete(existing)
        elif existing is None:
            if action in ("update", "replace"):
                raise ApiError(404, NOT_FOUND)
            store.add(rec)
        elif action == "appendStrict" and any(a in existing.attrs for a in rec.attrs):
            raise ApiError(
                422, f"one or more of the attributes in the request already exist: {rec.id}", "Unprocessable"
            )
        else:
            store.update(existing, rec.attrs, now, replace=action == "replace")
    return Response.empty(204)


# ---------------------------------------------------------------- types


def list_types(sim: SimContext, req: Request) -> Response:
    store = _tenant(sim, req)
    summary = store.type_summary(_paths(req, True))
    limit, offset = req.paging("v2")
    names = sorted(summary)
    page = names[offset : offset + limit]
    opts = req.options()
    headers = {"Fiware-Total-Count": str(len(names))} if "count" in opts else {}
    if "values" in opts:
        return Response.json(page, headers=headers)
    body = [
        {"type": n, "attrs": {a: {"types": t} for a, t in summary[n]["attrs"].items()}, "count": summary[n]["count"]}
        for n in page
    ]
    return Response.json(body, headers=headers)


def get_type(sim: SimContext, req: Request, name: str) -> Response:
    store = _tenant(sim, req)
    info = store.type_summary(_paths(req, True)).get(name)
    if info is None:
        raise ApiError(404, "Entity type not found")
    return Response.json({"attrs": {a: {"types": t} for a, t in info["attrs"].items()}, "count": info["count"]})
