"""JIS X 0410 mesh engine: example vectors, exact edges, validation, hierarchy, grids."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity_qgis.analysis.mesh import (
    LEVEL_NAMES,
    MESH_NONE,
    mesh_bounds,
    mesh_center,
    mesh_children,
    mesh_code,
    mesh_grid,
    mesh_level,
    mesh_parent,
    parent_levels,
)

# domain-japan.md: (35.658581, 139.745433), the Tokyo Tower example.
TOKYO_TOWER = (35.658581, 139.745433)
EXPECTED = {
    "80km": 5339,
    "10km": 533935,
    "1km": 53393599,
    "500m": 533935992,
    "250m": 5339359921,
    "125m": 53393599212,
    "5km": 5339354,
    "2km": 533935885,
    "100m": 5339359906,
}


@pytest.mark.parametrize("level", sorted(EXPECTED))
def test_domain_note_example_vectors(level):
    code = mesh_code(*TOKYO_TOWER, level)
    assert int(code) == EXPECTED[level]
    assert isinstance(code, np.integer)


def test_okazaki_centre_is_in_its_known_meshes():
    # 34.954 N, 137.174 E: 1st mesh 5237 (34.667-35.333 N, 137-138 E), 2nd row 3, column 1
    assert int(mesh_code(34.954, 137.174, "80km")) == 5237
    assert int(mesh_code(34.954, 137.174, "1km")) == 52373143


def test_scalars_and_arrays_alike():
    lat = np.array([TOKYO_TOWER[0], 34.954, 43.0686])
    lon = np.array([TOKYO_TOWER[1], 137.174, 141.3508])
    codes = mesh_code(lat, lon, "1km")
    assert codes.dtype == np.int64 and codes.shape == (3,)
    for i in range(3):
        assert codes[i] == mesh_code(float(lat[i]), float(lon[i]), "1km")
    single = mesh_code(lat[:1], lon[:1], "1km")
    assert single.shape == (1,) and single[0] == EXPECTED["1km"]
    grid = mesh_code(lat.reshape(3, 1), lon.reshape(1, 3), "80km")
    assert grid.shape == (3, 3)
    south, west, north, east = mesh_bounds(codes, "1km")
    assert south.shape == (3,) and np.all(north > south) and np.all(east > west)
    s, _w, _n, _e = mesh_bounds(EXPECTED["1km"], "1km")
    assert isinstance(float(s), float) and np.ndim(s) == 0


@pytest.mark.parametrize("level", LEVEL_NAMES)
def test_exact_south_west_corner_belongs_to_the_cell(level):
    codes = mesh_grid((136.9, 34.6, 137.4, 35.1), level, max_cells=400_000)
    south, west, north, east = mesh_bounds(codes, level)
    assert np.array_equal(mesh_code(south, west, level), codes)
    # a hair inside the north / east edge still belongs to the cell, the edge itself does not
    assert np.array_equal(mesh_code(north - 1e-9, east - 1e-9, level), codes)
    assert not np.any(mesh_code(north, west, level) == codes)
    assert not np.any(mesh_code(south, east, level) == codes)


def test_corners_written_the_way_people_write_them():
    # lat = p/1.5 + q*5/60 + r*30/3600 in floating point: 35 + 1/3 is not representable
    for p, q, r in [(53, 0, 0), (53, 3, 9), (52, 7, 9), (40, 4, 3), (45, 1, 1)]:
        for u, v, w in [(39, 5, 9), (37, 1, 4), (41, 7, 0)]:
            lat = p / 1.5 + q * 5 / 60 + r * 30 / 3600
            lon = 100 + u + v * 7.5 / 60 + w * 45 / 3600
            code = int(mesh_code(lat, lon, "1km"))
            assert code == int(f"{p}{u}{q}{v}{r}{w}"), (lat, lon, code)
    assert int(mesh_code(35 + 1 / 3, 139.0, "80km")) == 5339
    assert int(mesh_code(35 + 1 / 3 - 1e-9, 139.0, "80km")) == 5239


@pytest.mark.parametrize("first", [5339, 5237, 3036, 6441, 4530])
def test_round_trip_every_cell_of_several_first_meshes(first):
    for level in LEVEL_NAMES:
        codes = mesh_children(first, "80km", level) if level != "80km" else np.array([first])
        assert np.unique(codes).size == codes.size
        lat, lon = mesh_center(codes, level)
        assert np.array_equal(mesh_code(lat, lon, level), codes), level
        assert np.all(mesh_parent(codes, level, "80km") == first) if level != "80km" else True


def test_children_and_parents_nest():
    kids = mesh_children(533935, "10km", "1km")
    assert kids.shape == (100,) and kids[0] == 53393500 and kids[-1] == 53393599
    assert set(mesh_children(53393599, "1km", "500m")) == {533935991, 533935992, 533935993, 533935994}
    assert set(mesh_children(533935, "10km", "5km")) == {5339351, 5339352, 5339353, 5339354}
    assert mesh_children(533935, "10km", "2km").size == 25
    assert mesh_children(53393599, "1km", "100m").size == 100
    assert int(mesh_parent(53393599212, "125m", "500m")) == 533935992
    assert int(mesh_parent(5339359906, "100m", "1km")) == 53393599
    assert int(mesh_parent(53393599, "1km", "2km")) == 533935885
    assert int(mesh_parent(53393599, "1km", "5km")) == 5339354
    several = mesh_children(np.array([5339, 5238]), "80km", "10km")
    assert several.shape == (2, 64)
    with pytest.raises(ValueError, match="do not nest"):
        mesh_parent(533935885, "2km", "5km")
    with pytest.raises(ValueError, match="do not nest"):
        mesh_parent(5339359906, "100m", "125m")
    assert parent_levels("125m") == ["80km", "10km", "5km", "2km", "1km", "500m", "250m"]
    assert parent_levels("2km") == ["80km", "10km"]


@pytest.mark.parametrize(
    ("code", "level", "needle"),
    [
        (533985, "10km", "533985"),  # 2nd-mesh row digit 8
        (533939, "10km", "533939"),  # 2nd-mesh column digit 9
        (533935990, "500m", "533935990"),  # quadrant 0
        (533935995, "500m", None),  # ends in 5: not a 500m quadrant
        (5339359950, "250m", "5339359950"),
        (53393599215, "125m", "53393599215"),
        (5339355, "5km", "5339355"),
        (533935875, "2km", "533935875"),  # odd row digit
        (533935884, "2km", "533935884"),  # does not end in 5
        (5339359, "1km", "5339359"),  # wrong length
        (533935999, "1km", "533935999"),
        ("05339", "80km", "05339"),
        ("53a9", "80km", "53a9"),
        (-5339, "80km", "-5339"),
    ],
)
def test_invalid_codes_are_refused_naming_the_code(code, level, needle):
    with pytest.raises(ValueError) as info:
        mesh_bounds(code, level)
    assert str(needle or code) in str(info.value)


def test_invalid_code_inside_an_array_is_named():
    with pytest.raises(ValueError, match="53398599"):
        mesh_center(np.array([53393599, 53398599]), "1km")


def test_mesh_level():
    assert mesh_level(5339) == "80km"
    assert mesh_level("533935") == "10km"
    assert mesh_level(5339354) == "5km"
    assert mesh_level(53393599) == "1km"
    assert mesh_level(533935992) == "500m"
    assert mesh_level(533935885) == "2km"
    assert mesh_level(53393599212) == "125m"
    assert mesh_level(np.array([53393599, 53393500])) == "1km"
    with pytest.raises(ValueError, match=r"5339359921.*ambiguous"):
        mesh_level(5339359921)
    assert mesh_level(5339359921, "250m") == "250m"
    assert mesh_level(5339359906, "100m") == "100m"
    with pytest.raises(ValueError, match="5339359906"):
        mesh_level(5339359906, "250m")
    with pytest.raises(ValueError, match="12345"):
        mesh_level(12345)
    with pytest.raises(ValueError, match="different lengths"):
        mesh_level([5339, 533935])


def test_points_outside_the_domain():
    with pytest.raises(ValueError, match="outside"):
        mesh_code(51.5, -0.12, "1km")
    with pytest.raises(ValueError, match="outside"):
        mesh_code(np.array([35.0, np.nan]), np.array([139.0, 139.0]), "1km")
    lat, lon = np.array([35.0, 51.5, np.nan]), np.array([139.0, -0.12, 139.0])
    codes = mesh_code(lat, lon, "1km", outside="sentinel")
    assert codes[0] == 52394000 and codes[1] == MESH_NONE and codes[2] == MESH_NONE
    with pytest.raises(ValueError, match="unknown mesh level"):
        mesh_code(35.0, 139.0, "3km")


def test_grid_covers_the_box_exactly():
    codes = mesh_grid((139.7, 35.6, 139.8, 35.7), "1km")
    assert codes.size == 12 * 8  # 0.1° = 12 rows of 30″ and 8 columns of 45″ (edges on grid lines)
    south, west, north, east = mesh_bounds(codes, "1km")
    assert south.min() == pytest.approx(35.6) and north.max() == pytest.approx(35.7)
    assert west.min() == pytest.approx(139.7) and east.max() == pytest.approx(139.8)
    assert mesh_grid((139.745433, 35.658581, 139.745433, 35.658581), "1km").tolist() == [53393599]
    off_lines = mesh_grid((139.701, 35.601, 139.799, 35.699), "1km")
    assert set(off_lines) == set(codes)
    with pytest.raises(ValueError, match="limit"):
        mesh_grid((122.0, 24.0, 154.0, 46.0), "100m")
    with pytest.raises(ValueError, match="invalid box"):
        mesh_grid((140.0, 35.0, 139.0, 36.0), "1km")


@settings(max_examples=300, deadline=None)
@given(
    lat=st.floats(min_value=20.0, max_value=46.0, allow_nan=False),
    lon=st.floats(min_value=122.0, max_value=154.0, allow_nan=False),
    level=st.sampled_from(LEVEL_NAMES),
)
def test_every_point_lies_in_the_half_open_cell_it_is_given(lat, lon, level):
    code = mesh_code(lat, lon, level)
    south, west, north, east = mesh_bounds(code, level)
    # within 1e-9 degree of the edge the snapping to exact grid lines decides
    assert south - 1e-9 <= lat < north and west - 1e-9 <= lon < east
    assert int(mesh_code(*mesh_center(code, level), level)) == int(code)
