"""The chart dock: history from the embedded city OS, live values appended, PNG and SVG output."""

from __future__ import annotations

import warnings
from functools import partial

import pytest
from qgis.core import QgsProject

from smartcity_qgis.dialogs.cityos.chart_dock import ChartDock, cjk_font_family, numeric_attributes
from smartcity_qgis.layers.cityos.connection_config import to_client_config
from smartcity_qgis.layers.cityos.connections import DEMO_CONNECTION_NAME, demo_connection
from smartcity_qgis.layers.cityos.demo_cityos import demo_server, stop_demo_server
from smartcity_qgis.layers.cityos.entity_loader import load_entity_layer
from tests.qgis.entity_layer_helpers import wait_until

wait_for = partial(wait_until, timeout=60.0)


@pytest.fixture(scope="module")
def river_layer(qgis_app):
    server = demo_server()
    layer = load_entity_layer(
        to_client_config(demo_connection()), "WaterObserved", connection_name=DEMO_CONNECTION_NAME
    )
    QgsProject.instance().addMapLayer(layer)
    entity_id = next(layer.getFeatures())["entity_id"]
    for level in (1.1, 1.6, 2.2, 2.9):  # a rising river: four more observations, a minute apart
        server.advance(60)
        server.update_entity(entity_id, {"waterLevel": level}, tenant="okazaki")
    yield layer, entity_id
    QgsProject.instance().removeMapLayer(layer.id())
    stop_demo_server()


@pytest.fixture
def chart(qgis_iface):
    dock = ChartDock(qgis_iface)
    yield dock
    dock.deleteLater()


def in_order(wanted: list[float], values: list[float]) -> bool:
    """True if ``wanted`` appears in ``values`` in this order (other values may sit between)."""
    it = iter(values)
    return all(any(v == w for v in it) for w in wanted)


def draw_history(chart: ChartDock, layer, entity_id: str) -> None:
    layer.selectByExpression(f"\"entity_id\" = '{entity_id}'")
    drawn = []
    chart.drawn.connect(lambda: drawn.append(1))
    chart.set_layer(layer, "waterLevel")
    wait_for(lambda: drawn)


def test_numeric_attributes_of_a_river_layer(river_layer):
    layer, _ = river_layer
    attrs = numeric_attributes(layer)
    assert {"waterLevel", "dangerLevel"} <= set(attrs)
    assert "stationName" not in attrs and "riverName" not in attrs


def test_history_is_plotted_with_japanese_labels(chart, river_layer):
    layer, entity_id = river_layer
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw_history(chart, layer, entity_id)
    assert not [w for w in caught if "missing from" in str(w.message)], "Japanese glyphs are missing"
    # The scenario clock keeps moving the river too: ours are in order among its values.
    values = [v for _, v in sorted(chart.series[entity_id])]
    assert in_order([1.1, 1.6, 2.2, 2.9], values)
    axes = chart.figure.axes[0]
    line = axes.get_lines()[0]
    assert in_order([1.1, 1.6, 2.2, 2.9], list(line.get_ydata()))
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    station = next(layer.getSelectedFeatures())["stationName"]
    assert legend == [station]
    assert axes.get_ylabel() == "waterLevel [m]"


def test_live_values_are_appended(chart, river_layer):
    layer, entity_id = river_layer
    draw_history(chart, layer, entity_id)
    before = len(chart.series[entity_id])
    drawn = []
    chart.drawn.connect(lambda: drawn.append(1))
    chart.append_live_value(entity_id, "waterLevel", 2.9, 3.4)
    chart.append_live_value(entity_id, "dangerLevel", 3.7, 9.9)  # another attribute: not this chart
    chart.append_live_value("urn:other", "waterLevel", None, 1.0)  # not plotted
    chart.append_live_value(entity_id, "waterLevel", 3.4, "n/a")  # not a number
    wait_for(lambda: drawn)
    assert len(chart.series[entity_id]) == before + 1
    assert chart.series[entity_id][-1][1] == 3.4
    assert 3.4 in list(chart.figure.axes[0].get_lines()[0].get_ydata())


def test_chart_saves_png_and_svg(chart, river_layer, tmp_path):
    layer, entity_id = river_layer
    draw_history(chart, layer, entity_id)
    png = chart.save_figure(str(tmp_path / "川の水位.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    svg = chart.save_figure(str(tmp_path / "chart.svg"))
    assert "<svg" in svg.read_text(encoding="utf-8")
    other = chart.save_figure(str(tmp_path / "chart.txt"))
    assert other.suffix == ".png" and other.exists()
    assert chart.save_figure(str(tmp_path / "missing-folder" / "x.png")) is None
    assert chart.status_label.text()


def test_a_japanese_font_is_used_when_installed():
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    family = cjk_font_family()
    if "Noto Sans CJK JP" in installed:
        assert family[0] == "Noto Sans CJK JP"
    assert family[-1] == "sans-serif"


def test_a_layer_that_is_not_a_city_os_layer_is_explained(chart):
    from qgis.core import QgsVectorLayer

    plain = QgsVectorLayer("Point?crs=EPSG:4326", "plain", "memory")
    chart.set_layer(plain)
    assert chart.layer is None and chart.status_label.text()
    assert chart.refresh() is None


def test_the_chart_follows_the_selection(chart, river_layer):
    layer, entity_id = river_layer
    draw_history(chart, layer, entity_id)
    other = next(f for f in layer.getFeatures() if f["entity_id"] != entity_id)
    drawn = []
    chart.drawn.connect(lambda: drawn.append(1))
    layer.selectByIds([other.id()])
    wait_for(lambda: drawn)
    assert list(chart.series) == [other["entity_id"]]
    legend = [t.get_text() for t in chart.figure.axes[0].get_legend().get_texts()]
    assert legend == [other["stationName"]]


def test_a_layer_removed_while_its_history_loads_leaves_the_chart_working(chart, qgis_app):
    server = demo_server()
    layer = load_entity_layer(
        to_client_config(demo_connection()), "WaterObserved", connection_name=DEMO_CONNECTION_NAME
    )
    QgsProject.instance().addMapLayer(layer)
    entity_id = next(layer.getFeatures())["entity_id"]
    server.update_entity(entity_id, {"waterLevel": 1.0}, tenant="okazaki")
    layer.selectByExpression(f"\"entity_id\" = '{entity_id}'")
    drawn = []
    chart.drawn.connect(lambda: drawn.append(1))
    chart.set_layer(layer, "waterLevel")
    QgsProject.instance().removeMapLayer(layer.id())  # deleted before the history arrives
    wait_for(lambda: drawn)
    assert chart.layer is None, "the chart forgets the deleted layer instead of failing on it"
    assert chart.series, "what was loaded is still drawn"
