"""The plugin's code is ready for Qt 6 / QGIS 4 and names only what this QGIS has.

Run under QGIS 3.44 (the newest root), the check finds every enum member named without its enum,
which Qt 6 and QGIS 4 refuse; run under QGIS 3.22, it finds scoped names the oldest supported
QGIS does not have yet. Both levels run it, so a change that suits one version only fails here.
"""

from __future__ import annotations

import importlib.util
import sys

from tests.conftest import REPO

_spec = importlib.util.spec_from_file_location("qt6_check", REPO / "scripts" / "qt6_check.py")
qt6 = importlib.util.module_from_spec(_spec)
sys.modules["qt6_check"] = qt6
_spec.loader.exec_module(qt6)


def test_the_plugin_code_needs_no_change_for_qt6_and_runs_on_this_qgis():
    files = qt6.python_files(qt6.DEFAULT_PATHS)
    assert len(files) > 100  # the whole plugin, not an empty folder
    findings = []
    for path in files:
        findings += qt6.scan_source(str(path.relative_to(REPO)), path.read_text(encoding="utf-8"))
    assert [str(f) for f in findings] == []


def test_the_check_sees_real_qgis_enums():
    """Guards the test above: against this QGIS's own classes the check does find unscoped members."""
    source = (
        "from qgis.core import Qgis, QgsWkbTypes\n"
        "from qgis.PyQt.QtCore import Qt\n"
        "a = Qgis.Warning\nb = Qt.UserRole\nc = QgsWkbTypes.PolygonGeometry\n"
        "d = Qgis.MessageLevel.Warning\ne = Qgis.NoSuchThing\n"
    )
    found = [(f.kind, f.old) for f in qt6.scan_source("x.py", source)]
    assert found == [
        ("enum", "Qgis.Warning"),
        ("enum", "Qt.UserRole"),
        ("enum", "QgsWkbTypes.PolygonGeometry"),
        ("missing", "Qgis.NoSuchThing"),
    ]
