"""Processing: KPI evaluation of pilot districts (効果検証), baseline against evaluation period."""

from __future__ import annotations

import datetime as dt

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsWkbTypes,
)

from smartcity_qgis.algorithms.alg_cityos import resolve_connection
from smartcity_qgis.algorithms.alg_planning import date_parameter, kpi_period_parameters
from smartcity_qgis.algorithms.base import SmartCityAlgorithm
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.entity_schema import DOUBLE, INT, STRING, qgs_field
from smartcity_qgis.layers.districts.kpi_evaluation import evaluate_kpi, method_text
from smartcity_qgis.layers.districts.kpi_store import has_kpi_tables, read_kpis, read_values
from smartcity_qgis.layers.districts.kpi_task import district_jobs, measure_jobs
from smartcity_qgis.layers.districts.layer import district_file

OUTPUT_FIELDS = (
    ("district", STRING),
    ("kpi", STRING),
    ("kind", STRING),
    ("unit", STRING),
    ("method", STRING),
    ("baseline_start", STRING),
    ("baseline_end", STRING),
    ("baseline_value", DOUBLE),
    ("n_baseline", INT),
    ("evaluation_start", STRING),
    ("evaluation_end", STRING),
    ("evaluation_value", DOUBLE),
    ("n_evaluation", INT),
    ("change", DOUBLE),
    ("change_pct", DOUBLE),
    ("target", DOUBLE),
    ("target_type", STRING),
    ("target_year", INT),
    ("attainment_pct", DOUBLE),
    ("left_out", INT),
    ("source", STRING),
    ("note", STRING),
)


def kpi_output_fields() -> QgsFields:
    """Fields of the KPI evaluation table."""
    fields = QgsFields()
    for name, kind in OUTPUT_FIELDS:
        fields.append(qgs_field(name, kind))
    return fields


