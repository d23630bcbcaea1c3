"""KPIs from project layers (people-flow mesh by area share, 警戒レベル crossings), the measuring task,
and evaluation of stored values."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsGeometry, QgsPointXY, QgsProject
from qgis.PyQt.QtCore import QVariant

from smartcity_qgis.analysis.kpi import JST, compare_periods
from smartcity_qgis.analysis.kpi_schema import KpiDefinition
from smartcity_qgis.analysis.river import Crossing
from smartcity_qgis.cityos_client import ConnectionConfig
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.layers.districts.kpi_evaluation import evaluate_kpi
from smartcity_qgis.layers.districts.kpi_local import district_area, measure_events, measure_mesh
from smartcity_qgis.layers.districts.kpi_measure import manual_values
from smartcity_qgis.layers.districts.kpi_store import read_kpis, read_values, write_kpis, write_values
from smartcity_qgis.layers.districts.kpi_task import KpiMeasureTask, district_jobs, measure_jobs
from smartcity_qgis.layers.rivers.alerts import append_crossings, create_alert_log_layer
from tests.qgis.planning_fixtures import SQUARE_6675, X0, Y0, box, memory_layer

ZONE = QgsCoordinateReferenceSystem("EPSG:6675")


@pytest.fixture(autouse=True)
def clean_project(qgis_app):
    yield
    QgsProject.instance().clear()


@pytest.fixture
def area(qgis_app):
    return district_area(QgsGeometry.fromWkt(SQUARE_6675), ZONE)


def _mesh():
    half_out = box(X0 + 500, Y0, X0 + 1500, Y0 + 1000)  # half of it in the district
    inside = box(X0 + 100, Y0 + 100, X0 + 400, Y0 + 400)
    far = box(X0 + 5000, Y0, X0 + 6000, Y0 + 1000)
    rows = []
    for month, scale in ((4, 1.0), (5, 1.1)):
        for dayflag, daily in ((0, 1.0), (1, 0.5)):
            for geometry, people in ((half_out, 1000), (inside, 300), (far, 5000)):
                for timezone, share in ((0, 1.0), (2, 0.8)):
                    value = people * scale * daily * share
                    rows.append((geometry, {"year": 2026, "month": month, "dayflag": dayflag, "timezone": timezone,
                                            "population": value}))  # fmt: skip
    rows.append((half_out, {"year": 2026, "month": 6, "dayflag": 0, "timezone": 2, "population": 12}))  # 6 inside
    fields = dict.fromkeys(("year", "month", "dayflag", "timezone"), QVariant.Int) | {"population": QVariant.Double}
    return memory_layer("Polygon", "人流 1km", fields, rows)


def test_people_on_the_mesh_by_area_share(area):
    layer = _mesh()
    layer.setAttribution("出典：「全国の人流オープンデータ」（国土交通省）")
    kpi = KpiDefinition(1, "休日昼の滞在人口", method="mesh", days="holiday", hour_from=11, hour_to=15, fid=1)
    outcome = measure_mesh(kpi, area, layer, dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert {v.period: v.value for v in outcome.values} == pytest.approx({"2026-04": 800, "2026-05": 880})
    assert outcome.values[0].n_obs == 2 and outcome.values[0].n_days == 9  # 8 weekend days and 昭和の日
    assert "国土交通省" in outcome.source
    day = measure_mesh(kpi.copy(days="weekday", hour_from=None, hour_to=None), area, layer, dt.date(2026, 4, 1),
                       dt.date(2026, 6, 30))  # fmt: skip
    assert {v.period: v.value for v in day.values} == pytest.approx({"2026-04": 320, "2026-05": 352})
    holiday_all_day = measure_mesh(kpi.copy(hour_from=None, hour_to=None), area, layer, dt.date(2026, 4, 1),
                                   dt.date(2026, 6, 30))  # fmt: skip
    assert holiday_all_day.left_out == ["2026-06"]  # 6 people: under k = 10
    assert holiday_all_day.values[-1].value is None
    with pytest.raises(Exception, match="昼"):
        measure_mesh(kpi.copy(hour_from=10, hour_to=18), area, layer, dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def test_alert_level_crossings_near_the_district(area, qgis_app):
    log = create_alert_log_layer("警戒レベルの記録")
    to_4326 = QgsGeometry.fromWkt(f"POINT({X0 + 1300} {Y0 + 500})")  # 300 m east of the district
    far = QgsGeometry.fromWkt(f"POINT({X0 + 3000} {Y0 + 500})")
    from qgis.core import QgsCoordinateTransform

    for g in (to_4326, far):
        g.transform(QgsCoordinateTransform(ZONE, QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance()))
    near_point, far_point = QgsPointXY(to_4326.asPoint()), QgsPointXY(far.asPoint())

    def log_at(day, hour, crossings, point):
        when = dt.datetime(2026, 7, day, hour, tzinfo=JST)
        append_crossings(log, "st", "殿橋", crossings, when, 3.5, point)

    log_at(3, 8, [Crossing(1, 2), Crossing(2, 3)], near_point)  # one rise to レベル3 (Friday)
    log_at(3, 20, [Crossing(3, 2)], near_point)  # falling: not counted
    log_at(4, 1, [Crossing(2, 3), Crossing(3, 4)], near_point)  # two at レベル3 or above (Saturday)
    log_at(4, 2, [Crossing(2, 3)], far_point)  # too far
    kpi = KpiDefinition(1, "避難判断水位到達回数", method="events", event_level=3, distance_m=500, how="sum", fid=2)
    outcome = measure_events(kpi, area, log, dt.date(2026, 7, 2), dt.date(2026, 7, 5))
    assert [(v.period, v.value) for v in outcome.values] == [
        ("2026-07-02", 0), ("2026-07-03", 1), ("2026-07-04", 2), ("2026-07-05", 0)
    ]  # fmt: skip
    weekend = measure_events(kpi.copy(days="holiday", distance_m=5000), area, log, dt.date(2026, 7, 2),
                             dt.date(2026, 7, 5))  # fmt: skip
    assert [(v.period, v.value) for v in weekend.values] == [("2026-07-04", 3), ("2026-07-05", 0)]


def _square_districts(tmp_path):
    from tests.qgis.planning_fixtures import square_district

    return square_district(tmp_path / "districts.gpkg")


def test_stored_values_compare_like_the_raw_series(tmp_path, qgis_app):
    layer = _square_districts(tmp_path)
    path = tmp_path / "districts.gpkg"
    fid = next(layer.getFeatures()).id()
    write_kpis(path, fid, [KpiDefinition(fid, "来街者数", per="week", how="sum", stat="mean", target=10,
                                         target_type="change_pct")])  # fmt: skip
    kpi = read_kpis(path, fid)[-1]
    days = [dt.date(2026, 3, 1) + dt.timedelta(days=i) for i in range(90)]
    entries = [(d, 100 + (i % 7) * 10 + (20 if d >= dt.date(2026, 4, 15) else 0)) for i, d in enumerate(days)]
    write_values(path, kpi, manual_values(kpi, entries))
    baseline, evaluation = (dt.date(2026, 3, 1), dt.date(2026, 4, 14)), (dt.date(2026, 4, 15), dt.date(2026, 5, 29))
    result = evaluate_kpi(kpi, read_values(path, kpi), baseline, evaluation)
    times = [dt.datetime.combine(d, dt.time(12), JST) for d, _v in entries]
    raw = compare_periods(times, [v for _d, v in entries], baseline, evaluation, "week", "sum", "mean")
    assert result.comparison.baseline_value == pytest.approx(raw.baseline_value)
    assert result.comparison.evaluation_value == pytest.approx(raw.evaluation_value)
    assert result.attainment == pytest.approx(100 * raw.change_pct / 10)
    assert result.latest.key == "2026-W22" and result.series[0].key == "2026-W09"
    empty = evaluate_kpi(kpi, read_values(path, kpi), (dt.date(2025, 1, 1), dt.date(2025, 1, 31)), evaluation)
    assert empty.comparison is None and "2025-01-01" in empty.problem


def _wait(task, timeout=60):
    deadline = time.monotonic() + timeout
    while task.status() not in (task.Complete, task.Terminated) and time.monotonic() < deadline:
        QgsApplication.processEvents()
        time.sleep(0.02)
    QgsApplication.processEvents()


def test_the_task_measures_in_the_background_and_stores(tmp_path, qgis_app):
    from smartcity_qgis.demo.step_50_districts import QURUWA_OUTLINE
    from smartcity_qgis.layers.districts.layer import add_district, open_district_layer, save_districts

    layer = open_district_layer(tmp_path / "districts.gpkg")
    QgsProject.instance().addMapLayer(layer)
    outline = QgsGeometry.fromPolygonXY([[QgsPointXY(x, y) for x, y in QURUWA_OUTLINE]])
    add_district(layer, outline, {"name": "QURUWA", "domain": "urban_planning", "phase": "demonstration"})
    save_districts(layer)
    fid = next(layer.getFeatures()).id()
    path = tmp_path / "districts.gpkg"
    people = KpiDefinition(fid, "歩行者通行量", method="cityos", entity_type="CrowdFlowObserved",
                           attribute="peopleCount", people=True)  # fmt: skip
    write_kpis(path, fid, [people, KpiDefinition(fid, "市民満足度")])
    start = dt.datetime(2026, 6, 15, 3, tzinfo=dt.UTC)
    with start_server(scenario="okazaki", auto_advance=False, start_time=start.timestamp()) as server:
        config = ConnectionConfig(url=server.url, flavor="ngsi-ld", tenant="okazaki")
        jobs = district_jobs(layer, dt.date(2026, 6, 1), dt.date(2026, 6, 14))
        assert [j.kpi.name for j in jobs] == ["歩行者通行量"]  # manual KPIs are typed in, not measured
        task = KpiMeasureTask(path, jobs, config, "demo")
        got = []
        task.measured.connect(got.append)
        QgsApplication.taskManager().addTask(task)
        _wait(task)
        assert got and got[0][0].stored == 14
        # Measuring again replaces the 14 days instead of adding 14 more.
        outcomes = measure_jobs(path, jobs, config, "demo")
        assert outcomes[0].stored == 14 and len(read_values(path, read_kpis(path, fid)[0])) == 14
        # A cancelled task stores nothing more and says so.
        later = district_jobs(layer, dt.date(2026, 2, 1), dt.date(2026, 5, 31))
        task = KpiMeasureTask(path, later, config)
        failures = []
        task.failed.connect(failures.append)
        QgsApplication.taskManager().addTask(task)
        task.cancel()
        _wait(task)
        assert failures and len(read_values(path, read_kpis(path, fid)[0])) == 14
    no_connection = measure_jobs(path, jobs, None)
    assert no_connection[0].error and no_connection[0].stored == 0
