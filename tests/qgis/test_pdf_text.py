"""PDF text layers read as the characters written (人流, not the Kangxi radical ⼈流)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from qgis.core import QgsPrintLayout, QgsProject
from qgis.PyQt.QtGui import QImage

from smartcity_qgis.export.figure import export_layout
from smartcity_qgis.export.layout_items import FONT_FAMILY, add_label, add_page
from smartcity_qgis.export.pdf_text import font_aliases, repair_cmap, repair_pdf_text

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is needed")

# Characters whose glyphs Noto Sans CJK JP shares with a radical or Western punctuation.
WRITTEN = [
    "人流・浸水想定・河川水位",
    "大平 日本 水防団待機水位",
    "出典：国土数値情報 ／ 合成データ",
    "〈計画〉 長 見 行",
]


def _layout() -> QgsPrintLayout:
    layout = QgsPrintLayout(QgsProject.instance())
    layout.initializeDefaults()
    layout.pageCollection().clear()
    page = add_page(layout, "A4", "portrait")
    for i, text in enumerate(WRITTEN):
        add_label(layout, text, page, (20, 20 + 15 * i, 170, 12), size=14)
    return layout


def _text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode("utf-8")


def test_exported_pdf_extracts_the_characters_written(qgis_app, tmp_path):
    path = export_layout(_layout(), tmp_path / "figure.pdf", "pdf")
    text = _text(path)
    for line in WRITTEN:
        assert line in text
    assert not [c for c in text if 0x2E80 <= ord(c) <= 0x2FDF]


def test_the_repair_changes_only_the_text_layer(qgis_app, tmp_path, monkeypatch):
    import smartcity_qgis.export.figure as figure

    monkeypatch.setattr(figure, "repair_pdf_text", lambda *a, **k: 0)
    raw = export_layout(_layout(), tmp_path / "raw.pdf", "pdf")
    before = raw.read_bytes()
    # What Qt alone writes: the fault this module exists for (if Qt ever fixes it, this tells).
    assert "⼈" in _text(raw) or "‧" in _text(raw)
    changed = repair_pdf_text(raw, [FONT_FAMILY])
    after = raw.read_bytes()
    assert changed > 0
    assert after.startswith(before), "an incremental update: what QGIS wrote stays byte for byte"
    for line in WRITTEN:
        assert line in _text(raw)
    images = []
    for name, data in (("a", before), ("b", after)):
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", str(pdf), str(tmp_path / name)], check=True)
        images.append(QImage(str(tmp_path / f"{name}.png")))
    assert images[0] == images[1], "the page looks exactly as before"
    assert repair_pdf_text(raw, [FONT_FAMILY]) == 0, "a repaired file needs no second repair"
    assert raw.read_bytes() == after


def test_font_aliases_prefer_ideographs_and_kana(qgis_app):
    aliases = font_aliases([FONT_FAMILY])
    table = next(iter(aliases.values()))
    assert table[0x2F08] == 0x4EBA  # ⼈ → 人
    assert table[0x2F54] == 0x6C34  # ⽔ → 水
    assert table[0x2027] == 0x30FB  # ‧ → ・
    assert all(cp >= 0x2000 for cp in table), "Latin and other scripts are never remapped"


def test_repair_cmap_handles_bfchar_and_bfrange_forms():
    better = {0x2F08: 0x4EBA, 0x2027: 0x30FB}
    cmap = (
        b"2 beginbfchar\n<0003> <2F08>\n<0004> <0041>\nendbfchar\n"
        b"2 beginbfrange\n<0001> <0002> [<2027> <5CA1>]\n<0005> <0005> <2F08>\n<0006> <0008> <2F07>\nendbfrange\n"
    )
    fixed, changed = repair_cmap(cmap, better)
    assert changed == 3
    assert b"<0003> <4EBA>" in fixed and b"<0004> <0041>" in fixed
    assert b"[<30FB> <5CA1>]" in fixed and b"<0005> <0005> <4EBA>" in fixed
    assert b"<0006> <0008> <2F07>" in fixed, "a multi-code range keeps its consecutive destinations"
