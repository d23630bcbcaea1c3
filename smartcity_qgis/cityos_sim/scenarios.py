"""Scenarios fill the store and move values along the scenario clock: choose one by name."""

from __future__ import annotations

from typing import Any

from smartcity_qgis.cityos_sim.okazaki import OkazakiScenario
from smartcity_qgis.cityos_sim.scenario_records import Scenario
from smartcity_qgis.cityos_sim.synthetic import SyntheticScenario


def make_scenario(name: str, **options: Any) -> Scenario:
    """``okazaki`` (demo city, two tenants) or ``synthetic`` (scale)."""
    if name == "okazaki":
        return OkazakiScenario(**options)
    if name == "synthetic":
        return SyntheticScenario(**options)
    raise ValueError(f"unknown scenario {name!r}: use 'okazaki' or 'synthetic'")
