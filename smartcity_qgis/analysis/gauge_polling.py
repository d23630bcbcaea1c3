"""Polling 川の水位情報 politely: when each prefecture file may be asked for again, and how.

The source refreshes its area files every 10 minutes. A `PollSchedule` never asks for one
prefecture more often than its interval (at least `MIN_INTERVAL` seconds, plus a random jitter
so that many users do not ask in step), sends conditional requests (``If-None-Match`` with the
last ``ETag``, ``If-Modified-Since`` with the last ``Last-Modified``) and waits longer when the
server says so (``Retry-After``). The clock is injected, so tests can move time by hand.

`PREFECTURES` lists the 47 prefecture codes as the source names its files (``23000`` for 愛知県)
with rough bounding boxes, used only to suggest the prefecture(s) under the map.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

MIN_INTERVAL = 600.0  # seconds: the source's own update interval
DEFAULT_JITTER = 0.1  # up to 10 % later than the interval

# code: (name, (west, south, east, north)) — bounding boxes rounded outward to about 0.1°
# (main islands; remote islands left out), only to suggest a default choice.
PREFECTURES: dict[str, tuple[str, tuple[float, float, float, float]]] = {
    "01000": ("北海道", (139.3, 41.3, 148.9, 45.6)),
    "02000": ("青森県", (139.4, 40.2, 141.7, 41.6)),
    "03000": ("岩手県", (140.6, 38.7, 142.1, 40.5)),
    "04000": ("宮城県", (140.2, 37.7, 141.7, 39.0)),
    "05000": ("秋田県", (139.6, 38.8, 141.0, 40.6)),
    "06000": ("山形県", (139.5, 37.7, 140.7, 39.2)),
    "07000": ("福島県", (139.1, 36.7, 141.1, 38.0)),
    "08000": ("茨城県", (139.6, 35.7, 140.9, 37.0)),
    "09000": ("栃木県", (139.3, 36.1, 140.3, 37.2)),
    "10000": ("群馬県", (138.3, 35.9, 139.7, 37.1)),
    "11000": ("埼玉県", (138.7, 35.7, 139.9, 36.3)),
    "12000": ("千葉県", (139.7, 34.8, 140.9, 36.1)),
    "13000": ("東京都", (138.9, 35.4, 139.95, 35.9)),
    "14000": ("神奈川県", (138.9, 35.1, 139.8, 35.7)),
    "15000": ("新潟県", (137.6, 36.7, 139.9, 38.6)),
    "16000": ("富山県", (136.7, 36.2, 137.8, 37.0)),
    "17000": ("石川県", (136.2, 36.0, 137.4, 37.9)),
    "18000": ("福井県", (135.4, 35.3, 136.9, 36.3)),
    "19000": ("山梨県", (138.2, 35.1, 139.2, 36.0)),
    "20000": ("長野県", (137.3, 35.2, 138.8, 37.1)),
    "21000": ("岐阜県", (136.2, 35.1, 137.7, 36.5)),
    "22000": ("静岡県", (137.4, 34.5, 139.2, 35.7)),
    "23000": ("愛知県", (136.6, 34.5, 137.9, 35.5)),
    "24000": ("三重県", (135.8, 33.7, 137.0, 35.3)),
    "25000": ("滋賀県", (135.7, 34.7, 136.5, 35.8)),
    "26000": ("京都府", (134.8, 34.7, 136.1, 35.8)),
    "27000": ("大阪府", (135.0, 34.2, 135.8, 35.1)),
    "28000": ("兵庫県", (134.2, 34.1, 135.5, 35.7)),
    "29000": ("奈良県", (135.5, 33.8, 136.3, 34.8)),
    "30000": ("和歌山県", (135.0, 33.4, 136.0, 34.4)),
    "31000": ("鳥取県", (133.1, 35.0, 134.6, 35.6)),
    "32000": ("島根県", (131.6, 34.3, 133.4, 36.4)),
    "33000": ("岡山県", (133.2, 34.3, 134.5, 35.4)),
    "34000": ("広島県", (132.0, 34.0, 133.5, 35.1)),
    "35000": ("山口県", (130.8, 33.7, 132.5, 34.8)),
    "36000": ("徳島県", (133.6, 33.5, 134.9, 34.3)),
    "37000": ("香川県", (133.4, 34.0, 134.5, 34.6)),
    "38000": ("愛媛県", (132.0, 32.9, 133.7, 34.3)),
    "39000": ("高知県", (132.4, 32.7, 134.4, 33.9)),
    "40000": ("福岡県", (129.9, 33.0, 131.2, 34.0)),
    "41000": ("佐賀県", (129.7, 32.9, 130.6, 33.7)),
    "42000": ("長崎県", (128.6, 32.5, 130.4, 34.8)),
    "43000": ("熊本県", (129.9, 32.0, 131.4, 33.2)),
    "44000": ("大分県", (130.8, 32.7, 132.1, 33.8)),
    "45000": ("宮崎県", (130.7, 31.3, 131.9, 32.9)),
    "46000": ("鹿児島県", (128.4, 27.0, 131.2, 32.3)),
    "47000": ("沖縄県", (122.9, 24.0, 131.4, 27.9)),
}


def prefectures_for_extent(west: float, south: float, east: float, north: float, limit: int = 3) -> list[str]:
    """Prefecture codes under a lon/lat extent, the most covered first (at most ``limit``).

    A map over the sea gets the prefecture nearest to its centre.
    """
    overlaps = []
    for code, (_name, (w, s, e, n)) in PREFECTURES.items():
        width, height = min(east, e) - max(west, w), min(north, n) - max(south, s)
        if width > 0 and height > 0:
            overlaps.append((width * height, code))
    if overlaps:
        return [code for _area, code in sorted(overlaps, key=lambda item: (-item[0], item[1]))[:limit]]
    cx, cy = (west + east) / 2, (south + north) / 2

    def distance(code: str) -> float:
        w, s, e, n = PREFECTURES[code][1]
        dx = max(w - cx, 0.0, cx - e)
        dy = max(s - cy, 0.0, cy - n)
        return dx * dx + dy * dy

    return [min(PREFECTURES, key=distance)]


def prefecture_name(code: str) -> str:
    """The prefecture's name (the code itself when unknown)."""
    return PREFECTURES.get(code, (code, ()))[0]


