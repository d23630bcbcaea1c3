"""Styles for people-flow mesh layers: graduated population, month-by-month time steps."""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsClassificationQuantile,
    QgsDateTimeRange,
    QgsFillSymbol,
    QgsGradientColorRamp,
    QgsGradientStop,
    QgsGraduatedSymbolRenderer,
    QgsProject,
    QgsRuleBasedRenderer,
    QgsSingleSymbolRenderer,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, QTime
from qgis.PyQt.QtGui import QColor

from smartcity_qgis.analysis.peopleflow import CREDIT, DAYFLAG_LABELS, TIMEZONE_LABELS
from smartcity_qgis.credits import bare_source, set_layer_credit
from smartcity_qgis.i18n import tr

# The licence of MLIT's 全国の人流オープンデータ.
PEOPLE_FLOW_LICENCE = "政府標準利用規約（第2.0版）"
FILL_OPACITY = 0.8
POPULATION_COLORS = ("#fff5eb", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603")


def population_ramp() -> QgsGradientColorRamp:
    """Pale to deep orange, the ramp used for people counts."""
    colors = [QColor(c) for c in POPULATION_COLORS]
    ramp = QgsGradientColorRamp(colors[0], colors[-1])
    n = len(colors) - 1
    ramp.setStops([QgsGradientStop(i / n, colors[i]) for i in range(1, n)])
    return ramp


def style_population(layer: QgsVectorLayer, field: str = "population", classes: int = 5) -> None:
    """Graduated fill on ``field`` (quantile classes), thin grey outlines."""
    symbol = QgsFillSymbol.createSimple({"color": "#fd8d3c", "outline_color": "#80808080", "outline_width": "0.1"})
    symbol.setOpacity(FILL_OPACITY)  # translucent: the base map and hazard zones show through
    renderer = QgsGraduatedSymbolRenderer(field)
    renderer.setSourceSymbol(symbol)
    renderer.setSourceColorRamp(population_ramp())
    renderer.setClassificationMethod(QgsClassificationQuantile())
    renderer.updateClasses(layer, classes)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def enable_monthly_time(layer: QgsVectorLayer, date_field: str = "date") -> None:
    """Let the Temporal Controller step the layer month by month on ``date_field``."""
    props = layer.temporalProperties()
    props.setMode(Qgis.VectorTemporalMode.FeatureDateTimeInstantFromField)
    props.setStartField(date_field)
    props.setFixedDuration(1)
    unit_enum = getattr(Qgis, "TemporalUnit", None)
    props.setDurationUnits(unit_enum.Months if unit_enum is not None else QgsUnitTypes.TemporalUnit.TemporalMonths)
    props.setIsActive(True)


# The slice a people-flow layer opens on: 全日 (2), else 平日 (1), else 休日 (0); 終日 (2), else 昼 (0).
DAYFLAG_PREFERENCE = (2, 1, 0)
TIMEZONE_PREFERENCE = (2, 0, 1)
PEOPLE_FLOW_PROPERTY = "smartcity/people_flow"


def _preferred(layer: QgsVectorLayer, field: str, preference: tuple[int, ...]) -> int | None:
    index = layer.fields().lookupField(field)
    if index < 0:
        return None
    present = {int(v) for v in layer.dataProvider().uniqueValues(index) if isinstance(v, int)}
    return next((v for v in preference if v in present), min(present) if present else None)


def one_slice(layer: QgsVectorLayer) -> tuple[str, str]:
    """The day type and time of day a people-flow layer opens on: (filter expression, label such as 全日・終日)."""
    parts, labels = [], []
    for field, preference, names in (
        ("dayflag", DAYFLAG_PREFERENCE, DAYFLAG_LABELS),
        ("timezone", TIMEZONE_PREFERENCE, TIMEZONE_LABELS),
    ):
        value = _preferred(layer, field, preference)
        if value is not None:
            parts.append(f'"{field}" = {value}')
            labels.append(names.get(value, str(value)))
    return " AND ".join(parts), "・".join(labels)


def draw_one_slice(layer: QgsVectorLayer, field: str = "population", classes: int = 5) -> str:
    """Draw one day type and time of day, graduated on ``field``; returns the filter drawn.

    MLIT's file holds, per cell and month, up to nine overlapping rows (休日/平日/全日 × 昼/深夜/終日):
    drawn together they hide each other. Only the drawing is filtered (a rule named after the
    slice, in the legend and the Layer Styling panel): fact sheets and exports still read every
    row. The Temporal Controller steps through the months.
    """
    expression, label = one_slice(layer)
    if not expression:
        style_population(layer, field, classes)
        return ""
    previous = layer.subsetString()
    if not previous:
        layer.setSubsetString(expression)  # classes from the rows drawn
    style_population(layer, field, classes)
    if not previous:
        layer.setSubsetString("")
    rules = QgsRuleBasedRenderer.convertFromRenderer(layer.renderer())
    root = rules.rootRule()
    group = QgsRuleBasedRenderer.Rule(None, 0, 0, expression, label)
    for child in list(root.children()):
        group.appendChild(root.takeChild(child))
    root.appendChild(group)
    layer.setRenderer(rules)
    layer.triggerRepaint()
    return expression


def month_range(layer: QgsVectorLayer, date_field: str = "date") -> QgsDateTimeRange | None:
    """The months a layer covers, as a date-time range from the first month to the end of the last."""
    index = layer.fields().lookupField(date_field)
    if index < 0:
        return None
    first, last = layer.dataProvider().minimumValue(index), layer.dataProvider().maximumValue(index)
    if not hasattr(first, "isValid") or not first.isValid() or not last.isValid():
        return None
    return QgsDateTimeRange(QDateTime(first, QTime(0, 0)), QDateTime(last.addMonths(1), QTime(0, 0)))


def set_project_months(layer: QgsVectorLayer, project: QgsProject | None = None) -> None:
    """Give the project's time settings the layer's months, one month a step (for the Temporal Controller)."""
    project = project or layer.project() or QgsProject.instance()
    extent = month_range(layer)
    if extent is None:
        return
    settings = project.timeSettings()
    unit_enum = getattr(Qgis, "TemporalUnit", None)
    settings.setTimeStepUnit(unit_enum.Months if unit_enum is not None else QgsUnitTypes.TemporalUnit.TemporalMonths)
    settings.setTimeStep(1)
    settings.setTemporalRange(extent)


def style_people_flow_layer(layer: QgsVectorLayer) -> None:
    """Graduated population, one day type and time of day, monthly time steps for an imported layer."""
    if layer is None or not layer.isValid():
        return
    layer.setCustomProperty(PEOPLE_FLOW_PROPERTY, True)
    if layer.fields().lookupField("date") >= 0:
        set_project_months(layer)  # every month of the file, before a slice is chosen
        enable_monthly_time(layer, "date")
    if layer.fields().lookupField("population") >= 0:
        draw_one_slice(layer, "population")


def style_mesh_grid(layer: QgsVectorLayer) -> None:
    """A JIS mesh grid as translucent cells with clear outlines (the map under it stays readable)."""
    if layer is None or not layer.isValid():
        return
    symbol = QgsFillSymbol.createSimple(
        {"color": "31,120,180,30", "outline_color": "31,120,180,200", "outline_width": "0.2"}
    )

    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.triggerRepaint()


def credit_people_flow(layer: QgsVectorLayer, synthetic: bool = False) -> None:
    """Credit an imported people-flow layer to MLIT (with its licence), or as synthetic data in MLIT's format."""
    if layer is None or not layer.isValid():
        return
    if synthetic:
        set_layer_credit(layer, tr("Synthetic data in the format of {0}").format(bare_source(CREDIT)), synthetic=True)
    else:
        set_layer_credit(layer, CREDIT, PEOPLE_FLOW_LICENCE)
