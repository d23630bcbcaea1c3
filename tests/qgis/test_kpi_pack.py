"""The planning pack's KPI page: the table and one chart per KPI (PDF text and image checks)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from qgis.core import QgsProject

from smartcity_qgis.analysis.kpi_schema import KpiDefinition
from smartcity_qgis.i18n import install_translator, remove_translator
from smartcity_qgis.layers.districts.kpi_measure import manual_values
from smartcity_qgis.layers.districts.kpi_store import read_kpis, write_kpis, write_values
from tests.qgis.planning_fixtures import init_processing, square_district
from tests.qgis.test_planning_figures import pdf_pages, pdf_text, render

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is needed")

BASELINE = (dt.date(2026, 3, 1), dt.date(2026, 4, 14))
EVALUATION = (dt.date(2026, 4, 15), dt.date(2026, 5, 31))
SOURCE = "デモ都市OS（合成データ）: CrowdFlowObserved.peopleCount (6)"


@pytest.fixture
def scene(qgis_app, tmp_path):
    init_processing()
    translator = install_translator("ja")
    districts = square_district(tmp_path / "districts.gpkg")
    path = tmp_path / "districts.gpkg"
    fid = next(districts.getFeatures()).id()
    write_kpis(
        path,
        fid,
        [
            KpiDefinition(fid, "歩行者通行量（休日）", unit="人/日", method="cityos", entity_type="CrowdFlowObserved",
                          attribute="peopleCount", days="holiday", target=10, target_type="change_pct",
                          target_year=2030),
            KpiDefinition(fid, "駐車場利用率", kind="output", unit="%", method="cityos", entity_type="OffStreetParking",
                          attribute="availableSpotNumber", denominator="totalSpotNumber", transform="occupancy",
                          how="mean", target=80, target_year=2028),
        ],
    )  # fmt: skip
    people, parking = read_kpis(path, fid)
    days = [BASELINE[0] + dt.timedelta(days=i) for i in range((EVALUATION[1] - BASELINE[0]).days + 1)]
    write_values(path, people, manual_values(people, [(d, 1000 if d < EVALUATION[0] else 1200) for d in days], SOURCE))
    write_values(path, parking, manual_values(parking, [(d, 60 if d < EVALUATION[0] else 70) for d in days], SOURCE))
    yield districts
    remove_translator(translator)
    QgsProject.instance().clear()  # layers, layouts and the pack choices the project remembers


def _share(image, x0, y0, x1, y1, test) -> float:
    total = hits = 0
    for y in range(int(image.height() * y0), int(image.height() * y1)):
        for x in range(int(image.width() * x0), int(image.width() * x1)):
            colour = image.pixelColor(x, y)
            total += 1
            hits += test(colour.red(), colour.green(), colour.blue())
    return hits / total


def test_the_pack_has_a_kpi_page_with_table_and_charts(scene, tmp_path):
    import processing

    params = {
        "DISTRICTS": scene,
        "TITLE": "効果検証 資料",
        "PAGE_SIZE": 0,
        "ORIENTATION": 0,
        "BASELINE_START": BASELINE[0].isoformat(),
        "BASELINE_END": BASELINE[1].isoformat(),
        "EVAL_START": EVALUATION[0].isoformat(),
        "EVAL_END": EVALUATION[1].isoformat(),
        "OUTPUT": str(tmp_path / "pack.pdf"),
    }
    result = processing.run("smartcity:planningpack", params)
    pages, _size = pdf_pages(result["OUTPUT"])
    assert pages == 1 + 3  # cover; map, fact sheet and KPI page of the one district
    text = pdf_text(result["OUTPUT"])
    page = text.split("\f")[3]
    for expected in ("QURUWA地区", "KPI", "歩行者通行量（休日）", "駐車場利用率", "アウトカム", "アウトプット",
                     "基準期間 2026-03-01", "評価期間 2026-04-15", "+20.0%", "+16.7%", "200%", "88%",
                     "+10%（2030年）", "80 %（2028年）", "出典", "合成データ", "土日祝"):  # fmt: skip
        assert expected in page, expected
    for figure, days in (("1,000", 45), ("1,200", 47), ("60", 45), ("70", 47)):  # and the days behind each
        assert figure in page and f"（{days}日）" in page
    # two charts, side by side under the table: shading, value lines, target line
    image = render(result["OUTPUT"], tmp_path, page=4)
    assert not image.isNull()
    charts = (0.06, 0.2, 0.94, 0.45)

    def orange(r, g, b):
        return r > 240 and 215 < g < 250 and 170 < b < 225 and g - b > 15

    def red(r, g, b):
        return r > 170 and g < 90 and b < 110

    def blue(r, g, b):
        return b > 120 and r < 110 and b - r > 60

    assert _share(image, *charts, orange) > 0.02, "the evaluation period is shaded"
    assert _share(image, *charts, red) > 0.0005, "the target line is drawn"
    assert _share(image, *charts, blue) > 0.001, "the series is drawn"
    left, right = (0.06, 0.2, 0.49, 0.45), (0.51, 0.2, 0.94, 0.45)
    assert _share(image, *left, blue) > 0.0005 and _share(image, *right, blue) > 0.0005, "one chart per KPI"


def test_without_periods_the_latest_values_are_shown(scene, tmp_path):
    from smartcity_qgis.export.planning_pack import build_planning_pack, export_planning_pack

    layout = build_planning_pack(scene, [], "資料", project=QgsProject.instance())
    assert layout.pageCollection().pageCount() == 4  # the KPIs have values: their page comes anyway
    path = export_planning_pack(layout, tmp_path / "latest.pdf", dpi=72)
    page = pdf_text(path).split("\f")[3]
    assert "比較期間の指定なし" in page and "88%" in page  # parking: latest 70 % against 80 %
