"""Publishing notifications to MQTT brokers (paho-mqtt 1.x and 2.x)."""

from __future__ import annotations

import threading
import uuid
from typing import Any
from urllib.parse import urlsplit


def new_client(client_id: str) -> Any:
    """A paho client with the callback API both paho 1.x and 2.x accept (paho imported on first
    use: the city OS serves HTTP without it)."""
    import paho.mqtt.client as mqtt

    if hasattr(mqtt, "CallbackAPIVersion"):
        return mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)
    return mqtt.Client(client_id=client_id)


class MqttPublisher:
    """One connection per broker URL, opened on first use; paho reconnects it after a drop."""

    def __init__(self) -> None:
        self._clients: dict[tuple[str, int], Any] = {}
        self._lock = threading.Lock()

    def _client(self, url: str) -> Any:
        parts = urlsplit(url)
        key = (parts.hostname or "127.0.0.1", parts.port or 1883)
        with self._lock:
            client = self._clients.get(key)
            if client is not None:
                return client
            client = new_client(f"cityos-sim-{uuid.uuid4().hex[:12]}")
            if parts.username:
                client.username_pw_set(parts.username, parts.password)
            connected = threading.Event()
            client.on_connect = lambda *_args: connected.set()
            client.connect(key[0], key[1], keepalive=30)
            client.loop_start()
            if not connected.wait(5):
                client.loop_stop()
                raise ConnectionError(f"MQTT broker {key[0]}:{key[1]} did not accept the connection")
            self._clients[key] = client
            return client

    def publish(self, url: str, topic: str, payload: bytes, qos: int = 0) -> None:
        info = self._client(url).publish(topic, payload, qos=qos)
        if info.rc != 0:  # MQTT_ERR_SUCCESS
            raise ConnectionError(f"MQTT publish to {topic} failed (rc {info.rc})")
        if qos:
            info.wait_for_publish(5)

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                client.loop_stop()
                client.disconnect()
            self._clients.clear()
