"""The QGIS desktop under Xvfb, with the built plugin zip installed in a fresh profile."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

ARTIFACTS = REPO / "tests" / "e2e" / "artifacts"
PROBE = Path(__file__).with_name("desktop_probe.py")


def plugin_zip() -> Path:
    version = next(
        line.split("=", 1)[1].strip()
        for line in (REPO / "metadata.txt").read_text(encoding="utf-8").splitlines()
        if line.startswith("version=")
    )
    path = REPO / "dist" / f"smartcity_qgis-{version}.zip"
    if not path.exists():
        subprocess.run(["scripts/package.sh", "SmartCityQGIS", str(path)], cwd=REPO, check=True)
    return path


@pytest.fixture(scope="session")
def xvfb_display():
    """A virtual X display for the session (its DISPLAY value)."""
    exe = shutil.which("Xvfb")
    if exe is None:
        pytest.fail("Xvfb is not installed: run `make deps`")
    for number in range(91, 140):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    proc = subprocess.Popen(
        [exe, f":{number}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp", "-noreset"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail("Xvfb did not start")
        time.sleep(0.1)
    yield f":{number}"
    proc.terminate()
    proc.wait(timeout=10)


@dataclass
class DesktopRun:
    report: dict
    artifacts: Path
    log: str


@pytest.fixture(scope="session")
def run_desktop(xvfb_display, tmp_path_factory):
    """Start QGIS on a fresh profile with the zip installed; return the probe's report."""

    def _run(name: str, locale: str = "", extra: Path | None = None, timeout: float = 240) -> DesktopRun:
        base = tmp_path_factory.mktemp(f"qgis-{name}")
        profiles = base / "profiles"
        artifacts = ARTIFACTS / name
        shutil.rmtree(artifacts, ignore_errors=True)
        artifacts.mkdir(parents=True)
        subprocess.run(
            ["scripts/profile.sh", str(profiles), "zip", str(plugin_zip())],
            cwd=REPO,
            check=True,
            env={**os.environ, "LOCALE": locale},
            capture_output=True,
        )
        report_path = base / "report.json"
        env = {
            **{k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"},
            "DISPLAY": xvfb_display,
            "HOME": str(base / "home"),
            "XDG_RUNTIME_DIR": str(base / "run"),
            "SMARTCITY_E2E_REPORT": str(report_path),
            "SMARTCITY_E2E_ARTIFACTS": str(artifacts),
            "QGIS_DISABLE_MESSAGE_HOOKS": "1",
        }
        if extra:
            env["SMARTCITY_E2E_EXTRA"] = str(extra)
        (base / "home").mkdir()
        (base / "run").mkdir(mode=0o700)
        cmd = [
            "qgis",
            "--profiles-path",
            str(profiles),
            "--profile",
            "smartcity",
            "--nologo",
            "--noversioncheck",
            "--code",
            str(PROBE),
        ]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        log = proc.stdout + proc.stderr
        (artifacts / "qgis.log").write_text(log, encoding="utf-8")
        if not report_path.exists():
            pytest.fail(f"QGIS exited ({proc.returncode}) without a report; log tail:\n{log[-3000:]}")
        return DesktopRun(json.loads(report_path.read_text(encoding="utf-8")), artifacts, log)

    return _run
