"""Kernel density: kernel shape and integral, linear weights, exactness, privacy, GeoTIFF."""

from __future__ import annotations

import math

import numpy as np
import pytest

from smartcity_qgis.analysis.kde import (
    KERNELS,
    CancelledError,
    GridSpec,
    grid_for_points,
    kernel_density,
    write_geotiff,
)

PROFILES = {
    "quartic": (lambda u: (1 - u * u) ** 2, 3 / math.pi),
    "triangular": (lambda u: 1 - u, 3 / math.pi),
    "uniform": (lambda u: np.ones_like(u), 1 / math.pi),
    "epanechnikov": (lambda u: 1 - u * u, 2 / math.pi),
    "triweight": (lambda u: (1 - u * u) ** 3, 4 / math.pi),
}
OPEN = {"k": 0, "allow_disclosure": True}


def exact_density(x, y, grid: GridSpec, radius, kernel, weights=None):
    """Point-by-point reference: every kernel evaluated at every pixel centre."""
    xs, ys = grid.centres()
    gx, gy = np.meshgrid(xs, ys)
    out = np.zeros_like(gx)
    profile, _ = PROFILES[kernel]
    weights = np.ones(len(x)) if weights is None else weights
    for a, b, w in zip(x, y, weights, strict=True):
        d = np.hypot(gx - a, gy - b)
        inside = d <= radius
        out[inside] += w * profile(d[inside] / radius)
    return out


@pytest.mark.parametrize("kernel", KERNELS)
def test_single_point_gives_the_kernel_shape_and_integral(kernel):
    radius, pixel = 250.0, 5.0
    grid = GridSpec(west=0.0, north=1000.0, pixel_size=pixel, rows=200, cols=200)
    x, y = 502.5, 497.5  # the centre of pixel (row 100, column 100)
    raster = kernel_density([x], [y], radius, pixel, kernel=kernel, grid=grid, **OPEN)
    values = raster.values
    profile, constant = PROFILES[kernel]
    peak = constant / radius**2
    if kernel == "uniform":  # a flat top: the centre holds the maximum like every pixel within the radius
        assert values.max() == pytest.approx(values[100, 100], rel=1e-12)
    else:
        assert np.unravel_index(values.argmax(), values.shape) == (100, 100)
    assert values[100, 100] == pytest.approx(peak, rel=1e-9)
    # along the row through the point the values follow the kernel's profile
    u = np.abs(np.arange(200) - 100) * pixel / radius
    expected = np.where(u <= 1, peak * profile(np.minimum(u, 1)), 0)
    assert np.allclose(values[100], expected, atol=peak * 1e-9)
    # nothing beyond the radius, and the density integrates to the weight (1 person)
    xs, ys = grid.centres()
    far = np.hypot(xs[None, :] - x, ys[:, None] - y) > radius
    assert np.all(values[far] == 0)
    assert values.sum() * pixel**2 == pytest.approx(1.0, rel=0.01)
    raw = kernel_density([x], [y], radius, pixel, kernel=kernel, grid=grid, output="raw", **OPEN)
    assert raw.values.max() == pytest.approx(1.0)


def test_weights_scale_linearly():
    rng = np.random.default_rng(5)
    x, y = rng.uniform(0, 2000, 200), rng.uniform(0, 2000, 200)
    w = rng.uniform(1, 50, 200)
    grid = grid_for_points(x, y, 300, 10)
    one = kernel_density(x, y, 300, 10, weights=w, grid=grid, **OPEN).values
    three = kernel_density(x, y, 300, 10, weights=3 * w, grid=grid, **OPEN).values
    assert np.allclose(three, 3 * one, rtol=1e-9, atol=1e-15)
    halves = kernel_density(x[:100], y[:100], 300, 10, weights=w[:100], grid=grid, **OPEN).values
    halves += kernel_density(x[100:], y[100:], 300, 10, weights=w[100:], grid=grid, **OPEN).values
    assert np.allclose(halves, one, rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("kernel", ["quartic", "triangular", "epanechnikov", "triweight"])
def test_binned_result_matches_the_point_by_point_sum(kernel):
    rng = np.random.default_rng(11)
    x, y = rng.normal(5000, 400, 300), rng.normal(3000, 400, 300)
    grid = grid_for_points(x, y, 200, 4)
    ours = kernel_density(x, y, 200, 4, kernel=kernel, output="raw", grid=grid, **OPEN).values
    exact = exact_density(x, y, grid, 200, kernel)
    assert np.abs(ours - exact).max() < 0.002 * exact.max()


def test_default_grid_is_qgis_grid():
    grid = grid_for_points([100.0, 350.0], [200.0, 260.0], 50.0, 20.0)
    assert (grid.west, grid.north) == (50.0, 310.0)
    assert grid.cols == math.ceil(350 / 20) + 1 and grid.rows == math.ceil(160 / 20) + 1


def test_pixels_standing_for_fewer_than_k_people_are_blank():
    rng = np.random.default_rng(3)
    crowd_x, crowd_y = rng.normal(0, 30, 200), rng.normal(0, 30, 200)
    x = np.concatenate([crowd_x, [3000.0]])  # one lone walker far from the crowd
    y = np.concatenate([crowd_y, [3000.0]])
    raster = kernel_density(x, y, 200, 10)
    assert raster.k == 10 and raster.suppressed_pixels > 0
    xs, ys = raster.grid.centres()
    near_lone = np.hypot(xs[None, :] - 3000, ys[:, None] - 3000) <= 200
    near_crowd = np.hypot(xs[None, :], ys[:, None]) <= 50
    assert np.all(raster.values[near_lone] == 0)
    assert np.all(raster.values[near_crowd] > 0)
    open_raster = kernel_density(x, y, 200, 10, **OPEN)
    assert np.any(open_raster.values[near_lone] > 0) and open_raster.suppressed_pixels == 0
    with pytest.raises(ValueError, match="allow_disclosure"):
        kernel_density(x, y, 200, 10, k=0)


def test_bad_parameters_and_cancel():
    with pytest.raises(ValueError, match="kernel"):
        kernel_density([0.0], [0.0], 100, 10, kernel="gaussian", **OPEN)
    with pytest.raises(ValueError, match="positive"):
        kernel_density([0.0], [0.0], -5, 10, **OPEN)
    with pytest.raises(ValueError, match="pixels"):
        kernel_density([0.0, 1e6], [0.0, 1e6], 100, 0.5, **OPEN)
    with pytest.raises(CancelledError):
        kernel_density([0.0], [0.0], 100, 10, is_cancelled=lambda: True, **OPEN)
    seen = []
    kernel_density([0.0, np.nan], [0.0, 1.0], 100, 10, progress=seen.append, **OPEN)
    assert seen[0] == 0.0 and seen[-1] == 1.0


def test_geotiff_carries_grid_crs_and_values(tmp_path):
    rasterio = pytest.importorskip("rasterio")
    raster = kernel_density([1000.0, 1100.0], [5000.0, 5050.0], 100, 10, weights=[20, 5])
    path = write_geotiff(raster, tmp_path / "density.tif", "EPSG:6675")
    with rasterio.open(path) as src:
        assert src.crs.to_epsg() == 6675
        assert src.transform.c == raster.grid.west and src.transform.f == raster.grid.north
        assert src.transform.a == 10 and src.transform.e == -10
        band = src.read(1)
        assert np.allclose(band, raster.values.astype(np.float32))
        assert src.tags()["kernel"] == "quartic"
