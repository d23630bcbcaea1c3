"""SmartCity QGIS — QGIS plugin entry point."""

import os
import sys

# The plugin's code lives in the package ``smartcity_qgis`` beside this file, so that
# the same absolute imports (``smartcity_qgis.cityos_client``) work in a notebook, in the
# tests and inside QGIS, whatever folder name QGIS installed the plugin under.
_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.append(_HERE)


def classFactory(iface):
    """Create the plugin for QGIS."""
    from .plugin import SmartCityPlugin

    return SmartCityPlugin(iface)
