"""Loading pauses Python's cyclic garbage collector only while it runs, whatever happens."""

from __future__ import annotations

import gc

import pytest

from smartcity_qgis.cityos_client import CityOSError, ConnectionConfig
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.layers import load_entity_layer
from tests.conftest import free_port


def test_collector_is_back_after_a_load_and_after_a_failed_one(qgis_app):
    assert gc.isenabled()
    with start_server(scenario="okazaki", auto_advance=False) as server:
        layer = load_entity_layer(ConnectionConfig(url=server.url, tenant="okazaki"), "WaterObserved")
    assert layer.featureCount() > 0
    assert gc.isenabled()
    dead = ConnectionConfig(url=f"http://127.0.0.1:{free_port()}", max_retries=0, connect_timeout=1)
    with pytest.raises(CityOSError):
        load_entity_layer(dead, "WaterObserved")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_user_stays_off(qgis_app):
    gc.disable()
    try:
        with start_server(scenario="okazaki", auto_advance=False) as server:
            load_entity_layer(ConnectionConfig(url=server.url, tenant="okazaki"), "WaterObserved")
        assert not gc.isenabled()
    finally:
        gc.enable()
