"""People-flow algorithms in real QGIS: mesh grid, aggregation, MLIT import, kernel density
(compared with QGIS's own heatmap algorithm), styles, and privacy in every written output."""

from __future__ import annotations

import io
import math
import zipfile

import numpy as np
import pytest
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsRasterLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QVariant

from smartcity_qgis.analysis.mesh import mesh_center, mesh_code
from smartcity_qgis.layers.peopleflow.heatmap_style import apply_heatmap_style, style_density_raster
from smartcity_qgis.layers.peopleflow.style import style_people_flow_layer

# Okazaki in plane-rectangular zone VII (EPSG:6675)
X0, Y0 = 600.0, -116000.0


def qgis_heatmap_id() -> str:
    """QGIS's heatmap: a Python algorithm "qgis:" up to 3.2x, C++ "native:" later."""
    registry = QgsApplication.processingRegistry()
    native = "native:heatmapkerneldensityestimation"
    return native if registry.algorithmById(native) else "qgis:heatmapkerneldensityestimation"


def point_layer(crs, xs, ys, weights=None):
    layer = QgsVectorLayer(f"Point?crs={crs}", "points", "memory")
    layer.dataProvider().addAttributes([QgsField("people", QVariant.Double)])
    layer.updateFields()
    features = []
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(x), float(y))))
        feature.setAttributes([float(weights[i]) if weights is not None else 1.0])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def read_band(path):
    import rasterio

    with rasterio.open(path) as src:
        band = src.read(1).astype(float)
        if src.nodata is not None:
            band[band == src.nodata] = 0.0
        return band, src.transform, src.crs


def features_of(path_or_layer):
    layer = path_or_layer if isinstance(path_or_layer, QgsVectorLayer) else QgsVectorLayer(str(path_or_layer))
    assert layer.isValid()
    return layer, list(layer.getFeatures())


def test_mesh_grid_with_parent_codes(processing, tmp_path):
    out = tmp_path / "grid.gpkg"
    result = processing.run(
        "smartcity:meshgrid",
        {"EXTENT": "139.7,139.8,35.6,35.7 [EPSG:6668]", "LEVEL": "1km", "OUTPUT": str(out)},
    )
    layer, feats = features_of(result["OUTPUT"])
    assert result["CELLS"] == 96 and len(feats) == 96
    names = layer.fields().names()
    assert {"mesh_code", "level", "mesh_80km", "mesh_10km", "mesh_5km", "mesh_2km"} <= set(names)
    for f in feats[:10]:
        centre = f.geometry().centroid().asPoint()
        assert int(f["mesh_code"]) == int(mesh_code(centre.y(), centre.x(), "1km"))
        assert f["mesh_80km"] == f["mesh_code"][:4] and f["mesh_10km"] == f["mesh_code"][:6]
    assert layer.crs().authid() == "EPSG:6668"


def test_aggregate_points_with_privacy(processing, tmp_path):
    big = mesh_center(np.full(30, 52373143), "1km")
    small = mesh_center(np.full(4, 52373144), "1km")
    lon = np.concatenate([big[1], small[1]])
    lat = np.concatenate([big[0], small[0]])
    layer = point_layer("EPSG:6668", lon, lat, np.full(34, 2.0))
    out = tmp_path / "agg.gpkg"
    result = processing.run(
        "smartcity:aggregatemesh",
        {"INPUT": layer, "WEIGHT_FIELD": "people", "LEVEL": "1km", "K": 10, "OUTPUT": str(out)},
    )
    _, feats = features_of(result["OUTPUT"])
    assert result["SUPPRESSED"] == 1 and result["CELLS"] == 1
    assert [(f["mesh_code"], f["count"], f["sum"]) for f in feats] == [("52373143", 30, 60.0)]
    opened = processing.run(
        "smartcity:aggregatemesh",
        {"INPUT": layer, "LEVEL": "1km", "K": 0, "OUTPUT": "memory:"},
    )
    codes = sorted(f["mesh_code"] for f in opened["OUTPUT"].getFeatures())
    assert codes == ["52373143", "52373144"] and opened["SUPPRESSED"] == 0


