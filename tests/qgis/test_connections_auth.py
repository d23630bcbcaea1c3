"""Secrets come from the QGIS auth DB into memory only; QGIS's proxy settings are honoured."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsProject, QgsSettings

from smartcity_qgis.cityos_client import CityOSClient
from smartcity_qgis.layers.cityos.connection_config import (
    BEARER_USER,
    TOKEN_USER,
    proxies_for,
    to_client_config,
)
from smartcity_qgis.layers.cityos.connections import Connection, ConnectionRecordError, ConnectionStore

SECRET = "s3cr3t-" + uuid.uuid4().hex


@pytest.fixture
def auth_config(qgis_auth_manager):
    """Make QGIS auth configurations; remove them afterwards."""
    made: list[str] = []

    def make(method: str, **config: str) -> str:
        cfg = QgsAuthMethodConfig(method)
        cfg.setName(f"smartcity test {method} {uuid.uuid4().hex[:6]}")
        for key, value in config.items():
            cfg.setConfig(key, value)
        assert qgis_auth_manager.storeAuthenticationConfig(cfg)
        made.append(cfg.id())
        return cfg.id()

    yield make
    for authcfg in made:
        qgis_auth_manager.removeAuthenticationConfig(authcfg)


@pytest.fixture
def store(qgis_app):
    root = f"SmartCityTest/{uuid.uuid4().hex}/connections"
    yield ConnectionStore(root=root)
    QgsSettings().remove(root.rsplit("/", 1)[0])


def connection(authcfg: str = "", url: str = "https://orion.example.jp") -> Connection:
    return Connection(name="auth test", url=url, flavor="ngsi-v2", tenant="okazaki", authcfg=authcfg)


def test_basic_token_convention_reads_the_secret_into_memory(auth_config):
    cfg = to_client_config(connection(auth_config("Basic", username=TOKEN_USER, password=SECRET)))
    assert (cfg.auth, cfg.token, cfg.token_header) == ("token", SECRET, "X-Auth-Token")
    assert SECRET not in repr(cfg)
    cfg = to_client_config(connection(auth_config("Basic", username=BEARER_USER, password=SECRET)))
    assert (cfg.auth, cfg.token, cfg.token_header) == ("token", SECRET, "Authorization")


def test_esri_token_method_holds_a_static_token(auth_config):
    cfg = to_client_config(connection(auth_config("EsriToken", token=SECRET)))
    assert (cfg.auth, cfg.token) == ("token", SECRET)


def test_api_header_method_when_qgis_has_it(auth_config):
    if "APIHeader" not in QgsApplication.authManager().authMethodsKeys():
        pytest.skip("this QGIS has no APIHeader authentication method (added in QGIS 3.26)")
    cfg = to_client_config(connection(auth_config("APIHeader", **{"Authorization": f"Bearer {SECRET}"})))
    assert (cfg.auth, cfg.token, cfg.token_header) == ("token", SECRET, "Authorization")


def test_oauth2_password_and_client_credentials(auth_config):
    password_grant = {
        "grantFlow": 2,
        "tokenUrl": "https://keyrock.example.jp/oauth2/token",
        "clientId": "qgis",
        "clientSecret": "client-" + SECRET,
        "username": "officer",
        "password": SECRET,
    }
    cfg = to_client_config(connection(auth_config("OAuth2", oauth2config=json.dumps(password_grant))))
    assert cfg.auth == "oauth2-password"
    assert (cfg.username, cfg.password, cfg.client_secret) == ("officer", SECRET, "client-" + SECRET)
    assert cfg.token_url == password_grant["tokenUrl"]
    client_grant = {k: v for k, v in password_grant.items() if k not in ("username", "password")}
    client_grant["grantFlow"] = 4
    cfg = to_client_config(connection(auth_config("OAuth2", oauth2config=json.dumps(client_grant))))
    assert cfg.auth == "oauth2-client-credentials" and cfg.client_secret == "client-" + SECRET


@pytest.mark.parametrize(
    ("method", "config", "fragment"),
    [
        ("Basic", {"username": "officer", "password": SECRET}, "__token__"),
        ("Basic", {"username": TOKEN_USER, "password": ""}, "no token"),
        ("OAuth2", {"oauth2config": "{broken"}, "token URL"),
        ("Identity-Cert", {"certid": "x"}, "Identity-Cert"),
    ],
)
def test_unusable_auth_configs_are_explained(auth_config, method, config, fragment):
    with pytest.raises(ConnectionRecordError, match=fragment) as info:
        to_client_config(connection(auth_config(method, **config)))
    assert SECRET not in str(info.value)


def test_missing_auth_config_is_explained(qgis_auth_manager):
    with pytest.raises(ConnectionRecordError, match="nosuch1"):
        to_client_config(connection("nosuch1"))


def test_no_secret_in_settings_export_or_project(auth_config, store, tmp_path):
    authcfg = auth_config("Basic", username=TOKEN_USER, password=SECRET)
    conn = connection(authcfg)
    store.save(conn)
    exported = store.export_json()
    assert authcfg in exported and SECRET not in exported
    QgsSettings().sync()
    assert SECRET not in Path(QgsSettings().fileName()).read_text(encoding="utf-8", errors="replace")
    project_file = tmp_path / "p.qgz"
    QgsProject.instance().writeEntry("SmartCity", "connection", conn.name)
    assert QgsProject.instance().write(str(project_file))
    import zipfile

    with zipfile.ZipFile(project_file) as qgz:
        for name in qgz.namelist():
            assert SECRET.encode() not in qgz.read(name)


# -- proxy -----------------------------------------------------------------------------------
@pytest.fixture
def proxy_settings(qgis_app):
    keys = [
        "proxyEnabled",
        "proxyType",
        "proxyHost",
        "proxyPort",
        "proxyUser",
        "proxyPassword",
        "proxyExcludedUrls",
        "noProxyUrls",
        "authcfg",
    ]
    settings = QgsSettings()
    saved = {k: settings.value(f"proxy/{k}") for k in keys}

    def configure(**values):
        for key, value in values.items():
            settings.setValue(f"proxy/{key}", value)

    yield configure
    for key, value in saved.items():
        if value is None:
            settings.remove(f"proxy/{key}")
        else:
            settings.setValue(f"proxy/{key}", value)


def test_proxy_settings_become_requests_proxies(proxy_settings):
    proxy_settings(proxyEnabled=False)
    assert proxies_for("http://orion.example.jp:1026") == {"no_proxy": "orion.example.jp"}
    proxy_settings(
        proxyEnabled=True,
        proxyType="HttpProxy",
        proxyHost="proxy.city.lg.jp",
        proxyPort="8080",
        proxyUser="職員",
        proxyPassword="p@ss:word",
        proxyExcludedUrls="",
    )
    proxies = proxies_for("http://orion.example.jp:1026")
    assert proxies["http"] == proxies["https"] == "http://%E8%81%B7%E5%93%A1:p%40ss%3Aword@proxy.city.lg.jp:8080"
    proxy_settings(proxyExcludedUrls=["http://orion.example.jp"])
    assert proxies_for("http://orion.example.jp:1026/v2") == {"no_proxy": "orion.example.jp"}
    proxy_settings(proxyExcludedUrls="", proxyType="DefaultProxy")
    assert proxies_for("http://orion.example.jp:1026") is None


def test_proxy_credentials_from_the_auth_database(proxy_settings, auth_config):
    authcfg = auth_config("Basic", username="proxyuser", password=SECRET)
    proxy_settings(
        proxyEnabled=True,
        proxyType="HttpProxy",
        proxyHost="proxy.city.lg.jp",
        proxyPort="3128",
        proxyUser="",
        proxyPassword="",
        proxyExcludedUrls="",
        authcfg=authcfg,
    )
    proxies = proxies_for("https://orion.example.jp")
    assert proxies["https"] == f"http://proxyuser:{SECRET}@proxy.city.lg.jp:3128"
    proxy_settings(authcfg="missing9")
    with pytest.raises(ConnectionRecordError, match="missing9"):
        proxies_for("https://orion.example.jp")
    proxy_settings(authcfg="")


class _RecordingProxy(BaseHTTPRequestHandler):
    """A forward proxy on loopback that answers for the city OS itself, recording what it saw."""

    seen: ClassVar[list[str]] = []

    def do_GET(self):
        type(self).seen.append(self.path)
        body = json.dumps([{"type": "WaterObserved", "count": 3, "attrs": {"height": {"types": ["Number"]}}}])
        if "/version" in self.path:
            body = json.dumps({"orion": {"version": "4.0.0"}})
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def test_requests_go_through_the_qgis_proxy(proxy_settings, qgis_app):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RecordingProxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        proxy_settings(
            proxyEnabled=True,
            proxyType="HttpProxy",
            proxyHost="127.0.0.1",
            proxyPort=str(server.server_address[1]),
            proxyUser="",
            proxyPassword="",
            proxyExcludedUrls="",
        )
        _RecordingProxy.seen = []
        cfg = to_client_config(connection(url="http://cityos.invalid:1026"))
        types = CityOSClient(cfg).types()
        assert [t.name for t in types] == ["WaterObserved"]
        assert any(p.startswith("http://cityos.invalid:1026/v2/types") for p in _RecordingProxy.seen)
    finally:
        server.shutdown()
        server.server_close()
