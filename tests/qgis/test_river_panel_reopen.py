"""The River levels panel on the second day: a reopened project, two layers of one station, a storm."""

from __future__ import annotations

import html
from functools import partial

import pytest
from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor

from smartcity_qgis.cityos_sim.server import start_server
from smartcity_qgis.dialogs.cityos.live_controls import LiveController
from smartcity_qgis.dialogs.rivers.river_panel import HIGHLIGHT_COLOUR, RiverPanel, crossing_message
from smartcity_qgis.layers.cityos.connection_config import to_client_config
from smartcity_qgis.layers.cityos.connections import Connection, ConnectionStore
from smartcity_qgis.layers.cityos.entity_loader import load_entity_layer
from smartcity_qgis.layers.cityos.snapshot import ProjectSnapshots
from smartcity_qgis.layers.rivers.style import LEVEL_COLOURS, SELECTION_COLOUR, STALE_COLOUR, clashes_with_levels
from tests.qgis.entity_layer_helpers import spin, wait_until

TENANT = "okazaki"
PREFIX = "urn:ngsi-ld:WaterObserved:okazaki-"
TONOBASHI = PREFIX + "otogawa-tonobashi"  # 2.0 / 2.8 / 3.4 / 4.0
MYODAIBASHI = PREFIX + "otogawa-myodaibashi"  # 2.0 / 2.9 / 3.5 / 4.1, levee 5.7
IWAZU = PREFIX + "yahagi-iwazu"  # 3.0 / 4.0 / 5.2 / 5.9
CONNECTION = "River reopen test city OS"
SECOND = "River reopen test city OS (copy)"


wait_for = partial(wait_until, timeout=30.0)


def log_rows(panel: RiverPanel) -> list[tuple]:
    log = panel.alert_log()
    return [] if log is None else [(f["station_id"], f["from_level"], f["to_level"]) for f in log.getFeatures()]


def said(panel: RiverPanel) -> list[str]:
    QCoreApplication.processEvents()
    return [text for _key, text in panel.announcer.shown()]


@pytest.fixture
def city(qgis_iface):
    server = start_server(host="127.0.0.1", port=0, scenario="okazaki", auto_advance=False)
    server.update_entity(TONOBASHI, {"waterLevel": 2.7}, tenant=TENANT)
    server.update_entity(MYODAIBASHI, {"waterLevel": 2.1}, tenant=TENANT)
    project = QgsProject.instance()
    project.clear()
    snapshots = ProjectSnapshots(project)
    live = LiveController(project, snapshots=snapshots)
    panel = RiverPanel(qgis_iface, live=live, project=project)
    store = ConnectionStore()
    for name in (CONNECTION, SECOND):
        store.save(Connection(name, url=server.url, flavor="ngsi-v2", tenant=TENANT))
    yield server, project, live, panel
    live.detach()
    snapshots.detach()
    panel.shutdown()
    project.clear()
    panel.deleteLater()
    for name in (CONNECTION, SECOND):
        store.remove(name)
    server.stop()


def add_live_layer(project, live, connection: str = CONNECTION) -> QgsVectorLayer:
    config = to_client_config(ConnectionStore().get(connection))
    layer = load_entity_layer(config, "WaterObserved", connection_name=connection)
    project.addMapLayer(layer)
    live.set_mode(layer, "polling", 0.3)
    wait_for(lambda: live.updater_for(layer).state == "live")
    return layer


def test_after_save_close_and_reopen_crossings_are_still_announced_and_logged(city, tmp_path):
    server, project, live, panel = city
    add_live_layer(project, live)
    server.update_entity(MYODAIBASHI, {"waterLevel": 3.6}, tenant=TENANT)  # 1 -> 2 -> 3
    wait_for(lambda: len(log_rows(panel)) == 2)
    path = tmp_path / "storm.qgs"
    assert project.write(str(path))
    spin(0.6)
    saved_log = tmp_path / "storm_river_alerts.gpkg"
    assert saved_log.is_file(), "the alert log is saved next to the project"
    assert panel.alert_log().providerType() == "ogr", "from now on every crossing goes straight to the file"

    project.clear()
    spin(0.6)
    assert panel.monitors == {}
    assert project.read(str(path))
    layer = project.mapLayersByName("WaterObserved")[0] if project.mapLayersByName("WaterObserved") else None
    layer = layer or next(lyr for lyr in project.mapLayers().values() if lyr.customProperty("smartcity/entity_type"))
    wait_for(lambda: live.updater_for(layer) is not None and live.updater_for(layer).state == "live")
    wait_for(lambda: len(panel.station_order()) == 7)
    assert panel.status_label.text() != "", panel.status_label.text()
    assert log_rows(panel) == [(MYODAIBASHI, 1, 2), (MYODAIBASHI, 2, 3)], "earlier entries are still there"

    server.update_entity(TONOBASHI, {"waterLevel": 3.5}, tenant=TENANT)  # 1 -> 2 -> 3
    wait_for(lambda: len(log_rows(panel)) == 4)
    assert log_rows(panel)[2:] == [(TONOBASHI, 1, 2), (TONOBASHI, 2, 3)]
    wait_for(lambda: html.escape(crossing_message("殿橋", 2, 3)) in said(panel))
    spin(0.6)
    assert len(log_rows(panel)) == 4, "each crossing once"
    back = QgsVectorLayer(f"{saved_log}|layername=river_alerts", "back", "ogr")
    rows = list(back.getFeatures())
    assert len(rows) == 4 and rows[-1]["time_jst"].endswith(" JST")


