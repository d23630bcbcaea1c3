"""Saved city-OS connections: store, rename, duplicate, import/export, and no secret anywhere."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from qgis.core import QgsSettings

from smartcity_qgis.layers.cityos.connections import (
    DEMO_CONNECTION_NAME,
    DEMO_NEIGHBOUR_NAME,
    Connection,
    ConnectionRecordError,
    ConnectionStore,
)

DEMOS = [DEMO_CONNECTION_NAME, DEMO_NEIGHBOUR_NAME]


@pytest.fixture
def store(qgis_app):
    root = f"SmartCityTest/{uuid.uuid4().hex}/connections"
    yield ConnectionStore(root=root)
    settings = QgsSettings()
    settings.remove(root.rsplit("/", 1)[0])
    settings.sync()


def full_connection(name: str = "岡崎市 都市OS") -> Connection:
    return Connection(
        name=name,
        url="https://cityos.example.jp/orion",
        flavor="ngsi-ld",
        tenant="okazaki",
        service_paths=["/river", "/crowd/#"],
        context="https://cityos.example.jp/context.jsonld",
        timeseries_url="https://cityos.example.jp/quantumleap",
        mqtt_url="mqtt://cityos.example.jp:1883",
        authcfg="abc1234",
        verify_tls=False,
        ca_bundle="/etc/ssl/certs/city-ca.pem",
        timeout=12.5,
        area_of_interest=(137.0, 34.8, 137.4, 35.1),
    )


def test_store_round_trip_keeps_every_field(store):
    conn = full_connection()
    store.save(conn)
    assert store.get(conn.name) == conn
    assert store.names() == [*DEMOS, conn.name]


def test_demo_connection_is_built_in_and_protected(store):
    demo = store.get(DEMO_CONNECTION_NAME)
    assert demo is not None and demo.demo and demo.tenant == "okazaki"
    neighbour = store.get(DEMO_NEIGHBOUR_NAME)
    assert neighbour is not None and neighbour.demo and neighbour.tenant == "toyota"
    with pytest.raises(ConnectionRecordError):
        store.remove(DEMO_NEIGHBOUR_NAME)
    with pytest.raises(ConnectionRecordError):
        store.remove(DEMO_CONNECTION_NAME)
    with pytest.raises(ConnectionRecordError):
        store.save(demo)


@pytest.mark.parametrize("name", ["river/levels", "..\\..\\etc", "a=b&c", "名前 ✓ (2)", "  spaced  "])
def test_names_with_special_characters_stay_one_connection(store, name):
    conn = full_connection(name.strip())
    store.save(conn)
    assert store.get(conn.name) == conn
    assert [n for n in store.names() if n not in DEMOS] == [conn.name]
    store.remove(conn.name)
    assert store.get(conn.name) is None


def test_rename_duplicate_remove(store):
    store.save(full_connection("A"))
    store.save(full_connection("B"))
    renamed = store.rename("A", "C")
    assert renamed.name == "C" and store.get("A") is None and store.get("C").url == renamed.url
    with pytest.raises(ConnectionRecordError):
        store.rename("C", "B")
    copy = store.duplicate("C")
    again = store.duplicate("C")
    assert copy.name != again.name and {copy.name, again.name} <= set(store.names())
    assert store.get(copy.name).tenant == "okazaki"
    store.remove("C")
    assert "C" not in store.names()


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"url": "ftp://x"}, "URL"),
        ({"url": "https://user:pw@city.example.jp"}, "password"),
        ({"tenant": "okazaki city"}, "tenant"),
        ({"service_paths": ["river"]}, "river"),
        ({"timeout": 0}, "timeout"),
        ({"area_of_interest": (137.4, 34.8, 137.0, 35.1)}, "area"),
        ({"name": " "}, "name"),
    ],
)
def test_unusable_records_are_refused_with_a_reason(store, change, fragment):
    conn = full_connection()
    for key, value in change.items():
        setattr(conn, key, value)
    with pytest.raises(ConnectionRecordError, match=fragment):
        store.save(conn)
    assert store.names() == DEMOS


def test_export_import_round_trip(store):
    a, b = full_connection("A"), full_connection("B")
    b.authcfg = ""
    store.save(a)
    store.save(b)
    text = store.export_json()
    doc = json.loads(text)
    assert [c["name"] for c in doc["connections"]] == ["A", "B"]
    assert doc["connections"][0]["authcfg"] == "abc1234"
    assert "authcfg" not in json.dumps(json.loads(store.export_json(keep_auth_ids=False)))

    other = ConnectionStore(root=store.root + "_other")
    try:
        added, messages = other.import_json(text)
        assert messages == []
        assert [c.name for c in added] == ["A", "B"]
        assert other.get("A") == a and other.get("B") == b
        # Importing again never overwrites: the names get a suffix.
        added, _ = other.import_json(text)
        assert [c.name for c in added] == ["A (2)", "B (2)"]
    finally:
        QgsSettings().remove(other.root)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "[1, 2",
        '{"format": "something-else"}',
        '"just a string"',
        '{"format": "smartcity-qgis-connections", "connections": 5}',
    ],
)
def test_broken_import_files_get_a_clear_message_and_change_nothing(store, text):
    with pytest.raises(ConnectionRecordError) as info:
        store.import_json(text)
    assert str(info.value)
    assert store.names() == DEMOS


def test_import_keeps_good_entries_and_reports_bad_ones(store):
    text = json.dumps(
        [
            {"name": "good", "url": "http://127.0.0.1:1026"},
            {"url": "http://no-name"},
            {"name": "bad-url", "url": "javascript:alert(1)"},
            "not an object",
            {"name": "with secret", "url": "http://127.0.0.1:1", "password": "hunter2", "token": "T0K3N"},
        ]
    )
    added, messages = store.import_json(text)
    assert [c.name for c in added] == ["good", "with secret"]
    assert len(messages) == 4
    settings_text = Path(QgsSettings().fileName()).read_text(encoding="utf-8", errors="replace")
    assert "hunter2" not in settings_text and "T0K3N" not in settings_text
    assert "hunter2" not in store.export_json()


def test_a_damaged_settings_entry_is_explained_and_skipped(store):
    store.save(full_connection("good"))
    store.save(full_connection("damaged"))
    settings = QgsSettings()
    settings.setValue(f"{store.root}/damaged/timeout", "thirty seconds")
    with pytest.raises(ConnectionRecordError, match="damaged"):
        store.get("damaged")
    assert [c.name for c in store.list()] == [*DEMOS, "good"]
    assert "damaged" in store.names()  # still listed, so that it can be removed
    store.remove("damaged")
    assert "damaged" not in store.names()
