"""Watching a layer of river stations: 警戒レベル crossings as they happen, written to the alert log.

`RiverMonitor` keeps a `RiverWatch` of the stations of one layer. It follows the layer's live
updater (`value_changed`, `features_added`, `features_removed`) and edits made in QGIS; on each
new water-level reading it re-annotates that station in place (``alert_level``, ``trend``,
``margin``, ``stale``), writes every level crossed (upward or back down) to the alert log layer
kept in the project and emits `RiverMonitor.crossed`. Values that did not change are ignored.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsMessageLog,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from smartcity_qgis.analysis.river import RiverThresholds, RiverWatch, StationTable
from smartcity_qgis.cityos_client.names import short_name
from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta
from smartcity_qgis.layers.rivers.alerts import ALERT_LOG_PROPERTY, append_crossings, create_alert_log_layer
from smartcity_qgis.layers.rivers.style import (
    ALERT_LEVEL,
    MARGIN,
    STALE,
    TREND,
    RiverFieldMap,
    _number,
    _plain,
    _when,
    annotate_river_layer,
    station_thresholds,
)

RIVER_ENTITY_TYPES = ("WaterObserved",)
ANNOTATION_FIELDS = (ALERT_LEVEL, TREND, MARGIN, STALE)
STALE_CHECK_MS = 60_000
LOG_TAG = "SmartCity"


def is_river_layer(layer: Any, fields: RiverFieldMap | None = None) -> bool:
    """True for a point layer of water-level stations (a WaterObserved entity layer, or any
    vector layer with a water-level field and the four reference levels)."""
    if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
        return False
    if layer.customProperty(ALERT_LOG_PROPERTY):
        return False
    meta = LayerMeta.from_layer(layer)
    if meta is not None:
        # An NGSI-LD broker may name the type by its IRI (no @context defining it): its last segment counts.
        return short_name(meta.entity_type) in RIVER_ENTITY_TYPES and (meta.geometry_kind or "point") == "point"
    fields = fields or RiverFieldMap()
    names = set(layer.fields().names())
    return {fields.water_level, fields.standby, fields.caution, fields.evacuation, fields.danger} <= names


def alert_log_layer(project: QgsProject | None = None) -> QgsVectorLayer:
    """The project's alert log layer, made and added to the project when there is none yet."""
    project = project or QgsProject.instance()
    for layer in project.mapLayers().values():
        if isinstance(layer, QgsVectorLayer) and layer.customProperty(ALERT_LOG_PROPERTY):
            return layer
    log = create_alert_log_layer()
    project.addMapLayer(log)
    return log


@dataclass(frozen=True)
class StationState:
    """What the panel shows of one station."""

    station_id: str
    name: str
    fid: int
    water_level: float | None
    level: int | None
    margin: float | None
    trend: str
    stale: bool
    observed: datetime | None

    def severity_key(self) -> tuple:
        """Sort key: highest level first, then the smallest margin to the next level, then name."""
        level = -1 if self.level is None else self.level
        margin = float("inf") if self.margin is None else self.margin
        return (-level, margin, self.name, self.station_id)


