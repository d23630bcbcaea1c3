"""What the demo steps share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class DemoContext:
    """Output folder, the QGIS project being built, and whatever steps hand on."""

    output: Path
    project: Any = None  # QgsProject
    shared: dict[str, Any] = field(default_factory=dict)
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def on_close(self, closer: Callable[[], None]) -> None:
        self._closers.append(closer)

    def close(self) -> None:
        while self._closers:
            closer = self._closers.pop()
            try:
                closer()
            except Exception as exc:  # the demo reports, it does not hide a failed cleanup
                print(f"  cleanup failed: {exc}")
