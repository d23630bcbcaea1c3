"""Mesh code panel: the JIS mesh codes of the point under the cursor, at every level."""

from __future__ import annotations

import contextlib

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsPointXY,
    QgsProject,
)
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QApplication,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smartcity_qgis.analysis.mesh import LEVEL_NAMES, MESH_NONE, mesh_code
from smartcity_qgis.dialogs.plugin_ui import PluginUI, icon
from smartcity_qgis.i18n import tr

MESH_DOCK_OBJECT_NAME = "SmartCityMeshDock"
NO_CODE = "—"


def level_labels() -> dict[str, str]:
    """Display name of each level, in the words officers use."""
    return {
        "80km": tr("1st mesh (80 km)"),
        "10km": tr("2nd mesh (10 km)"),
        "5km": tr("5x mesh (5 km)"),
        "2km": tr("2x mesh (2 km)"),
        "1km": tr("3rd mesh (1 km)"),
        "500m": tr("1/2 mesh (500 m)"),
        "250m": tr("1/4 mesh (250 m)"),
        "125m": tr("1/8 mesh (125 m)"),
        "100m": tr("1/10 mesh (100 m)"),
    }


def mesh_codes_at(lon: float, lat: float) -> dict[str, str]:
    """Code of every level at a JGD2011 lon/lat point (``—`` outside the mesh)."""
    codes = {}
    for level in LEVEL_NAMES:
        code = int(mesh_code(lat, lon, level, outside="sentinel"))
        codes[level] = NO_CODE if code == MESH_NONE else str(code)
    return codes


class MeshCodeDock(QgsDockWidget):
    """Follows the cursor over the map canvas and shows its mesh codes."""

    def __init__(self, canvas, parent=None) -> None:
        super().__init__(tr("JIS mesh codes"), parent)
        self.setObjectName(MESH_DOCK_OBJECT_NAME)
        self.setWindowIcon(icon("mesh.svg"))
        self._canvas = canvas
        self._geographic = QgsCoordinateReferenceSystem("EPSG:6668")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.position = QLabel(tr("Move the cursor over the map."), body)
        self.position.setObjectName("SmartCityMeshPosition")
        layout.addWidget(self.position)
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for level, text in level_labels().items():
            value = QLabel(NO_CODE, body)
            value.setObjectName(f"SmartCityMesh_{level}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(text, value)
            self.values[level] = value
        layout.addLayout(form)
        copy = QPushButton(tr("Copy codes"), body)
        copy.setObjectName("SmartCityMeshCopy")
        copy.clicked.connect(self.copy_codes)
        layout.addWidget(copy)
        layout.addStretch(1)
        self.setWidget(body)
        if canvas is not None:
            canvas.xyCoordinates.connect(self._on_cursor)

    def _on_cursor(self, point: QgsPointXY) -> None:
        if not self.isVisible():
            return
        self.show_point(point, self._canvas.mapSettings().destinationCrs())

    def show_point(self, point: QgsPointXY, crs: QgsCoordinateReferenceSystem) -> None:
        """Show the codes of ``point`` given in ``crs`` (the canvas CRS)."""
        try:
            transform = QgsCoordinateTransform(crs, self._geographic, QgsProject.instance())
            geo = transform.transform(point)
        except QgsCsException:
            self._clear(tr("This position cannot be converted to latitude and longitude."))
            return
        codes = mesh_codes_at(geo.x(), geo.y())
        if all(code == NO_CODE for code in codes.values()):
            self._clear(tr("Outside the JIS mesh (Japan only)."))
            return
        self.position.setText(tr("Latitude {0:.6f}, longitude {1:.6f}").format(geo.y(), geo.x()))
        for level, code in codes.items():
            self.values[level].setText(code)

    def _clear(self, message: str) -> None:
        self.position.setText(message)
        for value in self.values.values():
            value.setText(NO_CODE)

    def codes_text(self) -> str:
        """The codes shown, one ``level<TAB>code`` line each."""
        return "\n".join(f"{level}\t{label.text()}" for level, label in self.values.items())

    def copy_codes(self) -> None:
        QApplication.clipboard().setText(self.codes_text())

    def disconnect_canvas(self) -> None:
        if self._canvas is not None:
            with contextlib.suppress(TypeError):  # already disconnected
                self._canvas.xyCoordinates.disconnect(self._on_cursor)
            self._canvas = None


def contribute(ui: PluginUI) -> None:
    dock = MeshCodeDock(ui.iface.mapCanvas(), ui.iface.mainWindow())
    ui.add_dock(dock)
    ui.on_unload(dock.disconnect_canvas)
    ui.add_action(
        tr("JIS mesh codes panel"),
        lambda: (dock.setUserVisible(True), dock.raise_()),
        icon_name="mesh.svg",
        object_name="SmartCityShowMeshCodes",
    )
