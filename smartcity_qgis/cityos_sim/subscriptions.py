"""Subscriptions (NGSI-v2 and NGSI-LD) and the notifier that delivers them by HTTP and MQTT."""

from __future__ import annotations

import http.client
import json
import queue
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from smartcity_qgis.cityos_sim import geo as geoq
from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response
from smartcity_qgis.cityos_sim.ld_names import CORE_NAMES, LdNames
from smartcity_qgis.cityos_sim.model import EntityRecord, geometry_of, iso, parse_time
from smartcity_qgis.cityos_sim.query import Predicate, QueryError, compile_q_ld, compile_q_v2
from smartcity_qgis.cityos_sim.render import dumps, ld_entity, v2_entity
from smartcity_qgis.cityos_sim.store import PathError, TenantStore, parse_service_paths, path_matches

if TYPE_CHECKING:
    from smartcity_qgis.cityos_sim.mqtt_out import MqttPublisher


@dataclass
class Subscription:
    id: str
    flavor: str  # "v2" | "ld"
    tenant: str
    body: dict  # as created (and patched), for GET
    selectors: list[dict]
    watched: list[str]
    q: Predicate | None
    geo: geoq.GeoFilter | None
    transport: str  # http | mqtt
    url: str
    topic: str
    qos: int
    attrs: list[str] | None
    fmt: str
    only_changed: bool = False
    paths: list[str] = field(default_factory=lambda: ["/#"])
    active: bool = True
    expires: float | None = None
    times_sent: int = 0
    last_notification: float | None = None
    last_success: float | None = None
    last_failure: float | None = None
    last_success_code: int | None = None
    fails: int = 0
    throttling: float = 0.0  # minimum seconds between two notifications
    last_queued: float = 0.0
    names: LdNames = CORE_NAMES  # NGSI-LD: the @context it was created with, used for its notifications


def _selector_matches(sel: dict, rec: EntityRecord) -> bool:
    import re

    if "id" in sel and sel["id"] != rec.id:
        return False
    if "idPattern" in sel and not re.search(sel["idPattern"], rec.id):
        return False
    if "type" in sel and sel["type"] != rec.type:
        return False
    return not ("typePattern" in sel and not re.search(sel["typePattern"], rec.type))


