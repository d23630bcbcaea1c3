"""Japanese public holidays (国民の祝日・休日), computed from the holiday law.

The calendar follows 国民の祝日に関する法律 (Act No. 178 of 1948) with every amendment up
to the 2020/2021 Olympic special measures:

* the holidays of Article 2 with the dates each amendment gave them (成人の日 and 体育の日 /
  スポーツの日 moving to Mondays in 2000, 海の日 and 敬老の日 in 2003, みどりの日 and 昭和の日 in
  2007, 山の日 from 2016, 天皇誕生日 following the emperor);
* 春分の日 and 秋分の日 on the equinox days. The 国立天文台 fixes them each February for the
  following year (暦要項); the approximation used here reproduces the published days for
  1949–2099 (it is the one the 国立天文台 itself cites for predictions);
* Article 3: 振替休日 (from 12 April 1973: the day after a holiday on a Sunday; from 2007:
  the next day that is not a holiday) and 国民の休日 (from 27 December 1985: a day between
  two holidays);
* one-off holidays set by special laws (imperial ceremonies) and the Olympic moves of
  2020 and 2021.

A future amendment means a change here; the tests compare this calendar with the
``holidays`` package and with the Cabinet Office's published list.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

FIRST_YEAR = 1949  # the law came into force on 20 July 1948: 1949 is its first whole year
LAST_YEAR = 2099  # the equinox approximation is valid up to here

SUBSTITUTE = "振替休日"
BRIDGE = "国民の休日"

# Special laws: one-off holidays.
_ONE_OFF = {
    dt.date(1959, 4, 10): "結婚の儀",  # 皇太子明仁親王の結婚の儀
    dt.date(1989, 2, 24): "大喪の礼",  # 昭和天皇の大喪の礼
    dt.date(1990, 11, 12): "即位礼正殿の儀",
    dt.date(1993, 6, 9): "結婚の儀",  # 皇太子徳仁親王の結婚の儀
    dt.date(2019, 5, 1): "休日（祝日扱い）",  # 天皇の即位の日
    dt.date(2019, 10, 22): "休日（祝日扱い）",  # 即位礼正殿の儀の行われる日
}

# Olympic special measures (平成30年法律第55号, 令和2年法律第68号): the holidays moved.
_OLYMPIC_MOVES = {
    2020: {"海の日": dt.date(2020, 7, 23), "スポーツの日": dt.date(2020, 7, 24), "山の日": dt.date(2020, 8, 10)},
    2021: {"海の日": dt.date(2021, 7, 22), "スポーツの日": dt.date(2021, 7, 23), "山の日": dt.date(2021, 8, 8)},
}


def _nth_monday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))


def equinox_days(year: int) -> tuple[dt.date, dt.date]:
    """(春分の日, 秋分の日) of ``year``."""
    offset = year - 1980
    if year < 1980:
        # int() truncates towards zero, as the published formula means (not floor division).
        leap = int((year - 1983) / 4)
        spring = int(20.8357 + 0.242194 * offset - leap)
        autumn = int(23.2588 + 0.242194 * offset - leap)
    else:
        spring = int(20.8431 + 0.242194 * offset - offset // 4)
        autumn = int(23.2488 + 0.242194 * offset - offset // 4)
    return dt.date(year, 3, spring), dt.date(year, 9, autumn)


def _national_holidays(year: int) -> dict[dt.date, str]:
    """The 国民の祝日 of Article 2 (and the special laws) in ``year``."""
    days: dict[dt.date, str] = {dt.date(year, 1, 1): "元日"}
    days[dt.date(year, 1, 15) if year < 2000 else _nth_monday(year, 1, 2)] = "成人の日"
    if year >= 1967:
        days[dt.date(year, 2, 11)] = "建国記念の日"
    spring, autumn = equinox_days(year)
    days[spring] = "春分の日"
    if year <= 1988:
        days[dt.date(year, 4, 29)] = "天皇誕生日"
    elif year <= 2006:
        days[dt.date(year, 4, 29)] = "みどりの日"
    else:
        days[dt.date(year, 4, 29)] = "昭和の日"
        days[dt.date(year, 5, 4)] = "みどりの日"
    days[dt.date(year, 5, 3)] = "憲法記念日"
    days[dt.date(year, 5, 5)] = "こどもの日"
    moves = _OLYMPIC_MOVES.get(year, {})
    if 1996 <= year <= 2002:
        days[dt.date(year, 7, 20)] = "海の日"
    elif year >= 2003:
        days[moves.get("海の日") or _nth_monday(year, 7, 3)] = "海の日"
    if year >= 2016:
        days[moves.get("山の日") or dt.date(year, 8, 11)] = "山の日"
    if 1966 <= year <= 2002:
        days[dt.date(year, 9, 15)] = "敬老の日"
    elif year >= 2003:
        days[_nth_monday(year, 9, 3)] = "敬老の日"
    days[autumn] = "秋分の日"
    if 1966 <= year <= 1999:
        days[dt.date(year, 10, 10)] = "体育の日"
    elif 2000 <= year <= 2019:
        days[_nth_monday(year, 10, 2)] = "体育の日"
    elif year >= 2020:
        days[moves.get("スポーツの日") or _nth_monday(year, 10, 2)] = "スポーツの日"
    days[dt.date(year, 11, 3)] = "文化の日"
    days[dt.date(year, 11, 23)] = "勤労感謝の日"
    if 1989 <= year <= 2018:
        days[dt.date(year, 12, 23)] = "天皇誕生日"
    elif year >= 2020:
        days[dt.date(year, 2, 23)] = "天皇誕生日"
    days.update({day: name for day, name in _ONE_OFF.items() if day.year == year})
    return days


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"Japanese public holidays are known for {FIRST_YEAR}–{LAST_YEAR}, not {year}")


@lru_cache(maxsize=256)
def _holidays_of(year: int) -> dict[dt.date, str]:
    _check_year(year)
    # Neighbouring years matter at the edges (a 振替休日 on 2 January, a bridge day on 31 December
    # cannot happen today, but the rules are applied to the days around the year anyway).
    national: dict[dt.date, str] = {}
    for y in (year - 1, year, year + 1):
        if FIRST_YEAR <= y <= LAST_YEAR:
            national.update(_national_holidays(y))
    days = dict(national)
    one_day = dt.timedelta(days=1)
    substitute_from = dt.date(1973, 4, 12)
    for day in sorted(national):
        if day.weekday() != 6 or day < substitute_from:
            continue
        if day.year < 2007:
            # "その翌日を休日とする": the Monday, unless it is a holiday itself.
            if day + one_day not in days:
                days[day + one_day] = SUBSTITUTE
        else:
            # "その日後においてその日に最も近い「国民の祝日」でない日を休日とする"
            later = day + one_day
            while later in national:
                later += one_day
            days.setdefault(later, SUBSTITUTE)
    bridge_from = dt.date(1985, 12, 27)
    for day in sorted(national):
        between = day + one_day
        if between < bridge_from or between in days or between + one_day not in national:
            continue
        # Up to 2006 the bridge day excluded Sundays (and days already a 振替休日).
        if between.year < 2007 and between.weekday() == 6:
            continue
        days[between] = BRIDGE
    return {day: name for day, name in sorted(days.items()) if day.year == year}


def japanese_holidays(year: int) -> dict[dt.date, str]:
    """Every public holiday of ``year`` (祝日, 振替休日, 国民の休日) with its Japanese name."""
    return dict(_holidays_of(int(year)))


def holiday_name(day: dt.date) -> str | None:
    """The holiday's Japanese name, or None when ``day`` is not a public holiday."""
    return _holidays_of(day.year).get(day)


def is_holiday(day: dt.date) -> bool:
    """Whether ``day`` is a Japanese public holiday (weekends do not count)."""
    return day in _holidays_of(day.year)


def is_rest_day(day: dt.date) -> bool:
    """土日祝: a Saturday, a Sunday or a public holiday."""
    return day.weekday() >= 5 or is_holiday(day)
