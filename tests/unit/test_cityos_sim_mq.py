"""The embedded city OS filters by attribute metadata (``mq``) and selects metadata (``metadata``) as Orion does."""

from __future__ import annotations

import pytest
import requests

from smartcity_qgis.cityos_sim import start_server

TENANT = {"Fiware-Service": "mqtest"}

SENSORS = [
    {
        "id": "Sensor:1",
        "type": "Sensor",
        "temperature": {
            "type": "Number",
            "value": 21.5,
            "metadata": {
                "unitCode": {"type": "Text", "value": "CEL"},
                "accuracy": {"type": "Number", "value": 0.2},
                "calibration": {"type": "StructuredValue", "value": {"by": "lab", "year": 2025}},
            },
        },
        "status": {"type": "Text", "value": "ok", "metadata": {"source": {"type": "Text", "value": "a.b"}}},
    },
    {
        "id": "Sensor:2",
        "type": "Sensor",
        # metadata given as a plain value is kept as {type, value}
        "temperature": {"type": "Number", "value": 18.0, "metadata": {"unitCode": "CEL", "accuracy": 0.5}},
        "status": {"type": "Text", "value": "ok"},
    },
    {
        "id": "Sensor:3",
        "type": "Sensor",
        "temperature": {
            "type": "Number",
            "value": 64.0,
            "metadata": {"unitCode": {"type": "Text", "value": "FAH"}, "accuracy": {"type": "Number", "value": 1.0}},
        },
    },
    {
        "id": "Sensor:4",
        "type": "Sensor",
        "temperature": {"type": "Number", "value": 25.0},
    },
    {
        "id": "Gauge:1",
        "type": "Gauge",
        "temperature": {"type": "Number", "value": 30.0, "metadata": {"accuracy": {"type": "Number", "value": 0.1}}},
    },
]


@pytest.fixture(scope="module")
def srv():
    with start_server(scenario="okazaki", auto_advance=False) as server:
        for body in SENSORS:
            r = requests.post(server.url + "/v2/entities", json=body, headers=TENANT, timeout=10)
            assert r.status_code == 201, r.text
        yield server


def get(srv, path="/v2/entities", headers=None, **params):
    return requests.get(srv.url + path, params=params, headers=headers, timeout=10)


def ids(srv, **params):
    r = get(srv, headers=TENANT, limit=100, **params)
    assert r.status_code == 200, r.text
    return sorted(e["id"] for e in r.json())


# ---------------------------------------------------------------- mq on the demo city


def test_river_levels_found_by_their_unit(srv):
    stations = get(srv, type="WaterObserved", limit=1000).json()
    assert stations and all(s["waterLevel"]["metadata"]["unitCode"]["value"] == "MTR" for s in stations)
    hits = get(srv, mq="waterLevel.unitCode==MTR", limit=1000).json()
    assert sorted(e["id"] for e in hits) == sorted(s["id"] for s in stations)
    assert get(srv, mq="waterLevel.unitCode==CEL", limit=1000).json() == []


def test_existence_and_negation_on_the_demo_city(srv):
    exists = get(srv, mq="waterLevel.unitCode", limit=1000).json()
    assert exists and {e["type"] for e in exists} == {"WaterObserved"}
    missing = get(srv, mq="!waterLevel.unitCode", limit=1000).json()
    assert missing and "WaterObserved" not in {e["type"] for e in missing}
    # a text attribute without metadata has no unitCode
    assert get(srv, type="WaterObserved", mq="stationName.unitCode").json() == []
    assert len(get(srv, type="WaterObserved", mq="!stationName.unitCode", limit=1000).json()) == len(exists)


