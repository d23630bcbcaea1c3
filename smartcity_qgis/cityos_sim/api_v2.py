"""The NGSI-v2 API (Orion's URLs, parameters, options, headers, status codes and error texts)."""

from __future__ import annotations

import re
from typing import Any

from smartcity_qgis.cityos_sim import api_v2_common as common
from smartcity_qgis.cityos_sim import api_v2_write as write
from smartcity_qgis.cityos_sim import geo as geoq
from smartcity_qgis.cityos_sim.api_context import SimContext
from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response
from smartcity_qgis.cityos_sim.model import EntityRecord
from smartcity_qgis.cityos_sim.query import Predicate, QueryError, compile_mq_v2, compile_q_v2
from smartcity_qgis.cityos_sim.render import dumps, v2_entity, v2_fragment, v2_metadata
from smartcity_qgis.cityos_sim.search import find
from smartcity_qgis.cityos_sim.store import TenantStore


def handle(sim: SimContext, req: Request) -> Response:
    seg = req.segments[1:]  # after "v2"
    m = req.method
    common.check_uri(req)
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
        return _entities(sim, req, seg)
    if head == "types":
        if m != "GET":
            return _not_allowed()
        return list_types(sim, req) if len(seg) == 1 else get_type(sim, req, seg[1])
    if head == "subscriptions":
        return sim.subs.handle_v2(req, common.tenant(sim, req), seg[1] if len(seg) > 1 else None)
    if head == "op" and len(seg) == 2 and seg[1] in ("update", "query", "notify"):
        if m != "POST":
            return _not_allowed()
        if seg[1] == "update":
            return write.batch_update(sim, req)
        if seg[1] == "query":
            return batch_query(sim, req)
        raise ApiError(501, "notifications to the broker (POST /v2/op/notify) are not served", "NotImplemented")
    if head == "registrations":
        return registrations(sim, req, seg[1] if len(seg) > 1 else None)
    raise ApiError(400, f"service '{req.path}' not found")


def _entities(sim: SimContext, req: Request, seg: list[str]) -> Response:
    m = req.method
    if len(seg) == 1:
        return {"GET": list_entities, "POST": write.create_entity}.get(m, _not_allowed)(sim, req)
    eid = seg[1]
    if len(seg) == 2:
        return {"GET": get_entity, "DELETE": write.delete_entity}.get(m, _not_allowed)(sim, req, eid)
    if seg[2] == "attrs" and len(seg) == 3:
        if m == "GET":
            return get_entity(sim, req, eid, attrs_only=True)
        if m in ("POST", "PATCH", "PUT"):
            return write.write_attrs(sim, req, eid, m)
        return _not_allowed()
    if seg[2] == "attrs" and len(seg) == 4:
        if m == "GET":
            return get_attr(sim, req, eid, seg[3], value_only=False)
        if m == "PUT":
            return write.put_attr(sim, req, eid, seg[3], value_only=False)
        if m == "DELETE":
            return write.delete_attr(sim, req, eid, seg[3])
        return _not_allowed()
    if seg[2] == "attrs" and len(seg) == 5 and seg[4] == "value":
        if m == "GET":
            return get_attr(sim, req, eid, seg[3], value_only=True)
        if m == "PUT":
            return write.put_attr(sim, req, eid, seg[3], value_only=True)
        return _not_allowed()
    raise ApiError(400, f"service '{req.path}' not found")


def _not_allowed(*_args: Any) -> Response:
    raise ApiError(405, "method not allowed", "MethodNotAllowed")


# ---------------------------------------------------------------- entities


def _filters(q: str | None, mq: str | None) -> list[Predicate]:
    out = []
    try:
        if q:
            out.append(compile_q_v2(q))
        if mq:
            out.append(compile_mq_v2(mq))
    except QueryError as exc:
        raise ApiError(400, str(exc)) from exc
    return out


def _geo(georel: str | None, geometry: str | None, coords: str | None) -> geoq.GeoFilter | None:
    try:
        return geoq.parse_v2(georel, geometry, coords)
    except geoq.GeoQueryError as exc:
        raise ApiError(400, str(exc)) from exc


