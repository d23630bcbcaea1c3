"""What the NGSI-v2 handlers share: tenant and service path of a request, options, Orion's URI checks."""

from __future__ import annotations

from typing import Any

from smartcity_qgis.cityos_sim.api_context import SimContext
from smartcity_qgis.cityos_sim.http_api import ApiError, Request
from smartcity_qgis.cityos_sim.model import PayloadError
from smartcity_qgis.cityos_sim.orion_rules import URI_PARAM_EXCEPTIONS, check_v2_options, has_forbidden
from smartcity_qgis.cityos_sim.store import PathError, TenantStore, parse_service_paths, path_matches

NOT_FOUND = "The requested entity has not been found. Check type and id"
ATTR_NOT_FOUND = "The entity does not have such an attribute"


def tenant(sim: SimContext, req: Request) -> TenantStore:
    try:
        return sim.store.tenant(req.header("fiware-service"))
    except PathError as exc:
        raise ApiError(400, str(exc)) from exc


def paths(req: Request, for_query: bool) -> list[str]:
    try:
        return parse_service_paths(req.header("fiware-servicepath"), for_query)
    except PathError as exc:
        raise ApiError(400, str(exc)) from exc


def write_scope(req: Request) -> list[str]:
    """Service paths an update or delete may touch: the one named, or any when none is named."""
    return paths(req, False) if req.header("fiware-servicepath") else ["/#"]


def options(req: Request) -> set[str]:
    """The request's ``options``, checked as Orion checks them (400 for an unknown or clashing one)."""
    opts = req.options()
    try:
        check_v2_options(opts)
    except PayloadError as exc:
        raise ApiError(400, str(exc)) from exc
    return opts


def mode(req: Request) -> str:
    """The representation asked for: normalized (also ``options=normalized``), keyValues, values, unique."""
    opts = options(req)
    for name in ("keyValues", "values", "unique"):
        if name in opts:
            return name
    return "normalized"


def check_uri(req: Request) -> None:
    """Orion's injection guard on the URL: forbidden characters in the path or a URI parameter."""
    if any(has_forbidden(s) for s in req.segments):
        raise ApiError(400, "invalid character in URI")
    for key, value in req.params.items():
        if key not in URI_PARAM_EXCEPTIONS and has_forbidden(value):
            raise ApiError(400, "invalid character in URI parameter")


def record(sim: SimContext, req: Request, eid: str, scope: list[str] | None = None) -> tuple[TenantStore, Any]:
    """The entity ``eid`` of the request's tenant, type and service paths, or Orion's 404."""
    store = tenant(sim, req)
    rec = store.get(eid)
    etype = req.params.get("type")
    if rec is None or (etype and rec.type != etype) or not path_matches(rec.path, scope or paths(req, True)):
        raise ApiError(404, NOT_FOUND, "NotFound")
    return store, rec


def payload_error(exc: PayloadError) -> ApiError:
    return ApiError(400, str(exc))
