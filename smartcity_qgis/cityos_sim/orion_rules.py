"""Orion's input rules for NGSI-v2: forbidden characters, id-field syntax and URI options.

Orion refuses ``< > " ' = ; ( )`` in every value of a request (an injection guard, see Orion's manual
"Forbidden characters"), and the id fields (entity id and type, attribute and metadata names and
types) must also be plain printable ASCII without whitespace or ``& ? / #``, 1 to 256 characters
("Field syntax restrictions" of the NGSI-v2 specification). Each refusal is a 400 whose description
is Orion's own text.
"""

from __future__ import annotations

import re
from typing import Any

from smartcity_qgis.cityos_sim.model import PayloadError

MAX_ID_LEN = 256
_FORBIDDEN = re.compile(r"[<>\"'=;()]")
_FORBIDDEN_ID = re.compile(r"[<>\"'=;()&?/#\s\x00-\x1f\x7f]|[^\x00-\x7f]")
# URI parameters whose syntax needs the forbidden characters (Orion's manual, "Exceptions").
URI_PARAM_EXCEPTIONS = frozenset({"q", "mq", "georel", "coords"})

# The options Orion's URI parser knows (rest.cpp): any other answers 400.
V2_OPTIONS = frozenset(
    {
        "count",
        "append",
        "normalized",
        "values",
        "keyValues",
        "unique",
        "dateCreated",
        "dateModified",
        "noAttrDetail",
        "upsert",
        "flowControl",
        "skipForwarding",
        "forcedUpdate",
        "overrideMetadata",
    }
)
OPTIONS_ERROR = "Invalid value for URI param /options/"


def has_forbidden(text: str) -> bool:
    """True when ``text`` holds one of Orion's forbidden characters."""
    return _FORBIDDEN.search(text) is not None


def check_id_field(value: Any, what: str) -> str:
    """An entity id / type, attribute or metadata name / type, or PayloadError with Orion's text."""
    if not isinstance(value, str):
        raise PayloadError(f"Invalid JSON type for {what}")
    if not value:
        raise PayloadError(f"{what} length: 0, min length supported: 1")
    if len(value) > MAX_ID_LEN:
        raise PayloadError(f"{what} length: {len(value)}, max length supported: {MAX_ID_LEN}")
    if _FORBIDDEN_ID.search(value):
        raise PayloadError(f"Invalid characters in {what}")
    return value


def check_value(value: Any, what: str = "attribute value") -> None:
    """PayloadError ("Invalid characters in attribute value") when a string in ``value`` is forbidden.

    Compound values (objects, arrays) are walked: Orion checks every string leaf of them too.
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _FORBIDDEN.search(item):
                raise PayloadError(f"Invalid characters in {what}")
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def check_metadata(metadata: dict[str, Any]) -> None:
    """Metadata names, types and values under Orion's rules."""
    for name, body in metadata.items():
        check_id_field(name, "metadata name")
        if isinstance(body, dict):
            if "type" in body and body["type"] is not None:
                check_id_field(body["type"], "metadata type")
            check_value(body.get("value"), "metadata value")
        else:
            check_value(body, "metadata value")


def check_v2_options(options: set[str]) -> None:
    """Orion's checks of ``options``: known names, and no two output formats at once."""
    if options - V2_OPTIONS:
        raise PayloadError(OPTIONS_ERROR)
    formats = options & {"keyValues", "values", "unique"}
    if len(formats) > 1:
        raise PayloadError(OPTIONS_ERROR)
