"""Pilot district attributes and fact sheet arithmetic (pure)."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, box

from smartcity_qgis.analysis.district_facts import (
    UNAVAILABLE,
    area_ha,
    build_fact_sheet,
    count_by_type,
    hazard_exposure,
    kpi_table,
    population_by_area_share,
    stations_within,
    zone_epsg,
)
from smartcity_qgis.analysis.district_schema import (
    DOMAINS,
    PHASES,
    code_for_label,
    domain_label,
    phase_label,
    validate_district,
)


def test_code_lists_follow_the_guidebook():
    assert [label for _c, label in DOMAINS] == [
        "環境・エネルギー",
        "防災",
        "インフラ維持管理",
        "健康・医療",
        "物流",
        "モビリティ",
        "都市計画・整備",
        "セキュリティ・見守り",
        "観光・地域活性化",
        "行政",
        "その他",
    ]
    assert [label for _c, label in PHASES] == [
        "初動段階",
        "準備段階",
        "計画(戦略)作成段階",
        "実証段階",
        "実装段階",
    ]
    codes = [c for c, _l in DOMAINS + PHASES]
    assert len(set(codes)) == len(codes) and all(c.isascii() for c in codes)
    assert domain_label("urban_planning") == "都市計画・整備"
    assert phase_label("demonstration") == "実証段階"
    assert code_for_label("防災", DOMAINS) == "disaster_prevention"
    assert domain_label("nonsense") is None


def test_validation_requires_name_domain_phase_and_plausible_years():
    ok = {"name": "QURUWA", "domain": "urban_planning", "phase": "demonstration", "kpi_outcome_year": 2030}
    assert validate_district(ok) == []
    problems = {p.field for p in validate_district({"name": "  ", "domain": None, "phase": "x"})}
    assert problems == {"name", "domain", "phase"}
    for year in (1999, 2101, "20x0", 2030.5):
        assert [p.field for p in validate_district({**ok, "kpi_output_year": year})] == ["kpi_output_year"], year
    assert validate_district({**ok, "kpi_output_year": 2000, "kpi_outcome_year": 2100}) == []
    assert [p.field for p in validate_district({**ok, "kpi_outcome_target": "many"})] == ["kpi_outcome_target"]


def test_zone_for_okazaki_is_zone_vii():
    assert zone_epsg(137.165, 34.955) == 6675
    assert zone_epsg(139.745, 35.658) == 6677  # Tokyo: IX


def test_area_of_a_square():
    assert area_ha(box(0, 0, 500, 400)) == pytest.approx(20.0)


def test_population_split_by_area_share():
    district = box(0, 0, 1000, 1000)
    cells = [
        (box(500, 0, 1500, 1000), 1000.0),  # half inside -> 500
        (box(0, 0, 250, 1000), 80.0),  # entirely inside -> 80
        (box(2000, 0, 3000, 1000), 5000.0),  # outside -> 0
        (box(0, 0, 1000, 1000), None),  # unpublished cell: ignored
    ]
    assert population_by_area_share(district, cells) == pytest.approx(580.0)
    assert population_by_area_share(district, []) is None
    assert population_by_area_share(district, [(box(0, 0, 1, 1), None)]) is None


def test_hazard_exposure_by_rank_counts_overlaps_once():
    district = box(0, 0, 100, 100)
    zones = [
        (box(0, 0, 50, 100), 2),
        (box(25, 0, 75, 100), 2),
        (box(75, 0, 200, 100), 3),
        (box(500, 0, 600, 1), 4),
    ]
    assert hazard_exposure(district, zones) == {2: pytest.approx(7500.0), 3: pytest.approx(2500.0)}


def test_nested_hazard_bands_count_once_at_the_deepest_rank():
    district = box(0, 0, 100, 100)
    zones = [(box(-50, -50, 150, 150), 1), (box(0, 0, 50, 100), 2), (box(0, 0, 20, 100), 3)]
    exposure = hazard_exposure(district, zones)
    assert exposure == {1: pytest.approx(5000.0), 2: pytest.approx(3000.0), 3: pytest.approx(2000.0)}
    assert sum(exposure.values()) == pytest.approx(district.area)


def test_counts_and_stations():
    district = box(0, 0, 100, 100)
    points = [
        (Point(10, 10), "WaterObserved"),
        (Point(50, 50), "Device"),
        (Point(20, 20), "Device"),
        (Point(500, 500), "Device"),
    ]
    assert count_by_type(district, points) == {"Device": 2, "WaterObserved": 1}
    stations = stations_within(
        district, [(Point(150, 50), "明大寺", 3), (Point(50, 50), "中", None), (Point(2000, 0), "遠", 1)], 100
    )
    assert [(s.name, s.distance_m, s.alert_level) for s in stations] == [
        ("中", 0.0, None),
        ("明大寺", 50.0, 3),
    ]


def test_fact_sheet_marks_missing_inputs_unavailable():
    attrs = {
        "name": "QURUWA地区",
        "domain": "urban_planning",
        "phase": "demonstration",
        "kpi_outcome": "来街者数",
        "kpi_outcome_target": 1.2,
        "kpi_outcome_unit": "万人/日",
        "kpi_outcome_year": 2030,
    }
    rows = {r.key: r for r in build_fact_sheet(attrs, 12.5, 6675)}
    assert rows["domain"].value == "都市計画・整備"
    assert rows["area_ha"].value == "12.50" and rows["area_ha"].unit == "ha"
    for key in ("population_day", "population_night", "hazard", "entities", "river_stations", "lead_body"):
        assert rows[key].value == UNAVAILABLE, key
    assert "来街者数" in rows["kpi_アウトカム"].value and "2030年" in rows["kpi_アウトカム"].value
    assert UNAVAILABLE in rows["kpi_アウトプット"].value
    kpis = kpi_table(attrs)
    assert (kpis[0].indicator, kpis[0].target, kpis[0].unit, kpis[0].year) == (
        "来街者数",
        "1.2",
        "万人/日",
        "2030年",
    )
    assert kpis[1].indicator == UNAVAILABLE


def test_alert_level_wording():
    from smartcity_qgis.analysis.district_facts import alert_level_text

    assert [alert_level_text(v) for v in (None, 0, 2, 5)] == [
        UNAVAILABLE,
        "水防団待機水位未満",
        "警戒レベル2",
        "警戒レベル5",
    ]


def test_fact_sheet_with_known_contents():
    rows = build_fact_sheet(
        {"name": "A", "domain": "disaster_prevention", "phase": "initial"},
        100.0,
        6675,
        population={"day": 1234.4, "night": None},
        hazard={2: 250_000.0},
        entity_counts={"Device": 0},
        stations=[],
        station_distance_m=500,
    )
    by_key = {r.key: r.value for r in rows}
    assert by_key["population_day"] == "1,234"
    assert by_key["population_night"] == UNAVAILABLE
    assert by_key["hazard_total"] == "25.00" and by_key["hazard_share"] == "25.0"
    assert by_key["hazard_rank_2"] == "25.00"
    assert by_key["entities_total"] == "0" and by_key["entities:Device"] == "0"
    assert by_key["river_stations"] == "0"


def test_kpi_targets_print_with_thousands_separators():
    from smartcity_qgis.analysis.district_facts import format_quantity

    assert [format_quantity(v) for v in (12000, 1234567, 0.5, 1234.25, 1.2, -3000, 1e7)] == [
        "12,000",
        "1,234,567",
        "0.5",
        "1,234.25",
        "1.2",
        "-3,000",
        "10,000,000",
    ]
    assert kpi_table({"kpi_outcome": "来街者数", "kpi_outcome_target": 12000})[0].target == "12,000"
