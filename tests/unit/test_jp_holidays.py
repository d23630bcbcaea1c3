"""Japanese public holidays computed from the holiday law, against the published lists and the
``holidays`` package (python3-holidays), an independent implementation."""

from __future__ import annotations

import datetime as dt

import pytest

from smartcity_qgis.analysis.jp_holidays import (
    equinox_days,
    holiday_name,
    is_holiday,
    is_rest_day,
    japanese_holidays,
)


def _days(year: int, *month_days: str) -> set[dt.date]:
    return {dt.date(year, int(md[:2]), int(md[3:])) for md in month_days}


# The Cabinet Office's list (内閣府「国民の祝日について」, syukujitsu.csv), typed in for the years
# where the rules bite: the era change (2019), the Olympic moves (2021) and the years the
# KPI examples use (2026, 2027).
PUBLISHED = {
    2019: _days(
        2019, "01-01", "01-14", "02-11", "03-21", "04-29", "04-30", "05-01", "05-02", "05-03", "05-04", "05-05",
        "05-06", "07-15", "08-11", "08-12", "09-16", "09-23", "10-14", "10-22", "11-03", "11-04", "11-23",
    ),
    2021: _days(
        2021, "01-01", "01-11", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "07-22", "07-23",
        "08-08", "08-09", "09-20", "09-23", "11-03", "11-23",
    ),
    2026: _days(
        2026, "01-01", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-20",
        "08-11", "09-21", "09-22", "09-23", "10-12", "11-03", "11-23",
    ),
    2027: _days(
        2027, "01-01", "01-11", "02-11", "02-23", "03-21", "03-22", "04-29", "05-03", "05-04", "05-05", "07-19",
        "08-11", "09-20", "09-23", "10-11", "11-03", "11-23",
    ),
}  # fmt: skip


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_the_published_lists(year):
    assert set(japanese_holidays(year)) == PUBLISHED[year]


def test_golden_week_2026_and_its_substitute_holiday():
    assert holiday_name(dt.date(2026, 5, 3)) == "憲法記念日"  # a Sunday
    assert holiday_name(dt.date(2026, 5, 6)) == "振替休日"  # the next day that is not a holiday
    assert holiday_name(dt.date(2026, 9, 22)) == "国民の休日"  # between 敬老の日 and 秋分の日
    assert not is_holiday(dt.date(2026, 5, 7))
    assert is_rest_day(dt.date(2026, 5, 9)) and not is_holiday(dt.date(2026, 5, 9))  # a Saturday


def test_rules_from_the_law():
    # 振替休日 only from 12 April 1973; until 2006 only the next day, and only if it is no holiday.
    assert not is_holiday(dt.date(1973, 2, 12))  # 建国記念の日 1973 was a Sunday, before the rule
    assert holiday_name(dt.date(1973, 4, 30)) == "振替休日"  # the first one
    # Since 2007 the next day that is not a holiday: 2008-05-06 after 憲法記念日 on a Sunday.
    assert holiday_name(dt.date(2008, 5, 6)) == "振替休日"
    # 国民の休日 from 1986 (4 May between 憲法記念日 and こどもの日), never on a Sunday before 2007.
    assert holiday_name(dt.date(1988, 5, 4)) == "国民の休日"
    assert not is_holiday(dt.date(1986, 5, 4))  # a Sunday
    # 建国記念の日 from 1967; 山の日 from 2016; 天皇誕生日 follows the emperor (none in 2019).
    assert not is_holiday(dt.date(1966, 2, 11)) and is_holiday(dt.date(1967, 2, 11))
    assert not is_holiday(dt.date(2015, 8, 11)) and is_holiday(dt.date(2016, 8, 11))
    assert not any(name == "天皇誕生日" for name in japanese_holidays(2019).values())
    assert equinox_days(2026) == (dt.date(2026, 3, 20), dt.date(2026, 9, 23))


def test_years_outside_the_law_are_refused():
    with pytest.raises(ValueError, match="1949–2099"):
        japanese_holidays(1948)
    with pytest.raises(ValueError, match="2100"):
        is_holiday(dt.date(2100, 1, 1))


def _package_holidays(year: int) -> set[dt.date]:
    holidays = pytest.importorskip("holidays", reason="python3-holidays (make deps) is the independent check")
    return set(holidays.Japan(years=year))


def _old_package() -> bool:
    holidays = pytest.importorskip("holidays")
    major, minor = (int(part) for part in holidays.__version__.split(".")[:2])
    return (major, minor) < (0, 20)


# Where the holidays package is wrong, and why (checked against the law and the Cabinet Office's
# list). Up to 0.19 it writes 振替休日 from a hand-kept table that ends in 2048 and misses some;
# it also lacks the 2021 Olympic moves and the one-off days, and has 建国記念の日 before 1967.
OLD_PACKAGE_MISSES = {
    dt.date(1959, 4, 10), dt.date(1974, 5, 6), dt.date(1989, 2, 24), dt.date(1990, 11, 12), dt.date(1993, 6, 9),
    dt.date(2021, 7, 22), dt.date(2021, 7, 23), dt.date(2021, 8, 8), dt.date(2021, 8, 9), dt.date(2025, 2, 24),
    dt.date(2031, 2, 24), dt.date(2042, 2, 24), dt.date(2048, 2, 24),
}  # fmt: skip
OLD_PACKAGE_EXTRAS = {dt.date(y, 2, 11) for y in range(1949, 1967)} | {
    dt.date(2021, 7, 19),
    dt.date(2021, 8, 11),
    dt.date(2021, 10, 11),
}


def test_against_the_holidays_package_for_150_years():
    old = _old_package()
    last = 2048 if old else 2099  # the old package's substitute-holiday table stops in 2048
    compared = 0
    for year in range(1949, last + 1):
        ours = set(japanese_holidays(year))
        theirs = _package_holidays(year)
        if old:
            theirs = (theirs - OLD_PACKAGE_EXTRAS) | {d for d in OLD_PACKAGE_MISSES if d.year == year}
        assert ours == theirs, f"{year}: ours only {sorted(ours - theirs)}, package only {sorted(theirs - ours)}"
        compared += 1
    if old:  # after its table, the rest still: the equinoxes, the Monday rules, 国民の休日
        for year in range(2049, 2100):
            ours = {d for d, name in japanese_holidays(year).items() if name != "振替休日"}
            holidays = pytest.importorskip("holidays")
            theirs = {d for d, name in holidays.Japan(years=year).items() if name != "振替休日"}
            assert ours == theirs, year
            compared += 1
    assert compared >= 140
