"""Common base for the plugin's Processing algorithms."""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm
from qgis.PyQt.QtGui import QIcon

from smartcity_qgis.algorithms.provider import ICON_PATH


class SmartCityAlgorithm(QgsProcessingAlgorithm):
    """Base class: subclasses set ``NAME``, ``DISPLAY``, ``GROUP``, ``GROUP_ID``, ``HELP``.

    ``DISPLAY``, ``GROUP`` and ``HELP`` are returned through ``tr()`` by the subclass's
    ``displayName`` etc. (pylupdate5 must see the literals, so subclasses implement
    ``displayName()``, ``group()`` and ``shortHelpString()`` themselves).
    """

    NAME = ""
    GROUP_ID = ""

    def name(self) -> str:
        return self.NAME

    def groupId(self) -> str:
        return self.GROUP_ID

    def icon(self) -> QIcon:
        return QIcon(ICON_PATH)

    def createInstance(self):
        return type(self)()