def test_aggregate_a_finer_mesh_layer(processing):
    grid = processing.run(
        "smartcity:meshgrid",
        {"EXTENT": "137.15,137.2,34.95,34.96 [EPSG:6668]", "LEVEL": "500m", "OUTPUT": "memory:"},
    )["OUTPUT"]
    grid.dataProvider().addAttributes([QgsField("pop", QVariant.Double)])
    grid.updateFields()
    idx = grid.fields().lookupField("pop")
    grid.dataProvider().changeAttributeValues({f.id(): {idx: 6.0} for f in grid.getFeatures()})
    result = processing.run(
        "smartcity:aggregatemesh",
        {"INPUT": grid, "WEIGHT_FIELD": "pop", "LEVEL": "1km", "K": 10, "OUTPUT": "memory:"},
    )
    for f in result["OUTPUT"].getFeatures():
        assert f["sum"] == 6.0 * f["count"] and f["sum"] >= 10
    with pytest.raises(QgsProcessingException):
        processing.run(
            "smartcity:aggregatemesh",
            {"INPUT": grid, "WEIGHT_FIELD": "pop", "LEVEL": "100m", "K": 10, "OUTPUT": "memory:"},
        )


CSV = (
    "mesh1kmid,prefcode,citycode,year,month,dayflag,timezone,population\r\n"
    "52373143,23,23202,2021,11,1,0,3120\r\n"
    "52373143,23,23202,2021,11,1,1,1480\r\n"
    "52373144,23,23202,2021,12,0,0,520\r\n"
    "52373153,23,23202,2021,12,0,1,7\r\n"
    "52378153,23,23202,2021,12,0,1,70\r\n"
    "52373153,23,23202,2021,12,0\r\n"
)


def test_import_people_flow_nested_zip(processing, tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("monthly_mdp_mesh1km.csv", CSV)
    outer = tmp_path / "23.zip"
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr("23/2021/monthly_mdp_mesh1km.zip", inner.getvalue())
    out = tmp_path / "flow.gpkg"
    result = processing.run("smartcity:importpeopleflow", {"INPUT": [str(outer)], "OUTPUT": str(out)})
    layer, feats = features_of(result["OUTPUT"])
    assert result["ROWS"] == 3 and result["BAD_ROWS"] == 2 and result["SUPPRESSED"] == 1
    rows = sorted((f["mesh1kmid"], f["timezone_label"], f["dayflag_label"], f["population"], f["date"]) for f in feats)
    assert rows[0] == ("52373143", "昼", "平日", 3120.0, QDate(2021, 11, 1))
    assert rows[1][1] == "深夜" and rows[2][2] == "休日"
    assert all(f["mesh1kmid"] != "52373153" for f in feats)  # 7 people: never written
    assert feats[0]["mesh_80km"] == "5237" and feats[0]["prefcode"] == "23"
    style_people_flow_layer(layer)
    assert layer.renderer().type() == "RuleRenderer"  # graduated classes under one day type and time
    assert layer.temporalProperties().isActive() and layer.temporalProperties().startField() == "date"
    del layer, feats  # release the GeoPackage before the next runs

    noon = processing.run("smartcity:importpeopleflow", {"INPUT": [str(outer)], "TIMEZONE": [0], "OUTPUT": "memory:"})
    assert {f["timezone"] for f in noon["OUTPUT"].getFeatures()} == {0}

    not_flow = tmp_path / "other.csv"
    not_flow.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException):
        processing.run("smartcity:importpeopleflow", {"INPUT": [str(not_flow)], "OUTPUT": "memory:"})


def _crowd(seed=7, n=400):
    rng = np.random.default_rng(seed)
    centres = np.array([[X0, Y0], [X0 + 900, Y0 + 400], [X0 - 500, Y0 + 800]])
    pick = rng.integers(0, 3, n)
    xs = centres[pick, 0] + rng.normal(0, 250, n)
    ys = centres[pick, 1] + rng.normal(0, 250, n)
    return xs, ys, rng.uniform(1, 20, n)


