"""The NGSI-LD temporal API: retrieve one entity's history, query many, aggregated values.

Representations (ETSI GS CIM 009 §4.5.7–4.5.9, §4.5.19): normalized instances carry ``value``
(``object`` for a Relationship, ``languageMap`` for a LanguageProperty) and ``observedAt``; the
simplified form (``options=temporalValues``) gives ``values`` (``objects`` / ``languageMaps``) as
``[value, time]`` pairs; ``options=aggregatedValues`` with ``aggrMethods`` and
``aggrPeriodDuration`` gives ``[result, start, end]`` triples per method.
"""

from __future__ import annotations

import re
import statistics
from typing import Any

from smartcity_qgis.cityos_sim import api_ld_common as common
from smartcity_qgis.cityos_sim.api_context import SimContext
from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response
from smartcity_qgis.cityos_sim.ld_names import LdNames
from smartcity_qgis.cityos_sim.model import Attr, EntityRecord, as_geojson, iso, parse_time
from smartcity_qgis.cityos_sim.render import dumps
from smartcity_qgis.cityos_sim.store import TenantStore

AGGR_METHODS = ("totalCount", "distinctCount", "sum", "avg", "min", "max", "stddev", "sumsq")
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
# the members that hold a value in each representation, by attribute type
_NORMALIZED = {"Relationship": "object", "LanguageProperty": "languageMap"}
_SIMPLIFIED = {"Relationship": "objects", "LanguageProperty": "languageMaps"}


def _bad(text: str) -> ApiError:
    return ApiError(400, text, "BadRequestData")


class TemporalQuery:
    """The temporal parameters of a request: time relation, lastN, attrs and representation."""

    def __init__(self, req: Request, names: LdNames) -> None:
        p = req.params
        self.names = names
        self.timerel = p.get("timerel")
        try:
            self.t0 = parse_time(p["timeAt"]) if "timeAt" in p else None
            self.t1 = parse_time(p["endTimeAt"]) if "endTimeAt" in p else None
        except ValueError as exc:
            raise _bad(f"invalid time: {exc}") from exc
        if self.timerel not in (None, "before", "after", "between"):
            raise _bad(f"invalid timerel: {self.timerel}")
        if self.timerel and (self.t0 is None or (self.timerel == "between" and self.t1 is None)):
            raise _bad("timerel needs timeAt (and endTimeAt for between)")
        last_n = p.get("lastN")
        try:
            self.last_n = int(last_n) if last_n is not None else None
        except ValueError as exc:
            raise _bad("lastN must be a positive integer") from exc
        self.attrs = [names.stored(a) for a in req.csv("attrs") or []] or None
        opts = req.options()
        self.simplified = "temporalValues" in opts or p.get("format") == "temporalValues"
        self.aggregated = "aggregatedValues" in opts or p.get("format") == "aggregatedValues"
        self.methods: list[str] = []
        self.period: float | None = None
        if self.aggregated:
            self.methods = req.csv("aggrMethods") or []
            if not self.methods or any(m not in AGGR_METHODS for m in self.methods):
                raise _bad(f"aggrMethods must be a list of {', '.join(AGGR_METHODS)}")
            if p.get("aggrPeriodDuration"):
                self.period = _duration(p["aggrPeriodDuration"])

    def keeps(self, t: float) -> bool:
        if self.timerel is None:
            return True
        if self.timerel == "before":
            return t < self.t0
        if self.timerel == "after":
            return t >= self.t0
        return self.t0 <= t < self.t1


def _duration(text: str) -> float:
    """An ISO 8601 duration of days, hours, minutes, seconds (``PT1H``, ``P1D``) in seconds."""
    match = _DURATION.match(text)
    if not match or text in ("P", "PT"):
        raise _bad(f"invalid aggrPeriodDuration: {text}")
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    total = days * 86400 + hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise _bad(f"invalid aggrPeriodDuration: {text}")
    return total


def temporal_entity(store: TenantStore, rec: EntityRecord, tq: TemporalQuery) -> dict[str, Any]:
    """One entity in the temporal representation asked for."""
    shown = tq.names.shown
    out: dict[str, Any] = {"id": rec.id, "type": shown(rec.type)}
    for name, attr in list(rec.attrs.items()):
        if tq.attrs is not None and name not in tq.attrs:
            continue
        samples = [(t, v) for t, v in store.history(rec, name) if tq.keeps(t)]
        if tq.last_n is not None:
            samples = samples[-tq.last_n :] if tq.last_n > 0 else []
        if not samples:
            continue
        kind = common.ld_kind(attr.type)
        if kind == "GeoProperty":
            samples = [(t, as_geojson(Attr(attr.type, v))) for t, v in samples]
        if tq.aggregated:
            out[shown(name)] = {"type": kind, **_aggregate(samples, tq)}
        elif tq.simplified:
            out[shown(name)] = {"type": kind, _SIMPLIFIED.get(kind, "values"): [[v, iso(t)] for t, v in samples]}
        else:
            member = _NORMALIZED.get(kind, "value")
            out[shown(name)] = [{"type": kind, member: v, "observedAt": iso(t)} for t, v in samples]
    return out


def _aggregate(samples: list[tuple[float, Any]], tq: TemporalQuery) -> dict[str, list]:
    start, end = samples[0][0], samples[-1][0] + 0.001
    if tq.timerel == "between":
        start, end = tq.t0, tq.t1
    step = tq.period or (end - start) or 1.0
    buckets: dict[int, list] = {}
    for t, v in samples:
        buckets.setdefault(int((t - start) // step), []).append(v)
    out: dict[str, list] = {m: [] for m in tq.methods}
    for k in sorted(buckets):
        values = buckets[k]
        lo, hi = iso(start + k * step), iso(start + (k + 1) * step)
        numbers = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        for method in tq.methods:
            out[method].append([_apply(method, values, numbers), lo, hi])
    return out


def _apply(method: str, values: list, numbers: list[float]) -> Any:
    if method == "totalCount":
        return len(values)
    if method == "distinctCount":
        return len({dumps(v) for v in values})
    if not numbers:
        return None
    if method == "sum":
        return sum(numbers)
    if method == "avg":
        return sum(numbers) / len(numbers)
    if method == "min":
        return min(numbers)
    if method == "max":
        return max(numbers)
    if method == "sumsq":
        return sum(n * n for n in numbers)
    return statistics.pstdev(numbers) if len(numbers) > 1 else 0.0  # stddev


def _answer(body: Any, accept: str, names: LdNames) -> Response:
    if accept == "application/ld+json":
        if isinstance(body, dict):
            body["@context"] = names.context_value()
        else:
            for item in body:
                item["@context"] = names.context_value()
        return Response.json(dumps(body), 200, "application/ld+json")
    return common.json_answer(dumps(body), "application/json", names=names)


def retrieve(sim: SimContext, req: Request, eid: str) -> Response:
    """``GET /temporal/entities/{id}``."""
    accept = common.accept(req)
    names = common.link_names(sim, req)
    store = common.tenant_of(sim, req, False)
    rec = common.record(store, eid)
    return _answer(temporal_entity(store, rec, TemporalQuery(req, names)), accept, names)


def query(sim: SimContext, req: Request, find_page: Any, names: LdNames) -> Response:
    """``GET /temporal/entities``: the entities a query selects (``find_page``), each with its history."""
    accept = common.accept(req)
    store = common.tenant_of(sim, req, False)
    tq = TemporalQuery(req, names)
    page, headers = find_page(store)
    body = [temporal_entity(store, rec, tq) for rec in page]
    resp = _answer(body, accept, names)
    resp.headers.update(headers)
    return resp
