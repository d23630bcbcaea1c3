"""Attribute values shared by both NGSI flavors: dates and date-like strings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def format_datetime(value: datetime) -> str:
    """``value`` as brokers write times: UTC, milliseconds, ``Z`` (a naive value is taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def parse_datetime(text: Any) -> datetime | None:
    """An aware datetime for an ISO 8601 string (naive times are UTC, as in Orion); None if not a date."""
    if type(text) is not str or len(text) < 10:
        return None
    try:
        if text[-1] == "Z" or text[-1] == "z":
            value = datetime.fromisoformat(text[:-1] + "+00:00")
        else:
            value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def maybe_datetime(value: Any) -> Any:
    """``value`` as a datetime when it is a full ISO 8601 date-time string, else unchanged.

    Only strings shaped ``YYYY-MM-DDThh:mm...`` are tried, so that names,
    codes and plain dates stay text.
    """
    if (
        type(value) is str
        and len(value) >= 16
        and value[10] == "T"
        and value[4] == "-"
        and value[7] == "-"
        and value[13] == ":"
    ):
        parsed = parse_datetime(value)
        if parsed is not None:
            return parsed
    return value


def typed_datetime(value: Any) -> Any:
    """Unwrap JSON-LD ``{"@type": "DateTime", "@value": "..."}`` and parse date strings."""
    if type(value) is dict and "@value" in value:
        value = value["@value"]
    return maybe_datetime(value)
