"""Issue 9.4: text from the city OS is shown as text, never evaluated, in tips, labels and figures.

An entity whose texts hold HTML, JavaScript, a QGIS expression and Qt rich text is loaded; its map
tip (as QGIS renders it), its feature form / identify HTML and an exported figure must show the text
literally, and nothing in it may be evaluated (``[% 6*7+1000 %]`` never becomes ``1042``).
"""

from __future__ import annotations

import subprocess

import pytest
from qgis.core import (
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsProject,
)

from smartcity_qgis.cityos_client import ConnectionConfig
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.export.figure import FigureSpec, build_figure, export_layout
from smartcity_qgis.layers import load_entity_layer
from smartcity_qgis.layers.cityos.map_tips import apply_map_tip, feature_html

EVIL = '<b>bold</b><script>alert("x")</script><img src=x onerror=alert(1)> [% 6*7+1000 %] <qt>rich</qt>'
EVALUATED = "1042"


@pytest.fixture
def evil_layer(qgis_app):
    server = start_server(scenario="okazaki", auto_advance=False)
    try:
        cfg = ConnectionConfig(url=server.url, flavor="ngsi-v2", tenant="okazaki")
        station = sorted(e["id"] for e in _entities(server))[0]
        # Orion refuses such text, NGSI-LD brokers store it: the plugin must show it safely either way.
        server.update_entity(station, {"stationName": EVIL}, tenant="okazaki", strict=False)
        layer = load_entity_layer(cfg, "WaterObserved")
        yield layer, station
    finally:
        server.stop()


def _entities(server):
    import requests

    return requests.get(
        f"{server.url}/v2/entities",
        params={"type": "WaterObserved", "limit": 100},
        headers={"Fiware-Service": "okazaki"},
        timeout=10,
    ).json()


def _feature(layer, entity_id):
    return next(f for f in layer.getFeatures() if f["entity_id"] == entity_id)


def test_map_tip_shows_the_text_and_evaluates_nothing(evil_layer):
    layer, station = evil_layer
    feature = _feature(layer, station)
    assert feature["stationName"] == EVIL, "kept exactly as the city OS sent it"
    apply_map_tip(layer)
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    context.setFeature(feature)
    shown = QgsExpression.replaceExpressionText(layer.mapTipTemplate(), context)
    assert "<script" not in shown and "<img" not in shown and "<b>bold" not in shown
    assert "&lt;script&gt;" in shown
    assert EVALUATED not in shown and "6*7+1000" in shown


def test_identify_html_is_escaped(evil_layer):
    layer, station = evil_layer
    html = feature_html(layer, _feature(layer, station))
    assert "<script" not in html and "<img" not in html and "<qt>" not in html
    assert "&lt;script&gt;" in html and EVALUATED not in html


def test_figure_prints_the_text_literally(evil_layer, tmp_path):
    layer, _station = evil_layer
    project = QgsProject.instance()
    project.addMapLayer(layer)
    try:
        layout = build_figure(FigureSpec(title=EVIL, subtitle="[% 6*7+1000 %]", layers=[layer], project=project))
        pdf = export_layout(layout, tmp_path / "figure.pdf", "pdf", dpi=72)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    finally:
        project.removeMapLayer(layer.id())
    flat = " ".join(text.split())
    assert EVALUATED not in flat
    assert "6*7+1000" in flat and "alert" in flat, flat[:500]
