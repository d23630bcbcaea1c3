"""`make bench`: ``--bench-full`` runs every benchmark at full size and writes the results.

Without ``--bench-full`` the benchmarks run at their small smoke size (still each side in its
own child process) and nothing is written. With it, the table is printed, ``bench-results.json``
is written at the repository root and the README table between its bench markers is rewritten.
"""

from __future__ import annotations

import pytest

RESULTS: list[dict] = []


def pytest_addoption(parser):
    parser.addoption(
        "--bench-full",
        action="store_true",
        default=False,
        help="run the benchmarks at full size, write bench-results.json and the README table",
    )


@pytest.fixture(scope="session")
def bench_full(request) -> bool:
    """True under ``--bench-full``."""
    return bool(request.config.getoption("--bench-full"))


@pytest.fixture(scope="session")
def bench_results() -> list[dict]:
    """Every benchmark's result of this session, in order."""
    return RESULTS


def pytest_sessionfinish(session, exitstatus):
    if not RESULTS:
        return
    from tests.bench.harness import all_benchmarks, text_table, write_results

    full = bool(session.config.getoption("--bench-full"))
    lines = ["", "Benchmarks (" + ("full size" if full else "smoke size, not written") + ")", text_table(RESULTS)]
    misses = [r["title"] for r in RESULTS if r.get("passed") is False]
    lines.append("targets missed: " + ", ".join(misses) if misses else "every target met")
    if full:
        from tests.bench.readme_table import rewrite_readme

        path = write_results(RESULTS, order=[bench.name for _, bench in all_benchmarks()])
        readme = rewrite_readme(path)
        lines.append(f"wrote {path.name}; README table updated in {readme.name}")
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    text = "\n".join(lines)
    if reporter is not None:
        reporter.write_line(text)
    else:
        print(text)
