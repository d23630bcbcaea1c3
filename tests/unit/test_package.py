"""The plugin zip holds what a user runs and nothing of the tests."""

from __future__ import annotations

import subprocess
import zipfile

from tests.conftest import REPO


def test_zip_holds_the_plugin_and_no_test_code(tmp_path):
    out = tmp_path / "plugin.zip"
    subprocess.run(["scripts/package.sh", "SmartCityQGIS", str(out)], cwd=REPO, check=True, capture_output=True)
    names = zipfile.ZipFile(out).namelist()
    assert all(n.startswith("SmartCityQGIS/") for n in names)
    inner = [n.removeprefix("SmartCityQGIS/") for n in names]
    # the JSON-LD contexts the embedded city OS reads at start (offline copies)
    contexts = ("resources/jsonld/index.json", "resources/jsonld/ngsi-ld-core-context-v1.9.jsonld")
    for required in ("metadata.txt", "__init__.py", "plugin.py", "i18n/smartcity_qgis_ja.qm", *contexts):
        assert required in inner
    for domain in ("cityos", "rivers", "hazards", "peopleflow", "districts"):
        assert f"smartcity_qgis/layers/{domain}/__init__.py" in inner
        assert f"smartcity_qgis/dialogs/{domain}/__init__.py" in inner
    test_like = [
        n
        for n in inner
        if n.startswith("tests/")
        or "/tests/" in n
        or n.rsplit("/", 1)[-1].startswith(("test_", "conftest"))
        or "e2e" in n
        or "driver" in n
        or "__pycache__" in n
        or n.endswith(".pyc")
    ]
    assert test_like == []