def test_the_same_station_from_two_layers_shows_once_with_the_newest_reading(city):
    server, project, live, panel = city
    add_live_layer(project, live)
    second = load_entity_layer(
        to_client_config(ConnectionStore().get(SECOND)), "WaterObserved", connection_name=SECOND
    )  # loaded once, not live: it keeps the morning's readings
    project.addMapLayer(second)
    wait_for(lambda: len(panel.monitors) == 2)
    assert len(panel.station_order()) == 7 and len(set(panel.station_order())) == 7

    server.update_entity(TONOBASHI, {"waterLevel": 3.0}, tenant=TENANT)  # 1 -> 2 on the live layer only
    wait_for(lambda: len(log_rows(panel)) == 1)
    spin(0.6)
    assert panel.station_order().count(TONOBASHI) == 1
    row = panel.station_order().index(TONOBASHI)
    assert panel.table.item(row, 2).text() == "3.00", "the newest observation is shown"
    assert log_rows(panel) == [(TONOBASHI, 1, 2)], "the older copy makes no crossing back down"


def test_a_storm_gives_one_message_per_station_most_severe_on_top(city, qgis_iface):
    server, project, live, panel = city
    layer = add_live_layer(project, live)
    server.update_entity(TONOBASHI, {"waterLevel": 3.0}, tenant=TENANT)  # level 2
    wait_for(lambda: len(log_rows(panel)) == 1)
    server.update_entity(MYODAIBASHI, {"waterLevel": 4.2}, tenant=TENANT)  # 1 -> 4
    server.update_entity(IWAZU, {"waterLevel": 4.1}, tenant=TENANT)  # 0 -> 2
    wait_for(lambda: len(log_rows(panel)) == 1 + 3 + 2)
    spin(0.6)
    told = said(panel)
    assert told[0] == html.escape(crossing_message("明代橋", 3, 4)), "the level-4 station is on top"
    assert len(told) == 3, "one message per station, not one per crossing"
    assert qgis_iface.messageBar().currentItem().level() == Qgis.Critical
    row = panel.station_order().index(MYODAIBASHI)
    assert panel.table.item(row, 1).background().color() == QColor(HIGHLIGHT_COLOUR)

    server.update_entity(MYODAIBASHI, {"waterLevel": 2.5}, tenant=TENANT)  # falls to level 1
    wait_for(lambda: len(log_rows(panel)) == 9)
    spin(0.6)
    row = panel.station_order().index(MYODAIBASHI)
    assert panel.table.item(row, 1).background().color() != QColor(HIGHLIGHT_COLOUR), "cleared when it fell"
    assert said(panel) == [
        html.escape(crossing_message("岩津", 1, 2)),
        html.escape(crossing_message("殿橋", 1, 2)),
        html.escape(crossing_message("明代橋", 2, 1)),
    ], "level-2 stations now come before a station back at level 1"

    # Selected stations are drawn in a colour no level uses; the station names are never squeezed.
    assert not clashes_with_levels(QColor(SELECTION_COLOUR))
    selection = (
        layer.selectionProperties().selectionColor()
        if hasattr(layer, "selectionProperties")
        else project.selectionColor()
    )
    assert selection == QColor(SELECTION_COLOUR) or not clashes_with_levels(selection)
    assert all(QColor(c) != selection for c in (*LEVEL_COLOURS.values(), STALE_COLOUR))
    panel.resize(260, 400)
    panel.show()
    spin(0.2)
    metrics = panel.table.fontMetrics()
    longest = max(panel.table.item(r, 1).text() for r in range(panel.table.rowCount()))
    assert panel.table.columnWidth(1) >= metrics.horizontalAdvance(longest)
    panel.hide()
