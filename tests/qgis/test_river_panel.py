"""The River levels panel with the embedded city OS pushing a station through the levels."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor

from smartcity_qgis.cityos_sim.server import start_server
from smartcity_qgis.dialogs.cityos.chart_dock import ChartDock
from smartcity_qgis.dialogs.cityos.live_controls import LiveController
from smartcity_qgis.dialogs.rivers.river_panel import (
    HIGHLIGHT_COLOUR,
    RIVER_DOCK_OBJECT_NAME,
    RiverPanel,
    age_text,
    crossing_message,
)
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.connection_config import to_client_config
from smartcity_qgis.layers.cityos.connections import Connection, ConnectionStore
from smartcity_qgis.layers.cityos.entity_loader import load_entity_layer
from smartcity_qgis.layers.rivers.style import LEVEL_COLOURS
from tests.qgis.entity_layer_helpers import wait_until

TENANT = "okazaki"
PREFIX = "urn:ngsi-ld:WaterObserved:okazaki-"
TONOBASHI = PREFIX + "otogawa-tonobashi"  # 2.0 / 2.8 / 3.4 / 4.0
MYODAIBASHI = PREFIX + "otogawa-myodaibashi"  # 2.0 / 2.9 / 3.5 / 4.1, levee 5.7
IWAZU = PREFIX + "yahagi-iwazu"  # 3.0 / 4.0 / 5.2 / 5.9
WATARI = PREFIX + "yahagi-watari"
CONNECTION = "River panel test city OS"
HOSTILE = "<b>岩津</b><script>alert(1)</script>[% 1+1 %]"


wait_for = partial(wait_until, timeout=30.0)


def messages(iface) -> list[str]:
    bar = iface.messageBar()
    return [m for level in (Qgis.Info, Qgis.Warning, Qgis.Critical, Qgis.Success) for m in bar.get_messages(level)]


@pytest.fixture
def river(qgis_iface):
    server = start_server(host="127.0.0.1", port=0, scenario="okazaki", auto_advance=False)
    server.update_entity(TONOBASHI, {"waterLevel": 2.7}, tenant=TENANT)  # level 1, 0.1 m below 氾濫注意
    server.update_entity(MYODAIBASHI, {"waterLevel": 2.1}, tenant=TENANT)  # level 1, 0.8 m below
    # Orion refuses such text, NGSI-LD brokers store it: the panel must show it safely either way.
    server.update_entity(IWAZU, {"stationName": HOSTILE}, tenant=TENANT, strict=False)
    old = (datetime.now(UTC) - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    server.update_entity(WATARI, {"dateObserved": old}, tenant=TENANT)
    project = QgsProject.instance()
    live = LiveController(project)
    chart = ChartDock(qgis_iface)
    panel = RiverPanel(qgis_iface, chart=chart, live=live, project=project)
    qgis_iface.messageBar().clear_messages()
    connection = Connection(CONNECTION, url=server.url, flavor="ngsi-v2", tenant=TENANT,
                            timeseries_url=server.url + "/ql")  # fmt: skip
    store = ConnectionStore()
    store.save(connection)
    layer = load_entity_layer(to_client_config(connection), "WaterObserved", connection_name=CONNECTION)
    project.addMapLayer(layer)  # the panel picks the river layer up as it is added
    layer_id = layer.id()
    live.set_mode(layer, "polling", 0.3)
    wait_for(lambda: live.updater_for(layer).state == "live")
    yield server, layer, panel, chart
    live.detach()
    log = panel.alert_log()
    panel.shutdown()
    ids = [layer_id, *(lyr.id() for lyr in (log, *project.mapLayersByName("not a river")) if lyr is not None)]
    project.removeMapLayers([i for i in ids if project.mapLayer(i) is not None])
    panel.deleteLater()
    chart.deleteLater()
    store.remove(CONNECTION)
    server.stop()


def said(panel: RiverPanel) -> list[str]:
    """The panel's messages in the message bar, top first."""
    QCoreApplication.processEvents()
    return [text for _key, text in panel.announcer.shown()]


