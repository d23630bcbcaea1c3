"""River alerts: the storm pushes the Okazaki gauges through the 警戒レベル, every crossing logged.

Follows the live river-station layer of the demo city OS with the river monitor while the
storm's flood wave runs out and a second one rises to its crest, writes the alert log
(every level crossed, upward and back down) to ``river_alerts.gpkg`` and
``river_alerts.csv``, and renders the River levels panel at the crest to ``river_panel.png``.
"""

from __future__ import annotations

import time
from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication

from smartcity_qgis.demo.context import DemoContext

TENANT = "okazaki"
SECOND_STORM_MINUTES = 60.0
SIM_SECONDS_PER_TICK = 150.0
REAL_SECONDS_PER_TICK = 0.4


def _pump(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)


def _river_layer(ctx: DemoContext, sim):
    """The live WaterObserved layer of step 20, or a new one loaded from the demo city OS."""
    from smartcity_qgis.cityos_client import ConnectionConfig

    config = ctx.shared.get("cityos_config") or ConnectionConfig(url=sim.url, flavor="ngsi-v2", tenant=TENANT)
    layer = (ctx.shared.get("cityos_layers") or {}).get("WaterObserved")
    if layer is None:
        from smartcity_qgis.layers.cityos.entity_loader import load_entity_layer

        layer = load_entity_layer(config, "WaterObserved")
        ctx.project.addMapLayer(layer)
    return layer, config


def _sim(ctx: DemoContext):
    sim = ctx.shared.get("sim")
    if sim is None:
        from smartcity_qgis.cityos_sim.server import start_server

        sim = start_server(host="127.0.0.1", port=0, scenario="okazaki")
        ctx.shared["sim"] = sim
        ctx.on_close(sim.stop)
    return sim


def run(ctx: DemoContext) -> list[Path]:
    from smartcity_qgis.dialogs.rivers.river_panel import RiverPanel
    from smartcity_qgis.layers.cityos.live import LiveLayerUpdater
    from smartcity_qgis.layers.rivers.alerts import export_alert_log
    from smartcity_qgis.layers.rivers.style import apply_river_style

    sim = _sim(ctx)
    layer, config = _river_layer(ctx, sim)
    updater = LiveLayerUpdater(layer, config, mode="polling", interval=REAL_SECONDS_PER_TICK / 2)
    synced: list[bool] = []
    updater.synced.connect(lambda: synced.append(True))
    updater.start()
    deadline = time.monotonic() + 20
    while not synced and time.monotonic() < deadline:  # current values first: the storm starts from them
        _pump(0.1)
    panel = RiverPanel(None, project=ctx.project)  # headless: no message bar, no canvas
    monitor = panel.monitors[layer.id()]
    apply_river_style(layer)
    crossings: list[tuple] = []
    monitor.crossed.connect(lambda *args: crossings.append(args))
    monitor.attach_updater(updater)
    written: list[Path] = []
    highest = -1
    try:
        # The demo's storm runs out (its falling limb: crossings back down), then a second
        # flood wave rises to its crest (crossings upward); later steps see the river high again.
        _, _, storm_end = sim.scenario.storm_window()
        phases = [max(0.0, storm_end - sim.clock) + 60, SECOND_STORM_MINUTES * 60 / 2]
        for index, span in enumerate(phases):
            if index == 1:
                sim.scenario.storm_minutes = SECOND_STORM_MINUTES
                sim.scenario.storm_start = sim.clock
            ticks = max(1, round(span / SIM_SECONDS_PER_TICK))
            for _ in range(ticks):
                sim.advance(span / ticks)
                _pump(REAL_SECONDS_PER_TICK)
                top = max((s.level or 0 for s in monitor.stations()), default=0)
                if index == 1 and top > highest:
                    highest = top
                    panel.resize(720, 340)
                    panel.rebuild()
                    panel.grab().save(str(ctx.output / "river_panel.png"), "PNG")
    finally:
        updater.stop()
        updater.flush()
        monitor.refresh()
        panel.shutdown()
    log = monitor.log_layer()
    ups = sum(1 for c in crossings if c[3] > c[2])
    downs = len(crossings) - ups
    print(f"  river alerts: {len(crossings)} crossings ({ups} up, {downs} down), highest level then {highest}")
    for station_id, name, from_level, to_level in crossings:
        print(f"    {name} ({station_id.rsplit(':', 1)[-1]}): レベル {from_level} → {to_level}")
    for suffix in (".gpkg", ".csv"):
        written.append(export_alert_log(log, ctx.output / f"river_alerts{suffix}"))
    if (ctx.output / "river_panel.png").exists():
        written.append(ctx.output / "river_panel.png")
    ctx.shared["river_alert_log"] = log
    return written
