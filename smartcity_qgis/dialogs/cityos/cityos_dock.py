"""The City OS dock: browse connections and entity types, add layers, switch live mode.

Nothing here waits on the network: listing types, loading layers and loading history run
as QgsTasks in QGIS's task manager; their results arrive through signals.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

from qgis.core import (
    QgsApplication,
    QgsProject,
    QgsReferencedRectangle,
    QgsVectorLayer,
)
from qgis.gui import QgsDockWidget, QgsFilterLineEdit
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smartcity_qgis.dialogs.cityos.cityos_tree import (
    ROLE_CONNECTION,
    ROLE_KIND,
    ROLE_TYPE,
    TYPE,
    CityOSTree,
)
from smartcity_qgis.dialogs.cityos.live_controls import OFF, LiveController, source_key
from smartcity_qgis.dialogs.cityos.load_notice import show_load_notice
from smartcity_qgis.dialogs.plugin_ui import icon
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos import connection_status
from smartcity_qgis.layers.cityos.connection_config import known_flavor, to_client_config
from smartcity_qgis.layers.cityos.connection_probe import ConnectionProbeTask, ProbeResult
from smartcity_qgis.layers.cityos.connections import ConnectionRecordError, ConnectionStore
from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta, is_entity_layer
from smartcity_qgis.layers.cityos.entity_loader import EntityLoadTask, LoadResult, find_entity_layers, to_bbox
from smartcity_qgis.layers.cityos.history_layer import HistoryLoadTask
from smartcity_qgis.layers.cityos.live import CONNECTING, HTTP, LIVE, MQTT, POLLING, RECONNECTING, WAITING
from smartcity_qgis.layers.cityos.map_tips import apply_map_tip

CITYOS_DOCK_OBJECT_NAME = "SmartCityCityOSDock"
HISTORY_MAX_ENTITIES = 50


def live_state_text(state: str, detail: str = "") -> str:
    """A live updater's state for the dock, in the user's language."""
    if state == LIVE:
        return tr("Live: changes appear on the map as they arrive.")
    if state == CONNECTING:
        return tr("connecting…")
    if state == WAITING:
        return detail or tr("Waiting for the broker's first notification.")
    if state == RECONNECTING:
        return tr("Reconnecting; the layer keeps its last data: {0}").format(detail)
    if detail:
        return tr("Not live: {0}").format(detail)
    return tr("Not live")


class CityOSDock(QgsDockWidget):
    """Connections → entity types; double-click or drag a type onto the map to add its layer."""

    layers_loaded = pyqtSignal(object)  # LoadResult, after its layers were added to the project
    load_failed = pyqtSignal(str, str)  # entity type, message
    history_loaded = pyqtSignal(object)  # QgsVectorLayer
    types_listed = pyqtSignal(str)  # connection name

    def __init__(
        self,
        iface,
        store: ConnectionStore | None = None,
        live: LiveController | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("City OS"), parent)
        self.setObjectName(CITYOS_DOCK_OBJECT_NAME)
        self.setWindowIcon(icon("cityos.svg"))
        self.iface = iface
        self.store = store or ConnectionStore()
        self.live = live or LiveController(parent=self)
        self.results: dict[str, ProbeResult] = {}
        self.last_details = None
        self.on_layer_added = None  # callback(layer) set by the plugin wiring (context-menu actions)
        self._tasks: list = []
        self._build()
        board = connection_status.status_board()
        board.changed.connect(self._state_changed)
        self.refresh_connections()

    # -- building -----------------------------------------------------------------------
    def _build(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        bar = QHBoxLayout()
        self.filter_edit = QgsFilterLineEdit(body)
        self.filter_edit.setObjectName("filter")
        self.filter_edit.setPlaceholderText(tr("Filter types and attributes"))
        self.filter_edit.textChanged.connect(lambda text: self.tree.apply_filter(text))
        bar.addWidget(self.filter_edit, 1)
        for name, tip, slot, icon_name in (
            ("refresh", tr("Refresh the entity types"), self.refresh_all, "refresh.svg"),
            ("manage", tr("Manage connections…"), self.manage_connections, "cityos.svg"),
        ):
            button = QToolButton(body)
            button.setObjectName(name)
            button.setToolTip(tip)
            button.setIcon(icon(icon_name))
            button.clicked.connect(lambda _c=False, s=slot: s())
            bar.addWidget(button)
        layout.addLayout(bar)

        self.tree = CityOSTree(body)
        self.tree.itemExpanded.connect(self._expanded)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.tree, 1)

        self.extent_check = QCheckBox(tr("Only the current map extent"), body)
        self.extent_check.setObjectName("only_extent")
        layout.addWidget(self.extent_check)
        self.attrs_check = QCheckBox(tr("Only the ticked attributes"), body)
        self.attrs_check.setObjectName("only_ticked")
        layout.addWidget(self.attrs_check)
        self.add_button = QPushButton(tr("Add layer"), body)
        self.add_button.setObjectName("add_layer")
        self.add_button.clicked.connect(self.add_selected)
        layout.addWidget(self.add_button)

        live = QGroupBox(tr("Live mode of the current layer"), body)
        live_box = QVBoxLayout(live)
        live_layout = QHBoxLayout()
        live_box.addLayout(live_layout)
        self.mode_combo = QComboBox(live)
        self.mode_combo.setObjectName("live_mode")
        for label, value in (
            (tr("Off"), OFF),
            (tr("Polling"), POLLING),
            (tr("MQTT push"), MQTT),
            (tr("HTTP push"), HTTP),
        ):
            self.mode_combo.addItem(label, value)
        live_layout.addWidget(self.mode_combo)
        self.interval_spin = QDoubleSpinBox(live)
        self.interval_spin.setObjectName("live_interval")
        self.interval_spin.setRange(1, 3600)
        self.interval_spin.setDecimals(0)
        self.interval_spin.setValue(10)
        self.interval_spin.setSuffix(tr(" s"))
        self.interval_spin.setToolTip(tr("Polling interval (push modes also catch up at this interval)"))
        live_layout.addWidget(self.interval_spin)
        self.live_button = QPushButton(tr("Apply"), live)
        self.live_button.setObjectName("live_apply")
        self.live_button.clicked.connect(self.apply_live_mode)
        live_layout.addWidget(self.live_button)
        self.live_state_label = QLabel(tr("Not live"), live)
        self.live_state_label.setObjectName("live_state")
        self.live_state_label.setWordWrap(True)
        self.live_state_label.setTextFormat(Qt.TextFormat.PlainText)
        live_box.addWidget(self.live_state_label)
        self.live.state_changed.connect(self._live_state_changed)
        layout.addWidget(live)

        history = QGroupBox(tr("History"), body)
        history_layout = QHBoxLayout(history)
        history_layout.addWidget(QLabel(tr("Last"), history))
        self.history_hours = QSpinBox(history)
        self.history_hours.setObjectName("history_hours")
        self.history_hours.setRange(1, 24 * 90)
        self.history_hours.setValue(24)
        self.history_hours.setSuffix(tr(" h"))
        history_layout.addWidget(self.history_hours)
        self.history_button = QPushButton(tr("Load history as layer"), history)
        self.history_button.setObjectName("load_history")
        self.history_button.setToolTip(
            tr("Observations of the selected features (numeric attributes) as a layer for the Temporal Controller")
        )
        self.history_button.clicked.connect(lambda: self.load_history_of_layer(self._current_layer()))
        history_layout.addWidget(self.history_button)
        layout.addWidget(history)

        self.status_label = QLabel(body)
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status_label)
        self.setWidget(body)
        current = getattr(self.iface, "currentLayerChanged", None)
        if current is not None and hasattr(current, "connect"):
            current.connect(lambda _layer: self.sync_live_controls())
        self._update_buttons()

    # -- connections ----------------------------------------------------------------------
    def refresh_connections(self) -> None:
        """Re-read the saved connections into the tree."""
        names = self.store.names()
        self.tree.set_connections(names)
        board = connection_status.status_board()
        for name in names:
            self.tree.set_state(name, board.state(name))
            if name in self.results:
                self.tree.set_types(name, self.results[name].types)
        for name in list(self.results):
            if name not in names:
                del self.results[name]

    def refresh_all(self) -> None:
        for name in self.store.names():
            item = self.tree.connection_item(name)
            if name in self.results or (item is not None and item.isExpanded()):
                self.list_types(name)

    def manage_connections(self) -> None:
        from smartcity_qgis.dialogs.cityos.connection_manager import ConnectionManagerDialog

        dialog = ConnectionManagerDialog(self.store, self.iface.mainWindow(), canvas=self.iface.mapCanvas())
        dialog.connections_changed.connect(self.refresh_connections)
        dialog.exec()
        self.refresh_connections()

    def list_types(self, name: str) -> ConnectionProbeTask | None:
        """Ask connection ``name`` for its entity types, in a task."""
        try:
            conn = self.store.get(name)
        except ConnectionRecordError as exc:
            self.tree.set_message(name, str(exc))
            return None
        if conn is None:
            return None
        task = ConnectionProbeTask(conn)
        task.probed.connect(self._probed)
        task.failed.connect(self._probe_failed)
        self._start(task)
        return task

    def _probed(self, result: ProbeResult) -> None:
        self.results[result.connection] = result
        self.tree.set_types(result.connection, result.types)
        self.tree.apply_filter(self.filter_edit.text())
        self.status_label.setText(f"{result.connection}: {result.summary()}")
        self.types_listed.emit(result.connection)

    def _probe_failed(self, name: str, message: str) -> None:
        self.tree.set_message(name, message)
        self.status_label.setText(tr("{0}: not connected: {1}").format(name, message))

    def _state_changed(self, name: str) -> None:
        self.tree.set_state(name, connection_status.status_board().state(name))

    def _expanded(self, item) -> None:
        if item.data(0, ROLE_KIND) == "connection":
            name = item.data(0, ROLE_CONNECTION)
            if name not in self.results:
                self.list_types(name)

    # -- adding layers ------------------------------------------------------------------------
    def _double_clicked(self, item, _column: int) -> None:
        if item.data(0, ROLE_KIND) == TYPE:
            self.add_type_layer(item.data(0, ROLE_CONNECTION), item.data(0, ROLE_TYPE))

    def add_selected(self) -> list[EntityLoadTask]:
        tasks = []
        for item in self.tree.selectedItems():
            if item.data(0, ROLE_KIND) == TYPE:
                task = self.add_type_layer(item.data(0, ROLE_CONNECTION), item.data(0, ROLE_TYPE))
                if task is not None:
                    tasks.append(task)
        return tasks

    def add_type_layer(
        self,
        connection: str,
        entity_type: str,
        attrs: list[str] | None = None,
        extent=None,
    ) -> EntityLoadTask | None:
        """Load ``entity_type`` of ``connection`` as a layer, in a task; None if it cannot start."""
        probed = self.results.get(connection)
        try:
            conn = self.store.get(connection)
            if conn is None:
                self._tell(tr("There is no connection called {0}.").format(connection), error=True)
                return None
            config = to_client_config(conn, flavor=probed.flavor if probed else known_flavor(conn))
        except ConnectionRecordError as exc:
            self._tell(str(exc), error=True)
            return None
        if extent is None and self.extent_check.isChecked():
            extent = self.canvas_bbox()
        if attrs is None and self.attrs_check.isChecked():
            attrs = self.tree.chosen_attributes(connection, entity_type)
        existing = {}
        if extent is None and attrs is None:
            # The same source already on the map, loaded in full: refresh it in place, do not duplicate.
            existing = {
                kind: layer
                for kind, layer in find_entity_layers(
                    QgsProject.instance(), connection, entity_type, conn.service_path, conn.tenant
                ).items()
                if not (LayerMeta.from_layer(layer).bbox() or LayerMeta.from_layer(layer).attrs())
            }
        try:
            task = EntityLoadTask(
                config, entity_type, extent, attrs, connection_name=connection, apply_to=existing or None
            )
        except ValueError as exc:
            self._tell(str(exc), error=True)
            return None
        task.loaded.connect(self._loaded)
        task.failed.connect(lambda message, t=entity_type: self._load_failed(t, message))
        self._start(task)
        self.status_label.setText(tr("Loading {0} from {1}…").format(entity_type, connection))
        return task

    def canvas_bbox(self) -> tuple[float, float, float, float] | None:
        """The map canvas extent in lon/lat, clipped to the globe (a zoomed-out map spans more)."""
        canvas = self.iface.mapCanvas()
        box = to_bbox(QgsReferencedRectangle(canvas.extent(), canvas.mapSettings().destinationCrs()))
        if box is None:
            return None
        west, south = max(-180.0, box[0]), max(-90.0, box[1])
        east, north = min(180.0, box[2]), min(90.0, box[3])
        return (west, south, east, north) if west < east and south < north else None

    def _loaded(self, result: LoadResult) -> None:
        project = QgsProject.instance()
        layers = [layer for layer in result.layers.values() if project.mapLayer(layer.id()) is None]
        for layer in layers:
            apply_map_tip(layer)
        project.addMapLayers(layers)
        for layer in layers:
            if self.on_layer_added is not None:
                self.on_layer_added(layer)
        if result.main_layer is not None and hasattr(self.iface, "setActiveLayer"):
            self.iface.setActiveLayer(result.main_layer)
        self.last_details = show_load_notice(self.iface.messageBar(), result, self.iface.mainWindow())
        self.status_label.setText(result.summary())
        self.layers_loaded.emit(result)

    def _load_failed(self, entity_type: str, message: str) -> None:
        self._tell(tr("{0} could not be loaded: {1}").format(entity_type, message), error=True)
        self.load_failed.emit(entity_type, message)

    # -- live mode ----------------------------------------------------------------------------
    def _current_layer(self) -> QgsVectorLayer | None:
        layer = self.iface.activeLayer() if hasattr(self.iface, "activeLayer") else None
        return layer if isinstance(layer, QgsVectorLayer) and is_entity_layer(layer) else None

    def sync_live_controls(self) -> None:
        """Show the live mode of the current layer in the dock."""
        layer = self._current_layer()
        self._update_buttons()
        if layer is None:
            self.live_state_label.setText(tr("Not live"))
            return
        mode, interval = self.live.mode_of(layer)
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(mode)))
        self.interval_spin.setValue(interval)
        updater = self.live.updater_for(layer)
        running = updater is not None and updater.is_running()
        self.live_state_label.setText(live_state_text(updater.state, updater.last_error) if running else tr("Not live"))

    def _live_state_changed(self, key: str, state: str, detail: str) -> None:
        layer = self._current_layer()
        if layer is not None and source_key(layer) == key:
            self.live_state_label.setText(live_state_text(state, detail))

    def apply_live_mode(self) -> None:
        layer = self._current_layer()
        if layer is None:
            self._tell(tr("Select a city OS layer first."), error=True)
            return
        self.set_live_mode(layer, self.mode_combo.currentData(), self.interval_spin.value())

    def set_live_mode(self, layer: QgsVectorLayer, mode: str, interval: float = 10.0):
        """Switch live mode of ``layer``; returns the updater (None when switched off or on error)."""
        try:
            updater = self.live.set_mode(layer, mode, interval)
        except (ValueError, ConnectionRecordError) as exc:
            self._tell(str(exc), error=True)
            return None
        index = self.mode_combo.findData(mode)
        if index >= 0:
            self.mode_combo.setCurrentIndex(index)
        self.interval_spin.setValue(interval)
        if layer is self._current_layer():
            self.live_state_label.setText(live_state_text(updater.state, "") if updater else tr("Not live"))
        if mode == OFF:
            self.status_label.setText(tr("Live mode is off for {0}.").format(layer.name()))
        else:
            self.status_label.setText(tr("Live mode {0} for {1}.").format(self.mode_combo.currentText(), layer.name()))
        return updater

    # -- history ------------------------------------------------------------------------------
    def load_history_of_layer(
        self, layer: QgsVectorLayer | None, attrs: list[str] | None = None, hours: int | None = None
    ) -> HistoryLoadTask | None:
        """Load the history of the selected features of ``layer`` (all if none is selected) as a layer."""
        if layer is None or not is_entity_layer(layer):
            self._tell(tr("Select a city OS layer first."), error=True)
            return None
        meta = LayerMeta.from_layer(layer)
        features = list(layer.getSelectedFeatures()) or list(layer.getFeatures())
        features = features[:HISTORY_MAX_ENTITIES]
        ids = [f["entity_id"] for f in features if f["entity_id"]]
        if attrs is None:
            from smartcity_qgis.dialogs.cityos.chart_dock import numeric_attributes

            attrs = numeric_attributes(layer)
        if not ids or not attrs:
            self._tell(tr("The layer has no entities or no numeric attributes."), error=True)
            return None
        try:
            from smartcity_qgis.layers.cityos.snapshot import resolve_config

            config = resolve_config(meta)
        except (ValueError, ConnectionRecordError) as exc:
            self._tell(str(exc), error=True)
            return None
        start = datetime.now(UTC) - timedelta(hours=hours or self.history_hours.value())
        locations = {f["entity_id"]: f.geometry() for f in features if f.hasGeometry()}
        task = HistoryLoadTask(config, ids, attrs, start=start, locations=locations)
        task.loaded.connect(self._history_loaded)
        task.failed.connect(
            lambda message: self._tell(tr("History could not be loaded: {0}").format(message), error=True)
        )
        self._start(task)
        return task

    def _history_loaded(self, layer: QgsVectorLayer) -> None:
        QgsProject.instance().addMapLayer(layer)
        self._tell(
            tr("History layer {0}: {1} observations. Open the Temporal Controller to animate it.").format(
                layer.name(), layer.featureCount()
            )
        )
        self.history_loaded.emit(layer)

    # -- helpers ------------------------------------------------------------------------------
    def _start(self, task) -> None:
        self._tasks.append(task)
        task.taskCompleted.connect(lambda t=task: self._forget(t))
        task.taskTerminated.connect(lambda t=task: self._forget(t))
        QgsApplication.taskManager().addTask(task)

    def _forget(self, task) -> None:
        if task in self._tasks:
            self._tasks.remove(task)

    def _update_buttons(self) -> None:
        item = self.tree.currentItem()
        self.add_button.setEnabled(item is not None and item.data(0, ROLE_KIND) == TYPE)
        has_layer = self._current_layer() is not None
        self.live_button.setEnabled(has_layer)
        self.history_button.setEnabled(has_layer)

    def _tell(self, message: str, error: bool = False) -> None:
        from qgis.core import Qgis

        self.status_label.setText(message)
        self.iface.messageBar().pushMessage(
            tr("City OS"), message, Qgis.MessageLevel.Warning if error else Qgis.MessageLevel.Info, 8
        )

    def shutdown(self) -> None:
        """Stop live updaters and cancel running tasks (plugin unload)."""
        with contextlib.suppress(TypeError):
            connection_status.status_board().changed.disconnect(self._state_changed)
        self.live.detach()
        for task in list(self._tasks):
            with contextlib.suppress(RuntimeError):
                task.cancel()
        self._tasks.clear()
