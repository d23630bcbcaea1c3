"""Past values of an attribute: the NGSI-LD temporal API (the broker's, or Mintaka's at the
connection's ``temporal_url``), or QuantumLeap beside an NGSI-v2 broker."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from smartcity_qgis.cityos_client.errors import CityOSError, ServerError
from smartcity_qgis.cityos_client.queries import LD_ROOT, tenancy_headers
from smartcity_qgis.cityos_client.session import BrokerSession
from smartcity_qgis.cityos_client.values import format_datetime, parse_datetime, typed_datetime

QUANTUMLEAP_PAGE = 10000  # QuantumLeap's default and maximum limit
_MAX_PAGES = 1000


def fetch_history(
    client: BrokerSession,
    entity_id: str,
    attr: str,
    start: datetime | None,
    end: datetime | None,
    last_n: int | None,
) -> list[tuple[datetime, Any]]:
    """(time, value) pairs of ``attr`` of ``entity_id``, oldest first, each time once."""
    if client.config.is_ld:
        points = _ld_history(client, entity_id, attr, start, end, last_n)
    else:
        points = _quantumleap_history(client, entity_id, attr, start, end, last_n)
    unique = dict(points)  # later duplicates (page overlaps) replace earlier ones
    return sorted(unique.items(), key=lambda p: p[0])


def temporal_root(base: str) -> str:
    """The NGSI-LD API root of a temporal service: the broker, or Mintaka at its own URL
    (given with or without ``/ngsi-ld/v1``)."""
    base = base.rstrip("/")
    return base if base.endswith(LD_ROOT) else base + LD_ROOT


def _ld_params(attr: str, start: datetime | None, end: datetime | None, last_n: int | None) -> dict[str, Any]:
    params: dict[str, Any] = {"attrs": attr, "options": "temporalValues"}
    if start is not None and end is not None:
        params.update(timerel="between", timeAt=format_datetime(start), endTimeAt=format_datetime(end))
    elif start is not None:
        params.update(timerel="after", timeAt=format_datetime(start))
    elif end is not None:
        params.update(timerel="before", timeAt=format_datetime(end))
    if last_n:
        params["lastN"] = int(last_n)
    return params


def _ld_points(raw: Any) -> list[tuple[datetime, Any]]:
    """Points of one attribute of a temporal entity (temporalValues or normalized instances)."""
    points: list[tuple[datetime, Any]] = []
    for block in raw if isinstance(raw, list) else [raw]:
        if not isinstance(block, dict):
            continue
        values = block.get("values")
        if isinstance(values, list):  # temporalValues: [[value, time], ...]
            for pair in values:
                if isinstance(pair, list) and len(pair) >= 2:
                    when = parse_datetime(pair[1])
                    if when is not None:
                        points.append((when, typed_datetime(pair[0])))
            continue
        value_key = "object" if block.get("type") == "Relationship" else "value"
        if value_key in block:  # one normalized instance
            when = parse_datetime(block.get("observedAt") or block.get("modifiedAt") or block.get("createdAt"))
            if when is not None:
                points.append((when, typed_datetime(block[value_key])))
    return points


def _attribute_of(temporal: dict, attr: str) -> Any:
    """The asked attribute in a temporal entity: under the name asked for, or, when the broker
    compacted that name differently (an IRI asked, a term of the @context answered), the one
    attribute the answer holds."""
    if attr in temporal:
        return temporal[attr]
    others = [k for k in temporal if k not in ("id", "type", "@context", "createdAt", "modifiedAt")]
    return temporal[others[0]] if len(others) == 1 else None


def _ld_history(
    client: BrokerSession,
    entity_id: str,
    attr: str,
    start: datetime | None,
    end: datetime | None,
    last_n: int | None,
) -> list[tuple[datetime, Any]]:
    url = (
        temporal_root(client.config.temporal_url or client.config.url)
        + "/temporal/entities/"
        + quote(entity_id, safe="")
    )
    params = _ld_params(attr, start, end, last_n)
    points: list[tuple[datetime, Any]] = []
    for _ in range(_MAX_PAGES):
        resp = client.http.request("GET", url, params=params, headers=client.headers())
        if not isinstance(resp.data, dict):
            raise ServerError(f"the temporal answer for {entity_id} is not an entity ({url})", url=url)
        page = _ld_points(_attribute_of(resp.data, attr))
        points.extend(page)
        # 206 Partial Content: the broker cut the range; ask again after the last instant received.
        if resp.status != 206 or not page or last_n:
            break
        latest = max(p[0] for p in page)
        params = _ld_params(attr, latest, end, None)
    return points


def _quantumleap_history(
    client: BrokerSession,
    entity_id: str,
    attr: str,
    start: datetime | None,
    end: datetime | None,
    last_n: int | None,
) -> list[tuple[datetime, Any]]:
    base = client.config.timeseries_url
    if not base:
        raise CityOSError(
            "history of an NGSI-v2 broker needs a time-series (QuantumLeap) URL in the connection settings"
        )
    url = base.rstrip("/") + "/v2/entities/" + quote(entity_id, safe="") + "/attrs/" + quote(attr, safe="")
    headers = tenancy_headers(client.config)
    params: dict[str, Any] = {"limit": QUANTUMLEAP_PAGE}
    if start is not None:
        params["fromDate"] = format_datetime(start)
    if end is not None:
        params["toDate"] = format_datetime(end)
    if last_n:
        params["lastN"] = int(last_n)
    points: list[tuple[datetime, Any]] = []
    offset = 0
    for _ in range(_MAX_PAGES):
        resp = client.http.request("GET", url, params={**params, "offset": offset}, headers=headers)
        data = resp.data if isinstance(resp.data, dict) else {}
        index, values = data.get("index"), data.get("values")
        if not isinstance(index, list) or not isinstance(values, list) or len(index) != len(values):
            raise ServerError(f"the time-series answer for {entity_id}.{attr} has no matching index/values", url=url)
        for when, value in zip(index, values, strict=True):
            moment = parse_datetime(when)
            if moment is not None:
                points.append((moment, typed_datetime(value)))
        offset += len(index)
        if len(index) < QUANTUMLEAP_PAGE or last_n:
            break
    return points
