"""`parse_entity`: any supported payload of either flavor into an `Entity`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from smartcity_qgis.cityos_client.config import NGSI_LD, NGSI_V2
from smartcity_qgis.cityos_client.errors import InvalidEntityError
from smartcity_qgis.cityos_client.geometry import GEOJSON_TYPES, GeometryError, attach, check_geometry
from smartcity_qgis.cityos_client.models import Entity
from smartcity_qgis.cityos_client.parse_common import DEFAULT_OPTIONS, ParseOptions
from smartcity_qgis.cityos_client.parse_ld import (
    NotNormalizedError,
    parse_ld_concise,
    parse_ld_normalized,
)
from smartcity_qgis.cityos_client.parse_v2 import is_v2_normalized, parse_v2_key_values, parse_v2_normalized

REPRESENTATIONS = ("normalized", "keyValues", "concise", "simplified", "geojson")
_CANONICAL = frozenset({"normalized", "keyValues", "concise", "geojson"})
_NOT_ATTRIBUTES = frozenset({"id", "type", "@context", "@id", "@type", "scope", "createdAt", "modifiedAt", "deletedAt"})
_ALIASES = {
    "normalized": "normalized",
    "keyvalues": "keyValues",
    "key_values": "keyValues",
    "simplified": "keyValues",
    "concise": "concise",
    "geojson": "geojson",
    "geo+json": "geojson",
}


def _options(primary: str | None, area_of_interest: Any) -> ParseOptions:
    if primary is None and area_of_interest is None:
        return DEFAULT_OPTIONS
    return ParseOptions(primary or "location", area_of_interest)


def parse_entity(
    payload: dict,
    flavor: str,
    representation: str | None = None,
    *,
    primary_geo_attribute: str | None = None,
    area_of_interest: tuple[float, float, float, float] | None = None,
) -> Entity:
    """Parse one entity payload of ``flavor`` ('ngsi-v2' or 'ngsi-ld').

    ``representation`` is 'normalized', 'keyValues' (alias 'simplified'),
    'concise' (LD) or 'geojson' (a GeoJSON Feature); None detects it from the
    payload. Raises `InvalidEntityError` naming the entity id and the reason.
    """
    return parse_with(payload, flavor, representation, _options(primary_geo_attribute, area_of_interest))


def parse_with(payload: Any, flavor: str, representation: str | None, options: ParseOptions) -> Entity:
    """`parse_entity` with prepared options (the client's hot path)."""
    if type(payload) is not dict:
        raise InvalidEntityError(None, f"an entity must be a JSON object, got {type(payload).__name__}")
    if representation is None:
        kind = payload.get("type")
        if kind == "Feature" or kind == "FeatureCollection":
            representation = "geojson"
    elif representation not in _CANONICAL:
        rep = _ALIASES.get(representation.lower())
        if rep is None:
            raise ValueError(f"unknown representation {representation!r}; use one of {REPRESENTATIONS}")
        representation = rep
    if representation == "geojson":
        return parse_feature(payload, flavor, options)
    if flavor == NGSI_V2:
        if representation is None:
            representation = "normalized" if is_v2_normalized(payload) else "keyValues"
        if representation == "normalized":
            return parse_v2_normalized(payload, options)
        if representation == "keyValues":
            return parse_v2_key_values(payload, options)
        raise ValueError("NGSI-v2 has no concise representation")
    if flavor == NGSI_LD:
        if representation is None:
            # Detection by trying the forms in turn: each attempt stops at the first attribute
            # it cannot explain, so a payload is read about once whatever its form.
            if _first_attribute_is_object(payload):
                try:
                    return parse_ld_normalized(payload, options, detecting=True)
                except NotNormalizedError:
                    pass
            try:
                return parse_ld_concise(payload, options, key_values=True, detecting=True)
            except NotNormalizedError:
                representation = "concise"
        if representation == "normalized":
            return parse_ld_normalized(payload, options)
        return parse_ld_concise(payload, options, key_values=representation == "keyValues")
    raise ValueError(f"flavor must be {NGSI_V2!r} or {NGSI_LD!r}, got {flavor!r}")


def _first_attribute_is_object(payload: dict) -> bool:
    """False when the first attribute is a plain value, which rules out the normalized form at once."""
    for name, value in payload.items():
        if name in _NOT_ATTRIBUTES:
            continue
        return type(value) is dict or type(value) is list
    return True


def _is_geometry_type(kind: Any) -> bool:
    return type(kind) is str and kind in GEOJSON_TYPES


def parse_feature(feature: Any, flavor: str, options: ParseOptions) -> Entity:
    """An entity from a GeoJSON Feature (``Accept: application/geo+json`` answers)."""
    if type(feature) is dict and feature.get("type") == "FeatureCollection":
        features = feature.get("features")
        if type(features) is not list or len(features) != 1:
            raise InvalidEntityError(None, "a FeatureCollection can only be read as one entity if it holds one feature")
        feature = features[0]
    if type(feature) is not dict or feature.get("type") != "Feature":
        raise InvalidEntityError(None, "not a GeoJSON Feature")
    eid = feature.get("id")
    props = feature.get("properties")
    if type(props) is not dict:
        raise InvalidEntityError(eid if type(eid) is str else None, "GeoJSON Feature has no 'properties' object")
    payload = dict(props)
    payload["id"] = eid
    if "type" not in props:
        raise InvalidEntityError(
            eid if type(eid) is str else None, "GeoJSON Feature has no entity 'type' in its properties"
        )
    geometry = feature.get("geometry")
    checked = None
    if geometry is not None:
        if type(geometry) is not dict or not _is_geometry_type(geometry.get("type")):
            kind = geometry.get("type") if type(geometry) is dict else type(geometry).__name__
            raise InvalidEntityError(
                eid if type(eid) is str else None,
                f"the Feature's geometry is not a GeoJSON geometry (its type is {kind!r:.40})",
            )
        try:
            checked = check_geometry(geometry, "Feature geometry")
        except GeometryError as exc:
            raise InvalidEntityError(eid if type(eid) is str else None, str(exc)) from None
    entity = parse_with(payload, flavor, None, options)
    if checked is not None and entity.geometry_attribute is None:
        try:
            attach(entity, checked, options.area_of_interest, "Feature geometry")
        except GeometryError as exc:
            raise InvalidEntityError(entity.id, str(exc)) from None
        entity.geometry_attribute = "geometry"
    return entity


def iter_features(collection: Any, flavor: str, options: ParseOptions) -> Iterator[Entity | InvalidEntityError]:
    """Entities of a GeoJSON FeatureCollection answer; unusable features are yielded as errors."""
    if type(collection) is not dict or collection.get("type") != "FeatureCollection":
        yield InvalidEntityError(None, "the answer is not a GeoJSON FeatureCollection")
        return
    features = collection.get("features")
    if type(features) is not list:
        yield InvalidEntityError(None, "the FeatureCollection has no 'features' list")
        return
    for feature in features:
        try:
            yield parse_feature(feature, flavor, options)
        except InvalidEntityError as exc:
            yield exc
