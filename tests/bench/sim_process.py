"""The embedded city OS in a process of its own, so that its CPU and memory are not ours.

``SimProcess(entities)`` starts ``python -m tests.bench.sim_process`` with the synthetic
scenario (one entity type, values frozen: no clock, no random updates) and waits for its URL.
Each entity gets four more measured attributes, so that it carries ten besides its location.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from tests.bench.harness import REPO

ENTITY_TYPE = "AirQualityObserved"
TENANT = "synthetic"
EXTRA = ("temperature", "relativeHumidity", "pm25", "windSpeed")


def entity_id(index: int) -> str:
    """The id the synthetic scenario gives entity ``index``."""
    return f"urn:ngsi-ld:{ENTITY_TYPE}:synthetic-{index:07d}"


class SimProcess:
    """A running embedded city OS child process; ``url`` is its base URL."""

    def __init__(self, entities: int, mqtt_url: str | None = None) -> None:
        cmd = [sys.executable, "-m", "tests.bench.sim_process", str(entities), mqtt_url or ""]
        self.proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
            text=True,
        )
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=10)
            raise RuntimeError(f"the embedded city OS did not start (exit code {self.proc.returncode})")
        self.url: str = json.loads(line)["url"]

    def stop(self) -> None:
        """Ask the child to stop (close its stdin) and wait for it."""
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=20)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait(timeout=10)

    def __enter__(self) -> SimProcess:
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.stop()


def _serve(entities: int, mqtt_url: str | None) -> None:
    import random

    from smartcity_qgis.cityos_sim.server import start_server

    server = start_server(
        scenario="synthetic",
        entities=entities,
        types=[ENTITY_TYPE],
        auto_advance=False,
        updates_per_second=0.0,
        mqtt_url=mqtt_url or None,
        seed=8,
    )
    rng = random.Random(8)
    for index in range(entities):
        server.update_entity(
            entity_id(index),
            {
                "temperature": round(rng.uniform(-5, 38), 1),
                "relativeHumidity": round(rng.uniform(0.2, 1.0), 2),
                "pm25": round(rng.uniform(0, 60), 1),
                "windSpeed": round(rng.uniform(0, 20), 1),
            },
            tenant=TENANT,
        )
    print(json.dumps({"url": server.url}), flush=True)
    try:
        sys.stdin.read()  # until the parent closes our stdin (or dies)
    finally:
        server.stop()


if __name__ == "__main__":
    _serve(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None)
