"""Loading city-OS entity layers from the embedded city OS on loopback (both NGSI flavors)."""

from __future__ import annotations

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeedback,
    QgsRectangle,
    QgsReferencedRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant
from shapely.geometry import box

from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig
from smartcity_qgis.cityos_sim.server import start_server
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers import EntityLoadTask, load_entity_layer, load_entity_layers, load_result

FLAVORS = ["ngsi-v2", "ngsi-ld"]


@pytest.fixture(scope="module")
def sim():
    server = start_server(scenario="okazaki", auto_advance=False)
    yield server
    server.stop()


def config(sim, flavor: str) -> ConnectionConfig:
    return ConnectionConfig(url=sim.url, flavor=flavor, tenant="okazaki")


def broker_entities(sim, flavor: str, entity_type: str, bbox=None) -> dict:
    with CityOSClient(config(sim, flavor)) as client:
        return {e.id: e for e in client.iter_entities(entity_type, bbox=bbox)}


@pytest.mark.parametrize("flavor", FLAVORS)
def test_river_stations_load_with_types_and_geometry(qgis_app, sim, flavor):
    expected = broker_entities(sim, flavor, "WaterObserved")
    layer = load_entity_layer(config(sim, flavor), "WaterObserved")
    assert isinstance(layer, QgsVectorLayer) and layer.isValid()
    assert layer.featureCount() == len(expected) > 0
    assert layer.crs().authid() == "EPSG:4326"
    assert layer.wkbType() == QgsWkbTypes.Point
    types = {f.name(): f.type() for f in layer.fields()}
    for name in ("waterLevel", "cautionLevel", "evacuationLevel", "dangerLevel", "leveeCrownHeight"):
        assert types[name] == QVariant.Double, name
    assert types["stationName"] == QVariant.String
    assert types["dateObserved"] == QVariant.DateTime
    assert types["waterLevel_unit"] == QVariant.String
    for feature in layer.getFeatures():
        entity = expected[feature["entity_id"]]
        point = feature.geometry().asPoint()
        assert (point.x(), point.y()) == pytest.approx((entity.geometry.x, entity.geometry.y))
        assert feature["waterLevel"] == pytest.approx(entity.value("waterLevel"))
        assert feature["stationName"] == entity.value("stationName")
    assert "WaterObserved" in layer.name()
    assert layer.customProperty("smartcity/flavor") == flavor
    assert layer.customProperty("smartcity/tenant") == "okazaki"


@pytest.mark.parametrize("flavor", FLAVORS)
def test_people_counts_are_integers(qgis_app, sim, flavor):
    layer = load_entity_layer(config(sim, flavor), "CrowdFlowObserved")
    assert layer.fields().field("peopleCount").type() == QVariant.LongLong
    assert layer.featureCount() == len(broker_entities(sim, flavor, "CrowdFlowObserved"))


