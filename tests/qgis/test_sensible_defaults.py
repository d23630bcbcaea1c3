"""Sensible defaults: new layers placed by kind (hazard zones below stations), translucent mesh fills,
people flow opened on one month and day type with the Temporal Controller set up, and heatmap
legends in 人/km²."""

from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import (
    QgsDateTimeRange,
    QgsExpressionContextUtils,
    QgsLayerTreeModel,
    QgsProject,
    QgsRasterLayer,
    QgsRenderContext,
    QgsTemporalNavigationObject,
    QgsVectorLayer,
)
from qgis.gui import QgsMapCanvas
from qgis.PyQt.QtCore import QDate, QDateTime, QTime

from smartcity_qgis.dialogs.peopleflow.ui_time import follow_project_months
from smartcity_qgis.layer_order import LayerPlacer
from smartcity_qgis.layers.hazards.tiles import tile_layer
from smartcity_qgis.layers.peopleflow.style import style_population
from tests.qgis.test_peopleflow_algorithms import CSV, _crowd, point_layer

# Processing results are loaded into the layer tree view on QGIS 3.44+.
pytestmark = pytest.mark.usefixtures("real_layer_tree_view")


@pytest.fixture
def project(qgis_app):
    project = QgsProject.instance()
    project.clear()
    yield project
    project.clear()


def vector(kind: str, name: str) -> QgsVectorLayer:
    return QgsVectorLayer(f"{kind}?crs=EPSG:4326", name, "memory")


def order(project) -> list[str]:
    return [layer.name() for layer in project.layerTreeRoot().layerOrder()]


def test_new_layers_are_placed_by_kind(project):
    placer = LayerPlacer(project)
    try:
        project.addMapLayer(tile_layer("pale"))  # base map
        project.addMapLayer(vector("Point", "水位観測所"))
        project.addMapLayer(vector("Polygon", "洪水浸水想定区域"))  # would hide the stations on top
        project.addMapLayer(tile_layer("01_flood_l2_shinsuishin_data"))
        project.addMapLayer(vector("LineString", "河川"))
        project.addMapLayer(vector("Point", "センサー"))
        assert order(project) == [
            "センサー",
            "水位観測所",
            "河川",
            "洪水浸水想定区域",
            tile_layer("01_flood_l2_shinsuishin_data").name(),
            tile_layer("pale").name(),
        ]
        # A layer the user moves stays where they put it.
        root = project.layerTreeRoot()
        hazard = root.findLayer(project.mapLayersByName("洪水浸水想定区域")[0].id())
        root.insertChildNode(0, hazard.clone())
        root.removeChildNode(hazard)
        project.addMapLayer(vector("Polygon", "先行地区"))
        assert order(project)[:5] == ["洪水浸水想定区域", "センサー", "水位観測所", "河川", "先行地区"]
    finally:
        placer.detach()


def test_mesh_grid_and_population_fills_are_translucent(processing, project):
    result = processing.runAndLoadResults(
        "smartcity:meshgrid", {"EXTENT": "137.16,137.18,34.94,34.96 [EPSG:4326]", "LEVEL": "1km", "OUTPUT": "memory:"}
    )
    grid = project.mapLayer(result["OUTPUT"])
    symbol = grid.renderer().symbol()
    assert symbol.color().alpha() < 80 and grid.opacity() == 1.0
    mesh = QgsVectorLayer("Polygon?crs=EPSG:4326&field=population:double", "人口", "memory")
    style_population(mesh)
    assert mesh.renderer().sourceSymbol().opacity() < 1.0


