"""The Okazaki scenario's past: months of hourly history for the people counters and car parks.

So that KPIs can be measured before and after a 社会実験 (a social experiment in the QURUWA
district: streets opened to pedestrians, events along the river), the scenario starts with
``days`` days of hourly samples before its start time:

* a weekly rhythm: leisure places (QURUWA) are busier on Saturdays, Sundays and public
  holidays (土日祝, the Japanese calendar), stations on working days;
* a step change from the experiment's first day (``experiment_days_ago`` JST days before the
  start): more people in QURUWA, especially on 土日祝, and fuller car parks.

Every value comes from :func:`archive` with a seeded generator, so a test can compute what a
measurement must find. All of it is synthetic.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from smartcity_qgis.analysis.jp_holidays import is_rest_day

HISTORY_DAYS = 150
EXPERIMENT_DAYS_AGO = 60
STEP_SECONDS = 3600
JST = dt.timezone(dt.timedelta(hours=9))

#: Busier (>1) or quieter (<1) on 土日祝 than the daily curve alone, by counter profile.
REST_DAY_FACTOR = {"leisure": 1.6, "station": 0.6, "parking": 1.3}
WORKDAY_FACTOR = {"leisure": 0.85, "station": 1.0, "parking": 0.8}
#: After the experiment starts: (working day, 土日祝) multipliers.
EXPERIMENT_GAIN = {"leisure": (1.06, 1.2), "station": (1.0, 1.0), "parking": (1.04, 1.12)}
ARCHIVED_ATTRIBUTES = {"CrowdFlowObserved": "peopleCount", "OffStreetParking": "availableSpotNumber"}


@dataclass(frozen=True)
class HistoryPlan:
    """``count`` hourly samples from ``first`` (epoch seconds, UTC), the last one before the start."""

    first: float
    count: int
    experiment_date: dt.date  # JST day the experiment began
    step: int = STEP_SECONDS

    def times(self) -> list[float]:
        return [self.first + i * self.step for i in range(self.count)]


def history_plan(
    start_time: float, days: int = HISTORY_DAYS, experiment_days_ago: int = EXPERIMENT_DAYS_AGO
) -> HistoryPlan:
    """``days`` days of hourly samples before ``start_time``; the experiment's first JST day."""
    count = days * 24
    last_hour = math.ceil(start_time / STEP_SECONDS) * STEP_SECONDS - STEP_SECONDS  # strictly before the start
    today = dt.datetime.fromtimestamp(start_time, JST).date()
    return HistoryPlan(
        first=last_hour - (count - 1) * STEP_SECONDS,
        count=count,
        experiment_date=today - dt.timedelta(days=experiment_days_ago),
    )


def day_factor(kind: str, when: float, plan: HistoryPlan) -> float:
    """How busy a place of ``kind`` is on the JST day of ``when`` compared with its daily curve."""
    day = dt.datetime.fromtimestamp(when, JST).date()
    rest = is_rest_day(day)
    factor = REST_DAY_FACTOR[kind] if rest else WORKDAY_FACTOR[kind]
    if day >= plan.experiment_date:
        factor *= EXPERIMENT_GAIN[kind][1 if rest else 0]
    return factor


def _hour(when: float) -> float:
    return dt.datetime.fromtimestamp(when, JST).hour + 0.5  # the hour's middle: counts cover the hour


def archive(
    tenant: str,
    seed: int,
    plan: HistoryPlan,
    counters: Sequence[tuple],
    parking: Sequence[tuple],
    daily_curve: Callable[[float, str], float],
) -> dict[str, dict[str, list[tuple[float, Any]]]]:
    """entity id -> attribute -> [(epoch seconds, value)] of the scenario's past, oldest first."""
    times = plan.times()
    out: dict[str, dict[str, list[tuple[float, Any]]]] = {}
    for cid, _name, _lon, _lat, peak, profile in counters:
        eid = f"urn:ngsi-ld:CrowdFlowObserved:{tenant}-{cid}"
        rng = random.Random(f"{seed}:{eid}:history")
        samples = []
        for when in times:
            busy = daily_curve(_hour(when), profile) * day_factor(profile, when, plan)
            samples.append((when, round(peak * busy * rng.uniform(0.92, 1.08))))
        out[eid] = {"peopleCount": samples}
    for pid, _name, _lon, _lat, total in parking:
        eid = f"urn:ngsi-ld:OffStreetParking:{tenant}-{pid}"
        rng = random.Random(f"{seed}:{eid}:history")
        samples = []
        for when in times:
            busy = daily_curve(_hour(when), "leisure") * day_factor("parking", when, plan)
            free = round(total * (1 - 0.85 * min(busy, 1.15)) + rng.randint(-3, 3))
            samples.append((when, max(0, min(total, free))))
        out[eid] = {"availableSpotNumber": samples}
    return out
