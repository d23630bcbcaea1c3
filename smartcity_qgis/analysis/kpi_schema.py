"""KPI definitions of a pilot district: what is measured, how, and against which target.

A district has any number of KPIs (アウトカム or アウトプット). Each is measured one way:

* ``cityos`` — an attribute of the city-OS entities inside the district (``entity_type`` and
  ``attribute``, e.g. ``CrowdFlowObserved`` / ``peopleCount``), optionally as a share of
  another attribute (``transform`` ``share``: 100 × a ÷ b; ``occupancy``: 100 × (1 − a ÷ b),
  e.g. 駐車場利用率 from ``availableSpotNumber`` and ``totalSpotNumber``);
* ``mesh`` — people on a people-flow mesh layer, cells shared by the area inside the district;
* ``events`` — the number of 警戒レベル crossings of river gauges in or near the district;
* ``manual`` — values typed in per period (e.g. 市民満足度).

Stable ASCII codes are stored, Japanese labels are shown (as for the district's 分野 and 段階).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from smartcity_qgis.analysis.district_schema import YEAR_MAX, YEAR_MIN
from smartcity_qgis.analysis.kpi import DAYS, HOWS, PERS, STATS

KINDS: tuple[tuple[str, str], ...] = (("outcome", "アウトカム"), ("output", "アウトプット"))
DIRECTIONS: tuple[tuple[str, str], ...] = (("higher", "大きいほど良い"), ("lower", "小さいほど良い"))
TARGET_TYPES: tuple[tuple[str, str], ...] = (("value", "目標値"), ("change_pct", "基準期間からの増減率（％）"))
METHODS: tuple[tuple[str, str], ...] = (
    ("cityos", "都市OSの属性（地区内のエンティティ）"),
    ("mesh", "人流メッシュ（面積按分）"),
    ("events", "イベント数（警戒レベルの上昇）"),
    ("manual", "手入力"),
)
TRANSFORMS: tuple[tuple[str, str], ...] = (
    ("", "そのまま"),
    ("share", "割合（値÷分母×100）"),
    ("occupancy", "利用率（(1−値÷分母)×100）"),
)
PER_LABELS: tuple[tuple[str, str], ...] = (("day", "日"), ("week", "週"), ("month", "月"))
HOW_LABELS: tuple[tuple[str, str], ...] = (("sum", "合計"), ("mean", "平均"), ("max", "最大"), ("count", "件数"))
STAT_LABELS: tuple[tuple[str, str], ...] = (
    ("mean", "平均"),
    ("median", "中央値"),
    ("sum", "合計"),
    ("max", "最大"),
    ("min", "最小"),
)
DAY_LABELS: tuple[tuple[str, str], ...] = (("all", "全日"), ("weekday", "平日"), ("holiday", "土日祝"))

# Attribute names that count people: the k rule applies even when the definition does not say so.
PEOPLE_WORDS = ("people", "person", "pedestrian", "visitor", "crowd", "headcount", "population")

# NGSI names: letters, digits and a few punctuation marks, no spaces or quotes (Orion's rule).
_NGSI_NAME = re.compile(r"^[A-Za-z0-9_:.\-]{1,256}$")


@dataclass
class KpiDefinition:
    """One KPI of one district, as stored in the ``district_kpis`` table."""

    district_fid: int
    name: str
    kind: str = "outcome"
    unit: str = ""
    target: float | None = None
    target_type: str = "value"
    target_year: int | None = None
    direction: str = "higher"
    method: str = "manual"
    entity_type: str = ""
    attribute: str = ""
    denominator: str = ""
    transform: str = ""
    per: str = "day"
    how: str = "sum"
    stat: str = "mean"
    days: str = "all"
    hour_from: int | None = None
    hour_to: int | None = None
    people: bool = False
    source_layer: str = ""
    mesh_field: str = ""
    event_level: int = 3
    distance_m: float = 500.0
    notes: str = ""
    sort_order: int = 0
    fid: int | None = None
    created: str | None = None
    updated: str | None = None

    @property
    def hours(self) -> tuple[int, int] | None:
        """(from, to) hours of the day (JST), or None for the whole day."""
        if self.hour_from is None or self.hour_to is None:
            return None
        return int(self.hour_from), int(self.hour_to)

    @property
    def counts_people(self) -> bool:
        """Whether the values are numbers of people (so the k = 10 rule applies): said so, or a people
        attribute (``peopleCount``...), or the people-flow mesh; a share in percent is not a count."""
        if self.method == "mesh":
            return True
        if self.transform:
            return False
        name = (self.attribute or "").lower()
        return bool(self.people) or (self.method == "cityos" and any(word in name for word in PEOPLE_WORDS))

    @property
    def higher_is_better(self) -> bool:
        return self.direction != "lower"

    def signature(self) -> str:
        """What the stored values depend on: values measured another way are not mixed in."""
        if self.method == "manual":
            return "manual"
        parts = [self.method]
        if self.method == "cityos":
            parts += [self.entity_type, self.attribute, self.transform, self.denominator, self.how]
        elif self.method == "mesh":
            parts += [self.source_layer, self.mesh_field]
        else:
            parts += [self.source_layer, str(self.event_level), f"{float(self.distance_m):g}"]
        parts += [self.days, "" if self.hours is None else f"{self.hours[0]}-{self.hours[1]}"]
        return "|".join(parts)

    def to_row(self) -> dict[str, Any]:
        """Column name -> value for the GeoPackage (booleans as 0/1)."""
        row = asdict(self)
        row["people"] = 1 if self.people else 0
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> KpiDefinition:
        """A definition from a table row; unknown columns are ignored, NULL text becomes ''."""
        names = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for name, spec in names.items():
            if name not in row:
                continue
            value = row[name]
            if value is None and spec.default == "":
                value = ""
            values[name] = value
        kpi = cls(**values)
        kpi.people = bool(kpi.people)
        return kpi

    def copy(self, **changes: Any) -> KpiDefinition:
        return replace(self, **changes)


#: Column order of the ``district_kpis`` table (without the fid).
KPI_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(KpiDefinition) if f.name != "fid")


@dataclass(frozen=True)
class KpiProblem:
    """One reason a KPI definition is not acceptable (English message, field name)."""

    field: str
    message: str


@dataclass
class KnownTypes:
    """Entity types of a city OS and their attributes, to check a definition against."""

    attributes: dict[str, set[str]] = field(default_factory=dict)


def _codes(table: tuple[tuple[str, str], ...]) -> set[str]:
    return {code for code, _label in table}


def label_of(code: str | None, table: tuple[tuple[str, str], ...]) -> str:
    """The Japanese label of a code ('' when unknown)."""
    return dict(table).get(code or "", "")


def validate_kpi(kpi: KpiDefinition, known: KnownTypes | None = None) -> list[KpiProblem]:
    """Every problem with a definition (empty list when it can be saved and measured)."""
    problems: list[KpiProblem] = []

    def bad(name: str, message: str) -> None:
        problems.append(KpiProblem(name, message))

    if not (kpi.name or "").strip():
        bad("name", "a KPI needs a name")
    for name, table in (("kind", KINDS), ("direction", DIRECTIONS), ("target_type", TARGET_TYPES)):
        if getattr(kpi, name) not in _codes(table):
            bad(name, f"unknown {name} {getattr(kpi, name)!r}")
    if kpi.method not in _codes(METHODS):
        bad("method", f"unknown method {kpi.method!r}")
    if kpi.target is not None:
        try:
            float(kpi.target)
        except (TypeError, ValueError):
            bad("target", f"the target is not a number: {kpi.target!r}")
    if kpi.target_year is not None and not (
        isinstance(kpi.target_year, int) and YEAR_MIN <= kpi.target_year <= YEAR_MAX
    ):
        bad("target_year", f"the target year must be between {YEAR_MIN} and {YEAR_MAX}: {kpi.target_year!r}")
    for name, allowed in (("per", PERS), ("how", HOWS), ("stat", STATS), ("days", DAYS)):
        if getattr(kpi, name) not in allowed:
            bad(name, f"{name} must be one of {', '.join(allowed)}")
    if (kpi.hour_from is None) != (kpi.hour_to is None):
        bad("hours", "give both hours (from and to) or neither")
    elif kpi.hours is not None:
        first, last = kpi.hours
        if not (0 <= first <= 23 and 1 <= last <= 24) or first == last:
            bad("hours", f"hours must lie in 0–24 and differ: {first}–{last}")
    if kpi.method == "cityos":
        _validate_cityos(kpi, known, bad)
    elif kpi.method == "mesh" and kpi.how == "count":
        bad("how", "people on a mesh are summed, averaged or maxed, not counted")
    elif kpi.method == "events":
        if not 1 <= int(kpi.event_level or 0) <= 5:
            bad("event_level", f"the 警戒レベル must be 1–5: {kpi.event_level!r}")
        if kpi.distance_m is None or float(kpi.distance_m) < 0:
            bad("distance_m", "the distance must not be negative")
    return problems


def _validate_cityos(kpi: KpiDefinition, known: KnownTypes | None, bad) -> None:
    for name in ("entity_type", "attribute"):
        value = (getattr(kpi, name) or "").strip()
        if not value:
            bad(name, f"{name} is required for a city-OS KPI")
        elif not _NGSI_NAME.match(value):
            bad(name, f"{name} {value!r} is not an NGSI name")
    if kpi.transform not in _codes(TRANSFORMS):
        bad("transform", f"unknown transform {kpi.transform!r}")
    elif kpi.transform and not (kpi.denominator or "").strip():
        bad("denominator", "a share needs the attribute to divide by")
    if known is None or not kpi.entity_type:
        return
    if kpi.entity_type not in known.attributes:
        bad("entity_type", f"the city OS has no entity type {kpi.entity_type!r}")
        return
    attrs = known.attributes[kpi.entity_type]
    for name in ("attribute", "denominator"):
        value = getattr(kpi, name)
        if value and attrs and value not in attrs:
            bad(name, f"{kpi.entity_type} has no attribute {value!r}")


@dataclass
class KpiValue:
    """One stored figure of a KPI: a period (JST days, inclusive), its value and where it came from.

    ``value`` is None for a period left out by the k rule (``note`` says so); ``total`` is the sum
    of the raw values behind it (people, for people counts), kept for the rule on weeks and months.
    """

    period: str
    start: str
    end: str
    value: float | None
    n_obs: int = 0
    n_days: int = 0
    total: float | None = None
    source: str = ""
    computed_at: str = ""
    signature: str = ""
    note: str = ""
