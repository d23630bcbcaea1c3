"""Live crowd heatmap: QURUWA's people counters as a heatmap following the city OS, and a mesh snapshot.

Takes the CrowdFlowObserved layer of the live-layers step (or loads it), draws it as a crowd
heatmap weighted by ``peopleCount`` (counters under k = 10 are not drawn), keeps it live
while the scenario clock moves on, and renders the map over QURUWA before and after. The
current counts are then summed per 500 m mesh cell into ``okazaki_crowd_mesh.gpkg``, with
cells of fewer than 10 people left out.
"""

from __future__ import annotations

import time
from pathlib import Path

from smartcity_qgis.demo.context import DemoContext
from smartcity_qgis.local_time import SHORT_FORMAT, local_text

TENANT = "okazaki"
ADVANCE_MINUTES = 5
SNAPSHOT_LEVEL = "500m"
# QURUWA (乙川リバーフロント地区) with 東岡崎駅, lon/lat (west, south, east, north)
QURUWA_BOX = (137.1545, 34.9490, 137.1755, 34.9625)
IMAGE_SIZE = (1400, 1000)


def _jst(epoch: float) -> str:
    """The city OS clock as the demo project reads it (Asia/Tokyo: "2024-06-01 16:23 JST")."""
    return local_text(epoch, SHORT_FORMAT)


def _server(ctx: DemoContext):
    server = ctx.shared.get("sim")
    if server is None:
        from smartcity_qgis.cityos_sim.server import start_server

        server = start_server(host="127.0.0.1", port=0, scenario="okazaki")
        ctx.shared["sim"] = server
        ctx.on_close(server.stop)
    return server


def _crowd_layer(ctx: DemoContext):
    """The live-layers step's CrowdFlowObserved layer, or a freshly loaded one."""
    from smartcity_qgis.cityos_client import ConnectionConfig
    from smartcity_qgis.layers import load_entity_layer
    from smartcity_qgis.layers.cityos.connections import DEMO_CONNECTION_NAME

    config = ctx.shared.get("cityos_config")
    layer = (ctx.shared.get("cityos_layers") or {}).get("CrowdFlowObserved")
    if layer is None or config is None:
        server = _server(ctx)
        config = ConnectionConfig(url=server.url, flavor="ngsi-v2", tenant=TENANT)
        layer = load_entity_layer(config, "CrowdFlowObserved", connection_name=DEMO_CONNECTION_NAME)
        ctx.project.addMapLayer(layer)
    return layer, config


def _counter_points(layer):
    """Where the counters stand, with their names (no counts: those are what the heatmap protects)."""
    from qgis.core import (
        QgsFeature,
        QgsPalLayerSettings,
        QgsTextFormat,
        QgsVectorLayer,
        QgsVectorLayerSimpleLabeling,
    )
    from qgis.PyQt.QtGui import QColor, QFont

    from smartcity_qgis.i18n import tr

    points = QgsVectorLayer(f"Point?crs={layer.crs().authid()}&field=name:string", tr("People counters"), "memory")
    features = []
    for source in layer.getFeatures():
        feature = QgsFeature(points.fields())
        feature.setGeometry(source.geometry())
        feature.setAttributes([source["name"]])
        features.append(feature)
    points.dataProvider().addFeatures(features)
    points.renderer().symbol().setColor(QColor("#303030"))
    points.renderer().symbol().setSize(1.6)
    settings = QgsPalLayerSettings()
    settings.fieldName = "name"
    text = QgsTextFormat()
    text.setFont(QFont("Noto Sans CJK JP"))
    text.setSize(9)
    text.setColor(QColor("#202020"))
    buffer = text.buffer()
    buffer.setEnabled(True)
    buffer.setSize(1.0)
    buffer.setColor(QColor("#ffffff"))
    settings.setFormat(text)
    settings.dist = 1.5
    points.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    points.setLabelsEnabled(True)
    return points


