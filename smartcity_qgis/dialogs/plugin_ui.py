"""What the plugin adds to the QGIS interface, and how it takes it all away again."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from qgis.core import Qgis, QgsMessageLog
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QMenu, QToolBar

from smartcity_qgis import PLUGIN_DIR
from smartcity_qgis.i18n import tr

MENU_OBJECT_NAME = "SmartCityMenu"
TOOLBAR_OBJECT_NAME = "SmartCityToolbar"
ICON_DIR = PLUGIN_DIR / "resources" / "icons"


def vector_layer_type():
    """The vector layer type for layer actions (``Qgis.LayerType`` from QGIS 3.30, ``QgsMapLayerType`` before)."""
    layer_type = getattr(Qgis, "LayerType", None)
    if layer_type is not None:
        return layer_type.Vector
    from qgis.core import QgsMapLayerType

    return QgsMapLayerType.VectorLayer


def icon(name: str = "smartcity.svg") -> QIcon:
    """An icon from ``resources/icons`` (the plugin icon by default)."""
    return QIcon(str(ICON_DIR / name))


class PluginUI:
    """Menu, toolbar and docks of the plugin; everything added here is removed by ``unload``."""

    def __init__(self, iface) -> None:
        self.iface = iface
        self.menu: QMenu | None = None
        self.toolbar: QToolBar | None = None
        self.docks: list[QgsDockWidget] = []
        self.actions: list[QAction] = []
        self._layer_actions: list[QAction] = []
        self._cleanups: list[Callable[[], None]] = []
        self.panel_menu: QMenu | None = None

    # -- building -------------------------------------------------------------------
    def build(self) -> None:
        window = self.iface.mainWindow()
        self.menu = QMenu(tr("SmartCity"), window)
        self.menu.setObjectName(MENU_OBJECT_NAME)
        menubar = window.menuBar()
        # Put the menu before "Help", as QGIS's own plugins with top-level menus do.
        help_action = next(
            (a for a in menubar.actions() if a.menu() and a.menu().objectName() == "mHelpMenu"),
            None,
        )
        if help_action is not None:
            menubar.insertMenu(help_action, self.menu)
        else:
            menubar.addMenu(self.menu)
        self.toolbar = self.iface.addToolBar(tr("SmartCity"))
        self.toolbar.setObjectName(TOOLBAR_OBJECT_NAME)
        self.panel_menu = self.menu.addMenu(tr("Panels"))
        self.panel_menu.setObjectName("SmartCityPanelsMenu")
        self._contribute_all()

    def _contribute_all(self) -> None:
        from smartcity_qgis import dialogs

        # ui_* modules live in the domain folders (dialogs/cityos, dialogs/rivers ...); they
        # contribute in the order of their own names, whatever folder they are in.
        found = [
            info
            for info in pkgutil.walk_packages(dialogs.__path__, "smartcity_qgis.dialogs.")
            if info.name.rsplit(".", 1)[-1].startswith("ui_")
        ]
        for info in sorted(found, key=lambda i: i.name.rsplit(".", 1)[-1]):
            try:
                module = importlib.import_module(info.name)
                contribute = getattr(module, "contribute", None)
                if contribute is not None:
                    contribute(self)
            except Exception as exc:  # one broken panel must not take the plugin down
                QgsMessageLog.logMessage(
                    tr("Could not set up {0}: {1}").format(info.name, exc),
                    "SmartCity",
                    Qgis.MessageLevel.Critical,
                )

    # -- API for ui_* modules -----------------------------------------------------------
    def add_action(
        self,
        text: str,
        callback: Callable[[], None],
        icon_name: str | None = None,
        toolbar: bool = False,
        object_name: str | None = None,
        menu: QMenu | None = None,
    ) -> QAction:
        """A menu entry (and optionally a toolbar button) calling ``callback``."""
        action = QAction(icon(icon_name) if icon_name else icon(), text, self.iface.mainWindow())
        if object_name:
            action.setObjectName(object_name)
        action.triggered.connect(lambda _checked=False: callback())
        (menu or self.menu).addAction(action)
        if toolbar and self.toolbar is not None:
            self.toolbar.addAction(action)
        self.actions.append(action)
        return action

    def add_dock(self, dock: QgsDockWidget, area=Qt.DockWidgetArea.RightDockWidgetArea, show: bool = False) -> None:
        """Add a panel on the right, tabbed with the other SmartCity panels."""
        if not dock.objectName():
            raise ValueError("a dock needs an objectName so that QGIS can restore its place")
        self.iface.addDockWidget(area, dock)
        window = self.iface.mainWindow()
        placed = [d for d in self.docks if window.dockWidgetArea(d) == area]
        if placed and window.dockWidgetArea(dock) == area:
            window.tabifyDockWidget(placed[0], dock)
        dock.setVisible(show)
        toggle = dock.toggleViewAction()
        toggle.setIcon(dock.windowIcon() if not dock.windowIcon().isNull() else icon())
        self.panel_menu.addAction(toggle)
        self.docks.append(dock)

    def add_layer_action(self, action: QAction, layer_type, all_layers: bool = False) -> None:
        """An action in the layer tree's context menu for layers of ``layer_type``."""
        self.iface.addCustomActionForLayerType(action, tr("SmartCity"), layer_type, all_layers)
        self._layer_actions.append(action)

    def on_unload(self, cleanup: Callable[[], None]) -> None:
        """Call ``cleanup`` when the plugin unloads (stop timers, servers, tasks)."""
        self._cleanups.append(cleanup)

    # -- taking it away ---------------------------------------------------------------------
    def teardown(self) -> None:
        for cleanup in reversed(self._cleanups):
            try:
                cleanup()
            except Exception as exc:
                QgsMessageLog.logMessage(str(exc), "SmartCity", Qgis.MessageLevel.Warning)
        self._cleanups.clear()
        for action in self._layer_actions:
            self.iface.removeCustomActionForLayerType(action)
        self._layer_actions.clear()
        for dock in self.docks:
            self.iface.removeDockWidget(dock)
            dock.setParent(None)
            dock.deleteLater()
        self.docks.clear()
        for action in self.actions:
            if self.toolbar is not None:
                self.toolbar.removeAction(action)
            action.deleteLater()
        self.actions.clear()
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.setParent(None)
            self.toolbar.deleteLater()
            self.toolbar = None
        if self.menu is not None:
            self.iface.mainWindow().menuBar().removeAction(self.menu.menuAction())
            self.menu.setParent(None)
            self.menu.deleteLater()
            self.menu = None
