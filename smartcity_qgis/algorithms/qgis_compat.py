"""Processing enums that moved between QGIS 3.22 (QgsProcessing.*) and 3.36+ (Qgis.*)."""

from __future__ import annotations

from typing import ClassVar

from qgis.core import (
    Qgis,
    QgsProcessing,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
)

from smartcity_qgis.layer_order import place_by_kind, placing_enabled


def source_type(name: str):
    """``VectorPoint``, ``VectorPolygon``, ``File``... as the running QGIS spells it."""
    enum = getattr(Qgis, "ProcessingSourceType", None)
    return getattr(enum, name) if enum is not None else getattr(QgsProcessing, "Type" + name)


def field_type(name: str):
    """``Numeric``, ``String``... for QgsProcessingParameterField."""
    enum = getattr(Qgis, "ProcessingFieldParameterDataType", None)
    return getattr(enum, name) if enum is not None else getattr(QgsProcessingParameterField, name)


def number_type(name: str):
    """``Integer`` or ``Double`` for QgsProcessingParameterNumber."""
    enum = getattr(Qgis, "ProcessingNumberParameterType", None)
    return getattr(enum, name) if enum is not None else getattr(QgsProcessingParameterNumber, name)


class StyleOnLoad(QgsProcessingLayerPostProcessorInterface):
    """Applies a style function to an output layer when Processing loads it into the project."""

    _alive: ClassVar[list[StyleOnLoad]] = []  # Processing keeps only a raw pointer: keep the object alive

    def __init__(self, style) -> None:
        super().__init__()
        self._style = style

    def postProcessLayer(self, layer, context, feedback) -> None:
        self._style(layer)
        if placing_enabled():  # points above lines above polygons above rasters (see layer_order)
            place_by_kind(layer, context.project())

    @classmethod
    def attach(cls, context, destination_id: str, style) -> None:
        """Style ``destination_id`` with ``style(layer)`` if it is to be loaded on completion."""
        if not destination_id or not context.willLoadLayerOnCompletion(destination_id):
            return
        processor = cls(style)
        cls._alive.append(processor)
        del cls._alive[:-20]
        context.layerToLoadOnCompletionDetails(destination_id).setPostProcessor(processor)
