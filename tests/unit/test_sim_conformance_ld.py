"""NGSI-LD conformance of the embedded city OS: batch operations (query, noOverwrite), merge and
replace of an entity, and the temporal API (retrieve, query, Relationships, aggregated values),
each stated as the request and the answer ETSI GS CIM 009 prescribes, compared as Orion's harness
compares (see ``orion_harness``)."""

from __future__ import annotations

import pytest
import requests

from smartcity_qgis.cityos_sim import start_server
from tests.unit.orion_harness import expect, ld_error

LD = "/ngsi-ld/v1"
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def sim():
    with start_server(auto_advance=False) as srv:
        yield srv


def call(sim, method, path, tenant, body=None, params=None):
    if method == "GET" and isinstance(body, dict):  # a GET's dict is its query
        body, params = None, body
    headers = {"NGSILD-Tenant": tenant, **(JSON if body is not None else {})}
    return requests.request(method, sim.url + LD + path, json=body, params=params, headers=headers, timeout=10)


def prop(value, observed=None):
    out = {"type": "Property", "value": value}
    if observed:
        out["observedAt"] = observed
    return out


def room(n: int, temperature: float, observed: str = "2026-11-25T10:00:00.000Z") -> dict:
    return {
        "id": f"urn:ngsi-ld:Room:{n}",
        "type": "Room",
        "temperature": prop(temperature, observed),
        "name": prop(f"room {n}"),
        "inBuilding": {"type": "Relationship", "object": "urn:ngsi-ld:Building:A", "observedAt": observed},
    }


# ---------------------------------------------------------------- batch


def test_batch_update_honours_no_overwrite(sim):
    # POST /entityOperations/update?options=noOverwrite: existing attributes stay, new ones are added -> 204
    t = "ldbatchupdate"
    expect(call(sim, "POST", "/entityOperations/create", t, [room(1, 20.0)]), 201, ["urn:ngsi-ld:Room:1"])
    change = [{"id": "urn:ngsi-ld:Room:1", "type": "Room", "temperature": prop(25.0), "humidity": prop(0.4)}]
    expect(call(sim, "POST", "/entityOperations/update", t, change, {"options": "noOverwrite"}), 204)
    got = call(sim, "GET", "/entities/urn:ngsi-ld:Room:1", t, params={"options": "keyValues"})
    expect(got, 200, {"id": "urn:ngsi-ld:Room:1", "type": "Room", "temperature": 20.0, "name": "room 1",
                      "inBuilding": "urn:ngsi-ld:Building:A", "humidity": 0.4})  # fmt: skip
    # without noOverwrite the value is overwritten
    expect(call(sim, "POST", "/entityOperations/update", t, change), 204)
    assert (
        call(sim, "GET", "/entities/urn:ngsi-ld:Room:1", t, params={"options": "keyValues"}).json()["temperature"]
        == 25.0
    )
    # an entity that does not exist: 207 with the error per entity
    missing = [{"id": "urn:ngsi-ld:Room:9", "type": "Room", "temperature": prop(1)}]
    expect(
        call(sim, "POST", "/entityOperations/update", t, missing),
        207,
        {
            "success": [],
            "errors": [
                {
                    "entityId": "urn:ngsi-ld:Room:9",
                    "error": ld_error("ResourceNotFound", "Resource Not Found", "Entity not found"),
                }
            ],
        },
    )


