"""Live crowd heatmap and mesh snapshot of people-counter layers, against the embedded city OS."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
from qgis.core import Qgis, QgsField, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer, QVariant
from qgis.PyQt.QtGui import QImage
from qgis.PyQt.QtWidgets import QApplication

from smartcity_qgis.analysis.mesh import mesh_code
from smartcity_qgis.cityos_client import ConnectionConfig
from smartcity_qgis.cityos_sim.okazaki import COUNTERS
from smartcity_qgis.cityos_sim.server import start_server
from smartcity_qgis.dialogs.peopleflow.ui_crowd import SnapshotDialog, add_mesh_snapshot, show_crowd_heatmap
from smartcity_qgis.layers import load_entity_layer
from smartcity_qgis.layers.cityos.live import LiveLayerUpdater
from smartcity_qgis.layers.peopleflow.crowd_heatmap import (
    SUPPRESSED_PROPERTY,
    apply_crowd_heatmap,
    count_field,
    is_crowd_layer,
    render_map,
    snapshot_layer_to_mesh,
)
from tests.qgis.entity_layer_helpers import wait_until

TENANT = "okazaki"
QURUWA = (137.155, 34.948, 137.175, 34.964)
OKAZAKI_STATION = "urn:ngsi-ld:CrowdFlowObserved:okazaki-okazaki-station"
# a box around 岡崎駅 alone (the nearest other counter is 3 km away)
STATION_BOX = (137.150, 34.919, 137.166, 34.932)


@pytest.fixture
def sim():
    server = start_server(scenario="okazaki", auto_advance=False)
    yield server
    server.stop()


@pytest.fixture
def crowd(qgis_app, sim):
    config = ConnectionConfig(url=sim.url, flavor="ngsi-v2", tenant=TENANT)
    layer = load_entity_layer(config, "CrowdFlowObserved")
    return layer, config


def counter_ids() -> list[str]:
    return [f"urn:ngsi-ld:CrowdFlowObserved:{TENANT}-{c[0]}" for c in COUNTERS[TENANT]]


def value_of(layer, entity_id: str):
    return next(f["peopleCount"] for f in layer.getFeatures() if f["entity_id"] == entity_id)


def coloured_pixels(image: QImage) -> int:
    """Pixels that are not the white background."""
    image = image.convertToFormat(QImage.Format_RGB32)
    bits = image.constBits()
    bits.setsize(image.height() * image.bytesPerLine())
    pixels = np.frombuffer(bits, dtype=np.uint32).reshape(image.height(), image.bytesPerLine() // 4)
    return int((pixels[:, : image.width()] & 0xFFFFFF != 0xFFFFFF).sum())


def image_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format_RGB32)
    bits = image.constBits()
    bits.setsize(image.height() * image.bytesPerLine())
    return np.frombuffer(bits, dtype=np.uint32).reshape(image.height(), -1).copy()


def coloured_pixels_of(array: np.ndarray) -> int:
    return int(((array & 0xFFFFFF) != 0xFFFFFF).sum())


def test_heatmap_is_weighted_by_the_count_and_says_what_it_hides(crowd):
    layer, _config = crowd
    assert is_crowd_layer(layer) and count_field(layer) == "peopleCount"
    heatmap = apply_crowd_heatmap(layer)
    renderer = layer.renderer()
    assert renderer.type() == "heatmapRenderer"
    assert "peopleCount" in renderer.weightExpression() and ">= 10" in renderer.weightExpression()
    assert heatmap.field == "peopleCount" and heatmap.k == 10
    assert "10" in layer.metadata().abstract() and "peopleCount" in layer.metadata().abstract()
    apply_crowd_heatmap(layer, k=25)  # re-applying replaces the note instead of adding a second one
    assert layer.metadata().abstract().count("peopleCount") == 1 and "25" in layer.metadata().abstract()
    with pytest.raises(ValueError):
        apply_crowd_heatmap(layer, k=1)  # switching the rule off needs an explicit choice
    apply_crowd_heatmap(layer, k=0, allow_disclosure=True)
    assert ">= " not in layer.renderer().weightExpression()


def test_rendered_heatmap_follows_a_live_update(crowd, sim):
    layer, config = crowd
    for entity_id in counter_ids():
        sim.update_entity(entity_id, {"peopleCount": 200}, tenant=TENANT)
    apply_crowd_heatmap(layer)
    updater = LiveLayerUpdater(layer, config, mode="polling", interval=0.3)
    repaints = []
    layer.repaintRequested.connect(lambda *_: repaints.append(1))
    updater.start()
    try:
        target = "urn:ngsi-ld:CrowdFlowObserved:okazaki-quruwa-kagoda-park"
        wait_until(lambda: value_of(layer, target) == 200)
        before = image_array(render_map([layer], QURUWA, (400, 320)))
        repaints.clear()
        sim.update_entity(target, {"peopleCount": 3000}, tenant=TENANT)
        wait_until(lambda: value_of(layer, target) == 3000)
        wait_until(lambda: repaints)  # the live updater asks the canvas to redraw
        after = image_array(render_map([layer], QURUWA, (400, 320)))
    finally:
        updater.stop()
    assert coloured_pixels_of(before) > 0
    changed = (before != after).sum()
    assert changed > 500, changed
    # the crowd at 籠田公園 (north-east of the box) is now the hottest spot: deep red pixels appear there
    red = ((after >> 16) & 0xFF > 150) & ((after >> 8) & 0xFF < 60) & (after & 0xFF < 80)
    rows, cols = np.nonzero(red)
    assert rows.size and cols.mean() > 200 and rows.mean() < 160


def is_null(value) -> bool:
    return value is None or (isinstance(value, QVariant) and value.isNull())


@pytest.mark.parametrize("value", [0, 9, None])
def test_counters_below_k_are_not_drawn(crowd, sim, value):
    _layer, config = crowd
    sim.update_entity(OKAZAKI_STATION, {"peopleCount": 10}, tenant=TENANT)
    layer = load_entity_layer(config, "CrowdFlowObserved")
    apply_crowd_heatmap(layer)
    assert coloured_pixels(render_map([layer], STATION_BOX, (200, 160))) > 100  # 10 people: drawn
    sim.update_entity(OKAZAKI_STATION, {"peopleCount": value}, tenant=TENANT)
    layer = load_entity_layer(config, "CrowdFlowObserved")
    count = value_of(layer, OKAZAKI_STATION)
    assert is_null(count) if value is None else count == value
    apply_crowd_heatmap(layer)
    assert coloured_pixels(render_map([layer], STATION_BOX, (200, 160))) == 0


def expected_cells(counts: dict[str, int], level: str) -> dict[str, float]:
    sums: dict[str, float] = defaultdict(float)
    for cid, _name, lon, lat, _peak, _profile in COUNTERS[TENANT]:
        code = int(mesh_code(lat, lon, level))
        sums[str(code)] += counts[f"urn:ngsi-ld:CrowdFlowObserved:{TENANT}-{cid}"]
    return dict(sums)


@pytest.mark.parametrize("level", ["1km", "500m", "250m", "100m"])
def test_snapshot_to_mesh_sums_counts_and_suppresses_small_cells(crowd, sim, level, qgis_iface, qgis_new_project):
    _layer, config = crowd
    ids = counter_ids()
    counts = {entity_id: 4 + 3 * i for i, entity_id in enumerate(ids)}  # 4, 7, 10, ... 25
    for entity_id, count in counts.items():
        sim.update_entity(entity_id, {"peopleCount": count}, tenant=TENANT)
    layer = load_entity_layer(config, "CrowdFlowObserved")
    cells = expected_cells(counts, level)
    published = {code: total for code, total in cells.items() if total >= 10}
    hidden = len(cells) - len(published)

    bar = qgis_iface.messageBar()
    bar.clear_messages()
    snapshot = add_mesh_snapshot(layer, qgis_iface, level)
    assert snapshot is not None
    out = snapshot.layer
    assert QgsProject.instance().mapLayer(out.id()) is out
    got = {f["mesh_code"]: f["sum"] for f in out.getFeatures()}
    assert got == pytest.approx(published)
    assert all(f["level"] == level for f in out.getFeatures())
    kept_counters = sum(
        1 for _id, _name, lon, lat, *_ in COUNTERS[TENANT] if str(int(mesh_code(lat, lon, level))) in published
    )
    assert sum(f["count"] for f in out.getFeatures()) == kept_counters
    assert snapshot.suppressed == hidden and out.customProperty(SUPPRESSED_PROPERTY) == hidden
    messages = bar.get_messages(Qgis.Info) + bar.get_messages(Qgis.Success)
    assert any(f"{hidden} cells with fewer than 10" in m for m in messages), messages
    assert f"{hidden} cells with fewer than 10" in out.metadata().abstract()
    if out.featureCount():
        assert out.renderer().type() == "graduatedSymbol"


def test_snapshot_with_every_cell_too_small_publishes_nothing(crowd, sim, qgis_iface):
    _layer, config = crowd
    for entity_id in counter_ids():
        sim.update_entity(entity_id, {"peopleCount": 1}, tenant=TENANT)
    sim.update_entity(OKAZAKI_STATION, {"peopleCount": None}, tenant=TENANT)
    layer = load_entity_layer(config, "CrowdFlowObserved")
    snapshot = snapshot_layer_to_mesh(layer, "1km")
    assert snapshot.layer.featureCount() == 0
    assert snapshot.suppressed >= 1 and snapshot.without_count == 1
    with pytest.raises(ValueError):
        snapshot_layer_to_mesh(layer, "80km")
    bar = qgis_iface.messageBar()
    bar.clear_messages()
    assert add_mesh_snapshot(layer, qgis_iface, "80km") is None
    assert any("80km" in m for m in bar.get_messages(Qgis.Warning))


def test_count_attribute_is_found_by_name():
    def layer_with(*fields):
        layer = QgsVectorLayer("Point?crs=EPSG:4326", "x", "memory")
        layer.dataProvider().addAttributes([QgsField(name, kind) for name, kind in fields])
        layer.updateFields()
        return layer

    text, number = QVariant.String, QVariant.Double
    assert count_field(layer_with(("name", text), ("peopleCount", number))) == "peopleCount"
    assert count_field(layer_with(("vehicleCount", number), ("visitorCount", number))) == "visitorCount"
    assert count_field(layer_with(("bikeCount", number), ("count", number))) == "count"
    assert count_field(layer_with(("availableSpotNumber", number), ("temperature", number))) is None
    assert count_field(layer_with(("peopleCountName", text))) is None  # text is not a count
    plain = layer_with(("peopleCount", number))
    assert not is_crowd_layer(plain), "a plain layer is not a city OS layer"


def test_actions_only_for_people_counter_layers(plugin_module, qgis_iface, qgis_new_project, crowd, sim):
    layer, config = crowd
    water = load_entity_layer(config, "WaterObserved")
    plain = QgsVectorLayer("Point?crs=EPSG:4326&field=peopleCount:integer", "plain", "memory")
    qgis_iface.addCustomActionForLayer.reset_mock()
    plugin = plugin_module.classFactory(qgis_iface)
    plugin.initGui()
    try:
        QgsProject.instance().addMapLayers([layer, water, plain])
        names_by_layer = defaultdict(set)
        for call in qgis_iface.addCustomActionForLayer.call_args_list:
            action, target = call.args
            names_by_layer[target.id()].add(action.objectName())
        assert {"SmartCityCrowdHeatmapLayer", "SmartCityCrowdSnapshotLayer"} <= names_by_layer[layer.id()]
        for other in (water, plain):
            assert not {n for n in names_by_layer[other.id()] if "Crowd" in n}, other.name()

        menu_action = next(a for a in plugin.ui.actions if a.objectName() == "SmartCityCrowdHeatmap")
        bar = qgis_iface.messageBar()
        bar.clear_messages()
        qgis_iface.setActiveLayer(water)
        menu_action.trigger()
        assert bar.get_messages(Qgis.Warning) and water.renderer().type() != "heatmapRenderer"
        qgis_iface.setActiveLayer(layer)
        menu_action.trigger()
        assert layer.renderer().type() == "heatmapRenderer"
        assert any("10" in m for m in bar.get_messages(Qgis.Success))

        # the layer menu's "Snapshot to mesh…": the dialog opens on 500 m; choose 1 km and accept
        seen = []

        def choose_1km() -> None:
            dialog = QApplication.activeModalWidget()
            seen.append(dialog)
            if isinstance(dialog, SnapshotDialog):
                dialog.level_combo.setCurrentIndex(dialog.level_combo.findData("1km"))
                dialog.accept()
            elif dialog is not None:
                dialog.reject()

        snapshot_action = next(a for a in plugin.ui._layer_actions if a.objectName() == "SmartCityCrowdSnapshotLayer")
        before = set(QgsProject.instance().mapLayers())
        QTimer.singleShot(0, choose_1km)
        snapshot_action.trigger()
        assert len(seen) == 1 and isinstance(seen[0], SnapshotDialog)
        (added,) = [QgsProject.instance().mapLayer(i) for i in set(QgsProject.instance().mapLayers()) - before]
        assert {f["level"] for f in added.getFeatures()} == {"1km"}
    finally:
        plugin.unload()
    assert show_crowd_heatmap(None, qgis_iface) is None


def test_snapshot_dialog_offers_the_mesh_levels(crowd):
    layer, _config = crowd
    dialog = SnapshotDialog(layer)
    levels = [dialog.level_combo.itemData(i) for i in range(dialog.level_combo.count())]
    assert levels == ["1km", "500m", "250m", "100m"]
    assert dialog.level() == "500m" and dialog.k() == 10
    dialog.k_spin.setValue(1)
    assert dialog.k() == 2, "the dialog cannot switch the privacy rule off"


def test_demo_step_renders_the_live_heatmap_and_writes_a_k_anonymous_mesh(qgis_app, qgis_new_project, sim, tmp_path):
    from qgis.core import QgsVectorLayer

    from smartcity_qgis.demo import step_35_crowd
    from smartcity_qgis.demo.context import DemoContext

    quruwa = [i for i in counter_ids() if "quruwa" in i]
    for i, entity_id in enumerate(counter_ids()):
        sim.update_entity(entity_id, {"peopleCount": 5 if entity_id in quruwa[:2] else 40 + 10 * i}, tenant=TENANT)
    ctx = DemoContext(output=tmp_path, project=QgsProject.instance(), shared={"sim": sim})
    try:
        paths = step_35_crowd.run(ctx)
    finally:
        ctx.close()
    names = sorted(p.name for p in paths)
    assert names == ["crowd_heatmap_after.png", "crowd_heatmap_before.png", "okazaki_crowd_mesh.gpkg"]
    for name in ("crowd_heatmap_before.png", "crowd_heatmap_after.png"):
        image = QImage(str(tmp_path / name))
        assert image.width() == 1400 and coloured_pixels(image) > 10_000
    before = image_array(QImage(str(tmp_path / "crowd_heatmap_before.png")))
    after = image_array(QImage(str(tmp_path / "crowd_heatmap_after.png")))
    map_rows = slice(140, 940)  # below the title lines, above the colour ramp
    assert (before[map_rows] != after[map_rows]).sum() > 1000, "the clock moved on and the live heatmap followed"
    mesh = QgsVectorLayer(str(tmp_path / "okazaki_crowd_mesh.gpkg"), "mesh", "ogr")
    sums = [f["sum"] for f in mesh.getFeatures()]
    assert sums and min(sums) >= 10
