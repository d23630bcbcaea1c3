"""NGSI-LD history from a temporal service at its own URL (Mintaka beside Orion-LD)."""

from __future__ import annotations

import pytest

from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig
from smartcity_qgis.cityos_sim import start_server

STATION = "urn:ngsi-ld:WaterObserved:okazaki-otogawa-tonobashi"


@pytest.fixture
def broker_and_mintaka():
    broker = start_server(scenario="okazaki", auto_advance=False, require_token="t0ken")
    mintaka = start_server(scenario="okazaki", host="127.0.0.2", auto_advance=False, require_token="t0ken")
    yield broker, mintaka
    broker.stop()
    mintaka.stop()


@pytest.mark.parametrize("suffix", ["", "/ngsi-ld/v1", "/ngsi-ld/v1/"])
def test_history_goes_to_the_temporal_url(broker_and_mintaka, suffix):
    broker, mintaka = broker_and_mintaka
    mintaka.update_entity(STATION, {"waterLevel": 4.5}, tenant="okazaki")
    config = ConnectionConfig(
        url=broker.url, flavor="ngsi-ld", tenant="okazaki", auth="token", token="t0ken",
        temporal_url=mintaka.url + suffix,
    )  # fmt: skip
    with CityOSClient(config) as client:
        points = client.history(STATION, "waterLevel", last_n=5)
    assert points and points[-1][1] == 4.5  # the temporal service's own record
    assert any("/ngsi-ld/v1/temporal/entities/" in path for _m, path, _s in mintaka.access_log)
    assert not any("/temporal/" in path for _m, path, _s in broker.access_log)
    assert all(status == 200 for _m, path, status in mintaka.access_log if "/temporal/" in path)


def test_without_a_temporal_url_the_broker_serves_history(broker_and_mintaka):
    broker, _mintaka = broker_and_mintaka
    config = ConnectionConfig(url=broker.url, flavor="ngsi-ld", tenant="okazaki", auth="token", token="t0ken")
    with CityOSClient(config) as client:
        assert client.history(STATION, "waterLevel", last_n=5)
    assert any("/temporal/entities/" in path for _m, path, _s in broker.access_log)
