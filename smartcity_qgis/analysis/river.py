"""River water levels against their reference levels (基準水位) and the 警戒レベル scale.

Two schemes exist in Japan:

* the four reference levels of a 水位周知河川 / 洪水予報河川 gauge — 水防団待機水位 <
  氾濫注意水位 < 避難判断水位 < 氾濫危険水位 (plus the levee crown height, 堤防高),
  mapped to 警戒レベル 1–5 by :func:`alert_level`;
* the two levels of a 危機管理型水位計 (low-cost crisis gauge) — 観測開始水位 < 危険水位,
  staged by :func:`crisis_gauge_stage`.

Thresholds are never guessed: a missing or non-increasing set raises ``ValueError``
naming the station and the problem. Station tables (CSV, UTF-8 or Shift_JIS/CP932,
English or Japanese headers) are read by :func:`read_station_table`.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

# 警戒レベル of each reached reference level (index = number of thresholds reached).
LEVEL_NAMES_JA = {
    0: "平常",
    1: "水防団待機水位",
    2: "氾濫注意水位",
    3: "避難判断水位",
    4: "氾濫危険水位",
    5: "氾濫（堤防高）",
}

TREND_RISING = "rising"
TREND_STEADY = "steady"
TREND_FALLING = "falling"
TREND_UNKNOWN = "unknown"


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _check_increasing(station: str, named: Sequence[tuple[str, float | None]]) -> None:
    label = f"station {station!r}" if station else "station (no id)"
    missing = [name for name, value in named if _is_missing(value)]
    if missing:
        raise ValueError(f"{label}: missing threshold(s) {', '.join(missing)}")
    for (name_a, a), (name_b, b) in itertools.pairwise(named):
        if not float(a) < float(b):
            raise ValueError(f"{label}: thresholds are not increasing ({name_a} {a} m must be below {name_b} {b} m)")


@dataclass(frozen=True)
class RiverThresholds:
    """The four reference levels of a gauge (m), and optionally its levee crown height."""

    standby: float | None  # 水防団待機水位
    caution: float | None  # 氾濫注意水位
    evacuation: float | None  # 避難判断水位
    danger: float | None  # 氾濫危険水位
    levee: float | None = None  # 堤防高 (optional)
    station: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        named = [
            ("standby (水防団待機水位)", self.standby),
            ("caution (氾濫注意水位)", self.caution),
            ("evacuation (避難判断水位)", self.evacuation),
            ("danger (氾濫危険水位)", self.danger),
        ]
        if not _is_missing(self.levee):
            named.append(("levee crown (堤防高)", self.levee))
        _check_increasing(self.station, named)

    def ordered(self) -> list[float]:
        """The thresholds in increasing order (levee last when given)."""
        values = [self.standby, self.caution, self.evacuation, self.danger]
        if not _is_missing(self.levee):
            values.append(self.levee)
        return [float(v) for v in values]


@dataclass(frozen=True)
class CrisisGaugeThresholds:
    """The two levels of a 危機管理型水位計: 観測開始水位 and 危険水位 (m)."""

    observation_start: float | None  # 観測開始水位
    danger: float | None  # 危険水位
    station: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        _check_increasing(
            self.station,
            [
                ("observation start (観測開始水位)", self.observation_start),
                ("danger (危険水位)", self.danger),
            ],
        )

    def ordered(self) -> list[float]:
        return [float(self.observation_start), float(self.danger)]


def _checked_level(water_level: float | None, station: str) -> float:
    if _is_missing(water_level):
        raise ValueError(f"station {station!r}: no water level reading")
    return float(water_level)


def _reached(level: float, thresholds: Sequence[float]) -> int:
    # Reaching a threshold exactly counts as reaching it.
    return sum(1 for t in thresholds if level >= t)


def alert_level(water_level: float, thresholds: RiverThresholds) -> int:
    """警戒レベル of a reading: 0 below 水防団待機水位, 1 from it, 2 from 氾濫注意水位,
    3 from 避難判断水位, 4 from 氾濫危険水位, 5 at or above the levee crown (when given)."""
    return _reached(_checked_level(water_level, thresholds.station), thresholds.ordered())


def crisis_gauge_stage(water_level: float, thresholds: CrisisGaugeThresholds) -> int:
    """Stage of a 危機管理型水位計 reading: 0 below 観測開始水位, 1 from it, 2 from 危険水位."""
    return _reached(_checked_level(water_level, thresholds.station), thresholds.ordered())


def margin_to_next(water_level: float, thresholds: RiverThresholds | CrisisGaugeThresholds) -> float | None:
    """Metres still to rise before the next threshold; ``None`` when none is left above."""
    level = _checked_level(water_level, thresholds.station)
    above = [t for t in thresholds.ordered() if t > level]
    return above[0] - level if above else None


def trend(history: Iterable[float | tuple[object, float]], tolerance: float = 0.02, window: int = 3) -> str:
    """``rising`` / ``steady`` / ``falling`` from readings ordered oldest first.

    Compares the newest reading with the oldest of the last ``window`` readings; changes
    within ``tolerance`` metres are steady. Fewer than two readings give ``unknown``.
    Items may be plain levels or ``(time, level)`` pairs; missing readings are skipped.
    """
    values: list[float] = []
    for item in history:
        value = item[1] if isinstance(item, tuple) else item
        if not _is_missing(value):
            values.append(float(value))
    recent = values[-max(window, 2) :]
    if len(recent) < 2:
        return TREND_UNKNOWN
    delta = recent[-1] - recent[0]
    if delta > tolerance:
        return TREND_RISING
    if delta < -tolerance:
        return TREND_FALLING
    return TREND_STEADY


@dataclass(frozen=True)
class Crossing:
    """One threshold crossed between two readings (``to_level`` is adjacent to ``from_level``)."""

    from_level: int
    to_level: int

    @property
    def upward(self) -> bool:
        return self.to_level > self.from_level


def detect_crossings(
    previous_level: int | None, new_level: int | None, levels: Sequence[int] | None = None
) -> list[Crossing]:
    """Every level boundary crossed going from ``previous_level`` to ``new_level``.

    A jump over several thresholds yields one crossing per threshold, in order; no
    previous level (first reading) or no new level yields none. ``levels`` lists the levels
    a station can be at (a crisis gauge without 危険水位 goes from 1 straight to 3): only
    those are stepped through.
    """
    if previous_level is None or new_level is None or previous_level == new_level:
        return []
    step = 1 if new_level > previous_level else -1
    path = list(range(previous_level, new_level + step, step))
    if levels is not None:
        allowed = set(levels) | {previous_level, new_level}
        path = [level for level in path if level in allowed]
    return [Crossing(a, b) for a, b in itertools.pairwise(path)]


# -- station tables --------------------------------------------------------------------

_HEADER_ALIASES = {
    "station": (
        "station_id",
        "stationid",
        "station",
        "id",
        "code",
        "station_code",
        "観測所id",
        "観測所コード",
        "観測所番号",
        "観測所記号",
        "観測所",
    ),
    "name": ("name", "station_name", "stationname", "観測所名", "名称"),
    "standby": ("standby", "standby_level", "standbylevel", "水防団待機水位", "待機水位"),
    "caution": ("caution", "caution_level", "cautionlevel", "氾濫注意水位", "注意水位"),
    "evacuation": ("evacuation", "evacuation_level", "evacuationlevel", "避難判断水位"),
    "danger": ("danger", "danger_level", "dangerlevel", "氾濫危険水位", "危険水位"),
    "levee": ("levee", "levee_crown", "leveecrownheight", "levee_crown_height", "堤防高", "計画堤防高"),
}
_REQUIRED = ("station", "standby", "caution", "evacuation", "danger")


class StationTableError(ValueError):
    """A station table that cannot be read at all (encoding, missing columns, empty)."""


@dataclass
class StationTable:
    """Thresholds by station id, the station names, and the rows that could not be used."""

    thresholds: dict[str, RiverThresholds]
    names: dict[str, str]
    problems: list[str]
    encoding: str


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes as UTF-8 (with or without BOM) or else CP932; return (text, encoding)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError as exc:
        raise StationTableError(
            f"the file is neither UTF-8 nor Shift_JIS/CP932 text (undecodable byte at offset {exc.start})"
        ) from None


def _normalise_header(name: str) -> str:
    return name.strip().lower().replace(" ", "").replace("（m）", "").replace("(m)", "").replace("\u3000", "")


def _column_map(header: Sequence[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, raw in enumerate(header):
        key = _normalise_header(raw)
        for role, aliases in _HEADER_ALIASES.items():
            if role not in columns and key in {_normalise_header(a) for a in aliases}:
                columns[role] = index
    if "station" not in columns and "name" in columns:  # a table keyed by station name
        columns["station"] = columns["name"]
    missing = [role for role in _REQUIRED if role not in columns]
    if missing:
        raise StationTableError(
            f"missing column(s) {', '.join(missing)}; found {', '.join(h.strip() for h in header) or 'none'}"
        )
    return columns


def _parse_metres(text: str) -> float | None:
    text = text.strip().replace("，", ".").replace("－", "-")
    if text in ("", "-", "—", "―", "なし"):
        return None
    return float(text)


def read_station_table(source: str | Path | bytes) -> StationTable:
    """Read a CSV of stations and their reference levels (path or raw bytes).

    Rows that cannot be used (missing or non-increasing levels, unreadable numbers,
    duplicate ids) are listed in ``problems`` with their line number; the rest load.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    text, encoding = decode_text(data)
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise StationTableError("the station table is empty")
    columns = _column_map(rows[0])
    table = StationTable({}, {}, [], encoding)
    for line_no, row in enumerate(rows[1:], start=2):
        cells = {role: (row[i] if i < len(row) else "") for role, i in columns.items()}
        station = cells["station"].strip()
        if not station:
            table.problems.append(f"line {line_no}: no station id")
            continue
        if station in table.thresholds:
            table.problems.append(f"line {line_no}: station {station!r} appears twice; the first row is kept")
            continue
        try:
            values = {role: _parse_metres(cells.get(role, "")) for role in (*_REQUIRED[1:], "levee")}
        except ValueError:
            table.problems.append(f"line {line_no}: station {station!r}: a level is not a number")
            continue
        try:
            table.thresholds[station] = RiverThresholds(station=station, **values)
        except ValueError as exc:
            table.problems.append(f"line {line_no}: {exc}")
            continue
        if "name" in cells and cells["name"].strip():
            table.names[station] = cells["name"].strip()
    return table


