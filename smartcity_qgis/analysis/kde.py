"""Kernel density (heatmap) rasters from points, in metres of a projected CRS.

Points are binned onto the pixel grid with linear (bilinear) weights, then the grid is
convolved once with the kernel sampled at pixel offsets (FFT), so the cost grows with the
number of pixels, not with points × kernel size: a million points take about as long as a
thousand. Linear binning keeps the result within a small fraction of the exact
point-by-point sum (the error shrinks with the square of pixel size / radius).

Kernels and the grid follow QGIS's ``native:heatmapkerneldensityestimation`` so that the two
can be compared pixel for pixel: the grid is the points' extent grown by the radius, with
``ceil(size / pixel) + 1`` columns and rows from its north-west corner; ``output="raw"``
gives QGIS's raw values (1 at the kernel centre, times the weight). ``output="density"``
gives people per square metre, integrating to the total weight; it equals QGIS's "scaled"
output for every kernel except the quartic, where QGIS multiplies by 116/(5π r²) · 15/16
(= 7.25 times the normalising constant 3/(π r²); Wand & Jones' constant for the quartic
kernel in two dimensions is 3/π).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from smartcity_qgis.analysis.privacy import DEFAULT_K, check_k

KERNELS: tuple[str, ...] = ("quartic", "triangular", "uniform", "epanechnikov", "triweight")

# raw profile of each kernel as a function of u = distance / radius (0 <= u <= 1) and the
# constant c such that c / radius² · profile integrates to 1 over the disc
_PROFILES: dict[str, tuple[Callable[[np.ndarray], np.ndarray], float]] = {
    "quartic": (lambda u: (1.0 - u * u) ** 2, 3.0 / math.pi),
    "triangular": (lambda u: 1.0 - u, 3.0 / math.pi),
    "uniform": (lambda u: np.ones_like(u), 1.0 / math.pi),
    "epanechnikov": (lambda u: 1.0 - u * u, 2.0 / math.pi),
    "triweight": (lambda u: (1.0 - u * u) ** 3, 4.0 / math.pi),
}
OUTPUTS: tuple[str, ...] = ("density", "raw")


class CancelledError(Exception):
    """The caller asked to stop."""


@dataclass(frozen=True)
class GridSpec:
    """A north-up pixel grid: north-west corner, square pixel size, rows and columns."""

    west: float
    north: float
    pixel_size: float
    rows: int
    cols: int

    @property
    def transform(self) -> tuple[float, float, float, float, float, float]:
        """GDAL geotransform."""
        return (self.west, self.pixel_size, 0.0, self.north, 0.0, -self.pixel_size)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north)."""
        p = self.pixel_size
        return (self.west, self.north - self.rows * p, self.west + self.cols * p, self.north)

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """x of column centres, y of row centres."""
        p = self.pixel_size
        return self.west + (np.arange(self.cols) + 0.5) * p, self.north - (np.arange(self.rows) + 0.5) * p


@dataclass(frozen=True)
class DensityRaster:
    """Density values (row 0 is the north edge) on a grid, and what privacy held back."""

    values: np.ndarray
    grid: GridSpec
    kernel: str
    output: str
    radius: float
    suppressed_pixels: int
    k: int


def grid_for_points(x, y, radius: float, pixel_size: float, max_pixels: int = 100_000_000) -> GridSpec:
    """The grid QGIS's heatmap algorithm would use for these points."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    finite = np.isfinite(x) & np.isfinite(y)
    if not finite.any():
        raise ValueError("no points with finite coordinates")
    xmin, xmax = x[finite].min() - radius, x[finite].max() + radius
    ymin, ymax = y[finite].min() - radius, y[finite].max() + radius
    cols = max(math.ceil((xmax - xmin) / pixel_size) + 1, 1)
    rows = max(math.ceil((ymax - ymin) / pixel_size) + 1, 1)
    if rows * cols > max_pixels:
        raise ValueError(f"the heatmap would have {rows} × {cols} pixels, more than {max_pixels}; use larger pixels")
    return GridSpec(west=xmin, north=ymax, pixel_size=pixel_size, rows=rows, cols=cols)


def kernel_stencil(radius: float, pixel_size: float, kernel: str = "quartic", output: str = "raw") -> np.ndarray:
    """The kernel sampled at whole-pixel offsets, (2n+1) × (2n+1), zero beyond the radius."""
    if kernel not in _PROFILES:
        raise ValueError(f"unknown kernel {kernel!r}; expected one of {', '.join(KERNELS)}")
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}; expected one of {', '.join(OUTPUTS)}")
    n = math.floor(radius / pixel_size)
    offsets = np.arange(-n, n + 1) * pixel_size
    distance = np.hypot(offsets[:, None], offsets[None, :])
    inside = distance <= radius
    profile, constant = _PROFILES[kernel]
    u = np.where(inside, distance / radius, 1.0)
    values = np.where(inside, profile(u), 0.0)
    if output == "density":
        values = values * constant / radius**2
    return values


def _bin_linear(x, y, w, grid: GridSpec, pad: int) -> np.ndarray:
    """Weights spread bilinearly onto the four nearest pixel centres, on a grid padded by ``pad``."""
    rows, cols = grid.rows + 2 * pad, grid.cols + 2 * pad
    fx = (x - grid.west) / grid.pixel_size - 0.5 + pad
    fy = (grid.north - y) / grid.pixel_size - 0.5 + pad
    j0 = np.floor(fx)
    i0 = np.floor(fy)
    tx = fx - j0
    ty = fy - i0
    j0 = j0.astype(np.int64)
    i0 = i0.astype(np.int64)
    out = np.zeros(rows * cols, dtype=np.float64)
    for di, dj, share in (
        (0, 0, (1 - ty) * (1 - tx)),
        (0, 1, (1 - ty) * tx),
        (1, 0, ty * (1 - tx)),
        (1, 1, ty * tx),
    ):
        i = i0 + di
        j = j0 + dj
        ok = (i >= 0) & (i < rows) & (j >= 0) & (j < cols)
        out += np.bincount(i[ok] * cols + j[ok], weights=(w * share)[ok], minlength=rows * cols)
    return out.reshape(rows, cols)


def _convolve_same(binned: np.ndarray, stencil: np.ndarray) -> np.ndarray:
    """Linear (not circular) convolution keeping ``binned``'s shape, via real FFTs."""
    n = stencil.shape[0] // 2
    shape = (binned.shape[0] + 2 * n, binned.shape[1] + 2 * n)
    fshape = tuple(_fast_length(s) for s in shape)
    spectrum = np.fft.rfft2(binned, fshape) * np.fft.rfft2(stencil, fshape)
    full = np.fft.irfft2(spectrum, fshape)
    out = full[n : n + binned.shape[0], n : n + binned.shape[1]]
    # FFT round-off leaves ~1e-16 noise where the true value is exactly 0
    scale = max(float(np.abs(stencil).max()) * float(np.abs(binned).sum()), 1e-300)
    out[np.abs(out) < scale * 1e-12] = 0.0
    return out


