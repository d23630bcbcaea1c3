"""危機管理型水位計 (crisis-management gauges) as published by 国土交通省「川の水位情報」.

The source publishes one JSON document per prefecture (``…/area_info/current/{prefCode}.json``)::

    {"obss": [{"code": "3300000015", "name": "幸田川橋－U　／　（二）幸田川",
               "obsTime": "2025-09-12T20:50:00+09:00", "level": -0.31,
               "startLevel": -0.95, "warnLevel": null, "fladLevel": 0.01,
               "lat": 34.620388, "lon": 134.05922, "townCode": "33103", "prefCode": "33000", ...}]}

A gauge has up to three thresholds — 観測開始水位 (``startLevel``), 危険水位 (``warnLevel``) and
氾濫開始水位 (``fladLevel``) — and any of them may be ``null`` (about half publish no 危険水位).
Levels are metres above the gauge's own datum and often negative. Numbers may arrive as strings.

:func:`read_area_json` turns a document into :class:`Gauge` objects. A record that cannot be
placed or has no usable level is skipped and its reason kept in ``problems``; a gauge whose
thresholds are out of order is kept, flagged, and each threshold is applied as published.
"""

from __future__ import annotations

import itertools
import json
import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

JST = timezone(timedelta(hours=9), "JST")

# Status of a gauge, least to most severe.
NORMAL = "normal"
OBSERVING = "observing"
DANGER = "danger"
FLOOD = "flood"
STATUSES = (NORMAL, OBSERVING, DANGER, FLOOD)
SEVERITY = {status: rank for rank, status in enumerate(STATUSES)}

# The published name of each threshold, in the order a rising river reaches them.
THRESHOLD_NAMES_JA = {"start_level": "観測開始水位", "warn_level": "危険水位", "flood_level": "氾濫開始水位"}
STATUS_NAMES_JA = {NORMAL: "平常", OBSERVING: "観測中", DANGER: "危険水位超過", FLOOD: "氾濫開始水位超過"}
CREDIT_JA = "出典：国土交通省 川の水位情報"
DEFAULT_SOURCE_URL = "https://k.river.go.jp/swin/files/area_info/current/{prefCode}.json"


class AreaFileError(ValueError):
    """A document that is not a 川の水位情報 area file at all (not JSON, no ``obss`` list)."""


def gauge_status(
    level: float | None, start_level: float | None, warn_level: float | None, flood_level: float | None
) -> str:
    """``flood`` / ``danger`` / ``observing`` / ``normal`` from the published thresholds only.

    Each threshold is applied as published: the most severe one reached wins, whatever their
    order. An unpublished threshold (None) is never reached, so a gauge without 危険水位 goes
    from observing straight to flood. Reaching a threshold exactly counts as reaching it.
    """
    if level is None:
        return NORMAL
    for status, threshold in ((FLOOD, flood_level), (DANGER, warn_level), (OBSERVING, start_level)):
        if threshold is not None and level >= threshold:
            return status
    return NORMAL


@dataclass(frozen=True)
class Gauge:
    """One crisis-management gauge and its latest reading (metres above the gauge datum)."""

    code: str
    name: str
    lat: float
    lon: float
    level: float
    observed_at: datetime  # timezone-aware (the source gives +09:00)
    start_level: float | None = None  # 観測開始水位
    warn_level: float | None = None  # 危険水位
    flood_level: float | None = None  # 氾濫開始水位
    town_code: str = ""
    pref_code: str = ""
    flags: tuple[str, ...] = field(default=(), compare=False)  # e.g. thresholds out of order

    @property
    def status(self) -> str:
        return gauge_status(self.level, self.start_level, self.warn_level, self.flood_level)

    @property
    def severity(self) -> int:
        """0 normal, 1 observing, 2 danger, 3 flood."""
        return SEVERITY[self.status]

    @property
    def out_of_order(self) -> bool:
        """True when the published thresholds do not rise 観測開始 < 危険 < 氾濫開始."""
        published = [t for t in (self.start_level, self.warn_level, self.flood_level) if t is not None]
        return any(a >= b for a, b in itertools.pairwise(published))

    def thresholds(self) -> dict[str, float | None]:
        """The three thresholds by field name (None where unpublished)."""
        return {"start_level": self.start_level, "warn_level": self.warn_level, "flood_level": self.flood_level}

    def margin_to_next(self) -> float | None:
        """Metres still to rise before the next published threshold above the level (None: none left)."""
        above = [t for t in self.thresholds().values() if t is not None and t > self.level]
        return min(above) - self.level if above else None


class GaugeList(list):
    """The gauges read from a document (a list), with the records skipped and why in ``problems``."""

    def __init__(self, gauges: Iterable[Gauge] = (), problems: list[str] | None = None) -> None:
        super().__init__(gauges)
        self.problems: list[str] = list(problems or [])


class _RecordError(ValueError):
    pass