def test_people_flow_opens_on_one_month_and_day_type(processing, project, tmp_path):
    source = tmp_path / "monthly_mdp_mesh1km.csv"
    source.write_text(CSV, encoding="utf-8")
    result = processing.runAndLoadResults("smartcity:importpeopleflow", {"INPUT": [str(source)], "OUTPUT": "memory:"})
    layer = project.mapLayer(result["OUTPUT"])
    # The file's rows: 平日 and 休日, 昼 and 深夜, November and December; one day type and time drawn,
    # named in the legend, while fact sheets and exports still read every row.
    [drawn] = layer.renderer().rootRule().children()
    assert drawn.filterExpression() == '"dayflag" = 1 AND "timezone" = 0' and drawn.label() == "平日・昼"
    assert len(drawn.children()) >= 1 and layer.subsetString() == ""
    assert layer.featureCount() == 3  # every row written (under k = 10: left out)
    context = QgsRenderContext()
    context.expressionContext().appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    renderer = layer.renderer().clone()
    renderer.startRender(context, layer.fields())
    shown = {
        (f["dayflag_label"], f["timezone_label"]) for f in layer.getFeatures() if renderer.willRenderFeature(f, context)
    }
    renderer.stopRender(context)
    assert shown == {("平日", "昼")}
    assert layer.temporalProperties().isActive()
    settings = project.timeSettings()
    assert settings.temporalRange().begin().date() == QDate(2021, 11, 1)
    assert settings.temporalRange().end().date() == QDate(2022, 1, 1)
    assert settings.timeStep() == 1

    canvas = QgsMapCanvas()
    navigation = QgsTemporalNavigationObject(canvas)
    canvas.setTemporalController(navigation)
    try:
        assert follow_project_months(canvas, project)
        assert navigation.navigationMode() == QgsTemporalNavigationObject.Animated
        assert navigation.totalFrameCount() == 2
        frame = navigation.dateTimeRangeForFrameNumber(navigation.currentFrameNumber())
        assert frame.begin().date() == QDate(2021, 12, 1), "the latest month is shown"
        assert not follow_project_months(canvas, project), "once the user drives it, it is left alone"
    finally:
        canvas.deleteLater()


def test_a_canvas_without_the_panel_shows_the_latest_month(processing, project, tmp_path):
    source = tmp_path / "monthly_mdp_mesh1km.csv"
    source.write_text(CSV, encoding="utf-8")
    processing.runAndLoadResults("smartcity:importpeopleflow", {"INPUT": [str(source)], "OUTPUT": "memory:"})
    canvas = QgsMapCanvas()
    try:
        assert follow_project_months(canvas, project)
        december = QgsDateTimeRange(
            QDateTime(QDate(2021, 12, 1), QTime(0, 0)), QDateTime(QDate(2022, 1, 1), QTime(0, 0))
        )
        assert canvas.temporalRange().begin() == december.begin()
    finally:
        canvas.deleteLater()


def legend_texts(project, layer) -> list[str]:
    model = QgsLayerTreeModel(project.layerTreeRoot())
    nodes = model.layerLegendNodes(project.layerTreeRoot().findLayer(layer.id()))
    return [str(node.data(0)) for node in nodes]


def test_heatmap_legend_says_people_per_km2(processing, project, tmp_path):
    xs, ys, w = _crowd(n=100)
    out = tmp_path / "heat.tif"
    processing.runAndLoadResults(
        "smartcity:kerneldensity",
        {"INPUT": point_layer("EPSG:6675", xs, ys, w), "RADIUS": 300.0, "PIXEL_SIZE": 20.0, "OUTPUT": str(out)},
    )
    loaded = next(lyr for lyr in project.mapLayers().values() if lyr.source() == str(out))
    shader = loaded.renderer().shader().rasterShaderFunction()
    assert shader.legendSettings().suffix().strip() == "people/km²"
    assert all(item.label.endswith("people/km²") for item in shader.colorRampItemList())
    assert any("people/km²" in text for text in legend_texts(project, loaded))
    # Opened again later (the style beside the file): the same legend, never "Band 1 (Gray) 8786.224659".
    assert Path(str(out)[:-4] + ".qml").is_file()
    again = QgsRasterLayer(str(out), "again")
    assert again.renderer().type() == "singlebandpseudocolor"
    assert again.renderer().shader().rasterShaderFunction().legendSettings().suffix().strip() == "people/km²"
