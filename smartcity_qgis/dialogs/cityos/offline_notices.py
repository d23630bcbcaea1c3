"""Offline that explains itself: one message per connection each way, and an icon in the layer tree.

* `ConnectionNotices` follows the connection status board: when a city OS becomes unreachable
  the message bar says so once for that connection (however many of its layers noticed), and
  once more when it answers again. Both go to the SmartCity log too, with the time in the
  project's zone.
* `OfflineIndicators` puts an icon beside each live layer that shows last-known data (the city
  OS or the gauge source went down, or the project was opened offline from its snapshots), with a tool tip
  saying since when and what happens next. The name stays whole; no suffix to be cut off.
"""

from __future__ import annotations

import contextlib
import html
from datetime import UTC, datetime

from qgis.core import Qgis, QgsMessageLog, QgsProject, QgsVectorLayer
from qgis.gui import QgsLayerTreeView, QgsLayerTreeViewIndicator, QgsMessageBar
from qgis.PyQt.QtCore import QObject, pyqtSignal

from smartcity_qgis.dialogs.plugin_ui import icon
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos import connection_status
from smartcity_qgis.layers.cityos.entity_layer_meta import is_entity_layer, is_stale, stale_since
from smartcity_qgis.layers.rivers.schemes import is_crisis_layer
from smartcity_qgis.local_time import local_text

LOG_TAG = "SmartCity"
TIME_FORMAT = "%H:%M"
DOWN_STATES = (connection_status.OFFLINE, connection_status.RECONNECTING)


