"""k-anonymity: cells under k are never published and the number held back is reported."""

from __future__ import annotations

import numpy as np
import pytest

from smartcity_qgis.analysis.mesh import mesh_center, mesh_code
from smartcity_qgis.analysis.mesh_aggregate import aggregate_cells, aggregate_points, snapshot_to_mesh
from smartcity_qgis.analysis.privacy import DEFAULT_K, suppress_small_cells


def test_default_k_is_the_mlit_rule():
    assert DEFAULT_K == 10
    rule = suppress_small_cells([0, 3, 9, 10, 250, np.nan])
    assert rule.keep.tolist() == [False, False, False, True, True, False]
    assert rule.suppressed == 3  # 3, 9 and the unknown; an empty cell hides nobody
    assert rule.kept == 2


def test_switching_off_needs_an_explicit_choice():
    for k in (0, 1, None):
        with pytest.raises(ValueError, match="allow_disclosure"):
            suppress_small_cells([1, 2, 3], k)
    rule = suppress_small_cells([1, 2, 3], 0, allow_disclosure=True)
    assert rule.keep.all() and rule.suppressed == 0
    with pytest.raises(ValueError):
        suppress_small_cells([1], -3, allow_disclosure=True)
    with pytest.raises(ValueError):
        suppress_small_cells([1], 2.5)


def _people_in(code: int, n: int, level: str = "1km"):
    lat, lon = mesh_center(np.full(n, code), level)
    return lat, lon


def test_cells_under_k_are_absent_and_counted():
    lat_a, lon_a = _people_in(52373143, 25)
    lat_b, lon_b = _people_in(52373144, 9)
    lat_c, lon_c = _people_in(52373153, 10)
    lat = np.concatenate([lat_a, lat_b, lat_c, [51.5]])
    lon = np.concatenate([lon_a, lon_b, lon_c, [-0.12]])
    result = aggregate_points(lat, lon, "1km")
    assert result.codes.tolist() == [52373143, 52373153]
    assert result.values.tolist() == [25, 10]
    assert result.suppressed == 1 and result.outside == 1
    assert 52373144 not in result.codes
    open_result = aggregate_points(lat, lon, "1km", k=0, allow_disclosure=True)
    assert 52373144 in open_result.codes and open_result.suppressed == 0


def test_weights_are_people():
    lat, lon = _people_in(52373143, 3)
    result = aggregate_points(lat, lon, "1km", weights=[4, 4, 1])
    assert result.codes.size == 0 and result.suppressed == 1
    result = aggregate_points(lat, lon, "1km", weights=[4, 4, 2])
    assert result.values.tolist() == [10] and result.counts.tolist() == [3]


def test_coarsening_a_mesh_layer_sums_then_suppresses():
    codes = [523731431, 523731432, 523731433, 523731441]
    result = aggregate_cells(codes, "500m", [4, 3, 2, 50], "1km")
    assert result.codes.tolist() == [52373144]
    assert result.suppressed == 1
    result = aggregate_cells(codes, "500m", [4, 3, 3, 50], "1km")
    assert result.codes.tolist() == [52373143, 52373144]


def test_snapshot_of_live_counters():
    lat, lon = 34.9555, 137.1611
    code = int(mesh_code(lat, lon, "500m"))
    result = snapshot_to_mesh([(lat, lon, 12), (lat + 0.0001, lon, 30), (35.2, 137.0, 4)], "500m")
    assert result.codes.tolist() == [code] and result.values.tolist() == [42]
    assert result.suppressed == 1
