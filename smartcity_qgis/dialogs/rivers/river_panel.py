"""The "River levels" dock: every gauge by severity, told when one crosses a level.

Stations of every river layer in the project — city-OS WaterObserved layers and station-table
layers (four reference levels, 警戒レベル) and crisis-management gauges (three thresholds) — are
listed together, each in its own scheme, most severe first, one row per physical station (the
same station id from two layers shows once, with the newest observation). A crossing highlights
the row (until the level falls back) and is said in QGIS's message bar, one message per station
kept up to date, the most severe on top; the `RiverMonitor` behind each layer writes it to the
alert log, which is saved with the project. Clicking a row zooms to the station and charts its
history with its thresholds drawn. Everything the panel watches is watched again when a project
is reopened or a layer comes back from offline. Every text from a source is shown as plain text.
"""

from __future__ import annotations

import contextlib
import html
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsCoordinateTransform, QgsProject, QgsRectangle, QgsSettings, QgsVectorLayer
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartcity_qgis.analysis.river import RiverWatch, StationTable, read_station_table
from smartcity_qgis.dialogs.plugin_ui import icon
from smartcity_qgis.dialogs.rivers.announcer import AlertAnnouncer
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.entity_layer_meta import is_entity_layer
from smartcity_qgis.layers.rivers.alerts import ALERT_LOG_PROPERTY, AlertLogKeeper, export_alert_log, jst_text
from smartcity_qgis.layers.rivers.monitor import STATION_TABLE_PROPERTY, RiverMonitor, StationState, is_river_layer
from smartcity_qgis.layers.rivers.schemes import WarningLevelScheme, is_crisis_layer
from smartcity_qgis.layers.rivers.style import ARROWS, STALE_COLOUR, apply_river_style, use_selection_colour

RIVER_DOCK_OBJECT_NAME = "SmartCityRiverDock"
LAST_EXPORT_KEY = "smartcity/river/last_export"
HIGHLIGHT_COLOUR = "#FFE9A8"
COLUMNS = ("level", "station", "water_level", "rate", "trend", "margin", "age")
PROJECT_SCOPE = "smartcity"
RATE_ALERT_ENTRY = "river/rate_alert"  # m/h, or "" when off
RATE_WINDOW_ENTRY = "river/rate_window_minutes"
_WARNING_LEVELS = WarningLevelScheme()


def level_name(level: int) -> str:
    """The reference level whose reaching starts 警戒レベル ``level`` (translated)."""
    return _WARNING_LEVELS.threshold_name(level)


def crossing_message(name: str, from_level: int, to_level: int, scheme=None) -> str:
    """What the message bar says about one crossing (plain text; escape before showing as HTML)."""
    return (scheme or _WARNING_LEVELS).crossing_message(name, from_level, to_level)


def rate_text(rate: float | None) -> str:
    """Rate of rise as the panel shows it (``+0.42``, ``-0.10``, ``–``)."""
    return "–" if rate is None else f"{rate:+.2f}"


