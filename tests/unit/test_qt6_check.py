"""scripts/qt6_check.py: the Qt 6 readiness rules, on small sources and stand-in classes (no QGIS)."""

from __future__ import annotations

import enum
import importlib.util
import sys

from tests.conftest import REPO

_spec = importlib.util.spec_from_file_location("qt6_check", REPO / "scripts" / "qt6_check.py")
qt6 = importlib.util.module_from_spec(_spec)
sys.modules["qt6_check"] = qt6  # dataclasses look their module up there
_spec.loader.exec_module(qt6)


class Qt:
    """Stands in for PyQt5's Qt: members reachable unscoped and through their enum."""

    class ItemDataRole(enum.IntEnum):
        DisplayRole = 0
        UserRole = 256

    class AlignmentFlag(enum.IntFlag):
        AlignLeft = 1

    UserRole = ItemDataRole.UserRole
    DisplayRole = ItemDataRole.DisplayRole
    AlignLeft = AlignmentFlag.AlignLeft


class VectorTemporalMode(enum.IntEnum):
    FeatureDateTimeInstantFromField = 1


class TemporalProperties:
    """A member whose enum is not exposed on the class (QGIS 3.22's temporal modes)."""

    ModeFeatureDateTimeInstantFromField = VectorTemporalMode.FeatureDateTimeInstantFromField


CLASSES = {("qgis.PyQt.QtCore", "Qt"): Qt, ("qgis.core", "TemporalProperties"): TemporalProperties}


def resolve(module: str, name: str):
    if module == "qgis.PyQt.QtCore" and name == "QtCore":
        return None
    return CLASSES.get((module, name))


def scan(source: str):
    return qt6.scan_source("x.py", source, resolve)


def kinds(findings):
    return [(f.kind, f.old, f.new) for f in findings]


def test_an_unscoped_member_is_found_with_its_scoped_form():
    found = scan("from qgis.PyQt.QtCore import Qt\nrole = Qt.UserRole\nalign = Qt.AlignLeft | Qt.AlignLeft\n")
    assert kinds(found) == [
        ("enum", "Qt.UserRole", "Qt.ItemDataRole.UserRole"),
        ("enum", "Qt.AlignLeft", "Qt.AlignmentFlag.AlignLeft"),
        ("enum", "Qt.AlignLeft", "Qt.AlignmentFlag.AlignLeft"),
    ]
    assert [(f.line, f.col) for f in found] == [(2, 7), (3, 8), (3, 23)]


def test_scoped_members_and_unrelated_names_are_left_alone():
    source = (
        "from qgis.PyQt.QtCore import Qt\n"
        "role = Qt.ItemDataRole.UserRole\n"
        "class Local:\n    UserRole = 1\n"
        "x = Local.UserRole\n"
        "y = QVariant.Int\n"
    )
    assert scan(source) == []


def test_a_member_whose_enum_the_class_does_not_expose_has_no_automatic_fix():
    source = "from qgis.core import TemporalProperties\nm = TemporalProperties.ModeFeatureDateTimeInstantFromField\n"
    (finding,) = scan(source)
    assert finding.kind == "enum"
    assert finding.new.startswith("(no scoped form")
    fixed, count = qt6.fix_source(source, [finding])
    assert (fixed, count) == (source, 0)


def test_a_scoped_name_the_running_qgis_lacks_is_reported():
    source = "from qgis.core import TemporalProperties\nm = TemporalProperties.TemporalMode.ModeX\n"
    (finding,) = scan(source)
    assert (finding.kind, finding.old) == ("missing", "TemporalProperties.TemporalMode")


def test_aliases_and_module_imports_are_followed():
    source = "from qgis.PyQt.QtCore import Qt as Q\nfrom qgis.PyQt import QtCore\na = Q.UserRole\n"
    assert kinds(scan(source)) == [("enum", "Q.UserRole", "Q.ItemDataRole.UserRole")]


def test_the_other_rules_of_the_migration_script():
    source = (
        "from PyQt5.QtCore import QRegExp\n"
        "from qgis.PyQt.QtWidgets import qApp\n"
        "dialog.exec_()\n"
        "def exec_(self):\n    pass\n"
        "v = QVariant()\n"
        "w = QVariant(QVariant.Int)\n"
        "d = QDateTime(QDate(2026, 1, 1))\n"
        "e = QDateTime(2026, 1, 1, 0, 0, 0, 0, Qt.UTC)\n"
        "m = QFontMetrics(font)\nm.width('x')\n"
        "label.fontMetrics().width('x')\n"
        "combo.activated[str].connect(f)\n"
        "menu.addAction(icon, 'x', obj, slot)\n"
        "screen = app.desktop()\n"
        "b = Qt.MidButton\n"
    )
    found = kinds(scan(source))
    assert ("import", "from PyQt5.QtCore", "from qgis.PyQt.QtCore") in found
    assert ("import", "QRegExp (removed in Qt 6)", "QRegularExpression") in found
    assert ("import", "qApp", "QApplication.instance()") in found
    assert ("exec_", "exec_", "exec") in found
    assert ("exec_", "def exec_", "def exec") in found
    assert [k for k in found if k[0] == "qvariant"] == [
        ("qvariant", "QVariant()", "NULL"),
        ("qvariant", "QVariant(QVariant.X)", "NULL"),
        ("qvariant", "QDateTime(QDate(...))", "QDateTime(QDate(...), QTime(0, 0, 0))"),
        ("qvariant", "QDateTime(y, m, d, h, mi, s, ms, spec)", "QDateTime(QDate, QTime, spec)"),
    ]
    assert sum(1 for k in found if k[1] == "QFontMetrics.width()") == 2
    assert ("api", "activated[str]", "textActivated") in found
    assert any(k[0] == "api" and k[1].startswith("addAction") for k in found)
    assert any(k[0] == "api" and k[1].startswith("desktop()") for k in found)
    assert ("renamed", "Qt.MidButton", "Qt.MouseButton.MiddleButton") in found


def test_fix_rewrites_enums_and_exec_in_place_even_after_japanese_text():
    source = "from qgis.PyQt.QtCore import Qt\nx = ('警戒', Qt.UserRole, Qt.AlignLeft)\ndialog.exec_()\n"
    fixed, count = qt6.fix_source(source, scan(source))
    assert count == 3
    assert fixed == (
        "from qgis.PyQt.QtCore import Qt\n"
        "x = ('警戒', Qt.ItemDataRole.UserRole, Qt.AlignmentFlag.AlignLeft)\n"
        "dialog.exec()\n"
    )
    assert scan(fixed) == []


def test_a_name_used_only_where_hasattr_says_it_exists_is_not_missing():
    source = (
        "from qgis.core import TemporalProperties\n"
        "if hasattr(TemporalProperties, 'TemporalMode') and ready:\n"
        "    m = TemporalProperties.TemporalMode.ModeX\n"
        "else:\n"
        "    m = TemporalProperties.TemporalMode.ModeY\n"
        "n = TemporalProperties.TemporalMode.ModeX if hasattr(TemporalProperties, 'TemporalMode') else 0\n"
        "o = TemporalProperties.Other.ModeX if hasattr(TemporalProperties, 'TemporalMode') else 0\n"
    )
    assert [(f.kind, f.line) for f in scan(source)] == [("missing", 5), ("missing", 7)]
