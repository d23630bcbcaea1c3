"""metadata.txt holds everything the official plugin repository asks for."""

import configparser

from tests.conftest import REPO

REQUIRED = [
    "name",
    "qgisMinimumVersion",
    "description",
    "about",
    "version",
    "author",
    "email",
    "tracker",
    "repository",
    "homepage",
    "tags",
    "category",
    "icon",
    "changelog",
    "license",
]


def read_metadata() -> configparser.SectionProxy:
    cfg = configparser.RawConfigParser()
    cfg.optionxform = str
    cfg.read(REPO / "metadata.txt", encoding="utf-8")
    return cfg["general"]


def test_required_fields_present_and_filled():
    meta = read_metadata()
    missing = [key for key in REQUIRED if not meta.get(key, "").strip()]
    assert not missing, f"metadata.txt lacks {missing}"


def test_values_match_the_design():
    meta = read_metadata()
    assert meta["name"] == "SmartCity QGIS"
    assert meta["qgisMinimumVersion"] == "3.22"
    assert meta["author"] == "SmartCity QGIS contributors"
    assert meta["license"] == "GPL-2.0-or-later"
    assert meta["hasProcessingProvider"] == "yes"
    assert (REPO / meta["icon"]).is_file()
    assert "GNU GENERAL PUBLIC LICENSE" in (REPO / "LICENSE").read_text()


def test_english_and_japanese_texts():
    meta = read_metadata()
    japanese = any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in meta["about"])
    assert japanese, "about must also speak Japanese"
    assert "city OS" in meta["about"]
    assert meta.get("description[ja]")
