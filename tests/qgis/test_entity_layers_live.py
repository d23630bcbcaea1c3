"""Live entity layers against the embedded city OS: polling, MQTT push, drops and catch-up."""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from smartcity_qgis.cityos_client import ConnectionConfig
from smartcity_qgis.cityos_sim.server import start_server
from smartcity_qgis.layers import load_entity_layer
from smartcity_qgis.layers.cityos.entity_layer_meta import is_stale
from smartcity_qgis.layers.cityos.live import LIVE, RECONNECTING, WAITING, LiveLayerUpdater
from tests.conftest import free_port, wait_for_port
from tests.qgis.entity_layer_helpers import spin, wait_until


def fid_map(layer) -> dict[str, int]:
    return {f["entity_id"]: f.id() for f in layer.getFeatures()}


def value_of(layer, entity_id: str, field: str):
    return next(f[field] for f in layer.getFeatures() if f["entity_id"] == entity_id)


class Recorder:
    """Everything an updater reports."""

    def __init__(self, updater: LiveLayerUpdater) -> None:
        self.updated: list[int] = []
        self.added: list[int] = []
        self.removed: list[int] = []
        self.changes: list[tuple] = []
        self.states: list[str] = []
        self.syncs = 0
        updater.features_updated.connect(self.updated.extend)
        updater.features_added.connect(self.added.extend)
        updater.features_removed.connect(self.removed.extend)
        updater.value_changed.connect(lambda *a: self.changes.append(a))
        updater.state_changed.connect(lambda state, _detail: self.states.append(state))
        updater.synced.connect(self._synced)

    def _synced(self) -> None:
        self.syncs += 1

    def clear(self) -> None:
        self.updated.clear()
        self.added.clear()
        self.removed.clear()
        self.changes.clear()


@pytest.fixture
def sim():
    server = start_server(scenario="okazaki", auto_advance=False)
    yield server
    server.stop()


def first_station(layer) -> str:
    return sorted(fid_map(layer))[0]


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_polling_changes_exactly_the_changed_feature_in_place(qgis_app, sim, flavor):
    cfg = ConnectionConfig(url=sim.url, flavor=flavor, tenant="okazaki")
    layer = load_entity_layer(cfg, "WaterObserved")
    before = fid_map(layer)
    layer_id = layer.id()
    updater = LiveLayerUpdater(layer, cfg, mode="polling", interval=0.3)
    record = Recorder(updater)
    updater.start()
    try:
        wait_until(lambda: record.syncs >= 1)
        assert record.updated == [] and record.added == []  # the first complete poll changed nothing
        station = first_station(layer)
        sim.update_entity(station, {"waterLevel": 4.25}, tenant="okazaki")
        wait_until(lambda: any(c[0] == station and c[1] == "waterLevel" for c in record.changes))
        spin(1.0)  # more polls: nothing else may change
        assert set(record.updated) == {before[station]}
        assert record.added == [] and record.removed == []
        assert fid_map(layer) == before
        assert layer.id() == layer_id
        assert value_of(layer, station, "waterLevel") == pytest.approx(4.25)
        change = next(c for c in record.changes if c[0] == station and c[1] == "waterLevel")
        assert change[3] == pytest.approx(4.25) and change[2] != pytest.approx(4.25)
        assert LIVE in record.states
    finally:
        updater.stop()


