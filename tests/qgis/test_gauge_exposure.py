"""Gauges near a district by status: the fact sheet and the "Gauges near zones" algorithm."""

from __future__ import annotations

from datetime import datetime

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject

from smartcity_qgis.analysis.river_gauges import JST, read_area_json
from smartcity_qgis.layers.districts.factsheet import FactSheetInputs, district_fact_sheets
from smartcity_qgis.layers.rivers.crisis_layer import apply_gauges, create_crisis_layer
from tests.qgis.planning_fixtures import X0, Y0, square_district

WHEN = datetime(2025, 9, 12, 20, 50, tzinfo=JST).isoformat()


def lonlat(x: float, y: float) -> QgsPointXY:
    transform = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:6675"), QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance()
    )
    return transform.transform(QgsPointXY(x, y))


@pytest.fixture
def gauges(qgis_app):
    records = []
    for code, name, (x, y), level in (
        ("2300000901", "合成内橋", (X0 + 500, Y0 + 500), 2.0),  # inside, flood
        ("2300000902", "合成近橋", (X0 + 1500, Y0 + 500), 1.2),  # 500 m outside, danger
        ("2300000903", "合成遠橋", (X0 + 9000, Y0), 0.5),  # far, observing
    ):
        point = lonlat(x, y)
        records.append({"code": code, "name": name, "obsTime": WHEN, "level": level, "startLevel": 0.3,
                        "warnLevel": 1.0, "fladLevel": 1.6, "lat": point.y(), "lon": point.x(),
                        "prefCode": "23000"})  # fmt: skip
    layer = create_crisis_layer({"prefectures": ["23000"], "url": "", "interval": 600.0})
    apply_gauges(layer, read_area_json({"obss": records}), ["23000"])
    QgsProject.instance().addMapLayer(layer)
    yield layer
    QgsProject.instance().removeAllMapLayers()


def test_the_fact_sheet_names_crisis_gauges_by_their_own_status(gauges, tmp_path):
    districts = square_district(tmp_path / "districts.gpkg")
    [sheet] = district_fact_sheets(districts, FactSheetInputs(stations=gauges, station_distance_m=1000))
    facts = {row.key: row.value for row in sheet.rows}
    assert facts["river_stations"] == "2"
    assert facts["river:合成内橋"] == "危機管理型水位計：氾濫開始水位超過"
    assert facts["river:合成近橋"] == "危機管理型水位計：危険水位超過", "never its water level read as a 警戒レベル"


def test_gauges_near_zones_by_status(gauges, tmp_path, processing):
    districts = square_district(tmp_path / "districts.gpkg")
    result = processing.run(
        "smartcity:gaugeexposure",
        {"ZONES": districts, "ZONE_ID_FIELD": "name", "GAUGES": gauges, "DISTANCE": 1000, "OUTPUT": "memory:"},
    )
    rows = sorted(
        (f["zone_id"], f["scheme"], f["stage"], f["status"], f["inside"], f["within"])
        for f in result["OUTPUT"].getFeatures()
    )
    assert rows == [
        ("QURUWA地区", "crisis_gauge", 2, "危機管理型水位計：危険水位超過", 0, 1),
        ("QURUWA地区", "crisis_gauge", 3, "危機管理型水位計：氾濫開始水位超過", 1, 1),
    ]
