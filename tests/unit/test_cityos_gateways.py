"""Loads through the embedded city OS standing in for Kong (API key) and Keycloak (OIDC).

Real HTTP on loopback; in OIDC mode the token endpoint is on another loopback address
(127.0.0.2) than the broker (127.0.0.1).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from smartcity_qgis.cityos_client import AuthError, CityOSClient, ConnectionConfig
from smartcity_qgis.cityos_sim import start_server
from tests.conftest import REPO, free_port

KEY = "kong-key-" + "7c1e"


def raw_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


@pytest.fixture
def kong():
    srv = start_server(scenario="okazaki", auto_advance=False, require_token=KEY, api_key_header="apikey")
    yield srv
    srv.stop()


def test_kong_mode_answers_as_kong_key_auth_does(kong):
    url = kong.url + "/v2/entities?type=WaterObserved"
    assert raw_get(url) == (401, {"message": "No API key found in request"})
    assert raw_get(url, {"apikey": "wrong"}) == (401, {"message": "Invalid authentication credentials"})
    assert raw_get(url, {"X-Auth-Token": KEY}) == (401, {"message": "No API key found in request"})
    status, body = raw_get(url, {"apikey": KEY})
    assert status == 200 and body


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_a_load_through_kong_sends_the_key_in_the_named_header(kong, flavor):
    config = ConnectionConfig(
        url=kong.url, flavor=flavor, tenant="okazaki", auth="token", token=KEY, token_header="apikey"
    )
    with CityOSClient(config) as client:
        assert len(list(client.iter_entities("WaterObserved"))) > 0
    wrong = config.with_changes(token="not-the-key")
    with CityOSClient(wrong) as client, pytest.raises(AuthError) as info:
        list(client.iter_entities("WaterObserved"))
    assert "Invalid authentication credentials" in str(info.value)  # Kong's own words reach the user


def test_the_command_line_starts_kong_mode():
    port = free_port()
    command = [sys.executable, "-m", "smartcity_qgis.cityos_sim", "--port", str(port)]
    command += ["--api-key-header", "x-api-key", "--require-token", KEY, "--oidc-realm", "city"]
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(8)]
        assert any("x-api-key" in line for line in lines)
        assert any("/realms/city/protocol/openid-connect/token" in line for line in lines)
        url = f"http://127.0.0.1:{port}/v2/entities"
        assert raw_get(url)[1] == {"message": "No API key found in request"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# -- OIDC (Keycloak) -------------------------------------------------------------------------------
@pytest.fixture
def keycloak():
    """Broker on 127.0.0.1, the realm's token endpoint on 127.0.0.2; tokens live 2 s."""
    srv = start_server(
        scenario="synthetic",
        entities=3000,
        types=["ParkingSpot"],
        auto_advance=False,
        oidc_realm="city",
        oidc_host="127.0.0.2",
        token_lifetime=2,
    )
    yield srv
    srv.stop()


def oidc_config(srv, flavor: str = "ngsi-v2", **changes) -> ConnectionConfig:
    options = {
        "url": srv.url,
        "flavor": flavor,
        "auth": "oauth2-password",
        "token_url": srv.token_url,
        "client_id": "cityos-demo",
        "client_secret": "cityos-demo-secret",
        "username": "demo",
        "password": "demo",
        "token_header": "Authorization",
        "page_size": 100,
    }
    options.update(changes)
    return ConnectionConfig(**options)


def test_the_token_endpoint_is_keycloak_shaped_and_on_another_host(keycloak):
    assert keycloak.token_url.startswith("http://127.0.0.2:")
    assert keycloak.token_url.endswith("/realms/city/protocol/openid-connect/token")
    data = b"grant_type=password&client_id=cityos-public&username=demo&password=wrong"
    req = urllib.request.Request(keycloak.token_url, data=data)
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=10)
    assert info.value.code == 401
    assert json.loads(info.value.read()) == {"error": "invalid_grant", "error_description": "Invalid user credentials"}
    # The broker accepts nothing but the realm's Bearer tokens.
    assert raw_get(keycloak.url + "/v2/entities")[0] == 401
    assert raw_get(keycloak.url + "/v2/entities", {"Authorization": "Bearer forged.token.here"})[0] == 401


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_a_long_load_survives_token_expiry_and_refresh(keycloak, flavor):
    """Tokens expire every 2 s during a load of 30 pages: the client refreshes them (refresh
    grant) before they die, and once every token is revoked mid-load (401) it gets a new one."""
    pages: list[int] = []

    def slow_reader(done: int, _total: int | None) -> None:
        pages.append(done)
        if len(pages) == 12:
            keycloak.auth.realm.expire_all()  # the IdP revokes every access token at once
        time.sleep(0.15)

    with CityOSClient(oidc_config(keycloak, flavor)) as client:
        ids = [e.id for e in client.iter_entities("ParkingSpot", progress=slow_reader)]
    assert len(ids) == len(set(ids)) == 3000
    grants = keycloak.auth.realm.grants
    assert grants[0] == "password" and grants.count("refresh_token") >= 2
    assert "password" not in grants[1:]  # the password is sent once; refresh tokens do the rest
    assert all(status != 500 for status in keycloak.stats["by_status"])


def test_client_credentials_and_a_public_client(keycloak):
    service = oidc_config(keycloak, auth="oauth2-client-credentials", username=None, password=None)
    with CityOSClient(service) as client:
        assert client.count("ParkingSpot") == 3000
    public = oidc_config(keycloak, client_id="cityos-public", client_secret=None)
    with CityOSClient(public) as client:
        assert client.types()
    wrong = oidc_config(keycloak, password="nope")
    with CityOSClient(wrong) as client, pytest.raises(AuthError, match="Invalid user credentials"):
        client.types()