class RiverWatch:
    """Recent readings and current level of each station, turning new readings into crossings.

    ``observe`` is what a live layer calls on every new reading; the histories feed
    :func:`trend` and :meth:`rate_of_rise`, the crossings feed the alert log. One watch may
    hear the same station from several layers (two connections to one city OS, a snapshot
    and a live layer): :meth:`reading_time` keeps only readings newer than the newest one
    heard, so a station is one station whichever layer speaks for it.
    """

    def __init__(self, keep: int = 36) -> None:
        self.keep = keep
        self._history: dict[str, list[tuple[object, float]]] = {}
        self._level: dict[str, int] = {}
        self._published: dict[str, object] = {}  # newest observation time published, per station
        self._source: dict[str, str] = {}  # the layer that gave the latest reading
        self.rate_alerted: set[str] = set()  # stations whose rate-of-rise alert is on

    def reading_time(
        self, station: str, observed: datetime | None, water_level: float, source: str, now: datetime
    ) -> datetime | None:
        """When a reading counts as taken, or None when it is not new for this station.

        A reading older than the newest heard (from any layer) is not new, nor one another
        layer gives for the same observation time. A level changed without a new observation
        time (a push that does not update ``dateObserved``) counts as taken ``now``.
        """
        history = self._history.get(station)
        last_level = history[-1][1] if history else None
        seen = self._published.get(station)
        if observed is not None and seen is not None:
            if observed < seen:
                return None
            if observed == seen and source != self._source.get(station) and last_level != water_level:
                return None
        if last_level == water_level and (observed is None or observed == seen):
            return None
        self._source[station] = source
        if observed is not None and (seen is None or observed > seen):
            self._published[station] = observed
            if not history or observed > history[-1][0]:
                return observed
        return now if not history or now > history[-1][0] else history[-1][0]

    def observe(
        self, station: str, when: object, water_level: float | None, thresholds: RiverThresholds
    ) -> list[Crossing]:
        """Record a reading; return the level boundaries crossed since the previous one."""
        if _is_missing(water_level):
            return []
        return self.observe_stage(station, when, float(water_level), alert_level(water_level, thresholds))

    def observe_stage(
        self, station: str, when: object, water_level: float, stage: int | None, levels: Sequence[int] | None = None
    ) -> list[Crossing]:
        """Record a reading whose stage (level of its own scheme) is already known; return the crossings."""
        history = self._history.setdefault(station, [])
        if history and history[-1][0] == when and history[-1][1] == float(water_level):
            return []  # the same reading delivered twice (notification and poll)
        history.append((when, float(water_level)))
        del history[: -self.keep]
        previous = self._level.get(station)
        if stage is None:
            return []
        self._level[station] = stage
        return detect_crossings(previous, stage, levels)

    def history(self, station: str) -> list[tuple[object, float]]:
        return list(self._history.get(station, []))

    def level(self, station: str) -> int | None:
        return self._level.get(station)

    def trend(self, station: str, tolerance: float = 0.02) -> str:
        return trend(self._history.get(station, []), tolerance=tolerance)

    def rate_of_rise(self, station: str, window: timedelta = timedelta(hours=1)) -> float | None:
        """Metres per hour over the last ``window``: see :func:`rate_of_rise`."""
        return rate_of_rise(self._history.get(station, []), window)


def rate_of_rise(history: Sequence[tuple[object, float]], window: timedelta = timedelta(hours=1)) -> float | None:
    """Rise in metres per hour between the newest reading and the oldest one within ``window``.

    Readings are ``(time, level)`` pairs oldest first with timezone-aware times. None when
    fewer than two readings fall in the window or they are less than a minute apart (a rate
    over seconds says nothing about a river). Negative when the river falls.
    """
    timed = [(when, float(level)) for when, level in history if isinstance(when, datetime) and not _is_missing(level)]
    if len(timed) < 2:
        return None
    newest_time, newest_level = timed[-1]
    inside = [(when, level) for when, level in timed if newest_time - when <= window]
    oldest_time, oldest_level = inside[0]
    hours = (newest_time - oldest_time).total_seconds() / 3600.0
    if hours < 1 / 60:
        return None
    return (newest_level - oldest_level) / hours
