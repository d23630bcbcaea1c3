"""Processing algorithm "Gauges near zones" (smartcity:gaugeexposure): river gauges by status per zone."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessingException,
    QgsProcessingParameterDistance,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterVectorLayer,
    QgsProject,
)
from qgis.PyQt.QtCore import QVariant

from smartcity_qgis.algorithms.alg_exposure import _source_type, plain, to_shapely
from smartcity_qgis.algorithms.base import SmartCityAlgorithm
from smartcity_qgis.analysis.plane_zone import plane_zone_epsg
from smartcity_qgis.analysis.river_exposure import count_gauges_near
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.rivers.exposure import gauge_statuses, status_label_ja


class GaugeExposureAlgorithm(SmartCityAlgorithm):
    """How many gauges at each status stand inside each zone, and within a distance of it."""

    NAME = "gaugeexposure"
    GROUP_ID = "hazards"
    ZONES = "ZONES"
    ZONE_ID_FIELD = "ZONE_ID_FIELD"
    GAUGES = "GAUGES"
    DISTANCE = "DISTANCE"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:
        return tr("Gauges near zones by status")

    def group(self) -> str:
        return tr("Hazards and rivers")

    def shortHelpString(self) -> str:
        return tr(
            "For each zone (district, mesh cell or any polygon), the river gauges at each status inside it and "
            "within a distance of it, measured in the zone's plane-rectangular CRS. Gauges are read in their "
            "own scheme: 警戒レベル for stations with four reference levels (city OS layers, station tables), "
            "観測開始水位 / 危険水位 / 氾濫開始水位 for crisis-management gauges (川の水位情報)."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterFeatureSource(self.ZONES, tr("Zones"), [_source_type("VectorPolygon")]))
        self.addParameter(
            QgsProcessingParameterField(self.ZONE_ID_FIELD, tr("Zone id field"), parentLayerParameterName=self.ZONES)
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(self.GAUGES, tr("River gauges"), [_source_type("VectorPoint")])
        )
        self.addParameter(
            QgsProcessingParameterDistance(self.DISTANCE, tr("Gauges within (metres)"), 1000.0, minValue=0.0)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Gauges by status"), _source_type("Vector"))
        )

    def processAlgorithm(self, parameters, context, feedback):
        zones = self.parameterAsSource(parameters, self.ZONES, context)
        id_field = self.parameterAsString(parameters, self.ZONE_ID_FIELD, context)
        gauges = self.parameterAsVectorLayer(parameters, self.GAUGES, context)
        distance = self.parameterAsDouble(parameters, self.DISTANCE, context)
        if zones is None or gauges is None:
            raise QgsProcessingException(tr("Give zones and a layer of river gauges."))
        fields = QgsFields()
        for name, kind in (("zone_id", QVariant.String), ("scheme", QVariant.String), ("stage", QVariant.Int),
                           ("status", QVariant.String), ("inside", QVariant.Int), ("within", QVariant.Int),
                           ("distance_m", QVariant.Double)):  # fmt: skip
            fields.append(QgsField(name, kind))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields)
        project = context.project() or QgsProject.instance()
        statuses = list(gauge_statuses(gauges))
        wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
        total = max(1, zones.featureCount())
        for index, zone in enumerate(zones.getFeatures()):
            if feedback.isCanceled():
                break
            geometry = zone.geometry()
            if geometry is None or geometry.isEmpty():
                continue
            centre = QgsCoordinateTransform(zones.sourceCrs(), wgs84, project).transform(geometry.centroid().asPoint())
            plane = QgsCoordinateReferenceSystem(f"EPSG:{plane_zone_epsg(centre.x(), centre.y())}")
            geometry.transform(QgsCoordinateTransform(zones.sourceCrs(), plane, project))
            to_plane = QgsCoordinateTransform(gauges.crs(), plane, project)
            points = []
            for feature, status in statuses:
                point = feature.geometry()
                if point is None or point.isEmpty():
                    continue
                point.transform(to_plane)
                points.append((to_shapely(point), status))
            counts = count_gauges_near(to_shapely(geometry), points, distance)
            for key in counts.statuses():
                row = QgsFeature(fields)
                row.setAttributes([str(plain(zone[id_field])), key[0], key[1], status_label_ja(key),
                                   counts.inside.get(key, 0), counts.within.get(key, 0), distance])  # fmt: skip
                sink.addFeature(row, QgsFeatureSink.Flag.FastInsert)
            feedback.setProgress(100.0 * (index + 1) / total)
        return {self.OUTPUT: dest}


ALGORITHMS = [GaugeExposureAlgorithm]
