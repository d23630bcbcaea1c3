"""Pilot districts in the QGIS interface: drawing, districts from selections, saving, fact sheet,
and the export, figure and planning-pack tools."""

from __future__ import annotations

from qgis.core import Qgis, QgsFeature, QgsProject, QgsVectorLayer
from qgis.gui import QgsMapToolCapture, QgsMapToolDigitizeFeature
from qgis.PyQt.QtWidgets import QInputDialog, QMessageBox

from smartcity_qgis.dialogs.districts.district_dock import DistrictFactSheetDock
from smartcity_qgis.dialogs.plugin_ui import PluginUI
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.districts.geometry import geometry_from_mesh_cells, geometry_from_selection
from smartcity_qgis.layers.districts.layer import (
    DistrictError,
    add_district,
    default_district_path,
    is_district_layer,
    open_district_layer,
    save_districts,
)
from smartcity_qgis.layers.districts.pack_inputs import pack_parameters
from smartcity_qgis.layers.districts.unsaved import UnsavedProjectDistricts


class DistrictTools:
    """The district actions; each reports problems in the message bar, never as a traceback."""

    def __init__(self, iface) -> None:
        self.iface = iface
        self.tool: QgsMapToolDigitizeFeature | None = None
        self.unsaved = UnsavedProjectDistricts(QgsProject.instance())
        self.unsaved.moved.connect(self._moved)
        self.unsaved.failed.connect(
            lambda why: self._message(tr("The districts could not be written beside the project: {0}").format(why))
        )
        self.ask = self._ask_unsaved  # replaced in tests and scripts

    def _ask_unsaved(self) -> bool:
        """Asked once per unsaved project: save it now (True), or keep the districts with it until then."""
        answer = QMessageBox.question(
            self.iface.mainWindow(),
            tr("Pilot districts"),
            tr(
                "This project has not been saved yet. Its districts are kept with the project and written "
                "beside the project file (districts.gpkg) when you save it.\n\nSave the project now?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _moved(self, _layer_id: str, path: str) -> None:
        self._message(tr("The districts were written beside the project: {0}").format(path), Qgis.MessageLevel.Success)

    # -- helpers ------------------------------------------------------------------------------
    def _message(self, text: str, level=Qgis.MessageLevel.Info) -> None:
        self.iface.messageBar().pushMessage(tr("Pilot districts"), text, level=level, duration=6)

    def district_layer(self, create: bool = True) -> QgsVectorLayer | None:
        """The active district layer, else the project's, else a new one beside the project file."""
        active = self.iface.activeLayer()
        if is_district_layer(active):
            return active
        for layer in QgsProject.instance().mapLayers().values():
            if is_district_layer(layer):
                return layer
        if not create:
            return None
        path = default_district_path()
        if path is None and self.ask():
            save_as = getattr(self.iface, "actionSaveProjectAs", None)
            if save_as is not None:
                save_as().trigger()
            path = default_district_path()
        if path is None:
            layer = self.unsaved.new_layer()
        else:
            layer = open_district_layer(path)
            self._message(tr("Districts are kept in {0}, beside the project.").format(str(path)))
        QgsProject.instance().addMapLayer(layer)
        return layer

    def _add(self, geometry, crs=None) -> int | None:
        try:
            layer = self.district_layer()
            fid = add_district(layer, geometry, {}, crs)
        except DistrictError as exc:
            self._message(str(exc), Qgis.MessageLevel.Warning)
            return None
        open_form = getattr(self.iface, "openFeatureForm", None)
        if open_form is not None:
            open_form(layer, layer.getFeature(fid), False, True)
        self._message(tr("District added: fill in its attributes, then save the districts"))
        return fid

    # -- actions ----------------------------------------------------------------------------------
    def start_drawing(self) -> None:
        """Activate a polygon digitizing tool (snapping follows the project's settings)."""
        layer = self.district_layer()
        canvas = self.iface.mapCanvas()
        if self.tool is None:
            self.tool = QgsMapToolDigitizeFeature(
                canvas, self.iface.cadDockWidget(), QgsMapToolCapture.CaptureMode.CapturePolygon
            )
            self.tool.digitizingCompleted.connect(self.drawn)
        self.tool.setLayer(layer)
        if not layer.isEditable():
            layer.startEditing()
        canvas.setMapTool(self.tool)

    def drawn(self, feature: QgsFeature) -> int | None:
        """A polygon was drawn: add it as a district (one undoable step)."""
        return self._add(feature.geometry())

    def from_selection(self, buffer_m: float | None = None) -> int | None:
        """District from the selected features of every layer: polygons merged, points/lines buffered."""
        layers = [
            layer
            for layer in QgsProject.instance().mapLayers().values()
            if isinstance(layer, QgsVectorLayer) and not is_district_layer(layer) and layer.selectedFeatureCount()
        ]
        if buffer_m is None:
            buffer_m, ok = QInputDialog.getDouble(
                self.iface.mainWindow(),
                tr("District from selection"),
                tr("Buffer around selected points and lines (metres)"),
                200.0,
                0.0,
                100000.0,
                1,
            )
            if not ok:
                return None
        try:
            geometry = geometry_from_selection(layers, buffer_m, self.district_layer().crs())
        except DistrictError as exc:
            self._message(str(exc), Qgis.MessageLevel.Warning)
            return None
        return self._add(geometry)

    def from_mesh_cells(self) -> int | None:
        """District from the selected cells of the active mesh layer, dissolved."""
        try:
            geometry = geometry_from_mesh_cells(self.iface.activeLayer(), self.district_layer().crs())
        except DistrictError as exc:
            self._message(str(exc), Qgis.MessageLevel.Warning)
            return None
        return self._add(geometry)

    def save(self) -> None:
        """Save every district in one transaction."""
        layer = self.district_layer(create=False)
        if layer is None:
            self._message(tr("There is no district layer in the project"), Qgis.MessageLevel.Warning)
            return
        try:
            count = save_districts(layer)
        except DistrictError as exc:
            self._message(str(exc), Qgis.MessageLevel.Critical)
            return
        self._message(tr("Saved {0} districts").format(count), Qgis.MessageLevel.Success)


def _processing_dialog(algorithm_id: str, parameters: dict | None = None) -> None:
    import processing

    processing.execAlgorithmDialog(algorithm_id, parameters or {})


def contribute(ui: PluginUI) -> None:
    tools = DistrictTools(ui.iface)
    menu = ui.menu.addMenu(tr("Pilot districts and planning"))
    menu.setObjectName("SmartCityDistrictMenu")
    ui.add_action(
        tr("Draw a pilot district"), tools.start_drawing, toolbar=True, object_name="SmartCityDrawDistrict", menu=menu
    )
    ui.add_action(
        tr("District from selection…"), tools.from_selection, object_name="SmartCityDistrictFromSelection", menu=menu
    )
    ui.add_action(
        tr("District from mesh cells"), tools.from_mesh_cells, object_name="SmartCityDistrictFromMesh", menu=menu
    )
    ui.add_action(tr("Save pilot districts"), tools.save, object_name="SmartCitySaveDistricts", menu=menu)
    dock = DistrictFactSheetDock(ui.iface, ui.iface.mainWindow())
    ui.add_dock(dock)
    ui.add_action(
        tr("District fact sheet panel"),
        lambda: (dock.setUserVisible(True), dock.raise_()),
        object_name="SmartCityShowFactSheet",
        menu=menu,
    )

    def selected_layers() -> dict:
        view = getattr(ui.iface, "layerTreeView", None)
        layers = view().selectedLayers() if view is not None and view() is not None else []
        return {"LAYERS": layers} if layers else {}

    ui.add_action(
        tr("Export layers…"),
        lambda: _processing_dialog("smartcity:exportlayers", selected_layers()),
        object_name="SmartCityExportLayers",
        menu=menu,
    )
    ui.add_action(
        tr("Planning map figure…"),
        lambda: _processing_dialog("smartcity:planningfigure", selected_layers()),
        object_name="SmartCityPlanningFigure",
        menu=menu,
    )
    ui.add_action(
        tr("District KPI evaluation…"),
        lambda: _processing_dialog("smartcity:districtkpi"),
        object_name="SmartCityDistrictKpi",
        menu=menu,
    )
    ui.add_action(
        tr("Planning pack…"),
        lambda: _processing_dialog(
            "smartcity:planningpack", pack_parameters(QgsProject.instance(), ui.iface.activeLayer())
        ),
        object_name="SmartCityPlanningPack",
        menu=menu,
    )

    def cleanup() -> None:
        dock.stop_watching()
        tools.unsaved.detach()
        if tools.tool is not None and ui.iface.mapCanvas().mapTool() is tools.tool:
            ui.iface.mapCanvas().unsetMapTool(tools.tool)
        tools.tool = None

    ui.on_unload(cleanup)
