"""The "River levels" dock: every gauge by severity, told when one crosses a 警戒レベル.

Stations of every river layer in the project (WaterObserved entity layers, or any layer with
a water level and the four reference levels) are listed most severe first: highest level,
then smallest margin to the next level. A crossing upward or back down highlights the row and
says so once in QGIS's message bar; the `RiverMonitor` behind each layer writes it to the
alert log. Clicking a row zooms to the station and charts its history with the reference
levels drawn. Every text from the city OS goes into plain-text items only.
"""

from __future__ import annotations

import contextlib
import html
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsCoordinateTransform, QgsProject, QgsRectangle, QgsSettings, QgsVectorLayer
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartcity_qgis.dialogs.plugin_ui import icon
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.rivers.alerts import ALERT_LOG_PROPERTY, export_alert_log
from smartcity_qgis.layers.rivers.monitor import RiverMonitor, StationState, is_river_layer
from smartcity_qgis.layers.rivers.style import ARROWS, LEVEL_COLOURS, STALE_COLOUR, apply_river_style

RIVER_DOCK_OBJECT_NAME = "SmartCityRiverDock"
LAST_EXPORT_KEY = "smartcity/river/last_export"
HIGHLIGHT_COLOUR = "#FFE9A8"
# Reference-level lines in the chart: the official colours, darker where they would vanish on white.
CHART_LINE_COLOURS = {1: "#808080", 2: "#C9B800", 3: "#FF2800", 4: "#AA00AA", 5: "#0C000C"}
COLUMNS = ("level", "station", "water_level", "trend", "margin", "age")


def level_name(level: int) -> str:
    """The reference level whose reaching starts 警戒レベル ``level`` (translated)."""
    return {
        1: tr("flood-fighting standby level"),
        2: tr("flood caution level"),
        3: tr("evacuation decision level"),
        4: tr("flood danger level"),
        5: tr("levee crown height"),
    }.get(level, "")


