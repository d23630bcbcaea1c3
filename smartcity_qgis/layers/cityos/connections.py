"""Saved city-OS connections: what the user set up, kept in QGIS settings without any secret.

A :class:`Connection` is what the connection dialog edits and what a project refers to by
name. Credentials never live here: a connection only names a QGIS authentication
configuration (``authcfg``); :func:`to_client_config` reads the secret from the QGIS
authentication database into memory when a request is about to be made.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from qgis.core import Qgis, QgsMessageLog, QgsSettings

from smartcity_qgis.i18n import tr

SETTINGS_ROOT = "SmartCity/connections"
FLAVORS = ("auto", "ngsi-v2", "ngsi-ld")
EXPORT_FORMAT = "smartcity-qgis-connections"
EXPORT_VERSION = 1

#: Name of the ready-made connection to the embedded demo city OS.
DEMO_CONNECTION_NAME = "デモ都市OS (岡崎市)"
DEMO_TENANT = "okazaki"
#: The neighbouring city on the same embedded city OS (another tenant): 都市間連携 in the demo.
DEMO_NEIGHBOUR_NAME = "デモ都市OS (豊田市)"
DEMO_NEIGHBOUR_TENANT = "toyota"
DEMO_TENANTS = {DEMO_CONNECTION_NAME: DEMO_TENANT, DEMO_NEIGHBOUR_NAME: DEMO_NEIGHBOUR_TENANT}

# Keys that would carry a secret if someone put one into an imported file; they are dropped.
_SECRET_KEYS = re.compile(r"pass(word)?|secret|token|api[-_]?key|credential|authorization", re.I)


MQTT_SCHEMES = ("mqtt", "mqtts", "tcp", "ssl")


def has_url_credentials(url: str) -> bool:
    """Whether ``url`` carries a user name or password (``scheme://user:password@host``)."""
    parts = urllib.parse.urlsplit((url or "").strip())
    return bool(parts.username or parts.password)


class ConnectionRecordError(ValueError):
    """A connection record or file that cannot be used; the message is for the user."""


@dataclass
class Connection:
    """One city OS the user can load layers from."""

    name: str
    url: str = ""
    flavor: str = "auto"
    tenant: str = ""
    service_paths: list[str] = field(default_factory=lambda: ["/"])
    context: str = ""
    timeseries_url: str = ""
    temporal_url: str = ""  # NGSI-LD temporal API (Mintaka) when the broker does not serve it
    mqtt_url: str = ""
    mqtt_broker_url: str = ""  # the MQTT URL the broker publishes to, when it differs from mqtt_url
    mqtt_authcfg: str = ""  # MQTT user and password (a Basic configuration of the QGIS auth DB)
    push_listen_host: str = "127.0.0.1"  # HTTP push: where QGIS listens ("0.0.0.0": every interface)
    push_listen_port: int = 0  # 0: any free port
    push_notify_url: str = ""  # HTTP push: the URL the broker posts to (empty: http://host:port)
    authcfg: str = ""
    verify_tls: bool = True
    ca_bundle: str = ""
    timeout: float = 30.0
    area_of_interest: tuple[float, float, float, float] | None = None
    demo: bool = False

    @property
    def service_path(self) -> str:
        """The service paths as the ``Fiware-ServicePath`` header wants them (comma-separated)."""
        return ",".join(p for p in self.service_paths if p) or "/"

    def problems(self) -> list[str]:
        """What is wrong with this record, in the user's language (empty when usable)."""
        found: list[str] = []
        if not self.name.strip():
            found.append(tr("The connection needs a name."))
        if not self.demo:
            parsed = urllib.parse.urlsplit(self.url.strip())
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                found.append(tr("The URL must start with http:// or https:// and name a host."))
            elif parsed.username or parsed.password:
                found.append(
                    tr("Do not put a user name or password in the URL: choose an authentication configuration.")
                )
        for mqtt in (self.mqtt_url, self.mqtt_broker_url):
            parts = urllib.parse.urlsplit(mqtt.strip())
            if not mqtt:
                continue
            if parts.scheme not in MQTT_SCHEMES or not parts.hostname:
                found.append(tr("The MQTT URL must look like mqtt://host:1883."))
            elif parts.username or parts.password:
                found.append(
                    tr(
                        "Do not put a user name or password in the MQTT URL: choose an MQTT authentication configuration (Basic) on the Push tab of the connection."  # noqa: E501
                    )
                )
        for url in (self.timeseries_url, self.temporal_url, self.push_notify_url):
            parts = urllib.parse.urlsplit(url.strip())
            if url and (parts.scheme not in ("http", "https") or not parts.hostname):
                found.append(tr("{0} must start with http:// or https:// and name a host.").format(url))
        if not 0 <= int(self.push_listen_port) <= 65535:
            found.append(tr("The port to listen on for HTTP push must be between 0 and 65535."))
        if self.flavor not in FLAVORS:
            found.append(tr("Unknown NGSI flavor: {0}").format(self.flavor))
        if self.tenant and not re.fullmatch(r"[A-Za-z0-9_]{1,50}", self.tenant):
            found.append(tr("A tenant has at most 50 letters, digits or underscores."))
        for path in self.service_paths:
            if not re.fullmatch(r"/([A-Za-z0-9_]{1,50}(/[A-Za-z0-9_]{1,50}){0,9}(/#)?|#)?", path):
                found.append(tr("Service path {0} must be absolute, like /river or /river/#.").format(path))
        if len(self.service_paths) > 10:
            found.append(tr("At most 10 service paths can be queried together."))
        if not 1 <= float(self.timeout) <= 600:
            found.append(tr("The timeout must be between 1 and 600 seconds."))
        aoi = self.area_of_interest
        if aoi is not None and not (-180 <= aoi[0] < aoi[2] <= 180 and -90 <= aoi[1] < aoi[3] <= 90):
            found.append(tr("The area of interest must be west, south, east, north in degrees."))
        return found

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (no secret can be in it: a connection holds none)."""
        data = asdict(self)
        data["area_of_interest"] = list(self.area_of_interest) if self.area_of_interest else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Connection:
        """Build a connection from an imported dict; unknown and secret-looking keys are ignored."""
        if not isinstance(data, dict):
            raise ConnectionRecordError(tr("A connection entry must be a JSON object."))
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known and not _SECRET_KEYS.search(k)}
        name = values.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConnectionRecordError(tr("A connection entry has no name."))
        try:
            conn = cls(**values)
            conn.url = str(conn.url or "")
            conn.flavor = str(conn.flavor or "auto")
            conn.tenant = str(conn.tenant or "")
            conn.service_paths = _as_list(conn.service_paths)
            conn.context = str(conn.context or "")
            conn.timeseries_url = str(conn.timeseries_url or "")
            conn.temporal_url = str(conn.temporal_url or "")
            conn.mqtt_url = str(conn.mqtt_url or "")
            conn.mqtt_broker_url = str(conn.mqtt_broker_url or "")
            conn.mqtt_authcfg = str(conn.mqtt_authcfg or "")
            conn.push_listen_host = str(conn.push_listen_host or "127.0.0.1").strip()
            conn.push_listen_port = int(float(conn.push_listen_port or 0))
            conn.push_notify_url = str(conn.push_notify_url or "")
            conn.authcfg = str(conn.authcfg or "")
            conn.verify_tls = _as_bool(conn.verify_tls)
            conn.ca_bundle = str(conn.ca_bundle or "")
            conn.timeout = float(conn.timeout)
            conn.area_of_interest = _as_bbox(conn.area_of_interest)
            conn.demo = _as_bool(conn.demo)
        except (TypeError, ValueError) as exc:
            message = tr("Connection {0} has an unusable value: {1}").format(name, exc)
            raise ConnectionRecordError(message) from exc
        return conn


def demo_connection(name: str = DEMO_CONNECTION_NAME) -> Connection:
    """A ready-made connection to the embedded demo city OS (Okazaki, or its neighbour Toyota)."""
    return Connection(
        name=name,
        url="",
        flavor="ngsi-v2",
        tenant=DEMO_TENANTS[name],
        service_paths=["/"],
        timeout=30.0,
        demo=True,
    )


# A connections file is a few levels deep (file, list, connection, area of interest).
MAX_NESTING = 32


def _nesting_depth(text: str) -> int:
    """How deeply brackets nest in JSON ``text`` (brackets inside strings do not count)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


class ConnectionStore:
    """The user's saved connections in QGIS settings (``SmartCity/connections/...``)."""

    def __init__(self, root: str = SETTINGS_ROOT, settings: QgsSettings | None = None) -> None:
        self.root = root.rstrip("/")
        self._settings = settings

    @property
    def settings(self) -> QgsSettings:
        return self._settings if self._settings is not None else QgsSettings()

    # -- reading ------------------------------------------------------------------------
    def names(self) -> list[str]:
        """Connection names, the demo connection first, the others sorted."""
        s = self.settings
        s.beginGroup(self.root)
        try:
            keys = s.childGroups()
            stored = sorted(s.value(f"{k}/name", urllib.parse.unquote(k), type=str) for k in keys)
        finally:
            s.endGroup()
        stored = [n for n in stored if n not in DEMO_TENANTS]
        return [*DEMO_TENANTS, *stored] if self.demo_enabled() else stored

    def list(self) -> list[Connection]:
        """Every usable connection; a damaged settings entry is skipped (and logged)."""
        found = []
        for name in self.names():
            try:
                conn = self.get(name)
            except ConnectionRecordError as exc:
                QgsMessageLog.logMessage(str(exc), "SmartCity", Qgis.MessageLevel.Warning)
                continue
            if conn is not None:
                found.append(conn)
        return found

    def get(self, name: str) -> Connection | None:
        """The connection called ``name``, or None."""
        if name in DEMO_TENANTS:
            return demo_connection(name)
        s = self.settings
        group = f"{self.root}/{_key(name)}"
        if group.rsplit("/", 1)[1] not in self._child_groups(s):
            return None
        s.beginGroup(group)
        try:
            raw = {
                "name": s.value("name", name, type=str),
                "url": s.value("url", "", type=str),
                "flavor": s.value("flavor", "auto", type=str),
                "tenant": s.value("tenant", "", type=str),
                "service_paths": s.value("service_paths", "/", type=str),
                "context": s.value("context", "", type=str),
                "timeseries_url": s.value("timeseries_url", "", type=str),
                "temporal_url": s.value("temporal_url", "", type=str),
                "mqtt_url": s.value("mqtt_url", "", type=str),
                "mqtt_broker_url": s.value("mqtt_broker_url", "", type=str),
                "mqtt_authcfg": s.value("mqtt_authcfg", "", type=str),
                "push_listen_host": s.value("push_listen_host", "127.0.0.1", type=str),
                "push_listen_port": s.value("push_listen_port", "0", type=str),
                "push_notify_url": s.value("push_notify_url", "", type=str),
                "authcfg": s.value("authcfg", "", type=str),
                "verify_tls": s.value("verify_tls", "true", type=str),
                "ca_bundle": s.value("ca_bundle", "", type=str),
                "timeout": s.value("timeout", "30", type=str),
                "area_of_interest": s.value("area_of_interest", "", type=str),
            }
        finally:
            s.endGroup()
        if has_url_credentials(raw["mqtt_url"]):
            from smartcity_qgis.layers.cityos.connection_migration import move_mqtt_credentials

            move_mqtt_credentials(s, group, raw)
        return Connection.from_dict(raw)

    def exists(self, name: str) -> bool:
        return name in DEMO_TENANTS or _key(name) in self._child_groups(self.settings)

    # -- writing ------------------------------------------------------------------------
    def save(self, conn: Connection, previous_name: str | None = None) -> None:
        """Store ``conn`` (renaming it from ``previous_name`` if given)."""
        if conn.demo or conn.name in DEMO_TENANTS:
            raise ConnectionRecordError(tr("The demo city OS connection is built in and cannot be changed."))
        problems = conn.problems()
        if problems:
            raise ConnectionRecordError("\n".join(problems))
        if previous_name and previous_name != conn.name:
            if self.exists(conn.name):
                raise ConnectionRecordError(tr("A connection called {0} already exists.").format(conn.name))
            self.remove(previous_name)
        s = self.settings
        s.beginGroup(f"{self.root}/{_key(conn.name)}")
        try:
            s.setValue("name", conn.name)
            s.setValue("url", conn.url.strip())
            s.setValue("flavor", conn.flavor)
            s.setValue("tenant", conn.tenant)
            s.setValue("service_paths", ",".join(conn.service_paths))
            s.setValue("context", conn.context)
            s.setValue("timeseries_url", conn.timeseries_url.strip())
            s.setValue("temporal_url", conn.temporal_url.strip())
            s.setValue("mqtt_url", conn.mqtt_url.strip())
            s.setValue("mqtt_broker_url", conn.mqtt_broker_url.strip())
            s.setValue("mqtt_authcfg", conn.mqtt_authcfg)
            s.setValue("push_listen_host", conn.push_listen_host.strip())
            s.setValue("push_listen_port", int(conn.push_listen_port))
            s.setValue("push_notify_url", conn.push_notify_url.strip())
            s.setValue("authcfg", conn.authcfg)
            s.setValue("verify_tls", bool(conn.verify_tls))
            s.setValue("ca_bundle", conn.ca_bundle)
            s.setValue("timeout", float(conn.timeout))
            aoi = conn.area_of_interest
            s.setValue("area_of_interest", ",".join(repr(float(v)) for v in aoi) if aoi else "")
        finally:
            s.endGroup()
        s.sync()

    def remove(self, name: str) -> None:
        if name in DEMO_TENANTS:
            raise ConnectionRecordError(tr("The demo city OS connection is built in and cannot be removed."))
        s = self.settings
        s.remove(f"{self.root}/{_key(name)}")
        s.sync()

    def rename(self, old: str, new: str) -> Connection:
        conn = self.get(old)
        if conn is None:
            raise ConnectionRecordError(tr("There is no connection called {0}.").format(old))
        if conn.demo:
            raise ConnectionRecordError(tr("The demo city OS connection is built in and cannot be changed."))
        renamed = replace(conn, name=new)
        self.save(renamed, previous_name=old)
        return renamed

    def duplicate(self, name: str) -> Connection:
        """Save a copy of ``name`` under a free name ("… (2)") and return it."""
        conn = self.get(name)
        if conn is None:
            raise ConnectionRecordError(tr("There is no connection called {0}.").format(name))
        copy = replace(conn, name=self.free_name(tr("{0} (copy)").format(name)), demo=False)
        if conn.demo:
            copy.url = ""
        if not copy.url:
            raise ConnectionRecordError(tr("The demo city OS has no fixed address to copy."))
        self.save(copy)
        return copy

    def free_name(self, wanted: str) -> str:
        if not self.exists(wanted):
            return wanted
        n = 2
        while self.exists(f"{wanted} ({n})"):
            n += 1
        return f"{wanted} ({n})"

    # -- demo switch ------------------------------------------------------------------------
    def demo_enabled(self) -> bool:
        return self.settings.value(f"{self.root.rsplit('/', 1)[0]}/demo_connection", True, type=bool)

    # -- JSON import / export -------------------------------------------------------------------
    def export_json(self, names: list[str] | None = None, keep_auth_ids: bool = True) -> str:
        """The chosen connections as JSON. Never a secret: at most the ``authcfg`` id."""
        chosen = [c for c in self.list() if not c.demo and (names is None or c.name in names)]
        items = []
        for conn in chosen:
            data = conn.to_dict()
            data.pop("demo", None)
            if not keep_auth_ids:
                data.pop("authcfg", None)
                data.pop("mqtt_authcfg", None)
            items.append(data)
        doc = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "connections": items}
        return json.dumps(doc, ensure_ascii=False, indent=2)

    def import_json(self, text: str) -> tuple[list[Connection], list[str]]:
        """Add the connections in ``text``; return (added, messages about what was skipped).

        A name already taken gets a " (2)" suffix; nothing existing is overwritten.
        """
        if isinstance(text, str) and _nesting_depth(text) > MAX_NESTING:
            # Refused before parsing: whether json gives up on such depth depends on the Python version.
            raise ConnectionRecordError(
                tr("The file is not valid JSON: {0}").format(tr("nested more than {0} levels deep").format(MAX_NESTING))
            )
        try:
            doc = json.loads(text)
        except (ValueError, TypeError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
            raise ConnectionRecordError(tr("The file is not valid JSON: {0}").format(exc)) from exc
        if isinstance(doc, dict) and doc.get("format") == EXPORT_FORMAT:
            entries = doc.get("connections")
        elif isinstance(doc, list):
            entries = doc
        else:
            raise ConnectionRecordError(tr("The file is not a SmartCity connections file."))
        if not isinstance(entries, list):
            raise ConnectionRecordError(tr("The file is not a SmartCity connections file."))
        added: list[Connection] = []
        messages: list[str] = []
        for entry in entries:
            try:
                if isinstance(entry, dict) and any(_SECRET_KEYS.search(str(k)) for k in entry):
                    messages.append(
                        tr("Ignored secret fields in {0}: secrets belong in the QGIS authentication database.").format(
                            entry.get("name")
                        )
                    )
                conn = Connection.from_dict(entry)
                conn.demo = False
                conn.name = self.free_name(conn.name)
                self.save(conn)
                added.append(conn)
            except ConnectionRecordError as exc:
                messages.append(str(exc))
        return added, messages

    # -- helpers ---------------------------------------------------------------------------------
    def _child_groups(self, s: QgsSettings) -> list[str]:
        s.beginGroup(self.root)
        try:
            return s.childGroups()
        finally:
            s.endGroup()


def _key(name: str) -> str:
    """A settings group name for a connection name ('/' and '\\' would nest groups)."""
    return urllib.parse.quote(name.strip(), safe="")


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return ["/"]
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"service paths: {value!r}")
    return [str(v).strip() for v in value if str(v).strip()] or ["/"]


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _as_bbox(value: Any) -> tuple[float, float, float, float] | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str):
        value = value.split(",")
    parts = [float(v) for v in value]
    if len(parts) != 4:
        raise ValueError(f"area of interest needs 4 numbers, got {len(parts)}")
    return (parts[0], parts[1], parts[2], parts[3])
