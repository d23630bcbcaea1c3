"""Typed errors of the city-OS client.

Every error carries an English message; the QGIS side translates or wraps it
where it is shown. Server errors keep the broker's own error name and
description so that the user sees what the broker said.
"""

from __future__ import annotations


class CityOSError(Exception):
    """Base class of every error raised by the city-OS client."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error: str | None = None,
        description: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error = error
        self.description = description
        self.url = url


class AuthError(CityOSError):
    """The broker (or its PEP proxy / IdM) refused the credentials (401, 403)."""


class NotFoundError(CityOSError):
    """The entity, type or resource does not exist (404)."""


class BadRequestError(CityOSError):
    """The broker refused the request as malformed (400, 405, 411, 413, 415, 422)."""


class TooManyResultsError(CityOSError):
    """The query matched more than the broker will answer (v2 409, LD 403 TooManyResults)."""


class ServerError(CityOSError):
    """The broker failed (5xx), or answered something that is not NGSI."""


class RequestTimeoutError(CityOSError):
    """The broker did not answer within the configured time."""


class CityOSConnectionError(CityOSError):
    """The broker could not be reached (refused, reset, DNS, TLS)."""


class RedirectRefusedError(CityOSConnectionError):
    """The broker redirected a request carrying credentials to another host; it was not followed."""


class MissingDependencyError(CityOSError):
    """A Python package this setting needs is not installed (SOCKS proxies, MQTT); not worth retrying."""

    def __init__(self, message: str, package: str) -> None:
        super().__init__(message)
        self.package = package


class ResponseTooLargeError(CityOSError):
    """An answer exceeded the configured response-size limit."""


class CancelledError(CityOSError):
    """The operation was cancelled by the caller."""


class InvalidEntityError(CityOSError, ValueError):
    """An entity payload cannot be used; the message names the entity id and the reason."""

    def __init__(self, entity_id: str | None, reason: str) -> None:
        shown = entity_id if entity_id is not None else "(no id)"
        super().__init__(f"entity {shown}: {reason}")
        self.entity_id = entity_id
        self.reason = reason


class InvalidConfigError(CityOSError, ValueError):
    """A connection setting is unusable (bad URL, flavor, tenant...)."""