def test_entity_operations_query(sim):
    # POST /entityOperations/query {"type":"Query","entities":[{"type":"Room"}],"q":"temperature>21"}
    t = "ldbatchquery"
    call(sim, "POST", "/entityOperations/create", t, [room(1, 20.0), room(2, 22.0), room(3, 24.0)])
    body = {"type": "Query", "entities": [{"type": "Room"}], "q": "temperature>21", "attrs": ["temperature"]}
    r = call(sim, "POST", "/entityOperations/query", t, body, {"options": "keyValues", "count": "true"})
    expect(
        r,
        200,
        [
            {"id": "urn:ngsi-ld:Room:2", "type": "Room", "temperature": 22.0},
            {"id": "urn:ngsi-ld:Room:3", "type": "Room", "temperature": 24.0},
        ],
        headers={"NGSILD-Results-Count": "2"},
    )
    by_id = {"type": "Query", "entities": [{"type": "Room", "id": "urn:ngsi-ld:Room:1"}, {"type": "Room",
             "idPattern": ".*:3$"}]}  # fmt: skip
    r = call(sim, "POST", "/entityOperations/query", t, by_id, {"options": "keyValues", "attrs": "name"})
    assert [e["id"] for e in r.json()] == ["urn:ngsi-ld:Room:1", "urn:ngsi-ld:Room:3"]
    geo = {"type": "Query", "geoQ": {"georel": "near;maxDistance==10", "geometry": "Point", "coordinates": [0, 0]}}
    expect(call(sim, "POST", "/entityOperations/query", t, geo), 200, [])
    expect(
        call(sim, "POST", "/entityOperations/query", t, {"type": "Query"}),
        400,
        ld_error(
            "BadRequestData",
            "Bad Request Data",
            "Too broad query: need at least one of: entity-id, entity-type, geo-location, attribute-list, Q-filter",
        ),
    )


def test_merge_and_replace_entity(sim):
    # PATCH /entities/{id} merges (new attributes added, given ones changed); PUT replaces every attribute
    t = "ldmerge"
    call(sim, "POST", "/entityOperations/create", t, [room(1, 20.0)])
    expect(call(sim, "PATCH", "/entities/urn:ngsi-ld:Room:1", t, {"temperature": prop(21.0), "co2": prop(400)}), 204)
    got = call(sim, "GET", "/entities/urn:ngsi-ld:Room:1", t, params={"options": "keyValues"}).json()
    assert got["temperature"] == 21.0 and got["co2"] == 400 and got["name"] == "room 1"
    expect(call(sim, "PUT", "/entities/urn:ngsi-ld:Room:1", t, {"type": "Room", "co2": prop(500)}), 204)
    expect(
        call(sim, "GET", "/entities/urn:ngsi-ld:Room:1", t, params={"options": "keyValues"}),
        200,
        {"id": "urn:ngsi-ld:Room:1", "type": "Room", "co2": 500},
    )
    expect(
        call(sim, "PATCH", "/entities/urn:ngsi-ld:Room:404", t, {"co2": prop(1)}),
        404,
        ld_error("ResourceNotFound", "Resource Not Found", "Entity not found: urn:ngsi-ld:Room:404"),
    )


# ---------------------------------------------------------------- temporal


@pytest.fixture(scope="module")
def history(sim):
    t = "ldtemporal"
    call(sim, "POST", "/entityOperations/create", t, [room(1, 20.0, "2026-11-25T10:00:00.000Z"), room(2, 30.0)])
    for temp, hour in ((21.0, 11), (23.0, 12), (22.0, 13)):
        at = f"2026-11-25T{hour}:00:00.000Z"
        rel = {"type": "Relationship", "object": f"urn:ngsi-ld:Building:{hour}", "observedAt": at}
        body = {"temperature": prop(temp, at), "inBuilding": rel}
        expect(call(sim, "PATCH", "/entities/urn:ngsi-ld:Room:1/attrs", t, body), 204)
    return t


