"""River alert levels, margins, trends, crossings and station tables."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity_qgis.analysis.river import (
    TREND_FALLING,
    TREND_RISING,
    TREND_STEADY,
    TREND_UNKNOWN,
    CrisisGaugeThresholds,
    Crossing,
    RiverThresholds,
    StationTableError,
    alert_level,
    crisis_gauge_stage,
    detect_crossings,
    margin_to_next,
    read_station_table,
    trend,
)

T = RiverThresholds(standby=2.0, caution=3.0, evacuation=3.6, danger=4.2, levee=5.5, station="okazaki-1")


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (0.0, 0),
        (1.99, 0),
        (2.0, 1),
        (2.99, 1),
        (3.0, 2),
        (3.59, 2),
        (3.6, 3),
        (4.19, 3),
        (4.2, 4),
        (5.49, 4),
        (5.5, 5),
        (9.0, 5),
        (-1.0, 0),
    ],
)
def test_every_boundary_reached_exactly_counts(level, expected):
    assert alert_level(level, T) == expected


def test_without_levee_the_top_is_level_4():
    t = RiverThresholds(2.0, 3.0, 3.6, 4.2)
    assert alert_level(100.0, t) == 4
    assert margin_to_next(4.2, t) is None


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"standby": None, "caution": 3.0, "evacuation": 3.6, "danger": 4.2}, ["standby", "missing"]),
        (
            {"standby": 2.0, "caution": 3.0, "evacuation": float("nan"), "danger": 4.2},
            ["evacuation", "missing"],
        ),
        ({"standby": 2.0, "caution": 3.0, "evacuation": 3.0, "danger": 4.2}, ["not increasing", "caution"]),
        ({"standby": 2.0, "caution": 3.0, "evacuation": 4.5, "danger": 4.2}, ["evacuation", "danger"]),
        ({"standby": 2.0, "caution": 3.0, "evacuation": 3.6, "danger": 4.2, "levee": 4.0}, ["levee"]),
    ],
)
def test_missing_or_inconsistent_thresholds_name_the_station(kwargs, words):
    with pytest.raises(ValueError) as err:
        RiverThresholds(station="矢作川-岩津", **kwargs)
    message = str(err.value)
    assert "矢作川-岩津" in message
    for word in words:
        assert word in message


def test_no_reading_is_not_guessed():
    with pytest.raises(ValueError, match="no water level"):
        alert_level(None, T)
    with pytest.raises(ValueError, match="no water level"):
        alert_level(float("nan"), T)


def test_crisis_gauge_two_levels():
    g = CrisisGaugeThresholds(observation_start=1.5, danger=2.8, station="kiki-7")
    assert [crisis_gauge_stage(v, g) for v in (0.0, 1.49, 1.5, 2.79, 2.8, 4.0)] == [0, 0, 1, 1, 2, 2]
    assert margin_to_next(1.0, g) == pytest.approx(0.5)
    assert margin_to_next(2.8, g) is None
    with pytest.raises(ValueError, match=r"kiki-8.*not increasing"):
        CrisisGaugeThresholds(observation_start=3.0, danger=2.0, station="kiki-8")
    with pytest.raises(ValueError, match=r"missing.*danger"):
        CrisisGaugeThresholds(observation_start=3.0, danger=None, station="kiki-9")


def test_margin_to_next_threshold():
    assert margin_to_next(1.5, T) == pytest.approx(0.5)
    assert margin_to_next(3.0, T) == pytest.approx(0.6)  # at 氾濫注意 the next is 避難判断
    assert margin_to_next(4.5, T) == pytest.approx(1.0)
    assert margin_to_next(5.5, T) is None


@given(st.floats(min_value=-5, max_value=20, allow_nan=False))
def test_level_and_margin_agree(level):
    reached = alert_level(level, T)
    margin = margin_to_next(level, T)
    if reached == 5:
        assert margin is None
    else:
        assert margin > 0
        assert alert_level(level + margin + 1e-9, T) == reached + 1
        assert alert_level(level + margin - 1e-6, T) == reached


def test_trend_with_tolerance():
    assert trend([1.0, 1.1, 1.3]) == TREND_RISING
    assert trend([1.3, 1.2, 1.0]) == TREND_FALLING
    assert trend([1.0, 1.01, 1.015]) == TREND_STEADY
    assert trend([("t1", 1.0), ("t2", 1.5)]) == TREND_RISING
    assert trend([0.0, 5.0, 1.0, 1.01, 1.0]) == TREND_STEADY  # only the recent window counts
    assert trend([1.0]) == TREND_UNKNOWN
    assert trend([]) == TREND_UNKNOWN
    assert trend([1.0, None, 1.2]) == TREND_RISING
    assert trend([1.0, 1.04], tolerance=0.05) == TREND_STEADY


def test_crossings_one_per_threshold():
    assert detect_crossings(1, 2) == [Crossing(1, 2)]
    assert detect_crossings(1, 3) == [Crossing(1, 2), Crossing(2, 3)]
    assert detect_crossings(4, 2) == [Crossing(4, 3), Crossing(3, 2)]
    assert all(not c.upward for c in detect_crossings(4, 2))
    assert detect_crossings(2, 2) == []
    assert detect_crossings(None, 3) == []


def _table_bytes(text: str, encoding: str) -> bytes:
    return text.encode(encoding)


JA_TABLE = (
    "観測所コード,観測所名,水防団待機水位,氾濫注意水位,避難判断水位,氾濫危険水位,堤防高\n"
    "30501,岩津,2.50,3.30,4.10,4.60,6.2\n"
    "30502,明代橋,1.20,1.80,2.30,2.70,\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "shift_jis"])
def test_station_table_in_each_encoding(tmp_path, encoding):
    path = tmp_path / "stations.csv"
    path.write_bytes(_table_bytes(JA_TABLE, encoding))
    table = read_station_table(path)
    assert table.problems == []
    assert table.encoding == ("utf-8" if encoding.startswith("utf") else "cp932")
    assert table.thresholds["30501"] == RiverThresholds(2.5, 3.3, 4.1, 4.6, 6.2)
    assert table.thresholds["30502"].levee is None
    assert table.names["30502"] == "明代橋"


def test_station_table_english_headers_and_bad_rows_reported():
    text = (
        "station_id,standby,caution,evacuation,danger\na,1,2,3,4\nb,1,2,,4\nc,1,3,2,4\nd,1,x,3,4\na,5,6,7,8\n,1,2,3,4\n"
    )
    table = read_station_table(text.encode())
    assert list(table.thresholds) == ["a"]
    assert len(table.problems) == 5
    assert any("line 3" in p and "'b'" in p and "missing" in p for p in table.problems)
    assert any("line 4" in p and "not increasing" in p for p in table.problems)
    assert any("line 5" in p and "not a number" in p for p in table.problems)
    assert any("line 6" in p and "twice" in p for p in table.problems)


def test_station_table_without_level_columns_is_refused():
    with pytest.raises(StationTableError, match="missing column"):
        read_station_table(b"id,name\n1,x\n")
    with pytest.raises(StationTableError, match="empty"):
        read_station_table(b"\n\n")
    with pytest.raises(StationTableError, match="neither UTF-8 nor"):
        read_station_table(b"id,standby\n\x81\xff\xff\n")


def test_nan_is_missing_not_zero():
    with pytest.raises(ValueError, match="missing"):
        RiverThresholds(math.nan, 1, 2, 3)


def test_river_watch_turns_readings_into_crossings():
    from smartcity_qgis.analysis.river import RiverWatch

    watch = RiverWatch(keep=3)
    assert watch.observe("s", 1, 1.0, T) == []  # first reading: level 0, nothing crossed
    assert watch.observe("s", 2, 2.5, T) == [Crossing(0, 1)]
    assert watch.observe("s", 2, 2.5, T) == [], "a duplicate delivery is ignored"
    assert watch.observe("s", 3, 3.7, T) == [Crossing(1, 2), Crossing(2, 3)]
    assert watch.observe("s", 4, None, T) == []
    assert watch.level("s") == 3
    assert [v for _t, v in watch.history("s")] == [1.0, 2.5, 3.7][-3:]
    assert watch.trend("s") == TREND_RISING
    assert watch.observe("s", 5, 3.1, T) == [Crossing(3, 2)]
    assert len(watch.history("s")) == 3


def test_station_table_keyed_by_name():
    table = read_station_table(
        "観測所名,水防団待機水位,氾濫注意水位,避難判断水位,氾濫危険水位\n殿橋,2.0,2.8,3.4,4.0\n".encode("cp932")
    )
    assert table.thresholds["殿橋"].evacuation == 3.4


def test_rate_of_rise_over_a_window():
    from datetime import UTC, datetime, timedelta

    from smartcity_qgis.analysis.river import rate_of_rise

    t0 = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    history = [(t0 + timedelta(minutes=10 * i), 1.0 + 0.05 * i) for i in range(13)]  # 0.3 m/h for 2 h
    assert rate_of_rise(history, timedelta(hours=1)) == pytest.approx(0.3)
    assert rate_of_rise(history[:1]) is None
    assert rate_of_rise([(t0, 1.0), (t0 + timedelta(seconds=20), 1.5)]) is None, "seconds say nothing"
    falling = [(when, 3.0 - level) for when, level in history]
    assert rate_of_rise(falling, timedelta(minutes=30)) == pytest.approx(-0.3)


def test_one_station_heard_from_two_layers_counts_once():
    from datetime import UTC, datetime, timedelta

    from smartcity_qgis.analysis.river import RiverWatch

    watch = RiverWatch()
    now = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    t10, t20 = now - timedelta(minutes=20), now - timedelta(minutes=10)

    def take(observed, level, source, at=now):
        when = watch.reading_time("s", observed, level, source, at)
        if when is not None:
            watch.observe_stage("s", when, level, 4)
        return when

    assert take(t20, 4.30, "live") == t20
    assert take(t10, 4.07, "snapshot") is None, "an older copy is not a reading"
    assert take(t20, 4.25, "snapshot") is None, "another layer at the same time"
    assert take(t20, 4.30, "live") is None, "the same reading again"
    assert take(t20, 4.40, "live") == now, "a push without a new time counts as now"
    later = now + timedelta(minutes=5)
    assert take(t20, 4.50, "live", later) == later
    assert [level for _when, level in watch.history("s")] == [4.30, 4.40, 4.50]


def test_crossings_only_through_the_levels_a_station_has():
    assert detect_crossings(1, 3, levels=(0, 1, 3)) == [Crossing(1, 3)]
    assert detect_crossings(3, 0, levels=(0, 1, 3)) == [Crossing(3, 1), Crossing(1, 0)]
    assert detect_crossings(0, 2, levels=None) == [Crossing(0, 1), Crossing(1, 2)]
