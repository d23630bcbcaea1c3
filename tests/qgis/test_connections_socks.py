"""SOCKS5 proxies from QGIS's network settings, through a real SOCKS5 server (microsocks) on loopback.

microsocks binds its outgoing connections to 127.0.0.5, so a server that sees a request come
from 127.0.0.5 knows it came through the proxy. Without PySocks (made unimportable in a child
process) the missing package is reported once, clearly, and not retried.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

import pytest
from qgis.core import QgsSettings

from smartcity_qgis.cityos_client import CityOSClient, CityOSConnectionError
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.layers import load_entity_layer
from smartcity_qgis.layers.cityos.connection_config import proxies_for, to_client_config
from smartcity_qgis.layers.cityos.connections import Connection
from tests.conftest import REPO, free_port, wait_for_port
from tests.unit.test_cityos_credentials_host import Recorder

PROXY_KEYS = ["proxyEnabled", "proxyType", "proxyHost", "proxyPort", "proxyUser", "proxyPassword"]
PROXY_KEYS += ["proxyExcludedUrls", "noProxyUrls", "authcfg"]


@pytest.fixture
def socks_proxy():
    """microsocks on 127.0.0.1 with a user and password; outgoing connections from 127.0.0.5."""
    exe = shutil.which("microsocks") or "/usr/bin/microsocks"
    if not shutil.which(exe):
        pytest.fail("microsocks is not installed: run `make deps`")
    port = free_port()
    proc = subprocess.Popen(
        [exe, "-i", "127.0.0.1", "-p", str(port), "-u", "officer", "-P", "pr0xy-pass", "-b", "127.0.0.5"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def qgis_socks_settings(qgis_app, socks_proxy):
    """QGIS's network settings pointing at the SOCKS5 proxy (restored afterwards)."""
    settings = QgsSettings()
    saved = {k: settings.value(f"proxy/{k}") for k in PROXY_KEYS}
    values = {
        "proxyEnabled": True,
        "proxyType": "Socks5Proxy",
        "proxyHost": "127.0.0.1",
        "proxyPort": str(socks_proxy),
        "proxyUser": "officer",
        "proxyPassword": "pr0xy-pass",
        "proxyExcludedUrls": "",
        "noProxyUrls": "",
        "authcfg": "",
    }
    for key, value in values.items():
        settings.setValue(f"proxy/{key}", value)
    yield settings
    for key, value in saved.items():
        if value is None:
            settings.remove(f"proxy/{key}")
        else:
            settings.setValue(f"proxy/{key}", value)


def test_a_layer_loads_through_the_socks5_proxy_of_qgis(qgis_socks_settings):
    with start_server(scenario="okazaki", auto_advance=False) as srv:
        config = to_client_config(Connection(name="socks", url=srv.url, flavor="ngsi-v2", tenant="okazaki"))
        assert config.proxies["http"].startswith("socks5h://officer:")
        layer = load_entity_layer(config, "WaterObserved")
        assert layer.featureCount() > 0
    seen = Recorder("127.0.0.1", lambda _h: (200, {"Content-Type": "application/json"}, {"ok": True}))
    try:
        with CityOSClient(config.with_changes(url=seen.url)) as client:
            client.version()
        assert seen.requests, "the request did not arrive"
        assert seen.client_addresses == ["127.0.0.5"]  # it came out of the SOCKS proxy
    finally:
        seen.stop()


def test_a_wrong_proxy_password_is_a_connection_error(qgis_socks_settings):
    qgis_socks_settings.setValue("proxy/proxyPassword", "wrong")
    with start_server(scenario="okazaki", auto_advance=False) as srv:
        config = to_client_config(Connection(name="socks", url=srv.url, flavor="ngsi-v2", tenant="okazaki"))
        with CityOSClient(config.with_changes(max_retries=0)) as client, pytest.raises(CityOSConnectionError):
            client.version()
        assert srv.stats["requests"] == 0  # nothing reached the city OS past the proxy


def test_without_pysocks_the_missing_package_is_reported_once_and_not_retried(qgis_socks_settings):
    proxies = proxies_for("http://orion.example.jp:1026")
    script = textwrap.dedent(
        f"""
        import sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name == "socks" or name.startswith("socks."):
                    raise ImportError("No module named 'socks' (blocked by the test)")
                return None

        sys.meta_path.insert(0, Block())
        from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig
        from smartcity_qgis.cityos_client.errors import MissingDependencyError

        slept = []
        config = ConnectionConfig(url="http://127.0.0.1:9", proxies={proxies!r})
        client = CityOSClient(config, sleep=slept.append)
        try:
            client.version()
        except MissingDependencyError as exc:
            print("MISSING", exc.package, "|", exc)
        print("RETRIES", client.http.retries_done, len(slept))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert (
        lines[0].startswith("MISSING PySocks |") and "python3-socks" in lines[0] and "pip install PySocks" in lines[0]
    )
    assert lines[1] == "RETRIES 0 0"
