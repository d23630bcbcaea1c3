"""smartcity:loadentities in Processing, and history layers for the Temporal Controller."""

from __future__ import annotations

import pytest
from qgis.core import (
    QgsApplication,
    QgsProcessingException,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig
from smartcity_qgis.cityos_sim.server import start_server
from smartcity_qgis.layers.cityos.history_layer import instant_from_field_mode, load_history_layer


@pytest.fixture(scope="module")
def sim():
    server = start_server(scenario="okazaki", auto_advance=False)
    yield server
    server.stop()


def station_ids(sim, flavor="ngsi-v2") -> set[str]:
    with CityOSClient(ConnectionConfig(url=sim.url, flavor=flavor, tenant="okazaki")) as client:
        return {e.id for e in client.iter_entities("WaterObserved")}


def test_algorithm_has_the_public_parameters(processing):
    alg = QgsApplication.processingRegistry().algorithmById("smartcity:loadentities")
    assert alg is not None
    assert [p.name() for p in alg.parameterDefinitions()] == [
        "CONNECTION",
        "ENTITY_TYPE",
        "EXTENT",
        "ATTRIBUTES",
        "OUTPUT",
    ]


def test_url_with_detected_flavor(processing, sim, tmp_path):
    out = str(tmp_path / "stations.gpkg")
    result = processing.run(
        "smartcity:loadentities",
        {"CONNECTION": f"{sim.url}?tenant=okazaki", "ENTITY_TYPE": "WaterObserved", "OUTPUT": out},
    )
    layer = QgsVectorLayer(result["OUTPUT"], "out", "ogr")
    assert layer.isValid()
    assert {f["entity_id"] for f in layer.getFeatures()} == station_ids(sim)
    assert layer.fields().field("waterLevel").type() == QVariant.Double


def test_saved_connection_name_extent_and_attributes(processing, sim, tmp_path):
    from smartcity_qgis.layers.cityos.connections import Connection, ConnectionStore

    store = ConnectionStore()
    store.save(Connection(name="テスト都市", url=sim.url, flavor="ngsi-ld", tenant="okazaki"))
    try:
        with CityOSClient(ConnectionConfig(url=sim.url, flavor="ngsi-ld", tenant="okazaki")) as client:
            stations = list(client.iter_entities("WaterObserved"))
        west = sorted(stations, key=lambda e: e.geometry.x)[:3]
        extent = f"{west[0].geometry.x - 1e-4},{west[-1].geometry.x + 1e-4},34.0,36.0 [EPSG:4326]"
        result = processing.run(
            "smartcity:loadentities",
            {
                "CONNECTION": "テスト都市",
                "ENTITY_TYPE": "WaterObserved",
                "EXTENT": extent,
                "ATTRIBUTES": "waterLevel, dangerLevel",
                "OUTPUT": str(tmp_path / "west.gpkg"),
            },
        )
    finally:
        store.remove("テスト都市")
    layer = QgsVectorLayer(result["OUTPUT"], "out", "ogr")
    assert {f["entity_id"] for f in layer.getFeatures()} == {e.id for e in west}
    names = set(layer.fields().names())
    assert {"waterLevel", "dangerLevel"} <= names and "stationName" not in names


def test_unknown_connection_is_a_clear_error(processing, tmp_path):
    with pytest.raises(QgsProcessingException):
        processing.run(
            "smartcity:loadentities",
            {"CONNECTION": "no such city", "ENTITY_TYPE": "WaterObserved", "OUTPUT": str(tmp_path / "x.gpkg")},
        )


def test_history_layer_is_time_enabled(qgis_app, sim):
    cfg = ConnectionConfig(url=sim.url, flavor="ngsi-ld", tenant="okazaki")
    with CityOSClient(cfg) as client:
        station = sorted(station_ids(sim, "ngsi-ld"))[0]
        for level in (1.25, 1.5, 1.75):
            sim.advance(60)
            sim.update_entity(station, {"waterLevel": level}, tenant="okazaki")
        expected = client.history(station, "waterLevel")
        layer = load_history_layer(client, [station], ["waterLevel"])
    assert len(expected) >= 3
    assert layer.featureCount() == len(expected)
    props = layer.temporalProperties()
    assert props.isActive()
    assert props.mode() == instant_from_field_mode()
    assert props.startField() == "observed_at"
    values = [f["value"] for f in sorted(layer.getFeatures(), key=lambda f: f["observed_at"])]
    assert values == pytest.approx([v for _, v in expected])
    assert values[-3:] == pytest.approx([1.25, 1.5, 1.75])
    assert all(not f.geometry().isNull() for f in layer.getFeatures())


def test_saved_connection_with_flavor_to_detect(processing, sim, tmp_path):
    from smartcity_qgis.layers.cityos.connections import Connection, ConnectionStore

    store = ConnectionStore()
    store.save(Connection(name="auto city", url=sim.url, flavor="auto", tenant="okazaki"))
    try:
        result = processing.run(
            "smartcity:loadentities",
            {"CONNECTION": "auto city", "ENTITY_TYPE": "PointOfInterest", "OUTPUT": str(tmp_path / "poi.gpkg")},
        )
    finally:
        store.remove("auto city")
    layer = QgsVectorLayer(result["OUTPUT"], "out", "ogr")
    with CityOSClient(ConnectionConfig(url=sim.url, flavor="ngsi-v2", tenant="okazaki")) as client:
        expected = {e.id for e in client.iter_entities("PointOfInterest")}
    assert {f["entity_id"] for f in layer.getFeatures()} == expected
