"""What the NGSI-LD handlers share: tenant, Accept and format of a request, payload rules."""

from __future__ import annotations

from typing import Any

from smartcity_qgis.cityos_sim.api_context import SimContext
from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response
from smartcity_qgis.cityos_sim.model import (
    GEO_TYPES,
    LD_CORE_CONTEXT,
    EntityRecord,
    PayloadError,
    attr_from_ld,
    short_type,
)
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


def accept(req: Request) -> str:
    value = req.header("accept") or "application/json"
    for kind in ("application/geo+json", "application/ld+json", "application/json"):
        if kind in value:
            return kind
    if "*/*" in value:
        return "application/json"
    raise ApiError(406, f"not acceptable: {value}", "NotAcceptable")


def out_format(req: Request) -> str:
    opts = req.options()
    fmt = req.params.get("format")
    if "keyValues" in opts or fmt in ("simplified", "keyValues"):
        return "keyValues"
    if "concise" in opts or fmt == "concise":
        return "concise"
    return "normalized"


def json_answer(body: Any, accept_type: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    extra = dict(headers or {})
    if accept_type == "application/json":
        extra["Link"] = LINK
    return Response.json(body, status, accept_type, extra)


def record(store: TenantStore, eid: str) -> EntityRecord:
    rec = store.get(eid)
    if rec is None:
        raise ApiError(404, f"Entity not found: {eid}", "ResourceNotFound")
    return rec


def payload(req: Request) -> Any:
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


def ld_attrs(body: Any, now: float) -> dict:
    """The attributes of an entity fragment (no id, type or @context)."""
    if not isinstance(body, dict):
        raise ApiError(400, "the payload is not a JSON object", "BadRequestData")
    try:
        return {
            short_type(k): attr_from_ld(short_type(k), v, now)
            for k, v in body.items()
            if k not in ("@context", "id", "type", "scope", "createdAt", "modifiedAt")
        }
    except PayloadError as exc:
        raise ApiError(400, str(exc), "BadRequestData") from exc


def ld_kind(v2_type: str) -> str:
    """The NGSI-LD attribute type of a stored attribute."""
    if v2_type in GEO_TYPES:
        return "GeoProperty"
    if v2_type in ("Relationship", "LanguageProperty"):
        return v2_type
    return "Property"
