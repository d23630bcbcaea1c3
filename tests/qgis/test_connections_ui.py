"""Connection dialog and manager: every field, the background test, import/export files."""

from __future__ import annotations

import json
import uuid
from functools import partial

import pytest
from qgis.core import QgsSettings

from smartcity_qgis.dialogs.cityos.connection_dialog import ConnectionDialog
from smartcity_qgis.dialogs.cityos.connection_manager import ConnectionManagerDialog
from smartcity_qgis.layers.cityos.connections import (
    DEMO_CONNECTION_NAME,
    DEMO_NEIGHBOUR_NAME,
    Connection,
    ConnectionStore,
)
from smartcity_qgis.layers.cityos.demo_cityos import demo_server, stop_demo_server
from tests.conftest import free_port
from tests.qgis.entity_layer_helpers import wait_until

wait_for = partial(wait_until, timeout=60.0)


@pytest.fixture
def store(qgis_app):
    root = f"SmartCityTest/{uuid.uuid4().hex}/connections"
    yield ConnectionStore(root=root)
    QgsSettings().remove(root.rsplit("/", 1)[0])


@pytest.fixture(scope="module")
def server():
    yield demo_server()
    stop_demo_server()


def sample() -> Connection:
    return Connection(
        name="豊田市 都市OS",
        url="http://127.0.0.1:1026",
        flavor="ngsi-ld",
        tenant="toyota",
        service_paths=["/river", "/crowd/#"],
        context="http://127.0.0.1:1026/context.jsonld",
        timeseries_url="http://127.0.0.1:8668",
        mqtt_url="mqtt://127.0.0.1:1883",
        verify_tls=False,
        ca_bundle="/tmp/ca.pem",
        timeout=42.0,
        area_of_interest=(137.0, 34.9, 137.3, 35.2),
    )


def test_dialog_shows_and_returns_every_field(store):
    dialog = ConnectionDialog(store, sample())
    assert dialog.connection() == sample()


def test_dialog_saves_and_renames(store):
    store.save(sample())
    dialog = ConnectionDialog(store, store.get("豊田市 都市OS"))
    dialog.name_edit.setText("豊田市")
    dialog.tenant_edit.setText("toyota_city")
    dialog.accept()
    assert dialog.saved is not None
    assert store.get("豊田市").tenant == "toyota_city" and store.get("豊田市 都市OS") is None


def test_dialog_refuses_bad_input_and_keeps_it_on_screen(store):
    dialog = ConnectionDialog(store)
    dialog.name_edit.setText("bad")
    dialog.url_edit.setText("https://user:secret@orion.example.jp")
    dialog.accept()
    assert dialog.saved is None and store.get("bad") is None
    assert "password" in dialog.status_label.text()
    assert dialog.url_edit.text() == "https://user:secret@orion.example.jp"  # nothing lost


def test_dialog_test_button_reports_the_broker_in_a_task(store, server):
    dialog = ConnectionDialog(store)
    dialog.name_edit.setText("embedded")
    dialog.url_edit.setText(server.url)
    dialog.tenant_edit.setText("okazaki")
    dialog.flavor_combo.setCurrentIndex(dialog.flavor_combo.findData("auto"))
    task = dialog.test_connection()
    assert task is not None
    wait_for(lambda: dialog.test_button.isEnabled())
    text = dialog.status_label.text()
    assert text.startswith("connected: ") and " types, " in text and " entities" in text
    assert "ngsi-" in text  # the detected flavor is shown


def test_dialog_test_button_explains_an_unreachable_broker(store):
    dialog = ConnectionDialog(store)
    dialog.name_edit.setText("closed")
    dialog.url_edit.setText(f"http://127.0.0.1:{free_port()}")
    dialog.flavor_combo.setCurrentIndex(dialog.flavor_combo.findData("ngsi-v2"))
    dialog.timeout_spin.setValue(2)
    dialog.test_connection()
    wait_for(lambda: dialog.test_button.isEnabled())
    assert dialog.status_label.text().startswith("Not connected")


def test_manager_duplicate_remove_export_import(store, tmp_path):
    store.save(sample())
    manager = ConnectionManagerDialog(store)
    names = [manager.list_widget.item(i).text() for i in range(manager.list_widget.count())]
    assert names == [DEMO_CONNECTION_NAME, DEMO_NEIGHBOUR_NAME, "豊田市 都市OS"]
    manager.list_widget.setCurrentRow(0)
    assert not manager.buttons["remove"].isEnabled()  # the demo connection is built in
    manager.list_widget.setCurrentRow(2)
    manager.duplicate_selected()
    assert manager.list_widget.count() == 4
    path = tmp_path / "接続.json"
    assert manager.export_file(str(path))
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert len(exported["connections"]) == 2
    manager.remove_selected(confirm=False)
    assert manager.list_widget.count() == 3
    other = ConnectionStore(root=store.root + "_import")
    try:
        importer = ConnectionManagerDialog(other)
        assert importer.import_file(str(path)) == 2
        assert importer.list_widget.count() == 4
    finally:
        QgsSettings().remove(other.root)


def test_manager_explains_unreadable_files(store, tmp_path):
    manager = ConnectionManagerDialog(store)
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"\xff\xfe\x00garbage")
    assert manager.import_file(str(broken)) == 0
    assert manager.status_label.text()
    assert manager.import_file(str(tmp_path / "missing.json")) == 0
    assert not manager.export_file(str(tmp_path / "no-such-dir" / "x.json"))
    assert manager.list_widget.count() == 2


def test_manager_test_button(store, server):
    manager = ConnectionManagerDialog(store)
    manager.list_widget.setCurrentRow(0)  # the demo city OS
    task = manager.test_selected()
    assert task is not None
    wait_for(lambda: "connected" in manager.status_label.text() or "not connected" in manager.status_label.text())
    assert manager.status_label.text().startswith(f"{DEMO_CONNECTION_NAME}: connected: ")


def test_manager_shows_a_damaged_entry_so_that_it_can_be_removed(store):
    store.save(sample())
    settings = QgsSettings()
    settings.beginGroup(store.root)
    (group,) = settings.childGroups()
    settings.endGroup()
    settings.setValue(f"{store.root}/{group}/timeout", "x")
    manager = ConnectionManagerDialog(store)
    assert manager.list_widget.count() == 3
    manager.list_widget.setCurrentRow(2)
    assert "damaged" in manager.list_widget.item(2).text()
    assert manager.buttons["remove"].isEnabled() and not manager.buttons["edit"].isEnabled()
    manager.edit_selected()  # nothing opens; the reason is shown
    assert manager.test_selected() is None and manager.status_label.text()
    manager.remove_selected(confirm=False)
    assert store.names() == [DEMO_CONNECTION_NAME, DEMO_NEIGHBOUR_NAME]
