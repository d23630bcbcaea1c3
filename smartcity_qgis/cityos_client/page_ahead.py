"""Fetching the next page of a listing while the caller works on the current one.

A load spends a good part of its time waiting for the broker to prepare and send each page
(a 100,000-entity load: about a quarter of it). `PageAhead` asks for the next page on a
thread of its own as soon as the current one has arrived, so that the broker's work and the
network overlap with the parsing and layer building of the page before.

It is one page ahead at most and changes nothing of what is asked: the page taken is used
only when it is exactly the (offset, limit) the paging would have asked for next; any other
page is dropped and asked for again. Errors surface where the request would have raised them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

CancelCallback = Callable[[], bool]
FetchPage = Callable[[int, int, CancelCallback], Any]  # (offset, limit, cancel) -> response


class PageAhead:
    """One page fetched in the background; ``fetch(offset, limit, cancel)`` makes the request.

    ``cancel`` (the caller's, or None) is also what the background request checks, so it must be
    callable from another thread (reading a flag, as `QgsFeedback.isCanceled` does, is fine).
    """

    def __init__(self, fetch: FetchPage, cancel: CancelCallback | None = None) -> None:
        self._fetch = fetch
        self._cancel = cancel
        self._thread: threading.Thread | None = None
        self._key: tuple[int, int] | None = None
        self._dropped = threading.Event()
        self._outcome: list[tuple[Any, BaseException | None]] = []

    @property
    def pending(self) -> tuple[int, int] | None:
        """The (offset, limit) being fetched, or None."""
        return self._key if self._thread is not None else None

    def start(self, offset: int, limit: int) -> None:
        """Begin fetching the page at ``offset`` of ``limit`` entities (one page at a time)."""
        if self._thread is not None:
            raise RuntimeError("a page is already being fetched ahead")
        dropped = threading.Event()
        outcome: list[tuple[Any, BaseException | None]] = []
        user_cancel = self._cancel

        def cancel() -> bool:
            return dropped.is_set() or (user_cancel is not None and bool(user_cancel()))

        def run() -> None:
            try:
                outcome.append((self._fetch(offset, limit, cancel), None))
            except BaseException as exc:  # handed to the caller by take(), like the request's own error
                outcome.append((None, exc))

        self._key, self._dropped, self._outcome = (offset, limit), dropped, outcome
        self._thread = threading.Thread(target=run, name="cityos-page-ahead", daemon=True)
        self._thread.start()

    def take(self, offset: int, limit: int) -> Any:
        """The page at (``offset``, ``limit``) if it is the one fetched ahead (waiting for it), else None.

        A different page in flight is dropped. The fetch's error, if any, is raised here.
        """
        thread = self._thread
        if thread is None:
            return None
        if self._key != (offset, limit):
            self.drop(wait=True)
            return None
        thread.join()
        self._thread = None
        response, error = self._outcome[0]
        self._outcome = []
        if error is not None:
            raise error
        return response

    def drop(self, wait: bool = False) -> None:
        """Give up the page in flight: its request stops at its next cancel check and its answer is
        discarded. ``wait`` for the request to end (so that the connection is free again)."""
        thread = self._thread
        if thread is None:
            return
        self._dropped.set()
        self._thread = None
        self._outcome = []
        if wait:
            thread.join()
