"""Stopping the embedded city OS drops it like a broker that goes down, pooled connections included."""

from __future__ import annotations

import socket

import pytest
import requests

from smartcity_qgis.cityos_client import CityOSClient, ConnectionConfig
from smartcity_qgis.cityos_client.errors import CityOSConnectionError
from smartcity_qgis.cityos_sim import start_server


def test_a_pooled_session_sees_a_connection_error_after_stop():
    srv = start_server(scenario="okazaki", auto_advance=False)
    session = requests.Session()
    try:
        first = session.get(f"{srv.url}/version", timeout=10)
        assert first.status_code == 200
        assert first.headers.get("Connection", "").lower() != "close"  # the connection stays in the pool
        srv.stop()
        with pytest.raises(requests.ConnectionError):
            session.get(f"{srv.url}/version", timeout=10)
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{srv.url}/version", timeout=10)  # and no new connection is taken
    finally:
        session.close()
        srv.stop()


def test_an_idle_keep_alive_connection_is_closed_on_stop():
    srv = start_server(scenario="okazaki", auto_advance=False)
    sock = socket.create_connection((srv.host, srv.port), timeout=10)
    try:
        sock.sendall(b"GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 200")
        head, _, body = answer.partition(b"\r\n\r\n")
        length = int(
            next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
        )
        while len(body) < length:
            body += sock.recv(4096)
        srv.stop()
        assert sock.recv(4096) == b""  # the server closed the connection it was keeping open
    finally:
        sock.close()


@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_the_client_reports_the_stopped_city_os(flavor):
    srv = start_server(scenario="okazaki", auto_advance=False)
    client = CityOSClient(ConnectionConfig(url=srv.url, flavor=flavor, tenant="okazaki", max_retries=0))
    try:
        assert len(client.entities("WaterObserved")) == 7
        srv.stop()
        with pytest.raises(CityOSConnectionError):
            client.entities("WaterObserved")
    finally:
        client.close()
        srv.stop()


def test_stop_twice_and_access_log():
    srv = start_server(scenario="okazaki", auto_advance=False)
    requests.get(f"{srv.url}/v2/entities?type=WaterObserved", headers={"Fiware-Service": "okazaki"}, timeout=10)
    requests.get(f"{srv.url}/v2/nothing", timeout=10)
    assert list(srv.access_log)[-2:] == [
        ("GET", "/v2/entities?type=WaterObserved", 200),
        ("GET", "/v2/nothing", 400),
    ]
    srv.stop()
    srv.stop()  # a second stop is harmless
