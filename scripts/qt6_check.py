#!/usr/bin/env python3
"""Qt 6 / QGIS 4 readiness check for the plugin's Python code.

Applies the rules of QGIS's PyQt5 -> PyQt6 migration script (scripts/pyqt5_to_pyqt6 in the QGIS
sources) to our files, with one difference in how enums are found: instead of a cached table of
PyQt6 enum names, every ``Class.Member`` the code names is looked up in the running QGIS, and the
enum the member belongs to is taken from the value itself. Run it under the newest QGIS (the
forky root: ``scripts/qgis_newest.sh shell``) to see what QGIS 4 would need:

    python3 scripts/qt6_check.py [--fix] [PATH ...]     (default: the plugin's sources)

Findings (exit status 1 when there is any):
  enum     an enum member named through its class (``Qt.UserRole``); Qt 6 only knows it through
           its enum (``Qt.ItemDataRole.UserRole``). --fix rewrites it when the scoped form exists.
  exec_    ``exec_()`` is gone in PyQt6; ``exec()`` works in PyQt5 too. --fix rewrites it.
  import   ``from PyQt5...`` instead of ``qgis.PyQt``; ``qApp``; QRegExp; resources_rc.
  qvariant ``QVariant()`` / ``QVariant(QVariant.X)`` as a null (use ``NULL``); QDateTime built from
           eight numbers or from a QDate alone.
  renamed  enum members Qt 6 removed (``Qt.MidButton`` ...).
  missing  a dotted name under a Qt/QGIS import that the running QGIS does not have (run the
           check under the oldest QGIS too: a scoped enum new in QGIS 3.x would be found here).
  api      calls Qt 6 removed: QFontMetrics.width, QDesktopWidget, activated[str], addAction
           with four or more arguments.

``QVariant.Int`` and the other QVariant field types are left alone, as QGIS's script does by
default: QGIS 3 needs them, and QGIS 4 keeps accepting them.

The scan itself (:func:`scan_source`) takes a resolver, so the unit tests run it without QGIS.
"""

from __future__ import annotations

