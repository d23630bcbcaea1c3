"""Measuring KPIs from the embedded city OS's history gives what the scenario generated.

The expected values are computed from the scenario's own history generator with plain Python
and the holidays package as calendar, independently of the measuring code.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import defaultdict

import pytest
from shapely.geometry import Point, Polygon

from smartcity_qgis.analysis.kpi import compare_series
from smartcity_qgis.analysis.kpi_schema import KpiDefinition
from smartcity_qgis.cityos_client import CancelledError, CityOSClient, ConnectionConfig
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.cityos_sim.okazaki import COUNTERS, PARKING
from smartcity_qgis.demo.step_50_districts import QURUWA_OUTLINE
from smartcity_qgis.layers.districts.kpi_measure import WINDOW_DAYS, measure_cityos

START = dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC)  # 12:00 JST on Monday 15 June 2026
JST = dt.timezone(dt.timedelta(hours=9))
FIRST, LAST = dt.date(2026, 2, 1), dt.date(2026, 6, 14)
QURUWA = Polygon(QURUWA_OUTLINE)

PEOPLE = KpiDefinition(
    1, "歩行者通行量（休日）", method="cityos", entity_type="CrowdFlowObserved", attribute="peopleCount",
    how="sum", days="holiday", people=True, target=10, target_type="change_pct", fid=1,
)  # fmt: skip
PARKING_KPI = KpiDefinition(
    1, "駐車場利用率", method="cityos", entity_type="OffStreetParking", attribute="availableSpotNumber",
    denominator="totalSpotNumber", transform="occupancy", how="mean", hour_from=10, hour_to=18, fid=2,
)  # fmt: skip


@pytest.fixture(scope="module")
def server():
    with start_server(scenario="okazaki", auto_advance=False, start_time=START.timestamp()) as srv:
        yield srv


def _client(server, flavor):
    extra = {"timeseries_url": server.url + "/ql"} if flavor == "ngsi-v2" else {}
    return CityOSClient(ConnectionConfig(url=server.url, flavor=flavor, tenant="okazaki", **extra))


@functools.cache
def _rest_day(day: dt.date) -> bool:
    holidays = pytest.importorskip("holidays")
    return day.weekday() >= 5 or day in holidays.Japan(years=day.year)


def _expected_people(server) -> dict[str, float]:
    inside = {
        f"urn:ngsi-ld:CrowdFlowObserved:okazaki-{cid}"
        for cid, _n, lon, lat, *_ in COUNTERS["okazaki"]
        if QURUWA.contains(Point(lon, lat))
    }
    assert len(inside) == 6  # the QURUWA counters, not the stations
    sums: dict[str, float] = defaultdict(float)
    for eid, attrs in server.scenario.history_archive("okazaki").items():
        if eid not in inside:
            continue
        for when, count in attrs["peopleCount"]:
            day = dt.datetime.fromtimestamp(when, JST).date()
            if FIRST <= day <= LAST and _rest_day(day):
                sums[day.isoformat()] += count
    return dict(sums)


def _expected_occupancy(server) -> dict[str, float]:
    totals = {f"urn:ngsi-ld:OffStreetParking:okazaki-{pid}": total for pid, _n, lon, lat, total in PARKING["okazaki"]
              if QURUWA.contains(Point(lon, lat))}  # fmt: skip
    assert len(totals) == 2
    per_day: dict[str, list[float]] = defaultdict(list)
    for eid, attrs in server.scenario.history_archive("okazaki").items():
        if eid not in totals:
            continue
        for when, free in attrs["availableSpotNumber"]:
            local = dt.datetime.fromtimestamp(when, JST)
            if FIRST <= local.date() <= LAST and 10 <= local.hour < 18:
                per_day[local.date().isoformat()].append(100 * (1 - free / totals[eid]))
    return {day: sum(v) / len(v) for day, v in per_day.items()}


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_people_on_holidays_match_the_scenario(server, flavor):
    with _client(server, flavor) as client:
        outcome = measure_cityos(client, PEOPLE, QURUWA, FIRST, LAST, "demo")
    expected = _expected_people(server)
    assert {v.period: v.value for v in outcome.values} == pytest.approx(expected)
    assert len(outcome.entities) == 6 and outcome.left_out == []
    assert "2026-05-06" in expected and "2026-05-07" not in expected  # 振替休日 counts, the Thursday not
    assert all(v.n_days == 1 and v.n_obs == 6 * 24 for v in outcome.values)
    assert outcome.source == "demo: CrowdFlowObserved.peopleCount (6)"


def test_parking_occupancy_in_opening_hours_matches_the_scenario(server):
    with _client(server, "ngsi-v2") as client:
        outcome = measure_cityos(client, PARKING_KPI, QURUWA, FIRST, LAST)
    got = {v.period: v.value for v in outcome.values}
    assert got == pytest.approx(_expected_occupancy(server))
    assert all(v.n_obs == 2 * 8 for v in outcome.values)


def test_the_social_experiment_shows_as_a_step(server):
    with _client(server, "ngsi-ld") as client:
        outcome = measure_cityos(client, PEOPLE, QURUWA, FIRST, LAST)
    from smartcity_qgis.analysis.kpi import PeriodValue

    daily = [
        PeriodValue(v.period, dt.date.fromisoformat(v.start), dt.date.fromisoformat(v.end), v.value, v.n_obs, 1, 0)
        for v in outcome.values
    ]
    experiment = server.scenario.experiment_date
    before = (FIRST, experiment - dt.timedelta(days=1))
    result = compare_series(daily, before, (experiment, LAST))
    assert 12 < result.change_pct < 28  # 1.2 × on 土日祝 after the experiment, give or take the calendar
    assert result.n_baseline > 15 and result.n_evaluation > 15


def test_small_counts_are_left_out_and_said_so(server):
    night = PEOPLE.copy(days="all", hour_from=3, hour_to=4, fid=3)  # a few people at 3 a.m.
    kagoda_park = Point(137.1668, 34.9603).buffer(0.0005)  # one counter: about 8 on working days, 14 on 土日祝
    with _client(server, "ngsi-ld") as client:
        outcome = measure_cityos(client, night, kagoda_park, dt.date(2026, 6, 1), dt.date(2026, 6, 7))
    hidden = [v for v in outcome.values if v.period in outcome.left_out]
    kept = [v for v in outcome.values if v.period not in outcome.left_out]
    assert len(hidden) == 5 and len(kept) == 2  # Monday to Friday left out; the weekend kept
    assert all(v.value is None and v.total is None and v.note.startswith("k=10") for v in hidden)
    assert all(v.value >= 10 for v in kept)


def test_todays_value_is_partial(server):
    with _client(server, "ngsi-ld") as client:
        outcome = measure_cityos(client, PEOPLE.copy(days="all"), QURUWA, dt.date(2026, 6, 14), dt.date(2026, 6, 15),
                                 now=START)  # fmt: skip
    today = outcome.values[-1]
    assert today.period == "2026-06-15" and today.note.startswith("partial day (to 12:00 JST)")
    assert outcome.values[0].note == ""


def test_measuring_can_be_cancelled_between_requests(server):
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 5

    with _client(server, "ngsi-ld") as client, pytest.raises(CancelledError):
        measure_cityos(client, PEOPLE, QURUWA, FIRST, LAST, cancel=cancel)
    progress = []
    with _client(server, "ngsi-ld") as client:
        measure_cityos(client, PEOPLE, QURUWA, dt.date(2026, 5, 1), dt.date(2026, 5, 31), progress=progress.append)
    windows = math.ceil(31 / WINDOW_DAYS)  # May asked for in windows of WINDOW_DAYS days
    assert progress[-1] == pytest.approx(100) and len(progress) == 6 * windows == 12
