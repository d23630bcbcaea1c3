"""Push subscriptions (HTTP receiver, MQTT with reconnection) and history, against loopback servers."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
import pytest
import requests

from smartcity_qgis.cityos_client import CityOSClient, CityOSError, ConnectionConfig, InvalidEntityError
from tests.conftest import free_port, wait_for_port
from tests.unit.cityos_fake_broker import FakeBroker

V2_ENTITY = {
    "id": "urn:ngsi-ld:WaterObserved:otogawa-1",
    "type": "WaterObserved",
    "waterLevel": {"type": "Number", "value": 3.1},
    "location": {"type": "geo:json", "value": {"type": "Point", "coordinates": [137.1631, 34.9551]}},
}
LD_ENTITY = {
    "id": "urn:ngsi-ld:WaterObserved:otogawa-1",
    "type": "WaterObserved",
    "waterLevel": {"type": "Property", "value": 3.1},
    "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [137.1631, 34.9551]}},
}


@pytest.fixture(params=["ngsi-v2", "ngsi-ld"])
def flavor(request):
    return request.param


@pytest.fixture
def broker(flavor):
    b = FakeBroker(flavor)
    yield b
    b.stop()


def make_client(b: FakeBroker, flavor: str, **options) -> CityOSClient:
    return CityOSClient(ConnectionConfig(url=b.url, flavor=flavor, proxies={}, **options))


def notification(flavor: str, entity: dict) -> dict:
    if flavor == "ngsi-v2":
        return {"subscriptionId": "sub1", "data": [entity]}
    return {
        "id": "urn:ngsi-ld:Notification:1",
        "type": "Notification",
        "subscriptionId": "sub1",
        "notifiedAt": "2026-07-01T09:30:00.000Z",
        "data": [entity],
    }


class Collector:
    def __init__(self):
        self.entities = []
        self.errors = []
        self.event = threading.Event()

    def on_change(self, entity):
        self.entities.append(entity)
        self.event.set()

    def wait(self, count=1, timeout=10.0):
        deadline = time.monotonic() + timeout
        while len(self.entities) < count and time.monotonic() < deadline:
            self.event.wait(0.05)
            self.event.clear()
        return len(self.entities) >= count


# -- HTTP notifications ------------------------------------------------------------------------
def test_http_notifications_reach_a_local_receiver_and_close_deletes(broker, flavor):
    got = Collector()
    sub = make_client(broker, flavor).subscribe(
        "WaterObserved", got.on_change, transport="http", on_error=got.errors.append
    )
    (body,) = broker.subscriptions.values()
    if flavor == "ngsi-v2":
        url = body["notification"]["http"]["url"]
        assert body["subject"]["entities"] == [{"idPattern": ".*", "type": "WaterObserved"}]
    else:
        url = body["notification"]["endpoint"]["uri"]
        assert body["type"] == "Subscription" and body["entities"] == [{"type": "WaterObserved"}]
    assert urlsplit(url).hostname == "127.0.0.1"
    entity = V2_ENTITY if flavor == "ngsi-v2" else LD_ENTITY
    answer = requests.post(url, json=notification(flavor, entity), timeout=5, proxies={"http": ""})
    assert answer.status_code == 204
    assert got.wait(1)
    assert got.entities[0].value("waterLevel") == 3.1 and got.entities[0].geometry.wkt == "POINT (137.1631 34.9551)"
    # A broken message is reported, not raised on the receiver thread.
    requests.post(url, data=b"{not json", timeout=5, proxies={"http": ""})
    assert requests.post(url.rsplit("/", 1)[0] + "/guess", json={}, timeout=5, proxies={"http": ""}).status_code == 404
    deadline = time.monotonic() + 5
    while not got.errors and time.monotonic() < deadline:
        time.sleep(0.02)
    assert isinstance(got.errors[0], InvalidEntityError) and "not JSON" in str(got.errors[0])
    sub.close()
    assert broker.subscriptions == {}
    assert broker.received[-1].method == "DELETE" and broker.received[-1].path.endswith(sub.id)
    with pytest.raises(requests.ConnectionError):
        requests.post(url, json=notification(flavor, entity), timeout=2, proxies={"http": ""})
    sub.close()  # closing twice is harmless


def test_closing_a_subscription_already_gone_is_fine(broker, flavor):
    """Expired or removed by an administrator: the broker's 404 ends the close quietly, and the receiver stops."""
    sub = make_client(broker, flavor).subscribe("WaterObserved", lambda e: None, transport="http")
    (body,) = broker.subscriptions.values()
    url = body["notification"]["http"]["url"] if flavor == "ngsi-v2" else body["notification"]["endpoint"]["uri"]
    broker.subscriptions.clear()
    sub.close()  # raises nothing
    delete = broker.received[-1]
    assert delete.method == "DELETE" and delete.path.endswith(sub.id), "the close still asked the broker"
    assert [r.method for r in broker.received].count("DELETE") == 1, "a 404 is not retried"
    assert broker.subscriptions == {}
    entity = V2_ENTITY if flavor == "ngsi-v2" else LD_ENTITY
    with pytest.raises(requests.ConnectionError):
        requests.post(url, json=notification(flavor, entity), timeout=2, proxies={"http": ""})


