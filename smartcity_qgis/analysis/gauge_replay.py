"""After-action replay of a storm from saved 川の水位情報 area files.

An archiving job keeps one area JSON per time step (e.g. ``23000_202509122050.json`` every 10
minutes or every hour). `load_replay` reads a folder of them into one time line: every distinct
reading of every gauge (a reading repeated by later files — the gauge did not report again — counts
once), the crossings of its published thresholds with their times, and the peak state of each
gauge. Files that cannot be read are listed in ``problems`` and the rest still replay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from smartcity_qgis.analysis.river import detect_crossings
from smartcity_qgis.analysis.river_gauges import STATUSES, AreaFileError, Gauge, read_area_json

STAGE_THRESHOLD = {1: "start_level", 2: "warn_level", 3: "flood_level"}


@dataclass(frozen=True)
class ReplayCrossing:
    """One threshold crossed by one gauge, at the time of the reading that crossed it."""

    code: str
    name: str
    time: datetime
    from_stage: int
    to_stage: int
    level: float
    lat: float
    lon: float

    @property
    def upward(self) -> bool:
        return self.to_stage > self.from_stage

    @property
    def threshold(self) -> str:
        """The field name of the threshold crossed (``start_level``, ``warn_level``, ``flood_level``)."""
        return STAGE_THRESHOLD[self.to_stage if self.upward else self.from_stage]


@dataclass
class Replay:
    """Readings oldest first, crossings in time order, the peak of each gauge, and what was skipped."""

    readings: list[Gauge] = field(default_factory=list)
    crossings: list[ReplayCrossing] = field(default_factory=list)
    peak: dict[str, Gauge] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def valid_until(self, step: timedelta = timedelta(minutes=10)) -> list[datetime]:
        """For each reading, when the next reading of the same gauge replaces it (the last one
        lasts until the newest reading of the whole replay, plus ``step``)."""
        end = max((g.observed_at for g in self.readings), default=None)
        following: dict[str, datetime] = {}
        until: list[datetime] = [end] * len(self.readings)  # type: ignore[list-item]
        for index in range(len(self.readings) - 1, -1, -1):
            gauge = self.readings[index]
            until[index] = following.get(gauge.code) or (end + step)  # type: ignore[operator]
            following[gauge.code] = gauge.observed_at
        return until


def _stage(gauge: Gauge) -> int:
    return STATUSES.index(gauge.status)


def _levels(gauge: Gauge) -> tuple[int, ...]:
    return (0, *(stage for stage, name in STAGE_THRESHOLD.items() if gauge.thresholds()[name] is not None))


def replay_crossings(readings: Iterable[Gauge]) -> list[ReplayCrossing]:
    """Every crossing of the published thresholds, readings taken in time order per gauge.

    A gauge's first reading only sets its stage; a jump over several thresholds gives one
    crossing per threshold it has, in order.
    """
    stage: dict[str, int] = {}
    found: list[ReplayCrossing] = []
    for gauge in sorted(readings, key=lambda g: (g.observed_at, g.code)):
        new = _stage(gauge)
        for crossing in detect_crossings(stage.get(gauge.code), new, _levels(gauge)):
            found.append(
                ReplayCrossing(
                    gauge.code,
                    gauge.name,
                    gauge.observed_at,
                    crossing.from_level,
                    crossing.to_level,
                    gauge.level,
                    gauge.lat,
                    gauge.lon,
                )
            )
        stage[gauge.code] = new
    return found


def peak_state(readings: Iterable[Gauge]) -> dict[str, Gauge]:
    """The most severe reading of each gauge (the highest level among equals, the first of ties)."""
    peak: dict[str, Gauge] = {}
    for gauge in readings:
        kept = peak.get(gauge.code)
        if kept is None or (gauge.severity, gauge.level) > (kept.severity, kept.level):
            peak[gauge.code] = gauge
    return peak


def load_replay(source: str | Path | Iterable[str | Path]) -> Replay:
    """A replay from a folder of area JSON files (or a list of files), in file-name order."""
    if isinstance(source, (str, Path)):
        folder = Path(source)
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} is not a folder of area files")
        paths = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json" and p.is_file())
    else:
        paths = sorted(Path(p) for p in source)
    replay = Replay(files=paths)
    if not paths:
        raise FileNotFoundError(f"no .json area files in {source}")
    by_key: dict[tuple[str, datetime], Gauge] = {}
    for path in paths:
        try:
            gauges = read_area_json(path)
        except (AreaFileError, OSError) as exc:
            replay.problems.append(f"{path.name}: {exc}; skipped")
            continue
        replay.problems.extend(f"{path.name}: {problem}" for problem in gauges.problems)
        for gauge in gauges:
            by_key[(gauge.code, gauge.observed_at)] = gauge  # a later file's copy of a reading wins
    replay.readings = sorted(by_key.values(), key=lambda g: (g.observed_at, g.code))
    replay.crossings = replay_crossings(replay.readings)
    replay.peak = peak_state(replay.readings)
    return replay
