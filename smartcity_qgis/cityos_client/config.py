"""Connection settings of one city-OS broker.

Secrets (token, password, client secret) are held in memory only: the QGIS
side fills them from its authentication database and never writes them out.
They are excluded from ``repr`` so that logs never show them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from smartcity_qgis.cityos_client.errors import InvalidConfigError

NGSI_V2 = "ngsi-v2"
NGSI_LD = "ngsi-ld"
FLAVORS = (NGSI_V2, NGSI_LD)

AUTH_NONE = "none"
AUTH_TOKEN = "token"
AUTH_OAUTH2_PASSWORD = "oauth2-password"
AUTH_OAUTH2_CLIENT = "oauth2-client-credentials"
AUTH_MODES = (AUTH_NONE, AUTH_TOKEN, AUTH_OAUTH2_PASSWORD, AUTH_OAUTH2_CLIENT)

CORE_CONTEXT = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"

_TENANT_RE = re.compile(r"^[A-Za-z0-9_]{1,50}$")
_SERVICE_PATH_RE = re.compile(r"^/([A-Za-z0-9_]{1,50}(/[A-Za-z0-9_]{1,50}){0,9})?(/#)?$|^/#$")

BBox = tuple[float, float, float, float]


@dataclass
class ConnectionConfig:
    """Everything needed to talk to one broker (one tenant, one or more service paths).

    ``service_path`` may list up to 10 comma-separated paths for queries, ``/#`` for a subtree.
    ``area_of_interest`` is ``(min_lon, min_lat, max_lon, max_lat)``: points outside it whose
    lat/lon swap falls inside get a warning. ``page_size`` None means the broker's maximum
    (v2 1000, LD 1000, lowered automatically when the broker refuses a limit).
    """

    url: str
    flavor: str = NGSI_V2
    tenant: str | None = None
    service_path: str | None = None
    # Auth: "none", "token" (static), "oauth2-password", "oauth2-client-credentials".
    auth: str = AUTH_NONE
    token: str | None = field(default=None, repr=False)
    token_header: str = "X-Auth-Token"  # or "Authorization" (sent as "Bearer <token>")
    token_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    # Transport.
    verify_tls: bool = True
    ca_bundle: str | None = None
    # None: the environment's (HTTP_PROXY, NO_PROXY...). Hidden from repr: proxy URLs may carry a password.
    proxies: dict[str, str] | None = field(default=None, repr=False)
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_response_bytes: int = 256 * 1024 * 1024
    max_retries: int = 5
    retry_budget: float = 60.0  # seconds spent waiting between retries, at most
    backoff_base: float = 0.5
    # NGSI.
    context: str | None = None  # NGSI-LD @context URL sent in a Link header
    primary_geo_attribute: str = "location"
    area_of_interest: BBox | None = None
    page_size: int | None = None
    max_page_size: int = 1000
    timeseries_url: str | None = None  # QuantumLeap base URL for NGSI-v2 history
    mqtt_url: str | None = None  # broker's MQTT server for push subscriptions
    user_agent: str = "smartcity-qgis-cityos-client"

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise `InvalidConfigError` naming the first unusable setting."""
        parts = urlsplit(self.url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidConfigError(f"broker URL must be http:// or https:// with a host, got {self.url!r}")
        self.url = self.url.rstrip("/")
        if self.flavor not in FLAVORS:
            raise InvalidConfigError(f"flavor must be one of {', '.join(FLAVORS)}, got {self.flavor!r}")
        if self.tenant is not None and self.tenant != "":
            if self.flavor == NGSI_V2 and not _TENANT_RE.match(self.tenant):
                raise InvalidConfigError(
                    f"tenant (Fiware-Service) must be 1-50 letters, digits or '_', got {self.tenant!r}"
                )
            if any(c.isspace() or ord(c) < 32 for c in self.tenant):
                raise InvalidConfigError(f"tenant must not contain spaces or control characters: {self.tenant!r}")
        if self.service_path:
            paths = [p.strip() for p in self.service_path.split(",")]
            if len(paths) > 10:
                raise InvalidConfigError("at most 10 comma-separated service paths may be queried at once")
            for path in paths:
                if not _SERVICE_PATH_RE.match(path):
                    raise InvalidConfigError(
                        f"service path must be absolute ('/a/b', '/a/#'), at most 10 levels, got {path!r}"
                    )
        if self.auth not in AUTH_MODES:
            raise InvalidConfigError(f"auth must be one of {', '.join(AUTH_MODES)}, got {self.auth!r}")
        if self.auth in (AUTH_OAUTH2_PASSWORD, AUTH_OAUTH2_CLIENT) and not self.token_url:
            raise InvalidConfigError("OAuth2 authentication needs a token URL")
        if self.token_header not in ("X-Auth-Token", "Authorization"):
            raise InvalidConfigError("token header must be 'X-Auth-Token' or 'Authorization'")
        if self.area_of_interest is not None:
            aoi = tuple(float(v) for v in self.area_of_interest)
            if len(aoi) != 4 or not (aoi[0] < aoi[2] and aoi[1] < aoi[3]):
                raise InvalidConfigError("area of interest must be (min_lon, min_lat, max_lon, max_lat)")
            self.area_of_interest = aoi  # type: ignore[assignment]
        if self.page_size is not None and not (1 <= self.page_size <= self.max_page_size):
            raise InvalidConfigError(f"page size must be between 1 and {self.max_page_size}")
        if self.connect_timeout <= 0 or self.read_timeout <= 0:
            raise InvalidConfigError("timeouts must be positive")

    @property
    def is_ld(self) -> bool:
        """True for NGSI-LD brokers."""
        return self.flavor == NGSI_LD

    def with_changes(self, **changes: object) -> ConnectionConfig:
        """A validated copy with some settings changed."""
        return replace(self, **changes)
