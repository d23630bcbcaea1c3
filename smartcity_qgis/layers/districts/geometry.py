"""District outlines from what the user selected: polygons, buffered points/lines, mesh cells.

Buffers are in metres in the plane-rectangular zone of the selection, never in degrees or
Web Mercator.
"""

from __future__ import annotations

from collections.abc import Iterable

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)

from smartcity_qgis.analysis.district_facts import zone_epsg
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.districts.layer import DistrictError

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")


def plane_zone_crs(geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem) -> QgsCoordinateReferenceSystem:
    """The plane-rectangular zone CRS for the centre of ``geometry`` (given in ``crs``)."""
    centre = QgsGeometry(geometry.centroid()) if not geometry.isEmpty() else QgsGeometry()
    if centre.isEmpty():
        raise DistrictError(tr("The geometry is empty"))
    if crs != WGS84:
        centre.transform(QgsCoordinateTransform(crs, WGS84, QgsProject.instance()))
    point = centre.asPoint()
    return QgsCoordinateReferenceSystem(f"EPSG:{japan_zone_epsg(point.x(), point.y())}")


def japan_zone_epsg(lon: float, lat: float) -> int:
    """The plane-rectangular zone EPSG code, or a translated error for a place outside Japan."""
    try:
        return zone_epsg(lon, lat)
    except ValueError as exc:
        raise DistrictError(
            tr("The area ({0:.4f}, {1:.4f}) lies outside Japan's plane-rectangular zones").format(lon, lat)
        ) from exc


def plane_zone_for_extent(extent: QgsRectangle, crs: QgsCoordinateReferenceSystem) -> QgsCoordinateReferenceSystem:
    """The plane-rectangular zone CRS for the centre of an extent."""
    return plane_zone_crs(QgsGeometry.fromRect(extent), crs)


def _selected(layers: Iterable[QgsVectorLayer]) -> list[tuple[QgsGeometry, QgsCoordinateReferenceSystem]]:
    found = []
    for layer in layers:
        for feature in layer.selectedFeatures():
            if feature.hasGeometry():
                found.append((QgsGeometry(feature.geometry()), layer.crs()))
    return found


def geometry_from_selection(
    layers: Iterable[QgsVectorLayer], buffer_m: float, target_crs: QgsCoordinateReferenceSystem
) -> QgsGeometry:
    """Union of the selected polygons and of ``buffer_m`` buffers around selected points and lines.

    The result is in ``target_crs``. Points or lines with no buffer distance are an error
    (they have no area), as is an empty selection.
    """
    selected = _selected(layers)
    if not selected:
        raise DistrictError(tr("Select the features that make up the district first"))
    first, first_crs = selected[0]
    zone = plane_zone_crs(first, first_crs)
    parts = []
    for geometry, crs in selected:
        geometry.transform(QgsCoordinateTransform(crs, zone, QgsProject.instance()))
        kind = QgsWkbTypes.geometryType(geometry.wkbType())
        if kind == QgsWkbTypes.GeometryType.PolygonGeometry:
            parts.append(geometry if geometry.isGeosValid() else geometry.makeValid())
        elif buffer_m > 0:
            parts.append(geometry.buffer(float(buffer_m), 16))
        else:
            raise DistrictError(tr("Points and lines need a buffer distance in metres to make a district"))
    merged = QgsGeometry.unaryUnion(parts)
    if merged.isEmpty() or QgsWkbTypes.geometryType(merged.wkbType()) != QgsWkbTypes.GeometryType.PolygonGeometry:
        raise DistrictError(tr("The selection does not make an area"))
    merged.transform(QgsCoordinateTransform(zone, target_crs, QgsProject.instance()))
    return merged


def geometry_from_mesh_cells(layer: QgsVectorLayer, target_crs: QgsCoordinateReferenceSystem) -> QgsGeometry:
    """The selected mesh cells of ``layer`` dissolved into one outline (in ``target_crs``)."""
    if layer is None or layer.geometryType() != QgsWkbTypes.GeometryType.PolygonGeometry:
        raise DistrictError(tr("Choose a mesh layer (polygons) and select its cells"))
    return geometry_from_selection([layer], 0.0, target_crs)
