"""The City OS dock against the real embedded city OS: types, adding layers, options, live mode."""

from __future__ import annotations

import uuid
from functools import partial

import pytest
from qgis.core import QgsProject, QgsRectangle, QgsSettings
from qgis.PyQt.QtCore import Qt

from smartcity_qgis.dialogs.cityos.cityos_dock import CityOSDock, live_state_text
from smartcity_qgis.dialogs.cityos.cityos_tree import (
    ROLE_ATTR,
    EntityTypeDropHandler,
    dropped_types,
)
from smartcity_qgis.dialogs.cityos.load_notice import LoadDetailsDialog, show_load_notice
from smartcity_qgis.layers.cityos import connection_status
from smartcity_qgis.layers.cityos.connections import DEMO_CONNECTION_NAME, Connection, ConnectionStore
from smartcity_qgis.layers.cityos.demo_cityos import demo_server, stop_demo_server
from smartcity_qgis.layers.cityos.entity_builder import InvalidEntity
from smartcity_qgis.layers.cityos.entity_loader import LoadResult
from tests.conftest import free_port
from tests.e2e.dock_driver import add_demo_river_layer_live
from tests.qgis.entity_layer_helpers import wait_until

DEMO = DEMO_CONNECTION_NAME


wait_for = partial(wait_until, timeout=60.0)


@pytest.fixture(scope="module")
def demo():
    server = demo_server()
    yield server
    stop_demo_server()


@pytest.fixture
def dock(qgis_iface, qgis_new_project, demo):
    root = f"SmartCityTest/{uuid.uuid4().hex}/connections"
    store = ConnectionStore(root=root)
    widget = CityOSDock(qgis_iface, store, parent=qgis_iface.mainWindow())
    yield widget
    widget.shutdown()
    widget.setParent(None)
    widget.deleteLater()
    QgsProject.instance().removeAllMapLayers()
    QgsSettings().remove(root.rsplit("/", 1)[0])


def list_demo_types(dock: CityOSDock):
    listed = []
    dock.types_listed.connect(listed.append)
    dock.tree.connection_item(DEMO).setExpanded(True)
    wait_for(lambda: DEMO in listed)
    return dock.results[DEMO]


def load(dock: CityOSDock, entity_type: str, **kwargs) -> LoadResult:
    results, failures = [], []
    dock.layers_loaded.connect(results.append)
    dock.load_failed.connect(lambda _t, m: failures.append(m))
    assert dock.add_type_layer(DEMO, entity_type, **kwargs) is not None, dock.status_label.text()
    wait_for(lambda: results or failures)
    assert not failures, failures
    return results[0]


def test_tree_lists_the_demo_city_os_types_with_counts_and_attributes(dock):
    result = list_demo_types(dock)
    item = dock.tree.type_item(DEMO, "WaterObserved")
    assert item is not None
    info = next(t for t in result.types if t.name == "WaterObserved")
    assert info.count and item.text(1) == f"{info.count:,}"
    attrs = {item.child(i).data(0, ROLE_ATTR) for i in range(item.childCount())}
    assert {"waterLevel", "dangerLevel", "location"} <= attrs
    assert "connected" in dock.tree.connection_item(DEMO).text(1) or "接続" in dock.tree.connection_item(DEMO).text(1)
    assert result.summary().startswith("connected")
    assert "types" in result.summary()


def test_filter_keeps_matching_types_only(dock):
    list_demo_types(dock)
    dock.filter_edit.setText("waterlevel")  # an attribute of WaterObserved only
    conn = dock.tree.connection_item(DEMO)
    visible = [conn.child(i).text(0) for i in range(conn.childCount()) if not conn.child(i).isHidden()]
    assert len(visible) == 1 and "WaterObserved" in visible[0]
    dock.filter_edit.setText("")
    assert all(not conn.child(i).isHidden() for i in range(conn.childCount()))


def test_adding_a_type_creates_its_layer_in_the_project(dock, demo):
    result = list_demo_types(dock)
    expected = next(t.count for t in result.types if t.name == "WaterObserved")
    loaded = load(dock, "WaterObserved")
    layer = loaded.main_layer
    assert QgsProject.instance().mapLayer(layer.id()) is layer
    assert layer.featureCount() == expected
    assert layer.crs().authid() == "EPSG:4326"
    assert "[%" in layer.mapTipTemplate()
    assert dock.last_details is None  # nothing left out: no details button