class DistrictKpiAlgorithm(SmartCityAlgorithm):
    """Each district's KPIs measured and compared: baseline against evaluation period, target attainment."""

    NAME = "districtkpi"
    GROUP_ID = "districts"

    def displayName(self) -> str:
        return tr("District KPI evaluation")

    def group(self) -> str:
        return tr("Pilot districts and planning")

    def shortHelpString(self) -> str:
        return tr(
            "Evaluates the KPIs defined for each pilot district in its GeoPackage (効果検証): measures them "
            "from the city OS history (entities inside the district), the people-flow mesh or the river alert "
            "log over both periods, stores the values in the GeoPackage (a period measured again is replaced), "
            "then compares the baseline period with the evaluation period in Japan time.\n\n"
            "DISTRICTS: the district layer (districts.gpkg).\n"
            "CONNECTION: a saved city OS connection name or a broker URL (needed for city-OS KPIs).\n"
            "BASELINE_START, BASELINE_END, EVAL_START, EVAL_END: the two periods, whole days, inclusive.\n"
            "MEASURE: measure before comparing (off: compare the values already stored).\n"
            "OUTPUT: one row per district and KPI with both values, the days behind each, the change, the "
            "change in percent and the attainment of the target. Periods of people counts standing for fewer "
            "than 10 people are left out (left_out)."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "DISTRICTS", tr("Pilot districts"), [QgsProcessing.SourceType.TypeVectorPolygon]
            )
        )
        self.addParameter(QgsProcessingParameterString("CONNECTION", tr("Connection name or URL"), optional=True))
        for name, label in kpi_period_parameters():
            self.addParameter(date_parameter(name, label))
        self.addParameter(QgsProcessingParameterBoolean("MEASURE", tr("Measure before comparing"), True))
        self.addParameter(
            QgsProcessingParameterFeatureSink("OUTPUT", tr("KPI evaluation"), QgsProcessing.SourceType.TypeVector)
        )

    def _date(self, parameters, name: str, context) -> dt.date:
        value = self.parameterAsDateTime(parameters, name, context)
        if value is None or not value.isValid():
            raise QgsProcessingException(tr("Give a date for {0}").format(name))
        return value.date().toPyDate()

    def processAlgorithm(self, parameters, context, feedback):
        districts = self.parameterAsVectorLayer(parameters, "DISTRICTS", context)
        if districts is None:
            raise QgsProcessingException(tr("No district layer was given"))
        path, _table = district_file(districts)
        if not path.exists() or not has_kpi_tables(path):
            raise QgsProcessingException(tr("{0} holds no KPI definitions; open it as a district file").format(path))
        baseline = (self._date(parameters, "BASELINE_START", context), self._date(parameters, "BASELINE_END", context))
        evaluation = (self._date(parameters, "EVAL_START", context), self._date(parameters, "EVAL_END", context))
        for first, last in (baseline, evaluation):
            if first > last:
                raise QgsProcessingException(tr("A period starts after it ends: {0} – {1}").format(first, last))
        if self.parameterAsBool(parameters, "MEASURE", context):
            self._measure(districts, path, parameters, context, feedback, baseline, evaluation)
        sink, dest = self.parameterAsSink(
            parameters, "OUTPUT", context, kpi_output_fields(), QgsWkbTypes.Type.NoGeometry, districts.crs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, "OUTPUT"))
        names = {f.id(): str(f["name"]) for f in districts.getFeatures()}
        rows = 0
        for kpi in read_kpis(path):
            if kpi.district_fid not in names:
                continue
            result = evaluate_kpi(kpi, read_values(path, kpi), baseline, evaluation)
            comparison = result.comparison
            feature = QgsFeature(kpi_output_fields())
            feature.setAttributes(
                [
                    names[kpi.district_fid], kpi.name, kpi.kind, kpi.unit, method_text(kpi),
                    baseline[0].isoformat(), baseline[1].isoformat(),
                    comparison.baseline_value if comparison else None, comparison.n_baseline if comparison else None,
                    evaluation[0].isoformat(), evaluation[1].isoformat(),
                    comparison.evaluation_value if comparison else None,
                    comparison.n_evaluation if comparison else None,
                    comparison.change if comparison else None, comparison.change_pct if comparison else None,
                    kpi.target, kpi.target_type, kpi.target_year, result.attainment, len(result.left_out),
                    "; ".join(result.sources), result.problem,
                ]
            )  # fmt: skip
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
            rows += 1
        feedback.pushInfo(tr("{0} KPIs evaluated").format(rows))
        return {"OUTPUT": dest, "KPI_COUNT": rows}

    def _measure(self, districts, path, parameters, context, feedback, baseline, evaluation) -> None:
        jobs = district_jobs(districts, min(baseline[0], evaluation[0]), max(baseline[1], evaluation[1]))
        config, name = None, ""
        text = self.parameterAsString(parameters, "CONNECTION", context)
        if any(job.kpi.method == "cityos" for job in jobs):
            if not (text or "").strip():
                feedback.pushWarning(tr("No city OS connection was given: city-OS KPIs are compared as stored"))
                jobs = [job for job in jobs if job.kpi.method != "cityos"]
            else:
                config, saved = resolve_connection(text)
                name = saved or config.url
        from smartcity_qgis.cityos_client import CancelledError

        try:
            outcomes = measure_jobs(
                path, jobs, config, name, context.project(), feedback.setProgress, feedback.isCanceled
            )
        except CancelledError as exc:
            raise QgsProcessingException(tr("Measuring was cancelled; the KPIs measured before stay stored.")) from exc
        for outcome in outcomes:
            if outcome.error:
                feedback.reportError(outcome.error)
                continue
            feedback.pushInfo(
                tr("{0}: {1} periods stored from {2}").format(outcome.kpi.name, outcome.stored, outcome.source)
            )
            if outcome.left_out:
                feedback.pushInfo(
                    tr("{0}: {1} periods of fewer than 10 people left out").format(
                        outcome.kpi.name, len(outcome.left_out)
                    )
                )
            for warning in outcome.warnings:
                feedback.pushWarning(warning)


ALGORITHMS = [DistrictKpiAlgorithm]
