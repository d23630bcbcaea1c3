"""The city-OS client over real HTTP on loopback: paging, limits, geo-queries, errors, retries, auth, TLS."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from smartcity_qgis.cityos_client import (
    AuthError,
    BadRequestError,
    CancelledError,
    CityOSClient,
    CityOSConnectionError,
    ConnectionConfig,
    InvalidConfigError,
    NotFoundError,
    RequestTimeoutError,
    ResponseTooLargeError,
    ServerError,
    TooManyResultsError,
    detect_flavor,
)
from tests.unit.cityos_fake_broker import FakeBroker

BBOX = (137.1, 34.9, 137.3, 35.0)


@pytest.fixture
def proj_data():
    """pyproj inside a venv looks for PROJ data under the venv's prefix; point it at the system's."""
    import pyproj.datadir
    from pyproj.exceptions import DataDirError

    try:
        pyproj.datadir.get_data_dir()
    except DataDirError:
        pyproj.datadir.set_data_dir("/usr/share/proj")


def v2_entity(i: int, lon: float = 137.15, lat: float = 34.95) -> dict:
    return {
        "id": f"urn:ngsi-ld:WaterObserved:{i:05d}",
        "type": "WaterObserved",
        "waterLevel": {"type": "Number", "value": i / 10, "metadata": {"unitCode": {"type": "Text", "value": "MTR"}}},
        "location": {"type": "geo:json", "value": {"type": "Point", "coordinates": [lon, lat]}},
    }


def ld_entity(i: int, lon: float = 137.15, lat: float = 34.95) -> dict:
    return {
        "id": f"urn:ngsi-ld:WaterObserved:{i:05d}",
        "type": "WaterObserved",
        "waterLevel": {"type": "Property", "value": i / 10, "unitCode": "MTR"},
        "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [lon, lat]}},
    }


@pytest.fixture
def broker():
    b = FakeBroker("ngsi-v2")
    yield b
    b.stop()


@pytest.fixture
def ld_broker():
    b = FakeBroker("ngsi-ld")
    yield b
    b.stop()


class Sleeps(list):
    """Records the waits between retries instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client_for(b: FakeBroker, flavor: str = "ngsi-v2", sleep=None, **options) -> CityOSClient:
    cfg = ConnectionConfig(url=b.url, flavor=flavor, proxies={}, **options)
    return CityOSClient(cfg, sleep=sleep if sleep is not None else Sleeps())


# -- paging -------------------------------------------------------------------------------------
def test_v2_paging_uses_the_maximum_limit_stable_order_and_reports_totals(broker):
    broker.entities = [v2_entity(i) for i in range(2500)]
    seen_progress = []
    client = client_for(broker)
    ids = [e.id for e in client.iter_entities("WaterObserved", progress=lambda d, t: seen_progress.append((d, t)))]
    assert len(ids) == 2500 and len(set(ids)) == 2500
    pages = broker.requests_to("/v2/entities")
    assert [p.query["limit"] for p in pages] == ["1000", "1000", "1000"]
    assert [p.query["offset"] for p in pages] == ["0", "1000", "2000"]  # the short last page ends it
    assert all(p.query["orderBy"] == "dateCreated" and "count" in p.query["options"] for p in pages)
    assert seen_progress == [(1000, 2500), (2000, 2500), (2500, 2500)]


def test_page_size_never_exceeds_the_broker_maximum(broker):
    broker.entities = [v2_entity(i) for i in range(30)]
    client = client_for(broker, page_size=7)
    assert len(list(client.iter_entities("WaterObserved"))) == 30
    assert {p.query["limit"] for p in broker.requests_to("/v2/entities")} == {"7"}
    with pytest.raises(InvalidConfigError):
        ConnectionConfig(url=broker.url, page_size=5000)


def test_v2_limit_refused_as_too_large_is_lowered_to_the_announced_maximum(broker):
    broker.max_limit = 300
    broker.entities = [v2_entity(i) for i in range(700)]
    client = client_for(broker)
    ids = {e.id for e in client.iter_entities("WaterObserved")}
    assert len(ids) == 700
    limits = [p.query["limit"] for p in broker.requests_to("/v2/entities")]
    assert limits[0] == "1000" and set(limits[1:]) == {"300"}


