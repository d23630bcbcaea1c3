"""Fields of an entity layer, inferred from the entities' attributes.

Layout of an entity layer (documented in the README):

* fixed fields ``entity_id``, ``entity_type``, ``observed_at`` (the entity's own
  observation time), ``modified_at`` (the broker's modification time) and
  ``received_at`` (when this layer last received a change of the entity; the
  "last observed" time used by the stale style when the entity carries no
  observation time);
* one field per attribute, typed from the values (int, double, bool, datetime,
  date, string; structured values as JSON text); an attribute the broker names
  by its IRI (NGSI-LD without a @context defining it) gets the IRI's last
  segment as field name and keeps the IRI in the field's comment;
* ``<attr>_unit`` (string) for attributes that carry a unit code and
  ``<attr>_observed_at`` (datetime) for attributes that carry their own
  observation time, created only when such a value is seen.

The schema only grows: a new attribute adds a field, and a value that no longer
fits widens the field (int to double, anything to string) without touching the
other fields. The layout is stored on the layer as the custom property
``smartcity/schema`` so a restored layer keeps the same mapping.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from qgis.core import Qgis, QgsField, QgsFields
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QVariant

from smartcity_qgis.cityos_client.names import is_expanded, short_name

# Value kinds, from narrow to wide.
INT = "int"
DOUBLE = "double"
BOOL = "bool"
DATETIME = "datetime"
DATE = "date"
STRING = "string"
JSON = "json"

# Field roles.
ROLE_FIXED = "fixed"
ROLE_VALUE = "value"
ROLE_UNIT = "unit"
ROLE_OBSERVED = "observed"

ENTITY_ID = "entity_id"
ENTITY_TYPE = "entity_type"
OBSERVED_AT = "observed_at"
MODIFIED_AT = "modified_at"
RECEIVED_AT = "received_at"
FIXED_FIELDS = (
    (ENTITY_ID, STRING),
    (ENTITY_TYPE, STRING),
    (OBSERVED_AT, DATETIME),
    (MODIFIED_AT, DATETIME),
    (RECEIVED_AT, DATETIME),
)
# Names a field may not take: the fixed ones and GeoPackage's primary key.
_RESERVED = {name for name, _ in FIXED_FIELDS} | {"fid", "ogc_fid", "geom", "geometry"}

_TYPE_NAMES = {
    INT: "LongLong",
    DOUBLE: "Double",
    BOOL: "Bool",
    DATETIME: "QDateTime",
    DATE: "QDate",
    STRING: "QString",
    JSON: "QString",
}
_VARIANT_NAMES = {"QDateTime": "DateTime", "QDate": "Date", "QString": "String"}


def qgs_field(name: str, kind: str) -> QgsField:
    """A QgsField of ``kind``: QMetaType on QGIS 3.38+ (QVariant types are deprecated there)."""
    type_name = _TYPE_NAMES[kind]
    if Qgis.QGIS_VERSION_INT >= 33800:
        from qgis.PyQt.QtCore import QMetaType

        return QgsField(name, getattr(QMetaType, type_name))
    return QgsField(name, getattr(QVariant, _VARIANT_NAMES.get(type_name, type_name)))


SCHEMA_PROPERTY = "smartcity/schema"
_UNSAFE = re.compile(r"[^\w]", re.UNICODE)


def value_kind(value: Any) -> str | None:
    """The kind of one Python value (None for a null)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT if -(2**63) <= value < 2**63 else STRING
    if isinstance(value, float):
        return DOUBLE
    if isinstance(value, datetime):
        return DATETIME
    if isinstance(value, date):
        return DATE
    if isinstance(value, str):
        return STRING
    return JSON


_UNKNOWN: Any = object()
# Exact types whose kind does not depend on the value (ints do: beyond 64 bits they are text).
_KIND_OF_EXACT_TYPE: dict[type, str | None] = {
    type(None): None,
    bool: BOOL,
    float: DOUBLE,
    str: STRING,
    datetime: DATETIME,
    date: DATE,
    list: JSON,
    dict: JSON,
}


def merge_kinds(old: str | None, new: str | None) -> str | None:
    """The narrowest kind holding values of both kinds."""
    if old is None or old == new:
        return new if old is None else old
    if new is None:
        return old
    if {old, new} == {INT, DOUBLE}:
        return DOUBLE
    if {old, new} == {DATE, DATETIME}:
        return DATETIME
    return STRING


