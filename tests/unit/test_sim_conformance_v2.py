"""NGSI-v2 conformance of the embedded city OS: each exchange states the request and Orion's answer.

The answers are Orion's (current 4.x): its manual (orion-api.md, "Forbidden characters",
"Pagination", "Metadata update semantics") and its functional tests, compared as its harness
compares them (see ``orion_harness``).
"""

from __future__ import annotations

import re

import pytest
import requests

from smartcity_qgis.cityos_sim import start_server
from tests.unit.orion_harness import ISO_MS, expect, v2_error

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def sim():
    with start_server(auto_advance=False) as srv:
        yield srv


def call(sim, method: str, path: str, tenant: str, body=None, params=None, headers=None) -> requests.Response:
    hdrs = {"Fiware-Service": tenant, **(headers or {})}
    if body is not None:
        hdrs = {**JSON, **hdrs}
    return requests.request(method, sim.url + path, json=body, params=params, headers=hdrs, timeout=10)


# ---------------------------------------------------------------- forbidden characters


@pytest.mark.parametrize(
    ("entity", "description"),
    [
        ({"id": "E1", "type": "T", "a": {"value": "x(1)", "type": "Text"}}, "Invalid characters in attribute value"),
        ({"id": "E1", "type": "T", "a": {"value": {"k": ["<b>"]}}}, "Invalid characters in attribute value"),
        ({"id": "E<1>", "type": "T"}, "Invalid characters in entity id"),
        ({"id": "E 1", "type": "T"}, "Invalid characters in entity id"),
        ({"id": "E1", "type": "T;x"}, "Invalid characters in entity type"),
        ({"id": "E1", "type": "T", "a=b": {"value": 1}}, "Invalid characters in attribute name"),
        ({"id": "E1", "type": "T", "a": {"value": 1, "type": "Num'ber"}}, "Invalid characters in attribute type"),
        (
            {"id": "E1", "type": "T", "a": {"value": 1, "metadata": {"m(": {"value": 1}}}},
            "Invalid characters in metadata name",
        ),
        (
            {"id": "E1", "type": "T", "a": {"value": 1, "metadata": {"m": {"value": 'a"b'}}}},
            "Invalid characters in metadata value",
        ),
        ({"id": "", "type": "T"}, "entity id length: 0, min length supported: 1"),
        ({"id": "E" * 257, "type": "T"}, "entity id length: 257, max length supported: 256"),
        ({"id": "E1", "type": "T", "d": {"value": "not a date", "type": "DateTime"}}, "date has invalid format"),
    ],
)
def test_create_with_forbidden_characters_answers_400_with_orions_text(sim, entity, description):
    # POST /v2/entities with a forbidden character -> 400 {"error":"BadRequest","description":...}
    expect(call(sim, "POST", "/v2/entities", "forbidden", entity), 400, v2_error("BadRequest", description))
    expect(call(sim, "GET", "/v2/entities", "forbidden"), 200, [])  # nothing was created


def test_updates_and_batches_obey_the_same_rule(sim):
    call(sim, "POST", "/v2/entities", "forbidden2", {"id": "E1", "type": "T", "a": {"value": "ok"}})
    bad = {"value": "drop table;"}
    value_error = v2_error("BadRequest", "Invalid characters in attribute value")
    expect(call(sim, "PATCH", "/v2/entities/E1/attrs", "forbidden2", {"a": bad}), 400, value_error)
    expect(call(sim, "POST", "/v2/entities/E1/attrs", "forbidden2", {"b": bad}), 400, value_error)
    expect(call(sim, "PUT", "/v2/entities/E1/attrs/a", "forbidden2", bad), 400, value_error)
    r = requests.put(
        sim.url + "/v2/entities/E1/attrs/a/value",
        data='"a<b"',
        headers={"Fiware-Service": "forbidden2", "Content-Type": "text/plain"},
        timeout=10,
    )
    expect(r, 400, value_error)
    batch = {"actionType": "append", "entities": [{"id": "E2", "type": "T", "a": bad}]}
    expect(call(sim, "POST", "/v2/op/update", "forbidden2", batch), 400, value_error)
    expect(call(sim, "GET", "/v2/entities/E1/attrs/a/value", "forbidden2"), 200, "ok")


