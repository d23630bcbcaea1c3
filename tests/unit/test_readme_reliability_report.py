"""scripts/reliability_report.py writes the README's Reliability table only from one complete, passing test run."""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from tests.conftest import REPO

_spec = importlib.util.spec_from_file_location("reliability_report", REPO / "scripts" / "reliability_report.py")
report = importlib.util.module_from_spec(_spec)
sys.modules["reliability_report"] = report  # dataclasses look their module up there
_spec.loader.exec_module(report)

README = "# Title\n\n## Reliability\n\n<!-- reliability:start -->\nold table\n<!-- reliability:end -->\n\nkept\n"
FAULTS = {
    "entities": 100_000,
    "faults": ["500", "503", "reset", "truncate", "slow", "shift"],
    "fault_rate": 0.3,
    "faults_injected": 34,
    "faults_by_kind": {"500": 5, "503": 8, "reset": 3, "truncate": 4, "slow": 12, "shift": 2},
    "retries": 20,
    "received": 100_000,
    "duplicates": 0,
    "entities_lost": 0,
}
FIGURES = {
    "faults": {
        "ngsi-v2": FAULTS,
        "ngsi-ld": {**FAULTS, "faults_injected": 27},
        "ngsi-v2 persistent 500": {"attempts": 4, "message": "the broker answered 500 (gave up after 4 attempts)"},
        "ngsi-ld persistent 500": {"attempts": 4, "message": "the broker answered 500 (gave up after 4 attempts)"},
    },
    "hostile-parsers": {
        "NGSI entities (ngsi-v2)": {"tried": 29, "rejected": 20},
        "NGSI entities (ngsi-ld)": {"tried": 29, "rejected": 22},
        "NGSI notifications": {"tried": 22, "rejected": 16},
        "MLIT people-flow files": {"tried": 11, "rejected": 7},
        "station tables": {"tried": 8, "rejected": 3},
    },
    "hostile-files": {
        "国土数値情報 files": {"tried": 11, "rejected": 11},
        "connection files": {"tried": 14, "rejected": 6},
    },
    "secrets": {"configured secret": {"files_searched": 28, "secrets_found": 0}},
    "saves": {"district writer": {"kills": 20, "inside_transaction": 9, "whole": 20, "versions_seen": 7}},
    "snapshots": {"snapshot writer": {"kills": 12, "checked": 11, "whole": 11, "versions_seen": 6}},
    "longrun": {
        "live polling": {
            "sensors": 10_000,
            "scenario_hours": 24,
            "feature_updates": 140_554,
            "growth_mb": 8.2,
            "fds": [22, 22],
            "threads": [2, 2],
        }
    },
}


def _cases(failing: str | None = None, missing: str | None = None) -> list[tuple[str, str, str]]:
    """(classname, test name, outcome) of a reliability run: every module's tests and the districts' one."""
    cases = [(module, "test_it", "passed") for module in report.reliability_modules() if module != missing]
    cases.append(("tests.qgis.test_districts", "test_a_killed_writer_leaves_old_or_new_districts", "passed"))
    return [(m, n, "failed" if m == failing else o) for m, n, o in cases]


