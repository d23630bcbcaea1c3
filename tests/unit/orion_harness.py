"""Responses compared as Orion's functional-test harness compares them.

Orion's ``*.test`` files state each exchange as the request and the expected answer, the JSON body
pretty-printed with sorted keys, where ``REGEX(...)`` stands for what changes from run to run (ids,
dates, correlators). :func:`expect` does the same on the parsed JSON: every key and value must be
equal (key order aside, as sorted keys make it), a string ``"REGEX(...)"`` matching a value whose
text fully matches the expression, so one word of difference in an error description fails.
"""

from __future__ import annotations

import json
import re
from typing import Any

import requests

ISO_MS = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


def pretty(obj: Any) -> str:
    """JSON as Orion's harness prints it: sorted keys, four-space indent."""
    return json.dumps(obj, sort_keys=True, indent=4, ensure_ascii=False)


def _matches(wanted: Any, actual: Any) -> bool:
    """Equal JSON, where a wanted string ``REGEX(...)`` matches any scalar whose text fully matches."""
    if isinstance(wanted, str) and wanted.startswith("REGEX(") and wanted.endswith(")"):
        if isinstance(actual, (dict, list)):
            return False
        text = actual if isinstance(actual, str) else json.dumps(actual)
        return re.fullmatch(wanted[6:-1], text, re.DOTALL) is not None
    if isinstance(wanted, dict):
        return (
            isinstance(actual, dict)
            and sorted(wanted) == sorted(actual)
            and all(_matches(wanted[k], actual[k]) for k in wanted)
        )
    if isinstance(wanted, list):
        return (
            isinstance(actual, list)
            and len(wanted) == len(actual)
            and all(_matches(w, a) for w, a in zip(wanted, actual, strict=True))
        )
    if isinstance(wanted, bool) or isinstance(actual, bool):
        return wanted is actual
    if isinstance(wanted, (int, float)) and isinstance(actual, (int, float)):
        return wanted == actual
    return type(wanted) is type(actual) and wanted == actual


def _header_matches(wanted: str, actual: str) -> bool:
    return _matches(wanted, actual)


def expect(
    resp: requests.Response, status: int, body: Any = None, headers: dict[str, str] | None = None
) -> requests.Response:
    """Assert status, headers (``REGEX(...)`` allowed in values) and the body as Orion's harness would."""
    assert resp.status_code == status, f"{resp.request.method} {resp.request.url}: {resp.status_code} {resp.text}"
    for name, value in (headers or {}).items():
        actual = resp.headers.get(name)
        assert actual is not None, f"header {name} missing in {dict(resp.headers)}"
        assert _header_matches(value, actual), f"header {name}: {actual!r} does not match {value!r}"
    if body is None:
        assert resp.content == b"", f"expected no body, got {resp.text}"
        return resp
    actual = resp.json()
    assert _matches(body, actual), f"body differs\n--- expected\n{pretty(body)}\n--- actual\n{pretty(actual)}"
    return resp


def v2_error(error: str, description: str) -> dict[str, str]:
    """An NGSI-v2 error body."""
    return {"error": error, "description": description}


def ld_error(kind: str, title: str, detail: str | None = None) -> dict[str, str]:
    """An NGSI-LD ProblemDetails body."""
    body = {"type": f"https://uri.etsi.org/ngsi-ld/errors/{kind}", "title": title}
    if detail is not None:
        body["detail"] = detail
    return body
