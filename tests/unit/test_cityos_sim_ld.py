"""The embedded city OS speaks NGSI-LD: queries, representations, geo, types, temporal API, errors, writes."""

from __future__ import annotations

import json

import pytest
import requests
from shapely.geometry import Point, Polygon

from smartcity_qgis.cityos_sim import start_server

BASE = "/ngsi-ld/v1"
PROBLEM = "https://uri.etsi.org/ngsi-ld/errors/"


@pytest.fixture(scope="module")
def okazaki():
    with start_server(scenario="okazaki", auto_advance=False) as srv:
        yield srv


@pytest.fixture(scope="module")
def synthetic():
    with start_server(scenario="synthetic", entities=3000, auto_advance=False, seed=5) as srv:
        yield srv


@pytest.fixture
def fresh():
    with start_server(scenario="okazaki", auto_advance=False) as srv:
        yield srv


def get(srv, path, **kwargs):
    return requests.get(srv.url + BASE + path, timeout=10, **kwargs)


def all_pages(srv, params, page=1000):
    out, offset = [], 0
    while True:
        r = get(srv, "/entities", params={**params, "limit": page, "offset": offset})
        assert r.status_code == 200, r.text
        out.extend(r.json())
        if len(r.json()) < page:
            return out
        offset += page


def test_normalized_entities_with_link_header(okazaki):
    r = get(okazaki, "/entities", params={"type": "WaterObserved", "count": "true"})
    assert r.status_code == 200
    assert "ngsi-ld-core-context" in r.headers["Link"]
    assert r.headers["NGSILD-Results-Count"] == "7"
    ent = r.json()[0]
    assert ent["id"].startswith("urn:ngsi-ld:WaterObserved:")
    assert ent["location"]["type"] == "GeoProperty"
    assert ent["waterLevel"]["type"] == "Property" and ent["waterLevel"]["unitCode"] == "MTR"
    assert "observedAt" in ent["waterLevel"] and "observedAt" not in ent["dangerLevel"]
    assert ent["dateObserved"]["value"]["@type"] == "DateTime"


def test_ld_json_carries_context_in_body(okazaki):
    r = get(okazaki, "/entities", params={"type": "PointOfInterest"}, headers={"Accept": "application/ld+json"})
    assert r.headers["Content-Type"].startswith("application/ld+json") and "Link" not in r.headers
    assert all("@context" in e for e in r.json())


def test_key_values_and_simplified(okazaki):
    kv = get(okazaki, "/entities", params={"type": "PointOfInterest", "options": "keyValues"}).json()
    simplified = get(okazaki, "/entities", params={"type": "PointOfInterest", "format": "simplified"}).json()
    assert kv == simplified
    assert all(e["category"] == ["shelter"] and isinstance(e["capacity"], (int, float)) for e in kv)
    assert all(e["location"]["type"] == "Point" for e in kv)
    concise = get(okazaki, "/entities", params={"type": "PointOfInterest", "options": "concise"}).json()
    assert [e["name"] for e in concise] == [e["name"] for e in kv]
    assert all(e["location"]["type"] == "Point" and e["capacity"]["unitCode"] == "IE" for e in concise)


