"""Asking a city OS what it is and what it serves, off the UI thread.

:func:`probe_connection` does the network work (flavor detection for "auto" connections,
``/version``, entity types with counts and attributes); :class:`ConnectionProbeTask` runs it
in QGIS's task manager and reports to the connection status board.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from qgis.core import QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos import connection_status
from smartcity_qgis.layers.cityos.connection_config import remember_flavor, to_client_config
from smartcity_qgis.layers.cityos.connections import Connection, ConnectionRecordError

# A connection test answers within seconds: one retry, not the budget meant for loading.
PROBE_RETRIES = {"max_retries": 1, "retry_budget": 2.0}


@dataclass
class ProbeResult:
    """What a city OS answered: its flavor, broker name and version, and its entity types."""

    connection: str
    flavor: str
    broker: str
    types: list[Any] = field(default_factory=list)
    config: Any = None

    @property
    def entity_count(self) -> int | None:
        """Entities over all types (None if the broker gave no count for some type)."""
        counts = [t.count for t in self.types]
        return None if any(c is None for c in counts) else sum(counts)

    def summary(self) -> str:
        """ "connected: Orion 4.0.0, 12 types, 48,210 entities" in the user's language."""
        total = self.entity_count
        if total is None:
            return tr("connected: {0}, {1} types").format(self.broker, len(self.types))
        return tr("connected: {0}, {1} types, {2} entities").format(self.broker, len(self.types), f"{total:,}")


def broker_label(version: dict[str, Any], flavor: str) -> str:
    """A short name and version for a broker's ``/version`` answer ("Orion 4.0.0", "Orion-LD 1.6")."""
    for key, value in version.items():
        lowered = str(key).lower().replace("_", " ")
        if lowered.startswith("orionld") or lowered.startswith("orion-ld"):
            return f"Orion-LD {value if isinstance(value, str) else ''}".strip()
    orion = version.get("orion")
    if isinstance(orion, dict):
        name = "Orion"
        text = str(orion).lower()
        if "synthetic" in text or "simulat" in text or "embedded" in text:
            name = tr("Embedded city OS")
        ver = orion.get("version")
        return f"{name} {ver}" if isinstance(ver, str) else name
    for key in ("name", "broker", "product"):
        value = version.get(key)
        if isinstance(value, str) and value:
            ver = version.get("version")
            return f"{value} {ver}" if isinstance(ver, str) else value
    return "NGSI-LD" if flavor == "ngsi-ld" else "NGSI-v2"


def detect_connection_flavor(conn: Connection) -> str:
    """The flavor of an "auto" connection, asked from the broker and remembered (network)."""
    if conn.flavor != "auto":
        return conn.flavor
    from smartcity_qgis.cityos_client import detect_flavor

    base = to_client_config(conn, flavor="ngsi-v2").with_changes(**PROBE_RETRIES)
    options = {
        f.name: getattr(base, f.name) for f in dataclasses.fields(base) if f.init and f.name not in ("url", "flavor")
    }
    flavor = detect_flavor(base.url, **options)
    remember_flavor(conn, flavor)
    return flavor


def probe_connection(conn: Connection, cancel: Any = None) -> ProbeResult:
    """Flavor, broker and entity types of ``conn`` (network: call it from a task)."""
    from smartcity_qgis.cityos_client import CityOSClient, CityOSError

    flavor = detect_connection_flavor(conn)
    config = to_client_config(conn, flavor=flavor)
    with CityOSClient(config.with_changes(**PROBE_RETRIES)) as client:
        try:
            version = client.version()
        except CityOSError:
            version = {}  # some NGSI-LD brokers have no /version; the types answer tells enough
        types = client.types()
    types.sort(key=lambda t: t.name)
    return ProbeResult(conn.name, flavor, broker_label(version, flavor), types, config)


class ConnectionProbeTask(QgsTask):
    """Runs :func:`probe_connection` in QGIS's task manager."""

    probed = pyqtSignal(object)  # ProbeResult
    failed = pyqtSignal(str, str)  # connection name, message for the user

    def __init__(self, conn: Connection) -> None:
        from smartcity_qgis.layers.cityos.messages import quiet_task_flags

        super().__init__(tr("Connecting to {0}").format(conn.name), quiet_task_flags())
        self.conn = conn
        self.result: ProbeResult | None = None
        self.error = ""
        connection_status.status_board().report(conn.name, connection_status.CONNECTING)

    def run(self) -> bool:
        from smartcity_qgis.layers.cityos.messages import error_message

        try:
            self.result = probe_connection(self.conn)
        except Exception as exc:  # reported in finished(), never raised into the task manager
            self.error = str(exc) if isinstance(exc, ConnectionRecordError) else error_message(exc)
            return False
        return not self.isCanceled()

    def finished(self, ok: bool) -> None:
        board = connection_status.status_board()
        if ok and self.result is not None:
            board.report(self.conn.name, connection_status.CONNECTED)
            self.probed.emit(self.result)
        else:
            message = self.error or tr("Cancelled.")
            board.report(self.conn.name, connection_status.OFFLINE, message)
            self.failed.emit(self.conn.name, message)