def test_forbidden_characters_in_the_url(sim):
    # GET /v2/entities/E<1> -> 400 "invalid character in URI"; a URI parameter -> "... in URI parameter"
    r = requests.get(sim.url + "/v2/entities/E%3C1%3E", timeout=10)
    expect(r, 400, v2_error("BadRequest", "invalid character in URI"))
    r = requests.get(sim.url + "/v2/entities", params={"type": "T(1)"}, timeout=10)
    expect(r, 400, v2_error("BadRequest", "invalid character in URI parameter"))
    # q, mq, georel and coords are the exceptions: their syntax needs = ; ( )
    r = requests.get(sim.url + "/v2/entities", params={"q": "waterLevel>=0;waterLevel<=100", "limit": 1}, timeout=10)
    assert r.status_code == 200


def test_programmatic_updates_refuse_what_orion_refuses(sim):
    with pytest.raises(ValueError, match="Invalid characters in attribute value"):
        sim.update_entity("urn:ngsi-ld:WaterObserved:okazaki-otogawa-tonobashi", {"stationName": "殿橋 (乙川)"})


_FORBIDDEN = re.compile(r"[<>\"'=;()]")
_BAD_ID = re.compile(r"[<>\"'=;()&?/#\s]|[^\x21-\x7e]")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _all_entities(srv, tenant: str) -> list[dict]:
    out, offset = [], 0
    while True:
        page = requests.get(
            srv.url + "/v2/entities",
            params={"limit": 1000, "offset": offset},
            headers={"Fiware-Service": tenant},
            timeout=30,
        ).json()
        out.extend(page)
        offset += len(page)
        if len(page) < 1000:
            return out


@pytest.mark.parametrize(("scenario", "tenants"), [("okazaki", ["okazaki", "toyota"]), ("synthetic", ["synthetic"])])
def test_demo_and_synthetic_entities_hold_nothing_orion_refuses(scenario, tenants):
    with start_server(scenario=scenario, entities=2000, auto_advance=False) as srv:
        for tenant in tenants:
            entities = _all_entities(srv, tenant)
            assert entities
            for ent in entities:
                for name in (ent["id"], ent["type"], *[k for k in ent if k not in ("id", "type")]):
                    assert not _BAD_ID.search(name) and len(name) <= 256, (ent["id"], name)
                for name, attr in ent.items():
                    if name in ("id", "type"):
                        continue
                    assert not _BAD_ID.search(attr["type"]), (ent["id"], name)
                    for text in _strings([attr["value"], attr["metadata"]]):
                        assert not _FORBIDDEN.search(text), (ent["id"], name, text)
            # and Orion's rule, applied by the city OS itself, takes every one of them back
            copy = f"{tenant}copy"
            for start in range(0, len(entities), 500):
                batch = {"actionType": "append", "entities": entities[start : start + 500]}
                r = requests.post(srv.url + "/v2/op/update", json=batch, headers={"Fiware-Service": copy}, timeout=30)
                assert r.status_code == 204, r.text


# ---------------------------------------------------------------- options


def test_options_normalized_is_accepted(sim):
    # GET /v2/entities?options=normalized -> 200, the normalized representation
    r = requests.get(
        sim.url + "/v2/entities",
        params={"type": "WaterObserved", "options": "normalized", "limit": 1, "attrs": "waterLevel"},
        timeout=10,
    )
    expect(
        r,
        200,
        [
            {
                "id": "REGEX(urn:ngsi-ld:WaterObserved:.*)",
                "type": "WaterObserved",
                "waterLevel": {
                    "type": "Number",
                    "value": r"REGEX(\d+(\.\d+)?)",
                    "metadata": {"unitCode": {"type": "Text", "value": "MTR"}},
                },
            }
        ],
    )


