"""After-action replay layers: every reading of a storm for the Temporal Controller, and its crossings.

`write_replay` turns a `Replay` (`analysis.gauge_replay`) into a GeoPackage with two tables:
``readings`` (one point per reading of each gauge, valid from its observation time until the
gauge's next reading: the Temporal Controller shows each gauge as it stood at any moment) and
``crossings`` (one point per threshold crossed, with its time). `replay_layers` opens both,
time-enabled and styled by status, credited like the live layer. Being files, they come back
with the project.
"""

from __future__ import annotations

import os
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsUnitTypes,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, Qt, QVariant

from smartcity_qgis.analysis.gauge_replay import Replay
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.rivers.alerts import jst_text
from smartcity_qgis.layers.rivers.crisis_layer import CRISIS_FIELDS, apply_crisis_style, gauge_values, set_credit
from smartcity_qgis.layers.rivers.schemes import CrisisGaugeScheme

REPLAY_PROPERTY = "smartcity/gauge_replay"
CROSSING_FIELDS = (
    ("time", QVariant.DateTime),
    ("time_jst", QVariant.String),
    ("code", QVariant.String),
    ("name", QVariant.String),
    ("from_stage", QVariant.Int),
    ("to_stage", QVariant.Int),
    ("direction", QVariant.String),
    ("threshold", QVariant.String),
    ("level", QVariant.Double),
)


def _stamp(when) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(round(when.timestamp() * 1000), Qt.TimeSpec.UTC)


def _memory(fields, name: str) -> QgsVectorLayer:
    layer = QgsVectorLayer("Point?crs=EPSG:4326", name, "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    return layer


def readings_memory_layer(replay: Replay) -> QgsVectorLayer:
    """Every reading as a point, with ``valid_from`` / ``valid_to`` (UTC)."""
    layer = _memory([*CRISIS_FIELDS, ("valid_from", QVariant.DateTime), ("valid_to", QVariant.DateTime)], "readings")
    until = replay.valid_until()
    features = []
    for gauge, end in zip(replay.readings, until, strict=True):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(gauge.lon, gauge.lat)))
        for name, value in gauge_values(gauge).items():
            feature.setAttribute(name, value)
        feature.setAttribute("valid_from", _stamp(gauge.observed_at))
        feature.setAttribute("valid_to", _stamp(end))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def peak_memory_layer(replay: Replay) -> QgsVectorLayer:
    """The most severe reading of each gauge (the storm at its peak, gauge by gauge)."""
    layer = _memory(CRISIS_FIELDS, "peak")
    features = []
    for gauge in sorted(replay.peak.values(), key=lambda g: g.code):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(gauge.lon, gauge.lat)))
        for name, value in gauge_values(gauge).items():
            feature.setAttribute(name, value)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def crossings_memory_layer(replay: Replay) -> QgsVectorLayer:
    """Every crossing as a point with its time (UTC, and Japan time text)."""
    layer = _memory(CROSSING_FIELDS, "crossings")
    scheme = CrisisGaugeScheme()
    features = []
    for crossing in replay.crossings:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(crossing.lon, crossing.lat)))
        stage = crossing.to_stage if crossing.upward else crossing.from_stage
        feature.setAttributes(
            [_stamp(crossing.time), jst_text(crossing.time), crossing.code, crossing.name, crossing.from_stage,
             crossing.to_stage, "up" if crossing.upward else "down", scheme.threshold_name(stage), crossing.level]
        )  # fmt: skip
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def write_replay(replay: Replay, path: str | Path) -> Path:
    """Write the readings and crossings tables to the GeoPackage ``path`` (replaced as a whole)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp.gpkg")
    tmp.unlink(missing_ok=True)
    tables = (
        ("readings", readings_memory_layer(replay)),
        ("crossings", crossings_memory_layer(replay)),
        ("peak", peak_memory_layer(replay)),
    )
    for table, layer in tables:
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = table
        options.fileEncoding = "UTF-8"
        if tmp.exists():
            options.actionOnExistingFile = QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
        result = QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(tmp), QgsCoordinateTransformContext(), options)
        if result[0] != QgsVectorFileWriter.WriterError.NoError:
            tmp.unlink(missing_ok=True)
            raise OSError(tr("The replay could not be written to {0}: {1}").format(str(path), result[1]))
    os.replace(tmp, path)
    return path


def replay_layers(
    path: str | Path, title: str = "", synthetic: bool = False
) -> tuple[QgsVectorLayer, QgsVectorLayer, QgsVectorLayer]:
    """The readings (time-enabled), crossings (time-enabled) and peak layers of a replay GeoPackage."""
    title = title or Path(path).stem
    readings = QgsVectorLayer(f"{path}|layername=readings", tr("{0}: gauge readings").format(title), "ogr")
    crossings = QgsVectorLayer(f"{path}|layername=crossings", tr("{0}: crossings").format(title), "ogr")
    peak = QgsVectorLayer(f"{path}|layername=peak", tr("{0}: peak of each gauge").format(title), "ogr")
    if not readings.isValid() or not crossings.isValid() or not peak.isValid():
        raise OSError(tr("The replay {0} cannot be read.").format(str(path)))
    temporal = readings.temporalProperties()
    temporal.setMode(Qgis.VectorTemporalMode.FeatureDateTimeStartAndEndFromFields)
    temporal.setStartField("valid_from")
    temporal.setEndField("valid_to")
    temporal.setIsActive(True)
    timed = crossings.temporalProperties()
    timed.setMode(Qgis.VectorTemporalMode.FeatureDateTimeInstantFromField)
    timed.setStartField("time")
    timed.setDurationUnits(QgsUnitTypes.TemporalUnit.TemporalHours)
    timed.setFixedDuration(1.0)  # a crossing stays on the map for an hour of the replay
    timed.setIsActive(True)
    for layer in (readings, crossings, peak):
        layer.setCustomProperty(REPLAY_PROPERTY, str(path))
        set_credit(layer, synthetic=synthetic)
    apply_crisis_style(readings)
    apply_crisis_style(peak)
    return readings, crossings, peak
