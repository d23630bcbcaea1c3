"""Entities to QGIS features: geometry conversion, attribute rows, memory layers.

Kept free of network and threading so the loader (worker thread) and the live
updater (main thread) build features the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QVariant

from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.entity_schema import (
    BOOL,
    DATETIME,
    DOUBLE,
    ENTITY_ID,
    ENTITY_TYPE,
    INT,
    JSON,
    MODIFIED_AT,
    OBSERVED_AT,
    RECEIVED_AT,
    ROLE_FIXED,
    ROLE_OBSERVED,
    ROLE_UNIT,
    ROLE_VALUE,
    SCHEMA_PROPERTY,
    STRING,
    EntitySchema,
    FieldSpec,
    SchemaChange,
    converter,
    to_field_value,
    to_qdatetime,
)
from smartcity_qgis.local_time import show_local_times

POINT = "point"
LINE = "line"
POLYGON = "polygon"
NO_GEOMETRY = "none"
GEOMETRY_KINDS = (POINT, LINE, POLYGON)
CRS_AUTHID = "EPSG:4326"

_KIND_OF_TYPE = {
    "Point": POINT,
    "MultiPoint": POINT,
    "LineString": LINE,
    "MultiLineString": LINE,
    "LinearRing": LINE,
    "Polygon": POLYGON,
    "MultiPolygon": POLYGON,
}
_WKB_OF_KIND = {
    POINT: QgsWkbTypes.Type.Point,
    LINE: QgsWkbTypes.Type.MultiLineString,
    POLYGON: QgsWkbTypes.Type.MultiPolygon,
    NO_GEOMETRY: QgsWkbTypes.Type.NoGeometry,
}
_URI_OF_KIND = {POINT: "Point", LINE: "MultiLineString", POLYGON: "MultiPolygon", NO_GEOMETRY: "None"}


class GeometryError(ValueError):
    """A geometry the layer cannot hold (collections, empty shapes)."""


def geometry_kind(geom: Any) -> str:
    """``point``, ``line``, ``polygon`` or ``none`` for a shapely geometry (or None)."""
    if geom is None:
        return NO_GEOMETRY
    if geom.is_empty:
        raise GeometryError(tr("The geometry is empty."))
    kind = _KIND_OF_TYPE.get(geom.geom_type)
    if kind is None:
        raise GeometryError(tr("Geometry type {0} is not supported.").format(geom.geom_type))
    return kind


def lazy_point(entity: Any) -> tuple[float, float] | None:
    """The (lon, lat) of an entity whose point geometry the client has not built yet, else None.

    The client defers building shapely points (``Entity.set_lazy_geometry``) to keep large
    pages cheap; reading the checked coordinates directly spares building them at all.
    """
    pending = getattr(entity, "_pending", None)
    if pending is None or getattr(pending[0], "__name__", "") != "build_point":
        return None
    coords = pending[1]
    try:
        return float(coords[0]), float(coords[1])
    except (TypeError, ValueError, IndexError):
        return None


def entity_kind(entity: Any) -> str:
    """Geometry kind of an entity (fast for points); raises GeometryError for unusable ones."""
    if lazy_point(entity) is not None:
        return POINT
    return geometry_kind(entity.geometry)


def entity_geometry(entity: Any, layer_kind: str, multipoint: bool = False) -> QgsGeometry:
    """The QgsGeometry of an entity for a layer of ``layer_kind`` (fast for points)."""
    xy = lazy_point(entity)
    if xy is not None:
        qgeom = QgsGeometry.fromPointXY(QgsPointXY(xy[0], xy[1]))
        if multipoint:
            qgeom.convertToMultiType()
        return qgeom
    return to_qgs_geometry(entity.geometry, layer_kind, multipoint)


def to_qgs_geometry(geom: Any, layer_kind: str, multipoint: bool = False) -> QgsGeometry:
    """A QgsGeometry for ``geom`` shaped for a layer of ``layer_kind`` (2D)."""
    if geom is None:
        return QgsGeometry()
    if geom.is_empty:
        raise GeometryError(tr("The geometry is empty."))
    gtype = geom.geom_type
    if gtype == "Point":
        qgeom = QgsGeometry.fromPointXY(QgsPointXY(geom.x, geom.y))
        if multipoint:
            qgeom.convertToMultiType()
        return qgeom
    if gtype == "MultiPoint" and layer_kind == POINT and not multipoint:
        points = list(geom.geoms)
        if len(points) != 1:
            raise GeometryError(tr("A multi-point cannot be stored in a single-point layer."))
        return QgsGeometry.fromPointXY(QgsPointXY(points[0].x, points[0].y))
    qgeom = QgsGeometry()
    qgeom.fromWkb(geom.wkb)
    if qgeom.isNull():
        raise GeometryError(tr("The {0} geometry could not be converted.").format(gtype))
    if QgsWkbTypes.hasZ(qgeom.wkbType()) or QgsWkbTypes.hasM(qgeom.wkbType()):
        abstract = qgeom.constGet().clone()
        abstract.dropZValue()
        abstract.dropMValue()
        qgeom = QgsGeometry(abstract)
    if layer_kind in (LINE, POLYGON) or multipoint:
        qgeom.convertToMultiType()
    return qgeom


def create_memory_layer(name: str, kind: str, schema: EntitySchema, multipoint: bool = False) -> QgsVectorLayer:
    """An empty EPSG:4326 memory layer of ``kind`` with the schema's fields."""
    geometry = "MultiPoint" if kind == POINT and multipoint else _URI_OF_KIND[kind]
    layer = QgsVectorLayer(f"{geometry}?crs={CRS_AUTHID}", name, "memory")
    layer.setCrs(QgsCoordinateReferenceSystem(CRS_AUTHID))
    layer.dataProvider().addAttributes(schema.qgs_fields().toList())
    layer.updateFields()
    layer.setCustomProperty(SCHEMA_PROPERTY, schema.to_json())
    return layer


