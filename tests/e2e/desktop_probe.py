"""Run inside the QGIS desktop (``qgis --code``): record what the plugin added, exercise it, quit.

Writes the JSON report named by $SMARTCITY_E2E_REPORT and screenshots into $SMARTCITY_E2E_ARTIFACTS.
Nothing here asserts: the pytest side reads the report.
"""

import json
import os
import traceback

import qgis.utils
from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QDockWidget, QToolBar
from qgis.utils import iface

PLUGIN = "SmartCityQGIS"
REPORT = os.environ["SMARTCITY_E2E_REPORT"]
ARTIFACTS = os.environ["SMARTCITY_E2E_ARTIFACTS"]
report = {"errors": [], "steps": {}, "qgis_version": Qgis.QGIS_VERSION}


def on_message(message, tag, level):
    if level >= Qgis.Warning and (tag in ("Python error", "SmartCity") or "smartcity" in message.lower()):
        report["errors"].append({"tag": tag, "level": int(level), "message": message[:2000]})


QgsApplication.messageLog().messageReceived.connect(on_message)
window = iface.mainWindow()


def snapshot():
    bar = window.menuBar()
    menus = [a.menu() for a in bar.actions() if a.menu() and a.menu().objectName() == "SmartCityMenu"]
    provider = QgsApplication.processingRegistry().providerById("smartcity")
    return {
        "loaded": PLUGIN in qgis.utils.plugins,
        "active": PLUGIN in qgis.utils.active_plugins,
        "menus": [m.title() for m in menus],
        "menu_entries": [a.text() for m in menus for a in m.actions() if a.text()],
        "toolbars": len([t for t in window.findChildren(QToolBar) if t.objectName() == "SmartCityToolbar"]),
        "docks": sorted(
            d.objectName() for d in window.findChildren(QDockWidget) if d.objectName().startswith("SmartCity")
        ),
        "providers": len([p for p in QgsApplication.processingRegistry().providers() if p.id() == "smartcity"]),
        "algorithms": sorted(a.id() for a in provider.algorithms()) if provider else [],
    }


def flush_deletions():
    # deleteLater'd widgets go away on the next event-loop turns
    for _ in range(5):
        QgsApplication.processEvents()
        QgsApplication.sendPostedEvents(None, 0)


def run():
    try:
        report["steps"]["startup"] = snapshot()
        window.grab().save(os.path.join(ARTIFACTS, "main_window.png"))
        # show the plugin's panel and menu for a second screenshot
        for dock in window.findChildren(QDockWidget):
            if dock.objectName() == "SmartCityHomeDock":
                dock.setVisible(True)
                dock.raise_()
        flush_deletions()
        window.grab().save(os.path.join(ARTIFACTS, "main_window_panel.png"))
        for i in range(3):
            qgis.utils.unloadPlugin(PLUGIN)
            flush_deletions()
            report["steps"][f"unloaded_{i}"] = snapshot()
            qgis.utils.loadPlugin(PLUGIN)
            qgis.utils.startPlugin(PLUGIN)
            flush_deletions()
            report["steps"][f"reloaded_{i}"] = snapshot()
        for i in range(3):
            qgis.utils.reloadPlugin(PLUGIN)
            flush_deletions()
            report["steps"][f"reload_plugin_{i}"] = snapshot()
        extra = os.environ.get("SMARTCITY_E2E_EXTRA")
        if extra:
            namespace = {"iface": iface, "report": report, "artifacts": ARTIFACTS}
            with open(extra, encoding="utf-8") as fh:
                exec(compile(fh.read(), extra, "exec"), namespace)
            runner = namespace.get("run_extra")
            if runner is not None:
                runner(finish)
                return
    except Exception:
        report["errors"].append({"tag": "probe", "level": 2, "message": traceback.format_exc()})
    finish()


def finish():
    for path in (REPORT, os.path.join(ARTIFACTS, "report.json")):
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(report, fh, ensure_ascii=False, indent=2)
    QgsApplication.exit(0)


QTimer.singleShot(int(os.environ.get("SMARTCITY_E2E_DELAY_MS", "3000")), run)
