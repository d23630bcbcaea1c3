"""Test driver: the City OS dock used as a user would, for the desktop and dock tests.

``add_demo_river_layer_live(iface)`` opens the City OS dock, expands the demo city OS
connection, adds the river-station layer (WaterObserved) from the dock and switches live
polling on. It keeps the Qt event loop running while it waits, so QGIS stays responsive.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qgis.core import QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QEventLoop

from smartcity_qgis.layers.cityos.connections import DEMO_CONNECTION_NAME
from smartcity_qgis.layers.cityos.live import POLLING

RIVER_TYPE = "WaterObserved"


@dataclass
class LiveDemo:
    """What the drive produced: the dock, the loaded layer and its live updater."""

    dock: Any
    layer: QgsVectorLayer
    updater: Any


def wait_until(condition: Callable[[], bool], timeout: float = 60.0, what: str = "condition") -> None:
    """Process Qt events until ``condition()`` holds; TimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not reached within {timeout:.0f} s")
        QCoreApplication.processEvents(QEventLoop.AllEvents, 50)
        time.sleep(0.01)


def city_os_dock(iface):
    """The City OS dock of the loaded plugin."""
    from smartcity_qgis.dialogs.cityos.cityos_dock import CITYOS_DOCK_OBJECT_NAME, CityOSDock

    dock = iface.mainWindow().findChild(CityOSDock, CITYOS_DOCK_OBJECT_NAME)
    if dock is None:
        raise RuntimeError("the SmartCity plugin is not loaded (no City OS dock)")
    return dock


def add_demo_river_layer_live(
    iface, interval: float = 2.0, timeout: float = 60.0, dock=None, entity_type: str = RIVER_TYPE
) -> LiveDemo:
    """Demo connection → WaterObserved layer from the dock → live polling every ``interval`` s."""
    dock = dock or city_os_dock(iface)
    dock.setUserVisible(True)
    dock.refresh_connections()
    item = dock.tree.connection_item(DEMO_CONNECTION_NAME)
    if item is None:
        raise RuntimeError("the demo city OS connection is not listed")
    listed: list[str] = []
    dock.types_listed.connect(listed.append)
    item.setExpanded(True)  # as a user would: expanding lists the types (in a task)
    if DEMO_CONNECTION_NAME in dock.results:
        listed.append(DEMO_CONNECTION_NAME)
    wait_until(lambda: DEMO_CONNECTION_NAME in listed, timeout, "listing the demo city OS types")
    type_item = dock.tree.type_item(DEMO_CONNECTION_NAME, entity_type)
    if type_item is None:
        raise RuntimeError(f"the demo city OS has no {entity_type} type")
    dock.tree.setCurrentItem(type_item)
    results: list[Any] = []
    failures: list[str] = []
    dock.layers_loaded.connect(results.append)
    dock.load_failed.connect(lambda _t, message: failures.append(message))
    if dock.add_type_layer(DEMO_CONNECTION_NAME, entity_type) is None:
        raise RuntimeError(dock.status_label.text())
    wait_until(lambda: bool(results or failures), timeout, f"loading {entity_type}")
    if failures:
        raise RuntimeError(failures[0])
    layer = results[0].main_layer
    iface.setActiveLayer(layer)
    updater = dock.set_live_mode(layer, POLLING, interval)
    if updater is None:
        raise RuntimeError(dock.status_label.text())
    return LiveDemo(dock, layer, updater)