def row_of(panel: RiverPanel, station: str) -> int:
    return panel.station_order().index(station)


def test_a_station_crossing_two_levels_moves_to_the_top_and_is_announced(river, qgis_iface, tmp_path):
    server, layer, panel, chart = river
    assert panel.objectName() == RIVER_DOCK_OBJECT_NAME and panel.windowTitle() == tr("River levels")
    order = panel.station_order()
    assert len(order) == 7 and order[:2] == [TONOBASHI, MYODAIBASHI], "level 1 first, smallest margin first"
    assert messages(qgis_iface) == []

    server.update_entity(MYODAIBASHI, {"waterLevel": 3.6}, tenant=TENANT)  # over 氾濫注意 and 避難判断
    wait_for(lambda: panel.alert_log() is not None and panel.alert_log().featureCount() >= 2)
    start = server.stats["requests"]
    wait_for(lambda: server.stats["requests"] >= start + 3)  # a few more polls change nothing
    log = panel.alert_log()
    assert [(f["station_id"], f["from_level"], f["to_level"]) for f in log.getFeatures()] == [
        (MYODAIBASHI, 1, 2),
        (MYODAIBASHI, 2, 3),
    ]
    assert panel.station_order()[0] == MYODAIBASHI
    top = panel.table
    assert top.item(0, 0).text() == "3" and top.item(0, 1).text() == "明代橋"
    assert top.item(0, 2).text() == "3.60" and top.item(0, 4).text().startswith("↑")
    assert top.item(0, 5).text() == tr("{0} m").format("0.50")
    assert top.item(0, 0).icon().pixmap(16, 16).toImage().pixelColor(8, 8) == QColor(LEVEL_COLOURS[3])
    assert top.item(0, 1).background().color() == QColor(HIGHLIGHT_COLOUR)
    wait_for(lambda: said(panel))
    assert said(panel) == [html.escape(crossing_message("明代橋", 2, 3))], "one message per station, updated"
    assert qgis_iface.messageBar().currentItem().level() == Qgis.Warning

    # Clicking the row zooms to the station and charts it with the reference levels.
    drawn = []
    chart.drawn.connect(lambda: drawn.append(1))
    panel.table.cellClicked.emit(0, 1)
    canvas = qgis_iface.mapCanvas()
    # The canvas may be in any CRS (an earlier test may have set one): compare in WGS 84.
    to_wgs84 = QgsCoordinateTransform(
        canvas.mapSettings().destinationCrs(), QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance()
    )
    center = to_wgs84.transform(canvas.center())
    assert (center.x(), center.y()) == pytest.approx((137.1520, 34.9552), abs=1e-5)
    assert [f["entity_id"] for f in layer.getSelectedFeatures()] == [MYODAIBASHI]
    assert [value for _label, value, _colour in chart.thresholds] == [2.0, 2.9, 3.5, 4.1, 5.7]
    wait_for(lambda: drawn)
    assert chart.series[MYODAIBASHI], chart.status_label.text()
    dashed = [line for line in chart.figure.axes[0].get_lines() if line.get_linestyle() == "--"]
    assert sorted(line.get_ydata()[0] for line in dashed) == [2.0, 2.9, 3.5, 4.1, 5.7]
    assert panel.table.item(0, 1).background().color() != QColor(HIGHLIGHT_COLOUR), "seen: no longer highlighted"

    # Back down below 氾濫注意: two downward crossings, announced, and the station leaves the top.
    for level, count in ((3.0, 3), (2.5, 4)):
        server.update_entity(MYODAIBASHI, {"waterLevel": level}, tenant=TENANT)
        wait_for(lambda count=count: log.featureCount() >= count)
    rows = [(f["from_level"], f["to_level"], f["direction"]) for f in log.getFeatures()]
    assert rows[2:] == [(3, 2, "down"), (2, 1, "down")]
    wait_for(lambda: said(panel) == [html.escape(crossing_message("明代橋", 2, 1))])
    assert panel.station_order()[0] == TONOBASHI

    path = panel.export_log(str(tmp_path / "alerts.csv"))
    back = QgsVectorLayer(str(path), "back", "ogr")
    assert back.featureCount() == 4
    assert panel.export_log(str(tmp_path / "alerts.xlsx")) is None and panel.status_label.text()


