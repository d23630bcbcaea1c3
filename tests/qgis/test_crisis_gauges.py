"""Crisis-management gauges live from a local server serving changing prefecture files."""

from __future__ import annotations

import hashlib
import json
import threading
from email.utils import formatdate
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from qgis.core import QgsLayerTreeModel, QgsProject
from qgis.gui import QgsLayerTreeView

from smartcity_qgis.analysis.gauge_polling import MIN_INTERVAL
from smartcity_qgis.analysis.river_gauges import CREDIT_JA
from smartcity_qgis.dialogs.cityos.offline_notices import OfflineIndicators
from smartcity_qgis.dialogs.rivers.river_panel import RiverPanel
from smartcity_qgis.layers.cityos.entity_layer_meta import is_stale
from smartcity_qgis.layers.rivers.crisis_live import LIVE, RECONNECTING, CrisisGaugeProject
from tests.qgis.entity_layer_helpers import spin, wait_until

T0 = "2025-09-12T20:50:00+09:00"
T1 = "2025-09-12T21:00:00+09:00"


def record(code, name, level, start, warn, flood, lat, lon, when=T0, pref="23000"):
    return {"code": code, "name": name, "obsTime": when, "level": level, "startLevel": start, "warnLevel": warn,
            "fladLevel": flood, "lat": lat, "lon": lon, "townCode": "23202", "prefCode": pref, "point": 67,
            "over": 1, "qt": None, "kana": "", "addrKana": ""}  # fmt: skip


AICHI = [
    record("2300000101", "合成一号橋　／　（二）合成川", 0.42, 0.30, 1.10, 1.60, 34.95, 137.20),
    record("2300000102", "合成二号橋　／　（二）合成川", -0.80, -0.50, None, 0.40, 34.97, 137.25),
    record("2300000103", "合成三号橋　／　（二）試験川", "0.10", "0.50", None, None, 34.93, 137.15),
]
SHIZUOKA = [record("2200000201", "合成四号橋　／　（二）静川", 1.0, 0.8, 1.5, 2.0, 34.8, 137.6, pref="22000")]


class Clock:
    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


class AreaServer:
    """Serves ``/area/{code}.json`` with ETag and Last-Modified; answers 304 to a matching request."""

    def __init__(self) -> None:
        self.documents: dict[str, dict] = {}
        self.log: list[tuple[str, int, dict]] = []  # (path, status, request headers)
        self.failing = False
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                code = self.path.rsplit("/", 1)[-1].removesuffix(".json")
                if outer.failing:
                    return self._send(503, b"busy", {"Retry-After": "30"})
                doc = outer.documents.get(code)
                if doc is None:
                    return self._send(404, b"not found", {})
                body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
                etag = '"' + hashlib.sha1(body).hexdigest() + '"'
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, b"", {"ETag": etag})
                return self._send(200, body, {"ETag": etag, "Last-Modified": formatdate(usegmt=True),
                                              "Content-Type": "application/json"})  # fmt: skip

            def _send(self, status, body, headers):
                outer.log.append((self.path, status, dict(self.headers)))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/area/{{prefCode}}.json"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


wait_for = partial(wait_until, timeout=20.0)


@pytest.fixture
def source(qgis_iface):
    server = AreaServer()
    server.documents = {"23000": {"obss": [dict(r) for r in AICHI]}, "22000": {"obss": SHIZUOKA}}
    clock = Clock()
    project = QgsProject.instance()
    project.clear()
    gauges = CrisisGaugeProject(project, clock=clock)
    yield server, clock, project, gauges
    gauges.detach()
    project.clear()
    server.stop()


def by_code(layer) -> dict:
    return {f["code"]: f for f in layer.getFeatures()}


def advance(clock, server, updater, seconds: float) -> None:
    clock.now += seconds
    updater.poll_now()
    spin(0.4)