def test_mq_with_q_on_the_demo_city(srv):
    stations = get(srv, type="WaterObserved", limit=1000).json()
    threshold = sorted(s["cautionLevel"]["value"] for s in stations)[len(stations) // 2]
    expected = sorted(s["id"] for s in stations if s["cautionLevel"]["value"] >= threshold)
    hits = get(srv, q=f"cautionLevel>={threshold}", mq="cautionLevel.unitCode==MTR", limit=1000).json()
    assert sorted(e["id"] for e in hits) == expected and 0 < len(expected) < len(stations)


# ---------------------------------------------------------------- mq on entities with custom metadata


def test_equality_and_inequality(srv):
    assert ids(srv, mq="temperature.unitCode==CEL") == ["Sensor:1", "Sensor:2"]
    assert ids(srv, mq="temperature.unitCode:FAH") == ["Sensor:3"]
    assert ids(srv, mq="temperature.unitCode==CEL,FAH") == ["Sensor:1", "Sensor:2", "Sensor:3"]
    # != matches attributes whose metadata exist with another value
    assert ids(srv, mq="temperature.unitCode!=CEL") == ["Sensor:3"]
    assert ids(srv, mq="status.source=='a.b'") == ["Sensor:1"]
    assert ids(srv, mq="temperature.unitCode~=^C") == ["Sensor:1", "Sensor:2"]


def test_numeric_comparisons_and_ranges(srv):
    assert ids(srv, mq="temperature.accuracy<0.5") == ["Gauge:1", "Sensor:1"]
    assert ids(srv, mq="temperature.accuracy<=0.5") == ["Gauge:1", "Sensor:1", "Sensor:2"]
    assert ids(srv, mq="temperature.accuracy>0.5") == ["Sensor:3"]
    assert ids(srv, mq="temperature.accuracy>=0.5") == ["Sensor:2", "Sensor:3"]
    assert ids(srv, mq="temperature.accuracy==0.15..0.6") == ["Sensor:1", "Sensor:2"]
    # a text metadata never compares with a number
    assert ids(srv, mq="temperature.unitCode>0") == []


def test_existence_negation_and_compound_values(srv):
    assert ids(srv, mq="temperature.accuracy") == ["Gauge:1", "Sensor:1", "Sensor:2", "Sensor:3"]
    assert ids(srv, mq="!temperature.accuracy") == ["Sensor:4"]
    assert ids(srv, mq="!status.source") == ["Gauge:1", "Sensor:2", "Sensor:3", "Sensor:4"]
    assert ids(srv, mq="temperature.calibration.by==lab") == ["Sensor:1"]
    assert ids(srv, mq="temperature.calibration.year>2024") == ["Sensor:1"]
    assert ids(srv, mq="temperature.calibration.missing") == []


def test_built_in_date_modified_metadata(srv):
    everyone = ids(srv, mq="temperature.dateModified>2000-01-01T00:00:00Z")
    assert everyone == ["Gauge:1", "Sensor:1", "Sensor:2", "Sensor:3", "Sensor:4"]
    assert ids(srv, mq="temperature.dateModified<2000-01-01T00:00:00Z") == []


def test_and_with_semicolon_and_with_type_and_q(srv):
    assert ids(srv, mq="temperature.unitCode==CEL;temperature.accuracy>0.3") == ["Sensor:2"]
    assert ids(srv, mq="temperature.accuracy<0.5;!status.source") == ["Gauge:1"]
    assert ids(srv, type="Sensor", mq="temperature.accuracy<0.5") == ["Sensor:1"]
    assert ids(srv, type="Gauge", mq="temperature.accuracy<0.5") == ["Gauge:1"]
    assert ids(srv, q="temperature>20", mq="temperature.accuracy") == ["Gauge:1", "Sensor:1", "Sensor:3"]
    assert ids(srv, type="Sensor", q="temperature>20", mq="temperature.unitCode==CEL") == ["Sensor:1"]


def test_mq_with_count_and_paging(srv):
    r = get(srv, headers=TENANT, mq="temperature.accuracy", options="count", limit=2, orderBy="id")
    assert r.status_code == 200 and r.headers["Fiware-Total-Count"] == "4"
    assert [e["id"] for e in r.json()] == ["Gauge:1", "Sensor:1"]


@pytest.mark.parametrize(
    ("mq", "description"),
    [
        ("temperature", "no metadata in right-hand-side of q-item"),
        ("!temperature", "no metadata in right-hand-side of q-item"),
        ("temperature==3", "no metadata in right-hand-side of q-item"),
        ("temperature.accuracy==", "empty right-hand-side in q-item"),
        ("temperature.accuracy<0.5;;status.source", "empty q-item"),
        ("==3", "empty left-hand-side in q-item"),
        ("temperature.(accuracy)==3", "invalid character found in URI param /mq/"),
        ("temperature.unitCode~=[C", "error compiling filter regex: '[C'"),
    ],
)
def test_malformed_mq_answers_orion_error(srv, mq, description):
    r = get(srv, headers=TENANT, mq=mq)
    assert r.status_code == 400
    assert r.json() == {"error": "BadRequest", "description": description}


# ---------------------------------------------------------------- metadata selection


def _sensor1(entities):
    return next(e for e in entities if e["id"] == "Sensor:1")


def test_default_answers_carry_user_metadata_only(srv):
    ent = _sensor1(get(srv, headers=TENANT, type="Sensor").json())
    assert set(ent["temperature"]["metadata"]) == {"unitCode", "accuracy", "calibration"}
    assert ent["status"]["metadata"] == {"source": {"type": "Text", "value": "a.b"}}


def test_metadata_param_restricts_to_named(srv):
    ents = get(srv, headers=TENANT, type="Sensor", metadata="unitCode").json()
    one = _sensor1(ents)
    assert one["temperature"]["metadata"] == {"unitCode": {"type": "Text", "value": "CEL"}}
    assert one["status"]["metadata"] == {}
    assert all(set(e["temperature"]["metadata"]) <= {"unitCode"} for e in ents)
    two = _sensor1(get(srv, headers=TENANT, type="Sensor", metadata="accuracy,calibration").json())
    assert set(two["temperature"]["metadata"]) == {"accuracy", "calibration"}
    # the full form is still served afterwards (no cached restricted answer)
    again = _sensor1(get(srv, headers=TENANT, type="Sensor").json())
    assert set(again["temperature"]["metadata"]) == {"unitCode", "accuracy", "calibration"}


def test_metadata_star_and_built_ins(srv):
    star = _sensor1(get(srv, headers=TENANT, type="Sensor", metadata="*").json())
    assert set(star["temperature"]["metadata"]) == {"unitCode", "accuracy", "calibration"}
    built = _sensor1(get(srv, headers=TENANT, type="Sensor", metadata="dateModified").json())
    assert list(built["temperature"]["metadata"]) == ["dateModified"]
    assert built["temperature"]["metadata"]["dateModified"]["type"] == "DateTime"
    assert built["temperature"]["metadata"]["dateModified"]["value"].endswith("Z")
    both = _sensor1(get(srv, headers=TENANT, type="Sensor", metadata="*,dateModified").json())
    assert set(both["temperature"]["metadata"]) == {"unitCode", "accuracy", "calibration", "dateModified"}


def test_metadata_param_with_mq_q_and_attrs(srv):
    ents = get(
        srv, headers=TENANT, type="Sensor", q="temperature<30", mq="temperature.unitCode==CEL", metadata="accuracy"
    ).json()
    assert sorted(e["id"] for e in ents) == ["Sensor:1", "Sensor:2"]
    assert {e["id"]: e["temperature"]["metadata"]["accuracy"]["value"] for e in ents} == {
        "Sensor:1": 0.2,
        "Sensor:2": 0.5,
    }
    only = get(srv, headers=TENANT, id="Sensor:1", attrs="temperature", metadata="unitCode").json()
    assert only == [
        {
            "id": "Sensor:1",
            "type": "Sensor",
            "temperature": {
                "type": "Number",
                "value": 21.5,
                "metadata": {"unitCode": {"type": "Text", "value": "CEL"}},
            },
        }
    ]
    # keyValues carries no metadata whatever is asked
    kv = get(srv, headers=TENANT, id="Sensor:1", options="keyValues", metadata="unitCode").json()
    assert kv[0]["temperature"] == 21.5


def test_metadata_param_on_one_entity_and_one_attribute(srv):
    ent = get(srv, "/v2/entities/Sensor:1", headers=TENANT, metadata="accuracy").json()
    assert ent["temperature"]["metadata"] == {"accuracy": {"type": "Number", "value": 0.2}}
    assert ent["status"]["metadata"] == {}
    full = get(srv, "/v2/entities/Sensor:1", headers=TENANT).json()
    assert set(full["temperature"]["metadata"]) == {"unitCode", "accuracy", "calibration"}
    attrs = get(srv, "/v2/entities/Sensor:1/attrs", headers=TENANT, metadata="unitCode").json()
    assert "id" not in attrs and attrs["temperature"]["metadata"] == {"unitCode": {"type": "Text", "value": "CEL"}}
    one = get(srv, "/v2/entities/Sensor:1/attrs/temperature", headers=TENANT, metadata="calibration").json()
    assert one["metadata"] == {"calibration": {"type": "StructuredValue", "value": {"by": "lab", "year": 2025}}}
    water = get(srv, "/v2/entities", type="WaterObserved", limit=1, metadata="unitCode").json()[0]
    assert water["waterLevel"]["metadata"] == {"unitCode": {"type": "Text", "value": "MTR"}}
