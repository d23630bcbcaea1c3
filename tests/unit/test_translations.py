"""Every user-visible string has a finished Japanese translation."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import REPO

# Proper names that read the same in Japanese.
UNTRANSLATED = {
    "QGIS {0}",
    "NGSI-v2",
    "NGSI-LD",
    "GeoPackage",
    "GeoJSON",
    "KML",
    "CSV",
    "PDF",
    "PNG",
    "SVG",
    "MQTT",
    "HTTP",
    "URL",
    "@context",
    "A4",
    "A3",
    "OAuth2",
    "JSON",
    "WKT",
    "X/Y",
}
TS = REPO / "i18n" / "smartcity_qgis_ja.ts"


def sources() -> list[str]:
    """The plugin's Python files (as scripts/i18n.sh lists them for pylupdate5)."""
    skip = {".venv", ".cache", "tests", "dist", "build", "scripts", ".git", "demo-output"}
    found = []
    for top in REPO.iterdir():
        if top.name in skip:  # .cache holds a whole Debian root: never walk it
            continue
        if top.is_file() and top.suffix == ".py":
            found.append(top.name)
        elif top.is_dir():
            found.extend(str(p.relative_to(REPO)) for p in top.rglob("*.py"))
    return sorted(found)


def messages(ts_path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts_path).getroot()
    return {
        (ctx.findtext("name"), msg.findtext("source")): msg.find("translation")
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    }


def test_committed_translation_is_complete():
    unfinished = [
        source
        for (_ctx, source), tr in messages(TS).items()
        if tr.get("type") in ("unfinished", "obsolete", "vanished") or not (tr.text or "").strip()
    ]
    assert not unfinished, f"{len(unfinished)} unfinished Japanese translations, e.g. {unfinished[:5]}"


@pytest.mark.skipif(shutil.which("pylupdate5") is None, reason="pylupdate5 comes with pyqt5-dev-tools (make deps)")
def test_every_string_in_the_sources_is_in_the_ts(tmp_path):
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        ["pylupdate5", "-noobsolete", *sources(), "-ts", str(fresh)], cwd=REPO, check=True, capture_output=True
    )
    wanted = set(messages(fresh))
    have = set(messages(TS))
    missing = sorted(wanted - have)
    assert not missing, f"run `make i18n` and translate: {[s for _c, s in missing[:10]]}"
    assert all(ctx == "@default" for ctx, _ in wanted), "use smartcity_qgis.i18n.tr, never self.tr"


def test_translations_look_japanese():
    for (_ctx, source), tr in messages(TS).items():
        text = tr.text or ""
        # Acronym-only labels ("MQTT URL", "CSV") read the same in Japanese.
        words = re.search(r"[a-z]{3,}", source)
        if words and source.strip() not in UNTRANSLATED:
            assert any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text), (source, text)
        assert source.count("{") == text.count("{"), f"placeholders differ: {source!r} -> {text!r}"
