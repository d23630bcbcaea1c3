"""HTTP for the client: one session, authentication, retries, size limit and error mapping.

Connection errors, 429, 502, 503 and 504 (and truncated answers to GETs) are
retried with exponential backoff and jitter, honouring ``Retry-After``, within
the configured number of attempts and seconds; idempotent reads (GET, HEAD) retry
500 too. Then a typed `CityOSError` carrying the broker's own description is raised.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from smartcity_qgis.cityos_client.auth import TokenSource
from smartcity_qgis.cityos_client.config import ConnectionConfig
from smartcity_qgis.cityos_client.errors import (
    AuthError,
    BadRequestError,
    CancelledError,
    CityOSConnectionError,
    CityOSError,
    MissingDependencyError,
    NotFoundError,
    RedirectRefusedError,
    RequestTimeoutError,
    ResponseTooLargeError,
    ServerError,
    TooManyResultsError,
)

RETRY_STATUSES = frozenset({429, 502, 503, 504})
# POST is not idempotent: only retried when the broker says it did not process the request.
_POST_RETRY_STATUSES = frozenset({429, 503})
# A read can be repeated safely, and Orion answers 500 for transient database errors too, so a
# GET that gets 500 is retried; a request that changes something (PATCH, DELETE...) is not: the
# broker may have applied it before failing.
_READ_RETRY_STATUSES = RETRY_STATUSES | {500}
_IDEMPOTENT_READS = frozenset({"GET", "HEAD"})
_CHUNK = 64 * 1024
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 5


def missing_socks_support(proxies: dict[str, str] | None) -> MissingDependencyError | None:
    """The error to report when ``proxies`` name a SOCKS proxy and PySocks is not installed."""
    if not proxies or not any(str(v).lower().startswith("socks") for v in proxies.values()):
        return None
    try:
        import socks  # noqa: F401 - PySocks, what requests needs for socks5:// proxies
    except ImportError:
        return MissingDependencyError(
            "the proxy is a SOCKS proxy and the Python package PySocks is not installed "
            "(Debian/Ubuntu: apt install python3-socks; OSGeo4W shell: python -m pip install PySocks)",
            package="PySocks",
        )
    return None


class Response:
    """A decoded broker answer."""

    __slots__ = ("data", "headers", "status", "url")

    def __init__(self, status: int, headers: Any, data: Any, url: str) -> None:
        self.status = status
        self.headers = headers
        self.data = data
        self.url = url


class _TransientError(Exception):
    """A failure worth retrying; ``error`` is what to raise once the budget is spent."""

    def __init__(self, error: CityOSError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def retry_statuses(method: str) -> frozenset[int]:
    """The HTTP statuses worth retrying for a request of this method."""
    if method in _IDEMPOTENT_READS:
        return _READ_RETRY_STATUSES
    if method == "POST":
        return _POST_RETRY_STATUSES
    return RETRY_STATUSES


def error_from_response(status: int, body: Any, url: str) -> CityOSError:
    """The typed error for a broker's error answer (NGSI-v2 or NGSI-LD ProblemDetails)."""
    error = description = None
    if isinstance(body, dict):
        if "error" in body or "description" in body:
            error, description = body.get("error"), body.get("description")
        elif "type" in body or "title" in body or "detail" in body:
            kind = body.get("type")
            # Trim the LD error type URI; at least one broker sends a trailing space.
            error = kind.strip().rstrip("/").rsplit("/", 1)[-1] if isinstance(kind, str) else body.get("title")
            description = body.get("detail") or body.get("title")
        elif isinstance(body.get("message"), str):  # an API gateway's own answer (Kong: {"message": ...})
            description = body["message"]
    error = str(error).strip() if error is not None else None
    description = str(description).strip() if description is not None else None
    said = ": ".join(p for p in (error, description) if p)
    message = f"the broker answered {status}" + (f" ({said})" if said else "")
    kwargs = {"status": status, "error": error, "description": description, "url": url}
    if error == "TooManyResults" or (status == 409 and error in (None, "TooManyResults")):
        return TooManyResultsError(message, **kwargs)
    if status in (401, 403):
        return AuthError(message, **kwargs)
    if status == 404:
        return NotFoundError(message, **kwargs)
    if 400 <= status < 500:
        return BadRequestError(message, **kwargs)
    return ServerError(message, **kwargs)


