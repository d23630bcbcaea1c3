"""River monitor: a station pushed by the embedded city OS through the levels, logged crossing by crossing."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QEventLoop

from smartcity_qgis.cityos_client import ConnectionConfig
from smartcity_qgis.cityos_sim.server import start_server
from smartcity_qgis.layers.cityos.entity_loader import load_entity_layer
from smartcity_qgis.layers.cityos.live import LiveLayerUpdater
from smartcity_qgis.layers.rivers.alerts import ALERT_LOG_PROPERTY, create_alert_log_layer
from smartcity_qgis.layers.rivers.monitor import ANNOTATION_FIELDS, RiverMonitor, alert_log_layer, is_river_layer
from tests.qgis.entity_layer_helpers import wait_until

TENANT = "okazaki"
TONOBASHI = "urn:ngsi-ld:WaterObserved:okazaki-otogawa-tonobashi"  # 2.0 / 2.8 / 3.4 / 4.0, levee 5.6
WATARI = "urn:ngsi-ld:WaterObserved:okazaki-yahagi-watari"


wait_for = partial(wait_until, timeout=30.0)


def wait_for_polls(server, polls: int = 3) -> None:
    """Let the live updater ask the city OS a few more times (each poll is at least one request)."""
    start = server.stats["requests"]
    wait_for(lambda: server.stats["requests"] >= start + polls)
    for _ in range(5):
        QCoreApplication.processEvents(QEventLoop.AllEvents, 50)
        time.sleep(0.05)


@pytest.fixture
def live_river(qgis_app):
    server = start_server(host="127.0.0.1", port=0, scenario="okazaki", auto_advance=False)
    server.update_entity(TONOBASHI, {"waterLevel": 2.2}, tenant=TENANT)  # level 1: 水防団待機水位
    config = ConnectionConfig(url=server.url, flavor="ngsi-v2", tenant=TENANT)
    layer = load_entity_layer(config, "WaterObserved")
    QgsProject.instance().addMapLayer(layer)
    log = create_alert_log_layer()
    monitor = RiverMonitor(layer, log=log)
    updater = LiveLayerUpdater(layer, config, mode="polling", interval=0.3)
    monitor.attach_updater(updater)
    crossed: list[tuple] = []
    monitor.crossed.connect(lambda *args: crossed.append(args))
    updater.start()
    wait_for(lambda: updater.state == "live")
    yield server, layer, log, monitor, crossed
    updater.stop()
    monitor.detach()
    QgsProject.instance().removeMapLayer(layer.id())
    server.stop()


def rows(log: QgsVectorLayer) -> list[tuple]:
    return [(f["station_id"], f["from_level"], f["to_level"], f["direction"]) for f in log.getFeatures()]


def test_a_station_pushed_over_two_levels_makes_two_crossings(live_river):
    server, _layer, log, monitor, crossed = live_river
    assert monitor.station(TONOBASHI).level == 1
    assert log.featureCount() == 0, "first readings set the levels, they are not crossings"

    server.update_entity(TONOBASHI, {"waterLevel": 3.5}, tenant=TENANT)  # over 氾濫注意 and 避難判断
    wait_for(lambda: log.featureCount() >= 2)
    wait_for_polls(server)
    assert rows(log) == [(TONOBASHI, 1, 2, "up"), (TONOBASHI, 2, 3, "up")]
    assert crossed == [(TONOBASHI, "殿橋", 1, 2), (TONOBASHI, "殿橋", 2, 3)]
    first = next(log.getFeatures())
    assert first["station_name"] == "殿橋" and first["water_level"] == pytest.approx(3.5)
    assert first.geometry().asPoint().x() == pytest.approx(137.1637)
    state = monitor.station(TONOBASHI)
    assert (state.level, state.trend) == (3, "rising")
    assert state.margin == pytest.approx(0.5)
    feature = monitor.feature(TONOBASHI)
    assert feature["alert_level"] == 3 and feature["trend"] == "rising"

    # The same value again (a new modification time, nothing else): no crossing.
    server.update_entity(TONOBASHI, {"waterLevel": 3.5}, tenant=TENANT)
    wait_for_polls(server)
    assert log.featureCount() == 2

    for level, count in ((3.0, 3), (2.5, 4)):  # back below 避難判断, then below 氾濫注意
        server.update_entity(TONOBASHI, {"waterLevel": level}, tenant=TENANT)
        wait_for(lambda count=count: log.featureCount() >= count)
    wait_for_polls(server)
    assert rows(log)[2:] == [(TONOBASHI, 3, 2, "down"), (TONOBASHI, 2, 1, "down")]
    assert crossed[2:] == [(TONOBASHI, "殿橋", 3, 2), (TONOBASHI, "殿橋", 2, 1)]
    assert monitor.station(TONOBASHI).trend == "falling"


def test_old_readings_are_flagged_stale(live_river):
    server, _layer, _log, monitor, _crossed = live_river
    assert not monitor.station(WATARI).stale
    old = (datetime.now(UTC) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    server.update_entity(WATARI, {"dateObserved": old}, tenant=TENANT)
    wait_for(lambda: monitor.station(WATARI).stale)
    assert monitor.feature(WATARI)["stale"] == 1


def test_a_new_city_os_attribute_keeps_values_in_their_fields(live_river):
    server, layer, _log, monitor, _crossed = live_river
    server.update_entity(TONOBASHI, {"turbidity": 12.5, "waterLevel": 2.9}, tenant=TENANT)
    wait_for(lambda: layer.fields().lookupField("turbidity") >= 0 and monitor.station(TONOBASHI).level == 2)
    names = layer.fields().names()
    assert names[-len(ANNOTATION_FIELDS) :] == list(ANNOTATION_FIELDS)
    feature = monitor.feature(TONOBASHI)
    assert feature["turbidity"] == pytest.approx(12.5) and feature["waterLevel"] == pytest.approx(2.9)
    assert feature["alert_level"] == 2 and feature["stationName"] == "殿橋"
    server.update_entity(TONOBASHI, {"turbidity": 13.0}, tenant=TENANT)
    wait_for(lambda: monitor.feature(TONOBASHI)["turbidity"] == pytest.approx(13.0))
    assert monitor.feature(TONOBASHI)["alert_level"] == 2


def test_the_alert_log_lives_in_the_project(qgis_app):
    project = QgsProject.instance()
    log = alert_log_layer(project)
    assert log.customProperty(ALERT_LOG_PROPERTY) and project.mapLayer(log.id()) is log
    assert alert_log_layer(project) is log
    assert not is_river_layer(log)
    project.removeMapLayer(log.id())


def test_demo_step_logs_the_crossings_of_the_storm(qgis_app, tmp_path):
    from smartcity_qgis.demo import step_45_river_alerts
    from smartcity_qgis.demo.context import DemoContext

    project = QgsProject.instance()
    project.clear()
    ctx = DemoContext(output=tmp_path, project=project)
    sim = start_server(host="127.0.0.1", port=0, scenario="okazaki", storm_minutes=2.0, auto_advance=False)
    try:
        ctx.shared["sim"] = sim
        written = step_45_river_alerts.run(ctx)
    finally:
        sim.stop()
        ctx.close()
    assert {p.name for p in written} == {"river_alerts.gpkg", "river_alerts.csv", "river_panel.png"}
    back = QgsVectorLayer(str(tmp_path / "river_alerts.gpkg"), "back", "ogr")
    rows = [(f["station_id"], f["from_level"], f["to_level"], f["direction"]) for f in back.getFeatures()]
    assert any(direction == "up" for *_, direction in rows) and rows
    assert all(abs(to - frm) == 1 for _sid, frm, to, _d in rows), "one row per level crossed"
    assert {sid for sid, *_ in rows} <= {f"urn:ngsi-ld:WaterObserved:okazaki-{s}" for s in (
        "otogawa-ohira", "otogawa-ryusenji", "otogawa-tonobashi", "otogawa-myodaibashi",
        "yahagi-iwazu", "yahagi-yahagibashi", "yahagi-watari")}  # fmt: skip
    csv_rows = (tmp_path / "river_alerts.csv").read_text(encoding="utf-8").splitlines()
    assert len(csv_rows) == len(rows) + 1
    project.clear()
