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

# tcp:// and ssl:// are the names some MQTT tools give to mqtt:// and mqtts://.
MQTT_SCHEMES = ("mqtt", "mqtts", "tcp", "ssl")

CORE_CONTEXT = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"

# An HTTP header name (RFC 9110 token); the headers below are the transport's, never a credential's.
_HEADER_NAME_RE = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$")
_RESERVED_HEADERS = frozenset(
    {"host", "content-length", "content-type", "transfer-encoding", "connection", "accept", "cookie", "link"}
    | {"fiware-service", "fiware-servicepath", "ngsild-tenant", "user-agent", "te", "upgrade", "expect"}
)
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
    # The header carrying the token or API key: X-Auth-Token (Wilma), Authorization, apikey (Kong),
    # Ocp-Apim-Subscription-Key (Azure API Management), x-api-key, ... any name.
    token_header: str = "X-Auth-Token"
    # Sent before the token: None means "Bearer " in Authorization and nothing elsewhere; "" sends it as is.
    token_prefix: str | None = None
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
    temporal_url: str | None = None  # NGSI-LD temporal API (Mintaka) when not served by the broker
    mqtt_url: str | None = None  # MQTT server this client subscribes to for push
    mqtt_broker_url: str | None = None  # the MQTT server the broker publishes to, when it reaches it otherwise
    mqtt_username: str | None = None
    mqtt_password: str | None = field(default=None, repr=False)
    # HTTP push: where this client listens, and the URL the broker posts to (None: http://host:port).
    push_host: str = "127.0.0.1"
    push_port: int = 0
    notify_url: str | None = None
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
        if not _HEADER_NAME_RE.match(self.token_header or "") or self.token_header.lower() in _RESERVED_HEADERS:
            raise InvalidConfigError(
                f"the token header must be an HTTP header name of its own, got {self.token_header!r}"
            )
        if self.token_prefix is not None and any(c in self.token_prefix for c in "\r\n"):
            raise InvalidConfigError("the token prefix must be a single line")
        if not 0 <= int(self.push_port) <= 65535:
            raise InvalidConfigError(f"the push port must be between 0 and 65535, got {self.push_port}")
        for name in ("token_url", "timeseries_url", "temporal_url", "notify_url"):
            value = getattr(self, name)
            if value and urlsplit(value).scheme not in ("http", "https"):
                raise InvalidConfigError(f"{name.replace('_', ' ')} must be http:// or https://, got {value!r}")
        for name in ("mqtt_url", "mqtt_broker_url"):
            value = getattr(self, name)
            if not value:
                continue
            mqtt = urlsplit(value)
            if mqtt.scheme not in MQTT_SCHEMES or not mqtt.hostname:
                raise InvalidConfigError(
                    f"the MQTT URL must look like mqtt://host:1883 or mqtts://host:8883, got {value!r}"
                )
            if mqtt.username or mqtt.password:
                raise InvalidConfigError(
                    "an MQTT URL must not carry a user name or password: give them as mqtt_username / mqtt_password"
                    " (in QGIS: an MQTT authentication configuration)"
                )
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
    def credential_hosts(self) -> frozenset[str]:
        """Hosts the connection's credentials may be sent to: the broker's, the token endpoint's and
        those of the history services the connection names. No other host ever gets them."""
        urls = (self.url, self.token_url, self.timeseries_url, self.temporal_url)
        return frozenset(h.lower() for h in (urlsplit(u).hostname for u in urls if u) if h)

    def token_value(self, token: str) -> str:
        """The header value carrying ``token``."""
        prefix = self.token_prefix
        if prefix is None:
            prefix = "Bearer " if self.token_header.lower() == "authorization" else ""
        elif prefix and not prefix.endswith(" "):
            prefix += " "
        return prefix + token

    @property
    def is_ld(self) -> bool:
        """True for NGSI-LD brokers."""
        return self.flavor == NGSI_LD

    def with_changes(self, **changes: object) -> ConnectionConfig:
        """A validated copy with some settings changed."""
        return replace(self, **changes)
