"""Hazard and GSI tile layers: sources, zoom ranges and credits, without fetching a tile."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from qgis.core import QgsDataSourceUri

from smartcity_qgis.layers.hazards.tiles import GSI_CREDIT, HAZARD_CREDIT, TILE_SOURCES, layer_credits, tile_layer


def params(layer):
    uri = QgsDataSourceUri()
    uri.setEncodedUri(layer.source())
    return {key: uri.param(key) for key in ("type", "url", "zmin", "zmax")}


@pytest.mark.parametrize("key", sorted(TILE_SOURCES))
def test_every_tile_layer_has_source_zoom_and_credit(qgis_app, key):
    layer = tile_layer(key)
    assert layer.isValid()
    assert layer.providerType() == "wms"
    p = params(layer)
    source = TILE_SOURCES[key]
    assert p["type"] == "xyz"
    assert unquote(p["url"]) == source.url
    assert (int(p["zmin"]), int(p["zmax"])) == (source.zmin, source.zmax)
    assert "{z}/{x}/{y}" in source.url
    assert layer.metadata().rights() == [source.credit]
    assert layer.name() and layer.metadata().title() == layer.name()


def test_hazard_and_gsi_urls_and_ranges():
    flood = TILE_SOURCES["01_flood_l2_shinsuishin_data"]
    assert flood.url == "https://disaportaldata.gsi.go.jp/raster/01_flood_l2_shinsuishin_data/{z}/{x}/{y}.png"
    assert (flood.zmin, flood.zmax, flood.credit) == (2, 17, HAZARD_CREDIT)
    assert TILE_SOURCES["pale"].url == "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png"
    assert (TILE_SOURCES["pale"].zmin, TILE_SOURCES["pale"].zmax) == (5, 18)
    assert TILE_SOURCES["seamlessphoto"].url.endswith("/seamlessphoto/{z}/{x}/{y}.jpg")
    hazards = {k for k, s in TILE_SOURCES.items() if s.hazard}
    assert {
        "01_flood_l1_shinsuishin_newlegend_data",
        "01_flood_l2_keizoku_data",
        "03_hightide_l2_shinsuishin_data",
        "04_tsunami_newlegend_data",
        "05_dosekiryukeikaikuiki",
        "05_kyukeishakeikaikuiki",
        "05_jisuberikeikaikuiki",
    } <= hazards
    assert {s.credit for k, s in TILE_SOURCES.items() if not s.hazard} == {GSI_CREDIT}


def test_credits_for_a_figure(qgis_app):
    layers = [tile_layer("01_flood_l2_shinsuishin_data"), tile_layer("pale"), tile_layer("std")]
    assert layer_credits(layers) == [HAZARD_CREDIT, GSI_CREDIT]


def test_unknown_tile_set_is_refused():
    with pytest.raises(KeyError):
        tile_layer("nope")
