"""The polite polling schedule of 川の水位情報 prefecture files, with a clock moved by hand."""

from __future__ import annotations

import itertools
import random

import pytest

from smartcity_qgis.analysis.gauge_polling import (
    MIN_INTERVAL,
    PREFECTURES,
    PollSchedule,
    area_url,
    prefecture_name,
    prefectures_for_extent,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_prefecture_is_never_due_twice_within_the_interval():
    clock = Clock()
    schedule = PollSchedule(["23000", "22000"], interval=60, clock=clock, rng=random.Random(1))
    assert schedule.interval == MIN_INTERVAL, "nobody asks more often than the source updates"
    asked: dict[str, list[float]] = {"23000": [], "22000": []}
    for _ in range(2000):  # three simulated hours in 5 s steps
        for code in schedule.due():
            asked[code].append(clock.now)
            schedule.asked(code, 200 if code == "23000" else 304, {"ETag": '"a"'})
        clock.now += 5
    for times in asked.values():
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert len(times) >= 15 and min(gaps) >= MIN_INTERVAL
        assert max(gaps) <= MIN_INTERVAL * 1.1 + 5


def test_jitter_spreads_users_apart():
    firsts = set()
    for seed in range(20):
        clock = Clock()
        schedule = PollSchedule(["23000"], clock=clock, rng=random.Random(seed))
        schedule.asked("23000", 200, {})
        firsts.add(round(schedule.states["23000"].next_due, 3))
    assert len(firsts) > 10 and min(firsts) >= 1000 + MIN_INTERVAL


def test_conditional_headers_follow_the_last_good_answer():
    clock = Clock()
    schedule = PollSchedule(["23000"], clock=clock)
    assert schedule.headers("23000") == {}
    schedule.asked("23000", 200, {"ETag": '"v1"', "Last-Modified": "Fri, 12 Sep 2025 11:50:00 GMT"})
    assert schedule.headers("23000") == {"If-None-Match": '"v1"', "If-Modified-Since": "Fri, 12 Sep 2025 11:50:00 GMT"}
    schedule.asked("23000", 304, {})
    assert schedule.headers("23000")["If-None-Match"] == '"v1"', "a 304 keeps the validators"
    schedule.asked("23000", 503, {"Retry-After": "3600"})
    assert schedule.states["23000"].next_due >= clock.now + 3600 and schedule.states["23000"].failures == 1


def test_a_prefecture_asked_before_a_reopen_waits_out_its_interval():
    clock = Clock()
    schedule = PollSchedule(["23000", "22000"], clock=clock)
    schedule.seed("23000", clock.now - 120)
    assert schedule.due() == ["22000"]
    assert schedule.seconds_to_next() == 0
    clock.now += MIN_INTERVAL - 120
    assert schedule.due() == ["23000", "22000"]


@pytest.mark.parametrize(
    ("extent", "expected"),
    [
        ((137.05, 34.88, 137.30, 35.02), ["23000"]),  # Okazaki
        ((139.60, 35.60, 139.85, 35.75), ["13000"]),  # central Tokyo
        ((135.40, 34.60, 135.60, 34.75), ["27000"]),  # Osaka
        ((141.2, 42.9, 141.5, 43.2), ["01000"]),  # Sapporo
        ((127.6, 26.1, 127.8, 26.3), ["47000"]),  # Naha
        ((132.9, 32.2, 133.1, 32.4), ["39000"]),  # the sea off Cape Ashizuri: the nearest (Kochi)
    ],
)
def test_the_prefecture_under_the_map_is_proposed(extent, expected):
    assert prefectures_for_extent(*extent)[: len(expected)] == expected


def test_prefecture_table_and_urls():
    assert len(PREFECTURES) == 47 and prefecture_name("23000") == "愛知県"
    assert area_url("https://example.invalid/{prefCode}.json", "23000").endswith("/23000.json")
    with pytest.raises(ValueError, match="prefCode"):
        area_url("https://example.invalid/current.json", "23000")
