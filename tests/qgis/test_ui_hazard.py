"""The hazard menu entries: adding tiles and hazard files; refusals reach the message bar."""

from __future__ import annotations

from qgis.core import Qgis, QgsProject

from smartcity_qgis.dialogs.ui_hazard import add_hazard_files
from smartcity_qgis.layers.tiles import TILE_KEY_PROPERTY, TILE_SOURCES


def find_action(plugin, name):
    return next((a for a in plugin.ui.actions if a.objectName() == name), None)


def test_tiles_menu_adds_layers_with_credits(plugin_module, qgis_iface, qgis_new_project):
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
