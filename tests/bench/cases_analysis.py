"""Benchmarks of the analysis kernels against QGIS's own algorithms (KDE, hazard exposure)."""

from __future__ import annotations

import math
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from tests.bench.harness import Benchmark, Side, Target

CRS = "EPSG:6675"  # plane-rectangular zone VII (Aichi)
X0, Y0 = 600.0, -116000.0  # Okazaki in EPSG:6675, metres (x east, y north)


def _algorithm_id(*candidates: str) -> str:
    from qgis.core import QgsApplication

    for candidate in candidates:
        if QgsApplication.processingRegistry().algorithmById(candidate) is not None:
            return candidate
    raise LookupError(f"none of {candidates} is registered")


def _run(algorithm: str, parameters: dict) -> dict:
    import processing
    from qgis.core import QgsProcessingFeedback

    return processing.run(algorithm, parameters, feedback=QgsProcessingFeedback())


def _point_layer(x: np.ndarray, y: np.ndarray) -> Any:
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer(f"Point?crs={CRS}", "people", "memory")
    features = []
    for xi, yi in zip(x.tolist(), y.tolist(), strict=True):
        feature = QgsFeature()
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(xi, yi)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


# ---------------------------------------------------------------- KDE

KDE_RADIUS, KDE_PIXEL = 500.0, 10.0


