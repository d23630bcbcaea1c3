"""Issue 9.7: a simulated day of live updates for 10,000 sensors keeps memory and handles bounded.

The embedded city OS runs in its own process (its memory is not ours) at 720× speed, so about two
minutes of wall time are 24 scenario hours; the live layer polls it the whole time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from qgis.core import QgsApplication

from smartcity_qgis.cityos_client import ConnectionConfig
from smartcity_qgis.layers import load_entity_layer
from smartcity_qgis.layers.cityos.live import POLLING, LiveLayerUpdater
from tests.conftest import REPO, free_port, record_reliability, wait_for_port

SENSORS = 10_000
SPEED = 720.0  # scenario seconds per real second: 24 h in 120 s
DAY = 24 * 3600


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _handles() -> tuple[int, int]:
    return len(os.listdir("/proc/self/fd")), threading.active_count()


@pytest.fixture
def day_server():
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "smartcity_qgis.cityos_sim",
            "--port",
            str(port),
            "--scenario",
            "synthetic",
            "--entities",
            str(SENSORS),
            "--types",
            "CrowdFlowObserved",
            "--speed",
            str(SPEED),
            "--updates-per-second",
            "2",
            "--seed",
            "3",
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _pump(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QgsApplication.processEvents()
        time.sleep(0.01)


@pytest.mark.timeout(600)
def test_a_day_of_live_updates_keeps_memory_bounded(qgis_app, day_server):
    config = ConnectionConfig(url=day_server, flavor="ngsi-v2", tenant="synthetic")
    layer = load_entity_layer(config, "CrowdFlowObserved")
    assert layer.featureCount() == SENSORS
    updater = LiveLayerUpdater(layer, config, mode=POLLING, interval=0.5)
    updates = []
    updater.features_updated.connect(lambda fids: updates.append(len(fids)))
    try:
        updater.start()
        wall = DAY / SPEED
        _pump(wall * 0.2)  # warm-up: caches, first full sync, Qt's pools
        rss_warm, (fds_warm, threads_warm) = _rss_mb(), _handles()
        _pump(wall * 0.8)
        rss_end, (fds_end, threads_end) = _rss_mb(), _handles()
    finally:
        updater.stop()
    _pump(1.0)
    figures = {
        "sensors": SENSORS,
        "scenario_hours": DAY // 3600,
        "feature_updates": sum(updates),
        "rss_after_warmup_mb": round(rss_warm, 1),
        "rss_end_mb": round(rss_end, 1),
        "growth_mb": round(rss_end - rss_warm, 1),
        "fds": [fds_warm, fds_end],
        "threads": [threads_warm, threads_end],
    }
    record_reliability("longrun", "live polling", figures)
    assert layer.featureCount() == SENSORS, "no duplicates, nothing lost"
    assert sum(updates) > SENSORS, f"the day really ran: {figures}"
    assert rss_end - rss_warm < 50, figures
    assert fds_end <= fds_warm + 2, figures
    assert threads_end <= threads_warm + 1, figures
