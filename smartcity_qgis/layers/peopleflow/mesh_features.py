"""JIS mesh cells as QGIS features: fields, rectangles in JGD2011 (EPSG:6668)."""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QVariant

from smartcity_qgis.analysis.mesh import mesh_bounds, mesh_parent, parent_levels

MESH_CRS_AUTHID = "EPSG:6668"
CODE_FIELD = "mesh_code"
LEVEL_FIELD = "level"


def mesh_crs() -> QgsCoordinateReferenceSystem:
    """JGD2011 geographic, the CRS the mesh is defined in."""
    return QgsCoordinateReferenceSystem(MESH_CRS_AUTHID)


def parent_field_name(level: str) -> str:
    return f"mesh_{level}"


def mesh_fields(level: str, code_field: str = CODE_FIELD) -> QgsFields:
    """Code, level and one field per parent level's code (codes as text: they exceed 32 bits)."""
    fields = QgsFields()
    fields.append(QgsField(code_field, QVariant.String, len=11))
    fields.append(QgsField(LEVEL_FIELD, QVariant.String, len=5))
    for parent in parent_levels(level):
        fields.append(QgsField(parent_field_name(parent), QVariant.String, len=11))
    return fields


def mesh_rectangles(codes, level: str) -> list[QgsGeometry]:
    """Cell polygons (lon/lat) of each code."""
    south, west, north, east = (np.atleast_1d(v) for v in mesh_bounds(np.asarray(codes), level))
    return [
        QgsGeometry.fromRect(QgsRectangle(float(w), float(s), float(e), float(n)))
        for s, w, n, e in zip(south, west, north, east, strict=True)
    ]


def parent_codes(codes, level: str) -> dict[str, np.ndarray]:
    """Codes of every parent level for each code."""
    codes = np.asarray(codes, dtype=np.int64)
    return {parent: np.atleast_1d(mesh_parent(codes, level, parent)) for parent in parent_levels(level)}


def mesh_feature_attributes(codes, level: str) -> list[list]:
    """The leading attributes (code, level, parent codes) of each cell's feature."""
    codes = np.atleast_1d(np.asarray(codes, dtype=np.int64))
    parents = parent_codes(codes, level)
    return [[str(int(code)), level, *(str(int(parents[p][i])) for p in parents)] for i, code in enumerate(codes)]


def new_feature(fields: QgsFields, geometry: QgsGeometry, attributes: list) -> QgsFeature:
    feature = QgsFeature(fields)
    feature.setGeometry(geometry)
    feature.setAttributes(attributes)
    return feature