def test_ld_limit_refused_stellio_style_is_lowered(ld_broker):
    ld_broker.max_limit = 100
    ld_broker.limit_error = "stellio"
    ld_broker.entities = [ld_entity(i) for i in range(250)]
    client = client_for(ld_broker, "ngsi-ld")
    ids = [e.id for e in client.iter_entities("WaterObserved")]
    assert len(ids) == 250 == len(set(ids))
    pages = ld_broker.requests_to("/ngsi-ld/v1/entities")
    assert pages[0].query["limit"] == "1000" and {p.query["limit"] for p in pages[1:]} == {"100"}
    assert all(p.query["count"] == "true" for p in pages)


def test_entities_moving_between_pages_are_not_duplicated(broker):
    broker.entities = [v2_entity(i) for i in range(20)]

    def shift(offset):
        if offset == 0:  # a new entity created in front pushes page 1's last entity onto page 2
            broker.entities.insert(0, v2_entity(999))

    broker.after_page = shift
    ids = [e.id for e in client_for(broker, page_size=10).iter_entities("WaterObserved")]
    assert len(ids) == len(set(ids))
    assert {v2_entity(i)["id"] for i in range(20)} <= set(ids)


def test_cancel_between_pages_stops_without_fetching_more(broker):
    broker.entities = [v2_entity(i) for i in range(50)]
    got = []
    with pytest.raises(CancelledError):
        for entity in client_for(broker, page_size=10).iter_entities("WaterObserved", cancel=lambda: len(got) >= 10):
            got.append(entity)
    assert len(got) == 10
    assert len(broker.requests_to("/v2/entities")) == 1


def test_unusable_entities_are_reported_and_the_rest_loads(broker):
    bad = v2_entity(2, lon=200.0)
    broker.entities = [v2_entity(1), bad, {"type": "WaterObserved"}, v2_entity(3)]
    reported = []
    client = client_for(broker)
    ids = [e.id for e in client.iter_entities("WaterObserved", on_invalid=reported.append)]
    assert ids == [v2_entity(1)["id"], v2_entity(3)["id"]]
    assert [r.entity_id for r in reported] == [bad["id"], None]
    assert "out of range" in reported[0].reason and "no 'id'" in reported[1].reason
    assert client.rejected == reported


def test_ld_geojson_answers_parse_like_normalized(ld_broker):
    ld_broker.entities = [ld_entity(i, lon=137.1 + i / 100) for i in range(5)]
    client = client_for(ld_broker, "ngsi-ld")
    plain = list(client.iter_entities("WaterObserved"))
    features = list(client.iter_entities("WaterObserved", representation="geojson"))
    assert ld_broker.received[-1].headers["Accept"] == "application/geo+json"
    assert [e.id for e in plain] == [e.id for e in features]
    assert [e.geometry.wkt for e in plain] == [e.geometry.wkt for e in features]
    assert [e.value("waterLevel") for e in plain] == [e.value("waterLevel") for e in features]


# -- geo-queries, tenancy -----------------------------------------------------------------------
def test_v2_extent_query_sends_coords_in_lat_lng_order(broker):
    list(client_for(broker).iter_entities("WaterObserved", bbox=BBOX))
    query = broker.requests_to("/v2/entities")[0].query
    assert query["georel"] == "intersects" and query["geometry"] == "polygon"
    assert query["coords"] == "34.9,137.1;34.9,137.3;35,137.3;35,137.1;34.9,137.1"


def test_ld_extent_query_sends_coordinates_in_lon_lat_order(ld_broker):
    list(client_for(ld_broker, "ngsi-ld").iter_entities("WaterObserved", bbox=BBOX, q="waterLevel>1"))
    query = ld_broker.requests_to("/ngsi-ld/v1/entities")[0].query
    assert query["georel"] == "intersects" and query["geometry"] == "Polygon"
    ring = json.loads(query["coordinates"])[0]
    assert ring[0] == [137.1, 34.9] and ring[2] == [137.3, 35.0] and ring[0] == ring[-1]
    assert query["q"] == "waterLevel>1" and "geoproperty" not in query


def test_bad_bbox_is_refused_before_any_request(broker):
    with pytest.raises(ValueError):
        list(client_for(broker).iter_entities("WaterObserved", bbox=(35.0, 137.1, 34.9, 137.3)))
    assert broker.received == []


def test_tenancy_headers_v2(broker):
    client = client_for(broker, tenant="Okazaki", service_path="/rivers,/parks/#")
    list(client.iter_entities("WaterObserved", attrs=["waterLevel"]))
    rec = broker.requests_to("/v2/entities")[0]
    assert rec.headers["Fiware-Service"] == "okazaki"
    assert rec.headers["Fiware-ServicePath"] == "/rivers,/parks/#"
    assert rec.query["attrs"] == "waterLevel,location"


