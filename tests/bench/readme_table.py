"""Rewrite the benchmark table in README.md from bench-results.json.

``python tests/bench/readme_table.py [bench-results.json] [README.md]`` replaces what lies
between ``<!-- bench:start -->`` and ``<!-- bench:end -->`` with the machine, the date and
one row per benchmark. `make bench` calls it at the end of a full run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.harness import REPO, RESULTS_FILE, result_row

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
README = REPO / "README.md"
COLUMNS = [
    "benchmark",
    "size",
    "ours: median (min–max), peak",
    "baseline",
    "baseline: median (min–max), peak",
    "ours / baseline",
    "figures",
    "target",
    "result",
]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _note(result: dict) -> str:
    """What ours is and what the input was, under the table."""
    ours = (result.get("ours") or {}).get("label")
    parts = [f"ours is {ours}"] if ours else []
    if result.get("notes"):
        parts.append(result["notes"])
    return f"- {result['title']}: " + "; ".join(parts)


def render(document: dict) -> str:
    """The Markdown that goes between the markers."""
    m = document.get("machine", {})
    versions = ", ".join(
        f"{name} {m[key]}" for name, key in (("QGIS", "qgis"), ("Python", "python"), ("numpy", "numpy")) if key in m
    )
    dates = sorted({r["date"] for r in document.get("benchmarks", []) if r.get("date")})
    when = f"{dates[0]} – {dates[-1]}" if len(dates) > 1 else document.get("date", "?")
    lines = [
        f"Last run: {when} on {m.get('cpu', 'unknown CPU')}, {m.get('cores', '?')} cores, "
        f"{m.get('ram_gib', '?')} GiB RAM ({versions})"
        + ("." if document.get("full_size", True) else " — smoke sizes only, not a measurement."),
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "| " + " | ".join("---" for _ in COLUMNS) + " |",
    ]
    for result in document.get("benchmarks", []):
        lines.append("| " + " | ".join(_cell(c) for c in result_row(result)) + " |")
    notes = [_note(r) for r in document.get("benchmarks", [])]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def rewrite_readme(results: Path = RESULTS_FILE, readme: Path = README) -> Path:
    """Replace the table between the markers of ``readme`` with the one from ``results``."""
    document = json.loads(Path(results).read_text(encoding="utf-8"))
    text = Path(readme).read_text(encoding="utf-8")
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{readme} has no {START} … {END} markers")
    new = text[: start + len(START)] + "\n" + render(document) + "\n" + text[end:]
    Path(readme).write_text(new, encoding="utf-8")
    return Path(readme)


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:3]]
    print(rewrite_readme(*args))
