"""Processing: the district fact sheet."""

from __future__ import annotations

from qgis.core import (
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterDistance,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterVectorLayer,
    QgsWkbTypes,
)

from smartcity_qgis.algorithms.base import SmartCityAlgorithm
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.districts.factsheet import (
    FactSheetInputs,
    district_fact_sheets,
    fact_sheet_features,
    fact_sheet_fields,
    write_fact_sheet_csv,
)
from smartcity_qgis.layers.districts.layer import DistrictError


def fact_sheet_parameters(alg, optional_stations: bool = True) -> None:
    """The inputs a fact sheet draws on (shared with the planning pack)."""
    alg.addParameter(
        QgsProcessingParameterVectorLayer(
            "PEOPLE_FLOW", tr("People-flow mesh layer"), [QgsProcessing.SourceType.TypeVectorPolygon], optional=True
        )
    )
    alg.addParameter(
        QgsProcessingParameterField(
            "DAY_FIELD",
            tr("Daytime population field"),
            parentLayerParameterName="PEOPLE_FLOW",
            type=QgsProcessingParameterField.DataType.Numeric,
            optional=True,
        )
    )
    alg.addParameter(
        QgsProcessingParameterField(
            "NIGHT_FIELD",
            tr("Night-time population field"),
            parentLayerParameterName="PEOPLE_FLOW",
            type=QgsProcessingParameterField.DataType.Numeric,
            optional=True,
        )
    )
    alg.addParameter(
        QgsProcessingParameterVectorLayer(
            "HAZARD", tr("Flood hazard zones"), [QgsProcessing.SourceType.TypeVectorPolygon], optional=True
        )
    )
    alg.addParameter(
        QgsProcessingParameterField(
            "RANK_FIELD", tr("Depth rank field"), parentLayerParameterName="HAZARD", optional=True
        )
    )
    alg.addParameter(
        QgsProcessingParameterMultipleLayers(
            "ENTITY_LAYERS",
            tr("City OS entity layers to count"),
            QgsProcessing.SourceType.TypeVectorAnyGeometry,
            optional=True,
        )
    )
    alg.addParameter(
        QgsProcessingParameterVectorLayer(
            "RIVER_STATIONS",
            tr("River stations"),
            [QgsProcessing.SourceType.TypeVectorPoint],
            optional=optional_stations,
        )
    )
    alg.addParameter(
        QgsProcessingParameterField(
            "ALERT_FIELD", tr("Alert level field"), parentLayerParameterName="RIVER_STATIONS", optional=True
        )
    )
    alg.addParameter(
        QgsProcessingParameterDistance("RIVER_DISTANCE", tr("Stations within (metres)"), 1000.0, minValue=0.0)
    )


def fact_sheet_inputs(alg, parameters, context) -> FactSheetInputs:
    """Read the fact-sheet inputs of ``fact_sheet_parameters``."""
    return FactSheetInputs(
        people_flow=alg.parameterAsVectorLayer(parameters, "PEOPLE_FLOW", context),
        day_field=alg.parameterAsString(parameters, "DAY_FIELD", context) or None,
        night_field=alg.parameterAsString(parameters, "NIGHT_FIELD", context) or None,
        hazard=alg.parameterAsVectorLayer(parameters, "HAZARD", context),
        rank_field=alg.parameterAsString(parameters, "RANK_FIELD", context) or None,
        entity_layers=[
            layer
            for layer in alg.parameterAsLayerList(parameters, "ENTITY_LAYERS", context)
            if layer.type() == layer.VectorLayer
        ],
        stations=alg.parameterAsVectorLayer(parameters, "RIVER_STATIONS", context),
        level_field=alg.parameterAsString(parameters, "ALERT_FIELD", context) or None,
        station_distance_m=alg.parameterAsDouble(parameters, "RIVER_DISTANCE", context),
    )


class DistrictFactSheetAlgorithm(SmartCityAlgorithm):
    """Area, population, hazard exposure, entities, rivers and KPIs of each pilot district."""

    NAME = "districtfactsheet"
    GROUP_ID = "districts"

    def displayName(self) -> str:
        return tr("District fact sheet")

    def group(self) -> str:
        return tr("Pilot districts and planning")

    def shortHelpString(self) -> str:
        return tr(
            "For each pilot district: area in hectares (in its plane-rectangular zone), daytime and night-time "
            "population from a people-flow mesh by area share, flood hazard exposure by depth rank, counts of "
            "city OS entities by type, river stations nearby with their alert level, and the KPI table. "
            "A figure whose input is not given is shown as unavailable. Output: a table and an optional CSV."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "DISTRICTS", tr("Pilot districts"), [QgsProcessing.SourceType.TypeVectorPolygon]
            )
        )
        fact_sheet_parameters(self)
        self.addParameter(
            QgsProcessingParameterFeatureSink("OUTPUT", tr("Fact sheet"), QgsProcessing.SourceType.TypeVector)
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                "OUTPUT_CSV", tr("Fact sheet CSV"), tr("CSV files (*.csv)"), optional=True, createByDefault=False
            )
        )

    def processAlgorithm(self, parameters, context, feedback):
        districts = self.parameterAsVectorLayer(parameters, "DISTRICTS", context)
        if districts is None:
            raise QgsProcessingException(tr("No district layer was given"))
        try:
            sheets = district_fact_sheets(districts, fact_sheet_inputs(self, parameters, context))
        except DistrictError as exc:
            raise QgsProcessingException(str(exc)) from exc
        sink, dest = self.parameterAsSink(
            parameters, "OUTPUT", context, fact_sheet_fields(), QgsWkbTypes.Type.NoGeometry, districts.crs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
        for feature in fact_sheet_features(sheets):
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
        result = {"OUTPUT": dest, "DISTRICT_COUNT": len(sheets)}
        csv_path = self.parameterAsFileOutput(parameters, "OUTPUT_CSV", context)
        if csv_path:
            result["OUTPUT_CSV"] = str(write_fact_sheet_csv(sheets, csv_path))
        feedback.pushInfo(tr("Fact sheets for {0} districts").format(len(sheets)))
        return result


ALGORITHMS = [DistrictFactSheetAlgorithm]