def _seconds(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ApiError(400, "Invalid JSON payload: throttling must be a non-negative number of seconds")
    return float(value)


def _post(url: str, data: bytes, headers: dict[str, str]) -> int:
    """POST keeping header names as written (``Ngsiv2-AttrsFormat``); ConnectionError unless 2xx."""
    parts = urlsplit(url)
    conn_cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = conn_cls(parts.hostname or "127.0.0.1", parts.port, timeout=5)
    try:
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        conn.request("POST", target, body=data, headers=headers)
        answer = conn.getresponse()
        answer.read()
    finally:
        conn.close()
    if not 200 <= answer.status < 300:
        raise ConnectionError(f"notification endpoint answered {answer.status}")
    return answer.status


class SubscriptionManager:
    """Keeps subscriptions per tenant, matches entity changes, queues and delivers notifications."""

    def __init__(self, mqtt: MqttPublisher, default_mqtt_url: str | None, clock: Any) -> None:
        self.subs: dict[str, dict[str, Subscription]] = {}
        self.lock = threading.Lock()
        self.mqtt = mqtt
        self.default_mqtt_url = default_mqtt_url
        self.clock = clock
        self.sent = 0
        self.failed = 0
        self._queue: queue.Queue = queue.Queue()
        self._worker = threading.Thread(target=self._deliver_loop, name="cityos-sim-notifier", daemon=True)
        self._worker.start()

    def close(self) -> None:
        self._queue.put(None)
        self._worker.join(timeout=5)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """True once every queued notification has been delivered (or failed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._queue.unfinished_tasks == 0:
                return True
            time.sleep(0.02)
        return False

    # ------------------------------------------------------------ change matching

    def on_change(self, store: TenantStore, rec: EntityRecord, names: list[str], kind: str) -> None:
        if kind == "delete" or not names:
            return
        with self.lock:
            subs = list(self.subs.get(store.name, {}).values())
        now = time.time()
        for sub in subs:
            if not sub.active or (sub.expires is not None and sub.expires < now):
                continue
            if not any(_selector_matches(s, rec) for s in sub.selectors):
                continue
            if sub.flavor == "v2" and not path_matches(rec.path, sub.paths):
                continue
            if sub.watched and not set(sub.watched) & set(names):
                continue
            if sub.q is not None and not sub.q(rec):
                continue
            if sub.geo is not None and not self._geo_ok(sub.geo, rec):
                continue
            if sub.throttling and now - sub.last_queued < sub.throttling:
                continue
            sub.last_queued = now
            attrs = sub.attrs
            if sub.only_changed:
                attrs = [n for n in names if attrs is None or n in attrs]
            self._queue.put((sub, self._payload(sub, rec, attrs), rec.path))

    @staticmethod
    def _geo_ok(f: geoq.GeoFilter, rec: EntityRecord) -> bool:
        name = rec.geo_attr_name()
        if name is None:
            return False
        attr = rec.attrs[name]
        return geoq.shape_matches(f, geometry_of(attr.type, attr.value))

    def _payload(self, sub: Subscription, rec: EntityRecord, attrs: list[str] | None) -> dict:
        if sub.flavor == "v2":
            mode = {"keyValues": "keyValues", "values": "values"}.get(sub.fmt, "normalized")
            return {"subscriptionId": sub.id, "data": [v2_entity(rec, mode, attrs)]}
        return {
            "id": f"urn:ngsi-ld:Notification:{uuid.uuid4().hex}",
            "type": "Notification",
            "subscriptionId": sub.id,
            "notifiedAt": iso(time.time()),
            "data": [ld_entity(rec, sub.fmt, attrs, names=sub.names)],
        }

    # ------------------------------------------------------------ delivery

    def _deliver_loop(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is None:
                    return
                self._deliver(*job)
            finally:
                self._queue.task_done()

    def _deliver(self, sub: Subscription, payload: dict, path: str) -> None:
        headers = {"Content-Type": "application/json"}
        if sub.flavor == "v2":
            headers.update({"Fiware-Service": sub.tenant, "Fiware-ServicePath": path, "Ngsiv2-AttrsFormat": sub.fmt})
        else:
            headers["Link"] = sub.names.link()
            if sub.tenant:
                headers["NGSILD-Tenant"] = sub.tenant
        sub.times_sent += 1
        sub.last_notification = time.time()
        try:
            if sub.transport == "mqtt":
                message = payload if sub.flavor == "v2" else {"metadata": headers, "body": payload}
                self.mqtt.publish(sub.url, sub.topic, dumps(message).encode("utf-8"), sub.qos)
                code = 200
            else:
                code = _post(sub.url, dumps(payload).encode("utf-8"), headers)
            sub.last_success, sub.last_success_code, sub.fails = time.time(), code, 0
            self.sent += 1
        except Exception:
            sub.last_failure = time.time()
            sub.fails += 1
            self.failed += 1

    # ------------------------------------------------------------ NGSI-v2 CRUD

    def _store(self, tenant: str) -> dict[str, Subscription]:
        with self.lock:
            return self.subs.setdefault(tenant, {})

    def handle_v2(self, req: Request, store: TenantStore, sub_id: str | None) -> Response:
        subs = self._store(store.name)
        if sub_id is None:
            if req.method == "POST":
                sub = self._v2_from(req.json_body("v2"), req, store.name, None)
                subs[sub.id] = sub
                return Response.empty(201, {"Location": f"/v2/subscriptions/{sub.id}"})
            if req.method == "GET":
                limit, offset = req.paging("v2")
                items = list(subs.values())
                headers = {"Fiware-Total-Count": str(len(items))} if "count" in req.options() else {}
                return Response.json([self._v2_view(s) for s in items[offset : offset + limit]], headers=headers)
            raise ApiError(405, "method not allowed")
        sub = subs.get(sub_id)
        if sub is None or sub.flavor != "v2":
            raise ApiError(404, "The requested subscription has not been found. Check id")
        if req.method == "GET":
            return Response.json(self._v2_view(sub))
        if req.method == "DELETE":
            subs.pop(sub_id, None)
            return Response.empty(204)
        if req.method == "PATCH":
            patch = req.json_body("v2")
            if not isinstance(patch, dict):
                raise ApiError(400, "Errors found in incoming JSON buffer", "ParseError")
            merged = {**sub.body, **patch}
            subs[sub_id] = self._v2_from(merged, req, store.name, sub_id, keep=sub)
            return Response.empty(204)
        raise ApiError(405, "method not allowed")

    def _v2_from(
        self, body: Any, req: Request, tenant: str, sub_id: str | None, keep: Subscription | None = None
    ) -> Subscription:
        if not isinstance(body, dict):
            raise ApiError(400, "Errors found in incoming JSON buffer", "ParseError")
        subject, notification = body.get("subject") or {}, body.get("notification")
        entities = subject.get("entities") if isinstance(subject, dict) else None
        if not entities or not isinstance(entities, list):
            raise ApiError(400, "Invalid JSON payload: no subject entities specified")
        if not isinstance(notification, dict):
            raise ApiError(400, "Invalid JSON payload: no notification specified")
        selectors = []
        for ent in entities:
            if not isinstance(ent, dict) or not (
                "id" in ent or "idPattern" in ent or "type" in ent or "typePattern" in ent
            ):
                raise ApiError(400, "Invalid JSON payload: entity without id, idPattern, type or typePattern")
            selectors.append({k: ent[k] for k in ("id", "idPattern", "type", "typePattern") if k in ent})
        cond = subject.get("condition") or {}
        expr = cond.get("expression") or {}
        try:
            q = compile_q_v2(expr["q"]) if expr.get("q") else None
            geo = geoq.parse_v2(expr.get("georel"), expr.get("geometry"), expr.get("coords"))
            paths = parse_service_paths(req.header("fiware-servicepath"), True)
        except (QueryError, geoq.GeoQueryError, PathError) as exc:
            raise ApiError(400, str(exc)) from exc
        if "http" in notification:
            transport, url, topic, qos = "http", (notification["http"] or {}).get("url"), "", 0
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                raise ApiError(400, "Invalid JSON payload: invalid http url")
        elif "mqtt" in notification:
            mqtt = notification["mqtt"] or {}
            transport, url = "mqtt", mqtt.get("url") or self.default_mqtt_url
            topic, qos = mqtt.get("topic"), mqtt.get("qos", 0)
            if not url or not str(url).startswith("mqtt://") or not isinstance(topic, str) or not topic:
                raise ApiError(400, "Invalid JSON payload: mqtt notification needs url (mqtt://) and topic")
            if qos not in (0, 1, 2):
                raise ApiError(400, "Invalid JSON payload: mqtt qos must be 0, 1 or 2")
            if mqtt.get("user") and "@" not in url:  # Orion's user / passwd fields
                user, password = quote(str(mqtt["user"]), safe=""), quote(str(mqtt.get("passwd", "")), safe="")
                url = f"mqtt://{user}:{password}@{url[7:]}"
        else:
            raise ApiError(400, "Invalid JSON payload: http or mqtt notification required")
        expires = None
        if body.get("expires"):
            try:
                expires = parse_time(body["expires"])
            except ValueError as exc:
                raise ApiError(400, f"expires: {exc}") from exc
        sub = Subscription(
            id=sub_id or uuid.uuid4().hex[:24],
            flavor="v2",
            tenant=tenant,
            body=body,
            selectors=selectors,
            watched=list(cond.get("attrs") or []),
            q=q,
            geo=geo,
            transport=transport,
            url=url,
            topic=topic or "",
            qos=qos,
            attrs=list(notification.get("attrs") or []) or None,
            fmt=notification.get("attrsFormat", "normalized"),
            only_changed=bool(notification.get("onlyChangedAttrs")),
            paths=paths,
            active=body.get("status", "active") != "inactive",
            expires=expires,
            throttling=_seconds(body.get("throttling")),
        )
        if keep is not None:
            sub.times_sent, sub.last_notification, sub.last_success = (
                keep.times_sent,
                keep.last_notification,
                keep.last_success,
            )
        return sub

    def _v2_view(self, sub: Subscription) -> dict:
        view = json.loads(dumps(sub.body))
        view["id"] = sub.id
        note = view.setdefault("notification", {})
        note.setdefault("attrsFormat", sub.fmt)
        note["timesSent"] = sub.times_sent
        for key, ts in (
            ("lastNotification", sub.last_notification),
            ("lastSuccess", sub.last_success),
            ("lastFailure", sub.last_failure),
        ):
            if ts is not None:
                note[key] = iso(ts)
        if sub.last_success_code is not None:
            note["lastSuccessCode"] = sub.last_success_code
        view["status"] = "failed" if sub.fails else ("active" if sub.active else "inactive")
        if sub.expires is not None and sub.expires < time.time():
            view["status"] = "expired"
        return view

    # ------------------------------------------------------------ NGSI-LD CRUD

    def handle_ld(
        self, req: Request, store: TenantStore, sub_id: str | None, names: LdNames, body: Any = None
    ) -> Response:
        """NGSI-LD ``/subscriptions``; ``names`` is the request's @context, ``body`` its payload."""
        subs = self._store(store.name)
        if sub_id is None:
            if req.method == "POST":
                sub = self._ld_from(body, store.name, names)
                if sub.id in subs:
                    raise ApiError(409, f"Subscription already exists: {sub.id}", "AlreadyExists")
                subs[sub.id] = sub
                return Response.empty(201, {"Location": f"/ngsi-ld/v1/subscriptions/{sub.id}"})
            if req.method == "GET":
                limit, offset = req.paging("ld")
                items = [s for s in subs.values() if s.flavor == "ld"]
                views = [self._ld_view(s) for s in items[offset : offset + limit]]
                return Response.json(views, headers={"Link": names.link()})
            raise ApiError(405, "method not allowed", "OperationNotSupported")
        sub = subs.get(sub_id)
        if sub is None or sub.flavor != "ld":
            raise ApiError(404, f"Subscription not found: {sub_id}", "ResourceNotFound")
        if req.method == "GET":
            return Response.json(self._ld_view(sub), headers={"Link": names.link()})
        if req.method == "DELETE":
            subs.pop(sub_id, None)
            return Response.empty(204)
        if req.method == "PATCH":
            patch = body
            if not isinstance(patch, dict):
                raise ApiError(400, "the payload is not a JSON object", "BadRequestData")
            new_names = sub.names if names.core_only else names
            new = self._ld_from({**sub.body, **patch, "id": sub_id}, store.name, new_names)
            new.times_sent, new.last_success = sub.times_sent, sub.last_success
            subs[sub_id] = new
            return Response.empty(204)
        raise ApiError(405, "method not allowed", "OperationNotSupported")

    def _ld_from(self, body: Any, tenant: str, names: LdNames = CORE_NAMES) -> Subscription:
        def bad(text: str) -> ApiError:
            return ApiError(400, text, "BadRequestData")

        if not isinstance(body, dict):
            raise bad("the payload is not a JSON object")
        if body.get("type", "Subscription") != "Subscription":
            raise bad("type must be Subscription")
        entities, watched = body.get("entities") or [], body.get("watchedAttributes") or []
        if not entities and not watched:
            raise bad("entities or watchedAttributes needed")
        selectors = []
        for ent in entities:
            if not isinstance(ent, dict) or "type" not in ent:
                raise bad("every entity selector needs a type")
            sel = {"type": names.stored(ent["type"])}
            sel.update({k: ent[k] for k in ("id", "idPattern") if k in ent})
            selectors.append(sel)
        if not selectors:
            selectors = [{}]
        notification = body.get("notification")
        if not isinstance(notification, dict) or not isinstance(notification.get("endpoint"), dict):
            raise bad("notification.endpoint needed")
        uri = notification["endpoint"].get("uri")
        if not isinstance(uri, str):
            raise bad("notification.endpoint.uri needed")
        parts = urlsplit(uri)
        if parts.scheme in ("http", "https"):
            transport, url, topic = "http", uri, ""
        elif parts.scheme in ("mqtt", "mqtts"):
            transport, url, topic = "mqtt", f"mqtt://{parts.netloc}", parts.path.lstrip("/")
            if not topic:
                raise bad("an MQTT endpoint needs a topic: mqtt://host:port/topic")
        else:
            raise bad(f"unsupported endpoint scheme: {parts.scheme}")
        try:
            q = compile_q_ld(body["q"], names.stored) if body.get("q") else None
            gq = body.get("geoQ") or {}
            geo = geoq.parse_ld(
                gq.get("georel"), gq.get("geometry"), json.dumps(gq["coordinates"]) if "coordinates" in gq else None
            )
        except (QueryError, geoq.GeoQueryError) as exc:
            raise bad(str(exc)) from exc
        sub_id = body.get("id") or f"urn:ngsi-ld:Subscription:{uuid.uuid4().hex}"
        fmt = notification.get("format", "normalized")
        if fmt not in ("normalized", "keyValues", "concise"):
            raise bad(f"unsupported notification format: {fmt}")
        expires = None
        if body.get("expiresAt"):
            try:
                expires = parse_time(body["expiresAt"])
            except ValueError as exc:
                raise bad(f"expiresAt: {exc}") from exc
        return Subscription(
            id=sub_id,
            flavor="ld",
            tenant=tenant,
            body=body,
            selectors=selectors,
            watched=[names.stored(w) for w in watched],
            q=q,
            geo=geo,
            transport=transport,
            url=url,
            topic=topic,
            qos=int((notification["endpoint"].get("notifierInfo") or {}).get("MQTT-QoS", 0) or 0)
            if isinstance(notification["endpoint"].get("notifierInfo"), dict)
            else 0,
            attrs=[names.stored(a) for a in notification.get("attributes") or []] or None,
            fmt=fmt,
            throttling=_seconds(body.get("throttling")),
            active=body.get("isActive", True) is not False,
            expires=expires,
            names=names,
        )

    def _ld_view(self, sub: Subscription) -> dict:
        view = json.loads(dumps(sub.body))
        view.update(
            {
                "id": sub.id,
                "type": "Subscription",
                "isActive": sub.active,
                "status": "active" if sub.active else "paused",
            }
        )
        note = view.setdefault("notification", {})
        note["timesSent"] = sub.times_sent
        note["status"] = "failed" if sub.fails else "ok"
        for key, ts in (
            ("lastNotification", sub.last_notification),
            ("lastSuccess", sub.last_success),
            ("lastFailure", sub.last_failure),
        ):
            if ts is not None:
                note[key] = iso(ts)
        return view
