"""The architecture's rule: the pure packages never import qgis."""

import subprocess
import sys

import pytest

from tests.conftest import REPO

PURE = ["smartcity_qgis.cityos_client", "smartcity_qgis.cityos_sim", "smartcity_qgis.analysis"]


@pytest.mark.parametrize("package", PURE)
def test_pure_package_does_not_import_qgis(package):
    # A fresh interpreter: this test process may already hold qgis (pytest-qgis).
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({package!r})\n"
        "for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    if info.name.rsplit('.', 1)[-1] != '__main__':\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'qgis' or m.startswith('qgis.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{package} imported {result.stdout.strip()}"
