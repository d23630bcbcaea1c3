"""Japan time wherever a person reads a time, whatever the machine's own time zone.

Every surface is checked with the process time zone set to UTC and to Asia/Tokyo: an
observation made at 07:23:05 UTC reads 16:23:05 JST in map tips, identify results, the
attribute table, the feature form, the chart's axis, the City OS panel's connection states and
the names of crowd snapshots; files keep UTC.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from matplotlib import dates as mdates
from qgis.core import (
    QgsApplication,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsProject,
    QgsVectorLayerCache,
)
from qgis.gui import QgsAttributeForm, QgsAttributeTableModel
from qgis.PyQt.QtCore import QDateTime, Qt
from qgis.PyQt.QtWidgets import QLineEdit
from shapely.geometry import Point

from smartcity_qgis.cityos_client.models import Attribute, Entity
from smartcity_qgis.layers.cityos.entity_builder import build_layers
from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta
from smartcity_qgis.layers.cityos.map_tips import apply_map_tip, feature_html
from smartcity_qgis.local_time import (
    FORMATTER_ID,
    ZONE_VARIABLE,
    local_date_text,
    local_text,
    project_zone_name,
    register_local_time_display,
    set_project_zone,
    unregister_local_time_display,
)

OBSERVED = datetime(2025, 7, 1, 7, 23, 5, tzinfo=UTC)  # 16:23:05 in Japan
META = LayerMeta(url="http://127.0.0.1:1", flavor="ngsi-v2", entity_type="WaterObserved", connection="test")


@pytest.fixture(params=["UTC", "Asia/Tokyo"])
def machine_zone(request):
    """The process's own time zone, as a machine set to UTC or to Japan would have it."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    expected = 0 if request.param == "UTC" else 9 * 3600
    assert QDateTime.currentDateTime().offsetFromUtc() == expected, "Qt follows the process zone"
    yield request.param
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.fixture
def project(qgis_app):
    project = QgsProject.instance()
    QgsExpressionContextUtils.setProjectVariable(project, ZONE_VARIABLE, "")
    yield project
    QgsExpressionContextUtils.setProjectVariable(project, ZONE_VARIABLE, "")


def gauge() -> Entity:
    return Entity(
        "urn:ngsi:WaterObserved:tonohashi",
        "WaterObserved",
        Point(137.17, 34.95),
        {
            "waterLevel": Attribute("waterLevel", 1.5, "Number", OBSERVED, "MTR"),
            "stationName": Attribute("stationName", "殿橋", "Text"),
            "dateObserved": Attribute("dateObserved", OBSERVED, "DateTime"),
        },
        observed_at=OBSERVED,
        modified_at=OBSERVED,
    )


@pytest.fixture
def layer(project):
    layer = build_layers([gauge()], META)["point"]
    project.addMapLayer(layer)
    yield layer
    project.removeMapLayer(layer.id())


def shown_map_tip(layer) -> str:
    apply_map_tip(layer)
    feature = next(layer.getFeatures())
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    context.setFeature(feature)
    return QgsExpression.replaceExpressionText(layer.mapTipTemplate(), context)


def test_the_helper_reads_japan_time(machine_zone, project):
    assert project_zone_name(project) == "Asia/Tokyo"
    assert local_text(OBSERVED) == "2025-07-01 16:23:05 JST"
    assert local_text("2025-07-01T07:23:05Z") == "2025-07-01 16:23:05 JST"
    assert local_text(datetime(2025, 7, 1, 7, 23, 5)) == "2025-07-01 16:23:05 JST", "naive means UTC"
    assert local_text(QDateTime.fromMSecsSinceEpoch(int(OBSERVED.timestamp() * 1000), Qt.UTC)).endswith("16:23:05 JST")
    assert local_text(OBSERVED.timestamp(), "%H:%M") == "16:23 JST"
    assert local_text(None) == ""
    assert local_date_text(project) == datetime.now(ZoneInfo("Asia/Tokyo")).date().isoformat()


def test_map_tip_shows_japan_time(machine_zone, layer):
    shown = shown_map_tip(layer)
    assert "2025-07-01 16:23:05 JST" in shown, shown
    assert "07:23:05" not in shown


def test_identify_and_attribute_table_show_japan_time(machine_zone, layer):
    index = layer.fields().indexOf("observed_at")
    setup = layer.editorWidgetSetup(index)
    assert setup.type() == FORMATTER_ID
    formatter = QgsApplication.fieldFormatterRegistry().fieldFormatter(setup.type())
    feature = next(layer.getFeatures())
    # What the identify results panel shows for the field
    assert formatter.representValue(layer, index, setup.config(), None, feature["observed_at"]) == (
        "2025-07-01 16:23:05 JST"
    )
    # The plugin's own identify summary
    assert "2025-07-01 16:23:05 JST" in feature_html(layer, feature)
    # The attribute table
    cache = QgsVectorLayerCache(layer, 100)
    model = QgsAttributeTableModel(cache)
    model.loadLayer()
    column = model.fieldCol(index)
    assert model.data(model.index(0, column), Qt.DisplayRole) == "2025-07-01 16:23:05 JST"
    date_column = model.fieldCol(layer.fields().indexOf("dateObserved"))
    assert model.data(model.index(0, date_column), Qt.DisplayRole) == "2025-07-01 16:23:05 JST"
    # The value itself stays UTC
    assert feature["observed_at"].toUTC().toString(Qt.ISODate) == "2025-07-01T07:23:05Z"


