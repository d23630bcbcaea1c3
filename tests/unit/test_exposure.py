"""Zonal hazard exposure on hand-computable cases, rasters read by window, plane zones."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import Point, Polygon, box

from smartcity_qgis.analysis.exposure import (
    SpatialIndex,
    depth_rank,
    hazard_exposure,
    iter_raster_hazard,
    rank_order_key,
)


def by_key(rows):
    return {(r.zone_id, r.rank): r for r in rows}


def test_square_half_rank_2_half_rank_3():
    zone = box(0, 0, 100, 100)
    hazards = [(box(-50, -10, 50, 110), 2), (box(50, -10, 150, 110), 3)]
    population = [(box(0, 0, 100, 100), 1000.0)]  # one mesh cell covering the zone
    shelters = [Point(25, 50), Point(75, 50), Point(80, 20), Point(500, 500)]
    rows = by_key(hazard_exposure([("z1", zone)], hazards, population, shelters))
    assert set(rows) == {("z1", 2), ("z1", 3)}
    assert rows["z1", 2].area_m2 == pytest.approx(5000.0)
    assert rows["z1", 3].area_m2 == pytest.approx(5000.0)
    assert rows["z1", 2].population == pytest.approx(500.0)
    assert rows["z1", 3].population == pytest.approx(500.0)
    assert rows["z1", 2].feature_count == 1
    assert rows["z1", 3].feature_count == 2


def test_overlap_counts_once_under_the_highest_rank():
    zone = box(0, 0, 100, 100)
    # Two rivers: rank 2 over the left 60 m, rank 4 over the right 60 m; same-rank pieces overlap too.
    hazards = [(box(0, 0, 60, 100), 2), (box(0, 0, 30, 100), 2), (box(40, 0, 100, 100), 4)]
    rows = by_key(hazard_exposure([("z", zone)], hazards))
    assert rows["z", 4].area_m2 == pytest.approx(6000.0)
    assert rows["z", 2].area_m2 == pytest.approx(4000.0)
    assert rows["z", 2].population is None and rows["z", 2].feature_count is None


def test_population_by_area_share_and_weighted_points():
    zones = [("a", box(0, 0, 100, 100)), ("b", box(100, 0, 200, 100))]
    hazards = [(box(0, 0, 200, 50), 1)]
    mesh = [(box(50, 0, 150, 100), 400.0), (box(0, 0, 50, 100), None)]
    rows = by_key(hazard_exposure(zones, hazards, mesh))
    # The cell 50..150 x 0..100 holds 400; a quarter of it lies in zone a's rank-1 part.
    assert rows["a", 1].population == pytest.approx(100.0)
    assert rows["b", 1].population == pytest.approx(100.0)
    points = [(Point(10, 10), 3.0), (Point(150, 25), 2.5), (Point(150, 75), 7.0)]
    rows = by_key(hazard_exposure(zones, hazards, points))
    assert rows["a", 1].population == pytest.approx(3.0)
    assert rows["b", 1].population == pytest.approx(2.5)


def test_zone_without_hazard_has_no_rows_and_null_ranks_are_skipped():
    rows = hazard_exposure(
        [("dry", box(1000, 1000, 1100, 1100)), ("wet", box(0, 0, 10, 10))],
        [(box(0, 0, 10, 10), None), (box(0, 0, 5, 10), "3")],
    )
    assert [(r.zone_id, r.rank, r.area_m2) for r in rows] == [("wet", "3", pytest.approx(50.0))]


def test_invalid_bow_tie_is_repaired():
    bow_tie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])
    rows = hazard_exposure([("z", box(0, 0, 10, 10))], [(bow_tie, 1)])
    assert rows[0].area_m2 == pytest.approx(50.0)


def test_random_case_matches_brute_force():
    rng = np.random.default_rng(7)
    # Hazard: a 20 x 20 grid of 50 m cells with random ranks (no overlaps), zones random boxes.
    hazards = [
        (box(x * 50, y * 50, x * 50 + 50, y * 50 + 50), int(rng.integers(1, 5))) for x in range(20) for y in range(20)
    ]
    zones = []
    for i in range(15):
        x0, y0 = rng.uniform(0, 800, 2)
        zones.append((i, box(x0, y0, x0 + rng.uniform(30, 300), y0 + rng.uniform(30, 300))))
    rows = by_key(hazard_exposure(zones, hazards))
    expected = {}
    for zid, zone in zones:
        for geom, rank in hazards:
            area = zone.intersection(geom).area
            if area > 0:
                expected[zid, rank] = expected.get((zid, rank), 0.0) + area
    assert set(rows) == set(expected)
    for key, area in expected.items():
        assert rows[key].area_m2 == pytest.approx(area, rel=1e-9)


def test_spatial_index_returns_positions():
    index = SpatialIndex([box(0, 0, 1, 1), box(5, 5, 6, 6), box(0.5, 0.5, 2, 2)])
    assert index.candidates(box(0.9, 0.9, 1.1, 1.1)) == [0, 2]
    assert SpatialIndex([]).candidates(box(0, 0, 1, 1)) == []


@pytest.mark.parametrize(
    ("depth", "rank"),
    [(0, 0), (0.01, 1), (0.5, 2), (2.99, 2), (3.0, 3), (5, 4), (10, 5), (19.9, 5), (20, 6), (-1, 0)],
)
def test_depth_rank_bands(depth, rank):
    assert depth_rank(depth) == rank


def test_rank_order_numbers_before_text():
    assert sorted(["b", 10, "2", 3.5], key=rank_order_key) == ["2", 3.5, 10, "b"]


def _write_tiff(path, data, nodata=None):
    import rasterio
    from rasterio.transform import from_origin

    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=data.shape[0],
        width=data.shape[1],
        count=1,
        dtype=data.dtype,
        crs="EPSG:6675",
        transform=from_origin(0, 100, 10, 10),
        nodata=nodata,
    ) as dst:
        dst.write(data, 1)


def test_raster_ranks_read_window_by_window(tmp_path):
    data = np.zeros((10, 10), dtype=np.uint8)
    data[:, :5] = 2  # west half rank 2
    data[:, 5:] = 3  # east half rank 3
    data[0, 0] = 255  # nodata
    path = tmp_path / "rank.tif"
    _write_tiff(path, data, nodata=255)
    polygons = list(iter_raster_hazard(str(path), window_size=4))
    by_rank = {}
    for geom, rank in polygons:
        by_rank[rank] = by_rank.get(rank, 0.0) + geom.area
    assert by_rank == {2: pytest.approx(4900.0), 3: pytest.approx(5000.0)}
    assert len(polygons) > 2, "several windows were read"
    rows = by_key(hazard_exposure([("z", box(0, 0, 100, 100))], polygons))
    assert rows["z", 2].area_m2 == pytest.approx(4900.0)
    # Only the windows meeting the bounds are read.
    east = list(iter_raster_hazard(str(path), bounds=(60, 0, 100, 100), window_size=4))
    assert {rank for _, rank in east} == {3}
    assert list(iter_raster_hazard(str(path), bounds=(500, 500, 600, 600))) == []


def test_float_raster_depths_become_ranks(tmp_path):
    data = np.array([[0.0, 0.3, 0.5, 4.0], [12.0, 25.0, np.nan, -9999.0]], dtype=np.float32)
    path = tmp_path / "depth.tif"
    _write_tiff(path, data, nodata=-9999.0)
    ranks = sorted(rank for _, rank in iter_raster_hazard(str(path)))
    assert ranks == [1, 2, 3, 5, 6]


def test_fast_bounds_agree_with_shapely():
    from shapely.geometry import MultiPolygon

    from smartcity_qgis.analysis.exposure import bounds_of

    geoms = [box(1, 2, 3, 4), Point(5, 6).buffer(1), MultiPolygon([box(0, 0, 1, 1), box(10, -3, 11, 1)]), Point(2, 3)]
    assert bounds_of(geoms) == [pytest.approx(g.bounds) for g in geoms]


def test_pieces_that_only_touch_are_not_merged_and_overlaps_are():
    zone = box(0, 0, 100, 100)
    touching = [(box(0, 0, 50, 100), 1), (box(50, 0, 100, 100), 1)]
    assert [(r.rank, r.area_m2) for r in hazard_exposure([("z", zone)], touching)] == [(1, pytest.approx(10000.0))]
    # Three rivers: ranks 1 and 3 overlap a rank-2 band; each place counts once at its highest rank.
    overlapping = [
        (box(0, 0, 100, 40), 1),
        (box(0, 30, 100, 70), 2),
        (box(0, 60, 100, 100), 3),
        (box(0, 0, 100, 20), 1),
    ]
    rows = by_key(hazard_exposure([("z", zone)], overlapping, [(zone, 100.0)], [Point(50, 35), Point(50, 65)]))
    assert rows["z", 3].area_m2 == pytest.approx(4000.0)
    assert rows["z", 2].area_m2 == pytest.approx(3000.0)
    assert rows["z", 1].area_m2 == pytest.approx(3000.0)
    assert sum(r.population for r in rows.values()) == pytest.approx(100.0)
    assert rows["z", 2].feature_count == 1 and rows["z", 3].feature_count == 1


def test_hazards_known_not_to_overlap_skip_the_checks_with_the_same_result():
    rng = np.random.default_rng(3)
    hazards = [
        (box(x * 10, y * 10, x * 10 + 10, y * 10 + 10), int(rng.integers(1, 4))) for x in range(30) for y in range(30)
    ]
    zones = [(i, Point(rng.uniform(0, 300), rng.uniform(0, 300)).buffer(40)) for i in range(10)]
    checked = by_key(hazard_exposure(zones, hazards))
    trusted = by_key(hazard_exposure(zones, hazards, may_overlap=False))
    assert set(checked) == set(trusted)
    for key, row in checked.items():
        assert trusted[key].area_m2 == pytest.approx(row.area_m2)