def fits(kind: str, value: Any) -> bool:
    """True if ``value`` can be stored in a field of ``kind`` without loss."""
    vkind = value_kind(value)
    if vkind is None or vkind == kind:
        return True
    if kind == DOUBLE and vkind == INT:
        return True
    if kind == INT and vkind == DOUBLE:
        return float(value).is_integer() and abs(value) < 2**53
    if kind == DATETIME and vkind == DATE:
        return True
    return kind in (STRING, JSON)


# Looked up once: attribute access on the Qt namespace costs as much as the conversion itself,
# and a load converts several dates per entity.
_FROM_MSECS = QDateTime.fromMSecsSinceEpoch
_QT_UTC = Qt.TimeSpec.UTC


def to_qdatetime(value: datetime) -> QDateTime:
    """A UTC QDateTime for a Python datetime (naive ones are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return _FROM_MSECS(int(value.timestamp() * 1000), _QT_UTC)


def json_text(value: Any) -> str:
    """Compact JSON for structured values (shapely geometries as GeoJSON)."""
    geo = getattr(value, "__geo_interface__", None)
    if geo is not None:
        value = geo
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def to_field_value(kind: str, value: Any) -> Any:
    """``value`` converted for a QGIS field of ``kind`` (None stays None)."""
    if value is None:
        return None
    if kind == DATETIME:
        if isinstance(value, datetime):
            return to_qdatetime(value)
        if isinstance(value, date):
            return to_qdatetime(datetime(value.year, value.month, value.day, tzinfo=UTC))
        return None
    if kind == DOUBLE:
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if kind == INT:
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        return int(value) if isinstance(value, float) and value.is_integer() else None
    if kind == BOOL:
        return value if isinstance(value, bool) else None
    if kind == DATE:
        if isinstance(value, datetime):
            value = value.date()
        return QDate(value.year, value.month, value.day) if isinstance(value, date) else None
    if kind == JSON:
        return json_text(value)
    # STRING
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (bool, int, float, date)):
        return str(value)
    return json_text(value)


def converter(kind: str) -> Callable[[Any], Any]:
    """A fast ``to_field_value`` for one kind (the common exact types skip the general path)."""
    exact = {INT: int, DOUBLE: float, BOOL: bool, STRING: str}.get(kind)
    if kind == DATETIME:

        def convert_datetime(value: Any) -> Any:
            if type(value) is datetime:
                return to_qdatetime(value)
            return to_field_value(DATETIME, value)

        return convert_datetime
    if exact is None:
        return lambda value: to_field_value(kind, value)

    def convert(value: Any) -> Any:
        if type(value) is exact:
            return value
        return to_field_value(kind, value)

    return convert


@dataclass
class FieldSpec:
    """One field of the layer: its name, the attribute it comes from, its role and kind."""

    name: str
    attr: str
    role: str
    kind: str

    def qgs_field(self) -> QgsField:
        """The QgsField for this spec; its comment says JSON text and the broker's full name (an IRI)."""
        field = qgs_field(self.name, self.kind)
        notes = (["JSON"] if self.kind == JSON else []) + ([self.attr] if is_expanded(self.attr) else [])
        if notes:
            field.setComment("; ".join(notes))
        return field


@dataclass
class SchemaChange:
    """What `EntitySchema.observe` changed: fields added, fields widened (spec, old kind)."""

    added: list[FieldSpec]
    widened: list[tuple[FieldSpec, str]]

    def __bool__(self) -> bool:
        return bool(self.added or self.widened)


