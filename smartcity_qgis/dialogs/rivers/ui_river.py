"""River levels in the QGIS interface: the alert panel and its menu entry."""

from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsProject, QgsSettings, QgsTask
from qgis.PyQt.QtWidgets import QFileDialog

from smartcity_qgis.dialogs.plugin_ui import PluginUI
from smartcity_qgis.dialogs.rivers.crisis_dialog import CrisisGaugeDialog, extent_prefectures
from smartcity_qgis.dialogs.rivers.replay_figure import peak_figure
from smartcity_qgis.dialogs.rivers.river_panel import RiverPanel
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.rivers.crisis_live import CrisisGaugeProject
from smartcity_qgis.layers.rivers.replay import replay_layers, write_replay

REPLAY_FOLDER_KEY = "smartcity/rivers/replay_folder"
SYNTHETIC_MARKER = "SYNTHETIC.txt"  # a folder of synthetic (demo) files says so with this file
_TASKS: list = []  # QgsTask.fromFunction tasks must stay referenced while they run


def replay_folder(iface, folder: str) -> None:
    """Read a folder of area files in a task, then add the replay layers and the peak figure."""
    from smartcity_qgis.analysis.gauge_replay import load_replay

    def done(exception, replay=None) -> None:
        bar = iface.messageBar()
        if exception is not None or replay is None:
            bar.pushMessage(tr("River levels"), tr("The snapshots cannot be replayed: {0}").format(exception),
                            Qgis.MessageLevel.Warning, 0)  # fmt: skip
            return
        source = Path(folder)
        target = source.parent / f"{source.name}_replay.gpkg"
        try:
            write_replay(replay, target)
            layers = replay_layers(target, source.name, synthetic=(source / SYNTHETIC_MARKER).exists())
        except OSError as exc:
            bar.pushMessage(tr("River levels"), str(exc), Qgis.MessageLevel.Warning, 0)
            return
        QgsProject.instance().addMapLayers(list(layers))
        peak_figure(replay, layers[2])
        bar.pushMessage(
            tr("River levels"),
            tr("{0} readings and {1} crossings replayed into {2}; the Temporal Controller plays the storm.").format(
                len(replay.readings), len(replay.crossings), str(target)
            ),
            Qgis.MessageLevel.Success,
            10,
        )

    task = QgsTask.fromFunction(tr("Replaying gauge snapshots"), lambda _task: load_replay(folder), on_finished=done)
    _TASKS[:] = [t for t in _TASKS if t.status() not in (QgsTask.TaskStatus.Complete, QgsTask.TaskStatus.Terminated)]
    _TASKS.append(task)
    QgsApplication.taskManager().addTask(task)


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
        if not dialog.exec():
            return
        try:
            gauges.add_layer(dialog.prefectures(), dialog.url.text().strip(), dialog.interval.value() * 60.0)
        except ValueError as exc:
            ui.iface.messageBar().pushMessage(tr("River levels"), str(exc), Qgis.MessageLevel.Warning, 8)
            return
        show_panel()

    menu = ui.menu.addMenu(tr("River levels"))
    menu.setObjectName("SmartCityRiverMenu")
    ui.add_action(tr("River levels"), show_panel, icon_name="river.svg", toolbar=True,
                  object_name="SmartCityShowRiverPanel", menu=menu)  # fmt: skip
    ui.add_action(tr("Crisis-management gauges (川の水位情報)…"), add_crisis_gauges, icon_name="river.svg",
                  object_name="SmartCityCrisisGauges", menu=menu)  # fmt: skip

    def replay() -> None:
        settings = QgsSettings()
        folder = QFileDialog.getExistingDirectory(
            ui.iface.mainWindow(), tr("Folder of saved area files (川の水位情報)"),
            settings.value(REPLAY_FOLDER_KEY, str(Path.home()), type=str),
        )  # fmt: skip
        if folder:
            settings.setValue(REPLAY_FOLDER_KEY, folder)
            replay_folder(ui.iface, folder)

    ui.add_action(tr("After-action replay of gauge snapshots…"), replay, icon_name="river.svg",
                  object_name="SmartCityGaugeReplay", menu=menu)  # fmt: skip
    ui.on_unload(panel.shutdown)
    ui.on_unload(gauges.detach)
