"""Layer names become safe file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartcity_qgis.export.file_names import safe_file_name, unique_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a/b", "a_b"),
        ("../../etc/passwd", "etc_passwd"),
        ("..", "layer"),
        ("人流（2024年12月）", "人流（2024年12月）"),
        ("洪水浸水想定区域 / 想定最大規模", "洪水浸水想定区域_想定最大規模"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("", "layer"),
        ("a..b", "a_b"),
        ('x:y*z?"<>|\\\t', "x_y_z"),
        (".hidden", "hidden"),
    ],
)
def test_safe_names(name, expected):
    assert safe_file_name(name) == expected


def test_safe_names_stay_inside_the_folder(tmp_path):
    for name in ("../x", "/etc/x", "a/../../b", "..\\..\\c", "日本語/../../..", "x" * 400, "あ" * 100):
        safe = safe_file_name(name)
        target = (tmp_path / safe).resolve()
        assert target.parent == tmp_path.resolve(), name
        assert len(safe.encode("utf-8")) <= 120
        target.write_text("ok", encoding="utf-8")  # really creatable
        assert Path(target).read_text(encoding="utf-8") == "ok"


def test_unique_names():
    assert unique_name("a", {"b"}) == "a"
    assert unique_name("a", {"A", "a_2"}) == "a_3"
