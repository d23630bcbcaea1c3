"""Processing: export layers for other tools."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from smartcity_qgis.algorithms.base import SmartCityAlgorithm
from smartcity_qgis.analysis.privacy import DEFAULT_K
from smartcity_qgis.export.file_names import safe_file_name
from smartcity_qgis.export.layers_export import ExportError, export_layers
from smartcity_qgis.i18n import tr

FORMAT_KEYS = ["gpkg", "geojson", "shp", "shp_cp932", "csv_wkt", "csv_xy", "kml"]


def format_labels() -> list[str]:
    """Labels of :data:`FORMAT_KEYS`, in the same order."""
    return [
        tr("GeoPackage (all layers in one file, with styles)"),
        tr("GeoJSON (RFC 7946, WGS 84)"),
        tr("Shapefile (UTF-8)"),
        tr("Shapefile (Shift_JIS / CP932, for older Japanese tools)"),
        tr("CSV with WKT geometry"),
        tr("CSV with X/Y columns (points)"),
        tr("KML"),
    ]


class ExportLayersAlgorithm(SmartCityAlgorithm):
    """Selected layers to GeoPackage, GeoJSON, Shapefile, CSV or KML."""

    NAME = "exportlayers"
    GROUP_ID = "districts"

    def displayName(self) -> str:
        return tr("Export layers")

    def group(self) -> str:
        return tr("Pilot districts and planning")

    def shortHelpString(self) -> str:
        return tr(
            "Writes the chosen layers to one GeoPackage (each layer with its style as the default style), "
            "or one file per layer as GeoJSON (RFC 7946, WGS 84), Shapefile (UTF-8 or CP932), CSV (WKT or "
            "X/Y) or KML. File names are made safe from layer names; existing files are never overwritten "
            "unless allowed. People-flow layers lose the cells with fewer than K people."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterMultipleLayers("LAYERS", tr("Layers"), QgsProcessing.SourceType.TypeVectorAnyGeometry)
        )
        self.addParameter(QgsProcessingParameterEnum("FORMAT", tr("Format"), format_labels(), defaultValue=0))
        self.addParameter(QgsProcessingParameterCrs("CRS", tr("Target CRS (empty: keep)"), optional=True))
        self.addParameter(
            QgsProcessingParameterNumber(
                "K", tr("Smallest number of people per published cell (k)"), defaultValue=DEFAULT_K, minValue=2
            )
        )
        self.addParameter(QgsProcessingParameterBoolean("OVERWRITE", tr("Replace existing files"), defaultValue=False))
        self.addParameter(QgsProcessingParameterString("GPKG_NAME", tr("GeoPackage file name"), defaultValue="layers"))
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT", tr("Output folder")))

    def processAlgorithm(self, parameters, context, feedback):
        layers = self.parameterAsLayerList(parameters, "LAYERS", context)
        fmt = FORMAT_KEYS[self.parameterAsEnum(parameters, "FORMAT", context)]
        crs = self.parameterAsCrs(parameters, "CRS", context)
        folder = Path(self.parameterAsString(parameters, "OUTPUT", context))
        destination = folder
        if fmt == "gpkg":
            destination = folder / f"{safe_file_name(self.parameterAsString(parameters, 'GPKG_NAME', context))}.gpkg"
        try:
            result = export_layers(
                layers,
                destination,
                fmt,
                crs=crs if crs.isValid() else None,
                k=self.parameterAsInt(parameters, "K", context),
                overwrite=self.parameterAsBool(parameters, "OVERWRITE", context),
            )
        except ExportError as exc:
            raise QgsProcessingException(str(exc)) from exc
        for name, count in result.suppressed.items():
            feedback.pushInfo(tr("{0}: {1} cells with too few people were not written").format(name, count))
        return {"OUTPUT": str(folder), "FILES": [str(p) for p in result.paths]}


ALGORITHMS = [ExportLayersAlgorithm]