def test_tenancy_and_context_headers_ld(ld_broker):
    ctx = "https://example.org/ctx.jsonld"
    list(client_for(ld_broker, "ngsi-ld", tenant="okazaki", context=ctx).iter_entities("WaterObserved"))
    rec = ld_broker.requests_to("/ngsi-ld/v1/entities")[0]
    assert rec.headers["NGSILD-Tenant"] == "okazaki"
    assert (
        rec.headers["Link"].startswith(f"<{ctx}>;")
        and 'rel="http://www.w3.org/ns/json-ld#context"' in rec.headers["Link"]
    )
    assert "Fiware-Service" not in rec.headers


@pytest.mark.parametrize(
    "options",
    [
        {"url": "ftp://x"},
        {"url": "http://127.0.0.1:1026", "flavor": "ngsi-v3"},
        {"url": "http://127.0.0.1:1026", "tenant": "bad tenant!"},
        {"url": "http://127.0.0.1:1026", "service_path": "relative/path"},
        {"url": "http://127.0.0.1:1026", "auth": "oauth2-password"},
    ],
)
def test_unusable_settings_are_refused_with_a_reason(options):
    with pytest.raises(InvalidConfigError) as info:
        ConnectionConfig(**options)
    assert str(info.value)


def test_secrets_never_appear_in_the_config_repr():
    cfg = ConnectionConfig(
        url="http://127.0.0.1:1",
        auth="token",
        token="s3cret-token",
        password="pw-123",
        client_secret="cs-456",
        proxies={"http": "http://user:px-789@proxy.example:3128"},
    )
    shown = repr(cfg)
    assert not any(secret in shown for secret in ("s3cret-token", "pw-123", "cs-456", "px-789"))


# -- errors ------------------------------------------------------------------------------------
def test_v2_error_body_becomes_typed_error_with_the_broker_description(broker):
    with pytest.raises(NotFoundError) as info:
        client_for(broker).entity("urn:nothing")
    assert info.value.status == 404 and info.value.error == "NotFound"
    assert "The requested entity has not been found" in str(info.value)


def test_ld_problem_details_type_uri_is_trimmed(ld_broker):
    with pytest.raises(NotFoundError) as info:
        client_for(ld_broker, "ngsi-ld").entity("urn:nothing")
    assert info.value.error == "ResourceNotFound"


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (409, {"error": "TooManyResults", "description": "More than one matching entity"}, TooManyResultsError),
        (403, {"type": "https://uri.etsi.org/ngsi-ld/errors/TooManyResults", "title": "Too many"}, TooManyResultsError),
        (400, {"error": "BadRequest", "description": "invalid character in attribute type"}, BadRequestError),
        (422, {"type": "https://uri.etsi.org/ngsi-ld/errors/OperationNotSupported", "detail": "no"}, BadRequestError),
        (401, {"error": "Unauthorized", "description": "no token"}, AuthError),
        (501, {"error": "NotImplemented", "description": "this operation is not implemented"}, ServerError),
    ],
)
def test_error_statuses_map_to_typed_errors(broker, status, body, expected):
    broker.fail_next(status, body)
    with pytest.raises(expected) as info:
        client_for(broker).entity("urn:x")
    said = body.get("description") or body.get("detail") or body.get("title")
    assert said in str(info.value)
    assert len(broker.received) == 1  # not retried


def test_non_json_success_answer_is_a_server_error(broker):
    broker.extra_routes[("GET", "/v2/entities")] = lambda rec: (200, b"<html>proxy login</html>", {})
    with pytest.raises(ServerError) as info:
        list(client_for(broker, max_retries=1).iter_entities("WaterObserved"))
    assert "not valid JSON" in str(info.value)


# -- response size -----------------------------------------------------------------------------
def test_response_size_limit_from_content_length(broker):
    broker.entities = [v2_entity(i) for i in range(200)]
    with pytest.raises(ResponseTooLargeError):
        list(client_for(broker, max_response_bytes=5000).iter_entities("WaterObserved"))


def test_response_size_limit_enforced_while_streaming(broker):
    big = json.dumps([v2_entity(i) for i in range(500)]).encode()
    broker.extra_routes[("GET", "/v2/entities")] = lambda rec: (200, big, {"X-Omit-Length": "1"})
    with pytest.raises(ResponseTooLargeError) as info:
        list(client_for(broker, max_response_bytes=20000).iter_entities("WaterObserved"))
    assert "20000" in str(info.value)
    broker.extra_routes.clear()
    broker.entities = [v2_entity(1)]
    assert len(list(client_for(broker, max_response_bytes=20000).iter_entities("WaterObserved"))) == 1


