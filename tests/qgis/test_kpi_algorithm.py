"""Processing smartcity:districtkpi: measures from the embedded city OS, stores, compares."""

from __future__ import annotations

import datetime as dt

import pytest
from qgis.core import QgsGeometry, QgsPointXY, QgsProject

from smartcity_qgis.analysis.kpi import compare_series
from smartcity_qgis.analysis.kpi_schema import KpiDefinition
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.demo.step_50_districts import QURUWA_OUTLINE
from smartcity_qgis.layers.districts.kpi_evaluation import daily_series
from smartcity_qgis.layers.districts.kpi_measure import manual_values
from smartcity_qgis.layers.districts.kpi_store import read_kpis, read_values, write_kpis, write_values
from smartcity_qgis.layers.districts.layer import add_district, open_district_layer, save_districts
from tests.qgis.planning_fixtures import init_processing

START = dt.datetime(2026, 6, 15, 3, tzinfo=dt.UTC)


@pytest.fixture
def quruwa(tmp_path, qgis_app):
    layer = open_district_layer(tmp_path / "districts.gpkg")
    QgsProject.instance().addMapLayer(layer)
    outline = QgsGeometry.fromPolygonXY([[QgsPointXY(x, y) for x, y in QURUWA_OUTLINE]])
    add_district(layer, outline, {"name": "QURUWA", "domain": "urban_planning", "phase": "demonstration"})
    save_districts(layer)
    fid = next(layer.getFeatures()).id()
    path = tmp_path / "districts.gpkg"
    write_kpis(
        path,
        fid,
        [
            KpiDefinition(fid, "歩行者通行量（休日）", method="cityos", entity_type="CrowdFlowObserved",
                          attribute="peopleCount", days="holiday", people=True, target=10, target_type="change_pct"),
            KpiDefinition(fid, "市民満足度", unit="点", target=4.0, how="mean"),
        ],
    )  # fmt: skip
    satisfaction = read_kpis(path, fid)[1]
    write_values(path, satisfaction, manual_values(satisfaction, [("2026-03-01", 3.2), ("2026-06-01", 3.6)]))
    yield layer, path
    QgsProject.instance().clear()


def test_districtkpi_measures_stores_and_compares(quruwa):
    import processing

    init_processing()
    layer, path = quruwa
    with start_server(scenario="okazaki", auto_advance=False, start_time=START.timestamp()) as server:
        experiment = server.scenario.experiment_date
        params = {
            "DISTRICTS": layer,
            "CONNECTION": f"{server.url}?tenant=okazaki&flavor=ngsi-ld",
            "BASELINE_START": "2026-02-01",
            "BASELINE_END": (experiment - dt.timedelta(days=1)).isoformat(),
            "EVAL_START": experiment.isoformat(),
            "EVAL_END": "2026-06-14",
            "OUTPUT": "memory:",
        }
        result = processing.run("smartcity:districtkpi", params)
    table = result["OUTPUT"]
    rows = {f["kpi"]: f for f in table.getFeatures()}
    assert result["KPI_COUNT"] == 2 and set(rows) == {"歩行者通行量（休日）", "市民満足度"}
    people = rows["歩行者通行量（休日）"]
    kpi = read_kpis(path)[0]
    stored = read_values(path, kpi)
    assert stored[0].period == "2026-02-01" and stored[-1].period == "2026-06-14"  # 土日 only
    expected = compare_series(
        daily_series(stored),
        (dt.date(2026, 2, 1), experiment - dt.timedelta(days=1)),
        (experiment, dt.date(2026, 6, 14)),
    )
    assert people["baseline_value"] == pytest.approx(expected.baseline_value)
    assert people["evaluation_value"] == pytest.approx(expected.evaluation_value)
    assert people["n_baseline"] == expected.n_baseline and people["n_evaluation"] == expected.n_evaluation
    assert people["change_pct"] == pytest.approx(expected.change_pct) and people["change_pct"] > 10
    assert people["attainment_pct"] == pytest.approx(10 * expected.change_pct)
    assert "CrowdFlowObserved.peopleCount (6)" in people["source"] and people["left_out"] == 0
    satisfaction = rows["市民満足度"]
    assert (satisfaction["baseline_value"], satisfaction["evaluation_value"]) == (3.2, 3.6)
    assert satisfaction["attainment_pct"] == pytest.approx(90)

    # Without measuring, the stored values give the same table (offline).
    again = processing.run("smartcity:districtkpi", {**params, "CONNECTION": "", "MEASURE": False})
    assert {f["kpi"]: f["evaluation_value"] for f in again["OUTPUT"].getFeatures()} == {
        k: f["evaluation_value"] for k, f in rows.items()
    }
    assert len(read_values(path, kpi)) == len(stored)


def test_bad_periods_are_refused(quruwa):
    import processing
    from qgis.core import QgsProcessingException

    init_processing()
    layer, _path = quruwa
    with pytest.raises(QgsProcessingException):
        processing.run(
            "smartcity:districtkpi",
            {"DISTRICTS": layer, "BASELINE_START": "2026-05-01", "BASELINE_END": "2026-04-01",
             "EVAL_START": "2026-05-01", "EVAL_END": "2026-05-31", "MEASURE": False, "OUTPUT": "memory:"},
        )  # fmt: skip
