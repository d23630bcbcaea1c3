"""Processing algorithms "Create JIS mesh grid" (smartcity:meshgrid) and "Aggregate to JIS mesh"
(smartcity:aggregatemesh)."""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from smartcity_qgis.algorithms.base import SmartCityAlgorithm
from smartcity_qgis.algorithms.qgis_compat import StyleOnLoad, field_type, number_type, source_type
from smartcity_qgis.analysis.mesh import LEVEL_NAMES, LEVELS, MESH_NONE, mesh_code, mesh_grid
from smartcity_qgis.analysis.mesh_aggregate import aggregate_points
from smartcity_qgis.analysis.privacy import DEFAULT_K
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.peopleflow.mesh_features import (
    mesh_crs,
    mesh_feature_attributes,
    mesh_fields,
    mesh_rectangles,
    new_feature,
)
from smartcity_qgis.layers.peopleflow.style import style_mesh_grid, style_population

BATCH = 5000


def level_parameter(name: str = "LEVEL", default: str = "1km") -> QgsProcessingParameterEnum:
    """A LEVEL parameter whose values are the level names themselves ("1km", "500m"...)."""
    param = QgsProcessingParameterEnum(name, tr("Mesh level"), options=list(LEVEL_NAMES), defaultValue=default)
    param.setUsesStaticStrings(True)
    return param


def k_parameter(name: str = "K") -> QgsProcessingParameterNumber:
    """Minimum people per published cell; 0 switches the privacy rule off (an explicit choice)."""
    return QgsProcessingParameterNumber(
        name,
        tr("Minimum people per published cell (k-anonymity; 0 = publish everything)"),
        type=number_type("Integer"),
        defaultValue=DEFAULT_K,
        minValue=0,
    )


def read_k(algorithm, parameters, context, feedback, name: str = "K") -> tuple[int, bool]:
    """The k chosen, and whether the privacy rule was switched off (with a warning)."""
    k = algorithm.parameterAsInt(parameters, name, context)
    if k < 2:
        feedback.pushWarning(
            tr("Privacy rule switched off (k={0}): cells of fewer than 10 people may be published.").format(k)
        )
        return k, True
    return k, False


def report_suppressed(feedback, suppressed: int, k: int) -> None:
    if suppressed:
        feedback.pushInfo(tr("{0} cells with fewer than {1} people were not published.").format(suppressed, k))
    else:
        feedback.pushInfo(tr("No cell had to be suppressed (k = {0}).").format(k))


class MeshGridAlgorithm(SmartCityAlgorithm):
    """Polygons of every mesh cell of one level over an extent."""

    NAME = "meshgrid"
    GROUP_ID = "peopleflow"
    EXTENT = "EXTENT"
    LEVEL = "LEVEL"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:
        return tr("Create JIS mesh grid")

    def group(self) -> str:
        return tr("People flow and JIS mesh")

    def shortHelpString(self) -> str:
        return tr(
            "Polygons of every JIS X 0410 regional mesh cell (地域メッシュ) of the chosen level over an "
            "extent, in JGD2011 (EPSG:6668), with the cell's code and the codes of every larger level "
            "containing it. Codes are exact at cell edges: a point on a south or west edge belongs to "
            "the cell north or east of it."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterExtent(self.EXTENT, tr("Extent")))
        self.addParameter(level_parameter(self.LEVEL))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Mesh grid"), source_type("VectorPolygon")))
        self.addOutput(QgsProcessingOutputNumber("CELLS", tr("Number of cells")))

    def processAlgorithm(self, parameters, context, feedback):
        level = self.parameterAsEnumString(parameters, self.LEVEL, context)
        if level not in LEVELS:
            raise QgsProcessingException(tr("Unknown mesh level: {0}").format(level))
        crs = mesh_crs()
        extent = self.parameterAsExtent(parameters, self.EXTENT, context, crs)
        if extent.isNull():
            raise QgsProcessingException(tr("Choose an extent."))
        bbox = (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())
        try:
            codes = mesh_grid(bbox, level)
        except ValueError as exc:
            raise QgsProcessingException(
                tr("The extent holds too many cells for this level; choose a larger level or a smaller extent.")
                + f" ({exc})"
            ) from exc
        fields = mesh_fields(level)
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.Polygon, crs)
        if sink is None:
            raise QgsProcessingException(tr("Could not create the output layer."))
        total = max(codes.size, 1)
        for start in range(0, codes.size, BATCH):
            if feedback.isCanceled():
                break
            chunk = codes[start : start + BATCH]
            for geometry, attrs in zip(
                mesh_rectangles(chunk, level), mesh_feature_attributes(chunk, level), strict=True
            ):
                sink.addFeature(new_feature(fields, geometry, attrs), QgsFeatureSink.Flag.FastInsert)
            feedback.setProgress(100.0 * min(start + BATCH, codes.size) / total)
        feedback.pushInfo(tr("{0} cells of {1}.").format(codes.size, level))
        StyleOnLoad.attach(context, dest_id, style_mesh_grid)
        return {self.OUTPUT: dest_id, "CELLS": int(codes.size)}


