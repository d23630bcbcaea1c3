"""Whether each city-OS connection is reachable: connected, reconnecting, offline since ….

One board for the whole session; probes, loads and live updaters report to it and the
City OS dock shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from qgis.PyQt.QtCore import QObject, pyqtSignal

from smartcity_qgis.i18n import tr
from smartcity_qgis.local_time import local_text

UNKNOWN = "unknown"
CONNECTING = "connecting"
CONNECTED = "connected"
RECONNECTING = "reconnecting"
OFFLINE = "offline"


@dataclass(frozen=True)
class ConnectionState:
    """State of one connection, since when, and the last error message if any."""

    state: str = UNKNOWN
    since: datetime | None = None
    message: str = ""

    def describe(self) -> str:
        """The state in the user's language, e.g. "offline since 14:05:10 JST" (the project's zone)."""
        when = local_text(self.since, "%H:%M:%S") if self.since else ""
        if self.state == CONNECTED:
            return tr("connected")
        if self.state == CONNECTING:
            return tr("connecting…")
        if self.state == RECONNECTING:
            return tr("reconnecting (since {0})").format(when)
        if self.state == OFFLINE:
            return tr("offline since {0}").format(when)
        return tr("not connected yet")


class ConnectionStatusBoard(QObject):
    """The states of all connections; emits ``changed(name)`` on the main thread's side."""

    changed = pyqtSignal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._states: dict[str, ConnectionState] = {}

    def state(self, name: str) -> ConnectionState:
        return self._states.get(name, ConnectionState())

    def report(self, name: str, state: str, message: str = "") -> None:
        """Record ``state`` for connection ``name``; "since" only moves when the state changes."""
        old = self._states.get(name)
        if old is not None and old.state == state and old.message == message:
            return
        since = old.since if old is not None and old.state == state else datetime.now(UTC)
        self._states[name] = ConnectionState(state, since, message)
        self.changed.emit(name)


_board: ConnectionStatusBoard | None = None


def status_board() -> ConnectionStatusBoard:
    """The session's connection status board (created on first use)."""
    global _board
    if _board is None:
        _board = ConnectionStatusBoard()
    return _board