def area_url(template: str, pref_code: str) -> str:
    """The URL of a prefecture's file; ``template`` holds ``{prefCode}``."""
    if "{prefCode}" not in template:
        raise ValueError(f"the source URL must contain {{prefCode}} (got {template!r})")
    return template.replace("{prefCode}", pref_code)


@dataclass
class PrefectureState:
    """What the schedule remembers of one prefecture's file."""

    next_due: float = 0.0
    last_asked: float | None = None
    etag: str = ""
    last_modified: str = ""
    failures: int = 0
    last_error: str = ""


class PollSchedule:
    """When each prefecture may be asked for, and with which conditional headers."""

    def __init__(
        self,
        prefectures: Iterable[str],
        interval: float = MIN_INTERVAL,
        jitter: float = DEFAULT_JITTER,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        min_interval: float = MIN_INTERVAL,
    ) -> None:
        self.interval = max(float(interval), float(min_interval))
        self.jitter = max(0.0, float(jitter))
        self.clock = clock
        self.rng = rng or random.Random()
        self.states: dict[str, PrefectureState] = {code: PrefectureState() for code in prefectures}

    def seed(self, pref_code: str, last_asked: float | None) -> None:
        """A prefecture last asked for at ``last_asked`` (e.g. before the project was closed)."""
        state = self.states.setdefault(pref_code, PrefectureState())
        if last_asked is not None:
            state.last_asked = last_asked
            state.next_due = last_asked + self.interval

    def due(self) -> list[str]:
        """Prefectures that may be asked for now."""
        now = self.clock()
        return [code for code, state in self.states.items() if state.next_due <= now]

    def seconds_to_next(self) -> float:
        """Seconds until the next prefecture is due (0 when one is due)."""
        if not self.states:
            return self.interval
        return max(0.0, min(state.next_due for state in self.states.values()) - self.clock())

    def headers(self, pref_code: str) -> dict[str, str]:
        """Conditional request headers for a prefecture's file."""
        state = self.states[pref_code]
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        return headers

    def asked(
        self,
        pref_code: str,
        status: int | None,
        headers: Mapping[str, str] | None = None,
        error: str = "",
    ) -> None:
        """Record an answer (``status`` None: no answer at all) and set the next time it is due."""
        now = self.clock()
        state = self.states.setdefault(pref_code, PrefectureState())
        state.last_asked = now
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        wait = self.interval * (1.0 + self.rng.uniform(0.0, self.jitter))
        if status is not None and 200 <= status < 300:
            state.etag = headers.get("etag", "")
            state.last_modified = headers.get("last-modified", "")
        if status is not None and (200 <= status < 300 or status == 304):
            state.failures, state.last_error = 0, ""
        else:
            state.failures += 1
            state.last_error = error or (f"HTTP {status}" if status is not None else "no answer")
            retry_after = _retry_after(headers.get("retry-after"))
            if retry_after is not None:
                wait = max(wait, retry_after)
        state.next_due = now + wait


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None
