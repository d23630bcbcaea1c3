"""Every benchmark, each side in its own child process: full size under ``--bench-full``."""

from __future__ import annotations

import pytest

from tests.bench.harness import all_benchmarks, run_benchmark

CASES = all_benchmarks()


@pytest.mark.parametrize(("module", "bench"), CASES, ids=[bench.name for _, bench in CASES])
def test_benchmark(module, bench, bench_full, bench_results):
    size = bench.full_size if bench_full else bench.smoke_size
    result = run_benchmark(module, bench, size)
    bench_results.append(result)
    ratio = (
        f", baseline {result['baseline']['median_s']:.3f} s, ratio {result['ratio']:.2f}" if "ratio" in result else ""
    )
    figures = result.get("metrics", "")
    print(f"\n{bench.title}: ours {result['ours']['median_s']:.3f} s{ratio} {figures} -> {result['passed']}")
    assert result.get("agree", True), result.get("disagreement")
