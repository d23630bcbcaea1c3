"""The hazard menu entries: adding tiles and hazard files; refusals reach the message bar."""

from __future__ import annotations

from qgis.core import Qgis, QgsProject

from smartcity_qgis.dialogs.hazards.ui_hazard import add_hazard_files
from smartcity_qgis.layers.hazards.tiles import TILE_KEY_PROPERTY, TILE_SOURCES


def find_action(plugin, name):
    return next((a for a in plugin.ui.actions if a.objectName() == name), None)


def test_tiles_menu_adds_layers_with_credits(plugin_module, qgis_iface, qgis_new_project, no_provider_registered):
    plugin = plugin_module.classFactory(qgis_iface)
    plugin.initGui()
    try:
        assert find_action(plugin, "SmartCityAddHazardLayer") is not None
        for key in ("01_flood_l2_shinsuishin_data", "pale"):
            action = find_action(plugin, f"SmartCityTiles_{key}")
            assert action is not None, key
            action.trigger()
        layers = {
            layer.customProperty(TILE_KEY_PROPERTY): layer for layer in QgsProject.instance().mapLayers().values()
        }
        assert set(layers) >= {"01_flood_l2_shinsuishin_data", "pale"}
        assert layers["pale"].metadata().rights() == [TILE_SOURCES["pale"].credit]
        order = [
            node.layer().customProperty(TILE_KEY_PROPERTY)
            for node in QgsProject.instance().layerTreeRoot().findLayers()
        ]
        assert order[-1] == "pale", "base maps go below everything else"
    finally:
        plugin.unload()


def test_wrong_file_goes_to_the_message_bar(qgis_iface, qgis_new_project, tmp_path):
    bad = tmp_path / "A31a.zip"
    bad.write_bytes(b"not a zip at all")
    qgis_iface.messageBar().clear_messages()
    assert add_hazard_files([str(bad)], qgis_iface) == 0
    warnings = qgis_iface.messageBar().get_messages(Qgis.Warning)
    assert len(warnings) == 1 and "A31a.zip" in warnings[0]
    assert QgsProject.instance().count() == 0


def _stations(fields, rows):
    from qgis.core import QgsFeature, QgsField, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer("Point?crs=EPSG:4326", "stations", "memory")
    layer.dataProvider().addAttributes([QgsField(name, kind) for name, kind in fields])
    layer.updateFields()
    for i, values in enumerate(rows):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(137.1 + i / 100, 34.95)))
        feature.setAttributes(values)
        layer.dataProvider().addFeatures([feature])
    return layer


def test_river_style_action_with_levels_on_the_layer_or_from_a_table(qgis_iface, tmp_path):
    from qgis.PyQt.QtCore import QVariant

    from smartcity_qgis.dialogs.rivers.ui_river_style import has_threshold_fields, style_river_layer

    double = QVariant.Double
    full = _stations(
        [("stationName", QVariant.String), ("waterLevel", double), ("standbyLevel", double),
         ("cautionLevel", double), ("evacuationLevel", double), ("dangerLevel", double)],
        [["殿橋", 3.5, 2.0, 2.8, 3.4, 4.0], ["壊れた", 1.0, 2.0, None, 3.4, 4.0]],
    )  # fmt: skip
    assert has_threshold_fields(full)
    bar = qgis_iface.messageBar()
    bar.clear_messages()
    assert style_river_layer(full, qgis_iface)
    assert {f["stationName"]: f["alert_level"] for f in full.getFeatures()}["殿橋"] == 3
    assert any("壊れた" in m for m in bar.get_messages(Qgis.Warning))

    bare = _stations([("stationName", QVariant.String), ("waterLevel", double)], [["殿橋", 2.9]])
    assert not has_threshold_fields(bare)
    table = tmp_path / "kijun.csv"
    table.write_bytes(
        "観測所名,水防団待機水位,氾濫注意水位,避難判断水位,氾濫危険水位\n殿橋,2.0,2.8,3.4,4.0\n".encode("cp932")
    )
    bar.clear_messages()
    assert style_river_layer(bare, qgis_iface, str(table))
    assert next(bare.getFeatures())["alert_level"] == 2
    assert bar.get_messages(Qgis.Success)

    broken = tmp_path / "broken.csv"
    broken.write_text("a,b\n1,2\n")
    bar.clear_messages()
    assert not style_river_layer(bare, qgis_iface, str(broken))
    assert any("missing column" in m for m in bar.get_messages(Qgis.Warning))
    bar.clear_messages()
    assert not style_river_layer(None, qgis_iface)
    assert bar.get_messages(Qgis.Warning)
