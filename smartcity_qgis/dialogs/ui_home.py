"""The "SmartCity" home panel: what the plugin offers, and where to start."""

from __future__ import annotations

import contextlib
import html

from qgis.core import Qgis, QgsApplication, QgsProject, QgsTask, QgsVectorLayer
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QAction, QInputDialog, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from smartcity_qgis import optional_packages, plugin_version
from smartcity_qgis.dialogs.plugin_ui import PluginUI, icon
from smartcity_qgis.i18n import tr
from smartcity_qgis.layer_order import LayerPlacer
from smartcity_qgis.local_time import (
    project_zone_name,
    register_local_time_display,
    set_project_zone,
    show_local_times,
    unregister_local_time_display,
    zone_label,
    zone_names,
)

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
        self.summary.setTextFormat(Qt.TextFormat.RichText)  # only our own escaped text goes in
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
        for package in optional_packages.missing():
            lines.append(optional_packages.install_hint(package))
        return "<br>".join(html.escape(line) for line in lines)


class PackageInstallTask(QgsTask):
    """pip installs the optional packages into the QGIS profile, in the background."""

    def __init__(self, packages: list[str]) -> None:
        super().__init__(tr("Installing {0}").format(", ".join(packages)), QgsTask.Flag.CanCancel)
        self.packages = packages
        self.ok = False
        self.output = ""

    def run(self) -> bool:
        self.ok, self.output = optional_packages.install_into_profile(self.packages)
        return self.ok


def offer_optional_packages(iface) -> PackageInstallTask | None:
    """Ask the user before installing the missing optional packages with pip into the profile."""
    parent = iface.mainWindow() if iface else None
    missing = optional_packages.missing()
    if not missing:
        QMessageBox.information(parent, tr("Optional packages"), tr("Every optional package is installed."))
        return None
    text = "\n\n".join(optional_packages.install_hint(p) for p in missing)
    question = tr("Install {0} with pip into your QGIS profile ({1})? This downloads from the Python Package Index.")
    answer = QMessageBox.question(
        parent,
        tr("Optional packages"),
        text + "\n\n" + question.format(", ".join(missing), optional_packages.profile_packages_dir()),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    task = PackageInstallTask(missing)

    def done() -> None:
        level = Qgis.MessageLevel.Success if task.ok else Qgis.MessageLevel.Warning
        message = tr("Installed; restart QGIS to use them.") if task.ok else tr("pip failed: {0}").format(task.output)
        if iface is not None:
            iface.messageBar().pushMessage(tr("Optional packages"), message, level)

    task.taskCompleted.connect(done)
    task.taskTerminated.connect(done)
    QgsApplication.taskManager().addTask(task)
    return task


def is_plugin_layer(layer) -> bool:
    """Whether the plugin made ``layer`` (it carries ``smartcity/`` custom properties)."""
    return any(str(key).startswith("smartcity/") for key in layer.customPropertyKeys())


def show_local_times_of(layers) -> None:
    """Date/time fields of the plugin's vector layers shown in the project's zone (JST)."""
    for layer in layers:
        if isinstance(layer, QgsVectorLayer) and is_plugin_layer(layer):
            show_local_times(layer)


def choose_project_zone(parent=None, project: QgsProject | None = None) -> str | None:
    """Ask for the project's time zone (Asia/Tokyo first); returns the zone set, or None."""
    project = project or QgsProject.instance()
    names = zone_names()
    current = project_zone_name(project)
    name, ok = QInputDialog.getItem(
        parent,
        tr("Project time zone"),
        tr("Times are shown in this zone (now {0}); files keep UTC.").format(zone_label(project=project)),
        names,
        names.index(current) if current in names else 0,
        False,
    )
    if not ok or not name:
        return None
    set_project_zone(name, project)
    return name


def watch_project_times(ui: PluginUI) -> None:
    """Show the plugin layers' times in the project's zone, now and for every layer added."""
    register_local_time_display()
    project = QgsProject.instance()
    show_local_times_of(project.mapLayers().values())
    project.layersAdded.connect(show_local_times_of)

    def stop() -> None:
        with contextlib.suppress(TypeError):
            project.layersAdded.disconnect(show_local_times_of)
        unregister_local_time_display(project)

    ui.on_unload(stop)
    ui.add_action(
        tr("Project time zone…"),
        lambda: choose_project_zone(ui.iface.mainWindow()),
        object_name="SmartCityProjectTimeZone",
    )


def place_new_layers(ui: PluginUI) -> None:
    """New layers go above the layers drawn under them (points, lines, polygons, rasters, base maps)."""
    placer = LayerPlacer(QgsProject.instance())
    ui.on_unload(placer.detach)


def contribute(ui: PluginUI) -> None:
    watch_project_times(ui)
    place_new_layers(ui)
    dock = HomeDock(ui.iface, ui.iface.mainWindow())
    ui.add_dock(dock)
    ui.add_action(
        tr("SmartCity panel"),
        lambda: (dock.setUserVisible(True), dock.raise_()),
        toolbar=True,
        object_name="SmartCityShowHome",
    )
    ui.add_action(
        tr("Install optional packages…"),
        lambda: offer_optional_packages(ui.iface),
        object_name="SmartCityInstallOptional",
    )