@pytest.mark.parametrize(
    "kernel",
    [(0, "quartic", 3 / math.pi), (1, "triangular", 3 / math.pi), (3, "epanechnikov", 2 / math.pi)],
    ids=lambda k: k[1],
)
def test_kernel_density_matches_qgis_heatmap(processing, tmp_path, kernel):
    ours_index, name, constant = kernel
    qgis_index = {"quartic": 0, "triangular": 1, "epanechnikov": 4}[name]
    xs, ys, w = _crowd()
    layer = point_layer("EPSG:6675", xs, ys, w)
    radius, pixel = 400.0, 5.0
    ours = processing.run(
        "smartcity:kerneldensity",
        {
            "INPUT": layer,
            "WEIGHT_FIELD": "people",
            "RADIUS": radius,
            "PIXEL_SIZE": pixel,
            "KERNEL": ours_index,
            "K": 0,
            "OUTPUT": str(tmp_path / "ours.tif"),
        },
    )
    assert ours["CRS"] == "EPSG:6675" and ours["SUPPRESSED"] == 0
    raw = processing.run(
        qgis_heatmap_id(),
        {
            "INPUT": layer,
            "RADIUS": radius,
            "PIXEL_SIZE": pixel,
            "WEIGHT_FIELD": "people",
            "KERNEL": qgis_index,
            "DECAY": 0,
            "OUTPUT_VALUE": 0,
            "OUTPUT": str(tmp_path / "qgis_raw.tif"),
        },
    )
    a, ta, crs = read_band(ours["OUTPUT"])
    b, tb, _ = read_band(raw["OUTPUT"])
    assert a.shape == b.shape and tuple(ta)[:6] == pytest.approx(tuple(tb)[:6])
    assert crs.to_epsg() == 6675
    # ours: people per km²; QGIS raw: kernel value 1 at the centre times the weight
    ours_raw = a / 1e6 * radius**2 / constant
    assert np.abs(ours_raw - b).max() < 0.01 * b.max()
    scaled = processing.run(
        qgis_heatmap_id(),
        {
            "INPUT": layer,
            "RADIUS": radius,
            "PIXEL_SIZE": pixel,
            "WEIGHT_FIELD": "people",
            "KERNEL": qgis_index,
            "DECAY": 0,
            "OUTPUT_VALUE": 1,
            "OUTPUT": str(tmp_path / "qgis_scaled.tif"),
        },
    )
    c, _, _ = read_band(scaled["OUTPUT"])
    if name == "quartic" and Qgis.QGIS_VERSION_INT < 34004:
        # QGIS's scaled quartic before QGIS 3.40.4 (qgskde.cpp, quarticKernel; qgis/QGIS#60616, fixed
        # by #60631 in February 2025) multiplies (1 - d²/r²)² by 116/(5π r²) · 15/16 = 21.75/(π r²),
        # where the kernel that integrates to 1 over the disc takes 3/(π r²): its surface is 7.25
        # times a density, everywhere. Ours is the density (its integral is the number of people,
        # below); newer QGIS (3.44 is tested) agrees with it.
        assert c.max() / (a.max() / 1e6) == pytest.approx(7.25, rel=0.01)
        assert np.abs(a / 1e6 * 7.25 - c).max() < 0.01 * c.max()
    else:
        assert np.abs(a / 1e6 - c).max() < 0.01 * c.max()
    # integral: total people
    assert a.sum() / 1e6 * pixel**2 == pytest.approx(w.sum(), rel=0.01)