def test_polling_adds_and_removes_entities(qgis_app, sim):
    import requests

    cfg = ConnectionConfig(url=sim.url, flavor="ngsi-v2", tenant="okazaki")
    layer = load_entity_layer(cfg, "WaterObserved")
    before = fid_map(layer)
    updater = LiveLayerUpdater(layer, cfg, mode="polling", interval=0.3, full_sync_every=1)
    record = Recorder(updater)
    headers = {"Fiware-Service": "okazaki", "Fiware-ServicePath": "/"}
    updater.start()
    try:
        wait_until(lambda: record.syncs >= 1)
        new = {
            "id": "urn:ngsi:WaterObserved:new-gauge",
            "type": "WaterObserved",
            "location": {"type": "geo:json", "value": {"type": "Point", "coordinates": [137.2, 34.96]}},
            "waterLevel": {"type": "Number", "value": 0.5},
        }
        assert requests.post(f"{sim.url}/v2/entities", json=new, headers=headers, timeout=10).ok
        gone = first_station(layer)
        assert requests.delete(f"{sim.url}/v2/entities/{gone}", headers=headers, timeout=10).ok
        wait_until(lambda: record.added and record.removed)
        after = fid_map(layer)
        assert "urn:ngsi:WaterObserved:new-gauge" in after and gone not in after
        assert record.removed == [before[gone]]
        assert all(after[i] == before[i] for i in before if i != gone)
    finally:
        updater.stop()


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_mqtt_push_changes_the_feature(qgis_app, mosquitto_port, flavor):
    mqtt_url = f"mqtt://127.0.0.1:{mosquitto_port}"
    server = start_server(scenario="okazaki", auto_advance=False, mqtt_url=mqtt_url)
    cfg = ConnectionConfig(url=server.url, flavor=flavor, tenant="okazaki", mqtt_url=mqtt_url)
    layer = load_entity_layer(cfg, "WaterObserved")
    before = fid_map(layer)
    # A safety poll only at start: the change must come through MQTT.
    updater = LiveLayerUpdater(layer, cfg, mode="mqtt", interval=3600)
    record = Recorder(updater)
    updater.start()
    try:
        wait_until(lambda: record.syncs >= 1 and updater.state == LIVE)
        station = first_station(layer)
        server.update_entity(station, {"waterLevel": 5.5}, tenant="okazaki")
        wait_until(lambda: any(c[0] == station and c[1] == "waterLevel" for c in record.changes))
        assert set(record.updated) == {before[station]}
        assert fid_map(layer) == before
        assert value_of(layer, station, "waterLevel") == pytest.approx(5.5)
        assert record.syncs == 1
    finally:
        updater.stop()
        server.stop()


