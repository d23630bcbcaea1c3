"""Processing: the planning map figure and the planning pack."""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProject,
)

from smartcity_qgis.algorithms.alg_districts import fact_sheet_inputs, fact_sheet_parameters
from smartcity_qgis.algorithms.base import SmartCityAlgorithm
from smartcity_qgis.export.figure import FORMATS, FigureError, FigureSpec, build_figure, export_layout
from smartcity_qgis.export.planning_pack import build_planning_pack, export_planning_pack
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.districts.pack_inputs import (
    LAYER_LIST_PARAMETERS,
    LAYER_PARAMETERS,
    VALUE_PARAMETERS,
    remember_pack_choices,
)

PAGE_SIZES = ["A4", "A3"]


def kpi_period_parameters() -> list[tuple[str, str]]:
    """The four optional dates of the KPI page's periods."""
    return [
        ("BASELINE_START", tr("Baseline period: first day")),
        ("BASELINE_END", tr("Baseline period: last day")),
        ("EVAL_START", tr("Evaluation period: first day")),
        ("EVAL_END", tr("Evaluation period: last day")),
    ]


def date_parameter(name: str, description: str, optional: bool = False) -> QgsProcessingParameterDateTime:
    """A date (no time) parameter, as the running QGIS spells its type."""
    enum = getattr(Qgis, "ProcessingDateTimeParameterDataType", None)  # QGIS 3.36+
    kind = enum.Date if enum is not None else QgsProcessingParameterDateTime.Type.Date
    return QgsProcessingParameterDateTime(name, description, type=kind, optional=optional)


ORIENTATIONS = ["portrait", "landscape"]


def _base_map_parameter(alg) -> None:
    alg.addParameter(
        QgsProcessingParameterBoolean(
            "BASE_MAP", tr("GSI pale map underneath when it can be reached (地理院タイル)"), defaultValue=True
        )
    )


def _live_labels_parameter(alg) -> None:
    parameter = QgsProcessingParameterBoolean(
        "LIVE_LABELS", tr("Print the live labels (levels, trends) instead of names only"), defaultValue=False
    )
    parameter.setFlags(parameter.flags() | parameter.FlagAdvanced)
    alg.addParameter(parameter)


def _page_parameters(alg, orientation_default: int) -> None:
    alg.addParameter(QgsProcessingParameterEnum("PAGE_SIZE", tr("Page size"), PAGE_SIZES, defaultValue=0))
    alg.addParameter(
        QgsProcessingParameterEnum(
            "ORIENTATION", tr("Orientation"), [tr("Portrait"), tr("Landscape")], defaultValue=orientation_default
        )
    )


class _LayoutAlgorithm(SmartCityAlgorithm):
    GROUP_ID = "districts"

    def group(self) -> str:
        return tr("Pilot districts and planning")

    def flags(self):
        # Print layouts belong to the project and render on the main thread.
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading


class PlanningFigureAlgorithm(_LayoutAlgorithm):
    """A print-ready map figure for planning documents."""

    NAME = "planningfigure"

    def displayName(self) -> str:
        return tr("Planning map figure")

    def shortHelpString(self) -> str:
        return tr(
            "Builds a print layout (A4 or A3, portrait or landscape) with title, subtitle and date, the map at "
            "the given extent or fitted to the districts (the selected ones, or all), a legend of the visible "
            "layers, a metric scale bar, a north arrow, an overview with the district outlined and the sources "
            "from the layers' metadata; exports it as PDF, PNG or SVG and keeps the layout in the project."
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                "LAYERS", tr("Map layers (top first)"), QgsProcessing.SourceType.TypeMapLayer, optional=True
            )
        )
        self.addParameter(QgsProcessingParameterExtent("EXTENT", tr("Map extent"), optional=True))
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "DISTRICTS", tr("Fit to districts"), [QgsProcessing.SourceType.TypeVectorPolygon], optional=True
            )
        )
        self.addParameter(QgsProcessingParameterString("TITLE", tr("Title"), defaultValue=tr("Planning map")))
        self.addParameter(QgsProcessingParameterString("SUBTITLE", tr("Subtitle"), optional=True))
        _page_parameters(self, 1)
        self.addParameter(QgsProcessingParameterEnum("FORMAT", tr("Format"), list(FORMATS), defaultValue=0))
        self.addParameter(
            QgsProcessingParameterNumber("DPI", tr("Resolution (dpi)"), defaultValue=300, minValue=50, maxValue=1200)
        )
        _base_map_parameter(self)
        _live_labels_parameter(self)
        self.addParameter(
            QgsProcessingParameterFileDestination(
                "OUTPUT", tr("Figure file"), tr("PDF, PNG or SVG (*.pdf *.png *.svg)")
            )
        )

    def processAlgorithm(self, parameters, context, feedback):
        districts = self.parameterAsVectorLayer(parameters, "DISTRICTS", context)
        extent = None
        if parameters.get("EXTENT"):
            extent = self.parameterAsExtent(parameters, "EXTENT", context)
        spec = FigureSpec(
            title=self.parameterAsString(parameters, "TITLE", context),
            subtitle=self.parameterAsString(parameters, "SUBTITLE", context),
            layers=self.parameterAsLayerList(parameters, "LAYERS", context),
            page_size=PAGE_SIZES[self.parameterAsEnum(parameters, "PAGE_SIZE", context)],
            orientation=ORIENTATIONS[self.parameterAsEnum(parameters, "ORIENTATION", context)],
            extent=extent,
            extent_crs=self.parameterAsExtentCrs(parameters, "EXTENT", context) if extent else None,
            districts=districts,
            project=context.project() or QgsProject.instance(),
            base_map=self.parameterAsBoolean(parameters, "BASE_MAP", context),
        )
        fmt = FORMATS[self.parameterAsEnum(parameters, "FORMAT", context)]
        output = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        try:
            layout = build_figure(spec)
            path = export_layout(
                layout,
                output,
                fmt,
                self.parameterAsInt(parameters, "DPI", context),
                live_labels=self.parameterAsBoolean(parameters, "LIVE_LABELS", context),
            )
        except FigureError as exc:
            raise QgsProcessingException(str(exc)) from exc
        return {"OUTPUT": str(path), "LAYOUT": layout.name()}


