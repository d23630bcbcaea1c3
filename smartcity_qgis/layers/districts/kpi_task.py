"""Measuring the KPIs of districts and storing the values: synchronously (Processing, scripts) or as
a QgsTask in QGIS's task manager (the KPI panel), with progress and cancel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qgis.core import QgsProject, QgsTask, QgsVectorLayer
from qgis.PyQt.QtCore import pyqtSignal

from smartcity_qgis.analysis.kpi_schema import KpiDefinition
from smartcity_qgis.cityos_client import CancelledError, CityOSClient, CityOSError
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.messages import error_message
from smartcity_qgis.layers.districts.kpi_local import (
    DistrictArea,
    alert_log_layers,
    district_area,
    measure_events,
    measure_mesh,
)
from smartcity_qgis.layers.districts.kpi_measure import KpiMeasureError, MeasureOutcome, measure_cityos
from smartcity_qgis.layers.districts.kpi_store import read_kpis, write_values
from smartcity_qgis.layers.districts.layer import district_file


@dataclass
class MeasureJob:
    """One KPI of one district over JST days ``start``–``end``."""

    district_name: str
    kpi: KpiDefinition
    area: DistrictArea
    start: dt.date
    end: dt.date

    @property
    def local(self) -> bool:
        """Measured from project layers (main thread), not from the city OS."""
        return self.kpi.method in ("mesh", "events")


def district_jobs(
    districts: QgsVectorLayer,
    start: dt.date,
    end: dt.date,
    feature_ids: Iterable[int] | None = None,
    methods: Sequence[str] = ("cityos", "mesh", "events"),
) -> list[MeasureJob]:
    """The jobs for every measurable KPI of the districts (or of ``feature_ids``)."""
    path, _table = district_file(districts)
    kpis = read_kpis(path)
    wanted = set(feature_ids) if feature_ids is not None else None
    jobs = []
    for feature in districts.getFeatures():
        if (wanted is not None and feature.id() not in wanted) or not feature.hasGeometry():
            continue
        area = None
        for kpi in kpis:
            if kpi.district_fid != feature.id() or kpi.method not in methods:
                continue
            area = area or district_area(feature.geometry(), districts.crs())
            name = str(feature["name"]) if feature.fields().indexOf("name") >= 0 else str(feature.id())
            jobs.append(MeasureJob(name, kpi, area, start, end))
    return jobs


def _layer_named(name: str, project: QgsProject, accept: Callable[[QgsVectorLayer], bool]) -> QgsVectorLayer | None:
    layers = [layer for layer in project.mapLayers().values() if isinstance(layer, QgsVectorLayer) and accept(layer)]
    if name:
        return next((layer for layer in layers if layer.name() == name), None)
    return layers[0] if layers else None


def _measure_local(job: MeasureJob, project: QgsProject) -> MeasureOutcome:
    kpi = job.kpi
    if kpi.method == "mesh":
        layer = _layer_named(kpi.source_layer, project, lambda lyr: {"year", "month"} <= set(lyr.fields().names()))
        if layer is None:
            raise KpiMeasureError(
                tr("{0}: there is no people-flow layer {1} in the project").format(kpi.name, kpi.source_layer)
            )
        return measure_mesh(kpi, job.area, layer, job.start, job.end)
    logs = alert_log_layers(project)
    log = next((lyr for lyr in logs if not kpi.source_layer or lyr.name() == kpi.source_layer), None)
    if log is None:
        raise KpiMeasureError(tr("{0}: there is no river alert log in the project").format(kpi.name))
    return measure_events(kpi, job.area, log, job.start, job.end)


def measure_jobs(
    path: str | Path,
    jobs: Sequence[MeasureJob],
    config: Any = None,
    source_name: str = "",
    project: QgsProject | None = None,
    progress: Callable[[float], Any] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> list[MeasureOutcome]:
    """Measure each job and store its values (one transaction per KPI); problems stay with their KPI.

    City-OS jobs share one client made from ``config``; without a config they report that.
    ``CancelledError`` stops everything; what was stored before stays.
    """
    project = project or QgsProject.instance()
    outcomes: list[MeasureOutcome] = []
    client = None
    try:
        for index, job in enumerate(jobs):
            if cancel is not None and cancel():
                raise CancelledError("cancelled")

            def step(percent: float, index: int = index) -> None:
                if progress is not None:
                    progress(100.0 * (index + percent / 100.0) / len(jobs))

            try:
                if job.local:
                    outcome = _measure_local(job, project)
                elif job.kpi.method == "cityos":
                    if config is None:
                        raise KpiMeasureError(tr("{0}: choose a city OS connection").format(job.kpi.name))
                    client = client or CityOSClient(config)
                    outcome = measure_cityos(
                        client, job.kpi, job.area.lonlat, job.start, job.end, source_name, step, cancel
                    )
                else:
                    continue  # manual values are typed in, not measured
                outcome.stored = write_values(path, job.kpi, outcome.values) if outcome.values else 0
            except CancelledError:
                raise
            except CityOSError as exc:
                outcome = MeasureOutcome(job.kpi, error=f"{job.kpi.name}: {error_message(exc)}")
            except KpiMeasureError as exc:
                outcome = MeasureOutcome(job.kpi, error=str(exc))
            outcomes.append(outcome)
            step(100.0)
    finally:
        if client is not None:
            client.close()
    return outcomes


class KpiMeasureTask(QgsTask):
    """City-OS KPIs measured in QGIS's task manager; ``measured`` gives the outcomes on the main thread."""

    measured = pyqtSignal(object)  # list[MeasureOutcome]
    failed = pyqtSignal(str)

    def __init__(self, path: str | Path, jobs: Sequence[MeasureJob], config: Any, source_name: str = "") -> None:
        super().__init__(tr("Measuring KPIs from the city OS"), QgsTask.Flag.CanCancel)
        self.path = Path(path)
        self.jobs = [job for job in jobs if not job.local]
        self.config = config
        self.source_name = source_name
        self.outcomes: list[MeasureOutcome] = []
        self.error = ""

    def run(self) -> bool:
        try:
            self.outcomes = measure_jobs(
                self.path, self.jobs, self.config, self.source_name, progress=self.setProgress, cancel=self.isCanceled
            )
        except CancelledError:
            self.error = tr("Measuring was cancelled; the KPIs measured before stay stored.")
            return False
        except Exception as exc:  # reported in finished(): a task must not raise
            self.error = str(exc)
            return False
        return True

    def finished(self, ok: bool) -> None:
        if ok:
            self.measured.emit(self.outcomes)
        else:
            self.failed.emit(self.error or tr("Measuring was cancelled; the KPIs measured before stay stored."))


