"""Saved projects: entity layers come back from their snapshots offline, then resume; no secrets saved."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsProject, QgsSettings, QgsVectorLayer

from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig
from smartcity_qgis.cityos_sim.server import start_server
from smartcity_qgis.layers import load_entity_layer
from smartcity_qgis.layers.cityos.entity_layer_meta import is_entity_layer, is_stale
from smartcity_qgis.layers.cityos.live import LIVE, RECONNECTING, LiveLayerUpdater
from smartcity_qgis.layers.cityos.snapshot import ProjectSnapshots, write_snapshot
from tests.conftest import free_port
from tests.qgis.entity_layer_helpers import wait_until


def levels(layer) -> dict[str, float]:
    return {f["entity_id"]: f["waterLevel"] for f in layer.getFeatures()}


def entity_layers(project) -> list[QgsVectorLayer]:
    return [layer for layer in project.mapLayers().values() if is_entity_layer(layer)]


def project_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".qgs"))


@pytest.fixture
def project(qgis_app):
    project = QgsProject.instance()
    project.clear()
    snapshots = ProjectSnapshots(project)
    yield project, snapshots
    snapshots.detach()
    project.clear()


def test_reopened_project_has_its_data_offline_then_resumes(project, tmp_path):
    project, snapshots = project
    port = free_port()
    server = start_server(port=port, scenario="okazaki", auto_advance=False)
    cfg = ConnectionConfig(url=server.url, flavor="ngsi-v2", tenant="okazaki")
    layer = load_entity_layer(cfg, "WaterObserved")
    project.addMapLayer(layer)
    updater = LiveLayerUpdater(layer, cfg, mode="polling", interval=0.3)
    updater.start()
    try:
        station = sorted(levels(layer))[0]
        server.update_entity(station, {"waterLevel": 3.5}, tenant="okazaki")
        wait_until(lambda: levels(layer)[station] == pytest.approx(3.5))
    finally:
        updater.stop()
    saved = levels(layer)
    path = tmp_path / "okazaki.qgz"
    assert project.write(str(path))
    assert list((tmp_path / "okazaki_cityos").glob("*.gpkg"))
    server.stop()
    project.clear()

    assert project.read(str(path))
    [restored] = entity_layers(project)
    assert restored.featureCount() == len(saved)
    assert levels(restored) == pytest.approx(saved)
    assert is_stale(restored)
    name = restored.name()  # shown as offline by an icon in the layer tree, the name stays whole
    fids = {f["entity_id"]: f.id() for f in restored.getFeatures()}
    [resumed] = snapshots.updaters.values()
    wait_until(lambda: resumed.state == RECONNECTING, timeout=30)
    assert restored.featureCount() == len(saved)

    server = start_server(port=port, scenario="okazaki", auto_advance=False)
    try:
        server.update_entity(station, {"waterLevel": 4.75}, tenant="okazaki")
        wait_until(lambda: resumed.state == LIVE, timeout=30)
        wait_until(lambda: levels(restored)[station] == pytest.approx(4.75), timeout=30)
        assert not is_stale(restored)
        assert restored.name() == name
        assert {f["entity_id"]: f.id() for f in restored.getFeatures()} == fids  # caught up, no duplicates
    finally:
        snapshots.stop_all()
        server.stop()


def test_reopened_layer_that_was_not_live_catches_up_when_the_city_os_returns(project, tmp_path):
    project, snapshots = project
    snapshots.retry_seconds = 0.5
    port = free_port()
    server = start_server(port=port, scenario="okazaki", auto_advance=False)
    cfg = ConnectionConfig(url=server.url, flavor="ngsi-ld", tenant="okazaki")
    with CityOSClient(cfg) as client:
        counter = sorted(e.id for e in client.iter_entities("CrowdFlowObserved"))[0]
        original = client.entity(counter).value("peopleCount")
    server.update_entity(counter, {"peopleCount": original + 555}, tenant="okazaki")
    layer = load_entity_layer(cfg, "CrowdFlowObserved")
    project.addMapLayer(layer)
    counts = {f["entity_id"]: f["peopleCount"] for f in layer.getFeatures()}
    assert counts[counter] == original + 555
    path = tmp_path / "counts.qgz"
    assert project.write(str(path))
    server.stop()
    project.clear()
    assert project.read(str(path))
    [restored] = entity_layers(project)
    assert {f["entity_id"]: f["peopleCount"] for f in restored.getFeatures()} == counts
    assert is_stale(restored) and not snapshots.updaters
    fids = {f["entity_id"]: f.id() for f in restored.getFeatures()}
    # The city OS comes back with the counter at its original value: the layer must catch up.
    server = start_server(port=port, scenario="okazaki", auto_advance=False)
    try:
        wait_until(lambda: not is_stale(restored), timeout=30)
        wait_until(lambda: {f["entity_id"]: f["peopleCount"] for f in restored.getFeatures()}[counter] == original)
        assert {f["entity_id"]: f.id() for f in restored.getFeatures()} == fids
    finally:
        server.stop()


def test_no_secret_in_project_snapshot_settings_or_log(project, tmp_path):
    project, _snapshots = project
    token = "tok-Very-Secret-4711"
    messages: list[str] = []
    QgsApplication.messageLog().messageReceived.connect(lambda text, *_: messages.append(text))
    server = start_server(scenario="okazaki", auto_advance=False, require_token=token)
    try:
        cfg = ConnectionConfig(
            url=server.url.replace("http://", "http://user:pw-Secret@") + "/",
            flavor="ngsi-v2",
            tenant="okazaki",
            auth="token",
            token=token,
        )
        layer = load_entity_layer(cfg, "WaterObserved", connection_name="secure city")
        assert layer.featureCount() > 0
        project.addMapLayer(layer)
        updater = LiveLayerUpdater(layer, cfg, mode="polling", interval=0.3)
        updater.start()
        wait_until(lambda: updater.state == LIVE)
        updater.stop()
        # A wrong token: the layer goes offline with a message that shows no credential.
        details: list[str] = []
        wrong = LiveLayerUpdater(layer, cfg.with_changes(token=token[::-1]), interval=0.3)
        wrong.state_changed.connect(lambda _state, detail: details.append(detail))
        wrong.start()
        wait_until(lambda: wrong.state == RECONNECTING)
        wrong.stop()
        assert any(details)
        messages.extend(details)
        path = tmp_path / "secure.qgz"
        assert project.write(str(path))
    finally:
        server.stop()
    text = project_text(path)
    assert "secure city" in text and "WaterObserved" in text
    blobs = [text, *(p.read_bytes().decode("utf-8", "replace") for p in (tmp_path / "secure_cityos").glob("*"))]
    settings_file = Path(QgsSettings().fileName())
    if settings_file.exists():
        blobs.append(settings_file.read_text("utf-8", "replace"))
    blobs.extend(messages)
    for blob in blobs:
        assert token not in blob and token[::-1] not in blob
        assert "pw-Secret" not in blob


def test_failed_snapshot_write_keeps_the_previous_one(qgis_app, tmp_path, monkeypatch):
    from shapely.geometry import Point

    from smartcity_qgis.cityos_client.models import Attribute, Entity
    from smartcity_qgis.layers.cityos.entity_builder import build_layers
    from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta
    from smartcity_qgis.layers.cityos.snapshot import read_snapshot

    meta = LayerMeta(url="http://127.0.0.1:1", flavor="ngsi-v2", entity_type="WaterObserved")

    def layer_with(level: float) -> QgsVectorLayer:
        entity = Entity("w1", "WaterObserved", Point(137.1, 34.9), {"waterLevel": Attribute("waterLevel", level)})
        return build_layers([entity], meta)["point"]

    target = tmp_path / "snap.gpkg"
    write_snapshot(layer_with(1.0), target)

    def disk_full(*_args):
        raise OSError("No space left on device")

    monkeypatch.setattr("smartcity_qgis.layers.cityos.snapshot.os.replace", disk_full)
    with pytest.raises(OSError):
        write_snapshot(layer_with(2.0), target)
    monkeypatch.undo()
    restored = layer_with(0.0)
    restored.dataProvider().truncate()
    assert read_snapshot(restored, target) == 1
    assert next(restored.getFeatures())["waterLevel"] == 1.0
    assert [p.name for p in tmp_path.iterdir()] == ["snap.gpkg"]


def test_broken_snapshot_is_reported_and_the_project_still_opens(project, tmp_path):
    from shapely.geometry import Point

    from smartcity_qgis.cityos_client.models import Attribute, Entity
    from smartcity_qgis.layers.cityos.entity_builder import build_layers
    from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta

    project, _snapshots = project
    messages: list[str] = []
    QgsApplication.messageLog().messageReceived.connect(lambda text, *_: messages.append(text))
    meta = LayerMeta(url=f"http://127.0.0.1:{free_port()}", flavor="ngsi-v2", entity_type="WaterObserved")
    entity = Entity("w1", "WaterObserved", Point(137.1, 34.9), {"waterLevel": Attribute("waterLevel", 1.0)})
    layer = build_layers([entity], meta)["point"]
    project.addMapLayer(layer)
    path = tmp_path / "broken.qgz"
    assert project.write(str(path))
    [snapshot] = (tmp_path / "broken_cityos").glob("*.gpkg")
    snapshot.write_bytes(b"this is not a GeoPackage")
    project.clear()
    assert project.read(str(path))
    [restored] = entity_layers(project)
    assert restored.featureCount() == 0
    assert any(snapshot.name in m for m in messages)
