"""QGIS wiring of SmartCity QGIS: menu, toolbar, docks and the Processing provider."""

from __future__ import annotations

from qgis.core import QgsApplication
from qgis.PyQt import sip

from smartcity_qgis.algorithms.provider import SmartCityProvider
from smartcity_qgis.dialogs.plugin_ui import PluginUI
from smartcity_qgis.i18n import install_translator, remove_translator
from smartcity_qgis.optional_packages import add_profile_packages_to_path


class SmartCityPlugin:
    """The object QGIS holds for the plugin (created by ``classFactory``)."""

    def __init__(self, iface) -> None:
        self.iface = iface
        add_profile_packages_to_path()  # optional packages the user let SmartCity install
        self.translator = install_translator()
        self.provider: SmartCityProvider | None = None
        self.ui: PluginUI | None = None

    def initProcessing(self) -> None:
        if self.provider is None:
            provider = SmartCityProvider()
            # QGIS refuses (and deletes) a second provider with the same id, e.g. one a script
            # registered: keep a reference only to a provider the registry took.
            if QgsApplication.processingRegistry().addProvider(provider):
                self.provider = provider

    def initGui(self) -> None:
        self.initProcessing()
        self.ui = PluginUI(self.iface)
        self.ui.build()

    def unload(self) -> None:
        if self.ui is not None:
            self.ui.teardown()
            self.ui = None
        if self.provider is not None:
            if not sip.isdeleted(self.provider):
                QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator(self.translator)
        self.translator = None