def list_entities(sim: SimContext, req: Request) -> Response:
    store = common.tenant(sim, req)
    paths = common.paths(req, True)
    mode = common.mode(req)
    limit, offset = req.paging("v2")
    if req.shift_page and offset:
        offset = max(0, offset - max(1, limit // 4))
    p = req.params
    geo = _geo(p.get("georel"), p.get("geometry"), p.get("coords"))
    q = _filters(p.get("q"), p.get("mq"))
    ids = req.csv("id")
    if ids is not None and p.get("idPattern"):
        raise ApiError(400, "Incompatible parameters: id, IdPattern")
    types = req.csv("type")
    if types is not None and p.get("typePattern"):
        raise ApiError(400, "Incompatible parameters: type, typePattern")
    query = _Query(ids, p.get("idPattern"), types, p.get("typePattern"), paths, q, geo)
    # One request reads one state of the store: no change lands between choosing and rendering a page.
    with store.lock:
        return _page(store, req, query, req.csv("attrs"), req.csv("metadata"), limit, offset, mode)


class _Query:
    """What selects entities: ids, types, service paths, q / mq predicates, geo-query."""

    def __init__(
        self,
        ids: list[str] | None,
        id_pattern: str | None,
        types: list[str] | None,
        type_pattern: str | None,
        paths: list[str],
        q: list[Predicate],
        geo: geoq.GeoFilter | None,
    ) -> None:
        self.ids, self.id_pattern, self.types, self.type_pattern = ids, id_pattern, types, type_pattern
        self.paths, self.q, self.geo = paths, q, geo


def _page(
    store: TenantStore,
    req: Request,
    query: _Query,
    attrs: list[str] | None,
    metadata: list[str] | None,
    limit: int,
    offset: int,
    mode: str,
) -> Response:
    opts = req.options()
    try:
        page, total = find(
            store,
            ids=query.ids,
            id_pattern=query.id_pattern,
            types=query.types,
            type_pattern=query.type_pattern,
            paths=query.paths,
            q=query.q,
            geo=query.geo,
            order_by=req.csv("orderBy"),
            offset=offset,
            limit=limit,
            count="count" in opts,
        )
    except re.error as exc:
        raise ApiError(400, f"invalid pattern: {exc}") from exc
    attrs = _with_builtins(attrs, opts)
    headers = {"Fiware-Total-Count": str(total)} if total is not None else {}
    if mode == "unique":  # options=unique: the rows of values, each once (Orion's "unique values")
        rows: list[Any] = []
        for r in page:
            row = v2_entity(r, "values", attrs)
            if row not in rows:
                rows.append(row)
        return Response.json(rows, headers=headers)
    body = "[" + ",".join(v2_fragment(r, mode, attrs, store.lock, metadata) for r in page) + "]"
    return Response.json(body, headers=headers)


def _with_builtins(attrs: list[str] | None, opts: set[str]) -> list[str] | None:
    """The deprecated ``options=dateCreated|dateModified``: the built-in attribute added to the others."""
    extra = [n for n in ("dateCreated", "dateModified") if n in opts]
    if not extra:
        return attrs
    names = list(attrs or ["*"])
    return names + [n for n in extra if n not in names]


def get_entity(sim: SimContext, req: Request, eid: str, attrs_only: bool = False) -> Response:
    _, rec = common.record(sim, req, eid)
    mode = common.mode(req)
    attrs = _with_builtins(req.csv("attrs"), req.options())
    body = v2_entity(rec, "values" if mode == "unique" else mode, attrs, req.csv("metadata"))
    if attrs_only and isinstance(body, dict):
        body.pop("id")
        body.pop("type")
    return Response.json(body)


def get_attr(sim: SimContext, req: Request, eid: str, name: str, value_only: bool) -> Response:
    _, rec = common.record(sim, req, eid)
    common.options(req)
    attr = rec.attrs.get(name)
    if attr is None:
        raise ApiError(404, common.ATTR_NOT_FOUND, "NotFound")
    if value_only:
        return Response.json(dumps(attr.value))
    return Response.json({"type": attr.type, "value": attr.value, "metadata": v2_metadata(attr, req.csv("metadata"))})


def batch_query(sim: SimContext, req: Request) -> Response:
    """``POST /v2/op/query``: entities (id / idPattern and type / typePattern, OR-ed), attrs, expression."""
    store = common.tenant(sim, req)
    paths = common.paths(req, True)
    mode = common.mode(req)
    limit, offset = req.paging("v2")
    body = req.json_body("v2")
    if not isinstance(body, dict):
        raise ApiError(400, "Errors found in incoming JSON buffer", "ParseError")
    if not body:
        raise ApiError(400, "empty payload")
    unknown = set(body) - {"entities", "attrs", "expression", "metadata"}
    if unknown:
        raise ApiError(400, f"Invalid JSON payload: unrecognized field /{sorted(unknown)[0]}/")
    selectors = body.get("entities") or []
    if not isinstance(selectors, list) or not all(isinstance(s, dict) for s in selectors):
        raise ApiError(400, "Invalid JSON payload: /entities/ must be a JSON array of objects")
    expr = body.get("expression") or {}
    if not isinstance(expr, dict):
        raise ApiError(400, "Invalid JSON payload: /expression/ must be a JSON object")
    q = _filters(expr.get("q"), expr.get("mq"))
    geo = _geo(expr.get("georel"), expr.get("geometry"), expr.get("coords"))
    if selectors:
        q.append(_selector_predicate(selectors))
    attrs = body.get("attrs") or None
    metadata = body.get("metadata") or None
    for names in (attrs, metadata):
        if names is not None and (not isinstance(names, list) or not all(isinstance(n, str) for n in names)):
            raise ApiError(400, "Invalid JSON payload: /attrs/ and /metadata/ must be arrays of strings")
    query = _Query(None, None, None, None, paths, q, geo)
    with store.lock:
        return _page(store, req, query, attrs, metadata, limit, offset, mode)


def _selector_predicate(selectors: list[dict]) -> Predicate:
    compiled = []
    for sel in selectors:
        if "id" in sel and "idPattern" in sel:
            raise ApiError(400, "Incompatible parameters: id, IdPattern")
        if "type" in sel and "typePattern" in sel:
            raise ApiError(400, "Incompatible parameters: type, typePattern")
        try:
            id_rx = re.compile(sel["idPattern"]) if "idPattern" in sel else None
            type_rx = re.compile(sel["typePattern"]) if "typePattern" in sel else None
        except (re.error, TypeError) as exc:
            raise ApiError(400, "Invalid regex for entity idPattern") from exc
        compiled.append((sel.get("id"), id_rx, sel.get("type"), type_rx))

    def matches(rec: EntityRecord) -> bool:
        for eid, id_rx, etype, type_rx in compiled:
            if eid is not None and rec.id != eid:
                continue
            if id_rx is not None and not id_rx.search(rec.id):
                continue
            if etype is not None and rec.type != etype:
                continue
            if type_rx is not None and not type_rx.search(rec.type):
                continue
            return True
        return False

    return matches


# ---------------------------------------------------------------- types and registrations


def list_types(sim: SimContext, req: Request) -> Response:
    store = common.tenant(sim, req)
    summary = store.type_summary(common.paths(req, True))
    limit, offset = req.paging("v2")
    names = sorted(summary)
    page = names[offset : offset + limit]
    opts = common.options(req)
    headers = {"Fiware-Total-Count": str(len(names))} if "count" in opts else {}
    if "values" in opts:
        return Response.json(page, headers=headers)
    if "noAttrDetail" in opts:
        body = [{"type": n, "attrs": {a: {} for a in summary[n]["attrs"]}, "count": summary[n]["count"]} for n in page]
        return Response.json(body, headers=headers)
    body = [
        {"type": n, "attrs": {a: {"types": t} for a, t in summary[n]["attrs"].items()}, "count": summary[n]["count"]}
        for n in page
    ]
    return Response.json(body, headers=headers)


def get_type(sim: SimContext, req: Request, name: str) -> Response:
    store = common.tenant(sim, req)
    common.options(req)
    info = store.type_summary(common.paths(req, True)).get(name)
    if info is None:
        raise ApiError(404, "Entity type not found", "NotFound")
    return Response.json({"attrs": {a: {"types": t} for a, t in info["attrs"].items()}, "count": info["count"]})


def registrations(sim: SimContext, req: Request, reg_id: str | None) -> Response:
    """Registrations are read-only here: the list (empty, with its count) and 404 for any id."""
    common.tenant(sim, req)
    if req.method == "GET":
        opts = common.options(req)
        req.paging("v2")
        if reg_id is not None:
            raise ApiError(404, "The requested registration has not been found. Check id", "NotFound")
        return Response.json([], headers={"Fiware-Total-Count": "0"} if "count" in opts else {})
    if req.method in ("POST", "PATCH", "DELETE") and (reg_id is None) == (req.method == "POST"):
        raise ApiError(501, "context provider registrations are read-only in the embedded city OS", "NotImplemented")
    return _not_allowed()
