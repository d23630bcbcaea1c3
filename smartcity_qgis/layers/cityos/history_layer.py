"""Observations of chosen entities and attributes as a time-enabled point layer.

`load_history_layer` asks the city OS for past values (NGSI-LD temporal API, or
QuantumLeap beside an NGSI-v2 broker) and makes a point layer with one feature
per observation: ``entity_id``, ``attribute``, ``value`` (double when every
value is a number, text otherwise), ``value_text`` and ``observed_at``. Its
temporal properties use ``observed_at``, so QGIS's Temporal Controller
animates it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from qgis.core import (
    Qgis,
    QgsFeature,
    QgsFeedback,
    QgsGeometry,
    QgsPointXY,
    QgsTask,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import pyqtSignal

from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.entity_schema import DATETIME, DOUBLE, STRING, json_text, qgs_field, to_qdatetime
from smartcity_qgis.local_time import show_local_times


def instant_from_field_mode():
    """The "instant from a field" temporal mode (Qgis.VectorTemporalMode, QGIS 3.22 and later)."""
    return Qgis.VectorTemporalMode.FeatureDateTimeInstantFromField


def _point_of(geometry: Any) -> QgsGeometry:
    """A point for an entity location (shapely or QgsGeometry); non-points use a point on the surface."""
    if geometry is None:
        return QgsGeometry()
    if isinstance(geometry, QgsGeometry):
        return geometry if geometry.type() == 0 and not geometry.isMultipart() else geometry.pointOnSurface()
    if geometry.geom_type == "Point":
        return QgsGeometry.fromPointXY(QgsPointXY(geometry.x, geometry.y))
    point = geometry.representative_point()
    return QgsGeometry.fromPointXY(QgsPointXY(point.x, point.y))


def build_history_layer(
    series: Iterable[tuple[str, str, Any, list[tuple[datetime, Any]]]],
    name: str | None = None,
) -> QgsVectorLayer:
    """A time-enabled layer from ``(entity_id, attribute, location, [(time, value), ...])`` rows."""
    series = list(series)
    numeric = all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for _, _, _, points in series for _, v in points
    )
    layer = QgsVectorLayer("Point?crs=EPSG:4326", name or tr("City OS history"), "memory")
    provider = layer.dataProvider()
    provider.addAttributes(
        [
            qgs_field("entity_id", STRING),
            qgs_field("attribute", STRING),
            qgs_field("value", DOUBLE if numeric else STRING),
            qgs_field("value_text", STRING),
            qgs_field("observed_at", DATETIME),
        ]
    )
    layer.updateFields()
    fields = layer.fields()
    features = []
    for entity_id, attr, location, points in series:
        geometry = _point_of(location)
        for moment, value in points:
            feature = QgsFeature(fields)
            feature.setGeometry(geometry)
            text = value if isinstance(value, str) else json_text(value)
            shown = float(value) if numeric else text
            feature.setAttributes([entity_id, attr, shown, text, to_qdatetime(moment)])
            features.append(feature)
    provider.addFeatures(features)
    layer.updateExtents()
    props = layer.temporalProperties()
    props.setMode(instant_from_field_mode())
    props.setStartField("observed_at")
    props.setIsActive(True)
    layer.setCustomProperty("smartcity/history", "1")
    show_local_times(layer)
    return layer


def load_history_layer(
    client: Any,
    entity_ids: list[str],
    attrs: list[str],
    start: datetime | None = None,
    end: datetime | None = None,
    last_n: int | None = None,
    locations: dict[str, Any] | None = None,
    feedback: QgsFeedback | None = None,
    name: str | None = None,
) -> QgsVectorLayer:
    """Fetch the history of ``attrs`` of ``entity_ids`` with ``client`` and make the layer.

    ``locations`` maps entity ids to geometries (shapely or QgsGeometry) already known,
    e.g. from the selected features; other entities are asked for their location.
    """
    locations = dict(locations or {})
    series = []
    total = max(1, len(entity_ids) * len(attrs))
    done = 0
    for entity_id in entity_ids:
        if entity_id not in locations:
            locations[entity_id] = client.entity(entity_id).geometry
        for attr in attrs:
            if feedback is not None and feedback.isCanceled():
                break
            points = client.history(entity_id, attr, start=start, end=end, last_n=last_n)
            series.append((entity_id, attr, locations[entity_id], points))
            done += 1
            if feedback is not None:
                feedback.setProgress(100.0 * done / total)
    if name is None:
        name = tr("History: {0}").format(", ".join(attrs))
    return build_history_layer(series, name)


class HistoryLoadTask(QgsTask):
    """`load_history_layer` in QGIS's task manager; ``loaded`` gives the layer on the main thread."""

    loaded = pyqtSignal(object)
    failed = pyqtSignal(str)

    def __init__(self, config: Any, entity_ids: list[str], attrs: list[str], **options: Any) -> None:
        from smartcity_qgis.layers.cityos.messages import quiet_task_flags

        super().__init__(tr("Loading history from the city OS"), quiet_task_flags())
        self.config = config
        self.entity_ids = entity_ids
        self.attrs = attrs
        self.options = options
        self.layer: QgsVectorLayer | None = None
        self.error = ""
        self._feedback = QgsFeedback()
        self._feedback.progressChanged.connect(self.setProgress)

    def cancel(self) -> None:
        self._feedback.cancel()
        super().cancel()

    def run(self) -> bool:
        from qgis.core import QgsApplication

        from smartcity_qgis.cityos_client import CityOSClient
        from smartcity_qgis.layers.cityos.messages import error_message

        try:
            with CityOSClient(self.config) as client:
                layer = load_history_layer(client, self.entity_ids, self.attrs, feedback=self._feedback, **self.options)
        except Exception as exc:  # reported in finished()
            self.error = error_message(exc)
            return False
        layer.moveToThread(QgsApplication.instance().thread())
        self.layer = layer
        return not self._feedback.isCanceled()

    def finished(self, ok: bool) -> None:
        if ok and self.layer is not None:
            self.loaded.emit(self.layer)
        else:
            self.failed.emit(self.error or tr("Loading was cancelled."))
