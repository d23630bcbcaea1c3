"""The ``q`` filter languages: NGSI-v2 (Orion) and NGSI-LD (ETSI GS CIM 009 §4.9).

Both compile a query string into a predicate over stored entities; a malformed query raises
``QueryError`` carrying the text the broker answers with (400).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from smartcity_qgis.cityos_sim.model import EntityRecord, looks_like_date, parse_time, short_type

Predicate = Callable[[EntityRecord], bool]
_OPS_V2 = ("==", "!=", ">=", "<=", "~=", ">", "<", ":")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


class QueryError(ValueError):
    """A ``q`` the broker cannot parse."""


class _Date(float):
    """A query value that is a date: compared against DateTime attributes as epoch seconds."""


def _split_outside_quotes(text: str, sep: str, quotes: str) -> list[str]:
    parts, buf, quote = [], [], None
    for ch in text:
        if quote:
            buf.append(ch)
            if ch == quote:
                quote = None
        elif ch in quotes:
            quote = ch
            buf.append(ch)
        elif ch == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    if quote:
        raise QueryError("unterminated quote in q")
    parts.append("".join(buf))
    return parts


def _literal(token: str, quotes: str) -> Any:
    token = token.strip()
    if len(token) >= 2 and token[0] in quotes and token[-1] == token[0]:
        return token[1:-1]
    if _NUMBER.match(token):
        return float(token)
    if token in ("true", "false"):
        return token == "true"
    if token == "null":
        return None
    if looks_like_date(token):
        try:
            return _Date(parse_time(token))
        except ValueError:
            return token
    return token


def _comparable(actual: Any, wanted: Any, attr_type: str | None, strict: bool = False) -> tuple[Any, Any] | None:
    """Both sides in one comparable domain, or None when they cannot be compared (no match).

    ``strict`` is Orion's rule (NGSI-v2): a DateTime attribute is a date, so only an unquoted date
    compares with it, and an unquoted date compares with nothing else (MongoDB compares no number
    with a string).
    """
    if strict and (attr_type == "DateTime") != isinstance(wanted, _Date) and not isinstance(wanted, (list, tuple)):
        return None
    if isinstance(wanted, _Date):
        if isinstance(actual, str) and (attr_type == "DateTime" or looks_like_date(actual)):
            try:
                return parse_time(actual), float(wanted)
            except ValueError:
                return None
        return None
    if isinstance(wanted, bool):
        return (actual, wanted) if isinstance(actual, bool) else None
    if isinstance(wanted, float):
        if isinstance(actual, (int, float)) and not isinstance(actual, bool):
            return float(actual), wanted
        return None
    if isinstance(wanted, str):
        return (actual, wanted) if isinstance(actual, str) else None
    if wanted is None:
        return (None, None) if actual is None else None
    return None


def _compare(op: str, actual: Any, wanted: Any, attr_type: str | None, strict: bool = False) -> bool:
    if isinstance(actual, list):
        return (
            any(_compare(op, item, wanted, attr_type, strict) for item in actual)
            if op != "!="
            else all(_compare(op, item, wanted, attr_type, strict) for item in actual)
        )
    if op in ("==", "!="):
        if isinstance(wanted, tuple) and wanted and wanted[0] == "range":
            lo, hi = (
                _comparable(actual, wanted[1], attr_type, strict),
                _comparable(actual, wanted[2], attr_type, strict),
            )
            hit = lo is not None and hi is not None and lo[1] <= lo[0] <= hi[1]
        elif isinstance(wanted, list):
            hit = any(_compare("==", actual, w, attr_type, strict) for w in wanted)
        else:
            pair = _comparable(actual, wanted, attr_type, strict)
            hit = pair is not None and pair[0] == pair[1]
        return hit if op == "==" else not hit
    if op in ("~=", "!~="):
        if not isinstance(actual, str):
            return False
        hit = re.search(str(wanted), actual) is not None
        return hit if op == "~=" else not hit
    pair = _comparable(actual, wanted, attr_type, strict)
    if pair is None:
        return False
    a, w = pair
    try:
        return {">": a > w, "<": a < w, ">=": a >= w, "<=": a <= w}[op]
    except TypeError:
        return False


_MISSING = object()


# The broker's own times of an entity, by the name each flavor gives them in ``q``.
_SYSTEM_TIMES_V2 = {"dateCreated": "created", "dateModified": "modified"}
_SYSTEM_TIMES_LD = {"createdAt": "created", "modifiedAt": "modified"}


def _resolve(rec: EntityRecord, path: list[str], ld: bool) -> tuple[Any, str | None]:
    """The value at an attribute path (``attr``, ``attr.sub``, LD ``attr[key]``), or _MISSING.

    The built-in times are attributes too: ``dateCreated`` / ``dateModified`` (NGSI-v2, as in
    Orion) and ``createdAt`` / ``modifiedAt`` (NGSI-LD system attributes, also ``attr.modifiedAt``).
    """
    name = path[0]
    if name == "id":
        return rec.id, "Text"
    if name == "type" and "type" not in rec.attrs:
        return rec.type, "Text"
    system = (_SYSTEM_TIMES_LD if ld else _SYSTEM_TIMES_V2).get(name)
    if system is not None and len(path) == 1 and name not in rec.attrs:
        return _iso_or_none(getattr(rec, system)), "DateTime"
    attr = rec.attrs.get(name)
    if attr is None:
        return _MISSING, None
    value: Any = attr.value
    atype: str | None = attr.type
    rest = path[1:]
    if rest and ld and rest[0] == "observedAt":
        return (attr.observed_at and _iso_or_none(attr.observed_at)), "DateTime"
    if rest and ld and rest[0] == "modifiedAt" and len(rest) == 1:
        return (_iso_or_none(attr.modified) if attr.modified else _MISSING), "DateTime"
    if rest and attr.metadata and rest[0] in attr.metadata and not isinstance(value, dict):
        value, atype, rest = attr.metadata[rest[0]].get("value"), attr.metadata[rest[0]].get("type"), rest[1:]
    for key in rest:
        if isinstance(value, dict) and key in value:
            value, atype = value[key], None
        else:
            return _MISSING, None
    return value, atype


def _iso_or_none(ts: float) -> str | None:
    from smartcity_qgis.cityos_sim.model import iso

    return iso(ts)


def _as_date(wanted: Any) -> Any:
    """A double-quoted NGSI-LD value that is a date-time (``"2026-11-25T10:00:00Z"``) as a date."""
    if isinstance(wanted, list):
        return [_as_date(w) for w in wanted]
    if isinstance(wanted, tuple) and wanted and wanted[0] == "range":
        return ("range", _as_date(wanted[1]), _as_date(wanted[2]))
    if isinstance(wanted, str) and not isinstance(wanted, _Date) and looks_like_date(wanted):
        try:
            return _Date(parse_time(wanted))
        except ValueError:
            return wanted
    return wanted


def _resolve_metadata(rec: EntityRecord, path: list[str]) -> tuple[Any, str | None]:
    """The value of ``attr.metadataName[.sub...]`` (NGSI-v2 ``mq``), or _MISSING.

    Metadata are kept as ``{type, value}`` objects or plain values. The attribute's built-in
    ``dateModified`` counts as metadata unless the attribute carries one of its own.
    """
    attr = rec.attrs.get(path[0])
    if attr is None:
        return _MISSING, None
    user = attr.metadata or {}
    name = path[1]
    if name in user:
        meta = user[name]
        if isinstance(meta, dict) and "value" in meta:
            value, atype = meta.get("value"), meta.get("type")
        else:
            value, atype = meta, None
    elif name == "dateModified" and attr.modified:
        value, atype = _iso_or_none(attr.modified), "DateTime"
    else:
        return _MISSING, None
    for key in path[2:]:
        if isinstance(value, dict) and key in value:
            value, atype = value[key], None
        else:
            return _MISSING, None
    return value, atype


def _term(
    path: list[str], op: str | None, wanted: Any, ld: bool, negate_exists: bool = False, metadata: bool = False
) -> Predicate:
    # NGSI-LD clients (Orion-LD, Scorpio) often quote date-times: against a DateTime they compare as dates.
    wanted_date = _as_date(wanted) if ld and op not in (None, "~=", "!~=") else wanted

    def predicate(rec: EntityRecord) -> bool:
        value, atype = _resolve_metadata(rec, path) if metadata else _resolve(rec, path, ld)
        if op is None:
            exists = value is not _MISSING
            return not exists if negate_exists else exists
        if value is _MISSING:
            return False
        return _compare(op, value, wanted_date if atype == "DateTime" else wanted, atype, strict=not ld)

    return predicate


# ---------------------------------------------------------------- NGSI-v2


def _v2_value(op: str, text: str) -> Any:
    if op in ("~=",):
        return text
    if op in ("==", "!="):
        items = _split_outside_quotes(text, ",", "'")
        if len(items) > 1:
            return [_literal(i, "'") for i in items]
        if ".." in text and not (text.startswith("'") and text.endswith("'")):
            lo, hi = text.split("..", 1)
            return ("range", _literal(lo, "'"), _literal(hi, "'"))
    return _literal(text, "'")


def compile_q_v2(q: str) -> Predicate:
    """NGSI-v2 ``q``: ``;``-separated statements (AND) of ``attr``, ``!attr`` or ``attr<op>value``."""
    return _compile_v2(q, metadata=False)


def compile_mq_v2(mq: str) -> Predicate:
    """NGSI-v2 ``mq``: the ``q`` grammar over attribute metadata, each left side ``attr.metadataName``.

    ``waterLevel.unitCode==MTR``, ``temperature.accuracy<0.5``, ``waterLevel.unitCode`` (exists),
    ``!waterLevel.unitCode`` (does not exist); ``;`` joins statements (AND). A malformed ``mq``
    raises ``QueryError`` with Orion's wording.
    """
    return _compile_v2(mq, metadata=True)


def _compile_v2(text: str, metadata: bool) -> Predicate:
    terms: list[Predicate] = []
    for statement in _split_outside_quotes(text, ";", "'"):
        statement = statement.strip()
        if not statement:
            raise QueryError("empty q-item" if metadata else "empty q statement")
        if statement.startswith("!"):
            path = _v2_path(statement[1:], metadata)
            terms.append(_term(path, None, None, False, negate_exists=True, metadata=metadata))
            continue
        pos, op = _find_op(statement)
        if op is None:
            terms.append(_term(_v2_path(statement, metadata), None, None, False, metadata=metadata))
            continue
        left, right = statement[:pos].strip(), statement[pos + len(op) :].strip()
        if metadata and not left:
            raise QueryError("empty left-hand-side in q-item")
        if not right:
            raise QueryError("empty right-hand-side in q-item" if metadata else f"empty right-hand-side for {op} in q")
        canonical = "==" if op == ":" else op
        value = _v2_value(canonical, right)
        if canonical == "~=":
            try:
                re.compile(value)
            except re.error as exc:
                if metadata:
                    raise QueryError(f"error compiling filter regex: '{value}'") from exc
        terms.append(_term(_v2_path(left, metadata), canonical, value, False, metadata=metadata))
    return lambda rec: all(t(rec) for t in terms)


def _v2_path(text: str, metadata: bool = False) -> list[str]:
    text = text.strip()
    if metadata:
        if not text or any(c in text for c in '<>=!~;()"'):
            raise QueryError("invalid character found in URI param /mq/")
        parts = [p.strip("'") for p in _split_outside_quotes(text, ".", "'")]
        if len(parts) < 2 or not all(parts):
            raise QueryError("no metadata in right-hand-side of q-item")
        return parts
    if not text or any(c in text for c in "<>=!~"):
        raise QueryError(f"invalid attribute name in q: {text!r}")
    return [p.strip("'") for p in _split_outside_quotes(text, ".", "'")]


def _find_op(statement: str) -> tuple[int, str | None]:
    quote = None
    for i, ch in enumerate(statement):
        if quote:
            quote = None if ch == quote else quote
            continue
        if ch == "'":
            quote = ch
            continue
        for op in _OPS_V2:
            if statement.startswith(op, i):
                return i, op
    return -1, None


# ---------------------------------------------------------------- NGSI-LD


# Members of an NGSI-LD attribute that a q path may name after a dot (core terms, never expanded).
_LD_ATTR_MEMBERS = frozenset(("observedAt", "modifiedAt", "createdAt", "unitCode", "datasetId"))


class _LDParser:
    """Recursive descent over the LD grammar: OR (``|``) of AND (``;``) of terms, with parentheses."""

    OPS = ("!~=", "==", "!=", ">=", "<=", "~=", ">", "<")

    def __init__(self, text: str, rename: Callable[[str], str]) -> None:
        self.text = text
        self.pos = 0
        self.rename = rename

    def parse(self) -> Predicate:
        pred = self._or()
        if self.pos != len(self.text):
            raise QueryError(f"unexpected {self.text[self.pos :]!r} in q")
        return pred

    def _or(self) -> Predicate:
        parts = [self._and()]
        while self._peek("|"):
            self.pos += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else (lambda rec: any(p(rec) for p in parts))

    def _and(self) -> Predicate:
        parts = [self._term()]
        while self._peek(";"):
            self.pos += 1
            parts.append(self._term())
        return parts[0] if len(parts) == 1 else (lambda rec: all(p(rec) for p in parts))

    def _peek(self, token: str) -> bool:
        return self.text.startswith(token, self.pos)

    def _term(self) -> Predicate:
        if self._peek("("):
            self.pos += 1
            inner = self._or()
            if not self._peek(")"):
                raise QueryError("missing ) in q")
            self.pos += 1
            return inner
        negate = False
        if self._peek("!") and not any(self._peek(op) for op in self.OPS):
            negate = True
            self.pos += 1
        match = re.compile(r"[^\s=!<>~;|()]+").match(self.text, self.pos)
        if not match:
            raise QueryError(f"attribute expected at {self.text[self.pos :]!r} in q")
        self.pos = match.end()
        path = self._path(match.group(0))
        op = next((o for o in self.OPS if self._peek(o)), None)
        if op is None:
            return _term(path, None, None, True, negate_exists=negate)
        if negate:
            raise QueryError("! only negates an attribute's existence in q")
        self.pos += len(op)
        return _term(path, op, self._value(op), True)

    def _path(self, token: str) -> list[str]:
        head, *brackets = token.split("[")
        # An IRI's own dots (host, path) are not sub-property steps: those follow its last segment.
        cut = max(head.rfind("/"), head.rfind("#")) if "://" in head else -1
        steps = head[cut + 1 :].split(".")
        steps[0] = head[: cut + 1] + steps[0]
        parts = [self.rename(steps[0])] + [self.rename(p) if p not in _LD_ATTR_MEMBERS else p for p in steps[1:]]
        for b in brackets:
            if not b.endswith("]"):
                raise QueryError(f"bad attribute path {token!r} in q")
            parts.append(b[:-1])
        return parts

    def _value(self, op: str) -> Any:
        start, quote, depth = self.pos, False, 0
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == '"':
                quote = not quote
            elif not quote and ch == "(":
                depth += 1
            elif not quote and ch == ")":
                if depth == 0:
                    break
                depth -= 1
            elif not quote and ch in ";|":
                break
            self.pos += 1
        raw = self.text[start : self.pos].strip()
        if not raw:
            raise QueryError(f"value expected after {op} in q")
        if op in ("~=", "!~="):
            return raw[1:-1] if raw.startswith('"') and raw.endswith('"') else raw
        items = _split_outside_quotes(raw, ",", '"')
        if len(items) > 1:
            return [_literal(i, '"') for i in items]
        if ".." in raw and not raw.startswith('"'):
            lo, hi = raw.split("..", 1)
            return ("range", _literal(lo, '"'), _literal(hi, '"'))
        return _literal(raw, '"')


def compile_q_ld(q: str, rename: Callable[[str], str] = short_type) -> Predicate:
    """NGSI-LD ``q``: terms joined by ``;`` (AND) and ``|`` (OR), with parentheses; strings in double quotes.

    ``rename`` turns the attribute names of the request into the store's (its @context expands them).
    """
    if not q.strip():
        raise QueryError("empty q")
    return _LDParser(q.strip(), rename).parse()
