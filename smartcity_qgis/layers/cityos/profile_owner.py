"""This QGIS profile's id, naming the push subscriptions it creates on brokers."""

from __future__ import annotations

import re
import uuid

from qgis.core import QgsSettings

_KEY = "SmartCity/profile_id"


def profile_owner(settings: QgsSettings | None = None) -> str:
    """A random id kept in this profile's settings (made on first use); never a secret."""
    s = settings or QgsSettings()
    value = s.value(_KEY, "", type=str)
    if not re.fullmatch(r"[0-9a-f]{16}", value or ""):
        value = uuid.uuid4().hex[:16]
        s.setValue(_KEY, value)
    return value