def _write_run(folder: Path, cases, started: float, seconds: float = 300.0, written_at: float | None = None) -> None:
    rows = []
    for module, name, outcome in cases:
        inner = '<failure message="AssertionError: mixed content"/>' if outcome == "failed" else ""
        rows.append(f"<testcase classname={quoteattr(module)} name={quoteattr(name)} time='1'>{inner}</testcase>")
    stamp = datetime.fromtimestamp(started, UTC).isoformat()
    failures = sum(o == "failed" for _, _, o in cases)
    (folder / "reliability.xml").write_text(
        f"<testsuites><testsuite name='pytest' tests='{len(cases)}' failures='{failures}' errors='0' skipped='0' "
        f"time='{seconds}' timestamp='{stamp}'>{''.join(rows)}</testsuite></testsuites>",
        encoding="utf-8",
    )
    at = started + 10 if written_at is None else written_at
    for name, data in FIGURES.items():
        entries = {key: {**value, "written_at": at} for key, value in data.items()}
        (folder / f"reliability-{name}.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def readme(tmp_path) -> Path:
    path = tmp_path / "README.md"
    path.write_text(README, encoding="utf-8")
    return path


def _run(tmp_path, readme) -> int:
    return report.main(["--reports", str(tmp_path / "reports"), "--readme", str(readme)])


@pytest.fixture
def reports(tmp_path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    return folder


def test_a_complete_passing_run_rewrites_the_table_from_its_figures(tmp_path, readme, reports):
    started = time.time() - 600
    _write_run(reports, _cases(), started)
    assert _run(tmp_path, readme) == 0
    text = readme.read_text(encoding="utf-8")
    assert "old table" not in text and text.endswith("<!-- reliability:end -->\n\nkept\n")
    assert f"Measured by the test run of {datetime.fromtimestamp(started, UTC):%Y-%m-%d %H:%M} UTC." in text
    assert "faults injected 34 (slow 12, 503 8, 500 5, truncate 4, reset 3, shift 2), retries 20" in text
    assert "faults injected 27 " in text and "lost 0; complete |" in text
    assert "| a broker answering every request with 500 (ngsi-ld) | load stopped after 4 attempts" in text
    assert "124 (" in text and "85 refused with their reason, 39 read; crashes 0, hangs 0 |" in text
    assert "20 kills (9 inside a transaction); GeoPackages read back whole" in text and ": 20 of 20 |" in text
    assert "12 kills (1 before the first save); snapshots read back with one complete version: 11 of 11 |" in text
    assert "140,554 feature updates; memory growth after warm-up 8.2 MB; file handles 22→22" in text


def test_without_reports_nothing_is_written(tmp_path, readme, reports, capsys):
    assert _run(tmp_path, readme) == 1
    assert readme.read_text(encoding="utf-8") == README
    assert "no junit report" in capsys.readouterr().err


def test_a_failed_reliability_test_is_refused(tmp_path, readme, reports, capsys):
    _write_run(reports, _cases(failing="tests.unit.test_reliability_hostile"), time.time() - 600)
    assert _run(tmp_path, readme) == 1
    assert readme.read_text(encoding="utf-8") == README
    assert (
        "tests.unit.test_reliability_hostile::test_it failed: AssertionError: mixed content" in capsys.readouterr().err
    )


def test_a_reliability_test_that_did_not_run_is_refused(tmp_path, readme, reports, capsys):
    _write_run(reports, _cases(missing="tests.unit.test_reliability_faults"), time.time() - 600)
    assert _run(tmp_path, readme) == 1
    assert readme.read_text(encoding="utf-8") == README
    assert "tests.unit.test_reliability_faults did not run" in capsys.readouterr().err


def test_figures_left_by_an_earlier_run_are_refused(tmp_path, readme, reports, capsys):
    started = time.time() - 600
    _write_run(reports, _cases(), started, written_at=started - 3600)
    assert _run(tmp_path, readme) == 1
    assert readme.read_text(encoding="utf-8") == README
    assert "the figures for 'ngsi-v2' were not written by this run" in capsys.readouterr().err


def test_a_missing_figure_is_refused(tmp_path, readme, reports, capsys):
    _write_run(reports, _cases(), time.time() - 600)
    (reports / "reliability-longrun.json").unlink()
    data = json.loads((reports / "reliability-faults.json").read_text())
    del data["ngsi-ld persistent 500"]
    (reports / "reliability-faults.json").write_text(json.dumps(data))
    assert _run(tmp_path, readme) == 1
    err = capsys.readouterr().err
    assert "reliability-longrun.json is missing" in err
    assert "reliability-faults.json has no figures for 'ngsi-ld persistent 500'" in err
    assert readme.read_text(encoding="utf-8") == README
