"""The district layer: schema, form, constraints, undo, transactional save, drawing helpers."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
import time

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFieldConstraints,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
    QgsVectorLayerUtils,
)

from smartcity_qgis.analysis.district_schema import DOMAINS, FIELD_NAMES, PHASES
from smartcity_qgis.layers.districts.geometry import geometry_from_mesh_cells, geometry_from_selection
from smartcity_qgis.layers.districts.layer import (
    DistrictError,
    add_district,
    default_district_path,
    open_district_layer,
    save_districts,
)
from smartcity_qgis.layers.districts.store import read_districts
from tests.conftest import REPO, record_reliability

SQUARE = "POLYGON((137.16 34.95, 137.17 34.95, 137.17 34.96, 137.16 34.96, 137.16 34.95))"
GOOD = {"name": "QURUWA地区", "domain": "urban_planning", "phase": "demonstration", "kpi_outcome_year": 2030}


@pytest.fixture
def districts(tmp_path, qgis_app):
    # Owned by the project so that QGIS, not Python's collector, deletes it in time.
    layer = open_district_layer(tmp_path / "districts.gpkg")
    QgsProject.instance().addMapLayer(layer)
    yield layer
    QgsProject.instance().removeMapLayer(layer.id())


def test_schema_value_maps_and_aliases(districts):
    assert [f.name() for f in districts.fields() if f.name() != "fid"] == list(FIELD_NAMES)
    assert districts.crs().authid() == "EPSG:6668"
    fields = districts.fields()
    for name, table in (("domain", DOMAINS), ("phase", PHASES)):
        setup = districts.editorWidgetSetup(fields.indexOf(name))
        assert setup.type() == "ValueMap"
        assert [next(iter(d.items())) for d in setup.config()["map"]] == [(label, code) for code, label in table]
    assert districts.attributeAlias(fields.indexOf("name"))
    assert districts.editFormConfig().readOnly(fields.indexOf("updated"))


def test_the_form_is_stored_in_the_geopackage(districts, tmp_path):
    again = QgsVectorLayer(f"{tmp_path / 'districts.gpkg'}|layername=districts", "d", "ogr")
    setup = again.editorWidgetSetup(again.fields().indexOf("domain"))
    assert setup.type() == "ValueMap"


def _check(layer, attrs):
    feature = QgsVectorLayerUtils.createFeature(
        layer, QgsGeometry.fromWkt(SQUARE), {layer.fields().indexOf(k): v for k, v in attrs.items()}
    )
    failing = []
    for index in range(layer.fields().count()):
        ok, _errors = QgsVectorLayerUtils.validateAttribute(
            layer, feature, index, QgsFieldConstraints.ConstraintStrengthHard
        )
        if not ok:
            failing.append(layer.fields().at(index).name())
    return failing


def test_form_constraints(districts):
    assert _check(districts, GOOD) == []
    assert set(_check(districts, {"name": "", "domain": None})) == {"name", "domain", "phase"}
    assert _check(districts, {**GOOD, "kpi_outcome_year": 1999}) == ["kpi_outcome_year"]
    assert _check(districts, {**GOOD, "kpi_output_year": 2101}) == ["kpi_output_year"]
    assert _check(districts, {**GOOD, "domain": "防災"}) == ["domain"]  # labels are not codes


def test_add_undo_redo_and_automatic_times(districts):
    fid = add_district(districts, QgsGeometry.fromWkt(SQUARE), GOOD)
    assert districts.featureCount() == 1
    feature = districts.getFeature(fid)
    assert feature["name"] == "QURUWA地区" and not feature["created"].isNull()
    created = feature["created"]
    time.sleep(1.1)
    districts.beginEditCommand("edit notes")
    districts.changeAttributeValue(fid, districts.fields().indexOf("notes"), "メモ")
    districts.endEditCommand()
    feature = districts.getFeature(fid)
    assert feature["updated"] > created and feature["created"] == created
    assert districts.undoStack().count() == 2
    districts.undoStack().undo()
    assert districts.getFeature(fid)["notes"] != "メモ"
    districts.undoStack().undo()
    assert districts.featureCount() == 0
    districts.undoStack().redo()
    assert districts.featureCount() == 1
    with pytest.raises(DistrictError):
        add_district(districts, QgsGeometry.fromWkt("POINT(137 35)"), GOOD)


def test_save_writes_and_reloads(districts, tmp_path):
    add_district(districts, QgsGeometry.fromWkt(SQUARE), GOOD)
    assert save_districts(districts) == 1
    assert not districts.isEditable() and districts.featureCount() == 1
    records = read_districts(tmp_path / "districts.gpkg")
    assert [r.attributes["name"] for r in records] == ["QURUWA地区"]
    assert records[0].attributes["created"]
    districts.startEditing()
    fid = next(districts.getFeatures()).id()
    districts.changeAttributeValue(fid, districts.fields().indexOf("name"), "QURUWA（改）")
    add_district(districts, QgsGeometry.fromWkt(SQUARE), {**GOOD, "name": "二つ目"})
    save_districts(districts)
    assert sorted(f["name"] for f in districts.getFeatures()) == ["QURUWA（改）", "二つ目"]
    districts.startEditing()
    add_district(districts, QgsGeometry.fromWkt(SQUARE), {**GOOD, "name": ""})
    with pytest.raises(DistrictError):
        save_districts(districts)
    assert len(read_districts(tmp_path / "districts.gpkg")) == 2, "a refused save changes nothing"


def test_default_path_is_beside_the_project(tmp_path, qgis_app):
    project = QgsProject()
    project.setFileName(str(tmp_path / "plan.qgz"))
    assert default_district_path(project) == tmp_path / "districts.gpkg"


KILLS = 20
WRITER = textwrap.dedent("""
    import sys
    from smartcity_qgis.layers.districts.store import DistrictRecord, write_districts
    from shapely.geometry import box
    import os
    path = sys.argv[1]
    sys.stdout.write("ready\\n"); sys.stdout.flush()
    version = 0
    while os.getppid() != 1:  # an orphan (its test died) stops by itself
        version += 1
        tag = f"v{version}"
        records = [DistrictRecord(None, box(137 + i * 1e-4, 34.9, 137.0001 + i * 1e-4, 35.0).buffer(1e-5, 64).wkb,
                                  {"name": f"{tag}-{i}", "domain": "other", "phase": "initial", "notes": tag * 200})
                   for i in range(400)]
        write_districts(path, records)
