"""Credentials stay with their host: redirects to another host never carry a token or API key.

Real HTTP on two loopback addresses: the broker on 127.0.0.1, the host it redirects to on
127.0.0.2 (which records every header it receives).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from smartcity_qgis.cityos_client import AuthError, CityOSClient, ConnectionConfig
from smartcity_qgis.cityos_client.errors import RedirectRefusedError

SECRET = "redirect-secret-0f9a"


class Recorder:
    """An HTTP server on ``host`` that answers every request with ``answer(handler)`` and records it."""

    def __init__(self, host: str, answer: Any) -> None:
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.client_addresses: list[str] = []  # where each request came from
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorder.requests.append((self.command, self.path, dict(self.headers.items()), body))
                recorder.client_addresses.append(self.client_address[0])
                status, headers, payload = answer(self)
                data = json.dumps(payload).encode() if payload is not None else b""
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = do_PATCH = _handle

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://{host}:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def all_bytes(self) -> bytes:
        """Everything received: request lines, header names and values, bodies."""
        out = []
        for method, path, headers, body in self.requests:
            out.append(f"{method} {path}".encode())
            out.extend(f"{k}: {v}".encode() for k, v in headers.items())
            out.append(body)
        return b"\n".join(out)


def entity() -> dict:
    return {
        "id": "urn:ngsi-ld:WaterObserved:1",
        "type": "WaterObserved",
        "waterLevel": {"type": "Number", "value": 1.5},
        "location": {"type": "geo:json", "value": {"type": "Point", "coordinates": [137.15, 34.95]}},
    }


@pytest.fixture
def elsewhere():
    """The other host (127.0.0.2): answers like a broker would, and records what it got."""
    rec = Recorder("127.0.0.2", lambda _h: (200, {"Content-Type": "application/json"}, [entity()]))
    yield rec
    rec.stop()


def redirecting_broker(target: str, status: int = 307) -> Recorder:
    """A broker on 127.0.0.1 answering every request with a redirect to ``target`` + the same path."""
    return Recorder("127.0.0.1", lambda h: (status, {"Location": target + h.path}, None))


@pytest.mark.parametrize(
    ("header", "prefix"),
    [("X-Auth-Token", None), ("Authorization", None), ("apikey", ""), ("Ocp-Apim-Subscription-Key", "")],
)
def test_a_redirect_to_another_host_never_delivers_the_credential(elsewhere, header, prefix):
    broker = redirecting_broker(elsewhere.url)
    try:
        config = ConnectionConfig(
            url=broker.url, auth="token", token=SECRET, token_header=header, token_prefix=prefix, max_retries=0
        )
        with CityOSClient(config) as client, pytest.raises(RedirectRefusedError) as info:
            list(client.iter_entities("WaterObserved"))
    finally:
        broker.stop()
    assert broker.requests and broker.requests[0][2][header].endswith(SECRET)  # the broker itself got it
    assert elsewhere.requests == []  # the redirect was not followed at all
    assert SECRET.encode() not in elsewhere.all_bytes()
    message = str(info.value)
    assert "127.0.0.2" in message and "another host" in message and SECRET not in message


@pytest.mark.parametrize("status", [301, 302, 303, 308])
def test_every_redirect_status_is_refused_with_credentials(elsewhere, status):
    broker = redirecting_broker(elsewhere.url, status)
    try:
        config = ConnectionConfig(url=broker.url, auth="token", token=SECRET, max_retries=0)
        with CityOSClient(config) as client, pytest.raises(RedirectRefusedError):
            client.version()
            list(client.iter_entities("WaterObserved"))
    finally:
        broker.stop()
    assert SECRET.encode() not in elsewhere.all_bytes()


def test_a_redirect_within_the_broker_host_is_followed_with_the_credential():
    final = Recorder("127.0.0.1", lambda _h: (200, {"Content-Type": "application/json"}, [entity()]))
    broker = redirecting_broker(final.url)  # same host (127.0.0.1), another port: a gateway's path move
    try:
        config = ConnectionConfig(url=broker.url, auth="token", token=SECRET, max_retries=0)
        with CityOSClient(config) as client:
            assert [e.id for e in client.iter_entities("WaterObserved")] == ["urn:ngsi-ld:WaterObserved:1"]
    finally:
        broker.stop()
        final.stop()
    assert final.requests[0][2]["X-Auth-Token"] == SECRET


def test_without_credentials_a_redirect_to_another_host_is_followed(elsewhere):
    broker = redirecting_broker(elsewhere.url)
    try:
        with CityOSClient(ConnectionConfig(url=broker.url, max_retries=0)) as client:
            assert len(list(client.iter_entities("WaterObserved"))) == 1
    finally:
        broker.stop()
    assert len(elsewhere.requests) == 1


def test_a_token_endpoint_redirect_is_not_followed_with_the_client_secret(elsewhere):
    idp = redirecting_broker(elsewhere.url)
    try:
        config = ConnectionConfig(
            url="http://127.0.0.1:9",
            auth="oauth2-client-credentials",
            token_url=idp.url + "/realms/city/protocol/openid-connect/token",
            client_id="qgis",
            client_secret=SECRET,
            max_retries=0,
        )
        with CityOSClient(config) as client, pytest.raises(AuthError, match="redirected"):
            client.http.request("GET", config.url + "/version")
    finally:
        idp.stop()
    assert elsewhere.requests == []


def test_credentials_go_only_to_the_hosts_the_connection_names(elsewhere):
    config = ConnectionConfig(url="http://127.0.0.1:9", auth="token", token=SECRET, token_header="apikey")
    with CityOSClient(config) as client:
        # A URL on another host (a link in a broker's answer, say) gets the request without the key.
        client.http.request("GET", elsewhere.url + "/v2/entities")
    assert "apikey" not in {k.lower() for k in elsewhere.requests[0][2]}
    assert SECRET.encode() not in elsewhere.all_bytes()
    with_history = config.with_changes(timeseries_url=elsewhere.url)
    assert "127.0.0.2" in with_history.credential_hosts  # a history service the user named gets it
