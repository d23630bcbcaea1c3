"""The plugin without paho-mqtt, geopandas or rasterio (one at a time), as on QGIS for Windows.

Each run is a pytest of its own (``optional_absent_checks.py``) with the package made
unimportable by a meta-path blocker installed before anything is imported.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO


@pytest.mark.parametrize("module", ["paho", "geopandas", "rasterio"])
def test_the_plugin_without_an_optional_package(module):
    env = {**os.environ, "SMARTCITY_BLOCK_PACKAGES": module, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.package_blocker", "-p", "no:cacheprovider", "-q",
         "tests/qgis/optional_absent_checks.py"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "Traceback" not in done.stderr
