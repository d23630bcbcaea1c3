"""Embedded city OS operations: faults, tokens, the storm and the day in Okazaki, scale, the CLI."""

from __future__ import annotations

import http.client
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests

from smartcity_qgis.cityos_sim import start_server
from tests.conftest import REPO, free_port, wait_for_port

JST = timezone(timedelta(hours=9))


def raw_get(srv, path):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


@pytest.mark.parametrize("kind", ["500", "503"])
def test_error_faults(kind):
    with start_server(auto_advance=False, fault_rate=1.0, faults=[kind]) as srv:
        r = requests.get(srv.url + "/v2/entities", timeout=10)
        assert r.status_code == int(kind) and "injected" in r.json()["description"]
        if kind == "503":
            assert r.headers["Retry-After"] == "1"
        ld = requests.get(srv.url + "/ngsi-ld/v1/entities", params={"type": "WaterObserved"}, timeout=10)
        assert ld.json()["type"].startswith("https://uri.etsi.org/ngsi-ld/errors/")
        assert requests.get(srv.url + "/version", timeout=10).status_code == 200  # health checks pass
        assert srv.stats["faults_by_kind"][kind] == 2


def test_connection_reset_and_truncated_body():
    with start_server(auto_advance=False, fault_rate=1.0, faults=["reset"]) as srv:
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(srv.url + "/v2/entities", timeout=10)
        srv.set_faults(1.0, ["truncate"])
        with pytest.raises(http.client.IncompleteRead):
            raw_get(srv, "/v2/entities?limit=100")
        srv.set_faults(0.0)
        status, _, body = raw_get(srv, "/v2/entities?limit=100")
        assert status == 200 and body.endswith(b"]")


def test_slow_responses_and_client_timeouts():
    with start_server(auto_advance=False) as srv:
        srv.set_faults(1.0, ["slow"], slow_seconds=1.0)
        with pytest.raises(requests.exceptions.Timeout):
            requests.get(srv.url + "/v2/entities", timeout=0.3)
        assert requests.get(srv.url + "/v2/entities", timeout=10).status_code == 200


def test_page_shift_fault_repeats_entities_but_loses_none():
    with start_server(scenario="synthetic", entities=2000, auto_advance=False, fault_rate=1.0, faults=["shift"]) as srv:
        seen, offset = [], 0
        while True:  # page until a short page, as a careful client does
            page = requests.get(srv.url + "/v2/entities", params={"limit": 100, "offset": offset}, timeout=10).json()
            seen += [e["id"] for e in page]
            if len(page) < 100:
                break
            offset += 100
        assert len(seen) > len(set(seen)) == 2000  # pages overlap: duplicates, nothing lost


def test_fault_rate_is_partial_and_seeded():
    def statuses(seed):
        with start_server(auto_advance=False, fault_rate=0.3, faults=["500"], seed=seed) as srv:
            return [requests.get(srv.url + "/v2/types", timeout=10).status_code for _ in range(60)]

    first = statuses(7)
    assert first == statuses(7)
    assert 0 < first.count(500) < 60
    with pytest.raises(ValueError):
        start_server(fault_rate=0.5, faults=["explode"])


def test_token_protection():
    with start_server(auto_advance=False, require_token="s3cret") as srv:
        r = requests.get(srv.url + "/v2/entities", timeout=10)
        assert r.status_code == 401 and r.json()["error"] == "Unauthorized"
        assert "Bearer" in r.headers["WWW-Authenticate"]
        assert requests.get(srv.url + "/v2/entities", headers={"X-Auth-Token": "wrong"}, timeout=10).status_code == 401
        assert requests.get(srv.url + "/v2/entities", headers={"X-Auth-Token": "s3cret"}, timeout=10).ok
        ld = requests.get(
            srv.url + "/ngsi-ld/v1/entities",
            params={"type": "WaterObserved"},
            headers={"Authorization": "Bearer s3cret"},
            timeout=10,
        )
        assert ld.ok and len(ld.json()) == 7
        assert requests.get(srv.url + "/ngsi-ld/v1/types", timeout=10).json()["type"].endswith("Unauthorized")