def crossing_message(name: str, from_level: int, to_level: int) -> str:
    """What the message bar says about one crossing (plain text; escape before showing as HTML)."""
    station = name[: -len("観測所")] if name.endswith("観測所") and len(name) > 3 else name
    if to_level > from_level:
        return tr("Station {0} reached the {1} (level {2}).").format(station, level_name(to_level), to_level)
    return tr("Station {0} fell below the {1} (now level {2}).").format(station, level_name(from_level), to_level)


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
    pixmap.fill(Qt.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.Antialiasing)
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
        self.highlighted: set[tuple[str, str]] = set()
        self.refused: dict[str, str] = {}  # layer id -> why it cannot be watched
        self._rows: list[tuple[str, str]] = []  # (layer id, station id) per table row
        self._build()
        self.project.layersAdded.connect(self.pick_up_layers)
        self.project.layersWillBeRemoved.connect(self._layers_removed)
        if live is not None:
            live.mode_changed.connect(self._live_mode_changed)
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
            [tr("Level"), tr("Station"), tr("Water level (m)"), tr("Trend"), tr("To next level"), tr("Last reading")]
        )
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.cellClicked.connect(lambda row, _col: self.open_row(row))
        layout.addWidget(self.table, 1)
        self.status_label = QLabel(body)
        self.status_label.setObjectName("status")
        self.status_label.setTextFormat(Qt.PlainText)
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
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
            if not is_river_layer(layer) or layer.id() in self.monitors:
                continue
            try:
                monitor = RiverMonitor(layer, project=self.project, parent=self)
            except ValueError as exc:  # e.g. a read-only file that cannot take the computed fields
                text = tr("The river layer {0} cannot be watched: {1}").format(layer.name(), str(exc))
                self.refused[layer.id()] = text
                self._tell(text, Qgis.Warning)
                continue
            # Stations get the 警戒レベル style once, when first watched; a style the user sets
            # afterwards (and saves with the project) is left alone.
            if not layer.customProperty("smartcity/river_styled", False):
                apply_river_style(layer)
                layer.setCustomProperty("smartcity/river_styled", True)
                layer.triggerRepaint()
            monitor.crossed.connect(lambda sid, name, a, b, lid=layer.id(): self._crossed(lid, sid, name, a, b))
            monitor.stations_changed.connect(lambda _ids: self.rebuild())
            self.monitors[layer.id()] = monitor
            self._attach_live(layer)
        self.rebuild()

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

    def _layers_removed(self, layer_ids: list) -> None:
        for layer_id in layer_ids:
            self.refused.pop(layer_id, None)
            monitor = self.monitors.pop(layer_id, None)
            if monitor is not None:
                monitor.detach()
                monitor.deleteLater()
        self.highlighted = {key for key in self.highlighted if key[0] in self.monitors}
        self.rebuild()

    def _tick(self) -> None:
        for layer_id in list(self.monitors):
            layer = self.project.mapLayer(layer_id)
            if isinstance(layer, QgsVectorLayer):
                self._attach_live(layer)
        self.rebuild()

    # -- the table ------------------------------------------------------------------------
    def states(self) -> list[tuple[str, StationState]]:
        """(layer id, station) of every watched station, most severe first."""
        found = [(lid, state) for lid, monitor in self.monitors.items() for state in monitor.stations()]
        return sorted(found, key=lambda item: item[1].severity_key())

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
            if (layer_id, state.station_id) in self.highlighted:
                self._paint_row(row, QColor(HIGHLIGHT_COLOUR))
        if selected in self._rows:
            self.table.setCurrentCell(self._rows.index(selected), 1)
        stale = sum(1 for _lid, s in states if s.stale)
        text = tr("{0} stations").format(len(states)) if states else tr("No river station layer in the project.")
        if stale:
            text += " / " + tr("{0} without a recent reading").format(stale)
        self.status_label.setText("\n".join([*self.refused.values(), text]))

    def _items(self, state: StationState, now: datetime) -> list[QTableWidgetItem]:
        colour = STALE_COLOUR if state.stale else LEVEL_COLOURS.get(state.level, "#FFFFFF")
        level = QTableWidgetItem(_chip(colour) if state.level is not None or state.stale else QIcon(), "")
        level.setText("–" if state.level is None else str(state.level))
        level.setToolTip(tr("No recent reading") if state.stale else level_name(state.level or 0))
        station = QTableWidgetItem(state.name)
        # Tool tips are rich text when they look like it: wrap the escaped id so it reads literally.
        station.setToolTip(f"<p>{html.escape(state.station_id)}</p>")
        water = QTableWidgetItem("–" if state.water_level is None else f"{state.water_level:.2f}")
        trend = QTableWidgetItem(trend_text(state.trend))
        margin = QTableWidgetItem("–" if state.margin is None else tr("{0} m").format(f"{state.margin:.2f}"))
        age = QTableWidgetItem(age_text(state.observed, now))
        if state.stale:
            age.setText(tr("{0} (no recent reading)").format(age.text()))
        items = [level, station, water, trend, margin, age]
        for item in items:
            item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            if state.stale:
                item.setForeground(QBrush(QColor("#777777")))
        for item in (water, margin):
            item.setTextAlignment(int(Qt.AlignRight | Qt.AlignVCenter))
        return items

    def _paint_row(self, row: int, colour: QColor) -> None:
        for column in range(self.table.columnCount()):
            item = self.table.item(row, column)
            if item is not None:
                item.setBackground(QBrush(colour))

    # -- crossings ------------------------------------------------------------------------
    def _crossed(self, layer_id: str, station_id: str, name: str, from_level: int, to_level: int) -> None:
        self.highlighted.add((layer_id, station_id))
        self.rebuild()
        if to_level > from_level:
            level = Qgis.Critical if to_level >= 4 else Qgis.Warning if to_level >= 2 else Qgis.Info
        else:
            level = Qgis.Info
        bar = self.iface.messageBar() if self.iface is not None else None
        if bar is not None:
            # The message bar shows rich text: the station name is escaped so it reads literally.
            bar.pushMessage(tr("River levels"), html.escape(crossing_message(name, from_level, to_level)), level, 0)

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
        if (layer_id, station_id) in self.highlighted:
            self.highlighted.discard((layer_id, station_id))
            self.rebuild()
        self._zoom_to(layer, feature)
        layer.selectByIds([feature.id()])
        if self.chart is not None:
            thresholds = monitor.thresholds(station_id)
            lines = []
            if thresholds is not None:
                values = thresholds.ordered()
                lines = [
                    (f"{tr('Level')} {level}: {level_name(level)}", value, CHART_LINE_COLOURS[level])
                    for level, value in enumerate(values, start=1)
                ]
            self.chart.setUserVisible(True)
            self.chart.raise_()
            self.chart.set_layer(layer, monitor.fields.water_level, thresholds=lines)
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
            self._tell(tr("No level crossing has been recorded yet."), Qgis.Info)
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
            self._tell(str(exc), Qgis.Warning)
            return None
        self._tell(tr("Alert log written to {0}.").format(str(written)), Qgis.Success)
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
        with contextlib.suppress(TypeError, RuntimeError):
            self.project.layersAdded.disconnect(self.pick_up_layers)
            self.project.layersWillBeRemoved.disconnect(self._layers_removed)
        if self.live is not None:
            with contextlib.suppress(TypeError, RuntimeError):
                self.live.mode_changed.disconnect(self._live_mode_changed)
        for monitor in self.monitors.values():
            monitor.detach()
        self.monitors.clear()
