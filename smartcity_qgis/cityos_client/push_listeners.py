"""Where push notifications arrive: an MQTT subscriber (paho-mqtt) or a local HTTP receiver.

Both hand each raw message to ``deliver`` on their own thread.
"""

from __future__ import annotations

import ssl
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from smartcity_qgis.cityos_client.config import ConnectionConfig
from smartcity_qgis.cityos_client.errors import CityOSConnectionError, CityOSError, MissingDependencyError

MAX_NOTIFICATION_BYTES = 16 * 1024 * 1024
# paho's CONNACK codes worth a sentence of their own (MQTT 3.1.1 4 and 5; MQTT 5 134 and 135).
_REFUSED_CREDENTIALS = {4, 5, 134, 135}


def mqtt_scheme(url: str) -> str:
    """``mqtt`` or ``mqtts`` for a URL of any scheme the connection accepts (tcp://, ssl:// too)."""
    scheme = urlsplit(url).scheme.lower()
    return {"tcp": "mqtt", "ssl": "mqtts"}.get(scheme, scheme)


def normalized_mqtt_url(url: str) -> str:
    """The URL as brokers want it in a subscription: ``mqtt://host:port`` or ``mqtts://host:port``."""
    parts = urlsplit(url)
    scheme = mqtt_scheme(url)
    port = parts.port or (8883 if scheme == "mqtts" else 1883)
    return f"{scheme}://{parts.hostname}:{port}"


def paho() -> Any:
    """The paho-mqtt client module, or a `MissingDependencyError` saying how to install it."""
    try:
        import paho.mqtt.client as mqtt
    except ImportError:
        raise MissingDependencyError(
            "MQTT push needs the Python package paho-mqtt "
            "(Debian/Ubuntu: apt install python3-paho-mqtt; OSGeo4W shell: python -m pip install paho-mqtt)",
            package="paho-mqtt",
        ) from None
    return mqtt


class MqttListener:
    """A paho client subscribed to one topic; reconnects and re-subscribes by itself."""

    def __init__(self, config: ConnectionConfig, url: str, topic: str, deliver: Callable[[bytes], Any]) -> None:
        mqtt = paho()
        parts = urlsplit(url)
        scheme = mqtt_scheme(url)
        if scheme not in ("mqtt", "mqtts") or not parts.hostname:
            raise CityOSError(f"MQTT URL must look like mqtt://host:1883 or mqtts://host:8883, got {url!r}")
        if parts.username or parts.password:
            raise CityOSError("an MQTT URL must not carry a user name or password (use the MQTT credentials)")
        self.url = normalized_mqtt_url(url)
        self.topic = topic
        self.connected = threading.Event()
        self.refusal: str | None = None
        if hasattr(mqtt, "CallbackAPIVersion"):  # paho-mqtt 2
            client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        else:  # paho-mqtt 1.x
            client = mqtt.Client()
        if config.mqtt_username:
            client.username_pw_set(config.mqtt_username, config.mqtt_password)
        if scheme == "mqtts":
            client.tls_set(
                ca_certs=config.ca_bundle or None,
                cert_reqs=ssl.CERT_REQUIRED if config.verify_tls else ssl.CERT_NONE,
            )
            client.tls_insecure_set(not config.verify_tls)
        client.reconnect_delay_set(min_delay=1, max_delay=30)

        def on_connect(cl: Any, _userdata: Any, _flags: Any, rc: Any, *_rest: Any) -> None:
            code = int(getattr(rc, "value", rc))
            if code != 0:
                self.refusal = (
                    "the MQTT server refused the user name or password"
                    if code in _REFUSED_CREDENTIALS
                    else f"the MQTT server refused the connection (code {code})"
                )
                return
            # A clean session forgets subscriptions: subscribe again after every (re)connection.
            cl.subscribe(topic, qos=1)

        client.on_connect = on_connect
        client.on_subscribe = lambda *_args: self.connected.set()
        client.on_disconnect = lambda *_args: self.connected.clear()
        client.on_message = lambda _cl, _userdata, message: deliver(message.payload)
        self._client = client
        try:
            client.connect(parts.hostname, parts.port or (8883 if scheme == "mqtts" else 1883), keepalive=30)
        except ssl.SSLError as exc:
            raise CityOSConnectionError(f"TLS verification failed for the MQTT server {self.url}: {exc}") from None
        except OSError as exc:
            raise CityOSConnectionError(f"cannot reach the MQTT server {self.url}: {exc}") from None
        client.loop_start()

    def wait(self, timeout: float) -> None:
        """Return once subscribed; raise a `CityOSConnectionError` saying why not."""
        deadline = time.monotonic() + timeout
        while not self.connected.wait(0.05):
            if self.refusal or time.monotonic() >= deadline:
                break
        if self.connected.is_set():
            return
        self.stop()
        if self.refusal:
            raise CityOSConnectionError(f"{self.refusal} ({self.url})")
        raise CityOSConnectionError(f"the MQTT server {self.url} did not confirm the subscription to {self.topic}")

    def stop(self) -> None:
        try:
            self._client.disconnect()
        finally:
            self._client.loop_stop()


class _Receiver(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    path_token: str
    deliver: Callable[[bytes], Any]


class _Handler(BaseHTTPRequestHandler):
    server: _Receiver
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        # A reverse proxy in front of QGIS may keep a path prefix: the secret last segment is what counts.
        if not self.path.split("?", 1)[0].rstrip("/").endswith("/notify/" + self.server.path_token):
            self._answer(404)
            return
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit() or int(length) > MAX_NOTIFICATION_BYTES:
            self._answer(411 if length is None else 413)
            return
        body = self.rfile.read(int(length))
        self._answer(204)
        self.server.deliver(body)

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return


class HttpReceiver:
    """An HTTP server on ``host``:``port`` (0: any free port) taking notifications at a secret path."""

    def __init__(self, host: str, port: int, deliver: Callable[[bytes], Any]) -> None:
        try:
            server = _Receiver((host, port), _Handler)
        except OSError as exc:
            raise CityOSConnectionError(f"cannot listen for notifications on {host}:{port}: {exc}") from None
        server.path_token = uuid.uuid4().hex
        server.deliver = deliver
        self._server = server
        self.host = host
        self.port = int(server.server_address[1])
        self.path = "/notify/" + server.path_token
        threading.Thread(target=server.serve_forever, args=(0.1,), name="cityos-notify", daemon=True).start()

    def notify_url(self, notify_url: str | None, notify_host: str | None = None) -> str:
        """The URL the broker must post to: ``notify_url`` (a base URL; the secret path is added),
        else ``http://<notify_host or the listening host>:<port>``."""
        if notify_url:
            return notify_url.rstrip("/") + self.path
        shown = notify_host or self.host
        if shown in ("0.0.0.0", "::", ""):
            shown = "127.0.0.1"
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{self.port}{self.path}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
