"""River alerts in QGIS's message bar: one message per station, the most severe on top.

During a storm a station may cross several levels within minutes and many stations cross at
once. Pushing one message per crossing buries the level-4 station under twenty others; here
each station has one message, updated in place as it crosses again, and the messages are kept
in the bar ordered by severity (the bar shows the last pushed on top). Beyond ``limit`` stations
one summary message points to the River levels panel. Texts are shown as plain text.
"""

from __future__ import annotations

import contextlib
import html
from dataclasses import dataclass
from typing import Any

from qgis.core import Qgis
from qgis.PyQt.QtCore import QObject, QTimer

from smartcity_qgis.i18n import tr

SUMMARY_KEY = "\x00summary"


@dataclass
class Announcement:
    key: str
    rank: float
    text: str
    level: Any  # Qgis.MessageLevel
    order: int  # when it was last updated (newer first among equal ranks)


class AlertAnnouncer(QObject):
    """Keeps one message-bar item per station, most severe on top."""

    def __init__(self, bar: Any, title: str, limit: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bar = bar
        self.title = title
        self.limit = limit
        self.announcements: dict[str, Announcement] = {}
        self._items: dict[str, Any] = {}
        self._counter = 0
        self._popping = False
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(0)  # a burst of crossings from one update is shown once
        self._flush.timeout.connect(self.show)
        if bar is not None:
            bar.widgetRemoved.connect(self._removed)

    def announce(self, key: str, rank: float, text: str, level: Any) -> None:
        """Say ``text`` for ``key`` (a station): replaces what was said for it before."""
        self._counter += 1
        self.announcements[key] = Announcement(key, rank, text, level, self._counter)
        self._flush.start()

    def withdraw(self, key: str) -> None:
        if self.announcements.pop(key, None) is not None:
            self._flush.start()

    def ordered(self) -> list[Announcement]:
        """Most severe first (then the latest)."""
        return sorted(self.announcements.values(), key=lambda a: (-a.rank, -a.order))

    def shown(self) -> list[tuple[str, str]]:
        """(key, text) of the messages in the bar, top first."""
        if self.bar is None:
            return []
        keys = {id(item): key for key, item in self._items.items()}
        return [(keys[id(item)], item.text()) for item in self.bar.items() if id(item) in keys]

    def show(self) -> None:
        """Put the messages in the bar: ours popped and pushed again, least severe first."""
        self._flush.stop()
        if self.bar is None:
            return
        wanted = self.ordered()
        extra = wanted[self.limit :]
        wanted = wanted[: self.limit]
        for key in list(self._items):
            self._pop(key)
        entries = [(a.key, a.text, a.level) for a in wanted]
        if extra:
            text = tr("{0} more stations crossed a level: see the River levels panel.").format(len(extra))
            worst = max((a.level for a in extra), key=_weight)
            entries.append((SUMMARY_KEY, text, worst))
        # The bar shows the last pushed item: push from the bottom of the list to its top.
        for key, text, level in reversed(entries):
            item = self.bar.createMessage(self.title, html.escape(text))
            item.setLevel(level)
            item.setDuration(0)
            self._items[key] = item
            self.bar.pushItem(item)

    def clear(self) -> None:
        self.announcements.clear()
        for key in list(self._items):
            self._pop(key)

    def _pop(self, key: str) -> None:
        item = self._items.pop(key, None)
        if item is not None:
            self._popping = True
            try:
                with contextlib.suppress(RuntimeError):
                    self.bar.popWidget(item)
            finally:
                self._popping = False

    def _removed(self, item: Any) -> None:
        """The user closed a message: forget it (it is said again only on a new crossing)."""
        if self._popping:
            return
        for key, mine in list(self._items.items()):
            if mine is item:
                del self._items[key]
                self.announcements.pop(key, None)


def _weight(level: Any) -> int:
    return {
        Qgis.MessageLevel.Info: 0,
        Qgis.MessageLevel.Success: 0,
        Qgis.MessageLevel.Warning: 1,
        Qgis.MessageLevel.Critical: 2,
    }.get(level, 0)