def test_prefecture_files_are_polled_politely_and_applied_in_place(source, qgis_iface):
    server, clock, _project, gauges = source
    layer = gauges.add_layer(["23000", "22000"], server.url, tick=0.02)
    updater = gauges.updaters[layer.id()]
    wait_for(lambda: layer.featureCount() == 4 and updater.state == LIVE)
    assert sorted(path for path, _status, _h in server.log) == ["/area/22000.json", "/area/23000.json"]
    assert layer.metadata().rights() == [CREDIT_JA]
    features = by_code(layer)
    assert features["2300000101"]["status"] == "observing" and features["2300000103"]["level"] == pytest.approx(0.1)
    assert features["2300000102"]["warn_level"] is None or features["2300000102"]["warn_level"].isNull()
    assert features["2300000101"]["observed_jst"] == "2025-09-12 20:50 JST"
    fids = {code: f.id() for code, f in features.items()}

    # Asked again and again within the interval: the source is not asked again.
    for _ in range(5):
        advance(clock, server, updater, 100)
    assert len(server.log) == 2, "never more often than every 10 minutes per prefecture"

    # The source publishes new readings: they come after the interval (and its jitter), in place.
    doc = server.documents["23000"]["obss"]
    doc[0] = record("2300000101", "合成一号橋　／　（二）合成川", 1.25, 0.30, 1.10, 1.60, 34.95, 137.20, when=T1)
    advance(clock, server, updater, MIN_INTERVAL * 1.1 - 500 + 1)
    wait_for(lambda: len(server.log) == 4)
    spin(0.5)
    statuses = {path: (status, headers.get("If-None-Match")) for path, status, headers in server.log[2:]}
    assert statuses["/area/22000.json"][0] == 304 and statuses["/area/22000.json"][1], "a conditional request"
    assert statuses["/area/23000.json"][0] == 200
    wait_for(lambda: by_code(layer)["2300000101"]["status"] == "danger")
    assert {code: f.id() for code, f in by_code(layer).items()} == fids, "changed in place, never rebuilt"
    assert by_code(layer)["2300000101"]["observed_jst"] == "2025-09-12 21:00 JST"

    # A gauge missing from the next file keeps its last reading, greyed.
    del doc[2]
    advance(clock, server, updater, MIN_INTERVAL * 1.1 + 1)
    wait_for(lambda: by_code(layer)["2300000103"]["reported"] == 0)
    assert layer.featureCount() == 4


def test_an_unreachable_source_marks_the_layer_offline_and_it_recovers(source):
    server, clock, project, gauges = source
    view = QgsLayerTreeView()
    view.setModel(QgsLayerTreeModel(project.layerTreeRoot(), view))
    indicators = OfflineIndicators(view, project)
    try:
        layer = gauges.add_layer(["23000"], server.url, tick=0.02)
        updater = gauges.updaters[layer.id()]
        wait_for(lambda: layer.featureCount() == 3 and updater.state == LIVE)
        assert indicators.indicator(layer) is None
        name = layer.name()
        server.failing = True
        advance(clock, server, updater, MIN_INTERVAL * 1.1 + 1)
        wait_for(lambda: updater.state == RECONNECTING)
        # Offline shows as an icon in the layer tree (not a name suffix that a long name would cut off).
        assert is_stale(layer) and layer.name() == name and layer.featureCount() == 3, "last readings kept"
        shown = indicators.indicator(layer)
        assert shown is not None and not shown.icon().isNull()
        assert "gauge source" in shown.toolTip() and "JST" in shown.toolTip()
        asked = len(server.log)
        advance(clock, server, updater, 60)
        assert len(server.log) == asked, "a failing source is not hammered"
        server.failing = False
        advance(clock, server, updater, MIN_INTERVAL * 1.1 + 1)
        wait_for(lambda: updater.state == LIVE)
        assert not is_stale(layer) and layer.name() == name
        assert indicators.indicator(layer) is None
    finally:
        indicators.detach()
        view.deleteLater()
        spin(0.1)


def test_a_bad_source_url_is_refused_with_a_message(source):
    _server, _clock, _project, gauges = source
    with pytest.raises(ValueError, match="prefCode"):
        gauges.add_layer(["23000"], "http://127.0.0.1:9/area/current.json")