@pytest.mark.parametrize("options", ["foo", "keyValues,values", "values,unique", "keyValues,unique", "sysAttrs"])
def test_unknown_or_clashing_options_answer_400(sim, options):
    r = requests.get(sim.url + "/v2/entities", params={"options": options}, timeout=10)
    expect(r, 400, v2_error("BadRequest", "Invalid value for URI param /options/"))


def test_options_values_and_unique(sim):
    tenant = "optvalues"
    for i, colour in enumerate(["red", "red", "blue"]):
        call(sim, "POST", "/v2/entities", tenant, {"id": f"C{i}", "type": "Car", "colour": {"value": colour}})
    r = call(sim, "GET", "/v2/entities", tenant, params={"attrs": "colour", "options": "values"})
    expect(r, 200, [["red"], ["red"], ["blue"]])
    r = call(sim, "GET", "/v2/entities", tenant, params={"attrs": "colour", "options": "unique"})
    expect(r, 200, [["red"], ["blue"]])
    r = call(sim, "GET", "/v2/entities/C2", tenant, params={"attrs": "colour", "options": "values"})
    expect(r, 200, ["blue"])
    r = call(sim, "GET", "/v2/entities/C2", tenant, params={"options": "keyValues,count,skipForwarding"})
    expect(r, 200, {"id": "C2", "type": "Car", "colour": "blue"})


def test_options_append_and_flow_control(sim):
    tenant = "optappend"
    call(sim, "POST", "/v2/entities", tenant, {"id": "E", "type": "T", "a": {"value": 1}})
    r = call(sim, "POST", "/v2/entities/E/attrs", tenant, {"a": {"value": 2}}, params={"options": "append"})
    expect(r, 422, v2_error("Unprocessable", "one or more of the attributes in the request already exist: E - [ a ]"))
    r = call(sim, "POST", "/v2/entities/E/attrs", tenant, {"b": {"value": 2}}, params={"options": "append,flowControl"})
    expect(r, 204)
    expect(call(sim, "GET", "/v2/entities/E", tenant, params={"options": "keyValues"}), 200,
           {"id": "E", "type": "T", "a": 1, "b": 2})  # fmt: skip


# ---------------------------------------------------------------- limit 0


def test_limit_zero_answers_an_empty_page(sim):
    # GET /v2/entities?limit=0 -> 200 []; with options=count the total in Fiware-Total-Count
    r = requests.get(sim.url + "/v2/entities", params={"limit": 0}, timeout=10)
    expect(r, 200, [])
    r = requests.get(sim.url + "/v2/entities", params={"limit": 0, "options": "count", "type": "WaterObserved"},
                     timeout=10)  # fmt: skip
    expect(r, 200, [], headers={"Fiware-Total-Count": "7"})
    expect(requests.get(sim.url + "/v2/entities", params={"limit": 1001}, timeout=10), 400,
           v2_error("BadRequest", "Bad pagination limit: /1001/ [max: 1000]"))  # fmt: skip
    expect(requests.get(sim.url + "/v2/entities", params={"limit": -1}, timeout=10), 400,
           v2_error("BadRequest", "Bad pagination limit: /-1/ [must be a decimal number]"))  # fmt: skip


# ---------------------------------------------------------------- metadata merge vs override


