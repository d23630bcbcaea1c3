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

import gc
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
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

# One path from the broker to the map: this module fetches (client, task, progress, cancel) and hands
# pages to entity_builder (layers per geometry kind), which turns entities into features with
# entity_features, which types their values with entity_schema. Each imports only the next.
from smartcity_qgis.layers.cityos.entity_builder import (
    POINT,
    InvalidEntity,
    LayerGroupBuilder,
    iter_pages,
)
from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta

BBox = tuple[float, float, float, float]
__all__ = [
    "EntityLoadTask",
    "LoadResult",
    "find_entity_layers",
    "load_entity_layer",
    "load_entity_layers",
    "load_result",
    "to_bbox",
]


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


def to_bbox(extent: Any) -> BBox | None:
    """``extent`` (QgsRectangle in EPSG:4326, QgsReferencedRectangle, or a 4-tuple) as lon/lat."""
    if extent is None:
        return None
    if isinstance(extent, QgsReferencedRectangle):
        crs = extent.crs()
        rect = QgsRectangle(extent)
        if crs.isValid() and crs.authid() != "EPSG:4326":
            transform = QgsCoordinateTransform(crs, QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
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


def _invalid_collector(client: Any, invalid: list[InvalidEntity]) -> dict[str, Any]:
    """Listing options: unusable entities reported to ``invalid``, the broker's modification
    times asked for (the ``modified_at`` field), as live polling asks for them, and the next page
    fetched while the current one is parsed and built (the broker's and the network's time
    overlap with ours)."""
    extra: dict[str, Any] = {}
    if _accepts(client.iter_entities, "sys_attrs"):
        extra["sys_attrs"] = True
    if _accepts(client.iter_entities, "prefetch"):
        extra["prefetch"] = True
    if _accepts(client.iter_entities, "on_invalid"):
        extra["on_invalid"] = lambda error: invalid.append(
            InvalidEntity(getattr(error, "entity_id", None), getattr(error, "reason", str(error)))
        )
    return extra


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
    from smartcity_qgis.cityos_client.errors import CancelledError

    def progress(done: int, total: int | None = None, *_: Any) -> None:
        if feedback is not None and total:
            feedback.setProgress(min(progress_share, progress_share * done / total))

    def cancel() -> bool:
        return feedback is not None and feedback.isCanceled()

    entities: dict[str, Any] = {}
    extra = _invalid_collector(client, invalid)
    try:
        for entity in client.iter_entities(
            entity_type, bbox=bbox, q=q, attrs=attrs, progress=progress, cancel=cancel, **extra
        ):
            entities[entity.id] = entity  # the last copy wins if a page repeats an entity
            if cancel():
                break
    except CancelledError:
        pass
    return list(entities.values())


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
    from smartcity_qgis.cityos_client.errors import CancelledError

    bbox = to_bbox(extent)
    own_client = client is None
    client = client or make_client(config)
    result = LoadResult()
    query = {"bbox": list(bbox) if bbox else None, "attrs": list(attrs) if attrs else None, "q": q}
    meta = LayerMeta.from_config(config, entity_type, connection_name, {k: v for k, v in query.items() if v})
    builder = LayerGroupBuilder(meta, result.invalid)
    extra = _invalid_collector(client, result.invalid)

    def canceled() -> bool:
        return feedback is not None and feedback.isCanceled()

    progress = [0, None]

    def on_progress(done: int, total: int | None = None, *_: Any) -> None:
        progress[:] = [done, total]

    entities = client.iter_entities(
        entity_type, bbox=bbox, q=q, attrs=attrs, progress=on_progress, cancel=canceled, **extra
    )
    gc_pause = _cyclic_gc_paused()
    gc_pause.__enter__()  # left in the finally below, before the client closes
    try:
        for page in iter_pages(entities):
            builder.add(page)
            for entity in page:
                if entity.warnings:
                    result.warnings.extend(InvalidEntity(entity.id, w) for w in entity.warnings)
            done, total = progress
            if feedback is not None and total:
                feedback.setProgress(min(99.0, 100.0 * done / total))
            if canceled():
                break
    except CancelledError:
        pass
    finally:
        gc_pause.__exit__(None, None, None)
        close_listing = getattr(entities, "close", None)
        if close_listing is not None:  # a cancelled load drops the page fetched ahead now, not at collection
            close_listing()
        if own_client:  # its connection pool would otherwise linger until garbage collection
            client.close()
    result.cancelled = canceled()
    with _cyclic_gc_paused():
        result.layers = builder.finish()
    result.loaded = builder.count
    _remember(result)
    return result


_GC_LOCK = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = True


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a load creates its objects.

    A load creates millions of acyclic objects (dicts, strings, features); every few thousand
    allocations the collector walks them all again, which the profile of a 100,000-entity load shows
    as 10–30 % of its time. Reference counting still frees everything; the collector's own state is
    restored when the last of any concurrent loads ends.
    """
    global _gc_pauses, _gc_was_enabled
    with _GC_LOCK:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


# Recent load reports by layer id. Copies without the layers themselves (remembering must
# not keep a layer alive) and bounded, so no signal from the layers is needed to forget them.
_RESULTS: OrderedDict[str, LoadResult] = OrderedDict()
_MAX_RESULTS = 200


def _remember(result: LoadResult) -> None:
    layer_ids = {kind: layer.id() for kind, layer in result.layers.items()}
    light = replace(result, layers={}, layer_ids=layer_ids)
    for layer_id in layer_ids.values():
        _RESULTS[layer_id] = light
        _RESULTS.move_to_end(layer_id)
    while len(_RESULTS) > _MAX_RESULTS:
        _RESULTS.popitem(last=False)


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
    from smartcity_qgis.layers.cityos.entity_layer_meta import public_url

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
        from smartcity_qgis.layers.cityos.messages import quiet_task_flags

        super().__init__(tr("Loading {0} from the city OS").format(entity_type), quiet_task_flags())
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
        self.unreachable = False  # the city OS could not be reached (network, not the request)
        self._feedback = QgsFeedback()
        self._feedback.progressChanged.connect(self.setProgress)

    def cancel(self) -> None:
        self._feedback.cancel()
        super().cancel()

    def run(self) -> bool:
        from smartcity_qgis.layers.cityos.messages import error_message, is_unreachable

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
            self.unreachable = is_unreachable(exc)
            return False
        main_thread = QgsApplication.instance().thread()
        for layer in result.layers.values():
            layer.moveToThread(main_thread)
        self.result = result
        return not result.cancelled

    def _fetch_only(self) -> bool:
        from smartcity_qgis.layers.cityos.messages import error_message, is_unreachable

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
            self.unreachable = is_unreachable(exc)
            return False
        result.cancelled = self._feedback.isCanceled()
        self.result = result
        return not result.cancelled

    def _apply(self) -> None:
        from smartcity_qgis.layers.cityos.live_apply import SYNC, EntityApplier

        result = self.result
        assert result is not None and self.apply_to
        result.layers = dict(self.apply_to)
        result.loaded = len(self._entities)
        # Parented to a layer so it outlives this task until the queue is drained, then goes.
        self.applier = EntityApplier(self.apply_to, parent=next(iter(self.apply_to.values())))
        self.applier.batch_applied.connect(self.applier.deleteLater)
        self.applier.enqueue(SYNC, self._entities)
        self._entities = []

    def _report_connection(self, ok: bool) -> None:
        """Tell the connection status board whether the city OS answered (one board per session)."""
        from smartcity_qgis.layers.cityos import connection_status

        if not self.connection_name:
            return
        board = connection_status.status_board()
        if ok:
            board.report(self.connection_name, connection_status.CONNECTED)
        elif self.unreachable:
            board.report(self.connection_name, connection_status.OFFLINE, self.error)

    def finished(self, ok: bool) -> None:
        self._report_connection(ok and self.result is not None)
        if ok and self.result is not None:
            if self.apply_to:
                self._apply()
            self.loaded.emit(self.result)
        elif self.result is not None and self.result.cancelled:
            self.failed.emit(tr("Loading was cancelled."))
        else:
            self.failed.emit(self.error or tr("Loading was cancelled."))