def test_geojson_feature_collection(okazaki):
    r = get(
        okazaki,
        "/entities",
        params={"type": "CrowdFlowObserved", "options": "keyValues"},
        headers={"Accept": "application/geo+json"},
    )
    assert r.headers["Content-Type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 8
    feature = fc["features"][0]
    assert feature["geometry"]["type"] == "Point" and feature["properties"]["type"] == "CrowdFlowObserved"
    assert isinstance(feature["properties"]["peopleCount"], int)


def test_paging_limits_and_count(synthetic):
    r = get(synthetic, "/entities", params={"type": "WaterObserved", "limit": 1001})
    assert r.status_code == 400 and r.json()["type"] == PROBLEM + "BadRequestData"
    only_count = get(synthetic, "/entities", params={"type": "WaterObserved", "limit": 0, "count": "true"})
    assert only_count.json() == [] and only_count.headers["NGSILD-Results-Count"] == "600"
    assert get(synthetic, "/entities", params={"type": "WaterObserved", "limit": 0}).status_code == 400
    ids = [e["id"] for e in all_pages(synthetic, {"type": "WaterObserved,Streetlight"}, page=250)]
    assert len(ids) == 1200 == len(set(ids))


def test_too_broad_query_is_refused(okazaki):
    r = get(okazaki, "/entities")
    assert r.status_code == 400
    assert set(r.json()) == {"type", "title", "detail"} and r.json()["type"] == PROBLEM + "BadRequestData"


def test_q_language(okazaki):
    def q(expr, **extra):
        r = get(okazaki, "/entities", params={"q": expr, "options": "keyValues", "limit": 1000, **extra})
        assert r.status_code == 200, r.text
        return r.json()

    otogawa = q('riverName=="乙川"', type="WaterObserved")
    assert otogawa and all(e["riverName"] == "乙川" for e in otogawa)
    either = q('riverName=="乙川"|riverName=="矢作川"', type="WaterObserved")
    assert len(either) == 7
    grouped = q('(capacity>1000|capacity<200);name~="体育館"')
    assert [e["name"] for e in grouped] == ["岡崎中央総合公園 総合体育館"]
    ranged = q("capacity==400..600")
    assert ranged and all(400 <= e["capacity"] <= 600 for e in ranged)
    assert get(okazaki, "/entities", params={"type": "WaterObserved", "q": "(waterLevel>1"}).status_code == 400


def test_attrs_projection_and_full_uri_types(okazaki):
    ents = get(
        okazaki,
        "/entities",
        params={"type": "https://uri.etsi.org/ngsi-ld/default-context/WaterObserved", "attrs": "waterLevel"},
    ).json()
    assert len(ents) == 7 and all(set(e) == {"id", "type", "waterLevel"} for e in ents)


def test_geo_queries_use_lon_lat(synthetic):
    everything = all_pages(synthetic, {"type": "AirQualityObserved,ParkingSpot", "options": "keyValues"})
    points = {e["id"]: Point(e["location"]["coordinates"]) for e in everything}
    ring = [[137.12, 34.90], [137.26, 34.91], [137.22, 35.03], [137.12, 34.90]]
    got = all_pages(
        synthetic,
        {
            "type": "AirQualityObserved,ParkingSpot",
            "georel": "within",
            "geometry": "Polygon",
            "coordinates": json.dumps([ring]),
        },
    )
    expected = {i for i, p in points.items() if Polygon(ring).covers(p)}
    assert expected and {e["id"] for e in got} == expected
    near = all_pages(
        synthetic,
        {
            "type": "AirQualityObserved",
            "georel": "near;maxDistance==2000",
            "geometry": "Point",
            "coordinates": "[137.17,34.95]",
            "options": "keyValues",
        },
    )
    assert near
    for e in near:
        lon, lat = e["location"]["coordinates"]
        assert abs(lon - 137.17) < 0.03 and abs(lat - 34.95) < 0.02
    swapped = get(
        synthetic,
        "/entities",
        params={
            "type": "AirQualityObserved",
            "georel": "near;maxDistance==2000",
            "geometry": "Point",
            "coordinates": "[34.95,137.17]",
        },
    )
    assert swapped.status_code == 400


def test_types_endpoints(okazaki):
    listing = get(okazaki, "/types").json()
    assert listing["type"] == "EntityTypeList" and "WaterObserved" in listing["typeList"]
    details = get(okazaki, "/types", params={"details": "true"}).json()
    water = next(t for t in details if t["typeName"] == "WaterObserved")
    assert "waterLevel" in water["attributeNames"]
    info = get(okazaki, "/types/WaterObserved").json()
    assert info["entityCount"] == 7
    loc = next(a for a in info["attributeDetails"] if a["attributeName"] == "location")
    assert loc["attributeTypes"] == ["GeoProperty"]
    toyota = get(okazaki, "/types", headers={"NGSILD-Tenant": "toyota"}).json()
    assert "WaterObserved" in toyota["typeList"]


def test_entity_errors_and_tenants(okazaki):
    r = get(okazaki, "/entities/urn:ngsi-ld:Thing:none")
    assert r.status_code == 404 and r.json()["type"] == PROBLEM + "ResourceNotFound"
    eid = "urn:ngsi-ld:WaterObserved:toyota-yahagi-takahashi"
    assert get(okazaki, f"/entities/{eid}").status_code == 404
    assert (
        get(okazaki, f"/entities/{eid}", headers={"NGSILD-Tenant": "toyota"}).json()["riverName"]["value"] == "矢作川"
    )
    unknown = get(okazaki, "/entities", params={"type": "X"}, headers={"NGSILD-Tenant": "nowhere"})
    assert unknown.status_code == 404


def test_create_patch_delete(fresh):
    url = fresh.url + BASE + "/entities"
    body = {
        "id": "urn:ngsi-ld:Probe:1",
        "type": "Probe",
        "level": {"type": "Property", "value": 1.5, "unitCode": "MTR"},
        "owner": {"type": "Relationship", "object": "urn:ngsi-ld:Organization:okazaki"},
        "label": {"type": "LanguageProperty", "languageMap": {"ja": "水位計", "en": "gauge"}},
        "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [137.17, 34.95]}},
    }
    r = requests.post(url, json=body, timeout=10)
    assert r.status_code == 201 and r.headers["Location"] == f"{BASE}/entities/urn:ngsi-ld:Probe:1"
    dup = requests.post(url, json=body, timeout=10)
    assert dup.status_code == 409 and dup.json()["type"] == PROBLEM + "AlreadyExists"
    got = requests.get(url + "/urn:ngsi-ld:Probe:1", timeout=10).json()
    assert got["owner"] == {"type": "Relationship", "object": "urn:ngsi-ld:Organization:okazaki"}
    assert got["label"]["languageMap"]["ja"] == "水位計" and got["level"]["unitCode"] == "MTR"
    patch = requests.patch(
        url + "/urn:ngsi-ld:Probe:1/attrs", json={"level": {"type": "Property", "value": 2.5}}, timeout=10
    )
    assert patch.status_code == 204
    assert requests.get(url + "/urn:ngsi-ld:Probe:1", timeout=10).json()["level"]["value"] == 2.5
    bad = requests.post(url, json={"id": "not a uri", "type": "Probe"}, timeout=10)
    assert bad.status_code == 400 and bad.json()["type"] == PROBLEM + "BadRequestData"
    garbage = requests.post(url, data=b"[1,", headers={"Content-Type": "application/json"}, timeout=10)
    assert garbage.status_code == 400
    assert requests.delete(url + "/urn:ngsi-ld:Probe:1", timeout=10).status_code == 204
    assert requests.get(url + "/urn:ngsi-ld:Probe:1", timeout=10).status_code == 404


def test_temporal_history(fresh):
    eid = "urn:ngsi-ld:WaterObserved:okazaki-otogawa-tonobashi"
    for _ in range(5):
        fresh.advance(60)
    r = get(fresh, f"/temporal/entities/{eid}", params={"attrs": "waterLevel"})
    series = r.json()["waterLevel"]
    assert len(series) == 6 and all(s["type"] == "Property" for s in series)
    times = [s["observedAt"] for s in series]
    assert times == sorted(times)
    tv = get(
        fresh, f"/temporal/entities/{eid}", params={"attrs": "waterLevel", "options": "temporalValues", "lastN": 3}
    ).json()
    assert [v for v, _ in tv["waterLevel"]["values"]] == [s["value"] for s in series[-3:]]
    after = get(
        fresh, f"/temporal/entities/{eid}", params={"attrs": "waterLevel", "timerel": "after", "timeAt": times[3]}
    ).json()
    assert [s["observedAt"] for s in after["waterLevel"]] == times[3:]
    between = get(
        fresh,
        f"/temporal/entities/{eid}",
        params={"attrs": "waterLevel", "timerel": "between", "timeAt": times[1], "endTimeAt": times[3]},
    ).json()
    assert [s["observedAt"] for s in between["waterLevel"]] == times[1:3]
    assert get(fresh, f"/temporal/entities/{eid}", params={"timerel": "after"}).status_code == 400


def test_geoproperty_and_where_the_context_goes(fresh):
    url = fresh.url + BASE + "/entities"

    def vehicle(n):
        return {
            "id": f"urn:ngsi-ld:Vehicle:{n}",
            "type": "Vehicle",
            "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [137.0, 34.0]}},
            "destination": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [137.17, 34.95]}},
        }

    assert requests.post(url, json=vehicle(1), timeout=10).status_code == 201
    near = {"type": "Vehicle", "georel": "near;maxDistance==500", "geometry": "Point", "coordinates": "[137.17,34.95]"}
    assert [e["id"] for e in get(fresh, "/entities", params={**near, "geoproperty": "destination"}).json()] == [
        "urn:ngsi-ld:Vehicle:1"
    ]
    assert get(fresh, "/entities", params=near).json() == []
    with_context = {**vehicle(2), "@context": "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"}
    r = requests.post(url, json=with_context, timeout=10)  # application/json with @context in the body
    assert r.status_code == 400 and "application/ld+json" in r.json()["detail"]
    ld = {"Content-Type": "application/ld+json"}
    link = {
        "Link": '<https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"'
    }
    assert requests.post(url, data=json.dumps(with_context), headers={**ld, **link}, timeout=10).status_code == 400
    assert requests.post(url, data=json.dumps(with_context), headers=ld, timeout=10).status_code == 201
