"""The NGSI-LD API (ETSI GS CIM 009 as Orion-LD serves it); batch operations and the temporal API
live in ``api_ld_batch`` and ``api_ld_temporal``."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from smartcity_qgis.cityos_sim import api_ld_batch, api_ld_temporal
from smartcity_qgis.cityos_sim import api_ld_common as common
from smartcity_qgis.cityos_sim import geo as geoq
from smartcity_qgis.cityos_sim.api_context import SimContext
from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response
from smartcity_qgis.cityos_sim.ld_names import LdNames, name_iri
from smartcity_qgis.cityos_sim.model import EntityRecord, PayloadError, attr_from_ld, entity_from_ld
from smartcity_qgis.cityos_sim.query import Predicate, QueryError, compile_q_ld
from smartcity_qgis.cityos_sim.render import ld_entity, ld_feature, ld_feature_collection, ld_fragment
from smartcity_qgis.cityos_sim.search import find
from smartcity_qgis.cityos_sim.store import TenantStore

LINK = common.LINK
TOO_BROAD = "Too broad query: need at least one of: entity-id, entity-type, geo-location, attribute-list, Q-filter"


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
                common.link_names(sim, req)  # a broken @context link is refused on every request
                store = common.tenant_of(sim, req, False)
                store.delete(common.record(store, seg[1]))
                return Response.empty(204)
            if m in ("PATCH", "PUT"):
                return merge_or_replace(sim, req, seg[1])
        elif seg[2] == "attrs":
            return write_attrs(sim, req, seg[1], seg[3] if len(seg) > 3 else None)
    elif head == "entityOperations" and len(seg) == 2 and m == "POST":
        if seg[1] == "query":
            return batch_query(sim, req)
        return api_ld_batch.batch(sim, req, seg[1])
    elif head == "types" and m == "GET":
        return types(sim, req, seg[1] if len(seg) > 1 else None)
    elif head == "temporal" and len(seg) >= 2 and seg[1] == "entities":
        if len(seg) == 3 and m == "GET":
            return api_ld_temporal.retrieve(sim, req, seg[2])
        if len(seg) == 2 and m == "GET":
            names = common.link_names(sim, req)
            selection = _selection_from_params(req, names)
            return api_ld_temporal.query(sim, req, lambda store: _find_page(store, req, selection), names)
        if m in ("POST", "PATCH", "PUT", "DELETE"):
            raise ApiError(501, "the temporal API of the embedded city OS is read-only", "OperationNotSupported")
    elif head == "subscriptions":
        store = common.tenant_of(sim, req, m != "GET")
        body = common.payload(req) if m in ("POST", "PATCH") else None
        names = common.request_names(sim, req, body)
        return sim.subs.handle_ld(req, store, seg[1] if len(seg) > 1 else None, names, body)
    elif head in ("csourceRegistrations", "csourceSubscriptions", "jsonldContexts", "attributes"):
        raise ApiError(501, f"/ngsi-ld/v1/{head} is not served by the embedded city OS", "OperationNotSupported")
    else:
        raise ApiError(404, f"unknown resource {req.path}", "ResourceNotFound")
    raise ApiError(405, f"method {m} not allowed on {req.path}", "OperationNotSupported")


# ---------------------------------------------------------------- queries


class Selection:
    """What a query selects: entity selectors, attrs, q, geo-query."""

    def __init__(
        self,
        selectors: list[dict],
        attrs: list[str] | None,
        q: str | None,
        geo: geoq.GeoFilter | None,
        geoproperty: str,
        names: LdNames,
    ) -> None:
        self.names = names
        self.attrs = attrs
        self.geo = geo
        self.geoproperty = geoproperty
        if not (selectors or q or attrs or geo):
            raise ApiError(400, TOO_BROAD, "BadRequestData")
        self.preds: list[Predicate] = []
        try:
            if q:
                self.preds.append(compile_q_ld(q, names.stored))
        except QueryError as exc:
            raise ApiError(400, str(exc), "BadRequestData") from exc
        if attrs:
            self.preds.append(lambda rec: any(a in rec.attrs for a in attrs))
        self.types: list[str] | None = None
        self.ids: list[str] | None = None
        self.id_pattern: str | None = None
        if len(selectors) == 1:  # the common case goes through the store's indexes
            sel = selectors[0]
            self.types = sel.get("types")
            self.ids = sel.get("ids")
            self.id_pattern = sel.get("idPattern")
        elif selectors:
            self.preds.append(_any_selector(selectors))


def _any_selector(selectors: list[dict]) -> Predicate:
    compiled = [(s.get("types"), s.get("ids"), re.compile(s["idPattern"]) if s.get("idPattern") else None)
                for s in selectors]  # fmt: skip

    def matches(rec: EntityRecord) -> bool:
        for types, ids, rx in compiled:
            if types is not None and rec.type not in types:
                continue
            if ids is not None and rec.id not in ids:
                continue
            if rx is not None and not rx.search(rec.id):
                continue
            return True
        return False

    return matches


def _geo(georel: str | None, geometry: str | None, coordinates: str | None) -> geoq.GeoFilter | None:
    try:
        return geoq.parse_ld(georel, geometry, coordinates)
    except geoq.GeoQueryError as exc:
        raise ApiError(400, str(exc), "BadRequestData") from exc


def _selection_from_params(req: Request, names: LdNames) -> Selection:
    p = req.params
    sel: dict[str, Any] = {}
    types = [names.stored(t) for t in req.csv("type") or []]
    if types:
        sel["types"] = types
    if req.csv("id"):
        sel["ids"] = req.csv("id")
    if p.get("idPattern"):
        sel["idPattern"] = p["idPattern"]
    attrs = [names.stored(a) for a in req.csv("attrs") or req.csv("pick") or []] or None
    geo = _geo(p.get("georel"), p.get("geometry"), p.get("coordinates"))
    geoproperty = names.stored(p.get("geoproperty", "location"))
    return Selection([sel] if sel else [], attrs, p.get("q"), geo, geoproperty, names)


def _find_page(store: TenantStore, req: Request, sel: Selection) -> tuple[list[EntityRecord], dict[str, str]]:
    limit, offset = req.paging("ld")
    if req.shift_page and offset:
        offset = max(0, offset - max(1, limit // 4))
    try:
        page, total = find(
            store,
            geoproperty=sel.geoproperty,
            ids=sel.ids,
            id_pattern=sel.id_pattern,
            types=sel.types,
            q=sel.preds,
            geo=sel.geo,
            order_by=None,
            offset=offset,
            limit=limit,
            count=req.params.get("count") == "true",
        )
    except re.error as exc:
        raise ApiError(400, f"invalid pattern: {exc}", "BadRequestData") from exc
    return page, ({"NGSILD-Results-Count": str(total)} if total is not None else {})


def query_entities(sim: SimContext, req: Request) -> Response:
    accept = common.accept(req)
    names = common.link_names(sim, req)
    store = common.tenant_of(sim, req, False)
    sel = _selection_from_params(req, names)
    return _render_page(store, req, accept, sel)


def _render_page(store: TenantStore, req: Request, accept: str, sel: Selection) -> Response:
    # One request reads one state of the store: no change lands between choosing and rendering a page.
    with store.lock:
        page, headers = _find_page(store, req, sel)
        fmt = common.out_format(req)
        sys_attrs = "sysAttrs" in req.options()
        names = sel.names
        if accept == "application/geo+json":
            features = [ld_feature(r, fmt, sel.attrs, sel.geoproperty, sys_attrs, names) for r in page]
            return Response.json(ld_feature_collection(features, names), 200, accept, headers)
        ld_json = accept == "application/ld+json"
        body = "[" + ",".join(ld_fragment(r, fmt, sel.attrs, ld_json, store.lock, sys_attrs, names) for r in page) + "]"
        return common.json_answer(body, accept, headers=headers, names=names)


def batch_query(sim: SimContext, req: Request) -> Response:
    """``POST /entityOperations/query`` with a Query body (entities, attrs, q, geoQ)."""
    accept = common.accept(req)
    store = common.tenant_of(sim, req, False)
    body = common.payload(req)
    names = common.request_names(sim, req, body)
    if not isinstance(body, dict) or body.get("type", "Query") != "Query":
        raise ApiError(400, "the payload must be a Query object (type Query)", "BadRequestData")
    selectors = []
    for ent in body.get("entities") or []:
        if not isinstance(ent, dict) or not isinstance(ent.get("type"), str):
            raise ApiError(400, "every entity selector needs a type", "BadRequestData")
        sel: dict[str, Any] = {"types": [names.stored(t) for t in ent["type"].split(",")]}
        if "id" in ent:
            sel["ids"] = [ent["id"]]
        if "idPattern" in ent:
            sel["idPattern"] = ent["idPattern"]
        selectors.append(sel)
    attrs = [names.stored(a) for a in body.get("attrs") or []] or None
    gq = body.get("geoQ") or {}
    if not isinstance(gq, dict):
        raise ApiError(400, "geoQ must be an object", "BadRequestData")
    coords = gq.get("coordinates")
    geo = _geo(gq.get("georel"), gq.get("geometry"), json.dumps(coords) if coords is not None else None)
    q = body.get("q")
    if q is not None and not isinstance(q, str):
        raise ApiError(400, "q must be a string", "BadRequestData")
    selection = Selection(selectors, attrs, q, geo, names.stored(gq.get("geoproperty", "location")), names)
    return _render_page(store, req, accept, selection)


# ---------------------------------------------------------------- entities


def get_entity(sim: SimContext, req: Request, eid: str) -> Response:
    accept = common.accept(req)
    names = common.link_names(sim, req)
    store = common.tenant_of(sim, req, False)
    rec = common.record(store, eid)
    attrs = [names.stored(a) for a in req.csv("attrs") or []] or None
    fmt = common.out_format(req)
    sys_attrs = "sysAttrs" in req.options()
    if accept == "application/geo+json":
        geoproperty = names.stored(req.params.get("geoproperty", "location"))
        feature = ld_feature(rec, fmt, attrs, geoproperty, sys_attrs, names)
        feature["@context"] = names.context_value()
        return Response.json(feature, 200, accept)
    body = ld_entity(rec, fmt, attrs, accept == "application/ld+json", sys_attrs, names)
    return common.json_answer(body, accept, names=names)


def create_entity(sim: SimContext, req: Request) -> Response:
    store = common.tenant_of(sim, req, True)
    body = common.payload(req)
    names = common.request_names(sim, req, body)
    try:
        rec = entity_from_ld(body, sim.now(), names.stored)
    except PayloadError as exc:
        raise ApiError(400, str(exc), "BadRequestData") from exc
    with store.lock:
        if store.get(rec.id) is not None:
            raise ApiError(409, f"Entity already exists: {rec.id}", "AlreadyExists")
        store.add(rec)
    return Response.empty(201, {"Location": f"/ngsi-ld/v1/entities/{quote(rec.id, safe=':')}"})


def merge_or_replace(sim: SimContext, req: Request, eid: str) -> Response:
    """``PATCH /entities/{id}`` (merge entity) and ``PUT /entities/{id}`` (replace entity)."""
    store = common.tenant_of(sim, req, False)
    rec = common.record(store, eid)
    body = common.payload(req)
    if not isinstance(body, dict):
        raise ApiError(400, "the payload is not a JSON object", "BadRequestData")
    names = common.request_names(sim, req, body)
    if "id" in body and body["id"] != eid:
        raise ApiError(400, "the entity id in the payload differs from the one in the URL", "BadRequestData")
    if "type" in body and names.stored(str(body["type"])) != rec.type:
        raise ApiError(400, "the entity type cannot be changed", "BadRequestData")
    now = sim.now()
    attrs = common.ld_attrs(body, now, names)
    store.update(rec, attrs, now, replace=req.method == "PUT")
    return Response.empty(204)


def write_attrs(sim: SimContext, req: Request, eid: str, attr: str | None) -> Response:
    store = common.tenant_of(sim, req, False)
    rec = common.record(store, eid)
    now = sim.now()
    body = common.payload(req) if req.method != "DELETE" else None
    names = common.request_names(sim, req, body)
    if attr is not None:
        attr = names.stored(attr)
    if attr is not None and req.method == "DELETE":
        if attr not in rec.attrs:
            raise ApiError(404, f"Attribute not found: {attr}", "ResourceNotFound")
        store.remove_attrs(rec, [attr], now)
        return Response.empty(204)
    if attr is not None:
        if req.method not in ("PATCH", "PUT"):
            raise ApiError(405, "only PATCH, PUT and DELETE on one attribute", "OperationNotSupported")
        if attr not in rec.attrs:
            raise ApiError(404, f"Attribute not found: {attr}", "ResourceNotFound")
        fragment = {k: v for k, v in body.items() if k != "@context"} if isinstance(body, dict) else body
        store.update(rec, {attr: _one_attr(attr, fragment, now, names)}, now)
        return Response.empty(204)
    attrs = common.ld_attrs(body, now, names)
    if req.method == "PATCH":
        known = {k: v for k, v in attrs.items() if k in rec.attrs}
        missing = [k for k in attrs if k not in rec.attrs]
        if known:
            store.update(rec, known, now)
        if missing:
            return Response.json(
                {
                    "updated": [names.shown(k) for k in known],
                    "notUpdated": [
                        {"attributeName": names.shown(k), "reason": "attribute does not exist"} for k in missing
                    ],
                },
                207,
            )
        return Response.empty(204)
    if req.method == "POST":
        if "noOverwrite" in req.options():
            attrs = {k: v for k, v in attrs.items() if k not in rec.attrs}
        if attrs:
            store.update(rec, attrs, now)
        return Response.empty(204)
    raise ApiError(405, f"method {req.method} not allowed", "OperationNotSupported")


# ---------------------------------------------------------------- types


def _one_attr(name: str, body: Any, now: float, names: LdNames) -> Any:
    try:
        return attr_from_ld(name, body, now, names.stored)
    except PayloadError as exc:
        raise ApiError(400, str(exc), "BadRequestData") from exc


def types(sim: SimContext, req: Request, name: str | None) -> Response:
    """``/types``: ids are the full IRIs, ``typeName`` / ``attributeName`` the names under the
    request's @context (ETSI GS CIM 009 EntityType, EntityTypeInfo, Attribute)."""
    accept = common.accept(req)
    names = common.link_names(sim, req)
    store = common.tenant_of(sim, req, False)
    summary = store.type_summary()
    shown = names.shown
    if name is not None:
        stored = names.stored(name)
        info = summary.get(stored)
        if info is None:
            raise ApiError(404, f"Entity type not found: {name}", "ResourceNotFound")
        body: Any = {
            "id": name_iri(stored),
            "type": "EntityTypeInfo",
            "typeName": shown(stored),
            "entityCount": info["count"],
            "attributeDetails": [
                {
                    "id": name_iri(a),
                    "type": "Attribute",
                    "attributeName": shown(a),
                    "attributeTypes": sorted({common.ld_kind(t) for t in ts}),
                }
                for a, ts in info["attrs"].items()
            ],
        }
        return common.json_answer(body, accept, names=names)
    if req.params.get("details") == "true":
        body = [
            {
                "id": name_iri(n),
                "type": "EntityType",
                "typeName": shown(n),
                "attributeNames": [shown(a) for a in i["attrs"]],
            }
            for n, i in sorted(summary.items())
        ]
    else:
        body = {
            "id": f"urn:ngsi-ld:EntityTypeList:{store.name or 'default'}",
            "type": "EntityTypeList",
            "typeList": sorted(shown(n) for n in summary),
        }
    return common.json_answer(body, accept, names=names)
