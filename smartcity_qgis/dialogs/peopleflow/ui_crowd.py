"""Crowd heatmap and "snapshot to mesh" for people-counter layers: layer tree and SmartCity menu."""

from __future__ import annotations

import contextlib

from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.PyQt.QtWidgets import QAction, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox

from smartcity_qgis.analysis.privacy import DEFAULT_K
from smartcity_qgis.dialogs.plugin_ui import PluginUI, icon, vector_layer_type
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.peopleflow.crowd_heatmap import (
    DEFAULT_SNAPSHOT_LEVEL,
    K_PROPERTY,
    SNAPSHOT_LEVELS,
    CrowdHeatmap,
    MeshSnapshot,
    apply_crowd_heatmap,
    count_field,
    is_crowd_layer,
    snapshot_layer_to_mesh,
)


def _refuse(iface, title: str, layer) -> None:
    if isinstance(layer, QgsVectorLayer) and count_field(layer) is None and layer.isValid():
        text = tr("The layer {0} has no attribute with a count of people.").format(layer.name())
    else:
        text = tr("Choose a city OS point layer of people counters (for example CrowdFlowObserved).")
    iface.messageBar().pushMessage(title, text, Qgis.MessageLevel.Warning, 8)


def show_crowd_heatmap(layer, iface, k: int = DEFAULT_K) -> CrowdHeatmap | None:
    """Style ``layer`` as a live crowd heatmap; say what happened in the message bar."""
    title = tr("Crowd heatmap")
    if not is_crowd_layer(layer):
        _refuse(iface, title, layer)
        return None
    try:
        heatmap = apply_crowd_heatmap(layer, k=k)
    except ValueError as exc:
        iface.messageBar().pushMessage(title, str(exc), Qgis.MessageLevel.Warning, 8)
        return None
    iface.messageBar().pushMessage(
        title,
        tr("{0} is drawn as a heatmap of {1}; counters with fewer than {2} people are not drawn.").format(
            layer.name(), heatmap.field, heatmap.k
        ),
        Qgis.MessageLevel.Success,
        6,
    )
    return heatmap


def add_mesh_snapshot(
    layer, iface, level: str, k: int = DEFAULT_K, project: QgsProject | None = None
) -> MeshSnapshot | None:
    """Add a mesh layer of the current counts of ``layer``; report suppressed cells in the message bar."""
    title = tr("Snapshot to mesh")
    if not is_crowd_layer(layer):
        _refuse(iface, title, layer)
        return None
    try:
        snapshot = snapshot_layer_to_mesh(layer, level, k=k)
    except ValueError as exc:
        iface.messageBar().pushMessage(title, str(exc), Qgis.MessageLevel.Warning, 8)
        return None
    (project or QgsProject.instance()).addMapLayer(snapshot.layer)
    cells = snapshot.layer.featureCount()
    text = tr("{0} cells of {1} from {2} counters; {3} cells with fewer than {4} people were suppressed.").format(
        cells, level, snapshot.counters, snapshot.suppressed, snapshot.aggregate.k
    )
    if snapshot.without_count:
        text += " " + tr("{0} counters without a count were left out.").format(snapshot.without_count)
    level_kind = Qgis.MessageLevel.Info if snapshot.suppressed or snapshot.without_count else Qgis.MessageLevel.Success
    iface.messageBar().pushMessage(title, text, level_kind, 10)
    return snapshot


class SnapshotDialog(QDialog):
    """Mesh level and privacy threshold of a snapshot."""

    def __init__(self, layer: QgsVectorLayer, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("SmartCitySnapshotDialog")
        self.setWindowTitle(tr("Snapshot to mesh"))
        form = QFormLayout(self)
        form.addRow(QLabel(tr("Sum the current counts of {0} per mesh cell.").format(layer.name())))
        self.level_combo = QComboBox(self)
        for level in SNAPSHOT_LEVELS:
            self.level_combo.addItem(level, level)
        self.level_combo.setCurrentIndex(SNAPSHOT_LEVELS.index(DEFAULT_SNAPSHOT_LEVEL))
        form.addRow(tr("Mesh level"), self.level_combo)
        self.k_spin = QSpinBox(self)
        self.k_spin.setRange(2, 100000)  # switching the rule off is not offered here
        self.k_spin.setValue(int(layer.customProperty(K_PROPERTY, DEFAULT_K) or DEFAULT_K))
        self.k_spin.setToolTip(tr("Cells with fewer people than this are not included (k-anonymity)."))
        form.addRow(tr("Smallest published cell (people)"), self.k_spin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def level(self) -> str:
        return self.level_combo.currentData()

    def k(self) -> int:
        return self.k_spin.value()


class CrowdUI:
    """Layer-tree actions on people-counter layers and SmartCity menu entries on the active layer."""

    def __init__(self, ui: PluginUI) -> None:
        self.iface = ui.iface
        window = self.iface.mainWindow()
        self.layer_actions: list[QAction] = []
        for text, slot, name in (
            (tr("Crowd heatmap"), self.heatmap_active, "SmartCityCrowdHeatmapLayer"),
            (tr("Snapshot to mesh…"), self.snapshot_active, "SmartCityCrowdSnapshotLayer"),
        ):
            action = QAction(icon("crowd.svg"), text, window)
            action.setObjectName(name)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            ui.add_layer_action(action, vector_layer_type(), all_layers=False)
            self.layer_actions.append(action)
        ui.add_action(tr("Crowd heatmap of the active layer"), self.heatmap_active, icon_name="crowd.svg",
                      object_name="SmartCityCrowdHeatmap")  # fmt: skip
        ui.add_action(tr("Snapshot crowd counts to mesh…"), self.snapshot_active, icon_name="crowd.svg",
                      object_name="SmartCityCrowdSnapshot")  # fmt: skip
        project = QgsProject.instance()
        project.layersAdded.connect(self.attach_layers)
        self.attach_layers(list(project.mapLayers().values()))
        ui.on_unload(self.unload)

    def attach_layers(self, layers) -> None:
        """Offer the crowd actions in the context menu of each people-counter layer among ``layers``."""
        for layer in layers:
            if is_crowd_layer(layer):
                for action in self.layer_actions:
                    self.iface.addCustomActionForLayer(action, layer)

    def heatmap_active(self) -> None:
        show_crowd_heatmap(self.iface.activeLayer(), self.iface)

    def snapshot_active(self) -> None:
        layer = self.iface.activeLayer()
        if not is_crowd_layer(layer):
            _refuse(self.iface, tr("Snapshot to mesh"), layer)
            return
        dialog = SnapshotDialog(layer, self.iface.mainWindow())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            add_mesh_snapshot(layer, self.iface, dialog.level(), dialog.k())

    def unload(self) -> None:
        with contextlib.suppress(TypeError):
            QgsProject.instance().layersAdded.disconnect(self.attach_layers)


def contribute(ui: PluginUI) -> None:
    CrowdUI(ui)
