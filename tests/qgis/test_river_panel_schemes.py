"""One panel for every gauge: 警戒レベル stations, station-table gauges and crisis gauges, and rate of rise."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QDateTime, Qt
from qgis.PyQt.QtGui import QColor

from smartcity_qgis.analysis.river_gauges import read_area_json
from smartcity_qgis.dialogs.rivers.river_panel import RiverPanel
from smartcity_qgis.dialogs.rivers.ui_river_style import style_river_layer
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.rivers.crisis_layer import apply_gauges, create_crisis_layer
from smartcity_qgis.layers.rivers.schemes import CRISIS_COLOURS
from smartcity_qgis.layers.rivers.style import LEVEL_COLOURS
from tests.qgis.entity_layer_helpers import spin

NOW = datetime.now(UTC).replace(microsecond=0)


def qtime(when: datetime) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(int(when.timestamp() * 1000), Qt.UTC)


def point_layer(name: str, fields: str, rows: list[list]) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"Point?crs=EPSG:4326&{fields}", name, "memory")
    features = []
    for i, values in enumerate(rows):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(137.15 + i * 0.01, 34.95)))
        feature.setAttributes(values)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def chip(panel: RiverPanel, row: int) -> QColor:
    return panel.table.item(row, 0).icon().pixmap(16, 16).toImage().pixelColor(8, 8)


@pytest.fixture
def panel(qgis_iface):
    project = QgsProject.instance()
    project.clear()
    panel = RiverPanel(qgis_iface, project=project)
    yield panel
    panel.shutdown()
    project.clear()
    panel.deleteLater()


def test_every_kind_of_gauge_in_one_list_each_in_its_own_scheme(panel, qgis_iface, tmp_path):
    project = panel.project
    # City-OS-like stations carrying their four reference levels.
    four = "field=entity_id:string&field=stationName:string&field=waterLevel:double&field=dateObserved:datetime"
    four += "&field=standbyLevel:double&field=cautionLevel:double&field=evacuationLevel:double&field=dangerLevel:double"
    cityos = point_layer("stations", four, [["S1", "殿橋", 3.5, qtime(NOW), 2.0, 2.8, 3.4, 4.0]])
    # Gauges whose levels come from a station table (Shift_JIS, Japanese headers).
    table = tmp_path / "stations.csv"
    table.write_bytes("観測所コード,観測所名,水防団待機水位,氾濫注意水位,避難判断水位,氾濫危険水位\n"
                      "T1,表橋,1.0,2.0,3.0,4.0\n".encode("cp932"))  # fmt: skip
    plain = "field=entity_id:string&field=stationName:string&field=waterLevel:double&field=dateObserved:datetime"
    tabled = point_layer("table gauges", plain, [["T1", "表橋", 2.2, qtime(NOW)]])
    assert style_river_layer(tabled, qgis_iface, str(table))
    # Crisis-management gauges (three thresholds).
    crisis = create_crisis_layer({"prefectures": ["23000"], "url": "", "interval": 600.0})
    when = NOW.astimezone().isoformat()
    apply_gauges(crisis, read_area_json({"obss": [
        {"code": "2300000101", "name": "合成橋", "obsTime": when, "level": 1.7, "startLevel": 0.3,
         "warnLevel": None, "fladLevel": 1.6, "lat": 34.96, "lon": 137.2, "prefCode": "23000"},
        {"code": "2300000102", "name": "観測橋", "obsTime": when, "level": 0.5, "startLevel": 0.3,
         "warnLevel": 1.0, "fladLevel": 1.6, "lat": 34.97, "lon": 137.2, "prefCode": "23000"},
    ]}), ["23000"])  # fmt: skip
    project.addMapLayers([cityos, tabled, crisis])
    spin(0.6)
    assert set(panel.monitors) == {cityos.id(), tabled.id(), crisis.id()}
    assert panel.station_order() == ["2300000101", "S1", "T1", "2300000102"], (
        "flooding (as level 5) first, then level 3, level 2, and an observing gauge (as level 1)"
    )
    table_widget = panel.table
    assert table_widget.item(0, 0).text() == tr("flooding level reached")
    assert chip(panel, 0) == QColor(CRISIS_COLOURS[3])
    assert table_widget.item(1, 0).text() == "3" and chip(panel, 1) == QColor(LEVEL_COLOURS[3])
    assert table_widget.item(2, 0).text() == "2", "the station table's levels apply"
    assert table_widget.item(3, 0).text() == tr("observing")
    assert table_widget.item(3, 5).text() == tr("{0} m").format("0.50"), "margin to 危険水位"

    # Each scheme's own thresholds go to the chart.
    lines = panel.monitors[crisis.id()].chart_lines("2300000101")
    assert [value for _label, value, _colour in lines] == [0.3, 1.6], "no line for an unpublished 危険水位"
    assert [value for _l, value, _c in panel.monitors[tabled.id()].chart_lines("T1")] == [1.0, 2.0, 3.0, 4.0]

    # The chart of a crisis gauge: its readings, its published thresholds and the bands above them.
    from smartcity_qgis.dialogs.cityos.chart_dock import ChartDock

    chart = ChartDock(qgis_iface)
    panel.chart = chart
    try:
        panel.open_station(crisis.id(), "2300000101")
        assert chart.series == {"2300000101": [(NOW, 1.7)]}
        assert [v for _l, v, _c in chart.thresholds] == [0.3, 1.6]
        assert [(low, colour) for low, _high, colour in chart.bands] == [(0.3, "#BDBDBD"), (1.6, "#0C000C")]
        axes = chart.figure.axes[0]
        dashed = sorted(line.get_ydata()[0] for line in axes.get_lines() if line.get_linestyle() == "--")
        assert dashed == [0.3, 1.6]
        shaded = [p for p in axes.patches if p.get_alpha() == pytest.approx(0.15)]
        assert len(shaded) >= 1 and axes.get_ylim()[1] < 100, "bands never stretch the axis"
        panel.open_station(tabled.id(), "T1")
        assert [colour for _l, _h, colour in chart.bands] == ["#BDBDBD", "#F2E700", "#FF2800", "#AA00AA"]
    finally:
        panel.chart = None
        chart.deleteLater()


def test_a_fast_rise_is_announced_once_when_asked_for(panel, qgis_iface, tmp_path):
    plain = "field=entity_id:string&field=stationName:string&field=waterLevel:double&field=dateObserved:datetime"
    plain += (
        "&field=standbyLevel:double&field=cautionLevel:double&field=evacuationLevel:double&field=dangerLevel:double"
    )
    start = NOW - timedelta(minutes=60)
    layer = point_layer("gauges", plain, [["R1", "早瀬橋", 1.0, qtime(start), 2.0, 2.8, 3.4, 4.0]])
    panel.project.addMapLayer(layer)
    panel.set_rate_alert(0.3, timedelta(minutes=60))
    spin(0.6)
    index = {name: layer.fields().lookupField(name) for name in ("waterLevel", "dateObserved")}
    fid = next(layer.getFeatures()).id()
    for minutes, level in ((20, 1.05), (40, 1.15), (60, 1.45)):  # 0.45 m in an hour
        layer.dataProvider().changeAttributeValues(
            {fid: {index["waterLevel"]: level, index["dateObserved"]: qtime(start + timedelta(minutes=minutes))}}
        )
        layer.triggerRepaint()
        spin(0.6)
    told = [text for _key, text in panel.announcer.shown()]
    assert told == [html.escape(tr("Station {0} is rising {1} m per hour.").format("早瀬橋", "0.45"))]
    assert panel.table.item(0, 3).text() == "+0.45"
    layer.dataProvider().changeAttributeValues(
        {fid: {index["waterLevel"]: 1.5, index["dateObserved"]: qtime(start + timedelta(minutes=70))}}
    )
    layer.triggerRepaint()
    spin(0.6)
    assert len(panel.announcer.shown()) == 1, "said once while the river keeps rising"

    path = tmp_path / "rate.qgs"
    assert panel.project.write(str(path))
    panel.set_rate_alert(None)
    panel.project.read(str(path))
    spin(0.6)
    assert panel.rate_alert == pytest.approx(0.3) and panel.rate_window == timedelta(minutes=60)
