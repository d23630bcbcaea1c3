"""国土数値情報 hazard files written by OGR in CP932 and UTF-8: detected, styled, labelled; wrong files refused."""

from __future__ import annotations

import zipfile

import pytest
from osgeo import gdal, ogr, osr
from qgis.core import QgsExpressionContextUtils, QgsRenderContext

from smartcity_qgis.layers.hazards.files import (
    HazardFileError,
    detect_text_encoding,
    extract_hazard_zip,
    load_hazard_file,
    open_hazard_layer,
    shapefile_encoding,
)
from smartcity_qgis.layers.hazards.kinds import DEPTH_COLOURS, SEDIMENT_ZONE_COLOURS, detect_kinds

ogr.UseExceptions()


def square(x, y, size=0.002):
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for dx, dy in ((0, 0), (size, 0), (size, size), (0, size), (0, 0)):
        ring.AddPoint_2D(x + dx, y + dy)
    polygon = ogr.Geometry(ogr.wkbPolygon)
    polygon.AddGeometry(ring)
    return polygon


def write_shapefile(path, fields, rows, encoding, with_prj=True, keep_cpg=True, geometry=ogr.wkbPolygon):
    # QGIS turns off GDAL's recoding of Shapefile text in its thread; writing needs it back.
    previous = gdal.GetThreadLocalConfigOption("SHAPE_ENCODING", None), gdal.GetConfigOption("SHAPE_ENCODING")
    gdal.SetThreadLocalConfigOption("SHAPE_ENCODING", None)
    gdal.SetConfigOption("SHAPE_ENCODING", None)
    try:
        _write(path, fields, rows, encoding, with_prj, geometry)
    finally:
        gdal.SetThreadLocalConfigOption("SHAPE_ENCODING", previous[0])
        gdal.SetConfigOption("SHAPE_ENCODING", previous[1])
    if not keep_cpg:
        path.with_suffix(".cpg").unlink(missing_ok=True)
    return path


def _write(path, fields, rows, encoding, with_prj, geometry):
    driver = ogr.GetDriverByName("ESRI Shapefile")
    ds = driver.CreateDataSource(str(path))
    srs = None
    if with_prj:
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(6668)
    layer = ds.CreateLayer(path.stem, srs, geometry, options=[f"ENCODING={encoding}"])
    for name, kind in fields:
        definition = ogr.FieldDefn(name, kind)
        if kind == ogr.OFTString:
            definition.SetWidth(60)
        layer.CreateField(definition)
    for geom, values in rows:
        feature = ogr.Feature(layer.GetLayerDefn())
        for (name, _), value in zip(fields, values, strict=True):
            feature.SetField(name, value)
        feature.SetGeometry(geom)
        layer.CreateFeature(feature)
    layer = None
    ds = None  # closes the file


A31A_FIELDS = [
    ("A31a_201", ogr.OFTString),
    ("A31a_202", ogr.OFTString),
    ("A31a_203", ogr.OFTInteger),
    ("A31a_204", ogr.OFTString),
    ("A31a_205", ogr.OFTInteger),
]


def a31a_rows():
    return [(square(137.15 + 0.003 * rank, 34.95), ["8505040001", "乙川", 3, "愛知県", rank]) for rank in range(1, 7)]


A33_FIELDS = [
    ("A33_001", ogr.OFTInteger),
    ("A33_002", ogr.OFTInteger),
    ("A33_003", ogr.OFTInteger),
    ("A33_004", ogr.OFTString),
    ("A33_005", ogr.OFTString),
    ("A33_006", ogr.OFTString),
]


def a33_rows():
    return [
        (square(137.2, 34.96), [2, 1, 23, "23202-001", "鳥川", "岡崎市鳥川町"]),
        (square(137.21, 34.96), [1, 2, 23, "23202-002", "滝町", "岡崎市滝町"]),
    ]


def test_text_encoding_detection():
    text = "乙川 浸水深".encode("cp932")
    assert detect_text_encoding(text) == "cp932"
    assert detect_text_encoding(text, hint="utf-8") == "cp932", "a wrong .cpg does not garble the text"
    assert detect_text_encoding("乙川".encode()) == "utf-8"
    assert detect_text_encoding("乙川".encode(), hint="cp932") == "utf-8"
    assert detect_text_encoding(b"ABC", hint="cp932") == "cp932"
    with pytest.raises(HazardFileError, match="neither UTF-8 nor"):
        detect_text_encoding(b"\x81\xff\xfe\x80")


