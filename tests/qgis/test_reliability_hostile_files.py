"""Issue 9.3 (QGIS side): hostile 国土数値情報 files and connection files get a clear message.

Counts go into the same report as the pure parsers' corpus (.cache/test-reports/reliability-hostile.json).
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile

import pytest
from qgis.core import QgsSettings

from smartcity_qgis.layers.cityos.connections import ConnectionRecordError, ConnectionStore
from smartcity_qgis.layers.hazards.files import HazardFileError, load_hazard_file
from tests.conftest import REPO

REPORT = REPO / ".cache" / "test-reports" / "reliability-hostile.json"


def _count(kind: str, n: int) -> None:
    data = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    data[kind] = n
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(data, indent=2))


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
    for name, data in corpus.items():
        path = tmp_path / name
        path.write_bytes(data)
        try:
            result = load_hazard_file(path, cache_root=tmp_path / "cache")
        except HazardFileError as exc:
            assert str(exc).strip(), name
            continue
        assert result.layers or result.skipped, name
    assert not (tmp_path.parent / "evil.shp").exists()
    _count("国土数値情報 files", len(corpus))


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
    try:
        for text in corpus:
            try:
                added, messages = store.import_json(text)
            except ConnectionRecordError as exc:
                assert str(exc).strip()
                continue
            assert all(isinstance(m, str) and m for m in messages)
            for conn in added:
                assert "s3cret" not in json.dumps(conn.to_dict())
        exported = store.export_json()
        assert "s3cret" not in exported and '"p"' not in exported
    finally:
        QgsSettings().remove(root.rsplit("/", 1)[0])
    _count("connection files", len(corpus))
