"""Push subscriptions: the broker notifies changes over MQTT (paho) or HTTP (a local receiver).

Callbacks run on the MQTT or receiver thread; a GUI must hand the entities to its main thread
itself. Subscriptions carry an expiry (``lifetime``) and are renewed by `Subscription.renew_if_due`
while in use; closing a `Subscription` deletes it on the broker.

HTTP push across machines: the receiver listens on ``host``:``port`` and the broker is told to
post to ``notify_url`` (the address the broker can reach: this computer's address, or a gateway
or reverse proxy in front of it, https included); a secret path is appended to it.
"""

from __future__ import annotations

import collections
import contextlib
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from smartcity_qgis.cityos_client.errors import CityOSError, InvalidEntityError, NotFoundError, ServerError
from smartcity_qgis.cityos_client.models import Entity
from smartcity_qgis.cityos_client.notifications import parse_notification
from smartcity_qgis.cityos_client.push_listeners import (
    MAX_NOTIFICATION_BYTES,
    HttpReceiver,
    MqttListener,
    normalized_mqtt_url,
)
from smartcity_qgis.cityos_client.push_owner import forget_session, new_description, remove_stale_subscriptions
from smartcity_qgis.cityos_client.queries import LD_ROOT, V2_ROOT
from smartcity_qgis.cityos_client.session import BrokerSession
from smartcity_qgis.cityos_client.values import format_datetime

TRANSPORTS = ("mqtt", "http")
DEFAULT_LIFETIME = 3600.0  # seconds a subscription lives unless renewed
MAX_KEPT = 100  # rejected notifications and errors kept for inspection, the latest ones

__all__ = ["DEFAULT_LIFETIME", "MAX_NOTIFICATION_BYTES", "TRANSPORTS", "Subscription", "remove_stale_subscriptions"]


def _expiry(lifetime: float | None) -> tuple[float | None, str | None]:
    if not lifetime:
        return None, None
    at = time.time() + lifetime
    return at, format_datetime(datetime.fromtimestamp(at, UTC))


