"""Loading city-OS entities into QGIS layers: a synchronous function and a `QgsTask`.

`load_entity_layers` does the whole job on the calling thread (scripts, tests,
Processing, benchmarks); `EntityLoadTask` runs the same code in QGIS's task
manager (progress, cancel) and hands finished layers to the main thread, so the
canvas stays usable while a large type loads.

One layer per connection + tenant + service path + type; mixed geometry types
are split into point, line and polygon layers; entities without a location go
into the main layer with an empty geometry. Entities that cannot be used are
listed with their id and reason in `LoadResult.invalid`; the rest loads.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeedback,
    QgsProject,
    QgsRectangle,
    QgsReferencedRectangle,
    QgsTask,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import pyqtSignal

from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.entity_features import (
    GEOMETRY_KINDS,
    LINE,
    NO_GEOMETRY,
    POINT,
    POLYGON,
    GeometryError,
    RowBuilder,
    add_field_alias_units,
    build_features,
    create_memory_layer,
    entity_kind,
    lazy_point,
)
from smartcity_qgis.layers.entity_layer_meta import LayerMeta
from smartcity_qgis.layers.entity_schema import EntitySchema

BBox = tuple[float, float, float, float]
_BATCH = 20000


@dataclass
class InvalidEntity:
    """An entity left out, with the reason (for the message bar's details view)."""

    entity_id: str | None
    reason: str


@dataclass
class LoadResult:
    """Layers made by one load (by geometry kind), what was left out, and counts."""

    layers: dict[str, QgsVectorLayer] = field(default_factory=dict)
    invalid: list[InvalidEntity] = field(default_factory=list)
    warnings: list[InvalidEntity] = field(default_factory=list)
    loaded: int = 0
    cancelled: bool = False
    layer_ids: dict[str, str] = field(default_factory=dict)

    @property
    def main_layer(self) -> QgsVectorLayer | None:
        """The point layer if there is one, else the layer with the most features."""
        if not self.layers:
            return None
        if POINT in self.layers:
            return self.layers[POINT]
        return max(self.layers.values(), key=lambda layer: layer.featureCount())

    def summary(self) -> str:
        """One line for the message bar."""
        text = tr("Loaded {0} entities").format(self.loaded)
        if self.invalid:
            text += tr("; {0} entities could not be used").format(len(self.invalid))
        if self.warnings:
            text += tr("; {0} warnings").format(len(self.warnings))
        if self.cancelled:
            text += tr(" (cancelled)")
        return text

    def details_text(self) -> str:
        """Every left-out entity and warning, one per line: id, then reason."""
        lines = [tr("Entities that could not be used:")] if self.invalid else []
        lines += [f"{item.entity_id or tr('(no id)')}\t{item.reason}" for item in self.invalid]
        if self.warnings:
            lines.append(tr("Warnings:"))
            lines += [f"{item.entity_id or tr('(no id)')}\t{item.reason}" for item in self.warnings]
        return "\n".join(lines)


def type_label(entity_type: str) -> str:
    """A readable name for well-known entity types, in the user's language."""
    labels = {
        "WaterObserved": tr("River water level"),
        "CrowdFlowObserved": tr("People count"),
        "AirQualityObserved": tr("Air quality"),
        "Streetlight": tr("Streetlights"),
        "OffStreetParking": tr("Parking"),
        "ParkingSpot": tr("Parking"),
        "parking": tr("Parking"),
        "Parking": tr("Parking"),
        "PointOfInterest": tr("Points of interest"),
        "WeatherObserved": tr("Weather"),
        "TrafficFlowObserved": tr("Traffic flow"),
        "NoiseLevelObserved": tr("Noise level"),
    }
    return labels.get(entity_type, "")


def layer_name(meta: LayerMeta, kind: str, split: bool) -> str:
    """The layer's name: readable type, NGSI type, service path, geometry kind, connection."""
    label = type_label(meta.entity_type)
    name = f"{label} ({meta.entity_type})" if label else meta.entity_type
    if meta.service_path and meta.service_path != "/":
        name += f" {meta.service_path}"
    if split:
        name += " — " + {POINT: tr("points"), LINE: tr("lines"), POLYGON: tr("polygons")}.get(kind, "")
    if meta.connection:
        name += f" [{meta.connection}]"
    return name


def to_bbox(extent: Any) -> BBox | None:
    """``extent`` (QgsRectangle in EPSG:4326, QgsReferencedRectangle, or a 4-tuple) as lon/lat."""
    if extent is None:
        return None
    if isinstance(extent, QgsReferencedRectangle):
        crs = extent.crs()
        rect = QgsRectangle(extent)
        if crs.isValid() and crs.authid() != "EPSG:4326":
            transform = QgsCoordinateTransform(
                crs, QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance()
            )
            rect = transform.transformBoundingBox(rect)
        extent = rect
    if isinstance(extent, QgsRectangle):
        if extent.isNull() or extent.isEmpty():
            return None
        return (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())
    box = tuple(float(v) for v in extent)
    if len(box) != 4 or not (box[0] < box[2] and box[1] < box[3]):
        raise ValueError(tr("The extent must be west, south, east, north in degrees."))
    return box  # type: ignore[return-value]


def _accepts(func: Callable, name: str) -> bool:
    try:
        return name in inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False


def fetch_entities(
    client: Any,
    entity_type: str,
    bbox: BBox | None,
    attrs: list[str] | None,
    q: str | None,
    feedback: QgsFeedback | None,
    invalid: list[InvalidEntity],
    progress_share: float = 80.0,
) -> list[Any]:
    """All entities of a query; unusable ones go to ``invalid``. Stops early when cancelled."""

    def progress(done: int, total: int | None = None, *_: Any) -> None:
        if feedback is not None and total:
            feedback.setProgress(min(progress_share, progress_share * done / total))

    def cancel() -> bool:
        return feedback is not None and feedback.isCanceled()

    kwargs: dict[str, Any] = {"bbox": bbox, "q": q, "attrs": attrs, "progress": progress, "cancel": cancel}
    if _accepts(client.iter_entities, "on_invalid"):
        kwargs["on_invalid"] = lambda error: invalid.append(
            InvalidEntity(getattr(error, "entity_id", None), getattr(error, "reason", str(error)))
        )
    entities: dict[str, Any] = {}
    from smartcity_qgis.cityos_client.errors import CancelledError

    try:
        for entity in client.iter_entities(entity_type, **kwargs):
            entities[entity.id] = entity  # the last copy wins if a page repeats an entity
            if cancel():
                break
    except CancelledError:
        pass
    return list(entities.values())


def _group_by_kind(
    entities: list[Any], invalid: list[InvalidEntity]
) -> tuple[dict[str, list[Any]], list[Any]]:
    groups: dict[str, list[Any]] = {}
    for entity in entities:
        try:
            kind = entity_kind(entity)
        except (GeometryError, ValueError, TypeError) as exc:
            invalid.append(InvalidEntity(entity.id, str(exc)))
            continue
        groups.setdefault(kind, []).append(entity)
    without = groups.pop(NO_GEOMETRY, [])
    return groups, without


def build_layers(
    entities: list[Any],
    meta: LayerMeta,
    invalid: list[InvalidEntity] | None = None,
    feedback: QgsFeedback | None = None,
    received_at: datetime | None = None,
    progress_from: float = 80.0,
) -> dict[str, QgsVectorLayer]:
    """Memory layers (one per geometry kind) holding ``entities``; ``meta`` is written on each."""
    invalid = invalid if invalid is not None else []
    received_at = received_at or datetime.now(UTC)
    groups, without = _group_by_kind(entities, invalid)
    if not groups:
        groups = {NO_GEOMETRY if without else POINT: []}
    main = POINT if POINT in groups else max(groups, key=lambda k: len(groups[k]))
    groups[main] = groups[main] + without

    schema = EntitySchema()
    schema.observe(entities)
    units: dict[str, str] = {}
    for entity in entities:
        for name, attr in entity.attributes.items():
            if attr.unit_code and name not in units:
                units[name] = attr.unit_code
    builder = RowBuilder(schema)
    split = len([k for k in groups if k in GEOMETRY_KINDS]) > 1
    total = max(1, sum(len(g) for g in groups.values()))
    done = 0
    layers: dict[str, QgsVectorLayer] = {}
    for kind in sorted(groups, key=lambda k: (k != main, k)):
        members = groups[kind]
        multipoint = kind == POINT and any(
            lazy_point(e) is None
            and e.geometry is not None
            and e.geometry.geom_type == "MultiPoint"
            and len(e.geometry.geoms) > 1
            for e in members
        )
        kind_meta = LayerMeta(**{**meta.__dict__, "geometry_kind": kind, "units": units})
        layer = create_memory_layer(layer_name(kind_meta, kind, split), kind, schema, multipoint)
        kind_meta.apply(layer)
        add_field_alias_units(layer, schema, units)
        bad: list[tuple[str, str]] = []
        provider = layer.dataProvider()
        for start in range(0, len(members), _BATCH):
            if feedback is not None and feedback.isCanceled():
                break
            chunk = members[start : start + _BATCH]
            provider.addFeatures(build_features(chunk, layer, builder, kind, received_at, bad))
            done += len(chunk)
            if feedback is not None:
                feedback.setProgress(progress_from + (100.0 - progress_from) * done / total)
        invalid.extend(InvalidEntity(eid, reason) for eid, reason in bad)
        layer.updateExtents()
        layers[kind] = layer
    return layers


def make_client(config: Any) -> Any:
    """A city-OS client for ``config``."""
    from smartcity_qgis.cityos_client import CityOSClient

    return CityOSClient(config)


def load_entity_layers(
    config: Any,
    entity_type: str,
    extent: Any = None,
    attrs: list[str] | None = None,
    feedback: QgsFeedback | None = None,
    *,
    connection_name: str | None = None,
    q: str | None = None,
    client: Any = None,
) -> LoadResult:
    """Load every entity of ``entity_type`` (inside ``extent``) into memory layers.

    Raises `CityOSError` subclasses when the broker cannot be used at all; entities that
    cannot be used are reported in the result, not raised.
    """
    bbox = to_bbox(extent)
    client = client or make_client(config)
    result = LoadResult()
    query = {"bbox": list(bbox) if bbox else None, "attrs": list(attrs) if attrs else None, "q": q}
    meta = LayerMeta.from_config(config, entity_type, connection_name, {k: v for k, v in query.items() if v})
    entities = fetch_entities(client, entity_type, bbox, attrs, q, feedback, result.invalid)
    result.cancelled = feedback is not None and feedback.isCanceled()
    for entity in entities:
        result.warnings.extend(InvalidEntity(entity.id, w) for w in entity.warnings)
    result.layers = build_layers(entities, meta, result.invalid, feedback)
    result.loaded = sum(layer.featureCount() for layer in result.layers.values())
    _remember(result)
    return result


_RESULTS: dict[str, LoadResult] = {}


def _remember(result: LoadResult) -> None:
    # A copy without the layers themselves: remembering must not keep a layer alive.
    layer_ids = {kind: layer.id() for kind, layer in result.layers.items()}
    light = replace(result, layers={}, layer_ids=layer_ids)
    for layer in result.layers.values():
        layer_id = layer.id()
        _RESULTS[layer_id] = light
        layer.destroyed.connect(lambda *_args, lid=layer_id: _RESULTS.pop(lid, None))


def load_result(layer: QgsVectorLayer) -> LoadResult | None:
    """What the load that made ``layer`` left out and reported, with its sibling layers' ids
    (``layer_ids`` by geometry kind; ``layers`` is empty in this copy)."""
    return _RESULTS.get(layer.id())


def load_entity_layer(
    config: Any,
    entity_type: str,
    extent: Any = None,
    attrs: list[str] | None = None,
    feedback: QgsFeedback | None = None,
    **options: Any,
) -> QgsVectorLayer:
    """Load ``entity_type`` and return the main layer (see `load_result` for the rest)."""
    result = load_entity_layers(config, entity_type, extent, attrs, feedback, **options)
    layer = result.main_layer
    assert layer is not None  # build_layers always makes at least one layer
    return layer


def find_entity_layers(
    project: QgsProject, connection: str, entity_type: str, service_path: str = "", tenant: str | None = None
) -> dict[str, QgsVectorLayer]:
    """The layers (by geometry kind) of ``project`` already showing this connection's type.

    ``connection`` is the saved connection name, or the broker URL for layers loaded by URL.
    """
    from smartcity_qgis.layers.entity_layer_meta import public_url

    found: dict[str, QgsVectorLayer] = {}
    for layer in project.mapLayers().values():
        meta = LayerMeta.from_layer(layer)
        if meta is None or meta.entity_type != entity_type:
            continue
        if (meta.service_path or "/") != (service_path or "/"):
            continue
        if tenant is not None and meta.tenant != tenant:
            continue
        if meta.connection != connection and not (not meta.connection and meta.url == public_url(connection)):
            continue
        found[meta.geometry_kind or "point"] = layer
    return found


class EntityLoadTask(QgsTask):
    """Loads one entity type in QGIS's task manager; ``loaded`` hands the result to the main thread.

    With ``apply_to`` (the layers of this type already on the map, by geometry kind) nothing
    is rebuilt: the fetched entities are applied to those layers in place, on the main thread,
    in short time-boxed batches (`EntityApplier`), and entities gone from the broker are removed.
    """

    loaded = pyqtSignal(object)  # LoadResult
    failed = pyqtSignal(str)

    def __init__(
        self,
        config: Any,
        entity_type: str,
        extent: Any = None,
        attrs: list[str] | None = None,
        connection_name: str | None = None,
        q: str | None = None,
        apply_to: dict[str, QgsVectorLayer] | None = None,
    ) -> None:
        super().__init__(tr("Loading {0} from the city OS").format(entity_type), QgsTask.CanCancel)
        self.config = config
        self.entity_type = entity_type
        self.bbox = to_bbox(extent)  # resolved now: CRS transforms belong on the main thread
        self.attrs = attrs
        self.connection_name = connection_name
        self.q = q
        self.apply_to = apply_to
        self.applier: Any = None
        self._entities: list[Any] = []
        self.result: LoadResult | None = None
        self.error: str = ""
        self._feedback = QgsFeedback()
        self._feedback.progressChanged.connect(self.setProgress)

    def cancel(self) -> None:
        self._feedback.cancel()
        super().cancel()

    def run(self) -> bool:
        from smartcity_qgis.layers.messages import error_message

        if self.apply_to:
            return self._fetch_only()
        try:
            result = load_entity_layers(
                self.config,
                self.entity_type,
                self.bbox,
                self.attrs,
                self._feedback,
                connection_name=self.connection_name,
                q=self.q,
            )
        except Exception as exc:  # shown to the user in finished(), never raised into the task manager
            self.error = error_message(exc)
            return False
        main_thread = QgsApplication.instance().thread()
        for layer in result.layers.values():
            layer.moveToThread(main_thread)
        self.result = result
        return not result.cancelled

    def _fetch_only(self) -> bool:
        from smartcity_qgis.layers.messages import error_message

        result = LoadResult()
        try:
            client = make_client(self.config)
            try:
                self._entities = fetch_entities(
                    client, self.entity_type, self.bbox, self.attrs, self.q, self._feedback, result.invalid
                )
            finally:
                client.close()
        except Exception as exc:  # shown to the user in finished()
            self.error = error_message(exc)
            return False
        result.cancelled = self._feedback.isCanceled()
        self.result = result
        return not result.cancelled

    def _apply(self) -> None:
        from smartcity_qgis.layers.live_apply import SYNC, EntityApplier

        result = self.result
        assert result is not None and self.apply_to
        result.layers = dict(self.apply_to)
        result.loaded = len(self._entities)
        # Parented to a layer so it outlives this task until the queue is drained, then goes.
        self.applier = EntityApplier(self.apply_to, parent=next(iter(self.apply_to.values())))
        self.applier.batch_applied.connect(self.applier.deleteLater)
        self.applier.enqueue(SYNC, self._entities)
        self._entities = []

    def finished(self, ok: bool) -> None:
        if ok and self.result is not None:
            if self.apply_to:
                self._apply()
            self.loaded.emit(self.result)
        elif self.result is not None and self.result.cancelled:
            self.failed.emit(tr("Loading was cancelled."))
        else:
            self.failed.emit(self.error or tr("Loading was cancelled."))

