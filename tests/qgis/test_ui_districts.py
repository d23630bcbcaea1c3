"""District tools in the interface: drawing, from selection, from mesh cells, save, fact sheet dock."""

from __future__ import annotations

import math

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsFeature, QgsGeometry, QgsProject
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from smartcity_qgis.dialogs.districts.district_dock import DistrictFactSheetDock
from smartcity_qgis.dialogs.districts.ui_districts import DistrictTools
from smartcity_qgis.layers.districts.layer import open_district_layer
from smartcity_qgis.layers.districts.store import read_districts
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


def test_drawing_tool_snaps_to_existing_vertices(qgis_iface, district_layer):
    from qgis.core import QgsPointXY, QgsSnappingConfig, QgsSnappingUtils, QgsTolerance
    from qgis.gui import QgsAdvancedDigitizingDockWidget, QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent, QPoint, Qt

    canvas = qgis_iface.mapCanvas()
    canvas.resize(400, 400)
    canvas.setDestinationCrs(district_layer.crs())
    neighbour = memory_layer(
        "Polygon",
        "隣接地区",
        {"code": QVariant.String},
        [("POLYGON((137.10 34.90,137.12 34.90,137.12 34.92,137.10 34.92,137.10 34.90))", {"code": "x"})],
        crs="EPSG:6668",
    )
    QgsProject.instance().addMapLayer(neighbour)
    canvas.setLayers([neighbour, district_layer])
    canvas.setExtent(neighbour.extent().buffered(0.02))
    canvas.refresh()
    config = QgsSnappingConfig(QgsProject.instance())
    config.setEnabled(True)
    config.setMode(QgsSnappingConfig.AllLayers)
    config.setTypeFlag(QgsSnappingConfig.VertexFlag)
    config.setTolerance(15)
    config.setUnits(QgsTolerance.Pixels)
    utils = QgsSnappingUtils(canvas)
    utils.setMapSettings(canvas.mapSettings())
    utils.setConfig(config)
    # The canvas's own utils index layers in the background as the map is shown; here the
    # index is built up front (tools snap "relaxed": they never wait for an index).
    assert utils.snapToMap(QgsPointXY(137.1201, 34.9001)).isValid()
    previous_utils = canvas.snappingUtils()
    canvas.setSnappingUtils(utils)
    cad = QgsAdvancedDigitizingDockWidget(canvas)  # QGIS's main window owns one; keep ours alive
    qgis_iface.cadDockWidget = lambda: cad

    tools = DistrictTools(qgis_iface)
    tools.start_drawing()
    assert canvas.mapTool() is tools.tool

    def click(x: float, y: float, button=Qt.LeftButton) -> None:
        pixel = canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
        position = QPoint(round(pixel.x()) + 3, round(pixel.y()) - 2)  # a few pixels off the vertex
        tools.tool.canvasMoveEvent(QgsMapMouseEvent(canvas, QEvent.MouseMove, position, Qt.NoButton))
        tools.tool.canvasReleaseEvent(QgsMapMouseEvent(canvas, QEvent.MouseButtonRelease, position, button))

    for x, y in ((137.12, 34.90), (137.13, 34.90), (137.13, 34.92), (137.12, 34.92)):
        click(x, y)
    click(137.12, 34.92, Qt.RightButton)
    assert district_layer.featureCount() == 1
    ring = next(district_layer.getFeatures()).geometry().asMultiPolygon()[0][0]
    assert QgsPointXY(137.12, 34.90) in [QgsPointXY(round(p.x(), 9), round(p.y(), 9)) for p in ring], ring
    assert QgsPointXY(137.12, 34.92) in [QgsPointXY(round(p.x(), 9), round(p.y(), 9)) for p in ring], ring
    assert all(round(p.x(), 9) != 137.13 for p in ring), "no vertex to snap to there: the click stays"
    canvas.unsetMapTool(tools.tool)
    canvas.setSnappingUtils(previous_utils)
    canvas.setLayers([])
    # The interface lives for the whole session: drop what this test gave it, while QGIS runs.
    del qgis_iface.cadDockWidget
    tools.tool = None
