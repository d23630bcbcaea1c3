"""Retries of the city-OS client over real HTTP on loopback: which answers are retried, how long, and when it gives up.

Reads (GET) are retried on connection errors, 429, 500, 502, 503 and 504, with backoff and
``Retry-After``; requests that change something are retried only where the broker says it did not
process them. A persistent error ends with the broker's own description.
"""

from __future__ import annotations

import pytest

from smartcity_qgis.cityos_client import (
    CancelledError,
    CityOSClient,
    CityOSConnectionError,
    ConnectionConfig,
    ServerError,
)
from tests.unit.cityos_fake_broker import FakeBroker
from tests.unit.test_cityos_client_http import Sleeps, client_for, v2_entity

ORION_500 = {"error": "InternalServerError", "description": "Database Error (collection: orion.entities)"}
LD_500 = {"type": "https://uri.etsi.org/ngsi-ld/errors/InternalError", "title": "Internal error", "detail": "db down"}


@pytest.fixture
def broker():
    b = FakeBroker("ngsi-v2")
    yield b
    b.stop()


def test_503_and_502_are_retried_with_growing_backoff(broker):
    broker.entities = [v2_entity(1)]
    broker.fail_next(503, {"error": "ServiceUnavailable"}, times=2)
    broker.fail_next(502, b"bad gateway")
    sleeps = Sleeps()
    entities = list(client_for(broker, sleep=sleeps, backoff_base=0.2).iter_entities("WaterObserved"))
    assert len(entities) == 1 and len(broker.received) == 4
    assert sum(sleeps) > 0.1 + 0.2 + 0.4  # backoff_base * (1 + 2 + 4) / 2 at least, with jitter on top


def test_retry_after_is_honoured(broker):
    broker.entities = [v2_entity(1)]
    broker.fail_next(429, {"error": "TooManyRequests"}, {"Retry-After": "3"})
    sleeps = Sleeps()
    list(client_for(broker, sleep=sleeps, backoff_base=0.01).iter_entities("WaterObserved"))
    assert sum(sleeps) >= 3.0 - 1e-6


def test_retries_stop_at_the_attempt_limit_with_a_clear_error(broker):
    broker.fail_next(503, {"error": "ServiceUnavailable", "description": "overloaded"}, times=10)
    with pytest.raises(ServerError) as info:
        client_for(broker, max_retries=3, backoff_base=0.01).entity("urn:x")
    assert len(broker.received) == 4
    assert "overloaded" in str(info.value) and "gave up after 4 attempts" in str(info.value)


def test_retry_after_beyond_the_budget_gives_up_at_once(broker):
    broker.fail_next(503, {"error": "ServiceUnavailable"}, {"Retry-After": "600"}, times=3)
    with pytest.raises(ServerError):
        client_for(broker, retry_budget=10).entity("urn:x")
    assert len(broker.received) == 1


def test_reset_and_truncated_answers_are_retried(broker):
    broker.entities = [v2_entity(1), v2_entity(2)]
    broker.fail_next(0, mode="reset")
    broker.fail_next(0, mode="truncate")
    assert len(list(client_for(broker).iter_entities("WaterObserved"))) == 2
    assert len(broker.received) == 3


def test_unreachable_broker_is_a_connection_error_after_retries():
    from tests.conftest import free_port

    cfg = ConnectionConfig(url=f"http://127.0.0.1:{free_port()}", proxies={}, max_retries=2, backoff_base=0.01)
    with pytest.raises(CityOSConnectionError) as info:
        CityOSClient(cfg, sleep=Sleeps()).entity("urn:x")
    assert "cannot reach the broker" in str(info.value)


def test_post_is_not_retried_on_502(broker):
    broker.fail_next(502, {"error": "BadGateway"})
    client = client_for(broker)
    with pytest.raises(ServerError):
        client.http.request("POST", broker.url + "/v2/subscriptions", body={"x": 1})
    assert len(broker.received) == 1


def test_cancel_during_backoff(broker):
    broker.fail_next(503, None, {"Retry-After": "5"}, times=2)
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(CancelledError):
        list(client_for(broker).iter_entities("WaterObserved", cancel=cancel))
    assert len(broker.received) == 1


# -- 500 on a read: retried like 503, then a clear error --------------------------------------
def test_a_transient_500_on_a_read_is_retried_and_the_load_completes(broker):
    broker.entities = [v2_entity(i) for i in range(3)]
    broker.fail_next(500, ORION_500, times=2)
    sleeps = Sleeps()
    client = client_for(broker, sleep=sleeps, backoff_base=0.2)
    ids = [e.id for e in client.iter_entities("WaterObserved")]
    assert ids == [v2_entity(i)["id"] for i in range(3)]
    assert [r.method for r in broker.received] == ["GET"] * 3
    assert client.http.retries_done == 2
    assert sum(sleeps) > 0.1 + 0.2  # backoff_base * (1 + 2) / 2 at least


def test_504_on_a_read_is_retried(broker):
    broker.entities = [v2_entity(1)]
    broker.fail_next(504, {"error": "GatewayTimeout", "description": "upstream timed out"})
    assert [e.id for e in client_for(broker).iter_entities("WaterObserved")] == [v2_entity(1)["id"]]
    assert len(broker.received) == 2


def test_retry_after_on_a_500_is_honoured(broker):
    broker.entities = [v2_entity(1)]
    broker.fail_next(500, ORION_500, {"Retry-After": "2"})
    sleeps = Sleeps()
    list(client_for(broker, sleep=sleeps, backoff_base=0.01).iter_entities("WaterObserved"))
    assert sum(sleeps) >= 2.0 - 1e-6


@pytest.mark.parametrize("body", [ORION_500, LD_500], ids=["orion", "ngsi-ld"])
def test_a_persistent_500_fails_with_the_brokers_own_description(broker, body):
    broker.fail_next(500, body, times=10)
    with pytest.raises(ServerError) as info:
        client_for(broker, max_retries=3, backoff_base=0.01).entity("urn:x")
    assert len(broker.received) == 4
    assert info.value.status == 500
    message = str(info.value)
    said = body.get("description") or body.get("detail")
    assert message.startswith("the broker answered 500") and said in message
    assert "gave up after 4 attempts" in message


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE"])
def test_requests_that_change_something_are_not_retried_on_500(broker, method):
    """The broker may have applied the change before failing: repeating it is not ours to decide."""
    broker.fail_next(500, ORION_500)
    client = client_for(broker)
    url = broker.url + "/v2/entities/urn:x/attrs"
    with pytest.raises(ServerError) as info:
        client.http.request(method, url, body=None if method == "DELETE" else {"waterLevel": {"value": 1}})
    assert len(broker.received) == 1 and broker.received[0].method == method
    assert client.http.retries_done == 0
    assert "Database Error" in str(info.value) and "gave up" not in str(info.value)
