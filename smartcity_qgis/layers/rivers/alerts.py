"""The alert log: one point per 警戒レベル crossing (time, station, from → to level), exportable."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from qgis.core import (
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, Qt, QVariant

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
)


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
) -> int:
    """Write one row per crossing; returns how many were written."""
    if not crossings:
        return 0
    when = when or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    stamp = QDateTime.fromMSecsSinceEpoch(round(when.timestamp() * 1000), Qt.UTC)
    features = []
    for crossing in crossings:
        feature = QgsFeature(log.fields())
        if location is not None:
            feature.setGeometry(QgsGeometry.fromPointXY(location))
        feature.setAttributes(
            [
                stamp,
                station_id,
                station_name,
                crossing.from_level,
                crossing.to_level,
                "up" if crossing.upward else "down",
                water_level,
            ]
        )
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
    if result[0] != QgsVectorFileWriter.NoError:
        raise OSError(tr("The alert log could not be written to {0}: {1}").format(str(path), result[1]))
    return path
