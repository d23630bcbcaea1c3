"""City OS in the QGIS interface: the dock, the chart, the connection manager and layer actions."""

from __future__ import annotations

import contextlib

from qgis.core import QgsProject, QgsVectorLayer
from qgis.gui import QgsLayerTreeView
from qgis.PyQt.QtWidgets import QAction

from smartcity_qgis.dialogs.cityos.chart_dock import ChartDock
from smartcity_qgis.dialogs.cityos.cityos_dock import CityOSDock
from smartcity_qgis.dialogs.cityos.cityos_tree import EntityTypeDropHandler
from smartcity_qgis.dialogs.cityos.live_controls import OFF, LiveController
from smartcity_qgis.dialogs.cityos.offline_notices import ConnectionNotices, OfflineIndicators
from smartcity_qgis.dialogs.plugin_ui import PluginUI, icon, vector_layer_type
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.connections import ConnectionStore
from smartcity_qgis.layers.cityos.demo_cityos import stop_demo_server
from smartcity_qgis.layers.cityos.entity_layer_meta import is_entity_layer
from smartcity_qgis.layers.cityos.live import HTTP, MQTT, POLLING
from smartcity_qgis.layers.cityos.snapshot import ProjectSnapshots


class CityOSUI:
    """Everything City OS adds to QGIS, kept together so that unload can take it all away."""

    def __init__(self, ui: PluginUI) -> None:
        self.ui = ui
        self.iface = ui.iface
        self.store = ConnectionStore()
        window = self.iface.mainWindow()
        # Snapshots on project save, restore and live resume on project read (city OS layers only).
        self.snapshots = ProjectSnapshots(QgsProject.instance())
        self.live = LiveController(snapshots=self.snapshots)
        self.dock = CityOSDock(self.iface, self.store, self.live, window)
        self.chart = ChartDock(self.iface, self.live, window)
        # Offline that explains itself: one message per connection each way, icons in the layer tree.
        self.notices = ConnectionNotices(self.iface.messageBar())
        view = self.iface.layerTreeView() if hasattr(self.iface, "layerTreeView") else None
        self.indicators = OfflineIndicators(view) if isinstance(view, QgsLayerTreeView) else None
        self.dock.on_layer_added = self.attach_layer_actions
        ui.add_dock(self.dock)
        ui.add_dock(self.chart)
        ui.add_action(
            tr("City OS panel"), self.show_dock, icon_name="cityos.svg", toolbar=True, object_name="SmartCityShowCityOS"
        )
        ui.add_action(
            tr("City OS connections…"),
            self.dock.manage_connections,
            icon_name="cityos.svg",
            object_name="SmartCityConnections",
        )
        ui.add_action(tr("City OS chart"), self.show_chart, icon_name="chart.svg", object_name="SmartCityShowChart")
        self.layer_actions: list[QAction] = []
        for text, slot, name in (
            (tr("Live mode: polling"), lambda: self.set_live(POLLING), "SmartCityLivePolling"),
            (tr("Live mode: MQTT push"), lambda: self.set_live(MQTT), "SmartCityLiveMqtt"),
            (tr("Live mode: HTTP push"), lambda: self.set_live(HTTP), "SmartCityLiveHttp"),
            (tr("Live mode: off"), lambda: self.set_live(OFF), "SmartCityLiveOff"),
            (tr("Chart of the selected sensors"), self.chart_current, "SmartCityChartLayer"),
            (tr("Load history as layer"), self.history_current, "SmartCityHistoryLayer"),
        ):
            action = QAction(icon("live.svg" if "Live" in name else "chart.svg"), text, window)
            action.setObjectName(name)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            ui.add_layer_action(action, vector_layer_type(), all_layers=False)
            self.layer_actions.append(action)
        project = QgsProject.instance()
        project.layersAdded.connect(self._layers_added)
        self._layers_added(list(project.mapLayers().values()))
        self.drop_handler = EntityTypeDropHandler(self.dock.add_type_layer)
        if hasattr(self.iface, "registerCustomDropHandler"):
            self.iface.registerCustomDropHandler(self.drop_handler)
        ui.on_unload(self.unload)

    # -- actions ------------------------------------------------------------------------------
    def show_dock(self) -> None:
        self.dock.setUserVisible(True)
        self.dock.raise_()

    def show_chart(self) -> None:
        self.chart.setUserVisible(True)
        self.chart.raise_()
        self.chart.use_current_layer()

    def _layer(self) -> QgsVectorLayer | None:
        layer = self.iface.activeLayer()
        return layer if isinstance(layer, QgsVectorLayer) and is_entity_layer(layer) else None

    def set_live(self, mode: str) -> None:
        layer = self._layer()
        if layer is not None:
            self.dock.set_live_mode(layer, mode, self.dock.interval_spin.value())

    def chart_current(self) -> None:
        self.show_chart()

    def history_current(self) -> None:
        self.dock.load_history_of_layer(self._layer())

    def attach_layer_actions(self, layer) -> None:
        """Show the City OS actions in the context menu of ``layer`` if it is an entity layer."""
        if isinstance(layer, QgsVectorLayer) and is_entity_layer(layer):
            for action in self.layer_actions:
                self.iface.addCustomActionForLayer(action, layer)

    def _layers_added(self, layers) -> None:
        for layer in layers:
            self.attach_layer_actions(layer)

    # -- unload -------------------------------------------------------------------------------
    def unload(self) -> None:
        with contextlib.suppress(TypeError):
            QgsProject.instance().layersAdded.disconnect(self._layers_added)
        if hasattr(self.iface, "unregisterCustomDropHandler"):
            self.iface.unregisterCustomDropHandler(self.drop_handler)
        self.dock.shutdown()
        self.notices.detach()
        if self.indicators is not None:
            self.indicators.detach()
        self.snapshots.detach()
        stop_demo_server()


_current: CityOSUI | None = None


def current() -> CityOSUI | None:
    """The City OS part of the loaded plugin (None when the plugin is not loaded)."""
    return _current


def contribute(ui: PluginUI) -> None:
    global _current
    _current = CityOSUI(ui)

    def forget() -> None:
        global _current
        _current = None

    ui.on_unload(forget)
