"""Entity layers from an NGSI-LD broker that answers with expanded names (IRIs): the layer and its
fields get readable names, the IRIs stay in the field comments and in every query, and live
updates (polling and push) still land on the right fields.

The entities are created in the embedded city OS under a user @context the connection does not
send, so the city OS answers as any NGSI-LD broker does: with the full IRIs.
"""

from __future__ import annotations

import json

import pytest
import requests

from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig
from smartcity_qgis.cityos_sim.server import start_server
from smartcity_qgis.layers import load_entity_layer
from smartcity_qgis.layers.cityos.entity_builder import type_label
from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta
from smartcity_qgis.layers.cityos.live import LIVE, WAITING, LiveLayerUpdater
from tests.qgis.entity_layer_helpers import wait_until

SDM = "https://smartdatamodels.org/dataModel.Environment/"
GAUGE = "https://example.city/gauge#"
SDM_ENV = "https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld"
# The data provider's context: Smart Data Models names, and its own gauge reading that ends alike.
CONTEXT = [
    SDM_ENV,
    {
        "sdm": SDM,
        "WaterObserved": "sdm:WaterObserved",
        "waterLevel": "sdm:waterLevel",
        "gaugeLevel": GAUGE + "waterLevel",
    },
]
TENANT = "ldexpanded"


def station(n: int, level: float) -> dict:
    return {
        "id": f"urn:ngsi-ld:WaterObserved:gauge-{n}",
        "type": "WaterObserved",
        "waterLevel": {"type": "Property", "value": level, "unitCode": "MTR"},
        "gaugeLevel": {"type": "Property", "value": level + 0.01},
        "temperature": {"type": "Property", "value": 12.0 + n},
        "stationName": {"type": "Property", "value": f"gauge {n}"},
        "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [137.15 + n / 100, 34.95]}},
        "@context": CONTEXT,
    }


@pytest.fixture
def sim():
    server = start_server(scenario="okazaki", auto_advance=False)
    r = requests.post(
        server.url + "/ngsi-ld/v1/entityOperations/create",
        data=json.dumps([station(1, 1.5), station(2, 2.5)]),
        headers={"Content-Type": "application/ld+json", "NGSILD-Tenant": TENANT},
        timeout=10,
    )
    assert r.status_code == 201, r.text
    yield server
    server.stop()


def value_of(layer, entity_id: str, field: str):
    return next(f[field] for f in layer.getFeatures() if f["entity_id"] == entity_id)


def test_a_layer_from_expanded_names_has_short_field_names(qgis_app, sim):
    cfg = ConnectionConfig(url=sim.url, flavor="ngsi-ld", tenant=TENANT)  # no @context: IRIs come back
    with CityOSClient(cfg) as client:
        types = {t.name: t for t in client.types()}
    assert list(types) == [SDM + "WaterObserved"]
    assert set(types[SDM + "WaterObserved"].attributes) == {
        SDM + "waterLevel",
        GAUGE + "waterLevel",
        SDM + "temperature",
        "stationName",  # a default-context term: the core context compacts it
        "location",
    }
    layer = load_entity_layer(cfg, SDM + "WaterObserved")
    assert layer.featureCount() == 2
    assert layer.name().startswith(f"{type_label('WaterObserved')} (WaterObserved)")
    names = layer.fields().names()
    assert not [n for n in names if ":" in n or "/" in n]
    assert {"waterLevel", "waterLevel_2", "temperature", "stationName", "waterLevel_unit"} <= set(names)
    # the full IRI is kept in the field's comment; which of the two "waterLevel"s is which stays known
    comments = {f.name(): f.comment() for f in layer.fields()}
    assert {comments["waterLevel"], comments["waterLevel_2"]} == {SDM + "waterLevel", GAUGE + "waterLevel"}
    assert comments["temperature"] == SDM + "temperature" and comments["stationName"] == ""
    sdm_field = "waterLevel" if comments["waterLevel"] == SDM + "waterLevel" else "waterLevel_2"
    gauge_field = "waterLevel_2" if sdm_field == "waterLevel" else "waterLevel"
    assert value_of(layer, "urn:ngsi-ld:WaterObserved:gauge-2", sdm_field) == pytest.approx(2.5)
    assert value_of(layer, "urn:ngsi-ld:WaterObserved:gauge-2", gauge_field) == pytest.approx(2.51)
    # the layer remembers the broker's name of its type, which every later query uses
    assert LayerMeta.from_layer(layer).entity_type == SDM + "WaterObserved"


