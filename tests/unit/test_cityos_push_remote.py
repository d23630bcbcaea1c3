"""HTTP push across machines, subscriptions with expiry, and stale ones left by a crash.

The broker (the embedded city OS) listens on 127.0.0.2 and the receiver on 127.0.0.3, the
notification URL given explicitly, as for a QGIS on another machine than the broker.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import time

import pytest
import requests

from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig
from smartcity_qgis.cityos_client.push import MAX_KEPT
from smartcity_qgis.cityos_sim import start_server
from tests.conftest import REPO

STATION = "urn:ngsi-ld:WaterObserved:okazaki-otogawa-tonobashi"


def free_port_on(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@pytest.fixture
def remote_broker():
    srv = start_server(scenario="okazaki", host="127.0.0.2", auto_advance=False)
    yield srv
    srv.stop()


def subscriptions(srv) -> dict:
    return {sid: sub.body for sid, sub in srv.subs.subs.get("okazaki", {}).items()}


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_notifications_cross_from_the_broker_host_to_the_receiver_host(remote_broker, flavor):
    port = free_port_on("127.0.0.3")
    config = ConnectionConfig(url=remote_broker.url, flavor=flavor, tenant="okazaki")
    got = []
    with CityOSClient(config) as client:
        sub = client.subscribe(
            "WaterObserved", got.append, transport="http", host="127.0.0.3", port=port,
            notify_url=f"http://127.0.0.3:{port}", owner="profile-a", lifetime=600,
        )  # fmt: skip
        try:
            assert sub.notify_url.startswith(f"http://127.0.0.3:{port}/notify/")
            (body,) = subscriptions(remote_broker).values()
            assert ("expires" if flavor == "ngsi-v2" else "expiresAt") in body  # every subscription expires
            assert body["description"].startswith("smartcity-qgis owner=profile-a ")
            assert not sub.first_notification.is_set()
            remote_broker.update_entity(STATION, {"waterLevel": 3.75}, tenant="okazaki")
            wait_for(lambda: any(e.id == STATION and e.value("waterLevel") == 3.75 for e in got))
            assert sub.first_notification.is_set() and sub.notifications >= 1
        finally:
            sub.close()
    assert subscriptions(remote_broker) == {}


def test_a_reverse_proxy_prefix_in_the_notify_url_still_reaches_the_receiver(remote_broker):
    config = ConnectionConfig(url=remote_broker.url, tenant="okazaki", notify_url="http://127.0.0.3:1/gw/qgis/")
    with CityOSClient(config) as client:
        sub = client.subscribe("WaterObserved", lambda e: None, transport="http", host="127.0.0.3")
        try:
            assert sub.notify_url.startswith("http://127.0.0.3:1/gw/qgis/notify/")
            secret = sub.notify_url.rsplit("/", 1)[-1]
            # What the proxy forwards (prefix kept) is accepted; a guessed path is not.
            receiver = f"http://127.0.0.3:{sub._receiver.port}"
            body = {"subscriptionId": sub.id, "data": []}
            forwarded = requests.post(f"{receiver}/gw/qgis/notify/{secret}", json=body, timeout=5)
            guessed = requests.post(f"{receiver}/gw/qgis/notify/guess", json=body, timeout=5)
            assert (forwarded.status_code, guessed.status_code) == (204, 404)
        finally:
            sub.close()


def test_subscriptions_are_renewed_before_they_expire_and_recreated_when_gone(remote_broker):
    config = ConnectionConfig(url=remote_broker.url, tenant="okazaki")
    with CityOSClient(config) as client:
        sub = client.subscribe("WaterObserved", lambda e: None, transport="http", lifetime=60)
        try:
            first_expiry = subscriptions(remote_broker)[sub.id]["expires"]
            assert not sub.renew_if_due()  # most of the lifetime is left
            assert sub.renew_if_due(now=time.time() + 35)
            assert subscriptions(remote_broker)[sub.id]["expires"] > first_expiry
            remote_broker.subs.subs["okazaki"].clear()  # expired while the broker was unreachable
            old_id = sub.id
            assert sub.renew_if_due(now=time.time() + 35)
            assert sub.id != old_id and list(subscriptions(remote_broker)) == [sub.id]
        finally:
            sub.close()


def test_a_crashed_sessions_subscriptions_are_removed_and_no_one_elses(remote_broker):
    config = ConnectionConfig(url=remote_broker.url, tenant="okazaki")
    crashed = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import time
            from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig
            client = CityOSClient(ConnectionConfig(url={remote_broker.url!r}, tenant="okazaki"))
            sub = client.subscribe("WaterObserved", lambda e: None, transport="http", owner="profile-a")
            print(sub.id, flush=True)
            time.sleep(600)
        """)],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    crashed_id = crashed.stdout.readline().strip()
    crashed.kill()  # QGIS crashed: nothing deleted its subscription
    crashed.wait(timeout=10)
    other_tool = (
        requests.post(
            remote_broker.url + "/v2/subscriptions",
            headers={"Fiware-Service": "okazaki"},
            json={
                "description": "dashboard of the river office",
                "subject": {"entities": [{"idPattern": ".*", "type": "WaterObserved"}]},
                "notification": {"http": {"url": "http://127.0.0.9:9/notify"}},
            },
            timeout=5,
        )
        .headers["Location"]
        .rsplit("/", 1)[-1]
    )
    with CityOSClient(config) as client:
        colleague = client.subscribe("WaterObserved", lambda e: None, transport="http", owner="profile-b")
        mine_before = client.subscribe("WaterObserved", lambda e: None, transport="http", owner="profile-a")
        try:
            assert mine_before.stale_removed == [crashed_id]
            again = client.subscribe("WaterObserved", lambda e: None, transport="http", owner="profile-a")
            assert again.stale_removed == []  # this process's open subscription is not stale
            again.close()
            assert set(subscriptions(remote_broker)) == {other_tool, colleague.id, mine_before.id}
        finally:
            colleague.close()
            mine_before.close()
    assert set(subscriptions(remote_broker)) == {other_tool}


def test_rejected_notifications_and_errors_are_bounded(remote_broker):
    config = ConnectionConfig(url=remote_broker.url, tenant="okazaki")
    with CityOSClient(config) as client:
        sub = client.subscribe("WaterObserved", lambda e: None, transport="http")
        try:
            bad = json.dumps({"subscriptionId": sub.id, "data": [{"id": "x"}]})
            for _ in range(3 * MAX_KEPT):
                sub.deliver(bad)
                sub.deliver(b"{not json")
        finally:
            sub.close()
    assert len(sub.rejected) == MAX_KEPT and len(sub.errors) == MAX_KEPT