def test_temporal_relationship_representations(sim, history):
    # normalized: each instance of a Relationship carries "object"; simplified: "objects" as [object, time]
    r = call(sim, "GET", "/temporal/entities/urn:ngsi-ld:Room:1", history,
             {"attrs": "inBuilding", "timerel": "after", "timeAt": "2026-11-25T12:00:00Z"})  # fmt: skip
    expect(
        r,
        200,
        {
            "id": "urn:ngsi-ld:Room:1",
            "type": "Room",
            "inBuilding": [
                {"type": "Relationship", "object": "urn:ngsi-ld:Building:12", "observedAt": "2026-11-25T12:00:00.000Z"},
                {"type": "Relationship", "object": "urn:ngsi-ld:Building:13", "observedAt": "2026-11-25T13:00:00.000Z"},
            ],
        },
    )
    r = call(sim, "GET", "/temporal/entities/urn:ngsi-ld:Room:1", history,
             {"attrs": "inBuilding,temperature", "options": "temporalValues", "lastN": 2})  # fmt: skip
    expect(
        r,
        200,
        {
            "id": "urn:ngsi-ld:Room:1",
            "type": "Room",
            "inBuilding": {
                "type": "Relationship",
                "objects": [
                    ["urn:ngsi-ld:Building:12", "2026-11-25T12:00:00.000Z"],
                    ["urn:ngsi-ld:Building:13", "2026-11-25T13:00:00.000Z"],
                ],
            },
            "temperature": {
                "type": "Property",
                "values": [[23.0, "2026-11-25T12:00:00.000Z"], [22.0, "2026-11-25T13:00:00.000Z"]],
            },
        },
    )


def test_temporal_query_over_entities(sim, history):
    # GET /temporal/entities?type=Room&timerel=between&... -> one temporal entity per match
    r = call(sim, "GET", "/temporal/entities", history, {"type": "Room", "attrs": "temperature",
             "timerel": "between", "timeAt": "2026-11-25T10:30:00Z", "endTimeAt": "2026-11-25T12:30:00Z",
             "options": "temporalValues", "count": "true"})  # fmt: skip
    expect(
        r,
        200,
        [
            {
                "id": "urn:ngsi-ld:Room:1",
                "type": "Room",
                "temperature": {
                    "type": "Property",
                    "values": [[21.0, "2026-11-25T11:00:00.000Z"], [23.0, "2026-11-25T12:00:00.000Z"]],
                },
            },
            {"id": "urn:ngsi-ld:Room:2", "type": "Room"},
        ],
        headers={"NGSILD-Results-Count": "2"},
    )
    expect(call(sim, "GET", "/temporal/entities", history, {"timerel": "after", "timeAt": "2026-01-01T00:00:00Z"}),
           400, ld_error("BadRequestData", "Bad Request Data", "Too broad query: need at least one of: entity-id, "
                         "entity-type, geo-location, attribute-list, Q-filter"))  # fmt: skip


def test_temporal_aggregated_values(sim, history):
    # options=aggregatedValues&aggrMethods=max,avg&aggrPeriodDuration=PT2H -> [result, start, end] per period
    r = call(sim, "GET", "/temporal/entities/urn:ngsi-ld:Room:1", history, {"attrs": "temperature",
             "options": "aggregatedValues", "aggrMethods": "max,avg", "aggrPeriodDuration": "PT2H",
             "timerel": "between", "timeAt": "2026-11-25T10:00:00Z", "endTimeAt": "2026-11-25T14:00:00Z"})  # fmt: skip
    expect(
        r,
        200,
        {
            "id": "urn:ngsi-ld:Room:1",
            "type": "Room",
            "temperature": {
                "type": "Property",
                "max": [
                    [21.0, "2026-11-25T10:00:00.000Z", "2026-11-25T12:00:00.000Z"],
                    [23.0, "2026-11-25T12:00:00.000Z", "2026-11-25T14:00:00.000Z"],
                ],
                "avg": [
                    [20.5, "2026-11-25T10:00:00.000Z", "2026-11-25T12:00:00.000Z"],
                    [22.5, "2026-11-25T12:00:00.000Z", "2026-11-25T14:00:00.000Z"],
                ],
            },
        },
    )
    bad = call(sim, "GET", "/temporal/entities/urn:ngsi-ld:Room:1", history,
               {"options": "aggregatedValues", "aggrMethods": "median"})  # fmt: skip
    expect(bad, 400, ld_error("BadRequestData", "Bad Request Data",
                              "aggrMethods must be a list of totalCount, distinctCount, sum, avg, min, max, stddev, "
                              "sumsq"))  # fmt: skip
