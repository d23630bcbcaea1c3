"""What an entity layer remembers about its source, as layer custom properties.

Stored (and written into the project file): connection name, broker URL without
credentials, flavor, tenant, service path, entity type, geometry kind, query
(extent, attributes, ``q``), unit codes, live-mode settings, snapshot file
name and the stale flag. Never a token, password or auth configuration
content: secrets are looked up again from the saved connection (QGIS auth
database) when the layer reconnects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from qgis.core import QgsMapLayer

from smartcity_qgis.i18n import tr

PREFIX = "smartcity/"
_KEYS = (
    "connection",
    "url",
    "flavor",
    "tenant",
    "service_path",
    "entity_type",
    "geometry_kind",
    "query",
    "units",
    "live",
    "snapshot",
)


def public_url(url: str) -> str:
    """``url`` without user info, query string or fragment (they may carry secrets)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


@dataclass
class LayerMeta:
    """Source description of one entity layer."""

    url: str
    flavor: str
    entity_type: str
    connection: str = ""
    tenant: str = ""
    service_path: str = ""
    geometry_kind: str = ""
    query: dict[str, Any] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    live: dict[str, Any] = field(default_factory=dict)
    snapshot: str = ""

    @classmethod
    def from_config(
        cls, config: Any, entity_type: str, connection: str | None = None, query: dict | None = None
    ) -> LayerMeta:
        """Meta for a layer loaded with ``config`` (a ConnectionConfig)."""
        return cls(
            url=public_url(config.url),
            flavor=config.flavor,
            entity_type=entity_type,
            connection=connection or "",
            tenant=config.tenant or "",
            service_path=config.service_path or "",
            query=dict(query or {}),
        )

    def key(self) -> str:
        """Identity of the layer: one layer per connection + tenant + service path + type + kind."""
        source = self.connection or self.url
        return "|".join((source, self.tenant, self.service_path, self.entity_type, self.geometry_kind))

    def same_source(self, other: LayerMeta) -> bool:
        """True when both describe the same connection, tenant, service path and type."""
        return self.key().rsplit("|", 1)[0] == other.key().rsplit("|", 1)[0]

    def apply(self, layer: QgsMapLayer) -> None:
        """Write this meta into ``layer``'s custom properties."""
        for key in _KEYS:
            value = getattr(self, key)
            if isinstance(value, dict):
                value = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
            layer.setCustomProperty(PREFIX + key, value)

    @classmethod
    def from_layer(cls, layer: QgsMapLayer) -> LayerMeta | None:
        """The meta of an entity layer, or None for any other layer."""
        url = layer.customProperty(PREFIX + "url")
        entity_type = layer.customProperty(PREFIX + "entity_type")
        if not url or not entity_type:
            return None
        values: dict[str, Any] = {}
        for key in _KEYS:
            raw = layer.customProperty(PREFIX + key, "")
            if key in ("query", "units", "live"):
                try:
                    parsed = json.loads(raw) if raw else {}
                except (TypeError, ValueError):
                    parsed = {}
                values[key] = parsed if isinstance(parsed, dict) else {}
            else:
                values[key] = str(raw or "")
        return cls(**values)

    def bbox(self) -> tuple[float, float, float, float] | None:
        """The extent of the query (lon/lat), if any."""
        box = self.query.get("bbox")
        if isinstance(box, (list, tuple)) and len(box) == 4:
            return tuple(float(v) for v in box)  # type: ignore[return-value]
        return None

    def attrs(self) -> list[str] | None:
        """The attributes asked for, if restricted."""
        attrs = self.query.get("attrs")
        return list(attrs) if attrs else None


def is_entity_layer(layer: QgsMapLayer) -> bool:
    """True for a layer made by this plugin from city-OS entities."""
    return bool(layer.customProperty(PREFIX + "entity_type")) and bool(layer.customProperty(PREFIX + "url"))


def set_stale(layer: QgsMapLayer, stale: bool, since: str = "") -> None:
    """Mark ``layer`` as showing last-known data (connection lost) or as current."""
    layer.setCustomProperty(PREFIX + "stale", "1" if stale else "")
    layer.setCustomProperty(PREFIX + "stale_since", since if stale else "")


def is_stale(layer: QgsMapLayer) -> bool:
    """True if ``layer`` shows last-known data only."""
    return layer.customProperty(PREFIX + "stale", "") == "1"


def stale_since(layer: QgsMapLayer) -> str:
    """Since when ``layer`` shows last-known data (UTC ISO 8601; "" when unknown or current)."""
    return str(layer.customProperty(PREFIX + "stale_since", "") or "")


def mark_offline(layer: QgsMapLayer, offline: bool, since: str = "") -> None:
    """Mark ``layer`` as holding last-known data (stale flag, since when), or as current again.

    The layer tree shows the state as an icon beside the name (the City OS panel's offline
    indicator), never in the name itself, where a long name would cut it off. A suffix that an
    earlier version of the plugin put in the name is taken away; a name the user gave stays.
    """
    base = layer.customProperty(PREFIX + "base_name", "")
    if base and layer.name() == tr("{0} (offline)").format(base):
        layer.setName(base)
    if base:
        layer.removeCustomProperty(PREFIX + "base_name")
    if offline:
        if not is_stale(layer):
            set_stale(layer, True, since)
    else:
        set_stale(layer, False)
