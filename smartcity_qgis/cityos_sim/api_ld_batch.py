"""NGSI-LD batch operations: ``/entityOperations/create|upsert|update|delete|merge``.

``update`` appends the attributes of each entity (overwriting those it has, unless
``options=noOverwrite``), ``upsert`` creates or updates (``options=replace`` replaces), ``merge``
merges; the answer is 201 / 204 when all went well, else 207 with ``success`` and ``errors``.
"""

from __future__ import annotations

from typing import Any

from smartcity_qgis.cityos_sim import api_ld_common as common
from smartcity_qgis.cityos_sim.api_context import SimContext
from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response
from smartcity_qgis.cityos_sim.model import PayloadError, entity_from_ld

OPERATIONS = ("create", "upsert", "update", "delete", "merge")
_TITLES = {"BadRequestData": "Bad Request Data", "ResourceNotFound": "Resource Not Found", "AlreadyExists":
           "Already Exists"}  # fmt: skip


def batch(sim: SimContext, req: Request, op: str) -> Response:
    if op not in OPERATIONS:
        raise ApiError(404, f"unknown batch operation {op}", "ResourceNotFound")
    store = common.tenant_of(sim, req, True)
    body = common.payload(req)
    if not isinstance(body, list):
        raise ApiError(400, "a JSON array is expected", "BadRequestData")
    link = common.link_names(sim, req)
    opts = req.options()
    now = sim.now()
    success: list[str] = []
    errors: list[dict[str, Any]] = []
    for item in body:
        try:
            if op == "delete":
                rec = store.get(item) if isinstance(item, str) else None
                if rec is None:
                    raise ApiError(404, "Entity not found", "ResourceNotFound")
                store.delete(rec)
                success.append(item)
                continue
            # application/ld+json: each entity carries its own @context; else the Link header's serves all.
            in_body, user = common.body_context(req, item)
            names = common.names_for(sim, user) if in_body else link
            rec = entity_from_ld(item, now, names.stored)
            existing = store.get(rec.id)
            if existing is None:
                if op in ("update", "merge"):
                    raise ApiError(404, "Entity not found", "ResourceNotFound")
                store.add(rec)
            elif op == "create":
                raise ApiError(409, "Entity already exists", "AlreadyExists")
            elif op == "upsert" and "replace" in opts:
                store.update(existing, rec.attrs, now, replace=True)
            else:
                attrs = rec.attrs
                if op == "update" and "noOverwrite" in opts:
                    attrs = {k: v for k, v in attrs.items() if k not in existing.attrs}
                if attrs:
                    store.update(existing, attrs, now)
            success.append(rec.id)
        except (ApiError, PayloadError) as exc:
            kind = exc.error if isinstance(exc, ApiError) and exc.error else "BadRequestData"
            eid = item.get("id") if isinstance(item, dict) else item
            errors.append(
                {
                    "entityId": eid,
                    "error": {
                        "type": "https://uri.etsi.org/ngsi-ld/errors/" + kind,
                        "title": _TITLES.get(kind, kind),
                        "detail": str(exc),
                    },
                }
            )
    if not errors:
        if op in ("create", "upsert") and success:
            return Response.json(success, 201)
        return Response.empty(204)
    return Response.json({"success": success, "errors": errors}, 207)