import argparse
import ast
import enum
import importlib
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PATHS = ("smartcity_qgis", "plugin.py", "__init__.py")
QT_MODULE_PREFIXES = ("qgis.", "PyQt5.", "PyQt6.")
RENAMED = {
    ("Qt", "MidButton"): "MouseButton.MiddleButton",
    ("Qt", "TextColorRole"): "ItemDataRole.ForegroundRole",
    ("Qt", "BackgroundColorRole"): "ItemDataRole.BackgroundRole",
    ("QPainter", "HighQualityAntialiasing"): "RenderHint.Antialiasing",
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    col: int
    kind: str
    old: str
    new: str = ""
    end_col: int = -1  # the old text's end on the same line, when --fix may replace it

    def __str__(self) -> str:
        arrow = f" -> {self.new}" if self.new else ""
        return f"{self.path}:{self.line}:{self.col}: {self.kind}: {self.old}{arrow}"


# A resolver answers "what is the object behind this dotted name imported from a Qt/QGIS module",
# e.g. ("qgis.core", "Qgis") -> the Qgis class, or None.
Resolver = Callable[[str, str], object | None]


def runtime_resolver(module: str, name: str) -> object | None:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _is_enum_type(obj: object) -> bool:
    if not isinstance(obj, type):
        return False
    return issubclass(obj, enum.Enum) or type(obj).__name__ == "enumtype"  # sip's enums (PyQt5)


def _enum_name_on(owner: type, member_name: str, value: object) -> str | None:
    """The name under which ``owner`` exposes the enum that ``value`` belongs to, if the scoped
    form ``owner.<name>.<member_name>`` gives the same value."""
    value_type = type(value)
    preferred = getattr(value_type, "__name__", "")
    names = [preferred, *sorted(n for n in dir(owner) if n != preferred)]
    for name in names:
        try:
            candidate = getattr(owner, name)
        except Exception:  # introspecting foreign classes: any failure means no
            continue
        if not _is_enum_type(candidate):
            continue
        try:
            scoped = getattr(candidate, member_name)
        except AttributeError:
            continue
        if scoped is value or (type(scoped) is value_type and scoped == value):
            return name
    return None


def _dotted(node: ast.AST) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def _tests_hasattr(test: ast.AST, owner: list[str], name: str) -> bool:
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_tests_hasattr(value, owner, name) for value in test.values)
    return (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id == "hasattr"
        and len(test.args) == 2
        and _dotted(test.args[0]) == owner
        and isinstance(test.args[1], ast.Constant)
        and test.args[1].value == name
    )


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str, source: str, resolve: Resolver) -> None:
        self.path = path
        self.resolve = resolve
        self.lines = source.splitlines()
        self.imported: dict[str, tuple[str, str]] = {}  # local name -> (module, name)
        self.modules: dict[str, str] = {}  # local name -> module (import qgis.core as core)
        self.findings: list[Finding] = []
        self.font_metrics: set[str] = set()
        self.parents: dict[ast.AST, ast.AST] = {}

    # -- helpers ------------------------------------------------------------------------
    def add(self, node: ast.AST, kind: str, old: str, new: str = "", end_col: int = -1) -> None:
        self.findings.append(Finding(self.path, node.lineno, node.col_offset, kind, old, new, end_col))

    def lookup(self, parts: list[str]) -> tuple[object | None, object | None, int]:
        """Follow a dotted name rooted in a Qt/QGIS import: (the object the last part was read
        from, the object behind the name, how many parts resolved). The count is 0 when the name
        is not rooted in such an import and smaller than ``len(parts)`` when a part is missing;
        the owner is None for a name read straight from a module."""
        head, rest = parts[0], parts[1:]
        used = 1
        if head in self.imported:
            obj = self.resolve(*self.imported[head])
        elif head in self.modules and rest:
            obj = self.resolve(self.modules[head], rest[0])
            rest, used = rest[1:], 2
        else:
            return None, None, 0
        if obj is None:
            return None, None, 0
        owner = None
        for part in rest:
            try:
                owner, obj = obj, getattr(obj, part)
            except AttributeError:
                return None, None, used
            except Exception:  # a property that raises on the class: judge no further
                return None, None, 0
            used += 1
        return owner, obj, used

    def guarded(self, node: ast.AST, owner: list[str], name: str) -> bool:
        """Whether ``node`` sits in the true branch of ``if hasattr(owner, "name")`` (alone or
        joined by ``and``)."""
        child, parent = node, self.parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.If | ast.IfExp):
                in_body = child in parent.body if isinstance(parent.body, list) else child is parent.body
                if in_body and _tests_hasattr(parent.test, owner, name):
                    return True
            child, parent = parent, self.parents.get(parent)
        return False

    # -- imports ------------------------------------------------------------------------
    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        for alias in node.names:
            if alias.name == "resources_rc":
                self.add(node, "import", "resources_rc (compiled resources are gone in Qt 6)")
        if not module.startswith(QT_MODULE_PREFIXES) and module not in ("qgis", "PyQt5"):
            return
        if module.startswith("PyQt5"):
            self.add(node, "import", f"from {module}", f"from {module.replace('PyQt5', 'qgis.PyQt', 1)}")
        for alias in node.names:
            if alias.name == "QRegExp":
                self.add(node, "import", "QRegExp (removed in Qt 6)", "QRegularExpression")
            if alias.name == "qApp":
                self.add(node, "import", "qApp", "QApplication.instance()")
            local = alias.asname or alias.name
            if module in ("qgis", "qgis.PyQt", "PyQt5"):
                self.modules[local] = f"{module}.{alias.name}"
            else:
                self.imported[local] = (module, alias.name)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.startswith(("qgis", "PyQt5")) and alias.asname:
                self.modules[alias.asname] = alias.name

    # -- the rules ----------------------------------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        value = node.value
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in ("QFontMetrics", "QFontMetricsF")
        ):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.font_metrics.add(target.id)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name == "exec_":
            self.add(node, "exec_", "def exec_", "def exec")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr == "exec_":
                end = func.end_col_offset if func.end_lineno == func.lineno else -1
                start = (end - len("exec_")) if end >= 0 else -1
                self.findings.append(Finding(self.path, func.lineno, start, "exec_", "exec_", "exec", end))
            if func.attr == "addAction" and len(node.args) >= 4:
                self.add(node, "api", "addAction with 4+ arguments", "QAction(...) then addAction(action)")
            if func.attr == "desktop" and not node.args:
                self.add(node, "api", "desktop() (QDesktopWidget is removed in Qt 6)")
        if isinstance(func, ast.Name) and func.id == "QVariant":
            if not node.args:
                self.add(node, "qvariant", "QVariant()", "NULL")
            elif len(node.args) == 1 and (_dotted(node.args[0]) or [""])[0] == "QVariant":
                self.add(node, "qvariant", "QVariant(QVariant.X)", "NULL")
        if isinstance(func, ast.Name) and func.id == "QDateTime":
            if len(node.args) == 8:
                self.add(node, "qvariant", "QDateTime(y, m, d, h, mi, s, ms, spec)", "QDateTime(QDate, QTime, spec)")
            elif (
                len(node.args) == 1
                and isinstance(node.args[0], ast.Call)
                and isinstance(node.args[0].func, ast.Name)
                and node.args[0].func.id == "QDate"
            ):
                self.add(node, "qvariant", "QDateTime(QDate(...))", "QDateTime(QDate(...), QTime(0, 0, 0))")
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        value = node.value
        if (
            isinstance(value, ast.Attribute)
            and value.attr == "activated"
            and isinstance(node.slice, ast.Name)
            and node.slice.id == "str"
        ):
            self.add(node, "api", "activated[str]", "textActivated")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.generic_visit(node)
        if node.attr == "width":
            base = node.value
            named = isinstance(base, ast.Name) and base.id in self.font_metrics
            made = isinstance(base, ast.Call) and (
                (isinstance(base.func, ast.Attribute) and base.func.attr == "fontMetrics")
                or (isinstance(base.func, ast.Name) and base.func.id == "QFontMetrics")
            )
            if named or made:
                self.add(node, "api", "QFontMetrics.width()", "horizontalAdvance()")
        if isinstance(self.parents.get(node), ast.Attribute):
            return  # X.Enum.Member: only the outermost name is judged
        parts = _dotted(node)
        if parts is None or len(parts) < 2:
            return
        old = ".".join(parts)
        if (parts[-2], parts[-1]) in RENAMED:
            self.add(node, "renamed", old, ".".join([*parts[:-1], RENAMED[(parts[-2], parts[-1])]]))
            return
        if parts[0] == "qApp" or parts[-2] == "QVariant":
            return  # QVariant's field types stay (QGIS 3 needs them; QGIS 4 accepts them)
        owner, value, used = self.lookup(parts)
        if used == 0:
            return  # not rooted in a Qt/QGIS import
        if used < len(parts):
            if self.guarded(node, parts[:used], parts[used]):
                return  # under "if hasattr(X, 'Name')": the code is ready for its absence
            self.add(node, "missing", ".".join(parts[: used + 1]), "(not in this QGIS / Qt)")
            return
        if not isinstance(owner, type) or _is_enum_type(owner):
            return  # a module's name, or already scoped (X.Enum.Member)
        if isinstance(value, type) or not _is_enum_type(type(value)):
            return
        enum_name = _enum_name_on(owner, parts[-1], value)
        new = ".".join([*parts[:-1], enum_name, parts[-1]]) if enum_name else ""
        single_line = node.end_lineno == node.lineno
        self.add(node, "enum", old, new or "(no scoped form on this class)", node.end_col_offset if single_line else -1)


