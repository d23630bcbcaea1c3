"""New layers placed by kind: points above lines above polygons above rasters, base maps at the bottom.

QGIS puts every new layer on top, so a hazard zone added after the river stations hides their
警戒レベル colours. Here a new layer goes above the layers of its own kind and below those drawn
over it: stations (points) stay above hazard zones (polygons), which stay above hazard tiles and
heatmaps (rasters), which stay above the GSI base maps. Layers the user moves stay where they put
them: only a layer just added is placed.
"""

from __future__ import annotations

import contextlib

from qgis.core import (
    QgsLayerTree,
    QgsLayerTreeGroup,
    QgsLayerTreeNode,
    QgsMapLayer,
    QgsProject,
    QgsRasterLayer,
    QgsSettings,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QObject

SETTING = "smartcity/place_layers_by_kind"
POINT, LINE, POLYGON, RASTER, BASE_MAP = 0, 1, 2, 3, 4
BASE_MAP_TILES = ("std", "pale", "seamlessphoto")  # GSI base maps (layers/hazards/tiles keys)


def kind_rank(layer: QgsMapLayer | None) -> int | None:
    """Where a layer's kind is drawn: 0 points (top) … 4 base maps (bottom); None for tables and others."""
    if isinstance(layer, QgsVectorLayer):
        geometry = layer.geometryType()
        return {
            QgsWkbTypes.GeometryType.PointGeometry: POINT,
            QgsWkbTypes.GeometryType.LineGeometry: LINE,
            QgsWkbTypes.GeometryType.PolygonGeometry: POLYGON,
        }.get(geometry)
    if isinstance(layer, QgsRasterLayer):
        return BASE_MAP if layer.customProperty("smartcity/tile_key", "") in BASE_MAP_TILES else RASTER
    if layer is not None and layer.type() in (QgsMapLayer.LayerType.MeshLayer, QgsMapLayer.LayerType.VectorTileLayer):
        return RASTER
    return None


def _rank_of(node: QgsLayerTreeNode) -> int | None:
    return kind_rank(node.layer()) if QgsLayerTree.isLayer(node) else None


def place_by_kind(layer: QgsMapLayer, project: QgsProject | None = None) -> bool:
    """Move ``layer``'s node in its group above the layers drawn under it; True when it moved."""
    project = project or QgsProject.instance()
    node = project.layerTreeRoot().findLayer(layer.id())
    rank = kind_rank(layer)
    if node is None or rank is None:
        return False
    parent = node.parent()
    if not isinstance(parent, QgsLayerTreeGroup):
        return False
    children = parent.children()
    others = [child for child in children if child is not node]
    # Just below the last layer drawn over it (a layer of a kind above); at the top when there is none.
    over = [child for child in others if (_rank_of(child) is not None and _rank_of(child) < rank)]
    target = children.index(over[-1]) + 1 if over else 0
    current = children.index(node)
    if target in (current, current + 1):
        return False
    clone = node.clone()
    parent.insertChildNode(target, clone)
    parent.removeChildNode(node)
    return True


def placing_enabled() -> bool:
    """The user's choice (on unless switched off in the settings)."""
    return QgsSettings().value(SETTING, True, type=bool)


class LayerPlacer(QObject):
    """Places every layer added to the project's layer tree by kind (see `place_by_kind`)."""

    def __init__(self, project: QgsProject | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project or QgsProject.instance()
        self.project.legendLayersAdded.connect(self._added)

    def detach(self) -> None:
        with contextlib.suppress(TypeError):
            self.project.legendLayersAdded.disconnect(self._added)

    def _added(self, layers) -> None:
        if not placing_enabled():
            return
        for layer in layers:
            place_by_kind(layer, self.project)
