"""River level style for any station layer: the layer action and the station-table choice."""

from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis, QgsSettings, QgsVectorLayer, QgsWkbTypes
from qgis.PyQt.QtWidgets import QAction, QFileDialog

from smartcity_qgis.analysis.river import StationTableError, read_station_table
from smartcity_qgis.dialogs.plugin_ui import PluginUI, icon, vector_layer_type
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.rivers.monitor import STATION_TABLE_PROPERTY
from smartcity_qgis.layers.rivers.style import RiverFieldMap, annotate_river_layer, apply_river_style

LAST_FOLDER_KEY = "smartcity/river/last_folder"


def has_threshold_fields(layer: QgsVectorLayer, fields: RiverFieldMap | None = None) -> bool:
    """True when the layer carries the four reference levels itself."""
    fields = fields or RiverFieldMap()
    names = set(layer.fields().names())
    return {fields.standby, fields.caution, fields.evacuation, fields.danger} <= names


def style_river_layer(layer, iface, station_table_path: str | None = None) -> bool:
    """Compute levels, trend, margin and staleness for a station layer and style it; report in the bar."""
    bar = iface.messageBar()
    title = tr("River level style")
    if not isinstance(layer, QgsVectorLayer) or layer.geometryType() != QgsWkbTypes.GeometryType.PointGeometry:
        bar.pushMessage(title, tr("Choose a point layer of water-level stations."), Qgis.MessageLevel.Warning, 8)
        return False
    fields = RiverFieldMap()
    if layer.fields().lookupField(fields.water_level) < 0:
        bar.pushMessage(
            title,
            tr("The layer has no {0} field with the water level.").format(fields.water_level),
            Qgis.MessageLevel.Warning,
            8,
        )
        return False
    table = None
    if station_table_path:
        try:
            table = read_station_table(station_table_path)
        except (StationTableError, OSError) as exc:
            bar.pushMessage(
                title, tr("The station table cannot be used: {0}").format(exc), Qgis.MessageLevel.Warning, 0
            )
            return False
    try:
        report = annotate_river_layer(layer, fields, station_table=table)
    except ValueError as exc:
        bar.pushMessage(title, str(exc), Qgis.MessageLevel.Warning, 0)
        return False
    apply_river_style(layer)
    # The River levels panel watches the layer with the same table (and finds it again on reopen).
    layer.setCustomProperty(STATION_TABLE_PROPERTY, str(Path(station_table_path).resolve()) if table else "")
    if report.problems:
        bar.pushMessage(
            title,
            tr("{0} stations have no level: {1}").format(len(report.problems), " / ".join(report.problems[:5])),
            Qgis.MessageLevel.Warning,
            0,
        )
    else:
        bar.pushMessage(
            title, tr("{0} stations styled by 警戒レベル.").format(report.annotated), Qgis.MessageLevel.Success, 5
        )
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
        QgsSettings().setValue(LAST_FOLDER_KEY, str(Path(path).parent))
    style_river_layer(layer, iface, path or None)


def contribute(ui: PluginUI) -> None:
    river = QAction(icon("river.svg"), tr("River level style…"), ui.iface.mainWindow())
    river.setObjectName("SmartCityRiverStyle")
    river.triggered.connect(lambda _checked=False: _style_active_layer(ui.iface))
    ui.add_layer_action(river, vector_layer_type(), all_layers=True)