def test_the_panel_lists_crisis_gauges_in_their_own_scheme_and_logs_their_crossings(source, qgis_iface, tmp_path):
    server, clock, project, gauges = source
    panel = RiverPanel(qgis_iface, project=project)
    try:
        layer = gauges.add_layer(["23000"], server.url, tick=0.02)
        updater = gauges.updaters[layer.id()]
        wait_for(lambda: len(panel.station_order()) == 3)
        assert panel.table.item(0, 1).text().startswith("合成一号橋")  # observing ranks above normal
        doc = server.documents["23000"]["obss"]
        doc[1] = record("2300000102", "合成二号橋　／　（二）合成川", 0.55, -0.50, None, 0.40, 34.97, 137.25, when=T1)
        advance(clock, server, updater, MIN_INTERVAL * 1.1 + 1)
        wait_for(lambda: panel.alert_log() is not None and panel.alert_log().featureCount() == 2)
        rows = list(panel.alert_log().getFeatures())
        assert [(r["station_id"], r["from_level"], r["to_level"]) for r in rows] == [
            ("2300000102", 0, 1),
            ("2300000102", 1, 3),
        ], "no 危険水位 published: observing straight to flood, no crossing of an unpublished threshold"
        assert rows[1]["scheme"] == "crisis_gauge" and "氾濫開始水位" in rows[1]["to_name"]
        assert panel.station_order()[0] == "2300000102", "flooding ranks with 警戒レベル 5"
        spin(0.5)

        # Saved and reopened: the readings come back and the layer is live again, politely.
        path = tmp_path / "gauges.qgs"
        assert project.write(str(path))
        asked = len(server.log)
        project.clear()
        assert project.read(str(path))
        reopened = gauges.layers()[0]
        assert reopened.featureCount() == 3 and reopened.metadata().rights() == [CREDIT_JA]
        spin(0.5)
        assert len(server.log) == asked, "the interval holds across a reopen"
        wait_for(lambda: len(panel.station_order()) == 3)
    finally:
        panel.shutdown()
        panel.deleteLater()


def test_the_dialog_proposes_the_prefecture_under_the_map_and_checks_the_url(qgis_iface):
    from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle
    from qgis.PyQt.QtCore import Qt

    from smartcity_qgis.dialogs.rivers.crisis_dialog import CrisisGaugeDialog, extent_prefectures

    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:6675"))  # plane zone VII
    canvas.setExtent(QgsRectangle(-8000, -124000, 8000, -108000))  # around Okazaki (origin 36° N)
    assert extent_prefectures(qgis_iface)[0] == "23000", "the prefecture covering most of the map first"
    dialog = CrisisGaugeDialog(["23000"])
    assert dialog.prefectures() == ["23000"]
    dialog.url.setText("http://127.0.0.1:9/area.json")
    dialog.accept()
    assert dialog.result() == 0 and "{prefCode}" in dialog.error.text()
    for i in range(dialog.list.count()):
        dialog.list.item(i).setCheckState(Qt.Unchecked)
    dialog.accept()
    assert dialog.result() == 0 and dialog.error.text()
    assert dialog.interval.minimum() == 10, "never more often than the source updates"
    dialog.deleteLater()


def test_the_menu_has_river_levels_with_the_crisis_gauges(plugin_module, qgis_iface, no_provider_registered):
    from qgis.PyQt.QtWidgets import QAction, QMenu

    plugin = plugin_module.classFactory(qgis_iface)
    plugin.initGui()
    try:
        river_menu = plugin.ui.menu.findChild(QMenu, "SmartCityRiverMenu")
        assert river_menu is not None
        names = [a.objectName() for a in river_menu.actions()]
        assert names == ["SmartCityShowRiverPanel", "SmartCityCrisisGauges", "SmartCityGaugeReplay"]
        crisis = qgis_iface.mainWindow().findChild(QAction, "SmartCityCrisisGauges")
        assert crisis.text().startswith("Crisis-management gauges") or "危機管理型水位計" in crisis.text()
    finally:
        plugin.unload()