class AggregateMeshAlgorithm(SmartCityAlgorithm):
    """People (points, or cells of a finer mesh layer) counted and summed per mesh cell."""

    NAME = "aggregatemesh"
    GROUP_ID = "peopleflow"
    INPUT = "INPUT"
    WEIGHT_FIELD = "WEIGHT_FIELD"
    LEVEL = "LEVEL"
    K = "K"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:
        return tr("Aggregate to JIS mesh")

    def group(self) -> str:
        return tr("People flow and JIS mesh")

    def shortHelpString(self) -> str:
        return tr(
            "Counts points (or sums a weight field, e.g. a people count) per JIS mesh cell of the "
            "chosen level. Polygons (e.g. a finer mesh layer) are assigned by their centre to the "
            "cell containing it, so choose a level at least as large as the input cells. Privacy by "
            "default: cells standing for fewer than k people (10, the MLIT publication rule) are not "
            "written; their number is reported. Set k to 0 only when the result stays internal."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.INPUT, tr("Points or mesh polygons"), [source_type("VectorPoint"), source_type("VectorPolygon")]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.WEIGHT_FIELD,
                tr("Weight field (people per feature; empty = 1 each)"),
                parentLayerParameterName=self.INPUT,
                type=field_type("Numeric"),
                optional=True,
            )
        )
        self.addParameter(level_parameter(self.LEVEL))
        self.addParameter(k_parameter(self.K))
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, tr("People per mesh cell"), source_type("VectorPolygon"))
        )
        self.addOutput(QgsProcessingOutputNumber("SUPPRESSED", tr("Cells suppressed (fewer than k people)")))
        self.addOutput(QgsProcessingOutputNumber("CELLS", tr("Cells written")))

    def _read(self, source, weight_index: int, level: str, context, feedback):
        crs = mesh_crs()
        request = QgsFeatureRequest().setDestinationCrs(crs, context.transformContext())
        request.setSubsetOfAttributes([weight_index] if weight_index >= 0 else [])
        polygons = QgsWkbTypes.geometryType(source.wkbType()) == QgsWkbTypes.GeometryType.PolygonGeometry
        info = LEVELS[level]
        cell_area = info.dlat * info.dlon / (28800.0**2)
        lat, lon, weights = [], [], []
        skipped = 0
        total = max(source.featureCount(), 1)
        for i, feature in enumerate(source.getFeatures(request)):
            if feedback.isCanceled():
                return None
            geometry = feature.geometry()
            weight = 1.0
            if weight_index >= 0:
                value = feature.attribute(weight_index)
                try:
                    weight = float(value)
                except (TypeError, ValueError):
                    skipped += 1
                    continue
            if geometry is None or geometry.isNull():
                skipped += 1
                continue
            if polygons:
                if geometry.area() > cell_area * 1.0001:
                    raise QgsProcessingException(
                        tr("Input polygons are larger than {0} cells: choose a larger mesh level.").format(level)
                    )
                point = geometry.pointOnSurface().asPoint()
                lat.append(point.y())
                lon.append(point.x())
                weights.append(weight)
            else:
                for part in geometry.constParts():
                    lat.append(part.y())
                    lon.append(part.x())
                    weights.append(weight)
            if i % 1000 == 0:
                feedback.setProgress(60.0 * i / total)
        if skipped:
            feedback.pushWarning(tr("{0} features without geometry or weight were skipped.").format(skipped))
        return np.array(lat), np.array(lon), np.array(weights)

    def processAlgorithm(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(tr("The input layer could not be opened."))
        level = self.parameterAsEnumString(parameters, self.LEVEL, context)
        if level not in LEVELS:
            raise QgsProcessingException(tr("Unknown mesh level: {0}").format(level))
        weight_name = self.parameterAsString(parameters, self.WEIGHT_FIELD, context)
        weight_index = source.fields().lookupField(weight_name) if weight_name else -1
        if weight_name and weight_index < 0:
            raise QgsProcessingException(tr("The weight field {0} does not exist.").format(weight_name))
        k, disclose = read_k(self, parameters, context, feedback, self.K)
        read = self._read(source, weight_index, level, context, feedback)
        if read is None:
            return {}
        lat, lon, weights = read
        outside = mesh_code(lat, lon, level, outside="sentinel") == MESH_NONE if lat.size else np.zeros(0, bool)
        if outside.any():
            feedback.pushWarning(tr("{0} features outside Japan's mesh were skipped.").format(int(outside.sum())))
        result = aggregate_points(lat, lon, level, weights, k=k, allow_disclosure=disclose)
        feedback.setProgress(70)
        fields = mesh_fields(level)
        fields.append(QgsField("count", QVariant.Int))
        fields.append(QgsField("sum", QVariant.Double))
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.Polygon, mesh_crs()
        )
        if sink is None:
            raise QgsProcessingException(tr("Could not create the output layer."))
        geometries = mesh_rectangles(result.codes, level) if result.codes.size else []
        attributes = mesh_feature_attributes(result.codes, level) if result.codes.size else []
        for geometry, attrs, count, total in zip(geometries, attributes, result.counts, result.values, strict=True):
            if feedback.isCanceled():
                break
            sink.addFeature(
                new_feature(fields, geometry, [*attrs, int(count), float(total)]), QgsFeatureSink.Flag.FastInsert
            )
        report_suppressed(feedback, result.suppressed, k)
        StyleOnLoad.attach(context, dest_id, lambda layer: style_population(layer, "sum"))
        feedback.setProgress(100)
        return {self.OUTPUT: dest_id, "SUPPRESSED": result.suppressed, "CELLS": int(result.codes.size)}


ALGORITHMS = [MeshGridAlgorithm, AggregateMeshAlgorithm]
