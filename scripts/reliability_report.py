#!/usr/bin/env python3
"""Write README.md's Reliability table from the reports of the test run that just ran.

`scripts/test.sh` empties ``.cache/test-reports`` when it starts; each host level leaves its junit
XML there (``unit.xml``, ``qgis.xml``, or ``reliability.xml`` for `scripts/test.sh reliability`)
and the reliability tests leave their figures (``reliability-<report>.json``, written by
``tests.conftest.record_reliability``). Every figure of the table is computed from these files:

- every reliability test (``tests/*/test_reliability_*.py`` and the districts' killed-writer test)
  must have run and passed in that junit XML;
- every figure must have been written while that run went on (never one left by an earlier run).

Anything missing, failed or stale is named, and the script exits 1 leaving README.md untouched.
Usage: ``scripts/test.sh reliability && scripts/reliability_report.py``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPORTS = REPO / ".cache" / "test-reports"
README = REPO / "README.md"
HOST_LEVELS = ("unit", "qgis", "reliability")  # junit files of the runs on this machine's QGIS
START, END = "<!-- reliability:start -->", "<!-- reliability:end -->"
SLACK_S = 1.0  # clock rounding between pytest's suite start and a figure's time stamp


class ReportError(Exception):
    """The reports cannot back a table: what is missing, failed or stale."""


@dataclass(frozen=True)
class Source:
    """A figures file and the tests that write it."""

    report: str
    module: str  # junit classname
    keys: tuple[str, ...]
    test: str | None = None  # one test of the module (None: the module's tests)


SOURCES = (
    Source("faults", "tests.unit.test_reliability_faults",
           ("ngsi-v2", "ngsi-ld", "ngsi-v2 persistent 500", "ngsi-ld persistent 500")),
    Source("hostile-parsers", "tests.unit.test_reliability_hostile",
           ("NGSI entities (ngsi-v2)", "NGSI entities (ngsi-ld)", "NGSI notifications", "MLIT people-flow files",
            "station tables")),
    Source("hostile-files", "tests.qgis.test_reliability_hostile_files", ("国土数値情報 files", "connection files")),
    Source("secrets", "tests.qgis.test_reliability_secrets", ("configured secret",)),
    Source("saves", "tests.qgis.test_districts", ("district writer",),
           "test_a_killed_writer_leaves_old_or_new_districts"),
    Source("snapshots", "tests.qgis.test_reliability_snapshots", ("snapshot writer",)),
    Source("longrun", "tests.qgis.test_reliability_longrun", ("live polling",)),
)  # fmt: skip


@dataclass
class Case:
    """One test case of a junit report."""

    module: str
    name: str
    outcome: str  # passed, failed, error, skipped
    message: str
    window: tuple[float, float]  # the run's start and end (epoch seconds)


@dataclass
class Run:
    """The junit reports of one test run."""

    cases: list[Case] = field(default_factory=list)
    started: float | None = None

    def of(self, module: str, test: str | None = None) -> list[Case]:
        return [c for c in self.cases if c.module == module and (test is None or c.name.split("[", 1)[0] == test)]


def reliability_modules(repo: Path = REPO) -> list[str]:
    """The junit classnames of every reliability test module in the repository."""
    paths = sorted(repo.glob("tests/*/test_reliability_*.py"))
    return [".".join(p.relative_to(repo).with_suffix("").parts) for p in paths]


def read_run(reports: Path) -> Run:
    """The test cases of the host levels' junit reports in ``reports``."""
    run = Run()
    files = [reports / f"{level}.xml" for level in HOST_LEVELS if (reports / f"{level}.xml").exists()]
    if not files:
        names = ", ".join(f"{level}.xml" for level in HOST_LEVELS)
        raise ReportError(f"no junit report ({names}) in {reports}: run `scripts/test.sh reliability` first")
    for path in files:
        for suite in ET.parse(path).getroot().iter("testsuite"):
            stamp = datetime.fromisoformat(suite.get("timestamp", ""))
            start = stamp.timestamp()  # a naive stamp is local time, as pytest wrote it
            window = (start - SLACK_S, start + float(suite.get("time", 0)) + SLACK_S)
            run.started = start if run.started is None else min(run.started, start)
            for case in suite.iter("testcase"):
                outcome, message = "passed", ""
                for kind in ("failure", "error", "skipped"):
                    found = case.find(kind)
                    if found is not None:
                        outcome = {"failure": "failed"}.get(kind, kind)
                        message = found.get("message", "")
                        break
                run.cases.append(Case(case.get("classname", ""), case.get("name", ""), outcome, message, window))
    return run


def check_tests(run: Run, modules: list[str]) -> None:
    """Every reliability test ran and passed."""
    problems = []
    wanted = [(m, None) for m in modules] + [(s.module, s.test) for s in SOURCES if s.test]
    for module, test in wanted:
        cases = run.of(module, test)
        label = f"{module}::{test}" if test else module
        if not cases:
            problems.append(f"{label} did not run")
        problems += [f"{c.module}::{c.name} {c.outcome}: {c.message[:200]}" for c in cases if c.outcome != "passed"]
    if problems:
        raise ReportError("the reliability tests did not all pass in this run:\n  " + "\n  ".join(problems))


