"""The chart always says why: without a history service it plots the live values it has seen, says in
the panel that history needs the temporal API or QuantumLeap, and offers to set it; never a raw error."""

from __future__ import annotations

import uuid
from functools import partial

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication

from smartcity_qgis.cityos_client import ConnectionConfig
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.dialogs.cityos.chart_dock import ChartDock
from smartcity_qgis.layers.cityos.connections import Connection, ConnectionStore
from smartcity_qgis.layers.cityos.entity_loader import load_entity_layer
from tests.qgis.entity_layer_helpers import wait_until

RAW = ("Unexpected error", "Traceback", "CityOSError", "HTTPConnectionPool")


wait_for = partial(wait_until, timeout=30.0)


@pytest.fixture
def city_os(qgis_app):
    server = start_server(scenario="okazaki", auto_advance=False)
    yield server
    server.stop()


@pytest.fixture
def chart(qgis_iface):
    dock = ChartDock(qgis_iface)
    yield dock
    dock.deleteLater()


@pytest.fixture
def saved_connection(city_os):
    """A saved NGSI-v2 connection to the city OS without a QuantumLeap URL."""
    store = ConnectionStore()
    name = f"岡崎（履歴なし）{uuid.uuid4().hex[:6]}"
    store.save(Connection(name=name, url=city_os.url, flavor="ngsi-v2", tenant="okazaki"))
    yield name
    store.remove(name)


def river_layer(city_os, name: str):
    cfg = ConnectionConfig(url=city_os.url, flavor="ngsi-v2", tenant="okazaki")
    layer = load_entity_layer(cfg, "WaterObserved", connection_name=name)
    QgsProject.instance().addMapLayer(layer)
    return layer


def plotted(chart) -> list[float]:
    return [v for line in chart.figure.axes[0].get_lines() for v in line.get_ydata()]


def test_without_history_the_chart_plots_the_live_values_and_says_why(chart, city_os, saved_connection):
    layer = river_layer(city_os, saved_connection)
    try:
        feature = next(layer.getFeatures())
        layer.selectByIds([feature.id()])
        assert chart.set_layer(layer, "waterLevel") is None
        assert chart._task is None, "nothing is asked of a city OS that keeps no history"
        status = chart.status_label.text()
        assert "QuantumLeap" in status and "temporal API" in status and saved_connection in status
        assert "JST" in status and not any(word in status for word in RAW)
        assert chart.source_button.isVisibleTo(chart)
        assert plotted(chart) == [pytest.approx(feature["waterLevel"])], "the value seen is drawn"
        drawn = []
        chart.drawn.connect(lambda: drawn.append(1))
        chart.append_live_value(feature["entity_id"], "waterLevel", feature["waterLevel"], 3.25)
        wait_for(lambda: drawn)
        assert plotted(chart)[-1] == pytest.approx(3.25)
    finally:
        QgsProject.instance().removeMapLayer(layer.id())


def test_a_history_url_that_gives_nothing_is_explained(chart, city_os, saved_connection):
    store = ConnectionStore()
    conn = store.get(saved_connection)
    conn.timeseries_url = city_os.url + "/no-quantumleap-here"
    store.save(conn, previous_name=saved_connection)
    layer = river_layer(city_os, saved_connection)
    try:
        layer.selectByIds([next(layer.getFeatures()).id()])
        chart.set_layer(layer, "waterLevel")
        wait_for(lambda: chart._task is None and "history" in chart.status_label.text().lower())
        status = chart.status_label.text()
        assert "(HTTP 4" in status and "QuantumLeap" in status and not any(word in status for word in RAW)
        assert chart.source_button.isVisibleTo(chart) and len(plotted(chart)) == 1
    finally:
        QgsProject.instance().removeMapLayer(layer.id())


def test_setting_the_history_source_from_the_chart_brings_the_history(chart, city_os, saved_connection):
    layer = river_layer(city_os, saved_connection)
    entity_id = next(layer.getFeatures())["entity_id"]
    for level in (1.2, 1.7, 2.4):
        city_os.advance(60)
        city_os.update_entity(entity_id, {"waterLevel": level}, tenant="okazaki")
    try:
        layer.selectByExpression(f"\"entity_id\" = '{entity_id}'")
        chart.set_layer(layer, "waterLevel")
        assert chart.source_button.isVisibleTo(chart)

        def fill_in() -> None:
            dialog = QApplication.activeModalWidget()
            dialog.timeseries_edit.setText(city_os.url + "/ql")
            dialog.accept()

        QTimer.singleShot(300, fill_in)
        assert chart.open_history_settings()
        assert ConnectionStore().get(saved_connection).timeseries_url == city_os.url + "/ql"
        wait_for(lambda: chart._task is None and "observations" in chart.status_label.text())
        assert not chart.source_button.isVisibleTo(chart)
        assert {1.2, 1.7, 2.4} <= set(plotted(chart))
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