# -- auth --------------------------------------------------------------------------------------
@pytest.mark.parametrize("header", ["X-Auth-Token", "Authorization"])
def test_static_token_in_either_header(broker, header):
    broker.required_token = "city-token"
    broker.entities = [v2_entity(1)]
    client = client_for(broker, auth="token", token="city-token", token_header=header)
    assert len(list(client.iter_entities("WaterObserved"))) == 1
    rec = broker.received[-1]
    if header == "Authorization":
        assert rec.headers["Authorization"] == "Bearer city-token"
    else:
        assert rec.headers["X-Auth-Token"] == "city-token"


def test_missing_or_wrong_token_is_an_auth_error_with_the_reason(broker):
    broker.required_token = "city-token"
    with pytest.raises(AuthError) as info:
        list(client_for(broker).iter_entities("WaterObserved"))
    assert "invalid or expired token" in str(info.value)
    with pytest.raises(AuthError):
        list(client_for(broker, auth="token", token="wrong").iter_entities("WaterObserved"))
    assert len(broker.received) == 2  # a static token is not retried


def test_oauth2_password_grant_renews_on_401(broker):
    broker.entities = [v2_entity(1)]
    client = client_for(
        broker,
        auth="oauth2-password",
        token_url=broker.url + "/oauth2/token",
        client_id="app",
        client_secret="app-secret",
        username="alice",
        password="wonderland",
        token_header="Authorization",
    )
    assert len(list(client.iter_entities("WaterObserved"))) == 1
    grant = broker.requests_to("/oauth2/token")[0]
    assert "grant_type=password" in grant.body.decode() and grant.headers["Authorization"].startswith("Basic ")
    assert broker.received[-1].headers["Authorization"] == "Bearer tok1"
    broker.valid_tokens.clear()  # the IdM revoked the token: the broker answers 401
    assert len(list(client.iter_entities("WaterObserved"))) == 1
    assert broker.tokens_issued == ["tok1", "tok2"]
    assert broker.received[-1].headers["Authorization"] == "Bearer tok2"


def test_oauth2_client_credentials_renews_before_expiry(broker):
    broker.entities = [v2_entity(1)]
    broker.token_lifetime = 1
    client = client_for(
        broker,
        auth="oauth2-client-credentials",
        token_url=broker.url + "/oauth2/token",
        client_id="app",
        client_secret="app-secret",
    )
    list(client.iter_entities("WaterObserved"))
    assert "grant_type=client_credentials" in broker.requests_to("/oauth2/token")[0].body.decode()
    time.sleep(0.7)  # past the renewal point (half of a 1 s lifetime)
    list(client.iter_entities("WaterObserved"))
    assert broker.tokens_issued == ["tok1", "tok2"]
    assert broker.received[-1].headers["X-Auth-Token"] == "tok2"


def test_oauth2_refused_credentials_name_the_idm_reason(broker):
    client = client_for(
        broker,
        auth="oauth2-password",
        token_url=broker.url + "/oauth2/token",
        client_id="app",
        client_secret="app-secret",
        username="alice",
        password="wrong",
    )
    with pytest.raises(AuthError) as info:
        list(client.iter_entities("WaterObserved"))
    assert "invalid_grant" in str(info.value) and "Invalid resource owner credentials" in str(info.value)
    assert broker.requests_to("/v2/entities") == []


# -- transport: TLS, proxies -------------------------------------------------------------------
def _write_self_signed(cert: Path, key: Path) -> None:
    """A self-signed certificate for 127.0.0.1 (cryptography when present, else the openssl tool)."""
    try:
        import datetime as dt
        import ipaddress

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID
    except ImportError:
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                str(key),
                "-out",
                str(cert),
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
        )
        return
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
    )


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    _write_self_signed(cert, key)
    return str(cert), str(key)


def test_tls_is_verified_by_default_and_a_ca_bundle_can_be_given(self_signed):
    b = FakeBroker("ngsi-v2", tls=self_signed)
    try:
        b.entities = [v2_entity(1)]
        with pytest.raises(CityOSConnectionError) as info:
            list(client_for(b).iter_entities("WaterObserved"))
        assert "TLS" in str(info.value)
        assert len(list(client_for(b, ca_bundle=self_signed[0]).iter_entities("WaterObserved"))) == 1
        assert len(list(client_for(b, verify_tls=False).iter_entities("WaterObserved"))) == 1
    finally:
        b.stop()


