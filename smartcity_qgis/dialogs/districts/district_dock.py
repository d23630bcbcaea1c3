"""Dock showing the fact sheet and the KPIs of the selected pilot district, refreshed when data changes."""

from __future__ import annotations

import contextlib

from qgis.core import QgsProject, QgsVectorLayer
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from smartcity_qgis.dialogs.districts.kpi_panel import DistrictKpiPanel
from smartcity_qgis.dialogs.plugin_ui import icon
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.districts.factsheet import (
    district_fact_sheet,
)
from smartcity_qgis.layers.districts.layer import DistrictError, is_district_layer
from smartcity_qgis.layers.districts.pack_inputs import project_fact_inputs

FACT_DOCK_OBJECT_NAME = "SmartCityDistrictFactSheetDock"


class DistrictFactSheetDock(QgsDockWidget):
    """Fact sheet of the selected district; follows selection and data changes (throttled)."""

    def __init__(self, iface, parent=None) -> None:
        super().__init__(tr("District fact sheet"), parent)
        self.setObjectName(FACT_DOCK_OBJECT_NAME)
        self.setWindowIcon(icon())
        self.iface = iface
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.status = QLabel(tr("Select a pilot district on the map"), body)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = QTableWidget(0, 3, body)
        self.table.setObjectName("SmartCityFactTable")
        self.table.setHorizontalHeaderLabels([tr("Item"), tr("Value"), tr("Unit")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("SmartCityDistrictTabs")
        self.tabs.addTab(body, tr("Fact sheet"))
        self.kpi_panel = DistrictKpiPanel(self.tabs)
        self.tabs.addTab(self.kpi_panel, tr("KPIs"))
        self._shown_district: tuple[str, int] | None = None
        self.setWidget(self.tabs)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.refresh)
        self._watched: list[QgsVectorLayer] = []
        QgsProject.instance().layersAdded.connect(self._watch_layers)
        QgsProject.instance().layersRemoved.connect(self._watch_layers)
        self._watch_layers()

    def stop_watching(self) -> None:
        """Disconnect from the project and its layers (the plugin unloads)."""
        self._timer.stop()
        self.kpi_panel.stop()
        for signal in (QgsProject.instance().layersAdded, QgsProject.instance().layersRemoved):
            with contextlib.suppress(TypeError, RuntimeError):
                signal.disconnect(self._watch_layers)
        self._unwatch()

    def _unwatch(self) -> None:
        for layer in list(self._watched):
            try:
                layer.selectionChanged.disconnect(self.schedule)
                layer.dataChanged.disconnect(self.schedule)
                layer.attributeValueChanged.disconnect(self.schedule)
            except (TypeError, RuntimeError):
                pass
        self._watched = []

    def _watch_layers(self, *_args) -> None:
        self._unwatch()
        self._watched = [
            layer for layer in QgsProject.instance().mapLayers().values() if isinstance(layer, QgsVectorLayer)
        ]
        for layer in self._watched:
            layer.selectionChanged.connect(self.schedule)
            layer.dataChanged.connect(self.schedule)
            layer.attributeValueChanged.connect(self.schedule)
        self.schedule()

    def schedule(self, *_args) -> None:
        """Refresh soon; bursts of live updates lead to one refresh."""
        self._timer.start()

    def district_layer(self) -> QgsVectorLayer | None:
        active = self.iface.activeLayer() if self.iface is not None else None
        if is_district_layer(active):
            return active
        return next((lyr for lyr in QgsProject.instance().mapLayers().values() if is_district_layer(lyr)), None)

    def refresh(self) -> None:
        """Recompute the facts of the (first) selected district."""
        layer = self.district_layer()
        features = layer.selectedFeatures() if layer is not None else []
        self._show_kpis(layer, features[0] if features else None)
        if not features:
            self.status.setText(tr("Select a pilot district on the map"))
            self.table.setRowCount(0)
            return
        try:
            sheet = district_fact_sheet(layer, features[0], project_fact_inputs(QgsProject.instance()))
        except DistrictError as exc:
            self.status.setText(str(exc))
            self.table.setRowCount(0)
            return
        self.status.setText(sheet.name)
        self.table.setRowCount(len(sheet.rows))
        for row, fact in enumerate(sheet.rows):
            for column, text in enumerate((fact.item, fact.value, fact.unit)):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _show_kpis(self, layer: QgsVectorLayer | None, feature) -> None:
        """The KPI tab follows the selected district (re-read only when the district changes)."""
        key = (layer.id(), feature.id()) if layer is not None and feature is not None else None
        if key != self._shown_district:
            self._shown_district = key
            self.kpi_panel.set_district(layer if key else None, feature if key else None)
