"""Paging with the next page fetched ahead (``iter_entities(prefetch=True)``, what layer loads use).

The pages asked for, the entities handed out (each once, none lost) and the errors raised must be
those of plain paging; a cancelled or abandoned listing leaves no request running for long.
"""

from __future__ import annotations

import threading
import time

import pytest

from smartcity_qgis.cityos_client import CancelledError, CityOSClient, ConnectionConfig, ServerError
from smartcity_qgis.cityos_sim import start_server
from tests.unit.cityos_fake_broker import FakeBroker
from tests.unit.test_cityos_client_http import Sleeps, client_for, v2_entity


@pytest.fixture
def broker():
    b = FakeBroker("ngsi-v2")
    yield b
    b.stop()


def _page_ahead_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "cityos-page-ahead"]


def _no_page_ahead_left(timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while _page_ahead_threads():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_prefetch_asks_for_the_same_pages_and_reports_the_same_progress(broker):
    broker.entities = [v2_entity(i) for i in range(2500)]
    progress = []
    ids = [
        e.id
        for e in client_for(broker).iter_entities(
            "WaterObserved", prefetch=True, progress=lambda d, t: progress.append((d, t))
        )
    ]
    assert ids == [v2_entity(i)["id"] for i in range(2500)]
    pages = broker.requests_to("/v2/entities")
    assert [(p.query["offset"], p.query["limit"]) for p in pages] == [("0", "1000"), ("1000", "1000"), ("2000", "1000")]
    assert progress == [(1000, 2500), (2000, 2500), (2500, 2500)]
    assert _no_page_ahead_left()


def _sliding_listing(prefetch: bool) -> tuple[list[str], list[int]]:
    """Ids handed out and offsets asked for while entities created in front slide the pages."""
    b = FakeBroker("ngsi-v2")
    try:
        b.entities = [v2_entity(i) for i in range(40)]

        def shift(offset):
            if offset in (0, 10):  # an entity created in front pushes the following pages back by one
                b.entities.insert(0, v2_entity(900 + offset))

        b.after_page = shift
        ids = [e.id for e in client_for(b, page_size=10).iter_entities("WaterObserved", prefetch=prefetch)]
        return ids, [int(p.query["offset"]) for p in b.requests_to("/v2/entities")]
    finally:
        b.stop()


def test_a_page_fetched_ahead_is_used_only_while_the_window_has_not_slid():
    ids, offsets = _sliding_listing(prefetch=True)
    plain_ids, plain_offsets = _sliding_listing(prefetch=False)
    assert ids == plain_ids
    assert len(ids) == len(set(ids)) and {v2_entity(i)["id"] for i in range(40)} <= set(ids)
    # The second page came back with a repeated entity, so the page asked for ahead at 20 was
    # dropped and 19 asked for, as without prefetching; every page that was used is one plain
    # paging asked for, in the same order.
    assert 20 in offsets and 19 in offsets
    assert [o for o in offsets if o in plain_offsets] == plain_offsets


def test_an_error_on_the_page_fetched_ahead_comes_after_every_entity_before_it(broker):
    entities = [v2_entity(i) for i in range(30)]

    def pages(rec):
        offset, limit = int(rec.query["offset"]), int(rec.query["limit"])
        if offset == 10:
            return 500, {"error": "InternalServerError", "description": "database connection lost"}, {}
        return 200, entities[offset : offset + limit], {"Fiware-Total-Count": str(len(entities))}

    broker.extra_routes[("GET", "/v2/entities")] = pages
    got = []
    with pytest.raises(ServerError, match="database connection lost"):
        for entity in client_for(broker, page_size=10).iter_entities("WaterObserved", prefetch=True):
            got.append(entity.id)
    assert got == [e["id"] for e in entities[:10]]
    assert _no_page_ahead_left()


def test_a_too_large_limit_refused_ahead_is_lowered_as_without_prefetching(broker):
    broker.max_limit = 300
    broker.entities = [v2_entity(i) for i in range(700)]
    ids = [e.id for e in client_for(broker).iter_entities("WaterObserved", prefetch=True)]
    assert ids == [v2_entity(i)["id"] for i in range(700)]


def test_cancel_stops_with_at_most_the_page_ahead_asked_for_and_dropped(broker):
    broker.entities = [v2_entity(i) for i in range(50)]
    got = []
    with pytest.raises(CancelledError):
        for entity in client_for(broker, page_size=10).iter_entities(
            "WaterObserved", prefetch=True, cancel=lambda: len(got) >= 10
        ):
            got.append(entity)
    assert len(got) == 10
    assert len(broker.requests_to("/v2/entities")) <= 2
    assert _no_page_ahead_left()


def test_an_abandoned_listing_leaves_no_request_running(broker):
    broker.entities = [v2_entity(i) for i in range(50)]
    listing = client_for(broker, page_size=10).iter_entities("WaterObserved", prefetch=True)
    first = [next(listing) for _ in range(5)]
    listing.close()
    assert [e.id for e in first] == [v2_entity(i)["id"] for i in range(5)]
    assert _no_page_ahead_left()
    assert len(broker.requests_to("/v2/entities")) <= 2


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_prefetching_under_transient_faults_loses_and_repeats_nothing(flavor):
    n, kind = 20_000, "Streetlight"
    srv = start_server(scenario="synthetic", entities=n, types=[kind], seed=11, auto_advance=False)
    try:
        srv.set_faults(0.3, ("503", "reset", "truncate", "slow", "shift"), slow_seconds=0.05, retry_after=0)
        config = ConnectionConfig(
            url=srv.url, flavor=flavor, tenant="synthetic", backoff_base=0.01, max_retries=8, read_timeout=5.0
        )
        with CityOSClient(config, sleep=Sleeps()) as client:
            ids = [e.id for e in client.iter_entities(kind, page_size=1000, prefetch=True)]
        injected = srv.stats["faults_injected"]
    finally:
        srv.stop()
    assert injected > 0
    assert len(ids) == len(set(ids)) == n
    assert set(ids) == {f"urn:ngsi-ld:{kind}:synthetic-{i:07d}" for i in range(n)}