@pytest.mark.parametrize("flavor", FLAVORS)
def test_extent_limits_what_is_loaded(qgis_app, sim, flavor):
    everything = broker_entities(sim, flavor, "Streetlight")
    lons = sorted(e.geometry.x for e in everything.values())
    lats = sorted(e.geometry.y for e in everything.values())
    area = (lons[0] - 1e-4, lats[0] - 1e-4, lons[len(lons) // 2], lats[-1] + 1e-4)
    inside = {i for i, e in everything.items() if box(*area).intersects(e.geometry)}
    assert 0 < len(inside) < len(everything)
    layer = load_entity_layer(config(sim, flavor), "Streetlight", extent=QgsRectangle(*area))
    assert {f["entity_id"] for f in layer.getFeatures()} == inside


def test_extent_in_another_crs_is_transformed(qgis_app, sim):
    everything = broker_entities(sim, "ngsi-v2", "WaterObserved")
    lon = sorted(e.geometry.x for e in everything.values())
    area = (lon[0] - 1e-3, 34.0, lon[2] + 1e-5, 36.0)
    rect = QgsRectangle(*area)
    from qgis.core import QgsCoordinateTransform, QgsProject

    to_web = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4326"), QgsCoordinateReferenceSystem("EPSG:3857"), QgsProject.instance()
    )
    extent = QgsReferencedRectangle(to_web.transformBoundingBox(rect), QgsCoordinateReferenceSystem("EPSG:3857"))
    layer = load_entity_layer(config(sim, "ngsi-v2"), "WaterObserved", extent=extent)
    expected = {i for i, e in everything.items() if box(*area).intersects(e.geometry)}
    assert {f["entity_id"] for f in layer.getFeatures()} == expected


def test_only_chosen_attributes(qgis_app, sim):
    layer = load_entity_layer(config(sim, "ngsi-v2"), "WaterObserved", attrs=["waterLevel"])
    names = set(layer.fields().names())
    assert "waterLevel" in names and "stationName" not in names
    assert layer.featureCount() == len(broker_entities(sim, "ngsi-v2", "WaterObserved"))
    assert '"attrs": ["waterLevel"]' in layer.customProperty("smartcity/query")


def test_unusable_entities_are_listed_and_the_rest_loads(qgis_app, sim):
    import requests

    bad = {
        "id": "urn:ngsi:WaterObserved:broken",
        "type": "WaterObserved",
        "location": {"type": "geo:json", "value": {"type": "Point", "coordinates": [137.17, 34.95]}},
        "waterLevel": {"type": "Number", "value": 1.0},
    }
    headers = {"Fiware-Service": "okazaki", "Fiware-ServicePath": "/"}
    resp = requests.post(f"{sim.url}/v2/entities", json=bad, headers=headers, timeout=10)
    assert resp.status_code in (201, 204), resp.text
    # Break it behind the API's back: a latitude out of range, as a faulty gateway would store it.
    record = sim.store.tenant("okazaki").get("urn:ngsi:WaterObserved:broken")
    record.attrs["location"].value = {"type": "Point", "coordinates": [137.17, 134.95]}
    record.cache = None
    try:
        result = load_entity_layers(config(sim, "ngsi-v2"), "WaterObserved")
        ids = [item.entity_id for item in result.invalid]
        assert "urn:ngsi:WaterObserved:broken" in ids
        assert result.loaded == len(broker_entities(sim, "ngsi-v2", "WaterObserved"))
        assert "urn:ngsi:WaterObserved:broken" in result.details_text()
        remembered = load_result(result.main_layer)
        assert remembered.invalid == result.invalid
        assert remembered.layer_ids == {kind: layer.id() for kind, layer in result.layers.items()}
    finally:
        requests.delete(f"{sim.url}/v2/entities/urn:ngsi:WaterObserved:broken", headers=headers, timeout=10)


def test_cancel_stops_loading(qgis_app, sim):
    feedback = QgsFeedback()
    feedback.cancel()
    result = load_entity_layers(config(sim, "ngsi-v2"), "Streetlight", feedback=feedback)
    assert result.cancelled
    assert result.loaded == 0


def test_load_task_gives_layers_on_the_main_thread(qgis_app, sim):
    from qgis.core import QgsApplication

    from tests.qgis.entity_layer_helpers import wait_until

    task = EntityLoadTask(config(sim, "ngsi-ld"), "WaterObserved", connection_name="demo")
    got, failed = [], []
    task.loaded.connect(got.append)
    task.failed.connect(failed.append)
    QgsApplication.taskManager().addTask(task)
    wait_until(lambda: got or failed, timeout=30)
    assert not failed
    layer = got[0].main_layer
    assert layer.thread() == QgsApplication.instance().thread()
    assert layer.featureCount() == len(broker_entities(sim, "ngsi-ld", "WaterObserved"))
    assert layer.customProperty("smartcity/connection") == "demo"


def test_unreachable_city_os_fails_with_a_clear_message(qgis_app):
    from qgis.core import QgsApplication

    from tests.conftest import free_port
    from tests.qgis.entity_layer_helpers import wait_until

    port = free_port()
    cfg = ConnectionConfig(url=f"http://127.0.0.1:{port}", flavor="ngsi-v2", max_retries=0)
    task = EntityLoadTask(cfg, "WaterObserved")
    failed, loaded = [], []
    task.failed.connect(failed.append)
    task.loaded.connect(loaded.append)
    QgsApplication.taskManager().addTask(task)
    wait_until(lambda: failed, timeout=30)
    assert loaded == []
    # What happened and what to check, in words, then the address tried (never the raw HTTP error).
    assert failed[0].startswith(tr("The city OS cannot be reached.").rstrip("."))
    assert failed[0].endswith(f"(http://127.0.0.1:{port})") and "HTTPConnectionPool" not in failed[0]


def test_reload_task_updates_the_existing_layer_in_place(qgis_app):
    from qgis.core import QgsApplication, QgsProject

    from smartcity_qgis.layers.cityos.entity_loader import find_entity_layers
    from tests.qgis.entity_layer_helpers import wait_until

    server = start_server(scenario="okazaki", auto_advance=False)
    try:
        cfg = config(server, "ngsi-v2")
        layer = load_entity_layer(cfg, "WaterObserved", connection_name="岡崎")
        QgsProject.instance().addMapLayer(layer)
        assert find_entity_layers(QgsProject.instance(), "岡崎", "WaterObserved") == {"point": layer}
        assert find_entity_layers(QgsProject.instance(), "other", "WaterObserved") == {}
        before = {f["entity_id"]: f.id() for f in layer.getFeatures()}
        station = sorted(before)[0]
        server.update_entity(station, {"waterLevel": 8.5}, tenant="okazaki")
        task = EntityLoadTask(cfg, "WaterObserved", apply_to={"point": layer})
        done = []
        task.loaded.connect(done.append)
        QgsApplication.taskManager().addTask(task)
        wait_until(lambda: done)
        wait_until(lambda: next(f for f in layer.getFeatures() if f["entity_id"] == station)["waterLevel"] == 8.5)
        assert {f["entity_id"]: f.id() for f in layer.getFeatures()} == before
    finally:
        QgsProject.instance().removeAllMapLayers()
        server.stop()


def test_loaded_layers_are_not_kept_alive(qgis_app, sim):
    import gc
    import weakref

    layer = load_entity_layer(config(sim, "ngsi-v2"), "Streetlight")
    assert load_result(layer) is not None
    alive = weakref.ref(layer)
    del layer
    gc.collect()
    assert alive() is None  # the memory layer and its features are freed