def test_oauth2_token_endpoint_and_expiry():
    with start_server(auto_advance=False, require_token="static") as srv:
        token_url = srv.url + "/oauth2/token"
        client = ("cityos-demo", "cityos-demo-secret")
        bad = requests.post(
            token_url, data={"grant_type": "password", "username": "demo", "password": "x"}, auth=client, timeout=10
        )
        assert bad.status_code == 400 and bad.json()["error"] == "invalid_grant"
        assert (
            requests.post(token_url, data={"grant_type": "client_credentials"}, auth=("x", "y"), timeout=10).status_code
            == 401
        )
        grant = requests.post(
            token_url, data={"grant_type": "password", "username": "demo", "password": "demo"}, auth=client, timeout=10
        ).json()
        headers = {"Authorization": f"Bearer {grant['access_token']}"}
        assert requests.get(srv.url + "/v2/types", headers=headers, timeout=10).ok
        srv.auth.expire_all()
        assert requests.get(srv.url + "/v2/types", headers=headers, timeout=10).status_code == 401
        renewed = requests.post(
            token_url,
            data={"grant_type": "refresh_token", "refresh_token": grant["refresh_token"]},
            auth=client,
            timeout=10,
        )
        headers = {"Authorization": f"Bearer {renewed.json()['access_token']}"}
        assert requests.get(srv.url + "/v2/types", headers=headers, timeout=10).ok


def test_storm_lifts_stations_through_caution_to_danger_and_back():
    with start_server(auto_advance=False, storm_minutes=120, storm_start_minutes=10) as srv:

        def levels():
            ents = requests.get(
                srv.url + "/v2/entities", params={"type": "WaterObserved", "options": "keyValues"}, timeout=10
            ).json()
            return {e["id"]: e for e in ents}

        before = levels()
        assert all(e["waterLevel"] < e["standbyLevel"] for e in before.values())
        peak = {}
        for _ in range(26):
            srv.advance(300)
            for eid, ent in levels().items():
                peak[eid] = max(peak.get(eid, 0), ent["waterLevel"])
        danger = [eid for eid, e in before.items() if peak[eid] >= e["dangerLevel"]]
        caution_only = [eid for eid, e in before.items() if e["cautionLevel"] <= peak[eid] < e["dangerLevel"]]
        assert len(danger) >= 2 and caution_only
        after = levels()
        assert all(e["waterLevel"] < e["cautionLevel"] for e in after.values())
        # the crossing is visible in the station's own history
        eid = danger[0]
        series = requests.get(f"{srv.url}/ql/v2/entities/{eid}/attrs/waterLevel", timeout=10).json()["values"]
        top = series.index(max(series))
        assert 0 < top < len(series) - 1 and max(series) >= before[eid]["dangerLevel"]
        assert series[0] < before[eid]["cautionLevel"] and series[-1] < before[eid]["cautionLevel"]


def test_shelters_open_when_a_river_reaches_the_evacuation_level():
    with start_server(auto_advance=False, storm_minutes=60) as srv:

        def shelter_status():
            ents = requests.get(
                srv.url + "/v2/entities", params={"type": "PointOfInterest", "options": "keyValues"}, timeout=10
            ).json()
            return {e["status"] for e in ents}

        assert shelter_status() == {"closed"}
        srv.advance(30 * 60)  # the storm's peak
        assert shelter_status() == {"open"}


def test_crowds_follow_the_time_of_day():
    night = datetime(2026, 7, 4, 3, 0, tzinfo=JST).timestamp()
    with start_server(auto_advance=False, start_time=night, storm_start_minutes=10_000) as srv:

        def total():
            ents = requests.get(
                srv.url + "/v2/entities", params={"type": "CrowdFlowObserved", "options": "keyValues"}, timeout=10
            ).json()
            return sum(e["peopleCount"] for e in ents)

        at_night = total()
        srv.advance(10 * 3600)  # 13:00 JST
        at_midday = total()
        assert at_midday > 5 * max(at_night, 1)
        lights = requests.get(
            srv.url + "/v2/entities", params={"type": "Streetlight", "options": "keyValues", "limit": 100}, timeout=10
        ).json()
        assert {e["powerState"] for e in lights} == {"off"}


def test_synthetic_scale_paging_is_exact():
    with start_server(scenario="synthetic", entities=100_000, auto_advance=False, seed=11) as srv:
        r = requests.get(
            srv.url + "/v2/entities", params={"limit": 1000, "offset": 99_500, "options": "count"}, timeout=30
        )
        assert r.headers["Fiware-Total-Count"] == "100000" and len(r.json()) == 500
        assert r.json()[-1]["id"].endswith("0099999")
        ld = requests.get(
            srv.url + "/ngsi-ld/v1/entities", params={"type": "Streetlight", "count": "true", "limit": 1}, timeout=30
        )
        assert ld.headers["NGSILD-Results-Count"] == "20000"


