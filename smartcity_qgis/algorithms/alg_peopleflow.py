"""Processing algorithm "Import MLIT people-flow data" (smartcity:importpeopleflow)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsFeatureSink,
    QgsField,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterMultipleLayers,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QVariant

from smartcity_qgis.algorithms.alg_mesh import k_parameter, read_k, report_suppressed
from smartcity_qgis.algorithms.base import SmartCityAlgorithm
from smartcity_qgis.algorithms.qgis_compat import StyleOnLoad, source_type
from smartcity_qgis.analysis.peopleflow import (
    CREDIT,
    DAYFLAG_LABELS,
    TIMEZONE_LABELS,
    PeopleFlowError,
    PeopleFlowTable,
    read_people_flow,
)
from smartcity_qgis.analysis.privacy import suppress_small_cells
from smartcity_qgis.credits import says_synthetic
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.peopleflow.mesh_features import (
    mesh_crs,
    mesh_feature_attributes,
    mesh_fields,
    mesh_rectangles,
    new_feature,
)
from smartcity_qgis.layers.peopleflow.style import credit_people_flow, style_people_flow_layer

MAX_PROBLEMS_SHOWN = 20


def people_flow_fields():
    """Fields of an imported people-flow layer (mesh code, parents, MLIT columns, labels, date)."""
    fields = mesh_fields("1km", code_field="mesh1kmid")
    for name, kind, length in (
        ("prefcode", QVariant.String, 2),
        ("citycode", QVariant.String, 5),
        ("year", QVariant.Int, 0),
        ("month", QVariant.Int, 0),
        ("dayflag", QVariant.Int, 0),
        ("dayflag_label", QVariant.String, 4),
        ("timezone", QVariant.Int, 0),
        ("timezone_label", QVariant.String, 4),
        ("population", QVariant.Double, 0),
        ("date", QVariant.Date, 0),
    ):
        fields.append(QgsField(name, kind, len=length))
    return fields


def write_people_flow(table: PeopleFlowTable, sink, fields, feedback) -> int:
    """Add one polygon per row; returns the number written (stops early when cancelled)."""
    written = 0
    total = max(len(table), 1)
    cache: dict[int, tuple] = {}
    for i in range(len(table)):
        if feedback.isCanceled():
            break
        code = int(table.mesh[i])
        if code not in cache:
            cache[code] = (mesh_rectangles([code], "1km")[0], mesh_feature_attributes([code], "1km")[0])
        geometry, head = cache[code]
        year, month = int(table.year[i]), int(table.month[i])
        dayflag, timezone = int(table.dayflag[i]), int(table.timezone[i])
        attrs = [
            *head,
            table.prefcode[i],
            table.citycode[i],
            year,
            month,
            dayflag,
            DAYFLAG_LABELS[dayflag],
            timezone,
            TIMEZONE_LABELS[timezone],
            float(table.population[i]),
            QDate(year, month, 1),
        ]
        sink.addFeature(new_feature(fields, geometry, attrs), QgsFeatureSink.Flag.FastInsert)
        written += 1
        if i % 2000 == 0:
            feedback.setProgress(40 + 60.0 * i / total)
    return written


class ImportPeopleFlowAlgorithm(SmartCityAlgorithm):
    """MLIT 1 km mesh people-flow CSVs (or their nested zips) to a mesh polygon layer."""

    NAME = "importpeopleflow"
    GROUP_ID = "peopleflow"
    INPUT = "INPUT"
    DAYFLAG = "DAYFLAG"
    TIMEZONE = "TIMEZONE"
    K = "K"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:
        return tr("Import MLIT people-flow data")

    def group(self) -> str:
        return tr("People flow and JIS mesh")

    def shortHelpString(self) -> str:
        return tr(
            "Reads one or many monthly_mdp_mesh1km.csv files of 全国の人流オープンデータ (MLIT), or the "
            "zip files (zips of zips) as published, into a 1 km mesh polygon layer with year, month, "
            "day type (休日/平日/全日), time zone (昼/深夜/終日), population and a date field that "
            "QGIS's Temporal Controller steps month by month. Rows that cannot be read are skipped and "
            "reported. Cells with fewer than k people are not written. "
            "Credit: 出典：「全国の人流オープンデータ」（国土交通省）"
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.INPUT, tr("People-flow CSV or zip files"), layerType=source_type("File")
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.DAYFLAG,
                tr("Day types to keep (empty = all)"),
                options=[tr("Holidays (休日)"), tr("Weekdays (平日)"), tr("All days (全日)")],
                allowMultiple=True,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.TIMEZONE,
                tr("Time zones to keep (empty = all)"),
                options=[tr("Daytime 11-14h (昼)"), tr("Late night 1-4h (深夜)"), tr("All day (終日)")],
                allowMultiple=True,
                optional=True,
            )
        )
        self.addParameter(k_parameter(self.K))
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, tr("People flow"), source_type("VectorPolygon"))
        )
        self.addOutput(QgsProcessingOutputNumber("ROWS", tr("Rows written")))
        self.addOutput(QgsProcessingOutputNumber("BAD_ROWS", tr("Rows skipped as unreadable")))
        self.addOutput(QgsProcessingOutputNumber("SUPPRESSED", tr("Cells suppressed (fewer than k people)")))

    def _chosen(self, parameters, name: str, context) -> list[int] | None:
        # parameterAsEnums() answers [0] for an optional multiple enum left empty
        raw = parameters.get(name)
        if raw is None or (isinstance(raw, list | tuple | str) and len(raw) == 0):
            return None
        return self.parameterAsEnums(parameters, name, context)

    def processAlgorithm(self, parameters, context, feedback):
        paths = self.parameterAsFileList(parameters, self.INPUT, context)
        if not paths:
            raise QgsProcessingException(tr("Choose at least one people-flow file."))
        dayflags = self._chosen(parameters, self.DAYFLAG, context)
        timezones = self._chosen(parameters, self.TIMEZONE, context)
        k, disclose = read_k(self, parameters, context, feedback, self.K)
        feedback.pushInfo(tr("Reading {0} file(s)…").format(len(paths)))
        try:
            table = read_people_flow(paths)
        except PeopleFlowError as exc:
            raise QgsProcessingException(
                tr("These files are not MLIT people-flow data or could not be read safely: {0}").format(exc)
            ) from exc
        if feedback.isCanceled():
            return {}
        feedback.setProgress(30)
        for problem in table.problems[:MAX_PROBLEMS_SHOWN]:
            feedback.pushWarning(tr("Skipped {0} line {1}: {2}").format(problem.source, problem.line, problem.reason))
        if len(table.problems) > MAX_PROBLEMS_SHOWN:
            feedback.pushWarning(tr("… and {0} more skipped rows.").format(len(table.problems) - MAX_PROBLEMS_SHOWN))
        table = table.filter(dayflags, timezones)
        rule = suppress_small_cells(table.population, k, allow_disclosure=disclose)
        table = table.select(rule.keep)
        fields = people_flow_fields()
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.Type.Polygon, mesh_crs()
        )
        if sink is None:
            raise QgsProcessingException(tr("Could not create the output layer."))
        written = write_people_flow(table, sink, fields, feedback)
        feedback.pushInfo(tr("{0} rows written; {1} rows skipped.").format(written, len(table.problems)))
        report_suppressed(feedback, rule.suppressed, k)
        feedback.pushInfo(CREDIT)
        # Files named as synthetic (the demo's) are credited as synthetic, never to MLIT.
        synthetic = any(says_synthetic(Path(path).name) for path in paths)
        StyleOnLoad.attach(
            context,
            dest_id,
            lambda layer: (style_people_flow_layer(layer), credit_people_flow(layer, synthetic)),
        )
        return {
            self.OUTPUT: dest_id,
            "ROWS": written,
            "BAD_ROWS": len(table.problems),
            "SUPPRESSED": rule.suppressed,
        }


ALGORITHMS = [ImportPeopleFlowAlgorithm]