def _figure(layers, path: Path, title: str, lines: list[str]) -> Path:
    from qgis.PyQt.QtCore import QRectF, Qt
    from qgis.PyQt.QtGui import QColor, QFont, QLinearGradient, QPainter

    from smartcity_qgis.i18n import tr
    from smartcity_qgis.layers.peopleflow.crowd_heatmap import render_map
    from smartcity_qgis.layers.peopleflow.heatmap_style import hot_ramp

    image = render_map(layers, QURUWA_BOX, IMAGE_SIZE)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont("Noto Sans CJK JP")
    font.setPixelSize(28)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#202020"))
    painter.drawText(QRectF(28, 18, IMAGE_SIZE[0] - 56, 40), Qt.AlignmentFlag.AlignLeft, title)
    font.setPixelSize(17)
    font.setBold(False)
    painter.setFont(font)
    for i, line in enumerate(lines):
        painter.drawText(QRectF(28, 66 + 26 * i, IMAGE_SIZE[0] - 56, 26), Qt.AlignmentFlag.AlignLeft, line)
    ramp = QLinearGradient(28, 0, 328, 0)
    hot = hot_ramp()
    for step in range(11):
        ramp.setColorAt(step / 10, hot.color(step / 10))
    bottom = IMAGE_SIZE[1] - 44
    painter.setPen(QColor("#808080"))
    painter.setBrush(ramp)
    painter.drawRect(QRectF(28, bottom, 300, 18))
    painter.setPen(QColor("#202020"))
    painter.drawText(QRectF(340, bottom - 4, 600, 26), Qt.AlignmentFlag.AlignLeft, tr("fewer people → more people"))
    painter.end()
    image.save(str(path), "PNG")
    return path


def _wait_for_counts(updater, seconds: float) -> int:
    """Let the live updater apply the city OS's new counts; the number of counts that changed."""
    from qgis.PyQt.QtCore import QCoreApplication

    changed: list[str] = []
    updater.value_changed.connect(lambda entity, attr, *_: changed.append(entity) if attr == "peopleCount" else None)
    deadline = time.monotonic() + seconds
    settle = None
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if changed and settle is None:
            settle = time.monotonic() + 1.5  # one more poll so that every counter is in
        if settle is not None and time.monotonic() > settle:
            break
        time.sleep(0.02)
    return len(set(changed))


def _write_gpkg(layer, path: Path, name: str) -> None:
    from qgis.core import QgsProject, QgsVectorFileWriter

    path.unlink(missing_ok=True)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    options.fileEncoding = "UTF-8"
    error, message = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, str(path), QgsProject.instance().transformContext(), options
    )[:2]
    if error != QgsVectorFileWriter.WriterError.NoError:
        raise OSError(f"could not write {path}: {message}")


def run(ctx: DemoContext) -> list[Path]:
    from qgis.core import QgsFeatureRequest, QgsRectangle

    from smartcity_qgis.i18n import tr
    from smartcity_qgis.layers.cityos.live import LiveLayerUpdater
    from smartcity_qgis.layers.peopleflow.crowd_heatmap import apply_crowd_heatmap, privacy_note, snapshot_layer_to_mesh

    server = _server(ctx)
    layer, config = _crowd_layer(ctx)
    heatmap = apply_crowd_heatmap(layer)
    counters = _counter_points(layer)
    note = privacy_note(heatmap.field, heatmap.k)
    title = tr("Live crowd heatmap over QURUWA ({0})")
    written: list[Path] = []

    def figure(name: str) -> Path:
        in_view = QgsFeatureRequest().setFilterRect(QgsRectangle(*QURUWA_BOX))
        counts = sorted((int(f[heatmap.field] or 0) for f in layer.getFeatures(in_view)), reverse=True)
        hidden = sum(1 for c in counts if 0 < c < heatmap.k)
        lines = [
            note,
            tr("City OS time {0}; {1} counters, {2} of them under {3} people and not drawn.").format(
                _jst(server.clock), len(counts), hidden, heatmap.k
            ),
        ]
        print(f"  {name}: counts {counts} ({hidden} under k={heatmap.k})")
        return _figure([counters, layer], ctx.output / name, title.format(_jst(server.clock)[11:]), lines)

    updater = LiveLayerUpdater(layer, config, mode="polling", interval=0.5)
    updater.start()
    try:
        _wait_for_counts(updater, 1.0)
        written.append(figure("crowd_heatmap_before.png"))
        server.advance(ADVANCE_MINUTES * 60)
        changed = _wait_for_counts(updater, 15.0)
        print(f"  live: {changed} counters changed after {ADVANCE_MINUTES} minutes of city OS time")
        written.append(figure("crowd_heatmap_after.png"))
    finally:
        updater.stop()
        updater.flush()

    snapshot = snapshot_layer_to_mesh(layer, SNAPSHOT_LEVEL, k=heatmap.k)
    path = ctx.output / "okazaki_crowd_mesh.gpkg"
    _write_gpkg(snapshot.layer, path, f"crowd_{SNAPSHOT_LEVEL}")
    print(
        f"  mesh snapshot: {snapshot.layer.featureCount()} cells of {SNAPSHOT_LEVEL} from {snapshot.counters} "
        f"counters, {snapshot.suppressed} cells under k={heatmap.k} suppressed"
    )
    ctx.shared["crowd_mesh"] = snapshot.layer
    written.append(path)
    return written
