"""City OS live layers: the Okazaki sensors loaded as layers, kept live for a few seconds, saved to GeoPackage.

Loads every entity type of the demo city OS (river stations, people counters, air
quality, streetlights, parking, shelters) into layers, runs live polling while the
scenario clock advances through the storm, and writes the layers with their last
values to ``okazaki_cityos.gpkg``. Later steps find the layers in
``ctx.shared["cityos_layers"]`` (entity type -> layer).
"""

from __future__ import annotations

import time
from pathlib import Path

from qgis.core import QgsProject, QgsVectorFileWriter
from qgis.PyQt.QtCore import QCoreApplication

from smartcity_qgis.demo.context import DemoContext

LIVE_SECONDS = 4.0
SIM_MINUTES_PER_TICK = 5
TENANT = "okazaki"


def _demo_server(ctx: DemoContext):
    server = ctx.shared.get("sim")
    if server is None:
        from smartcity_qgis.cityos_sim.server import start_server

        server = start_server(host="127.0.0.1", port=0, scenario="okazaki")
        ctx.shared["sim"] = server
        ctx.on_close(server.stop)
    return server


def _write_gpkg(layers: dict, path: Path) -> None:
    path.unlink(missing_ok=True)
    for index, (entity_type, layer) in enumerate(sorted(layers.items())):
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = entity_type
        options.fileEncoding = "UTF-8"
        if index:
            options.actionOnExistingFile = QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
        error, message = QgsVectorFileWriter.writeAsVectorFormatV3(
            layer, str(path), QgsProject.instance().transformContext(), options
        )[:2]
        if error != QgsVectorFileWriter.WriterError.NoError:
            raise OSError(f"could not write {entity_type} to {path}: {message}")


def run(ctx: DemoContext) -> list[Path]:
    from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig
    from smartcity_qgis.layers.cityos.connections import DEMO_CONNECTION_NAME
    from smartcity_qgis.layers.cityos.entity_loader import load_entity_layers
    from smartcity_qgis.layers.cityos.live import LiveLayerUpdater
    from smartcity_qgis.layers.cityos.map_tips import apply_map_tip, apply_stale_style

    server = _demo_server(ctx)
    config = ConnectionConfig(url=server.url, flavor="ngsi-v2", tenant=TENANT)
    with CityOSClient(config) as client:
        types = [info.name for info in client.types()]
    project = ctx.project or QgsProject.instance()
    layers = {}
    updaters = []
    changes: list[tuple] = []
    for entity_type in types:
        result = load_entity_layers(config, entity_type, connection_name=DEMO_CONNECTION_NAME)
        for kind, layer in result.layers.items():
            apply_map_tip(layer)
            apply_stale_style(layer, 30)
            project.addMapLayer(layer)
            key = entity_type if kind == "point" or len(result.layers) == 1 else f"{entity_type}_{kind}"
            layers[key] = layer
        print(f"  {entity_type}: {result.summary()}")
        updater = LiveLayerUpdater(result.layers, config, mode="polling", interval=0.5)
        updater.value_changed.connect(lambda *args: changes.append(args))
        updaters.append(updater)
        updater.start()
    deadline = time.monotonic() + LIVE_SECONDS
    next_tick = time.monotonic()
    while time.monotonic() < deadline:
        if time.monotonic() >= next_tick:
            server.advance(SIM_MINUTES_PER_TICK * 60)
            next_tick += 0.5
        QCoreApplication.processEvents()
        time.sleep(0.02)
    for updater in updaters:
        updater.stop()
        updater.flush()
    changed = {(c[0], c[1]) for c in changes}
    print(f"  live: {len(changes)} value changes on {len({c[0] for c in changed})} entities in {LIVE_SECONDS:.0f} s")
    path = ctx.output / "okazaki_cityos.gpkg"
    _write_gpkg(layers, path)
    ctx.shared["cityos_layers"] = layers
    ctx.shared["cityos_config"] = config
    return [path]
