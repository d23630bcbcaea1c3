"""Processing algorithm "Hazard exposure" (smartcity:hazardexposure)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterMapLayer,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant
from shapely import wkb

from smartcity_qgis.algorithms.base import SmartCityAlgorithm
from smartcity_qgis.analysis.exposure import hazard_exposure, iter_raster_hazard
from smartcity_qgis.analysis.plane_zone import plane_zone_epsg
from smartcity_qgis.i18n import tr
from smartcity_qgis.optional_packages import MissingPackageError, require

JGD2011 = QgsCoordinateReferenceSystem("EPSG:6668")


def _source_type(name: str):
    """Processing source types across QGIS 3.22 (QgsProcessing.Type*) and 3.36+ (Qgis enums)."""
    enum = getattr(Qgis, "ProcessingSourceType", None)
    return getattr(enum, name) if enum is not None else getattr(QgsProcessing, "Type" + name)


def _field_type(name: str):
    enum = getattr(Qgis, "ProcessingFieldParameterDataType", None)
    return getattr(enum, name) if enum is not None else getattr(QgsProcessingParameterField, name)


def plain(value):
    """An attribute value with QGIS's NULL as ``None``."""
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    return value


def to_shapely(geometry: QgsGeometry):
    """A QGIS geometry as a shapely geometry (through WKB)."""
    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return None
    return wkb.loads(bytes(geometry.asWkb()))