def layer_is_multipoint(layer: QgsVectorLayer) -> bool:
    """True for a multi-point layer."""
    return layer.wkbType() in (QgsWkbTypes.Type.MultiPoint, QgsWkbTypes.Type.MultiPoint25D)


class RowBuilder:
    """Turns entities into attribute rows for one schema (rebuild after the schema changes).

    A load makes one row per entity, so the work per attribute is kept to a dictionary lookup
    and, for the common exact types, no function call: each attribute name maps to where its
    value, unit and observation time go and how its value is converted.
    """

    def __init__(self, schema: EntitySchema) -> None:
        self.schema = schema
        self.width = len(schema.specs)
        self._fixed: dict[str, int] = {}
        # attribute name -> [value index, exact type kept as is, converter, unit index, observed index]
        slots: dict[str, list[Any]] = {}
        self._type = SharedText()
        self._units = _shared(converter(STRING), SharedText())
        self._received: tuple[datetime | None, Any] = (None, None)
        self._last_date: tuple[Any, Any] = (None, None)
        for index, spec in enumerate(schema.specs):
            if spec.role == ROLE_FIXED:
                self._fixed[spec.name] = index
                continue
            slot = slots.setdefault(spec.attr, [None, None, None, None, None])
            if spec.role == ROLE_VALUE:
                slot[0] = index
                slot[1], slot[2] = self._value_converter(spec.kind)
            elif spec.role == ROLE_UNIT:
                slot[3] = index
            elif spec.role == ROLE_OBSERVED:
                slot[4] = index
        self._slots = {name: tuple(slot) for name, slot in slots.items()}

    def _value_converter(self, kind: str) -> tuple[type | None, Any]:
        if kind == DATETIME:
            return None, self._datetime
        if kind == STRING:
            return None, _shared(converter(kind), SharedText())
        if kind == JSON:
            return None, SharedJson()
        exact = {INT: int, DOUBLE: float, BOOL: bool}.get(kind)
        return exact, converter(kind)

    def _datetime(self, value: Any) -> Any:
        # The entity's observation time is usually its dateObserved attribute, the same object:
        # the last conversion is kept so that it is made once.
        last = self._last_date
        if value is last[0]:
            return last[1]
        converted = to_qdatetime(value) if type(value) is datetime else to_field_value(DATETIME, value)
        self._last_date = (value, converted)
        return converted

    def row(self, entity: Any, received_at: datetime | None) -> list[Any]:
        """The attribute values of ``entity`` in field order."""
        values: list[Any] = [None] * self.width
        fixed = self._fixed
        values[fixed[ENTITY_ID]] = entity.id
        values[fixed[ENTITY_TYPE]] = self._type(entity.type)
        if entity.modified_at is not None:
            values[fixed[MODIFIED_AT]] = self._datetime(entity.modified_at)
        if entity.observed_at is not None:
            values[fixed[OBSERVED_AT]] = self._datetime(entity.observed_at)
        if received_at is not None:
            if self._received[0] is not received_at:
                self._received = (received_at, to_qdatetime(received_at))
            values[fixed[RECEIVED_AT]] = self._received[1]
        slots = self._slots
        for name, attr in entity.attributes.items():
            slot = slots.get(name)
            if slot is None:
                continue
            value_index, exact, convert, unit_index, observed_index = slot
            value = attr.value
            if value is not None and value_index is not None:
                values[value_index] = value if type(value) is exact else convert(value)
            if unit_index is not None and attr.unit_code is not None:
                values[unit_index] = self._units(attr.unit_code)
            if observed_index is not None and attr.observed_at is not None:
                values[observed_index] = to_qdatetime(attr.observed_at)
        return values


class SharedText:
    """Repeated texts as one shared QVariant, so 100,000 features holding the same unit code or
    provider name hold one copy of it (Qt's implicit sharing). A field turns out to hold mostly
    distinct texts (ids, names) is left alone after ``limit`` distinct values."""

    def __init__(self, limit: int = 1000) -> None:
        self.cache: dict[str, QVariant] | None = {}
        self.limit = limit

    def __call__(self, value: Any) -> Any:
        cache = self.cache
        if cache is None or type(value) is not str:
            return value
        shared = cache.get(value)
        if shared is None:
            if len(cache) >= self.limit:
                self.cache = None
                return value
            shared = cache[value] = QVariant(value)
        return shared


