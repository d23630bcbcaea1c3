"""The objects the client hands out: `Entity`, `Attribute`, `TypeInfo`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Attribute:
    """One attribute of an entity: its Python value and its NGSI description.

    ``type`` is the NGSI type (v2 ``Number``, ``DateTime``...; LD ``Property``,
    ``Relationship``, ``GeoProperty``, ``LanguageProperty``; None in keyValues).
    ``value`` is a Python value; dates are timezone-aware `datetime` objects and
    a Relationship's value is the target entity id.
    """

    __slots__ = ("_metadata", "name", "observed_at", "type", "unit_code", "value")

    def __init__(
        self,
        name: str,
        value: Any,
        type: str | None = None,  # noqa: A002 - mirrors the NGSI field
        observed_at: datetime | None = None,
        unit_code: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.value = value
        self.type = type
        self.observed_at = observed_at
        self.unit_code = unit_code
        self._metadata = metadata or None

    @property
    def metadata(self) -> dict[str, Any]:
        """Metadata (v2) or sub-properties (LD) by name, as Python values."""
        meta = self._metadata
        if meta is None:
            # Made on first use: most attributes have none, and a page holds thousands.
            meta = self._metadata = {}
        return meta

    @metadata.setter
    def metadata(self, value: dict[str, Any]) -> None:
        self._metadata = value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Attribute):
            return NotImplemented
        return (
            self.name == other.name
            and self.value == other.value
            and self.type == other.type
            and self.observed_at == other.observed_at
            and self.unit_code == other.unit_code
            and self.metadata == other.metadata
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Attribute({self.name!r}, {self.value!r}, type={self.type!r})"


class Entity:
    """One city-OS entity.

    ``geometry`` is a shapely geometry in lon/lat (EPSG:4326) or None. It is
    built on first access from coordinates already checked by the parser, which
    keeps parsing of large pages cheap.
    """

    __slots__ = (
        "_geometry",
        "_pending",
        "attributes",
        "geometry_attribute",
        "id",
        "modified_at",
        "observed_at",
        "type",
        "warnings",
    )

    def __init__(
        self,
        id: str,  # noqa: A002 - mirrors the NGSI field
        type: str,  # noqa: A002
        geometry: Any = None,
        attributes: dict[str, Attribute] | None = None,
        observed_at: datetime | None = None,
        modified_at: datetime | None = None,
        warnings: list[str] | None = None,
        geometry_attribute: str | None = None,
    ) -> None:
        self.id = id
        self.type = type
        self._geometry = geometry
        self._pending: Any = None
        self.attributes = attributes if attributes is not None else {}
        self.observed_at = observed_at
        self.modified_at = modified_at
        self.warnings = warnings if warnings is not None else []
        self.geometry_attribute = geometry_attribute

    @property
    def geometry(self) -> Any:
        """The shapely geometry (lon/lat) or None."""
        if self._pending is not None:
            builder, arg = self._pending
            self._pending = None
            try:
                self._geometry = builder(arg)
            except Exception as exc:  # GEOS refusing coordinates the parser accepted
                self._geometry = None
                self.warnings.append(f"geometry could not be built ({exc}); the entity has no geometry")
        return self._geometry

    @geometry.setter
    def geometry(self, value: Any) -> None:
        self._geometry = value
        self._pending = None

    def set_lazy_geometry(self, builder: Any, arg: Any) -> None:
        """Defer building the shapely geometry to first access (``builder(arg)``)."""
        self._geometry = None
        self._pending = (builder, arg)

    def value(self, name: str, default: Any = None) -> Any:
        """The value of attribute ``name`` or ``default``."""
        attr = self.attributes.get(name)
        return default if attr is None else attr.value

    def __repr__(self) -> str:
        geom = self.geometry
        kind = geom.geom_type if geom is not None else None
        return f"Entity({self.id!r}, {self.type!r}, geometry={kind}, attributes={list(self.attributes)})"


@dataclass
class TypeInfo:
    """An entity type served by the broker: its name, entity count and attributes (name -> types)."""

    name: str
    count: int | None = None
    attributes: dict[str, list[str]] = field(default_factory=dict)
