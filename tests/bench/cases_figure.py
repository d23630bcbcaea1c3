"""Benchmark of the planning pack: seconds and pages for a set of pilot districts."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from tests.bench.cases_analysis import CRS, X0, Y0, _polygon_layer, _run, exposure_inputs
from tests.bench.harness import Benchmark, Side, Target


def _people_layer(cells: int = 40) -> Any:
    """A cells × cells grid of 250 m cells with day and night population over the districts."""
    from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsPointXY, QgsVectorLayer
    from qgis.PyQt.QtCore import QVariant

    layer = QgsVectorLayer(f"Polygon?crs={CRS}", "人流", "memory")
    layer.dataProvider().addAttributes(
        [QgsField("population_day", QVariant.Double), QgsField("population_night", QVariant.Double)]
    )
    layer.updateFields()
    features, size = [], 250.0
    west, south = X0 - cells * size / 2, Y0 - cells * size / 2
    for r in range(cells):
        for c in range(cells):
            x, y = west + c * size, south + r * size
            ring = [QgsPointXY(x, y), QgsPointXY(x + size, y), QgsPointXY(x + size, y + size), QgsPointXY(x, y + size)]
            feature = QgsFeature(layer.fields())
            feature.setGeometry(QgsGeometry.fromPolygonXY([ring]))
            feature.setAttributes([float(100 + (r * 37 + c * 11) % 900), float(50 + (r * 13 + c * 29) % 400)])
            features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


def _prepare(count: int) -> dict:
    from qgis.core import QgsCoordinateReferenceSystem, QgsGeometry, QgsProject

    from smartcity_qgis.analysis.district_schema import DOMAINS
    from smartcity_qgis.layers.districts.layer import add_district, open_district_layer, save_districts

    folder = Path(tempfile.mkdtemp(prefix="bench-pack-"))
    project = QgsProject.instance()
    districts = open_district_layer(folder / "districts.gpkg")
    project.addMapLayer(districts)
    crs = QgsCoordinateReferenceSystem(CRS)
    for i in range(count):
        x = X0 - 4000 + (i % 5) * 1600
        y = Y0 - 2000 + (i // 5) * 1800
        ring = f"POLYGON(({x} {y},{x + 1200} {y},{x + 1200} {y + 1000},{x + 300} {y + 1400},{x} {y + 1000},{x} {y}))"
        add_district(
            districts,
            QgsGeometry.fromWkt(ring),
            {
                "name": f"先行地区 {i + 1}",
                "domain": DOMAINS[i % len(DOMAINS)][0],
                "phase": "planning",
                "lead_body": "スマートシティ推進協議会",
                "kpi_outcome": "来街者数",
                "kpi_outcome_target": 12000,
                "kpi_outcome_unit": "人/日",
                "kpi_outcome_year": 2030,
            },
            crs,
        )
    save_districts(districts)
    hazard_data = exposure_inputs(5000)
    hazard = _polygon_layer("洪水浸水想定区域", "A31a_205", hazard_data["hazards"], hazard_data["ranks"])
    people = _people_layer()
    for layer in (hazard, people):
        project.addMapLayer(layer)
    return {"dir": folder, "districts": districts, "hazard": hazard, "people": people, "count": count}


def _pack(state: dict) -> dict:
    out = state["dir"] / "pack.pdf"
    result = _run(
        "smartcity:planningpack",
        {
            "DISTRICTS": state["districts"],
            "LAYERS": [state["hazard"], state["people"]],
            "TITLE": "先行地区計画 添付資料",
            "PAGE_SIZE": 0,
            "ORIENTATION": 0,
            "PEOPLE_FLOW": state["people"],
            "HAZARD": state["hazard"],
            "OUTPUT": str(out),
        },
    )
    return {"pages": int(result["PAGES"]), "bytes": Path(result["OUTPUT"]).stat().st_size, "districts": state["count"]}


def _cleanup(state: dict) -> None:
    from qgis.core import QgsProject

    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layoutManager().clear()
    shutil.rmtree(state["dir"], ignore_errors=True)


def _metrics(summaries: list[dict]) -> dict:
    last = summaries[-1]
    return {"pages": last["pages"], "PDF MB": round(last["bytes"] / 1e6, 1)}


def _complete(ours: dict, _baseline: Any) -> str | None:
    expected = 1 + 2 * ours["districts"]
    if ours["pages"] != expected:
        return f"{ours['pages']} pages, expected a cover and two pages per district ({expected})"
    if ours["bytes"] <= 0:
        return "the PDF is empty"
    return None


FIGURE = Benchmark(
    name="planning-pack",
    title="planning pack",
    full_size=10,
    smoke_size=1,
    make_input=lambda count: count,
    ours=Side("smartcity:planningpack (PDF)", _pack, prepare=_prepare, cleanup=_cleanup),
    baseline=None,
    target=Target("reported (seconds, pages)", lambda r: None),
    agree=_complete,
    metrics=_metrics,
    repeats=3,
    needs_qgis=True,
    needs_processing=True,
    size_unit="districts",
    notes="A4 portrait; map layers: 5,000 hazard polygons and 1,600 people-flow cells; fact sheets with "
    "population and flood exposure",
)

BENCHMARKS = [FIGURE]
