"""Styles for people-flow mesh layers: graduated population, month-by-month time steps."""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsClassificationQuantile,
    QgsFillSymbol,
    QgsGradientColorRamp,
    QgsGradientStop,
    QgsGraduatedSymbolRenderer,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerTemporalProperties,
)
from qgis.PyQt.QtGui import QColor

from smartcity_qgis.analysis.peopleflow import CREDIT
from smartcity_qgis.credits import bare_source, set_layer_credit
from smartcity_qgis.i18n import tr

# The licence of MLIT's 全国の人流オープンデータ.
PEOPLE_FLOW_LICENCE = "政府標準利用規約（第2.0版）"
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
    mode_enum = getattr(Qgis, "VectorTemporalMode", None)
    mode = (
        mode_enum.FeatureDateTimeInstantFromField
        if mode_enum is not None
        else QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField
    )
    props.setMode(mode)
    props.setStartField(date_field)
    props.setFixedDuration(1)
    unit_enum = getattr(Qgis, "TemporalUnit", None)
    props.setDurationUnits(unit_enum.Months if unit_enum is not None else QgsUnitTypes.TemporalMonths)
    props.setIsActive(True)


def style_people_flow_layer(layer: QgsVectorLayer) -> None:
    """Graduated population and monthly time steps for an imported people-flow layer."""
    if layer is None or not layer.isValid():
        return
    if layer.fields().lookupField("population") >= 0:
        style_population(layer, "population")
    if layer.fields().lookupField("date") >= 0:
        enable_monthly_time(layer, "date")


def credit_people_flow(layer: QgsVectorLayer, synthetic: bool = False) -> None:
    """Credit an imported people-flow layer to MLIT (with its licence), or as synthetic data in MLIT's format."""
    if layer is None or not layer.isValid():
        return
    if synthetic:
        set_layer_credit(layer, tr("Synthetic data in the format of {0}").format(bare_source(CREDIT)), synthetic=True)
    else:
        set_layer_credit(layer, CREDIT, PEOPLE_FLOW_LICENCE)
