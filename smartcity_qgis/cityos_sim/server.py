"""The embedded city OS server: one store served as NGSI-v2, NGSI-LD and a QuantumLeap-style API."""

from __future__ import annotations

import collections
import contextlib
import math
import random
import socket
import struct
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from smartcity_qgis.cityos_sim import api_ld, api_ql, api_v2
from smartcity_qgis.cityos_sim.auth import Gatekeeper, IdentityServer
from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response, error_response
from smartcity_qgis.cityos_sim.jsonld import ContextLoader
from smartcity_qgis.cityos_sim.model import GEO_TYPES, Attr, PayloadError, geometry_of, infer_type, iso
from smartcity_qgis.cityos_sim.mqtt_out import MqttPublisher
from smartcity_qgis.cityos_sim.orion_rules import check_value
from smartcity_qgis.cityos_sim.scenarios import make_scenario
from smartcity_qgis.cityos_sim.store import Store
from smartcity_qgis.cityos_sim.subscriptions import SubscriptionManager

FAULT_KINDS = ("500", "503", "reset", "truncate", "slow", "shift")
TICK_SECONDS = 0.5
ORION_VERSION = "3.10.1"
MAX_BODY_BYTES = 1024 * 1024
ACCESS_LOG_SIZE = 1000


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cityos-sim"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        pass

    def _handle(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:  # Orion's limit; the body is not read, the connection closes after
            self.close_connection = True
            self.server.sim._serve(self, None)  # type: ignore[attr-defined]
            return
        body = self.rfile.read(length) if length > 0 else b""
        self.server.sim._serve(self, body)  # type: ignore[attr-defined]

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle


class _HTTPServer(ThreadingHTTPServer):
    """Serves each connection in a thread and knows which connections are open, to drop them on stop."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self._dropping = False

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            if self._dropping:
                self.shutdown_request(request)
                return
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> int:
        """Shut down every open connection (keep-alive ones waiting for their next request too)."""
        with self._open_lock:
            self._dropping = True
            open_now = list(self._open)
        for sock in open_now:
            with contextlib.suppress(OSError):  # already closed by its handler (a reset fault)
                sock.shutdown(socket.SHUT_RDWR)
        return len(open_now)


class SimServer:
    """A running embedded city OS; use :func:`start_server` to make one. Also a context manager."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        scenario: str = "okazaki",
        entities: int | None = None,
        types: list[str] | None = None,
        speed: float = 1.0,
        mqtt_url: str | None = None,
        require_token: str | None = None,
        fault_rate: float = 0.0,
        faults: tuple[str, ...] | list[str] = (),
        seed: int = 0,
        auto_advance: bool = True,
        api_key_header: str | None = None,
        oidc_realm: str | None = None,
        oidc_host: str | None = None,
        token_lifetime: float | None = None,
        context_timeout: float = 5.0,
        **scenario_options: Any,
    ) -> None:
        self.speed = float(speed)
        # JSON-LD @context documents clients name by URL: fetched (at most this many seconds) and kept.
        self.contexts = ContextLoader(timeout=context_timeout)
        self.mqtt_url = mqtt_url
        self.auto_advance = auto_advance
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()
        self.fault_rate = 0.0
        self.faults: tuple[str, ...] = ()
        self.slow_seconds = 2.0
        self.retry_after = 1
        self.set_faults(fault_rate, faults)
        self.auth = Gatekeeper(require_token, api_key_header, oidc_realm, token_lifetime)
        self.scenario = make_scenario(scenario, entities=entities, types=types, seed=seed, **scenario_options)
        self.store = Store(default_tenant=self.scenario.default_tenant)
        self.clock = self.scenario.start_time or time.time()
        self.started = time.time()
        self.mqtt = MqttPublisher()
        self.subs = SubscriptionManager(self.mqtt, mqtt_url, self)
        self._counters: dict[str, Any] = {"requests": 0, "by_status": {}, "faults": {}}
        # The latest requests answered, oldest first: (method, path with its query string, status).
        self.access_log: collections.deque[tuple[str, str, int]] = collections.deque(maxlen=ACCESS_LOG_SIZE)
        self._counter_lock = threading.Lock()
        self.scenario.populate(self.store, self.clock)
        self.store.tenant(None)
        self.store.add_listener(self.subs.on_change)
        self._advance_lock = threading.Lock()
        self._stop = threading.Event()
        self._http = _HTTPServer((host, port), _Handler)
        self._http.sim = self  # type: ignore[attr-defined]
        self.host, self.port = self._http.server_address[:2]
        # A Keycloak realm: served here, or by an identity server of its own on ``oidc_host``.
        self.identity: IdentityServer | None = None
        if self.auth.realm is not None:
            if oidc_host:
                self.identity = IdentityServer(self.auth.realm, oidc_host)
            else:
                self.auth.realm.issuer_url = f"{self.url}/realms/{self.auth.realm.name}"
        self._threads = [threading.Thread(target=self._http.serve_forever, name="cityos-sim-http", daemon=True)]
        if auto_advance:
            self._threads.append(threading.Thread(target=self._run_clock, name="cityos-sim-clock", daemon=True))
        for thread in self._threads:
            thread.start()

    # ------------------------------------------------------------ public API

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def token_url(self) -> str | None:
        """The OpenID Connect token endpoint of the ``oidc_realm`` (None without one)."""
        realm = self.auth.realm
        return None if realm is None else realm.issuer_url + "/protocol/openid-connect/token"

    @property
    def stats(self) -> dict[str, Any]:
        """Requests served (by status), faults injected, notifications sent/failed, entities per tenant."""
        with self._counter_lock:
            out = {
                "requests": self._counters["requests"],
                "by_status": dict(self._counters["by_status"]),
                "faults_injected": sum(self._counters["faults"].values()),
                "faults_by_kind": dict(self._counters["faults"]),
            }
        out.update(
            {
                "notifications_sent": self.subs.sent,
                "notifications_failed": self.subs.failed,
                "entities": {name or "(default)": len(t) for name, t in self.store.tenants.items()},
                "scenario_time": iso(self.clock),
            }
        )
        return out

    def stop(self) -> None:
        """Stop serving and drop the city OS like a broker that goes down.

        The listening socket closes and every open connection is shut down, including the
        keep-alive connections a client's pool holds, so a client's next request fails with a
        connection error instead of being answered by a server that was stopped. The clock
        stops and the MQTT connections close.
        """
        if self._stop.is_set():
            return
        self._stop.set()
        self._http.shutdown()
        self._http.server_close()
        self._http.drop_connections()
        self.subs.close()
        self.mqtt.close()
        if self.identity is not None:
            self.identity.stop()

    def __enter__(self) -> SimServer:
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.stop()

    def now(self) -> float:
        """Wall-clock time for dateCreated / dateModified."""
        return time.time()

    def set_faults(
        self,
        rate: float,
        faults: tuple[str, ...] | list[str] | str = (),
        slow_seconds: float | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Inject faults into this share of requests (0..1), each a random kind from ``faults``."""
        if isinstance(faults, str):
            faults = [f for f in faults.split(",") if f]
        unknown = [f for f in faults if f not in FAULT_KINDS]
        if unknown:
            raise ValueError(f"unknown fault kind(s) {unknown}; known: {', '.join(FAULT_KINDS)}")
        if not 0.0 <= float(rate) <= 1.0:
            raise ValueError("fault rate must be between 0 and 1")
        if rate and not faults:
            faults = ("500", "503", "reset", "truncate", "slow")
        self.fault_rate, self.faults = float(rate), tuple(faults)
        if slow_seconds is not None:
            self.slow_seconds = float(slow_seconds)
        if retry_after is not None:
            self.retry_after = int(retry_after)

    def update_entity(
        self,
        entity_id: str,
        attrs: dict[str, Any],
        tenant: str | None = None,
        service_path: str = "/",
        strict: bool = True,
    ) -> None:
        """Change attributes like a PATCH would: dateModified, history and subscriptions follow.

        Values may be plain (keyValues) or ``{"type", "value", "metadata"}`` objects. KeyError when
        the entity does not exist in that tenant and service path; ValueError for a broken geometry
        or a value with a character Orion forbids (``< > " ' = ; ( )``). ``strict=False`` lets such a
        value in, as NGSI-LD brokers (Scorpio, Stellio) do: for tests of how clients show hostile text.
        """
        store = self.store.tenant(tenant)
        rec = store.get(entity_id)
        if rec is None or rec.path != service_path:
            raise KeyError(f"no entity {entity_id!r} in tenant {tenant or store.name!r} path {service_path!r}")
        now = self.now()
        new = {}
        for name, value in attrs.items():
            old = rec.attrs.get(name)
            if isinstance(value, dict) and "value" in value and set(value) <= {"type", "value", "metadata"}:
                atype = value.get("type") or (old.type if old else infer_type(value["value"]))
                meta = value.get("metadata", old.metadata if old else None)
                new[name] = Attr(atype, value["value"], meta, self.clock, now)
            else:
                plain = ("Number", "Text", "Boolean", "StructuredValue", "None")
                # a declared type (DateTime, geo:json, a custom one) stays; JSON types follow the value
                atype = old.type if old is not None and old.type not in plain else infer_type(value)
                new[name] = Attr(atype, value, old.metadata if old else None, self.clock, now)
        for name, attr in new.items():
            if strict and attr.type not in GEO_TYPES:
                check_value(attr.value)  # Orion's forbidden characters: the demo data obeys them too
            if attr.type in GEO_TYPES:
                geometry_of(attr.type, attr.value)  # PayloadError (a ValueError) before anything changes
            elif attr.type == "DateTime" and not isinstance(attr.value, str):
                raise PayloadError(f"attribute {name} of type DateTime needs an ISO 8601 string")
        store.update(rec, new, now)

    def advance(self, seconds: float) -> None:
        """Move the scenario clock; values change along the way (one step per simulated minute, at most 60)."""
        if seconds <= 0:
            return
        with self._advance_lock:
            steps = min(60, max(1, math.ceil(seconds / 60)))
            for _ in range(steps):
                self.clock += seconds / steps
                self.scenario.step(self.store, self.clock, seconds / steps, self.now())

    def describe(self) -> dict[str, Any]:
        """What the server serves: tenants, entity types and counts, endpoints."""
        tenants = {}
        for name, store in sorted(self.store.tenants.items()):
            summary = store.type_summary()
            tenants[name] = {t: info["count"] for t, info in sorted(summary.items())}
        return {
            "url": self.url,
            "scenario": self.scenario.name,
            "note": self.scenario.note,
            "default_tenant": self.store.default_tenant,
            "tenants": tenants,
            "ngsi_v2": self.url + "/v2",
            "ngsi_ld": self.url + "/ngsi-ld/v1",
            "timeseries": self.url + "/ql",
            "mqtt": self.mqtt_url,
            "token_required": self.auth.required,
            "scenario_time": iso(self.clock),
        }

    # ------------------------------------------------------------ internals

    def _run_clock(self) -> None:
        last = time.monotonic()
        while not self._stop.wait(TICK_SECONDS):
            now = time.monotonic()
            self.advance((now - last) * self.speed)
            last = now

    def _count(self, key: str, sub: str) -> None:
        with self._counter_lock:
            bucket = self._counters[key]
            bucket[sub] = bucket.get(sub, 0) + 1

    def _pick_fault(self, req: Request) -> str | None:
        if not self.fault_rate or req.path in ("/version", "/oauth2/token") or req.path.startswith("/realms/"):
            return None
        with self._rng_lock:
            if self._rng.random() >= self.fault_rate:
                return None
            kind = self._rng.choice(self.faults)
        self._count("faults", kind)
        return kind

    def _route(self, req: Request) -> Response:
        seg = req.segments
        if req.path == "/version":
            return Response.json(self._version())
        token_answer = self.auth.route(req)
        if token_answer is not None:
            return token_answer
        if seg[:1] == ["v2"]:
            return api_v2.handle(self, req)
        if seg[:2] == ["ngsi-ld", "v1"]:
            return api_ld.handle(self, req)
        if seg[:1] == ["ql"]:
            return api_ql.handle(self, req)
        raise ApiError(400, f"service '{req.path}' not found")

    def _version(self) -> dict:
        return {
            "orion": {
                "version": ORION_VERSION,
                "uptime": f"{int(time.time() - self.started)} s",
                "git_hash": "nogitversion",
                "compile_time": "n/a",
                "compiled_by": "cityos_sim",
                "compiled_in": "python",
                "release_date": "n/a",
                "machine": "embedded",
                "doc": "https://fiware-orion.rtfd.io/",
            },
            "cityos_sim": {
                "note": self.scenario.note,
                "scenario": self.scenario.name,
                "synthetic": True,
                "tenants": sorted(self.store.tenants),
                "default_tenant": self.store.default_tenant,
                "ngsi_ld": "/ngsi-ld/v1",
                "timeseries": "/ql",
                "mqtt": self.mqtt_url,
            },
        }

    def _serve(self, handler: BaseHTTPRequestHandler, body: bytes | None) -> None:
        req = Request(handler.command, handler.path, handler.headers, body or b"")
        flavor = "ld" if req.segments[:1] == ["ngsi-ld"] else "v2"
        with self._counter_lock:
            self._counters["requests"] += 1
        fault = self._pick_fault(req)
        if fault == "reset":
            sock = handler.connection
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.close_connection = True
            sock.close()
            return
        if fault == "slow":
            time.sleep(self.slow_seconds)
        req.shift_page = fault == "shift"
        try:
            if fault == "500":
                raise ApiError(500, "internal error (injected fault)")
            if fault == "503":
                raise ApiError(
                    503,
                    "service temporarily unavailable (injected fault)",
                    headers={"Retry-After": str(self.retry_after)},
                )
            if body is None:
                raise ApiError(413, f"payload size: {handler.headers.get('Content-Length')}, "
                               f"max size supported: {MAX_BODY_BYTES}")  # fmt: skip
            refusal = self.auth.check(req)
            resp = refusal if refusal is not None else self._route(req)
        except ApiError as err:
            resp = error_response(err, flavor)
        except Exception as exc:  # the server must answer, never hang a client
            resp = error_response(ApiError(500, f"internal error: {exc}"), flavor)
        if flavor == "v2":  # Orion echoes the caller's correlator or makes one
            resp.headers.setdefault("Fiware-Correlator", req.header("fiware-correlator") or str(uuid.uuid4()))
        self._count("by_status", str(resp.status))
        self.access_log.append((req.method, handler.path, resp.status))
        self._write(handler, resp, truncate=fault == "truncate")

    @staticmethod
    def _write(handler: BaseHTTPRequestHandler, resp: Response, truncate: bool) -> None:
        try:
            handler.send_response(resp.status)
            for key, value in resp.headers.items():
                handler.send_header(key, value)
            if resp.status != 204:
                handler.send_header("Content-Length", str(len(resp.body)))
            if truncate:
                handler.send_header("Connection", "close")
            handler.end_headers()
            if truncate:
                handler.wfile.write(resp.body[: len(resp.body) // 2])
                handler.wfile.flush()
                handler.close_connection = True
                handler.connection.shutdown(socket.SHUT_RDWR)
                return
            handler.wfile.write(resp.body)
        except OSError:
            handler.close_connection = True


def start_server(
    host: str = "127.0.0.1",
    port: int = 0,
    scenario: str = "okazaki",
    entities: int | None = None,
    types: list[str] | None = None,
    speed: float = 1.0,
    mqtt_url: str | None = None,
    require_token: str | None = None,
    fault_rate: float = 0.0,
    faults: tuple[str, ...] | list[str] = (),
    seed: int = 0,
    auto_advance: bool = True,
    api_key_header: str | None = None,
    oidc_realm: str | None = None,
    oidc_host: str | None = None,
    token_lifetime: float | None = None,
    context_timeout: float = 5.0,
    **scenario_options: Any,
) -> SimServer:
    """Start an embedded city OS in background threads (``port=0`` picks a free port).

    ``entities`` is the synthetic scenario's entity count (default 10,000); ``types`` limits the
    Okazaki scenario to these entity types, or sets the synthetic scenario's types. The scenario
    clock runs at ``speed`` scenario seconds per real second unless ``auto_advance`` is False.
    ``faults`` are kinds from ``FAULT_KINDS`` given to a share ``fault_rate`` of requests.
    ``context_timeout`` bounds the fetch of a JSON-LD @context an NGSI-LD client names by URL.
    ``scenario_options`` go to the scenario: for ``okazaki`` ``storm_minutes`` (default 2.0),
    ``storm_start_minutes`` (0.0), ``start_time`` (epoch seconds, default now); for ``synthetic``
    ``area`` (min_lon, min_lat, max_lon, max_lat), ``updates_per_second``, ``tenant``.
    Gateways: ``api_key_header`` with ``require_token`` answers as Kong's key-auth does;
    ``oidc_realm`` serves a Keycloak realm's token endpoint (on ``oidc_host`` when given, else
    here; ``token_url``) and accepts only its Bearer tokens, valid ``token_lifetime`` seconds.
    """
    return SimServer(
        host=host,
        port=port,
        scenario=scenario,
        entities=entities,
        types=types,
        speed=speed,
        mqtt_url=mqtt_url,
        require_token=require_token,
        fault_rate=fault_rate,
        faults=faults,
        seed=seed,
        auto_advance=auto_advance,
        api_key_header=api_key_header,
        oidc_realm=oidc_realm,
        oidc_host=oidc_host,
        token_lifetime=token_lifetime,
        context_timeout=context_timeout,
        **scenario_options,
    )