class PlanningPackAlgorithm(_LayoutAlgorithm):
    """Cover, then a map page and a fact-sheet page for each district, in one PDF."""

    NAME = "planningpack"

    def displayName(self) -> str:
        return tr("Planning pack")

    def shortHelpString(self) -> str:
        return (
            tr(
                "One PDF to attach to a plan: a cover page listing the pilot districts, then for each district a "
                "map page and a fact-sheet page with its KPI table. Re-running it after the data changed "
                "reproduces it with the new figures."
            )
            + "\n\n"
            + tr(
                "Districts with KPIs get a KPI page: a table (baseline and evaluation values with the days behind "
                "each, change, target, attainment) and one chart per KPI with both periods shaded and the target "
                "line. BASELINE_START, BASELINE_END, EVAL_START and EVAL_END (optional, all four) set the periods; "
                "the values are those stored in the district GeoPackage (measure them with District KPI evaluation)."
            )
        )

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "DISTRICTS", tr("Pilot districts"), [QgsProcessing.SourceType.TypeVectorPolygon]
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                "LAYERS", tr("Map layers (top first)"), QgsProcessing.SourceType.TypeMapLayer, optional=True
            )
        )
        self.addParameter(QgsProcessingParameterString("TITLE", tr("Title"), defaultValue=tr("Pilot district plan")))
        self.addParameter(QgsProcessingParameterString("SUBTITLE", tr("Subtitle"), optional=True))
        self.addParameter(
            QgsProcessingParameterString(
                "ORGANISATION", tr("Author organisation (default: the project's author)"), optional=True
            )
        )
        _page_parameters(self, 0)
        fact_sheet_parameters(self)
        _base_map_parameter(self)
        _live_labels_parameter(self)
        for name, label in kpi_period_parameters():
            self.addParameter(date_parameter(name, label, optional=True))
        self.addParameter(QgsProcessingParameterFileDestination("OUTPUT", tr("Planning pack PDF"), tr("PDF (*.pdf)")))

    def processAlgorithm(self, parameters, context, feedback):
        districts = self.parameterAsVectorLayer(parameters, "DISTRICTS", context)
        if districts is None:
            raise QgsProcessingException(tr("No district layer was given"))
        try:
            layout = build_planning_pack(
                districts,
                self.parameterAsLayerList(parameters, "LAYERS", context),
                self.parameterAsString(parameters, "TITLE", context),
                self.parameterAsString(parameters, "SUBTITLE", context),
                fact_sheet_inputs(self, parameters, context),
                PAGE_SIZES[self.parameterAsEnum(parameters, "PAGE_SIZE", context)],
                ORIENTATIONS[self.parameterAsEnum(parameters, "ORIENTATION", context)],
                project=context.project() or QgsProject.instance(),
                organisation=self.parameterAsString(parameters, "ORGANISATION", context) or None,
                base_map=self.parameterAsBoolean(parameters, "BASE_MAP", context),
                kpi_periods=self._kpi_periods(parameters, context),
            )
            path = export_planning_pack(
                layout,
                self.parameterAsFileOutput(parameters, "OUTPUT", context),
                live_labels=self.parameterAsBoolean(parameters, "LIVE_LABELS", context),
            )
        except FigureError as exc:
            raise QgsProcessingException(str(exc)) from exc
        chosen = {key: parameters.get(key) for key in VALUE_PARAMETERS if key in parameters}
        for key in LAYER_PARAMETERS:
            chosen[key] = self.parameterAsVectorLayer(parameters, key, context)
        for key in LAYER_LIST_PARAMETERS:
            chosen[key] = self.parameterAsLayerList(parameters, key, context)
        remember_pack_choices(context.project() or QgsProject.instance(), chosen)
        return {"OUTPUT": str(path), "LAYOUT": layout.name(), "PAGES": layout.pageCollection().pageCount()}

    def _kpi_periods(self, parameters, context):
        days = []
        for name, _label in kpi_period_parameters():
            value = self.parameterAsDateTime(parameters, name, context) if parameters.get(name) else None
            days.append(value.date().toPyDate() if value is not None and value.isValid() else None)
        if all(day is None for day in days):
            return None
        if any(day is None for day in days):
            raise QgsProcessingException(tr("Give all four KPI period dates, or none"))
        baseline, evaluation = (days[0], days[1]), (days[2], days[3])
        if baseline[0] > baseline[1] or evaluation[0] > evaluation[1]:
            raise QgsProcessingException(tr("A period starts after it ends: {0} – {1}").format(*days[:2]))
        return baseline, evaluation


ALGORITHMS = [PlanningFigureAlgorithm, PlanningPackAlgorithm]
