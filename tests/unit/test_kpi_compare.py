"""compare_periods against an independent computation with pandas (time zones by the tz database,
holidays by the holidays package) on random series."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import numpy as np
import pytest

from smartcity_qgis.analysis.kpi import (
    JST,
    PeriodValue,
    aggregate,
    attainment,
    compare_periods,
    compare_series,
    rollup,
    suppress_small_periods,
)

pd = pytest.importorskip("pandas", reason="python3-pandas (make deps) computes the expected values")
TOKYO = "Asia/Tokyo"
UTC = dt.UTC


def _rest_days(days) -> np.ndarray:
    holidays = pytest.importorskip("holidays", reason="python3-holidays (make deps) is the independent calendar")
    calendar = holidays.Japan(years=sorted({d.year for d in days}))
    return np.array([d.weekday() >= 5 or d in calendar for d in days], dtype=bool)


def _random_series(seed: int, n: int = 3000):
    """UTC times over spring 2026 (Golden Week included), some missing values, counts and decimals."""
    rng = np.random.default_rng(seed)
    start = dt.datetime(2026, 3, 25, tzinfo=UTC).timestamp()
    end = dt.datetime(2026, 6, 10, tzinfo=UTC).timestamp()
    stamps = np.sort(rng.uniform(start, end, n)).round()
    times = [dt.datetime.fromtimestamp(s, UTC) for s in stamps]
    values = rng.gamma(2.0, 40.0, n).round(1).tolist()
    for i in rng.choice(n, n // 50, replace=False):
        values[i] = None
    return times, values


def _expected(times, values, period, per, how, stat, days, hours):
    frame = pd.DataFrame({"t": pd.to_datetime([t.isoformat() for t in times], utc=True), "v": values})
    frame = frame.dropna()
    local = frame["t"].dt.tz_convert(TOKYO)
    frame["day"] = local.dt.date
    frame["hour"] = local.dt.hour
    if hours is not None:
        first, last = hours
        keep = (
            (frame["hour"] >= first) & (frame["hour"] < last)
            if first < last
            else ((frame["hour"] >= first) | (frame["hour"] < last))
        )
        frame = frame[keep]
    if days != "all":
        rest = _rest_days(list(frame["day"]))
        frame = frame[rest if days == "holiday" else ~rest]
    start, end = period
    frame = frame[(frame["day"] >= start) & (frame["day"] <= end)]
    if per == "day":
        frame["bucket"] = frame["day"].astype(str)
    elif per == "week":
        iso = pd.to_datetime(frame["day"]).dt.isocalendar()
        frame["bucket"] = iso["year"].astype(str) + "-" + iso["week"].astype(str)
    else:
        frame["bucket"] = pd.to_datetime(frame["day"]).dt.strftime("%Y-%m")
    grouped = frame.groupby("bucket")["v"]
    per_bucket = {"sum": grouped.sum, "mean": grouped.mean, "max": grouped.max, "count": grouped.count}[how]()
    figure = {"mean": per_bucket.mean, "median": per_bucket.median, "sum": per_bucket.sum, "max": per_bucket.max}[
        stat
    ]()
    return float(figure), int(frame["day"].nunique())


CASES = [
    # seed, per, how, stat, days, hours
    (1, "day", "sum", "mean", "all", None),
    (2, "day", "mean", "median", "weekday", None),
    (3, "day", "max", "mean", "holiday", (10, 18)),
    (4, "week", "sum", "mean", "all", (10, 18)),
    (5, "month", "count", "sum", "holiday", None),
    (6, "week", "mean", "max", "weekday", (22, 5)),
    (7, "day", "count", "mean", "holiday", (0, 24)),
    (8, "month", "mean", "mean", "all", (7, 9)),
]


@pytest.mark.parametrize(("seed", "per", "how", "stat", "days", "hours"), CASES)
def test_compare_periods_matches_pandas(seed, per, how, stat, days, hours):
    times, values = _random_series(seed)
    baseline = (dt.date(2026, 3, 28), dt.date(2026, 4, 28))
    evaluation = (dt.date(2026, 4, 29), dt.date(2026, 6, 6))  # Golden Week and after
    got = compare_periods(times, values, baseline, evaluation, per=per, how=how, stat=stat, days=days, hours=hours)
    before, n_before = _expected(times, values, baseline, per, how, stat, days, hours)
    after, n_after = _expected(times, values, evaluation, per, how, stat, days, hours)
    assert got.baseline_value == pytest.approx(before, rel=1e-9)
    assert got.evaluation_value == pytest.approx(after, rel=1e-9)
    assert got.change == pytest.approx(after - before, rel=1e-9, abs=1e-9)
    assert got.change_pct == pytest.approx(100 * (after - before) / abs(before), rel=1e-9)
    assert (got.n_baseline, got.n_evaluation) == (n_before, n_after)


def test_utc_input_counts_on_japan_days():
    # 15:30 UTC on Wednesday 6 May is 00:30 JST on Thursday 7 May, a working day after Golden Week.
    times = ["2026-05-06T15:30:00Z", "2026-05-06T14:59:59+00:00", "2026-05-07T09:00:00+09:00"]
    values = [5, 7, 11]
    days = {p.key: p.value for p in aggregate(times, values, "day", "sum")}
    assert days == {"2026-05-06": 7, "2026-05-07": 16}
    weekday = compare_periods(times, values, ("2026-05-01", "2026-05-07"), ("2026-05-07", "2026-05-07"), days="weekday")
    holiday_only = aggregate(times, values, "day", "sum", days="holiday")
    assert [p.key for p in holiday_only] == ["2026-05-06"]  # 振替休日
    assert weekday.evaluation_value == 16 and weekday.n_evaluation == 1
    with pytest.raises(ValueError, match=r"baseline period 2026-05-06–2026-05-06 \(weekdays only\)"):
        compare_periods(times, values, ("2026-05-06", "2026-05-06"), ("2026-05-07", "2026-05-07"), days="weekday")


def test_golden_week_2026_is_three_holidays_in_a_row():
    times = [dt.datetime(2026, 5, d, 12, tzinfo=JST) for d in range(2, 9)]  # Sat 2 May .. Fri 8 May
    values = [1.0] * len(times)
    rest = compare_periods(times, values, ("2026-05-02", "2026-05-04"), ("2026-05-05", "2026-05-08"), days="holiday")
    assert (rest.n_baseline, rest.n_evaluation) == (3, 2)  # 2, 3, 4 May; then 5 and 6 May (振替休日)
    work = aggregate(times, values, days="weekday")
    assert [p.key for p in work] == ["2026-05-07", "2026-05-08"]


def test_hours_filter_edges():
    def at(hour, minute=0):
        return dt.datetime(2026, 6, 1, hour, minute, tzinfo=JST)

    times = [at(9, 59), at(10), at(17, 59), at(18), at(23)]
    values = [1, 10, 100, 1000, 10000]
    assert aggregate(times, values, hours=(10, 18))[0].value == 110
    assert aggregate(times, values, hours=(18, 10))[0].value == 11001  # over midnight: 18–10時
    with pytest.raises(ValueError, match="hours"):
        aggregate(times, values, hours=(10, 10))
    with pytest.raises(ValueError, match="hours"):
        aggregate(times, values, hours=(10, 25))


def test_japan_has_no_daylight_saving_time():
    tokyo = zoneinfo.ZoneInfo(TOKYO)
    for month in range(1, 13):
        moment = dt.datetime(2026, month, 15, 12, tzinfo=UTC)
        assert moment.astimezone(tokyo).utcoffset() == moment.astimezone(JST).utcoffset() == dt.timedelta(hours=9)
    # An input from a zone with DST lands on the same Japan day whatever its offset that day.
    new_york = zoneinfo.ZoneInfo("America/New_York")
    summer = dt.datetime(2026, 7, 1, 11, 30, tzinfo=new_york)  # 00:30 JST on 2 July
    winter = dt.datetime(2026, 1, 1, 10, 30, tzinfo=new_york)  # 00:30 JST on 2 January
    assert [p.key for p in aggregate([summer, winter], [1, 1])] == ["2026-01-02", "2026-07-02"]


def test_empty_periods_and_bad_input_say_what_is_wrong():
    times = ["2026-04-01T03:00:00Z", "2026-04-02T03:00:00Z"]
    with pytest.raises(ValueError, match=r"no data in the evaluation period 2026-05-01–2026-05-31"):
        compare_periods(times, [1, 2], ("2026-04-01", "2026-04-30"), ("2026-05-01", "2026-05-31"))
    with pytest.raises(ValueError, match=r"no data in the baseline period 2026-03-01–2026-03-31"):
        compare_periods(times, [1, 2], ("2026-03-01", "2026-03-31"), ("2026-04-01", "2026-04-30"))
    with pytest.raises(ValueError, match="no UTC offset"):
        compare_periods(["2026-04-01T12:00:00"], [1], ("2026-04-01", "2026-04-01"), ("2026-04-01", "2026-04-01"))
    with pytest.raises(ValueError, match="starts"):
        compare_periods(times, [1, 2], ("2026-04-30", "2026-04-01"), ("2026-05-01", "2026-05-31"))
    with pytest.raises(ValueError, match="days must be one of"):
        compare_periods(times, [1, 2], ("2026-04-01", "2026-04-01"), ("2026-04-02", "2026-04-02"), days="sunday")


def test_zero_baseline_has_no_percentage():
    times = ["2026-04-01T03:00:00Z", "2026-04-02T03:00:00Z"]
    result = compare_periods(times, [0, 4], ("2026-04-01", "2026-04-01"), ("2026-04-02", "2026-04-02"))
    assert (result.change, result.change_pct) == (4, None)


@pytest.mark.parametrize("how", ["sum", "mean", "max", "count"])
@pytest.mark.parametrize("per", ["week", "month"])
def test_weeks_and_months_roll_up_exactly_from_days(per, how):
    times, values = _random_series(11, 2000)
    period = ("2026-04-01", "2026-05-20")
    direct = aggregate(times, values, per, how, period=period)
    from_days = rollup(aggregate(times, values, "day", how), per, how, period)
    assert [p.key for p in direct] == [p.key for p in from_days]
    for a, b in zip(direct, from_days, strict=True):
        assert (a.start, a.end, a.n_obs, a.n_days) == (b.start, b.end, b.n_obs, b.n_days)
        assert a.value == pytest.approx(b.value, rel=1e-12)
    daily = aggregate(times, values, "day", how)
    stored = compare_series(daily, ("2026-04-01", "2026-04-28"), ("2026-04-29", "2026-05-31"), per, how, "mean")
    raw = compare_periods(times, values, ("2026-04-01", "2026-04-28"), ("2026-04-29", "2026-05-31"), per, how, "mean")
    assert stored.baseline_value == pytest.approx(raw.baseline_value)
    assert stored.evaluation_value == pytest.approx(raw.evaluation_value)
    assert (stored.n_baseline, stored.n_evaluation) == (raw.n_baseline, raw.n_evaluation)


def test_attainment():
    assert attainment(120, 100) == pytest.approx(120)
    assert attainment(80, 50, higher_is_better=False) == pytest.approx(62.5)
    assert attainment(105, 110, baseline=100) == pytest.approx(100 * 105 / 110)  # a target value: value ÷ target
    assert attainment(85, -20, baseline=100, target_is_change_pct=True) == pytest.approx(75)  # 「20％減」
    # 「10％増」: a change of 5 % from the baseline is half-way.
    assert attainment(1050, 10, baseline=1000, target_is_change_pct=True) == pytest.approx(50)
    assert attainment(None, 10) is None
    assert attainment(5, 10, target_is_change_pct=True) is None  # no baseline to measure from


def test_periods_of_fewer_than_ten_people_are_left_out():
    day = dt.date(2026, 5, 1)
    series = [
        PeriodValue("a", day, day, 9, 3, 1, 9),
        PeriodValue("b", day, day, 10, 3, 1, 10),
        PeriodValue("c", day, day, 0, 1, 1, 0),
    ]
    result = suppress_small_periods(series)
    assert [p.key for p in result.kept] == ["b", "c"]
    assert result.left_out == ["a"] and result.k == 10
    with pytest.raises(ValueError, match="allow_disclosure"):
        suppress_small_periods(series, k=1)