@pytest.mark.parametrize("mode", ["polling", "http"])
def test_live_updates_apply_to_the_short_named_fields(qgis_app, sim, mode):
    cfg = ConnectionConfig(url=sim.url, flavor="ngsi-ld", tenant=TENANT)
    layer = load_entity_layer(cfg, SDM + "WaterObserved")
    comments = {f.name(): f.comment() for f in layer.fields()}
    sdm_field = next(name for name, comment in comments.items() if comment == SDM + "waterLevel")
    fids = {f["entity_id"]: f.id() for f in layer.getFeatures()}
    updater = LiveLayerUpdater(layer, cfg, mode=mode, interval=0.3 if mode == "polling" else 3600)
    synced: list[bool] = []
    updater.synced.connect(lambda: synced.append(True))
    updater.start()
    try:
        # push: subscribed and waiting for the broker's first notification; polling: live at once
        wait_until(lambda: synced and updater.state == (WAITING if mode == "http" else LIVE))
        # the broker's own update, by the provider's names
        patch = {"waterLevel": {"type": "Property", "value": 3.75}, "@context": CONTEXT}
        r = requests.patch(
            sim.url + "/ngsi-ld/v1/entities/urn:ngsi-ld:WaterObserved:gauge-1/attrs",
            data=json.dumps(patch),
            headers={"Content-Type": "application/ld+json", "NGSILD-Tenant": TENANT},
            timeout=10,
        )
        assert r.status_code == 204, r.text
        wait_until(lambda: value_of(layer, "urn:ngsi-ld:WaterObserved:gauge-1", sdm_field) == pytest.approx(3.75))
        wait_until(lambda: updater.state == LIVE)
        assert {f["entity_id"]: f.id() for f in layer.getFeatures()} == fids  # changed in place
        assert layer.fields().names() == list(comments)  # no field added under the IRI
    finally:
        updater.stop()


def test_a_connection_context_defining_a_term_gives_it_back_short(qgis_app, sim):
    # The connection sends the Smart Data Models Environment context: it defines temperature, not
    # the type nor waterLevel, which still come back as IRIs and are shortened by the plugin.
    cfg = ConnectionConfig(url=sim.url, flavor="ngsi-ld", tenant=TENANT, context=SDM_ENV)
    layer = load_entity_layer(cfg, SDM + "WaterObserved")
    comments = {f.name(): f.comment() for f in layer.fields()}
    assert comments["temperature"] == ""  # the broker said "temperature": nothing to keep
    assert SDM + "waterLevel" in comments.values()
    assert value_of(layer, "urn:ngsi-ld:WaterObserved:gauge-1", "temperature") == pytest.approx(13.0)
    with CityOSClient(cfg) as client:
        history = client.history("urn:ngsi-ld:WaterObserved:gauge-1", SDM + "waterLevel", last_n=5)
    assert [v for _, v in history] == [pytest.approx(1.5)]


def test_the_chart_lists_and_labels_attributes_by_their_short_field_names(qgis_iface, sim):
    from smartcity_qgis.dialogs.cityos.chart_dock import ChartDock

    cfg = ConnectionConfig(url=sim.url, flavor="ngsi-ld", tenant=TENANT)
    layer = load_entity_layer(cfg, SDM + "WaterObserved")
    comments = {f.name(): f.comment() for f in layer.fields()}
    sdm_field = next(name for name, comment in comments.items() if comment == SDM + "waterLevel")
    dock = ChartDock(qgis_iface)
    try:
        dock.set_layer(layer)
        combo = dock.attr_combo
        shown = [combo.itemText(i) for i in range(combo.count())]
        kept = [combo.itemData(i) for i in range(combo.count())]
        assert shown and not [text for text in shown if ":" in text or "/" in text]
        assert set(shown) <= set(layer.fields().names())
        # the broker's name stays behind each entry: history queries ask for the IRI
        assert SDM + "waterLevel" in kept and GAUGE + "waterLevel" in kept
        combo.setCurrentIndex(kept.index(SDM + "waterLevel"))
        assert combo.currentText() == sdm_field
        wait_until(lambda: any(dock.series.values()))
        dock.draw()
        assert dock.figure.axes[0].get_ylabel().startswith(sdm_field)
        # The entities were created seconds ago: the time ticks tell their moments apart.
        dock.canvas.draw()
        ticks = [t.get_text() for t in dock.figure.axes[0].get_xticklabels() if t.get_text()]
        assert len(ticks) > 1 and len(set(ticks)) == len(ticks), ticks
    finally:
        dock.deleteLater()
