"""Property-based: random and mutated payloads raise nothing but InvalidEntityError."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartcity_qgis.cityos_client import Entity, InvalidEntityError, parse_entity, parse_notification
from smartcity_qgis.cityos_client.parse_common import ParseOptions
from tests.conftest import SMART_DATA_MODELS, fixture_files

FLAVOR_REPS = [
    ("ngsi-v2", None),
    ("ngsi-v2", "normalized"),
    ("ngsi-v2", "keyValues"),
    ("ngsi-v2", "geojson"),
    ("ngsi-ld", None),
    ("ngsi-ld", "normalized"),
    ("ngsi-ld", "concise"),
    ("ngsi-ld", "keyValues"),
    ("ngsi-ld", "geojson"),
]
AOI = (137.0, 34.8, 137.4, 35.1)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NAMES = st.sampled_from(
    [
        "id",
        "type",
        "location",
        "value",
        "object",
        "coordinates",
        "geometry",
        "properties",
        "features",
        "metadata",
        "observedAt",
        "unitCode",
        "languageMap",
        "datasetId",
        "@context",
        "@value",
        "geometries",
        "data",
        "body",
        "name",
        "dateObserved",
        "modifiedAt",
    ]
) | st.text(max_size=8)
TYPES = st.sampled_from(
    [
        "Point",
        "LineString",
        "Polygon",
        "MultiPoint",
        "MultiLineString",
        "MultiPolygon",
        "GeometryCollection",
        "Feature",
        "FeatureCollection",
        "Property",
        "GeoProperty",
        "Relationship",
        "LanguageProperty",
        "geo:json",
        "geo:point",
        "geo:line",
        "geo:polygon",
        "geo:box",
        "DateTime",
        "Number",
        "Text",
        "T",
    ]
)
NUMBERS = st.integers(-400, 400) | st.floats(allow_nan=True, allow_infinity=True) | st.booleans()
SCALARS = (
    st.none()
    | NUMBERS
    | st.text(max_size=20)
    | st.sampled_from(["34.95, 137.16", "2026-07-01T09:30:00Z", "2016-19-08T00:00", "urn:ngsi-ld:T:1", "WGS84"])
)
POSITIONS = st.lists(NUMBERS | st.text(max_size=3), min_size=0, max_size=4)
COORDS = st.recursive(POSITIONS, lambda inner: st.lists(inner, max_size=5), max_leaves=30)


def json_values():
    return st.recursive(
        SCALARS | COORDS,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(NAMES, children, max_size=5)
            | st.fixed_dictionaries(
                {"type": TYPES},
                optional={
                    "coordinates": COORDS,
                    "value": children,
                    "object": children,
                    "geometries": st.lists(children),
                },
            )
        ),
        max_leaves=25,
    )


def fixture_payloads() -> list[dict]:
    paths = fixture_files(SMART_DATA_MODELS, "*/*/examples/*", (".json", ".jsonld"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in paths]


FIXTURES = fixture_payloads()


def use_fully(entity: Entity) -> None:
    """Touch everything a caller would (the geometry is built lazily)."""
    geom = entity.geometry
    if geom is not None:
        assert geom.is_valid or entity.warnings
        geom.bounds  # noqa: B018 - building the envelope must work
    repr(entity)
    for attr in entity.attributes.values():
        repr(attr)


def parse_or_reject(payload, flavor, rep):
    try:
        entity = parse_entity(payload, flavor, rep, area_of_interest=AOI)
    except InvalidEntityError as exc:
        assert str(exc).startswith("entity ")
        return None
    use_fully(entity)
    return entity


@pytest.mark.parametrize(("flavor", "rep"), FLAVOR_REPS)
@SETTINGS
@given(payload=json_values())
def test_random_json_raises_only_invalid_entity(flavor, rep, payload):
    parse_or_reject(payload, flavor, rep)


@SETTINGS
@given(
    entity_id=st.text(min_size=1, max_size=10),
    attrs=st.dictionaries(NAMES, json_values(), max_size=6),
    flavor_rep=st.sampled_from(FLAVOR_REPS),
)
def test_random_entities_raise_only_invalid_entity(entity_id, attrs, flavor_rep):
    payload = {**attrs, "id": entity_id, "type": "WaterObserved"}
    parse_or_reject(payload, *flavor_rep)


def mutate(value, data, depth=0):
    """A copy of ``value`` with one random change somewhere inside."""
    if depth > 6 or not isinstance(value, dict | list) or not value or data.draw(st.integers(0, 4)) == 0:
        return data.draw(json_values())
    if isinstance(value, dict):
        key = data.draw(st.sampled_from(sorted(value)))
        action = data.draw(st.sampled_from(["descend", "delete", "replace"]))
        out = dict(value)
        if action == "delete":
            del out[key]
        elif action == "replace":
            out[key] = data.draw(json_values())
        else:
            out[key] = mutate(value[key], data, depth + 1)
        return out
    index = data.draw(st.integers(0, len(value) - 1))
    out = list(value)
    out[index] = mutate(value[index], data, depth + 1)
    return out


@SETTINGS
@given(data=st.data())
def test_mutated_smart_data_models_raise_only_invalid_entity(data):
    payload = data.draw(st.sampled_from(FIXTURES))
    mutated = mutate(payload, data)
    for flavor, rep in (("ngsi-v2", None), ("ngsi-ld", None)):
        parse_or_reject(mutated, flavor, rep)


@SETTINGS
@given(body=json_values() | st.binary(max_size=40), flavor=st.sampled_from(["ngsi-v2", "ngsi-ld"]))
def test_random_notifications_raise_only_invalid_entity(body, flavor):
    options = ParseOptions(area_of_interest=AOI)
    for message in (body, {"subscriptionId": "s", "data": [body]}, {"metadata": {}, "body": {"data": [body]}}):
        try:
            entities, errors = parse_notification(message, flavor, options)
        except InvalidEntityError:
            continue
        for entity in entities:
            use_fully(entity)
        assert all(isinstance(e, InvalidEntityError) for e in errors)
