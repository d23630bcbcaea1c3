"""The embedded city OS speaks NGSI-v2 as Orion does: queries, paging, errors, tenants, geo, q, writes."""

from __future__ import annotations

import pytest
import requests
from shapely.geometry import Point, Polygon, box

from smartcity_qgis.cityos_sim import start_server


@pytest.fixture(scope="module")
def okazaki():
    with start_server(scenario="okazaki", auto_advance=False) as srv:
        yield srv


@pytest.fixture(scope="module")
def synthetic():
    with start_server(scenario="synthetic", entities=5000, auto_advance=False, seed=3) as srv:
        yield srv


@pytest.fixture
def fresh():
    with start_server(scenario="okazaki", auto_advance=False) as srv:
        yield srv


def get(srv, path, **kwargs):
    return requests.get(srv.url + path, timeout=10, **kwargs)


def all_pages(srv, params, headers=None, page=1000):
    out, offset = [], 0
    while True:
        r = get(srv, "/v2/entities", params={**params, "limit": page, "offset": offset}, headers=headers)
        assert r.status_code == 200, r.text
        batch = r.json()
        out.extend(batch)
        if len(batch) < page:
            return out
        offset += page


def test_version_says_the_data_is_synthetic(okazaki):
    body = get(okazaki, "/version").json()
    assert body["orion"]["version"]
    assert "synthetic demo data" in body["cityos_sim"]["note"]
    assert {"okazaki", "toyota"} <= set(body["cityos_sim"]["tenants"])


def test_river_stations_have_the_four_warning_levels(okazaki):
    r = get(okazaki, "/v2/entities", params={"type": "WaterObserved", "options": "count"})
    assert r.headers["Fiware-Total-Count"] == str(len(r.json())) and len(r.json()) >= 4
    rivers = set()
    for ent in r.json():
        levels = [ent[k]["value"] for k in ("standbyLevel", "cautionLevel", "evacuationLevel", "dangerLevel")]
        assert levels == sorted(levels) and len(set(levels)) == 4
        assert ent["leveeCrownHeight"]["value"] > levels[-1]
        assert ent["waterLevel"]["type"] == "Number"
        assert ent["waterLevel"]["metadata"]["unitCode"]["value"] == "MTR"
        assert ent["location"]["type"] == "geo:json" and ent["location"]["value"]["type"] == "Point"
        assert "synthetic" in ent["dataProvider"]["value"]
        rivers.add(ent["riverName"]["value"])
    assert rivers == {"乙川", "矢作川"}


def test_key_values_and_values_representations(okazaki):
    kv = get(okazaki, "/v2/entities", params={"type": "PointOfInterest", "options": "keyValues"}).json()
    assert kv and all(e["category"] == ["shelter"] and e["capacity"] > 0 for e in kv)
    values = get(
        okazaki, "/v2/entities", params={"type": "PointOfInterest", "options": "values", "attrs": "name,capacity"}
    ).json()
    assert [[e["name"], e["capacity"]] for e in kv] == values


def test_paging_rules(synthetic):
    r = get(synthetic, "/v2/entities", params={"limit": 1001})
    assert r.status_code == 400
    assert r.json()["error"] == "BadRequest" and "Bad pagination limit" in r.json()["description"]
    only_count = get(synthetic, "/v2/entities", params={"limit": 0, "options": "count"})  # current Orion: 200
    assert only_count.status_code == 200 and only_count.json() == []
    assert only_count.headers["Fiware-Total-Count"] == "5000"
    assert get(synthetic, "/v2/entities", params={"offset": -1}).status_code == 400
    assert len(get(synthetic, "/v2/entities").json()) == 20  # Orion's default page
    everything = all_pages(synthetic, {"orderBy": "dateCreated", "options": "count"})
    ids = [e["id"] for e in everything]
    assert len(ids) == 5000 == len(set(ids))


