"""Issue 9.3 (QGIS side): hostile 国土数値情報 files and connection files, each with the exact outcome it must have.

A hazard file is refused with a message saying why; a connections file is refused as a whole, or
each unusable entry is skipped with its reason while the good ones are added (never a secret).
The number of inputs tried goes to the README (``record_reliability``).
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile

import pytest
from qgis.core import QgsSettings

from smartcity_qgis.layers.cityos.connections import DEMO_TENANTS, ConnectionRecordError, ConnectionStore
from smartcity_qgis.layers.hazards.files import HazardFileError, load_hazard_file
from tests.conftest import record_reliability


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.timeout(180)
def test_hostile_hazard_files(qgis_app, tmp_path):
    corpus = {
        "empty.shp": b"",
        "garbage.shp": bytes(range(256)) * 50,
        "not_json.geojson": b'{"type": "FeatureCollection", "features": [',
        "deep.geojson": b"[" * 100_000 + b"]" * 100_000,
        "wrong_kind.geojson": json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"foo": 1},
                        "geometry": {"type": "Point", "coordinates": [1, 2]},
                    }
                ],
            }
        ).encode(),
        "nan_coords.geojson": b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        b'{"A31a_205":1},"geometry":{"type":"Point","coordinates":[NaN,Infinity]}}]}',
        "bad_sjis.geojson": b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        b'{"A31a_205":"\x82\xa0\x82"},"geometry":null}]}',
        "traversal.zip": _zip({"../../evil.shp": b"x", "/etc/evil.dbf": b"y"}),
        "bomb.zip": _zip({"a.shp": b"\0" * (64 * 1024**2)}),
        "empty.zip": _zip({}),
        "not_a_zip.zip": b"PK\x03\x04 not really",
    }
    # Every one is refused, with these words.
    expected = {
        "empty.shp": "The Shapefile empty.shp has no .dbf file with its attributes.",
        "garbage.shp": "The Shapefile garbage.shp has no .dbf file with its attributes.",
        "not_json.geojson": "not_json.geojson could not be read as vector data.",
        "deep.geojson": "deep.geojson could not be read as vector data.",
        "wrong_kind.geojson": "wrong_kind.geojson has no polygons, so it is not a hazard zone file.",
        "nan_coords.geojson": "nan_coords.geojson has no polygons, so it is not a hazard zone file.",
        "bad_sjis.geojson": "The attribute text is neither UTF-8 nor Shift_JIS (CP932); the file may be damaged.",
        "traversal.zip": "The zip file traversal.zip holds no Shapefile or GeoJSON.",
        "bomb.zip": "The zip file looks like a zip bomb and was not opened.",
        "empty.zip": "The zip file empty.zip holds no Shapefile or GeoJSON.",
        "not_a_zip.zip": "not_a_zip.zip is not a readable zip file",
    }
    assert set(expected) == set(corpus)
    wrong = []
    for name, data in corpus.items():
        path = tmp_path / name
        path.write_bytes(data)
        try:
            result = load_hazard_file(path, cache_root=tmp_path / "cache")
        except HazardFileError as exc:
            if expected[name] not in str(exc):
                wrong.append(f"{name}: refused with {str(exc)[:200]!r}, expected {expected[name]!r}")
            continue
        wrong.append(f"{name}: read as {[layer.name() for layer in result.layers]}, skipped {result.skipped}")
    assert not (tmp_path.parent / "evil.shp").exists() and not list((tmp_path / "cache").rglob("evil*"))
    figures = {"tried": len(corpus), "rejected": len(corpus) - len(wrong)}
    record_reliability("hostile-files", "国土数値情報 files", figures)
    assert wrong == [], "\n".join(wrong)


def test_hostile_connection_files(qgis_app):
    root = f"SmartCityTest/{uuid.uuid4().hex}/connections"
    store = ConnectionStore(root=root)
    corpus = [
        "",
        "null",
        "[]",
        "{}",
        "[1, 2, 3]",
        "not json",
        '{"format": "x"}',
        "[" * 50_000 + "]" * 50_000,
        json.dumps([{"name": None}]),
        json.dumps([{"name": "x", "url": 5}]),
        json.dumps([{"name": "a" * 100_000, "url": "http://127.0.0.1:1"}]),
        json.dumps([{"name": "<script>alert(1)</script>", "url": "javascript:alert(1)"}]),
        json.dumps([{"name": "秘密", "url": "http://127.0.0.1:1", "token": "s3cret", "password": "p"}]),
        json.dumps([{"name": "x", "url": "http://127.0.0.1:1", "area_of_interest": ["NaN", 1, 2]}]),
    ]
    not_json = "The file is not valid JSON"
    not_ours = "The file is not a SmartCity connections file."
    bad_url = "The URL must start with http:// or https:// and name a host."
    # (refusal words) or (names added, messages about skipped entries)
    expected = [
        not_json,
        not_ours,
        ([], []),
        not_ours,
        ([], ["A connection entry must be a JSON object."] * 3),
        not_json,
        not_ours,
        not_json,
        ([], ["A connection entry has no name."]),
        ([], [bad_url]),
        (["a" * 100_000], []),
        ([], [bad_url]),
        (["秘密"], ["Ignored secret fields in 秘密: secrets belong in the QGIS authentication database."]),
        ([], ["Connection x has an unusable value: area of interest needs 4 numbers, got 3"]),
    ]
    assert len(expected) == len(corpus)
    wrong = []
    try:
        for i, (text, outcome) in enumerate(zip(corpus, expected, strict=True)):
            try:
                added, messages = store.import_json(text)
            except ConnectionRecordError as exc:
                if not isinstance(outcome, str) or outcome not in str(exc):
                    wrong.append(f"#{i}: refused with {str(exc)[:200]!r}, expected {outcome!r:.200}")
                continue
            got = ([conn.name for conn in added], messages)
            if got != outcome:
                wrong.append(f"#{i}: gave {got!r:.300}, expected {outcome!r:.300}")
            for conn in added:
                assert "s3cret" not in json.dumps(conn.to_dict())
        assert [n for n in store.names() if n not in DEMO_TENANTS] == ["a" * 100_000, "秘密"], "only these were stored"
        exported = store.export_json()
        assert "s3cret" not in exported and '"p"' not in exported
    finally:
        QgsSettings().remove(root.rsplit("/", 1)[0])
    rejected = sum(isinstance(outcome, str) for outcome in expected)
    record_reliability("hostile-files", "connection files", {"tried": len(corpus), "rejected": rejected})
    assert wrong == [], "\n".join(wrong)
