"""District tools in the interface: drawing, from selection, from mesh cells, save, fact sheet dock."""

from __future__ import annotations

import math

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFeature, QgsGeometry, QgsProject
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from smartcity_qgis.dialogs.district_dock import DistrictFactSheetDock
from smartcity_qgis.dialogs.ui_districts import DistrictTools
from smartcity_qgis.layers.district_store import read_districts
from smartcity_qgis.layers.districts import open_district_layer
from tests.qgis.planning_fixtures import SQUARE_6675, X0, Y0, box, memory_layer, planning_layers


@pytest.fixture
def district_layer(qgis_iface, tmp_path):
    layer = open_district_layer(tmp_path / "districts.gpkg")
    QgsProject.instance().addMapLayer(layer)
    qgis_iface.setActiveLayer(layer)
    yield layer
    QgsProject.instance().removeAllMapLayers()


def _area_m2(layer, fid) -> float:
    geometry = QgsGeometry(layer.getFeature(fid).geometry())
    zone = QgsCoordinateReferenceSystem("EPSG:6675")
    geometry.transform(QgsCoordinateTransform(layer.crs(), zone, QgsProject.instance()))
    return geometry.area()


def test_drawn_polygon_becomes_an_undoable_district(qgis_iface, district_layer):
    tools = DistrictTools(qgis_iface)
    drawn = QgsFeature()
    geometry = QgsGeometry.fromWkt(SQUARE_6675)
    geometry.transform(
        QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:6675"), district_layer.crs(), QgsProject.instance())
    )
    drawn.setGeometry(geometry)
    fid = tools.drawn(drawn)
    assert fid is not None and district_layer.featureCount() == 1
    assert _area_m2(district_layer, fid) == pytest.approx(1_000_000, rel=1e-6)
    district_layer.undoStack().undo()
    assert district_layer.featureCount() == 0
    district_layer.undoStack().redo()
    assert district_layer.featureCount() == 1


def test_from_selection_and_mesh_cells(qgis_iface, district_layer):
    tools = DistrictTools(qgis_iface)
    points = memory_layer("Point", "観測点", {"name": QVariant.String}, [(f"POINT({X0} {Y0})", {"name": "a"})])
    QgsProject.instance().addMapLayer(points)
    assert tools.from_selection(100.0) is None, "nothing selected: a message, no district"
    points.selectAll()
    fid = tools.from_selection(100.0)
    assert _area_m2(district_layer, fid) == pytest.approx(math.pi * 100**2, rel=0.01)
    points.removeSelection()
    mesh = memory_layer(
        "Polygon",
        "メッシュ",
        {"code": QVariant.String},
        [
            (box(X0, Y0, X0 + 100, Y0 + 100), {"code": "1"}),
            (box(X0 + 100, Y0, X0 + 200, Y0 + 100), {"code": "2"}),
            (box(X0 + 500, Y0, X0 + 600, Y0 + 100), {"code": "3"}),
        ],
    )
    QgsProject.instance().addMapLayer(mesh)
    mesh.selectByIds([f.id() for f in mesh.getFeatures() if f["code"] in ("1", "2")])
    qgis_iface.setActiveLayer(mesh)
    fid = tools.from_mesh_cells()
    assert _area_m2(district_layer, fid) == pytest.approx(20_000, rel=1e-6)
    assert not district_layer.getFeature(fid).geometry().constGet().geometryN(0).numInteriorRings()


def test_save_reports_missing_attributes_and_then_saves(qgis_iface, district_layer, tmp_path):
    tools = DistrictTools(qgis_iface)
    feature = QgsFeature()
    feature.setGeometry(QgsGeometry.fromWkt("POLYGON((137.16 34.95,137.17 34.95,137.17 34.96,137.16 34.95))"))
    fid = tools.drawn(feature)
    tools.save()  # no name/domain/phase yet: refused with a message
    assert read_districts(tmp_path / "districts.gpkg") == []
    fields = district_layer.fields()
    for name, value in (("name", "テスト地区"), ("domain", "other"), ("phase", "initial")):
        district_layer.changeAttributeValue(fid, fields.indexOf(name), value)
    tools.save()
    assert [r.attributes["name"] for r in read_districts(tmp_path / "districts.gpkg")] == ["テスト地区"]


def test_fact_sheet_dock_follows_the_selection(qgis_iface, tmp_path):
    from tests.qgis.planning_fixtures import square_district

    districts = square_district(tmp_path / "districts.gpkg")
    planning_layers()
    qgis_iface.setActiveLayer(districts)
    dock = DistrictFactSheetDock(qgis_iface)
    try:
        dock.refresh()
        assert dock.table.rowCount() == 0
        districts.selectAll()
        dock.refresh()
        values = {dock.table.item(r, 0).text(): dock.table.item(r, 1).text() for r in range(dock.table.rowCount())}
        assert values["面積"] == "100.00" and values["昼間人口（昼 11–14時台）"] == "500"
        # live data changes: the panel follows (throttled; here without the delay)
        dock._timer.setInterval(0)
        people = next(lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.name() == "人流")
        people.startEditing()
        cell = next(people.getFeatures())
        people.changeAttributeValue(cell.id(), people.fields().indexOf("population_day"), 3000)
        for _ in range(50):
            QCoreApplication.processEvents()
            values = {dock.table.item(r, 0).text(): dock.table.item(r, 1).text() for r in range(dock.table.rowCount())}
            if values["昼間人口（昼 11–14時台）"] == "1,500":
                break
        assert values["昼間人口（昼 11–14時台）"] == "1,500"
        people.rollBack()
    finally:
        dock.stop_watching()
        QgsProject.instance().removeAllMapLayers()