def people_points(count: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """``count`` people around 12 centres and along a street over about 20 km × 20 km."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-8000, 8000, size=(12, 2))
    share = count // 2
    which = rng.integers(0, len(centres), share)
    sx = centres[which, 0] + rng.normal(0, 900, share)
    sy = centres[which, 1] + rng.normal(0, 900, share)
    rest = count - share
    t = rng.uniform(-9000, 9000, rest)
    rx = t + rng.normal(0, 150, rest)
    ry = 2000 * np.sin(t / 3000) + rng.normal(0, 150, rest)
    x = np.clip(np.concatenate([sx, rx]), -10000, 10000) + X0
    y = np.clip(np.concatenate([sy, ry]), -10000, 10000) + Y0
    return x, y


def _read_tif(path: str) -> dict:
    import rasterio

    with rasterio.open(path) as src:
        values = src.read(1).astype(np.float64)
        if src.nodata is not None:  # QGIS's heatmap marks pixels no point reaches as no-data
            values[values == src.nodata] = 0.0
        return {"values": values, "transform": tuple(src.transform)[:6]}


def _kde_ours(state) -> str:
    out = str(Path(state["dir"]) / "ours.tif")
    # K=0: QGIS's heatmap has no privacy rule, so ours publishes every pixel too for the comparison.
    _run(
        "smartcity:kerneldensity",
        {"INPUT": state["layer"], "RADIUS": KDE_RADIUS, "PIXEL_SIZE": KDE_PIXEL, "KERNEL": 0, "K": 0, "OUTPUT": out},
    )
    return out


def _read_density_as_raw(path: str) -> dict:
    """Our GeoTIFF (people per km²) brought back to QGIS's raw scale (1 at a kernel's centre)."""
    from smartcity_qgis.analysis.kde import kernel_stencil

    raster = _read_tif(path)
    n = int(KDE_RADIUS // KDE_PIXEL)
    density = kernel_stencil(KDE_RADIUS, KDE_PIXEL, "quartic", "density")[n, n]
    raw = kernel_stencil(KDE_RADIUS, KDE_PIXEL, "quartic", "raw")[n, n]
    raster["values"] = raster["values"] / (density / raw * 1_000_000.0)
    return raster


def _kde_prepare(points):
    return {"layer": _point_layer(*points), "dir": tempfile.mkdtemp(prefix="bench-kde-")}


def _kde_qgis(state) -> str:
    out = str(Path(state["dir"]) / "qgis.tif")
    algorithm = _algorithm_id("native:heatmapkerneldensityestimation", "qgis:heatmapkerneldensityestimation")
    _run(
        algorithm,
        {
            "INPUT": state["layer"],
            "RADIUS": KDE_RADIUS,
            "PIXEL_SIZE": KDE_PIXEL,
            "KERNEL": 0,
            "DECAY": 0,
            "OUTPUT_VALUE": 0,
            "OUTPUT": out,
        },
    )
    return out


def _cleanup_dir(state) -> None:
    shutil.rmtree(state["dir"], ignore_errors=True)


def rasters_agree(ours: dict, baseline: dict) -> str | None:
    """None when the grids match and every pixel is within 1% of the maximum."""
    a, b = ours["values"], baseline["values"]
    if a.shape != b.shape:
        return f"grid {a.shape} against {b.shape}"
    if not np.allclose(ours["transform"], baseline["transform"], rtol=0, atol=1e-6):
        return f"grid origin {ours['transform']} against {baseline['transform']}"
    peak = float(np.abs(b).max())
    worst = float(np.abs(a - b).max())
    if peak == 0 or worst > 0.01 * peak:
        return f"largest difference {worst:.4g} against a maximum of {peak:.4g}"
    return None


KDE = Benchmark(
    name="kde",
    title="KDE heatmap",
    full_size=1_000_000,
    smoke_size=2_000,
    make_input=people_points,
    ours=Side(
        "smartcity:kerneldensity", _kde_ours, prepare=_kde_prepare, summarize=_read_density_as_raw, cleanup=_cleanup_dir
    ),
    baseline=Side(
        "QGIS: heatmap (kernel density estimation) on the same layer",
        _kde_qgis,
        prepare=_kde_prepare,
        summarize=_read_tif,
        cleanup=_cleanup_dir,
    ),
    target=Target("≥ 5× faster (ratio ≤ 0.2), same raster within 1% of max", lambda r: r["ratio"] <= 0.2),
    agree=rasters_agree,
    repeats=3,  # QGIS's heatmap takes over a minute a run at full size, and runs as often as ours
    needs_qgis=True,
    needs_processing=True,
    size_unit="points",
    notes="500 m radius, 10 m pixels, quartic kernel, privacy rule off (K=0) as QGIS has none; both read "
    "the same memory layer in EPSG:6675 and write a GeoTIFF; ours (people/km²) is rescaled to QGIS's raw values",
)


# ---------------------------------------------------------------- exposure


def _jittered_grid(cols: int, rows: int, width: float, height: float, rng, jitter: float) -> np.ndarray:
    """Vertices of a cols × rows grid over width × height, inner vertices moved up to ``jitter`` cell."""
    xs = np.linspace(0, width, cols + 1)
    ys = np.linspace(0, height, rows + 1)
    gx, gy = np.meshgrid(xs, ys)  # (rows + 1, cols + 1)
    dx, dy = width / cols * jitter, height / rows * jitter
    inner = (slice(1, -1), slice(1, -1))
    gx[inner] += rng.uniform(-dx, dx, gx[inner].shape)
    gy[inner] += rng.uniform(-dy, dy, gy[inner].shape)
    return np.stack([gx + X0 - width / 2, gy + Y0 - height / 2], axis=-1)


def _cells(vertices: np.ndarray) -> list[list[tuple[float, float]]]:
    rows, cols = vertices.shape[0] - 1, vertices.shape[1] - 1
    out = []
    for r in range(rows):
        for c in range(cols):
            ring = [vertices[r, c], vertices[r, c + 1], vertices[r + 1, c + 1], vertices[r + 1, c], vertices[r, c]]
            out.append([(float(x), float(y)) for x, y in ring])
    return out


def exposure_inputs(hazard_count: int, seed: int = 5) -> dict:
    """1 zone per 50 hazard polygons: zones and hazards are two jittered tilings of the same area.

    Hazard ranks follow distance from a meandering river (deeper near it) with some noise, so
    that same-rank polygons form large connected areas, as in A31 data. The tilings do not
    overlap themselves, so QGIS's plain intersection + sums must give the same areas.
    """
    rng = np.random.default_rng(seed)
    width, height = 20000.0, 12500.0
    zone_count = max(hazard_count // 50, 4)
    zc = max(round(math.sqrt(zone_count * width / height)), 2)
    zr = max(round(zone_count / zc), 2)
    hc = max(round(math.sqrt(hazard_count * width / height)), 2)
    hr = max(round(hazard_count / hc), 2)
    zones = _cells(_jittered_grid(zc, zr, width, height, rng, 0.3))
    hazards = _cells(_jittered_grid(hc, hr, width, height, rng, 0.3))
    ranks = []
    for ring in hazards:
        cx = sum(p[0] for p in ring[:4]) / 4 - X0
        cy = sum(p[1] for p in ring[:4]) / 4 - Y0
        distance = abs(cy - 2500 * math.sin(cx / 2800))
        rank = 6 - int(distance // 900) + int(rng.integers(-1, 2))
        ranks.append(rank if 1 <= rank <= 6 else None)
    return {"zones": zones, "hazards": hazards, "ranks": ranks}


def _polygon_layer(name: str, field: str, rings: list, values: list) -> Any:
    from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsPointXY, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    layer = QgsVectorLayer(f"Polygon?crs={CRS}", name, "memory")
    layer.dataProvider().addAttributes([QgsField(field, QVariant.Int)])
    layer.updateFields()
    features = []
    for ring, value in zip(rings, values, strict=True):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPolygonXY([[QgsPointXY(x, y) for x, y in ring]]))
        feature.setAttributes([value])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


def _exposure_prepare(data: dict) -> dict:
    return {
        "zones": _polygon_layer("zones", "zone_id", data["zones"], list(range(1, len(data["zones"]) + 1))),
        "hazards": _polygon_layer("hazard", "rank", data["hazards"], data["ranks"]),
    }


def _exposure_ours(state) -> dict:
    result = _run(
        "smartcity:hazardexposure",
        {
            "HAZARD": state["hazards"],
            "RANK_FIELD": "rank",
            "ZONES": state["zones"],
            "ZONE_ID_FIELD": "zone_id",
            "OUTPUT": "memory:",
        },
    )
    table = result["OUTPUT"]
    return {(int(f["zone_id"]), int(f["rank"])): float(f["area_m2"]) for f in table.getFeatures()}


def _exposure_qgis(state) -> dict:
    pieces = _run(
        "native:intersection",
        {
            "INPUT": state["hazards"],
            "OVERLAY": state["zones"],
            "INPUT_FIELDS": ["rank"],
            "OVERLAY_FIELDS": ["zone_id"],
            "OUTPUT": "memory:",
        },
    )["OUTPUT"]
    measured = _run(
        _algorithm_id("native:exportaddgeometrycolumns", "qgis:exportaddgeometrycolumns"),
        {"INPUT": pieces, "CALC_METHOD": 0, "OUTPUT": "memory:"},
    )["OUTPUT"]
    stats = _run(
        _algorithm_id("native:statisticsbycategories", "qgis:statisticsbycategories"),
        {
            "INPUT": measured,
            "VALUES_FIELD_NAME": "area",
            "CATEGORIES_FIELD_NAME": ["zone_id", "rank"],
            "OUTPUT": "memory:",
        },
    )["OUTPUT"]
    return {
        (int(f["zone_id"]), int(f["rank"])): float(f["sum"])
        for f in stats.getFeatures()
        if f["rank"] is not None and str(f["rank"]) != "NULL"
    }


def areas_agree(ours: dict, baseline: dict) -> str | None:
    """None when both give the same (zone, rank) pairs and areas within 0.01 m² or 1e-6."""
    significant = {k: v for k, v in baseline.items() if v > 1e-6}
    mine = {k: v for k, v in ours.items() if v > 1e-6}
    if set(mine) != set(significant):
        extra, missing = sorted(set(mine) - set(significant))[:3], sorted(set(significant) - set(mine))[:3]
        return f"(zone, rank) pairs differ: only ours {extra}, only QGIS {missing}"
    for key, area in significant.items():
        if abs(mine[key] - area) > max(0.01, 1e-6 * area):
            return f"zone {key[0]} rank {key[1]}: {mine[key]:.3f} m² against {area:.3f} m²"
    return None


EXPOSURE = Benchmark(
    name="exposure",
    title="hazard exposure",
    full_size=50_000,
    smoke_size=1_000,
    make_input=exposure_inputs,
    ours=Side("smartcity:hazardexposure", _exposure_ours, prepare=_exposure_prepare),
    baseline=Side(
        "QGIS: native:intersection + area + statistics by categories", _exposure_qgis, prepare=_exposure_prepare
    ),
    target=Target("no slower (ratio ≤ 1)", lambda r: r["ratio"] <= 1.0),
    agree=areas_agree,
    repeats=3,
    needs_qgis=True,
    needs_processing=True,
    size_unit="hazard polygons",
    notes="1 zone per 50 hazard polygons (1,000 zones at full size), memory layers in EPSG:6675",
)

BENCHMARKS = [KDE, EXPOSURE]