def test_type_lists_patterns_and_ids(okazaki):
    both = get(okazaki, "/v2/entities", params={"type": "WaterObserved,PointOfInterest", "limit": 100}).json()
    assert {e["type"] for e in both} == {"WaterObserved", "PointOfInterest"}
    pattern = get(okazaki, "/v2/entities", params={"typePattern": "^Water", "limit": 100}).json()
    assert {e["type"] for e in pattern} == {"WaterObserved"}
    ids = [both[0]["id"], both[-1]["id"]]
    by_id = get(okazaki, "/v2/entities", params={"id": ",".join(ids)}).json()
    assert sorted(e["id"] for e in by_id) == sorted(ids)
    rx = get(okazaki, "/v2/entities", params={"idPattern": "otogawa", "limit": 100}).json()
    assert rx and all("otogawa" in e["id"] for e in rx)
    assert get(okazaki, "/v2/entities", params={"id": "a", "idPattern": "b"}).status_code == 400


def test_q_grammar(okazaki):
    def q(expr, **extra):
        r = get(okazaki, "/v2/entities", params={"q": expr, "limit": 1000, "options": "keyValues", **extra})
        assert r.status_code == 200, r.text
        return r.json()

    stations = q("riverName==乙川", type="WaterObserved")
    assert stations and all(e["riverName"] == "乙川" for e in stations)
    assert q("riverName:'乙川'", type="WaterObserved") == stations
    other = q("riverName!=乙川", type="WaterObserved")
    assert other and all(e["riverName"] == "矢作川" for e in other)
    big = q("capacity>=600")
    assert big and all(e["capacity"] >= 600 for e in big)
    mid = q("capacity==400..800")
    assert mid and all(400 <= e["capacity"] <= 800 for e in mid)
    listed = q("capacity==150,2500")
    assert sorted(e["capacity"] for e in listed) == [150, 2500]
    both = q("capacity>100;capacity<600")
    assert both and all(100 < e["capacity"] < 600 for e in both)
    regex = q("name~=^QURUWA")
    assert regex and all(e["name"].startswith("QURUWA") for e in regex)
    assert {e["type"] for e in q("capacity")} == {"PointOfInterest"}
    assert all("capacity" not in e for e in q("!capacity", type="WaterObserved,PointOfInterest"))
    assert q("dateObserved>2000-01-01T00:00:00Z", type="WaterObserved") == q("riverName", type="WaterObserved")
    assert get(okazaki, "/v2/entities", params={"q": "capacity>"}).status_code == 400


def test_order_by(okazaki):
    asc = get(
        okazaki, "/v2/entities", params={"type": "PointOfInterest", "orderBy": "capacity", "options": "keyValues"}
    ).json()
    assert [e["capacity"] for e in asc] == sorted(e["capacity"] for e in asc)
    desc = get(
        okazaki, "/v2/entities", params={"type": "PointOfInterest", "orderBy": "!capacity", "options": "keyValues"}
    ).json()
    assert [e["capacity"] for e in desc] == sorted((e["capacity"] for e in asc), reverse=True)


def test_geo_box_and_polygon_match_shapely(synthetic):
    everything = all_pages(synthetic, {"options": "keyValues", "attrs": "location"})
    points = {e["id"]: Point(e["location"]["coordinates"]) for e in everything}
    area = box(137.15, 34.93, 137.20, 34.98)
    got = all_pages(synthetic, {"georel": "coveredBy", "geometry": "box", "coords": "34.93,137.15;34.98,137.20"})
    assert {e["id"] for e in got} == {i for i, p in points.items() if area.covers(p)}
    poly = Polygon([(137.10, 34.90), (137.25, 34.92), (137.18, 35.02), (137.10, 34.90)])
    coords = ";".join(f"{lat},{lon}" for lon, lat in poly.exterior.coords)
    got = all_pages(synthetic, {"georel": "coveredBy", "geometry": "polygon", "coords": coords})
    assert {e["id"] for e in got} == {i for i, p in points.items() if poly.covers(p)}
    assert got
    # lat,lng order matters: swapped, the box has latitudes of 137, which Orion refuses (string2coords)
    swapped = get(
        synthetic,
        "/v2/entities",
        params={"georel": "coveredBy", "geometry": "box", "coords": "137.15,34.93;137.20,34.98"},
    )
    assert swapped.status_code == 400 and swapped.json()["error"] == "BadRequest", swapped.text
    assert swapped.json()["description"] == "invalid coordinates"  # Orion: string2coords fails on latitude 137


