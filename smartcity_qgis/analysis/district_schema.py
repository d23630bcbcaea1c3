"""Pilot district (先行地区) attributes: field names, code lists and validation rules.

The code lists follow the スマートシティガイドブック: stable ASCII codes are stored in the
data so that files stay valid when labels change; the Japanese labels are what users see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# (code, Japanese label) in the guidebook's order.
DOMAINS: tuple[tuple[str, str], ...] = (
    ("environment_energy", "環境・エネルギー"),
    ("disaster_prevention", "防災"),
    ("infrastructure", "インフラ維持管理"),
    ("health_medical", "健康・医療"),
    ("logistics", "物流"),
    ("mobility", "モビリティ"),
    ("urban_planning", "都市計画・整備"),
    ("security_watch", "セキュリティ・見守り"),
    ("tourism_revitalization", "観光・地域活性化"),
    ("administration", "行政"),
    ("other", "その他"),
)

PHASES: tuple[tuple[str, str], ...] = (
    ("initial", "初動段階"),
    ("preparation", "準備段階"),
    ("planning", "計画(戦略)作成段階"),
    ("demonstration", "実証段階"),
    ("implementation", "実装段階"),
)

YEAR_MIN = 2000
YEAR_MAX = 2100

#: Field names in the GeoPackage, in form order.
FIELD_NAMES: tuple[str, ...] = (
    "name",
    "domain",
    "phase",
    "vision",
    "initiatives",
    "kpi_outcome",
    "kpi_outcome_target",
    "kpi_outcome_unit",
    "kpi_outcome_year",
    "kpi_output",
    "kpi_output_target",
    "kpi_output_unit",
    "kpi_output_year",
    "lead_body",
    "notes",
    "created",
    "updated",
)

REQUIRED_FIELDS: tuple[str, ...] = ("name", "domain", "phase")
YEAR_FIELDS: tuple[str, ...] = ("kpi_outcome_year", "kpi_output_year")
TARGET_FIELDS: tuple[str, ...] = ("kpi_outcome_target", "kpi_output_target")

#: The two KPI kinds: (prefix, Japanese label).
KPI_KINDS: tuple[tuple[str, str], ...] = (("kpi_outcome", "アウトカム"), ("kpi_output", "アウトプット"))


def domain_label(code: str | None) -> str | None:
    """The Japanese label of a 分野 code (None for an unknown code)."""
    return dict(DOMAINS).get(code or "")


def phase_label(code: str | None) -> str | None:
    """The Japanese label of a 段階 code (None for an unknown code)."""
    return dict(PHASES).get(code or "")


def code_for_label(label: str, table: tuple[tuple[str, str], ...]) -> str | None:
    """The code whose label (or code) is ``label``; lets imports accept either."""
    for code, text in table:
        if label in (code, text):
            return code
    return None


@dataclass(frozen=True)
class Problem:
    """One reason a district record is not acceptable (English message, field name)."""

    field: str
    message: str


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_district(record: dict[str, Any]) -> list[Problem]:
    """Every problem with a district's attributes (empty list when it can be saved)."""
    problems = [Problem(name, f"{name} is required") for name in REQUIRED_FIELDS if _is_blank(record.get(name))]
    domain = record.get("domain")
    if not _is_blank(domain) and domain not in dict(DOMAINS):
        problems.append(Problem("domain", f"unknown domain code {domain!r}"))
    phase = record.get("phase")
    if not _is_blank(phase) and phase not in dict(PHASES):
        problems.append(Problem("phase", f"unknown phase code {phase!r}"))
    for name in YEAR_FIELDS:
        value = record.get(name)
        if _is_blank(value):
            continue
        try:
            year = int(value)
        except (TypeError, ValueError):
            problems.append(Problem(name, f"{name} is not a year: {value!r}"))
            continue
        if year != value and str(year) != str(value).strip():
            problems.append(Problem(name, f"{name} is not a whole year: {value!r}"))
        elif not YEAR_MIN <= year <= YEAR_MAX:
            problems.append(Problem(name, f"{name} must be between {YEAR_MIN} and {YEAR_MAX}: {year}"))
    for name in TARGET_FIELDS:
        value = record.get(name)
        if _is_blank(value):
            continue
        try:
            float(value)
        except (TypeError, ValueError):
            problems.append(Problem(name, f"{name} is not a number: {value!r}"))
    return problems