""")


def test_a_killed_writer_leaves_old_or_new_districts(districts, tmp_path):
    path = tmp_path / "districts.gpkg"
    add_district(districts, QgsGeometry.fromWkt(SQUARE), GOOD)
    save_districts(districts)
    rng = random.Random(7)
    seen_versions = set()
    interrupted = whole = 0  # kills inside a transaction; files read back with one complete version
    for _round in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
            time.sleep(rng.uniform(0.0, 0.5))
        finally:
            proc.kill()
            proc.wait()
        interrupted += (tmp_path / "districts.gpkg-journal").exists()
        records = read_districts(path)  # opening also rolls back an unfinished transaction
        names = [r.attributes["name"] for r in records]
        versions = {n.split("-")[0] for n in names}
        if names == ["QURUWA地区"]:
            seen_versions.add("old")
            whole += 1
            continue
        assert len(versions) == 1 and len(names) == 400, f"mixed or partial content: {sorted(versions)[:5]}"
        seen_versions |= versions
        whole += 1
    layer = QgsVectorLayer(f"{path}|layername=districts", "d", "ogr")
    assert layer.isValid() and layer.featureCount() in (1, 400)
    assert len(seen_versions) >= 2, "the kills should land at different points"
    assert interrupted > 0, "some kills should land inside a transaction"
    figures = {"kills": KILLS, "inside_transaction": interrupted, "whole": whole, "versions_seen": len(seen_versions)}
    record_reliability("saves", "district writer", figures)


def _memory_layer(kind: str, wkts: list[str], crs: str = "EPSG:6675") -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{kind}?crs={crs}", "sel", "memory")
    features = []
    for wkt in wkts:
        feature = QgsFeature()
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.selectAll()
    return layer


def test_district_from_selection_buffers_in_metres(qgis_app):
    crs = QgsCoordinateReferenceSystem("EPSG:6675")
    points = _memory_layer("Point", ["POINT(-100000 10000)"])
    geometry = geometry_from_selection([points], 100.0, crs)
    assert geometry.area() == pytest.approx(3.14159 * 100**2, rel=0.01)
    polygons = _memory_layer(
        "Polygon", ["POLYGON((0 0,100 0,100 100,0 100,0 0))", "POLYGON((100 0,200 0,200 100,100 100,100 0))"]
    )
    merged = geometry_from_mesh_cells(polygons, crs)
    assert merged.area() == pytest.approx(20000.0) and not merged.isMultipart()
    with pytest.raises(DistrictError):
        geometry_from_selection([points], 0.0, crs)
    points.removeSelection()
    with pytest.raises(DistrictError):
        geometry_from_selection([points], 10.0, crs)
    # the result comes back in the requested CRS
    back = geometry_from_selection([polygons], 0.0, QgsCoordinateReferenceSystem("EPSG:6668"))
    centre = back.centroid().asPoint()
    assert centre == QgsPointXY(centre) and 136.5 < centre.x() < 137.5 and 35.5 < centre.y() < 36.5


def test_a_file_that_is_not_a_district_geopackage_is_refused_untouched(tmp_path, qgis_app):
    from smartcity_qgis.i18n import install_translator, remove_translator

    wrong = tmp_path / "districts.gpkg"
    wrong.write_text("name,domain\nA,other\n", encoding="utf-8")
    translator = install_translator("ja")
    try:
        with pytest.raises(DistrictError) as caught:
            open_district_layer(wrong)
    finally:
        remove_translator(translator)
    assert "GeoPackage" in str(caught.value) and "先行地区" in str(caught.value)
    assert wrong.read_text(encoding="utf-8") == "name,domain\nA,other\n"
    with pytest.raises(DistrictError):
        open_district_layer(tmp_path / "missing.gpkg", create=False)
