"""Issue 9.3: a corpus of nasty inputs for every pure parser, each with the exact outcome it must have.

Each input is either refused with an error saying why (the words are checked) or read, and then
what was read is checked (values kept whole, bad rows listed with their reason). Nothing hangs
(a per-test timeout), nothing crashes with another exception type, memory stays bounded (checked
for the archive bombs). The number of inputs tried goes to the README (``record_reliability``).
"""

from __future__ import annotations

import io
import math
import resource
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from smartcity_qgis.analysis.peopleflow import PeopleFlowError, read_people_flow
from smartcity_qgis.analysis.river import StationTableError, read_station_table
from smartcity_qgis.cityos_client import Entity, InvalidEntityError, parse_entity, parse_notification
from smartcity_qgis.cityos_client.parse_common import DEFAULT_OPTIONS
from tests.conftest import record_reliability

HEADER = b"mesh1kmid,prefcode,citycode,year,month,dayflag,timezone,population\n"
GOOD_ROW = b"52372533,23,23202,2023,4,1,0,1234\n"


def _deep(levels: int) -> dict:
    node: dict = {"value": 1}
    for _ in range(levels):
        node = {"value": node, "type": "StructuredValue"}
    return node


class Rejected(NamedTuple):
    """The input is refused with an error whose message contains ``words``."""

    words: str


Check = Callable[[Any], None]  # what must be true of an input that is read
Expected = Rejected | Check


def _read_as(**expected: Any) -> Check:
    """An entity read with these attribute values (compared exactly; NaN matches NaN)."""

    def check(entity: Entity) -> None:
        assert not entity.warnings, entity.warnings
        for name, value in expected.items():
            got = entity.attributes[name].value
            assert got == value or (_is_nan(got) and _is_nan(value)), (name, got)

    return check


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _depth(value: Any) -> int:
    depth = 0
    while isinstance(value, dict) and "value" in value:
        value, depth = value["value"], depth + 1
    return depth


