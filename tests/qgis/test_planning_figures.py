"""Planning map figures and the planning pack: page sizes, rendered content, Japanese text."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry, QgsLayerMetadata, QgsProject
from qgis.PyQt.QtGui import QImage

from smartcity_qgis.export.figure import FigureSpec, build_figure, export_layout
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.districts.layer import add_district, save_districts
from tests.qgis.planning_fixtures import X0, Y0, box, init_processing, planning_layers, square_district

TITLE = "岡崎市 QURUWA地区 浸水想定と人流"
pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is needed")


@pytest.fixture
def scene(qgis_app, tmp_path):
    init_processing()
    districts = square_district(tmp_path / "districts.gpkg")
    layers = planning_layers()
    metadata = QgsLayerMetadata()
    metadata.setRights(["出典：テスト浸水想定（合成データ）"])
    layers["hazard"].setMetadata(metadata)
    layers["people"].setCustomProperty("smartcity/synthetic", True)
    yield districts, layers
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layoutManager().clear()


def pdf_text(path) -> str:
    """The PDF's text layer as a reader's tools get it: no normalisation, no Kangxi radicals."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    text = text.decode("utf-8")
    radicals = sorted({c for c in text if 0x2E80 <= ord(c) <= 0x2FDF})
    assert radicals == [], f"the text layer reads radicals {radicals} instead of the ideographs written"
    return text


def pdf_pages(path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    return int(fields["Pages"]), fields["Page size"].strip()


def render(path, tmp_path, page: int = 1) -> QImage:
    prefix = tmp_path / f"render{page}"
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", str(page), "-l", str(page), "-singlefile", str(path), str(prefix)],
        check=True,
    )
    image = QImage(str(prefix) + ".png")
    assert not image.isNull()
    return image


def coloured_share(image: QImage, x0: float, y0: float, x1: float, y1: float) -> float:
    """Share of clearly non-white pixels in a region given in fractions of the page."""
    total = coloured = 0
    for y in range(int(image.height() * y0), int(image.height() * y1), 2):
        for x in range(int(image.width() * x0), int(image.width() * x1), 2):
            colour = image.pixelColor(x, y)
            total += 1
            coloured += min(colour.red(), colour.green(), colour.blue()) < 200
    return coloured / total


def run_figure(layers, districts, tmp_path, **extra):
    import processing

    params = {
        "LAYERS": [layers["entities"], layers["stations"], layers["hazard"], layers["people"]],
        "DISTRICTS": districts,
        "TITLE": TITLE,
        "SUBTITLE": "先行地区 現況 Rev 2",
        "PAGE_SIZE": 0,
        "ORIENTATION": 1,
        "FORMAT": 0,
        "DPI": 150,
        "OUTPUT": str(tmp_path / "figure.pdf"),
        **extra,
    }
    return processing.run("smartcity:planningfigure", params)


def test_pdf_figure_page_text_legend_and_map(scene, tmp_path):
    districts, layers = scene
    result = run_figure(layers, districts, tmp_path)
    pages, size = pdf_pages(result["OUTPUT"])
    # one A4 landscape page (poppler prints its size rounded or not, depending on its version)
    assert pages == 1 and (size.startswith("841.89 x 595.276") or size.startswith("842 x 595")), (pages, size)
    text = pdf_text(result["OUTPUT"])
    assert TITLE in text
    assert "Rev 2" in text, "digits after Latin text stay searchable"
    assert tr("Legend") in text and "洪水浸水想定区域" in text and "センサー" in text
    assert "水位観測所" not in text, "the legend lists what is on the map (the station lies outside it)"
    assert tr("Sources: {0}").format("テスト浸水想定（合成データ）") in text  # one prefix, never 出典：出典：
    assert tr("Synthetic demo data (not real observations)") in text
    image = render(result["OUTPUT"], tmp_path)
    assert coloured_share(image, 0.1, 0.25, 0.6, 0.75) > 0.3, "the map shows the layers"
    assert QgsProject.instance().layoutManager().layoutByName(TITLE) is not None, "layout kept in the project"


def test_hidden_layers_stay_out_of_the_legend(scene, tmp_path):
    districts, layers = scene
    QgsProject.instance().layerTreeRoot().findLayer(layers["people"].id()).setItemVisibilityChecked(False)
    text = pdf_text(run_figure(layers, districts, tmp_path, TITLE="凡例の確認")["OUTPUT"])
    assert "洪水浸水想定区域" in text and "センサー" in text
    assert "人流" not in text, "a layer switched off is neither drawn nor listed"


