"""The layout the architecture describes: domains by folder, imports flowing one way, no cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "smartcity_qgis"
DOMAINS = {"cityos", "rivers", "hazards", "peopleflow", "districts"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every project module ``path`` imports, wherever the import stands (functions and
    ``TYPE_CHECKING`` blocks included: a cycle hidden in a function is still a cycle)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            if name in modules:
                found.add(name)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        # A package's __init__ re-exporting its own modules is not a cycle of the design.
        graph[name] = {m for m in _imports(path, modules) if m != name and not name.startswith(m + ".")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("room", ["layers", "dialogs"])
def test_layers_and_dialogs_are_grouped_by_domain(room):
    folder = PACKAGE / room
    subfolders = {p.name for p in folder.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert subfolders == DOMAINS
    loose = sorted(p.name for p in folder.glob("*.py") if p.name != "__init__.py")
    # Only what every domain shares stands at the top: the menu/dock wiring and the home entries.
    assert loose == (["plugin_ui.py", "ui_home.py"] if room == "dialogs" else [])


def test_imports_flow_one_way():
    """client/sim/analysis never import the QGIS rooms; layers never import dialogs or algorithms."""
    graph = _graph()
    rules = {
        "smartcity_qgis.cityos_client": ("layers", "dialogs", "algorithms", "export", "cityos_sim", "analysis"),
        "smartcity_qgis.cityos_sim": ("layers", "dialogs", "algorithms", "export"),
        "smartcity_qgis.analysis": ("layers", "dialogs", "algorithms", "export", "cityos_sim"),
        "smartcity_qgis.layers": ("dialogs", "algorithms", "export"),
        "smartcity_qgis.export": ("dialogs", "algorithms"),
        "smartcity_qgis.algorithms": ("dialogs",),
    }
    wrong = []
    for module, targets in graph.items():
        for prefix, forbidden in rules.items():
            if module == prefix or module.startswith(prefix + "."):
                wrong += [
                    f"{module} -> {t}" for t in targets for room in forbidden if t.startswith(f"smartcity_qgis.{room}")
                ]
    assert wrong == []


def test_the_product_never_imports_tests():
    modules = _modules()
    offenders = []
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = []
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                mods = [node.module]
            offenders += [f"{name}: {m}" for m in mods if m == "tests" or m.startswith("tests.")]
    assert offenders == []
