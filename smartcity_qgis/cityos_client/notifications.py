"""Notification payloads of both flavors (HTTP and MQTT) into entities."""

from __future__ import annotations

import json
from typing import Any

from smartcity_qgis.cityos_client.errors import InvalidEntityError
from smartcity_qgis.cityos_client.models import Entity
from smartcity_qgis.cityos_client.parse import parse_with
from smartcity_qgis.cityos_client.parse_common import ParseOptions


class InvalidNotificationError(InvalidEntityError):
    """A notification message that is not an NGSI notification at all."""

    def __init__(self, reason: str) -> None:
        super().__init__(None, reason)
        self.message = f"notification: {reason}"
        self.args = (self.message,)


def notification_body(payload: Any) -> dict:
    """The notification inside ``payload`` (raw bytes/str or decoded JSON).

    Handles the NGSI-v2 ``{"subscriptionId", "data"}`` form, the NGSI-LD
    ``{"type": "Notification", ...}`` form and the LD MQTT wrapper
    ``{"metadata": {...}, "body": <notification>}``.
    """
    if isinstance(payload, bytes | bytearray):
        try:
            payload = payload.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidNotificationError("the message is not UTF-8 text") from None
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except ValueError:
            raise InvalidNotificationError("the message is not JSON") from None
    if isinstance(payload, dict) and "body" in payload and "data" not in payload:
        body = payload["body"]
        if isinstance(body, str | bytes | bytearray):
            return notification_body(body)
        payload = body
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
        raise InvalidNotificationError("the message has no 'data' list of entities")
    return payload


def parse_notification(
    payload: Any, flavor: str, options: ParseOptions
) -> tuple[list[Entity], list[InvalidEntityError]]:
    """Entities of a notification and the errors of those that cannot be used."""
    body = notification_body(payload)
    entities: list[Entity] = []
    errors: list[InvalidEntityError] = []
    for item in body["data"]:
        try:
            entities.append(parse_with(item, flavor, None, options))
        except InvalidEntityError as exc:
            errors.append(exc)
    return entities, errors
