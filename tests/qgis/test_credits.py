"""Credits that are true: sources and licences from the layers' metadata, synthetic data credited as
synthetic (never as the official source whose format it copies), the city OS's data credited to its
connection and provider, one 「出典：」, each source once."""

from __future__ import annotations

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsLayerMetadata,
    QgsLayoutItemLabel,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from smartcity_qgis import PLUGIN_DIR
from smartcity_qgis.cityos_client import ConnectionConfig
from smartcity_qgis.cityos_sim import start_server
from smartcity_qgis.credits import bare_source, credit_lines, credit_text, is_synthetic
from smartcity_qgis.export.figure import FigureSpec, build_figure
from smartcity_qgis.i18n import install_translator, remove_translator
from smartcity_qgis.layers.cityos.entity_loader import load_entity_layer
from smartcity_qgis.layers.hazards.files import load_hazard_file
from smartcity_qgis.layers.hazards.tiles import tile_layer
from tests.qgis.test_peopleflow_algorithms import CSV

SYNTHETIC_FLOOD = PLUGIN_DIR / "resources" / "demo" / "hazard" / "A31a-20-23_okazaki_synthetic.shp"


@pytest.fixture
def japanese(qgis_app):
    translator = install_translator("ja")
    assert translator is not None, "make qm compiles the Japanese translation"
    yield
    remove_translator(translator)


def memory_layer(name: str, rights: list[str], licences: list[str] | None = None) -> QgsVectorLayer:
    layer = QgsVectorLayer("Point?crs=EPSG:4326", name, "memory")
    metadata = QgsLayerMetadata()
    metadata.setRights(rights)
    metadata.setLicenses(licences or [])
    layer.setMetadata(metadata)
    return layer


def test_no_doubled_prefix_and_each_source_once(japanese):
    assert bare_source("出典：出典：地理院タイル") == "地理院タイル"
    assert bare_source("Source: 国土数値情報") == "国土数値情報"
    layers = [
        tile_layer("std"),
        tile_layer("pale"),  # the same credit as 標準地図
        tile_layer("01_flood_l2_shinsuishin_data"),
        memory_layer("既に出典付き", ["出典：出典：地理院タイル（国土地理院）"]),
    ]
    text = credit_text(layers)
    assert text.startswith("出典：") and text.count("出典") == 1, text
    assert text.count("地理院タイル（国土地理院）") == 1 and "ハザードマップポータルサイト" in text
    assert credit_lines(layers) == ["地理院タイル（国土地理院）", "ハザードマップポータルサイト"]


def test_licences_from_the_metadata_are_printed(japanese):
    layer = memory_layer("人流", ["出典：「全国の人流オープンデータ」（国土交通省）"], ["政府標準利用規約（第2.0版）"])
    [line] = credit_lines([layer])
    assert "「全国の人流オープンデータ」（国土交通省）" in line and "政府標準利用規約（第2.0版）" in line


def test_synthetic_flood_zones_are_never_credited_to_kokudo_suuchi(qgis_app):
    layer = load_hazard_file(SYNTHETIC_FLOOD).layers[0]
    assert is_synthetic(layer)
    assert not any("国土数値情報（洪水浸水想定区域データ）" in r for r in layer.metadata().rights())
    lines = credit_lines([layer])
    assert lines and all("合成" in line for line in lines), lines
    assert not any("国土交通省" in line for line in lines)


def test_a_synthetic_flag_drops_official_looking_credits(japanese):
    copy = memory_layer("人流（合成）", ["出典：「全国の人流オープンデータ」（国土交通省）"])
    copy.setCustomProperty("smartcity/synthetic", True)
    real = tile_layer("pale")
    lines = credit_lines([copy, real])
    assert lines == [
        QCoreApplication.translate("@default", "Synthetic demo data (not real observations)"),
        "地理院タイル（国土地理院）",
    ]


def test_city_os_data_credits_the_connection_and_says_synthetic(qgis_app):
    server = start_server(scenario="okazaki", auto_advance=False)
    try:
        cfg = ConnectionConfig(url=server.url, flavor="ngsi-v2", tenant="okazaki")
        layer = load_entity_layer(cfg, "WaterObserved", connection_name="デモ都市OS（試験）")
    finally:
        server.stop()
    [line] = credit_lines([layer])
    assert "デモ都市OS（試験）" in line and "synthetic" in line.lower(), line
    assert is_synthetic(layer)


def test_imported_people_flow_is_credited_to_mlit_with_its_licence(
    processing, qgis_new_project, tmp_path, real_layer_tree_view
):
    source = tmp_path / "monthly_mdp_mesh1km.csv"
    source.write_text(CSV, encoding="utf-8")
    result = processing.runAndLoadResults("smartcity:importpeopleflow", {"INPUT": [str(source)], "OUTPUT": "memory:"})
    layer = QgsProject.instance().mapLayer(result["OUTPUT"])
    assert not is_synthetic(layer)
    [line] = credit_lines([layer])
    assert "全国の人流オープンデータ" in line and "政府標準利用規約" in line
    synthetic = tmp_path / "okazaki_synthetic_mdp_mesh1km.csv"
    synthetic.write_text(CSV, encoding="utf-8")
    result = processing.runAndLoadResults(
        "smartcity:importpeopleflow", {"INPUT": [str(synthetic)], "OUTPUT": "memory:"}
    )
    copy = QgsProject.instance().mapLayer(result["OUTPUT"])
    assert is_synthetic(copy)
    assert "政府標準利用規約" not in " ".join(credit_lines([copy]))


def test_a_figure_prints_one_credit_line_each_source_once(japanese, qgis_app):
    project = QgsProject.instance()
    flood = load_hazard_file(SYNTHETIC_FLOOD).layers[0]
    layers = [flood, tile_layer("pale"), tile_layer("std")]
    project.addMapLayers(layers)
    try:
        spec = FigureSpec(
            title="岡崎市 浸水想定",
            layers=layers,
            project=project,
            extent=QgsRectangle(137.14, 34.93, 137.20, 34.97),
            extent_crs=QgsCoordinateReferenceSystem("EPSG:4326"),
        )
        layout = build_figure(spec)
        labels = [item.text() for item in layout.items() if isinstance(item, QgsLayoutItemLabel)]
        [sources] = [text for text in labels if text.startswith("出典")]
        assert "出典：出典" not in sources and sources.count("地理院タイル") == 1
        assert "合成" in sources and "国土数値情報（洪水浸水想定区域データ）" not in sources
        project.layoutManager().removeLayout(layout)
    finally:
        project.removeAllMapLayers()
