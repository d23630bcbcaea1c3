"""Extra steps for the desktop probe: the demo city OS, live river stations, a value that changes.

Executed by desktop_probe.py inside QGIS; fills ``report["live"]`` and saves screenshots.
"""

import os
import sys

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtWidgets import QDockWidget

from smartcity_qgis import PLUGIN_DIR

# The dock driver is test code: it sits beside this file, not in the installed plugin.
sys.path.insert(0, os.path.dirname(os.environ["SMARTCITY_E2E_EXTRA"]))
from dock_driver import add_demo_river_layer_live, wait_until

from smartcity_qgis.layers.cityos.demo_cityos import demo_server
from smartcity_qgis.layers.hazards.files import load_hazard_file

FLOOD = PLUGIN_DIR / "resources" / "demo" / "hazard" / "A31a-20-23_okazaki_synthetic.shp"


def run_extra(finish):
    live = {}
    report["live"] = live  # noqa: F821 (given by desktop_probe)
    try:
        # The synthetic flood zones underneath, as a user adds them from "Add hazard layer…"
        hazard = load_hazard_file(FLOOD)
        live["hazard_layers"] = [lyr.name() for lyr in hazard.layers]
        QgsProject.instance().addMapLayers(hazard.layers)
        demo = add_demo_river_layer_live(iface, interval=1.0, timeout=90)  # noqa: F821
        layer = demo.layer
        for dock in iface.mainWindow().findChildren(QDockWidget):  # noqa: F821
            if dock.objectName() in ("SmartCityRiverDock", "SmartCityCityOSDock"):
                dock.setVisible(True)
        river = iface.mainWindow().findChild(QDockWidget, "SmartCityRiverDock")  # noqa: F821
        if river is not None:
            river.raise_()
        live["layer"] = layer.name()
        live["features"] = layer.featureCount()
        wait_until(lambda: layer.renderer().type() == "RuleRenderer", 30, "the 警戒レベル style")
        live["renderer"] = layer.renderer().type()
        canvas = iface.mapCanvas()  # noqa: F821
        canvas.setExtent(layer.extent().buffered(0.01))
        canvas.refresh()
        wait_until(lambda: not canvas.isDrawing(), 30, "canvas drawing")
        live["canvas_layers"] = [lyr.name() for lyr in canvas.layers()]
        iface.mainWindow().grab().save(os.path.join(artifacts, "live_layer.png"))  # noqa: F821
        feature = next(iter(layer.getFeatures()))
        entity_id, before = feature["entity_id"], feature["waterLevel"]
        fid = feature.id()
        live["before"] = before
        demo_server().update_entity(entity_id, {"waterLevel": round(float(before) + 1.25, 2)}, tenant="okazaki")
        wait_until(lambda: layer.getFeature(fid)["waterLevel"] != before, 60, "the live value change")
        live["after"] = layer.getFeature(fid)["waterLevel"]
        live["same_fid"] = layer.getFeature(fid)["entity_id"] == entity_id
        live["features_after"] = layer.featureCount()
        canvas.refresh()
        wait_until(lambda: not canvas.isDrawing(), 30, "canvas drawing")
        iface.mainWindow().grab().save(os.path.join(artifacts, "live_layer_updated.png"))  # noqa: F821
        demo.updater.stop()
    except Exception as exc:  # the report carries it; the pytest side fails on it
        import traceback

        live["error"] = f"{exc}\n{traceback.format_exc()}"
    QgsApplication.processEvents()
    finish()
