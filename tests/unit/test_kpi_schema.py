"""KPI definitions: validation messages a planner can act on, and the stored-value signature."""

from __future__ import annotations

from smartcity_qgis.analysis.kpi_schema import KnownTypes, KpiDefinition, validate_kpi


def _fields(problems) -> set[str]:
    return {p.field for p in problems}


def test_a_complete_city_os_kpi_passes():
    kpi = KpiDefinition(
        1, "歩行者通行量（休日）", method="cityos", entity_type="CrowdFlowObserved", attribute="peopleCount",
        days="holiday", hour_from=10, hour_to=18, target=10, target_type="change_pct", target_year=2030,
    )  # fmt: skip
    known = KnownTypes({"CrowdFlowObserved": {"peopleCount", "name"}})
    assert validate_kpi(kpi) == []
    assert validate_kpi(kpi, known) == []


def test_unknown_type_or_attribute_and_empty_fields_are_named():
    kpi = KpiDefinition(1, " ", method="cityos", entity_type="CrowdFlow", attribute="people count")
    problems = validate_kpi(kpi, KnownTypes({"CrowdFlowObserved": {"peopleCount"}}))
    assert _fields(problems) == {"name", "entity_type", "attribute"}
    typo = KpiDefinition(1, "利用率", method="cityos", entity_type="OffStreetParking", attribute="availableSpots")
    messages = [p.message for p in validate_kpi(typo, KnownTypes({"OffStreetParking": {"availableSpotNumber"}}))]
    assert messages == ["OffStreetParking has no attribute 'availableSpots'"]
    missing = validate_kpi(KpiDefinition(1, "x", method="cityos"))
    assert _fields(missing) == {"entity_type", "attribute"}


def test_codes_hours_years_and_shares():
    kpi = KpiDefinition(
        1, "x", kind="impact", direction="up", method="cityos", entity_type="A", attribute="b",
        transform="occupancy", per="year", how="median", days="sunday", hour_from=10, target_year=1999,
    )  # fmt: skip
    assert _fields(validate_kpi(kpi)) == {
        "kind", "direction", "per", "how", "days", "hours", "target_year", "denominator",
    }  # fmt: skip
    assert _fields(validate_kpi(KpiDefinition(1, "x", hour_from=18, hour_to=18))) == {"hours"}
    assert _fields(validate_kpi(KpiDefinition(1, "x", method="events", event_level=6))) == {"event_level"}
    assert _fields(validate_kpi(KpiDefinition(1, "x", method="telepathy"))) == {"method"}


def test_signature_changes_with_how_it_is_measured_only():
    kpi = KpiDefinition(1, "x", method="cityos", entity_type="A", attribute="b", days="holiday")
    assert kpi.signature() == kpi.copy(name="y", target=5, notes="memo").signature()
    assert kpi.signature() != kpi.copy(days="all").signature()
    assert kpi.signature() != kpi.copy(hour_from=10, hour_to=18).signature()
    assert KpiDefinition(1, "x").signature() == "manual"


def test_rows_round_trip():
    kpi = KpiDefinition(3, "満足度", people=True, hour_from=9, hour_to=17, target=4.5, fid=7)
    row = kpi.to_row()
    assert row["people"] == 1
    back = KpiDefinition.from_row({**row, "unit": None, "extra": "ignored"})
    assert back == kpi.copy(unit="")


def test_people_counts_are_recognised_for_the_k_rule():
    count = KpiDefinition(1, "x", method="cityos", entity_type="CrowdFlowObserved", attribute="peopleCount")
    assert count.counts_people  # even when the definition forgot to say so
    assert not count.copy(transform="share", denominator="capacity").counts_people  # a percentage
    assert not KpiDefinition(1, "x", method="cityos", entity_type="P", attribute="availableSpotNumber").counts_people
    assert KpiDefinition(1, "x", method="mesh").counts_people
    assert KpiDefinition(1, "x", method="events", people=False).counts_people is False