def test_synthetic_updates_at_the_configured_rate():
    with start_server(scenario="synthetic", entities=500, auto_advance=False, updates_per_second=5, seed=2) as srv:
        sent = []
        srv.store.add_listener(lambda store, rec, names, kind: sent.append(rec.id))
        srv.advance(60)
        assert 150 < len(sent) < 450  # ~300 changes in a simulated minute


def test_cli_starts_and_prints_what_it_serves():
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "smartcity_qgis.cityos_sim",
            "--port",
            str(port),
            "--scenario",
            "synthetic",
            "--entities",
            "300",
            "--seed",
            "4",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_port(port, timeout=30)
        r = requests.get(f"http://127.0.0.1:{port}/v2/entities", params={"options": "count", "limit": 1}, timeout=10)
        assert r.headers["Fiware-Total-Count"] == "300"
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "synthetic demo data" in out and "NGSI-LD" in out and "300" in out


def test_cli_refuses_a_busy_port():
    port = free_port()
    with start_server(port=port, auto_advance=False):
        proc = subprocess.run(
            [sys.executable, "-m", "smartcity_qgis.cityos_sim", "--port", str(port)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 2 and "cannot start" in proc.stderr


def test_stats_count_requests():
    with start_server(auto_advance=False) as srv:
        for _ in range(3):
            requests.get(srv.url + "/v2/types", timeout=10)
        requests.get(srv.url + "/v2/entities/nothing", timeout=10)
        stats = srv.stats
        assert stats["requests"] == 4 and stats["by_status"] == {"200": 3, "404": 1}
        assert stats["entities"]["okazaki"] == 63
        time.sleep(0)


def test_readers_and_the_running_clock_never_collide():
    station = "urn:ngsi-ld:WaterObserved:okazaki-otogawa-tonobashi"
    paths = [
        "/v2/entities?limit=100",
        "/v2/entities?limit=100&options=keyValues",
        "/v2/types",
        "/ngsi-ld/v1/entities?type=WaterObserved,Streetlight&limit=100",
        f"/ngsi-ld/v1/temporal/entities/{station}",
        f"/ql/v2/entities/{station}/attrs/waterLevel",
    ]
    statuses: list[int] = []

    def reader(session: requests.Session) -> None:
        for i in range(30):
            statuses.append(session.get(srv.url + paths[i % len(paths)], timeout=10).status_code)

    with start_server(scenario="okazaki", speed=3600) as srv:
        threads = [threading.Thread(target=reader, args=(requests.Session(),)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert srv.clock > srv.scenario.start_time  # the clock moved meanwhile
    assert len(statuses) == 120 and set(statuses) == {200}


def test_demo_step_starts_the_city_os_and_writes_its_summary(tmp_path, capsys):
    import json

    from smartcity_qgis.demo import step_10_cityos
    from smartcity_qgis.demo.context import DemoContext

    ctx = DemoContext(output=tmp_path)
    paths = step_10_cityos.run(ctx)
    srv = ctx.shared["sim"]
    try:
        summary = json.loads((tmp_path / "cityos.json").read_text(encoding="utf-8"))
        assert paths == [tmp_path / "cityos.json"]
        assert summary["tenants"]["okazaki"]["WaterObserved"] == 7 and "toyota" in summary["tenants"]
        assert "synthetic demo data" in summary["note"]
        printed = capsys.readouterr().out
        assert "tenant okazaki (default): 63 entities" in printed and srv.url in printed
        # the storm is at its crest during the demo: stations stand at 避難判断 or above
        ents = requests.get(
            srv.url + "/v2/entities", params={"type": "WaterObserved", "options": "keyValues"}, timeout=10
        ).json()
        assert sum(e["waterLevel"] >= e["evacuationLevel"] for e in ents) >= 2
        history = requests.get(f"{srv.url}/ql/v2/entities/{ents[2]['id']}/attrs/waterLevel", timeout=10).json()
        assert len(history["values"]) > 50 and history["values"][0] < history["values"][-1]  # the rise is kept
    finally:
        ctx.close()
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(srv.url + "/version", timeout=5)
