"""Who may ask the embedded city OS: the gateways in front of a production Orion, as they answer.

* a PEP proxy (Wilma) checking ``X-Auth-Token`` / ``Authorization: Bearer``, with a Keyrock-style
  OAuth2 token endpoint at ``/oauth2/token`` (`TokenIssuer`);
* Kong's key-auth plugin: the key in a header the operator names (``apikey`` by default), 401
  ``{"message": "No API key found in request"}`` without it and ``{"message": "Invalid
  authentication credentials"}`` with a wrong one (`ApiKeyGate`);
* Keycloak: a realm's OpenID Connect token endpoint
  ``/realms/{realm}/protocol/openid-connect/token`` (client credentials, password, refresh) and a
  gateway that accepts only the realm's Bearer tokens (`OidcRealm`), served by the city OS itself
  or by an identity server on another address (`IdentityServer`).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response

DEMO_CLIENTS = {"cityos-demo": "cityos-demo-secret"}
DEMO_USERS = {"demo": "demo"}
# Keycloak realm clients: a confidential one (client credentials, password) and a public one (password).
OIDC_DEMO_CLIENTS: dict[str, str | None] = {"cityos-demo": "cityos-demo-secret", "cityos-public": None}


class TokenIssuer:
    """Accepts the static token, and tokens issued by ``/oauth2/token`` until they expire."""

    def __init__(self, static_token: str | None, lifetime: float = 3600.0) -> None:
        self.static_token = static_token
        self.lifetime = lifetime
        self.clients = dict(DEMO_CLIENTS)
        self.users = dict(DEMO_USERS)
        self._issued: dict[str, float] = {}
        self._refresh: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def required(self) -> bool:
        return self.static_token is not None

    def check(self, req: Request) -> None:
        """401 unless the request carries a valid token (when one is required)."""
        if not self.required or req.path == "/oauth2/token":
            return
        token = req.header("x-auth-token")
        auth = req.header("authorization") or ""
        if token is None and auth.lower().startswith("bearer "):
            token = auth[7:].strip()
        challenge = {"WWW-Authenticate": 'Bearer realm="cityos"'}
        if not token:
            raise ApiError(401, "Auth-token not found in request header", "Unauthorized", challenge)
        if token == self.static_token:
            return
        with self._lock:
            expiry = self._issued.get(token)
        if expiry is None or expiry < time.time():
            raise ApiError(401, "Invalid token: expired or unknown", "Unauthorized", challenge)

    def expire_all(self) -> None:
        """Make every issued token expire now (to exercise a client's renewal)."""
        with self._lock:
            self._issued = dict.fromkeys(self._issued, 0.0)

    def _issue(self) -> Response:
        token, refresh = secrets.token_hex(20), secrets.token_hex(20)
        with self._lock:
            self._issued[token] = time.time() + self.lifetime
            self._refresh[refresh] = token
        return Response.json(
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": int(self.lifetime),
                "refresh_token": refresh,
                "scope": ["bearer"],
            }
        )

    def token_endpoint(self, req: Request) -> Response:
        """``POST /oauth2/token`` with Basic client credentials; password, client_credentials, refresh_token."""
        if req.method != "POST":
            raise ApiError(405, "method not allowed")
        auth = req.header("authorization") or ""
        client_id = secret = None
        if auth.lower().startswith("basic "):
            try:
                client_id, _, secret = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                client_id = None
        form = dict(parse_qsl(req.body.decode("utf-8", "replace")))
        client_id = client_id or form.get("client_id")
        secret = secret or form.get("client_secret")
        if client_id is None or self.clients.get(client_id) != secret:
            return Response.json({"error": "invalid_client", "error_description": "Invalid client"}, 401)
        grant = form.get("grant_type")
        if grant == "client_credentials":
            return self._issue()
        if grant == "password":
            if self.users.get(form.get("username", "")) != form.get("password"):
                return Response.json(
                    {"error": "invalid_grant", "error_description": "Invalid grant: user credentials are invalid"}, 400
                )
            return self._issue()
        if grant == "refresh_token":
            with self._lock:
                known = self._refresh.pop(form.get("refresh_token", ""), None)
            if known is None:
                return Response.json({"error": "invalid_grant", "error_description": "Invalid refresh token"}, 400)
            return self._issue()
        return Response.json(
            {"error": "unsupported_grant_type", "error_description": f"Unsupported grant type: {grant}"}, 400
        )


