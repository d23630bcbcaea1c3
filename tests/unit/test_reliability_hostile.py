"""Issue 9.3: a corpus of nasty inputs for every pure parser: a clear error or a reasoned skip.

Nothing hangs (a per-test timeout), nothing crashes with another exception type, memory stays
bounded (checked for the archive bombs). The number of payloads tried is written to
``.cache/test-reports/reliability-hostile.json`` for the README.
"""

from __future__ import annotations

import io
import json
import math
import resource
import zipfile
from pathlib import Path

import pytest

from smartcity_qgis.analysis.peopleflow import PeopleFlowError, read_people_flow
from smartcity_qgis.analysis.river import StationTableError, read_station_table
from smartcity_qgis.cityos_client import Entity, InvalidEntityError, parse_entity, parse_notification
from smartcity_qgis.cityos_client.parse_common import DEFAULT_OPTIONS
from tests.conftest import REPO

REPORT = REPO / ".cache" / "test-reports" / "reliability-hostile.json"
HEADER = b"mesh1kmid,prefcode,citycode,year,month,dayflag,timezone,population\n"
GOOD_ROW = b"52372533,23,23202,2023,4,1,0,1234\n"
tried: dict[str, int] = {}


def _count(kind: str, n: int = 1) -> None:
    tried[kind] = tried.get(kind, 0) + n
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(tried, indent=2))


def _deep(levels: int) -> dict:
    node: dict = {"value": 1}
    for _ in range(levels):
        node = {"value": node, "type": "StructuredValue"}
    return node


def _entity_corpus() -> list[object]:
    base = {"id": "urn:ngsi-ld:Thing:1", "type": "Thing"}
    point = {"type": "geo:json", "value": {"type": "Point", "coordinates": [137.17, 34.95]}}
    corpus: list[object] = [
        None,
        [],
        "text",
        42,
        {},
        {"id": None},
        {"id": 5, "type": "Thing"},
        {"id": "x", "type": ["A", "B"]},
        {**base, "location": {"type": "geo:json", "value": {"type": "Point", "coordinates": [math.nan, 1]}}},
        {**base, "location": {"type": "geo:json", "value": {"type": "Point", "coordinates": [math.inf, 1]}}},
        {**base, "location": {"type": "geo:json", "value": {"type": "Point", "coordinates": [999, 999]}}},
        {**base, "location": {"type": "geo:json", "value": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}}},
        {**base, "location": {"type": "geo:json", "value": {"type": "Polygon", "coordinates": "x"}}},
        {**base, "location": {"type": "geo:point", "value": "34.9; 137.1"}},
        {**base, "location": {"type": "geo:point", "value": "nan, nan"}},
        {**base, "location": {"type": "geo:box", "value": ["1"]}},
        {**base, "location": point, "deep": _deep(5000)},
        {**base, "location": point, "huge": {"type": "Text", "value": "あ" * 5_000_000}},
        {**base, "id": "x" * 2_000_000},
        {**base, "location": point, "n": {"type": "Number", "value": math.nan}},
        {**base, "location": point, "n": {"type": "Number", "value": "12abc"}},
        {**base, "location": point, "t": {"type": "DateTime", "value": "9999-99-99T99:99"}},
        {**base, "location": point, "html": {"type": "Text", "value": "<script>alert(1)</script>[% 1/0 %]"}},
        {**base, "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [[1, 2]]}}},
        {**base, "location": {"type": "geo:json", "value": {"type": "FeatureCollection", "features": [None, 1]}}},
        {**base, "p": {"type": "Property"}},
        {**base, "r": {"type": "Relationship"}},
        {**base, "l": {"type": "LanguageProperty", "languageMap": ["ja"]}},
        {**base, "location": {"type": "geo:json", "value": {"type": "MultiPolygon", "coordinates": [[[[]]]]}}},
    ]
    return corpus


@pytest.mark.timeout(120)
@pytest.mark.parametrize("flavor", ["ngsi-v2", "ngsi-ld"])
def test_entity_parser_corpus(flavor):
    corpus = _entity_corpus()
    for payload in corpus:
        try:
            entity = parse_entity(payload, flavor)  # type: ignore[arg-type]
        except InvalidEntityError as exc:
            assert str(exc).strip(), "a rejection says why"
            continue
        assert isinstance(entity, Entity)
        # Text is kept as text: never evaluated, never stripped into something else.
        if isinstance(payload, dict) and "html" in payload:
            assert entity.attributes["html"].value == "<script>alert(1)</script>[% 1/0 %]"
    _count(f"NGSI entities ({flavor})", len(corpus))


