"""Fixtures shared by every test level."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FIXTURES = SHARED / "fixtures"
SMART_DATA_MODELS = FIXTURES / "smart-data-models"
KOKUDOSUUCHI = FIXTURES / "kokudosuuchi"


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@pytest.fixture(scope="session")
def mosquitto_port():
    """A real mosquitto MQTT broker on loopback for the whole session (its port)."""
    exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not Path(exe).exists():
        pytest.fail("mosquitto is not installed: run `make deps`")
    port = free_port()
    conf = Path(f"/tmp/smartcity-mosquitto-{port}.conf")
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
    proc = subprocess.Popen([exe, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        conf.unlink(missing_ok=True)


def pytest_report_header(config):
    """Say which QGIS the tests run on (3.22 on the host, the newest LTR in the Debian testing root)."""
    try:
        from qgis.core import Qgis

        return f"QGIS {Qgis.QGIS_VERSION}"
    except ImportError:
        return "QGIS: not importable"


QGIS_AUTH_MASTER_PASSWORD = "smartcity-tests-master"


@pytest.fixture
def qgis_auth_manager(qgis_app):
    """QGIS's authentication manager, unlocked with the master password every test uses."""
    from qgis.core import QgsApplication

    manager = QgsApplication.authManager()
    if manager.isDisabled():
        pytest.fail(f"QGIS authentication is disabled: {manager.disabledMessage()}")
    if not manager.setMasterPassword(QGIS_AUTH_MASTER_PASSWORD, True):
        pytest.fail(
            "the test auth DB has another master password: remove "
            f"{QgsApplication.qgisAuthDatabaseFilePath()}"
        )
    return manager
