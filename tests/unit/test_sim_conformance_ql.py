"""QuantumLeap's read endpoints and Orion's ``POST /v2/op/query`` on the embedded city OS, each stated
as the request and the answer QuantumLeap (API v2, 0.8) or Orion gives, compared as Orion's harness
compares (see ``orion_harness``)."""

from __future__ import annotations

import pytest
import requests

from smartcity_qgis.cityos_sim import start_server
from tests.unit.orion_harness import expect, v2_error

TENANT = {"Fiware-Service": "qlconf"}
NO_RECORDS = {"error": "Not Found", "description": "No records were found for such query."}
TIMES = ["2026-11-25T10:00:00.000Z", "2026-11-25T10:30:00.000Z", "2026-11-25T11:00:00.000Z"]


def _observed(value, at):
    return {"value": value, "type": "Number", "metadata": {"dateObserved": {"type": "DateTime", "value": at}}}


@pytest.fixture(scope="module")
def sim():
    with start_server(auto_advance=False) as srv:
        for n, base in ((1, 1.0), (2, 5.0)):
            body = {"id": f"G{n}", "type": "Gauge", "level": _observed(base, TIMES[0])}
            assert requests.post(srv.url + "/v2/entities", json=body, headers=TENANT, timeout=10).status_code == 201
            for k, at in enumerate(TIMES[1:], start=1):
                r = requests.patch(f"{srv.url}/v2/entities/G{n}/attrs", json={"level": _observed(base + k, at)},
                                   headers=TENANT, timeout=10)  # fmt: skip
                assert r.status_code == 204
        yield srv


def ql(sim, path, **params):
    return requests.get(sim.url + "/ql/v2" + path, params=params, headers=TENANT, timeout=10)


def test_entity_attribute_and_its_value_form(sim):
    expect(
        ql(sim, "/entities/G1/attrs/level"),
        200,
        {"entityId": "G1", "entityType": "Gauge", "attrName": "level", "index": TIMES, "values": [1.0, 2.0, 3.0]},
    )
    expect(ql(sim, "/entities/G1/attrs/level/value", lastN=2), 200, {"index": TIMES[1:], "values": [2.0, 3.0]})
    expect(ql(sim, "/entities/G1/attrs/level/value", fromDate=TIMES[1], toDate=TIMES[1]), 200,
           {"index": [TIMES[1]], "values": [2.0]})  # fmt: skip
    expect(ql(sim, "/entities/G1/attrs/nope"), 404, NO_RECORDS)


def test_entity_and_its_value_form(sim):
    expect(ql(sim, "/entities/G2", attrs="level"), 200,
           {"entityId": "G2", "entityType": "Gauge", "index": TIMES,
            "attributes": [{"attrName": "level", "values": [5.0, 6.0, 7.0]}]})  # fmt: skip
    expect(ql(sim, "/entities/G2/value", attrs="level", lastN=1), 200,
           {"index": [TIMES[2]], "attributes": [{"attrName": "level", "values": [7.0]}]})  # fmt: skip


def test_entities_list(sim):
    r = ql(sim, "/entities", type="Gauge")
    expect(r, 200, [{"entityId": "G1", "entityType": "Gauge", "index": "REGEX(.*)"},
                    {"entityId": "G2", "entityType": "Gauge", "index": "REGEX(.*)"}])  # fmt: skip
    expect(ql(sim, "/entities", type="Nothing"), 404, NO_RECORDS)


def test_type_forms(sim):
    expect(ql(sim, "/types/Gauge/attrs/level", lastN=1), 200,
           {"entityType": "Gauge", "attrName": "level", "entities": [
               {"entityId": "G1", "index": [TIMES[2]], "values": [3.0]},
               {"entityId": "G2", "index": [TIMES[2]], "values": [7.0]}]})  # fmt: skip
    expect(ql(sim, "/types/Gauge/attrs/level/value", lastN=1, id="G2"), 200,
           {"values": [{"entityId": "G2", "index": [TIMES[2]], "values": [7.0]}]})  # fmt: skip
    r = ql(sim, "/types/Gauge", attrs="level", lastN=1)
    assert [e["entityId"] for e in r.json()["entities"]] == ["G1", "G2"]
    assert r.json()["entities"][0]["attributes"] == [{"attrName": "level", "values": [3.0]}]


def test_aggregation(sim):
    # aggrMethod over the whole range, then per hour (aggrPeriod=hour)
    expect(ql(sim, "/entities/G1/attrs/level/value", aggrMethod="avg"), 200, {"index": [TIMES[0]], "values": [2.0]})
    expect(ql(sim, "/entities/G1/attrs/level/value", aggrMethod="max", aggrPeriod="hour"), 200,
           {"index": ["2026-11-25T10:00:00.000Z", "2026-11-25T11:00:00.000Z"], "values": [2.0, 3.0]})  # fmt: skip
    expect(ql(sim, "/entities/G1/attrs/level/value", aggrMethod="count", aggrPeriod="day"), 200,
           {"index": ["2026-11-25T00:00:00.000Z"], "values": [3]})  # fmt: skip
    expect(ql(sim, "/entities/G1/attrs/level", aggrMethod="median"), 400,
           v2_error("BadRequest", "aggrMethod must be one of count, sum, avg, min, max"))  # fmt: skip


# ---------------------------------------------------------------- Orion's POST /v2/op/query


def test_op_query(sim):
    # POST /v2/op/query {"entities":[{"idPattern":".*","type":"Gauge"}],"attrs":["level"],
    #                    "expression":{"q":"level>4"}} -> the matching entities, as GET /v2/entities
    body = {"entities": [{"idPattern": ".*", "type": "Gauge"}], "attrs": ["level"], "expression": {"q": "level>4"}}
    r = requests.post(sim.url + "/v2/op/query", json=body, params={"options": "keyValues,count"}, headers=TENANT,
                      timeout=10)  # fmt: skip
    expect(r, 200, [{"id": "G2", "type": "Gauge", "level": 7.0}], headers={"Fiware-Total-Count": "1"})
    r = requests.post(sim.url + "/v2/op/query", json={"entities": [{"id": "G1"}, {"id": "G2"}], "attrs": ["level"]},
                      params={"options": "values"}, headers=TENANT, timeout=10)  # fmt: skip
    expect(r, 200, [[3.0], [7.0]])
    r = requests.post(sim.url + "/v2/op/query", json={}, headers=TENANT, timeout=10)
    expect(r, 400, v2_error("BadRequest", "empty payload"))