class ConnectionNotices(QObject):
    """Tells, once per connection and direction, that a city OS went away or came back."""

    announced = pyqtSignal(str, bool)  # connection name, reachable again

    def __init__(self, bar: QgsMessageBar | None, board=None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bar = bar
        self.board = board or connection_status.status_board()
        self._down: dict[str, datetime | None] = {}  # connection -> since when it is unreachable
        self._items: dict[str, object] = {}  # connection -> its "unreachable" message bar item
        self.board.changed.connect(self._changed)

    def detach(self) -> None:
        with contextlib.suppress(TypeError):
            self.board.changed.disconnect(self._changed)

    def _changed(self, name: str) -> None:
        state = self.board.state(name)
        if state.state in DOWN_STATES and name not in self._down:
            self._down[name] = state.since
            self._announce_down(name, state)
        elif state.state == connection_status.CONNECTED and name in self._down:
            since = self._down.pop(name)
            self._announce_back(name, since)

    def _announce_down(self, name: str, state: connection_status.ConnectionState) -> None:
        text = tr(
            "The city OS {0} cannot be reached since {1}. Its layers keep their last data (marked in the "
            "Layers panel) and catch up by themselves when it answers. If this lasts, check the network "
            "(VPN, proxy) or ask the city OS's operator."
        ).format(name, local_text(state.since, TIME_FORMAT))
        # Recorded in the log as information: the message bar carries the warning to the user.
        QgsMessageLog.logMessage(text, LOG_TAG, Qgis.MessageLevel.Info)
        self._items[name] = self._push(text, Qgis.MessageLevel.Warning, 0)
        self.announced.emit(name, False)

    def _announce_back(self, name: str, since: datetime | None) -> None:
        text = tr("The city OS {0} answers again (unreachable from {1} to {2}); its layers are catching up.").format(
            name, local_text(since, TIME_FORMAT), local_text(datetime.now(UTC), TIME_FORMAT)
        )
        QgsMessageLog.logMessage(text, LOG_TAG, Qgis.MessageLevel.Info)
        item = self._items.pop(name, None)
        if item is not None and self.bar is not None and hasattr(self.bar, "popWidget"):
            with contextlib.suppress(RuntimeError, TypeError):
                self.bar.popWidget(item)
        self._push(text, Qgis.MessageLevel.Success, 10)
        self.announced.emit(name, True)

    def _push(self, text: str, level, duration: int):
        if self.bar is None:
            return None
        # Message bars show rich text: the connection name is the user's own text.
        if hasattr(self.bar, "pushWidget"):
            widget = QgsMessageBar.createMessage(tr("City OS"), html.escape(text))
            return self.bar.pushWidget(widget, level, duration)
        self.bar.pushMessage(tr("City OS"), html.escape(text), level, duration)
        return None


def shows_live_data(layer) -> bool:
    """Layers that can go offline: city-OS entity layers and live crisis-gauge layers."""
    return isinstance(layer, QgsVectorLayer) and (is_entity_layer(layer) or is_crisis_layer(layer))


def offline_tooltip(layer) -> str:
    """What the layer tree's icon says about a layer showing last-known data."""
    since = stale_since(layer)
    if is_crisis_layer(layer):
        return tr(
            "Offline since {0}: the layer shows the last readings received and catches up when the gauge "
            "source answers."
        ).format(local_text(since, TIME_FORMAT) if since else "?")
    if since:
        return tr(
            "Offline since {0}: the layer shows the last data received and catches up when the city OS answers."
        ).format(local_text(since, TIME_FORMAT))
    return tr("Showing the data saved with the project: the layer catches up when the city OS answers.")


class OfflineIndicators(QObject):
    """An icon in the layer tree beside every live layer (city OS, crisis gauges) that shows
    last-known data."""

    def __init__(self, view: QgsLayerTreeView, project: QgsProject | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
        self.project = project or QgsProject.instance()
        self._indicators: dict[str, QgsLayerTreeViewIndicator] = {}
        self._watched: dict[str, QgsVectorLayer] = {}
        self.project.layersAdded.connect(self._layers_added)
        self.project.layersWillBeRemoved.connect(self._layers_removed)
        # Moving a layer in the tree makes a new node: put the icon on it again.
        self.project.layerTreeRoot().addedChildren.connect(self._nodes_added)
        self._layers_added(list(self.project.mapLayers().values()))

    def indicator(self, layer) -> QgsLayerTreeViewIndicator | None:
        """The offline indicator shown beside ``layer`` (None when it shows current data)."""
        node = self.project.layerTreeRoot().findLayer(layer.id())
        mine = self._indicators.get(layer.id())
        if node is None or mine is None:
            return None
        return mine if mine in self.view.indicators(node) else None

    def update(self, layer) -> None:
        """Show or take away the icon of ``layer`` after its state changed."""
        node = self.project.layerTreeRoot().findLayer(layer.id())
        indicator = self._indicators.get(layer.id())
        if node is None:
            return
        if is_stale(layer):
            if indicator is None:
                indicator = QgsLayerTreeViewIndicator(self.view)
                indicator.setIcon(icon("offline.svg"))
                self._indicators[layer.id()] = indicator
            indicator.setToolTip(offline_tooltip(layer))
            if indicator not in self.view.indicators(node):
                self.view.addIndicator(node, indicator)
        elif indicator is not None:
            self.view.removeIndicator(node, indicator)

    def detach(self) -> None:
        """Take every icon away and stop following the project (plugin unload)."""
        for signal, slot in (
            (self.project.layersAdded, self._layers_added),
            (self.project.layersWillBeRemoved, self._layers_removed),
            (self.project.layerTreeRoot().addedChildren, self._nodes_added),
        ):
            with contextlib.suppress(TypeError):
                signal.disconnect(slot)
        for layer_id, indicator in list(self._indicators.items()):
            node = self.project.layerTreeRoot().findLayer(layer_id)
            if node is not None:
                with contextlib.suppress(RuntimeError):
                    self.view.removeIndicator(node, indicator)
        for layer in self._watched.values():
            with contextlib.suppress(TypeError, RuntimeError):
                layer.customPropertyChanged.disconnect(self._property_changed)
        self._indicators.clear()
        self._watched.clear()

    def _safely(self, work) -> None:
        """Run ``work`` from a signal: an exception raised into Qt would abort QGIS. A view or layer
        deleted under us ends the watch quietly; anything else is logged."""
        try:
            work()
        except RuntimeError:  # the layer tree view or a layer is gone (QGIS closing, plugin reloaded)
            with contextlib.suppress(RuntimeError, TypeError):
                self.detach()
        except Exception as exc:
            QgsMessageLog.logMessage(f"offline indicator: {exc}", "SmartCity", Qgis.MessageLevel.Warning)

    def _layers_added(self, layers) -> None:
        self._safely(lambda: self._watch(layers))

    def _watch(self, layers) -> None:
        for layer in layers:
            if shows_live_data(layer) and layer.id() not in self._watched:
                self._watched[layer.id()] = layer
                layer.customPropertyChanged.connect(self._property_changed)
                self.update(layer)

    def _property_changed(self, key: str) -> None:
        if key.startswith("smartcity/stale"):
            layer = self.sender()
            if isinstance(layer, QgsVectorLayer):
                self._safely(lambda: self.update(layer))

    def _nodes_added(self, *_args) -> None:
        for layer in list(self._watched.values()):
            self._safely(lambda layer=layer: self.update(layer))

    def _layers_removed(self, layer_ids) -> None:
        for layer_id in layer_ids:
            layer = self._watched.pop(layer_id, None)
            if layer is not None:
                with contextlib.suppress(TypeError, RuntimeError):
                    layer.customPropertyChanged.disconnect(self._property_changed)
            self._indicators.pop(layer_id, None)
