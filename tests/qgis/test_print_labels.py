"""Printed plans: names instead of live labels, each place named once, a legend a reader can read."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from qgis.core import QgsLayoutItemLegend, QgsLegendStyle, QgsProject, QgsSingleSymbolRenderer
from qgis.PyQt.QtCore import QVariant

from smartcity_qgis.export.figure import FigureSpec, build_figure, export_layout
from smartcity_qgis.export.print_labels import print_labeling, twin_ids
from smartcity_qgis.layers.rivers.style import apply_river_style, label_expression
from tests.qgis.planning_fixtures import X0, Y0, memory_layer, square_district

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is needed")

LIVE_TEXT = "to the next level"  # the live label's margin text (English test locale)


def _stations(name: str, dx: float = 0.0):
    layer = memory_layer(
        "Point",
        name,
        {"stationName": QVariant.String, "waterLevel": QVariant.Double, "margin": QVariant.Double},
        [
            (f"POINT({X0 + 400 + dx} {Y0 + 500})", {"stationName": "殿橋", "waterLevel": 1.69, "margin": 0.31}),
            (f"POINT({X0 + 700 + dx} {Y0 + 300})", {"stationName": "明代橋", "waterLevel": 0.8, "margin": 1.2}),
        ],
    )
    apply_river_style(layer)
    QgsProject.instance().addMapLayer(layer)
    return layer


@pytest.fixture
def stations(qgis_app, tmp_path):
    districts = square_district(tmp_path / "districts.gpkg")
    yield districts, _stations("河川水位（ライブ）"), _stations("河川水位（観測所表）", dx=5.0)
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layoutManager().clear()


def _text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()


def test_printed_maps_name_each_station_once_without_live_labels(stations, tmp_path):
    districts, live, table = stations
    layout = build_figure(FigureSpec(title="河川", layers=[live, table], districts=districts))
    text = _text(export_layout(layout, tmp_path / "figure.pdf", "pdf", dpi=100))
    assert LIVE_TEXT not in text and "1.69 m" not in text, "live levels are not printed"
    # The main map and the overview each name 殿橋 once, although two layers show it.
    assert text.count("殿橋") == 2
    # The layers keep their live labels after the export.
    for layer in (live, table):
        assert layer.labelsEnabled()
        rule = layer.labeling().rootRule().children()[0]
        assert rule.settings().fieldName == label_expression()


def test_live_labels_are_printed_when_asked(stations, tmp_path):
    districts, live, _table = stations
    layout = build_figure(FigureSpec(title="河川", layers=[live], districts=districts))
    text = _text(export_layout(layout, tmp_path / "live.pdf", "pdf", dpi=100, live_labels=True))
    assert LIVE_TEXT in text


def test_twins_are_the_same_name_at_the_same_place():
    earlier = [(1, "殿橋", 137.1600, 34.9560), (2, "明代橋", 137.1700, 34.9500)]
    later = [(7, "殿橋", 137.16005, 34.95603), (8, "明代橋", 137.1900, 34.9500), (9, "大平", 137.1600, 34.9560)]
    assert twin_ids(earlier, later) == [7]


def test_a_layer_without_a_name_field_prints_no_labels(qgis_app):
    layer = memory_layer("Point", "無名", {"value": QVariant.Double}, [(f"POINT({X0} {Y0})", {"value": 1.0})])
    assert print_labeling(layer) is None


def test_legend_text_is_at_least_7_pt_and_inline_layers_are_not_under_a_heading(stations, tmp_path):
    districts, live, _table = stations
    single = memory_layer("Point", "大気質センサー", {"name": QVariant.String}, [(f"POINT({X0 + 200} {Y0 + 200})", {})])
    assert isinstance(single.renderer(), QgsSingleSymbolRenderer)
    QgsProject.instance().addMapLayer(single)
    layout = build_figure(FigureSpec(title="凡例", layers=[live, single], districts=districts))
    legend = next(i for i in layout.items() if isinstance(i, QgsLayoutItemLegend))
    for style in (QgsLegendStyle.SymbolLabel, QgsLegendStyle.Subgroup, QgsLegendStyle.Group):
        setting = legend.rstyle(style)
        size = setting.textFormat().size() if hasattr(setting, "textFormat") else setting.font().pointSizeF()
        assert size >= 7.0
    order = [node.layer().name() for node in legend.model().rootGroup().findLayers()]
    # The one-symbol layers (districts, the sensors) come before the classified station layer.
    assert order.index("大気質センサー") < order.index(live.name())
