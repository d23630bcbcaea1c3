"""KPI definitions and values in the district GeoPackage: tables QGIS opens, replace-not-duplicate,
transactions, and older district files gaining the tables."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from osgeo import ogr
from qgis.core import QgsGeometry, QgsProject, QgsVectorLayer

from smartcity_qgis.analysis.kpi_schema import KpiDefinition, KpiValue
from smartcity_qgis.layers.districts.kpi_store import (
    KPI_TABLE,
    VALUE_TABLE,
    has_kpi_tables,
    read_kpis,
    read_values,
    write_kpis,
    write_values,
)
from smartcity_qgis.layers.districts.layer import add_district, open_district_layer, save_districts
from smartcity_qgis.layers.districts.store import (
    DistrictRecord,
    DistrictStoreError,
    create_district_store,
    write_districts,
)
from tests.conftest import REPO

SQUARE = "POLYGON((137.16 34.95, 137.17 34.95, 137.17 34.96, 137.16 34.96, 137.16 34.95))"
GOOD = {"name": "QURUWA地区", "domain": "urban_planning", "phase": "demonstration"}


@pytest.fixture
def district_file(tmp_path, qgis_app):
    path = tmp_path / "districts.gpkg"
    layer = open_district_layer(path)
    QgsProject.instance().addMapLayer(layer)
    add_district(layer, QgsGeometry.fromWkt(SQUARE), GOOD)
    save_districts(layer)
    fid = next(layer.getFeatures()).id()
    layer_id = layer.id()
    yield path, fid
    if QgsProject.instance().mapLayer(layer_id) is not None:
        QgsProject.instance().removeMapLayer(layer_id)


def _value(period: str, value: float, source: str = "test") -> KpiValue:
    return KpiValue(period, period, period, value, n_obs=3, n_days=1, total=value, source=source)


def _row_count(path, table) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_new_files_hold_attribute_tables_that_qgis_and_gdal_open(district_file):
    path, _fid = district_file
    assert has_kpi_tables(path)
    ds = ogr.Open(str(path))
    names = {ds.GetLayer(i).GetName(): ds.GetLayer(i).GetGeomType() for i in range(ds.GetLayerCount())}
    assert names[KPI_TABLE] == ogr.wkbNone and names[VALUE_TABLE] == ogr.wkbNone
    table = QgsVectorLayer(f"{path}|layername={KPI_TABLE}", "kpis", "ogr")
    assert table.isValid() and {"district_fid", "name", "target", "method"} <= set(table.fields().names())


def test_definitions_round_trip_in_order_and_deleting_one_drops_its_values(district_file):
    path, fid = district_file
    kpis = [
        KpiDefinition(fid, "歩行者通行量（休日）", method="cityos", entity_type="CrowdFlowObserved",
                      attribute="peopleCount", days="holiday", target=10, target_type="change_pct", people=True),
        KpiDefinition(fid, "駐車場利用率", kind="output", unit="％", method="cityos", entity_type="OffStreetParking",
                      attribute="availableSpotNumber", denominator="totalSpotNumber", transform="occupancy",
                      how="mean"),
        KpiDefinition(fid, "市民満足度", unit="点", target=4.0),
    ]  # fmt: skip
    fids = write_kpis(path, fid, kpis)
    stored = read_kpis(path, fid)
    assert [k.name for k in stored] == ["歩行者通行量（休日）", "駐車場利用率", "市民満足度"]
    assert [k.fid for k in stored] == fids and stored[0].people and stored[1].transform == "occupancy"
    assert stored[0].created and stored[0].updated.endswith("Z")
    write_values(path, stored[2], [_value("2026-04-01", 3.6), _value("2026-10-01", 3.9)])
    # Edit one, drop one, reorder: fids are kept, the dropped KPI's values go with it.
    edited = [stored[2].copy(target=4.2), stored[0]]
    assert write_kpis(path, fid, edited) == [stored[2].fid, stored[0].fid]
    assert [(k.name, k.target) for k in read_kpis(path, fid)] == [("市民満足度", 4.2), ("歩行者通行量（休日）", 10)]
    write_kpis(path, fid, [stored[0]])
    assert _row_count(path, VALUE_TABLE) == 0


def test_measuring_a_period_again_replaces_it(district_file):
    path, fid = district_file
    (kpi_fid,) = write_kpis(
        path, fid, [KpiDefinition(fid, "来街者数", method="cityos", entity_type="A", attribute="b")]
    )
    kpi = read_kpis(path, fid)[0]
    assert kpi.fid == kpi_fid
    write_values(path, kpi, [_value("2026-05-01", 100), _value("2026-05-02", 120)])
    write_values(path, kpi, [_value("2026-05-02", 125, "again"), _value("2026-05-03", 90)])
    values = read_values(path, kpi)
    assert [(v.period, v.value, v.source) for v in values] == [
        ("2026-05-01", 100, "test"),
        ("2026-05-02", 125, "again"),
        ("2026-05-03", 90, "test"),
    ]
    assert _row_count(path, VALUE_TABLE) == 3
    assert values[0].computed_at.endswith("Z")
    # Values measured another way are kept but not mixed in.
    changed = kpi.copy(days="weekday")
    assert read_values(path, changed) == [] and len(read_values(path, changed, all_signatures=True)) == 3
    # The values survive closing everything: the project works offline from the file.
    QgsProject.instance().clear()
    assert [v.value for v in read_values(path, kpi)] == [100, 125, 90]


def test_a_failed_write_changes_nothing(district_file):
    path, fid = district_file
    write_kpis(path, fid, [KpiDefinition(fid, "来街者数")])
    kpi = read_kpis(path, fid)[0]
    write_values(path, kpi, [_value("2026-05-01", 1)])
    bad = [_value("2026-05-01", 2), KpiValue("2026-05-02", None, None, 3)]  # NULL dates violate the schema
    with pytest.raises(sqlite3.IntegrityError):
        write_values(path, kpi, bad)
    assert [(v.period, v.value) for v in read_values(path, kpi)] == [("2026-05-01", 1)]
    with pytest.raises(DistrictStoreError):
        write_values(path, kpi.copy(fid=999), [_value("2026-05-01", 5)])


def test_an_older_district_file_gains_the_tables_and_its_kpis(tmp_path, qgis_app):
    path = create_district_store(tmp_path / "old.gpkg")  # the district table only, as files were
    write_districts(
        path,
        [
            DistrictRecord(None, None, {**GOOD, "kpi_outcome": "歩行者通行量", "kpi_outcome_target": 12000,
                                        "kpi_outcome_unit": "人/日", "kpi_outcome_year": 2030}),
            DistrictRecord(None, None, {**GOOD, "name": "B"}),
        ],
    )  # fmt: skip
    assert not has_kpi_tables(path)
    layer = open_district_layer(path)
    assert layer.isValid() and layer.featureCount() == 2
    assert has_kpi_tables(path)
    seeded = read_kpis(path)
    assert [(k.district_fid, k.name, k.kind, k.target, k.unit, k.target_year, k.method) for k in seeded] == [
        (1, "歩行者通行量", "outcome", 12000, "人/日", 2030, "manual")
    ]
    open_district_layer(path)  # opening again adds nothing
    assert len(read_kpis(path)) == 1


def test_a_geopackage_without_districts_is_not_touched(tmp_path, qgis_app):
    from smartcity_qgis.layers.districts.kpi_store import ensure_kpi_tables

    path = tmp_path / "other.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    ds.CreateLayer("roads", None, ogr.wkbLineString)
    ds = None
    before = path.read_bytes()
    with pytest.raises(DistrictStoreError):
        ensure_kpi_tables(path)
    assert path.read_bytes() == before


WRITER = textwrap.dedent("""
    import sys
    from smartcity_qgis.analysis.kpi_schema import KpiValue
    from smartcity_qgis.layers.districts.kpi_store import read_kpis, write_values
    path = sys.argv[1]
    kpi = read_kpis(path)[0]
    print("ready", flush=True)
    for round_ in range(1000):
        write_values(path, kpi, [KpiValue(f"p{i:05d}", "2026-05-01", "2026-05-01", float(round_), source=str(round_))
                                 for i in range(5000)])
""")


def test_a_killed_writer_leaves_all_old_or_all_new_values(district_file):
    path, fid = district_file
    write_kpis(path, fid, [KpiDefinition(fid, "来街者数")])
    rng = random.Random(3)
    seen = set()
    for _round in range(6):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.05, 0.6))
        finally:
            proc.kill()
            proc.wait()
        values = read_values(path, read_kpis(path)[0])
        rounds = {v.value for v in values}
        assert len(values) in (0, 5000) and len(rounds) <= 1, f"partial write: {len(values)} rows, {sorted(rounds)[:3]}"
        seen |= rounds
    assert len(seen) >= 2, "the kills should land after different numbers of writes"
