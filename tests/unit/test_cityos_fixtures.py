"""Every Smart Data Models example payload either parses correctly or is rejected with a reason naming its fault."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from smartcity_qgis.cityos_client import InvalidEntityError, parse_entity
from tests.conftest import SMART_DATA_MODELS, fixture_files

FILES = fixture_files(SMART_DATA_MODELS, "*/*/examples/*", (".json", ".jsonld"))

# The faulty payloads (see ATTRIBUTION.md) and the words their rejection must contain.
REJECTED = {
    "Device/Camera/examples/example-normalized.json": "latitude 91.28076",
    "Environment/AeroAllergenObserved/examples/example-geojsonfeature.json": "'GeoProperty'",
    "Environment/AirQualityObserved/examples/example-geojsonfeature.json": "'GeoProperty'",
    "Environment/FloodMonitoring/examples/example-normalized.jsonld": "'floodLevelStatus' has type 'string'",
    "Environment/IndoorEnvironmentObserved/examples/example-geojsonfeature.json": "'GeoProperty'",
    "Environment/NightSkyQuality/examples/example-normalized.jsonld": "'dateModified' has type 'DateTime'",
    "Environment/NoiseLevelObserved/examples/example-geojsonfeature.json": "'GeoProperty'",
    "Environment/PhreaticObserved/examples/example-geojsonfeature.json": "'GeoProperty'",
    "Environment/PhreaticObserved/examples/example-normalized.jsonld": "'refDevice' is a Relationship without 'object'",
    "Environment/RainFallRadarObserved/examples/example-geojsonfeature.json": "'GeoProperty'",
    "Transportation/AnprFlowObserved/examples/example-normalized.json": "latitude 168.370658",
    "Transportation/AnprFlowObserved/examples/example.json": "latitude 168.370658",
    "Transportation/AnprFlowObserved/examples/example.jsonld": "latitude 168.370658",
    "Transportation/RestrictedTrafficArea/examples/example-geojsonfeature.json": "'geo:json'",
    "Transportation/RestrictionException/examples/example-normalized.jsonld": "'name' has type 'string'",
    "Transportation/RoadAccident/examples/example-geojsonfeature.json": "its type is 'Property'",
    "Transportation/RoadAccident/examples/example-normalized.json": "latitude 168.370658",
    "Transportation/RoadAccident/examples/example.json": "latitude 168.370658",
    "Transportation/RoadAccident/examples/example.jsonld": "latitude 168.370658",
    "Transportation/RoadSegment/examples/example-geojsonfeature.json": "'GeoProperty'",
    "Transportation/SpecialRestriction/examples/example-normalized.jsonld": "'name' has type 'string'",
    "Transportation/TransportStation/examples/example-normalized.jsonld": "'dateLastReported' has type 'DateTime'",
}
_SKIP = {"id", "type", "@context"}
GEOJSON = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}


def rel(path: Path) -> str:
    return path.relative_to(SMART_DATA_MODELS).as_posix()


def flavor_of(path: Path) -> str:
    return "ngsi-ld" if path.suffix == ".jsonld" else "ngsi-v2"


def bare(raw):
    """The plain value of an attribute in any representation (an independent, simple reading)."""
    if isinstance(raw, dict) and raw.get("type") in ("Property", "GeoProperty", "geo:json") and "value" in raw:
        return raw["value"]
    if isinstance(raw, dict) and "value" in raw and "type" in raw and len(raw) <= 3:
        return raw["value"]
    return raw


def expected_geometry_type(attrs: dict) -> str | None:
    """The GeoJSON type of 'location', else of the first attribute holding coordinates."""
    candidates = ["location"] + [k for k in attrs if k != "location"]
    for name in candidates:
        value = bare(attrs.get(name))
        if isinstance(value, dict) and "coordinates" in value and value.get("type") in GEOJSON:
            return value["type"]
    return None


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_fixture_set_is_complete_and_attributed():
    assert len(FILES) == 256
    domains = ("Device", "Environment", "Transportation", "Weather")
    assert {p.relative_to(SMART_DATA_MODELS).parts[0] for p in FILES} == set(domains)
    attribution = (SMART_DATA_MODELS / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0" in attribution
    assert all(f"github.com/smart-data-models/dataModel.{domain}" in attribution for domain in domains)
    assert all(rel(Path(SMART_DATA_MODELS / name)) in {rel(p) for p in FILES} for name in REJECTED)


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_payload_parses_or_is_rejected_with_its_fault(path):
    payload = load(path)
    flavor = flavor_of(path)
    if rel(path) in REJECTED:
        with pytest.raises(InvalidEntityError) as info:
            parse_entity(payload, flavor)
        message = str(info.value)
        assert REJECTED[rel(path)] in message
        assert info.value.entity_id is not None and info.value.entity_id in message
        return
    entity = parse_entity(payload, flavor)
    if payload.get("type") == "Feature":
        attrs = {k: v for k, v in payload["properties"].items() if k != "type"}
        expected_type = payload["properties"]["type"]
    else:
        attrs = {k: v for k, v in payload.items() if k not in _SKIP}
        expected_type = payload["type"]
    assert entity.id == payload["id"]
    assert entity.type == expected_type
    geometry_type = expected_geometry_type(attrs)
    if geometry_type is None:
        assert entity.geometry is None
    else:
        assert entity.geometry is not None and entity.geometry.geom_type == geometry_type
        assert entity.geometry.is_valid
    expected_names = set(attrs) - {entity.geometry_attribute}
    assert set(entity.attributes) == expected_names
    for name, attr in entity.attributes.items():
        raw = bare(attrs[name])
        if isinstance(raw, bool | int | float) and not isinstance(attr.value, datetime):
            assert attr.value == raw, name


def test_swapped_nice_water_station_is_flagged_with_an_area_of_interest():
    nice = (6.9, 43.5, 7.5, 43.9)
    paths = fixture_files(SMART_DATA_MODELS / "Environment/WaterObserved/examples", "*.json*")
    # keyValues and normalized, NGSI-v2 and NGSI-LD, and the GeoJSON feature form
    assert [p.name for p in paths] == [
        "example-geojsonfeature.json",
        "example-normalized.json",
        "example-normalized.jsonld",
        "example.json",
        "example.jsonld",
    ]
    for path in paths:
        entity = parse_entity(load(path), flavor_of(path), area_of_interest=nice)
        assert entity.geometry.coords[0] == (43.66481, 7.196545), "never swapped silently"
        assert any("latitude and longitude look swapped" in w for w in entity.warnings), path.name
        plain = parse_entity(load(path), flavor_of(path))
        assert not any("swapped" in w for w in plain.warnings)


def test_correct_madrid_station_is_not_flagged():
    madrid = (-3.9, 40.3, -3.5, 40.6)
    path = SMART_DATA_MODELS / "Environment/AirQualityObserved/examples/example-normalized.json"
    entity = parse_entity(load(path), "ngsi-v2", area_of_interest=madrid)
    assert not any("swapped" in w for w in entity.warnings)


def _type_folders_with_four():
    for folder in sorted({p.parent for p in FILES}):
        names = {"example.json", "example-normalized.json", "example.jsonld", "example-normalized.jsonld"}
        if names <= {p.name for p in folder.iterdir()}:
            usable = [folder / n for n in sorted(names) if rel(folder / n) not in REJECTED]
            if len(usable) == 4:
                yield folder


FOUR = list(_type_folders_with_four())


@pytest.mark.parametrize("folder", FOUR, ids=lambda f: f.parent.name)
def test_four_representations_agree_where_their_data_agrees(folder):
    """Wherever the four files carry the same data, the parsed geometry and values are the same."""
    names = ["example.json", "example-normalized.json", "example.jsonld", "example-normalized.jsonld"]
    payloads = [load(folder / n) for n in names]
    entities = [parse_entity(p, flavor_of(folder / n)) for p, n in zip(payloads, names, strict=True)]
    raw_locations = [bare(p.get("location")) for p in payloads]
    if all(loc == raw_locations[0] for loc in raw_locations) and raw_locations[0] is not None:
        wkts = {e.geometry.wkt for e in entities}
        assert len(wkts) == 1, wkts
    common = set.intersection(*(set(e.attributes) for e in entities))
    compared = 0
    for name in common:
        raws = [bare(p[name]) for p in payloads]
        kinds = {p[name].get("type") for p in payloads if isinstance(p[name], dict)}
        if "Relationship" in kinds or any(r != raws[0] for r in raws):
            continue  # the examples themselves differ here
        values = [e.attributes[name].value for e in entities]
        assert all(v == values[0] for v in values), (name, values)
        compared += 1
    assert compared > 0 or not common


def test_some_types_do_have_four_comparable_representations():
    assert len(FOUR) >= 30
