"""MLIT people-flow import: exact published format, nested zips, bad rows, hostile archives."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest

from smartcity_qgis.analysis.peopleflow import (
    CSV_NAME,
    DAYFLAG_LABELS,
    TIMEZONE_LABELS,
    ArchiveLimits,
    PeopleFlowError,
    read_people_flow,
)

GOOD = (
    "mesh1kmid,prefcode,citycode,year,month,dayflag,timezone,population\r\n"
    "53394519,13,13101,2021,12,0,0,10745\r\n"
    "52373143,23,23202,2021,12,1,0,3120\r\n"
    "52373143,23,23202,2021,12,1,1,1480\r\n"
    "64414277,01,01101,2021,11,2,2,25000.5\r\n"
)
BAD = (
    "52373143,23,23202,2021,12,1\r\n"  # too few columns
    "52378143,23,23202,2021,12,1,0,40\r\n"  # 2nd-mesh digit 8
    "5237314,23,23202,2021,12,1,0,40\r\n"  # 7 digits
    "52373143,23,23202,2021,13,1,0,40\r\n"  # month 13
    "52373143,23,23202,2021,12,5,0,40\r\n"  # dayflag 5
    "52373143,23,23202,2021,12,1,7,40\r\n"  # timezone 7
    "52373143,23,23202,2021,12,1,0,abc\r\n"  # population
    "52373143,23,23202,2021,12,1,0,-3\r\n"  # negative
    "52373143,2x,23202,2021,12,1,0,40\r\n"  # prefcode
)


def write(path, text, bom=False):
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def nested_zip(path, csv_text):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(CSV_NAME, csv_text)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("23/2021/12/monthly_mdp_mesh1km.zip", inner.getvalue())
        z.writestr("23/2021/12/readme.txt", "人流オープンデータ")
    return path


def test_published_format_reads_codes_labels_and_population(tmp_path):
    table = read_people_flow(write(tmp_path / CSV_NAME, GOOD, bom=True))
    assert len(table) == 4 and not table.problems
    assert table.mesh.tolist() == [53394519, 52373143, 52373143, 64414277]
    assert table.prefcode == ["13", "23", "23", "01"]
    assert table.citycode == ["13101", "23202", "23202", "01101"]
    assert table.year.tolist() == [2021] * 4 and table.month.tolist() == [12, 12, 12, 11]
    assert table.population.tolist() == [10745, 3120, 1480, 25000.5]
    assert [DAYFLAG_LABELS[d] for d in table.dayflag] == ["休日", "平日", "平日", "全日"]
    assert [TIMEZONE_LABELS[t] for t in table.timezone] == ["昼", "昼", "深夜", "終日"]


def test_codes_without_zero_padding_are_padded(tmp_path):
    text = GOOD.splitlines()[0] + "\n64414277,1,1101,2021,11,2,2,25000\n"
    table = read_people_flow(write(tmp_path / "x.csv", text))
    assert table.prefcode == ["01"] and table.citycode == ["01101"]


def test_nested_zip_as_published(tmp_path):
    table = read_people_flow(nested_zip(tmp_path / "23_2021_12.zip", GOOD))
    assert len(table) == 4
    assert table.sources == ["23_2021_12.zip!23/2021/12/monthly_mdp_mesh1km.zip!monthly_mdp_mesh1km.csv"]


def test_malformed_rows_are_reported_not_fatal(tmp_path):
    table = read_people_flow(write(tmp_path / CSV_NAME, GOOD + BAD))
    assert len(table) == 4
    assert len(table.problems) == 9
    lines = sorted(p.line for p in table.problems)
    assert lines == list(range(6, 15))
    text = " | ".join(p.reason for p in table.problems)
    for needle in ("columns", "2nd-mesh", "8-digit", "month 13", "dayflag 5", "timezone 7", "abc", "-3", "prefcode"):
        assert needle in text, needle


def test_oversized_field_is_a_reported_row_and_reading_goes_on(tmp_path):
    # a field past the csv module's size limit (131072 characters)
    huge = "5" * 200_000
    text = GOOD + huge + ",23,23202,2021,12,1,0,40\r\n" + GOOD.splitlines()[2] + "\r\n"
    table = read_people_flow(write(tmp_path / CSV_NAME, text))
    assert len(table) == 5
    assert [(p.line, "field limit" in p.reason) for p in table.problems] == [(6, True)]
    header_only = write(tmp_path / "huge_header.csv", huge + "\n" + GOOD.splitlines()[1] + "\n")
    with pytest.raises(PeopleFlowError, match="unreadable header"):
        read_people_flow(header_only)


def test_many_files_and_filters(tmp_path):
    a = write(tmp_path / "a.csv", GOOD)
    b = nested_zip(tmp_path / "b.zip", GOOD)
    table = read_people_flow([a, b])
    assert len(table) == 8 and len(table.sources) == 2
    noon_weekday = table.filter(dayflags=[1], timezones=[0])
    assert noon_weekday.population.tolist() == [3120, 3120]
    assert np.all(table.filter(timezones=[1]).timezone == 1)


def test_not_a_people_flow_file(tmp_path):
    with pytest.raises(PeopleFlowError, match=r"not a monthly_mdp_mesh1km\.csv"):
        read_people_flow(write(tmp_path / "other.csv", "a,b,c\n1,2,3\n"))
    with pytest.raises(PeopleFlowError, match="no such file"):
        read_people_flow(tmp_path / "missing.csv")
    with pytest.raises(PeopleFlowError, match="empty file"):
        read_people_flow(write(tmp_path / "empty.csv", ""))
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(PeopleFlowError):
        read_people_flow(broken)


def test_zip_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(CSV_NAME, GOOD + "0" * 20_000_000)
    with pytest.raises(PeopleFlowError, match="zip bomb"):
        read_people_flow(bomb)
    with pytest.raises(PeopleFlowError, match="limit"):
        read_people_flow(nested_zip(tmp_path / "n.zip", GOOD), ArchiveLimits(max_total_bytes=100))
    with pytest.raises(PeopleFlowError, match="nested deeper"):
        read_people_flow(nested_zip(tmp_path / "d.zip", GOOD), ArchiveLimits(max_depth=1))


def test_path_traversal_names_are_skipped_and_reported(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../outside/" + CSV_NAME, GOOD)
        z.writestr("/abs/" + CSV_NAME, GOOD)
        z.writestr("ok/" + CSV_NAME, GOOD)
    table = read_people_flow(archive)
    assert len(table) == 4
    unsafe = [p for p in table.problems if "unsafe" in p.reason]
    assert len(unsafe) == 2
    assert not (tmp_path.parent / "outside").exists()


def test_shipped_demo_file_is_the_generator_output():
    from smartcity_qgis.analysis.mesh import mesh_parent
    from smartcity_qgis.demo import synthetic_peopleflow as synth

    assert synth.DEMO_ZIP.is_file()
    table = read_people_flow(synth.DEMO_ZIP)
    assert not table.problems and len(table) > 10_000
    assert set(table.prefcode) == {"23"} and set(table.citycode) == {"23202"}
    assert set(np.unique(mesh_parent(table.mesh, "1km", "80km"))) == {5237}
    with zipfile.ZipFile(synth.DEMO_ZIP) as outer, zipfile.ZipFile(io.BytesIO(outer.read(synth.INNER_PATH))) as inner:
        assert inner.read(CSV_NAME).decode("utf-8") == synth.synthetic_csv()
    weekday = table.filter(dayflags=[1])
    noon, night = weekday.filter(timezones=[0]), weekday.filter(timezones=[1])
    centre = 52373143  # 東岡崎 station and QURUWA
    assert noon.population[noon.mesh == centre].mean() > 2 * night.population[night.mesh == centre].mean()
    assert night.population.sum() > noon.population.sum() * 0.9  # residents sleep outside the centre