def test_feature_form_shows_japan_time_read_only(machine_zone, layer):
    form = QgsAttributeForm(layer, next(layer.getFeatures()))
    texts = [edit.text() for edit in form.findChildren(QLineEdit)]
    assert "2025-07-01 16:23:05 JST" in texts, texts
    assert all(edit.isReadOnly() for edit in form.findChildren(QLineEdit) if "JST" in edit.text())
    form.deleteLater()


def test_another_project_zone_is_used_and_labelled(machine_zone, layer, project):
    set_project_zone("UTC", project)
    assert "2025-07-01 07:23:05 UTC" in shown_map_tip(layer)
    set_project_zone("Europe/Berlin", project)
    assert "2025-07-01 09:23:05 CEST" in shown_map_tip(layer)
    with pytest.raises(ValueError):
        set_project_zone("Mars/Olympus_Mons", project)


def test_the_zone_is_saved_with_the_project(project, tmp_path):
    set_project_zone("UTC", project)
    path = tmp_path / "zone.qgz"
    assert project.write(str(path))
    QgsExpressionContextUtils.setProjectVariable(project, ZONE_VARIABLE, "")
    assert project_zone_name(project) == "Asia/Tokyo"
    assert project.read(str(path))
    assert project_zone_name(project) == "UTC"
    project.clear()


def test_chart_axis_reads_japan_time(machine_zone, layer, qgis_iface):
    from smartcity_qgis.dialogs.cityos.chart_dock import ChartDock

    chart = ChartDock(qgis_iface)
    try:
        chart.layer = layer
        chart.labels = {"s": "殿橋"}
        chart.series = {"s": [(OBSERVED, 1.5), (OBSERVED.replace(minute=53), 1.7)]}
        chart.draw()
        axes = chart.figure.axes[0]
        assert axes.get_xlabel().endswith("(JST)")
        assert axes.xaxis.get_major_formatter()(mdates.date2num(OBSERVED)) == "07/01 16:23"
    finally:
        chart.deleteLater()


def test_connection_states_read_japan_time(machine_zone, qgis_app):
    from smartcity_qgis.layers.cityos.connection_status import OFFLINE, ConnectionState

    assert ConnectionState(OFFLINE, OBSERVED).describe().endswith("16:23:05 JST")


def test_unloading_gives_fields_back_to_qgis(layer):
    unregister_local_time_display(QgsProject.instance())
    index = layer.fields().indexOf("observed_at")
    assert layer.editorWidgetSetup(index).type() == "DateTime"
    assert QgsApplication.fieldFormatterRegistry().fieldFormatter(FORMATTER_ID).id() != FORMATTER_ID
    register_local_time_display()
    assert QgsApplication.fieldFormatterRegistry().fieldFormatter(FORMATTER_ID).id() == FORMATTER_ID


def test_figure_date_is_the_date_in_japan(machine_zone, layer, project):
    from qgis.core import QgsCoordinateReferenceSystem, QgsLayoutItemLabel, QgsRectangle

    from smartcity_qgis.export.figure import FigureSpec, build_figure

    spec = FigureSpec(
        title="殿橋",
        layers=[layer],
        project=project,
        extent=QgsRectangle(137.16, 34.94, 137.18, 34.96),
        extent_crs=QgsCoordinateReferenceSystem("EPSG:4326"),
    )
    layout = build_figure(spec)
    try:
        texts = [item.text() for item in layout.items() if isinstance(item, QgsLayoutItemLabel)]
        today = datetime.now(ZoneInfo("Asia/Tokyo")).date().isoformat()
        assert any(text.endswith(today) for text in texts), texts
    finally:
        project.layoutManager().removeLayout(layout)


def test_river_panel_tells_the_reading_time_in_japan(machine_zone, qgis_iface, project):
    from smartcity_qgis.dialogs.rivers.river_panel import RiverPanel
    from smartcity_qgis.layers.rivers.monitor import StationState

    panel = RiverPanel(qgis_iface, project=project)
    try:
        state = StationState("s1", "殿橋", 1, 1.5, 1, 0.5, "steady", False, OBSERVED)
        age = panel._items(state, OBSERVED)[-1]
        assert age.toolTip().endswith("2025-07-01 16:23 JST")
    finally:
        panel.deleteLater()


def test_the_log_reads_japan_time(machine_zone, qgis_app):
    from qgis.gui import QgsMessageBar

    from smartcity_qgis.dialogs.cityos.offline_notices import ConnectionNotices
    from smartcity_qgis.layers.cityos.connection_status import OFFLINE, ConnectionStatusBoard

    logged: list[str] = []

    def listen(message, tag, _level):
        if tag == "SmartCity":
            logged.append(message)

    log = QgsApplication.messageLog()
    log.messageReceived.connect(listen)
    board = ConnectionStatusBoard()
    notices = ConnectionNotices(QgsMessageBar(), board)
    try:
        board.report("岡崎", OFFLINE, "down")
        since = board.state("岡崎").since
        japan = since.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M")
        assert any(f"{japan} JST" in text for text in logged), logged
    finally:
        notices.detach()
        log.messageReceived.disconnect(listen)
