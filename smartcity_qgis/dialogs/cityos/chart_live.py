"""What the chart can show without a history: the live values it has seen, and why there is no more.

`LiveValues` keeps every numeric value live mode delivered while the plugin runs (and the value
each feature holds when the chart first looks at it), per entity and attribute, so that a city
OS without a history service still gets a chart of what happened since. `history_source` tells
whether a connection can give a history at all: NGSI-LD brokers through their temporal API,
NGSI-v2 brokers only with a QuantumLeap (time-series) URL.
"""

from __future__ import annotations

import collections
from datetime import UTC, datetime
from typing import Any

from qgis.PyQt.QtCore import QDateTime, QVariant

MAX_POINTS = 5000  # per entity and attribute: days of one-minute readings


def history_source(config: Any) -> str | None:
    """Where history comes from: ``temporal`` (NGSI-LD), ``quantumleap`` (NGSI-v2 with its URL), else None."""
    if getattr(config, "is_ld", False):
        return "temporal"
    return "quantumleap" if getattr(config, "timeseries_url", "") else None


def history_unavailable(exc: BaseException) -> bool:
    """True when the city OS answered but gave no history (no such service, nothing kept, no URL set)."""
    from smartcity_qgis.cityos_client import errors

    if isinstance(exc, (errors.NotFoundError, errors.BadRequestError, errors.ServerError)):
        return True
    return type(exc) is errors.CityOSError  # e.g. no time-series URL in the connection


def _moment(value: Any) -> datetime | None:
    if isinstance(value, QVariant):
        value = None if value.isNull() else value.value()
    if isinstance(value, QDateTime) and value.isValid():
        return datetime.fromtimestamp(value.toMSecsSinceEpoch() / 1000, UTC)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, QVariant):
        value = None if value.isNull() else value.value()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
        return float(value)
    return None


class LiveValues:
    """Values seen per (entity id, attribute), oldest first, at most `MAX_POINTS` each."""

    def __init__(self) -> None:
        self._points: dict[tuple[str, str], collections.deque] = {}

    def add(self, entity_id: str, attr: str, value: Any, when: datetime | None = None) -> bool:
        """Record a value (numbers only); returns whether it was kept."""
        number = _number(value)
        if number is None:
            return False
        points = self._points.setdefault((str(entity_id), attr), collections.deque(maxlen=MAX_POINTS))
        moment = when or datetime.now(UTC)
        if points and points[-1] == (moment, number):
            return False
        points.append((moment, number))
        return True

    def add_feature(self, feature, attr: str, field: str) -> bool:
        """Record the value a feature holds now, at its attribute's own observation time (else the entity's)."""
        names = feature.fields().names()
        if field not in names:
            return False
        when = None
        for time_field in (f"{field}_observed_at", "observed_at", "received_at"):
            if time_field in names:
                when = _moment(feature[time_field])
                if when is not None:
                    break
        return self.add(str(feature["entity_id"]), attr, feature[field], when)

    def series(self, entity_id: str, attr: str) -> list[tuple[datetime, float]]:
        """The values seen, oldest first."""
        return sorted(self._points.get((str(entity_id), attr), ()))

    def since(self, entity_ids, attr: str) -> datetime | None:
        """When the first value seen of these entities was observed (None when none was seen)."""
        firsts = [points[0][0] for key in entity_ids if (points := self.series(key, attr))]
        return min(firsts) if firsts else None


def merged(history: list[tuple[datetime, float]], seen: list[tuple[datetime, float]]) -> list[tuple[datetime, float]]:
    """History, then the values seen after its last point (live mode may be ahead of the history)."""
    last = max((t for t, _ in history), default=None)
    return sorted([*history, *(p for p in seen if last is None or p[0] > last)])
