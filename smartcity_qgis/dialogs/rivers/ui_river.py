"""River levels in the QGIS interface: the alert panel and its menu entry."""

from __future__ import annotations

from smartcity_qgis.dialogs.plugin_ui import PluginUI
from smartcity_qgis.dialogs.rivers.river_panel import RiverPanel
from smartcity_qgis.i18n import tr


def contribute(ui: PluginUI) -> None:
    from smartcity_qgis.dialogs.cityos import ui_cityos

    cityos = ui_cityos.current()
    chart = cityos.chart if cityos is not None else None
    live = cityos.live if cityos is not None else None
    if chart is None:
        from smartcity_qgis.dialogs.cityos.chart_dock import ChartDock

        chart = ChartDock(ui.iface, parent=ui.iface.mainWindow())
        ui.add_dock(chart)
    panel = RiverPanel(ui.iface, chart=chart, live=live, parent=ui.iface.mainWindow())
    ui.add_dock(panel)

    def show_panel() -> None:
        panel.setUserVisible(True)
        panel.raise_()

    ui.add_action(tr("River levels"), show_panel, icon_name="river.svg", toolbar=True,
                  object_name="SmartCityShowRiverPanel")  # fmt: skip
    ui.on_unload(panel.shutdown)
