"""The city-OS client against the embedded city OS (real HTTP on loopback, real mosquitto)."""

from __future__ import annotations

import threading

import pytest
from shapely.geometry import box

from smartcity_qgis.cityos_client import (
    AuthError,
    CityOSClient,
    ConnectionConfig,
    ServerError,
    detect_flavor,
)
from smartcity_qgis.cityos_sim import start_server

FLAVORS = ["ngsi-v2", "ngsi-ld"]
SYNTHETIC_TYPES = ["AirQualityObserved", "CrowdFlowObserved", "ParkingSpot", "Streetlight", "WaterObserved"]


@pytest.fixture(scope="module")
def synthetic():
    srv = start_server(scenario="synthetic", entities=20_000, seed=7, auto_advance=False)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def okazaki():
    srv = start_server(scenario="okazaki", seed=3, auto_advance=False)
    yield srv
    srv.stop()


def client(srv, flavor: str, **options) -> CityOSClient:
    options.setdefault("tenant", srv.describe()["default_tenant"])
    return CityOSClient(ConnectionConfig(url=srv.url, flavor=flavor, proxies={}, **options))


# -- scale and paging --------------------------------------------------------------------------
@pytest.mark.parametrize("flavor", FLAVORS)
def test_paging_over_20000_entities_with_totals_and_no_loss_or_duplicate(synthetic, flavor):
    progress = []
    c = client(synthetic, flavor)
    requests_before = synthetic.stats["requests"]
    entities = list(c.iter_entities(SYNTHETIC_TYPES, progress=lambda done, total: progress.append((done, total))))
    ids = [e.id for e in entities]
    assert len(ids) == 20_000 == len(set(ids))
    assert {e.type for e in entities} == set(SYNTHETIC_TYPES)
    assert all(e.geometry is not None and e.geometry.geom_type == "Point" for e in entities)
    assert {total for _, total in progress} == {20_000}
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)
    assert progress[-1][0] == 20_000
    assert synthetic.stats["requests"] - requests_before >= 20  # pages of at most 1000
    assert c.rejected == []


def _inside(entities, bbox):
    area = box(*bbox)
    return {e.id for e in entities if area.intersects(e.geometry)}


@pytest.mark.parametrize("flavor", FLAVORS)
@pytest.mark.parametrize("bbox", [(137.1, 34.9, 137.2, 35.0), (137.05, 34.85, 137.08, 35.1), (137.3, 35.05, 140, 36)])
def test_extent_query_returns_exactly_what_shapely_says_is_inside(synthetic, flavor, bbox):
    c = client(synthetic, flavor)
    everything = list(c.iter_entities("WaterObserved"))
    expected = _inside(everything, bbox)
    got = {e.id for e in c.iter_entities("WaterObserved", bbox=bbox)}
    assert expected, "the box must hold some stations for the test to mean something"
    assert got == expected
    # A lat/lng mix-up would ask for a box in the Indian Ocean and find nothing.
    assert len(expected) < len(everything)


@pytest.mark.parametrize(
    ("flavor", "q", "keep"),
    [
        ("ngsi-v2", "waterLevel>3", lambda e: e.value("waterLevel") > 3),
        ("ngsi-ld", "waterLevel>3", lambda e: e.value("waterLevel") > 3),
        ("ngsi-v2", "waterLevel==1..2", lambda e: 1 <= e.value("waterLevel") <= 2),
        ("ngsi-ld", "waterLevel>=1;waterLevel<=2", lambda e: 1 <= e.value("waterLevel") <= 2),
    ],
)
def test_q_filters(synthetic, flavor, q, keep):
    c = client(synthetic, flavor)
    everything = list(c.iter_entities("WaterObserved"))
    expected = {e.id for e in everything if keep(e)}
    got = {e.id for e in c.iter_entities("WaterObserved", q=q)}
    assert expected and got == expected


@pytest.mark.parametrize(("flavor", "q"), [("ngsi-v2", "status==free"), ("ngsi-ld", 'status=="free"')])
def test_q_filter_on_text(synthetic, flavor, q):
    c = client(synthetic, flavor)
    got = list(c.iter_entities("ParkingSpot", q=q))
    assert got and all(e.value("status") == "free" for e in got)
    assert len(got) < 4000