class HttpClient:
    """requests.Session bound to one `ConnectionConfig`."""

    def __init__(self, config: ConnectionConfig, sleep: Callable[[float], None] | None = None) -> None:
        self.config = config
        self.session = requests.Session()
        if config.proxies is not None:
            # Explicit proxies (an empty dict means none) override the environment's.
            self.session.trust_env = False
            self.session.proxies.update(config.proxies)
        elif urlsplit(config.url).hostname in _LOOPBACK:
            # A broker on this machine (the embedded city OS) is never reached through a proxy.
            self.session.trust_env = False
        self.session.headers["User-Agent"] = config.user_agent
        self.tokens = TokenSource(config, self.session)
        self._verify: bool | str = config.ca_bundle or config.verify_tls
        self._sleep = sleep if sleep is not None else time.sleep
        self.retries_done = 0
        self._missing = missing_socks_support(self.session.proxies or None)

    def may_carry_credentials(self, url: str) -> bool:
        """Whether the connection's credentials may go to ``url``: only to the hosts the
        connection names (broker, token endpoint, history services)."""
        host = (urlsplit(url).hostname or "").lower()
        return host in self.config.credential_hosts

    def close(self) -> None:
        """Release the connection pool."""
        self.session.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        body: Any = None,
        cancel: Callable[[], bool] | None = None,
        authenticate: bool = True,
    ) -> Response:
        """Send a request with retries; return the decoded answer or raise a typed `CityOSError`."""
        cfg = self.config
        attempt = 0
        waited = 0.0
        renewed = False
        statuses = retry_statuses(method)
        if self._missing is not None:
            raise self._missing  # a missing package is not cured by retrying
        while True:
            if cancel is not None and cancel():
                raise CancelledError("cancelled")
            try:
                return self._follow(method, url, params, headers, body, authenticate, statuses)
            except AuthError as exc:
                if exc.status == 401 and authenticate and self.tokens.renewable and not renewed:
                    renewed = True
                    self.tokens.invalidate()
                    continue
                raise
            except _TransientError as exc:
                backoff = cfg.backoff_base * (2**attempt)
                delay = backoff / 2 + random.uniform(0, backoff / 2)
                if exc.retry_after is not None:
                    delay = max(delay, exc.retry_after)
                if attempt >= cfg.max_retries or waited + delay > cfg.retry_budget:
                    err = exc.error
                    err.message = f"{err.message} (gave up after {attempt + 1} attempts)"
                    err.args = (err.message,)
                    raise err from None
                attempt += 1
                self.retries_done += 1
                waited += delay
                self._wait(delay, cancel)

    def _follow(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None,
        headers: dict[str, str] | None,
        body: Any,
        authenticate: bool,
        statuses: frozenset[int],
    ) -> Response:
        """One exchange, following redirects by hand so that credentials never leave their host.

        requests would follow a redirect to any host with every custom header (X-Auth-Token,
        apikey...); here a redirect to another host (or from https to http) of a request that
        carries credentials is refused with a message, and one without credentials is followed.
        """
        for _ in range(_MAX_REDIRECTS + 1):
            all_headers = dict(headers) if headers else {}
            credentials = self.tokens.headers() if authenticate and self.may_carry_credentials(url) else {}
            all_headers.update(credentials)
            with_credentials = bool(credentials)
            resp = self._once(method, url, params, all_headers, body, statuses)
            location = resp.headers.get("Location") if resp.status in _REDIRECTS else None
            if not location:
                return resp
            target = urljoin(url, location)
            if with_credentials:
                here, there = urlsplit(url), urlsplit(target)
                downgrade = here.scheme == "https" and there.scheme != "https"
                if not self.may_carry_credentials(target) or downgrade:
                    raise RedirectRefusedError(
                        f"the broker redirected {url} to another host ({there.scheme}://{there.netloc}); "
                        "the request was not followed, so the credentials were not sent there. "
                        "Check the connection's URL (the address the redirect names may be the right one)",
                        status=resp.status,
                        url=url,
                    )
            if resp.status == 303 or (resp.status in (301, 302) and method == "POST"):
                method, body, statuses = "GET", None, retry_statuses("GET")
            url, params = target, None  # the Location carries its own query
        raise CityOSConnectionError(f"the broker redirected more than {_MAX_REDIRECTS} times ({url})", url=url)

    def _wait(self, delay: float, cancel: Callable[[], bool] | None) -> None:
        left = delay
        while left > 0:
            if cancel is not None and cancel():
                raise CancelledError("cancelled")
            step = min(left, 0.1)
            self._sleep(step)
            left -= step

    def _once(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None,
        headers: dict[str, str],
        body: Any,
        statuses: frozenset[int],
    ) -> Response:
        cfg = self.config
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        try:
            resp = self.session.request(
                method,
                url,
                params=params,
                headers=headers,
                data=data,
                timeout=(cfg.connect_timeout, cfg.read_timeout),
                verify=self._verify,
                stream=True,
                allow_redirects=False,
            )
        except requests.exceptions.SSLError as exc:
            raise CityOSConnectionError(f"TLS verification failed for {url}: {exc}", url=url) from None
        except requests.exceptions.InvalidSchema as exc:
            if "socks" in str(exc).lower():  # a SOCKS proxy from the environment, without PySocks
                raise missing_socks_support({"proxy": "socks5://"}) or CityOSConnectionError(str(exc)) from None
            raise CityOSConnectionError(f"cannot reach the broker at {url}: {exc}", url=url) from None
        except requests.Timeout as exc:
            err = RequestTimeoutError(f"the broker did not answer in time ({url}): {exc}", url=url)
            if method == "POST":
                raise err from None
            raise _TransientError(err) from None
        except requests.RequestException as exc:
            err = CityOSConnectionError(f"cannot reach the broker at {url}: {exc}", url=url)
            if method == "POST" and not isinstance(exc, requests.exceptions.ConnectionError):
                raise err from None
            raise _TransientError(err) from None
        try:
            raw = self._read(resp, url, method)
        finally:
            resp.close()
        status = resp.status_code
        decoded: Any = None
        if raw:
            try:
                decoded = json.loads(raw)
            except ValueError:
                if 200 <= status < 300:
                    err = ServerError(f"the broker's answer is not valid JSON ({url})", status=status, url=url)
                    if method == "GET":
                        raise _TransientError(err) from None
                    raise err from None
                decoded = raw[:500].decode("utf-8", "replace")
        if status in statuses:
            err = error_from_response(status, decoded, url)
            raise _TransientError(err, _retry_after(resp.headers.get("Retry-After")))
        if status >= 400:
            raise error_from_response(status, decoded, url)
        return Response(status, resp.headers, decoded, resp.url)

    def _read(self, resp: requests.Response, url: str, method: str) -> bytes:
        limit = self.config.max_response_bytes
        declared = resp.headers.get("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise ResponseTooLargeError(
                f"the broker's answer ({int(declared)} bytes) exceeds the limit of {limit} bytes", url=url
            )
        chunks = []
        total = 0
        try:
            for chunk in resp.iter_content(_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise ResponseTooLargeError(f"the broker's answer exceeds the limit of {limit} bytes", url=url)
                chunks.append(chunk)
        except requests.RequestException as exc:
            err = CityOSConnectionError(f"the answer from {url} was cut off: {exc}", url=url)
            if method == "POST":
                raise err from None
            raise _TransientError(err) from None
        raw = b"".join(chunks)
        if declared is not None and declared.isdigit() and len(raw) < int(declared) and method != "HEAD":
            err = CityOSConnectionError(f"the answer from {url} was cut off ({len(raw)} of {declared} bytes)", url=url)
            if method == "POST":
                raise err
            raise _TransientError(err)
        return raw
