"""Parsing entities of both flavors: representations, geometry forms, dates, faults."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from shapely import wkt as shapely_wkt

from smartcity_qgis.cityos_client import InvalidEntityError, parse_entity, parse_notification, to_geodataframe
from smartcity_qgis.cityos_client.parse_common import ParseOptions

OKAZAKI_AOI = (137.0, 34.8, 137.4, 35.1)
WHEN = "2026-07-01T09:30:00.000Z"
AT = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
POINT = {"type": "Point", "coordinates": [137.1631, 34.9551]}


@pytest.fixture
def proj_data():
    """pyproj inside a venv looks for PROJ data under the venv's prefix; point it at the system's."""
    import pyproj.datadir
    from pyproj.exceptions import DataDirError

    try:
        pyproj.datadir.get_data_dir()
    except DataDirError:
        pyproj.datadir.set_data_dir("/usr/share/proj")


def representations() -> dict[tuple[str, str], dict]:
    """One river station written in every representation of both flavors."""
    eid = "urn:ngsi-ld:WaterObserved:otogawa-1"
    return {
        ("ngsi-v2", "normalized"): {
            "id": eid,
            "type": "WaterObserved",
            "name": {"type": "Text", "value": "乙川 明大寺"},
            "waterLevel": {
                "type": "Number",
                "value": 2.4,
                "metadata": {
                    "unitCode": {"type": "Text", "value": "MTR"},
                    "TimeInstant": {"type": "DateTime", "value": WHEN},
                },
            },
            "dateObserved": {"type": "DateTime", "value": WHEN},
            "location": {"type": "geo:json", "value": POINT},
        },
        ("ngsi-v2", "keyValues"): {
            "id": eid,
            "type": "WaterObserved",
            "name": "乙川 明大寺",
            "waterLevel": 2.4,
            "dateObserved": WHEN,
            "location": POINT,
        },
        ("ngsi-ld", "normalized"): {
            "id": eid,
            "type": "WaterObserved",
            "name": {"type": "Property", "value": "乙川 明大寺"},
            "waterLevel": {"type": "Property", "value": 2.4, "unitCode": "MTR", "observedAt": WHEN},
            "dateObserved": {"type": "Property", "value": {"@type": "DateTime", "@value": WHEN}},
            "location": {"type": "GeoProperty", "value": POINT},
            "@context": ["https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"],
        },
        ("ngsi-ld", "concise"): {
            "id": eid,
            "type": "WaterObserved",
            "name": "乙川 明大寺",
            "waterLevel": {"value": 2.4, "unitCode": "MTR", "observedAt": WHEN},
            "dateObserved": WHEN,
            "location": POINT,
        },
        ("ngsi-ld", "keyValues"): {
            "id": eid,
            "type": "WaterObserved",
            "name": "乙川 明大寺",
            "waterLevel": 2.4,
            "dateObserved": WHEN,
            "location": POINT,
        },
        ("ngsi-ld", "geojson"): {
            "id": eid,
            "type": "Feature",
            "geometry": POINT,
            "properties": {
                "type": "WaterObserved",
                "name": {"type": "Property", "value": "乙川 明大寺"},
                "waterLevel": {"type": "Property", "value": 2.4, "unitCode": "MTR", "observedAt": WHEN},
                "dateObserved": {"type": "Property", "value": WHEN},
                "location": {"type": "GeoProperty", "value": POINT},
            },
        },
    }


@pytest.mark.parametrize("explicit", [True, False], ids=["given", "detected"])
@pytest.mark.parametrize("key", list(representations()), ids=lambda k: f"{k[0]}-{k[1]}")
def test_every_representation_gives_the_same_entity(key, explicit):
    flavor, rep = key
    entity = parse_entity(representations()[key], flavor, rep if explicit else None)
    assert (entity.id, entity.type) == ("urn:ngsi-ld:WaterObserved:otogawa-1", "WaterObserved")
    assert entity.geometry.wkt == "POINT (137.1631 34.9551)"
    assert set(entity.attributes) == {"name", "waterLevel", "dateObserved"}
    assert entity.value("name") == "乙川 明大寺" and entity.value("waterLevel") == 2.4
    assert entity.value("dateObserved") == AT and entity.observed_at == AT
    assert entity.warnings == []
    if rep != "keyValues":
        assert entity.attributes["waterLevel"].unit_code == "MTR"
        assert entity.attributes["waterLevel"].observed_at == AT


def test_attribute_types_are_kept():
    reps = representations()
    v2 = parse_entity(reps[("ngsi-v2", "normalized")], "ngsi-v2")
    ld = parse_entity(reps[("ngsi-ld", "normalized")], "ngsi-ld")
    assert v2.attributes["waterLevel"].type == "Number" and v2.attributes["dateObserved"].type == "DateTime"
    assert ld.attributes["waterLevel"].type == "Property"
    assert v2.attributes["waterLevel"].metadata["unitCode"] == "MTR"


def test_ld_relationship_language_property_and_multi_instances():
    payload = {
        "id": "urn:ngsi-ld:PointOfInterest:shelter-1",
        "type": "PointOfInterest",
        "refDistrict": {"type": "Relationship", "object": "urn:ngsi-ld:District:quruwa"},
        "name": {"type": "LanguageProperty", "languageMap": {"ja": "岡崎市民会館", "en": "Okazaki Civic Hall"}},
        "capacity": [
            {"type": "Property", "value": 300, "datasetId": "urn:ngsi-ld:Dataset:winter"},
            {"type": "Property", "value": 450},
        ],
        "location": {"type": "GeoProperty", "value": POINT},
    }
    entity = parse_entity(payload, "ngsi-ld")
    assert entity.value("refDistrict") == "urn:ngsi-ld:District:quruwa"
    assert entity.attributes["refDistrict"].type == "Relationship"
    assert entity.value("name") == {"ja": "岡崎市民会館", "en": "Okazaki Civic Hall"}
    assert entity.value("capacity") == 450
    assert any("2 instances" in w for w in entity.warnings)
    concise = parse_entity(
        {
            "id": payload["id"],
            "type": "PointOfInterest",
            "refDistrict": {"object": "urn:ngsi-ld:District:quruwa"},
            "name": {"languageMap": {"ja": "岡崎市民会館"}},
            "location": POINT,
        },
        "ngsi-ld",
        "concise",
    )
    assert concise.attributes["refDistrict"].type == "Relationship"
    assert concise.attributes["name"].type == "LanguageProperty"


# -- geometry forms ---------------------------------------------------------------------------
def v2(location_attr: dict, **more) -> dict:
    return {"id": "e1", "type": "T", "location": location_attr, **more}


@pytest.mark.parametrize(
    ("attr", "wkt"),
    [
        ({"type": "geo:point", "value": "34.9551, 137.1631"}, "POINT (137.1631 34.9551)"),
        ({"type": "geo:line", "value": ["34.95, 137.16", "34.96, 137.17"]}, "LINESTRING (137.16 34.95, 137.17 34.96)"),
        (
            {"type": "geo:polygon", "value": ["34.95, 137.16", "34.96, 137.16", "34.96, 137.17", "34.95, 137.16"]},
            "POLYGON ((137.16 34.95, 137.16 34.96, 137.17 34.96, 137.16 34.95))",
        ),
        (
            {"type": "geo:box", "value": ["34.95, 137.16", "34.96, 137.17"]},
            "POLYGON ((137.16 34.95, 137.17 34.95, 137.17 34.96, 137.16 34.96, 137.16 34.95))",
        ),
        (
            {"type": "geo:json", "value": {"type": "Feature", "properties": {}, "geometry": POINT}},
            "POINT (137.1631 34.9551)",
        ),
        (
            {
                "type": "geo:json",
                "value": {
                    "type": "FeatureCollection",
                    "features": [{"type": "Feature", "properties": {}, "geometry": POINT}],
                },
            },
            "POINT (137.1631 34.9551)",
        ),
        (
            {"type": "geo:json", "value": {"type": "MultiPoint", "coordinates": [[137.1, 34.9], [137.2, 35.0]]}},
            "MULTIPOINT (137.1 34.9, 137.2 35)",
        ),
        (
            {"type": "geo:json", "value": {"type": "MultiLineString", "coordinates": [[[137.1, 34.9], [137.2, 35.0]]]}},
            "MULTILINESTRING ((137.1 34.9, 137.2 35))",
        ),
        (
            {
                "type": "geo:json",
                "value": {
                    "type": "MultiPolygon",
                    "coordinates": [[[[137.1, 34.9], [137.2, 34.9], [137.2, 35.0], [137.1, 34.9]]]],
                },
            },
            "MULTIPOLYGON (((137.1 34.9, 137.2 34.9, 137.2 35, 137.1 34.9)))",
        ),
        (
            {"type": "geo:json", "value": {"type": "GeometryCollection", "geometries": [POINT]}},
            "GEOMETRYCOLLECTION (POINT (137.1631 34.9551))",
        ),
        # Orion before 3.11: a "lat, lng" text marked as a location by metadata (misspelt too).
        (
            {
                "type": "Text",
                "value": "34.9551, 137.1631",
                "metadata": {"location": {"type": "string", "value": "WGS84"}},
            },
            "POINT (137.1631 34.9551)",
        ),
        (
            {
                "type": "Text",
                "value": "34.9551, 137.1631",
                "metadata": {"location": {"type": "string", "value": "WSG84"}},
            },
            "POINT (137.1631 34.9551)",
        ),
    ],
)
def test_v2_location_forms(attr, wkt):
    entity = parse_entity(v2(attr), "ngsi-v2")
    expected = shapely_wkt.loads(wkt)  # compared as geometries: WKT spelling differs between GEOS versions
    assert entity.geometry.geom_type == expected.geom_type and entity.geometry.equals(expected)
    assert "location" not in entity.attributes and entity.geometry_attribute == "location"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ({"type": "Point", "coordinates": [137.1, 95.0]}, "out of range"),
        ({"type": "Point", "coordinates": [237.1, 35.0]}, "out of range"),
        ({"type": "Point", "coordinates": ["137.1", 35.0]}, "must be numbers"),
        ({"type": "Point", "coordinates": [137.1]}, "[longitude, latitude]"),
        (
            {"type": "Polygon", "coordinates": [[[137.1, 34.9], [137.2, 34.9], [137.2, 35.0], [137.1, 35.0]]]},
            "not closed",
        ),
        ({"type": "Polygon", "coordinates": [[[137.1, 34.9], [137.2, 34.9], [137.1, 34.9]]]}, "at least 4"),
        ({"type": "LineString", "coordinates": [[137.1, 34.9]]}, "at least 2"),
        ({"type": "Circle", "coordinates": [137.1, 34.9]}, "not a GeoJSON geometry type"),
        ({"type": "FeatureCollection", "features": []}, "exactly one feature"),
        ({"type": "Point", "coordinates": [137.1, float("nan")]}, "finite"),
    ],
)
def test_unusable_geometry_is_rejected_with_the_reason(value, reason):
    with pytest.raises(InvalidEntityError) as info:
        parse_entity(v2({"type": "geo:json", "value": value}), "ngsi-v2")
    assert reason in str(info.value) and "entity e1" in str(info.value) and "'location'" in str(info.value)
    with pytest.raises(InvalidEntityError) as info:
        parse_entity({"id": "urn:x:1", "type": "T", "location": {"type": "GeoProperty", "value": value}}, "ngsi-ld")
    assert reason in str(info.value)


def test_bad_geo_point_text_is_rejected():
    with pytest.raises(InvalidEntityError) as info:
        parse_entity(v2({"type": "geo:point", "value": "somewhere in Okazaki"}), "ngsi-v2")
    assert "'lat, lng'" in str(info.value)


def test_self_intersecting_polygon_is_repaired_with_a_warning():
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[137.1, 34.9], [137.2, 35.0], [137.2, 34.9], [137.1, 35.0], [137.1, 34.9]]],
    }
    entity = parse_entity(v2({"type": "geo:json", "value": bowtie}), "ngsi-v2")
    assert entity.geometry.is_valid and entity.geometry.area == pytest.approx(0.005)
    assert any("self-intersects" in w and "repaired" in w for w in entity.warnings)


def test_swapped_point_is_warned_not_swapped():
    nice_aoi = (6.9, 43.5, 7.5, 43.9)
    ok = parse_entity(
        v2({"type": "geo:json", "value": {"type": "Point", "coordinates": [7.2, 43.7]}}),
        "ngsi-v2",
        area_of_interest=nice_aoi,
    )
    assert ok.warnings == []
    elsewhere = parse_entity(
        v2({"type": "geo:json", "value": {"type": "Point", "coordinates": [2.35, 48.85]}}),
        "ngsi-v2",
        area_of_interest=nice_aoi,
    )
    assert elsewhere.warnings == []  # outside, but its swap is not inside either
    swapped = parse_entity(v2({"type": "geo:point", "value": "7.2, 43.7"}), "ngsi-v2", area_of_interest=nice_aoi)
    assert swapped.geometry.coords[0] == (43.7, 7.2)
    assert any("latitude and longitude look swapped" in w for w in swapped.warnings)


def test_swapped_japanese_point_is_out_of_range_and_says_so():
    # In Japan a swap puts 137° into the latitude: invalid, and the reason suggests the swap.
    with pytest.raises(InvalidEntityError) as info:
        parse_entity(
            v2({"type": "geo:json", "value": {"type": "Point", "coordinates": [34.9551, 137.1631]}}),
            "ngsi-v2",
            area_of_interest=OKAZAKI_AOI,
        )
    assert "out of range" in str(info.value) and "look swapped" in str(info.value)


def test_primary_geo_attribute_and_others_stay_attributes():
    payload = {
        "id": "od-1",
        "type": "OriginDestinationFlow",
        "originLocation": {"type": "geo:json", "value": {"type": "Point", "coordinates": [137.1, 34.9]}},
        "location": {"type": "geo:json", "value": POINT},
        "destinationLocation": {"type": "geo:json", "value": {"type": "Point", "coordinates": [137.2, 35.0]}},
    }
    entity = parse_entity(payload, "ngsi-v2")
    assert entity.geometry.wkt == "POINT (137.1631 34.9551)"
    assert set(entity.attributes) == {"originLocation", "destinationLocation"}
    chosen = parse_entity(payload, "ngsi-v2", primary_geo_attribute="destinationLocation")
    assert chosen.geometry.wkt == "POINT (137.2 35)" and "location" in chosen.attributes
    del payload["location"]
    first = parse_entity(payload, "ngsi-v2")
    assert first.geometry_attribute == "originLocation"


def test_no_location_is_an_entity_without_geometry():
    entity = parse_entity({"id": "d1", "type": "Device", "batteryLevel": {"type": "Number", "value": 0.8}}, "ngsi-v2")
    assert entity.geometry is None and entity.value("batteryLevel") == 0.8


@pytest.mark.parametrize(
    ("payload", "flavor", "reason"),
    [
        ([1, 2], "ngsi-v2", "JSON object"),
        ({"type": "T"}, "ngsi-v2", "no 'id'"),
        ({"id": "", "type": "T"}, "ngsi-ld", "no 'id'"),
        ({"id": "x"}, "ngsi-v2", "no 'type'"),
        ({"id": "x", "type": "T", "a": {"type": "Number", "value": 1}, "b": 3}, "ngsi-v2", None),
        ({"id": "x", "type": "T", "a": {"type": "Number", "value": 1, "metadata": 7}}, "ngsi-v2", "'metadata'"),
        ({"id": "x", "type": "T", "a": {"type": "Property"}}, "ngsi-ld", "without 'value'"),
        ({"id": "x", "type": "T", "a": {"type": "Relationship", "value": "urn:y"}}, "ngsi-ld", "without 'object'"),
        ({"id": "x", "type": "T", "a": {"type": "Text", "value": 1}}, "ngsi-ld", "not an NGSI-LD attribute type"),
        ({"id": "x", "type": "T", "a": []}, "ngsi-ld", None),
    ],
)
def test_broken_entities_name_the_fault(payload, flavor, reason):
    if reason is None:  # shapes that are still readable in another representation
        parse_entity(payload, flavor)
        return
    with pytest.raises(InvalidEntityError) as info:
        parse_entity(payload, flavor)
    assert reason in str(info.value)


def test_explicit_normalized_refuses_bare_values():
    with pytest.raises(InvalidEntityError) as info:
        parse_entity({"id": "x", "type": "T", "a": 3}, "ngsi-v2", "normalized")
    assert "'a' is not an object" in str(info.value)


def test_dates_are_aware_and_bad_dates_stay_text_with_a_warning():
    entity = parse_entity(
        {
            "id": "x",
            "type": "T",
            "a": {"type": "DateTime", "value": "2026-07-01T18:30:00+09:00"},
            "b": {"type": "DateTime", "value": "2016-19-08"},
            "c": {"type": "DateTime", "value": "2026-07-01T09:30:00"},
        },
        "ngsi-v2",
    )
    assert entity.value("a") == AT + (datetime(2026, 1, 1, 0, 0, tzinfo=UTC) - datetime(2026, 1, 1, tzinfo=UTC))
    assert entity.value("a").utcoffset() is not None and entity.value("a") == datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
    assert entity.value("b") == "2016-19-08" and any("'b'" in w for w in entity.warnings)
    assert entity.value("c").tzinfo is not None


@pytest.mark.parametrize(
    ("rep", "attrs"),
    [
        ("normalized", {"when": {"type": "Property", "value": {"@type": "DateTime", "@value": "2016-19-08T99:00"}}}),
        ("normalized", {"when": {"type": "Property", "value": {"@type": "DateTime", "@value": "x"}, "unitCode": "C"}}),
        ("concise", {"when": {"@type": "DateTime", "@value": "2016-19-08T99:00"}}),
    ],
    ids=["normalized", "with-sub-members", "concise"],
)
def test_ld_typed_dates_that_are_not_dates_stay_text_with_a_warning(rep, attrs):
    entity = parse_entity({"id": "urn:x", "type": "T", **attrs}, "ngsi-ld", rep)
    raw = attrs["when"].get("value", attrs["when"])["@value"]
    assert entity.value("when") == raw
    assert entity.warnings == [f"attribute 'when' is a DateTime but {raw!r} is not a valid date"]
    good = {"when": {"type": "Property", "value": {"@type": "DateTime", "@value": "2026-07-01T09:30:00Z"}}}
    assert parse_entity({"id": "urn:x", "type": "T", **good}, "ngsi-ld").warnings == []


def test_parsing_does_not_touch_the_payload():
    payload = representations()[("ngsi-ld", "normalized")]
    before = copy.deepcopy(payload)
    parse_entity(payload, "ngsi-ld")
    assert payload == before


# -- notifications and GeoDataFrame -----------------------------------------------------------
def test_notifications_of_both_flavors_and_the_ld_mqtt_wrapper():
    reps = representations()
    options = ParseOptions()
    v2_note = {"subscriptionId": "s1", "data": [reps[("ngsi-v2", "normalized")]]}
    ld_note = {
        "id": "urn:ngsi-ld:Notification:1",
        "type": "Notification",
        "subscriptionId": "s2",
        "notifiedAt": WHEN,
        "data": [reps[("ngsi-ld", "normalized")], {"type": "T"}],
    }
    (a,), errors = parse_notification(v2_note, "ngsi-v2", options)
    assert a.value("waterLevel") == 2.4 and errors == []
    import json

    (b,), errors = parse_notification(
        json.dumps({"metadata": {"Content-Type": "application/json"}, "body": ld_note}).encode(), "ngsi-ld", options
    )
    assert b.geometry.wkt == a.geometry.wkt and len(errors) == 1 and "no 'id'" in str(errors[0])
    with pytest.raises(InvalidEntityError):
        parse_notification(b"not json", "ngsi-v2", options)
    with pytest.raises(InvalidEntityError):
        parse_notification({"subscriptionId": "s"}, "ngsi-v2", options)


def test_geodataframe_has_one_column_per_attribute_in_wgs84(proj_data):
    reps = representations()
    entities = [
        parse_entity(reps[("ngsi-v2", "normalized")], "ngsi-v2"),
        parse_entity({"id": "d1", "type": "Device", "battery": 0.5}, "ngsi-v2"),
    ]
    gdf = to_geodataframe(entities)
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf.columns) == ["id", "type", "name", "waterLevel", "dateObserved", "battery", "geometry"]
    assert gdf.loc[0, "waterLevel"] == 2.4 and gdf.loc[1, "battery"] == 0.5
    assert gdf.geometry[0].wkt == "POINT (137.1631 34.9551)" and gdf.geometry[1] is None


def test_attribute_metadata_is_a_dict_of_its_own():
    entity = parse_entity({"id": "x", "type": "T", "a": 1, "b": 2}, "ngsi-v2")
    a, b = entity.attributes["a"], entity.attributes["b"]
    assert a.metadata == {} and b.metadata == {}
    a.metadata["source"] = "manual"
    assert a.metadata == {"source": "manual"} and b.metadata == {}