def _number(value: Any, what: str) -> float | None:
    """A float from a number or a numeric string (full-width digits too); None for null or empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _RecordError(f"{what} is not a number ({value!r})")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace("−", "-")
        if text in ("", "-", "--", "null", "NULL", "None"):
            return None
        try:
            number = float(text)
        except ValueError:
            raise _RecordError(f"{what} is not a number ({value!r})") from None
    else:
        raise _RecordError(f"{what} is not a number ({value!r})")
    if not math.isfinite(number):
        raise _RecordError(f"{what} is not a finite number ({value!r})")
    return number


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_obs_time(value: Any) -> datetime:
    """The observation time, timezone-aware. A time without an offset is the source's JST."""
    if not isinstance(value, str) or not value.strip():
        raise _RecordError(f"no observation time ({value!r})")
    text = value.strip().replace("Z", "+00:00")
    if " " in text and "T" not in text:
        text = text.replace(" ", "T", 1)
    text = text.replace("/", "-")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise _RecordError(f"observation time {value!r} is not a date-time") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=JST)


def _gauge(record: Mapping[str, Any]) -> Gauge:
    code = _text(record.get("code"))
    if not code:
        raise _RecordError("no gauge code")
    lat = _number(record.get("lat"), "lat")
    lon = _number(record.get("lon"), "lon")
    if lat is None or lon is None:
        raise _RecordError("no coordinates")
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0) or (lat == 0.0 and lon == 0.0):
        raise _RecordError(f"coordinates out of range (lat {lat}, lon {lon})")
    level = _number(record.get("level"), "level")
    if level is None:
        raise _RecordError("no water level reading (null)")
    observed = parse_obs_time(record.get("obsTime"))
    flags: list[str] = []
    thresholds: dict[str, float | None] = {}
    for key, name in (("startLevel", "start_level"), ("warnLevel", "warn_level"), ("fladLevel", "flood_level")):
        try:
            thresholds[name] = _number(record.get(key), key)
        except _RecordError as exc:  # an unreadable threshold is treated as unpublished, and said so
            thresholds[name] = None
            flags.append(f"{exc}; treated as unpublished")
    gauge = Gauge(
        code=code,
        name=_text(record.get("name")) or code,
        lat=lat,
        lon=lon,
        level=level,
        observed_at=observed,
        town_code=_text(record.get("townCode")),
        pref_code=_text(record.get("prefCode")),
        **thresholds,
    )
    if gauge.out_of_order:
        published = ", ".join(
            f"{THRESHOLD_NAMES_JA[k]} {v:g} m" for k, v in gauge.thresholds().items() if v is not None
        )
        flags.append(f"thresholds out of order ({published}); each is applied as published")
    if flags:
        gauge = Gauge(**{**gauge.__dict__, "flags": tuple(flags)})
    return gauge


def _decode(data: bytes | str | Path | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(data, Mapping):
        return data
    if isinstance(data, Path):
        data = data.read_bytes()
    elif isinstance(data, str) and not data.lstrip().startswith(("{", "[")):
        data = Path(data).read_bytes()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise AreaFileError(f"the file is not UTF-8 text (undecodable byte at offset {exc.start})") from None
    try:
        decoded = json.loads(data)
    except ValueError as exc:
        raise AreaFileError(f"the file is not JSON ({exc})") from None
    if not isinstance(decoded, Mapping):
        raise AreaFileError("the file is not a 川の水位情報 area document (no object at the top)")
    return decoded


def read_area_json(data: bytes | str | Path | Mapping[str, Any]) -> GaugeList:
    """The gauges of one 川の水位情報 area document (bytes, text, a path or the decoded dict).

    Records without coordinates, code, observation time or a numeric level are skipped and
    listed in ``problems`` with their position and code. When a code appears twice, the newer
    observation is kept (the first on a tie) and the other listed. Raises `AreaFileError` only
    when the document as a whole is not an area file.
    """
    document = _decode(data)
    records = document.get("obss")
    if not isinstance(records, list):
        raise AreaFileError('the document has no "obss" list of gauges')
    problems: list[str] = []
    kept: dict[str, tuple[int, Gauge]] = {}
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            problems.append(f"record {index}: not an object; skipped")
            continue
        try:
            gauge = _gauge(record)
        except _RecordError as exc:
            code = _text(record.get("code")) or "?"
            problems.append(f"record {index} (code {code}): {exc}; skipped")
            continue
        for flag in gauge.flags:
            problems.append(f"record {index} (code {gauge.code}): {flag}")
        previous = kept.get(gauge.code)
        if previous is None:
            kept[gauge.code] = (index, gauge)
            continue
        first_index, first = previous
        if gauge.observed_at > first.observed_at:
            kept[gauge.code] = (first_index, gauge)  # in the place of its first record
            problems.append(f"record {first_index} (code {gauge.code}): duplicated code, record {index} is newer")
        else:
            problems.append(f"record {index} (code {gauge.code}): duplicated code, record {first_index} is kept")
    ordered = sorted(kept.values(), key=lambda item: item[0])
    return GaugeList((gauge for _index, gauge in ordered), problems)


def gauges_to_area_json(gauges: Iterable[Gauge]) -> dict[str, Any]:
    """An area document for ``gauges`` in the published shape (demo files, archived snapshots)."""

    def number(value: float | None) -> float | None:
        return None if value is None else round(value, 3)

    return {
        "obss": [
            {
                "code": g.code,
                "name": g.name,
                "obsTime": g.observed_at.astimezone(JST).isoformat(timespec="seconds"),
                "level": number(g.level),
                "startLevel": number(g.start_level),
                "warnLevel": number(g.warn_level),
                "fladLevel": number(g.flood_level),
                "lat": g.lat,
                "lon": g.lon,
                "townCode": g.town_code,
                "prefCode": g.pref_code,
            }
            for g in gauges
        ]
    }