def load_figures(reports: Path, run: Run) -> dict[str, dict]:
    """Each source's figures, checked complete and written during the run that ran its tests."""
    figures: dict[str, dict] = {}
    problems = []
    for source in SOURCES:
        path = reports / f"reliability-{source.report}.json"
        if not path.exists():
            problems.append(f"{path.name} is missing")
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        windows = {c.window for c in run.of(source.module, source.test)}
        for key in source.keys:
            entry = data.get(key)
            if entry is None:
                problems.append(f"{path.name} has no figures for {key!r}")
            elif not any(lo <= entry.get("written_at", 0) <= hi for lo, hi in windows):
                problems.append(f"{path.name}: the figures for {key!r} were not written by this run")
        figures[source.report] = data
    if problems:
        raise ReportError("the reliability figures are incomplete:\n  " + "\n  ".join(problems))
    return figures


def _kinds(by_kind: dict[str, int]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])) if n)


def table(run: Run, figures: dict[str, dict]) -> list[str]:
    """The Markdown table, every figure taken from ``figures`` and the junit cases of ``run``."""
    when = datetime.fromtimestamp(run.started or 0, UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [f"Measured by the test run of {when}.", "", "| what the tests did | measured |", "| --- | --- |"]
    faults = figures["faults"]
    for flavor in ("ngsi-v2", "ngsi-ld"):
        f = faults[flavor]
        complete = f["received"] - f["duplicates"] == f["entities"] and f["entities_lost"] == 0
        out.append(
            f"| load {f['entities']:,} entities ({flavor}), faults {'+'.join(f['faults'])} in "
            f"{f['fault_rate']:.0%} of requests | faults injected {f['faults_injected']} "
            f"({_kinds(f['faults_by_kind'])}), "
            f"retries {f['retries']}, entities received {f['received']:,}: duplicates {f['duplicates']}, "
            f"lost {f['entities_lost']}; {'complete' if complete else 'INCOMPLETE'} |"
        )
    for flavor in ("ngsi-v2", "ngsi-ld"):
        f = faults[f"{flavor} persistent 500"]
        out.append(
            f"| a broker answering every request with 500 ({flavor}) | load stopped after {f['attempts']} attempts: "
            f"“{f['message']}” |"
        )
    hostile = {**figures["hostile-parsers"], **figures["hostile-files"]}
    tried = sum(v["tried"] for v in hostile.values())
    refused = sum(v["rejected"] for v in hostile.values())
    per_kind = ", ".join(f"{kind} {v['tried']}" for kind, v in sorted(hostile.items()))
    cases = run.of("tests.unit.test_reliability_hostile") + run.of("tests.qgis.test_reliability_hostile_files")
    hangs = sum(c.outcome in ("failed", "error") and "Timeout" in c.message for c in cases)
    crashes = sum(c.outcome in ("failed", "error") for c in cases) - hangs
    out.append(
        f"| hostile payloads and files tried | {tried} ({per_kind}), each with its exact expected outcome: "
        f"{refused} refused with their reason, {tried - refused} read; crashes {crashes}, hangs {hangs} |"
    )
    s = figures["secrets"]["configured secret"]
    out.append(
        f"| files searched for a configured secret | {s['files_searched']} files; secrets found {s['secrets_found']} |"
    )
    d = figures["saves"]["district writer"]
    out.append(
        f"| district saves interrupted by killing the writer | {d['kills']} kills ({d['inside_transaction']} inside a "
        f"transaction); GeoPackages read back whole with the old or the new districts: {d['whole']} of {d['kills']} |"
    )
    n = figures["snapshots"]["snapshot writer"]
    unsaved = n["kills"] - n["checked"]
    out.append(
        f"| city-OS cache (snapshot) saves interrupted by killing the writer | {n['kills']} kills"
        + (f" ({unsaved} before the first save)" if unsaved else "")
        + f"; snapshots read back with one complete version: {n['whole']} of {n['checked']} |"
    )
    lr = figures["longrun"]["live polling"]
    out.append(
        f"| {lr['scenario_hours']} simulated hours of live updates, {lr['sensors']:,} sensors | "
        f"{lr['feature_updates']:,} feature updates; memory growth after warm-up {lr['growth_mb']} MB; "
        f"file handles {lr['fds'][0]}→{lr['fds'][1]}, threads {lr['threads'][0]}→{lr['threads'][1]} |"
    )
    return out


def rewrite(readme: Path, lines: list[str]) -> str:
    """README text with the table between the markers replaced."""
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise ReportError(f"{readme} has no reliability markers")
    body = "\n".join([START, *lines, END])
    return re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _m: body, text, flags=re.S)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", type=Path, default=REPORTS)
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args(argv)
    try:
        run = read_run(args.reports)
        check_tests(run, reliability_modules())
        lines = table(run, load_figures(args.reports, run))
        text = rewrite(args.readme, lines)
    except ReportError as exc:
        print(f"reliability_report: {exc}\nREADME.md left unchanged.", file=sys.stderr)
        return 1
    args.readme.write_text(text, encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
