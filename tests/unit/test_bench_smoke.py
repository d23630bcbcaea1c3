"""The pure benchmarks run at a small size and both sides give the same answer (no timing checks)."""

from __future__ import annotations

import pytest

from tests.bench.cases_pure import BENCHMARKS
from tests.bench.harness import percentile, run_inprocess, run_side, spread


@pytest.mark.parametrize("bench", BENCHMARKS, ids=lambda b: b.name)
def test_benchmark_runs_and_sides_agree(bench):
    result = run_inprocess(bench)
    assert result["size"] == bench.smoke_size
    assert result["ours"]["runs"] == 1 and result["baseline"]["runs"] == 1
    assert result.get("agree") is True, result.get("disagreement")
    # The agreement is about this input: our side on half of it no longer agrees with the baseline.
    half = run_side(bench, "ours", bench.smoke_size // 2, 1, measure_memory=False)
    assert bench.agree(half["summary"], result["baseline"]["summary"]) is not None


def test_parse_benchmark_notices_a_wrong_parse():
    bench = next(b for b in BENCHMARKS if b.name == "parse-ngsi-v2")
    result = run_inprocess(bench)
    ours, baseline = result["ours"]["summary"], result["baseline"]["summary"]
    broken = [(ours[0][0] + "x", *ours[0][1:]), *ours[1:]]
    assert bench.agree(ours, baseline) is None
    assert "entity" in bench.agree(broken, baseline)


def test_mesh_benchmark_notices_different_codes():
    bench = next(b for b in BENCHMARKS if b.name == "mesh-1km")
    result = run_inprocess(bench, size=3000)
    ours = dict(result["ours"]["summary"])
    ours["sample"] = ours["sample"].copy()
    ours["sample"][5] += 1
    ours["sha256"] = "0" * 64
    assert "differ" in bench.agree(ours, result["baseline"]["summary"])


def test_spread_and_percentile():
    stats = spread([3.0, 1.0, 2.0, 4.0, 5.0])
    assert (stats["median_s"], stats["min_s"], stats["max_s"]) == (3.0, 1.0, 5.0)
    assert (stats["q1_s"], stats["q3_s"]) == (2.0, 4.0)
    assert percentile([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.95) == pytest.approx(95.0)


def test_readme_table_is_rewritten_between_the_markers(tmp_path):
    from tests.bench.harness import write_results
    from tests.bench.readme_table import END, START, rewrite_readme

    bench = next(b for b in BENCHMARKS if b.name == "mesh-1km")
    result = run_inprocess(bench, size=2000)
    results = write_results([result], tmp_path / "bench-results.json")
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\n## Benchmarks\n\n{START}\nold table\n{END}\n\n## Development\nkept\n")
    rewrite_readme(results, readme)
    text = readme.read_text()
    assert "old table" not in text
    assert "| mesh 1 km | 2,000 points |" in text
    assert "cores" in text and "GiB RAM" in text
    assert text.endswith("## Development\nkept\n")
    rewrite_readme(results, readme)
    assert text == readme.read_text()


def test_readme_without_markers_is_refused(tmp_path):
    from tests.bench.harness import write_results
    from tests.bench.readme_table import rewrite_readme

    results = write_results([], tmp_path / "bench-results.json")
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n")
    with pytest.raises(ValueError, match="markers"):
        rewrite_readme(results, readme)
    assert readme.read_text() == "# Title\n"


def test_results_of_a_partial_run_are_merged_in_table_order(tmp_path):
    import json

    from tests.bench.harness import write_results

    path = tmp_path / "bench-results.json"
    parse, mesh = (next(b for b in BENCHMARKS if b.name == n) for n in ("parse-ngsi-v2", "mesh-1km"))
    order = ["parse-ngsi-v2", "mesh-1km"]
    write_results([run_inprocess(mesh, size=1000)], path, full=True, order=order)
    write_results([run_inprocess(parse, size=200)], path, full=True, order=order)
    names = [b["name"] for b in json.loads(path.read_text())["benchmarks"]]
    assert names == order
    write_results([run_inprocess(parse, size=200)], path, full=False, order=order)
    assert [b["name"] for b in json.loads(path.read_text())["benchmarks"]] == ["parse-ngsi-v2"]
