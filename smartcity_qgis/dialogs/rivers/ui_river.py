"""River levels in the QGIS interface: the alert panel and its menu entry."""

from __future__ import annotations

from qgis.core import Qgis, QgsProject

from smartcity_qgis.dialogs.plugin_ui import PluginUI
from smartcity_qgis.dialogs.rivers.crisis_dialog import CrisisGaugeDialog, extent_prefectures
from smartcity_qgis.dialogs.rivers.river_panel import RiverPanel
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.rivers.crisis_live import CrisisGaugeProject


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

    gauges = CrisisGaugeProject(QgsProject.instance())

    def add_crisis_gauges() -> None:
        dialog = CrisisGaugeDialog(extent_prefectures(ui.iface), ui.iface.mainWindow())
        if not dialog.exec_():
            return
        try:
            gauges.add_layer(dialog.prefectures(), dialog.url.text().strip(), dialog.interval.value() * 60.0)
        except ValueError as exc:
            ui.iface.messageBar().pushMessage(tr("River levels"), str(exc), Qgis.Warning, 8)
            return
        show_panel()

    menu = ui.menu.addMenu(tr("River levels"))
    menu.setObjectName("SmartCityRiverMenu")
    ui.add_action(tr("River levels"), show_panel, icon_name="river.svg", toolbar=True,
                  object_name="SmartCityShowRiverPanel", menu=menu)  # fmt: skip
    ui.add_action(tr("Crisis-management gauges (川の水位情報)…"), add_crisis_gauges, icon_name="river.svg",
                  object_name="SmartCityCrisisGauges", menu=menu)  # fmt: skip
    ui.on_unload(panel.shutdown)
    ui.on_unload(gauges.detach)