def _kong(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An answer in Kong's own shape (not NGSI's): ``{"message": ...}``."""
    return Response.json({"message": message}, status, headers=headers)


class ApiKeyGate:
    """Kong's key-auth plugin: the key in the header ``header`` (case-insensitive)."""

    def __init__(self, header: str, key: str) -> None:
        self.header = header
        self.key = key

    def check(self, req: Request) -> Response | None:
        given = req.header(self.header)
        challenge = {"WWW-Authenticate": 'Key realm="kong"'}
        if not given:
            return _kong(401, "No API key found in request", challenge)
        if not hmac.compare_digest(given.encode(), self.key.encode()):
            return _kong(401, "Invalid authentication credentials", challenge)
        return None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _oauth_error(status: int, error: str, description: str) -> Response:
    return Response.json({"error": error, "error_description": description}, status)


class OidcRealm:
    """A Keycloak realm's token endpoint and the Bearer check of the gateway that trusts it.

    Access tokens are JWTs (HS256, signed with a key of this realm) that expire after
    ``lifetime`` seconds; refresh tokens after ``refresh_lifetime``. As Keycloak does by
    default, the client-credentials grant issues no refresh token.
    """

    def __init__(self, name: str, lifetime: float = 300.0, refresh_lifetime: float | None = None) -> None:
        self.name = name
        self.lifetime = float(lifetime)
        self.refresh_lifetime = float(refresh_lifetime if refresh_lifetime is not None else max(1800.0, lifetime * 6))
        self.clients = dict(OIDC_DEMO_CLIENTS)
        self.users = dict(DEMO_USERS)
        self.issuer_url = ""  # set by whoever serves the endpoint (the tokens' "iss")
        self._key = secrets.token_bytes(32)
        self._access: dict[str, float] = {}
        self._refresh: dict[str, float] = {}
        self._lock = threading.Lock()
        self.grants: list[str] = []  # grant types served, in order

    @property
    def token_path(self) -> str:
        return f"/realms/{self.name}/protocol/openid-connect/token"

    def serves(self, req: Request) -> bool:
        return req.path.startswith(f"/realms/{self.name}/")

    def expire_all(self) -> None:
        """Make every access token expire now (refresh tokens stay valid)."""
        with self._lock:
            self._access = dict.fromkeys(self._access, 0.0)

    # -- gateway side ------------------------------------------------------------------------
    def check(self, req: Request) -> Response | None:
        """401 unless ``Authorization: Bearer`` carries an unexpired token of this realm."""
        auth = req.header("authorization") or ""
        challenge = {"WWW-Authenticate": f'Bearer realm="{self.name}"'}
        if not auth.lower().startswith("bearer "):
            return _kong(401, "Unauthorized", challenge)
        token = auth[7:].strip()
        with self._lock:
            expiry = self._access.get(token)
        if expiry is None or expiry < time.time() or not self._signed(token):
            challenge["WWW-Authenticate"] += ', error="invalid_token"'
            return _kong(401, "Unauthorized", challenge)
        return None

    # -- token endpoint ----------------------------------------------------------------------
    def route(self, req: Request) -> Response:
        """``/realms/{realm}/...``: the token endpoint and the OpenID discovery document."""
        if req.path == f"/realms/{self.name}/.well-known/openid-configuration":
            return Response.json(
                {
                    "issuer": self.issuer_url,
                    "token_endpoint": self.issuer_url + "/protocol/openid-connect/token",
                    "grant_types_supported": ["client_credentials", "password", "refresh_token"],
                }
            )
        if req.path != self.token_path:
            return Response.json({"error": "Unable to find matching target resource method"}, 404)
        if req.method != "POST":
            return Response.json({"error": "HTTP 405 Method Not Allowed"}, 405)
        form = dict(parse_qsl(req.body.decode("utf-8", "replace")))
        client_id, secret = form.get("client_id"), form.get("client_secret")
        auth = req.header("authorization") or ""
        if auth.lower().startswith("basic "):
            with contextlib.suppress(ValueError, UnicodeDecodeError):
                client_id, _, secret = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
        if client_id not in self.clients:
            return _oauth_error(401, "invalid_client", "Invalid client or Invalid client credentials")
        expected = self.clients[client_id]
        if expected is not None and (secret is None or not hmac.compare_digest(secret, expected)):
            return _oauth_error(401, "unauthorized_client", "Invalid client or Invalid client credentials")
        grant = form.get("grant_type")
        if grant == "client_credentials":
            if expected is None:
                return _oauth_error(401, "unauthorized_client", "Public client not allowed to retrieve service account")
            return self._issue(client_id, grant, refresh=False)
        if grant == "password":
            if self.users.get(form.get("username", "")) != form.get("password"):
                return _oauth_error(401, "invalid_grant", "Invalid user credentials")
            return self._issue(client_id, grant, refresh=True)
        if grant == "refresh_token":
            with self._lock:
                expiry = self._refresh.pop(form.get("refresh_token", ""), None)
            if expiry is None or expiry < time.time():
                return _oauth_error(400, "invalid_grant", "Token is not active")
            return self._issue(client_id, grant, refresh=True)
        return _oauth_error(400, "unsupported_grant_type", "Unsupported grant_type")

    def _issue(self, client_id: str, grant: str, refresh: bool) -> Response:
        now = time.time()
        claims = {
            "exp": int(now + self.lifetime),
            "iat": int(now),
            "jti": secrets.token_hex(8),
            "iss": self.issuer_url,
            "azp": client_id,
            "typ": "Bearer",
        }
        token = self._sign(claims)
        body: dict[str, Any] = {
            "access_token": token,
            "expires_in": int(self.lifetime),
            "token_type": "Bearer",
            "not-before-policy": 0,
            "scope": "profile email",
        }
        with self._lock:
            self._access[token] = now + self.lifetime
            self.grants.append(grant)
            if refresh:
                refresh_token = secrets.token_urlsafe(32)
                self._refresh[refresh_token] = now + self.refresh_lifetime
                body.update(refresh_token=refresh_token, refresh_expires_in=int(self.refresh_lifetime))
        return Response.json(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _sign(self, claims: dict[str, Any]) -> str:
        head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
        mac = hmac.new(self._key, f"{head}.{payload}".encode(), hashlib.sha256).digest()
        return f"{head}.{payload}.{_b64(mac)}"

    def _signed(self, token: str) -> bool:
        head, _, rest = token.partition(".")
        payload, _, signature = rest.partition(".")
        mac = hmac.new(self._key, f"{head}.{payload}".encode(), hashlib.sha256).digest()
        return hmac.compare_digest(_b64(mac), signature)


class Gatekeeper:
    """Every check the embedded city OS makes before answering, as configured at start.

    ``require_token`` alone: a PEP proxy (Wilma) with the Keyrock-style ``/oauth2/token``.
    With ``api_key_header``: Kong's key-auth, the key being ``require_token``.
    With ``oidc_realm``: a Keycloak realm's Bearer tokens only.
    """

    def __init__(
        self,
        require_token: str | None = None,
        api_key_header: str | None = None,
        oidc_realm: str | None = None,
        token_lifetime: float | None = None,
    ) -> None:
        if api_key_header and not require_token:
            raise ValueError("--api-key-header needs the key: --require-token KEY")
        self.api_key = ApiKeyGate(api_key_header, require_token) if api_key_header and require_token else None
        pep_token = None if self.api_key is not None else require_token
        self.issuer = TokenIssuer(pep_token, token_lifetime or 3600.0)
        self.realm = OidcRealm(oidc_realm, token_lifetime or 300.0) if oidc_realm else None

    @property
    def required(self) -> bool:
        return self.issuer.required or self.api_key is not None or self.realm is not None

    def expire_all(self) -> None:
        """Make every issued token expire now (to exercise a client's renewal)."""
        self.issuer.expire_all()
        if self.realm is not None:
            self.realm.expire_all()

    def route(self, req: Request) -> Response | None:
        """The answer of a token endpoint, or None for every other request."""
        if req.path == "/oauth2/token":
            return self.issuer.token_endpoint(req)
        if self.realm is not None and self.realm.serves(req):
            return self.realm.route(req)
        return None

    def check(self, req: Request) -> Response | None:
        """None when the request may go on, else the gateway's refusal (a PEP's raises ApiError)."""
        if req.path == "/oauth2/token" or (self.realm is not None and self.realm.serves(req)):
            return None
        for gate in (self.api_key, self.realm):
            refusal = gate.check(req) if gate is not None else None
            if refusal is not None:
                return refusal
        self.issuer.check(req)
        return None


class IdentityServer:
    """A realm's token endpoint on an address of its own (the identity provider on another host)."""

    def __init__(self, realm: OidcRealm, host: str = "127.0.0.1", port: int = 0) -> None:
        self.realm = realm

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "keycloak-sim"

            def log_message(self, *args: Any) -> None:
                return

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(min(length, 64 * 1024)) if length > 0 else b""
                resp = realm.route(Request(self.command, self.path, self.headers, body))
                self.send_response(resp.status)
                for key, value in resp.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(resp.body)))
                self.end_headers()
                self.wfile.write(resp.body)

            do_GET = do_POST = _handle

        self._http = ThreadingHTTPServer((host, port), Handler)
        self._http.daemon_threads = True
        self.host, self.port = self._http.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"
        realm.issuer_url = f"{self.url}/realms/{realm.name}"
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.1,), name="cityos-idp", daemon=True)
        self._thread.start()

    @property
    def token_url(self) -> str:
        return self.url + self.realm.token_path

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()