def test_kernel_density_reprojects_and_hides_lone_people(processing, tmp_path):
    xs, ys, _ = _crowd(n=300)
    xs = np.append(xs, X0 + 5000)
    ys = np.append(ys, Y0 + 5000)
    plane = point_layer("EPSG:6675", xs, ys)
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject

    to_geo = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:6675"), QgsCoordinateReferenceSystem("EPSG:6668"), QgsProject.instance()
    )
    geo_points = [to_geo.transform(QgsPointXY(x, y)) for x, y in zip(xs, ys, strict=True)]
    geo = point_layer("EPSG:6668", [p.x() for p in geo_points], [p.y() for p in geo_points])
    result = processing.run(
        "smartcity:kerneldensity",
        {"INPUT": geo, "RADIUS": 300.0, "PIXEL_SIZE": 20.0, "OUTPUT": str(tmp_path / "heat.tif")},
    )
    assert result["CRS"] == "EPSG:6675" and result["SUPPRESSED"] > 0
    band, transform, _ = read_band(result["OUTPUT"])
    col, row = ~transform * (X0 + 5000, Y0 + 5000)
    assert band[int(row) - 10 : int(row) + 10, int(col) - 10 : int(col) + 10].max() == 0
    col, row = ~transform * (X0, Y0)
    assert band[int(row), int(col)] > 0
    raster = QgsRasterLayer(result["OUTPUT"], "heat")
    style_density_raster(raster)
    assert raster.renderer().type() == "singlebandpseudocolor"
    items = raster.renderer().shader().rasterShaderFunction().colorRampItemList()
    assert items[0].color.alpha() == 0 and items[-1].value == pytest.approx(band.max(), rel=1e-4)
    del plane


def test_heatmap_renderer_weighted_by_a_field():
    layer = point_layer("EPSG:6675", [X0, X0 + 50], [Y0, Y0 + 50], [5, 50])
    apply_heatmap_style(layer, "people", radius_m=150)
    renderer = layer.renderer()
    assert renderer.type() == "heatmapRenderer"
    assert renderer.weightExpression() == '"people"' and renderer.radius() == 150
    assert renderer.colorRamp().color1().alpha() == 0
    with pytest.raises(ValueError, match="count"):
        apply_heatmap_style(layer, "count")


def test_demo_step_writes_noon_and_night(qgis_app, qgis_new_project, tmp_path):
    from qgis.core import QgsProject

    from smartcity_qgis.demo import step_30_peopleflow as step
    from smartcity_qgis.demo.context import DemoContext

    ctx = DemoContext(output=tmp_path, project=QgsProject.instance())
    paths = step.run(ctx)
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    flow = ctx.shared["peopleflow_layer"]
    assert flow.featureCount() > 10_000 and flow.temporalProperties().isActive()
    _layer, feats = features_of(paths[1])
    by_code = {f["mesh1kmid"]: f for f in feats}
    centre = by_code["52373143"]
    assert centre["noon"] > 2 * centre["night"] and centre["data"].startswith("synthetic")
    assert sum(f["noon_minus_night"] < 0 for f in feats) > len(feats) / 2  # most cells are residential
    ctx.close()


@pytest.fixture
def layer_tree_view(qgis_iface, qgis_new_project, monkeypatch):
    """The desktop's layer tree view, which Processing fills with results since QGIS 3.44.

    pytest-qgis's stand-in interface answers a mock for it, which QGIS's C++ refuses.
    """
    from qgis.core import QgsLayerTreeModel, QgsProject
    from qgis.gui import QgsLayerTreeView

    view = QgsLayerTreeView()
    model = QgsLayerTreeModel(QgsProject.instance().layerTreeRoot(), view)
    view.setModel(model)
    monkeypatch.setattr(qgis_iface, "layerTreeView", lambda: view, raising=False)
    yield view
    view.deleteLater()


def test_outputs_are_styled_when_loaded(processing, layer_tree_view, tmp_path):
    from qgis.core import QgsProject

    source = tmp_path / "monthly_mdp_mesh1km.csv"
    source.write_text(CSV, encoding="utf-8")
    result = processing.runAndLoadResults("smartcity:importpeopleflow", {"INPUT": [str(source)], "OUTPUT": "memory:"})
    layer = QgsProject.instance().mapLayer(result["OUTPUT"])
    assert layer.renderer().type() == "RuleRenderer" and layer.temporalProperties().isActive()
    xs, ys, w = _crowd(n=100)
    heat = processing.runAndLoadResults(
        "smartcity:kerneldensity",
        {
            "INPUT": point_layer("EPSG:6675", xs, ys, w),
            "RADIUS": 300.0,
            "PIXEL_SIZE": 20.0,
            "OUTPUT": str(tmp_path / "heat.tif"),
        },
    )
    raster = next(lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.source() == heat["OUTPUT"])
    assert raster.renderer().type() == "singlebandpseudocolor"
    QgsProject.instance().clear()
