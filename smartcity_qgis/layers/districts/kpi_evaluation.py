"""A KPI's stored values turned into what planners read: the series, the latest value, baseline
against evaluation period, and attainment of the target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from smartcity_qgis.analysis.kpi import PeriodComparison, PeriodValue, attainment, compare_series, rollup
from smartcity_qgis.analysis.kpi_schema import (
    DAY_LABELS,
    HOW_LABELS,
    KINDS,
    METHODS,
    PER_LABELS,
    STAT_LABELS,
    KpiDefinition,
    KpiValue,
    label_of,
)
from smartcity_qgis.i18n import tr

DatePeriod = tuple[dt.date, dt.date]


@dataclass
class KpiEvaluation:
    """One KPI over its stored values; ``problem`` says (translated) why a figure is missing."""

    kpi: KpiDefinition
    series: list[PeriodValue] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    latest: PeriodValue | None = None
    latest_partial: bool = False
    baseline: DatePeriod | None = None
    evaluation: DatePeriod | None = None
    comparison: PeriodComparison | None = None
    attainment: float | None = None
    sources: list[str] = field(default_factory=list)
    problem: str = ""

    @property
    def current_value(self) -> float | None:
        return self.latest.value if self.latest is not None else None


def daily_series(values: Sequence[KpiValue]) -> list[PeriodValue]:
    """Stored values as aggregates (the periods left out by the k rule are not among them)."""
    out = []
    for item in values:
        if item.value is None:
            continue
        start, end = dt.date.fromisoformat(item.start), dt.date.fromisoformat(item.end)
        total = item.total if item.total is not None else item.value
        out.append(PeriodValue(item.period, start, end, float(item.value), item.n_obs, item.n_days, total))
    return out


def _in(period: DatePeriod, item: PeriodValue) -> bool:
    return period[0] <= item.start <= period[1]


def evaluate_kpi(
    kpi: KpiDefinition,
    values: Sequence[KpiValue],
    baseline: DatePeriod | None = None,
    evaluation: DatePeriod | None = None,
) -> KpiEvaluation:
    """The KPI's series per its ``per``, its latest value, and the comparison when both periods are given."""
    result = KpiEvaluation(kpi, baseline=baseline, evaluation=evaluation)
    result.left_out = [v.period for v in values if v.value is None]
    result.sources = sorted({v.source for v in values if v.source})
    stored = daily_series(values)
    result.series = rollup(stored, kpi.per, kpi.how) if stored else []
    if result.series:
        result.latest = result.series[-1]
        span = (result.latest.start, result.latest.end)
        result.latest_partial = any(
            v.note.startswith("partial") and span[0] <= dt.date.fromisoformat(v.start) <= span[1] for v in values
        )
    if baseline is not None and evaluation is not None:
        try:
            result.comparison = compare_series(stored, baseline, evaluation, kpi.per, kpi.how, kpi.stat)
        except ValueError:
            missing = baseline if not any(_in(baseline, s) for s in stored) else evaluation
            which = tr("baseline period") if missing is baseline else tr("evaluation period")
            result.problem = tr("No data in the {0} {1}–{2}").format(which, missing[0], missing[1])
    reference = result.comparison.evaluation_value if result.comparison else result.current_value
    result.attainment = attainment(
        reference,
        kpi.target,
        kpi.higher_is_better,
        baseline=result.comparison.baseline_value if result.comparison else None,
        target_is_change_pct=kpi.target_type == "change_pct",
    )
    return result


def target_level(result: KpiEvaluation) -> float | None:
    """The target on the KPI's own scale (a change in percent applied to the baseline value)."""
    kpi = result.kpi
    if kpi.target is None:
        return None
    if kpi.target_type == "change_pct":
        if result.comparison is None:
            return None
        return result.comparison.baseline_value * (1 + float(kpi.target) / 100.0)
    return float(kpi.target)


def format_number(value: float | None, digits: int | None = None) -> str:
    """A figure for tables: thousands separators, decimals by size; an en dash when missing."""
    if value is None:
        return "–"
    if digits is None:
        if float(value).is_integer():
            digits = 0
        else:
            digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:,.{digits}f}"


def format_pct(value: float | None, signed: bool = True) -> str:
    """A percentage with its sign (change) or without (attainment)."""
    if value is None:
        return "–"
    return f"{value:+.1f}%" if signed else f"{value:.0f}%"


def method_text(kpi: KpiDefinition) -> str:
    """How the KPI is measured, in Japanese, e.g. 「CrowdFlowObserved.peopleCount 日別合計・土日祝・10–18時 の平均」."""
    if kpi.method == "manual":
        return label_of("manual", METHODS)
    if kpi.method == "cityos":
        what = f"{kpi.entity_type}.{kpi.attribute}"
        if kpi.transform:
            what += f"（{kpi.denominator}比）"
    elif kpi.method == "mesh":
        what = f"人流メッシュ {kpi.source_layer or ''}".strip()
    else:
        what = f"警戒レベル{kpi.event_level}以上（{float(kpi.distance_m):g} m以内）"
    parts = [f"{label_of(kpi.per, PER_LABELS)}別{label_of(kpi.how, HOW_LABELS)}"]
    if kpi.days != "all":
        parts.append(label_of(kpi.days, DAY_LABELS))
    if kpi.hours is not None:
        parts.append(f"{kpi.hours[0]}–{kpi.hours[1]}時")
    return f"{what} {'・'.join(parts)}の{label_of(kpi.stat, STAT_LABELS)}"


def kind_text(kpi: KpiDefinition) -> str:
    return label_of(kpi.kind, KINDS)


def target_text(kpi: KpiDefinition) -> str:
    """「+10％（2030年）」 or 「12,000 人/日（2030年）」; an en dash without a target."""
    if kpi.target is None:
        return "–"
    if kpi.target_type == "change_pct":
        text = f"{float(kpi.target):+g}%"
    else:
        target = float(kpi.target)
        plain = f"{int(target):,}" if target.is_integer() else f"{target:,.3f}".rstrip("0")
        text = f"{plain} {kpi.unit}".strip()
    return text + (f"（{kpi.target_year}年）" if kpi.target_year else "")
