"""Processing algorithm "Kernel density heatmap" (smartcity:kerneldensity)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
)

from smartcity_qgis.algorithms.alg_mesh import k_parameter, read_k
from smartcity_qgis.algorithms.base import SmartCityAlgorithm
from smartcity_qgis.algorithms.qgis_compat import StyleOnLoad, field_type, number_type, source_type
from smartcity_qgis.analysis.kde import CancelledError, kernel_density, write_geotiff
from smartcity_qgis.analysis.plane_zone import plane_zone_epsg
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.peopleflow.heatmap_style import (
    density_band_name,
    save_default_density_style,
    style_density_raster,
)
from smartcity_qgis.optional_packages import MissingPackageError, require

KERNEL_NAMES = ("quartic", "triangular", "uniform", "epanechnikov")
PLANE_EPSG = range(6669, 6688)
PER_KM2 = 1_000_000.0


def plane_crs_for(source_crs: QgsCoordinateReferenceSystem, extent, context) -> QgsCoordinateReferenceSystem:
    """The source's own CRS when it is a plane-rectangular zone, else the zone of the extent's centre."""
    authid = source_crs.authid()
    if authid.startswith("EPSG:") and int(authid[5:]) in PLANE_EPSG:
        return source_crs
    to_geo = QgsCoordinateTransform(source_crs, QgsCoordinateReferenceSystem("EPSG:6668"), context.transformContext())
    centre = to_geo.transform(extent.center())
    try:
        epsg = plane_zone_epsg(centre.x(), centre.y())
    except ValueError as exc:
        raise QgsProcessingException(
            tr("The points are outside Japan: no plane-rectangular zone fits them.") + f" ({exc})"
        ) from exc
    return QgsCoordinateReferenceSystem(f"EPSG:{epsg}")


class KernelDensityAlgorithm(SmartCityAlgorithm):
    """A density GeoTIFF (people per km²) from points, in the area's plane-rectangular CRS."""

    NAME = "kerneldensity"
    GROUP_ID = "peopleflow"
    INPUT = "INPUT"
    WEIGHT_FIELD = "WEIGHT_FIELD"
    RADIUS = "RADIUS"
    PIXEL_SIZE = "PIXEL_SIZE"
    KERNEL = "KERNEL"
    K = "K"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:
        return tr("Kernel density heatmap")

    def group(self) -> str:
        return tr("People flow and JIS mesh")

    def shortHelpString(self) -> str:
        return tr(
            "A heatmap raster (GeoTIFF, people per km²) of points, optionally weighted by a field such "
            "as a people count. Radius and pixel size are in metres, in the plane-rectangular zone of "
            "the area (平面直角座標系, EPSG:6669–6687). Kernels: quartic (default), triangular, uniform, "
            "Epanechnikov; values agree with QGIS's own heatmap algorithm. Privacy by default: pixels "
            "whose radius holds fewer than k people are left empty; their number is reported."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(QgsProcessingParameterFeatureSource(self.INPUT, tr("Points"), [source_type("VectorPoint")]))
        self.addParameter(
            QgsProcessingParameterField(
                self.WEIGHT_FIELD,
                tr("Weight field (people per point; empty = 1 each)"),
                parentLayerParameterName=self.INPUT,
                type=field_type("Numeric"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.RADIUS, tr("Radius (m)"), type=number_type("Double"), defaultValue=300.0, minValue=0.001
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.PIXEL_SIZE, tr("Pixel size (m)"), type=number_type("Double"), defaultValue=10.0, minValue=0.001
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.KERNEL,
                tr("Kernel"),
                options=[tr("Quartic"), tr("Triangular"), tr("Uniform"), tr("Epanechnikov")],
                defaultValue=0,
            )
        )
        self.addParameter(k_parameter(self.K))
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Heatmap")))
        self.addOutput(QgsProcessingOutputNumber("SUPPRESSED", tr("Pixels left empty (fewer than k people)")))
        self.addOutput(QgsProcessingOutputString("CRS", tr("CRS of the heatmap")))

    def _points(self, source, weight_index: int, crs, context, feedback):
        request = QgsFeatureRequest().setDestinationCrs(crs, context.transformContext())
        request.setSubsetOfAttributes([weight_index] if weight_index >= 0 else [])
        xs, ys, ws = [], [], []
        skipped = 0
        total = max(source.featureCount(), 1)
        for i, feature in enumerate(source.getFeatures(request)):
            if feedback.isCanceled():
                return None
            geometry = feature.geometry()
            weight = 1.0
            if weight_index >= 0:
                try:
                    weight = float(feature.attribute(weight_index))
                except (TypeError, ValueError):
                    skipped += 1
                    continue
            if geometry is None or geometry.isNull():
                skipped += 1
                continue
            for part in geometry.constParts():
                xs.append(part.x())
                ys.append(part.y())
                ws.append(weight)
            if i % 5000 == 0:
                feedback.setProgress(40.0 * i / total)
        if skipped:
            feedback.pushWarning(tr("{0} features without geometry or weight were skipped.").format(skipped))
        return np.array(xs, dtype=float), np.array(ys, dtype=float), np.array(ws, dtype=float)

    def processAlgorithm(self, parameters, context, feedback):
        try:
            require("rasterio")  # the GeoTIFF is written with rasterio
        except MissingPackageError as exc:
            raise QgsProcessingException(str(exc)) from None
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(tr("The input layer could not be opened."))
        weight_name = self.parameterAsString(parameters, self.WEIGHT_FIELD, context)
        weight_index = source.fields().lookupField(weight_name) if weight_name else -1
        if weight_name and weight_index < 0:
            raise QgsProcessingException(tr("The weight field {0} does not exist.").format(weight_name))
        radius = self.parameterAsDouble(parameters, self.RADIUS, context)
        pixel = self.parameterAsDouble(parameters, self.PIXEL_SIZE, context)
        kernel = KERNEL_NAMES[self.parameterAsEnum(parameters, self.KERNEL, context)]
        k, disclose = read_k(self, parameters, context, feedback, self.K)
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        if source.featureCount() == 0:
            raise QgsProcessingException(tr("The point layer is empty."))
        crs = plane_crs_for(source.sourceCrs(), source.sourceExtent(), context)
        feedback.pushInfo(tr("Heatmap in {0}.").format(crs.authid()))
        points = self._points(source, weight_index, crs, context, feedback)
        if points is None:
            return {}
        x, y, w = points
        if x.size == 0:
            raise QgsProcessingException(tr("No usable points."))

        def progress(fraction: float) -> None:
            feedback.setProgress(40 + 55 * fraction)

        try:
            raster = kernel_density(
                x,
                y,
                radius,
                pixel,
                weights=w,
                kernel=kernel,
                output="density",
                k=k,
                allow_disclosure=disclose,
                progress=progress,
                is_cancelled=feedback.isCanceled,
            )
        except CancelledError:
            return {}
        except ValueError as exc:
            raise QgsProcessingException(tr("The heatmap could not be computed: {0}").format(exc)) from exc
        raster = replace(raster, values=raster.values * PER_KM2)
        write_geotiff(raster, output, crs.authid(), density_band_name())
        if raster.suppressed_pixels:
            feedback.pushInfo(
                tr("{0} pixels with fewer than {1} people within the radius were left empty.").format(
                    raster.suppressed_pixels, k
                )
            )
        maximum = float(raster.values.max()) if raster.values.size else 0.0
        save_default_density_style(output, maximum)
        StyleOnLoad.attach(context, output, lambda layer: style_density_raster(layer, maximum))
        feedback.setProgress(100)
        return {self.OUTPUT: output, "SUPPRESSED": raster.suppressed_pixels, "CRS": crs.authid()}


ALGORITHMS = [KernelDensityAlgorithm]
