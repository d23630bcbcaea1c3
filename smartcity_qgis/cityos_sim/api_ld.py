"""The NGSI-LD API (ETSI GS CIM 009 as Orion-LD serves it), including the temporal API."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from smartcity_qgis.cityos_sim import geo as geoq
from smartcity_qgis.cityos_sim.api_context import SimContext
from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response
from smartcity_qgis.cityos_sim.model import (
    GEO_TYPES,
    LD_CORE_CONTEXT,
    EntityRecord,
    PayloadError,
    as_geojson,
    attr_from_ld,
    entity_from_ld,
    iso,
    parse_time,
    short_type,
)
from smartcity_qgis.cityos_sim.query import QueryError, compile_q_ld
from smartcity_qgis.cityos_sim.render import (
    dumps,
    ld_entity,
    ld_feature,
    ld_feature_collection,
    ld_fragment,
)
from smartcity_qgis.cityos_sim.search import find
from smartcity_qgis.cityos_sim.store import PathError, TenantStore

LINK = f'<{LD_CORE_CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'


def tenant_of(sim: SimContext, req: Request, create: bool) -> TenantStore:
    name = req.header("ngsild-tenant") or req.header("fiware-service")
    try:
        store = sim.store.tenant(name, create=create)
    except PathError as exc:
        raise ApiError(400, str(exc), "BadRequestData") from exc
    if store is None:
        raise ApiError(404, f"Tenant not found: {name}", "NonexistentTenant")
    return store


def _accept(req: Request) -> str:
    accept = req.header("accept") or "application/json"
    for kind in ("application/geo+json", "application/ld+json", "application/json"):
        if kind in accept:
            return kind
    if "*/*" in accept:
        return "application/json"
    raise ApiError(406, f"not acceptable: {accept}", "NotAcceptable")


def _format(req: Request) -> str:
    opts = req.options()
    fmt = req.params.get("format")
    if "keyValues" in opts or fmt in ("simplified", "keyValues"):
        return "keyValues"
    if "concise" in opts or fmt == "concise":
        return "concise"
    return "normalized"


def _json(body: Any, accept: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    extra = dict(headers or {})
    if accept == "application/json":
        extra["Link"] = LINK
    return Response.json(body, status, accept, extra)


def _record(store: TenantStore, eid: str) -> EntityRecord:
    rec = store.get(eid)
    if rec is None:
        raise ApiError(404, f"Entity not found: {eid}", "ResourceNotFound")
    return rec


def handle(sim: SimContext, req: Request) -> Response:
    seg = req.segments[2:]  # after "ngsi-ld", "v1"
    m = req.method
    if not seg:
        raise ApiError(404, f"unknown resource {req.path}", "ResourceNotFound")
    head = seg[0]
    if head == "entities":
        if len(seg) == 1:
            if m == "GET":
                return query_entities(sim, req)
            if m == "POST":
                return create_entity(sim, req)
        elif len(seg) == 2:
            if m == "GET":
                return get_entity(sim, req, seg[1])
            if m == "DELETE":
                store = tenant_of(sim, req, False)
                store.delete(_record(store, seg[1]))
                return Response.empty(204)
        elif seg[2] == "attrs":
            return write_attrs(sim, req, seg[1], seg[3] if len(seg) > 3 else None)
    elif head == "entityOperations" and len(seg) == 2 and m == "POST":
        return batch(sim, req, seg[1])
    elif head == "types" and m == "GET":
        return types(sim, req, seg[1] if len(seg) > 1 else None)
    elif head == "temporal" and len(seg) == 3 and seg[1] == "entities" and m == "GET":
        return temporal(sim, req, seg[2])
    elif head == "subscriptions":
        return sim.subs.handle_ld(req, tenant_of(sim, req, m != "GET"), seg[1] if len(seg) > 1 else None)
    else:
        raise ApiError(404, f"unknown resource {req.path}", "ResourceNotFound")
    raise ApiError(405, f"method {m} not allowed on {req.path}", "OperationNotSupported")


def query_entities(sim: SimContext, req: Request) -> Response:
    accept = _accept(req)
    store = tenant_of(sim, req, False)
    limit, offset = req.paging("ld")
    if req.shift_page and offset:
        offset = max(0, offset - max(1, limit // 4))
    types = [short_type(t) for t in req.csv("type") or []] or None
    ids = req.csv("id")
    attrs = [short_type(a) for a in req.csv("attrs") or req.csv("pick") or []] or None
    try:
        geo = geoq.parse_ld(req.params.get("georel"), req.params.get("geometry"), req.params.get("coordinates"))
    except geoq.GeoQueryError as exc:
        raise ApiError(400, str(exc), "BadRequestData") from exc
    geoprop = short_type(req.params.get("geoproperty", "location"))
    if not (types or ids or req.params.get("idPattern") or req.params.get("q") or attrs or geo):
        raise ApiError(
            400,
            "Too broad query: need at least one of: entity-id, entity-type, geo-location, attribute-list, Q-filter",
            "BadRequestData",
        )
    preds = []
    try:
        if req.params.get("q"):
            preds.append(compile_q_ld(req.params["q"]))
    except QueryError as exc:
        raise ApiError(400, str(exc), "BadRequestData") from exc
    if attrs:
        preds.append(lambda rec: any(a in rec.attrs for a in attrs))
    count = req.params.get("count") == "true"
    # One request reads one state of the store: no change lands between choosing and rendering a page.
    with store.lock:
        return _query_page(store, req, accept, ids, types, attrs, preds, geo, geoprop, limit, offset, count)


def _query_page(
    store: TenantStore,
    req: Request,
    accept: str,
    ids: list[str] | None,
    types: list[str] | None,
    attrs: list[str] | None,
    preds: list,
    geo: Any,
    geoprop: str,
    limit: int,
    offset: int,
    count: bool,
) -> Response:
    try:
        page, total = find(
            store,
            geoproperty=geoprop,
            ids=ids,
            id_pattern=req.params.get("idPattern"),
            types=types,
            q=preds,
            geo=geo,
            order_by=None,
            offset=offset,
            limit=limit,
            count=count,
        )
    except Exception as exc:
        if isinstance(exc, ApiError):
            raise
        raise ApiError(400, f"invalid pattern: {exc}", "BadRequestData") from exc
    headers = {"NGSILD-Results-Count": str(total)} if total is not None else {}
    fmt = _format(req)
    sys_attrs = "sysAttrs" in req.options()
    if accept == "application/geo+json":
        features = [ld_feature(r, fmt, attrs, sys_attrs=sys_attrs) for r in page]
        return Response.json(ld_feature_collection(features), 200, accept, headers)
    ld_json = accept == "application/ld+json"
    body = "[" + ",".join(ld_fragment(r, fmt, attrs, ld_json, store.lock, sys_attrs) for r in page) + "]"
    return _json(body, accept, headers=headers)


def get_entity(sim: SimContext, req: Request, eid: str) -> Response:
    accept = _accept(req)
    store = tenant_of(sim, req, False)
    rec = _record(store, eid)
    attrs = [short_type(a) for a in req.csv("attrs") or []] or None
    fmt = _format(req)
    if accept == "application/geo+json":
        feature = ld_feature(rec, fmt, attrs, sys_attrs="sysAttrs" in req.options())
        feature["@context"] = LD_CORE_CONTEXT
        return Response.json(feature, 200, accept)
    body = ld_entity(rec, fmt, attrs, accept == "application/ld+json", "sysAttrs" in req.options())
    return _json(body, accept)


def create_entity(sim: SimContext, req: Request) -> Response:
    store = tenant_of(sim, req, True)
    try:
        rec = entity_from_ld(_payload(req), sim.now())
    except PayloadError as exc:
        raise ApiError(400, str(exc), "BadRequestData") from exc
    with store.lock:
        if store.get(rec.id) is not None:
            raise ApiError(409, f"Entity already exists: {rec.id}", "AlreadyExists")
        store.add(rec)
    return Response.empty(201, {"Location": f"/ngsi-ld/v1/entities/{quote(rec.id, safe=':')}"})


def _payload(req: Request) -> Any:
    """The JSON body, with the rule on where @context goes: Link header for JSON, body for JSON-LD."""
    body = req.json_body("ld")
    ctype = (req.header("content-type") or "").split(";")[0].strip()
    items = body if isinstance(body, list) else [body]
    in_body = any(isinstance(b, dict) and "@context" in b for b in items)
    if ctype == "application/json" and in_body:
        raise ApiError(400, "@context in the payload body requires Content-Type application/ld+json", "BadRequestData")
    if ctype == "application/ld+json" and req.header("link"):
        raise ApiError(
            400, "@context given both in a Link header and as application/ld+json: choose one", "BadRequestData"
        )
    return body


def _ld_attrs(body: Any, now: float) -> dict:
    if not isinstance(body, dict):
        raise ApiError(400, "the payload is not a JSON object", "BadRequestData")
    try:
        return {
            short_type(k): attr_from_ld(short_type(k), v, now)
            for k, v in body.items()
            if k not in ("@context", "id", "type")
        }
    except PayloadError as exc:
        raise ApiError(400, str(exc), "BadRequestData") from exc


def write_attrs(sim: SimContext, req: Request, eid: str, attr: str | None) -> Response:
    store = tenant_of(sim, req, False)
    rec = _record(store, eid)
    now = sim.now()
    if attr is not None and req.method == "DELETE":
        if attr not in rec.attrs:
            raise ApiError(404, f"Attribute not found: {attr}", "ResourceNotFound")
        store.remove_attrs(rec, [attr], now)
        return Response.empty(204)
    body = _payload(req)
    if attr is not None:
        if req.method != "PATCH":
            raise ApiError(405, "only PATCH and DELETE on one attribute", "OperationNotSupported")
        if attr not in rec.attrs:
            raise ApiError(404, f"Attribute not found: {attr}", "ResourceNotFound")
        attrs = _ld_attrs({attr: body}, now)
        store.update(rec, attrs, now)
        return Response.empty(204)
    attrs = _ld_attrs(body, now)
    if req.method == "PATCH":
        known = {k: v for k, v in attrs.items() if k in rec.attrs}
        missing = [k for k in attrs if k not in rec.attrs]
        if known:
            store.update(rec, known, now)
        if missing:
            return Response.json(
                {
                    "updated": list(known),
                    "notUpdated": [{"attributeName": k, "reason": "attribute does not exist"} for k in missing],
                },
                207,
            )
        return Response.empty(204)
    if req.method == "POST":
        if "noOverwrite" in req.options():
            attrs = {k: v for k, v in attrs.items() if k not in rec.attrs}
        store.update(rec, attrs, now)
        return Response.empty(204)
    raise ApiError(405, f"method {req.method} not allowed", "OperationNotSupported")


def batch(sim: SimContext, req: Request, op: str) -> Response:
    if op not in ("create", "upsert", "update", "delete"):
        raise ApiError(404, f"unknown batch operation {op}", "ResourceNotFound")
    store = tenant_of(sim, req, True)
    body = _payload(req)
    if not isinstance(body, list):
        raise ApiError(400, "a JSON array is expected", "BadRequestData")
    now = sim.now()
    success, errors = [], []
    for item in body:
        try:
            if op == "delete":
                rec = store.get(item) if isinstance(item, str) else None
                if rec is None:
                    raise ApiError(404, "Entity not found", "ResourceNotFound")
                store.delete(rec)
                success.append(item)
                continue
            rec = entity_from_ld(item, now)
            existing = store.get(rec.id)
            if existing is None:
                if op == "update":
                    raise ApiError(404, "Entity not found", "ResourceNotFound")
                store.add(rec)
            elif op == "create":
                raise ApiError(409, "Entity already exists", "AlreadyExists")
            else:
                replace = op == "upsert" and req.params.get("options") == "replace"
                store.update(existing, rec.attrs, now, replace=replace)
            success.append(rec.id)
        except (ApiError, PayloadError) as exc:
            eid = item.get("id") if isinstance(item, dict) else item
            errors.append(
                {
                    "entityId": eid,
                    "error": {
                        "type": "https://uri.etsi.org/ngsi-ld/errors/BadRequestData",
                        "title": "Bad Request",
                        "detail": str(exc),
                    },
                }
            )
    if not errors:
        if op in ("create", "upsert") and success:
            return Response.json(success, 201)
        return Response.empty(204)
    return Response.json({"success": success, "errors": errors}, 207)


def types(sim: SimContext, req: Request, name: str | None) -> Response:
    accept = _accept(req)
    store = tenant_of(sim, req, False)
    summary = store.type_summary()
    if name is not None:
        info = summary.get(short_type(name))
        if info is None:
            raise ApiError(404, f"Entity type not found: {name}", "ResourceNotFound")
        body = {
            "id": short_type(name),
            "type": "EntityTypeInfo",
            "typeName": short_type(name),
            "entityCount": info["count"],
            "attributeDetails": [
                {"id": a, "type": "Attribute", "attributeName": a, "attributeTypes": sorted({_ld_kind(t) for t in ts})}
                for a, ts in info["attrs"].items()
            ],
        }
        return _json(body, accept)
    if req.params.get("details") == "true":
        body: Any = [
            {"id": n, "type": "EntityType", "typeName": n, "attributeNames": list(i["attrs"])}
            for n, i in sorted(summary.items())
        ]
    else:
        body = {
            "id": f"urn:ngsi-ld:EntityTypeList:{store.name or 'default'}",
            "type": "EntityTypeList",
            "typeList": sorted(summary),
        }
    return _json(body, accept)


def _ld_kind(v2_type: str) -> str:
    if v2_type in GEO_TYPES:
        return "GeoProperty"
    if v2_type in ("Relationship", "LanguageProperty"):
        return v2_type
    return "Property"


def temporal(sim: SimContext, req: Request, eid: str) -> Response:
    accept = _accept(req)
    store = tenant_of(sim, req, False)
    rec = _record(store, eid)
    timerel = req.params.get("timerel")
    try:
        t0 = parse_time(req.params["timeAt"]) if "timeAt" in req.params else None
        t1 = parse_time(req.params["endTimeAt"]) if "endTimeAt" in req.params else None
    except ValueError as exc:
        raise ApiError(400, f"invalid time: {exc}", "BadRequestData") from exc
    if timerel and (t0 is None or (timerel == "between" and t1 is None)):
        raise ApiError(400, "timerel needs timeAt (and endTimeAt for between)", "BadRequestData")
    if timerel not in (None, "before", "after", "between"):
        raise ApiError(400, f"invalid timerel: {timerel}", "BadRequestData")
    last_n = req.params.get("lastN")
    try:
        last_n_value = int(last_n) if last_n is not None else None
    except ValueError as exc:
        raise ApiError(400, "lastN must be a positive integer", "BadRequestData") from exc
    wanted = [short_type(a) for a in req.csv("attrs") or []] or None
    temporal_values = "temporalValues" in req.options() or req.params.get("format") == "temporalValues"
    out: dict[str, Any] = {"id": rec.id, "type": rec.type}
    for name, attr in rec.attrs.items():
        if wanted is not None and name not in wanted:
            continue
        samples = [(t, v) for t, v in store.history(rec, name) if _in_time(t, timerel, t0, t1)]
        if last_n_value is not None:
            samples = samples[-last_n_value:] if last_n_value > 0 else []
        if not samples:
            continue
        kind = _ld_kind(attr.type)
        if kind == "GeoProperty":
            samples = [(t, as_geojson(type(attr)(attr.type, v))) for t, v in samples]
        if temporal_values:
            out[name] = {"type": kind, "values": [[v, iso(t)] for t, v in samples]}
        else:
            out[name] = [{"type": kind, "value": v, "observedAt": iso(t)} for t, v in samples]
    if accept == "application/ld+json":
        out["@context"] = LD_CORE_CONTEXT
    return _json(dumps(out), "application/ld+json" if accept == "application/ld+json" else "application/json")


def _in_time(t: float, rel: str | None, t0: float | None, t1: float | None) -> bool:
    if rel is None:
        return True
    if rel == "before":
        return t < t0
    if rel == "after":
        return t >= t0
    return t0 <= t < t1
