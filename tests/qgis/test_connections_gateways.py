"""API-key and OpenID Connect gateways from the QGIS authentication database, loaded for real."""

from __future__ import annotations

import json
import uuid

import pytest
from qgis.core import QgsApplication, QgsAuthMethodConfig

from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.layers import load_entity_layer
from smartcity_qgis.layers.cityos.connection_config import to_client_config
from smartcity_qgis.layers.cityos.connections import Connection, ConnectionRecordError

KEY = "apikey-" + uuid.uuid4().hex


@pytest.fixture
def auth_config(qgis_auth_manager):
    made: list[str] = []

    def make(method: str, **config: str) -> str:
        cfg = QgsAuthMethodConfig(method)
        cfg.setName(f"smartcity gateway test {uuid.uuid4().hex[:6]}")
        for key, value in config.items():
            cfg.setConfig(key, value)
        assert qgis_auth_manager.storeAuthenticationConfig(cfg)
        made.append(cfg.id())
        return cfg.id()

    yield make
    for authcfg in made:
        qgis_auth_manager.removeAuthenticationConfig(authcfg)


def conn(url: str, authcfg: str, flavor: str = "ngsi-v2") -> Connection:
    return Connection(name="gateway", url=url, flavor=flavor, tenant="okazaki", authcfg=authcfg)


@pytest.mark.parametrize(
    ("user", "header", "value"),
    [
        ("header:apikey", "apikey", KEY),
        ("header:Ocp-Apim-Subscription-Key", "Ocp-Apim-Subscription-Key", KEY),
        ("bearer:Authorization", "Authorization", f"Bearer {KEY}"),
        ("__token__", "X-Auth-Token", KEY),
    ],
)
def test_basic_config_names_the_header_the_key_goes_in(auth_config, user, header, value):
    cfg = to_client_config(conn("https://gw.example.jp", auth_config("Basic", username=user, password=KEY)))
    assert cfg.token_header == header and cfg.token_value(cfg.token) == value
    assert KEY not in repr(cfg)


def test_api_header_method_any_header(auth_config):
    if "APIHeader" not in QgsApplication.authManager().authMethodsKeys():
        pytest.skip("this QGIS has no APIHeader authentication method (QGIS 3.26+); Basic header:NAME is tested")
    cfg = to_client_config(conn("https://gw.example.jp", auth_config("APIHeader", **{"x-api-key": KEY})))
    assert (cfg.token_header, cfg.token_value(cfg.token)) == ("x-api-key", KEY)


def test_api_header_with_several_headers_is_explained(auth_config):
    if "APIHeader" not in QgsApplication.authManager().authMethodsKeys():
        pytest.skip("this QGIS has no APIHeader authentication method (QGIS 3.26+)")
    with pytest.raises(ConnectionRecordError, match="exactly one header"):
        to_client_config(conn("https://gw.example.jp", auth_config("APIHeader", a="1", b="2")))


def test_a_layer_loads_through_kong_with_the_key_from_the_auth_db(auth_config):
    with start_server(scenario="okazaki", auto_advance=False, require_token=KEY, api_key_header="apikey") as srv:
        authcfg = auth_config("Basic", username="header:apikey", password=KEY)
        layer = load_entity_layer(to_client_config(conn(srv.url, authcfg)), "WaterObserved")
        assert layer.featureCount() > 0


def test_a_layer_loads_through_keycloak_with_the_token_endpoint_elsewhere(auth_config):
    with start_server(
        scenario="okazaki", auto_advance=False, oidc_realm="city", oidc_host="127.0.0.2", token_lifetime=60
    ) as srv:
        oauth2 = {
            "grantFlow": 2,
            "tokenUrl": srv.token_url,
            "clientId": "cityos-demo",
            "clientSecret": "cityos-demo-secret",
            "username": "demo",
            "password": "demo",
        }
        authcfg = auth_config("OAuth2", oauth2config=json.dumps(oauth2))
        cfg = to_client_config(conn(srv.url, authcfg, "ngsi-ld"))
        assert cfg.token_header == "Authorization"  # OpenID Connect tokens are Bearer tokens
        layer = load_entity_layer(cfg, "WaterObserved")
        assert layer.featureCount() > 0
        assert srv.auth.realm.grants == ["password"]


def test_the_temporal_and_push_settings_reach_the_client(qgis_app):
    conn = Connection(
        name="orion-ld",
        url="https://orion-ld.example.jp",
        flavor="ngsi-ld",
        temporal_url="https://mintaka.example.jp:8080",
        push_listen_host="0.0.0.0",
        push_listen_port=8765,
        push_notify_url="https://gw.example.jp/qgis",
    )
    cfg = to_client_config(conn)
    assert cfg.temporal_url == "https://mintaka.example.jp:8080"
    assert (cfg.push_host, cfg.push_port, cfg.notify_url) == ("0.0.0.0", 8765, "https://gw.example.jp/qgis")
    assert "mintaka.example.jp" in cfg.credential_hosts  # the temporal service gets the token too
