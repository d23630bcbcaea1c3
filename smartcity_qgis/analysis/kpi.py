"""KPI series and before/after comparison (効果検証) in Japan time.

Observations (aware date-times or ISO 8601 strings with an offset, any time zone) are put on
Japan days (JST, UTC+9 all year: Japan has no daylight saving time), optionally only 平日 or
only 土日祝 (Saturdays, Sundays and public holidays of :mod:`jp_holidays`) and only some hours
of the day, then aggregated per day, ISO week (Monday to Sunday) or month by sum, mean, max
or count. :func:`compare_periods` compares a baseline period with an evaluation period;
:func:`attainment` says how far a value has come towards its target.

Per-day aggregates carry their number of observations, so weeks and months can be rolled
up from stored days exactly (:func:`rollup`), the mean included.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from smartcity_qgis.analysis.jp_holidays import is_rest_day
from smartcity_qgis.analysis.privacy import check_k

JST = dt.timezone(dt.timedelta(hours=9), "JST")

PERS = ("day", "week", "month")
HOWS = ("sum", "mean", "max", "count")
STATS = ("mean", "median", "sum", "max", "min")
DAYS = ("all", "weekday", "holiday")

Period = tuple["dt.date | str", "dt.date | str"]


@dataclass(frozen=True)
class PeriodComparison:
    """A baseline period against an evaluation period.

    ``change_pct`` is None when the baseline value is 0 (no percentage of nothing).
    ``n_baseline`` / ``n_evaluation`` count the days with data behind each value.
    """

    baseline_value: float
    evaluation_value: float
    change: float
    change_pct: float | None
    n_baseline: int
    n_evaluation: int


@dataclass(frozen=True)
class PeriodValue:
    """The aggregate of one day, ISO week or month (``start`` and ``end`` inclusive, JST days).

    ``n_obs`` observations on ``n_days`` days went into ``value``; ``total`` is the sum of the
    raw values (the number of people a period stands for, when the values count people).
    """

    key: str
    start: dt.date
    end: dt.date
    value: float
    n_obs: int
    n_days: int
    total: float


def to_datetime(value: dt.datetime | str) -> dt.datetime:
    """An aware date-time from a date-time or an ISO 8601 string; refuses times without an offset."""
    when = value
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"not an ISO 8601 date-time: {value!r}") from exc
    if not isinstance(when, dt.datetime):
        raise ValueError(f"not a date-time: {value!r}")
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"the time {value!s} has no UTC offset: give UTC (Z) or an offset such as +09:00")
    return when


def to_date(value: dt.date | str) -> dt.date:
    """A date from a date or ``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"a period is given in whole days, not {value!r}")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValueError(f"not a date (YYYY-MM-DD): {value!r}") from exc


def check_period(period: Period, name: str = "period") -> tuple[dt.date, dt.date]:
    """``(start, end)`` as dates, both inclusive; the start must not come after the end."""
    try:
        start, end = period
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the {name} must be (start, end), not {period!r}") from exc
    start, end = to_date(start), to_date(end)
    if start > end:
        raise ValueError(f"the {name} starts ({start}) after it ends ({end})")
    return start, end


def check_hours(hours: Sequence[int] | None) -> tuple[int, int] | None:
    """``(from, to)`` hours of the day, from inclusive, to exclusive; ``(22, 5)`` runs over midnight."""
    if hours is None:
        return None
    try:
        first, last = (int(h) for h in hours)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"hours must be (from, to), e.g. (10, 18), not {hours!r}") from exc
    if not (0 <= first <= 23 and 1 <= last <= 24) or first == last:
        raise ValueError(f"hours must lie in 0–24 and differ, not {hours!r}")
    return first, last


def _check_choice(value: str, allowed: tuple[str, ...], name: str) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def day_matches(day: dt.date, days: str) -> bool:
    """Whether a JST day passes the 平日 / 土日祝 filter."""
    if days == "all":
        return True
    return is_rest_day(day) == (days == "holiday")


def _hour_matches(hour: int, hours: tuple[int, int] | None) -> bool:
    if hours is None:
        return True
    first, last = hours
    return first <= hour < last if first < last else hour >= first or hour < last


