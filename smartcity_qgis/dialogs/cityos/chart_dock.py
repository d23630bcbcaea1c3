"""A chart of a numeric attribute of the selected sensors over time, growing with live values.

History comes from the city OS (NGSI-LD temporal API, or QuantumLeap beside NGSI-v2) in a
QgsTask; live values arrive from the live updaters. The chart can be saved as PNG or SVG
(for a print layout or a report).
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.backends.backend_qt5agg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from qgis.core import QgsApplication, QgsTask, QgsVectorLayer
from qgis.gui import QgsDockWidget
from qgis.PyQt import sip
from qgis.PyQt.QtCore import Qt, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smartcity_qgis.dialogs.cityos.chart_live import LiveValues, history_source, history_unavailable, merged
from smartcity_qgis.dialogs.plugin_ui import icon
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.entity_features import schema_of_layer
from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta, is_entity_layer
from smartcity_qgis.layers.cityos.entity_schema import DOUBLE, INT, FieldSpec
from smartcity_qgis.layers.cityos.units import unit_symbol
from smartcity_qgis.local_time import local_text, project_zone, zone_label

CHART_DOCK_OBJECT_NAME = "SmartCityChartDock"
MAX_SERIES = 10
CJK_FONTS = ("Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "TakaoGothic", "Yu Gothic", "Meiryo")
NAME_FIELDS = ("stationName", "name", "title")
PERIODS = ((1, "1 h"), (6, "6 h"), (24, "24 h"), (24 * 7, "7 d"), (24 * 30, "30 d"))


SECONDS_ON_TICKS_BELOW = 30 * 60  # span of the time axis, in seconds
MIN_TIME_AXIS_S = 60


def cjk_font_family() -> list[str]:
    """Font families for Japanese labels: the first installed CJK font, then sans-serif."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [*[name for name in CJK_FONTS if name in installed][:1], "DejaVu Sans", "sans-serif"]


def numeric_specs(layer: QgsVectorLayer) -> list[FieldSpec]:
    """The attribute specs of an entity layer held in numeric fields (those a chart can plot)."""
    schema = schema_of_layer(layer)
    if schema is None:
        return []
    return [spec for spec in schema.value_specs() if spec.kind in (INT, DOUBLE)]


def numeric_attributes(layer: QgsVectorLayer) -> list[str]:
    """Attributes of an entity layer held in numeric fields, by the broker's names."""
    return [spec.attr for spec in numeric_specs(layer)]


def feature_label(feature) -> str:
    """A short name for a feature: its name attribute if it has one, else its entity id."""
    fields = feature.fields()
    for name in NAME_FIELDS:
        if fields.indexOf(name) >= 0 and feature[name] not in (None, ""):
            return str(feature[name])
    return str(feature["entity_id"])


class HistorySeriesTask(QgsTask):
    """Fetches the history of one attribute of several entities (network, in the task manager)."""

    fetched = pyqtSignal(object)  # dict entity id -> list[(datetime, value)]
    failed = pyqtSignal(str)

    def __init__(self, config: Any, entity_ids: list[str], attr: str, start: datetime | None) -> None:
        from smartcity_qgis.layers.cityos.messages import quiet_task_flags

        super().__init__(tr("Loading history from the city OS"), quiet_task_flags())
        self.config = config
        self.entity_ids = entity_ids
        self.attr = attr
        self.start = start
        self.series: dict[str, list[tuple[datetime, Any]]] = {}
        self.error = ""
        self.unavailable = ""  # why the city OS gave no history (it answered), "" otherwise

    def run(self) -> bool:
        from smartcity_qgis.cityos_client import CityOSClient
        from smartcity_qgis.layers.cityos.messages import error_message

        try:
            with CityOSClient(self.config) as client:
                for index, entity_id in enumerate(self.entity_ids):
                    if self.isCanceled():
                        return False
                    self.series[entity_id] = client.history(entity_id, self.attr, start=self.start)
                    self.setProgress(100.0 * (index + 1) / len(self.entity_ids))
        except Exception as exc:  # shown in the dock, never raised into the task manager
            self.error = error_message(exc)
            if history_unavailable(exc):
                status = getattr(exc, "status", None)
                self.unavailable = f"HTTP {status}" if status else tr("no history service")
            return False
        return True

    def finished(self, ok: bool) -> None:
        if ok:
            self.fetched.emit(self.series)
        else:
            self.failed.emit(self.error or tr("Cancelled."))


