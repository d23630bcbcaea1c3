"""The built zip installs and runs in the real QGIS desktop (Xvfb)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import DesktopRun

EXPECTED_DOCKS = {"SmartCityHomeDock"}


@pytest.fixture(scope="module")
def english(run_desktop) -> DesktopRun:
    return run_desktop("en", locale="en_US")


@pytest.fixture(scope="module")
def japanese(run_desktop) -> DesktopRun:
    return run_desktop("ja", locale="ja", extra=Path(__file__).with_name("live_probe.py"))


def has_japanese(text: str) -> bool:
    return any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text)


def test_plugin_loads_from_the_zip(english):
    start = english.report["steps"]["startup"]
    assert start["loaded"] and start["active"]
    assert start["menus"] == ["SmartCity"]
    assert start["toolbars"] == 1
    assert set(start["docks"]) >= EXPECTED_DOCKS
    assert start["providers"] == 1
    assert english.report["errors"] == []


def test_unload_and_reload_three_times_leaves_no_duplicates(english):
    steps = english.report["steps"]
    start = steps["startup"]
    for i in range(3):
        gone = steps[f"unloaded_{i}"]
        assert gone["menus"] == [] and gone["toolbars"] == 0 and gone["providers"] == 0
        assert gone["docks"] == []
        for key in (f"reloaded_{i}", f"reload_plugin_{i}"):
            again = steps[key]
            assert again["menus"] == start["menus"]
            assert again["toolbars"] == 1 and again["providers"] == 1
            assert again["docks"] == start["docks"]
            assert again["algorithms"] == start["algorithms"]
    assert english.report["errors"] == []


def test_screenshot_saved(english):
    shot = english.artifacts / "main_window.png"
    assert shot.exists() and shot.stat().st_size > 10_000


def test_japanese_desktop_shows_japanese_menu(japanese):
    start = japanese.report["steps"]["startup"]
    assert start["menus"] == ["スマートシティ"]
    assert start["menu_entries"] and all(has_japanese(t) for t in start["menu_entries"])
    assert japanese.report["errors"] == []


def test_live_river_stations_from_the_demo_city_os(japanese):
    live = japanese.report["live"]
    assert "error" not in live, live.get("error")
    assert live["features"] > 0 and live["layer"] in live["canvas_layers"]
    assert live["renderer"] == "RuleRenderer", "stations coloured by 警戒レベル"
    assert live["hazard_layers"] and set(live["hazard_layers"]) <= set(live["canvas_layers"])
    assert live["after"] != live["before"], "the live value changed on the map"
    assert live["same_fid"] and live["features_after"] == live["features"], "changed in place"
    assert (japanese.artifacts / "live_layer_updated.png").stat().st_size > 10_000
    assert japanese.report["errors"] == []


def test_after_reopening_the_project_crossings_are_still_announced_and_logged(japanese):
    reopen = japanese.report["live"].get("error") or japanese.report.get("reopen")
    assert isinstance(reopen, dict), reopen
    assert reopen["saved"] and reopen["read"] and reopen["log_file"]
    before, after = reopen["before"], reopen["after"]
    assert before and after[: len(before)] == before, "earlier log entries are still there"
    assert any(row[0] == reopen["other"] for row in after[len(before) :]), "the new crossing is logged"
    assert any(reopen["other_name"] in text for text in reopen["told"]), "and announced"


def test_a_city_os_going_down_and_back_is_told_once_each_way(japanese):
    offline = japanese.report.get("offline")
    assert isinstance(offline, dict), japanese.report["live"].get("error")
    names = {name for name, _back in offline["said"]}
    assert len(names) == 1 and [back for _name, back in offline["said"]] == [False, True], offline["said"]
    [down] = [t for t in offline["bar_down"] if "接続できません" in t]
    assert "JST" in down and "HTTPConnectionPool" not in down and "Task failed" not in " ".join(offline["bar_down"])
    assert offline["icon_down"] and "オフライン" in offline["tooltip"]
    assert offline["name_down"] == offline["name_back"] and "オフライン" not in offline["name_down"]
    assert [t for t in offline["bar_back"] if "再接続しました" in t]
    assert down not in offline["bar_back"], "the offline message is taken down"
    assert japanese.report["errors"] == []
    assert (japanese.artifacts / "offline.png").stat().st_size > 10_000
