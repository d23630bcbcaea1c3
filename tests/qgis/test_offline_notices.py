"""Offline that explains itself: one message per connection each way, icons in the layer tree,
errors in words a user can act on, and tile servers without network told once."""

from __future__ import annotations

import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from qgis.core import Qgis, QgsLayerTreeModel, QgsProject, QgsRasterLayer
from qgis.gui import QgsLayerTreeView, QgsMessageBar

from smartcity_qgis.cityos_client import ConnectionConfig
from smartcity_qgis.cityos_client.errors import CityOSConnectionError, RequestTimeoutError
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.dialogs.cityos.live_controls import LiveController
from smartcity_qgis.dialogs.cityos.offline_notices import ConnectionNotices, OfflineIndicators
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.entity_builder import build_layers
from smartcity_qgis.layers.cityos.entity_layer_meta import is_stale, mark_offline
from smartcity_qgis.layers.cityos.entity_loader import EntityLoadTask, load_entity_layer
from smartcity_qgis.layers.cityos.live import LIVE, POLLING, RECONNECTING
from smartcity_qgis.layers.cityos.messages import error_message
from smartcity_qgis.layers.hazards.tiles import TileAccessCheck, TileSource, xyz_uri
from tests.conftest import free_port
from tests.qgis.entity_layer_helpers import spin, wait_until
from tests.qgis.test_local_time import META, gauge

RAW = ("HTTPConnectionPool", "Max retries", "NewConnectionError", "Errno", "Unexpected error")


@pytest.fixture
def project(qgis_app):
    project = QgsProject.instance()
    yield project
    project.removeAllMapLayers()


@pytest.fixture
def view(project):
    model = QgsLayerTreeModel(project.layerTreeRoot())
    view = QgsLayerTreeView()
    view.setModel(model)
    yield view
    view.deleteLater()


def texts(bar: QgsMessageBar) -> list[tuple[str, object]]:
    return [(item.text(), item.level()) for item in bar.items()]


def test_connection_errors_say_what_to_do():
    raw = CityOSConnectionError(
        "cannot reach the broker at http://127.0.0.1:9/v2/entities: HTTPConnectionPool(host='127.0.0.1', port=9): "
        "Max retries exceeded (Caused by NewConnectionError([Errno 111] Connection refused))"
    )
    message = error_message(raw)
    assert "network" in message and "VPN" in message and "last data" in message
    assert not any(word in message for word in RAW), message
    slow = error_message(RequestTimeoutError("read timed out after 60 s"))
    assert "timeout" in slow and "60 s" not in slow
    odd = error_message(ZeroDivisionError("division by zero"))
    assert "Unexpected error" not in odd and "log" in odd


def test_the_layer_tree_shows_an_offline_icon_and_keeps_the_name(project, view):
    layer = build_layers([gauge()], META)["point"]
    name = layer.name()
    project.addMapLayer(layer)
    indicators = OfflineIndicators(view, project)
    try:
        assert indicators.indicator(layer) is None
        mark_offline(layer, True, "2025-07-01T07:23:05.000Z")
        shown = indicators.indicator(layer)
        assert shown is not None and not shown.icon().isNull()
        assert "16:23 JST" in shown.toolTip() and layer.name() == name
        # Moving the layer in the tree makes a new node: the icon moves with it.
        root = project.layerTreeRoot()
        node = root.findLayer(layer.id())
        clone = node.clone()
        root.insertChildNode(0, clone)
        root.removeChildNode(node)
        assert indicators.indicator(layer) is not None
        mark_offline(layer, False)
        assert indicators.indicator(layer) is None and not is_stale(layer)
        mark_offline(layer, True)  # opened offline from the project's snapshots
        assert "saved with the project" in indicators.indicator(layer).toolTip()
    finally:
        indicators.detach()
    assert indicators.indicator(layer) is None


def test_an_old_offline_suffix_is_taken_out_of_the_name(project):
    layer = build_layers([gauge()], META)["point"]
    base = layer.name()
    layer.setCustomProperty("smartcity/base_name", base)
    layer.setName(tr("{0} (offline)").format(base))
    mark_offline(layer, False)
    assert layer.name() == base


