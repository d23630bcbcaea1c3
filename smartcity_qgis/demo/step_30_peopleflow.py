"""People flow: import the synthetic Okazaki MLIT file and compare noon with night on the 1 km mesh.

Writes the imported layer (GeoPackage, graduated and month-stepped), a noon/night comparison
layer for weekdays of one month, a CSV of the same numbers and a side-by-side figure.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from smartcity_qgis.demo.context import DemoContext
from smartcity_qgis.demo.synthetic_peopleflow import DEMO_ZIP

COMPARE_MONTH = 10
WEEKDAY = 1
NOON, NIGHT = 0, 1


def _run_algorithm(algorithm_id: str, parameters: dict) -> dict:
    """Run one of our Processing algorithms without the Processing plugin's Python module."""
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback

    from smartcity_qgis.algorithms.provider import SmartCityProvider

    registry = QgsApplication.processingRegistry()
    if registry.providerById("smartcity") is None:
        registry.addProvider(SmartCityProvider())
    algorithm = registry.createAlgorithmById(algorithm_id)
    context = QgsProcessingContext()
    feedback = QgsProcessingFeedback()
    results, ok = algorithm.run(parameters, context, feedback)
    if not ok:
        raise RuntimeError(f"{algorithm_id} failed")
    return results


def noon_night_by_cell(layer) -> dict[str, tuple[float, float]]:
    """(noon, night) weekday population per 1 km cell for ``COMPARE_MONTH``."""
    cells: dict[str, list[float]] = {}
    for feature in layer.getFeatures():
        if feature["month"] != COMPARE_MONTH or feature["dayflag"] != WEEKDAY:
            continue
        if feature["timezone"] not in (NOON, NIGHT):
            continue
        pair = cells.setdefault(feature["mesh1kmid"], [0.0, 0.0])
        pair[0 if feature["timezone"] == NOON else 1] = float(feature["population"])
    return {code: (noon, night) for code, (noon, night) in cells.items()}


def _write_comparison(path: Path, cells: dict[str, tuple[float, float]]) -> None:
    from qgis.core import (
        QgsCoordinateTransformContext,
        QgsFeature,
        QgsField,
        QgsFields,
        QgsVectorFileWriter,
        QgsWkbTypes,
    )
    from qgis.PyQt.QtCore import QVariant

    from smartcity_qgis.layers.peopleflow.mesh_features import mesh_crs, mesh_rectangles

    fields = QgsFields()
    for name, kind in (
        ("mesh1kmid", QVariant.String),
        ("noon", QVariant.Double),
        ("night", QVariant.Double),
        ("noon_minus_night", QVariant.Double),
        ("noon_night_ratio", QVariant.Double),
        ("data", QVariant.String),
    ):
        fields.append(QgsField(name, kind))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = "noon_night_weekday"
    writer = QgsVectorFileWriter.create(
        str(path), fields, QgsWkbTypes.Type.Polygon, mesh_crs(), QgsCoordinateTransformContext(), options
    )
    codes = sorted(cells)
    for code, geometry in zip(codes, mesh_rectangles([int(c) for c in codes], "1km"), strict=True):
        noon, night = cells[code]
        feature = QgsFeature(fields)
        feature.setGeometry(geometry)
        ratio = noon / night if night else None
        feature.setAttributes([code, noon, night, noon - night, ratio, "synthetic / 合成データ"])
        writer.addFeature(feature)
    del writer


def _figure(path: Path, cells: dict[str, tuple[float, float]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from smartcity_qgis.analysis.mesh import mesh_bounds

    codes = np.array(sorted(cells), dtype=np.int64)
    south, west, north, east = mesh_bounds(codes, "1km")
    noon = np.array([cells[str(c)][0] for c in codes])
    night = np.array([cells[str(c)][1] for c in codes])
    top = max(noon.max(), night.max())
    fig, axes = plt.subplots(1, 2, figsize=(11, 5), constrained_layout=True)
    cmap = plt.get_cmap("YlOrRd")
    for ax, values, title in ((axes[0], noon, "noon 11-14h"), (axes[1], night, "night 1-4h")):
        for s, w, n, e, v in zip(south, west, north, east, values, strict=True):
            ax.add_patch(Rectangle((w, s), e - w, n - s, facecolor=cmap(v / top), edgecolor="white", linewidth=0.3))
        ax.set_xlim(west.min(), east.max())
        ax.set_ylim(south.min(), north.max())
        ax.set_aspect(1 / np.cos(np.radians(34.95)))
        ax.set_title(title)
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
    fig.suptitle(f"Okazaki 1 km mesh, weekdays 2021-{COMPARE_MONTH:02d}: noon vs night (SYNTHETIC data)")
    mappable = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(0, top))
    fig.colorbar(mappable, ax=axes, label="people per 1 km cell", shrink=0.8)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def run(ctx: DemoContext) -> list[Path]:
    from qgis.core import QgsVectorLayer

    from smartcity_qgis.i18n import tr
    from smartcity_qgis.layers.peopleflow.style import style_people_flow_layer

    out_dir = ctx.output / "peopleflow"
    out_dir.mkdir(parents=True, exist_ok=True)
    gpkg = out_dir / "okazaki_peopleflow_synthetic.gpkg"
    for stale in (gpkg, out_dir / "okazaki_noon_night_synthetic.gpkg"):
        stale.unlink(missing_ok=True)
    results = _run_algorithm("smartcity:importpeopleflow", {"INPUT": [str(DEMO_ZIP)], "K": 10, "OUTPUT": str(gpkg)})
    print(
        f"  imported {results['ROWS']} rows ({results['BAD_ROWS']} unreadable, "
        f"{results['SUPPRESSED']} cells under k=10 not written)"
    )
    layer = QgsVectorLayer(str(gpkg), tr("People flow (synthetic)"), "ogr")
    if not layer.isValid():
        raise RuntimeError(f"could not open {gpkg}")
    style_people_flow_layer(layer)
    layer.setAttribution("出典：「全国の人流オープンデータ」（国土交通省）の形式による合成データ")
    ctx.project.addMapLayer(layer)
    ctx.shared["peopleflow_layer"] = layer

    cells = noon_night_by_cell(layer)
    comparison = out_dir / "okazaki_noon_night_synthetic.gpkg"
    _write_comparison(comparison, cells)
    table = out_dir / "okazaki_noon_night_synthetic.csv"
    with table.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["mesh1kmid", "noon", "night", "noon_minus_night", "data"])
        for code in sorted(cells):
            noon, night = cells[code]
            writer.writerow([code, f"{noon:.0f}", f"{night:.0f}", f"{noon - night:.0f}", "synthetic"])
    figure = out_dir / "okazaki_noon_night_synthetic.png"
    _figure(figure, cells)
    comparison_layer = QgsVectorLayer(str(comparison), tr("Noon and night (synthetic)"), "ogr")
    if comparison_layer.isValid():
        ctx.project.addMapLayer(comparison_layer)
        ctx.shared["noon_night_layer"] = comparison_layer
    busiest_noon = max(cells, key=lambda c: cells[c][0])
    busiest_night = max(cells, key=lambda c: cells[c][1])
    print(
        f"  weekday {COMPARE_MONTH:02d}/2021: busiest at noon {busiest_noon} ({cells[busiest_noon][0]:.0f}), "
        f"at night {busiest_night} ({cells[busiest_night][1]:.0f}) — synthetic data"
    )
    return [gpkg, comparison, table, figure]