# -- tenants, types, flavor --------------------------------------------------------------------
@pytest.mark.parametrize("flavor", FLAVORS)
def test_tenants_are_isolated(okazaki, flavor):
    served = okazaki.describe()["tenants"]
    assert {"okazaki", "toyota"} <= set(served)
    ids = {}
    for tenant in ("okazaki", "toyota"):
        entities = list(client(okazaki, flavor, tenant=tenant).iter_entities("WaterObserved"))
        assert len(entities) == served[tenant]["WaterObserved"]
        ids[tenant] = {e.id for e in entities}
    assert not ids["okazaki"] & ids["toyota"]
    assert list(client(okazaki, flavor, tenant="nobody").iter_entities("WaterObserved")) == []


@pytest.mark.parametrize("flavor", FLAVORS)
def test_types_with_counts(okazaki, flavor):
    infos = {t.name: t for t in client(okazaki, flavor, tenant="okazaki").types()}
    assert {name: info.count for name, info in infos.items()} == okazaki.describe()["tenants"]["okazaki"]
    assert "waterLevel" in infos["WaterObserved"].attributes


def test_okazaki_stations_parse_with_their_warning_levels_and_no_rejects(okazaki):
    c = client(okazaki, "ngsi-v2", tenant="okazaki", area_of_interest=(137.0, 34.8, 137.4, 35.1))
    stations = list(c.iter_entities("WaterObserved"))
    assert stations and c.rejected == []
    assert all(e.geometry.geom_type == "Point" and e.warnings == [] for e in stations)
    assert all(isinstance(e.value("waterLevel"), int | float) for e in stations)


def test_detect_flavor_of_the_embedded_city_os(okazaki):
    # It serves both flavors and answers /version like Orion: NGSI-v2 is the natural choice.
    assert detect_flavor(okazaki.url, proxies={}) == "ngsi-v2"


# -- auth --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def guarded():
    srv = start_server(scenario="okazaki", seed=3, auto_advance=False, require_token="s3cret")
    yield srv
    srv.stop()


@pytest.mark.parametrize("flavor", FLAVORS)
def test_token_protected_server(guarded, flavor):
    with pytest.raises(AuthError) as info:
        list(client(guarded, flavor, tenant="okazaki").iter_entities("WaterObserved"))
    assert "Auth-token not found" in str(info.value)
    with pytest.raises(AuthError):
        list(client(guarded, flavor, tenant="okazaki", auth="token", token="wrong").iter_entities("WaterObserved"))
    for header in ("X-Auth-Token", "Authorization"):
        c = client(guarded, flavor, tenant="okazaki", auth="token", token="s3cret", token_header=header)
        assert list(c.iter_entities("WaterObserved"))


def test_oauth2_password_grant_and_renewal_after_expiry(guarded):
    c = client(
        guarded,
        "ngsi-v2",
        tenant="okazaki",
        auth="oauth2-password",
        token_url=guarded.url + "/oauth2/token",
        client_id="cityos-demo",
        client_secret="cityos-demo-secret",
        username="demo",
        password="demo",
    )
    assert list(c.iter_entities("WaterObserved"))
    guarded.auth.expire_all()
    assert list(c.iter_entities("WaterObserved"))
    assert c.http.tokens.fetch_count == 2


# -- faults ------------------------------------------------------------------------------------
@pytest.mark.parametrize("fault", ["503", "reset", "truncate", "shift", "slow"])
@pytest.mark.parametrize("flavor", FLAVORS)
def test_fault_modes_are_recovered(flavor, fault):
    srv = start_server(scenario="synthetic", entities=3000, seed=11, auto_advance=False, types=["WaterObserved"])
    try:
        srv.set_faults(0.3, [fault], slow_seconds=1.0, retry_after=0)
        c = client(srv, flavor, max_retries=10, backoff_base=0.02, read_timeout=0.3, page_size=200)
        ids = [e.id for e in c.iter_entities("WaterObserved")]
        assert len(ids) == 3000 == len(set(ids))
        assert srv.stats["faults_injected"] > 0
    finally:
        srv.stop()


