"""Issue 9.1: a 100,000-entity load under every injected fault is exact; a broker that keeps failing stops it clearly.

Every fault mode of the embedded city OS (500, 503 with Retry-After, connection reset, truncated
body, slow answers, a page that shifts while paging) is injected at a high rate. A 500 on a read is
retried like a 503 (Orion answers 500 for transient database errors too), so the load completes
with every entity once. A broker that answers nothing but 500 stops the load after the bounded
retries, with the broker's own message. The figures go to the README's Reliability section
(``record_reliability``).
"""

from __future__ import annotations

import pytest

from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig, ServerError
from smartcity_qgis.cityos_sim import FAULT_KINDS, start_server
from tests.conftest import record_reliability

N = 100_000
TYPE = "Streetlight"
RATE = 0.3
# Faults that make a request fail (and so cost one retry each); "slow" and "shift" answer in full.
FAILING = ("500", "503", "reset", "truncate")


@pytest.fixture(scope="module")
def faulty_server():
    srv = start_server(scenario="synthetic", entities=N, types=[TYPE], seed=7, auto_advance=False)
    try:
        yield srv
    finally:
        srv.stop()


def _config(url: str, flavor: str, **changes) -> ConnectionConfig:
    # A short Retry-After / slow delay keeps the test quick; the budget still bounds the wait.
    options = {"backoff_base": 0.01, "max_retries": 8, "retry_budget": 120.0, "read_timeout": 5.0, **changes}
    return ConnectionConfig(url=url, flavor=flavor, tenant="synthetic", **options)


def test_every_fault_kind_is_injected():
    assert set(FAILING) | {"slow", "shift"} == set(FAULT_KINDS)


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_load_under_every_fault_including_500_is_exact(faulty_server, flavor):
    expected = [f"urn:ngsi-ld:{TYPE}:synthetic-{i:07d}" for i in range(N)]
    srv = faulty_server
    srv.set_faults(0.0, ())
    before = dict(srv.stats["faults_by_kind"])
    srv.set_faults(RATE, FAULT_KINDS, slow_seconds=0.2, retry_after=0)
    client = CityOSClient(_config(srv.url, flavor))
    try:
        seen = [entity.id for entity in client.iter_entities(TYPE, page_size=1000)]
    finally:
        srv.set_faults(0.0, ())
        client.close()
    by_kind = {k: v - before.get(k, 0) for k, v in srv.stats["faults_by_kind"].items()}
    duplicates = len(seen) - len(set(seen))
    lost = len(set(expected) - set(seen))
    record_reliability(
        "faults",
        flavor,
        {
            "entities": N,
            "faults": list(FAULT_KINDS),
            "fault_rate": RATE,
            "faults_injected": sum(by_kind.values()),
            "faults_by_kind": by_kind,
            "retries": client.http.retries_done,
            "received": len(seen),
            "duplicates": duplicates,
            "entities_lost": lost,
        },
    )
    assert by_kind.get("500", 0) > 0, f"500s were really injected: {by_kind}"
    assert duplicates == 0
    assert lost == 0
    assert sorted(seen) == expected
    # Every failed answer cost exactly one retry: none was taken for a success, none slipped through.
    assert client.http.retries_done == sum(by_kind.get(kind, 0) for kind in FAILING), by_kind


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_a_broker_answering_only_500_stops_the_load_with_its_message(faulty_server, flavor):
    srv = faulty_server
    before = srv.stats["faults_by_kind"].get("500", 0)
    srv.set_faults(1.0, ["500"])
    client = CityOSClient(_config(srv.url, flavor, max_retries=3))
    seen = []
    try:
        with pytest.raises(ServerError) as info:
            for entity in client.iter_entities(TYPE, page_size=1000):
                seen.append(entity.id)
    finally:
        srv.set_faults(0.0, ())
        client.close()
    message = str(info.value)
    attempts = srv.stats["faults_by_kind"]["500"] - before
    record_reliability("faults", f"{flavor} persistent 500", {"attempts": attempts, "message": message})
    assert seen == [], "nothing half-done reaches the caller"
    assert info.value.status == 500
    assert message.startswith("the broker answered 500")
    assert "internal error (injected fault)" in message, "the broker's own description"
    assert "gave up after 4 attempts" in message
    assert client.http.retries_done == 3 and attempts == 4