def test_a3_portrait_png_and_svg(scene, tmp_path):
    districts, layers = scene
    png = run_figure(
        layers, districts, tmp_path, PAGE_SIZE=1, ORIENTATION=0, FORMAT=1, DPI=60, OUTPUT=str(tmp_path / "figure.png")
    )["OUTPUT"]
    image = QImage(png)
    assert (image.width(), image.height()) == pytest.approx((297 / 25.4 * 60, 420 / 25.4 * 60), abs=2)
    assert coloured_share(image, 0.1, 0.2, 0.6, 0.6) > 0.3
    svg = run_figure(layers, districts, tmp_path, FORMAT=2, OUTPUT=str(tmp_path / "figure.svg"))["OUTPUT"]
    content = Path(svg).read_text(encoding="utf-8")
    assert content.lstrip().startswith("<?xml") and "<svg" in content


def test_figure_from_an_extent(scene, tmp_path):
    _districts, layers = scene
    from qgis.core import QgsRectangle

    spec = FigureSpec(
        title="範囲指定",
        layers=[layers["hazard"]],
        extent=QgsRectangle(X0, Y0, X0 + 500, Y0 + 500),
        extent_crs=QgsCoordinateReferenceSystem("EPSG:6675"),
        orientation="portrait",
    )
    layout = build_figure(spec)
    path = export_layout(layout, tmp_path / "extent.pdf", "pdf", 72)
    assert pdf_pages(path)[1].startswith("595")


def test_planning_pack_has_cover_and_two_pages_per_district(scene, tmp_path):
    import processing

    districts, layers = scene
    districts.startEditing()
    add_district(
        districts,
        QgsGeometry.fromWkt(box(X0 + 2000, Y0, X0 + 2600, Y0 + 800)),
        {"name": "康生地区", "domain": "disaster_prevention", "phase": "planning"},
        QgsCoordinateReferenceSystem("EPSG:6675"),
    )
    save_districts(districts)
    params = {
        "DISTRICTS": districts,
        "LAYERS": [layers["hazard"], layers["people"]],
        "TITLE": "先行地区計画 添付資料",
        "PAGE_SIZE": 0,
        "ORIENTATION": 0,
        "PEOPLE_FLOW": layers["people"],
        "HAZARD": layers["hazard"],
        "ORGANISATION": "岡崎市 企画課",
        "OUTPUT": str(tmp_path / "pack.pdf"),
    }
    result = processing.run("smartcity:planningpack", params)
    pages, size = pdf_pages(result["OUTPUT"])
    assert pages == 1 + 2 * 2 and size.startswith("595")
    for page in range(1, pages + 1):
        page_text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), result["OUTPUT"], "-"], capture_output=True, check=True
        ).stdout.decode()
        assert re.search(rf"(?<!\d){page}\s*/\s*{pages}(?!\d)", page_text), f"page {page} is numbered"
    cover = subprocess.run(["pdftotext", "-l", "1", result["OUTPUT"], "-"], capture_output=True, check=True).stdout
    cover = cover.decode()
    assert "岡崎市 企画課" in cover, "the cover names the author organisation"
    assert tr("Contents") in cover and tr("{0} — fact sheet").format("康生地区") in cover
    text = pdf_text(result["OUTPUT"])
    assert "先行地区計画 添付資料" in text and "康生地区" in text and "来街者数" in text
    assert "—（データなし）" in text, "unavailable figures are marked"
    assert coloured_share(render(result["OUTPUT"], tmp_path, page=2), 0.1, 0.2, 0.6, 0.6) > 0.2
    assert "1,500" not in text
    # the data changed: re-running reproduces the pack with the new figures
    people = layers["people"]
    people.dataProvider().changeAttributeValues(
        {next(people.getFeatures()).id(): {people.fields().indexOf("population_day"): 3000}}
    )
    again = processing.run("smartcity:planningpack", {**params, "OUTPUT": str(tmp_path / "pack2.pdf")})
    assert "1,500" in pdf_text(again["OUTPUT"]) and pdf_pages(again["OUTPUT"])[0] == 5
    assert len([lay for lay in QgsProject.instance().layoutManager().layouts() if "先行地区計画" in lay.name()]) == 1


def test_a_figure_with_nothing_to_show_is_refused(qgis_app, tmp_path):
    from qgis.core import QgsProcessingException

    init_processing()
    import processing

    with pytest.raises(QgsProcessingException):
        processing.run("smartcity:planningfigure", {"TITLE": "空", "OUTPUT": str(tmp_path / "empty.pdf")})
    assert not (tmp_path / "empty.pdf").exists()
