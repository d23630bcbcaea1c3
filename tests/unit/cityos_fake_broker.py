"""A small scriptable NGSI broker on loopback for the city-OS client's HTTP tests.

It serves a list of entity payloads with the paging rules of the real brokers
(limit/offset, a maximum limit answered with 400, count headers), records every
request, and can be told to fail the next requests, require a token, or act as
an OAuth2 token endpoint.
"""

from __future__ import annotations

import base64
import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


class Recorded:
    """One request the broker received."""

    def __init__(self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body)


class FakeBroker:
    """NGSI-v2 and NGSI-LD endpoints over one in-memory list of payloads."""

    def __init__(self, flavor: str = "ngsi-v2", tls: tuple[str, str] | None = None) -> None:
        self.flavor = flavor
        self.entities: list[dict] = []
        self.max_limit = 1000
        self.limit_error = "v2"  # how a too-large limit is refused: "v2" (Orion) or "stellio"
        self.received: list[Recorded] = []
        self.failures: deque[tuple[int, Any, dict[str, str], str]] = deque()
        self.required_token: str | None = None
        self.tokens_issued: list[str] = []
        self.valid_tokens: set[str] = set()
        self.token_lifetime = 3600
        self.oauth_client = ("app", "app-secret")
        self.oauth_user = ("alice", "wonderland")
        self.after_page: Any = None  # callback(offset) run after each entity page is served
        self.temporal: dict[str, Any] = {}
        self.quantumleap: dict[str, Any] = {}
        self.subscriptions: dict[str, dict] = {}
        self.extra_routes: dict[tuple[str, str], Any] = {}
        self.version_body: Any = {"orion": {"version": "3.10.1"}}
        self._lock = threading.Lock()
        broker = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return

            def _handle(self) -> None:
                broker._dispatch(self)

            do_GET = do_POST = do_DELETE = do_PATCH = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.scheme = "http"
        if tls is not None:
            import ssl

            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(
        self, status: int, body: Any = None, headers: dict[str, str] | None = None, times: int = 1, mode: str = "status"
    ) -> None:
        """The next ``times`` requests get ``status`` (or, with mode 'reset'/'truncate', a broken answer)."""
        for _ in range(times):
            self.failures.append((status, body, headers or {}, mode))

    def requests_to(self, path_end: str) -> list[Recorded]:
        return [r for r in self.received if r.path.endswith(path_end)]

    # -- dispatch -----------------------------------------------------------------------------
    def _dispatch(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        rec = Recorded(h.command, unquote(parts.path), query, dict(h.headers.items()), body)
        with self._lock:
            self.received.append(rec)
            failure = self.failures.popleft() if self.failures and not rec.path.endswith("/token") else None
        if failure is not None:
            status, fbody, fheaders, mode = failure
            if mode == "reset":
                h.close_connection = True
                h.connection.shutdown(2)
                return
            if mode == "truncate":
                data = b'[{"id": "x", "type": "T", "na'
                h.send_response(200)
                h.send_header("Content-Type", "application/json")
                h.send_header("Content-Length", str(len(data) + 100))
                h.end_headers()
                h.wfile.write(data)
                h.close_connection = True
                return
            self._send(h, status, fbody, fheaders)
            return
        if rec.path.endswith("/oauth2/token"):
            self._token(h, rec)
            return
        if self.required_token is not None or self.tokens_issued:
            given = rec.headers.get("X-Auth-Token")
            auth = rec.headers.get("Authorization", "")
            if auth.startswith("Bearer "):
                given = auth[7:]
            allowed = {self.required_token} if self.required_token else self.valid_tokens
            if given not in allowed:
                self._send(h, 401, {"error": "Unauthorized", "description": "invalid or expired token"})
                return
        route = self.extra_routes.get((rec.method, rec.path))
        if route is not None:
            status, rbody, rheaders = route(rec)
            self._send(h, status, rbody, rheaders)
            return
        path = rec.path
        if path == "/version":
            self._send(h, 200, self.version_body)
        elif path in ("/v2/entities", "/ngsi-ld/v1/entities"):
            self._list(h, rec)
        elif path.startswith(("/v2/entities/", "/ngsi-ld/v1/entities/")) and "/attrs/" not in path:
            eid = path.rsplit("/", 1)[-1]
            found = [e for e in self.entities if e.get("id") == eid]
            if found:
                self._send(h, 200, found[0])
            elif path.startswith("/v2"):
                self._send(
                    h,
                    404,
                    {"error": "NotFound", "description": "The requested entity has not been found. Check type and id"},
                )
            else:
                self._send(
                    h,
                    404,
                    {
                        "type": "https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound ",
                        "title": "Entity Not Found",
                        "detail": eid,
                    },
                )
        elif path.startswith("/ngsi-ld/v1/temporal/entities/"):
            eid = path.rsplit("/", 1)[-1]
            if eid in self.temporal:
                status, tbody = self.temporal[eid](rec) if callable(self.temporal[eid]) else (200, self.temporal[eid])
                self._send(h, status, tbody)
            else:
                self._send(
                    h, 404, {"type": "https://uri.etsi.org/ngsi-ld/errors/ResourceNotFound", "title": "not found"}
                )
        elif "/attrs/" in path and path.startswith("/v2/entities/"):
            key = path[len("/v2/entities/") :]
            handler = self.quantumleap.get(key)
            if handler is None:
                self._send(h, 404, {"error": "Not Found", "description": "No records were found for such query."})
            else:
                self._send(h, 200, handler(rec))
        elif (
            path in ("/v2/subscriptions", "/ngsi-ld/v1/subscriptions", "/ngsi-ld/v1/subscriptions/")
            and rec.method == "POST"
        ):
            sid = f"sub{len(self.subscriptions) + 1}"
            if path.startswith("/ngsi-ld"):
                sid = "urn:ngsi-ld:Subscription:" + sid
            self.subscriptions[sid] = rec.json()
            self._send(h, 201, None, {"Location": path.rstrip("/") + "/" + sid})
        elif path.startswith(("/v2/subscriptions/", "/ngsi-ld/v1/subscriptions/")) and rec.method == "DELETE":
            sid = path.rsplit("/", 1)[-1]
            if self.subscriptions.pop(sid, None) is None:
                self._send(h, 404, {"error": "NotFound", "description": "subscription not found"})
            else:
                self._send(h, 204, None)
        else:
            self._send(h, 404, {"error": "NotFound", "description": f"no route {rec.method} {path}"})

    def _list(self, h: BaseHTTPRequestHandler, rec: Recorded) -> None:
        limit = int(rec.query.get("limit", "20"))
        offset = int(rec.query.get("offset", "0"))
        if limit > self.max_limit:
            if self.limit_error == "v2":
                self._send(
                    h,
                    400,
                    {"error": "BadRequest", "description": f"Bad pagination limit: /{limit}/ [max: {self.max_limit}]"},
                )
            else:
                self._send(
                    h,
                    400,
                    {
                        "type": "https://uri.etsi.org/ngsi-ld/errors/BadRequestData",
                        "title": "The request includes input data which does not meet the requirements",
                        "detail": f"You asked for {limit} results, but the supported maximum limit is {self.max_limit}",
                    },
                )
            return
        with self._lock:
            selected = [
                e for e in self.entities if "type" not in rec.query or e.get("type") in rec.query["type"].split(",")
            ]
            page = selected[offset : offset + limit]
        headers = {}
        if rec.headers.get("Accept") == "application/geo+json":
            features = []
            for e in page:
                props = {k: v for k, v in e.items() if k != "id"}
                loc = e.get("location")
                geometry = loc.get("value") if isinstance(loc, dict) and "value" in loc else loc
                features.append({"id": e.get("id"), "type": "Feature", "geometry": geometry, "properties": props})
            page = {"type": "FeatureCollection", "features": features}
        if "count" in rec.query.get("options", "") or rec.query.get("count") == "true":
            headers["Fiware-Total-Count" if rec.path.startswith("/v2") else "NGSILD-Results-Count"] = str(len(selected))
        self._send(h, 200, page, headers)
        if self.after_page is not None:
            self.after_page(offset)

    def _token(self, h: BaseHTTPRequestHandler, rec: Recorded) -> None:
        form = {k: v[-1] for k, v in parse_qs(rec.body.decode()).items()}
        auth = rec.headers.get("Authorization", "")
        client = tuple(base64.b64decode(auth[6:]).decode().split(":", 1)) if auth.startswith("Basic ") else None
        if client != self.oauth_client:
            self._send(h, 401, {"error": "invalid_client", "error_description": "unknown client"})
            return
        grant = form.get("grant_type")
        if grant == "password" and (form.get("username"), form.get("password")) != self.oauth_user:
            self._send(h, 400, {"error": "invalid_grant", "error_description": "Invalid resource owner credentials"})
            return
        if grant not in ("password", "client_credentials", "refresh_token"):
            self._send(h, 400, {"error": "unsupported_grant_type"})
            return
        token = f"tok{len(self.tokens_issued) + 1}"
        self.tokens_issued.append(token)
        self.valid_tokens.add(token)
        self._send(h, 200, {"access_token": token, "token_type": "Bearer", "expires_in": self.token_lifetime})

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        headers = dict(headers or {})
        h.send_response(status)
        if data:
            h.send_header("Content-Type", "application/json")
        if headers.pop("X-Omit-Length", None):
            h.send_header("Connection", "close")
            h.close_connection = True
        else:
            h.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            h.send_header(key, value)
        h.end_headers()
        if data:
            h.wfile.write(data)
