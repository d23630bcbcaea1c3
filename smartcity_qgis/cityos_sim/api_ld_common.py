"""What the NGSI-LD handlers share: tenant, Accept and format of a request, its @context, payload rules."""

from __future__ import annotations

from typing import Any

from smartcity_qgis.cityos_sim.api_context import SimContext
from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response
from smartcity_qgis.cityos_sim.jsonld import ContextError
from smartcity_qgis.cityos_sim.ld_names import CORE_NAMES, LdNames, context_from_link, link_header
from smartcity_qgis.cityos_sim.model import GEO_TYPES, LD_CORE_CONTEXT, EntityRecord, PayloadError, attr_from_ld
from smartcity_qgis.cityos_sim.store import PathError, TenantStore

LINK = link_header(LD_CORE_CONTEXT)


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


def json_answer(
    body: Any,
    accept_type: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
    names: LdNames = CORE_NAMES,
) -> Response:
    """A JSON answer; ``application/json`` names its @context in a ``Link`` header."""
    extra = dict(headers or {})
    if accept_type == "application/json":
        extra["Link"] = names.link()
    return Response.json(body, status, accept_type, extra)


def names_for(sim: SimContext, user: Any) -> LdNames:
    """The names of a request whose @context is ``user`` (None: the core context only)."""
    if user is None:
        return CORE_NAMES
    try:
        return LdNames(sim.contexts.active(user), user)
    except ContextError as exc:
        raise ApiError(exc.status, exc.detail, exc.kind) from exc


def link_names(sim: SimContext, req: Request) -> LdNames:
    """The names of a request whose @context comes in its ``Link`` header (or the core context)."""
    try:
        url = context_from_link(req.header("link"))
    except ValueError as exc:
        raise ApiError(400, str(exc), "BadRequestData") from exc
    return names_for(sim, url)


def body_context(req: Request, item: Any) -> tuple[bool, Any]:
    """(True, @context) of one payload item of an ``application/ld+json`` request, else (False, None)."""
    if _content_type(req) != "application/ld+json":
        return False, None
    if not isinstance(item, dict) or "@context" not in item:
        raise ApiError(400, "an application/ld+json payload must carry its @context", "BadRequestData")
    return True, item["@context"]


def request_names(sim: SimContext, req: Request, body: Any = None) -> LdNames:
    """The names of a request: the body's @context (``application/ld+json``) or the ``Link`` header's."""
    in_body, user = body_context(req, body) if body is not None else (False, None)
    return names_for(sim, user) if in_body else link_names(sim, req)


def _content_type(req: Request) -> str:
    return (req.header("content-type") or "").split(";")[0].strip()


def record(store: TenantStore, eid: str) -> EntityRecord:
    rec = store.get(eid)
    if rec is None:
        raise ApiError(404, f"Entity not found: {eid}", "ResourceNotFound")
    return rec


def payload(req: Request) -> Any:
    """The JSON body, with the rule on where @context goes: Link header for JSON, body for JSON-LD."""
    body = req.json_body("ld")
    ctype = _content_type(req)
    items = body if isinstance(body, list) else [body]
    in_body = any(isinstance(b, dict) and "@context" in b for b in items)
    if ctype == "application/json" and in_body:
        raise ApiError(400, "@context in the payload body requires Content-Type application/ld+json", "BadRequestData")
    if ctype == "application/ld+json" and _has_context_link(req):
        raise ApiError(
            400, "@context given both in a Link header and as application/ld+json: choose one", "BadRequestData"
        )
    return body


def _has_context_link(req: Request) -> bool:
    try:
        return context_from_link(req.header("link")) is not None
    except ValueError:
        return True


def ld_attrs(body: Any, now: float, names: LdNames = CORE_NAMES) -> dict:
    """The attributes of an entity fragment (no id, type or @context), under the store's names."""
    if not isinstance(body, dict):
        raise ApiError(400, "the payload is not a JSON object", "BadRequestData")
    try:
        out = {}
        for key, value in body.items():
            if key not in ("@context", "id", "type", "scope", "createdAt", "modifiedAt"):
                name = names.stored(key)
                out[name] = attr_from_ld(name, value, now, names.stored)
        return out
    except PayloadError as exc:
        raise ApiError(400, str(exc), "BadRequestData") from exc


def ld_kind(v2_type: str) -> str:
    """The NGSI-LD attribute type of a stored attribute."""
    if v2_type in GEO_TYPES:
        return "GeoProperty"
    if v2_type in ("Relationship", "LanguageProperty"):
        return v2_type
    return "Property"