def _subscription_body(
    client: BrokerSession,
    entity_type: str,
    endpoint: dict[str, Any],
    attrs: Sequence[str] | None,
    q: str | None,
    throttling: int | None,
    description: str,
    expires: str | None,
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
        if expires:
            body["expiresAt"] = expires
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
    if expires:
        body["expires"] = expires
    return body


class Subscription:
    """A live subscription on the broker; ``close()`` removes it and stops listening.

    ``notifications`` counts the messages received, ``first_notification`` is set by the first
    one; ``rejected`` and ``errors`` keep the latest `MAX_KEPT` problems.
    """

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
        self.rejected: collections.deque[InvalidEntityError] = collections.deque(maxlen=MAX_KEPT)
        self.errors: collections.deque[Exception] = collections.deque(maxlen=MAX_KEPT)
        self.connected = threading.Event()
        self.first_notification = threading.Event()
        self.notify_url: str | None = None
        self.description = ""
        self.lifetime: float | None = None
        self.expires_at: float | None = None
        self.stale_removed: list[str] = []
        self._body: dict[str, Any] = {}
        self._session: str | None = None
        self._mqtt: MqttListener | None = None
        self._receiver: HttpReceiver | None = None
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
        host: str | None = None,
        port: int | None = None,
        notify_url: str | None = None,
        notify_host: str | None = None,
        attrs: Sequence[str] | None = None,
        q: str | None = None,
        throttling: int | None = None,
        connect_timeout: float = 10.0,
        lifetime: float | None = DEFAULT_LIFETIME,
        owner: str | None = None,
    ) -> Subscription:
        """Start listening, then create the subscription on the broker.

        MQTT: this client subscribes at ``mqtt_url`` (else the connection's ``mqtt_url``) with the
        connection's MQTT user and password and, for ``mqtts://``, its CA bundle; the broker is
        told to publish to the connection's ``mqtt_broker_url`` when set (the address the broker
        reaches the same MQTT server at), else to the same URL. ``topic`` defaults to a fresh one.
        HTTP: a receiver listens on ``host``:``port`` (0 = any free port; ``0.0.0.0`` for every
        interface) and the broker posts to ``notify_url`` (a base URL the broker can reach; the
        receiver's secret path is appended), by default ``http://<notify_host or host>:<port>``;
        the three default to the connection's ``push_host``, ``push_port`` and ``notify_url``.
        ``lifetime`` (seconds, None for none) sets the subscription's expiry. With ``owner``, the
        description names it, and its stale subscriptions left by a crashed process on this
        machine are deleted first (`push_owner`). Unusable notifications go to ``on_error``.
        """
        if transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {TRANSPORTS}, got {transport!r}")
        cfg = client.config
        host = host if host is not None else cfg.push_host
        port = port if port is not None else cfg.push_port
        notify_url = notify_url or (None if notify_host else cfg.notify_url)
        if notify_url and urlsplit(notify_url).scheme not in ("http", "https"):
            raise CityOSError(f"the notification URL must be http:// or https://, got {notify_url!r}")
        sub = cls(client, on_change, on_error)
        sub.transport = transport
        sub.lifetime = lifetime
        if owner:
            with contextlib.suppress(CityOSError):  # a broker that cannot list subscriptions: expiry cleans up
                sub.stale_removed = remove_stale_subscriptions(client, owner)
            sub.description, sub._session = new_description(owner, entity_type)
        else:
            sub.description = f"smartcity-qgis {entity_type} {uuid.uuid4().hex[:8]}"
        try:
            if transport == "mqtt":
                url = mqtt_url or cfg.mqtt_url
                if not url:
                    raise CityOSError("MQTT notifications need the broker's MQTT URL (mqtt://host:1883)")
                topic = topic or f"smartcity/{cfg.tenant or 'default'}/{entity_type}/{uuid.uuid4().hex}"
                sub._mqtt = MqttListener(cfg, url, topic, sub.deliver)
                sub._mqtt.wait(connect_timeout)
                sub.connected = sub._mqtt.connected
                published_at = normalized_mqtt_url(cfg.mqtt_broker_url or url)
                if cfg.is_ld:
                    endpoint = {"uri": published_at + "/" + topic, "accept": "application/json"}
                else:
                    endpoint = {"mqtt": {"url": published_at, "topic": topic}}
            else:
                sub._receiver = HttpReceiver(host, port, sub.deliver)
                sub.notify_url = sub._receiver.notify_url(notify_url, notify_host)
                sub.connected.set()
                if cfg.is_ld:
                    endpoint = {"uri": sub.notify_url, "accept": "application/json"}
                else:
                    endpoint = {"http": {"url": sub.notify_url}}
            sub.expires_at, expires = _expiry(lifetime)
            sub._body = _subscription_body(
                client, entity_type, endpoint, attrs, q, throttling, sub.description, expires
            )
            sub.id = sub._post(sub._body)
        except BaseException:
            sub._stop_listening()
            forget_session(sub._session)
            raise
        return sub

    def _collection_url(self) -> str:
        cfg = self.client.config
        return cfg.url + (LD_ROOT if cfg.is_ld else V2_ROOT) + "/subscriptions"

    def _item_url(self) -> str:
        return self._collection_url() + "/" + quote(self.id or "", safe="")

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

    # -- upkeep -------------------------------------------------------------------------------
    def renew_if_due(self, now: float | None = None) -> bool:
        """Push the expiry forward once less than half of the lifetime is left (True if renewed).

        A subscription the broker no longer has (expired while the broker was unreachable,
        removed by an administrator) is created again. Raises `CityOSError` when the broker fails.
        """
        if self._closed or self.id is None or not self.lifetime or self.expires_at is None:
            return False
        now = time.time() if now is None else now
        if self.expires_at - now > self.lifetime / 2:
            return False
        at, expires = _expiry(self.lifetime)
        key = "expiresAt" if self.client.config.is_ld else "expires"
        headers = self.client.headers({"Content-Type": "application/json"})
        try:
            self.client.http.request("PATCH", self._item_url(), headers=headers, body={key: expires})
        except NotFoundError:
            self._body[key] = expires
            self.id = self._post(self._body)
        self.expires_at = at
        return True

    def delivery_problem(self) -> str | None:
        """What the broker says about delivering to this subscription, when it reports a failure
        (Orion's ``status: failed`` / ``lastFailureReason``, NGSI-LD ``notification.status``)."""
        if self.id is None:
            return None
        resp = self.client.http.request("GET", self._item_url(), headers=self.client.headers())
        data = resp.data if isinstance(resp.data, dict) else {}
        note = data.get("notification") if isinstance(data.get("notification"), dict) else {}
        failed = data.get("status") == "failed" or note.get("status") == "failed"
        if not failed and not note.get("lastFailure"):
            return None
        if note.get("lastSuccess") and str(note.get("lastSuccess")) >= str(note.get("lastFailure") or ""):
            return None
        if note.get("lastFailureReason"):
            return str(note["lastFailureReason"])
        return f"the last delivery failed ({note.get('lastFailure') or data.get('status')})"

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
        self.first_notification.set()
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
        listener, self._mqtt = self._mqtt, None
        receiver, self._receiver = self._receiver, None
        try:
            if listener is not None:
                listener.stop()
        finally:
            if receiver is not None:
                receiver.stop()

    def close(self) -> None:
        """Delete the subscription on the broker and stop listening (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        try:
            if self.id is not None:
                # Already gone (expired or removed by an administrator) is fine.
                with contextlib.suppress(NotFoundError):
                    self.client.http.request("DELETE", self._item_url(), headers=self.client.headers())
        finally:
            forget_session(self._session)
            self._stop_listening()

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