def _number(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def japan_observations(
    times: Iterable[dt.datetime | str],
    values: Iterable,
    days: str = "all",
    hours: Sequence[int] | None = None,
) -> list[tuple[dt.datetime, float]]:
    """(JST time, value) of the observations passing the day and hour filters; missing values dropped."""
    _check_choice(days, DAYS, "days")
    window = check_hours(hours)
    kept = []
    for when, raw in zip(times, values, strict=True):
        value = _number(raw)
        if value is None:
            continue
        local = to_datetime(when).astimezone(JST)
        if _hour_matches(local.hour, window) and day_matches(local.date(), days):
            kept.append((local, value))
    return kept


def bucket_of(day: dt.date, per: str) -> tuple[str, dt.date, dt.date]:
    """(key, first day, last day) of the day, ISO week or month holding ``day``."""
    if per == "day":
        return day.isoformat(), day, day
    if per == "week":
        year, week, weekday = day.isocalendar()
        monday = day - dt.timedelta(days=weekday - 1)
        return f"{year}-W{week:02d}", monday, monday + dt.timedelta(days=6)
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return f"{day.year}-{day.month:02d}", first, following - dt.timedelta(days=1)


def _combine(how: str, values: list[float]) -> float:
    if how == "sum":
        return math.fsum(values)
    if how == "mean":
        return math.fsum(values) / len(values)
    if how == "max":
        return max(values)
    return float(len(values))


def aggregate(
    times: Iterable[dt.datetime | str],
    values: Iterable,
    per: str = "day",
    how: str = "sum",
    days: str = "all",
    hours: Sequence[int] | None = None,
    period: Period | None = None,
) -> list[PeriodValue]:
    """The series per day, week or month (JST), oldest first; only periods with data.

    With ``period``, observations outside it are left out and weeks and months are cut to it.
    """
    _check_choice(per, PERS, "per")
    _check_choice(how, HOWS, "how")
    bounds = check_period(period) if period is not None else None
    groups: dict[str, tuple[dt.date, dt.date, list[float], set[dt.date]]] = {}
    for local, value in japan_observations(times, values, days, hours):
        day = local.date()
        if bounds is not None and not bounds[0] <= day <= bounds[1]:
            continue
        key, first, last = bucket_of(day, per)
        if bounds is not None:
            first, last = max(first, bounds[0]), min(last, bounds[1])
        group = groups.setdefault(key, (first, last, [], set()))
        group[2].append(value)
        group[3].add(day)
    return [
        PeriodValue(key, first, last, _combine(how, found), len(found), len(seen), math.fsum(found))
        for key, (first, last, found, seen) in sorted(groups.items(), key=lambda item: item[1][0])
    ]


def rollup(daily: Iterable[PeriodValue], per: str, how: str, period: Period | None = None) -> list[PeriodValue]:
    """Weeks or months from per-day aggregates made with the same ``how`` (exact for all four)."""
    _check_choice(per, PERS, "per")
    _check_choice(how, HOWS, "how")
    bounds = check_period(period) if period is not None else None
    groups: dict[str, list[PeriodValue]] = {}
    spans: dict[str, tuple[dt.date, dt.date]] = {}
    for item in daily:
        if bounds is not None and not bounds[0] <= item.start <= bounds[1]:
            continue
        key, first, last = bucket_of(item.start, per)
        if bounds is not None:
            first, last = max(first, bounds[0]), min(last, bounds[1])
        groups.setdefault(key, []).append(item)
        spans[key] = (first, last)
    out = []
    for key, items in groups.items():
        n_obs = sum(i.n_obs for i in items)
        if how == "sum":
            value = math.fsum(i.value for i in items)
        elif how == "mean":
            value = math.fsum(i.value * i.n_obs for i in items) / n_obs if n_obs else math.nan
        elif how == "max":
            value = max(i.value for i in items)
        else:
            value = math.fsum(i.value for i in items)
        first, last = spans[key]
        days_with_data = len({i.start for i in items})
        out.append(PeriodValue(key, first, last, value, n_obs, days_with_data, math.fsum(i.total for i in items)))
    return sorted(out, key=lambda p: p.start)


def summarise(series: Sequence[PeriodValue], stat: str) -> float:
    """One figure from the periods' values: their mean, median, sum, max or min."""
    _check_choice(stat, STATS, "stat")
    values = [p.value for p in series]
    if stat == "mean":
        return math.fsum(values) / len(values)
    if stat == "median":
        return float(statistics.median(values))
    if stat == "sum":
        return math.fsum(values)
    return max(values) if stat == "max" else min(values)


def _filters_text(days: str, hours: tuple[int, int] | None) -> str:
    parts = []
    if days != "all":
        parts.append("weekdays only" if days == "weekday" else "Saturdays, Sundays and holidays only")
    if hours is not None:
        parts.append(f"hours {hours[0]}–{hours[1]} JST")
    return f" ({', '.join(parts)})" if parts else ""


def _compare(
    baseline_series: list[PeriodValue],
    evaluation_series: list[PeriodValue],
    baseline: tuple[dt.date, dt.date],
    evaluation: tuple[dt.date, dt.date],
    stat: str,
    filters: str,
) -> PeriodComparison:
    for name, series, (start, end) in (
        ("baseline", baseline_series, baseline),
        ("evaluation", evaluation_series, evaluation),
    ):
        if not series:
            raise ValueError(f"no data in the {name} period {start}–{end}{filters}")
    before = summarise(baseline_series, stat)
    after = summarise(evaluation_series, stat)
    change = after - before
    return PeriodComparison(
        baseline_value=before,
        evaluation_value=after,
        change=change,
        change_pct=100.0 * change / abs(before) if before != 0 else None,
        n_baseline=sum(p.n_days for p in baseline_series),
        n_evaluation=sum(p.n_days for p in evaluation_series),
    )


def compare_periods(
    times: Iterable[dt.datetime | str],
    values: Iterable,
    baseline: Period,
    evaluation: Period,
    per: str = "day",
    how: str = "sum",
    stat: str = "mean",
    days: str = "all",
    hours: Sequence[int] | None = None,
) -> PeriodComparison:
    """Baseline period against evaluation period.

    Each period's observations are aggregated per ``per`` (JST days, ISO weeks or months cut
    to the period) by ``how``; ``stat`` over those aggregates gives the period's value.
    ``days`` is ``"all"``, ``"weekday"`` or ``"holiday"`` (Saturday, Sunday and Japanese public
    holidays); ``hours`` = (from, to) keeps observations from ``from`` o'clock up to, not
    including, ``to`` o'clock JST. A period with no data raises ``ValueError`` naming it.
    """
    _check_choice(stat, STATS, "stat")
    times, values = list(times), list(values)
    base = check_period(baseline, "baseline period")
    evaluated = check_period(evaluation, "evaluation period")
    window = check_hours(hours)
    baseline_series = aggregate(times, values, per, how, days, window, base)
    evaluation_series = aggregate(times, values, per, how, days, window, evaluated)
    return _compare(baseline_series, evaluation_series, base, evaluated, stat, _filters_text(days, window))


def compare_series(
    daily: Sequence[PeriodValue],
    baseline: Period,
    evaluation: Period,
    per: str = "day",
    how: str = "sum",
    stat: str = "mean",
) -> PeriodComparison:
    """:func:`compare_periods` from per-day aggregates already filtered and made with ``how``."""
    base = check_period(baseline, "baseline period")
    evaluated = check_period(evaluation, "evaluation period")
    before, after = rollup(daily, per, how, base), rollup(daily, per, how, evaluated)
    return _compare(before, after, base, evaluated, stat, "")


def attainment(
    value: float | None,
    target: float | None,
    higher_is_better: bool = True,
    baseline: float | None = None,
    target_is_change_pct: bool = False,
) -> float | None:
    """達成率 in percent (100 = target reached; may pass 100).

    A target value: value ÷ target (target ÷ value when lower is better). A target given as a
    change in percent from the baseline (e.g. 10 for「10％増」, −20 for「20％減」): the change
    reached ÷ the change aimed at, which needs the baseline. None when it cannot be said (no
    value, no target, a zero denominator).
    """
    if value is None or target is None:
        return None
    if target_is_change_pct:
        if baseline is None or baseline == 0 or target == 0:
            return None
        change_pct = 100.0 * (value - baseline) / abs(baseline)
        return 100.0 * change_pct / target
    if higher_is_better:
        return None if target == 0 else 100.0 * value / target
    return None if value == 0 else 100.0 * target / value


@dataclass(frozen=True)
class KSuppression:
    """Periods kept after the k rule and the keys of those left out."""

    kept: list[PeriodValue]
    left_out: list[str]
    k: int


def suppress_small_periods(series: Sequence[PeriodValue], k: int = 10, allow_disclosure: bool = False) -> KSuppression:
    """Leave out the periods standing for fewer than ``k`` people (their ``total``), as every aggregate of people."""
    k = check_k(k, allow_disclosure)
    kept = [p for p in series if k < 1 or p.total >= k or p.total == 0]
    left_out = [p.key for p in series if p not in kept]
    return KSuppression(kept, left_out, k)
