"""Push subscriptions: the broker notifies changes over MQTT (paho) or HTTP (a local receiver).

Callbacks run on the MQTT or receiver thread; a GUI must hand the entities to
its main thread itself. Closing a `Subscription` deletes it on the broker.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, urlsplit

from smartcity_qgis.cityos_client.errors import (
    CityOSConnectionError,
    CityOSError,
    InvalidEntityError,
    NotFoundError,
    ServerError,
)
from smartcity_qgis.cityos_client.models import Entity
from smartcity_qgis.cityos_client.notifications import parse_notification
from smartcity_qgis.cityos_client.queries import LD_ROOT, V2_ROOT
from smartcity_qgis.cityos_client.session import BrokerSession

MAX_NOTIFICATION_BYTES = 16 * 1024 * 1024
TRANSPORTS = ("mqtt", "http")


def _subscription_body(
    client: BrokerSession,
    entity_type: str,
    endpoint: dict[str, Any],
    attrs: Sequence[str] | None,
    q: str | None,
    throttling: int | None,
    description: str,
) -> dict[str, Any]:
    if client.config.is_ld:
        body: dict[str, Any] = {
            "type": "Subscription",
            "description": description,
            "entities": [{"type": entity_type}],
            "notification": {"endpoint": endpoint, "format": "normalized"},
        }
        if attrs:
            body["notification"]["attributes"] = list(attrs)
        if q:
            body["q"] = q
        if throttling:
            body["throttling"] = throttling
        return body
    body = {
        "description": description,
        "subject": {"entities": [{"idPattern": ".*", "type": entity_type}]},
        "notification": {**endpoint, "attrsFormat": "normalized"},
    }
    if q:
        body["subject"]["condition"] = {"expression": {"q": q}}
    if attrs:
        body["notification"]["attrs"] = list(attrs)
    if throttling:
        body["throttling"] = throttling
    return body


class _Receiver(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    subscription: Subscription
    path_token: str


class _Handler(BaseHTTPRequestHandler):
    server: _Receiver
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        sub = self.server.subscription
        if self.path.split("?", 1)[0] != "/notify/" + self.server.path_token:
            self._answer(404)
            return
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit() or int(length) > MAX_NOTIFICATION_BYTES:
            self._answer(411 if length is None else 413)
            return
        body = self.rfile.read(int(length))
        self._answer(204)
        sub.deliver(body)

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return


class Subscription:
    """A live subscription on the broker; ``close()`` removes it and stops listening."""

    def __init__(
        self,
        client: BrokerSession,
        on_change: Callable[[Entity], Any],
        on_error: Callable[[Exception], Any] | None,
    ) -> None:
        self.client = client
        self.on_change = on_change
        self.on_error = on_error
        self.id: str | None = None
        self.transport = ""
        self.notifications = 0
        self.rejected: list[InvalidEntityError] = []
        self.errors: list[Exception] = []
        self.connected = threading.Event()
        self._mqtt: Any = None
        self._receiver: _Receiver | None = None
        self._closed = False
        self._lock = threading.Lock()

    # -- creation -----------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        client: BrokerSession,
        entity_type: str,
        on_change: Callable[[Entity], Any],
        transport: str = "mqtt",
        *,
        on_error: Callable[[Exception], Any] | None = None,
        mqtt_url: str | None = None,
        topic: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        notify_host: str | None = None,
        attrs: Sequence[str] | None = None,
        q: str | None = None,
        throttling: int | None = None,
        connect_timeout: float = 10.0,
    ) -> Subscription:
        """Start listening, then create the subscription on the broker.

        MQTT: ``mqtt_url`` (else the connection's) is the MQTT server the broker publishes to;
        ``topic`` defaults to a fresh one. HTTP: a receiver listens on ``host``:``port``
        (0 = any free port) and the broker is told to post to ``notify_host`` (default
        ``host``), which must be an address the broker can reach. Notifications of
        entities that cannot be used go to ``on_error`` (and ``rejected``).
        """
        if transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {TRANSPORTS}, got {transport!r}")
        sub = cls(client, on_change, on_error)
        sub.transport = transport
        description = f"smartcity-qgis {entity_type} {uuid.uuid4().hex[:8]}"
        try:
            if transport == "mqtt":
                url = mqtt_url or client.config.mqtt_url
                if not url:
                    raise CityOSError("MQTT notifications need the broker's MQTT URL (mqtt://host:1883)")
                topic = topic or f"smartcity/{client.config.tenant or 'default'}/{entity_type}/{uuid.uuid4().hex}"
                sub._start_mqtt(url, topic, connect_timeout)
                if client.config.is_ld:
                    endpoint = {"uri": url.rstrip("/") + "/" + topic, "accept": "application/json"}
                else:
                    endpoint = {"mqtt": {"url": url, "topic": topic}}
            else:
                notify_url = sub._start_receiver(host, port, notify_host)
                if client.config.is_ld:
                    endpoint = {"uri": notify_url, "accept": "application/json"}
                else:
                    endpoint = {"http": {"url": notify_url}}
            body = _subscription_body(client, entity_type, endpoint, attrs, q, throttling, description)
            sub.id = sub._post(body)
        except BaseException:
            sub._stop_listening()
            raise
        return sub

    def _collection_url(self) -> str:
        cfg = self.client.config
        return cfg.url + (LD_ROOT if cfg.is_ld else V2_ROOT) + "/subscriptions"

    def _post(self, body: dict[str, Any]) -> str:
        resp = self.client.http.request(
            "POST",
            self._collection_url(),
            headers=self.client.headers({"Content-Type": "application/json"}),
            body=body,
        )
        location = resp.headers.get("Location") or ""
        sub_id = location.rstrip("/").rsplit("/", 1)[-1] if location else None
        if not sub_id and isinstance(resp.data, dict):
            sub_id = resp.data.get("id") or resp.data.get("subscriptionId")
        if not sub_id:
            raise ServerError("the broker created a subscription but did not say its id (no Location header)")
        return str(sub_id)

    # -- MQTT ---------------------------------------------------------------------------------
    def _start_mqtt(self, url: str, topic: str, timeout: float) -> None:
        import paho.mqtt.client as mqtt

        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
            raise CityOSError(f"MQTT URL must look like mqtt://host:1883, got {url!r}")
        if hasattr(mqtt, "CallbackAPIVersion"):  # paho-mqtt 2
            client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        else:  # paho-mqtt 1.x
            client = mqtt.Client()
        if parts.username:
            client.username_pw_set(parts.username, parts.password)
        if parts.scheme == "mqtts":
            client.tls_set(ca_certs=self.client.config.ca_bundle)
        client.reconnect_delay_set(min_delay=1, max_delay=30)

        def on_connect(cl: Any, _userdata: Any, *_rest: Any) -> None:
            # A clean session forgets subscriptions: subscribe again after every (re)connection.
            cl.subscribe(topic, qos=1)

        def on_subscribe(*_args: Any) -> None:
            self.connected.set()

        def on_disconnect(*_args: Any) -> None:
            self.connected.clear()

        def on_message(_cl: Any, _userdata: Any, message: Any) -> None:
            self.deliver(message.payload)

        client.on_connect = on_connect
        client.on_subscribe = on_subscribe
        client.on_disconnect = on_disconnect
        client.on_message = on_message
        try:
            client.connect(parts.hostname, parts.port or (8883 if parts.scheme == "mqtts" else 1883), keepalive=30)
        except OSError as exc:
            raise CityOSConnectionError(f"cannot reach the MQTT server {url}: {exc}") from None
        client.loop_start()
        self._mqtt = client
        if not self.connected.wait(timeout):
            raise CityOSConnectionError(f"the MQTT server {url} did not confirm the subscription to {topic}")

    # -- HTTP receiver ------------------------------------------------------------------------
    def _start_receiver(self, host: str, port: int, notify_host: str | None) -> str:
        server = _Receiver((host, port), _Handler)
        server.subscription = self
        server.path_token = uuid.uuid4().hex
        thread = threading.Thread(target=server.serve_forever, args=(0.1,), name="cityos-notify", daemon=True)
        thread.start()
        self._receiver = server
        self.connected.set()
        shown = notify_host or host
        return f"http://{shown}:{server.server_address[1]}/notify/{server.path_token}"

    # -- delivery -----------------------------------------------------------------------------
    def deliver(self, raw: Any) -> None:
        """Parse a notification message and call ``on_change`` for each usable entity."""
        if self._closed:
            return
        try:
            entities, rejected = parse_notification(raw, self.client.config.flavor, self.client.options)
        except InvalidEntityError as exc:
            self._report(exc)
            return
        self.notifications += 1
        for exc in rejected:
            self.rejected.append(exc)
            self._report(exc)
        for entity in entities:
            try:
                self.on_change(entity)
            except Exception as exc:  # a failing callback must not kill the MQTT/receiver thread
                self._report(exc)

    def _report(self, exc: Exception) -> None:
        self.errors.append(exc)
        if self.on_error is not None:
            with contextlib.suppress(Exception):  # nothing sensible left to do on this thread
                self.on_error(exc)

    # -- closing ------------------------------------------------------------------------------
    def _stop_listening(self) -> None:
        if self._mqtt is not None:
            try:
                self._mqtt.disconnect()
                self._mqtt.loop_stop()
            finally:
                self._mqtt = None
        if self._receiver is not None:
            self._receiver.shutdown()
            self._receiver.server_close()
            self._receiver = None

    def close(self) -> None:
        """Delete the subscription on the broker and stop listening (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        try:
            if self.id is not None:
                url = self._collection_url() + "/" + quote(self.id, safe="")
                # Already gone (expired or removed by an administrator) is fine.
                with contextlib.suppress(NotFoundError):
                    self.client.http.request("DELETE", url, headers=self.client.headers())
        finally:
            self._stop_listening()

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
