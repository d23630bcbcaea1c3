"""The embedded city OS filters on modification times as Orion, Orion-LD and Scorpio do.

NGSI-v2: the built-in ``dateCreated`` / ``dateModified`` in ``q``, ``attrs`` and ``orderBy``.
NGSI-LD: the system attributes ``createdAt`` / ``modifiedAt`` in ``q`` and ``options=sysAttrs``.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
import requests

from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.cityos_sim.model import iso, parse_time

V2 = {"Fiware-Service": "okazaki", "Fiware-ServicePath": "/"}
LD = {"NGSILD-Tenant": "okazaki"}


@pytest.fixture
def sim():
    with start_server(scenario="okazaki", auto_advance=False) as srv:
        yield srv


def v2_list(srv, **params):
    r = requests.get(f"{srv.url}/v2/entities", params={"type": "WaterObserved", "limit": 1000, **params},
                     headers=V2, timeout=10)  # fmt: skip
    assert r.status_code == 200, r.text
    return r


def ld_list(srv, **params):
    r = requests.get(f"{srv.url}/ngsi-ld/v1/entities", params={"type": "WaterObserved", "limit": 1000, **params},
                     headers=LD, timeout=10)  # fmt: skip
    assert r.status_code == 200, r.text
    return r


def later_than(stamp: str) -> None:
    """Wait until the wall clock renders after ``stamp`` (the broker keeps milliseconds)."""
    while iso(time.time()) <= stamp:
        time.sleep(0.002)


def newest_v2(srv) -> tuple[str, list[str]]:
    body = v2_list(srv, attrs="dateModified,*").json()
    return max(e["dateModified"]["value"] for e in body), sorted(e["id"] for e in body)


def ids(body) -> list[str]:
    return sorted(e["id"] for e in body)


# ---------------------------------------------------------------- NGSI-v2


def test_v2_date_modified_only_when_asked_for(sim):
    plain = v2_list(sim).json()[0]
    assert "dateModified" not in plain and "dateCreated" not in plain
    asked = v2_list(sim, attrs="dateModified,*").json()[0]
    assert asked["dateModified"]["type"] == "DateTime"
    assert "waterLevel" in asked and "location" in asked  # `*` still brings every attribute
    only = v2_list(sim, attrs="dateCreated,dateModified").json()[0]
    assert set(only) == {"id", "type", "dateCreated", "dateModified"}
    assert parse_time(only["dateCreated"]["value"]) <= parse_time(only["dateModified"]["value"])
    kv = v2_list(sim, attrs="dateModified", options="keyValues").json()[0]
    assert isinstance(kv["dateModified"], str) and kv["dateModified"].endswith("Z")


def test_v2_q_on_date_modified_returns_only_the_changed_entities(sim):
    since, everything = newest_v2(sim)
    assert len(everything) == 7
    later_than(since)
    changed = everything[2:4]
    for eid in changed:
        sim.update_entity(eid, {"waterLevel": 3.5}, tenant="okazaki")
    r = v2_list(sim, q=f"dateModified>{since}", options="count")
    assert ids(r.json()) == changed
    assert r.headers["Fiware-Total-Count"] == "2"
    assert ids(v2_list(sim, q=f"dateModified<={since}").json()) == sorted(set(everything) - set(changed))
    assert ids(v2_list(sim, q="dateModified>=1970-01-01T00:00:00.000Z").json()) == everything
    # The same moment written with an offset and without milliseconds.
    local = datetime.fromtimestamp(parse_time(since), timezone(timedelta(hours=9))).strftime("%Y-%m-%dT%H:%M:%S+09:00")
    assert set(changed) <= {e["id"] for e in v2_list(sim, q=f"dateModified>{local}").json()}
    # Combined with other statements (AND).
    assert ids(v2_list(sim, q=f"dateModified>{since};waterLevel==3.5").json()) == changed
    assert v2_list(sim, q=f"dateModified>{since};waterLevel>100").json() == []
    assert ids(v2_list(sim, q=f"waterLevel<100;dateModified>{since}").json()) == changed
    assert ids(v2_list(sim, q=f"dateModified>{since};id=={changed[0]}").json()) == changed[:1]
    # A range of times.
    now = iso(time.time() + 1)
    assert ids(v2_list(sim, q=f"dateModified=={since}..{now}").json()) == everything
    assert ids(v2_list(sim, q=f"dateModified>{now}").json()) == []
    assert ids(v2_list(sim, q="dateModified").json()) == everything  # always exists
    assert v2_list(sim, q="!dateModified").json() == []


def test_v2_order_by_date_modified(sim):
    since, everything = newest_v2(sim)
    later_than(since)
    last = everything[0]
    sim.update_entity(last, {"waterLevel": 1.25}, tenant="okazaki")
    ordered = v2_list(sim, orderBy="dateModified", attrs="dateModified").json()
    assert ordered[-1]["id"] == last
    stamps = [e["dateModified"]["value"] for e in ordered]
    assert stamps == sorted(stamps, key=parse_time)
    assert v2_list(sim, orderBy="!dateModified").json()[0]["id"] == last
    # Paging in modification order with the filter, as a client catching up does.
    page = v2_list(sim, q=f"dateModified>{since}", orderBy="dateModified", limit=1).json()
    assert ids(page) == [last]


def test_v2_date_created_tells_new_entities(sim):
    since = max(e["dateCreated"]["value"] for e in v2_list(sim, attrs="dateCreated").json())
    later_than(since)
    new = {
        "id": "urn:ngsi-ld:WaterObserved:okazaki-new",
        "type": "WaterObserved",
        "waterLevel": {"type": "Number", "value": 0.4},
        "location": {"type": "geo:json", "value": {"type": "Point", "coordinates": [137.17, 34.95]}},
    }
    assert requests.post(f"{sim.url}/v2/entities", json=new, headers=V2, timeout=10).status_code == 201
    assert ids(v2_list(sim, q=f"dateCreated>{since}").json()) == [new["id"]]
    assert ids(v2_list(sim, q=f"dateModified>{since}").json()) == [new["id"]]


def test_v2_update_through_the_api_moves_date_modified(sim):
    since, everything = newest_v2(sim)
    later_than(since)
    eid = everything[-1]
    r = requests.patch(f"{sim.url}/v2/entities/{eid}/attrs", json={"waterLevel": {"type": "Number", "value": 2.0}},
                       headers=V2, timeout=10)  # fmt: skip
    assert r.status_code == 204
    assert ids(v2_list(sim, q=f"dateModified>{since}").json()) == [eid]


# ---------------------------------------------------------------- NGSI-LD


def test_ld_sys_attrs_only_when_asked_for(sim):
    plain = ld_list(sim).json()[0]
    assert "createdAt" not in plain and "modifiedAt" not in plain
    assert "modifiedAt" not in plain["waterLevel"]
    full = ld_list(sim, options="sysAttrs").json()[0]
    assert parse_time(full["createdAt"]) <= parse_time(full["modifiedAt"])
    assert full["waterLevel"]["modifiedAt"].endswith("Z")  # attributes carry theirs too
    kv = ld_list(sim, options="keyValues,sysAttrs").json()[0]
    assert kv["modifiedAt"] == full["modifiedAt"] and not isinstance(kv["waterLevel"], dict)
    one = requests.get(f"{sim.url}/ngsi-ld/v1/entities/{full['id']}", params={"options": "sysAttrs"},
                       headers=LD, timeout=10).json()  # fmt: skip
    assert one["modifiedAt"] == full["modifiedAt"]
    geo = ld_list(sim, options="sysAttrs").json()
    geojson = requests.get(f"{sim.url}/ngsi-ld/v1/entities", params={"type": "WaterObserved", "options": "sysAttrs"},
                           headers={**LD, "Accept": "application/geo+json"}, timeout=10).json()  # fmt: skip
    assert {f["properties"]["modifiedAt"] for f in geojson["features"]} == {e["modifiedAt"] for e in geo}


def test_ld_q_on_modified_at_returns_only_the_changed_entities(sim):
    body = ld_list(sim, options="sysAttrs").json()
    since, everything = max(e["modifiedAt"] for e in body), ids(body)
    later_than(since)
    changed = everything[1:3]
    for eid in changed:
        sim.update_entity(eid, {"waterLevel": 4.5}, tenant="okazaki")
    r = ld_list(sim, q=f'modifiedAt>"{since}"', count="true", options="sysAttrs")
    assert ids(r.json()) == changed
    assert r.headers["NGSILD-Results-Count"] == "2"
    assert all(parse_time(e["modifiedAt"]) > parse_time(since) for e in r.json())
    assert ids(ld_list(sim, q=f"modifiedAt>{since}").json()) == changed  # unquoted date-time too
    assert ids(ld_list(sim, q=f'modifiedAt<="{since}"').json()) == sorted(set(everything) - set(changed))
    assert ids(ld_list(sim, q='modifiedAt>"1970-01-01T00:00:00Z"').json()) == everything
    # AND, OR and parentheses with other terms.
    assert ids(ld_list(sim, q=f'modifiedAt>"{since}";waterLevel==4.5').json()) == changed
    assert ld_list(sim, q=f'modifiedAt>"{since}";waterLevel>100').json() == []
    assert ids(ld_list(sim, q=f'(waterLevel>100|modifiedAt>"{since}");waterLevel<100').json()) == changed
    assert ids(ld_list(sim, q=f'waterLevel.modifiedAt>"{since}"').json()) == changed
    assert ld_list(sim, q=f'dangerLevel.modifiedAt>"{since}"').json() == []  # that attribute did not change


def test_ld_created_at_tells_new_entities(sim):
    since = max(e["createdAt"] for e in ld_list(sim, options="sysAttrs").json())
    later_than(since)
    new = {
        "id": "urn:ngsi-ld:WaterObserved:okazaki-ld-new",
        "type": "WaterObserved",
        "waterLevel": {"type": "Property", "value": 0.3},
        "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [137.18, 34.95]}},
    }
    r = requests.post(f"{sim.url}/ngsi-ld/v1/entities", json=new, headers=LD, timeout=10)
    assert r.status_code == 201, r.text
    assert ids(ld_list(sim, q=f'createdAt>"{since}"').json()) == [new["id"]]


# ---------------------------------------------------------------- the client asks for them


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_client_sys_attrs_fill_modified_at_without_extra_fields(sim, flavor):
    client = CityOSClient(ConnectionConfig(url=sim.url, flavor=flavor, tenant="okazaki"))
    try:
        plain = client.entities("WaterObserved")
        timed = client.entities("WaterObserved", sys_attrs=True)
        assert [e.id for e in timed] == [e.id for e in plain]
        assert all(e.modified_at is not None and e.modified_at.tzinfo is not None for e in timed)
        for a, b in zip(plain, timed, strict=True):
            assert set(a.attributes) == set(b.attributes)  # dateModified / modifiedAt are no fields
        since = max(e.modified_at for e in timed)
        later_than(iso(since.timestamp()))
        station = timed[3].id
        sim.update_entity(station, {"waterLevel": 2.75}, tenant="okazaki")
        stamp = since.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        q = f'modifiedAt>"{stamp}"' if flavor == "ngsi-ld" else f"dateModified>{stamp}"
        got = client.entities("WaterObserved", q=q, sys_attrs=True)
        assert [e.id for e in got] == [station]
        assert got[0].modified_at > since
        assert got[0].attributes["waterLevel"].value == pytest.approx(2.75)
        assert client.count("WaterObserved", q=q) == 1
        asked = client.entities("WaterObserved", attrs=["waterLevel", "dateModified"], sys_attrs=True)
        if flavor == "ngsi-v2":  # named in attrs: then it is a field
            assert all("dateModified" in e.attributes for e in asked)
    finally:
        client.close()
