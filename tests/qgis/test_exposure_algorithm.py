"""smartcity:hazardexposure in real QGIS, against hand-computed values and QGIS's own overlay."""

from __future__ import annotations

import numpy as np
import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from smartcity_qgis.algorithms.alg_exposure import plain

# A point in Okazaki in plane-rectangular zone VII (EPSG:6675): x east, y north.
X0, Y0 = 600.0, -116000.0


def polygon_layer(name, crs, fields, rows):
    layer = QgsVectorLayer(f"Polygon?crs={crs}", name, "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    features = []
    for geometry, values in rows:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(geometry)
        feature.setAttributes(list(values))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def point_layer(name, crs, points, fields=(), values=None):
    layer = QgsVectorLayer(f"Point?crs={crs}", name, "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    features = []
    for i, (x, y) in enumerate(points):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        if values is not None:
            feature.setAttributes([values[i]])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def rect(x0, y0, x1, y1):
    return QgsGeometry.fromRect(QgsRectangle(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1))


def rows_of(layer):
    return {(f["zone_id"], f["rank"]): f for f in layer.getFeatures()}


def test_square_half_in_rank_2_half_in_rank_3(processing):
    hazard = polygon_layer(
        "flood",
        "EPSG:6675",
        [("A31a_205", QVariant.Int)],
        [(rect(-50, -10, 50, 110), [2]), (rect(50, -10, 150, 110), [3])],
    )
    zones = polygon_layer("zones", "EPSG:6675", [("code", QVariant.String)], [(rect(0, 0, 100, 100), ["Z1"])])
    mesh = polygon_layer("mesh", "EPSG:6675", [("pop", QVariant.Double)], [(rect(0, 0, 100, 100), [800.0])])
    shelters = point_layer("shelters", "EPSG:6675", [(X0 + 20, Y0 + 50), (X0 + 70, Y0 + 50), (X0 + 90, Y0 + 90)])
    result = processing.run(
        "smartcity:hazardexposure",
        {
            "HAZARD": hazard,
            "RANK_FIELD": "A31a_205",
            "ZONES": zones,
            "ZONE_ID_FIELD": "code",
            "POPULATION": mesh,
            "POPULATION_FIELD": "pop",
            "COUNT_FEATURES": shelters,
            "OUTPUT": "memory:",
        },
    )
    out = result["OUTPUT"]
    assert [f.name() for f in out.fields()] == ["zone_id", "rank", "area_m2", "population", "feature_count"]
    rows = rows_of(out)
    assert set(rows) == {("Z1", 2), ("Z1", 3)}
    assert rows["Z1", 2]["area_m2"] == pytest.approx(5000.0, rel=1e-9)
    assert rows["Z1", 3]["area_m2"] == pytest.approx(5000.0, rel=1e-9)
    assert rows["Z1", 2]["population"] == pytest.approx(400.0)
    assert rows["Z1", 3]["feature_count"] == 2
    assert rows["Z1", 2]["feature_count"] == 1


def test_zones_in_geographic_crs_are_measured_in_the_plane_zone(processing):
    # The same square given in JGD2011 degrees: areas come out in m² of zone VII, not degrees².
    from qgis.core import QgsCoordinateTransform, QgsProject

    to_geo = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:6675"),
        QgsCoordinateReferenceSystem("EPSG:6668"),
        QgsProject.instance(),
    )
    square = rect(0, 0, 100, 100)
    square.transform(to_geo)
    zones = polygon_layer("zones", "EPSG:6668", [("code", QVariant.Int)], [(square, [7])])
    hazard = polygon_layer("flood", "EPSG:6675", [("rank", QVariant.Int)], [(rect(-500, -500, 500, 500), [1])])
    out = processing.run(
        "smartcity:hazardexposure",
        {
            "HAZARD": hazard,
            "RANK_FIELD": "rank",
            "ZONES": zones,
            "ZONE_ID_FIELD": "code",
            "OUTPUT": "memory:",
        },
    )["OUTPUT"]
    (row,) = list(out.getFeatures())
    assert row["area_m2"] == pytest.approx(10000.0, rel=1e-4)
    assert plain(row["population"]) is None
    assert plain(row["feature_count"]) is None


def test_random_case_matches_qgis_intersection(processing):
    rng = np.random.default_rng(42)
    cell = 40.0
    hazard_rows = [
        (rect(i * cell, j * cell, (i + 1) * cell, (j + 1) * cell), [int(rng.integers(1, 6))])
        for i in range(25)
        for j in range(25)
        if rng.random() < 0.8
    ]
    hazard = polygon_layer("flood", "EPSG:6675", [("rank", QVariant.Int)], hazard_rows)
    zone_rows = []
    for k in range(30):
        cx, cy = rng.uniform(0, 1000, 2)
        radius = rng.uniform(20, 150)
        zone_rows.append((QgsGeometry.fromPointXY(QgsPointXY(X0 + cx, Y0 + cy)).buffer(radius, 8), [f"z{k}"]))
    zones = polygon_layer("zones", "EPSG:6675", [("zid", QVariant.String)], zone_rows)
    points = [(X0 + x, Y0 + y) for x, y in rng.uniform(0, 1000, (400, 2))]
    sensors = point_layer("sensors", "EPSG:6675", points)

    ours = rows_of(
        processing.run(
            "smartcity:hazardexposure",
            {
                "HAZARD": hazard,
                "RANK_FIELD": "rank",
                "ZONES": zones,
                "ZONE_ID_FIELD": "zid",
                "COUNT_FEATURES": sensors,
                "OUTPUT": "memory:",
            },
        )["OUTPUT"]
    )
    pieces = processing.run("native:intersection", {"INPUT": hazard, "OVERLAY": zones, "OUTPUT": "memory:"})["OUTPUT"]
    counted = processing.run(
        "native:countpointsinpolygon",
        {"POLYGONS": pieces, "POINTS": sensors, "FIELD": "n", "OUTPUT": "memory:"},
    )["OUTPUT"]
    expected_area: dict = {}
    expected_count: dict = {}
    for piece in counted.getFeatures():
        key = (piece["zid"], piece["rank"])
        expected_area[key] = expected_area.get(key, 0.0) + piece.geometry().area()
        expected_count[key] = expected_count.get(key, 0) + piece["n"]
    expected_area = {k: v for k, v in expected_area.items() if v > 1e-9}
    assert set(ours) == set(expected_area)
    assert len(ours) > 30
    for key, area in expected_area.items():
        assert ours[key]["area_m2"] == pytest.approx(area, rel=1e-6), key
        assert ours[key]["feature_count"] == expected_count[key], key


def test_wrong_inputs_are_refused_with_a_message(processing):
    zones = polygon_layer("zones", "EPSG:6675", [("code", QVariant.String)], [(rect(0, 0, 10, 10), ["a"])])
    hazard = polygon_layer("flood", "EPSG:6675", [("rank", QVariant.Int)], [(rect(0, 0, 10, 10), [1])])
    with pytest.raises(QgsProcessingException, match="rank field"):
        processing.run(
            "smartcity:hazardexposure",
            {"HAZARD": hazard, "ZONES": zones, "ZONE_ID_FIELD": "code", "OUTPUT": "memory:"},
        )
    mesh = polygon_layer("mesh", "EPSG:6675", [("pop", QVariant.Double)], [(rect(0, 0, 10, 10), [1.0])])
    with pytest.raises(QgsProcessingException, match="population field"):
        processing.run(
            "smartcity:hazardexposure",
            {
                "HAZARD": hazard,
                "RANK_FIELD": "rank",
                "ZONES": zones,
                "ZONE_ID_FIELD": "code",
                "POPULATION": mesh,
                "OUTPUT": "memory:",
            },
        )


def test_raster_hazard(processing, tmp_path):
    import rasterio
    from rasterio.transform import from_origin

    data = np.zeros((20, 20), dtype=np.uint8)
    data[:, :10] = 2
    data[:, 10:] = 4
    path = tmp_path / "ranks.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=20,
        width=20,
        count=1,
        dtype="uint8",
        crs="EPSG:6675",
        transform=from_origin(X0, Y0 + 200, 10, 10),
        nodata=0,
    ) as dst:
        dst.write(data, 1)
    from qgis.core import QgsRasterLayer

    raster = QgsRasterLayer(str(path), "ranks")
    assert raster.isValid()
    zones = polygon_layer("zones", "EPSG:6675", [("code", QVariant.String)], [(rect(50, 50, 150, 150), ["c"])])
    out = rows_of(
        processing.run(
            "smartcity:hazardexposure",
            {"HAZARD": raster, "ZONES": zones, "ZONE_ID_FIELD": "code", "OUTPUT": "memory:"},
        )["OUTPUT"]
    )
    assert out["c", 2]["area_m2"] == pytest.approx(5000.0)
    assert out["c", 4]["area_m2"] == pytest.approx(5000.0)


def test_zones_outside_japan_are_refused(processing):
    square = QgsGeometry.fromRect(QgsRectangle(2.0, 48.0, 2.1, 48.1))  # Paris
    zones = polygon_layer("zones", "EPSG:4326", [("code", QVariant.String)], [(square, ["paris"])])
    hazard = polygon_layer("flood", "EPSG:4326", [("rank", QVariant.Int)], [(square, [1])])
    with pytest.raises(QgsProcessingException, match="outside Japan"):
        processing.run(
            "smartcity:hazardexposure",
            {"HAZARD": hazard, "RANK_FIELD": "rank", "ZONES": zones, "ZONE_ID_FIELD": "code", "OUTPUT": "memory:"},
        )