class KpiPreviewTask(QgsTask):
    """One city-OS KPI measured over a few days without storing anything (the editor's preview)."""

    measured = pyqtSignal(object)  # MeasureOutcome
    failed = pyqtSignal(str)

    def __init__(self, job: MeasureJob, config: Any) -> None:
        super().__init__(tr("Previewing a KPI from the city OS"), QgsTask.Flag.CanCancel)
        self.job = job
        self.config = config
        self.outcome: MeasureOutcome | None = None
        self.error = ""

    def run(self) -> bool:
        job = self.job
        try:
            with CityOSClient(self.config) as client:
                self.outcome = measure_cityos(
                    client, job.kpi, job.area.lonlat, job.start, job.end, "", self.setProgress, self.isCanceled
                )
        except CancelledError:
            return False
        except CityOSError as exc:
            self.error = error_message(exc)
            return False
        except KpiMeasureError as exc:
            self.error = str(exc)
            return False
        return True

    def finished(self, ok: bool) -> None:
        if ok and self.outcome is not None:
            self.measured.emit(self.outcome)
        else:
            self.failed.emit(self.error or tr("Cancelled."))


def preview_local(job: MeasureJob, project: QgsProject | None = None) -> MeasureOutcome:
    """A mesh or event KPI measured without storing (quick: project layers, no network)."""
    return _measure_local(job, project or QgsProject.instance())
