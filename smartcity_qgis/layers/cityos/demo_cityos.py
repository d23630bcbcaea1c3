"""The embedded demo city OS behind the ready-made "デモ都市OS (岡崎市)" connection.

Started on first use, on loopback, on a free port; stopped when the plugin unloads.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_server: Any = None


def demo_server() -> Any:
    """The running embedded city OS (Okazaki scenario), started now if it is not running yet.

    Safe to call from any thread; the server answers from its own background thread.
    """
    global _server
    with _lock:
        if _server is None:
            from smartcity_qgis.cityos_sim.server import start_server

            _server = start_server(host="127.0.0.1", port=0, scenario="okazaki")
        return _server


def demo_server_running() -> bool:
    """True when the demo city OS has been started (and not stopped)."""
    with _lock:
        return _server is not None


def stop_demo_server() -> None:
    """Stop the demo city OS if it runs (on plugin unload)."""
    global _server
    with _lock:
        server, _server = _server, None
    if server is not None:
        server.stop()
