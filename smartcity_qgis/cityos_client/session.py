"""What history queries and push subscriptions need of a client: its settings, HTTP and headers.

`CityOSClient` is one; the helpers take this protocol instead of the client class so that the
client can use them without the two modules importing each other.
"""

from __future__ import annotations

from typing import Protocol

from smartcity_qgis.cityos_client.config import ConnectionConfig
from smartcity_qgis.cityos_client.http import HttpClient
from smartcity_qgis.cityos_client.parse_common import ParseOptions


class BrokerSession(Protocol):
    """A connection to one broker: its configuration, HTTP session, parse options and headers."""

    config: ConnectionConfig
    http: HttpClient
    options: ParseOptions

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]: ...
