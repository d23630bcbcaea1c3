"""Applying entity changes to entity layers in place, on the main thread, in small batches.

`EntityApplier` owns the entity-id to feature-id map of one layer group (the
point / line / polygon layers of one type) and a queue of pending operations.
A `QTimer` drains the queue in slices of a bounded time, so a burst of
thousands of updates never stalls the event loop for long; repaints are
throttled. Features are changed through the data provider (no edit buffer, no
undo stack), so feature ids stay stable and the layer is never rebuilt.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from qgis.core import QgsFeatureRequest, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, QTimer, QVariant, pyqtSignal

from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.entity_features import (
    NO_GEOMETRY,
    POINT,
    GeometryError,
    RowBuilder,
    apply_schema_change,
    build_features,
    entity_geometry,
    entity_kind,
    layer_is_multipoint,
    schema_of_layer,
)
from smartcity_qgis.layers.cityos.entity_schema import ENTITY_ID, RECEIVED_AT, ROLE_VALUE, EntitySchema

UPSERT = "upsert"
SYNC = "sync"  # a complete set: upsert all, remove the entities not in it
REMOVE = "remove"
# Entities per queue item: small enough that one item never takes more than a few
# milliseconds, so a slice stops close to its time budget.
_CHUNK = 50


def _plain(value: Any) -> Any:
    """NULL QVariants as None, so old and new values compare."""
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    return value


class EntityApplier(QObject):
    """Batched, in-place application of entity upserts and removals to one layer group."""

    features_updated = pyqtSignal(list)  # fids whose values or geometry changed
    features_added = pyqtSignal(list)  # fids of new features
    features_removed = pyqtSignal(list)  # fids removed
    value_changed = pyqtSignal(str, str, object, object)  # entity id, attribute, old, new
    batch_applied = pyqtSignal()  # the queue became empty
    entity_rejected = pyqtSignal(str, str)  # entity id, reason

    def __init__(
        self,
        layers: dict[str, QgsVectorLayer],
        budget_ms: float = 20.0,
        repaint_interval_ms: int = 300,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.layers = dict(layers)
        first = next(iter(self.layers.values()))
        self.schema: EntitySchema = schema_of_layer(first) or EntitySchema()
        self.builder = RowBuilder(self.schema)
        self.budget = budget_ms / 1000.0
        self.where: dict[str, tuple[str, int]] = {}  # entity id -> (kind, fid)
        self._queue: deque[tuple[str, Any]] = deque()
        self._sync_seen: set[str] | None = None
        self._dirty: set[str] = set()
        self._last_repaint = 0.0
        self._repaint_interval = repaint_interval_ms / 1000.0
        self.max_slice_seconds = 0.0  # longest drain slice so far (diagnostics and tests)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._drain)
        self._repaint_timer = QTimer(self)
        self._repaint_timer.setSingleShot(True)
        self._repaint_timer.timeout.connect(self._repaint)
        self._kind_of_layer = {layer.id(): kind for kind, layer in self.layers.items()}
        for layer in self.layers.values():
            layer.willBeDeleted.connect(self._layer_gone)
        self.rebuild_index()

    def _layer_gone(self) -> None:
        """A layer of the group is being deleted: forget it and everything queued for the group."""
        sender = self.sender()
        kind = self._kind_of_layer.get(sender.id()) if sender is not None else None
        if kind is None:
            return
        self.layers.pop(kind, None)
        self.where = {eid: place for eid, place in self.where.items() if place[0] != kind}
        self._dirty.discard(kind)
        if not self.layers:
            self._queue.clear()
            self._timer.stop()
            self._repaint_timer.stop()

    # -- public ---------------------------------------------------------------------
    def rebuild_index(self) -> None:
        """Read the entity-id to feature-id map from the layers."""
        self.where.clear()
        for kind, layer in self.layers.items():
            index = layer.fields().indexOf(ENTITY_ID)
            request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
            request.setSubsetOfAttributes([index])
            for feature in layer.dataProvider().getFeatures(request):
                self.where[str(feature.attributes()[index])] = (kind, feature.id())

    def enqueue(self, operation: str, payload: Any, all_ids: Any = None) -> None:
        """Queue ``upsert`` (entities), ``sync`` (the complete entity list) or ``remove`` (ids).

        A ``sync`` may carry only the entities that changed when ``all_ids`` lists every
        entity id the broker has: the others are then removed.
        """
        if operation == SYNC:
            payload = list(payload)
            self._queue.append(("sync_begin", None))
            for start in range(0, len(payload), _CHUNK):
                self._queue.append((UPSERT, payload[start : start + _CHUNK]))
            self._queue.append(("sync_end", None if all_ids is None else set(all_ids)))
        elif operation == UPSERT:
            payload = list(payload)
            for start in range(0, len(payload), _CHUNK):
                self._queue.append((UPSERT, payload[start : start + _CHUNK]))
        else:
            self._queue.append((operation, list(payload)))
        if not self._timer.isActive():
            self._timer.start(0)

    def pending(self) -> int:
        """Operations still queued."""
        return len(self._queue)

    def flush(self) -> None:
        """Apply everything queued now (scripts and tests; the UI relies on the timer)."""
        while self._queue:
            self._drain(budget=None)
        self._repaint()

    def fid(self, entity_id: str) -> int | None:
        """The feature id of an entity, if it is on the map."""
        found = self.where.get(entity_id)
        return found[1] if found else None

    # -- draining -------------------------------------------------------------------
    def _drain(self, budget: float | None = -1.0) -> None:
        budget = self.budget if budget == -1.0 else budget
        started = time.perf_counter()
        while self._queue:
            operation, payload = self._queue.popleft()
            if operation == UPSERT:
                self._upsert(payload)
            elif operation == REMOVE:
                self._remove(payload)
            elif operation == "sync_begin":
                self._sync_seen = set()
            elif operation == "sync_end":
                seen, self._sync_seen = payload if payload is not None else (self._sync_seen or set()), None
                self._remove([eid for eid in self.where if eid not in seen])
            if budget is not None and time.perf_counter() - started >= budget:
                break
        self.max_slice_seconds = max(self.max_slice_seconds, time.perf_counter() - started)
        if self._queue:
            self._timer.start(0)
        else:
            self.batch_applied.emit()
        self._schedule_repaint()

    def _schedule_repaint(self) -> None:
        if not self._dirty or self._repaint_timer.isActive():
            return
        wait = self._repaint_interval - (time.monotonic() - self._last_repaint)
        self._repaint_timer.start(max(0, int(wait * 1000)))

    def _repaint(self) -> None:
        for kind in list(self._dirty):
            layer = self.layers.get(kind)
            if layer is not None:
                layer.updateExtents()
                layer.triggerRepaint()
        self._dirty.clear()
        self._last_repaint = time.monotonic()

    # -- operations -----------------------------------------------------------------
    def _grow_schema(self, entities: list[Any]) -> None:
        if not any(self.schema.needs_widening(e) for e in entities):
            return
        change = self.schema.observe(entities)
        if not change:
            return
        for layer in self.layers.values():
            apply_schema_change(layer, self.schema, change)
        self.builder = RowBuilder(self.schema)

    def _kind_for(self, entity: Any) -> str | None:
        try:
            kind = entity_kind(entity)
        except (GeometryError, ValueError, TypeError) as exc:
            self.entity_rejected.emit(str(entity.id), str(exc))
            return None
        if kind == NO_GEOMETRY:
            current = self.where.get(entity.id)
            if current:
                return current[0]
            return NO_GEOMETRY if NO_GEOMETRY in self.layers else next(iter(self.layers))
        if kind not in self.layers:
            self.entity_rejected.emit(str(entity.id), tr("There is no {0} layer for this entity type.").format(kind))
            return None
        return kind

    def _upsert(self, entities: list[Any]) -> None:
        latest = {e.id: e for e in entities}
        entities = list(latest.values())
        if self._sync_seen is not None:
            self._sync_seen.update(latest)
        self._grow_schema(entities)
        now = datetime.now(UTC)
        by_kind: dict[str, list[Any]] = {}
        moved: list[str] = []
        for entity in entities:
            kind = self._kind_for(entity)
            if kind is None:
                continue
            current = self.where.get(entity.id)
            if current is not None and current[0] != kind:
                moved.append(entity.id)
            by_kind.setdefault(kind, []).append(entity)
        if moved:
            self._remove(moved)
        for kind, members in by_kind.items():
            if kind not in self.layers:
                continue
            self._upsert_kind(self.layers[kind], kind, members, now)

    def _upsert_kind(self, layer: QgsVectorLayer, kind: str, entities: list[Any], now: datetime) -> None:
        provider = layer.dataProvider()
        existing = {self.where[e.id][1]: e for e in entities if e.id in self.where}
        new = [e for e in entities if e.id not in self.where]
        received_index = self.schema.index(self.schema.spec(RECEIVED_AT, "fixed"))
        attr_changes: dict[int, dict[int, Any]] = {}
        geom_changes = {}
        value_events: list[tuple[str, str, Any, Any]] = []
        multipoint = kind == POINT and layer_is_multipoint(layer)
        if existing:
            request = QgsFeatureRequest().setFilterFids(list(existing))
            for feature in provider.getFeatures(request):
                entity = existing[feature.id()]
                old = feature.attributes()
                row = self.builder.row(entity, now)
                changed = {
                    i: value for i, value in enumerate(row) if i != received_index and _plain(old[i]) != _plain(value)
                }
                try:
                    geometry = entity_geometry(entity, kind, multipoint)
                except GeometryError as exc:
                    self.entity_rejected.emit(str(entity.id), str(exc))
                    continue
                old_geometry = feature.geometry()
                if not (geometry.isNull() and old_geometry.isNull()) and not geometry.equals(old_geometry):
                    geom_changes[feature.id()] = geometry
                if changed or feature.id() in geom_changes:
                    changed[received_index] = row[received_index]
                    attr_changes[feature.id()] = changed
                    for i in changed:
                        spec = self.schema.specs[i]
                        if spec.role == ROLE_VALUE:
                            value_events.append((entity.id, spec.attr, _plain(old[i]), _plain(row[i])))
        if attr_changes:
            provider.changeAttributeValues(attr_changes)
        if geom_changes:
            provider.changeGeometryValues(geom_changes)
        added: list[int] = []
        if new:
            bad: list[tuple[str, str]] = []
            features = build_features(new, layer, self.builder, kind, now, bad)
            for entity_id, reason in bad:
                self.entity_rejected.emit(str(entity_id), reason)
            ok, features = provider.addFeatures(features)
            if ok:
                id_index = self.schema.index(self.schema.spec(ENTITY_ID, "fixed"))
                for feature in features:
                    self.where[str(feature.attributes()[id_index])] = (kind, feature.id())
                    added.append(feature.id())
        updated = sorted(attr_changes)
        if updated or added:
            self._dirty.add(kind)
        for event in value_events:
            self.value_changed.emit(*event)
        if updated:
            self.features_updated.emit(updated)
        if added:
            self.features_added.emit(added)

    def _remove(self, entity_ids: Iterable[str]) -> None:
        by_kind: dict[str, list[int]] = {}
        for entity_id in list(entity_ids):
            found = self.where.pop(entity_id, None)
            if found is not None:
                by_kind.setdefault(found[0], []).append(found[1])
        removed: list[int] = []
        for kind, fids in by_kind.items():
            if kind in self.layers and self.layers[kind].dataProvider().deleteFeatures(fids):
                removed.extend(fids)
                self._dirty.add(kind)
        if removed:
            self.features_removed.emit(removed)
