"""MQTT as production brokers run it: a password file and TLS, the user and password from the QGIS
authentication database, a CA generated here given to the connection.

The mosquitto of these tests has two listeners, as a city OS deployment does: an internal one the
broker publishes to (anonymous, loopback only) and a TLS one with a password file that QGIS
subscribes to. No secret may end up in the settings, an export, the project file or the log.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsProject, QgsSettings

from smartcity_qgis.cityos_client import CityOSClient, CityOSConnectionError
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.layers import load_entity_layer
from smartcity_qgis.layers.cityos.connection_config import to_client_config
from smartcity_qgis.layers.cityos.connections import Connection, ConnectionRecordError, ConnectionStore, _key
from smartcity_qgis.layers.cityos.live import LIVE, LiveLayerUpdater
from tests.conftest import free_port, wait_for_port
from tests.qgis.entity_layer_helpers import wait_until

USER = "officer"
PASSWORD = "mqtt-" + uuid.uuid4().hex


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def secure_mosquitto(tmp_path_factory):
    """mosquitto: internal listener (anonymous) and a TLS listener with a password file."""
    exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    passwd_exe = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"
    if not Path(exe).exists() or not Path(passwd_exe).exists() or not shutil.which("openssl"):
        pytest.fail("mosquitto, mosquitto_passwd and openssl are needed: run `make deps`")
    home = tmp_path_factory.mktemp("mqtt-tls")
    os.chmod(home, 0o755)  # mosquitto may drop root privileges before reading its files
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=SmartCity test CA",
            "-keyout", "ca.key", "-out", "ca.crt", cwd=home)  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key",
            "-out", "server.csr", cwd=home)  # fmt: skip
    (home / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", "san.ext", "-out", "server.crt", cwd=home)  # fmt: skip
    subprocess.run([passwd_exe, "-b", "-c", str(home / "passwd"), USER, PASSWORD], check=True, timeout=30)
    for name in ("server.key", "passwd", "ca.crt", "server.crt"):
        os.chmod(home / name, 0o644)
    internal, public = free_port(), free_port()
    user_line = "user root\n" if os.geteuid() == 0 else ""
    (home / "mosquitto.conf").write_text(
        f"{user_line}per_listener_settings true\npersistence false\n"
        f"listener {internal} 127.0.0.1\nallow_anonymous true\n"
        f"listener {public} 127.0.0.1\nallow_anonymous false\npassword_file {home / 'passwd'}\n"
        f"cafile {home / 'ca.crt'}\ncertfile {home / 'server.crt'}\nkeyfile {home / 'server.key'}\n"
    )
    proc = subprocess.Popen([exe, "-c", str(home / "mosquitto.conf")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for_port(internal)
        wait_for_port(public)
        yield {"internal": internal, "public": public, "ca": str(home / "ca.crt")}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def auth_config(qgis_auth_manager):
    made: list[str] = []

    def make(**config: str) -> str:
        cfg = QgsAuthMethodConfig("Basic")
        cfg.setName(f"smartcity mqtt test {uuid.uuid4().hex[:6]}")
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


def secure_connection(srv, broker: dict, authcfg: str, **changes) -> Connection:
    values = {
        "name": "MQTT over TLS",
        "url": srv.url,
        "flavor": "ngsi-v2",
        "tenant": "okazaki",
        "mqtt_url": f"mqtts://127.0.0.1:{broker['public']}",
        "mqtt_broker_url": f"mqtt://127.0.0.1:{broker['internal']}",
        "mqtt_authcfg": authcfg,
        "ca_bundle": broker["ca"],
    }
    values.update(changes)
    return Connection(**values)


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_mqtt_push_over_tls_with_the_password_from_the_auth_db(secure_mosquitto, auth_config, store, tmp_path, flavor):
    log: list[str] = []
    QgsApplication.messageLog().messageReceived.connect(lambda message, *_: log.append(message))
    authcfg = auth_config(username=USER, password=PASSWORD)
    with start_server(scenario="okazaki", auto_advance=False) as srv:
        conn = secure_connection(srv, secure_mosquitto, authcfg, flavor=flavor)
        store.save(conn)
        cfg = to_client_config(store.get(conn.name))
        assert (cfg.mqtt_username, cfg.mqtt_password) == (USER, PASSWORD)
        layer = load_entity_layer(cfg, "WaterObserved")
        updater = LiveLayerUpdater(layer, cfg, mode="mqtt", interval=3600)
        changes: list[tuple] = []
        updater.value_changed.connect(lambda *a: changes.append(a))
        updater.start()
        try:
            wait_until(lambda: updater.state == LIVE)
            station = sorted(f["entity_id"] for f in layer.getFeatures())[0]
            srv.update_entity(station, {"waterLevel": 6.25}, tenant="okazaki")
            wait_until(lambda: any(c[0] == station and c[2] != 6.25 and c[3] == 6.25 for c in changes))
            told = json.dumps([s.body for s in srv.subs.subs["okazaki"].values()])
        finally:
            updater.stop()
        # The broker was told the internal address, and never the password.
        assert f"mqtt://127.0.0.1:{secure_mosquitto['internal']}" in told and PASSWORD not in told
        exported = store.export_json()
        QgsProject.instance().addMapLayer(layer)
        project_file = tmp_path / "project.qgz"
        assert QgsProject.instance().write(str(project_file))
        QgsProject.instance().removeMapLayer(layer.id())
    QgsSettings().sync()
    needles = [PASSWORD.encode(), PASSWORD.encode("utf-16-le")]
    assert PASSWORD not in exported and authcfg in exported
    assert not any(n in Path(QgsSettings().fileName()).read_bytes() for n in needles)
    with zipfile.ZipFile(project_file) as qgz:
        assert not any(n in qgz.read(name) for name in qgz.namelist() for n in needles)
    assert not any(PASSWORD in message for message in log)


def test_a_wrong_password_or_a_missing_ca_is_explained(secure_mosquitto, auth_config):
    with start_server(scenario="okazaki", auto_advance=False) as srv:
        wrong = to_client_config(secure_connection(srv, secure_mosquitto, auth_config(username=USER, password="x")))
        with CityOSClient(wrong) as client, pytest.raises(CityOSConnectionError, match="user name or password"):
            client.subscribe("WaterObserved", lambda e: None, transport="mqtt", connect_timeout=10)
        right = auth_config(username=USER, password=PASSWORD)
        no_ca = to_client_config(secure_connection(srv, secure_mosquitto, right, ca_bundle=""))
        with CityOSClient(no_ca) as client, pytest.raises(CityOSConnectionError, match=r"TLS|certificate"):
            client.subscribe("WaterObserved", lambda e: None, transport="mqtt", connect_timeout=10)
        assert srv.subs.subs.get("okazaki", {}) == {}  # nothing was left on the broker


def test_a_url_with_credentials_is_refused_with_where_to_put_them(store):
    conn = Connection(name="leaky", url="http://orion.example.jp", mqtt_url=f"mqtt://{USER}:{PASSWORD}@mq.example.jp")
    assert any("authentication configuration" in p for p in conn.problems())
    with pytest.raises(ConnectionRecordError, match="MQTT URL"):
        store.save(conn)
    added, messages = store.import_json(json.dumps([conn.to_dict()]))
    assert added == [] and any("MQTT URL" in m for m in messages)
    assert PASSWORD not in Path(QgsSettings().fileName()).read_text(encoding="utf-8", errors="replace")


def test_settings_holding_a_url_with_credentials_are_migrated_once(store, qgis_auth_manager):
    settings = QgsSettings()
    group = f"{store.root}/{_key('old one')}"
    settings.setValue(f"{group}/name", "old one")
    settings.setValue(f"{group}/url", "http://orion.example.jp:1026")
    settings.setValue(f"{group}/mqtt_url", f"mqtt://{USER}:{PASSWORD}@mq.example.jp:1883")
    settings.sync()
    assert PASSWORD in Path(settings.fileName()).read_text(encoding="utf-8", errors="replace")
    conn = store.get("old one")
    try:
        assert conn.mqtt_url == "mqtt://mq.example.jp:1883" and conn.mqtt_authcfg
        cfg = QgsAuthMethodConfig()
        qgis_auth_manager.loadAuthenticationConfig(conn.mqtt_authcfg, cfg, True)
        assert (cfg.config("username"), cfg.config("password")) == (USER, PASSWORD)
        QgsSettings().sync()
        assert PASSWORD not in Path(settings.fileName()).read_text(encoding="utf-8", errors="replace")
        again = store.get("old one")
        assert again.mqtt_authcfg == conn.mqtt_authcfg  # once: nothing more to move
        assert to_client_config(again).mqtt_password == PASSWORD
    finally:
        qgis_auth_manager.removeAuthenticationConfig(conn.mqtt_authcfg)
