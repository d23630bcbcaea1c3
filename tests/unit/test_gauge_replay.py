"""After-action replay: 48 hourly area files give every crossing, at its time."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from smartcity_qgis.analysis.gauge_replay import load_replay
from smartcity_qgis.analysis.river_gauges import JST

START = datetime(2025, 9, 12, 0, 0, tzinfo=JST)


def level_a(hour: int) -> float:  # thresholds 0.0 / 1.0 / 2.0
    for until, level in ((10, -0.5), (20, 0.5), (24, 1.5), (30, 2.2), (40, 0.4)):
        if hour < until:
            return level
    return -0.3


def level_b(hour: int) -> float:  # no 危険水位: 0.0 / - / 1.0
    return -1.0 if hour < 5 else 1.2 if hour < 15 else 0.2


def record(code, name, hour, level, start, warn, flood, lat=34.95, lon=137.2, when=None):
    when = when or START + timedelta(hours=hour)
    return {"code": code, "name": name, "obsTime": when.isoformat(), "level": level, "startLevel": start,
            "warnLevel": warn, "fladLevel": flood, "lat": lat, "lon": lon, "townCode": "23202", "prefCode": "23000",
            "point": 67, "over": 1, "qt": None, "kana": "", "addrKana": ""}  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("snapshots")
    for hour in range(48):
        obss = [
            record("2300000001", "合成Ａ橋", hour, level_a(hour), 0.0, 1.0, 2.0),
            record("2300000002", "合成Ｂ橋", hour, f"{level_b(hour):.2f}", "0.0", None, "1.0"),
        ]
        # Gauge C stops reporting between 12:00 and 20:00 (the files repeat its 11:00 reading),
        # has no level at 25:00 and no coordinates at 26:00: none of it is a crossing.
        stuck = 11 if 12 <= hour <= 20 else hour
        c = record("2300000003", "合成Ｃ橋", stuck, 0.5 if 8 <= stuck < 30 else -0.2, 0.0, 1.0, 2.0)
        if hour == 25:
            c["level"] = None
        if hour == 26:
            c["lat"] = None
        obss.append(c)
        stamp = (START + timedelta(hours=hour)).strftime("%Y%m%d%H%M")
        (folder / f"23000_{stamp}.json").write_text(json.dumps({"obss": obss}, ensure_ascii=False), encoding="utf-8")
    (folder / "23000_broken.json").write_text("<html>503 Service Unavailable</html>", encoding="utf-8")
    (folder / "notes.txt").write_text("not an area file", encoding="utf-8")
    return folder


def at(hour: int) -> datetime:
    return START + timedelta(hours=hour)


def test_48_hourly_snapshots_give_the_right_crossings(folder):
    replay = load_replay(folder)
    got = [(c.code[-1], c.time, c.from_stage, c.to_stage) for c in replay.crossings]
    assert got == [
        ("2", at(5), 0, 1),
        ("2", at(5), 1, 3),  # no 危険水位: observing straight to flood
        ("3", at(8), 0, 1),
        ("1", at(10), 0, 1),
        ("2", at(15), 3, 1),
        ("1", at(20), 1, 2),
        ("1", at(24), 2, 3),
        ("1", at(30), 3, 2),
        ("1", at(30), 2, 1),
        ("3", at(30), 1, 0),
        ("1", at(40), 1, 0),
    ]
    assert all(c.time.utcoffset() == timedelta(hours=9) for c in replay.crossings)
    assert replay.crossings[1].threshold == "flood_level" and replay.crossings[4].threshold == "flood_level"
    assert replay.crossings[7].threshold == "flood_level" and not replay.crossings[7].upward


def test_readings_peak_and_problems(folder):
    replay = load_replay(folder)
    assert len(replay.files) == 49
    per_gauge = {code: sum(1 for g in replay.readings if g.code == code) for code in ("2300000001", "2300000003")}
    assert per_gauge == {"2300000001": 48, "2300000003": 48 - 9 - 2}, "a repeated reading counts once"
    assert replay.peak["2300000001"].level == 2.2 and replay.peak["2300000001"].observed_at == at(24)
    assert replay.peak["2300000002"].status == "flood" and replay.peak["2300000002"].observed_at == at(5)
    assert any("23000_broken.json" in p and "skipped" in p for p in replay.problems)
    assert any("no water level" in p for p in replay.problems) and any("no coordinates" in p for p in replay.problems)
    until = replay.valid_until(timedelta(hours=1))
    first_a = next(i for i, g in enumerate(replay.readings) if g.code == "2300000001")
    assert until[first_a] == at(1)
    c11 = next(i for i, g in enumerate(replay.readings) if g.code == "2300000003" and g.observed_at == at(11))
    assert until[c11] == at(21), "a stuck gauge's reading lasts until it reports again"
    assert until[-1] == at(48)


def test_an_empty_folder_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no \.json"):
        load_replay(tmp_path)