class RiverMonitor(QObject):
    """Turns new readings of a river-station layer into annotations, crossings and alert-log rows."""

    crossed = pyqtSignal(str, str, int, int)  # station id, station name, from level, to level
    stations_changed = pyqtSignal(list)  # station ids whose level, trend, margin or age changed

    def __init__(
        self,
        layer: QgsVectorLayer,
        log: QgsVectorLayer | None = None,
        fields: RiverFieldMap | None = None,
        station_table: StationTable | None = None,
        project: QgsProject | None = None,
        stale_after: timedelta = timedelta(minutes=30),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.layer: QgsVectorLayer | None = layer
        self.fields = fields or RiverFieldMap()
        self.station_table = station_table
        self.project = project or QgsProject.instance()
        self.stale_after = stale_after
        self.watch = RiverWatch()
        self.problems: dict[str, str] = {}
        self._log = log
        self._fids: dict[str, int] = {}
        self._updaters: list[Any] = []
        self._moving_fields = False
        watched = self.fields
        self._watched_attrs = {
            watched.water_level, watched.standby, watched.caution, watched.evacuation, watched.danger,
            watched.levee, watched.observed, watched.name,
        }  # fmt: skip
        to_wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
        self._transform = QgsCoordinateTransform(layer.crs(), to_wgs84, self.project)
        layer.willBeDeleted.connect(self._layer_gone)
        layer.attributeValueChanged.connect(self._edited)
        layer.updatedFields.connect(self._fields_changed)
        self._stale_timer = QTimer(self)
        self._stale_timer.setInterval(STALE_CHECK_MS)
        self._stale_timer.timeout.connect(self.refresh_staleness)
        self._stale_timer.start()
        self.refresh(strict=True)

    # -- wiring -------------------------------------------------------------------------
    def attach_updater(self, updater: Any) -> None:
        """Follow a `LiveLayerUpdater` (or anything with its signals); attaching twice is harmless."""
        if updater is None or any(u is updater for u in self._updaters):
            return
        updater.value_changed.connect(self._value_changed)
        updater.features_added.connect(self._features_added)
        updater.features_removed.connect(self._features_removed)
        self._updaters.append(updater)

    def detach(self) -> None:
        """Stop following the layer and its updaters."""
        self._stale_timer.stop()
        for updater in self._updaters:
            with contextlib.suppress(TypeError, RuntimeError):
                updater.value_changed.disconnect(self._value_changed)
                updater.features_added.disconnect(self._features_added)
                updater.features_removed.disconnect(self._features_removed)
        self._updaters.clear()
        layer, self.layer = self.layer, None
        if layer is not None:
            with contextlib.suppress(TypeError, RuntimeError):
                layer.willBeDeleted.disconnect(self._layer_gone)
                layer.attributeValueChanged.disconnect(self._edited)
                layer.updatedFields.disconnect(self._fields_changed)

    def log_layer(self) -> QgsVectorLayer:
        """The alert log this monitor writes to (found or made again if it was removed)."""
        if self._log is not None:
            try:
                self._log.id()
                return self._log
            except RuntimeError:  # removed from the project and deleted
                self._log = None
        self._log = alert_log_layer(self.project)
        return self._log

    # -- reading the stations -------------------------------------------------------------
    def refresh(self, strict: bool = False) -> list[str]:
        """Read every station again; readings that are new are observed (and their crossings logged).

        ``strict`` raises ``ValueError`` when the layer cannot take the computed fields."""
        layer = self.layer
        if layer is None:
            return []
        self._fids.clear()
        changed = []
        for feature in layer.getFeatures():
            station = self._station_id(feature)
            self._fids[station] = feature.id()
            if self._observe(feature, station):
                changed.append(station)
        self._annotate(None, strict)
        self.stations_changed.emit(sorted(self._fids))
        return changed

    def refresh_staleness(self) -> None:
        """Recompute the age flags of every station (readings grow old without any update)."""
        if self.layer is None:
            return
        self._annotate(None)
        self.stations_changed.emit(sorted(self._fids))

    def station_ids(self) -> list[str]:
        return list(self._fids)

    def stations(self) -> list[StationState]:
        """Every station, most severe first."""
        layer = self.layer
        if layer is None:
            return []
        request = QgsFeatureRequest().setFilterFids(list(self._fids.values()))
        states = [self._state(f) for f in layer.getFeatures(request)]
        return sorted(states, key=StationState.severity_key)

    def station(self, station_id: str) -> StationState | None:
        feature = self.feature(station_id)
        return self._state(feature) if feature is not None else None

    def feature(self, station_id: str) -> QgsFeature | None:
        fid = self._fids.get(station_id)
        if fid is None or self.layer is None:
            return None
        feature = self.layer.getFeature(fid)
        return feature if feature.isValid() else None

    def thresholds(self, station_id: str) -> RiverThresholds | None:
        """The reference levels of a station (None when they are missing or inconsistent)."""
        feature = self.feature(station_id)
        if feature is None:
            return None
        try:
            return station_thresholds(feature, self.fields, self.station_table)
        except ValueError:
            return None

    # -- reacting -----------------------------------------------------------------------
    def _value_changed(self, entity_id: str, attr: str, old: object, new: object) -> None:
        if attr not in self._watched_attrs or old == new:
            return
        fid = self._fids.get(str(entity_id))
        if fid is not None:
            self.update_features([fid])

    def _edited(self, fid: int, index: int, _value: object) -> None:
        names = self.layer.fields().names() if self.layer is not None else []
        if 0 <= index < len(names) and names[index] in self._watched_attrs:
            self.update_features([fid])

    def _features_added(self, fids: list) -> None:
        layer = self.layer
        if layer is None:
            return
        added = []
        for feature in layer.getFeatures(QgsFeatureRequest().setFilterFids(list(fids))):
            station = self._station_id(feature)
            self._fids[station] = feature.id()
            self._observe(feature, station)
            added.append(feature.id())
        if added:
            self._annotate(added)
            self.stations_changed.emit(sorted(self._fids))

    def _features_removed(self, fids: list) -> None:
        gone = set(fids)
        before = len(self._fids)
        self._fids = {station: fid for station, fid in self._fids.items() if fid not in gone}
        if len(self._fids) != before:
            self.stations_changed.emit(sorted(self._fids))

    def update_features(self, fids: list[int]) -> list[str]:
        """Take the current values of these features as new readings; returns the stations that changed."""
        layer = self.layer
        if layer is None:
            return []
        by_fid = {fid: station for station, fid in self._fids.items()}
        changed = []
        for feature in layer.getFeatures(QgsFeatureRequest().setFilterFids(list(fids))):
            station = by_fid.get(feature.id()) or self._station_id(feature)
            self._fids[station] = feature.id()
            self._observe(feature, station)
            changed.append(station)
        if changed:
            self._annotate([self._fids[s] for s in changed])
            self.stations_changed.emit(changed)
        return changed

    def _observe(self, feature: QgsFeature, station: str) -> bool:
        """Record the feature's reading if it is new; write and announce the crossings it makes."""
        level = _number(feature.attribute(self.fields.water_level)) if self._has(self.fields.water_level) else None
        if level is None:
            return False
        observed = self._observed(feature)
        history = self.watch.history(station)
        if history:
            last_when, last_level = history[-1]
            if last_level == level and (observed is None or observed == last_when):
                return False
        # A reading pushed without a new observation time is taken as observed when it arrived.
        when = observed if observed is not None and (not history or observed > history[-1][0]) else None
        when = when or datetime.now(UTC)
        try:
            thresholds = station_thresholds(feature, self.fields, self.station_table)
        except ValueError as exc:
            self.problems[station] = str(exc)
            return False
        self.problems.pop(station, None)
        crossings = self.watch.observe(station, when, level, thresholds)
        if crossings:  # never on a station's first reading: that one only sets its level
            name = self._name(feature)
            try:
                append_crossings(self.log_layer(), station, name, crossings, when, level, self._location(feature))
            except ValueError as exc:  # the crossings are still announced
                QgsMessageLog.logMessage(str(exc), LOG_TAG, Qgis.Warning)
            for crossing in crossings:
                self.crossed.emit(station, name, crossing.from_level, crossing.to_level)
        return True

    # -- helpers ------------------------------------------------------------------------
    def _has(self, name: str) -> bool:
        return self.layer is not None and self.layer.fields().lookupField(name) >= 0

    def _station_id(self, feature: QgsFeature) -> str:
        value = _plain(feature.attribute(self.fields.station_id)) if self._has(self.fields.station_id) else None
        return str(value) if value not in (None, "") else f"#{feature.id()}"

    def _name(self, feature: QgsFeature) -> str:
        value = _plain(feature.attribute(self.fields.name)) if self._has(self.fields.name) else None
        return str(value) if value not in (None, "") else self._station_id(feature)

    def _observed(self, feature: QgsFeature) -> datetime | None:
        if not self._has(self.fields.observed):
            return None
        when = _when(feature.attribute(self.fields.observed))
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when

    def _location(self, feature: QgsFeature) -> QgsPointXY | None:
        geometry = feature.geometry()
        if geometry is None or geometry.isEmpty():
            return None
        point = geometry.centroid().asPoint()
        try:
            return self._transform.transform(QgsPointXY(point))
        except Exception:  # a point outside the CRS's area: the row is still written, without a place
            return None

    def _state(self, feature: QgsFeature) -> StationState:
        def value(name: str):
            return _plain(feature.attribute(name)) if self._has(name) else None

        level = value(ALERT_LEVEL)
        history = self.watch.history(self._station_id(feature))
        observed = self._observed(feature) or (history[-1][0] if history else None)
        return StationState(
            station_id=self._station_id(feature),
            name=self._name(feature),
            fid=feature.id(),
            water_level=_number(value(self.fields.water_level)),
            level=int(level) if level is not None else None,
            margin=_number(value(MARGIN)),
            trend=str(value(TREND) or "unknown"),
            stale=bool(value(STALE)),
            observed=observed if isinstance(observed, datetime) else None,
        )

    def _annotate(self, fids: list[int] | None, strict: bool = False) -> None:
        layer = self.layer
        if layer is None:
            return
        histories = {station: self.watch.history(station) for station in self._fids}
        try:
            annotate_river_layer(
                layer, self.fields, self.station_table, histories, stale_after=self.stale_after, fids=fids
            )
        except ValueError as exc:  # live updates go on; the layer keeps its previous levels
            if strict:
                raise
            QgsMessageLog.logMessage(str(exc), LOG_TAG, Qgis.Warning)

    def _fields_changed(self) -> None:
        """Keep the computed fields after the entity's own ones.

        Live layers write rows by position, so a field the city OS adds later must come
        before ours; the computed values are simply computed again.
        """
        layer = self.layer
        if layer is None or self._moving_fields:
            return
        names = layer.fields().names()
        present = [n for n in ANNOTATION_FIELDS if n in names]
        if not present or names[-len(present) :] == present:
            return
        self._moving_fields = True
        try:
            provider = layer.dataProvider()
            provider.deleteAttributes([layer.fields().lookupField(n) for n in present])
            layer.updateFields()
            self._annotate(None)
        finally:
            self._moving_fields = False

    def _layer_gone(self) -> None:
        self._stale_timer.stop()
        self.layer = None
        self._fids.clear()
