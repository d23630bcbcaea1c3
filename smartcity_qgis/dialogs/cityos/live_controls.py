"""Switching live mode of entity layers on and off (dock and layer context menu share this).

One `LiveLayerUpdater` per source (connection + tenant + service path + type): the point,
line and polygon layers of one type go live together. Updater states are reported to the
connection status board, so the dock shows "reconnecting" or "offline since …".
"""

from __future__ import annotations

import contextlib
from typing import Any

from qgis.core import Qgis, QgsMessageLog, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, pyqtSignal

from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos import connection_status
from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta, is_entity_layer
from smartcity_qgis.layers.cityos.live import (
    CONNECTING,
    LIVE,
    MODES,
    MQTT,
    RECONNECTING,
    STOPPED,
    WAITING,
    LiveLayerUpdater,
)
from smartcity_qgis.layers.cityos.snapshot import layer_groups, resolve_config

OFF = "off"
LOG_TAG = "SmartCity"
LIVE_RETRIES = {"max_retries": 1, "retry_budget": 2.0}


def source_key(layer: QgsVectorLayer) -> str | None:
    """The source a layer belongs to (None for layers that are not entity layers)."""
    meta = LayerMeta.from_layer(layer)
    return meta.key().rsplit("|", 1)[0] if meta is not None else None


