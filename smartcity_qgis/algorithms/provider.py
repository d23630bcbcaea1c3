"""The "SmartCity" Processing provider."""

from __future__ import annotations

import importlib
import pkgutil

from qgis.core import QgsMessageLog, QgsProcessingAlgorithm, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from smartcity_qgis import PLUGIN_DIR
from smartcity_qgis.i18n import tr

PROVIDER_ID = "smartcity"
ICON_PATH = str(PLUGIN_DIR / "resources" / "icons" / "smartcity.svg")


def algorithm_classes() -> list[type[QgsProcessingAlgorithm]]:
    """Every algorithm class exported by an ``alg_*`` module of this package."""
    from smartcity_qgis import algorithms

    classes: list[type[QgsProcessingAlgorithm]] = []
    for info in sorted(pkgutil.iter_modules(algorithms.__path__), key=lambda i: i.name):
        if not info.name.startswith("alg_"):
            continue
        try:
            module = importlib.import_module(f"smartcity_qgis.algorithms.{info.name}")
        except Exception as exc:  # one broken module must not hide the others
            QgsMessageLog.logMessage(
                tr("Could not load algorithms from {0}: {1}").format(info.name, exc),
                "SmartCity",
            )
            continue
        classes.extend(getattr(module, "ALGORITHMS", []))
    return classes


class SmartCityProvider(QgsProcessingProvider):
    """Processing provider with id ``smartcity``."""

    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return "SmartCity"

    def longName(self) -> str:
        return tr("SmartCity QGIS — city OS, people flow, hazards and planning")

    def icon(self) -> QIcon:
        return QIcon(ICON_PATH)

    def svgIconPath(self) -> str:
        return ICON_PATH

    def loadAlgorithms(self) -> None:
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
