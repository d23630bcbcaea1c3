"""Benchmarks say what they measure: each baseline is named for what it is and runs as often as ours."""

from __future__ import annotations

from tests.bench import cases_pure
from tests.bench.harness import ALTERNATIVE, BASELINE_KINDS, FLOOR, result_row, run_benchmark, write_results


def _bench(name: str):
    return next(b for b in cases_pure.BENCHMARKS if b.name == name)


def test_a_decode_yardstick_is_called_the_decode_floor_not_an_alternative():
    parse_benches = [b for b in cases_pure.BENCHMARKS if b.name.startswith("parse-")]
    assert {b.name for b in parse_benches} == {
        "parse-ngsi-v2",
        "parse-e2e-ngsi-v2",
        "parse-ngsi-ld",
        "parse-e2e-ngsi-ld",
    }
    for bench in parse_benches:
        assert bench.baseline_kind == FLOOR
        assert bench.baseline.label.startswith("decode floor")
    assert _bench("mesh-1km").baseline_kind == ALTERNATIVE
    assert set(BASELINE_KINDS) == {ALTERNATIVE, FLOOR}


def test_the_end_to_end_parse_times_geometry_the_parse_only_row_leaves_out():
    from smartcity_qgis.cityos_client.geometry import build_point
    from tests.bench.payloads import entity_pages

    pages = entity_pages(30, "ngsi-v2")
    e2e = _bench("parse-e2e-ngsi-v2").ours.run(pages)
    assert len(e2e) == 30 and all(e._pending is None and e.geometry is not None for e in e2e)
    parse_only = _bench("parse-ngsi-v2")
    decoded = parse_only.ours.prepare(pages)
    deferred = parse_only.ours.run(decoded)
    assert all(e._pending is not None and e._pending[0] is build_point for e in deferred)


def test_both_sides_run_the_same_number_of_times_and_the_table_names_the_baseline(tmp_path):
    bench = _bench("parse-ngsi-v2")
    result = run_benchmark("tests.bench.cases_pure", bench, 300)
    assert result["ours"]["runs"] == result["baseline"]["runs"] == bench.repeats
    assert len(result["baseline"]["times_s"]) == bench.repeats
    row = result_row(result)
    assert "yardstick — decode floor: json.loads of the same bytes" in row
    written = write_results([result], tmp_path / "bench-results.json", full=False)
    assert '"baseline_kind": "floor"' in written.read_text()