class LiveController(QObject):
    """Starts and stops live updaters for entity layers of a project."""

    mode_changed = pyqtSignal(str, str)  # source key, mode ("off", "polling", "mqtt", "http")
    state_changed = pyqtSignal(str, str, str)  # source key, updater state, detail (translated)
    value_changed = pyqtSignal(str, str, object, object)  # entity id, attribute, old, new

    def __init__(self, project: QgsProject | None = None, snapshots: Any = None, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project or QgsProject.instance()
        self.snapshots = snapshots
        self.updaters: dict[str, LiveLayerUpdater] = {}
        self._adopted: set[int] = set()
        self.project.layersWillBeRemoved.connect(self._layers_removed)
        # Connected after the snapshots' own handler: layers resumed live on project read exist by then.
        self.project.readProject.connect(self.adopt_resumed)

    # -- queries --------------------------------------------------------------------------
    def updater_for(self, layer: QgsVectorLayer) -> LiveLayerUpdater | None:
        key = source_key(layer)
        if key is None:
            return None
        if key in self.updaters:
            return self.updaters[key]
        resumed = getattr(self.snapshots, "updaters", {}) if self.snapshots is not None else {}
        return resumed.get(key)

    def mode_of(self, layer: QgsVectorLayer) -> tuple[str, float]:
        """The live mode of ``layer`` ("off" when not live) and its interval in seconds."""
        updater = self.updater_for(layer)
        if updater is None or not updater.is_running():
            return OFF, 10.0
        return updater.mode, updater.interval

    # -- switching ------------------------------------------------------------------------
    def set_mode(self, layer: QgsVectorLayer, mode: str, interval: float = 10.0) -> LiveLayerUpdater | None:
        """Switch the live mode of ``layer`` (and its sibling geometry layers); "off" stops it."""
        if not isinstance(layer, QgsVectorLayer) or not is_entity_layer(layer):
            raise ValueError(tr("Layer {0} is not a city OS layer.").format(layer.name() if layer else ""))
        if mode != OFF and mode not in MODES:
            raise ValueError(tr("Unknown live mode: {0}").format(mode))
        key = source_key(layer)
        assert key is not None
        self._stop(key, forget=mode == OFF)
        if mode == OFF:
            self.mode_changed.emit(key, OFF)
            return None
        group = layer_groups(self._project_entity_layers()).get(key) or {
            layer.customProperty("smartcity/geometry_kind") or "point": layer
        }
        meta = LayerMeta.from_layer(layer)
        # The updater retries with its own backoff and shows "reconnecting" meanwhile; the client's
        # long retry budget (meant for one-off loads) would hide a dropped city OS for a minute.
        config = resolve_config(meta).with_changes(**LIVE_RETRIES)
        if mode == MQTT:
            from smartcity_qgis.optional_packages import require

            require("paho-mqtt")  # MissingPackageError (a ValueError) says how to install it
        if mode == MQTT and not getattr(config, "mqtt_url", None):
            raise ValueError(
                tr("MQTT push needs the MQTT URL of the broker: set it in the connection, or use HTTP push.")
            )
        updater = LiveLayerUpdater(group, config, mode=mode, interval=interval, parent=self)
        self._follow(updater)
        self.updaters[key] = updater
        updater.start()
        self.mode_changed.emit(key, mode)
        return updater

    def adopt_resumed(self, *_args: Any) -> int:
        """Show the state and live values of the layers a project read resumed live; returns how many."""
        resumed = getattr(self.snapshots, "updaters", {}) if self.snapshots is not None else {}
        count = 0
        for updater in resumed.values():
            if id(updater) not in self._adopted:
                self._follow(updater)
                count += 1
        return count

    def _follow(self, updater: LiveLayerUpdater) -> None:
        self._adopted.add(id(updater))
        name = updater.meta.connection or updater.meta.url
        key = updater.meta.key().rsplit("|", 1)[0]
        updater.state_changed.connect(lambda state, detail, n=name: self._report(n, state, detail))
        updater.state_changed.connect(lambda state, detail, k=key: self.state_changed.emit(k, state, detail))
        updater.value_changed.connect(self.value_changed)
        if updater.state in (LIVE, WAITING, RECONNECTING, CONNECTING):
            self._report(name, updater.state, updater.last_error)

    def stop_all(self) -> None:
        for key in list(self.updaters):
            self._stop(key)

    def detach(self) -> None:
        """Stop everything and let go of the project (plugin unload)."""
        self.stop_all()
        with contextlib.suppress(TypeError):
            self.project.layersWillBeRemoved.disconnect(self._layers_removed)
        with contextlib.suppress(TypeError):
            self.project.readProject.disconnect(self.adopt_resumed)

    # -- internals ------------------------------------------------------------------------
    def _stop(self, key: str, forget: bool = False) -> None:
        updater = self.updaters.pop(key, None)
        resumed = getattr(self.snapshots, "updaters", None) if self.snapshots is not None else None
        if updater is None and resumed is not None:
            updater = resumed.pop(key, None)
        if updater is not None:
            updater.stop(forget=forget)

    def _project_entity_layers(self) -> list[QgsVectorLayer]:
        return [
            lyr for lyr in self.project.mapLayers().values() if isinstance(lyr, QgsVectorLayer) and is_entity_layer(lyr)
        ]

    def _layers_removed(self, layer_ids: list[str]) -> None:
        for layer_id in layer_ids:
            layer = self.project.mapLayer(layer_id)
            if not isinstance(layer, QgsVectorLayer):
                continue
            key = source_key(layer)
            updater = self.updaters.get(key) if key else None
            if updater is None:
                continue
            remaining = [lyr for lyr in updater.layers.values() if lyr.id() not in layer_ids]
            if not remaining:
                self._stop(key)

    @staticmethod
    def _report(name: str, state: str, detail: str) -> None:
        board = connection_status.status_board()
        if state in (LIVE, WAITING):  # waiting: the broker answered, its notifications have yet to come
            board.report(name, connection_status.CONNECTED)
        elif state == STOPPED and detail:
            QgsMessageLog.logMessage(
                tr("{0}: live mode stopped: {1}").format(name, detail), LOG_TAG, Qgis.MessageLevel.Warning
            )
        elif state == RECONNECTING:
            # Said once per connection (message bar and log) by the offline notices, not per layer here.
            board.report(name, connection_status.RECONNECTING, detail)
        elif state == CONNECTING:
            board.report(name, connection_status.CONNECTING)
