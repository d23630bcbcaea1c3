"""The client against an NGSI-LD broker that names things by IRI: it queries with the broker's names,
sends the connection's @context, and gives readable short names for display."""

from __future__ import annotations

import json

import pytest
import requests

from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig, is_expanded, short_name
from smartcity_qgis.cityos_sim import start_server

SDM = "https://smartdatamodels.org/dataModel.Environment/"
SDM_ENV = "https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld"


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("waterLevel", "waterLevel"),
        ("https://smartdatamodels.org/dataModel.Environment/waterLevel", "waterLevel"),
        ("https://example.city/water#level", "level"),
        ("ngsi-ld:default-context/note", "note"),
        ("w:Station", "Station"),
        ("urn:ngsi-ld:Station", "Station"),
        ("https://example.city/vocab/", "vocab"),
        ("水位", "水位"),
        ("dateObserved", "dateObserved"),
    ],
)
def test_short_name_is_the_last_segment_of_an_iri(name, short):
    assert short_name(name) == short
    assert is_expanded(name) == (name != short or ":" in name)


@pytest.fixture(scope="module")
def sim():
    with start_server(auto_advance=False) as srv:
        entity = {
            "id": "urn:ngsi-ld:WaterObserved:c1",
            "type": "WaterObserved",
            "temperature": {"type": "Property", "value": 14.5},
            "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [137.16, 34.95]}},
            "@context": [SDM_ENV, {"WaterObserved": SDM + "WaterObserved"}],
        }
        r = requests.post(srv.url + "/ngsi-ld/v1/entities", data=json.dumps(entity), timeout=10,
                          headers={"Content-Type": "application/ld+json", "NGSILD-Tenant": "ldclient"})  # fmt: skip
        assert r.status_code == 201, r.text
        srv.update_entity("urn:ngsi-ld:WaterObserved:c1", {SDM + "temperature": 15.5}, tenant="ldclient")
        yield srv


def test_without_a_context_names_come_back_expanded_and_work_in_queries(sim):
    cfg = ConnectionConfig(url=sim.url, flavor="ngsi-ld", tenant="ldclient")
    with CityOSClient(cfg) as client:
        assert client.entities("WaterObserved") == []  # the short name is another type (default context)
        [entity] = client.entities(SDM + "WaterObserved", attrs=[SDM + "temperature"])
        assert entity.type == SDM + "WaterObserved"
        assert set(entity.attributes) == {SDM + "temperature"} and entity.geometry is not None
        assert client.history(entity.id, SDM + "temperature") and entity.value(SDM + "temperature") == 15.5


def test_with_the_context_the_broker_answers_short_names_and_history_still_finds_the_attribute(sim):
    cfg = ConnectionConfig(url=sim.url, flavor="ngsi-ld", tenant="ldclient", context=SDM_ENV)
    with CityOSClient(cfg) as client:
        [entity] = client.entities(SDM + "WaterObserved")
        assert "temperature" in entity.attributes
        # asked by IRI, answered under the context's term: the one attribute of the answer is it
        points = client.history(entity.id, SDM + "temperature")
        assert sorted(v for _, v in points) == [14.5, 15.5]
        assert sorted(v for _, v in client.history(entity.id, "temperature")) == [14.5, 15.5]