def test_geo_near_and_disjoint(okazaki):
    near = get(
        okazaki,
        "/v2/entities",
        params={
            "georel": "near;maxDistance:400",
            "geometry": "point",
            "coords": "34.9569,137.1637",
            "orderBy": "geo:distance",
            "options": "keyValues",
            "limit": 100,
        },
    ).json()
    assert near and near[0]["id"].endswith("otogawa-tonobashi")
    assert all("okazaki" in e["id"] for e in near)
    total = int(get(okazaki, "/v2/entities", params={"options": "count", "limit": 1}).headers["Fiware-Total-Count"])
    far = get(
        okazaki,
        "/v2/entities",
        params={
            "georel": "disjoint",
            "geometry": "box",
            "options": "count",
            "coords": "34.950,137.155;34.965,137.175",
            "limit": 1,
        },
    )
    inside = get(
        okazaki,
        "/v2/entities",
        params={
            "georel": "intersects",
            "geometry": "box",
            "options": "count",
            "coords": "34.950,137.155;34.965,137.175",
            "limit": 1,
        },
    )
    assert int(far.headers["Fiware-Total-Count"]) + int(inside.headers["Fiware-Total-Count"]) == total
    bad = get(okazaki, "/v2/entities", params={"georel": "near", "geometry": "point", "coords": "34.9,137.1"})
    assert bad.status_code == 400 and bad.json()["error"] == "BadRequest"


def test_entity_by_id_and_errors(okazaki):
    eid = "urn:ngsi-ld:WaterObserved:okazaki-otogawa-tonobashi"
    ent = get(okazaki, f"/v2/entities/{eid}").json()
    assert ent["stationName"]["value"] == "殿橋"
    attrs = get(okazaki, f"/v2/entities/{eid}/attrs", params={"attrs": "waterLevel,dateModified"}).json()
    assert set(attrs) == {"waterLevel", "dateModified"}
    assert get(okazaki, f"/v2/entities/{eid}/attrs/stationName/value").json() == "殿橋"
    missing = get(okazaki, "/v2/entities/nope")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": "NotFound",
        "description": "The requested entity has not been found. Check type and id",
    }
    assert get(okazaki, f"/v2/entities/{eid}", params={"type": "Streetlight"}).status_code == 404
    assert get(okazaki, "/v2/nothing").status_code == 400
    assert get(okazaki, "/v2/types", headers={"Fiware-Correlator": "abc-1"}).headers["Fiware-Correlator"] == "abc-1"


def test_types(okazaki):
    r = get(okazaki, "/v2/types", params={"options": "count"})
    types = {t["type"]: t for t in r.json()}
    assert int(r.headers["Fiware-Total-Count"]) == len(types)
    assert types["WaterObserved"]["count"] == 7
    assert types["WaterObserved"]["attrs"]["waterLevel"]["types"] == ["Number"]
    assert types["PointOfInterest"]["attrs"]["location"]["types"] == ["geo:json"]
    assert get(okazaki, "/v2/types/CrowdFlowObserved").json()["count"] == 8
    assert get(okazaki, "/v2/types/Nothing").status_code == 404


def test_tenants_are_isolated(okazaki):
    def ids(tenant):
        headers = {"Fiware-Service": tenant} if tenant else {}
        return {e["id"] for e in get(okazaki, "/v2/entities", params={"limit": 1000}, headers=headers).json()}

    okazaki_ids, toyota_ids = ids("okazaki"), ids("toyota")
    assert okazaki_ids and toyota_ids and not okazaki_ids & toyota_ids
    assert ids(None) == okazaki_ids  # the default tenant is Okazaki
    assert ids("nagoya") == set()
    assert get(okazaki, "/v2/entities", headers={"Fiware-Service": "bad-name!"}).status_code == 400


