"""Orion's geo-queries, dates in ``q`` and error texts, replayed against the embedded city OS.

Geo semantics are MongoDB's as Orion uses them (``near`` by distance to the nearest point of a
geometry, ``coveredBy`` = ``$geoWithin``, ``intersects`` = ``$geoIntersects``, ``disjoint`` its
negation, ``equals`` the same coordinates); the refusals are Orion's texts (``Scope::fill``).
"""

from __future__ import annotations

import pytest
import requests

from smartcity_qgis.cityos_sim import start_server
from tests.unit.orion_harness import expect, v2_error

TENANT = {"Fiware-Service": "geoconf"}

# In [lon, lat]: a point, a line and a polygon around (10, 10), and a point far away.
SHAPES = {
    "P": {"type": "Point", "coordinates": [10.0, 10.0]},
    "L": {"type": "LineString", "coordinates": [[9.0, 9.5], [11.0, 9.5]]},
    "A": {"type": "Polygon", "coordinates": [[[9.8, 9.8], [10.2, 9.8], [10.2, 10.2], [9.8, 10.2], [9.8, 9.8]]]},
    "F": {"type": "Point", "coordinates": [20.0, 20.0]},
}


@pytest.fixture(scope="module")
def sim():
    with start_server(auto_advance=False) as srv:
        for eid, geom in SHAPES.items():
            body = {"id": eid, "type": "Shape", "location": {"type": "geo:json", "value": geom},
                    "seen": {"type": "DateTime", "value": "2026-11-25T10:00:00.000Z"},
                    "label": {"type": "Text", "value": "2026-11-25T10:00:00.000Z"}}  # fmt: skip
            assert requests.post(srv.url + "/v2/entities", json=body, headers=TENANT, timeout=10).status_code == 201
        yield srv


def ids(sim, **params) -> list[str]:
    r = requests.get(sim.url + "/v2/entities", params={"type": "Shape", **params}, headers=TENANT, timeout=10)
    assert r.status_code == 200, r.text
    return sorted(e["id"] for e in r.json())


@pytest.mark.parametrize(
    ("georel", "geometry", "coords", "expected"),
    [
        # near a point: the line passes 0.5° south of (10, 10), about 55 km
        ("near;maxDistance:1000", "point", "10,10", ["A", "P"]),
        ("near;maxDistance:60000", "point", "10,10", ["A", "L", "P"]),
        ("near;minDistance:60000", "point", "10,10", ["F"]),
        # a box (lat 9..10.5, lon 9.9..10.1) over the point, the line's middle and the polygon's middle
        ("intersects", "box", "9,9.9;10.5,10.1", ["A", "L", "P"]),
        ("coveredBy", "box", "9,9.9;10.5,10.1", ["P"]),  # the polygon reaches out of the box east and west
        ("disjoint", "box", "9,9.9;10.5,10.1", ["F"]),
        ("coveredBy", "polygon", "9,9;9,11;11,11;11,9;9,9", ["A", "L", "P"]),
        ("intersects", "line", "9,10;11,10", ["A", "L", "P"]),  # a meridian through all three
        ("intersects", "point", "9.5,10", ["L"]),
        # equals: the very same coordinates
        ("equals", "point", "10,10", ["P"]),
        ("equals", "line", "9.5,9;9.5,11", ["L"]),
        ("equals", "polygon", "9.8,9.8;9.8,10.2;10.2,10.2;10.2,9.8;9.8,9.8", ["A"]),
        ("equals", "polygon", "9.8,10.2;10.2,10.2;10.2,9.8;9.8,9.8;9.8,10.2", []),  # same area, other start
    ],
)
def test_geo_queries_on_points_lines_and_polygons(sim, georel, geometry, coords, expected):
    assert ids(sim, georel=georel, geometry=geometry, coords=coords) == expected


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"georel": "near;maxDistance:10", "geometry": "point"}, "partial geo expression: geometry, georel and "
         "coords have to be provided together"),
        ({"georel": "coveredBy", "geometry": "line", "coords": "1,1;2,2"}, "line geometry cannot be used with "
         "coveredBy georel"),
        ({"georel": "coveredBy", "geometry": "point", "coords": "1,1"}, "point geometry cannot be used with "
         "coveredBy georel"),
        ({"georel": "near;maxDistance:10", "geometry": "box", "coords": "1,1;2,2"}, "georel /near/ used with "
         "geometry different than point"),
        ({"georel": "intersects", "geometry": "polygon", "coords": "1,1;2,2;1,1"}, "Too few coordinates for polygon"),
        ({"georel": "intersects", "geometry": "polygon", "coords": "1,1;2,2;3,1;1,2"}, "First and last point in "
         "polygon not the same"),
        ({"georel": "intersects", "geometry": "box", "coords": "1,1;1,2"}, "box coordinates are not defining an "
         "actual box"),
        ({"georel": "intersects", "geometry": "box", "coords": "1,1"}, "invalid number of coordinates for /box/"),
        ({"georel": "intersects", "geometry": "line", "coords": "1,1"}, "invalid number of coordinates for /line/"),
        ({"georel": "intersects", "geometry": "point", "coords": "1,1,1"}, "invalid point in URI param /coords/"),
        ({"georel": "intersects", "geometry": "point", "coords": "a,1"}, "invalid coordinates"),
        ({"georel": "intersects", "geometry": "circle", "coords": "1,1"}, "error parsing geometry: invalid geometry"),
    ],
)  # fmt: skip
def test_bad_geo_queries_answer_orions_text(sim, params, description):
    r = requests.get(sim.url + "/v2/entities", params=params, headers=TENANT, timeout=10)
    expect(r, 400, v2_error("BadRequest", description))


