"""Hostile input never breaks the embedded city OS: it answers 4xx with the broker's error body, never 500."""

from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.cityos_sim.model import Attr, EntityRecord
from smartcity_qgis.cityos_sim.query import QueryError, compile_q_ld, compile_q_v2

RECORD = EntityRecord(
    "urn:ngsi-ld:T:1", "T", "/",
    {"a": Attr("Number", 3), "s": Attr("Text", "乙川"), "d": Attr("DateTime", "2026-01-01T00:00:00Z"),
     "c": Attr("StructuredValue", {"x": [1, 2]}), "l": Attr("StructuredValue", ["shelter"])},
    0.0,
)  # fmt: skip
Q_ALPHABET = st.sampled_from(list("as dcxl.;|()=!<>~:,'\"0123456789-TZ乙川[]^*"))


@settings(max_examples=300, deadline=None)
@given(st.text(Q_ALPHABET, max_size=30))
def test_random_q_compiles_or_raises_query_error(text):
    for compile_q in (compile_q_v2, compile_q_ld):
        try:
            predicate = compile_q(text)
        except QueryError:
            continue
        assert predicate(RECORD) in (True, False)


@pytest.fixture(scope="module")
def sim():
    with start_server(auto_advance=False) as srv:
        yield srv


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(max_size=40),
    st.sampled_from(["q", "idPattern", "georel", "coords", "orderBy", "limit", "attrs", "options", "typePattern"]),
)
def test_random_query_parameters_get_clear_answers(sim, value, param):
    params = {"type": "WaterObserved", param: value}
    if param in ("georel", "coords"):
        params.update(
            {"geometry": "point", "georel": "near;maxDistance:100", "coords": "34.95,137.17"} | {param: value}
        )
    r = requests.get(sim.url + "/v2/entities", params=params, timeout=10)
    assert r.status_code in (200, 400), r.text
    if r.status_code == 400:
        assert set(r.json()) == {"error", "description"}
    ld = requests.get(sim.url + "/ngsi-ld/v1/entities", params={"type": "WaterObserved", "q": value}, timeout=10)
    assert ld.status_code in (200, 400), ld.text
    if ld.status_code == 400:
        assert {"type", "title", "detail"} <= set(ld.json())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
        max_leaves=12,
    )
)
def test_random_payloads_are_refused_cleanly(sim, payload):
    for url in (
        "/v2/entities",
        "/ngsi-ld/v1/entities",
        "/v2/subscriptions",
        "/ngsi-ld/v1/subscriptions",
        "/v2/op/update",
    ):
        r = requests.post(sim.url + url, json=payload, timeout=10)
        assert r.status_code < 500, (url, payload, r.text)


def test_update_entity_rejects_unknown_entities(sim):
    with pytest.raises(KeyError):
        sim.update_entity("urn:ngsi-ld:WaterObserved:nowhere", {"waterLevel": 1.0})
    with pytest.raises(KeyError):  # the Toyota station is not in the default tenant
        sim.update_entity("urn:ngsi-ld:WaterObserved:toyota-yahagi-takahashi", {"waterLevel": 1.0})
    station = "urn:ngsi-ld:WaterObserved:okazaki-yahagi-iwazu"
    before = requests.get(f"{sim.url}/v2/entities/{station}", timeout=10).json()
    with pytest.raises(ValueError):
        sim.update_entity(station, {"waterLevel": 9.9, "location": {"type": "Point", "coordinates": [500, 1]}})
    assert requests.get(f"{sim.url}/v2/entities/{station}", timeout=10).json() == before  # nothing half-done
    sim.update_entity(station, {"location": {"type": "Point", "coordinates": [137.15, 35.0]}})
    moved = requests.get(f"{sim.url}/v2/entities/{station}", params={"options": "keyValues"}, timeout=10).json()
    assert moved["location"] == {"type": "Point", "coordinates": [137.15, 35.0]}


def test_unreachable_notification_endpoint_marks_the_subscription_failed(sim):
    from tests.conftest import free_port

    body = {
        "subject": {"entities": [{"id": "urn:ngsi-ld:WaterObserved:okazaki-yahagi-watari"}]},
        "notification": {"http": {"url": f"http://127.0.0.1:{free_port()}/gone"}},
    }
    r = requests.post(sim.url + "/v2/subscriptions", json=body, timeout=10)
    sim.update_entity("urn:ngsi-ld:WaterObserved:okazaki-yahagi-watari", {"waterLevel": 1.23})
    assert sim.subs.wait_idle()
    view = requests.get(sim.url + r.headers["Location"], timeout=10).json()
    assert view["status"] == "failed" and "lastFailure" in view["notification"]
    assert sim.stats["notifications_failed"] >= 1


def test_oversized_bodies_are_refused(sim):
    big = {"id": "urn:ngsi-ld:Thing:big", "type": "Thing", "blob": {"value": "x" * (1024 * 1024)}}
    r = requests.post(sim.url + "/v2/entities", json=big, timeout=30)
    assert r.status_code == 413 and r.json()["error"] == "RequestEntityTooLarge"
    assert requests.get(sim.url + "/v2/entities/urn:ngsi-ld:Thing:big", timeout=10).status_code == 404
