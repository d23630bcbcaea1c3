"""Layer export round trips: GeoPackage with styles, GeoJSON, Shapefile (UTF-8/CP932), CSV, KML."""

from __future__ import annotations

import sqlite3

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QVariant
from qgis.PyQt.QtGui import QColor

from smartcity_qgis.export.layers_export import ExportError, export_layers, suggest_export_crs
from tests.qgis.planning_fixtures import memory_layer

NAMES = ["岡崎城", "乙川リバーフロント", "康生通り①"]


@pytest.fixture
def layers(qgis_app):
    points = memory_layer(
        "Point",
        "施設/観測点..",
        {"name": QVariant.String, "count": QVariant.Int, "value": QVariant.Double},
        [
            (f"POINT({137.16 + i / 100} {34.95 + i / 100})", {"name": n, "count": i, "value": i + 0.5})
            for i, n in enumerate(NAMES)
        ],
        crs="EPSG:6668",
    )
    points.renderer().symbol().setColor(QColor("#123456"))
    polygons = memory_layer(
        "Polygon",
        "地区",
        {"name": QVariant.String},
        [("POLYGON((137.16 34.95,137.17 34.95,137.17 34.96,137.16 34.95))", {"name": "QURUWA地区"})],
        crs="EPSG:6668",
    )
    people = memory_layer(
        "Polygon",
        "人流",
        {"mesh": QVariant.String, "population": QVariant.Int},
        [
            (
                f"POLYGON(({137 + i / 10} 35,{137.05 + i / 10} 35,{137.05 + i / 10} 35.05,{137 + i / 10} 35))",
                {"mesh": f"52370{i}", "population": p},
            )
            for i, p in enumerate([5, 12, 30, 9])
        ],
        crs="EPSG:6668",
    )
    for layer in (points, polygons, people):
        QgsProject.instance().addMapLayer(layer)
    yield {"points": points, "polygons": polygons, "people": people}
    QgsProject.instance().removeAllMapLayers()


def _read(path, layer_name=None):
    uri = f"{path}|layername={layer_name}" if layer_name else str(path)
    layer = QgsVectorLayer(uri, "back", "ogr")
    assert layer.isValid(), uri
    return layer


def _names(layer):
    return sorted(f["name"] for f in layer.getFeatures())


def test_geopackage_has_every_layer_with_its_style(layers, tmp_path):
    target = tmp_path / "出力.gpkg"
    result = export_layers(list(layers.values()), target, "gpkg")
    assert result.paths == [target]
    back = _read(target, "施設_観測点")
    assert _names(back) == sorted(NAMES) and back.crs().authid() == "EPSG:6668"
    assert {f["count"] for f in back.getFeatures()} == {0, 1, 2}
    assert back.renderer().symbol().color().name() == "#123456", "default style comes back"
    with sqlite3.connect(target) as db:
        styled = {row[0] for row in db.execute("SELECT f_table_name FROM layer_styles WHERE useAsDefault")}
    assert styled == {"施設_観測点", "地区", "人流"}
    assert result.suppressed == {"人流": 2}
    assert sorted(f["population"] for f in _read(target, "人流").getFeatures()) == [12, 30]


def test_existing_files_are_never_overwritten(layers, tmp_path):
    target = tmp_path / "a.gpkg"
    export_layers([layers["points"]], target, "gpkg")
    before = target.read_bytes()
    with pytest.raises(ExportError):
        export_layers([layers["polygons"]], target, "gpkg")
    assert target.read_bytes() == before
    export_layers([layers["polygons"]], target, "gpkg", overwrite=True)
    assert _names(_read(target, "地区")) == ["QURUWA地区"]
    folder = tmp_path / "geojson"
    export_layers([layers["points"]], folder, "geojson")
    with pytest.raises(ExportError):
        export_layers([layers["points"]], folder, "geojson")


def test_geojson_is_rfc7946_wgs84(layers, tmp_path):
    zone = QgsCoordinateReferenceSystem("EPSG:6675")
    [path] = export_layers([layers["points"]], tmp_path, "geojson", crs=zone).paths
    text = path.read_text(encoding="utf-8")
    assert "乙川リバーフロント" in text and '"crs"' not in text  # RFC 7946: no crs member, WGS 84
    back = _read(path)
    assert back.crs().authid() == "EPSG:4326" and _names(back) == sorted(NAMES)
    point = next(f for f in back.getFeatures() if f["name"] == "岡崎城").geometry().asPoint()
    assert point.x() == pytest.approx(137.16, abs=1e-6) and point.y() == pytest.approx(34.95, abs=1e-6)


