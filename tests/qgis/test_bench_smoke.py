"""The QGIS benchmarks run at a small size and their outputs agree (no timing checks)."""

from __future__ import annotations

import sys

import pytest
from qgis.core import QgsApplication

from smartcity_qgis.algorithms.provider import SmartCityProvider
from tests.bench import cases_analysis, cases_cityos, cases_figure
from tests.bench.harness import run_inprocess, run_side


@pytest.fixture(scope="module")
def processing(qgis_app):
    sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    registry = QgsApplication.processingRegistry()
    provider = None
    if registry.providerById("smartcity") is None:
        provider = SmartCityProvider()
        registry.addProvider(provider)
    yield
    if provider is not None:
        registry.removeProvider(provider)


@pytest.mark.parametrize("bench", cases_analysis.BENCHMARKS, ids=lambda b: b.name)
def test_analysis_benchmark_runs_and_agrees_with_qgis(processing, bench):
    result = run_inprocess(bench)
    assert result.get("agree") is True, result.get("disagreement")
    # The agreement is about this input: our side on half of it no longer agrees with QGIS's.
    half = run_side(bench, "ours", bench.smoke_size // 2, 1, measure_memory=False)
    assert bench.agree(half["summary"], result["baseline"]["summary"]) is not None


def test_planning_pack_benchmark_makes_every_page(processing):
    result = run_inprocess(cases_figure.FIGURE)
    assert result.get("agree") is True, result.get("disagreement")
    assert result["metrics"]["pages"] == 3
    assert result["passed"] is None


# How much each city-OS benchmark's smoke run must have handled: every entity loaded into the layer,
# every sensor live, every change pushed and measured.
HANDLED = {
    "ingest-ngsi-v2": lambda r: (r["ours"]["summary"]["count"], r["size"]),
    "ingest-ngsi-ld": lambda r: (r["ours"]["summary"]["count"], r["size"]),
    "live": lambda r: (r["ours"]["summary"]["features"], r["size"]),
    "push": lambda r: (r["metrics"]["changes"], cases_cityos.PUSH_CHANGES["smoke"]),
}


@pytest.mark.parametrize("bench", cases_cityos.BENCHMARKS, ids=lambda b: b.name)
def test_cityos_benchmark_runs_and_is_consistent(qgis_app, bench):
    result = run_inprocess(bench)
    assert result.get("agree") is True, result.get("disagreement")
    handled, expected = HANDLED[bench.name](result)
    assert handled == expected


def test_raster_comparison_notices_a_different_heatmap():
    import numpy as np

    grid = {"values": np.ones((4, 5)), "transform": (10.0, 0.0, 0.0, 0.0, -10.0, 0.0)}
    other = {"values": np.ones((4, 5)), "transform": grid["transform"]}
    assert cases_analysis.rasters_agree(grid, other) is None
    other["values"][2, 3] = 1.02
    assert "largest difference" in cases_analysis.rasters_agree(grid, other)
    assert "grid" in cases_analysis.rasters_agree(grid, {"values": np.ones((5, 5)), "transform": grid["transform"]})


def test_area_comparison_notices_a_missing_zone_rank():
    ours = {(1, 2): 100.0, (1, 3): 50.0}
    assert cases_analysis.areas_agree(ours, dict(ours)) is None
    assert "pairs differ" in cases_analysis.areas_agree({(1, 2): 100.0}, ours)
    assert "zone 1 rank 3" in cases_analysis.areas_agree({(1, 2): 100.0, (1, 3): 49.0}, ours)
