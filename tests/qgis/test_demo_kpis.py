"""The demo's district and planning steps: QURUWA's KPIs measured before and after the 社会実験 and
written into the planning pack."""

from __future__ import annotations

import shutil

import pytest
from qgis.core import QgsProject

from smartcity_qgis.cityos_sim.server import start_server
from smartcity_qgis.demo.context import DemoContext
from smartcity_qgis.i18n import install_translator, remove_translator
from tests.qgis.test_planning_figures import pdf_pages, pdf_text

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is needed")


def test_demo_measures_quruwa_kpis_and_writes_the_kpi_page(qgis_app, tmp_path):
    from smartcity_qgis.demo import step_50_districts, step_60_planning

    project = QgsProject.instance()
    project.clear()
    ctx = DemoContext(output=tmp_path, project=project)
    translator = install_translator("ja")
    sim = start_server(scenario="okazaki", auto_advance=False)
    try:
        ctx.shared["sim"] = sim
        district_outputs = step_50_districts.run(ctx)
        planning_outputs = step_60_planning.run(ctx)
    finally:
        sim.stop()
        remove_translator(translator)
        project.clear()
    report = tmp_path / "districts" / "kpi_evaluation.txt"
    assert report in district_outputs
    lines = report.read_text(encoding="utf-8").splitlines()
    people = next(line for line in lines if line.startswith("歩行者通行量（休日）"))
    parking = next(line for line in lines if line.startswith("駐車場利用率"))
    assert "(+" in people and "(+" in parking, "the 社会実験 raised both"
    baseline, evaluation = ctx.shared["kpi_periods"]
    assert (baseline[1] - baseline[0]).days == 89 and evaluation[0] == sim.scenario.experiment_date
    pack = tmp_path / "planning" / "planning_pack.pdf"
    assert pack in planning_outputs and (tmp_path / "planning" / "planning_pack_kpi.png").exists()
    assert pdf_pages(pack)[0] == 1 + 2 * 3  # cover; map, fact sheet and KPI page per district
    page = pdf_text(pack).split("\f")[3]
    for text in (
        "KPI（効果検証）",
        "歩行者通行量（休日）",
        "駐車場利用率",
        "人流センサーの設置箇所数",
        "合成データ",
        "出典",
    ):
        assert text in page, text