def _meta_entity(sim, tenant: str) -> None:
    body = {
        "id": "S1",
        "type": "Sensor",
        "temperature": {
            "value": 20,
            "type": "Number",
            "metadata": {"unitCode": {"type": "Text", "value": "CEL"}, "accuracy": {"type": "Number", "value": 0.5}},
        },
    }
    expect(call(sim, "POST", "/v2/entities", tenant, body), 201)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/v2/entities/S1/attrs", {"temperature": {"value": 21, "metadata": {"accuracy": {"value": 0.2}}}}),
        ("POST", "/v2/entities/S1/attrs", {"temperature": {"value": 21, "metadata": {"accuracy": {"value": 0.2}}}}),
        ("PUT", "/v2/entities/S1/attrs/temperature", {"value": 21, "metadata": {"accuracy": {"value": 0.2}}}),
    ],
)
def test_update_keeps_metadata_it_does_not_name(sim, method, path, body):
    tenant = f"merge{method.lower()}{path.count('/')}"
    _meta_entity(sim, tenant)
    expect(call(sim, method, path, tenant, body), 204)
    expect(
        call(sim, "GET", "/v2/entities/S1/attrs/temperature", tenant),
        200,
        {
            "type": "Number",
            "value": 21,
            "metadata": {"unitCode": {"type": "Text", "value": "CEL"}, "accuracy": {"type": "Number", "value": 0.2}},
        },
    )
    # options=overrideMetadata: the metadata are the request's, and only them
    expect(call(sim, method, path, tenant, body, params={"options": "overrideMetadata"}), 204)
    expect(
        call(sim, "GET", "/v2/entities/S1/attrs/temperature", tenant),
        200,
        {"type": "Number", "value": 21, "metadata": {"accuracy": {"type": "Number", "value": 0.2}}},
    )


def test_batch_update_merges_metadata_and_replace_does_not(sim):
    tenant = "mergebatch"
    _meta_entity(sim, tenant)
    update = {"actionType": "update", "entities": [{"id": "S1", "type": "Sensor", "temperature": {"value": 22}}]}
    expect(call(sim, "POST", "/v2/op/update", tenant, update), 204)
    got = call(sim, "GET", "/v2/entities/S1/attrs/temperature", tenant).json()
    assert got["value"] == 22 and set(got["metadata"]) == {"unitCode", "accuracy"}
    replace = {"actionType": "replace", "entities": [{"id": "S1", "type": "Sensor", "temperature": {"value": 23}}]}
    expect(call(sim, "POST", "/v2/op/update", tenant, replace), 204)
    expect(call(sim, "GET", "/v2/entities/S1/attrs/temperature", tenant), 200,
           {"type": "Number", "value": 23, "metadata": {}})  # fmt: skip


def test_batch_update_errors(sim):
    tenant = "batcherrors"
    expect(call(sim, "POST", "/v2/op/update", tenant, {"actionType": "append", "entities": []}), 400,
           v2_error("BadRequest", "empty entities vector"))  # fmt: skip
    expect(
        call(sim, "POST", "/v2/op/update", tenant, {"actionType": "upsert", "entities": [{"id": "E"}]}),
        400,
        v2_error(
            "BadRequest", "invalid update action type: right ones are: append, appendStrict, delete, replace, update"
        ),
    )
    expect(call(sim, "POST", "/v2/op/update", tenant, {"actionType": "update", "entities": [{"id": "nope"}]}), 404,
           v2_error("NotFound", "The requested entity has not been found. Check type and id"))  # fmt: skip


def test_metadata_datemodified_is_a_builtin(sim):
    tenant = "builtinmeta"
    _meta_entity(sim, tenant)
    r = call(sim, "GET", "/v2/entities/S1/attrs/temperature", tenant, params={"metadata": "dateModified,accuracy"})
    expect(
        r,
        200,
        {
            "type": "Number",
            "value": 20,
            "metadata": {
                "accuracy": {"type": "Number", "value": 0.5},
                "dateModified": {"type": "DateTime", "value": f"REGEX({ISO_MS})"},
            },
        },
    )


# ---------------------------------------------------------------- registrations (read-only)


def test_registrations_list_and_count(sim):
    # GET /v2/registrations?options=count -> 200 [] with Fiware-Total-Count: 0
    expect(requests.get(sim.url + "/v2/registrations", params={"options": "count"}, timeout=10), 200, [],
           headers={"Fiware-Total-Count": "0"})  # fmt: skip
    expect(requests.get(sim.url + "/v2/registrations/5f0c0c0c0c0c0c0c0c0c0c0c", timeout=10), 404,
           v2_error("NotFound", "The requested registration has not been found. Check id"))  # fmt: skip
    r = requests.post(sim.url + "/v2/registrations", json={"dataProvided": {}}, timeout=10)
    expect(r, 501, v2_error("NotImplemented", "context provider registrations are read-only in the embedded city OS"))
