"""The "SmartCity" home panel: what the plugin offers, and where to start."""

from __future__ import annotations

import html

from qgis.core import Qgis, QgsApplication
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QAction, QLabel, QPushButton, QVBoxLayout, QWidget

from smartcity_qgis import plugin_version
from smartcity_qgis.dialogs.plugin_ui import PluginUI, icon
from smartcity_qgis.i18n import tr

HOME_DOCK_OBJECT_NAME = "SmartCityHomeDock"


class HomeDock(QgsDockWidget):
    """Welcome panel: version, environment and a way into the Processing algorithms."""

    def __init__(self, iface, parent=None) -> None:
        super().__init__(tr("SmartCity"), parent)
        self.setObjectName(HOME_DOCK_OBJECT_NAME)
        self.setWindowIcon(icon())
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.summary = QLabel(body)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.RichText)  # only our own escaped text goes in
        self.summary.setText(self._summary_html())
        layout.addWidget(self.summary)
        tools = QPushButton(icon(), tr("Show SmartCity tools in the Processing Toolbox"), body)
        tools.setObjectName("SmartCityShowToolbox")
        tools.clicked.connect(lambda: self._show_toolbox(iface))
        layout.addWidget(tools)
        layout.addStretch(1)
        self.setWidget(body)
        # Algorithms load after the panel is built (and again when Processing refreshes).
        self.visibilityChanged.connect(lambda visible: visible and self.refresh())

    @staticmethod
    def _show_toolbox(iface) -> None:
        action = iface.mainWindow().findChild(QAction, "toolboxAction") if iface else None
        if action is not None and not action.isChecked():
            action.trigger()

    def refresh(self) -> None:
        self.summary.setText(self._summary_html())

    @staticmethod
    def _summary_html() -> str:
        lines = [
            tr("SmartCity QGIS {0}").format(plugin_version()),
            tr("City-OS live layers, people flow, hazard zones, pilot districts and planning figures."),
            tr("QGIS {0}").format(Qgis.QGIS_VERSION),
            tr("Processing algorithms: {0}").format(
                len(QgsApplication.processingRegistry().providerById("smartcity").algorithms())
                if QgsApplication.processingRegistry().providerById("smartcity")
                else 0
            ),
        ]
        return "<br>".join(html.escape(line) for line in lines)


def contribute(ui: PluginUI) -> None:
    dock = HomeDock(ui.iface, ui.iface.mainWindow())
    ui.add_dock(dock)
    ui.add_action(
        tr("SmartCity panel"),
        lambda: (dock.setUserVisible(True), dock.raise_()),
        toolbar=True,
        object_name="SmartCityShowHome",
    )