def colour_of(layer, feature):
    context = QgsRenderContext()
    context.expressionContext().appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    renderer = layer.renderer().clone()
    renderer.startRender(context, layer.fields())
    try:
        context.expressionContext().setFeature(feature)  # as the layer renderer does for each feature
        symbols = renderer.symbolsForFeature(feature, context)
        return symbols[0].color().name().upper() if symbols else None
    finally:
        renderer.stopRender(context)


@pytest.mark.parametrize("encoding", ["CP932", "UTF-8"])
@pytest.mark.parametrize("keep_cpg", [True, False])
def test_a31a_detected_styled_and_labelled(qgis_app, tmp_path, encoding, keep_cpg):
    shp = write_shapefile(tmp_path / "A31a-20-23_8505040001.shp", A31A_FIELDS, a31a_rows(), encoding, keep_cpg=keep_cpg)
    assert shapefile_encoding(shp) == ("cp932" if encoding == "CP932" else "utf-8")
    result = load_hazard_file(shp, tmp_path / "cache")
    (layer,) = result.layers
    assert layer.customProperty("smartcity/hazard_kind") == "A31a_2"
    assert layer.crs().authid() == "EPSG:6668"
    names = {f["A31a_202"] for f in layer.getFeatures()}
    assert names == {"乙川"}, "the Japanese attribute text reads back correctly"
    for feature in layer.getFeatures():
        assert colour_of(layer, feature) == DEPTH_COLOURS[feature["A31a_205"]]
    labels = [c.label() for c in layer.renderer().categories()]
    assert labels[0] == "0m以上0.5m未満" and labels[2] == "3.0m以上5.0m未満" and labels[5] == "20.0m以上"
    assert any("国土数値情報" in r for r in layer.metadata().rights())


@pytest.mark.parametrize("encoding", ["CP932", "UTF-8"])
def test_a33_detected_with_yellow_and_red_zones(qgis_app, tmp_path, encoding):
    shp = write_shapefile(tmp_path / "A33-22_23.shp", A33_FIELDS, a33_rows(), encoding, with_prj=False, keep_cpg=False)
    layer, kind = open_hazard_layer(shp, cache_root=tmp_path / "cache")
    assert kind.key == "A33"
    assert layer.crs().authid() == "EPSG:6668", "no .prj: JGD2011 is set"
    by_name = {f["A33_005"]: f for f in layer.getFeatures()}
    assert set(by_name) == {"鳥川", "滝町"}
    assert colour_of(layer, by_name["鳥川"]) == SEDIMENT_ZONE_COLOURS[1]
    assert colour_of(layer, by_name["滝町"]) == SEDIMENT_ZONE_COLOURS[2]
    labels = {c.value(): c.label() for c in layer.renderer().categories()}
    assert labels[21] == "土石流：土砂災害警戒区域(指定済)"
    assert labels[12] == "急傾斜地の崩壊：土砂災害特別警戒区域(指定済)"


def test_every_a31_kind_is_recognised_from_its_fields():
    keys = {k.key for k in detect_kinds([f"A31a_{x}0{i}" for x in (3,) for i in range(1, 6)])}
    assert keys == {"A31a_3"}
    assert [k.key for k in detect_kinds(["a31b_401", "id"])] == ["A31b_4"]
    assert [k.key for k in detect_kinds(["A40_001", "A40_002", "A40_003"])] == ["A40"]
    assert detect_kinds(["A31a_205"]) == [], "one field alone is not an A31a file"


def test_geojson_a31b_and_a40(qgis_app, tmp_path):
    import json

    def feature(props, x):
        ring = [[x, 34.9], [x + 0.01, 34.9], [x + 0.01, 34.91], [x, 34.91], [x, 34.9]]
        return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}

    a31b = tmp_path / "A31b-24_5237.geojson"
    a31b.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [feature({"A31b_301": 4}, 137.1), feature({"A31b_301": 7}, 137.2)],
            }
        ),
        encoding="utf-8",
    )
    layer, kind = open_hazard_layer(a31b, cache_root=tmp_path / "cache")
    assert kind.key == "A31b_3"
    labels = [c.label() for c in layer.renderer().categories()]
    assert labels[3] == "72時間以上168時間未満（1週間）"

    a40 = tmp_path / "A40-16_23.geojson"
    bands = ["0.3m未満", "1.0m以上2.0m未満", "5.0m以上10.0m未満"]
    text = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                feature({"A40_001": "愛知県", "A40_002": 23, "A40_003": b}, 137 + i * 0.02) for i, b in enumerate(bands)
            ],
        },
        ensure_ascii=False,
    )
    a40.write_bytes(text.encode("cp932"))  # a CP932 GeoJSON is converted, not garbled
    layer, kind = open_hazard_layer(a40, cache_root=tmp_path / "cache")
    assert kind.key == "A40"
    assert [c.label() for c in layer.renderer().categories()] == bands
    colours = {f["A40_003"]: colour_of(layer, f) for f in layer.getFeatures()}
    assert colours == {bands[0]: DEPTH_COLOURS[1], bands[1]: DEPTH_COLOURS[2], bands[2]: DEPTH_COLOURS[4]}