class HazardExposureAlgorithm(SmartCityAlgorithm):
    """Area, population and features per zone and hazard rank."""

    NAME = "hazardexposure"
    GROUP_ID = "hazards"
    HAZARD = "HAZARD"
    RANK_FIELD = "RANK_FIELD"
    ZONES = "ZONES"
    ZONE_ID_FIELD = "ZONE_ID_FIELD"
    POPULATION = "POPULATION"
    POPULATION_FIELD = "POPULATION_FIELD"
    COUNT_FEATURES = "COUNT_FEATURES"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:
        return tr("Hazard exposure")

    def group(self) -> str:
        return tr("Hazards and rivers")

    def shortHelpString(self) -> str:
        return tr(
            "For each zone (district, mesh cell or any polygon) and each hazard rank, the area in m² "
            "(measured in the zone's plane-rectangular CRS), the population (mesh polygons shared out "
            "by area, or weighted points) and the number of features (shelters, sensors) inside. "
            "The hazard is a polygon layer with a rank field (e.g. 国土数値情報 A31a) or a GeoTIFF "
            "of ranks or depths in metres. Where ranks overlap, a place counts under its highest rank."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterMapLayer(
                self.HAZARD,
                tr("Hazard polygons or raster"),
                types=[_source_type("VectorPolygon"), _source_type("Raster")],
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.RANK_FIELD,
                tr("Rank field (polygon hazards)"),
                parentLayerParameterName=self.HAZARD,
                optional=True,
            )
        )
        self.addParameter(QgsProcessingParameterFeatureSource(self.ZONES, tr("Zones"), [_source_type("VectorPolygon")]))
        self.addParameter(
            QgsProcessingParameterField(self.ZONE_ID_FIELD, tr("Zone id field"), parentLayerParameterName=self.ZONES)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.POPULATION,
                tr("Population (mesh polygons or points)"),
                [_source_type("VectorPolygon"), _source_type("VectorPoint")],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.POPULATION_FIELD,
                tr("Population field"),
                parentLayerParameterName=self.POPULATION,
                type=_field_type("Numeric"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.COUNT_FEATURES,
                tr("Features to count (shelters, sensors)"),
                [_source_type("VectorAnyGeometry")],
                optional=True,
            )
        )
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Exposure"), _source_type("Vector")))

    # -- helpers -----------------------------------------------------------------------
    @staticmethod
    def _features(source, crs, rect: QgsRectangle, context, attrs: list[int] | None = None):
        request = QgsFeatureRequest().setDestinationCrs(crs, context.transformContext()).setFilterRect(rect)
        if attrs is not None:
            request.setSubsetOfAttributes(attrs)
        return source.getFeatures(request)

    def _hazard_polygons(self, hazard, rank_field, crs, rect, context, feedback):
        if isinstance(hazard, QgsVectorLayer):
            index = hazard.fields().lookupField(rank_field)
            for feature in self._features(hazard, crs, rect, context, [index]):
                if feedback.isCanceled():
                    break
                rank = plain(feature.attribute(index))
                if rank is None:
                    continue
                yield to_shapely(feature.geometry()), rank
            return
        path = hazard.dataProvider().dataSourceUri().split("|")[0]
        to_raster = QgsCoordinateTransform(crs, hazard.crs(), context.transformContext())
        to_plane = QgsCoordinateTransform(hazard.crs(), crs, context.transformContext())
        bounds = to_raster.transformBoundingBox(rect)
        for polygon, rank in iter_raster_hazard(
            path, (bounds.xMinimum(), bounds.yMinimum(), bounds.xMaximum(), bounds.yMaximum())
        ):
            if feedback.isCanceled():
                break
            geometry = QgsGeometry()
            geometry.fromWkb(polygon.wkb)
            geometry.transform(to_plane)
            yield to_shapely(geometry), rank

    def _check_hazard(self, hazard, rank_field: str) -> None:
        if hazard is None:
            raise QgsProcessingException(tr("The hazard layer could not be opened."))
        if isinstance(hazard, QgsVectorLayer):
            if hazard.geometryType() != QgsWkbTypes.GeometryType.PolygonGeometry:
                raise QgsProcessingException(tr("The hazard layer must have polygons."))
            if not rank_field or hazard.fields().lookupField(rank_field) < 0:
                raise QgsProcessingException(tr("Choose the rank field of the hazard polygons."))
        elif isinstance(hazard, QgsRasterLayer):
            try:
                require("rasterio")  # rasters are read window by window with rasterio
            except MissingPackageError as exc:
                raise QgsProcessingException(str(exc)) from None
            path = hazard.dataProvider().dataSourceUri().split("|")[0]
            if hazard.providerType() != "gdal" or not Path(path).is_file():
                raise QgsProcessingException(tr("A hazard raster must be a GeoTIFF file on disk."))
        else:
            raise QgsProcessingException(tr("The hazard must be a polygon layer or a raster."))

    def processAlgorithm(self, parameters, context, feedback):
        hazard = self.parameterAsLayer(parameters, self.HAZARD, context)
        rank_field = self.parameterAsString(parameters, self.RANK_FIELD, context)
        self._check_hazard(hazard, rank_field)
        zones = self.parameterAsSource(parameters, self.ZONES, context)
        zone_field = self.parameterAsString(parameters, self.ZONE_ID_FIELD, context)
        population = self.parameterAsSource(parameters, self.POPULATION, context)
        population_field = self.parameterAsString(parameters, self.POPULATION_FIELD, context)
        counted = self.parameterAsSource(parameters, self.COUNT_FEATURES, context)
        zone_index = zones.fields().lookupField(zone_field)
        if zone_index < 0:
            raise QgsProcessingException(tr("The zone id field {0} is not in the zones layer.").format(zone_field))
        population_index = -1
        if population is not None:
            population_index = population.fields().lookupField(population_field) if population_field else -1
            if (
                population_index < 0
                and QgsWkbTypes.geometryType(population.wkbType()) != QgsWkbTypes.GeometryType.PointGeometry
            ):
                raise QgsProcessingException(tr("Choose the population field of the population mesh."))

        fields = QgsFields()
        zone_def = QgsField(zones.fields().at(zone_index))
        zone_def.setName("zone_id")
        fields.append(zone_def)
        if isinstance(hazard, QgsVectorLayer):
            rank_def = QgsField(hazard.fields().field(rank_field))
            rank_def.setName("rank")
        else:
            rank_def = QgsField("rank", QVariant.Int)
        fields.append(rank_def)
        fields.append(QgsField("area_m2", QVariant.Double))
        fields.append(QgsField("population", QVariant.Double))
        fields.append(QgsField("feature_count", QVariant.Int))
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.NoGeometry)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))

        # Each zone is measured in the plane-rectangular zone of its centre.
        to_jgd = QgsCoordinateTransform(zones.sourceCrs(), JGD2011, context.transformContext())
        groups: dict[int, list[QgsFeature]] = defaultdict(list)
        for feature in zones.getFeatures():
            if feature.hasGeometry():
                centre = to_jgd.transform(feature.geometry().boundingBox().center())
                try:
                    epsg = plane_zone_epsg(centre.x(), centre.y())
                except ValueError:
                    raise QgsProcessingException(
                        tr("Zone {0} lies outside Japan's plane-rectangular zones.").format(
                            plain(feature.attribute(zone_index))
                        )
                    ) from None
                groups[epsg].append(feature)
        total = sum(len(v) for v in groups.values()) or 1
        done = 0
        for epsg, members in sorted(groups.items()):
            if feedback.isCanceled():
                break
            crs = QgsCoordinateReferenceSystem(f"EPSG:{epsg}")
            to_plane = QgsCoordinateTransform(zones.sourceCrs(), crs, context.transformContext())
            zone_items = []
            rect = QgsRectangle()
            rect.setMinimal()
            for feature in members:
                geometry = QgsGeometry(feature.geometry())
                geometry.transform(to_plane)
                rect.combineExtentWith(geometry.boundingBox())
                zone_items.append((plain(feature.attribute(zone_index)), to_shapely(geometry)))
            feedback.pushInfo(tr("{0} zones measured in EPSG:{1}").format(len(members), epsg))
            hazards = list(self._hazard_polygons(hazard, rank_field, crs, rect, context, feedback))
            pop_items = None
            if population is not None:
                attrs = [population_index] if population_index >= 0 else []
                pop_items = [
                    (
                        to_shapely(f.geometry()),
                        plain(f.attribute(population_index)) if population_index >= 0 else 1.0,
                    )
                    for f in self._features(population, crs, rect, context, attrs)
                ]
            count_items = None
            if counted is not None:
                count_items = [to_shapely(f.geometry()) for f in self._features(counted, crs, rect, context, [])]

            def step(finished: int, _done=done) -> bool:
                feedback.setProgress(100.0 * (_done + finished) / total)
                return not feedback.isCanceled()

            # Polygons traced from a raster never overlap: no need to look for overlaps.
            may_overlap = isinstance(hazard, QgsVectorLayer)
            rows = hazard_exposure(zone_items, hazards, pop_items, count_items, step=step, may_overlap=may_overlap)
            done += len(members)
            for row in rows:
                out = QgsFeature(fields)
                out.setAttributes(
                    [
                        row.zone_id,
                        row.rank,
                        row.area_m2,
                        row.population,
                        row.feature_count,
                    ]
                )
                sink.addFeature(out, QgsFeatureSink.Flag.FastInsert)
        return {self.OUTPUT: dest_id}


ALGORITHMS = [HazardExposureAlgorithm]
