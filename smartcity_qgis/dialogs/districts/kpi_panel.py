"""The KPI panel of the district dock: the selected district's KPIs with their current value, baseline,
evaluation, target, attainment and a sparkline; adding, editing, measuring, and today's value live."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsFeature, QgsMessageLog, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QDate, QSize, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartcity_qgis.analysis.kpi import JST
from smartcity_qgis.analysis.kpi_schema import KnownTypes, KpiDefinition
from smartcity_qgis.dialogs.districts.kpi_editor import KpiEditorDialog
from smartcity_qgis.dialogs.districts.kpi_sparkline import sparkline
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.connection_probe import ConnectionProbeTask
from smartcity_qgis.layers.cityos.connections import DEMO_TENANTS, ConnectionStore, demo_connection
from smartcity_qgis.layers.districts.kpi_evaluation import (
    KpiEvaluation,
    evaluate_kpi,
    format_number,
    format_pct,
    kind_text,
    target_level,
    target_text,
)
from smartcity_qgis.layers.districts.kpi_local import alert_log_layers, district_area
from smartcity_qgis.layers.districts.kpi_measure import manual_values
from smartcity_qgis.layers.districts.kpi_store import read_kpis, read_values, write_kpis, write_values
from smartcity_qgis.layers.districts.kpi_task import (
    KpiMeasureTask,
    KpiPreviewTask,
    MeasureJob,
    district_jobs,
    measure_jobs,
    preview_local,
)
from smartcity_qgis.layers.districts.layer import district_file

LIVE_INTERVAL_MS = 5 * 60 * 1000
COLUMNS = ("name", "kind", "current", "baseline", "evaluation", "change", "target", "attainment", "trend")


def _exec(dialog: QDialog) -> int:
    return dialog.exec()  # exec_ is gone in Qt 6


def today_jst() -> dt.date:
    return dt.datetime.now(JST).date()


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class DistrictKpiPanel(QWidget):
    """KPIs of one district; reads and writes the district GeoPackage, measures in tasks."""

    changed = pyqtSignal()  # the table was refreshed

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("SmartCityKpiPanel")
        self.layer: QgsVectorLayer | None = None
        self.feature: QgsFeature | None = None
        self.kpis: list[KpiDefinition] = []
        self.evaluations: list[KpiEvaluation] = []
        self.known: KnownTypes | None = None
        self.config = None
        self.connection_name = ""
        self.tasks: list = []  # running tasks: kept alive until they finish
        body = QVBoxLayout(self)
        body.addLayout(self._connection_row())
        body.addLayout(self._period_grid())
        self.status = QLabel(tr("Select a pilot district on the map"))
        self.status.setObjectName("SmartCityKpiStatus")
        self.status.setWordWrap(True)
        body.addWidget(self.status)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("SmartCityKpiTable")
        self.table.setHorizontalHeaderLabels(
            [
                tr("KPI"), tr("Kind"), tr("Current"), tr("Baseline"), tr("Evaluation"), tr("Change"),
                tr("Target"), tr("Attainment"), tr("Trend"),
            ]
        )  # fmt: skip
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setIconSize(QSize(120, 28))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.doubleClicked.connect(lambda index: self.edit_kpi(index.row()))
        body.addWidget(self.table)
        body.addLayout(self._button_row())
        self.live_timer = QTimer(self)
        self.live_timer.setInterval(LIVE_INTERVAL_MS)
        self.live_timer.timeout.connect(self.measure_today)

    # -- building -------------------------------------------------------------------------------
    def _connection_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.connections = QComboBox()
        self.connections.setObjectName("SmartCityKpiConnection")
        self.reload_connections()
        self.connect_button = QPushButton(tr("Connect"))
        self.connect_button.clicked.connect(self.connect_city_os)
        self.connection_status = QLabel()
        row.addWidget(QLabel(tr("City OS")))
        row.addWidget(self.connections, 1)
        row.addWidget(self.connect_button)
        row.addWidget(self.connection_status)
        return row

    def _period_grid(self) -> QGridLayout:
        grid = QGridLayout()
        today = today_jst()
        self.eval_start, self.eval_end = QDateEdit(_qdate(today - dt.timedelta(days=30))), QDateEdit(_qdate(today))
        self.base_start = QDateEdit(_qdate(today - dt.timedelta(days=120)))
        self.base_end = QDateEdit(_qdate(today - dt.timedelta(days=31)))
        for row, (label, first, last) in enumerate(
            (
                (tr("Baseline period"), self.base_start, self.base_end),
                (tr("Evaluation period"), self.eval_start, self.eval_end),
            )
        ):
            grid.addWidget(QLabel(label), row, 0)
            for column, edit in ((1, first), (3, last)):
                edit.setCalendarPopup(True)
                edit.setDisplayFormat("yyyy-MM-dd")
                edit.dateChanged.connect(self.refresh)
                grid.addWidget(edit, row, column)
            grid.addWidget(QLabel("–"), row, 2)
        return grid

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, slot, name in (
            (tr("Add…"), self.add_kpi, "SmartCityKpiAdd"),
            (tr("Edit…"), lambda: self.edit_kpi(self.table.currentRow()), "SmartCityKpiEdit"),
            (tr("Remove"), lambda: self.remove_kpi(self.table.currentRow()), "SmartCityKpiRemove"),
            (tr("Measure"), self.measure, "SmartCityKpiMeasure"),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            row.addWidget(button)
        self.live = QCheckBox(tr("Today live"))
        self.live.setObjectName("SmartCityKpiLive")
        self.live.setToolTip(tr("Measure today's partial value every 5 minutes"))
        self.live.toggled.connect(self.set_live)
        row.addWidget(self.live)
        return row

    # -- connection -----------------------------------------------------------------------------
    def reload_connections(self) -> None:
        """Saved connections, then the demo city OSes."""
        current = self.connections.currentText()
        self.connections.clear()
        try:
            names = ConnectionStore().names()
        except Exception:  # unreadable settings must not break the panel
            names = []
        self.connections.addItems(names + [n for n in DEMO_TENANTS if n not in names])
        if current:
            self.connections.setCurrentText(current)

    def _connection(self):
        name = self.connections.currentText()
        if name in DEMO_TENANTS:
            return demo_connection(name)
        return ConnectionStore().get(name)

    def connect_city_os(self) -> ConnectionProbeTask | None:
        """Ask the city OS for its flavor and entity types (a task), for measuring and validation."""
        conn = self._connection()
        if conn is None:
            self.connection_status.setText(tr("Choose a connection"))
            return None
        task = ConnectionProbeTask(conn)
        task.probed.connect(self._probed)
        task.failed.connect(lambda _name, message: self.connection_status.setText(message))
        self.connection_status.setText(tr("Connecting…"))
        return self._start(task)

    def _probed(self, result) -> None:
        self.config = result.config
        self.connection_name = result.connection
        self.known = KnownTypes({t.name: set(t.attributes) for t in result.types})
        self.connection_status.setText(result.summary())

    def _start(self, task):
        self.tasks.append(task)
        task.taskCompleted.connect(lambda: self._forget(task))
        task.taskTerminated.connect(lambda: self._forget(task))
        QgsApplication.taskManager().addTask(task)
        return task

    def _forget(self, task) -> None:
        if task in self.tasks:
            self.tasks.remove(task)

    # -- district ---------------------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        return district_file(self.layer)[0] if self.layer is not None else None

    def set_district(self, layer: QgsVectorLayer | None, feature: QgsFeature | None) -> None:
        """Show the KPIs of ``feature`` of the district ``layer`` (None: nothing selected)."""
        self.layer, self.feature = layer, feature
        self.refresh()

    def periods(self) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
        def day(edit: QDateEdit) -> dt.date:
            return edit.date().toPyDate()

        return (day(self.base_start), day(self.base_end)), (day(self.eval_start), day(self.eval_end))

    def set_periods(self, baseline: tuple[dt.date, dt.date], evaluation: tuple[dt.date, dt.date]) -> None:
        for edit, day in zip(
            (self.base_start, self.base_end, self.eval_start, self.eval_end), (*baseline, *evaluation), strict=True
        ):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self.refresh()

    def refresh(self, *_args) -> None:
        """Re-read the KPIs and their values from the GeoPackage and fill the table."""
        self.table.setRowCount(0)
        self.kpis, self.evaluations = [], []
        if self.layer is None or self.feature is None:
            self.status.setText(tr("Select a pilot district on the map"))
            self.changed.emit()
            return
        path = self.path
        try:
            self.kpis = read_kpis(path, self.feature.id())
            baseline, evaluation = self.periods()
            self.evaluations = [evaluate_kpi(k, read_values(path, k), baseline, evaluation) for k in self.kpis]
        except Exception as exc:  # a file another program holds, a broken table: say it, keep the panel
            self.status.setText(tr("The KPIs cannot be read: {0}").format(exc))
            self.changed.emit()
            return
        name = self.feature["name"] if self.feature.fields().indexOf("name") >= 0 else self.feature.id()
        self.status.setText(tr("{0}: {1} KPIs").format(name, len(self.kpis)))
        self.table.setRowCount(len(self.evaluations))
        for row, result in enumerate(self.evaluations):
            self._fill_row(row, result, baseline, evaluation)
        self.changed.emit()

    def _fill_row(self, row: int, result: KpiEvaluation, baseline, evaluation) -> None:
        kpi, comparison = result.kpi, result.comparison
        current = format_number(result.current_value)
        if result.latest is not None:
            current += f" {kpi.unit}".rstrip() + f"（{result.latest.key}"
            current += tr(", partial)") if result.latest_partial else "）"
        texts = {
            "name": kpi.name,
            "kind": kind_text(kpi),
            "current": current,
            "baseline": f"{format_number(comparison.baseline_value)}（{comparison.n_baseline}日）"
            if comparison
            else "–",
            "evaluation": f"{format_number(comparison.evaluation_value)}（{comparison.n_evaluation}日）"
            if comparison
            else "–",
            "change": format_pct(comparison.change_pct) if comparison else "–",
            "target": target_text(kpi),
            "attainment": format_pct(result.attainment, signed=False),
            "trend": "",
        }
        for column, key in enumerate(COLUMNS):
            item = QTableWidgetItem(texts[key])
            if key == "trend" and result.series:
                item.setIcon(QIcon(sparkline(result.series, 120, 28, baseline, evaluation, target_level(result))))
            tips = [result.problem, *result.sources]
            if result.left_out:
                tips.append(tr("{0} periods of fewer than 10 people left out").format(len(result.left_out)))
            item.setToolTip("\n".join(t for t in tips if t))
            self.table.setItem(row, column, item)

    # -- editing ----------------------------------------------------------------------------------
    def _layers_for_editor(self) -> dict[str, list[str]]:
        project = QgsProject.instance()
        mesh = [
            layer.name()
            for layer in project.mapLayers().values()
            if isinstance(layer, QgsVectorLayer) and {"year", "month"} <= set(layer.fields().names())
        ]
        return {"mesh": mesh, "events": [layer.name() for layer in alert_log_layers(project)]}

    def editor(self, kpi: KpiDefinition) -> KpiEditorDialog:
        """The editor for ``kpi`` (its typed-in values included), previewing through this panel."""
        entries = []
        if kpi.method == "manual" and kpi.fid is not None and self.path is not None:
            entries = [
                (dt.date.fromisoformat(v.start), v.value) for v in read_values(self.path, kpi) if v.value is not None
            ]
        return KpiEditorDialog(kpi, self.known, self._layers_for_editor(), entries, self.preview, self)

    def save_edited(self, dialog: KpiEditorDialog, index: int | None) -> None:
        """Write the edited KPI (and typed-in values) in the district file, then refresh."""
        kpi = dialog.kpi()
        kpis = list(self.kpis)
        if index is None:
            kpis.append(kpi)
        else:
            kpis[index] = kpi
        fids = write_kpis(self.path, self.feature.id(), kpis)
        saved = kpi.copy(fid=fids[len(kpis) - 1 if index is None else index], district_fid=self.feature.id())
        if saved.method == "manual":
            entries, _problems = dialog.manual_entries()
            write_values(self.path, saved, manual_values(saved, entries, tr("typed in")))
        self.refresh()

    def add_kpi(self, run: Callable[[QDialog], int] | None = None) -> None:
        if self.feature is None:
            self.status.setText(tr("Select a pilot district on the map"))
            return
        dialog = self.editor(KpiDefinition(self.feature.id(), ""))
        if (run or _exec)(dialog) == QDialog.DialogCode.Accepted:
            self.save_edited(dialog, None)

    def edit_kpi(self, index: int, run: Callable[[QDialog], int] | None = None) -> None:
        if not 0 <= index < len(self.kpis):
            return
        dialog = self.editor(self.kpis[index])
        if (run or _exec)(dialog) == QDialog.DialogCode.Accepted:
            self.save_edited(dialog, index)

    def remove_kpi(self, index: int, confirm: bool = True) -> None:
        if not 0 <= index < len(self.kpis):
            return
        kpi = self.kpis[index]
        if (
            confirm
            and QMessageBox.question(self, tr("Remove KPI"), tr("Remove {0} and its stored values?").format(kpi.name))
            != QMessageBox.StandardButton.Yes
        ):
            return
        write_kpis(self.path, self.feature.id(), [k for i, k in enumerate(self.kpis) if i != index])
        self.refresh()

    # -- measuring --------------------------------------------------------------------------------
    def _jobs(self, start: dt.date, end: dt.date) -> list[MeasureJob]:
        return district_jobs(self.layer, start, end, [self.feature.id()])

    def measure(self, start: dt.date | None = None, end: dt.date | None = None) -> KpiMeasureTask | None:
        """Measure every KPI of the district over both periods: project layers now, the city OS in a task."""
        if self.feature is None:
            return None
        baseline, evaluation = self.periods()
        start = start or min(baseline[0], evaluation[0])
        end = end or max(baseline[1], evaluation[1])
        jobs = self._jobs(start, end)
        local = [job for job in jobs if job.local]
        messages = []
        for outcome in measure_jobs(self.path, local):
            messages.append(outcome.error or tr("{0}: {1} periods stored").format(outcome.kpi.name, outcome.stored))
        remote = [job for job in jobs if not job.local]
        if remote and self.config is None:
            messages.append(tr("Connect to a city OS to measure {0} KPIs").format(len(remote)))
            remote = []
        self.refresh()
        self.status.setText("\n".join([self.status.text(), *messages]))
        if not remote:
            return None
        task = KpiMeasureTask(self.path, remote, self.config, self.connection_name)
        task.measured.connect(self._measured)
        task.failed.connect(self.status.setText)
        return self._start(task)

    def _measured(self, outcomes) -> None:
        self.refresh()
        lines = [self.status.text()]
        for outcome in outcomes:
            if outcome.error:
                lines.append(outcome.error)
                QgsMessageLog.logMessage(outcome.error, "SmartCity", Qgis.MessageLevel.Warning)
            else:
                lines.append(tr("{0}: {1} periods stored").format(outcome.kpi.name, outcome.stored))
        self.status.setText("\n".join(lines))

    def measure_today(self) -> KpiMeasureTask | None:
        """Today's partial values (the live mode's tick)."""
        return self.measure(today_jst(), today_jst())

    def set_live(self, on: bool) -> None:
        if on:
            self.measure_today()
            self.live_timer.start()
        else:
            self.live_timer.stop()

    def preview(self, kpi: KpiDefinition, done: Callable[[object], None], failed: Callable[[str], None]) -> bool:
        """The editor's preview: the last 14 days without storing (city OS in a task, layers at once)."""
        if self.feature is None or self.layer is None:
            failed(tr("Select a pilot district on the map"))
            return False
        end = today_jst()
        area = district_area(self.feature.geometry(), self.layer.crs())
        job = MeasureJob("", kpi, area, end - dt.timedelta(days=13), end)
        if job.local:
            try:
                done(preview_local(job))
            except Exception as exc:  # shown in the editor, not raised into Qt
                failed(str(exc))
                return False
            return True
        if self.config is None:
            failed(tr("Connect to a city OS first"))
            return False
        task = KpiPreviewTask(job, self.config)
        task.measured.connect(done)
        task.failed.connect(failed)
        self._start(task)
        return True

    def stop(self) -> None:
        """Stop the live timer and cancel running tasks (the plugin unloads)."""
        self.live_timer.stop()
        for task in list(self.tasks):
            task.cancel()
