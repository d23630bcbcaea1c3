"""Reading 川の水位情報 crisis-management gauge documents, quirks and all."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity_qgis.analysis.river_gauges import (
    DANGER,
    FLOOD,
    JST,
    NORMAL,
    OBSERVING,
    AreaFileError,
    Gauge,
    gauge_status,
    gauges_to_area_json,
    read_area_json,
)
from tests.conftest import REPO

QUIRKS = REPO / "tests" / "fixtures" / "rivers" / "area_33000_quirks.json"


@pytest.fixture(scope="module")
def quirks():
    return read_area_json(QUIRKS)


def by_code(gauges) -> dict[str, Gauge]:
    return {g.code: g for g in gauges}


def test_the_published_example_reads_as_published(quirks):
    g = by_code(quirks)["3300000015"]
    assert g.name == "幸田川橋－U　／　（二）幸田川"
    assert (g.lat, g.lon) == (34.620388, 134.05922)
    assert g.level == -0.31 and (g.start_level, g.warn_level, g.flood_level) == (-0.95, None, 0.01)
    assert g.observed_at.isoformat() == "2025-09-12T20:50:00+09:00"
    assert g.observed_at.tzinfo is not None
    assert (g.town_code, g.pref_code) == ("33103", "33000")
    assert g.status == OBSERVING, "above 観測開始水位, no 危険水位, below 氾濫開始水位"
    assert g.margin_to_next() == pytest.approx(0.32)


def test_every_input_form_gives_the_same_gauges(quirks):
    raw = QUIRKS.read_bytes()
    for data in (raw, raw.decode("utf-8"), str(QUIRKS), json.loads(raw)):
        again = read_area_json(data)
        assert list(again) == list(quirks) and again.problems == quirks.problems


def test_quirks_are_read_or_skipped_with_a_reason(quirks):
    gauges = by_code(quirks)
    # every threshold null: kept, and nothing is ever reached
    assert gauges["3300000016"].status == NORMAL and gauges["3300000016"].thresholds() == dict.fromkeys(
        ("start_level", "warn_level", "flood_level")
    )
    # numbers as strings
    s = gauges["3300000017"]
    assert (s.level, s.start_level, s.warn_level, s.flood_level) == (1.25, 0.8, 1.2, 1.9) and s.status == DANGER
    # negative levels below a negative 観測開始水位
    assert gauges["3300000018"].level == -2.1 and gauges["3300000018"].status == NORMAL
    # empty strings are unpublished thresholds
    e = gauges["3300000027"]
    assert (e.start_level, e.warn_level, e.flood_level) == (None, 0.9, None) and e.status == DANGER
    skipped = {"3300000019": "no coordinates", "3300000020": "no coordinates",
               "3300000021": "level is not a number", "3300000022": "no water level"}  # fmt: skip
    for code, reason in skipped.items():
        assert code not in gauges
        assert any(code in p and reason in p and "skipped" in p for p in quirks.problems), (code, quirks.problems)
    assert len(quirks) == 9


def test_a_duplicated_code_keeps_the_newer_observation(quirks):
    dup = [g for g in quirks if g.code == "3300000023"]
    assert len(dup) == 1 and dup[0].level == 1.0 and dup[0].status == DANGER
    assert any("3300000023" in p and "duplicated code" in p for p in quirks.problems)
    assert [g.code for g in quirks].index("3300000023") < [g.code for g in quirks].index("3300000024"), (
        "the gauge keeps the place of its first record"
    )


def test_thresholds_out_of_order_are_kept_flagged_and_applied_as_published(quirks):
    g = by_code(quirks)["3300000024"]  # 観測開始 1.0, 危険 2.5, 氾濫開始 2.0; level 2.2
    assert g.out_of_order and g.flags and "out of order" in g.flags[0]
    assert g.status == FLOOD, "氾濫開始水位 2.0 m is reached, whatever 危険水位 says"
    assert any("3300000024" in p and "out of order" in p for p in quirks.problems)
    assert not by_code(quirks)["3300000015"].out_of_order


def test_only_published_thresholds_decide_the_status(quirks):
    gauges = by_code(quirks)
    assert gauges["3300000025"].status == FLOOD, "no 危険水位: observing straight to flood"
    assert gauges["3300000026"].status == OBSERVING, "only 観測開始水位 published"
    assert gauges["3300000026"].margin_to_next() is None


@pytest.mark.parametrize(
    ("level", "expected"),
    [(-1.0, NORMAL), (-0.95, OBSERVING), (0.0, OBSERVING), (0.01, FLOOD), (0.5, FLOOD)],
)
def test_a_threshold_reached_exactly_counts(level, expected):
    assert gauge_status(level, -0.95, None, 0.01) == expected


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"<html>503</html>", "not JSON"),
        (b"[]", "no object"),
        (b'{"obs": []}', '"obss"'),
        (b'{"obss": {"code": 1}}', '"obss"'),
    ],
)
def test_a_document_that_is_not_an_area_file_says_why(data, words):
    with pytest.raises(AreaFileError, match=words):
        read_area_json(data)


def test_hostile_records_never_crash_the_read():
    records = [
        None, 3, "x", [], {}, {"code": {"a": 1}, "lat": 34, "lon": 135, "level": 1, "obsTime": "2025-01-01T00:00:00"},
        {"code": "1", "lat": "NaN", "lon": 135, "level": 1, "obsTime": "2025-01-01T00:00:00+09:00"},
        {"code": "2", "lat": 95, "lon": 135, "level": 1, "obsTime": "2025-01-01T00:00:00+09:00"},
        {"code": "3", "lat": 34, "lon": 135, "level": True, "obsTime": "2025-01-01T00:00:00+09:00"},
        {"code": "4", "lat": 34, "lon": 135, "level": 1, "obsTime": "yesterday"},
        {"code": "5", "lat": 34, "lon": 135, "level": "1e999", "obsTime": "2025-01-01T00:00:00+09:00"},
        {"code": "6", "lat": 34, "lon": 135, "level": 1, "obsTime": None},
        {"code": "7", "lat": 34, "lon": 135, "level": "１．５", "warnLevel": "危険", "obsTime": "2025-01-01 09:00:00"},
    ]  # fmt: skip
    gauges = read_area_json({"obss": records})
    assert [g.code for g in gauges] == ["{'a': 1}", "7"]
    seven = gauges[1]
    assert seven.level == 1.5 and seven.warn_level is None and "treated as unpublished" in seven.flags[0]
    assert seven.observed_at.utcoffset() == timedelta(hours=9), "a time without offset is the source's JST"
    assert len(gauges.problems) == 12 and sum("skipped" in p for p in gauges.problems) == 11


def _random_document(count: int, seed: int) -> dict:
    rng = random.Random(seed)
    base = datetime(2025, 9, 12, 20, 50, tzinfo=JST)

    def maybe(value: float):
        roll = rng.random()
        return None if roll < 0.3 else (f"{value:.2f}" if roll < 0.4 else round(value, 2))

    obss = []
    for i in range(count):
        start = rng.uniform(-3, 2)
        obss.append(
            {"code": f"{2300000000 + i}", "name": f"合成橋{i}　／　（二）合成川",
             "obsTime": (base - timedelta(minutes=10 * rng.randint(0, 3))).isoformat(),
             "level": round(start + rng.uniform(-1.5, 3), 2), "startLevel": maybe(start),
             "warnLevel": maybe(start + rng.uniform(0.3, 1.5)), "fladLevel": maybe(start + rng.uniform(0.5, 2.5)),
             "lat": 34.5 + rng.random(), "lon": 136.7 + rng.random(), "townCode": "23202", "prefCode": "23000",
             "point": 67, "over": 1, "qt": None, "kana": "", "addrKana": ""}
        )  # fmt: skip
    return {"obss": obss}


def test_ten_thousand_gauges_are_read_whole():
    document = _random_document(10_000, seed=3)
    data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    gauges = read_area_json(data)
    assert len(gauges) == 10_000 and not [p for p in gauges.problems if "skipped" in p]
    for gauge, record in zip(gauges[::997], document["obss"][::997], strict=True):
        assert gauge.code == record["code"] and gauge.level == record["level"]


def test_written_documents_read_back_the_same():
    gauges = read_area_json(_random_document(200, seed=4))
    assert list(read_area_json(gauges_to_area_json(gauges))) == list(gauges)


levels = st.floats(min_value=-50, max_value=50, allow_nan=False)
maybe_levels = st.one_of(st.none(), levels)


@given(level=levels, start=maybe_levels, warn=maybe_levels, flood=maybe_levels, raised=levels)
def test_status_never_depends_on_an_unpublished_threshold(level, start, warn, flood, raised):
    status = gauge_status(level, start, warn, flood)
    # Whatever value an unpublished threshold "would" have, the status is the one computed
    # from the published thresholds alone: re-deriving it from only those must agree.
    published = {"start": start, "warn": warn, "flood": flood}
    reached = [name for name, value in published.items() if value is not None and level >= value]
    expected = {"flood": FLOOD, "warn": DANGER, "start": OBSERVING}
    want = next((expected[n] for n in ("flood", "warn", "start") if n in reached), NORMAL)
    assert status == want
    # A status beyond "normal" is always backed by a published threshold the level reached.
    if status == FLOOD:
        assert flood is not None and level >= flood
    if status == DANGER:
        assert warn is not None and level >= warn
    if status == OBSERVING:
        assert start is not None and level >= start
    # Publishing nothing more cannot change anything: the same inputs give the same status
    # whatever else is around (e.g. another gauge's thresholds), and a higher level never lowers it
    # when the thresholds are in order.
    ordered = [v for v in (start, warn, flood) if v is not None]
    if ordered == sorted(ordered) and raised >= level:
        rank = (NORMAL, OBSERVING, DANGER, FLOOD)
        assert rank.index(gauge_status(raised, start, warn, flood)) >= rank.index(status)


@given(
    level=levels,
    start=maybe_levels,
    flood=maybe_levels,
    phantom=levels,
)
def test_a_gauge_without_danger_level_never_reports_danger(level, start, flood, phantom):
    status = gauge_status(level, start, None, flood)
    assert status != DANGER
    # Had a 危険水位 been published, only then could the status become "danger".
    with_phantom = gauge_status(level, start, phantom, flood)
    if with_phantom != status:
        assert with_phantom == DANGER and level >= phantom and (flood is None or level < flood)


def test_gauges_are_counted_inside_and_near_a_zone():
    from shapely.geometry import Point, box

    from smartcity_qgis.analysis.river_exposure import count_gauges_near

    zone = box(0, 0, 1000, 1000)
    counts = count_gauges_near(
        zone, [(Point(500, 500), FLOOD), (Point(1500, 500), DANGER), (Point(5000, 0), OBSERVING), (None, NORMAL)], 600
    )
    assert counts.inside == {FLOOD: 1} and counts.within == {FLOOD: 1, DANGER: 1}
    assert counts.statuses() == [DANGER, FLOOD]
    with pytest.raises(ValueError, match="negative"):
        count_gauges_near(zone, [], -1)