@pytest.mark.timeout(60)
def test_notification_parser_corpus():
    corpus = [
        None,
        "x",
        [],
        {},
        {"data": None},
        {"data": "x"},
        {"data": [None, 1, "x"]},
        {"subscriptionId": "s", "data": [{"id": "a", "type": "T"}] * 1000},
        {"metadata": {}, "body": {"type": "Notification", "data": [{"id": 1}]}},
        {"metadata": {}, "body": "not json"},
        {"body": _deep(3000)},
    ]
    for payload in corpus:
        for flavor in ("ngsi-v2", "ngsi-ld"):
            try:
                entities, errors = parse_notification(payload, flavor, DEFAULT_OPTIONS)
            except InvalidEntityError as exc:
                assert str(exc).strip()
                continue
            assert all(isinstance(e, Entity) for e in entities)
            assert all(isinstance(e, InvalidEntityError) for e in errors)
    _count("NGSI notifications", len(corpus) * 2)


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


def _people_flow_corpus(tmp: Path) -> list[Path]:
    files = {
        "empty.csv": b"",
        "binary.csv": bytes(range(256)) * 100,
        "bad_utf8.csv": HEADER + b"\xff\xfe\xfa,23,23202,2023,4,1,0,12\n" + GOOD_ROW,
        "bad_sjis.csv": HEADER.replace(b"population", "人口".encode("cp932")) + b"\x82\xa0\x82" + GOOD_ROW,
        "nan.csv": HEADER + b"52372533,23,23202,2023,4,1,0,nan\n52372533,23,23202,2023,4,1,0,inf\n",
        "wrong_types.csv": HEADER + b"abc,xx,yy,zz,13,9,9,-5\n",
        "huge_line.csv": HEADER + b"5" * 5_000_000 + b"\n",
        "not_a_zip.zip": b"PK\x03\x04garbage",
        "traversal.zip": _zip_bytes({"../../evil.csv": HEADER + GOOD_ROW, "/abs.csv": HEADER + GOOD_ROW}),
        # ~1 GB of zeros in a ~1 MB archive: refused by ratio/size, never inflated into memory
        "bomb.zip": _zero_bomb("monthly_mdp_mesh1km.csv", HEADER, 1024**3 // 4),
    }
    nested = _zip_bytes({"a.csv": HEADER + GOOD_ROW})
    for _ in range(8):
        nested = _zip_bytes({"inner.zip": nested}, zipfile.ZIP_STORED)
    files["deep_nesting.zip"] = nested
    paths = []
    for name, data in files.items():
        path = tmp / name
        path.write_bytes(data)
        paths.append(path)
    return paths


@pytest.mark.timeout(300)
def test_people_flow_reader_corpus(tmp_path):
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    corpus = _people_flow_corpus(tmp_path)
    for path in corpus:
        try:
            table = read_people_flow(path)
        except PeopleFlowError as exc:
            assert str(exc).strip(), path.name
            continue
        # Read, with every bad row listed with a reason, nothing written outside the archive.
        assert all(p.reason for p in table.problems), path.name
    assert not (tmp_path.parent / "evil.csv").exists()
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert grown_mb < 400, f"peak memory grew by {grown_mb:.0f} MB"
    _count("MLIT people-flow files", len(corpus))


@pytest.mark.timeout(60)
def test_station_table_corpus(tmp_path):
    corpus = [
        b"",
        b"\xff\xfe\x00garbage",
        "観測所ID,水防団待機水位\n".encode("cp932"),
        b"station_id,standby,caution,evacuation,danger\nA,1,2,3,nan\n",
        b"station_id,standby,caution,evacuation,danger\nA,4,3,2,1\n",
        b"station_id,standby,caution,evacuation,danger\nA,1e308,1e309,3,4\n",
        b"station_id,standby,caution,evacuation,danger\n" + b"A," * 200_000 + b"\n",
        b"station_id,standby,caution,evacuation,danger\n<script>,1,2,3,4\n",
    ]
    for data in corpus:
        try:
            table = read_station_table(data)
        except StationTableError as exc:
            assert str(exc).strip()
            continue
        assert table is not None
    _count("station tables", len(corpus))