def test_stale_readings_and_hostile_names_show_as_plain_text(river, qgis_iface):
    server, _layer, panel, _chart = river
    stale_row = row_of(panel, WATARI)
    age = panel.table.item(stale_row, 6).text()
    assert age == tr("{0} (no recent reading)").format(tr("{0} h ago").format(3))
    assert panel.table.item(stale_row, 0).icon().pixmap(16, 16).toImage().pixelColor(8, 8) == QColor("#9E9E9E")
    assert tr("{0} without a recent reading").format(1) in panel.status_label.text()

    hostile_row = row_of(panel, IWAZU)
    assert panel.table.item(hostile_row, 1).text() == HOSTILE
    assert html.escape(IWAZU) in panel.table.item(hostile_row, 1).toolTip()
    server.update_entity(IWAZU, {"waterLevel": 3.1}, tenant=TENANT)  # 0 -> 1
    wait_for(lambda: said(panel))
    told = said(panel)
    assert len(told) == 1 and html.escape(HOSTILE) in told[0] and "<script>" not in told[0]
    assert panel.table.item(row_of(panel, IWAZU), 1).text() == HOSTILE


def test_layers_are_picked_up_and_let_go(river, qgis_iface):
    _server, layer, panel, _chart = river
    project = QgsProject.instance()
    other = QgsVectorLayer("Point?crs=EPSG:4326&field=name:string", "not a river", "memory")
    project.addMapLayer(other)
    assert set(panel.monitors) == {layer.id()}
    project.removeMapLayer(layer.id())
    assert panel.monitors == {} and panel.station_order() == []
    assert panel.status_label.text() == tr("No river station layer in the project.")


def test_age_and_crossing_texts():
    now = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert age_text(None, now) == "–"
    assert age_text(now - timedelta(seconds=20), now) == tr("just now")
    assert age_text(now - timedelta(minutes=7), now) == tr("{0} min ago").format(7)
    assert age_text(now + timedelta(minutes=7), now) == tr("just now"), "a clock ahead is not negative"
    assert age_text(now - timedelta(days=2), now) == tr("{0} d ago").format(2)
    assert crossing_message("殿橋観測所", 1, 2) == crossing_message("殿橋", 1, 2)


def test_a_read_only_station_file_is_refused_with_a_message(qgis_iface, tmp_path):
    path = tmp_path / "stations.csv"
    path.write_text("name,x,y,waterLevel,standbyLevel,cautionLevel,evacuationLevel,dangerLevel\n"
                    "殿橋,137.1637,34.9569,3.0,2.0,2.8,3.4,4.0\n", encoding="utf-8")  # fmt: skip
    uri = f"file://{path}?type=csv&xField=x&yField=y&crs=EPSG:4326&detectTypes=yes"
    layer = QgsVectorLayer(uri, "csv stations", "delimitedtext")
    assert layer.isValid()
    project = QgsProject.instance()
    panel = RiverPanel(qgis_iface, project=project)
    qgis_iface.messageBar().clear_messages()
    try:
        project.addMapLayer(layer)
        assert panel.monitors == {}
        said = qgis_iface.messageBar().get_messages(Qgis.Warning)
        assert len(said) == 1 and "csv stations" in said[0]
        assert panel.status_label.text().startswith(
            tr("The river layer {0} cannot be watched: {1}").format("csv stations", "")
        )
    finally:
        panel.shutdown()
        project.removeMapLayer(layer.id())
        panel.deleteLater()
