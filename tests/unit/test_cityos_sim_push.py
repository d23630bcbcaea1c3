"""Subscriptions of the embedded city OS notify by HTTP and by MQTT; history follows every change."""

from __future__ import annotations

import json
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import paho.mqtt.client as mqtt
import pytest
import requests

from smartcity_qgis.cityos_sim import start_server

STATION = "urn:ngsi-ld:WaterObserved:okazaki-otogawa-tonobashi"


class Receiver:
    """A loopback HTTP endpoint collecting notification bodies and headers."""

    def __init__(self) -> None:
        self.got: queue.Queue = queue.Queue()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.got.put((self.headers, json.loads(body)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/notify"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next(self, timeout: float = 10.0):
        return self.got.get(timeout=timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class MqttListener:
    def __init__(self, port: int, topic: str) -> None:
        self.got: queue.Queue = queue.Queue()
        if hasattr(mqtt, "CallbackAPIVersion"):
            self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        else:
            self.client = mqtt.Client()
        ready = threading.Event()
        self.client.on_subscribe = lambda *a: ready.set()
        self.client.on_message = lambda _c, _u, msg: self.got.put((msg.topic, json.loads(msg.payload)))
        self.client.on_connect = lambda c, *a: c.subscribe(topic)
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()
        assert ready.wait(10), "MQTT subscription not acknowledged"

    def next(self, timeout: float = 10.0):
        return self.got.get(timeout=timeout)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


@pytest.fixture
def receiver():
    rec = Receiver()
    yield rec
    rec.close()


@pytest.fixture
def sim():
    with start_server(scenario="okazaki", auto_advance=False) as srv:
        yield srv


def test_v2_http_subscription_notifies_changes(sim, receiver):
    body = {
        "description": "river levels",
        "subject": {"entities": [{"idPattern": ".*", "type": "WaterObserved"}], "condition": {"attrs": ["waterLevel"]}},
        "notification": {
            "http": {"url": receiver.url},
            "attrs": ["waterLevel", "stationName"],
            "attrsFormat": "keyValues",
        },
    }
    r = requests.post(sim.url + "/v2/subscriptions", json=body, timeout=10)
    assert r.status_code == 201
    sub_url = sim.url + r.headers["Location"]
    sim.update_entity(STATION, {"waterLevel": 3.9})
    headers, note = receiver.next()
    assert note["subscriptionId"] == r.headers["Location"].rsplit("/", 1)[1]
    assert note["data"] == [{"id": STATION, "type": "WaterObserved", "waterLevel": 3.9, "stationName": "殿橋"}]
    assert headers["Fiware-Service"] == "okazaki" and headers["Ngsiv2-AttrsFormat"] == "keyValues"
    assert sim.subs.wait_idle()
    view = requests.get(sub_url, timeout=10).json()
    assert view["notification"]["timesSent"] == 1 and view["status"] == "active"
    # a change of an attribute the subscription does not watch sends nothing
    sim.update_entity(STATION, {"stationName": "殿橋 改"})
    assert sim.subs.wait_idle()
    assert receiver.got.empty()
    assert requests.delete(sub_url, timeout=10).status_code == 204
    sim.update_entity(STATION, {"waterLevel": 1.0})
    assert sim.subs.wait_idle() and receiver.got.empty()
    assert requests.get(sub_url, timeout=10).status_code == 404


def test_v2_subscription_q_condition_and_tenant(sim, receiver):
    body = {
        "subject": {
            "entities": [{"idPattern": ".*", "type": "WaterObserved"}],
            "condition": {"attrs": ["waterLevel"], "expression": {"q": "waterLevel>=5"}},
        },
        "notification": {"http": {"url": receiver.url}},
    }
    assert (
        requests.post(
            sim.url + "/v2/subscriptions", json=body, headers={"Fiware-Service": "toyota"}, timeout=10
        ).status_code
        == 201
    )
    sim.update_entity(STATION, {"waterLevel": 9.0})  # Okazaki: other tenant, no notification
    sim.update_entity("urn:ngsi-ld:WaterObserved:toyota-yahagi-takahashi", {"waterLevel": 2.0}, tenant="toyota")
    sim.update_entity("urn:ngsi-ld:WaterObserved:toyota-yahagi-takahashi", {"waterLevel": 5.4}, tenant="toyota")
    headers, note = receiver.next()
    assert headers["Fiware-Service"] == "toyota"
    assert note["data"][0]["waterLevel"]["value"] == 5.4
    assert sim.subs.wait_idle() and receiver.got.empty()
    listing = requests.get(sim.url + "/v2/subscriptions", headers={"Fiware-Service": "toyota"}, timeout=10).json()
    assert len(listing) == 1
    assert requests.get(sim.url + "/v2/subscriptions", timeout=10).json() == []


def test_v2_subscription_errors(sim):
    r = requests.post(sim.url + "/v2/subscriptions", json={"notification": {"http": {"url": "http://x"}}}, timeout=10)
    assert r.status_code == 400 and r.json()["error"] == "BadRequest"
    r = requests.post(
        sim.url + "/v2/subscriptions",
        json={"subject": {"entities": [{"type": "T"}]}, "notification": {"mqtt": {"topic": "t"}}},
        timeout=10,
    )
    assert r.status_code == 400  # no MQTT url and no default broker


def test_v2_mqtt_subscription(sim, mosquitto_port):
    listener = MqttListener(mosquitto_port, "okazaki/rivers")
    try:
        body = {
            "subject": {"entities": [{"id": STATION}]},
            "notification": {"mqtt": {"url": f"mqtt://127.0.0.1:{mosquitto_port}", "topic": "okazaki/rivers"}},
        }
        assert requests.post(sim.url + "/v2/subscriptions", json=body, timeout=10).status_code == 201
        sim.update_entity(STATION, {"waterLevel": 4.2})
        topic, note = listener.next()
        assert topic == "okazaki/rivers"
        assert note["data"][0]["id"] == STATION and note["data"][0]["waterLevel"]["value"] == 4.2
        assert sim.stats["notifications_sent"] >= 1
    finally:
        listener.close()


def test_ld_http_subscription(sim, receiver):
    body = {
        "type": "Subscription",
        "entities": [{"type": "WaterObserved"}],
        "watchedAttributes": ["waterLevel"],
        "q": "waterLevel>3",
        "notification": {
            "attributes": ["waterLevel"],
            "format": "normalized",
            "endpoint": {"uri": receiver.url, "accept": "application/json"},
        },
    }
    r = requests.post(sim.url + "/ngsi-ld/v1/subscriptions", json=body, timeout=10)
    assert r.status_code == 201
    sub_id = r.headers["Location"].rsplit("/", 1)[1]
    sim.update_entity(STATION, {"waterLevel": 2.0})
    sim.update_entity(STATION, {"waterLevel": 3.5})
    headers, note = receiver.next()
    assert note["type"] == "Notification" and note["subscriptionId"] == sub_id and "notifiedAt" in note
    assert note["data"][0]["waterLevel"]["value"] == 3.5 and "stationName" not in note["data"][0]
    assert "ngsi-ld-core-context" in headers["Link"]
    assert sim.subs.wait_idle() and receiver.got.empty()
    view = requests.get(sim.url + r.headers["Location"], timeout=10).json()
    assert view["id"] == sub_id and view["notification"]["timesSent"] == 1
    bad = requests.post(sim.url + "/ngsi-ld/v1/subscriptions", json={"type": "Subscription"}, timeout=10)
    assert bad.status_code == 400 and bad.json()["type"].endswith("BadRequestData")
    assert requests.delete(sim.url + r.headers["Location"], timeout=10).status_code == 204


def test_ld_mqtt_notification_is_wrapped(sim, mosquitto_port):
    listener = MqttListener(mosquitto_port, "ld/crowd")
    try:
        body = {
            "type": "Subscription",
            "entities": [{"type": "CrowdFlowObserved"}],
            "notification": {"format": "keyValues", "endpoint": {"uri": f"mqtt://127.0.0.1:{mosquitto_port}/ld/crowd"}},
        }
        assert requests.post(sim.url + "/ngsi-ld/v1/subscriptions", json=body, timeout=10).status_code == 201
        eid = "urn:ngsi-ld:CrowdFlowObserved:okazaki-quruwa-okazaki-park"
        sim.update_entity(eid, {"peopleCount": 1234})
        _topic, message = listener.next()
        assert set(message) == {"metadata", "body"}
        assert message["body"]["type"] == "Notification"
        assert message["body"]["data"][0]["peopleCount"] == 1234
    finally:
        listener.close()


def test_history_and_quantumleap(sim):
    for level in (1.1, 1.7, 2.9):
        sim.update_entity(STATION, {"waterLevel": level})
    r = requests.get(f"{sim.url}/ql/v2/entities/{STATION}/attrs/waterLevel", timeout=10)
    body = r.json()
    assert body["entityId"] == STATION and body["attrName"] == "waterLevel"
    assert body["values"][-3:] == [1.1, 1.7, 2.9] and len(body["index"]) == len(body["values"])
    last = requests.get(f"{sim.url}/ql/v2/entities/{STATION}/attrs/waterLevel", params={"lastN": 2}, timeout=10).json()
    assert last["values"] == [1.7, 2.9]
    assert requests.get(f"{sim.url}/ql/v2/entities/nothing/attrs/x", timeout=10).status_code == 404
    modified = requests.get(
        f"{sim.url}/v2/entities/{STATION}", params={"attrs": "dateModified,dateCreated"}, timeout=10
    ).json()
    assert modified["dateModified"]["value"] >= modified["dateCreated"]["value"]


def test_history_is_bounded(sim):
    from smartcity_qgis.cityos_sim.store import HISTORY_MAX

    # Car parks and people counters start with months of archived history; air quality does not.
    eid = "urn:ngsi-ld:AirQualityObserved:okazaki-kosei"
    for i in range(HISTORY_MAX + 50):
        sim.update_entity(eid, {"no2": i % 250})
    body = requests.get(f"{sim.url}/ql/v2/entities/{eid}/attrs/no2", timeout=10).json()
    assert len(body["values"]) == HISTORY_MAX and body["values"][-1] == (HISTORY_MAX + 49) % 250


def test_auto_advance_changes_values_by_itself(mosquitto_port):
    with start_server(scenario="okazaki", speed=600, mqtt_url=f"mqtt://127.0.0.1:{mosquitto_port}") as srv:
        first = srv.clock
        deadline = time.monotonic() + 20
        while srv.clock - first < 1200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert srv.clock - first >= 1200
        body = requests.get(f"{srv.url}/ql/v2/entities/{STATION}/attrs/waterLevel", timeout=10).json()
        assert len(body["values"]) > 2


def test_throttling_limits_notifications(sim, receiver):
    body = {
        "subject": {"entities": [{"id": STATION}]},
        "notification": {"http": {"url": receiver.url}},
        "throttling": 3600,
    }
    assert requests.post(sim.url + "/v2/subscriptions", json=body, timeout=10).status_code == 201
    for level in (1.5, 1.6, 1.7):
        sim.update_entity(STATION, {"waterLevel": level})
    _headers, note = receiver.next()
    assert note["data"][0]["waterLevel"]["value"] == 1.5
    assert sim.subs.wait_idle() and receiver.got.empty()
    bad = dict(body, throttling="soon")
    assert requests.post(sim.url + "/v2/subscriptions", json=bad, timeout=10).status_code == 400
