"""Watching a layer of river stations: 警戒レベル crossings as they happen, written to the alert log.

`RiverMonitor` feeds the stations of one layer to a `RiverWatch` (one watch may be shared by
the monitors of several layers: a station is one station whichever layer speaks for it). It
follows the layer's live updater (`value_changed`, `features_added`, `features_removed`), edits
made in QGIS and any other change of the layer's data (a snapshot restored, a reload after being
offline: the layer asks to be repainted, the monitor reads it again). On each new water-level
reading it re-annotates that station in place (``alert_level``, ``trend``, ``margin``, ``stale``
for 警戒レベル layers), writes every level crossed (upward or back down) to the alert log layer
kept in the project and emits `RiverMonitor.crossed`. Values that did not change are ignored.
Each layer is read with its own threshold scheme (`layers.rivers.schemes`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
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
from smartcity_qgis.layers.rivers.schemes import (
    RiverScheme,
    WarningLevelScheme,
    is_crisis_layer,
    scheme_for_layer,
)
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
STATION_TABLE_PROPERTY = "smartcity/river_station_table"  # path of the station table a layer was styled with
ANNOTATION_FIELDS = (ALERT_LEVEL, TREND, MARGIN, STALE)
STALE_CHECK_MS = 60_000
RESCAN_DELAY_MS = 400  # a burst of repaints (live updates) is read once
LOG_TAG = "SmartCity"


def is_river_layer(layer: Any, fields: RiverFieldMap | None = None) -> bool:
    """True for a point layer of water-level stations: a WaterObserved entity layer, a crisis-gauge
    layer, a layer styled with a station table, or any layer with a water level and the four levels."""
    if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
        return False
    if layer.customProperty(ALERT_LOG_PROPERTY):
        return False
    if is_crisis_layer(layer):
        return True
    if layer.customProperty(STATION_TABLE_PROPERTY, ""):
        return layer.fields().lookupField((fields or RiverFieldMap()).water_level) >= 0
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
    level: int | None  # the stage in the station's own scheme (警戒レベル, or crisis-gauge stage)
    margin: float | None
    trend: str
    stale: bool
    observed: datetime | None
    scheme: Any = field(default=None, compare=False)
    rate: float | None = None  # m/h over the monitor's window
    layer_id: str = ""

    @property
    def rank(self) -> float:
        """Severity on one scale for every scheme (see `layers.rivers.schemes`)."""
        if self.scheme is None:
            return -1.0 if self.level is None else float(self.level)
        return self.scheme.rank(self.level)

    def severity_key(self) -> tuple:
        """Sort key: most severe first, then the smallest margin to the next level, then name."""
        margin = float("inf") if self.margin is None else self.margin
        return (-self.rank, margin, self.name, self.station_id)


class RiverMonitor(QObject):
    """Turns new readings of a river-station layer into annotations, crossings and alert-log rows."""

    crossed = pyqtSignal(str, str, int, int)  # station id, station name, from level, to level
    rising_fast = pyqtSignal(str, str, float)  # station id, station name, m/h (at or over rate_alert)
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
        watch: RiverWatch | None = None,
        scheme: RiverScheme | None = None,
    ) -> None:
        super().__init__(parent)
        self.layer: QgsVectorLayer | None = layer
        if scheme is None and fields is not None:
            scheme = WarningLevelScheme(fields, station_table)
        scheme = scheme or scheme_for_layer(layer, station_table)
        self.scheme = scheme
        self.fields = scheme.fields
        self.station_table = station_table
        self.project = project or QgsProject.instance()
        self.stale_after = stale_after
        self.watch = watch if watch is not None else RiverWatch()
        self.rate_window = timedelta(hours=1)
        self.rate_alert: float | None = None  # m/h; None: no rate-of-rise alert
        self.problems: dict[str, str] = {}
        self._log = log
        self._fids: dict[str, int] = {}
        self._updaters: list[Any] = []
        self._moving_fields = False
        self._watched_attrs = scheme.watched
        self._source = layer.id()
        to_wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
        self._transform = QgsCoordinateTransform(layer.crs(), to_wgs84, self.project)
        layer.willBeDeleted.connect(self._layer_gone)
        layer.attributeValueChanged.connect(self._edited)
        layer.updatedFields.connect(self._fields_changed)
        layer.repaintRequested.connect(self._schedule_rescan)
        self._rescan_timer = QTimer(self)
        self._rescan_timer.setSingleShot(True)
        self._rescan_timer.setInterval(RESCAN_DELAY_MS)
        self._rescan_timer.timeout.connect(self.rescan)
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
        self._rescan_timer.stop()
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
                layer.repaintRequested.disconnect(self._schedule_rescan)

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

    def rescan(self) -> list[str]:
        """Read the layer again and take what changed as new readings (a snapshot restored, a reload
        after being offline, anything that changed the data without a live update)."""
        layer = self.layer
        if layer is None:
            return []
        fids, changed = {}, []
        for feature in layer.getFeatures():
            station = self._station_id(feature)
            fids[station] = feature.id()
            if self._observe(feature, station):
                changed.append(station)
        membership = set(fids) != set(self._fids)
        self._fids = fids
        if changed:
            self._annotate([fids[s] for s in changed])
        if changed or membership:
            self.stations_changed.emit(sorted(fids))
        return changed

    def _schedule_rescan(self) -> None:
        if not self._rescan_timer.isActive():
            self._rescan_timer.start()

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
        """The reference levels of a 警戒レベル station (None when missing, inconsistent or another scheme)."""
        feature = self.feature(station_id)
        if feature is None or not isinstance(self.scheme, WarningLevelScheme):
            return None
        try:
            return station_thresholds(feature, self.fields, self.station_table)
        except ValueError:
            return None

    def chart_lines(self, station_id: str) -> list[tuple[str, float, str]]:
        """(label, metres, colour) of each published threshold of a station, lowest first."""
        feature = self.feature(station_id)
        return self.scheme.chart_lines(feature) if feature is not None else []

    # -- reacting -----------------------------------------------------------------------
    def _value_changed(self, entity_id: str, attr: str, old: object, new: object) -> None:
        if attr not in self._watched_attrs or old == new:
            return
        fid = self._fids.get(str(entity_id))
        if fid is not None:
            self.update_features([fid])
        else:  # a station this monitor has not seen yet (the layer was filled behind its back)
            self._schedule_rescan()

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
        when = self.watch.reading_time(station, observed, level, self._source, datetime.now(UTC))
        if when is None:
            return False
        try:
            reading = self.scheme.read(feature, level)
        except ValueError as exc:
            self.problems[station] = str(exc)
            self.watch.observe_stage(station, when, level, None)
            return True
        self.problems.pop(station, None)
        crossings = self.watch.observe_stage(station, when, level, reading.stage, reading.levels)
        name = self._name(feature)
        if crossings:  # never on a station's first reading: that one only sets its level
            try:
                append_crossings(
                    self.log_layer(), station, name, crossings, when, level, self._location(feature),
                    scheme=self.scheme,
                )  # fmt: skip
            except ValueError as exc:  # the crossings are still announced
                QgsMessageLog.logMessage(str(exc), LOG_TAG, Qgis.MessageLevel.Warning)
            for crossing in crossings:
                self.crossed.emit(station, name, crossing.from_level, crossing.to_level)
        self._check_rate(station, name)
        return True

    def _check_rate(self, station: str, name: str) -> None:
        if self.rate_alert is None:
            return
        rate = self.watch.rate_of_rise(station, self.rate_window)
        if rate is not None and rate >= self.rate_alert:
            if station not in self.watch.rate_alerted:
                self.watch.rate_alerted.add(station)
                self.rising_fast.emit(station, name, rate)
        elif rate is not None:
            self.watch.rate_alerted.discard(station)

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
        station = self._station_id(feature)
        level = _number(feature.attribute(self.fields.water_level)) if self._has(self.fields.water_level) else None
        stage = margin = None
        if level is not None:
            try:
                reading = self.scheme.read(feature, level)
                stage, margin = reading.stage, reading.margin
            except ValueError:
                pass
        history = self.watch.history(station)
        observed = self._observed(feature) or (history[-1][0] if history else None)
        observed = observed if isinstance(observed, datetime) else None
        stale = observed is None or datetime.now(UTC) - observed > self.stale_after
        return StationState(
            station_id=station,
            name=self._name(feature),
            fid=feature.id(),
            water_level=level,
            level=stage,
            margin=margin,
            trend=self.watch.trend(station),
            stale=stale,
            observed=observed,
            scheme=self.scheme,
            rate=self.watch.rate_of_rise(station, self.rate_window),
            layer_id=self._source,
        )

    def _annotate(self, fids: list[int] | None, strict: bool = False) -> None:
        layer = self.layer
        if layer is None or not self.scheme.annotates:
            return
        histories = {station: self.watch.history(station) for station in self._fids}
        try:
            annotate_river_layer(
                layer, self.fields, self.station_table, histories, stale_after=self.stale_after, fids=fids
            )
        except ValueError as exc:  # live updates go on; the layer keeps its previous levels
            if strict:
                raise
            QgsMessageLog.logMessage(str(exc), LOG_TAG, Qgis.MessageLevel.Warning)

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
        self._rescan_timer.stop()
        self.layer = None
        self._fids.clear()
