"""District fact sheet: known contents, unavailable figures, the Processing algorithm."""

from __future__ import annotations

import csv

import pytest
from qgis.core import QgsProject

from smartcity_qgis.analysis.district_facts import UNAVAILABLE
from smartcity_qgis.layers.districts.factsheet import FactSheetInputs, district_fact_sheets
from tests.qgis.planning_fixtures import init_processing, planning_layers, square_district


@pytest.fixture
def project(qgis_app):
    yield QgsProject.instance()
    QgsProject.instance().removeAllMapLayers()


def test_fact_sheet_with_known_contents(project, tmp_path):
    districts = square_district(tmp_path / "districts.gpkg")
    layers = planning_layers()
    inputs = FactSheetInputs(
        people_flow=layers["people"],
        hazard=layers["hazard"],
        entity_layers=[layers["entities"]],
        stations=layers["stations"],
        station_distance_m=1000,
    )
    [sheet] = district_fact_sheets(districts, inputs)
    facts = {row.key: row.value for row in sheet.rows}
    assert sheet.epsg == 6675
    assert facts["area_ha"] == "100.00"
    assert facts["population_day"] == "500" and facts["population_night"] == "100"
    assert facts["hazard_rank_2"] == "25.00" and facts["hazard_rank_3"] == "12.50"
    assert facts["hazard_share"] == "37.5"
    assert facts["entities:Device"] == "2" and facts["entities:ParkingSpot"] == "1"
    assert facts["river_stations"] == "1" and facts["river:明大寺"] == "警戒レベル3"
    assert sheet.kpis[0].indicator == "来街者数" and sheet.kpis[0].year == "2030年"


def test_missing_inputs_are_unavailable_not_invented(project, tmp_path):
    districts = square_district(tmp_path / "districts.gpkg")
    [sheet] = district_fact_sheets(districts, FactSheetInputs())
    facts = {row.key: row.value for row in sheet.rows}
    for key in ("population_day", "population_night", "hazard", "entities", "river_stations"):
        assert facts[key] == UNAVAILABLE
    assert facts["area_ha"] == "100.00"


def test_processing_algorithm_writes_table_and_csv(project, tmp_path):
    init_processing()
    import processing

    districts = square_district(tmp_path / "districts.gpkg")
    layers = planning_layers()
    out = tmp_path / "facts.csv"
    result = processing.run(
        "smartcity:districtfactsheet",
        {
            "DISTRICTS": districts,
            "PEOPLE_FLOW": layers["people"],
            "HAZARD": layers["hazard"],
            "ENTITY_LAYERS": [layers["entities"]],
            "RIVER_STATIONS": layers["stations"],
            "RIVER_DISTANCE": 1000,
            "OUTPUT": "memory:",
            "OUTPUT_CSV": str(out),
        },
    )
    table = result["OUTPUT"]
    rows = {f["key"]: f["value"] for f in table.getFeatures()}
    assert rows["area_ha"] == "100.00" and rows["hazard_rank_2"] == "25.00"
    assert {f["district"] for f in table.getFeatures()} == {"QURUWA地区"}
    with out.open(encoding="utf-8-sig") as handle:
        read = list(csv.DictReader(handle))
    assert {r["key"]: r["value"] for r in read}["population_day"] == "500"
    assert read[0]["district"] == "QURUWA地区"