@pytest.mark.parametrize("flavor", FLAVORS)
def test_internal_errors_are_reported_clearly(flavor):
    srv = start_server(scenario="synthetic", entities=100, seed=1, auto_advance=False, fault_rate=1.0, faults=["500"])
    try:
        with pytest.raises(ServerError) as info:
            list(client(srv, flavor).iter_entities("WaterObserved"))
        assert info.value.status == 500 and "injected fault" in str(info.value)
    finally:
        srv.stop()


# -- push --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pushing(mosquitto_port):
    srv = start_server(scenario="okazaki", seed=5, auto_advance=False, mqtt_url=f"mqtt://127.0.0.1:{mosquitto_port}")
    yield srv
    srv.stop()


@pytest.mark.parametrize("transport", ["mqtt", "http"])
@pytest.mark.parametrize("flavor", FLAVORS)
def test_notifications_arrive_and_parse(pushing, mosquitto_port, flavor, transport):
    c = client(pushing, flavor, tenant="okazaki", mqtt_url=f"mqtt://127.0.0.1:{mosquitto_port}")
    station = next(iter(c.iter_entities("WaterObserved")))
    new_level = round(station.value("waterLevel") + 1.25, 2)
    arrived = threading.Event()
    received = []

    def on_change(entity):
        received.append(entity)
        if entity.id == station.id and entity.value("waterLevel") == new_level:
            arrived.set()

    errors = []
    sub = c.subscribe("WaterObserved", on_change, transport=transport, on_error=errors.append)
    try:
        pushing.update_entity(station.id, {"waterLevel": new_level}, tenant="okazaki")
        assert arrived.wait(10), f"no notification; errors: {errors}"
        got = [e for e in received if e.id == station.id][-1]
        assert got.geometry.equals(station.geometry) and got.type == "WaterObserved"
        assert errors == []
    finally:
        sub.close()
    listing = c.http.request("GET", c.root + "/subscriptions", headers=c.headers()).data
    assert sub.id not in {s.get("id") for s in listing}


# -- history -----------------------------------------------------------------------------------
def test_history_is_the_same_through_quantumleap_and_the_ld_temporal_api():
    srv = start_server(scenario="okazaki", seed=9, auto_advance=False)
    try:
        v2 = client(srv, "ngsi-v2", tenant="okazaki", timeseries_url=srv.url + "/ql")
        ld = client(srv, "ngsi-ld", tenant="okazaki")
        station = next(iter(v2.iter_entities("WaterObserved")))
        levels = [1.11, 2.22, 3.33]
        for level in levels:
            srv.advance(120)
            srv.update_entity(station.id, {"waterLevel": level}, tenant="okazaki")
        through_ql = v2.history(station.id, "waterLevel")
        through_ld = ld.history(station.id, "waterLevel")
        assert through_ql == through_ld and len(through_ql) >= 4
        values = [v for _, v in through_ql]
        # The scenario clock moves the river too: our updates appear in order, the last one last.
        positions = [max(i for i, v in enumerate(values) if v == level) for level in levels]
        assert positions == sorted(positions) and values[-1] == levels[-1]
        times = [t for t, _ in through_ql]
        assert times == sorted(times) and all(t.tzinfo is not None for t in times)
        assert [v for _, v in v2.history(station.id, "waterLevel", last_n=1)] == [levels[-1]]
        assert [v for _, v in ld.history(station.id, "waterLevel", last_n=1)] == [levels[-1]]
        start = times[positions[1]]
        later_ld = ld.history(station.id, "waterLevel", start=start)
        assert later_ld == v2.history(station.id, "waterLevel", start=start)
        assert later_ld[0] == (start, levels[1]) and later_ld[-1][1] == levels[-1]
    finally:
        srv.stop()


@pytest.mark.parametrize("flavor", FLAVORS)
def test_count_matches_the_listing(okazaki, flavor):
    c = client(okazaki, flavor, tenant="okazaki")
    bbox = (137.1, 34.9, 137.2, 35.0)
    assert c.count("WaterObserved") == len(list(c.iter_entities("WaterObserved")))
    assert c.count("WaterObserved", bbox=bbox) == len(list(c.iter_entities("WaterObserved", bbox=bbox)))
    assert c.count("WaterObserved", q="waterLevel>1") == len(list(c.iter_entities("WaterObserved", q="waterLevel>1")))