def test_explicit_proxy_carries_the_requests(broker):
    # The broker host never resolves: only the proxy (our loopback server) is contacted.
    cfg = ConnectionConfig(url="http://city-os.invalid:1026", proxies={"http": broker.url})
    assert CityOSClient(cfg).version() == {"orion": {"version": "3.10.1"}}
    assert broker.received[-1].headers["Host"] == "city-os.invalid:1026"


# -- types, flavor, one entity ------------------------------------------------------------------
def test_detect_flavor_from_version(broker):
    assert detect_flavor(broker.url, proxies={}) == "ngsi-v2"
    broker.version_body = {"orionld version": "1.5.1", "orion version": "1.15.0-next"}
    assert detect_flavor(broker.url, proxies={}) == "ngsi-ld"


def test_v2_types_with_counts_and_attribute_types(broker):
    broker.extra_routes[("GET", "/v2/types")] = lambda rec: (
        200,
        [
            {
                "type": "WaterObserved",
                "count": 12,
                "attrs": {"waterLevel": {"types": ["Number"]}, "location": {"types": ["geo:json"]}},
            }
        ],
        {"Fiware-Total-Count": "1"},
    )
    (info,) = client_for(broker).types()
    assert (info.name, info.count) == ("WaterObserved", 12)
    assert info.attributes == {"waterLevel": ["Number"], "location": ["geo:json"]}


def test_ld_types_with_details(ld_broker):
    ld_broker.extra_routes[("GET", "/ngsi-ld/v1/types")] = lambda rec: (
        200,
        [
            {
                "id": "https://uri/WaterObserved",
                "type": "EntityType",
                "typeName": "WaterObserved",
                "attributeNames": ["waterLevel", "location"],
            }
        ],
        {},
    )
    ld_broker.extra_routes[("GET", "/ngsi-ld/v1/types/WaterObserved")] = lambda rec: (
        200,
        {
            "id": "https://uri/WaterObserved",
            "type": "EntityTypeInformation",
            "typeName": "WaterObserved",
            "entityCount": 3,
            "attributeDetails": [
                {"id": "x", "type": "Attribute", "attributeName": "waterLevel", "attributeTypes": ["Property"]}
            ],
        },
        {},
    )
    (info,) = client_for(ld_broker, "ngsi-ld").types()
    assert (info.name, info.count) == ("WaterObserved", 3)
    assert info.attributes["waterLevel"] == ["Property"] and "location" in info.attributes


def test_one_entity_by_id(ld_broker):
    ld_broker.entities = [ld_entity(7)]
    entity = client_for(ld_broker, "ngsi-ld").entity(ld_entity(7)["id"])
    assert entity.value("waterLevel") == 0.7 and entity.attributes["waterLevel"].unit_code == "MTR"
    assert entity.geometry.coords[0] == (137.15, 34.95)


def test_loopback_broker_ignores_the_environment_proxy(broker, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("http_proxy", "http://proxy.invalid:3128")
    broker.entities = [v2_entity(1)]
    client = CityOSClient(ConnectionConfig(url=broker.url), sleep=Sleeps())
    assert len(list(client.iter_entities("WaterObserved"))) == 1


def test_a_broker_that_never_answers_in_time_is_a_timeout_error(broker):
    def stall(rec):
        time.sleep(0.6)
        return 200, [], {}

    broker.extra_routes[("GET", "/v2/entities")] = stall
    client = client_for(broker, read_timeout=0.2, max_retries=1, backoff_base=0.01)
    with pytest.raises(RequestTimeoutError) as info:
        list(client.iter_entities("WaterObserved"))
    assert "did not answer in time" in str(info.value)
    assert len(broker.requests_to("/v2/entities")) == 2  # tried again once, then reported


def test_empty_geodataframe_still_has_its_crs(proj_data):
    from smartcity_qgis.cityos_client import to_geodataframe

    gdf = to_geodataframe([])
    assert len(gdf) == 0 and gdf.crs.to_epsg() == 4326 and "geometry" in gdf.columns


def test_detect_flavor_of_an_unreachable_url_says_it_is_unreachable():
    from tests.conftest import free_port

    with pytest.raises(CityOSConnectionError):
        detect_flavor(f"http://127.0.0.1:{free_port()}", proxies={}, max_retries=0)
