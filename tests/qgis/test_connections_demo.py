"""The ready-made demo city OS connection, flavor detection, and the City OS part of the plugin."""

from __future__ import annotations

from functools import partial

from smartcity_qgis.dialogs.cityos.cityos_dock import CITYOS_DOCK_OBJECT_NAME, CityOSDock
from smartcity_qgis.layers.cityos.connection_config import known_flavor, to_client_config
from smartcity_qgis.layers.cityos.connection_probe import detect_connection_flavor, probe_connection
from smartcity_qgis.layers.cityos.connections import DEMO_CONNECTION_NAME, Connection, demo_connection
from smartcity_qgis.layers.cityos.demo_cityos import demo_server, demo_server_running, stop_demo_server
from tests.qgis.entity_layer_helpers import wait_until

wait_for = partial(wait_until, timeout=60.0)


def test_demo_connection_starts_the_embedded_city_os_and_lists_its_types(qgis_app):
    stop_demo_server()
    assert not demo_server_running()
    try:
        cfg = to_client_config(demo_connection())
        assert demo_server_running()
        assert cfg.url.startswith("http://127.0.0.1:") and cfg.tenant == "okazaki"
        assert cfg.timeseries_url == cfg.url + "/ql"
        assert cfg.proxies == {"no_proxy": "127.0.0.1"}  # loopback never goes through a proxy
        result = probe_connection(demo_connection())
        names = {t.name for t in result.types}
        assert {"WaterObserved", "CrowdFlowObserved", "PointOfInterest"} <= names
        assert all(t.count for t in result.types)
        assert result.entity_count == sum(t.count for t in result.types)
        assert to_client_config(demo_connection()).url == cfg.url  # one server, started once
    finally:
        stop_demo_server()
    assert not demo_server_running()


def test_auto_flavor_is_detected_and_remembered(qgis_app):
    try:
        server = demo_server()
        conn = Connection(name="auto", url=server.url, flavor="auto", tenant="okazaki")
        assert known_flavor(conn) is None
        flavor = detect_connection_flavor(conn)
        assert flavor in ("ngsi-v2", "ngsi-ld")
        assert known_flavor(conn) == flavor
        assert to_client_config(conn).flavor == flavor
    finally:
        stop_demo_server()


def test_plugin_adds_the_city_os_dock_and_stops_the_demo_on_unload(plugin_module, qgis_iface):
    from smartcity_qgis.dialogs.cityos import ui_cityos

    plugin = plugin_module.classFactory(qgis_iface)
    plugin.initGui()
    try:
        dock = qgis_iface.mainWindow().findChild(CityOSDock, CITYOS_DOCK_OBJECT_NAME)
        assert dock is not None and ui_cityos.current() is not None
        assert dock.tree.connection_item(DEMO_CONNECTION_NAME) is not None
        listed = []
        dock.types_listed.connect(listed.append)
        dock.tree.connection_item(DEMO_CONNECTION_NAME).setExpanded(True)
        wait_for(lambda: listed)
        assert demo_server_running()
        names = {a.objectName() for a in ui_cityos.current().layer_actions}
        assert {"SmartCityLivePolling", "SmartCityLiveOff", "SmartCityHistoryLayer"} <= names
    finally:
        plugin.unload()
    assert not demo_server_running()
    assert ui_cityos.current() is None
    assert qgis_iface.mainWindow().findChild(CityOSDock, CITYOS_DOCK_OBJECT_NAME) is None


def test_plugin_snapshots_city_os_layers_when_the_project_is_saved(plugin_module, qgis_iface, tmp_path):
    from qgis.core import QgsProject

    from smartcity_qgis.layers.cityos.entity_loader import load_entity_layer

    plugin = plugin_module.classFactory(qgis_iface)
    plugin.initGui()
    project = QgsProject.instance()
    try:
        layer = load_entity_layer(
            to_client_config(demo_connection()), "WaterObserved", connection_name=DEMO_CONNECTION_NAME
        )
        project.addMapLayer(layer)
        assert project.write(str(tmp_path / "岡崎.qgz"))
        snapshots = list((tmp_path / "岡崎_cityos").glob("*.gpkg"))
        assert len(snapshots) == 1
    finally:
        project.removeAllMapLayers()
        project.clear()
        plugin.unload()
        stop_demo_server()


def test_a_reopened_live_project_shows_its_state_and_live_values(plugin_module, qgis_iface, tmp_path):
    from qgis.core import QgsProject

    from smartcity_qgis.dialogs.cityos import ui_cityos
    from smartcity_qgis.layers.cityos import connection_status
    from smartcity_qgis.layers.cityos.entity_loader import load_entity_layer

    plugin = plugin_module.classFactory(qgis_iface)
    plugin.initGui()
    project = QgsProject.instance()
    city = ui_cityos.current()
    try:
        layer = load_entity_layer(
            to_client_config(demo_connection()), "WaterObserved", connection_name=DEMO_CONNECTION_NAME
        )
        project.addMapLayer(layer)
        assert city.dock.set_live_mode(layer, "polling", 1) is not None
        path = tmp_path / "live.qgz"
        assert project.write(str(path))
        project.clear()
        assert not city.live.updaters
        board = connection_status.status_board()
        board.report(DEMO_CONNECTION_NAME, connection_status.OFFLINE, "before reading")
        values = []
        city.live.value_changed.connect(lambda *args: values.append(args))
        assert project.read(str(path))
        assert len(city.snapshots.updaters) == 1
        wait_for(lambda: board.state(DEMO_CONNECTION_NAME).state == connection_status.CONNECTED, timeout=30)
        reopened = next(iter(project.mapLayers().values()))
        entity_id = next(reopened.getFeatures())["entity_id"]
        demo_server().update_entity(entity_id, {"dangerLevel": 8.88}, tenant="okazaki")
        wait_for(lambda: any(v[0] == entity_id and v[1] == "dangerLevel" for v in values), timeout=30)
    finally:
        project.clear()
        plugin.unload()
        stop_demo_server()