def test_create_update_delete_and_service_paths(fresh):
    url = fresh.url + "/v2/entities"
    t = {"Fiware-Service": "sandbox"}

    def post(path, eid, **attrs):
        body = {"id": eid, "type": "Sensor", **{k: {"value": v} for k, v in attrs.items()}}
        return requests.post(url, json=body, headers={**t, "Fiware-ServicePath": path}, timeout=10)

    assert post("/a", "s1", level=1).status_code == 201
    assert post("/a/b", "s2", level=2).status_code == 201
    r = post("/c", "s3", level=3)
    assert r.status_code == 201 and r.headers["Location"] == "/v2/entities/s3?type=Sensor"
    again = post("/c", "s3", level=3)
    assert again.status_code == 422 and again.json()["description"] == "Already Exists"

    def ids(path):
        headers = {**t, "Fiware-ServicePath": path} if path else t
        return sorted(e["id"] for e in requests.get(url, headers=headers, timeout=10).json())

    assert ids("/a") == ["s1"]
    assert ids("/a/#") == ["s1", "s2"]
    assert ids("/a,/c") == ["s1", "s3"]
    assert ids("/#") == ids(None) == ["s1", "s2", "s3"]
    assert ids("/") == []
    assert requests.get(url, headers={**t, "Fiware-ServicePath": "a"}, timeout=10).status_code == 400
    assert post("/a/#", "s9").status_code == 400

    patch = requests.patch(url + "/s1/attrs", json={"level": {"value": 5}}, headers=t, timeout=10)
    assert patch.status_code == 204
    assert requests.get(url + "/s1", headers=t, timeout=10).json()["level"]["value"] == 5
    bad = requests.patch(url + "/s1/attrs", json={"nope": {"value": 1}}, headers=t, timeout=10)
    assert bad.status_code == 422 and "nope" in bad.json()["description"]
    broken = requests.post(url, data=b"{not json", headers={**t, "Content-Type": "application/json"}, timeout=10)
    assert broken.status_code == 400 and broken.json()["error"] == "ParseError"
    assert requests.delete(url + "/s1", headers=t, timeout=10).status_code == 204
    assert requests.get(url + "/s1", headers=t, timeout=10).status_code == 404
    # nothing leaked into the city's own tenant
    assert requests.get(url + "/s2", timeout=10).status_code == 404


def test_batch_update_and_invalid_geometry(fresh):
    url = fresh.url + "/v2/op/update"
    body = {
        "actionType": "append",
        "entities": [
            {
                "id": f"b{i}",
                "type": "Probe",
                "location": {"type": "geo:json", "value": {"type": "Point", "coordinates": [137.1, 34.9]}},
            }
            for i in range(3)
        ],
    }
    assert requests.post(url, json=body, timeout=10).status_code == 204
    got = get(fresh, "/v2/entities", params={"type": "Probe"}).json()
    assert len(got) == 3
    bad = {
        "id": "x",
        "type": "Probe",
        "location": {"type": "geo:json", "value": {"type": "Point", "coordinates": [200, 95]}},
    }
    r = requests.post(fresh.url + "/v2/entities", json=bad, timeout=10)
    assert r.status_code == 400 and "range" in r.json()["description"]


def test_geo_queries_on_polygons_and_legacy_points(fresh):
    url = fresh.url + "/v2/entities"
    park = {
        "id": "park",
        "type": "Park",
        "location": {
            "type": "geo:json",
            "value": {
                "type": "Polygon",
                "coordinates": [
                    [[137.160, 34.955], [137.164, 34.955], [137.164, 34.958], [137.160, 34.958], [137.160, 34.955]]
                ],
            },
        },
    }
    legacy = {"id": "legacy", "type": "Park", "position": {"type": "geo:point", "value": "34.9565, 137.1620"}}
    for body in (park, legacy):
        assert requests.post(url, json=body, timeout=10).status_code == 201

    def ids(georel, coords):
        r = get(fresh, "/v2/entities", params={"type": "Park", "georel": georel, "geometry": "box", "coords": coords})
        return sorted(e["id"] for e in r.json())

    assert ids("intersects", "34.956,137.162;34.960,137.170") == ["legacy", "park"]
    assert ids("coveredBy", "34.956,137.162;34.960,137.170") == ["legacy"]  # the park sticks out
    assert ids("coveredBy", "34.950,137.150;34.960,137.170") == ["legacy", "park"]
    assert ids("disjoint", "34.900,137.100;34.910,137.110") == ["legacy", "park"]
