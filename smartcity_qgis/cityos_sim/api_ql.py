"""A QuantumLeap-style time-series API under ``/ql`` (history for NGSI-v2 clients)."""

from __future__ import annotations

from smartcity_qgis.cityos_sim.api_context import SimContext
from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response
from smartcity_qgis.cityos_sim.model import iso, parse_time
from smartcity_qgis.cityos_sim.store import PathError

QL_MAX_LIMIT = 10000
NO_RECORDS = {"error": "Not Found", "description": "No records were found for such query."}


def handle(sim: SimContext, req: Request) -> Response:
    seg = req.segments[1:]  # after "ql"
    if seg in (["version"], ["v2", "version"]):
        return Response.json({"version": "0.8.3"})
    if req.method != "GET" or len(seg) < 3 or seg[:2] != ["v2", "entities"]:
        raise ApiError(400, f"service '{req.path}' not found")
    try:
        store = sim.store.tenant(req.header("fiware-service"))
    except PathError as exc:
        raise ApiError(400, str(exc)) from exc
    rec = store.get(seg[2])
    if rec is None or (req.params.get("type") and req.params["type"] != rec.type):
        return Response.json(NO_RECORDS, 404)
    try:
        t0 = parse_time(req.params["fromDate"]) if "fromDate" in req.params else None
        t1 = parse_time(req.params["toDate"]) if "toDate" in req.params else None
        last_n = int(req.params["lastN"]) if "lastN" in req.params else None
        limit = int(req.params.get("limit", QL_MAX_LIMIT))
        offset = int(req.params.get("offset", 0))
    except ValueError as exc:
        raise ApiError(400, f"bad query parameter: {exc}") from exc
    if limit < 1 or limit > QL_MAX_LIMIT or offset < 0:
        raise ApiError(400, f"limit must be 1..{QL_MAX_LIMIT} and offset >= 0")

    def samples(name: str) -> list:
        rows = [(t, v) for t, v in store.history(rec, name) if (t0 is None or t >= t0) and (t1 is None or t <= t1)]
        if last_n is not None:
            rows = rows[-last_n:] if last_n > 0 else []
        return rows[offset : offset + limit]

    if len(seg) == 5 and seg[3] == "attrs":
        name = seg[4]
        if name not in rec.attrs:
            return Response.json(NO_RECORDS, 404)
        rows = samples(name)
        if not rows:
            return Response.json(NO_RECORDS, 404)
        return Response.json(
            {
                "entityId": rec.id,
                "entityType": rec.type,
                "attrName": name,
                "index": [iso(t) for t, _ in rows],
                "values": [v for _, v in rows],
            }
        )
    if len(seg) == 3:
        wanted = req.csv("attrs") or list(rec.attrs)
        attributes, index = [], []
        for name in wanted:
            rows = samples(name)
            if rows:
                attributes.append({"attrName": name, "values": [v for _, v in rows]})
                if len(rows) > len(index):
                    index = [iso(t) for t, _ in rows]
        if not attributes:
            return Response.json(NO_RECORDS, 404)
        return Response.json({"entityId": rec.id, "entityType": rec.type, "index": index, "attributes": attributes})
    raise ApiError(400, f"service '{req.path}' not found")
