"""The plugin in a headless QGIS: classFactory, initGui, unload, provider, translation."""

from __future__ import annotations

import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication

from smartcity_qgis.algorithms.provider import PROVIDER_ID, algorithm_classes
from smartcity_qgis.dialogs.plugin_ui import MENU_OBJECT_NAME, TOOLBAR_OBJECT_NAME
from smartcity_qgis.i18n import install_translator, remove_translator, tr


@pytest.fixture(autouse=True)
def _clean_registry(no_provider_registered):
    """Every test here loads the plugin, which registers its own provider."""


def smartcity_menus(iface):
    bar = iface.mainWindow().menuBar()
    return [a for a in bar.actions() if a.menu() and a.menu().objectName() == MENU_OBJECT_NAME]


def providers():
    return [p for p in QgsApplication.processingRegistry().providers() if p.id() == PROVIDER_ID]


def test_class_factory_init_and_unload(plugin_module, qgis_iface):
    plugin = plugin_module.classFactory(qgis_iface)
    plugin.initGui()
    try:
        assert len(smartcity_menus(qgis_iface)) == 1
        assert plugin.ui.toolbar.objectName() == TOOLBAR_OBJECT_NAME
        assert plugin.ui.docks, "the SmartCity dock area is there"
        assert len(providers()) == 1
        provider = providers()[0]
        assert provider.name() == "SmartCity"
        assert not provider.icon().isNull()
        assert len(provider.algorithms()) == len(algorithm_classes())
    finally:
        plugin.unload()
    assert smartcity_menus(qgis_iface) == []
    assert providers() == []
    assert plugin.ui is None


def test_load_unload_three_times_leaves_no_duplicates(plugin_module, qgis_iface):
    for _ in range(3):
        plugin = plugin_module.classFactory(qgis_iface)
        plugin.initGui()
        assert len(smartcity_menus(qgis_iface)) == 1
        assert len(providers()) == 1
        plugin.unload()
    assert smartcity_menus(qgis_iface) == []
    assert providers() == []


def test_algorithms_have_help_and_japanese_names(plugin_module, qgis_iface):
    plugin = plugin_module.classFactory(qgis_iface)
    plugin.initProcessing()
    try:
        for alg in providers()[0].algorithms():
            assert alg.id().startswith("smartcity:")
            assert alg.displayName() and alg.shortHelpString(), alg.id()
    finally:
        plugin.unload()


def test_menu_is_japanese_with_locale_ja(plugin_module, qgis_iface):
    translator = install_translator("ja")
    assert translator is not None, "i18n/smartcity_qgis_ja.qm is missing: run `make qm`"
    try:
        assert tr("SmartCity") == "スマートシティ"
        plugin = plugin_module.classFactory(qgis_iface)
        plugin.initGui()
        try:
            menu = smartcity_menus(qgis_iface)[0].menu()
            assert menu.title() == "スマートシティ"
            texts = [a.text() for a in menu.actions() if a.text()]
            assert texts and all(_has_japanese(t) for t in texts), texts
        finally:
            plugin.unload()
    finally:
        remove_translator(translator)
    assert QCoreApplication.translate("@default", "SmartCity") == "SmartCity"


def _has_japanese(text: str) -> bool:
    return any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text)


def test_a_provider_already_registered_is_left_alone(plugin_module, qgis_iface):
    from smartcity_qgis.algorithms.provider import SmartCityProvider

    registry = QgsApplication.processingRegistry()
    other = SmartCityProvider()
    assert registry.addProvider(other)
    try:
        plugin = plugin_module.classFactory(qgis_iface)
        plugin.initGui()
        assert plugin.provider is None, "QGIS refused a second provider with the same id"
        plugin.unload()  # nothing to remove, nothing deleted twice
        assert providers() == [other], "the provider registered first stays"
    finally:
        registry.removeProvider(other)
