"""`make demo` as a user runs it: every step, a clean log, documents that read as written."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is needed")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run(
        [sys.executable, "-m", "smartcity_qgis.demo", "--output", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return run, out


def test_the_demo_runs_every_step_with_a_clean_log(demo):
    run, out = demo
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    log = run.stdout + run.stderr
    # GDAL and QGIS report problems as "Warning n:" / "ERROR n:" lines; a healthy run has none.
    problems = [line for line in log.splitlines() if re.search(r"\b(Warning|ERROR|Traceback)\b", line)]
    assert problems == []
    for name in ("planning/planning_pack.pdf", "planning/quruwa_figure.pdf", "planning/quruwa_figure.png"):
        assert (out / name).stat().st_size > 10_000


def test_demo_pdfs_read_as_the_japanese_written(demo):
    _run, out = demo
    for pdf in sorted(out.rglob("*.pdf")):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
        assert not [c for c in text if 0x2E80 <= ord(c) <= 0x2FDF], pdf.name
        assert "人流" in text and "出典" in text, pdf.name
        assert "出典：出典" not in text, pdf.name
