"""Credentials for the broker: static tokens and OAuth2 grants against a token URL (Keyrock style).

Tokens are renewed before they expire and once more when the broker answers 401.
Secrets stay in memory (they come from the caller, e.g. the QGIS auth database).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import requests

from smartcity_qgis.cityos_client.config import (
    AUTH_NONE,
    AUTH_OAUTH2_CLIENT,
    AUTH_OAUTH2_PASSWORD,
    AUTH_TOKEN,
    ConnectionConfig,
)
from smartcity_qgis.cityos_client.errors import (
    AuthError,
    CityOSConnectionError,
    RequestTimeoutError,
)

# Renew this many seconds before the announced expiry, so that a page never leaves with a dying token.
_EXPIRY_MARGIN = 30.0


class TokenSource:
    """Authentication headers for one connection; thread-safe."""

    def __init__(self, config: ConnectionConfig, session: requests.Session) -> None:
        self._config = config
        self._session = session
        self._lock = threading.Lock()
        self._token: str | None = config.token if config.auth == AUTH_TOKEN else None
        self._refresh: str | None = None
        self._expires_at: float | None = None
        self.fetch_count = 0

    @property
    def renewable(self) -> bool:
        """True when a 401 can be cured by fetching a new token."""
        return self._config.auth in (AUTH_OAUTH2_PASSWORD, AUTH_OAUTH2_CLIENT)

    def headers(self) -> dict[str, str]:
        """The header carrying the current token (fetching or renewing it when needed)."""
        mode = self._config.auth
        if mode == AUTH_NONE:
            return {}
        if mode == AUTH_TOKEN:
            if not self._token:
                raise AuthError("a static token is configured but empty")
            return self._format(self._token)
        with self._lock:
            if self._token is None or (self._expires_at is not None and time.monotonic() >= self._expires_at):
                self._fetch()
            assert self._token is not None
            return self._format(self._token)

    def invalidate(self) -> None:
        """Forget the current token (the broker refused it)."""
        with self._lock:
            if self.renewable:
                self._token = None

    def _format(self, token: str) -> dict[str, str]:
        return {self._config.token_header: self._config.token_value(token)}

    def _fetch(self) -> None:
        cfg = self._config
        data: dict[str, Any]
        if self._refresh:
            data = {"grant_type": "refresh_token", "refresh_token": self._refresh}
            try:
                self._request(data)
                return
            except AuthError:
                self._refresh = None  # refresh token expired: fall back to the full grant
        if cfg.auth == AUTH_OAUTH2_PASSWORD:
            data = {"grant_type": "password", "username": cfg.username or "", "password": cfg.password or ""}
        else:
            data = {"grant_type": "client_credentials"}
        self._request(data)

    def _request(self, data: dict[str, Any]) -> None:
        cfg = self._config
        # A confidential client authenticates with HTTP Basic (Keyrock, Keycloak's default); a public
        # client (no secret) names itself in the form, as Keycloak requires.
        auth = (cfg.client_id, cfg.client_secret) if cfg.client_id and cfg.client_secret else None
        if auth is None and cfg.client_id:
            data["client_id"] = cfg.client_id
        if auth is None and cfg.client_secret:
            data["client_secret"] = cfg.client_secret
        try:
            resp = self._session.post(
                cfg.token_url,  # type: ignore[arg-type]
                data=data,
                auth=auth,
                headers={"Accept": "application/json"},
                timeout=(cfg.connect_timeout, cfg.read_timeout),
                verify=cfg.ca_bundle or cfg.verify_tls,
                allow_redirects=False,  # the credentials in this request go to the token endpoint only
            )
        except requests.Timeout as exc:
            raise RequestTimeoutError(f"token URL {cfg.token_url} did not answer: {exc}") from None
        except requests.RequestException as exc:
            raise CityOSConnectionError(f"token URL {cfg.token_url} unreachable: {exc}") from None
        self.fetch_count += 1
        if resp.is_redirect:
            raise AuthError(
                f"the token endpoint {cfg.token_url} redirected to {resp.headers.get('Location')}: the credentials"
                " were not sent there; give the final token URL in the connection",
                status=resp.status_code,
                url=cfg.token_url,
            )
        try:
            body = resp.json()
        except ValueError:
            body = None
        if resp.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
            error = description = None
            if isinstance(body, dict):
                error = body.get("error")
                description = body.get("error_description") or body.get("description")
            detail = ": ".join(str(p) for p in (error, description) if p) or f"HTTP {resp.status_code}"
            raise AuthError(
                f"the identity manager refused the credentials ({detail})",
                status=resp.status_code,
                error=error,
                description=description,
                url=cfg.token_url,
            )
        self._token = str(body["access_token"])
        self._refresh = body.get("refresh_token") or self._refresh
        expires_in = body.get("expires_in")
        if isinstance(expires_in, int | float) and expires_in > 0:
            self._expires_at = time.monotonic() + max(0.0, float(expires_in) - min(_EXPIRY_MARGIN, expires_in / 2))
        else:
            self._expires_at = None
