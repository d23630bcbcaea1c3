"""Heatmap looks: QGIS's heatmap renderer for point layers, a hot ramp for density rasters.

Both fade from transparent (nobody) through yellow to deep red (crowds), so the base map
stays readable where there is no one.
"""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsBasicNumericFormat,
    QgsColorRampLegendNodeSettings,
    QgsColorRampShader,
    QgsExpression,
    QgsGradientColorRamp,
    QgsGradientStop,
    QgsHeatmapRenderer,
    QgsMapLayer,
    QgsRasterBandStats,
    QgsRasterLayer,
    QgsRasterShader,
    QgsSingleBandPseudoColorRenderer,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor

from smartcity_qgis.i18n import tr

# position (0-1 of the maximum) -> colour; the first stop is fully transparent
HOT_STOPS: tuple[tuple[float, str], ...] = (
    (0.0, "#00ffffb2"),
    (0.05, "#ffffb2"),
    (0.3, "#fecc5c"),
    (0.55, "#fd8d3c"),
    (0.8, "#f03b20"),
    (1.0, "#bd0026"),
)


def _color(text: str) -> QColor:
    if len(text) == 9:  # #aarrggbb
        color = QColor("#" + text[3:])
        color.setAlpha(int(text[1:3], 16))
        return color
    return QColor(text)


def hot_ramp() -> QgsGradientColorRamp:
    """Transparent → yellow → orange → red."""
    first, last = _color(HOT_STOPS[0][1]), _color(HOT_STOPS[-1][1])
    ramp = QgsGradientColorRamp(first, last)
    ramp.setStops([QgsGradientStop(pos, _color(c)) for pos, c in HOT_STOPS[1:-1]])
    return ramp


def heatmap_renderer(weight_field: str | None = None, radius_m: float = 200.0) -> QgsHeatmapRenderer:
    """A QGIS heatmap renderer weighted by ``weight_field`` (e.g. a people count), radius in metres."""
    renderer = QgsHeatmapRenderer()
    renderer.setColorRamp(hot_ramp())
    renderer.setRadius(radius_m)
    unit_enum = getattr(Qgis, "RenderUnit", None)
    renderer.setRadiusUnit(
        unit_enum.MetersInMapUnits if unit_enum is not None else QgsUnitTypes.RenderUnit.RenderMetersInMapUnits
    )
    renderer.setMaximumValue(0)  # 0 = automatic: follows the data as counts change
    renderer.setRenderQuality(1)
    if weight_field:
        renderer.setWeightExpression(QgsExpression.quotedColumnRef(weight_field))
    return renderer


def apply_heatmap_style(layer: QgsVectorLayer, weight_field: str | None = None, radius_m: float = 200.0) -> None:
    """Draw a point layer as a live heatmap; it follows attribute updates on every repaint."""
    if weight_field and layer.fields().lookupField(weight_field) < 0:
        raise ValueError(f"layer {layer.name()!r} has no field {weight_field!r}")
    layer.setRenderer(heatmap_renderer(weight_field, radius_m))
    layer.triggerRepaint()


def density_unit() -> str:
    """The unit of the density rasters: people per square kilometre."""
    return tr("people/km²")


def density_band_name() -> str:
    """What a density raster's band holds (its description in the GeoTIFF, shown in the legend)."""
    return tr("Population density ({0})").format(density_unit())


def style_density_raster(layer: QgsRasterLayer, maximum: float | None = None) -> None:
    """Pseudocolour with the transparent-to-hot ramp from 0 to the raster's maximum."""
    if layer is None or not layer.isValid():
        return
    if maximum is None:
        stats = layer.dataProvider().bandStatistics(1, QgsRasterBandStats.Stats.Max)
        maximum = stats.maximumValue
    maximum = float(maximum) if maximum and maximum > 0 else 1.0
    unit = density_unit()
    items = [
        QgsColorRampShader.ColorRampItem(pos * maximum, _color(c), f"{pos * maximum:,.0f} {unit}")
        for pos, c in HOT_STOPS
    ]
    ramp_shader = QgsColorRampShader(0.0, maximum)
    ramp_shader.setColorRampType(QgsColorRampShader.Type.Interpolated)
    ramp_shader.setSourceColorRamp(hot_ramp())
    ramp_shader.setColorRampItemList(items)
    # The legend's ramp reads "0 人/km² … 8,786 人/km²", not a bare "8786.224659".
    legend = QgsColorRampLegendNodeSettings()
    legend.setSuffix(f" {unit}")
    number = QgsBasicNumericFormat()
    number.setShowThousandsSeparator(True)
    number.setNumberDecimalPlaces(0)
    legend.setNumericFormat(number)
    ramp_shader.setLegendSettings(legend)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp_shader)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(0.0)
    renderer.setClassificationMax(maximum)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def save_default_density_style(path: str, maximum: float | None = None) -> bool:
    """Save the density style beside a GeoTIFF (``<name>.qml``): opened later, it shows the ramp in 人/km²."""
    layer = QgsRasterLayer(str(path), "density")
    if not layer.isValid():
        return False
    style_density_raster(layer, maximum)
    try:
        _message, ok = layer.saveDefaultStyle(QgsMapLayer.StyleCategory.AllStyleCategories)
    except TypeError:  # QGIS before 3.26
        _message, ok = layer.saveDefaultStyle()
    return bool(ok)