@pytest.mark.parametrize(("fmt", "encoding"), [("shp", "UTF-8"), ("shp_cp932", "CP932")])
def test_shapefile_encodings(layers, tmp_path, fmt, encoding):
    zone = QgsCoordinateReferenceSystem("EPSG:6675")
    [path] = export_layers([layers["points"]], tmp_path, fmt, crs=zone).paths
    assert path.with_suffix(".cpg").read_text().strip().upper().replace("-", "") in (encoding.replace("-", ""), "932")
    assert "康生通り".encode(encoding.lower()) in path.with_suffix(".dbf").read_bytes()
    back = _read(path)
    assert _names(back) == sorted(NAMES)
    assert back.crs().authid() == "EPSG:6675"


def test_csv_wkt_and_xy(layers, tmp_path):
    [wkt] = export_layers([layers["polygons"]], tmp_path / "wkt", "csv_wkt").paths
    back = _read(wkt)
    assert _names(back) == ["QURUWA地区"] and back.crs().authid() == "EPSG:6668"
    assert back.getFeature(next(back.getFeatures()).id()).geometry().area() > 0
    [xy] = export_layers([layers["points"]], tmp_path / "xy", "csv_xy").paths
    header = xy.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("X,Y,")
    back = QgsVectorLayer(f"{xy}|option:X_POSSIBLE_NAMES=X|option:Y_POSSIBLE_NAMES=Y", "xy", "ogr")
    assert back.isValid() and _names(back) == sorted(NAMES)
    assert back.crs().authid() == "EPSG:6668", "the .prj beside the CSV keeps the CRS"
    point = next(f for f in back.getFeatures() if f["name"] == "岡崎城").geometry().asPoint()
    assert (point.x(), point.y()) == pytest.approx((137.16, 34.95))
    with pytest.raises(ExportError):
        export_layers([layers["polygons"]], tmp_path / "xy2", "csv_xy")


def test_kml(layers, tmp_path):
    [path] = export_layers([layers["points"], layers["people"]], tmp_path, "kml").paths[:1]
    back = _read(path)
    assert back.crs().authid() == "EPSG:4326" and back.featureCount() == 3
    assert "乙川リバーフロント" in path.read_text(encoding="utf-8")
    people = (tmp_path / "人流.kml").read_text(encoding="utf-8")
    assert "523701" in people and "523700" not in people, "cells under k are not written"


def test_crs_suggestion_is_the_plane_zone(layers):
    assert suggest_export_crs([layers["polygons"]]).authid() == "EPSG:6675"


def test_places_outside_japan_get_a_clear_message(qgis_app):
    from smartcity_qgis.layers.districts.geometry import geometry_from_selection
    from smartcity_qgis.layers.districts.layer import DistrictError

    paris = memory_layer(
        "Point", "Paris", {"name": QVariant.String}, [("POINT(2.35 48.85)", {"name": "p"})], crs="EPSG:4326"
    )
    with pytest.raises(ExportError, match=r"plane-rectangular|平面直角"):
        suggest_export_crs([paris])
    paris.selectAll()
    with pytest.raises(DistrictError):
        geometry_from_selection([paris], 100.0, QgsCoordinateReferenceSystem("EPSG:6668"))


def test_processing_export_algorithm(layers, tmp_path):
    from qgis.core import QgsProcessingException

    from tests.qgis.planning_fixtures import init_processing

    init_processing()
    import processing

    params = {
        "LAYERS": [layers["points"], layers["people"]],
        "FORMAT": 0,
        "GPKG_NAME": "../計画/資料",
        "OUTPUT": str(tmp_path),
    }
    result = processing.run("smartcity:exportlayers", params)
    [path] = result["FILES"]
    assert path == str(tmp_path / "計画_資料.gpkg")
    assert sorted(f["population"] for f in _read(path, "人流").getFeatures()) == [12, 30]
    with pytest.raises(QgsProcessingException):
        processing.run("smartcity:exportlayers", params)
    result = processing.run("smartcity:exportlayers", {**params, "FORMAT": 3, "CRS": "EPSG:6675"})
    assert sorted(p.rsplit("/", 1)[-1] for p in result["FILES"]) == ["人流.shp", "施設_観測点.shp"]