def test_dates_in_q_quoted_and_unquoted(sim):
    # unquoted: a date, compared with DateTime attributes only
    assert ids(sim, q="seen>=2026-11-25T10:00:00Z") == ["A", "F", "L", "P"]
    assert ids(sim, q="seen<2026-11-25T10:00:00+09:00") == []
    assert ids(sim, q="seen==2026-11-25T09:00:00Z..2026-11-25T11:00:00Z") == ["A", "F", "L", "P"]
    assert ids(sim, q="label>=2026-11-25T10:00:00Z") == []  # a Text attribute is no date for Orion
    # quoted: a string, which a DateTime attribute never equals; a Text attribute does
    assert ids(sim, q="seen=='2026-11-25T10:00:00.000Z'") == []
    assert ids(sim, q="label=='2026-11-25T10:00:00.000Z'") == ["A", "F", "L", "P"]
    # dateModified, a built-in DateTime, is a date too
    assert ids(sim, q="dateModified>2000-01-01T00:00:00Z") == ["A", "F", "L", "P"]


def test_bad_tenants_service_paths_names_and_dates(sim):
    def get(headers):
        return requests.get(sim.url + "/v2/entities", headers=headers, timeout=10)

    expect(get({"Fiware-Service": "bad-tenant"}), 400, v2_error("BadRequest", "bad character in tenant name"))
    expect(get({"Fiware-Service": "t" * 51}), 400,
           v2_error("BadRequest", "bad length - a tenant name can be max 50 characters long"))  # fmt: skip
    relative = "Only /absolute/ Service Paths allowed [a service path must begin with /]"
    expect(get({"Fiware-ServicePath": "relative"}), 400, v2_error("BadRequest", relative))
    expect(get({"Fiware-ServicePath": "/a-b"}), 400,
           v2_error("BadRequest", "a component of ServicePath contains an illegal character"))  # fmt: skip
    expect(get({"Fiware-ServicePath": "/" + "c" * 51}), 400,
           v2_error("BadRequest", "component-name too long in ServicePath"))  # fmt: skip
    bad_name = {"id": "E9", "type": "T", "a b": {"value": 1}}
    expect(requests.post(sim.url + "/v2/entities", json=bad_name, headers=TENANT, timeout=10), 400,
           v2_error("BadRequest", "Invalid characters in attribute name"))  # fmt: skip
    bad_date = {"id": "E9", "type": "T", "d": {"type": "DateTime", "value": "2026-13-45T00:00:00Z"}}
    expect(requests.post(sim.url + "/v2/entities", json=bad_date, headers=TENANT, timeout=10), 400,
           v2_error("BadRequest", "date has invalid format"))  # fmt: skip
