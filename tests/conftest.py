"""Fixtures shared by every test level."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Every file a test reads is in the repository, with its licence (tests/fixtures/README.md).
FIXTURES = REPO / "tests" / "fixtures"
SMART_DATA_MODELS = FIXTURES / "smart-data-models"


def fixture_files(folder: Path, pattern: str, suffixes: tuple[str, ...] = ()) -> list[Path]:
    """The fixture files under ``folder`` matching ``pattern`` (and ``suffixes``), sorted.

    None found is an error at collection: a missing fixture must fail the tests that need it,
    never turn them into zero test cases.
    """
    files = sorted(p for p in folder.glob(pattern) if p.is_file() and (not suffixes or p.suffix in suffixes))
    if not files:
        raise FileNotFoundError(f"no fixture file matches {pattern!r} under {folder}")
    return files


TEST_REPORTS = REPO / ".cache" / "test-reports"
_SESSION_STARTED = time.time()


def record_reliability(report: str, key: str, figures: dict) -> None:
    """Keep one figure of the reliability tests for the README (``scripts/reliability_report.py``).

    ``.cache/test-reports/reliability-<report>.json`` maps ``key`` to ``figures`` and the time they
    were written. Figures an earlier test run left there are dropped, so the file holds this run's
    measurements only. A run inside another QGIS root (``SMARTCITY_QGIS_ENV``) writes
    ``reliability-<report>.<env>.json`` instead, never over the host's figures.
    """
    env = os.environ.get("SMARTCITY_QGIS_ENV")
    path = TEST_REPORTS / (f"reliability-{report}.{env}.json" if env else f"reliability-{report}.json")
    data = {}
    if path.exists():
        try:
            earlier = json.loads(path.read_text())
        except ValueError:  # a run killed while writing: its figures are not this run's anyway
            earlier = {}
        data = {
            k: v
            for k, v in (earlier.items() if isinstance(earlier, dict) else ())
            if isinstance(v, dict) and v.get("written_at", 0) >= _SESSION_STARTED
        }
    data[key] = {**figures, "written_at": time.time()}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    partial.replace(path)


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
        pytest.fail(f"the test auth DB has another master password: remove {QgsApplication.qgisAuthDatabaseFilePath()}")
    return manager