class SharedJson:
    """Structured values as JSON text, repeated texts shared as by `SharedText`; a list of texts
    (categories, tags: the same few lists on every entity) is looked up before it is written."""

    def __init__(self, limit: int = 1000) -> None:
        self.share = SharedText(limit)
        self.lists: dict[tuple[str, ...], Any] | None = {}
        self.limit = limit

    def __call__(self, value: Any) -> Any:
        lists = self.lists
        key = None
        if lists is not None and type(value) is list and all(type(item) is str for item in value):
            key = tuple(value)
            known = lists.get(key)
            if known is not None:
                return known
        text = self.share(to_field_value(JSON, value))
        if key is not None:
            if len(lists) >= self.limit:
                self.lists = None
            else:
                lists[key] = text
        return text


def _shared(convert: Any, share: SharedText) -> Any:
    def convert_shared(value: Any) -> Any:
        return share(convert(value))

    return convert_shared


def build_features(
    entities: Iterable[Any],
    layer: QgsVectorLayer,
    builder: RowBuilder,
    kind: str,
    received_at: datetime | None,
    invalid: list[tuple[str, str]],
) -> list[QgsFeature]:
    """Features for ``entities`` in ``layer``; unusable geometries go to ``invalid`` (id, reason)."""
    fields = layer.fields()
    multipoint = kind == POINT and layer_is_multipoint(layer)
    features = []
    for entity in entities:
        feature = QgsFeature(fields)
        try:
            feature.setGeometry(entity_geometry(entity, kind, multipoint))
        except GeometryError as exc:
            invalid.append((entity.id, str(exc)))
            continue
        feature.setAttributes(builder.row(entity, received_at))
        features.append(feature)
    return features


def apply_schema_change(layer: QgsVectorLayer, schema: EntitySchema, change: SchemaChange) -> None:
    """Add new fields and widen changed ones on ``layer`` in place (feature ids stay)."""
    provider = layer.dataProvider()
    for spec, _old_kind in change.widened:
        _widen_field(layer, spec)
    if change.added:
        provider.addAttributes([spec.qgs_field() for spec in change.added])
        layer.updateFields()
        show_local_times(layer)
    _reorder_check(layer, schema)
    layer.setCustomProperty(SCHEMA_PROPERTY, schema.to_json())


def _widen_field(layer: QgsVectorLayer, spec: FieldSpec) -> None:
    """Replace one field by a wider one, carrying its values over (memory provider)."""
    provider = layer.dataProvider()
    index = layer.fields().indexOf(spec.name)
    if index < 0:
        return
    values = {f.id(): f.attributes()[index] for f in provider.getFeatures()}
    provider.deleteAttributes([index])
    layer.updateFields()
    provider.addAttributes([spec.qgs_field()])
    layer.updateFields()
    new_index = layer.fields().indexOf(spec.name)
    changes = {}
    for fid, value in values.items():
        if value is None or isinstance(value, QVariant):  # NULL
            continue
        if spec.kind == DOUBLE and isinstance(value, (int, float)):
            changes[fid] = {new_index: float(value)}
        elif isinstance(value, (QDateTime, QDate)):
            changes[fid] = {new_index: value.toString(Qt.DateFormat.ISODate)}
        else:
            changes[fid] = {new_index: str(value)}
    if changes:
        provider.changeAttributeValues(changes)


def _reorder_check(layer: QgsVectorLayer, schema: EntitySchema) -> None:
    """Keep the schema's field order equal to the layer's (widening moves a field to the end)."""
    names = [f.name() for f in layer.fields()]
    by_name = {s.name: s for s in schema.specs}
    if [s.name for s in schema.specs] != names and set(names) == set(by_name):
        schema.specs[:] = [by_name[n] for n in names]


def schema_of_layer(layer: QgsVectorLayer) -> EntitySchema | None:
    """The schema stored on an entity layer (None if the layer is not one)."""
    text = layer.customProperty(SCHEMA_PROPERTY)
    if not text:
        return None
    try:
        return EntitySchema.from_json(str(text))
    except ValueError:
        return None


def add_field_alias_units(layer: QgsVectorLayer, schema: EntitySchema, units: dict[str, str]) -> None:
    """Show unit symbols in field aliases (identify panel, attribute table)."""
    from smartcity_qgis.layers.cityos.units import unit_symbol

    for spec in schema.value_specs():
        code = units.get(spec.attr)
        index = layer.fields().indexOf(spec.name)
        if code and index >= 0:
            layer.setFieldAlias(index, f"{spec.name} [{unit_symbol(code)}]")


def qgs_field_for(spec: FieldSpec) -> QgsField:
    """The QgsField for a spec (re-exported for callers that only see features)."""
    return spec.qgs_field()
