"""Moving a secret out of QGIS settings: MQTT URLs that carried a user name and password.

Earlier versions took the MQTT user and password only inside the MQTT URL, which was saved in
plain text in the settings. On first use such a connection gets a Basic configuration in the
QGIS authentication database with them, its URL is saved without them, and the plain copy is
gone from the settings file. This happens once: afterwards the URL carries no credentials.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from qgis.core import Qgis, QgsApplication, QgsAuthMethodConfig, QgsMessageLog, QgsSettings

from smartcity_qgis.i18n import tr


def strip_credentials(url: str) -> str:
    """``url`` without its user name and password."""
    parts = urllib.parse.urlsplit(url.strip())
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def move_mqtt_credentials(settings: QgsSettings, group: str, raw: dict[str, Any]) -> bool:
    """Move the credentials of ``raw["mqtt_url"]`` into the auth DB; update ``raw`` and the settings.

    Returns False (and leaves everything as it was, so the connection reports the URL as
    unusable) when the authentication database cannot take them (disabled, or no master password).
    """
    parts = urllib.parse.urlsplit(raw["mqtt_url"].strip())
    manager = QgsApplication.authManager()
    name = raw.get("name") or group.rsplit("/", 1)[-1]
    if manager.isDisabled():
        QgsMessageLog.logMessage(
            tr(
                "The MQTT URL of connection {0} holds a password, and the QGIS authentication database is not available to keep it."  # noqa: E501
            ).format(name),
            "SmartCity",
            Qgis.MessageLevel.Warning,
        )
        return False
    cfg = QgsAuthMethodConfig("Basic")
    cfg.setName(tr("SmartCity MQTT: {0}").format(name))
    cfg.setConfig("username", urllib.parse.unquote(parts.username or ""))
    cfg.setConfig("password", urllib.parse.unquote(parts.password or ""))
    if not manager.storeAuthenticationConfig(cfg) or not cfg.id():
        QgsMessageLog.logMessage(
            tr("The MQTT password of connection {0} could not be moved into the QGIS authentication database.").format(
                name
            ),
            "SmartCity",
            Qgis.MessageLevel.Warning,
        )
        return False
    raw["mqtt_url"] = strip_credentials(raw["mqtt_url"])
    raw["mqtt_authcfg"] = cfg.id()
    settings.setValue(f"{group}/mqtt_url", raw["mqtt_url"])
    settings.setValue(f"{group}/mqtt_authcfg", cfg.id())
    settings.sync()
    QgsMessageLog.logMessage(
        tr(
            "The MQTT user and password of connection {0} were moved into the QGIS authentication database ({1})."
        ).format(name, cfg.id()),
        "SmartCity",
        Qgis.MessageLevel.Info,
    )
    return True
