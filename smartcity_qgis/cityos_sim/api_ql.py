"""A QuantumLeap-style time-series API under ``/ql`` (history for NGSI-v2 clients).

QuantumLeap's read endpoints (API v2 of QuantumLeap 0.8): one entity (``/v2/entities/{id}``, with
``/attrs/{attr}`` and the ``/value`` forms that leave out ids and types), all entities
(``/v2/entities``), one type (``/v2/types/{type}``, ``/attrs/{attr}``, ``/value``) and one attribute
over all entities (``/v2/attrs/{attr}``), with ``fromDate`` / ``toDate``, ``lastN``, ``limit`` /
``offset``, ``aggrMethod`` (count, sum, avg, min, max) and ``aggrPeriod`` (year ... second).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from smartcity_qgis.cityos_sim.api_context import SimContext
from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response
from smartcity_qgis.cityos_sim.model import EntityRecord, iso, parse_time
from smartcity_qgis.cityos_sim.store import PathError, TenantStore

QL_MAX_LIMIT = 10000
NO_RECORDS = {"error": "Not Found", "description": "No records were found for such query."}
AGGR_METHODS = ("count", "sum", "avg", "min", "max")
AGGR_PERIODS = ("year", "month", "day", "hour", "minute", "second")
_NOT_FOUND = Response.json(NO_RECORDS, 404)


class _Params:
    """The time-series parameters of a request."""

    def __init__(self, req: Request) -> None:
        p = req.params
        try:
            self.t0 = parse_time(p["fromDate"]) if "fromDate" in p else None
            self.t1 = parse_time(p["toDate"]) if "toDate" in p else None
            self.last_n = int(p["lastN"]) if "lastN" in p else None
            self.limit = int(p.get("limit", QL_MAX_LIMIT))
            self.offset = int(p.get("offset", 0))
        except ValueError as exc:
            raise ApiError(400, f"bad query parameter: {exc}") from exc
        if self.limit < 1 or self.limit > QL_MAX_LIMIT or self.offset < 0:
            raise ApiError(400, f"limit must be 1..{QL_MAX_LIMIT} and offset >= 0")
        self.aggr = p.get("aggrMethod")
        self.period = p.get("aggrPeriod")
        if self.aggr is not None and self.aggr not in AGGR_METHODS:
            raise ApiError(400, f"aggrMethod must be one of {', '.join(AGGR_METHODS)}")
        if self.period is not None and self.period not in AGGR_PERIODS:
            raise ApiError(400, f"aggrPeriod must be one of {', '.join(AGGR_PERIODS)}")
        if self.period is not None and self.aggr is None:
            raise ApiError(400, "aggrPeriod needs aggrMethod")
        self.attrs = req.csv("attrs")
        self.ids = req.csv("id")
        self.type = p.get("type")

    def samples(self, store: TenantStore, rec: EntityRecord, name: str) -> list[tuple[float, Any]]:
        rows = [
            (t, v)
            for t, v in store.history(rec, name)
            if (self.t0 is None or t >= self.t0) and (self.t1 is None or t <= self.t1)
        ]
        if self.last_n is not None:
            rows = rows[-self.last_n :] if self.last_n > 0 else []
        rows = rows[self.offset : self.offset + self.limit]
        return _aggregate(rows, self.aggr, self.period) if self.aggr else rows


def _bucket(t: float, period: str | None) -> float:
    if period is None:
        return 0.0
    dt = datetime.fromtimestamp(t, UTC)
    keep = AGGR_PERIODS.index(period)
    parts = [dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second]
    floor = parts[: keep + 1] + [1, 1, 0, 0, 0, 0][keep + 1 :]
    return datetime(*floor, tzinfo=UTC).timestamp()


def _aggregate(rows: list[tuple[float, Any]], method: str, period: str | None) -> list[tuple[float, Any]]:
    groups: dict[float, list] = {}
    for t, v in rows:
        groups.setdefault(_bucket(t, period) if period else rows[0][0], []).append(v)
    out = []
    for start, values in sorted(groups.items()):
        numbers = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if method == "count":
            out.append((start, len(values)))
        elif not numbers:
            out.append((start, None))
        else:
            result = {"sum": sum(numbers), "avg": sum(numbers) / len(numbers), "min": min(numbers),
                      "max": max(numbers)}[method]  # fmt: skip
            out.append((start, result))
    return out


def handle(sim: SimContext, req: Request) -> Response:
    seg = req.segments[1:]  # after "ql"
    if seg in (["version"], ["v2", "version"]):
        return Response.json({"version": "0.8.3"})
    if req.method != "GET" or len(seg) < 2 or seg[0] != "v2":
        raise ApiError(400, f"service '{req.path}' not found")
    try:
        store = sim.store.tenant(req.header("fiware-service"))
    except PathError as exc:
        raise ApiError(400, str(exc)) from exc
    params = _Params(req)
    rest = seg[1:]
    value_only = rest[-1] == "value" and len(rest) in (3, 5) if rest[0] == "entities" else rest[-1] == "value"
    if value_only:
        rest = rest[:-1]
    with store.lock:
        if rest[0] == "entities":
            return _entities(store, params, rest[1:], value_only)
        if rest[0] == "types" and len(rest) >= 2:
            return _type(store, params, rest[1], rest[3] if len(rest) == 4 and rest[2] == "attrs" else None,
                         value_only, len(rest) in (2, 4))  # fmt: skip
        if rest[0] == "attrs" and len(rest) == 2:
            return _attr_all(store, params, rest[1], value_only)
    raise ApiError(400, f"service '{req.path}' not found")


def _one_attr(store: TenantStore, params: _Params, rec: EntityRecord, name: str) -> dict | None:
    rows = params.samples(store, rec, name) if name in rec.attrs else []
    if not rows:
        return None
    return {"index": [iso(t) for t, _ in rows], "values": [v for _, v in rows]}


def _attrs_of(store: TenantStore, params: _Params, rec: EntityRecord) -> dict | None:
    attributes, index = [], []
    for name in params.attrs or list(rec.attrs):
        rows = params.samples(store, rec, name) if name in rec.attrs else []
        if rows:
            attributes.append({"attrName": name, "values": [v for _, v in rows]})
            if len(rows) > len(index):
                index = [iso(t) for t, _ in rows]
    return {"index": index, "attributes": attributes} if attributes else None


def _entities(store: TenantStore, params: _Params, rest: list[str], value_only: bool) -> Response:
    if not rest:  # GET /v2/entities: the entities with history, and when each last changed
        recs = [r for r in store.by_id.values() if (params.type is None or r.type == params.type)]
        if params.ids is not None:
            recs = [r for r in recs if r.id in params.ids]
        if not recs:
            return _NOT_FOUND
        page = recs[params.offset : params.offset + params.limit]
        return Response.json([{"entityId": r.id, "entityType": r.type, "index": iso(r.modified)} for r in page])
    rec = store.get(rest[0])
    if rec is None or (params.type and params.type != rec.type):
        return _NOT_FOUND
    if len(rest) == 3 and rest[1] == "attrs":
        one = _one_attr(store, params, rec, rest[2])
        if one is None:
            return _NOT_FOUND
        if value_only:
            return Response.json(one)
        return Response.json({"entityId": rec.id, "entityType": rec.type, "attrName": rest[2], **one})
    if len(rest) == 1:
        many = _attrs_of(store, params, rec)
        if many is None:
            return _NOT_FOUND
        return Response.json(many if value_only else {"entityId": rec.id, "entityType": rec.type, **many})
    raise ApiError(400, "service not found")


def _type(store: TenantStore, params: _Params, etype: str, attr: str | None, value_only: bool, known: bool) -> Response:
    if not known:
        raise ApiError(400, "service not found")
    recs = [r for r in store.by_id.values() if r.type == etype and (params.ids is None or r.id in params.ids)]
    entities = []
    for rec in recs:
        part = _one_attr(store, params, rec, attr) if attr else _attrs_of(store, params, rec)
        if part is not None:
            entities.append({"entityId": rec.id, **part})
    if not entities:
        return _NOT_FOUND
    if value_only:
        return Response.json({"values": entities} if attr else {"entities": entities})
    head = {"entityType": etype, "attrName": attr} if attr else {"entityType": etype}
    return Response.json({**head, "entities": entities})


def _attr_all(store: TenantStore, params: _Params, attr: str, value_only: bool) -> Response:
    by_type: dict[str, list] = {}
    for rec in store.by_id.values():
        if params.type and rec.type != params.type:
            continue
        part = _one_attr(store, params, rec, attr)
        if part is not None:
            by_type.setdefault(rec.type, []).append({"entityId": rec.id, **part})
    if not by_type:
        return _NOT_FOUND
    types = [{"entityType": t, "entities": e} for t, e in sorted(by_type.items())]
    return Response.json({"values": types} if value_only else {"attrName": attr, "types": types})