def age_text(observed: datetime | None, now: datetime | None = None) -> str:
    """How long ago a reading was taken, in words (``–`` when unknown)."""
    if observed is None:
        return "–"
    seconds = max(0, int(((now or datetime.now(UTC)) - observed).total_seconds()))
    if seconds < 60:
        return tr("just now")
    if seconds < 3600:
        return tr("{0} min ago").format(seconds // 60)
    if seconds < 86400:
        return tr("{0} h ago").format(seconds // 3600)
    return tr("{0} d ago").format(seconds // 86400)


def trend_text(trend: str) -> str:
    words = {"rising": tr("rising"), "falling": tr("falling"), "steady": tr("steady")}
    return f"{ARROWS[trend]} {words[trend]}" if trend in ARROWS else "–"


def _chip(colour: str) -> QIcon:
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("#333333"))
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, 13, 13)
    painter.end()
    return QIcon(pixmap)


class RiverPanel(QgsDockWidget):
    """Stations of the project's river layers by severity; crossings highlighted and announced."""

    station_opened = pyqtSignal(str, str)  # layer id, station id

    def __init__(self, iface, chart=None, live=None, project: QgsProject | None = None, parent=None) -> None:
        super().__init__(tr("River levels"), parent)
        self.setObjectName(RIVER_DOCK_OBJECT_NAME)
        self.setWindowIcon(icon("river.svg"))
        self.iface = iface
        self.chart = chart
        self.live = live
        self.project = project or QgsProject.instance()
        self.monitors: dict[str, RiverMonitor] = {}
        self.watch = RiverWatch()  # one per panel: a station is one station whichever layer gives it
        self.highlighted: set[str] = set()  # station ids
        self.refused: dict[str, str] = {}  # layer id -> why it cannot be watched
        self.rate_alert: float | None = None
        self.rate_window = timedelta(hours=1)
        self._rows: list[tuple[str, str]] = []  # (layer id, station id) per table row
        bar = iface.messageBar() if iface is not None else None
        self.announcer = AlertAnnouncer(bar, tr("River levels"), parent=self)
        self.log_keeper = AlertLogKeeper(self.project, parent=self)
        self._build()
        self.project.layersAdded.connect(self.pick_up_layers)
        self.project.layersWillBeRemoved.connect(self._layers_removed)
        self.project.readProject.connect(self._project_read)
        self.project.writeProject.connect(self._write_settings)
        if live is not None:
            live.mode_changed.connect(self._live_mode_changed)
            live.state_changed.connect(self._live_state_changed)
        self._ages = QTimer(self)
        self._ages.setInterval(30_000)  # ages and live updaters resumed with a project
        self._ages.timeout.connect(self._tick)
        self._ages.start()
        self.pick_up_layers(list(self.project.mapLayers().values()))

    def _build(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.table = QTableWidget(0, len(COLUMNS), body)
        self.table.setObjectName("stations")
        self.table.setHorizontalHeaderLabels(
            [tr("Level"), tr("Station"), tr("Water level (m)"), tr("Rise (m/h)"), tr("Trend"), tr("To next level"),
             tr("Last reading")]
        )  # fmt: skip
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        # Every column as wide as its content: a narrow dock scrolls sideways instead of
        # squeezing the station names to "…".
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.table.cellClicked.connect(lambda row, _col: self.open_row(row))
        layout.addWidget(self.table, 1)
        self.status_label = QLabel(body)
        self.status_label.setObjectName("status")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        rate_row = QHBoxLayout()
        self.rate_check = QCheckBox(tr("Alert when rising faster than"), body)
        self.rate_check.setObjectName("rate_alert")
        self.rate_value = QDoubleSpinBox(body)
        self.rate_value.setObjectName("rate_value")
        self.rate_value.setRange(0.01, 10.0)
        self.rate_value.setSingleStep(0.05)
        self.rate_value.setValue(0.3)
        self.rate_value.setSuffix(" " + tr("m/h"))
        self.rate_minutes = QSpinBox(body)
        self.rate_minutes.setObjectName("rate_window")
        self.rate_minutes.setRange(10, 360)
        self.rate_minutes.setSingleStep(10)
        self.rate_minutes.setValue(60)
        self.rate_minutes.setPrefix(tr("over") + " ")
        self.rate_minutes.setSuffix(" " + tr("min"))
        for widget in (self.rate_check, self.rate_value, self.rate_minutes):
            rate_row.addWidget(widget)
        rate_row.addStretch(1)
        self.rate_check.toggled.connect(lambda _on: self._rate_changed())
        self.rate_value.valueChanged.connect(lambda _v: self._rate_changed())
        self.rate_minutes.valueChanged.connect(lambda _v: self._rate_changed())
        layout.addLayout(rate_row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.export_button = QPushButton(tr("Export alert log…"), body)
        self.export_button.setObjectName("export_log")
        self.export_button.clicked.connect(lambda: self.export_log())
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)
        self.setWidget(body)

    # -- layers ---------------------------------------------------------------------------
    def pick_up_layers(self, layers: list) -> None:
        """Watch the river layers among ``layers`` (called as layers are added to the project)."""
        for layer in layers:
            if not is_river_layer(layer) or layer.id() in self.monitors or layer.id() in self.refused:
                continue
            try:
                table = self._station_table(layer)
                monitor = RiverMonitor(layer, project=self.project, parent=self, watch=self.watch, station_table=table)
            except (ValueError, OSError) as exc:  # e.g. a read-only file that cannot take the computed fields
                text = tr("The river layer {0} cannot be watched: {1}").format(layer.name(), str(exc))
                self.refused[layer.id()] = text
                self._tell(text, Qgis.MessageLevel.Warning)
                continue
            # Stations get the 警戒レベル style once, when first watched; a style the user sets
            # afterwards (and saves with the project) is left alone.
            if not layer.customProperty("smartcity/river_styled", False) and not is_crisis_layer(layer):
                apply_river_style(layer)
                layer.setCustomProperty("smartcity/river_styled", True)
                layer.triggerRepaint()
            use_selection_colour(layer, self.project)
            monitor.rate_alert, monitor.rate_window = self.rate_alert, self.rate_window
            monitor.crossed.connect(lambda sid, name, a, b, m=monitor: self._crossed(m, sid, name, a, b))
            monitor.rising_fast.connect(lambda sid, name, rate, m=monitor: self._rising_fast(m, sid, name, rate))
            monitor.stations_changed.connect(lambda _ids: self.rebuild())
            self.monitors[layer.id()] = monitor
            self._attach_live(layer)
        self.rebuild()

    @staticmethod
    def _station_table(layer: QgsVectorLayer) -> StationTable | None:
        """The station table a layer was styled with (``ValueError`` / ``OSError`` when unreadable)."""
        path = layer.customProperty(STATION_TABLE_PROPERTY, "")
        return read_station_table(path) if path else None

    def _attach_live(self, layer: QgsVectorLayer) -> None:
        monitor = self.monitors.get(layer.id())
        if monitor is None or self.live is None:
            return
        with contextlib.suppress(RuntimeError, ValueError):
            monitor.attach_updater(self.live.updater_for(layer))

    def _live_mode_changed(self, _key: str, _mode: str) -> None:
        for layer_id in list(self.monitors):
            layer = self.project.mapLayer(layer_id)
            if isinstance(layer, QgsVectorLayer):
                self._attach_live(layer)

    def _live_state_changed(self, _key: str, state: str, _detail: str) -> None:
        """A layer back from offline: follow its updater again and read what it brought."""
        if state == "live":
            self.rewatch()

    def _project_read(self, *_args: Any) -> None:
        # After every other project-read handler (snapshots restored, live layers resumed).
        self._read_settings()
        QTimer.singleShot(0, self.rewatch)

    def rewatch(self) -> None:
        """Watch every river layer of the project again and read every station (project reopened,
        layer back online); live updaters resumed with the project are followed."""
        self.pick_up_layers(list(self.project.mapLayers().values()))
        for layer_id, monitor in list(self.monitors.items()):
            layer = self.project.mapLayer(layer_id)
            if isinstance(layer, QgsVectorLayer):
                self._attach_live(layer)
            monitor.rescan()
        self.rebuild()

    # -- rate of rise ---------------------------------------------------------------------
    def set_rate_alert(self, metres_per_hour: float | None, window: timedelta | None = None) -> None:
        """Alert when a station rises at ``metres_per_hour`` or faster over ``window`` (None: off)."""
        self.rate_check.setChecked(metres_per_hour is not None)
        if metres_per_hour is not None:
            self.rate_value.setValue(metres_per_hour)
        if window is not None:
            self.rate_minutes.setValue(int(window.total_seconds() // 60))
        self._rate_changed()

    def _rate_changed(self) -> None:
        self.rate_alert = self.rate_value.value() if self.rate_check.isChecked() else None
        self.rate_window = timedelta(minutes=self.rate_minutes.value())
        for monitor in self.monitors.values():
            monitor.rate_alert, monitor.rate_window = self.rate_alert, self.rate_window
        self.rebuild()

    def _write_settings(self, *_args: Any) -> None:
        rate = "" if self.rate_alert is None else str(self.rate_alert)
        self.project.writeEntry(PROJECT_SCOPE, RATE_ALERT_ENTRY, rate)
        self.project.writeEntry(PROJECT_SCOPE, RATE_WINDOW_ENTRY, int(self.rate_window.total_seconds() // 60))

    def _read_settings(self) -> None:
        raw, _ok = self.project.readEntry(PROJECT_SCOPE, RATE_ALERT_ENTRY, "")
        minutes, _ok = self.project.readNumEntry(PROJECT_SCOPE, RATE_WINDOW_ENTRY, 60)
        try:
            rate = float(raw) if raw else None
        except ValueError:
            rate = None
        self.set_rate_alert(rate, timedelta(minutes=max(10, minutes)))

    def _layers_removed(self, layer_ids: list) -> None:
        for layer_id in layer_ids:
            self.refused.pop(layer_id, None)
            monitor = self.monitors.pop(layer_id, None)
            if monitor is not None:
                monitor.detach()
                monitor.deleteLater()
        self.rebuild()

    def _tick(self) -> None:
        self.pick_up_layers(list(self.project.mapLayers().values()))  # e.g. a layer styled since
        for layer_id in list(self.monitors):
            layer = self.project.mapLayer(layer_id)
            if isinstance(layer, QgsVectorLayer):
                self._attach_live(layer)
        self.rebuild()

    # -- the table ------------------------------------------------------------------------
    def states(self) -> list[tuple[str, StationState]]:
        """(layer id, station) of every watched station, most severe first; a station given by
        several layers once, as the layer with its newest observation gives it."""
        best: dict[str, tuple[str, StationState]] = {}
        epoch = datetime.min.replace(tzinfo=UTC)
        for lid, monitor in self.monitors.items():
            for state in monitor.stations():
                kept = best.get(state.station_id)
                key = (state.observed or epoch, state.rank)
                if kept is None or key > (kept[1].observed or epoch, kept[1].rank):
                    best[state.station_id] = (lid, state)
        return sorted(best.values(), key=lambda item: item[1].severity_key())

    def station_order(self) -> list[str]:
        """Station ids as the table lists them."""
        return [station for _lid, station in self._rows]

    def rebuild(self) -> None:
        """Fill the table again from the monitors (a few dozen rows: cheaper than patching)."""
        states = self.states()
        now = datetime.now(UTC)
        selected = self._rows[self.table.currentRow()] if 0 <= self.table.currentRow() < len(self._rows) else None
        self.table.setRowCount(len(states))
        self._rows = []
        for row, (layer_id, state) in enumerate(states):
            self._rows.append((layer_id, state.station_id))
            for column, item in enumerate(self._items(state, now)):
                self.table.setItem(row, column, item)
            if state.station_id in self.highlighted:
                self._paint_row(row, QColor(HIGHLIGHT_COLOUR))
        if selected in self._rows:
            self.table.setCurrentCell(self._rows.index(selected), 1)
        stale = sum(1 for _lid, s in states if s.stale)
        text = tr("{0} stations").format(len(states)) if states else tr("No river station layer in the project.")
        if stale:
            text += " / " + tr("{0} without a recent reading").format(stale)
        self.status_label.setText("\n".join([*self.refused.values(), text]))

    def _items(self, state: StationState, now: datetime) -> list[QTableWidgetItem]:
        scheme = state.scheme or _WARNING_LEVELS
        colour = STALE_COLOUR if state.stale else scheme.colour(state.level)
        level = QTableWidgetItem(_chip(colour) if state.level is not None or state.stale else QIcon(), "")
        level.setText(scheme.stage_text(state.level))
        level.setToolTip(tr("No recent reading") if state.stale else scheme.stage_tip(state.level))
        station = QTableWidgetItem(state.name)
        # Tool tips are rich text when they look like it: wrap the escaped id so it reads literally.
        station.setToolTip(f"<p>{html.escape(state.station_id)}</p>")
        water = QTableWidgetItem("–" if state.water_level is None else f"{state.water_level:.2f}")
        rate = QTableWidgetItem(rate_text(state.rate))
        if self.rate_alert is not None and state.rate is not None and state.rate >= self.rate_alert:
            rate.setForeground(QBrush(QColor("#C62828")))
        trend = QTableWidgetItem(trend_text(state.trend))
        margin = QTableWidgetItem("–" if state.margin is None else tr("{0} m").format(f"{state.margin:.2f}"))
        age = QTableWidgetItem(age_text(state.observed, now))
        if state.observed is not None:
            age.setToolTip(jst_text(state.observed))
        if state.stale:
            age.setText(tr("{0} (no recent reading)").format(age.text()))
        items = [level, station, water, rate, trend, margin, age]
        for item in items:
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if state.stale:
                item.setForeground(QBrush(QColor("#777777")))
        for item in (water, rate, margin):
            item.setTextAlignment(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
        return items

    def _paint_row(self, row: int, colour: QColor) -> None:
        for column in range(self.table.columnCount()):
            item = self.table.item(row, column)
            if item is not None:
                item.setBackground(QBrush(colour))

    # -- crossings ------------------------------------------------------------------------
    def _crossed(self, monitor: RiverMonitor, station_id: str, name: str, from_level: int, to_level: int) -> None:
        scheme = monitor.scheme
        if to_level > from_level:
            self.highlighted.add(station_id)
            high = scheme.rank(to_level)
            level = (
                Qgis.MessageLevel.Critical
                if high >= 4
                else Qgis.MessageLevel.Warning
                if high >= 2
                else Qgis.MessageLevel.Info
            )
        else:
            self.highlighted.discard(station_id)  # the level fell: the row goes back to normal
            level = Qgis.MessageLevel.Info
        self.rebuild()
        text = crossing_message(name, from_level, to_level, scheme)
        self.announcer.announce(station_id, scheme.rank(to_level), text, level)

    def _rising_fast(self, monitor: RiverMonitor, station_id: str, name: str, rate: float) -> None:
        state = monitor.station(station_id)
        text = tr("Station {0} is rising {1} m per hour.").format(name, f"{rate:.2f}")
        rank = monitor.scheme.rank(state.level if state is not None else None)
        self.highlighted.add(station_id)
        self.rebuild()
        self.announcer.announce(station_id, rank, text, Qgis.MessageLevel.Warning)

    # -- opening a station ----------------------------------------------------------------
    def open_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.open_station(*self._rows[row])

    def open_station(self, layer_id: str, station_id: str) -> None:
        """Zoom to the station and chart its water level with the reference levels."""
        monitor = self.monitors.get(layer_id)
        layer = self.project.mapLayer(layer_id)
        feature = monitor.feature(station_id) if monitor is not None else None
        if feature is None or not isinstance(layer, QgsVectorLayer):
            return
        if station_id in self.highlighted:
            self.highlighted.discard(station_id)
            self.rebuild()
        self._zoom_to(layer, feature)
        layer.selectByIds([feature.id()])
        if self.chart is not None:
            lines = monitor.chart_lines(station_id)
            bands = monitor.scheme.chart_bands(feature)
            self.chart.setUserVisible(True)
            self.chart.raise_()
            if is_entity_layer(layer):  # the city OS keeps the history: the chart asks it
                self.chart.set_layer(layer, monitor.fields.water_level, thresholds=lines, bands=bands)
            else:  # the readings this panel has seen
                series = {station_id: [(t, v) for t, v in self.watch.history(station_id) if isinstance(t, datetime)]}
                name = monitor.station(station_id).name if monitor.station(station_id) else station_id
                label = tr("Water level (m)")
                self.chart.show_series(series, {station_id: name}, label, thresholds=lines, bands=bands)
        self.station_opened.emit(layer_id, station_id)

    def _zoom_to(self, layer: QgsVectorLayer, feature) -> None:
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        if canvas is None or feature.geometry().isEmpty():
            return
        transform = QgsCoordinateTransform(layer.crs(), canvas.mapSettings().destinationCrs(), self.project)
        try:
            point = transform.transform(feature.geometry().centroid().asPoint())
        except Exception:  # a station outside the canvas CRS's area: nothing to zoom to
            return
        extent = canvas.extent()
        half_w = max(extent.width(), 1e-9) / 2
        half_h = max(extent.height(), 1e-9) / 2
        if canvas.mapSettings().destinationCrs().isGeographic():
            half_w, half_h = min(half_w, 0.01), min(half_h, 0.01)
        else:
            half_w, half_h = min(half_w, 1000.0), min(half_h, 1000.0)
        canvas.setExtent(QgsRectangle(point.x() - half_w, point.y() - half_h, point.x() + half_w, point.y() + half_h))
        canvas.refresh()

    # -- alert log ------------------------------------------------------------------------
    def alert_log(self) -> QgsVectorLayer | None:
        for layer in self.project.mapLayers().values():
            if isinstance(layer, QgsVectorLayer) and layer.customProperty(ALERT_LOG_PROPERTY):
                return layer
        return None

    def export_log(self, path: str | None = None) -> Path | None:
        """Write the alert log to GeoPackage, GeoJSON or CSV; asks for a file when ``path`` is None."""
        log = self.alert_log()
        if log is None:
            self._tell(tr("No level crossing has been recorded yet."), Qgis.MessageLevel.Info)
            return None
        if path is None:
            settings = QgsSettings()
            start = settings.value(LAST_EXPORT_KEY, str(Path.home() / "river_alerts.gpkg"), type=str)
            path, _filter = QFileDialog.getSaveFileName(
                self,
                tr("Export alert log"),
                start,
                tr("GeoPackage (*.gpkg);;GeoJSON (*.geojson);;CSV (*.csv)"),
            )
            if not path:
                return None
            settings.setValue(LAST_EXPORT_KEY, path)
        try:
            written = export_alert_log(log, path)
        except (ValueError, OSError) as exc:
            self._tell(str(exc), Qgis.MessageLevel.Warning)
            return None
        self._tell(tr("Alert log written to {0}.").format(str(written)), Qgis.MessageLevel.Success)
        return written

    def _tell(self, text: str, level: Any) -> None:
        self.status_label.setText(text)
        bar = self.iface.messageBar() if self.iface is not None else None
        if bar is not None:
            bar.pushMessage(tr("River levels"), html.escape(text), level, 6)

    # -- unload ---------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop watching (plugin unload); the alert log stays in the project."""
        self._ages.stop()
        self.log_keeper.detach()
        for signal, slot in (
            (self.project.layersAdded, self.pick_up_layers),
            (self.project.layersWillBeRemoved, self._layers_removed),
            (self.project.readProject, self._project_read),
            (self.project.writeProject, self._write_settings),
        ):
            with contextlib.suppress(TypeError, RuntimeError):
                signal.disconnect(slot)
        if self.live is not None:
            with contextlib.suppress(TypeError, RuntimeError):
                self.live.mode_changed.disconnect(self._live_mode_changed)
                self.live.state_changed.disconnect(self._live_state_changed)
        for monitor in self.monitors.values():
            monitor.detach()
        self.monitors.clear()