class Mosquitto:
    """A mosquitto of our own on a fixed port, to stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.conf = Path(f"/tmp/smartcity-live-mosquitto-{self.port}.conf")
        self.conf.write_text(f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        self.proc = subprocess.Popen([exe, "-c", str(self.conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


def test_dropped_mqtt_broker_catches_up_without_duplicates(qgis_app):
    broker = Mosquitto()
    broker.start()
    mqtt_url = f"mqtt://127.0.0.1:{broker.port}"
    server = start_server(scenario="okazaki", auto_advance=False, mqtt_url=mqtt_url)
    cfg = ConnectionConfig(url=server.url, flavor="ngsi-v2", tenant="okazaki", mqtt_url=mqtt_url)
    layer = load_entity_layer(cfg, "WaterObserved")
    before = fid_map(layer)
    updater = LiveLayerUpdater(layer, cfg, mode="mqtt", interval=3600)
    record = Recorder(updater)
    updater.start()
    try:
        wait_until(lambda: updater.state == LIVE and record.syncs >= 1)
        broker.stop()
        wait_until(lambda: updater.state == RECONNECTING, timeout=30)
        assert is_stale(layer)
        station = first_station(layer)
        server.update_entity(station, {"waterLevel": 6.75}, tenant="okazaki")  # missed by MQTT
        spin(0.5)
        broker.start()
        wait_until(lambda: value_of(layer, station, "waterLevel") == pytest.approx(6.75), timeout=60)
        wait_until(lambda: updater.state == LIVE, timeout=30)
        assert not is_stale(layer)
        assert fid_map(layer) == before  # caught up by id: no duplicate, no new feature
        assert layer.featureCount() == len(before)
        assert record.added == []
    finally:
        updater.stop()
        server.stop()
        broker.stop()
        broker.conf.unlink(missing_ok=True)


def test_city_os_down_keeps_data_marks_stale_and_catches_up(qgis_app, sim):
    cfg = ConnectionConfig(url=sim.url, flavor="ngsi-v2", tenant="okazaki", max_retries=0)
    layer = load_entity_layer(cfg, "WaterObserved")
    before = fid_map(layer)
    name = layer.name()
    updater = LiveLayerUpdater(layer, cfg, mode="polling", interval=0.3, max_backoff=1.0)
    record = Recorder(updater)
    updater.start()
    try:
        wait_until(lambda: updater.state == LIVE)
        sim.set_faults(1.0, ["reset"])  # every connection dropped, as when the city OS goes down
        wait_until(lambda: updater.state == RECONNECTING, timeout=30)
        assert is_stale(layer)
        assert layer.featureCount() == len(before)  # the last data stays on the map
        assert layer.name() == name  # the layer tree tells it with an icon; the name stays whole
        station = first_station(layer)
        sim.update_entity(station, {"waterLevel": 7.5}, tenant="okazaki")
        sim.set_faults(0.0)
        wait_until(lambda: updater.state == LIVE, timeout=30)
        wait_until(lambda: value_of(layer, station, "waterLevel") == pytest.approx(7.5), timeout=30)
        assert not is_stale(layer)
        assert layer.name() == name
        # A name the user gives while offline survives the recovery.
        sim.set_faults(1.0, ["reset"])
        wait_until(lambda: updater.state == RECONNECTING, timeout=30)
        layer.setName("私の水位計")
        sim.set_faults(0.0)
        wait_until(lambda: updater.state == LIVE, timeout=30)
        assert layer.name() == "私の水位計" and not is_stale(layer)
        assert fid_map(layer) == before
        assert record.added == [] and record.removed == []
    finally:
        updater.stop()


def test_http_push_changes_the_feature(qgis_app, sim):
    cfg = ConnectionConfig(url=sim.url, flavor="ngsi-ld", tenant="okazaki")
    layer = load_entity_layer(cfg, "CrowdFlowObserved")
    before = fid_map(layer)
    updater = LiveLayerUpdater(layer, cfg, mode="http", interval=3600)
    record = Recorder(updater)
    updater.start()
    try:
        # Subscribed: waiting for the broker's first notification, not yet "live".
        wait_until(lambda: record.syncs >= 1 and updater.state == WAITING)
        counter = sorted(before)[0]
        sim.update_entity(counter, {"peopleCount": 4321}, tenant="okazaki")
        wait_until(lambda: value_of(layer, counter, "peopleCount") == 4321)
        wait_until(lambda: updater.state == LIVE)
        assert set(record.updated) == {before[counter]}
        assert fid_map(layer) == before
    finally:
        updater.stop()


def test_stop_and_start_again_keeps_one_poller(qgis_app, sim):
    cfg = ConnectionConfig(url=sim.url, flavor="ngsi-v2", tenant="okazaki")
    layer = load_entity_layer(cfg, "WaterObserved")
    before = fid_map(layer)
    updater = LiveLayerUpdater(layer, cfg, mode="polling", interval=0.3)
    record = Recorder(updater)
    updater.start()
    wait_until(lambda: updater.state == LIVE)
    updater.stop()
    assert not updater.is_running()
    station = first_station(layer)
    sim.update_entity(station, {"waterLevel": 2.5}, tenant="okazaki")
    spin(0.8)
    assert value_of(layer, station, "waterLevel") != pytest.approx(2.5)  # stopped means stopped
    updater.start()
    try:
        wait_until(lambda: value_of(layer, station, "waterLevel") == pytest.approx(2.5))
        assert fid_map(layer) == before
        assert sum(1 for t in threading.enumerate() if t.name == "live-WaterObserved") == 1
        assert record.updated.count(before[station]) == 1
    finally:
        updater.stop()


def entity_listings(server, since: int) -> list[str]:
    """The entity-list requests the city OS answered after access-log entry ``since``, query decoded."""
    from urllib.parse import unquote_plus

    return [unquote_plus(path) for _m, path, _s in list(server.access_log)[since:] if "/entities?" in path]


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_polling_fetches_only_the_changed_entities(qgis_app, sim, flavor):
    cfg = ConnectionConfig(url=sim.url, flavor=flavor, tenant="okazaki")
    layer = load_entity_layer(cfg, "WaterObserved")
    before = fid_map(layer)
    start = len(sim.access_log)
    updater = LiveLayerUpdater(layer, cfg, mode="polling", interval=0.2, full_sync_every=1000)
    record = Recorder(updater)
    updater.start()
    try:
        wait_until(lambda: record.syncs >= 1 and len(updater.poll_log) >= 3)
        assert updater.incremental is True
        polls = list(updater.poll_log)
        assert polls[0] == ("full", len(before))
        assert all(entry == ("changes", 0) for entry in polls[1:])  # nothing changed: nothing fetched
        station = sorted(before)[2]
        sim.update_entity(station, {"waterLevel": 3.75}, tenant="okazaki")
        wait_until(lambda: value_of(layer, station, "waterLevel") == pytest.approx(3.75))
        seen = len(updater.poll_log)
        wait_until(lambda: len(updater.poll_log) >= seen + 2)  # and later polls fetch nothing again
        polls = list(updater.poll_log)
        assert [kind for kind, _n in polls].count("full") == 1
        assert sum(n for kind, n in polls if kind == "changes") == 1
        assert polls[-1] == ("changes", 0)
        assert set(record.updated) == {before[station]} and fid_map(layer) == before
        # What went over the wire: the broker was asked for modified entities only.
        asked = entity_listings(sim, start)
        term = "dateModified>" if flavor == "ngsi-v2" else 'modifiedAt>"'
        assert sum(term in path for path in asked) >= len(polls) - 1
        if flavor == "ngsi-ld":  # each listing asks for modifiedAt (only counting does not)
            assert all("sysAttrs" in path for path in asked if term in path and "limit=0" not in path)
    finally:
        updater.stop()


def test_ld_polling_still_lists_completely_now_and_then_for_deletions(qgis_app, sim):
    import requests

    cfg = ConnectionConfig(url=sim.url, flavor="ngsi-ld", tenant="okazaki")
    layer = load_entity_layer(cfg, "WaterObserved")
    before = fid_map(layer)
    updater = LiveLayerUpdater(layer, cfg, mode="polling", interval=0.2, full_sync_every=3)
    record = Recorder(updater)
    updater.start()
    try:
        wait_until(lambda: record.syncs >= 1)
        gone = sorted(before)[0]
        deleted = requests.delete(
            f"{sim.url}/ngsi-ld/v1/entities/{gone}", headers={"NGSILD-Tenant": "okazaki"}, timeout=10
        )
        assert deleted.status_code == 204
        wait_until(lambda: record.removed == [before[gone]])
        kinds = [kind for kind, _n in updater.poll_log]
        assert updater.incremental is True and kinds.count("full") >= 2 and "changes" in kinds
        assert fid_map(layer) == {k: v for k, v in before.items() if k != gone}
    finally:
        updater.stop()


class _NoTimeFilterServer:
    """A broker that refuses some ``q`` on modification times (as some deployments answer 400)."""

    def __init__(self, refused: tuple[str, ...] = ("dateModified", "modifiedAt")) -> None:
        from smartcity_qgis.cityos_sim.http_api import ApiError
        from smartcity_qgis.cityos_sim.server import SimServer

        class Server(SimServer):
            def _route(self, req):
                q = req.params.get("q") or ""
                if any(text in q for text in refused):
                    raise ApiError(400, "unknown attribute in q", "BadRequestData")
                return super()._route(req)

        self.server = Server(scenario="okazaki", auto_advance=False)


def test_ld_polling_uses_bare_date_times_where_quoted_ones_are_refused(qgis_app):
    server = _NoTimeFilterServer(refused=('modifiedAt>"',)).server
    cfg = ConnectionConfig(url=server.url, flavor="ngsi-ld", tenant="okazaki")
    layer = load_entity_layer(cfg, "WaterObserved")
    before = fid_map(layer)
    updater = LiveLayerUpdater(layer, cfg, mode="polling", interval=0.2, full_sync_every=1000)
    record = Recorder(updater)
    updater.start()
    try:
        wait_until(lambda: record.syncs >= 1 and len(updater.poll_log) >= 2)
        assert updater.incremental is True
        station = sorted(before)[4]
        server.update_entity(station, {"waterLevel": 1.75}, tenant="okazaki")
        wait_until(lambda: value_of(layer, station, "waterLevel") == pytest.approx(1.75))
        assert sum(n for kind, n in updater.poll_log if kind == "changes") == 1
        assert any("modifiedAt>2" in path for path in entity_listings(server, 0))
        assert updater.state == LIVE and set(record.updated) == {before[station]}
    finally:
        updater.stop()
        server.stop()


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_polling_falls_back_to_complete_lists_without_the_time_filter(qgis_app, flavor):
    server = _NoTimeFilterServer().server
    cfg = ConnectionConfig(url=server.url, flavor=flavor, tenant="okazaki")
    layer = load_entity_layer(cfg, "WaterObserved")
    before = fid_map(layer)
    updater = LiveLayerUpdater(layer, cfg, mode="polling", interval=0.2)
    record = Recorder(updater)
    updater.start()
    try:
        wait_until(lambda: record.syncs >= 1)
        assert updater.incremental is False
        station = sorted(before)[1]
        server.update_entity(station, {"waterLevel": 2.25}, tenant="okazaki")
        wait_until(lambda: value_of(layer, station, "waterLevel") == pytest.approx(2.25))
        assert {kind for kind, _n in updater.poll_log} == {"full"}
        assert all(n == len(before) for _kind, n in updater.poll_log)
        assert set(record.updated) == {before[station]} and fid_map(layer) == before
        assert updater.state == LIVE
    finally:
        updater.stop()
        server.stop()


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_incremental_polling_misses_no_change_while_the_city_os_keeps_changing(qgis_app, flavor):
    from smartcity_qgis.cityos_client import CityOSClient

    server = start_server(
        scenario="synthetic", entities=1500, types=["CrowdFlowObserved"], updates_per_second=20, auto_advance=False
    )
    cfg = ConnectionConfig(url=server.url, flavor=flavor, tenant="synthetic")
    layer = load_entity_layer(cfg, "CrowdFlowObserved")
    # No complete list after the first: every change must come through the modification-time filter.
    updater = LiveLayerUpdater(layer, cfg, mode="polling", interval=0.1, full_sync_every=100_000)
    record = Recorder(updater)
    stop = threading.Event()

    def keep_changing() -> None:  # about 1,200 changes a step, while the updater polls
        while not stop.wait(0.05):
            server.advance(60)

    changer = threading.Thread(target=keep_changing, daemon=True)
    updater.start()
    try:
        wait_until(lambda: record.syncs >= 1)
        changer.start()
        spin(3.0)
        stop.set()
        changer.join(timeout=10)
        seen = len(updater.poll_log)
        wait_until(lambda: len(updater.poll_log) >= seen + 3 and updater.poll_log[-1] == ("changes", 0))
        spin(0.5)  # the last batches reach the layer
        assert updater.incremental is True
        assert [kind for kind, _n in updater.poll_log].count("full") == 1
        assert sum(n for kind, n in updater.poll_log if kind == "changes") > 1500
        with CityOSClient(cfg) as client:
            truth = {e.id: e.attributes["peopleCount"].value for e in client.iter_entities("CrowdFlowObserved")}
        on_map = {f["entity_id"]: f["peopleCount"] for f in layer.getFeatures()}
        assert on_map == truth
    finally:
        stop.set()
        updater.stop()
        server.stop()
