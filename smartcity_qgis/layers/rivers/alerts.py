"""The alert log: one point per level crossing (time, station, from → to level), exportable.

The log is a memory layer until the project is saved; from then on it lives in a GeoPackage
next to the project file (``<project>_river_alerts.gpkg``, table ``river_alerts``), so every
crossing is on disk the moment it is logged and a reopened project has its whole history.
Times are stored in UTC (``time``) and, for people reading the table, as Japan time text
(``time_jst``, labelled JST).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from qgis.core import (
    Qgis,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsMessageLog,
    QgsPointXY,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, QObject, Qt, QVariant

from smartcity_qgis.analysis.river import Crossing
from smartcity_qgis.i18n import tr

ALERT_LOG_PROPERTY = "smartcity/alert_log"
ALERT_LOG_FIELDS = (
    ("time", QVariant.DateTime),
    ("station_id", QVariant.String),
    ("station_name", QVariant.String),
    ("from_level", QVariant.Int),
    ("to_level", QVariant.Int),
    ("direction", QVariant.String),
    ("water_level", QVariant.Double),
    ("scheme", QVariant.String),
    ("to_name", QVariant.String),
    ("time_jst", QVariant.String),
)
ALERT_LOG_TABLE = "river_alerts"
JST = timezone(timedelta(hours=9), "JST")


def jst_text(when: datetime) -> str:
    """A time as people in Japan read it, labelled: ``2026-07-01 21:05 JST``."""
    return when.astimezone(JST).strftime("%Y-%m-%d %H:%M JST")


def create_alert_log_layer(name: str | None = None) -> QgsVectorLayer:
    """An empty alert log: a memory point layer in EPSG:4326."""
    layer = QgsVectorLayer("Point?crs=EPSG:4326", name or tr("River level alerts"), "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in ALERT_LOG_FIELDS])
    layer.updateFields()
    layer.setCustomProperty(ALERT_LOG_PROPERTY, True)
    return layer


def append_crossings(
    log: QgsVectorLayer,
    station_id: str,
    station_name: str | None,
    crossings: Sequence[Crossing],
    when: datetime | None = None,
    water_level: float | None = None,
    location: QgsPointXY | None = None,
    scheme: Any = None,
) -> int:
    """Write one row per crossing; returns how many were written.

    Values go to the fields by name, so a log saved by an earlier version (fewer fields) still
    takes new rows. ``scheme`` (a `layers.rivers.schemes` scheme) names the levels reached.
    """
    if not crossings:
        return 0
    when = when or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    stamp = QDateTime.fromMSecsSinceEpoch(round(when.timestamp() * 1000), Qt.TimeSpec.UTC)
    fields = log.fields()
    features = []
    for crossing in crossings:
        feature = QgsFeature(fields)
        if location is not None:
            feature.setGeometry(QgsGeometry.fromPointXY(location))
        reached = crossing.to_level if crossing.upward else crossing.from_level
        values = {
            "time": stamp,
            "station_id": station_id,
            "station_name": station_name,
            "from_level": crossing.from_level,
            "to_level": crossing.to_level,
            "direction": "up" if crossing.upward else "down",
            "water_level": water_level,
            "scheme": getattr(scheme, "key", "warning_levels"),
            "to_name": scheme.threshold_name(reached) if scheme is not None else "",
            "time_jst": jst_text(when),
        }
        for name, value in values.items():
            if fields.lookupField(name) >= 0:
                feature.setAttribute(name, value)
        features.append(feature)
    ok, _added = log.dataProvider().addFeatures(features)
    if not ok:
        raise ValueError(tr("The alert log did not accept the new rows."))
    log.updateExtents()
    log.triggerRepaint()
    return len(features)


def export_alert_log(log: QgsVectorLayer, path: str | Path) -> Path:
    """Write the alert log to a GeoPackage, GeoJSON or CSV file (by its extension)."""
    path = Path(path)
    driver = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON", ".csv": "CSV"}.get(path.suffix.lower())
    if driver is None:
        raise ValueError(tr("Export the alert log as .gpkg, .geojson or .csv."))
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = driver
    options.fileEncoding = "UTF-8"
    if driver == "CSV":
        options.layerOptions = ["GEOMETRY=AS_XY"]
    result = QgsVectorFileWriter.writeAsVectorFormatV3(log, str(path), QgsCoordinateTransformContext(), options)
    if result[0] != QgsVectorFileWriter.WriterError.NoError:
        raise OSError(tr("The alert log could not be written to {0}: {1}").format(str(path), result[1]))
    return path


def alert_log_file(project: QgsProject) -> Path | None:
    """``<project folder>/<project name>_river_alerts.gpkg`` for a saved project, else None."""
    if not project.fileName():
        return None
    return Path(project.absolutePath()) / f"{project.baseName()}_river_alerts.gpkg"


def _log_path(log: QgsVectorLayer) -> Path | None:
    if log.providerType() != "ogr":
        return None
    return Path(log.source().split("|", 1)[0]).resolve()


def write_log_file(log: QgsVectorLayer, path: Path) -> Path:
    """Copy the log into the GeoPackage ``path`` atomically (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp.gpkg")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
        leftover.unlink(missing_ok=True)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = ALERT_LOG_TABLE
    options.fileEncoding = "UTF-8"
    result = QgsVectorFileWriter.writeAsVectorFormatV3(log, str(tmp), QgsCoordinateTransformContext(), options)
    if result[0] != QgsVectorFileWriter.WriterError.NoError:
        tmp.unlink(missing_ok=True)
        raise OSError(tr("The alert log could not be written to {0}: {1}").format(str(path), result[1]))
    os.replace(tmp, path)
    return path


class AlertLogKeeper(QObject):
    """Saves the alert log with the project: a GeoPackage next to the project file.

    When the project is written, a log still in memory (or in another project's folder) is
    copied to ``<project>_river_alerts.gpkg`` and the project file points at it; once saved,
    the layer itself reads and writes that file, so later crossings are on disk at once.
    """

    def __init__(self, project: QgsProject | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project or QgsProject.instance()
        self._switch: dict[str, Path] = {}  # layer id -> file it is saved in, to read from after the save
        self.project.writeMapLayer.connect(self._writing_layer)
        self.project.projectSaved.connect(self._saved)

    def detach(self) -> None:
        with contextlib.suppress(TypeError, RuntimeError):
            self.project.writeMapLayer.disconnect(self._writing_layer)
            self.project.projectSaved.disconnect(self._saved)

    def _writing_layer(self, layer: Any, element: Any, document: Any) -> None:
        if not isinstance(layer, QgsVectorLayer) or not layer.customProperty(ALERT_LOG_PROPERTY):
            return
        target = alert_log_file(self.project)
        if target is None or _log_path(layer) == target.resolve():
            return
        try:
            write_log_file(layer, target)
        except OSError as exc:  # the project still saves; the log stays where it was
            QgsMessageLog.logMessage(str(exc), "SmartCity", Qgis.MessageLevel.Warning)
            return
        source = self.project.pathResolver().writePath(str(target)) + f"|layername={ALERT_LOG_TABLE}"
        for tag, text in (("datasource", source), ("provider", "ogr")):
            node = element.firstChildElement(tag)
            if node.isNull():
                continue
            while node.hasChildNodes():
                node.removeChild(node.firstChild())
            node.appendChild(document.createTextNode(text))
        self._switch[layer.id()] = target

    def _saved(self) -> None:
        switch, self._switch = self._switch, {}
        for layer_id, path in switch.items():
            layer = self.project.mapLayer(layer_id)
            if isinstance(layer, QgsVectorLayer):
                layer.setDataSource(f"{path}|layername={ALERT_LOG_TABLE}", layer.name(), "ogr")
