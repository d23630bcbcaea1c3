"""Token checks as a PEP proxy (Wilma) does them, and a Keyrock-style OAuth2 token endpoint."""

from __future__ import annotations

import base64
import secrets
import threading
import time
from urllib.parse import parse_qsl

from smartcity_qgis.cityos_sim.http_api import ApiError, Request, Response

DEMO_CLIENTS = {"cityos-demo": "cityos-demo-secret"}
DEMO_USERS = {"demo": "demo"}


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
