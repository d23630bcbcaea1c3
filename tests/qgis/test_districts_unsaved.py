"""Districts are saved where the user expects: kept with an unsaved project, written beside it when it
is saved (the user asked once and told where), never in the home folder, never over another file."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import pytest
from qgis.core import QgsGeometry, QgsProject

from smartcity_qgis.layers.districts.layer import add_district, default_district_path, district_file, save_districts
from smartcity_qgis.layers.districts.store import read_districts
from smartcity_qgis.layers.districts.unsaved import UnsavedProjectDistricts

SQUARE = "POLYGON((137.17 34.95, 137.18 34.95, 137.18 34.96, 137.17 34.96, 137.17 34.95))"
GOOD = {"name": "QURUWA", "domain": "urban_planning", "phase": "demonstration"}


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home folder of its own, to see that nothing is written there."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


@pytest.fixture
def project(qgis_app, home):
    project = QgsProject.instance()
    project.clear()
    keeper = UnsavedProjectDistricts(project)
    yield project, keeper
    keeper.detach()
    project.clear()


def project_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(next(n for n in archive.namelist() if n.endswith(".qgs"))).decode()


def test_an_unsaved_project_has_no_district_file_yet(project, home):
    project, _keeper = project
    assert default_district_path(project) is None


def test_districts_go_beside_the_project_when_it_is_saved(project, home, tmp_path):
    project, keeper = project
    moved: list[str] = []
    keeper.moved.connect(lambda _layer_id, path: moved.append(path))
    layer = keeper.new_layer()
    temporary, _table = district_file(layer)
    assert Path(tempfile.gettempdir()) in temporary.parents and home not in temporary.parents
    project.addMapLayer(layer)
    add_district(layer, QgsGeometry.fromWkt(SQUARE), GOOD)
    save_districts(layer)
    add_district(layer, QgsGeometry.fromWkt(SQUARE), {**GOOD, "name": "二つ目"})  # still in the edit buffer

    folder = tmp_path / "plans"
    folder.mkdir()
    assert project.write(str(folder / "okazaki.qgz"))
    beside = folder / "districts.gpkg"
    assert moved == [str(beside)]
    assert sorted(r.attributes["name"] for r in read_districts(beside)) == ["QURUWA", "二つ目"]
    assert district_file(layer)[0] == beside and layer.isValid() and layer.featureCount() == 2
    assert "./districts.gpkg" in project_xml(folder / "okazaki.qgz")
    assert not temporary.parent.exists(), "the temporary copy is gone"
    assert list(home.iterdir()) == []

    project.clear()
    assert project.read(str(folder / "okazaki.qgz"))
    [reopened] = [lyr for lyr in project.mapLayers().values() if lyr.customProperty("smartcity/districts")]
    assert reopened.isValid() and reopened.featureCount() == 2


def test_another_projects_districts_are_never_replaced(project, tmp_path):
    project, keeper = project
    folder = tmp_path / "shared"
    folder.mkdir()
    theirs = folder / "districts.gpkg"
    theirs.write_bytes(b"another project's districts")
    layer = keeper.new_layer()
    project.addMapLayer(layer)
    add_district(layer, QgsGeometry.fromWkt(SQUARE), GOOD)
    save_districts(layer)
    assert project.write(str(folder / "toyota.qgz"))
    assert theirs.read_bytes() == b"another project's districts"
    assert district_file(layer)[0] == folder / "toyota_districts.gpkg"
    assert [r.attributes["name"] for r in read_districts(folder / "toyota_districts.gpkg")] == ["QURUWA"]


def test_the_user_is_asked_once_and_told_where(project, home, qgis_iface, tmp_path):
    from smartcity_qgis.dialogs.districts.ui_districts import DistrictTools

    project, keeper = project
    keeper.detach()  # the plugin's own keeper is the one that writes
    tools = DistrictTools(qgis_iface)
    asked: list[int] = []
    tools.ask = lambda: asked.append(1) or False  # "keep the districts with the project"
    try:
        first = tools.district_layer()
        again = tools.district_layer()
        assert first is again and asked == [1]
        add_district(first, QgsGeometry.fromWkt(SQUARE), GOOD)
        told: list[str] = []
        tools.unsaved.moved.connect(lambda _layer_id, path: told.append(path))
        assert project.write(str(tmp_path / "plan.qgz"))
        assert told == [str(tmp_path / "districts.gpkg")]
        assert list(home.iterdir()) == []
    finally:
        tools.unsaved.detach()
