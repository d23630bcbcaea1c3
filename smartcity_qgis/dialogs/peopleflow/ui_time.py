"""People flow on the Temporal Controller: the map opens on the latest month, one month a step.

Importing MLIT people flow gives the project its months (``layers/peopleflow/style``); here the
map canvas's Temporal Controller follows them, unless the user already drives it.
"""

from __future__ import annotations

import contextlib

from qgis.core import QgsDateTimeRange, QgsInterval, QgsProject, QgsTemporalNavigationObject

from smartcity_qgis.dialogs.plugin_ui import PluginUI
from smartcity_qgis.layers.peopleflow.style import PEOPLE_FLOW_PROPERTY


def has_people_flow(project: QgsProject) -> bool:
    return any(layer.customProperty(PEOPLE_FLOW_PROPERTY, False) for layer in project.mapLayers().values())


def follow_project_months(canvas, project: QgsProject | None = None) -> bool:
    """Point the canvas's Temporal Controller at the project's months, on the latest one; True if done."""
    project = project or QgsProject.instance()
    settings = project.timeSettings()
    extent = settings.temporalRange()
    if not has_people_flow(project) or not extent.begin().isValid() or not extent.end().isValid():
        return False
    controller = canvas.temporalController()
    if isinstance(controller, QgsTemporalNavigationObject):
        if controller.navigationMode() != QgsTemporalNavigationObject.NavigationMode.NavigationOff:
            return False  # the user drives it already
        # QGIS counts frames of 30-day months: end a day into the last month for one frame a month.
        last_month = extent.end().addMonths(-max(1, round(settings.timeStep())))
        controller.setTemporalExtents(QgsDateTimeRange(extent.begin(), last_month.addDays(1)))
        controller.setFrameDuration(QgsInterval(settings.timeStep(), settings.timeStepUnit()))
        controller.setNavigationMode(QgsTemporalNavigationObject.NavigationMode.Animated)
        controller.setCurrentFrameNumber(max(0, controller.totalFrameCount() - 1))
        return True
    # No Temporal Controller panel (scripts): show the latest month on the canvas directly.
    last = extent.end().addMonths(-1)
    canvas.setTemporalRange(QgsDateTimeRange(last, extent.end(), True, False))
    return True


def contribute(ui: PluginUI) -> None:
    canvas = ui.iface.mapCanvas()
    settings = QgsProject.instance().timeSettings()

    def follow() -> None:
        follow_project_months(canvas)

    settings.temporalRangeChanged.connect(follow)

    def stop() -> None:
        with contextlib.suppress(TypeError):
            settings.temporalRangeChanged.disconnect(follow)

    ui.on_unload(stop)
