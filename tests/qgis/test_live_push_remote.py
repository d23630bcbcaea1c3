"""Live layers with HTTP push across machines, and stopping that never waits on the network.

The broker listens on 127.0.0.2, QGIS's receiver on 127.0.0.3.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest

from smartcity_qgis.cityos_client import ConnectionConfig
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.layers import load_entity_layer
from smartcity_qgis.layers.cityos.live import LIVE, STOPPED, WAITING, LiveLayerUpdater
from smartcity_qgis.layers.cityos.profile_owner import profile_owner
from tests.qgis.entity_layer_helpers import wait_until
from tests.unit.test_cityos_push_remote import free_port_on


@pytest.fixture
def remote_broker():
    srv = start_server(scenario="okazaki", host="127.0.0.2", auto_advance=False)
    yield srv
    srv.stop()


def test_http_push_waits_for_the_broker_then_goes_live(qgis_app, remote_broker):
    port = free_port_on("127.0.0.3")
    cfg = ConnectionConfig(
        url=remote_broker.url, tenant="okazaki", push_host="127.0.0.3", push_port=port,
        notify_url=f"http://127.0.0.3:{port}",
    )  # fmt: skip
    layer = load_entity_layer(cfg, "WaterObserved")
    updater = LiveLayerUpdater(layer, cfg, mode="http", interval=3600)
    states: list[tuple[str, str]] = []
    updater.state_changed.connect(lambda state, detail: states.append((state, detail)))
    updater.start()
    try:
        wait_until(lambda: updater.state == WAITING)
        assert f"127.0.0.3:{port}" in updater.last_error and "/notify/" not in updater.last_error
        (body,) = [s.body for s in remote_broker.subs.subs["okazaki"].values()]
        assert body["description"].startswith(f"smartcity-qgis owner={profile_owner()} ")
        assert "expires" in body
        station = sorted(f["entity_id"] for f in layer.getFeatures())[0]
        remote_broker.update_entity(station, {"waterLevel": 2.5}, tenant="okazaki")
        wait_until(lambda: updater.state == LIVE)
        wait_until(lambda: next(f["waterLevel"] for f in layer.getFeatures() if f["entity_id"] == station) == 2.5)
    finally:
        updater.stop()
    order = [state for state, _detail in states]
    assert order.index(WAITING) < order.index(LIVE)  # "live" only once the broker's notifications arrive


def test_a_wrong_notify_url_makes_the_layer_say_nothing_arrives(qgis_app, remote_broker):
    wrong = free_port_on("127.0.0.3")  # nothing listens there: the broker cannot deliver
    cfg = ConnectionConfig(url=remote_broker.url, tenant="okazaki", notify_url=f"http://127.0.0.3:{wrong}")
    layer = load_entity_layer(cfg, "WaterObserved")
    updater = LiveLayerUpdater(layer, cfg, mode="http", interval=3600, push_silence=1.0)
    updater.start()
    try:
        wait_until(lambda: updater.state == WAITING)
        station = sorted(f["entity_id"] for f in layer.getFeatures())[0]
        remote_broker.update_entity(station, {"waterLevel": 2.75}, tenant="okazaki")
        wait_until(lambda: "cannot reach" in updater.last_error or "cannot deliver" in updater.last_error)
        assert f"127.0.0.3:{wrong}" in updater.last_error
        assert updater.state == WAITING  # never "live" while nothing arrives
    finally:
        updater.stop()


class HangingBroker:
    """Accepts connections and never answers (a broker stuck behind a dead gateway)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.accepted: list[socket.socket] = []
        self._closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        """Go away for good: the listening socket too, so that a retry is refused at once."""
        self._closed.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        self.sock.close()
        for conn in self.accepted:
            conn.close()


def test_stopping_ten_live_layers_with_hanging_requests_returns_at_once(qgis_app):
    with start_server(scenario="okazaki", auto_advance=False) as srv:
        layers = [
            load_entity_layer(ConnectionConfig(url=srv.url, tenant="okazaki"), "WaterObserved") for _ in range(10)
        ]
    hanging = HangingBroker()
    try:
        cfg = ConnectionConfig(url=hanging.url, tenant="okazaki", read_timeout=30, connect_timeout=5)
        updaters = [LiveLayerUpdater(layer, cfg, mode="polling", interval=1) for layer in layers]
        for updater in updaters:
            updater.start()
        wait_until(lambda: len(hanging.accepted) >= 10)  # every updater is blocked in a request
        threads = [u._thread for u in updaters]
        started = time.monotonic()
        for updater in updaters:
            updater.stop()
        elapsed = time.monotonic() - started
        # Behaviour, not speed: stop returned while every request still hangs (30 s timeout).
        assert all(t.is_alive() for t in threads)
        assert elapsed < 1.0, f"stopping took {elapsed:.2f} s"
        assert all(u.state == STOPPED and not u.is_running() for u in updaters)
    finally:
        hanging.close()
    # The threads end by themselves once their requests fail.
    wait_until(lambda: not any(t.is_alive() for t in threads), timeout=20)