def _entity_cases(flavor: str) -> list[tuple[str, object, Expected]]:
    """Nasty entities, each in the shape of the flavor, and exactly what must come of each."""
    ld = flavor == "ngsi-ld"
    base = {"id": "urn:ngsi-ld:Thing:1", "type": "Thing"}

    def geo(value: Any) -> dict:
        return {"type": "GeoProperty" if ld else "geo:json", "value": value}

    def attr(v2_type: str, value: Any) -> dict:
        return {"type": "Property" if ld else v2_type, "value": value}

    point = geo({"type": "Point", "coordinates": [137.17, 34.95]})
    not_ld = "which is not an NGSI-LD attribute type"
    bad_date = "attribute 't' is a DateTime but '9999-99-99T99:99' is not a valid date"

    def several_types(e: Entity) -> None:
        assert e.id == "x" and e.type == "A" and e.warnings == ["entity has several types ['A', 'B']; using 'A'"]

    def deep(e: Entity) -> None:
        # kept whole: 5000 StructuredValue wrappers around {"value": 1}
        assert _depth(e.attributes["deep"].value) == 5001 and e.geometry.wkt == "POINT (137.17 34.95)"

    def huge_text(e: Entity) -> None:
        assert e.attributes["huge"].value == "あ" * 5_000_000

    def huge_id(e: Entity) -> None:
        assert e.id == "x" * 2_000_000 and e.geometry is None and e.attributes == {}

    def invalid_date_kept(e: Entity) -> None:
        assert e.attributes["t"].value == "9999-99-99T99:99" and e.warnings == [bad_date]

    def ld_geo_type_in_v2(e: Entity) -> None:  # v2 types are free text: kept as a value, not a place
        assert e.geometry is None and e.attributes["location"].type == "GeoProperty"
        assert e.attributes["location"].value == {"type": "Point", "coordinates": [[1, 2]]}

    return [
        ("null", None, Rejected("an entity must be a JSON object, got NoneType")),
        ("array", [], Rejected("an entity must be a JSON object, got list")),
        ("string", "text", Rejected("an entity must be a JSON object, got str")),
        ("number", 42, Rejected("an entity must be a JSON object, got int")),
        ("empty object", {}, Rejected("entity has no 'id' (a non-empty string)")),
        ("null id", {"id": None}, Rejected("entity has no 'id' (a non-empty string)")),
        ("numeric id", {"id": 5, "type": "Thing"}, Rejected("entity has no 'id' (a non-empty string)")),
        ("two types", {"id": "x", "type": ["A", "B"]}, several_types),
        ("NaN coordinate", {**base, "location": geo({"type": "Point", "coordinates": [math.nan, 1]})},
         Rejected("attribute 'location': coordinates must be finite numbers")),
        ("infinite coordinate", {**base, "location": geo({"type": "Point", "coordinates": [math.inf, 1]})},
         Rejected("attribute 'location': coordinates must be finite numbers")),
        ("out of range", {**base, "location": geo({"type": "Point", "coordinates": [999, 999]})},
         Rejected("coordinates out of range (longitude 999, latitude 999;")),
        ("two-point polygon", {**base, "location": geo({"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]})},
         Rejected("attribute 'location': needs a list of at least 4 positions")),
        ("polygon of text", {**base, "location": geo({"type": "Polygon", "coordinates": "x"})},
         Rejected("attribute 'location': a polygon needs at least one ring")),
        ("geo:point with ';'", {**base, "location": {"type": "geo:point", "value": "34.9; 137.1"}},
         Rejected(not_ld if ld else "expected a 'lat, lng' string, got '34.9; 137.1'")),
        ("geo:point NaN", {**base, "location": {"type": "geo:point", "value": "nan, nan"}},
         Rejected(not_ld if ld else "coordinates must be finite numbers")),
        ("geo:box of one", {**base, "location": {"type": "geo:box", "value": ["1"]}},
         Rejected(not_ld if ld else "expected a 'lat, lng' string, got '1'")),
        ("5000 levels deep", {**base, "location": point, "deep": attr("StructuredValue", _deep(5000))}, deep),
        ("5 M characters", {**base, "location": point, "huge": attr("Text", "あ" * 5_000_000)}, huge_text),
        ("2 M character id", {**base, "id": "x" * 2_000_000}, huge_id),
        ("NaN number", {**base, "location": point, "n": attr("Number", math.nan)}, _read_as(n=math.nan)),
        ("number with letters", {**base, "location": point, "n": attr("Number", "12abc")}, _read_as(n="12abc")),
        ("impossible date",
         {**base, "location": point,
          "t": attr("DateTime", {"@type": "DateTime", "@value": "9999-99-99T99:99"} if ld else "9999-99-99T99:99")},
         invalid_date_kept),
        ("markup", {**base, "location": point, "html": attr("Text", "<script>alert(1)</script>[% 1/0 %]")},
         _read_as(html="<script>alert(1)</script>[% 1/0 %]")),
        ("nested position",
         {**base, "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [[1, 2]]}}},
         Rejected("a position must be [longitude, latitude], got [[1, 2]]") if ld else ld_geo_type_in_v2),
        ("collection of junk", {**base, "location": geo({"type": "FeatureCollection", "features": [None, 1]})},
         Rejected("a FeatureCollection location must hold exactly one feature")),
        ("Property without value", {**base, "p": {"type": "Property"}},
         Rejected("attribute 'p' is a Property without 'value'") if ld else _read_as(p={"type": "Property"})),
        ("Relationship without object", {**base, "r": {"type": "Relationship"}},
         Rejected("attribute 'r' is a Relationship without 'object'") if ld else _read_as(r={"type": "Relationship"})),
        ("language map as a list", {**base, "l": {"type": "LanguageProperty", "languageMap": ["ja"]}},
         _read_as(l=["ja"]) if ld else _read_as(l={"type": "LanguageProperty", "languageMap": ["ja"]})),
        ("empty multipolygon", {**base, "location": geo({"type": "MultiPolygon", "coordinates": [[[[]]]]})},
         Rejected("attribute 'location': needs a list of at least 4 positions")),
    ]  # fmt: skip


def _outcome(label: str, read: Callable[[], Any], expected: Expected, errors: type[Exception]) -> str | None:
    """Run one hostile input; None when it came out exactly as expected, else what happened."""
    try:
        result = read()
    except errors as exc:
        if not isinstance(expected, Rejected):
            return f"{label}: refused ({exc}), expected it read"
        if expected.words not in str(exc):
            return f"{label}: refused with {str(exc)[:200]!r}, expected {expected.words!r}"
        return None
    if isinstance(expected, Rejected):
        return f"{label}: read, expected a refusal saying {expected.words!r}"
    try:
        expected(result)
    except AssertionError as exc:
        return f"{label}: read, but {exc}"
    return None


def _tally(report_key: str, cases: list[tuple[str, object, Expected]], wrong: list[str]) -> None:
    rejected = sum(isinstance(expected, Rejected) for _, _, expected in cases)
    figures = {"tried": len(cases), "rejected": rejected, "read": len(cases) - rejected, "wrong": len(wrong)}
    record_reliability("hostile-parsers", report_key, figures)
    assert wrong == [], "\n".join(wrong)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_entity_parser_corpus(flavor):
    cases = _entity_cases(flavor)
    wrong = [
        problem
        for label, payload, expected in cases
        if (problem := _outcome(label, lambda p=payload: parse_entity(p, flavor), expected, InvalidEntityError))
    ]
    _tally(f"NGSI entities ({flavor})", cases, wrong)


def _notification_read(entities: int, errors: list[str]) -> Check:
    """``entities`` entities and one error per listed reason, in order."""

    def check(result: tuple[list[Entity], list[InvalidEntityError]]) -> None:
        got_entities, got_errors = result
        assert len(got_entities) == entities, len(got_entities)
        assert len(got_errors) == len(errors) and all(
            words in str(e) for words, e in zip(errors, got_errors, strict=True)
        ), [str(e) for e in got_errors]

    return check


@pytest.mark.timeout(60)
def test_notification_parser_corpus():
    no_data = Rejected("notification: the message has no 'data' list of entities")
    not_json = Rejected("notification: the message is not JSON")
    cases = [
        ("null", None, no_data),
        ("text", "x", not_json),
        ("array", [], no_data),
        ("empty object", {}, no_data),
        ("null data", {"data": None}, no_data),
        ("data as text", {"data": "x"}, no_data),
        ("data of junk", {"data": [None, 1, "x"]},
         _notification_read(0, ["got NoneType", "got int", "got str"])),
        ("1000 entities", {"subscriptionId": "s", "data": [{"id": "a", "type": "T"}] * 1000},
         _notification_read(1000, [])),
        ("MQTT body, numeric id", {"metadata": {}, "body": {"type": "Notification", "data": [{"id": 1}]}},
         _notification_read(0, ["entity has no 'id' (a non-empty string)"])),
        ("MQTT body not JSON", {"metadata": {}, "body": "not json"}, not_json),
        ("3000 levels deep", {"body": _deep(3000)}, no_data),
    ]  # fmt: skip
    wrong = []
    for flavor in ("ngsi-v2", "ngsi-ld"):
        for label, payload, expected in cases:
            problem = _outcome(
                f"{label} ({flavor})",
                lambda p=payload, f=flavor: parse_notification(p, f, DEFAULT_OPTIONS),
                expected,
                InvalidEntityError,
            )
            if problem:
                wrong.append(problem)
    _tally("NGSI notifications", cases * 2, wrong)


def _zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _zero_bomb(name: str, header: bytes, zeros: int) -> bytes:
    """A zip with one deflated member of ``header`` and ``zeros`` zeros, written in chunks so
    that building it does not itself take the memory the reader is checked for."""
    buf = io.BytesIO()
    chunk = b"0" * (1 << 20)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, zf.open(name, "w") as member:
        member.write(header)
        for _ in range(zeros // len(chunk)):
            member.write(chunk)
        member.write(b"0" * (zeros % len(chunk)))
    return buf.getvalue()


def _people_flow_read(rows: list[tuple[int, int]], problems: list[str]) -> Check:
    """Read: these (mesh code, population) rows, and one listed problem per reason, in order."""

    def check(table: Any) -> None:
        assert list(zip(table.mesh.tolist(), table.population.tolist(), strict=True)) == rows
        reasons = [p.reason for p in table.problems]
        assert len(reasons) == len(problems) and all(
            words in reason for words, reason in zip(problems, reasons, strict=True)
        ), reasons

    return check


def _people_flow_cases() -> list[tuple[str, bytes, Expected]]:
    nested = _zip_bytes({"a.csv": HEADER + GOOD_ROW})
    for _ in range(8):
        nested = _zip_bytes({"inner.zip": nested}, zipfile.ZIP_STORED)
    not_mlit = "not a monthly_mdp_mesh1km.csv file: header"
    return [
        ("empty.csv", b"", Rejected("no monthly_mdp_mesh1km.csv data found (empty file)")),
        ("binary.csv", bytes(range(256)) * 100, Rejected(not_mlit)),
        ("bad_utf8.csv", HEADER + b"\xff\xfe\xfa,23,23202,2023,4,1,0,12\n" + GOOD_ROW,
         _people_flow_read([(52372533, 1234)], ["is not an 8-digit 1 km mesh code"])),
        # A Japanese header is not the MLIT format (its headers are English).
        ("bad_sjis.csv", HEADER.replace(b"population", "人口".encode("cp932")) + b"\x82\xa0\x82" + GOOD_ROW,
         Rejected(not_mlit)),
        ("nan.csv", HEADER + b"52372533,23,23202,2023,4,1,0,nan\n52372533,23,23202,2023,4,1,0,inf\n",
         _people_flow_read([], ["population 'nan' is not a count of people",
                                "population 'inf' is not a count of people"])),
        ("wrong_types.csv", HEADER + b"abc,xx,yy,zz,13,9,9,-5\n",
         _people_flow_read([], ["mesh1kmid 'abc' is not an 8-digit 1 km mesh code"])),
        ("huge_line.csv", HEADER + b"5" * 5_000_000 + b"\n",
         _people_flow_read([], ["unreadable CSV line (field larger than field limit"])),
        ("not_a_zip.zip", b"PK\x03\x04garbage", Rejected(not_mlit + " 'PK")),
        ("traversal.zip", _zip_bytes({"../../evil.csv": HEADER + GOOD_ROW, "/abs.csv": HEADER + GOOD_ROW}),
         Rejected("unsafe file name in archive, skipped; unsafe file name in archive, skipped")),
        # ~1 GB of zeros in a ~1 MB archive: refused by ratio/size, never inflated into memory
        ("bomb.zip", _zero_bomb("monthly_mdp_mesh1km.csv", HEADER, 1024**3 // 4),
         Rejected("bomb.zip!monthly_mdp_mesh1km.csv: compression ratio above 200 (zip bomb?)")),
        ("deep_nesting.zip", nested, Rejected("zips nested deeper than 4 levels")),
    ]  # fmt: skip


@pytest.mark.timeout(300)
def test_people_flow_reader_corpus(tmp_path):
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cases = _people_flow_cases()
    wrong = []
    for name, data, expected in cases:
        path = tmp_path / name
        path.write_bytes(data)
        problem = _outcome(name, lambda p=path: read_people_flow(p), expected, PeopleFlowError)
        if problem:
            wrong.append(problem)
    assert not (tmp_path.parent / "evil.csv").exists() and not Path("/abs.csv").exists()
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert grown_mb < 400, f"peak memory grew by {grown_mb:.0f} MB"
    _tally("MLIT people-flow files", cases, wrong)


def _stations_read(thresholds: dict[str, tuple[float, float, float, float]], problems: list[str]) -> Check:
    """Read: these stations' four levels, and one listed problem per line, in order."""

    def check(table: Any) -> None:
        got = {k: (t.standby, t.caution, t.evacuation, t.danger) for k, t in table.thresholds.items()}
        assert got == thresholds, got
        assert len(table.problems) == len(problems) and all(
            words in problem for words, problem in zip(problems, table.problems, strict=True)
        ), table.problems

    return check


@pytest.mark.timeout(60)
def test_station_table_corpus():
    columns = b"station_id,standby,caution,evacuation,danger\n"
    cases = [
        ("empty", b"", Rejected("the station table is empty")),
        ("binary", b"\xff\xfe\x00garbage", Rejected("missing column(s) station, standby, caution, evacuation, danger")),
        ("two Japanese columns (CP932)", "観測所ID,水防団待機水位\n".encode("cp932"),
         Rejected("missing column(s) caution, evacuation, danger; found 観測所ID, 水防団待機水位")),
        ("NaN level", columns + b"A,1,2,3,nan\n",
         _stations_read({}, ["line 2: station 'A': missing threshold(s) danger (氾濫危険水位)"])),
        ("levels falling", columns + b"A,4,3,2,1\n",
         _stations_read({}, ["line 2: station 'A': thresholds are not increasing (standby (水防団待機水位) 4.0 m"])),
        ("infinite level", columns + b"A,1e308,1e309,3,4\n",
         _stations_read({}, ["line 2: station 'A': thresholds are not increasing (caution (氾濫注意水位) inf m"])),
        ("200,000 columns", columns + b"A," * 200_000 + b"\n",
         _stations_read({}, ["line 2: station 'A': a level is not a number"])),
        # Markup in an id is an id like any other: kept as text, never interpreted.
        ("markup id", columns + b"<script>,1,2,3,4\n", _stations_read({"<script>": (1.0, 2.0, 3.0, 4.0)}, [])),
    ]  # fmt: skip
    wrong = [
        problem
        for label, data, expected in cases
        if (problem := _outcome(label, lambda d=data: read_station_table(d), expected, StationTableError))
    ]
    _tally("station tables", cases, wrong)
