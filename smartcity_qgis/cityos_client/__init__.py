"""Talking to city-OS brokers (NGSI-v2 and NGSI-LD). Pure Python: never imports qgis.

```python
from smartcity_qgis.cityos_client import ConnectionConfig, CityOSClient, to_geodataframe
client = CityOSClient(ConnectionConfig(url="http://127.0.0.1:1026", flavor="ngsi-v2", tenant="okazaki"))
gdf = to_geodataframe(client.iter_entities("WaterObserved", bbox=(137.1, 34.9, 137.3, 35.0)))
```
"""

from smartcity_qgis.cityos_client.client import CityOSClient, detect_flavor
from smartcity_qgis.cityos_client.config import NGSI_LD, NGSI_V2, ConnectionConfig
from smartcity_qgis.cityos_client.errors import (
    AuthError,
    BadRequestError,
    CancelledError,
    CityOSConnectionError,
    CityOSError,
    InvalidConfigError,
    InvalidEntityError,
    NotFoundError,
    RequestTimeoutError,
    ResponseTooLargeError,
    ServerError,
    TooManyResultsError,
)
from smartcity_qgis.cityos_client.geodataframe import to_geodataframe
from smartcity_qgis.cityos_client.models import Attribute, Entity, TypeInfo
from smartcity_qgis.cityos_client.names import is_expanded, short_name
from smartcity_qgis.cityos_client.notifications import parse_notification
from smartcity_qgis.cityos_client.parse import parse_entity
from smartcity_qgis.cityos_client.push import Subscription

__all__ = [
    "NGSI_LD",
    "NGSI_V2",
    "Attribute",
    "AuthError",
    "BadRequestError",
    "CancelledError",
    "CityOSClient",
    "CityOSConnectionError",
    "CityOSError",
    "ConnectionConfig",
    "Entity",
    "InvalidConfigError",
    "InvalidEntityError",
    "NotFoundError",
    "RequestTimeoutError",
    "ResponseTooLargeError",
    "ServerError",
    "Subscription",
    "TooManyResultsError",
    "TypeInfo",
    "detect_flavor",
    "is_expanded",
    "parse_entity",
    "parse_notification",
    "short_name",
    "to_geodataframe",
]
