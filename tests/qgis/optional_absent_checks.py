"""Run by test_optional_packages.py with one optional package made unimportable
(``-p tests.package_blocker``, ``SMARTCITY_BLOCK_PACKAGES``): the plugin loads, what does not
need the package works, what does explains what to install. Skipped when nothing is blocked."""

from __future__ import annotations

import importlib

import pytest

from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.layers import load_entity_layer
from smartcity_qgis.layers.cityos.live import LIVE, LiveLayerUpdater
from tests.package_blocker import BLOCKED
from tests.qgis.entity_layer_helpers import wait_until

pytestmark = pytest.mark.skipif(not BLOCKED, reason="run by test_optional_packages.py with a package blocked")
PACKAGE = {"paho": "paho-mqtt", "geopandas": "geopandas", "rasterio": "rasterio"}.get(BLOCKED[0] if BLOCKED else "")


def test_the_package_is_really_unimportable():
    with pytest.raises(ImportError):
        importlib.import_module(BLOCKED[0])


def test_the_plugin_loads_and_says_what_to_install(plugin_module, qgis_iface, no_provider_registered):
    from smartcity_qgis import optional_packages

    plugin = plugin_module.classFactory(qgis_iface)
    plugin.initGui()
    try:
        assert optional_packages.missing() == [PACKAGE]
        home = next(d for d in plugin.ui.docks if d.objectName() == "SmartCityHomeDock")
        text = home.summary.text()
        assert PACKAGE in text and "OSGeo4W" in text and "pip install" in text
    finally:
        plugin.unload()


def test_the_demo_city_os_and_polling_work(qgis_app):
    with start_server(scenario="okazaki", auto_advance=False) as srv:
        cfg = ConnectionConfig(url=srv.url, flavor="ngsi-v2", tenant="okazaki")
        layer = load_entity_layer(cfg, "WaterObserved")
        updater = LiveLayerUpdater(layer, cfg, mode="polling", interval=0.3)
        changes: list[tuple] = []
        updater.value_changed.connect(lambda *a: changes.append(a))
        updater.start()
        try:
            wait_until(lambda: updater.state == LIVE)
            station = sorted(f["entity_id"] for f in layer.getFeatures())[0]
            srv.update_entity(station, {"waterLevel": 7.5}, tenant="okazaki")
            wait_until(lambda: any(c[0] == station and c[3] == 7.5 for c in changes))
        finally:
            updater.stop()


@pytest.mark.skipif(PACKAGE != "paho-mqtt", reason="MQTT needs paho-mqtt only")
def test_mqtt_push_explains_and_http_push_works(qgis_app):
    from smartcity_qgis.cityos_client.errors import MissingDependencyError
    from smartcity_qgis.dialogs.cityos.live_controls import LiveController
    from smartcity_qgis.optional_packages import MissingPackageError

    with start_server(scenario="okazaki", auto_advance=False) as srv:
        cfg = ConnectionConfig(url=srv.url, flavor="ngsi-v2", tenant="okazaki", mqtt_url="mqtt://127.0.0.1:1883")
        with CityOSClient(cfg) as client, pytest.raises(MissingDependencyError, match="paho-mqtt"):
            client.subscribe("WaterObserved", lambda e: None, transport="mqtt")
        layer = load_entity_layer(cfg, "WaterObserved")
        with pytest.raises(MissingPackageError, match="OSGeo4W"):
            LiveController().set_mode(layer, "mqtt")
        got = []
        with CityOSClient(cfg) as client:
            sub = client.subscribe("WaterObserved", got.append, transport="http")
            try:
                station = sorted(f["entity_id"] for f in layer.getFeatures())[0]
                srv.update_entity(station, {"waterLevel": 8.5}, tenant="okazaki")
                wait_until(lambda: bool(got))
            finally:
                sub.close()


@pytest.mark.skipif(PACKAGE != "rasterio", reason="GeoTIFF heatmaps need rasterio only")
def test_the_heatmap_explains_and_the_mesh_works(processing, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProcessingException, QgsVectorLayer

    points = QgsVectorLayer("Point?crs=EPSG:6675", "people", "memory")
    features = []
    for i in range(30):
        feature = QgsFeature()
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(-10000 + i * 10, -30000 + i * 5)))
        features.append(feature)
    points.dataProvider().addFeatures(features)
    with pytest.raises(QgsProcessingException, match="rasterio"):
        processing.run("smartcity:kerneldensity", {"INPUT": points, "OUTPUT": str(tmp_path / "heat.tif")})
    result = processing.run("smartcity:aggregatemesh", {"INPUT": points, "LEVEL": "1km", "K": 0, "OUTPUT": "memory:"})
    assert result["OUTPUT"].featureCount() > 0


@pytest.mark.skipif(PACKAGE != "geopandas", reason="GeoDataFrames need geopandas only")
def test_geodataframes_explain_and_the_client_works():
    from smartcity_qgis.cityos_client import to_geodataframe

    with start_server(scenario="okazaki", auto_advance=False) as srv:
        cfg = ConnectionConfig(url=srv.url, flavor="ngsi-ld", tenant="okazaki")
        with CityOSClient(cfg) as client:
            entities = list(client.iter_entities("WaterObserved"))
        assert entities
        with pytest.raises(ImportError, match="pip install geopandas"):
            to_geodataframe(entities)