def test_zip_of_shapefiles_with_japanese_folder_names(qgis_app, tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    a31a = write_shapefile(folder / "A31a-20-23.shp", A31A_FIELDS, a31a_rows(), "CP932")
    a33 = write_shapefile(folder / "A33-22_23.shp", A33_FIELDS, a33_rows(), "CP932")
    roads = write_shapefile(
        folder / "roads.shp", [("name", ogr.OFTString)], [(square(137.3, 34.9), ["国道1号"])], "UTF-8"
    )
    archive = tmp_path / "A31a-23_GML.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for shp, inner in ((a31a, "20_想定最大規模"), (a33, "A33"), (roads, "other")):
            for part in shp.parent.glob(shp.stem + ".*"):
                zf.write(part, f"{inner}/{part.name}")
    result = load_hazard_file(archive, tmp_path / "cache")
    kinds = sorted(layer.customProperty("smartcity/hazard_kind") for layer in result.layers)
    assert kinds == ["A31a_2", "A33"]
    assert len(result.skipped) == 1 and "roads" in result.skipped[0]


def test_zip_path_traversal_and_links_are_not_extracted(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../escaped.shp", b"x")
        zf.writestr("/abs/escaped2.shp", b"x")
        zf.writestr("ok/readme.txt", b"x")
        link = zipfile.ZipInfo("ok/link.shp")
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
    target = tmp_path / "out"
    assert extract_hazard_zip(archive, target) == []
    assert not (tmp_path / "escaped.shp").exists()
    assert not list(tmp_path.rglob("escaped*"))
    assert not (target / "ok" / "link.shp").exists()


def test_zip_bomb_is_refused(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("A31a.dbf", b"\x00" * (20 * 1024 * 1024))
    with pytest.raises(HazardFileError, match="zip bomb"):
        extract_hazard_zip(archive, tmp_path / "out")


def test_wrong_files_are_refused_with_a_clear_message(qgis_app, tmp_path):
    roads = write_shapefile(
        tmp_path / "A31a-20-23.shp", [("name", ogr.OFTString)], [(square(137.3, 34.9), ["国道1号"])], "UTF-8"
    )
    with pytest.raises(HazardFileError, match="not a 国土数値情報 hazard file"):
        load_hazard_file(roads, tmp_path / "cache")
    line = ogr.Geometry(ogr.wkbLineString)
    line.AddPoint_2D(137.0, 34.9)
    line.AddPoint_2D(137.1, 34.9)
    river = write_shapefile(
        tmp_path / "W05.shp", A31A_FIELDS, [(line, ["1", "乙川", 3, "愛知県", 2])], "UTF-8", geometry=ogr.wkbLineString
    )
    with pytest.raises(HazardFileError, match="no polygons"):
        load_hazard_file(river, tmp_path / "cache")
    fake = tmp_path / "A33.zip"
    fake.write_bytes(b"this is not a zip")
    with pytest.raises(HazardFileError, match="not a readable zip"):
        load_hazard_file(fake, tmp_path / "cache")
    text = tmp_path / "A31a.csv"
    text.write_text("a,b\n")
    with pytest.raises(HazardFileError, match="not a Shapefile"):
        load_hazard_file(text, tmp_path / "cache")
    empty_zip = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty_zip, "w") as zf:
        zf.writestr("readme.txt", "nothing")
    with pytest.raises(HazardFileError, match="no Shapefile or GeoJSON"):
        load_hazard_file(empty_zip, tmp_path / "cache")
    with pytest.raises(HazardFileError, match="does not exist"):
        load_hazard_file(tmp_path / "missing.shp", tmp_path / "cache")


def test_damaged_shapefile_is_refused(qgis_app, tmp_path):
    lonely = tmp_path / "A31a-20-23.shp"
    lonely.write_bytes(b"\x00" * 100)
    with pytest.raises(HazardFileError, match=r"no \.dbf"):
        load_hazard_file(lonely, tmp_path / "cache")
    lonely.with_suffix(".dbf").write_bytes(b"\x03\x7e")
    with pytest.raises(HazardFileError, match="truncated"):
        load_hazard_file(lonely, tmp_path / "cache")
