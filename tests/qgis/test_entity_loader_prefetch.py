"""A layer load fetches the next page while it builds the current one: same layer, clean cancel."""

from __future__ import annotations

import threading
import time

from qgis.core import QgsFeedback

from smartcity_qgis.cityos_client import ConnectionConfig
from smartcity_qgis.layers import load_entity_layers
from tests.unit.cityos_fake_broker import FakeBroker
from tests.unit.test_cityos_client_http import v2_entity


def _page_ahead_running() -> bool:
    return any(t.name == "cityos-page-ahead" for t in threading.enumerate())


def test_a_load_asks_for_each_page_once_in_order_and_keeps_every_entity(qgis_app):
    broker = FakeBroker("ngsi-v2")
    try:
        broker.entities = [v2_entity(i, lon=137.0 + i / 10000) for i in range(3500)]
        result = load_entity_layers(ConnectionConfig(url=broker.url, proxies={}), "WaterObserved")
        offsets = [int(r.query["offset"]) for r in broker.requests_to("/v2/entities")]
    finally:
        broker.stop()
    layer = result.main_layer
    assert offsets == [0, 1000, 2000, 3000]
    assert result.loaded == layer.featureCount() == 3500
    assert sorted(f["entity_id"] for f in layer.getFeatures()) == [v2_entity(i)["id"] for i in range(3500)]


def test_a_cancelled_load_drops_the_page_fetched_ahead(qgis_app):
    broker = FakeBroker("ngsi-v2")
    try:
        broker.entities = [v2_entity(i) for i in range(5000)]
        feedback = QgsFeedback()
        # Cancelled at the first progress report: the load stops after the page it is building.
        feedback.progressChanged.connect(lambda _progress: feedback.cancel())
        result = load_entity_layers(ConnectionConfig(url=broker.url, proxies={}), "WaterObserved", feedback=feedback)
        deadline = time.monotonic() + 10
        while _page_ahead_running() and time.monotonic() < deadline:
            time.sleep(0.01)
        requests = len(broker.requests_to("/v2/entities"))
    finally:
        broker.stop()
    assert result.cancelled
    pages_loaded = result.loaded // 1000
    assert result.loaded == 1000 * pages_loaded and 1 <= pages_loaded < 5
    assert requests <= pages_loaded + 1  # the pages loaded, and at most the one asked for ahead
    assert not _page_ahead_running()
