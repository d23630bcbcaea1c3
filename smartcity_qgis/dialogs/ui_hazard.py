"""Menu entries for hazards: "Add hazard layer…" and the hazard / base map tiles submenu."""

from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis, QgsProject, QgsSettings, QgsVectorLayer, QgsWkbTypes
from qgis.PyQt.QtWidgets import QAction, QFileDialog

from smartcity_qgis.analysis.river import StationTableError, read_station_table
from smartcity_qgis.dialogs.plugin_ui import PluginUI, icon
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.hazard_files import HazardFileError, load_hazard_file
from smartcity_qgis.layers.river_style import RiverFieldMap, annotate_river_layer, apply_river_style
from smartcity_qgis.layers.tiles import TILE_SOURCES, tile_layer, tile_title

LAST_FOLDER_KEY = "smartcity/hazard/last_folder"


def add_hazard_files(paths: list[str], iface, project: QgsProject | None = None) -> int:
    """Load hazard files into the project; report refusals in the message bar. Returns layers added."""
    project = project or QgsProject.instance()
    added = 0
    bar = iface.messageBar() if iface is not None else None
    for path in paths:
        try:
            result = load_hazard_file(path)
        except HazardFileError as exc:
            if bar is not None:
                bar.pushMessage(tr("Hazard file"), str(exc), Qgis.Warning, 0)
            continue
        except OSError as exc:
            if bar is not None:
                bar.pushMessage(tr("Hazard file"), tr("{0} could not be read: {1}").format(path, exc), Qgis.Warning, 0)
            continue
        for layer in result.layers:
            project.addMapLayer(layer)
            added += 1
        if result.skipped and bar is not None:
            bar.pushMessage(
                tr("Hazard file"),
                tr("Some files in {0} were not hazard layers: {1}").format(Path(path).name, " / ".join(result.skipped)),
                Qgis.Info,
                10,
            )
    return added


def choose_hazard_files(iface) -> None:
    """Ask for hazard files and add them."""
    settings = QgsSettings()
    folder = settings.value(LAST_FOLDER_KEY, str(Path.home()), type=str)
    paths, _filter = QFileDialog.getOpenFileNames(
        iface.mainWindow(),
        tr("Add hazard layer"),
        folder,
        tr("国土数値情報 hazard files (*.shp *.zip *.geojson *.json);;All files (*)"),
    )
    if not paths:
        return
    settings.setValue(LAST_FOLDER_KEY, str(Path(paths[0]).parent))
    added = add_hazard_files(paths, iface)
    if added:
        iface.messageBar().pushMessage(
            tr("Hazard file"), tr("Added {0} hazard layer(s).").format(added), Qgis.Success, 5
        )


def add_tile_layer(key: str, project: QgsProject | None = None):
    """Add one hazard or base map tile layer; base maps go to the bottom of the layer tree."""
    project = project or QgsProject.instance()
    layer = tile_layer(key)
    if TILE_SOURCES[key].hazard:
        project.addMapLayer(layer)
    else:
        project.addMapLayer(layer, False)
        project.layerTreeRoot().insertLayer(-1, layer)
    return layer


def _vector_layer_type():
    layer_type = getattr(Qgis, "LayerType", None)  # QGIS 3.30+
    if layer_type is not None:
        return layer_type.Vector
    from qgis.core import QgsMapLayerType

    return QgsMapLayerType.VectorLayer


def has_threshold_fields(layer: QgsVectorLayer, fields: RiverFieldMap | None = None) -> bool:
    """True when the layer carries the four reference levels itself."""
    fields = fields or RiverFieldMap()
    names = set(layer.fields().names())
    return {fields.standby, fields.caution, fields.evacuation, fields.danger} <= names


def style_river_layer(layer, iface, station_table_path: str | None = None) -> bool:
    """Compute levels, trend, margin and staleness for a station layer and style it; report in the bar."""
    bar = iface.messageBar()
    title = tr("River level style")
    if not isinstance(layer, QgsVectorLayer) or layer.geometryType() != QgsWkbTypes.PointGeometry:
        bar.pushMessage(title, tr("Choose a point layer of water-level stations."), Qgis.Warning, 8)
        return False
    fields = RiverFieldMap()
    if layer.fields().lookupField(fields.water_level) < 0:
        bar.pushMessage(
            title, tr("The layer has no {0} field with the water level.").format(fields.water_level), Qgis.Warning, 8
        )
        return False
    table = None
    if station_table_path:
        try:
            table = read_station_table(station_table_path)
        except (StationTableError, OSError) as exc:
            bar.pushMessage(title, tr("The station table cannot be used: {0}").format(exc), Qgis.Warning, 0)
            return False
    try:
        report = annotate_river_layer(layer, fields, station_table=table)
    except ValueError as exc:
        bar.pushMessage(title, str(exc), Qgis.Warning, 0)
        return False
    apply_river_style(layer)
    if report.problems:
        bar.pushMessage(
            title,
            tr("{0} stations have no level: {1}").format(len(report.problems), " / ".join(report.problems[:5])),
            Qgis.Warning,
            0,
        )
    else:
        bar.pushMessage(title, tr("{0} stations styled by 警戒レベル.").format(report.annotated), Qgis.Success, 5)
    return True


def _style_active_layer(iface) -> None:
    layer = iface.activeLayer()
    path = None
    if isinstance(layer, QgsVectorLayer) and not has_threshold_fields(layer):
        path, _filter = QFileDialog.getOpenFileName(
            iface.mainWindow(),
            tr("Station table with the reference levels"),
            QgsSettings().value(LAST_FOLDER_KEY, str(Path.home()), type=str),
            tr("CSV files (*.csv *.txt);;All files (*)"),
        )
        if not path:
            return
    style_river_layer(layer, iface, path or None)


def contribute(ui: PluginUI) -> None:
    ui.add_action(
        tr("Add hazard layer…"),
        lambda: choose_hazard_files(ui.iface),
        icon_name="hazard.svg",
        object_name="SmartCityAddHazardLayer",
    )
    tiles_menu = ui.menu.addMenu(tr("Add hazard/base map tiles"))
    tiles_menu.setObjectName("SmartCityTilesMenu")
    previous_hazard = True
    for key, source in TILE_SOURCES.items():
        if previous_hazard and not source.hazard:
            tiles_menu.addSeparator()
        previous_hazard = source.hazard
        ui.add_action(
            tile_title(key),
            lambda key=key: add_tile_layer(key),
            icon_name="hazard.svg" if source.hazard else None,
            object_name=f"SmartCityTiles_{key}",
            menu=tiles_menu,
        )
    river = QAction(icon("river.svg"), tr("River level style…"), ui.iface.mainWindow())
    river.setObjectName("SmartCityRiverStyle")
    river.triggered.connect(lambda _checked=False: _style_active_layer(ui.iface))
    ui.add_layer_action(river, _vector_layer_type(), all_layers=True)