class EntitySchema:
    """The growing field layout of one entity layer."""

    def __init__(self, specs: Iterable[FieldSpec] | None = None) -> None:
        self.specs: list[FieldSpec] = (
            list(specs)
            if specs is not None
            else [FieldSpec(name, name, ROLE_FIXED, kind) for name, kind in FIXED_FIELDS]
        )
        self._by_key = {(s.attr, s.role): s for s in self.specs}
        self._names = {s.name.lower() for s in self.specs}

    # -- lookups --------------------------------------------------------------------
    def spec(self, attr: str, role: str = ROLE_VALUE) -> FieldSpec | None:
        """The spec of attribute ``attr`` in ``role``, if the layer has it."""
        return self._by_key.get((attr, role))

    def index(self, spec: FieldSpec) -> int:
        """Position of ``spec`` among the fields."""
        return self.specs.index(spec)

    def field_name(self, attr: str, role: str = ROLE_VALUE) -> str | None:
        """The field name holding ``attr`` in ``role`` (None if absent)."""
        spec = self.spec(attr, role)
        return spec.name if spec else None

    def value_specs(self) -> list[FieldSpec]:
        """Specs of the attribute value fields."""
        return [s for s in self.specs if s.role == ROLE_VALUE]

    def qgs_fields(self) -> QgsFields:
        """All fields, in order."""
        fields = QgsFields()
        for spec in self.specs:
            fields.append(spec.qgs_field())
        return fields

    # -- growth ---------------------------------------------------------------------
    def _unique_name(self, wanted: str) -> str:
        # Letters (any script), digits and "_" only: a field name never carries markup or the
        # "[%" / "%]" of a map tip template, whatever the broker sends.
        wanted = _UNSAFE.sub("_", wanted)[:100] or "attr"
        name = wanted
        if name.lower() in _RESERVED:
            name = f"{wanted}_attr"
        base, n = name, 2
        while name.lower() in self._names:
            name = f"{base}_{n}"
            n += 1
        return name

    def _add(self, attr: str, role: str, kind: str) -> FieldSpec:
        suffix = {ROLE_VALUE: "", ROLE_UNIT: "_unit", ROLE_OBSERVED: "_observed_at"}[role]
        # The broker's name stays in ``attr`` (queries, live updates, history use it); the field is
        # named by its readable part, numbered when two IRIs end alike.
        spec = FieldSpec(self._unique_name(f"{short_name(attr)}{suffix}"), attr, role, kind)
        self.specs.append(spec)
        self._by_key[(attr, role)] = spec
        self._names.add(spec.name.lower())
        return spec

    def observe(self, entities: Iterable[Any]) -> SchemaChange:
        """Grow the schema for ``entities`` (objects with ``attributes``); report what changed."""
        kinds: dict[str, str | None] = {}
        units: set[str] = set()
        observed: set[str] = set()
        order: list[str] = []
        kind_of_type = _KIND_OF_EXACT_TYPE
        for entity in entities:
            for name, attr in entity.attributes.items():
                value = attr.value
                # Every value of every entity is looked at: the common exact types are told apart
                # by one dictionary lookup, the rest (ints, containers, subclasses) by value_kind.
                kind = kind_of_type.get(type(value), _UNKNOWN)
                if kind is _UNKNOWN:
                    kind = value_kind(value)
                old = kinds.get(name, _UNKNOWN)
                if old is _UNKNOWN:
                    order.append(name)
                    kinds[name] = kind
                elif old != kind and kind is not None:
                    kinds[name] = merge_kinds(old, kind)
                if attr.unit_code:
                    units.add(name)
                if attr.observed_at is not None:
                    observed.add(name)
        change = SchemaChange([], [])
        for name in order:
            kind = kinds[name]
            spec = self.spec(name)
            if spec is None:
                change.added.append(self._add(name, ROLE_VALUE, kind or STRING))
            elif kind is not None and spec.kind != kind:
                wider = merge_kinds(spec.kind, kind)
                if wider != spec.kind:
                    change.widened.append((spec, spec.kind))
                    spec.kind = wider
            if name in units and self.spec(name, ROLE_UNIT) is None:
                change.added.append(self._add(name, ROLE_UNIT, STRING))
            if name in observed and self.spec(name, ROLE_OBSERVED) is None:
                change.added.append(self._add(name, ROLE_OBSERVED, DATETIME))
        return change

    def needs_widening(self, entity: Any) -> bool:
        """True if a value of ``entity`` does not fit its field or its attribute is new."""
        for name, attr in entity.attributes.items():
            spec = self.spec(name)
            if spec is None or not fits(spec.kind, attr.value):
                return True
            if attr.unit_code and self.spec(name, ROLE_UNIT) is None:
                return True
            if attr.observed_at is not None and self.spec(name, ROLE_OBSERVED) is None:
                return True
        return False

    # -- persistence ----------------------------------------------------------------
    def to_json(self) -> str:
        """The layout as JSON (for the layer's custom property)."""
        return json.dumps([[s.name, s.attr, s.role, s.kind] for s in self.specs], ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> EntitySchema:
        """A schema from `to_json` output; raises ValueError on anything else."""
        rows = json.loads(text)
        if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == 4 for r in rows):
            raise ValueError("not an entity layer schema")
        return cls(FieldSpec(*map(str, row)) for row in rows)
