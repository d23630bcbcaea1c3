"""From a saved connection to a client configuration: secrets from the QGIS auth DB, QGIS's proxy.

The secret (token, password, client secret) is read from the QGIS authentication database
into the in-memory :class:`ConnectionConfig` only; nothing here writes it anywhere.

Supported QGIS authentication methods:

* ``APIHeader`` (QGIS 3.26+): one header of any name with the token or API key — ``X-Auth-Token``,
  ``Authorization: Bearer …``, Kong's ``apikey``, Azure's ``Ocp-Apim-Subscription-Key``,
  ``x-api-key``; the value is sent as it is written.
* ``Basic``, the same on every QGIS: the user name says where the password (the key) goes —
  ``header:NAME`` sends it as is in the header NAME (``header:apikey``), ``bearer:NAME`` as
  ``Bearer <key>`` (``bearer:Authorization``); ``__token__`` and ``__bearer__`` are short for
  ``header:X-Auth-Token`` and ``bearer:Authorization``.
* ``EsriToken``: its token is sent as ``X-Auth-Token``.
* ``OAuth2``: the resource-owner (password) grant, or the client-credentials grant when the
  configuration has a client secret and no user name. Tokens from an OpenID Connect endpoint
  (Keycloak's ``…/protocol/openid-connect/token``) go in ``Authorization: Bearer``; tokens from a
  Keyrock-style ``/oauth2/token`` in ``X-Auth-Token`` (what Wilma checks).
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from typing import Any

from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings

from smartcity_qgis.cityos_client.config import (
    AUTH_OAUTH2_CLIENT,
    AUTH_OAUTH2_PASSWORD,
    AUTH_TOKEN,
    ConnectionConfig,
)
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.connections import Connection, ConnectionRecordError

TOKEN_USER = "__token__"
BEARER_USER = "__bearer__"
# Basic user names "header:NAME" and "bearer:NAME": the password is the key, sent in the header NAME.
HEADER_PREFIX = "header"
BEARER_PREFIX = "bearer"
# QGIS's OAuth2 grant flows (QgsAuthOAuth2Config::GrantFlow).
_GRANT_RESOURCE_OWNER = 2
# The embedded city OS serves a QuantumLeap-style history API under this path.
DEMO_TIMESERIES_PATH = "/ql"

_detected_flavors: dict[tuple[str, str], str] = {}
_detected_lock = threading.Lock()


def to_client_config(conn: Connection, flavor: str | None = None) -> ConnectionConfig:
    """The client configuration for ``conn``, with its secret loaded from the QGIS auth DB.

    ``flavor`` overrides the connection's; a connection set to "auto" uses the flavor detected
    earlier by :func:`detect_flavor` (NGSI-v2 until then). The demo connection starts the embedded
    city OS if it is not running yet. Raises :class:`ConnectionRecordError` with a message for the
    user when the connection or its authentication configuration cannot be used.
    """
    problems = conn.problems()
    if problems:
        raise ConnectionRecordError("\n".join(problems))
    url = conn.url.strip()
    proxies = proxies_for(url)
    timeseries_url = conn.timeseries_url.strip()
    mqtt_url = conn.mqtt_url.strip()
    if conn.demo:
        from smartcity_qgis.layers.cityos.demo_cityos import demo_server

        url = demo_server().url
        proxies = {"no_proxy": urllib.parse.urlsplit(url).hostname or "127.0.0.1"}
        timeseries_url = url + DEMO_TIMESERIES_PATH
        mqtt_url = getattr(demo_server(), "mqtt_url", None) or ""
    chosen = flavor or conn.flavor
    if chosen == "auto":
        chosen = known_flavor(conn) or "ngsi-v2"
    options: dict[str, Any] = {
        "url": url,
        "flavor": chosen,
        "tenant": conn.tenant or None,
        "service_path": conn.service_path,
        "verify_tls": bool(conn.verify_tls),
        "ca_bundle": conn.ca_bundle or None,
        "proxies": proxies,
        "connect_timeout": min(10.0, float(conn.timeout)),
        "read_timeout": float(conn.timeout),
        "context": conn.context or None,
        "area_of_interest": conn.area_of_interest,
        "timeseries_url": timeseries_url or None,
        "temporal_url": conn.temporal_url.strip() or None,
        "mqtt_url": mqtt_url or None,
        "mqtt_broker_url": conn.mqtt_broker_url.strip() or None,
        "push_host": conn.push_listen_host.strip() or "127.0.0.1",
        "push_port": int(conn.push_listen_port),
        "notify_url": conn.push_notify_url.strip() or None,
    }
    if conn.authcfg:
        options.update(auth_options(conn.authcfg))
    if conn.mqtt_authcfg:
        user, password = basic_credentials(conn.mqtt_authcfg, tr("MQTT"))
        options.update(mqtt_username=user or None, mqtt_password=password or None)
    try:
        return ConnectionConfig(**options)
    except ValueError as exc:
        raise ConnectionRecordError(tr("Connection {0} cannot be used: {1}").format(conn.name, exc)) from exc


def auth_options(authcfg: str) -> dict[str, Any]:
    """Client auth settings from the QGIS authentication configuration ``authcfg`` (in memory)."""
    manager = QgsApplication.authManager()
    if manager.isDisabled():
        raise ConnectionRecordError(tr("The QGIS authentication system is not available."))
    cfg = QgsAuthMethodConfig()
    loaded = manager.loadAuthenticationConfig(authcfg, cfg, True)
    if isinstance(loaded, tuple):  # some PyQGIS builds return (ok, config)
        loaded, cfg = loaded
    if not loaded or not cfg.isValid(True):
        raise ConnectionRecordError(
            tr("Authentication configuration {0} was not found or could not be unlocked.").format(authcfg)
        )
    method = cfg.method()
    if method == "APIHeader":
        return _from_headers(cfg.configMap(), authcfg)
    if method == "EsriToken":
        return _token(cfg.config("token"), "X-Auth-Token", authcfg)
    if method == "Basic":
        return _from_basic(cfg, authcfg)
    if method == "OAuth2":
        return _from_oauth2(cfg, authcfg)
    raise ConnectionRecordError(
        tr("Authentication method {0} cannot be used for a city OS: choose Basic, API header or OAuth2.").format(method)
    )


def _token(value: str, header: str, authcfg: str, prefix: str | None = "") -> dict[str, Any]:
    if not value:
        raise ConnectionRecordError(tr("Authentication configuration {0} holds no token.").format(authcfg))
    return {"auth": AUTH_TOKEN, "token": value, "token_header": header, "token_prefix": prefix}


def _from_headers(headers: dict[str, str], authcfg: str) -> dict[str, Any]:
    named = {str(k).strip(): str(v) for k, v in headers.items() if str(k).strip()}
    if len(named) != 1:
        raise ConnectionRecordError(
            tr("API header configuration {0} must hold exactly one header (the token or API key).").format(authcfg)
        )
    header, value = next(iter(named.items()))
    if header.lower() == "authorization" and value.lower().startswith("bearer "):
        return _token(value[7:].strip(), header, authcfg, "Bearer")
    return _token(value, header, authcfg)


def _from_basic(cfg: QgsAuthMethodConfig, authcfg: str) -> dict[str, Any]:
    user, password = cfg.config("username").strip(), cfg.config("password")
    if user == TOKEN_USER:
        return _token(password, "X-Auth-Token", authcfg)
    if user == BEARER_USER:
        return _token(password, "Authorization", authcfg, "Bearer")
    kind, _, header = user.partition(":")
    if kind.lower() in (HEADER_PREFIX, BEARER_PREFIX) and header.strip():
        return _token(password, header.strip(), authcfg, "Bearer" if kind.lower() == BEARER_PREFIX else "")
    raise ConnectionRecordError(
        tr(
            "Basic authentication configuration {0}: use the user name header:NAME (the key as password, sent in the header NAME, e.g. header:apikey), bearer:Authorization or __token__, or the OAuth2 method for a user name and password."  # noqa: E501
        ).format(authcfg)
    )


def _from_oauth2(cfg: QgsAuthMethodConfig, authcfg: str) -> dict[str, Any]:
    raw = cfg.config("oauth2config")
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict) or not data.get("tokenUrl"):
        raise ConnectionRecordError(
            tr(
                "OAuth2 configuration {0} has no token URL (predefined OAuth2 configurations are not supported)."
            ).format(authcfg)
        )
    common = {
        "token_url": str(data["tokenUrl"]),
        "client_id": str(data.get("clientId") or "") or None,
        "client_secret": str(data.get("clientSecret") or "") or None,
    }
    # An OpenID Connect endpoint (Keycloak) issues Bearer tokens; Keyrock's are checked by Wilma as X-Auth-Token.
    oidc = "/protocol/openid-connect/" in common["token_url"] or "/oauth2/token" not in common["token_url"]
    common["token_header"] = "Authorization" if oidc else "X-Auth-Token"
    if int(data.get("grantFlow", -1)) == _GRANT_RESOURCE_OWNER or data.get("username"):
        return {
            "auth": AUTH_OAUTH2_PASSWORD,
            "username": str(data.get("username") or ""),
            "password": str(data.get("password") or ""),
            **common,
        }
    if common["client_secret"]:
        return {"auth": AUTH_OAUTH2_CLIENT, **common}
    raise ConnectionRecordError(
        tr("OAuth2 configuration {0}: use the resource owner grant, or give a client secret.").format(authcfg)
    )


# -- proxy --------------------------------------------------------------------------------------
def proxies_for(url: str, settings: QgsSettings | None = None) -> dict[str, str] | None:
    """``requests`` proxies honouring QGIS's network settings (Settings ▸ Options ▸ Network).

    None means "the system's proxy" (environment variables), as QGIS's "Default proxy" does.
    A URL listed in QGIS's proxy exclusions goes direct.
    """
    s = settings or QgsSettings()
    if not s.value("proxy/proxyEnabled", False, type=bool):
        return _direct(url)
    excluded = _string_list(s.value("proxy/proxyExcludedUrls", [])) + _string_list(s.value("proxy/noProxyUrls", []))
    if any(prefix and url.startswith(prefix) for prefix in excluded):
        return _direct(url)
    kind = s.value("proxy/proxyType", "", type=str)
    if kind in ("DefaultProxy", ""):
        return None
    host = s.value("proxy/proxyHost", "", type=str).strip()
    port = s.value("proxy/proxyPort", "", type=str).strip()
    if not host:
        return None
    user = s.value("proxy/proxyUser", "", type=str)
    password = s.value("proxy/proxyPassword", "", type=str)
    proxy_authcfg = s.value("proxy/authcfg", "", type=str)
    if proxy_authcfg:  # QGIS keeps the proxy's credentials in the auth DB when this is set
        user, password = basic_credentials(proxy_authcfg, tr("proxy"))
    creds = ""
    if user:
        creds = urllib.parse.quote(user, safe="")
        if password:
            creds += ":" + urllib.parse.quote(password, safe="")
        creds += "@"
    scheme = "socks5h" if kind == "Socks5Proxy" else "http"
    proxy = f"{scheme}://{creds}{host}{':' + port if port else ''}"
    return {"http": proxy, "https": proxy}


def basic_credentials(authcfg: str, purpose: str) -> tuple[str, str]:
    """User name and password of a Basic authentication configuration (in memory only)."""
    manager = QgsApplication.authManager()
    cfg = QgsAuthMethodConfig()
    loaded = False if manager.isDisabled() else manager.loadAuthenticationConfig(authcfg, cfg, True)
    if isinstance(loaded, tuple):
        loaded, cfg = loaded
    if not loaded or cfg.method() != "Basic":
        raise ConnectionRecordError(
            tr("The {0} authentication configuration {1} is missing or is not Basic.").format(purpose, authcfg)
        )
    return cfg.config("username"), cfg.config("password")


def _direct(url: str) -> dict[str, str]:
    host = urllib.parse.urlsplit(url).hostname or ""
    return {"no_proxy": host} if host else {}


def _string_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split("|") if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


# -- flavor detection ---------------------------------------------------------------------------
def known_flavor(conn: Connection) -> str | None:
    """The flavor detected for an "auto" connection, if :func:`detect_flavor` ran already."""
    if conn.flavor != "auto":
        return conn.flavor
    with _detected_lock:
        return _detected_flavors.get((conn.url.strip(), conn.tenant))


def remember_flavor(conn: Connection, flavor: str) -> None:
    with _detected_lock:
        _detected_flavors[(conn.url.strip(), conn.tenant)] = flavor