def scan_source(path: str, source: str, resolve: Resolver = runtime_resolver) -> list[Finding]:
    tree = ast.parse(source, filename=path)
    scanner = _Scanner(path, source, resolve)
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            scanner.parents[child] = parent
    scanner.visit(tree)
    return sorted(scanner.findings, key=lambda f: (f.line, f.col, f.kind))


def fix_source(source: str, findings: Iterable[Finding]) -> tuple[str, int]:
    """Apply the enum and exec_ rewrites that have an exact position; return (text, count)."""
    lines = source.splitlines(keepends=True)
    fixable = [
        f for f in findings if f.kind in ("enum", "exec_") and f.end_col >= 0 and f.new and not f.new.startswith("(")
    ]
    count = 0
    for f in sorted(fixable, key=lambda f: (f.line, f.col), reverse=True):
        line = lines[f.line - 1]
        # ast offsets count UTF-8 bytes
        raw = line.encode("utf-8")
        segment = raw[f.col : f.end_col].decode("utf-8")
        if segment != f.old:
            continue
        lines[f.line - 1] = (raw[: f.col] + f.new.encode("utf-8") + raw[f.end_col :]).decode("utf-8")
        count += 1
    return "".join(lines), count


def python_files(paths: Iterable[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_absolute():
            path = REPO / path
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=list(DEFAULT_PATHS))
    parser.add_argument("--fix", action="store_true", help="rewrite enum members and exec_ in place")
    args = parser.parse_args(argv)
    total = 0
    for path in python_files(args.paths):
        source = path.read_text(encoding="utf-8")
        shown = str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)
        findings = scan_source(shown, source)
        if args.fix and findings:
            fixed, count = fix_source(source, findings)
            if count:
                path.write_text(fixed, encoding="utf-8")
                findings = scan_source(shown, fixed)
        for finding in findings:
            print(finding)
        total += len(findings)
    print(f"{total} finding(s)", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
