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


def _log_rows():
    from smartcity_qgis.layers.rivers.alerts import ALERT_LOG_PROPERTY

    for lyr in QgsProject.instance().mapLayers().values():
        if lyr.customProperty(ALERT_LOG_PROPERTY):
            return [(f["station_id"], f["from_level"], f["to_level"]) for f in lyr.getFeatures()]
    return []


def reopen_and_raise(layer, raised_id):
    """Save, close and reopen the project, then raise another station: is the crossing still told?"""
    from smartcity_qgis.dialogs.rivers.river_panel import RIVER_DOCK_OBJECT_NAME

    result = {}
    panel = iface.mainWindow().findChild(QDockWidget, RIVER_DOCK_OBJECT_NAME)  # noqa: F821
    wait_until(lambda: len(_log_rows()) > 0, 60, "the first crossing in the alert log")
    result["before"] = _log_rows()
    path = os.path.join(artifacts, "reopen", "storm.qgs")  # noqa: F821
    os.makedirs(os.path.dirname(path), exist_ok=True)
    project = QgsProject.instance()
    result["saved"] = project.write(path)
    project.clear()
    result["read"] = project.read(path)
    wait_until(lambda: len(panel.station_order()) > 0, 90, "the reopened river layer watched")
    logged = {row[0] for row in result["before"]} | {raised_id}
    other = next(s for s in panel.station_order() if s not in logged)
    state = next(s for _lid, s in panel.states() if s.station_id == other)
    result["other"] = other
    wait_until(lambda: any(u.state == "live" for u in _updaters()), 90, "live mode resumed")
    demo_server().update_entity(other, {"waterLevel": round(float(state.water_level) + 1.5, 2)}, tenant="okazaki")
    wait_until(lambda: any(row[0] == other for row in _log_rows()[len(result["before"]) :]), 90, "the new crossing")
    result["after"] = _log_rows()
    name = next(s.name for _lid, s in panel.states() if s.station_id == other)
    wait_until(lambda: any(name in text for _key, text in panel.announcer.shown()), 30, "the crossing announced")
    result["told"] = [text for _key, text in panel.announcer.shown()]
    result["other_name"] = name
    result["log_file"] = os.path.exists(os.path.join(artifacts, "reopen", "storm_river_alerts.gpkg"))  # noqa: F821
    iface.mainWindow().grab().save(os.path.join(artifacts, "reopened_crossing.png"))  # noqa: F821
    for updater in _updaters():
        updater.stop()
    return result


def offline_and_back(layer):
    """Stop the demo city OS and start it again on the same port: one message each way, an icon meanwhile."""
    from smartcity_qgis.cityos_sim.server import start_server
    from smartcity_qgis.dialogs.cityos import ui_cityos
    from smartcity_qgis.layers.cityos import demo_cityos

    result = {}
    cityos = ui_cityos.current()
    bar = iface.messageBar()  # noqa: F821
    said = []
    cityos.notices.announced.connect(lambda name, back: said.append((name, back)))

    def texts():
        return [item.text() for item in bar.items()]

    old = demo_server()
    port = old.port
    old.stop()
    wait_until(lambda: said, 60, "the city OS reported unreachable")
    wait_until(lambda: all(u.state == "reconnecting" for u in _updaters() if u.is_running()), 60, "every layer offline")
    iface.mainWindow().grab().save(os.path.join(artifacts, "offline.png"))  # noqa: F821
    result["said_down"] = list(said)
    result["bar_down"] = texts()
    result["icon_down"] = cityos.indicators.indicator(layer) is not None
    result["tooltip"] = cityos.indicators.indicator(layer).toolTip() if result["icon_down"] else ""
    result["name_down"] = layer.name()
    demo_cityos._server = start_server(host="127.0.0.1", port=port, scenario="okazaki")
    wait_until(lambda: len(said) >= 2, 90, "the city OS reported back")
    wait_until(lambda: cityos.indicators.indicator(layer) is None, 60, "the offline icon taken away")
    QgsApplication.processEvents()
    iface.mainWindow().grab().save(os.path.join(artifacts, "back_online.png"))  # noqa: F821
    result["said"] = list(said)
    result["bar_back"] = texts()
    result["name_back"] = layer.name()
    return result


def _updaters():
    from smartcity_qgis.dialogs.cityos import ui_cityos

    cityos = ui_cityos.current()
    return list(getattr(cityos.snapshots, "updaters", {}).values()) + list(cityos.live.updaters.values())


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
        report["offline"] = offline_and_back(layer)  # noqa: F821
        report["reopen"] = reopen_and_raise(layer, entity_id)  # noqa: F821
    except Exception as exc:  # the report carries it; the pytest side fails on it
        import traceback

        live["error"] = f"{exc}\n{traceback.format_exc()}"
    QgsApplication.processEvents()
    finish()