def test_mqtt_needs_a_broker_url(broker, flavor):
    with pytest.raises(CityOSError) as info:
        make_client(broker, flavor).subscribe("WaterObserved", lambda e: None, transport="mqtt")
    assert "MQTT" in str(info.value)
    assert broker.subscriptions == {}


# -- MQTT notifications ------------------------------------------------------------------------
def publish(port: int, topic: str, payload: dict) -> None:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2) if hasattr(mqtt, "CallbackAPIVersion") else mqtt.Client()
    client.connect("127.0.0.1", port)
    client.loop_start()
    client.publish(topic, json.dumps(payload), qos=1).wait_for_publish(5)
    client.loop_stop()
    client.disconnect()


def mqtt_topic(flavor: str, body: dict) -> str:
    if flavor == "ngsi-v2":
        return body["notification"]["mqtt"]["topic"]
    return urlsplit(body["notification"]["endpoint"]["uri"]).path.lstrip("/")


def test_mqtt_notifications_of_both_flavors(broker, flavor, mosquitto_port):
    got = Collector()
    url = f"mqtt://127.0.0.1:{mosquitto_port}"
    sub = make_client(broker, flavor, mqtt_url=url).subscribe(
        "WaterObserved", got.on_change, on_error=got.errors.append
    )
    (body,) = broker.subscriptions.values()
    if flavor == "ngsi-v2":
        assert body["notification"]["mqtt"]["url"] == url
    else:
        assert body["notification"]["endpoint"]["uri"].startswith(url + "/")
    entity = V2_ENTITY if flavor == "ngsi-v2" else LD_ENTITY
    message = notification(flavor, entity)
    if flavor == "ngsi-ld":  # Orion-LD wraps MQTT notifications
        message = {"metadata": {"Content-Type": "application/json"}, "body": message}
    publish(mosquitto_port, mqtt_topic(flavor, body), message)
    assert got.wait(1), got.errors
    assert got.entities[0].id == entity["id"] and got.entities[0].value("waterLevel") == 3.1
    sub.close()
    assert broker.subscriptions == {}