def test_only_the_current_map_extent(dock, qgis_iface):
    list_demo_types(dock)
    everything = load(dock, "Streetlight").main_layer
    points = [f.geometry().asPoint() for f in everything.getFeatures()]
    xs = sorted(p.x() for p in points)
    ys = sorted(p.y() for p in points)
    # A square around the south-west half of the stations (the canvas keeps its aspect ratio).
    side = max(xs[len(xs) // 2] - xs[0], ys[len(ys) // 2] - ys[0])
    box = QgsRectangle(xs[0] - 1e-6, ys[0] - 1e-6, xs[0] + side, ys[0] + side)
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(everything.crs())
    canvas.setExtent(box)
    wanted = canvas.extent()
    dock.extent_check.setChecked(True)
    inside = load(dock, "Streetlight").main_layer
    got = [f.geometry().asPoint() for f in inside.getFeatures()]
    assert 0 < len(got) < len(points)
    assert all(wanted.contains(p) for p in got)
    assert len(got) == sum(1 for p in points if wanted.contains(p))


def test_only_the_ticked_attributes(dock):
    list_demo_types(dock)
    item = dock.tree.type_item(DEMO, "WaterObserved")
    for i in range(item.childCount()):
        child = item.child(i)
        if child.data(0, ROLE_ATTR) not in ("waterLevel", "location"):
            child.setCheckState(0, Qt.Unchecked)
    dock.attrs_check.setChecked(True)
    assert sorted(dock.tree.chosen_attributes(DEMO, "WaterObserved")) == ["location", "waterLevel"]
    layer = load(dock, "WaterObserved").main_layer
    names = set(layer.fields().names())
    assert "waterLevel" in names and "dangerLevel" not in names
    assert layer.featureCount() > 0 and all(f.hasGeometry() for f in layer.getFeatures())


def test_live_polling_changes_the_feature_in_place(dock, demo, qgis_iface):
    list_demo_types(dock)
    layer = load(dock, "WaterObserved").main_layer
    feature = next(layer.getFeatures())
    fid, entity_id = feature.id(), feature["entity_id"]
    qgis_iface.setActiveLayer(layer)
    updater = dock.set_live_mode(layer, "polling", 1.0)
    assert updater is not None and updater.is_running()
    wait_for(lambda: dock.live_state_label.text() == live_state_text("live"), timeout=30)
    assert dock.live.mode_of(layer) == ("polling", 1.0)
    # dangerLevel is a station constant: the scenario clock never moves it, only this update does.
    demo.update_entity(entity_id, {"dangerLevel": 12.34}, tenant="okazaki")
    wait_for(lambda: layer.getFeature(fid)["dangerLevel"] == 12.34, timeout=30)
    assert layer.getFeature(fid)["entity_id"] == entity_id
    assert [f["entity_id"] for f in layer.getFeatures()].count(entity_id) == 1
    assert connection_status.status_board().state(DEMO).state == connection_status.CONNECTED
    dock.set_live_mode(layer, "off")
    assert dock.live.mode_of(layer)[0] == "off" and not updater.is_running()
    assert dock.live_state_label.text() == live_state_text("stopped")


def test_unreachable_connection_is_shown_offline(dock):
    port = free_port()
    dock.store.save(Connection(name="閉じた都市OS", url=f"http://127.0.0.1:{port}", flavor="ngsi-v2", timeout=2))
    dock.refresh_connections()
    failed = []
    task = dock.list_types("閉じた都市OS")
    task.failed.connect(lambda n, m: failed.append(m))
    wait_for(lambda: failed, timeout=60)
    state = connection_status.status_board().state("閉じた都市OS")
    assert state.state == connection_status.OFFLINE and state.since is not None
    assert dock.tree.connection_item("閉じた都市OS").text(1) == state.describe()


def test_dragging_a_type_onto_the_map_adds_it(dock):
    list_demo_types(dock)
    item = dock.tree.type_item(DEMO, "AirQualityObserved")
    data = dock.tree.mimeData([item])
    assert dropped_types(data) == [(DEMO, "AirQualityObserved")]
    results = []
    dock.layers_loaded.connect(results.append)
    handler = EntityTypeDropHandler(dock.add_type_layer)
    assert handler.canHandleMimeData(data)
    assert handler.handleMimeDataV2(data)
    wait_for(lambda: results)
    assert results[0].main_layer.featureCount() > 0


def test_hostile_mime_data_is_ignored(dock):
    from qgis.PyQt.QtCore import QMimeData

    data = QMimeData()
    data.setData("application/x-smartcity-entity-type", b"{not json")
    assert dropped_types(data) == []
    assert not EntityTypeDropHandler(dock.add_type_layer).canHandleMimeData(data)


def test_load_notice_details_list_left_out_entities_as_plain_text(qgis_iface):
    result = LoadResult(
        invalid=[InvalidEntity("<b>urn:x</b>", "coordinates out of range"), InvalidEntity(None, "no id")],
        warnings=[InvalidEntity("urn:y", "latitude and longitude look swapped")],
        loaded=5,
    )
    details = show_load_notice(qgis_iface.messageBar(), result)
    assert isinstance(details, LoadDetailsDialog)
    rows = details.rows()
    assert rows[0][:2] == ("<b>urn:x</b>", "coordinates out of range")
    assert len(rows) == 3 and "urn:y" in rows[2][0]
    assert "2" in result.summary()


def test_e2e_helper_adds_the_demo_river_layer_and_goes_live(dock, qgis_iface):
    run = add_demo_river_layer_live(qgis_iface, interval=1.0, dock=dock)
    assert run.layer.featureCount() > 0
    assert run.updater.is_running() and run.updater.mode == "polling"
    run.updater.stop()


def test_load_history_as_layer_for_the_temporal_controller(dock, demo):
    list_demo_types(dock)
    layer = load(dock, "WaterObserved").main_layer
    feature = next(layer.getFeatures())
    for level in (1.5, 2.5):
        demo.advance(60)
        demo.update_entity(feature["entity_id"], {"waterLevel": level}, tenant="okazaki")
    layer.selectByIds([feature.id()])
    loaded = []
    dock.history_loaded.connect(loaded.append)
    assert dock.load_history_of_layer(layer, ["waterLevel"], hours=2) is not None
    wait_for(lambda: loaded)
    history = loaded[0]
    assert QgsProject.instance().mapLayer(history.id()) is history
    assert history.temporalProperties().isActive()
    rows = sorted((f["observed_at"], f["value"]) for f in history.getFeatures())
    values = [value for _, value in rows]
    assert 1.5 in values and 2.5 in values and values.index(1.5) < values.index(2.5)
    assert {f["entity_id"] for f in history.getFeatures()} == {feature["entity_id"]}


def test_mqtt_without_an_mqtt_url_is_explained_and_http_push_works(dock, demo):
    list_demo_types(dock)
    layer = load(dock, "WaterObserved").main_layer
    assert dock.set_live_mode(layer, "mqtt", 5) is None
    assert "MQTT" in dock.status_label.text()
    assert dock.live.mode_of(layer)[0] == "off"
    feature = next(layer.getFeatures())
    updater = dock.set_live_mode(layer, "http", 30)
    assert updater is not None
    wait_for(lambda: updater.state == "live", timeout=30)
    demo.update_entity(feature["entity_id"], {"dangerLevel": 7.77}, tenant="okazaki")
    wait_for(lambda: layer.getFeature(feature.id())["dangerLevel"] == 7.77, timeout=30)
    dock.set_live_mode(layer, "off")


def test_an_ngsi_ld_connection_lists_and_loads_too(dock, demo):
    dock.store.save(Connection(name="岡崎 NGSI-LD", url=demo.url, flavor="ngsi-ld", tenant="okazaki"))
    dock.refresh_connections()
    listed = []
    dock.types_listed.connect(listed.append)
    dock.tree.connection_item("岡崎 NGSI-LD").setExpanded(True)
    wait_for(lambda: "岡崎 NGSI-LD" in listed)
    result = dock.results["岡崎 NGSI-LD"]
    assert result.flavor == "ngsi-ld"
    expected = next(t.count for t in result.types if t.name == "WaterObserved")
    loaded, failures = [], []
    dock.layers_loaded.connect(loaded.append)
    dock.load_failed.connect(lambda _t, m: failures.append(m))
    dock.add_type_layer("岡崎 NGSI-LD", "WaterObserved")
    wait_for(lambda: loaded or failures)
    assert not failures, failures
    assert loaded[0].main_layer.featureCount() == expected
    assert loaded[0].main_layer.customProperty("smartcity/flavor") == "ngsi-ld"


def test_adding_a_type_again_refreshes_its_layer_instead_of_duplicating_it(dock, demo):
    list_demo_types(dock)
    first = load(dock, "WaterObserved").main_layer
    count, fids = first.featureCount(), sorted(f.id() for f in first.getFeatures())
    entity_id = next(first.getFeatures())["entity_id"]
    demo.update_entity(entity_id, {"dangerLevel": 6.66}, tenant="okazaki")
    again = load(dock, "WaterObserved").main_layer
    assert again is first
    wait_for(lambda: any(f["dangerLevel"] == 6.66 for f in first.getFeatures()))
    assert first.featureCount() == count and sorted(f.id() for f in first.getFeatures()) == fids
    water = [
        lyr
        for lyr in QgsProject.instance().mapLayers().values()
        if lyr.customProperty("smartcity/entity_type") == "WaterObserved"
    ]
    assert water == [first]
    dock.extent_check.setChecked(True)  # a restricted query is a layer of its own
    assert load(dock, "WaterObserved").main_layer is not first


def test_the_neighbouring_demo_city_is_another_tenant(dock):
    from smartcity_qgis.layers.cityos.connections import DEMO_NEIGHBOUR_NAME

    okazaki = list_demo_types(dock)
    listed = []
    dock.types_listed.connect(listed.append)
    dock.tree.connection_item(DEMO_NEIGHBOUR_NAME).setExpanded(True)
    wait_for(lambda: DEMO_NEIGHBOUR_NAME in listed)
    toyota = dock.results[DEMO_NEIGHBOUR_NAME]
    assert okazaki.config.url == toyota.config.url  # one embedded city OS, two tenants
    assert (okazaki.config.tenant, toyota.config.tenant) == ("okazaki", "toyota")
    ids_okazaki = {f["entity_id"] for f in load(dock, "WaterObserved").main_layer.getFeatures()}
    results = []
    dock.layers_loaded.connect(results.append)
    dock.add_type_layer(DEMO_NEIGHBOUR_NAME, "WaterObserved")
    wait_for(lambda: results)
    ids_toyota = {f["entity_id"] for f in results[0].main_layer.getFeatures()}
    assert ids_toyota and not ids_toyota & ids_okazaki


def test_a_failing_city_os_shows_reconnecting_then_connected(dock, qgis_iface):
    from smartcity_qgis.cityos_sim.server import start_server

    server = start_server(scenario="okazaki", auto_advance=False)
    name = "不調な都市OS"
    dock.store.save(Connection(name=name, url=server.url, flavor="ngsi-v2", tenant="okazaki", timeout=3))
    dock.refresh_connections()
    board = connection_status.status_board()
    try:
        results = []
        dock.layers_loaded.connect(results.append)
        dock.add_type_layer(name, "WaterObserved")
        wait_for(lambda: results)
        layer = results[0].main_layer
        count = layer.featureCount()
        qgis_iface.setActiveLayer(layer)
        dock.set_live_mode(layer, "polling", 1)
        wait_for(lambda: board.state(name).state == connection_status.CONNECTED, timeout=30)
        server.set_faults(1.0, ["reset"])  # every request now fails
        wait_for(lambda: board.state(name).state == connection_status.RECONNECTING, timeout=60)
        assert dock.tree.connection_item(name).text(1) == board.state(name).describe()
        assert dock.live_state_label.text() != live_state_text("live")
        assert layer.featureCount() == count  # the last data stays
        server.set_faults(0.0)
        wait_for(lambda: board.state(name).state == connection_status.CONNECTED, timeout=90)
        assert dock.live_state_label.text() == live_state_text("live")
        assert layer.featureCount() == count  # caught up without duplicates
    finally:
        dock.live.stop_all()
        server.stop()
