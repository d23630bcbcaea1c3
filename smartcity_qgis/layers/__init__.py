"""Turning entities and files into QGIS layers, with their styles."""

from smartcity_qgis.layers.cityos.entity_loader import (
    EntityLoadTask,
    LoadResult,
    load_entity_layer,
    load_entity_layers,
    load_result,
)

__all__ = ["EntityLoadTask", "LoadResult", "load_entity_layer", "load_entity_layers", "load_result"]
