"""Requests, responses and errors as both NGSI flavors shape them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from smartcity_qgis.cityos_sim.render import dumps

LD_ERRORS = "https://uri.etsi.org/ngsi-ld/errors/"
V2_MAX_LIMIT = 1000
LD_MAX_LIMIT = 1000

# v2 error names per status, as Orion writes them
_V2_NAMES = {
    400: "BadRequest",
    401: "Unauthorized",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "TooManyResults",
    411: "ContentLengthRequired",
    413: "RequestEntityTooLarge",
    415: "UnsupportedMediaType",
    422: "Unprocessable",
    500: "InternalServerError",
    503: "ServiceUnavailable",
}
_LD_NAMES = {
    400: "BadRequestData",
    401: "Unauthorized",
    404: "ResourceNotFound",
    405: "OperationNotSupported",
    409: "AlreadyExists",
    415: "UnsupportedMediaType",
    422: "OperationNotSupported",
    500: "InternalError",
    503: "ServiceUnavailable",
}


class ApiError(Exception):
    """An error answer; ``error`` overrides the default name (v2 ``error`` / LD type suffix)."""

    def __init__(
        self, status: int, description: str, error: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.error = error
        self.headers = headers or {}


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(
        cls, obj: Any, status: int = 200, content_type: str = "application/json", headers: dict[str, str] | None = None
    ) -> Response:
        text = obj if isinstance(obj, str) else dumps(obj)
        return cls(status, text.encode("utf-8"), {"Content-Type": content_type, **(headers or {})})

    @classmethod
    def empty(cls, status: int = 204, headers: dict[str, str] | None = None) -> Response:
        return cls(status, b"", dict(headers or {}))


def error_response(err: ApiError, flavor: str) -> Response:
    """v2 ``{"error","description"}`` or LD ProblemDetails."""
    if flavor == "ld":
        name = err.error or _LD_NAMES.get(err.status, "InternalError")
        body = {"type": LD_ERRORS + name, "title": _title(name), "detail": err.description}
        return Response.json(body, err.status, headers=err.headers)
    name = err.error or _V2_NAMES.get(err.status, "InternalServerError")
    return Response.json({"error": name, "description": err.description}, err.status, headers=err.headers)


def _title(name: str) -> str:
    words, word = [], ""
    for ch in name:
        if ch.isupper() and word and not word[-1].isupper():
            words.append(word)
            word = ""
        word += ch
    words.append(word)
    return " ".join(words)


class Request:
    """One HTTP request: path split, query parameters, headers (case-insensitive), body."""

    def __init__(self, method: str, target: str, headers: Any, body: bytes) -> None:
        parts = urlsplit(target)
        self.method = method
        self.raw_path = parts.path
        self.path = unquote(parts.path)
        self.segments = [unquote(s) for s in parts.path.split("/") if s]
        self.params: dict[str, str] = {}
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            self.params.setdefault(key, value)
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body
        self.shift_page = False  # set by the "page changes while paging" fault

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def json_body(self, flavor: str) -> Any:
        if not self.body:
            raise ApiError(
                411 if flavor == "v2" else 400,
                "Zero/No Content-Length in PUT/POST/PATCH request" if flavor == "v2" else "empty payload body",
                "ContentLengthRequired" if flavor == "v2" else "InvalidRequest",
            )
        ctype = (self.header("content-type") or "").split(";")[0].strip()
        allowed = ("application/json",) if flavor == "v2" else ("application/json", "application/ld+json")
        if ctype not in allowed:
            raise ApiError(415, f"not supported content type: {ctype or '(none)'}")
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            if flavor == "v2":
                raise ApiError(400, "Errors found in incoming JSON buffer", "ParseError") from exc
            raise ApiError(400, f"JSON parse error: {exc}", "InvalidRequest") from exc

    def csv(self, name: str) -> list[str] | None:
        raw = self.params.get(name)
        if raw is None or raw == "":
            return None
        return [p.strip() for p in raw.split(",") if p.strip()]

    def options(self) -> set[str]:
        return set(self.csv("options") or [])

    def paging(self, flavor: str, default_limit: int = 20) -> tuple[int, int]:
        """(limit, offset) with each broker's rules (v2 0..1000; LD max 1000, limit=0 only with count)."""
        max_limit = V2_MAX_LIMIT if flavor == "v2" else LD_MAX_LIMIT
        raw_limit, raw_offset = self.params.get("limit"), self.params.get("offset")
        try:
            limit = default_limit if raw_limit is None else int(raw_limit)
        except ValueError:
            limit = -1
        if flavor == "v2":
            # Current Orion answers limit=0 with an empty page (and the count when asked for).
            if raw_limit is not None and not raw_limit.isdigit():
                raise ApiError(400, f"Bad pagination limit: /{raw_limit}/ [must be a decimal number]")
            if limit > max_limit:
                raise ApiError(400, f"Bad pagination limit: /{raw_limit}/ [max: {max_limit}]")
        else:
            if limit < 0 or limit > max_limit:
                raise ApiError(
                    400,
                    f"Invalid value for URI parameter /limit/: {raw_limit} (must be an integer value <= {max_limit})",
                    "BadRequestData",
                )
            if limit == 0 and self.params.get("count") != "true":
                raise ApiError(
                    400, "Invalid value for URI parameter /limit/: 0 is allowed only with count=true", "BadRequestData"
                )
        try:
            offset = 0 if raw_offset is None else int(raw_offset)
        except ValueError:
            offset = -1
        if offset < 0:
            what = "Bad pagination offset" if flavor == "v2" else "Invalid value for URI parameter /offset/"
            raise ApiError(
                400, f"{what}: /{raw_offset}/ [must be a decimal number]", None if flavor == "v2" else "BadRequestData"
            )
        return limit, offset
