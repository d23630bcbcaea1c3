"""Waiting on the Qt event loop, for every headless QGIS test."""

from __future__ import annotations

import time
from collections.abc import Callable

from qgis.PyQt.QtCore import QCoreApplication


def wait_until(condition: Callable[[], object], timeout: float = 20.0) -> None:
    """Run the event loop until ``condition()`` is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        QCoreApplication.processEvents()
        time.sleep(0.02)


def spin(seconds: float) -> None:
    """Run the event loop for ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)
