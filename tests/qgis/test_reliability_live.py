"""Issue 9.2: while live, no update the MQTT broker delivers is lost, through a broker restart.

A station's water level carries a sequence number (1, 2, 3 … metres). Every value pushed while the
broker runs must reach the layer, in order, without repeats; values pushed while the broker is down
are caught up by the layer's resync, and the last value always wins.
"""

from __future__ import annotations

import pytest

from smartcity_qgis.cityos_client import ConnectionConfig
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.layers import load_entity_layer
from smartcity_qgis.layers.cityos.live import LIVE, RECONNECTING, LiveLayerUpdater
from tests.qgis.entity_layer_helpers import spin, wait_until
from tests.qgis.test_entity_layers_live import Mosquitto, first_station, value_of


@pytest.mark.timeout(300)
@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_every_delivered_update_is_applied_in_order_through_a_broker_restart(qgis_app, flavor):
    broker = Mosquitto()
    broker.start()
    mqtt_url = f"mqtt://127.0.0.1:{broker.port}"
    server = start_server(scenario="okazaki", auto_advance=False, mqtt_url=mqtt_url)
    cfg = ConnectionConfig(url=server.url, flavor=flavor, tenant="okazaki", mqtt_url=mqtt_url)
    layer = load_entity_layer(cfg, "WaterObserved")
    station = first_station(layer)
    count = layer.featureCount()
    updater = LiveLayerUpdater(layer, cfg, mode="mqtt", interval=3600)
    seen: list[float] = []
    updater.value_changed.connect(
        lambda entity_id, attr, _old, new: (
            seen.append(float(new)) if entity_id == station and attr == "waterLevel" else None
        )
    )
    updater.start()

    def push(values: range) -> None:
        for value in values:
            server.update_entity(station, {"waterLevel": float(value)}, tenant="okazaki")
            spin(0.03)

    try:
        wait_until(lambda: updater.state == LIVE, timeout=30)
        push(range(101, 141))
        wait_until(lambda: value_of(layer, station, "waterLevel") == 140.0, timeout=30)
        broker.stop()
        wait_until(lambda: updater.state == RECONNECTING, timeout=30)
        push(range(141, 151))  # the broker is down: nobody can deliver these
        broker.start()
        wait_until(lambda: updater.state == LIVE and value_of(layer, station, "waterLevel") == 150.0, timeout=60)
        push(range(151, 191))
        wait_until(lambda: value_of(layer, station, "waterLevel") == 190.0, timeout=30)
    finally:
        updater.stop()
        server.stop()
        broker.stop()
        broker.conf.unlink(missing_ok=True)
    assert seen == sorted(set(seen)), "applied in order, never twice"
    delivered_while_up = [float(v) for v in [*range(101, 141), *range(151, 191)]]
    missing = [v for v in delivered_while_up if v not in seen]
    assert missing == [], f"updates lost: {missing}"
    assert layer.featureCount() == count
