"""Keeping a crisis-gauge layer live: polite polling of 川の水位情報 prefecture files.

`CrisisGaugeUpdater` asks for each chosen prefecture's area file in a background thread (the
UI thread never waits on the network), never more often than the `PollSchedule` allows (10
minutes per prefecture, with jitter, conditional requests), reads it with `read_area_json`
there, and applies the gauges to the layer in place on the main thread. A failed request
marks the layer offline (it keeps its last readings, its name says so) until a later poll
succeeds, as city-OS live layers do. `CrisisGaugeProject` saves the layer's readings with the
project and makes the layers live again when the project is read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import queue
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsMessageLog, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from smartcity_qgis.analysis.gauge_polling import MIN_INTERVAL, PollSchedule, area_url, prefecture_name
from smartcity_qgis.analysis.river_gauges import DEFAULT_SOURCE_URL, AreaFileError, read_area_json
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.connection_config import proxies_for
from smartcity_qgis.layers.cityos.entity_layer_meta import is_stale, mark_offline
from smartcity_qgis.layers.cityos.snapshot import read_snapshot, write_snapshot
from smartcity_qgis.layers.rivers.crisis_layer import apply_gauges, create_crisis_layer, crisis_settings
from smartcity_qgis.layers.rivers.schemes import is_crisis_layer

LOG_TAG = "SmartCity"
LAST_ASKED_PROPERTY = "smartcity/crisis_last_asked"
CONNECTING, LIVE, RECONNECTING, STOPPED = "connecting", "live", "reconnecting", "stopped"
USER_AGENT = "SmartCityQGIS (QGIS plugin; polls each prefecture at most every 10 minutes)"


class CrisisGaugeUpdater(QObject):
    """Polls the prefecture files of one crisis-gauge layer and applies them in place."""

    state_changed = pyqtSignal(str, str)  # state, detail (translated)
    applied = pyqtSignal(str, dict)  # prefecture code, counts (added, updated, unreported)

    def __init__(
        self,
        layer: QgsVectorLayer,
        prefectures: list[str],
        url_template: str = DEFAULT_SOURCE_URL,
        interval: float = MIN_INTERVAL,
        *,
        jitter: float = 0.1,
        clock: Callable[[], float] = time.time,
        tick: float = 1.0,
        min_interval: float = MIN_INTERVAL,
        timeout: float = 30.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        for code in prefectures:
            area_url(url_template, code)  # raises ValueError on a template without {prefCode}
        self.layer: QgsVectorLayer | None = layer
        self.prefectures = list(prefectures)
        self.url_template = url_template
        self.schedule = PollSchedule(prefectures, interval, jitter, clock, min_interval=min_interval)
        seeded = _last_asked(layer)
        for code in prefectures:
            self.schedule.seed(code, seeded.get(code))
        self.tick = tick
        self.timeout = timeout
        self.state = STOPPED
        self.last_error = ""
        self.requests_sent = 0
        self._inbox: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._take_inbox)
        layer.willBeDeleted.connect(self._layer_gone)

    # -- control --------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop, self._wake = threading.Event(), threading.Event()
        urls = {code: area_url(self.url_template, code) for code in self.prefectures}
        proxies = {code: proxies_for(url) for code, url in urls.items()}  # QGIS settings: read here
        self._set_state(CONNECTING, "")
        self._thread = threading.Thread(
            target=self._run, args=(urls, proxies, self._stop, self._wake), name="crisis-gauges", daemon=True
        )
        self._thread.start()
        self._timer.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._timer.stop()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=2)
        self._take_inbox()
        self._set_state(STOPPED, "")

    def is_running(self) -> bool:
        return self._thread is not None

    def poll_now(self) -> None:
        """Look at the schedule now (a prefecture is still only asked for when it is due)."""
        self._wake.set()

    def flush(self) -> None:
        self._take_inbox()

    def _layer_gone(self) -> None:
        self._stop.set()
        self._wake.set()
        self._timer.stop()
        self._thread = None
        self.layer = None

    # -- background thread --------------------------------------------------------------
    def _run(self, urls: dict, proxies: dict, stop: threading.Event, wake: threading.Event) -> None:
        import requests

        session = requests.Session()
        session.headers["User-Agent"] = USER_AGENT
        session.headers["Accept"] = "application/json"
        try:
            while not stop.is_set():
                for code in self.schedule.due():
                    if stop.is_set():
                        break
                    self._fetch(session, code, urls[code], proxies[code], stop)
                wake.wait(max(0.01, min(self.tick, self.schedule.seconds_to_next())))
                wake.clear()
        finally:
            session.close()

    def _fetch(self, session: Any, code: str, url: str, proxies: Any, stop: threading.Event) -> None:
        import requests

        def post(kind: str, payload: Any) -> None:
            if not stop.is_set():
                self._inbox.put((kind, payload))

        self.requests_sent += 1
        try:
            kwargs: dict[str, Any] = {"headers": self.schedule.headers(code), "timeout": self.timeout}
            if proxies is not None:
                session.trust_env = False
                kwargs["proxies"] = proxies
            response = session.get(url, **kwargs)
        except requests.RequestException as exc:
            self.schedule.asked(code, None, error=str(exc))
            post("failed", (code, tr("{0}: the gauge source did not answer ({1}).").format(prefecture_name(code), exc)))
            return
        headers = dict(response.headers)
        if response.status_code == 304:
            self.schedule.asked(code, 304, headers)
            post("unchanged", (code, self.schedule.states[code].last_asked))
            return
        if response.status_code != 200:
            self.schedule.asked(code, response.status_code, headers)
            text = tr("{0}: the gauge source answered HTTP {1}.").format(prefecture_name(code), response.status_code)
            post("failed", (code, text))
            return
        try:
            gauges = read_area_json(response.content)
        except AreaFileError as exc:
            self.schedule.asked(code, None, headers, error=str(exc))
            post("failed", (code, tr("{0}: the gauge file cannot be read: {1}").format(prefecture_name(code), exc)))
            return
        self.schedule.asked(code, 200, headers)
        post("gauges", (code, gauges, self.schedule.states[code].last_asked))

    # -- main thread ----------------------------------------------------------------------
    def _take_inbox(self) -> None:
        while True:
            try:
                kind, payload = self._inbox.get_nowait()
            except queue.Empty:
                return
            layer = self.layer
            if layer is None:
                continue
            if kind == "failed":
                code, text = payload
                QgsMessageLog.logMessage(text, LOG_TAG, Qgis.MessageLevel.Warning)
                with contextlib.suppress(RuntimeError):
                    mark_offline(layer, True, datetime.now(UTC).isoformat(timespec="seconds"))
                self._set_state(RECONNECTING, text)
                continue
            if kind == "gauges":
                code, gauges, asked = payload
                counts = apply_gauges(layer, gauges, [code])
                for problem in gauges.problems[:20]:
                    QgsMessageLog.logMessage(f"{prefecture_name(code)}: {problem}", LOG_TAG, Qgis.MessageLevel.Info)
                self.applied.emit(code, counts)
            else:
                code, asked = payload
            _remember_asked(layer, code, asked)
            if is_stale(layer):
                mark_offline(layer, False)
            self._set_state(LIVE, "")

    def _set_state(self, state: str, detail: str) -> None:
        if (state, detail) == (self.state, self.last_error):
            return
        self.state, self.last_error = state, detail
        self.state_changed.emit(state, detail)


def _last_asked(layer: QgsVectorLayer) -> dict[str, float]:
    raw = layer.customProperty(LAST_ASKED_PROPERTY, "")
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return (
        {str(k): float(v) for k, v in value.items() if isinstance(v, (int, float))} if isinstance(value, dict) else {}
    )


def _remember_asked(layer: QgsVectorLayer, code: str, asked: float | None) -> None:
    if asked is None:
        return
    seen = _last_asked(layer)
    seen[code] = asked
    layer.setCustomProperty(LAST_ASKED_PROPERTY, json.dumps(seen, sort_keys=True))


def snapshot_path(project: QgsProject, layer: QgsVectorLayer) -> Path | None:
    """``<project folder>/<project name>_rivers/crisis_<hash>.gpkg`` for a saved project."""
    if not project.fileName():
        return None
    key = json.dumps(crisis_settings(layer), sort_keys=True)
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
    return Path(project.absolutePath()) / f"{project.baseName()}_rivers" / f"crisis_{digest}.gpkg"


class CrisisGaugeProject(QObject):
    """Crisis-gauge layers of a project: live while in the project, saved and resumed with it."""

    layer_added = pyqtSignal(object)  # the layer

    def __init__(
        self, project: QgsProject | None = None, clock: Callable[[], float] = time.time, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.project = project or QgsProject.instance()
        self.clock = clock
        self.updaters: dict[str, CrisisGaugeUpdater] = {}
        self.project.writeProject.connect(self._write)
        self.project.readProject.connect(self._read)
        self.project.layersWillBeRemoved.connect(self._removed)

    def add_layer(
        self, prefectures: list[str], url_template: str = DEFAULT_SOURCE_URL, interval: float = MIN_INTERVAL, **kw: Any
    ) -> QgsVectorLayer:
        """A new live crisis-gauge layer for ``prefectures``, added to the project."""
        settings = {"prefectures": list(prefectures), "url": url_template, "interval": float(interval)}
        layer = create_crisis_layer(settings)
        self.project.addMapLayer(layer)
        self.start(layer, **kw)
        self.layer_added.emit(layer)
        return layer

    def start(self, layer: QgsVectorLayer, **kw: Any) -> CrisisGaugeUpdater:
        settings = crisis_settings(layer)
        self.stop(layer.id())
        updater = CrisisGaugeUpdater(
            layer,
            list(settings.get("prefectures", [])),
            str(settings.get("url") or DEFAULT_SOURCE_URL),
            float(settings.get("interval") or MIN_INTERVAL),
            clock=kw.pop("clock", self.clock),
            parent=self,
            **kw,
        )
        self.updaters[layer.id()] = updater
        updater.start()
        return updater

    def stop(self, layer_id: str) -> None:
        updater = self.updaters.pop(layer_id, None)
        if updater is not None:
            updater.stop()

    def stop_all(self) -> None:
        for layer_id in list(self.updaters):
            self.stop(layer_id)

    def detach(self) -> None:
        self.stop_all()
        for signal, slot in (
            (self.project.writeProject, self._write),
            (self.project.readProject, self._read),
            (self.project.layersWillBeRemoved, self._removed),
        ):
            with contextlib.suppress(TypeError, RuntimeError):
                signal.disconnect(slot)

    def layers(self) -> list[QgsVectorLayer]:
        return [
            lyr for lyr in self.project.mapLayers().values() if isinstance(lyr, QgsVectorLayer) and is_crisis_layer(lyr)
        ]

    def _removed(self, layer_ids: list) -> None:
        for layer_id in layer_ids:
            self.stop(layer_id)

    def _write(self, *_args: Any) -> None:
        for layer in self.layers():
            path = snapshot_path(self.project, layer)
            if path is None or crisis_settings(layer).get("replay"):
                continue
            try:
                write_snapshot(layer, path)
            except OSError as exc:
                QgsMessageLog.logMessage(str(exc), LOG_TAG, Qgis.MessageLevel.Warning)

    def _read(self, *_args: Any) -> None:
        for layer in self.layers():
            settings = crisis_settings(layer)
            path = snapshot_path(self.project, layer)
            if layer.featureCount() == 0 and path is not None and path.is_file():
                try:  # the last readings, with their times, until the source answers again
                    read_snapshot(layer, path)
                except OSError as exc:
                    QgsMessageLog.logMessage(str(exc), LOG_TAG, Qgis.MessageLevel.Warning)
            if settings.get("prefectures") and not settings.get("replay"):
                try:
                    self.start(layer)
                except ValueError as exc:
                    QgsMessageLog.logMessage(str(exc), LOG_TAG, Qgis.MessageLevel.Warning)
