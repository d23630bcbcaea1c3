"""JSON-LD @context handling of the embedded city OS, as ETSI GS CIM 009 (clauses 4.4, 5.5.7,
6.3.5) and JSON-LD 1.1 prescribe it: the same entity created under one user context and read with
none, with the same one and with another; queries expanded with the request's context; contexts
given by URL fetched once, with a timeout, and refused as the specification says when they cannot
be had. Each exchange is the request and the expected answer, compared as Orion's harness compares
(see ``orion_harness``).

The contexts served here are this test's own (``water`` and ``other``); the Smart Data Models
context comes from the copy the plugin ships, which the city OS reads without any network.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from smartcity_qgis.cityos_sim import start_server
from tests.unit.orion_harness import ISO_MS, expect, ld_error

LD = "/ngsi-ld/v1"
CORE = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"
DEFAULT = "https://uri.etsi.org/ngsi-ld/default-context/"
REL = 'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
W = "https://example.city/water#"
SDM_ENV = "https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/context.jsonld"

# The user contexts: "water" names the station vocabulary, "other" gives the same short names other IRIs.
WATER = {"@context": {"w": W, "Station": "w:Station", "level": "w:level", "accuracy": {"@id": "w:accuracy"}}}
OTHER = {"@context": {"w": W, "Station": "https://other.example/Station", "level": "https://other.example/level"}}


class ContextServer:
    """A loopback web server for context documents, counting the fetches of each path."""

    def __init__(self) -> None:
        self.docs: dict[str, tuple[int, bytes, float]] = {}
        self.hits: dict[str, int] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.hits[self.path] = outer.hits.get(self.path, 0) + 1
                status, body, delay = outer.docs.get(self.path, (404, b"not found", 0.0))
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/ld+json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the city OS gave up waiting

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, path: str, doc, status: int = 200, delay: float = 0.0) -> str:
        body = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
        self.docs[path] = (status, body, delay)
        return self.base + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def contexts():
    srv = ContextServer()
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def sim():
    with start_server(auto_advance=False, context_timeout=1.0) as srv:
        yield srv


def link(url: str) -> dict[str, str]:
    return {"Link": f"<{url}>; {REL}"}


def call(sim, method, path, tenant, body=None, params=None, headers=None, ld_json=False):
    head = {"NGSILD-Tenant": tenant, **(headers or {})}
    data = None
    if body is not None:
        head["Content-Type"] = "application/ld+json" if ld_json else "application/json"
        data = json.dumps(body)
    return requests.request(method, sim.url + LD + path, data=data, params=params, headers=head, timeout=10)


STATION = {
    "id": "urn:ngsi-ld:Station:1",
    "type": "Station",
    "level": {"type": "Property", "value": 2.5, "accuracy": {"type": "Property", "value": 0.1}},
    "note": {"type": "Property", "value": "left bank"},
    "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [137.16, 34.95]}},
}
LOCATION = {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [137.16, 34.95]}}


@pytest.fixture(scope="module")
def station(sim, contexts):
    """urn:ngsi-ld:Station:1 created under the "water" context (Link header); (tenant, URLs)."""
    water = contexts.serve("/water.jsonld", WATER)
    other = contexts.serve("/other.jsonld", OTHER)
    expect(call(sim, "POST", "/entities", "ldctx", STATION, headers=link(water)), 201)
    return "ldctx", water, other


# ---------------------------------------------------------------- one entity, three readers


def test_read_without_a_context_gives_expanded_names(sim, station):
    # GET /entities/{id} with no context: the core context compacts only what it defines
    # ("location"; "note" through its @vocab, the default context); the rest comes back as IRIs.
    tenant, _, _ = station
    expect(
        call(sim, "GET", "/entities/urn:ngsi-ld:Station:1", tenant),
        200,
        {
            "id": "urn:ngsi-ld:Station:1",
            "type": W + "Station",
            W + "level": {"type": "Property", "value": 2.5, W + "accuracy": {"type": "Property", "value": 0.1}},
            "note": {"type": "Property", "value": "left bank"},
            "location": LOCATION,
        },
        {"Link": f"<{CORE}>; {REL}", "Content-Type": "application/json"},
    )


def test_read_with_the_same_context_gives_short_names(sim, station):
    tenant, water, _ = station
    expect(
        call(sim, "GET", "/entities/urn:ngsi-ld:Station:1", tenant, headers=link(water)),
        200,
        {
            "id": "urn:ngsi-ld:Station:1",
            "type": "Station",
            "level": {"type": "Property", "value": 2.5, "accuracy": {"type": "Property", "value": 0.1}},
            "note": {"type": "Property", "value": "left bank"},
            "location": LOCATION,
        },
        {"Link": f"<{water}>; {REL}"},
    )


def test_read_with_another_context_compacts_with_its_terms(sim, station):
    # "other" maps Station and level elsewhere, so they cannot be short; its prefix "w" makes
    # compact IRIs of them (JSON-LD IRI compaction), and "note" keeps its default-context name.
    tenant, _, other = station
    expect(
        call(sim, "GET", "/entities/urn:ngsi-ld:Station:1", tenant, headers=link(other)),
        200,
        {
            "id": "urn:ngsi-ld:Station:1",
            "type": "w:Station",
            "w:level": {"type": "Property", "value": 2.5, "w:accuracy": {"type": "Property", "value": 0.1}},
            "note": {"type": "Property", "value": "left bank"},
            "location": LOCATION,
        },
        {"Link": f"<{other}>; {REL}"},
    )


def test_ld_json_answers_carry_the_clients_context_in_the_body(sim, station):
    tenant, water, _ = station
    got = expect(
        call(
            sim,
            "GET",
            "/entities/urn:ngsi-ld:Station:1",
            tenant,
            params={"options": "keyValues", "attrs": "level"},
            headers={**link(water), "Accept": "application/ld+json"},
        ),
        200,
        {"id": "urn:ngsi-ld:Station:1", "type": "Station", "level": 2.5, "@context": water},
        {"Content-Type": "application/ld+json"},
    )
    assert "Link" not in got.headers
    # without a user context, the core context is named
    plain = call(
        sim, "GET", "/entities/urn:ngsi-ld:Station:1", tenant, params={"options": "keyValues", "attrs": "note"},
        headers={"Accept": "application/ld+json"},
    )  # fmt: skip
    expect(plain, 200, {"id": "urn:ngsi-ld:Station:1", "type": W + "Station", "note": "left bank", "@context": CORE})


# ---------------------------------------------------------------- queries expand with the request's context


@pytest.mark.parametrize(
    ("params", "context", "found"),
    [
        ({"type": "Station"}, "water", True),
        ({"type": "Station"}, None, False),  # expands to the default context: another type
        ({"type": "Station"}, "other", False),  # same short name, another IRI
        ({"type": W + "Station"}, None, True),  # the full IRI needs no context
        ({"type": "w:Station"}, "other", True),  # a compact IRI through the context's prefix
        ({"q": "level>2"}, "water", True),
        ({"q": "level>2"}, None, False),
        ({"q": f"{W}level>2"}, None, True),
        ({"q": "level.accuracy<0.5", "type": "Station"}, "water", True),
        ({"attrs": "level"}, "water", True),
        ({"attrs": "level"}, "other", False),
    ],
)
def test_queries_are_expanded_with_the_requests_context(sim, station, params, context, found):
    tenant, water, other = station
    headers = link({"water": water, "other": other}[context]) if context else {}
    got = call(sim, "GET", "/entities", tenant, params={**params, "options": "keyValues"}, headers=headers)
    assert got.status_code == 200, got.text
    assert [e["id"] for e in got.json()] == (["urn:ngsi-ld:Station:1"] if found else [])


def test_attrs_projection_under_the_context(sim, station):
    tenant, water, _ = station
    expect(
        call(sim, "GET", "/entities", tenant, params={"type": "Station", "attrs": "level", "options": "keyValues"},
             headers=link(water)),
        200,
        [{"id": "urn:ngsi-ld:Station:1", "type": "Station", "level": 2.5}],
    )  # fmt: skip


def test_types_name_the_iri_and_the_short_name(sim, station):
    # EntityTypeList / EntityTypeInfo (clause 5.2.24-5.2.25): id the full IRI, names compacted.
    tenant, water, _ = station
    expect(
        call(sim, "GET", "/types", tenant),
        200,
        {"id": "urn:ngsi-ld:EntityTypeList:ldctx", "type": "EntityTypeList", "typeList": [W + "Station"]},
    )
    expect(
        call(sim, "GET", "/types", tenant, headers=link(water)),
        200,
        {"id": "urn:ngsi-ld:EntityTypeList:ldctx", "type": "EntityTypeList", "typeList": ["Station"]},
    )
    expect(
        call(sim, "GET", "/types/Station", tenant, headers=link(water)),
        200,
        {
            "id": W + "Station",
            "type": "EntityTypeInfo",
            "typeName": "Station",
            "entityCount": 1,
            "attributeDetails": [
                {"id": W + "level", "type": "Attribute", "attributeName": "level", "attributeTypes": ["Property"]},
                {
                    "id": "https://uri.etsi.org/ngsi-ld/location",
                    "type": "Attribute",
                    "attributeName": "location",
                    "attributeTypes": ["GeoProperty"],
                },
                {"id": DEFAULT + "note", "type": "Attribute", "attributeName": "note", "attributeTypes": ["Property"]},
            ],
        },
    )
    expect(
        call(sim, "GET", "/types/Station", tenant),
        404,
        ld_error("ResourceNotFound", "Resource Not Found", "Entity type not found: Station"),
    )


def test_updates_and_temporal_answers_use_the_request_context(sim, station):
    tenant, water, _ = station
    patch = {"level": {"type": "Property", "value": 3.0}}
    expect(call(sim, "PATCH", "/entities/urn:ngsi-ld:Station:1/attrs", tenant, patch, headers=link(water)), 204)
    # without the context, "level" is another attribute the entity does not have (207, not updated)
    expect(
        call(sim, "PATCH", "/entities/urn:ngsi-ld:Station:1/attrs", tenant, patch),
        207,
        {"updated": [], "notUpdated": [{"attributeName": "level", "reason": "attribute does not exist"}]},
    )
    expect(
        call(sim, "GET", "/temporal/entities/urn:ngsi-ld:Station:1", tenant,
             params={"attrs": "level", "options": "temporalValues"}, headers=link(water)),
        200,
        {"id": "urn:ngsi-ld:Station:1", "type": "Station",
         "level": {"type": "Property", "values": [[2.5, f"REGEX({ISO_MS})"], [3.0, f"REGEX({ISO_MS})"]]}},
    )  # fmt: skip
    temporal = call(sim, "GET", "/temporal/entities/urn:ngsi-ld:Station:1", tenant,
                    params={"attrs": W + "level", "options": "temporalValues", "lastN": "1"})  # fmt: skip
    expect(temporal, 200, {"id": "urn:ngsi-ld:Station:1", "type": W + "Station",
                           W + "level": {"type": "Property", "values": [[3.0, f"REGEX({ISO_MS})"]]}})  # fmt: skip


# ---------------------------------------------------------------- @context in the body, shipped copies


def test_body_context_and_the_shipped_smart_data_models_copy(sim, contexts):
    # application/ld+json carries its @context: here the Smart Data Models Environment context (read
    # from the plugin's copy, no network) and an inline object for the type that context lacks.
    tenant = "ldsdm"
    entity = {
        "id": "urn:ngsi-ld:WaterObserved:x1",
        "type": "WaterObserved",
        "temperature": {"type": "Property", "value": 14.5},
        "waterLevel": {"type": "Property", "value": 1.2},
        "@context": [SDM_ENV, {"WaterObserved": "https://smartdatamodels.org/dataModel.Environment/WaterObserved"}],
    }
    fetched = list(sim.contexts.fetched)
    expect(call(sim, "POST", "/entities", tenant, entity, ld_json=True), 201)
    assert sim.contexts.fetched == fetched  # the shipped copy served it
    expect(
        call(sim, "GET", "/entities/urn:ngsi-ld:WaterObserved:x1", tenant, params={"options": "keyValues"},
             headers=link(SDM_ENV)),
        200,
        # the Environment context defines temperature, not WaterObserved nor waterLevel (default context)
        {"id": "urn:ngsi-ld:WaterObserved:x1", "type": "https://smartdatamodels.org/dataModel.Environment/WaterObserved",
         "temperature": 14.5, "waterLevel": 1.2},
    )  # fmt: skip
    expect(
        call(sim, "GET", "/entities/urn:ngsi-ld:WaterObserved:x1", tenant, params={"options": "keyValues"}),
        200,
        {"id": "urn:ngsi-ld:WaterObserved:x1", "type": "https://smartdatamodels.org/dataModel.Environment/WaterObserved",
         "https://smartdatamodels.org/dataModel.Environment/temperature": 14.5, "waterLevel": 1.2},
    )  # fmt: skip
    # NGSI-v2 sees the stored names: expanded where a user context gave the IRI
    v2 = requests.get(sim.url + "/v2/entities/urn:ngsi-ld:WaterObserved:x1", params={"options": "keyValues"},
                      headers={"Fiware-Service": tenant}, timeout=10).json()  # fmt: skip
    assert v2["type"] == "https://smartdatamodels.org/dataModel.Environment/WaterObserved"
    assert set(v2) == {"id", "type", "https://smartdatamodels.org/dataModel.Environment/temperature", "waterLevel"}


def test_batch_entities_each_carry_their_context(sim, contexts):
    water = contexts.serve("/water.jsonld", WATER)
    other = contexts.serve("/other.jsonld", OTHER)
    items = [
        {**{k: v for k, v in STATION.items() if k != "id"}, "id": "urn:ngsi-ld:Station:b1", "@context": water},
        {**{k: v for k, v in STATION.items() if k != "id"}, "id": "urn:ngsi-ld:Station:b2", "@context": other},
        {**{k: v for k, v in STATION.items() if k != "id"}, "id": "urn:ngsi-ld:Station:b3"},
    ]
    expect(
        call(sim, "POST", "/entityOperations/create", "ldbatchctx", items, ld_json=True),
        207,
        {
            "success": ["urn:ngsi-ld:Station:b1", "urn:ngsi-ld:Station:b2"],
            "errors": [
                {
                    "entityId": "urn:ngsi-ld:Station:b3",
                    "error": ld_error(
                        "BadRequestData", "Bad Request Data", "an application/ld+json payload must carry its @context"
                    ),
                }
            ],
        },
    )
    got = call(sim, "GET", "/entities", "ldbatchctx", params={"type": W + "Station,https://other.example/Station",
                                                              "options": "keyValues", "attrs": "note"})  # fmt: skip
    assert sorted((e["id"], e["type"]) for e in got.json()) == [
        ("urn:ngsi-ld:Station:b1", W + "Station"),
        ("urn:ngsi-ld:Station:b2", "https://other.example/Station"),
    ]


# ---------------------------------------------------------------- fetching, caching, refusals


def test_a_context_url_is_fetched_once_and_kept(sim, contexts):
    url = contexts.serve("/kept.jsonld", WATER)
    for _ in range(3):
        got = call(sim, "GET", "/entities", "ldctx", params={"type": "Station"}, headers=link(url))
        assert [e["type"] for e in got.json()] == ["Station"]
    assert contexts.hits["/kept.jsonld"] == 1
    assert url in sim.contexts.fetched


def test_unreachable_context_answers_503(sim, contexts):
    # LdContextNotAvailable (clause 5.5.7 / 6.3.4 as Orion-LD, Scorpio and Stellio answer it): 503
    url = contexts.serve("/missing-here.jsonld", b"gone", status=404)
    expect(
        call(sim, "GET", "/entities", "ldctx", params={"type": "Station"}, headers=link(url)),
        503,
        ld_error("LdContextNotAvailable", "Ld Context Not Available",
                 f"REGEX(the @context {url} could not be retrieved: HTTP Error 404: .*)"),
    )  # fmt: skip
    expect(
        call(sim, "POST", "/entities", "ldctx", {**STATION, "id": "urn:ngsi-ld:Station:2"},
             headers=link("http://127.0.0.1:9/none.jsonld")),
        503,
        ld_error("LdContextNotAvailable", "Ld Context Not Available",
                 "REGEX(the @context http://127.0.0.1:9/none.jsonld could not be retrieved: .*)"),
    )  # fmt: skip
    assert call(sim, "GET", "/entities/urn:ngsi-ld:Station:2", "ldctx").status_code == 404


def test_a_slow_context_is_given_up_after_the_timeout(sim, contexts):
    url = contexts.serve("/slow.jsonld", WATER, delay=3.0)
    started = time.monotonic()
    got = call(sim, "GET", "/entities", "ldctx", params={"type": "Station"}, headers=link(url))
    assert time.monotonic() - started < 2.5  # the city OS waited its 1 s, not the server's 3 s
    expect(got, 503, ld_error("LdContextNotAvailable", "Ld Context Not Available",
                              f"REGEX(the @context {url} could not be retrieved: .*timed out.*)"))  # fmt: skip


@pytest.mark.parametrize(
    ("doc", "detail"),
    [
        (b"<html>not json</html>", "REGEX(the @context {url} is not JSON: .*)"),
        ({"name": "no context here"}, "the document at {url} is not a JSON-LD context (it has no @context member)"),
        ({"@context": {"level": 42}}, "invalid term definition for 'level' in the @context: not a string or an object"),
        ({"@context": 7}, "invalid local context: an @context entry must be a URL, an object or a list"),
    ],
)
def test_an_invalid_context_answers_400_invalid_request(sim, contexts, doc, detail):
    url = contexts.serve(f"/bad-{abs(hash(json.dumps(doc, default=str)))}.jsonld", doc)
    expect(
        call(sim, "GET", "/entities", "ldctx", params={"type": "Station"}, headers=link(url)),
        400,
        ld_error("InvalidRequest", "Invalid Request", detail.format(url=url)),
    )


def test_where_the_context_goes(sim, contexts):
    water = contexts.serve("/water.jsonld", WATER)
    entity = {**STATION, "id": "urn:ngsi-ld:Station:w3", "@context": water}
    # application/ld+json with a Link header too: 400 BadRequestData (clause 6.3.5)
    expect(
        call(sim, "POST", "/entities", "ldctx", entity, headers=link(water), ld_json=True),
        400,
        ld_error("BadRequestData", "Bad Request Data",
                 "@context given both in a Link header and as application/ld+json: choose one"),
    )  # fmt: skip
    # application/ld+json without @context: 400 BadRequestData
    expect(
        call(sim, "POST", "/entities", "ldctx", STATION, ld_json=True),
        400,
        ld_error("BadRequestData", "Bad Request Data", "an application/ld+json payload must carry its @context"),
    )
    # a context link that is not http(s): refused, never read
    expect(
        call(sim, "GET", "/entities", "ldctx", params={"type": "Station"}, headers=link("file:///etc/passwd")),
        400,
        ld_error("BadRequestData", "Bad Request Data",
                 "the JSON-LD context link 'file:///etc/passwd' is not an http:// or https:// URL"),
    )  # fmt: skip


# ---------------------------------------------------------------- notifications


def test_notifications_use_the_subscriptions_context(sim, station):
    tenant, water, _ = station
    got: queue.Queue = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.put((dict(self.headers), json.loads(body)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        sub = {
            "type": "Subscription",
            "entities": [{"type": "Station"}],
            "watchedAttributes": ["level"],
            "notification": {
                "attributes": ["level"],
                "format": "keyValues",
                "endpoint": {"uri": f"http://127.0.0.1:{receiver.server_address[1]}/notify"},
            },
        }
        expect(call(sim, "POST", "/subscriptions", tenant, sub, headers=link(water)), 201)
        patch = {"level": {"type": "Property", "value": 4.0}}
        expect(call(sim, "PATCH", "/entities/urn:ngsi-ld:Station:1/attrs", tenant, patch, headers=link(water)), 204)
        headers, body = got.get(timeout=10)
        assert headers["Link"] == f"<{water}>; {REL}"
        assert body["data"] == [{"id": "urn:ngsi-ld:Station:1", "type": "Station", "level": 4.0}]
        # "note" is not watched: no notification
        note = {"note": {"type": "Property", "value": "right bank"}}
        expect(call(sim, "PATCH", "/entities/urn:ngsi-ld:Station:1/attrs", tenant, note), 204)
        with pytest.raises(queue.Empty):
            got.get(timeout=1.0)
    finally:
        receiver.shutdown()
        receiver.server_close()
