"""The mesh code panel follows the cursor in any canvas CRS."""

from __future__ import annotations

from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject

from smartcity_qgis.dialogs.peopleflow.ui_mesh_panel import NO_CODE, MeshCodeDock, mesh_codes_at


def test_codes_at_a_point():
    codes = mesh_codes_at(139.745433, 35.658581)
    assert codes["1km"] == "53393599" and codes["250m"] == "5339359921" and codes["100m"] == "5339359906"
    assert set(mesh_codes_at(-0.12, 51.5).values()) == {NO_CODE}


def test_dock_reprojects_from_the_canvas_crs(qgis_iface):
    dock = MeshCodeDock(qgis_iface.mapCanvas())
    web = QgsCoordinateReferenceSystem("EPSG:3857")
    to_web = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), web, QgsProject.instance())
    point = to_web.transform(QgsPointXY(139.745433, 35.658581))
    dock.show_point(point, web)
    assert dock.values["1km"].text() == "53393599"
    assert dock.values["80km"].text() == "5339"
    assert "35.6585" in dock.position.text()
    assert "1km\t53393599" in dock.codes_text()
    dock.show_point(QgsPointXY(-0.12, 51.5), QgsCoordinateReferenceSystem("EPSG:4326"))
    assert dock.values["1km"].text() == NO_CODE
    dock.disconnect_canvas()
