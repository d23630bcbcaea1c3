"""Whose subscription is it: a description naming its owner, and the removal of stale ones.

A subscription's description reads
``smartcity-qgis owner=<owner> host=<host> pid=<pid> session=<id> type=<entity type>``.
``owner`` identifies one user's setup (the QGIS side passes its profile's id). A subscription
is stale when it has this owner, was made on this machine, and the process that made it is gone
(QGIS crashed or was killed before it could delete it) — or is this process but no longer
open here. Subscriptions of other owners, other machines or other tools are never touched;
all carry an expiry anyway, so a broker forgets them at the latest then.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import uuid
from typing import Any
from urllib.parse import quote

from smartcity_qgis.cityos_client.errors import NotFoundError
from smartcity_qgis.cityos_client.queries import LD_ROOT, V2_ROOT
from smartcity_qgis.cityos_client.session import BrokerSession

PREFIX = "smartcity-qgis"
_DESCRIPTION_RE = re.compile(
    r"^smartcity-qgis owner=(?P<owner>\S+) host=(?P<host>\S+) pid=(?P<pid>\d+) session=(?P<session>\S+)"
)
_OWNER_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_MAX_LISTED = 10_000

_open_sessions: set[str] = set()
_open_lock = threading.Lock()


def _host() -> str:
    return re.sub(r"\s+", "_", socket.gethostname() or "unknown")[:64]


def new_description(owner: str, entity_type: str) -> tuple[str, str]:
    """(description, session id) for a new subscription of ``owner``; the session counts as open."""
    if not _OWNER_RE.match(owner):
        raise ValueError(f"a subscription owner is 1-64 letters, digits, '.', '_' or '-', got {owner!r}")
    session = uuid.uuid4().hex[:12]
    with _open_lock:
        _open_sessions.add(session)
    text = f"{PREFIX} owner={owner} host={_host()} pid={os.getpid()} session={session} type={entity_type}"
    return text[:1000], session


def forget_session(session: str | None) -> None:
    """The subscription of ``session`` was deleted (or is about to be)."""
    with _open_lock:
        _open_sessions.discard(session or "")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process of that number
    return True


def is_stale(description: Any, owner: str) -> bool:
    """Whether a subscription with ``description`` is a leftover of ``owner`` on this machine."""
    match = _DESCRIPTION_RE.match(description) if isinstance(description, str) else None
    if match is None or match["owner"] != owner or match["host"] != _host():
        return False
    pid = int(match["pid"])
    if pid == os.getpid():
        with _open_lock:
            return match["session"] not in _open_sessions
    return not _pid_alive(pid)


def _listing(client: BrokerSession) -> list[dict[str, Any]]:
    cfg = client.config
    url = cfg.url + (LD_ROOT if cfg.is_ld else V2_ROOT) + "/subscriptions"
    found: list[dict[str, Any]] = []
    offset = 0
    while len(found) < _MAX_LISTED:
        resp = client.http.request("GET", url, params={"limit": 100, "offset": offset}, headers=client.headers())
        page = resp.data if isinstance(resp.data, list) else []
        found.extend(item for item in page if isinstance(item, dict))
        if len(page) < 100:
            break
        offset += len(page)
    return found


def remove_stale_subscriptions(client: BrokerSession, owner: str) -> list[str]:
    """Delete ``owner``'s subscriptions left on the broker by a process of this machine that is
    gone; return their ids. Nothing else is deleted. Errors are raised as `CityOSError`."""
    cfg = client.config
    root = cfg.url + (LD_ROOT if cfg.is_ld else V2_ROOT) + "/subscriptions/"
    removed = []
    for item in _listing(client):
        sub_id = item.get("id")
        if not isinstance(sub_id, str) or not is_stale(item.get("description"), owner):
            continue
        with contextlib.suppress(NotFoundError):  # gone meanwhile (expired, removed by another QGIS)
            client.http.request("DELETE", root + quote(sub_id, safe=""), headers=client.headers())
        removed.append(sub_id)
    return removed