class ChartDock(QgsDockWidget):
    """Plots the history of a numeric attribute of the selected features of an entity layer."""

    drawn = pyqtSignal()

    def __init__(self, iface, live=None, parent: QWidget | None = None) -> None:
        super().__init__(tr("City OS chart"), parent)
        self.setObjectName(CHART_DOCK_OBJECT_NAME)
        self.setWindowIcon(icon("chart.svg"))
        self.iface = iface
        self.layer: QgsVectorLayer | None = None
        self.labels: dict[str, str] = {}
        self.series: dict[str, list[tuple[datetime, float]]] = {}
        self.thresholds: list[tuple[str, float, str]] = []
        self.bands: list[tuple[float, float, str]] = []  # (low, high, colour) shaded behind the series
        self.value_label = ""  # the y-axis title when a caller hands the series over (show_series)
        self._task: HistorySeriesTask | None = None
        self.seen = LiveValues()  # every live value delivered, for charts without a history
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(500)  # live values arrive in bursts: draw at most twice a second
        self._redraw.timeout.connect(self.draw)
        self._reselect = QTimer(self)
        self._reselect.setSingleShot(True)
        self._reselect.setInterval(300)  # a rubber-band selection changes many times in a row
        self._reselect.timeout.connect(self.refresh)
        self._build()
        current = getattr(iface, "currentLayerChanged", None)
        if current is not None and hasattr(current, "connect"):
            current.connect(lambda _layer: self.isVisible() and self.use_current_layer())
        if live is not None:
            live.value_changed.connect(self.append_live_value)

    def _build(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        row = QHBoxLayout()
        self.attr_combo = QComboBox(body)
        self.attr_combo.setObjectName("attribute")
        self.attr_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        row.addWidget(self.attr_combo, 1)
        self.period_combo = QComboBox(body)
        self.period_combo.setObjectName("period")
        for hours, label in PERIODS:
            self.period_combo.addItem(tr("last {0}").format(label), hours)
        self.period_combo.setCurrentIndex(2)
        self.period_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        row.addWidget(self.period_combo)
        refresh = QPushButton(tr("Refresh"), body)
        refresh.setObjectName("refresh")
        refresh.clicked.connect(self.use_current_layer)
        row.addWidget(refresh)
        save = QPushButton(tr("Save…"), body)
        save.setObjectName("save")
        save.clicked.connect(lambda: self.save_figure())
        row.addWidget(save)
        layout.addLayout(row)
        self.figure = Figure(figsize=(5, 3), dpi=100, tight_layout=True)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setParent(body)
        layout.addWidget(self.canvas, 1)
        self.status_label = QLabel(body)
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setMinimumHeight(self.status_label.fontMetrics().lineSpacing() * 3)
        layout.addWidget(self.status_label)
        self.source_button = QPushButton(tr("Set the history source…"), body)
        self.source_button.setObjectName("set_history_source")
        self.source_button.setToolTip(
            tr("The connection's time-series (QuantumLeap) URL, or the NGSI-LD temporal API URL")
        )
        self.source_button.clicked.connect(self.open_history_settings)
        self.source_button.setVisible(False)
        layout.addWidget(self.source_button)
        self.setWidget(body)

    # -- choosing what to plot ----------------------------------------------------------------
    def use_current_layer(self) -> None:
        layer = self.iface.activeLayer() if hasattr(self.iface, "activeLayer") else None
        self.set_layer(layer if isinstance(layer, QgsVectorLayer) else None)

    def set_layer(
        self,
        layer: QgsVectorLayer | None,
        attr: str | None = None,
        thresholds: list[tuple[str, float, str]] | None = None,
        bands: list[tuple[float, float, str]] | None = None,
    ) -> None:
        """Plot the selected features of ``layer`` (its first numeric attribute unless ``attr``).

        ``thresholds`` are horizontal reference lines drawn across the chart, as
        (label, value, colour) — a river station's reference levels, for instance; ``bands``
        are value ranges shaded in a colour (low, high, colour), e.g. the level bands.
        """
        self.thresholds = [(str(label), float(value), str(colour)) for label, value, colour in thresholds or []]
        self.bands = [(float(low), float(high), str(colour)) for low, high, colour in bands or []]
        self.value_label = ""
        self._watch_selection(None)
        if layer is None or not is_entity_layer(layer):
            self.layer = None
            self.status_label.setText(tr("Select a city OS layer and some of its features."))
            return
        self.layer = layer
        self._watch_selection(layer)
        specs = numeric_specs(layer)
        self.attr_combo.blockSignals(True)
        self.attr_combo.clear()
        for spec in specs:  # shown by its field name (a short name for an expanded NGSI-LD one)
            self.attr_combo.addItem(spec.name, spec.attr)
        attrs = [spec.attr for spec in specs]
        if attr in attrs:
            self.attr_combo.setCurrentIndex(attrs.index(attr))
        self.attr_combo.blockSignals(False)
        self.refresh()

    def _watch_selection(self, layer: QgsVectorLayer | None) -> None:
        """Follow the selection of ``layer`` (and stop following the previous layer's)."""
        previous = self.layer
        if previous is not None:
            with contextlib.suppress(TypeError, RuntimeError):
                previous.selectionChanged.disconnect(self._selection_changed)
        if layer is not None:
            layer.selectionChanged.connect(self._selection_changed)

    def _selection_changed(self, *_args) -> None:
        self._reselect.start()

    def current_attribute(self) -> str | None:
        return self.attr_combo.currentData()

    def refresh(self) -> HistorySeriesTask | None:
        """Fetch the history of the chosen attribute for the selected features, in a task.

        Without a history service the chart shows the live values it has seen, and says why.
        """
        layer, attr = self.layer, self.current_attribute()
        self.source_button.setVisible(False)
        if layer is None or not attr:
            return None
        features = list(layer.getSelectedFeatures()) or list(layer.getFeatures())
        features = [f for f in features if f["entity_id"]][:MAX_SERIES]
        if not features:
            self.status_label.setText(tr("Select a city OS layer and some of its features."))
            return None
        self.labels = {str(f["entity_id"]): feature_label(f) for f in features}
        field = self._field_of(attr)
        for feature in features:
            self.seen.add_feature(feature, attr, field)
        from smartcity_qgis.layers.cityos.snapshot import resolve_config

        try:
            config = resolve_config(LayerMeta.from_layer(layer))
        except ValueError as exc:
            self.status_label.setText(str(exc))
            return None
        if self._task is not None:
            with contextlib.suppress(RuntimeError):
                self._task.cancel()
            self._task = None
        if history_source(config) is None:
            self._show_live_values(
                tr(
                    "History needs the NGSI-LD temporal API or a QuantumLeap (time-series) URL in the connection {0}."
                ).format(self._connection_name()),
                offer_settings=True,
            )
            return None
        start = datetime.now(UTC) - timedelta(hours=self.period_combo.currentData())
        task = HistorySeriesTask(config, list(self.labels), attr, start)
        task.fetched.connect(lambda series, t=task: self._fetched(t, series))
        task.failed.connect(lambda message, t=task: self._failed(t, message))
        self._task = task
        self.status_label.setText(tr("Loading history…"))
        QgsApplication.taskManager().addTask(task)
        return task

    def _field_of(self, attr: str) -> str:
        schema = schema_of_layer(self.layer) if self.layer is not None else None
        spec = schema.spec(attr) if schema is not None else None
        return spec.name if spec is not None else attr

    def _connection_name(self) -> str:
        meta = LayerMeta.from_layer(self.layer) if self.layer is not None else None
        return (meta.connection or meta.url) if meta is not None else ""

    def _show_live_values(self, why: str, offer_settings: bool) -> None:
        """Plot the live values seen for the chosen sensors, saying in the panel why there is no history."""
        attr = self.current_attribute() or ""
        self.series = {entity_id: self.seen.series(entity_id, attr) for entity_id in self.labels}
        since = self.seen.since(list(self.labels), attr)
        seen = (
            tr("Meanwhile the chart shows the live values seen since {0}.").format(local_text(since, "%m/%d %H:%M"))
            if since is not None
            else tr("Meanwhile the chart shows live values as they arrive.")
        )
        self.status_label.setText(f"{why} {seen}")
        self.source_button.setVisible(offer_settings)
        self.draw()

    def _failed(self, task: HistorySeriesTask, message: str) -> None:
        if task is not self._task:
            return
        self._task = None
        if task.unavailable:
            why = tr(
                "The city OS gave no history ({0}). History needs the NGSI-LD temporal API or a QuantumLeap "
                "(time-series) URL in the connection {1}."
            ).format(task.unavailable, self._connection_name())
            self._show_live_values(why, offer_settings=True)
        else:
            self._show_live_values(tr("History could not be loaded: {0}").format(message), offer_settings=False)

    def _fetched(self, task: HistorySeriesTask, series: dict) -> None:
        if task is not self._task:
            return  # an older request finished late
        self._task = None
        attr = self.current_attribute() or ""
        self.series = {
            entity_id: merged([(t, float(v)) for t, v in points if _is_number(v)], self.seen.series(entity_id, attr))
            for entity_id, points in series.items()
        }
        count = sum(len(p) for p in self.series.values())
        self.status_label.setText(tr("{0} observations of {1} sensors").format(count, len(self.series)))
        self.draw()

    def open_history_settings(self) -> bool:
        """Open the connection's settings at its history URLs; refresh the chart when they are saved."""
        from smartcity_qgis.dialogs.cityos.connection_dialog import ConnectionDialog
        from smartcity_qgis.dialogs.cityos.connection_manager import ConnectionManagerDialog
        from smartcity_qgis.layers.cityos.connections import ConnectionRecordError, ConnectionStore

        store = ConnectionStore()
        meta = LayerMeta.from_layer(self.layer) if self.layer is not None else None
        try:
            conn = store.get(meta.connection) if meta is not None and meta.connection else None
        except ConnectionRecordError:
            conn = None
        if conn is None or conn.demo:
            ConnectionManagerDialog(store, self).exec()
            self.refresh()
            return False
        dialog = ConnectionDialog(store, conn, self)
        (dialog.temporal_edit if meta.flavor == "ngsi-ld" else dialog.timeseries_edit).setFocus()
        saved = bool(dialog.exec()) and dialog.saved is not None
        if saved:
            self.refresh()
        return saved

    def show_series(
        self,
        series: dict[str, list[tuple[datetime, float]]],
        labels: dict[str, str],
        value_label: str,
        thresholds: list[tuple[str, float, str]] | None = None,
        bands: list[tuple[float, float, str]] | None = None,
    ) -> None:
        """Plot series the caller already has (readings kept by a river panel, not a city OS history)."""
        if self._task is not None:
            with contextlib.suppress(RuntimeError):
                self._task.cancel()
            self._task = None
        self._watch_selection(None)
        self.layer = None
        self.source_button.setVisible(False)
        self.series = {key: list(points) for key, points in series.items()}
        self.labels = dict(labels)
        self.value_label = value_label
        self.thresholds = [(str(label), float(value), str(colour)) for label, value, colour in thresholds or []]
        self.bands = [(float(low), float(high), str(colour)) for low, high, colour in bands or []]
        count = sum(len(p) for p in self.series.values())
        self.status_label.setText(tr("{0} observations of {1} sensors").format(count, len(self.series)))
        self.draw()

    # -- live values --------------------------------------------------------------------------
    def append_live_value(self, entity_id: str, attr: str, _old: object, new: object) -> None:
        """Keep a value pushed by live mode; add it to the plotted series if charted (redraw is throttled)."""
        self.seen.add(entity_id, attr, new)
        if attr != self.current_attribute() or entity_id not in self.series or not _is_number(new):
            return
        self.series[entity_id].append((datetime.now(UTC), float(new)))
        if not self._redraw.isActive():
            self._redraw.start()

    # -- drawing ------------------------------------------------------------------------------
    def draw(self) -> None:
        attr = self.current_attribute() or ""
        unit = ""
        if self.layer is not None and sip.isdeleted(self.layer):
            self.layer = None  # removed from the project while its history was loading
        if self.layer is not None:
            meta = LayerMeta.from_layer(self.layer)
            unit = unit_symbol(meta.units.get(attr, "")) if meta else ""
        with matplotlib.rc_context({"font.family": cjk_font_family(), "svg.fonttype": "path"}):
            self.figure.clear()
            axes = self.figure.add_subplot(111)
            # The project's zone (JST by default), never the machine's: see local_time.
            project = self.layer.project() if self.layer is not None else None
            local = project_zone(project)
            for entity_id, points in self.series.items():
                if not points:
                    continue
                points = sorted(points)
                axes.plot(
                    [t.astimezone(local) for t, _ in points],
                    [v for _, v in points],
                    marker=".",
                    label=self.labels.get(entity_id, entity_id),
                )
            for label, value, colour in self.thresholds:
                axes.axhline(value, color=colour, linestyle="--", linewidth=1.2, label=label)
            if self.bands:  # shaded within the range the data and lines already span
                low_limit, high_limit = axes.get_ylim()
                for low, high, colour in self.bands:
                    low, high = max(low, low_limit), min(high, high_limit)
                    if low < high:
                        axes.axhspan(low, high, color=colour, alpha=0.15, linewidth=0, zorder=0)
                axes.set_ylim(low_limit, high_limit)
            shown = self.attr_combo.currentText()  # the attribute's field name
            axes.set_ylabel(self.value_label or (f"{shown} [{unit}]" if unit else shown))
            axes.set_xlabel(tr("Time ({0})").format(zone_label(project=project)))
            axes.grid(True, alpha=0.3)
            if any(self.series.values()) or self.thresholds:
                axes.legend(fontsize="small")
            if any(self.series.values()):
                # Observations a moment apart (a fresh broker, a short live run) get a time axis
                # of at least a minute, and seconds on its ticks: labels never repeat.
                first, last = axes.get_xlim()
                span = (last - first) * 86400
                if span < MIN_TIME_AXIS_S:
                    middle, half = (first + last) / 2, MIN_TIME_AXIS_S / 86400 / 2
                    axes.set_xlim(middle - half, middle + half)
                short = span < SECONDS_ON_TICKS_BELOW
                axes.xaxis.set_major_formatter(
                    mdates.DateFormatter("%m/%d %H:%M:%S" if short else "%m/%d %H:%M", tz=local)
                )
                self.figure.autofmt_xdate()
            else:
                axes.text(
                    0.5, 0.5, tr("No observations in this period"), ha="center", va="center", transform=axes.transAxes
                )
            self.canvas.draw()
        self.drawn.emit()

    def save_figure(self, path: str | None = None) -> Path | None:
        """Save the chart as PNG or SVG (by extension); asks for a file when ``path`` is None."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, tr("Save chart"), "chart.png", tr("PNG image (*.png);;SVG drawing (*.svg)")
            )
            if not path:
                return None
        target = Path(path)
        if target.suffix.lower() not in (".png", ".svg"):
            target = target.with_suffix(".png")
        with matplotlib.rc_context({"font.family": cjk_font_family(), "svg.fonttype": "path"}):
            try:
                self.figure.savefig(str(target), dpi=150)
            except OSError as exc:
                self.status_label.setText(tr("Could not write {0}: {1}").format(target, exc))
                return None
        self.status_label.setText(tr("Saved the chart to {0}.").format(target))
        return target


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value