def _fast_length(n: int) -> int:
    """Smallest 2^a·3^b·5^c ≥ n: numpy's FFT is fast on such lengths."""
    best = 1 << (n - 1).bit_length()
    f5 = 1
    while f5 < best:
        f35 = f5
        while f35 < best:
            m = f35
            while m < n:
                m *= 2
            best = min(best, m)
            f35 *= 3
        f5 *= 5
    return best


def kernel_density(
    x,
    y,
    radius: float,
    pixel_size: float,
    weights=None,
    kernel: str = "quartic",
    output: str = "density",
    grid: GridSpec | None = None,
    k: int = DEFAULT_K,
    allow_disclosure: bool = False,
    progress: Callable[[float], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> DensityRaster:
    """Kernel density of points ``x``, ``y`` (metres) with ``radius`` and ``pixel_size`` in metres.

    Privacy: a pixel is published only when the points within ``radius`` of it stand for at
    least ``k`` people (``weights`` are people; unweighted points one each); other pixels are set
    to 0 and counted in ``suppressed_pixels``. Points with NaN coordinates or weights are skipped.
    """
    if not (radius > 0 and pixel_size > 0 and math.isfinite(radius) and math.isfinite(pixel_size)):
        raise ValueError(f"radius and pixel size must be positive (got {radius!r}, {pixel_size!r})")
    k = check_k(k, allow_disclosure)
    stencil = kernel_stencil(radius, pixel_size, kernel, output)
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    w = np.ones(x.size) if weights is None else np.asarray(weights, dtype=np.float64).ravel()
    if not (x.size == y.size == w.size):
        raise ValueError("x, y and weights must have the same length")
    usable = np.isfinite(x) & np.isfinite(y) & np.isfinite(w)
    x, y, w = x[usable], y[usable], w[usable]
    if grid is None:
        grid = grid_for_points(x, y, radius, pixel_size)

    def step(fraction: float) -> None:
        if is_cancelled is not None and is_cancelled():
            raise CancelledError()
        if progress is not None:
            progress(fraction)

    step(0.0)
    pad = 1
    binned = _bin_linear(x, y, w, grid, pad)
    step(0.3)
    density = _convolve_same(binned, stencil)[pad:-pad, pad:-pad]
    step(0.7)
    suppressed = 0
    if k >= 2:
        disc = (kernel_stencil(radius, pixel_size, "uniform", "raw") > 0).astype(np.float64)
        people = _convolve_same(binned, disc)[pad:-pad, pad:-pad]
        hide = (people < k - 1e-9) & (density != 0)
        suppressed = int(hide.sum())
        density[hide] = 0.0
    step(1.0)
    return DensityRaster(
        values=density,
        grid=grid,
        kernel=kernel,
        output=output,
        radius=float(radius),
        suppressed_pixels=suppressed,
        k=k,
    )


def write_geotiff(raster: DensityRaster, path: str | Path, crs: str, description: str | None = None) -> Path:
    """Write the density as a single-band float32 GeoTIFF (deflate) in ``crs`` (e.g. ``EPSG:6675``).

    ``description`` names what the band holds, with its unit (GIS software shows it in the legend).
    """
    import rasterio
    from rasterio.transform import Affine

    path = Path(path)
    west, pixel, _, north, _, neg = raster.grid.transform
    profile = {
        "driver": "GTiff",
        "height": raster.grid.rows,
        "width": raster.grid.cols,
        "count": 1,
        "dtype": "float32",
        "crs": crs,
        "transform": Affine(pixel, 0.0, west, 0.0, neg, north),
        "compress": "deflate",
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(raster.values.astype(np.float32), 1)
        if description:
            dst.set_band_description(1, description)
        dst.update_tags(
            kernel=raster.kernel,
            output=raster.output,
            radius_m=str(raster.radius),
            k_anonymity=str(raster.k),
            suppressed_pixels=str(raster.suppressed_pixels),
        )
    return path
