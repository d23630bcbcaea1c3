"""Pieces shared by the NGSI-v2 and NGSI-LD parsers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from smartcity_qgis.cityos_client.errors import InvalidEntityError
from smartcity_qgis.cityos_client.geometry import GeometryError, attach, build_point, check_geometry
from smartcity_qgis.cityos_client.models import Attribute, Entity


class ParseOptions:
    """What the parser needs from the connection: the primary geo attribute and the area of interest."""

    __slots__ = ("area_of_interest", "primary")

    def __init__(self, primary: str = "location", area_of_interest: Any = None) -> None:
        self.primary = primary
        self.area_of_interest = tuple(area_of_interest) if area_of_interest is not None else None


DEFAULT_OPTIONS = ParseOptions()


def entity_head(payload: Any, flavor_name: str) -> tuple[str, str, list[str]]:
    """The id and type of an entity payload (and warnings); raise `InvalidEntityError` if unusable."""
    if type(payload) is not dict:
        raise InvalidEntityError(None, f"an entity must be a JSON object, got {type(payload).__name__}")
    eid = payload.get("id")
    if type(eid) is not str or not eid.strip():
        if eid is None and "@id" in payload:
            eid = payload["@id"]
        if type(eid) is not str or not eid.strip():
            raise InvalidEntityError(None, f"{flavor_name} entity has no 'id' (a non-empty string)")
    etype = payload.get("type")
    warnings: list[str] = []
    if type(etype) is list and etype and all(type(t) is str for t in etype):
        if len(etype) > 1:
            warnings.append(f"entity has several types {etype}; using {etype[0]!r}")
        etype = etype[0]
    if type(etype) is not str or not etype.strip():
        raise InvalidEntityError(eid, f"{flavor_name} entity has no 'type' (a non-empty string)")
    return eid, etype, warnings


def finish(
    entity: Entity,
    geo: list[tuple[str, Any]] | None,
    options: ParseOptions,
) -> Entity:
    """Choose the primary geo attribute, attach the geometry and set the entity's dates.

    ``geo`` lists (attribute name, GeoJSON value) candidates in payload order.
    The primary one (configured name, else the first) becomes the geometry and
    leaves the attributes; the others stay as attributes.
    """
    attrs = entity.attributes
    if geo and len(geo) == 1 and options.area_of_interest is None:
        # Fast path for the usual case, one GeoJSON point: same checks as check_geometry, inline.
        name, value = geo[0]
        coords = value.get("coordinates") if type(value) is dict and value.get("type") == "Point" else None
        if (
            type(coords) is list
            and len(coords) == 2
            and type(coords[0]) is float
            and type(coords[1]) is float
            and -180.0 <= coords[0] <= 180.0
            and -90.0 <= coords[1] <= 90.0
        ):
            entity.set_lazy_geometry(build_point, coords)
            attrs.pop(name, None)
            entity.geometry_attribute = name
            geo = None
    if geo:
        chosen = None
        for name, value in geo:
            if name == options.primary:
                chosen = (name, value)
                break
        if chosen is None:
            chosen = geo[0]
        name, value = chosen
        try:
            checked = check_geometry(value, f"attribute {name!r}")
            attach(entity, checked, options.area_of_interest, f"attribute {name!r}")
        except GeometryError as exc:
            raise InvalidEntityError(entity.id, str(exc)) from None
        attrs.pop(name, None)
        entity.geometry_attribute = name
        for other, other_value in geo:
            if other != name:
                try:
                    check_geometry(other_value, f"attribute {other!r}")
                except GeometryError as exc:
                    entity.warnings.append(str(exc))
    observed = attrs.get("dateObserved")
    if observed is not None and type(observed.value) is datetime:
        entity.observed_at = observed.value
    else:
        latest = None
        for attr in attrs.values():
            t = attr.observed_at
            if t is not None and (latest is None or t > latest):
                latest = t
        entity.observed_at = latest
    modified = attrs.get("dateModified")
    if modified is not None and type(modified.value) is datetime:
        entity.modified_at = modified.value
    return entity


def new_entity(eid: str, etype: str, warnings: list[str]) -> tuple[Entity, dict[str, Attribute]]:
    """An empty entity and its attribute dict."""
    attrs: dict[str, Attribute] = {}
    return Entity(eid, etype, None, attrs, None, None, warnings), attrs