def test_one_message_per_connection_when_the_city_os_stops_and_restarts(project, view):
    name = f"岡崎テスト {uuid.uuid4().hex[:6]}"
    server = start_server(scenario="okazaki", auto_advance=False)
    port = server.port
    cfg = ConnectionConfig(url=server.url, flavor="ngsi-v2", tenant="okazaki", max_retries=0)
    layers = [load_entity_layer(cfg, kind, connection_name=name) for kind in ("WaterObserved", "OffStreetParking")]
    project.addMapLayers(layers)
    names = [layer.name() for layer in layers]
    bar = QgsMessageBar()
    notices = ConnectionNotices(bar)
    indicators = OfflineIndicators(view, project)
    said: list[tuple[str, bool]] = []
    notices.announced.connect(lambda who, back: said.append((who, back)))
    live = LiveController(project)
    updaters = [live.set_mode(layer, POLLING, 0.3) for layer in layers]
    for updater in updaters:
        updater.max_backoff = 1.0
    try:
        wait_until(lambda: all(u.state == LIVE for u in updaters), timeout=30)
        server.stop()
        wait_until(lambda: all(u.state == RECONNECTING for u in updaters), timeout=30)
        # A load of another type of the same city OS fails too: still the one message.
        task = EntityLoadTask(cfg.with_changes(max_retries=0), "Streetlight", connection_name=name)
        failures: list[str] = []
        task.failed.connect(failures.append)
        task.finished(task.run())
        spin(1.5)
        assert said == [(name, False)]
        assert failures and not any(word in failures[0] for word in RAW), failures
        down = texts(bar)
        assert len(down) == 1 and down[0][1] == Qgis.Warning
        assert name in down[0][0] and "JST" in down[0][0]
        assert all(indicators.indicator(layer) is not None for layer in layers)
        assert all(not any(word in u.last_error for word in RAW) for u in updaters)
        assert [layer.name() for layer in layers] == names  # the names stay whole

        server = start_server(scenario="okazaki", auto_advance=False, port=port)
        wait_until(lambda: all(u.state == LIVE for u in updaters), timeout=60)
        spin(1.0)
        assert said == [(name, False), (name, True)]
        back = texts(bar)
        assert len(back) == 1 and back[0][1] == Qgis.Success, back  # the offline message was taken down
        assert all(indicators.indicator(layer) is None for layer in layers)
    finally:
        live.detach()
        notices.detach()
        indicators.detach()
        server.stop()


class _NotFound(BaseHTTPRequestHandler):
    def do_GET(self):  # a tile without data, as the hazard portal answers
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args):
        pass


def _tile_layer(url: str, name: str) -> QgsRasterLayer:
    return QgsRasterLayer(xyz_uri(TileSource(name, url, 2, 17, "出典：テスト", True)), name, "wms")


def test_tile_servers_without_network_are_told_once(qgis_app):
    check = TileAccessCheck()
    down: list[tuple[str, list]] = []
    check.unreachable.connect(lambda host, names: down.append((host, list(names))))
    dead = f"http://127.0.0.1:{free_port()}/{{z}}/{{x}}/{{y}}.png"
    first = [_tile_layer(dead, "洪水"), _tile_layer(dead, "津波")]
    assert len(check.check(first)) == 1  # one request per server
    wait_until(lambda: not check.busy(), timeout=30)
    check.check([_tile_layer(dead, "土砂災害")])  # the same server again, still down
    wait_until(lambda: not check.busy(), timeout=30)
    assert len(down) == 1 and down[0][1] == ["洪水", "津波"]

    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        alive = f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
        check.check([_tile_layer(alive, "標準地図")])
        wait_until(lambda: not check.busy(), timeout=30)
        assert len(down) == 1, "a 404 for a tile without data is an answer"
    finally:
        server.shutdown()
        server.server_close()


def test_the_tile_message_names_server_and_layers():
    from smartcity_qgis.dialogs.hazards.ui_hazard import tiles_unreachable_text

    text = tiles_unreachable_text("cyberjapandata.gsi.go.jp", ["淡色地図", "写真"])
    assert "cyberjapandata.gsi.go.jp" in text and "淡色地図" in text and "proxy" in text