def test_mqtt_reconnects_after_the_broker_restarts(tmp_path):
    exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    port = free_port()
    conf = Path(tmp_path / "mosquitto.conf")
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")

    def start():
        proc = subprocess.Popen([exe, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(port)
        return proc

    proc = start()
    broker = FakeBroker("ngsi-v2")
    got = Collector()
    try:
        sub = make_client(broker, "ngsi-v2", mqtt_url=f"mqtt://127.0.0.1:{port}").subscribe(
            "WaterObserved", got.on_change
        )
        topic = mqtt_topic("ngsi-v2", next(iter(broker.subscriptions.values())))
        proc.terminate()
        proc.wait(10)
        deadline = time.monotonic() + 10
        while sub.connected.is_set() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not sub.connected.is_set()
        proc = start()
        assert sub.connected.wait(40), "the subscription did not come back after the MQTT server restarted"
        publish(port, topic, notification("ngsi-v2", V2_ENTITY))
        assert got.wait(1)
        sub.close()
    finally:
        broker.stop()
        proc.terminate()
        proc.wait(10)


# -- history -----------------------------------------------------------------------------------
T0 = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def ld_broker():
    b = FakeBroker("ngsi-ld")
    yield b
    b.stop()


@pytest.fixture
def v2_broker():
    b = FakeBroker("ngsi-v2")
    yield b
    b.stop()


def test_ld_temporal_history_with_temporal_values(ld_broker):
    broker, flavor = ld_broker, "ngsi-ld"
    eid = LD_ENTITY["id"]
    broker.temporal[eid] = lambda rec: (
        200,
        {
            "id": eid,
            "type": "WaterObserved",
            "waterLevel": {
                "type": "Property",
                "values": [[2.0, "2026-07-01T09:10:00Z"], [1.5, "2026-07-01T09:00:00Z"]],
            },
        },
    )
    points = make_client(broker, flavor).history(eid, "waterLevel", start=T0, end=T0 + timedelta(hours=1), last_n=5)
    assert points == [(T0, 1.5), (T0 + timedelta(minutes=10), 2.0)]
    query = broker.received[-1].query
    assert query["options"] == "temporalValues" and query["attrs"] == "waterLevel"
    assert (query["timerel"], query["timeAt"], query["endTimeAt"], query["lastN"]) == (
        "between",
        "2026-07-01T09:00:00.000Z",
        "2026-07-01T10:00:00.000Z",
        "5",
    )


def test_ld_temporal_history_follows_partial_answers_and_normalized_instances(ld_broker):
    broker, flavor = ld_broker, "ngsi-ld"
    eid = LD_ENTITY["id"]
    calls = []

    def answer(rec):
        calls.append(rec.query)
        if len(calls) == 1:
            return 206, {
                "id": eid,
                "waterLevel": [
                    {"type": "Property", "value": 1.0, "observedAt": "2026-07-01T09:00:00Z"},
                    {"type": "Property", "value": 1.1, "observedAt": "2026-07-01T09:05:00Z"},
                ],
            }
        return 200, {
            "id": eid,
            "waterLevel": [
                {"type": "Property", "value": 1.1, "observedAt": "2026-07-01T09:05:00Z"},
                {"type": "Property", "value": 1.2, "observedAt": "2026-07-01T09:10:00Z"},
            ],
        }

    broker.temporal[eid] = answer
    points = make_client(broker, flavor).history(eid, "waterLevel")
    assert [v for _, v in points] == [1.0, 1.1, 1.2]
    assert calls[1]["timerel"] == "after" and calls[1]["timeAt"] == "2026-07-01T09:05:00.000Z"


def test_quantumleap_history_pages_and_sends_the_tenant(v2_broker):
    broker, flavor = v2_broker, "ngsi-v2"
    eid = V2_ENTITY["id"]
    total = 23_000

    def answer(rec):
        offset, limit = int(rec.query["offset"]), int(rec.query["limit"])
        idx = range(offset, min(total, offset + limit))
        return {
            "entityId": eid,
            "attrName": "waterLevel",
            "index": [(T0 + timedelta(seconds=i)).isoformat() for i in idx],
            "values": [i / 1000 for i in idx],
        }

    broker.quantumleap[f"{eid}/attrs/waterLevel"] = answer
    c = make_client(broker, flavor, tenant="okazaki", service_path="/rivers", timeseries_url=broker.url)
    points = c.history(eid, "waterLevel", start=T0)
    assert len(points) == total and points[0] == (T0, 0.0) and points[-1][1] == (total - 1) / 1000
    pages = broker.requests_to("/attrs/waterLevel")
    assert [p.query["offset"] for p in pages] == ["0", "10000", "20000"]
    assert pages[0].headers["Fiware-Service"] == "okazaki" and pages[0].headers["Fiware-ServicePath"] == "/rivers"
    assert pages[0].query["fromDate"] == "2026-07-01T09:00:00.000Z"


def test_v2_history_without_a_time_series_url_says_what_is_missing(v2_broker):
    broker, flavor = v2_broker, "ngsi-v2"
    with pytest.raises(CityOSError) as info:
        make_client(broker, flavor).history("urn:x", "waterLevel")
    assert "QuantumLeap" in str(info.value)
