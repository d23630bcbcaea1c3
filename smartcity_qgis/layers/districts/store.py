"""The district GeoPackage on disk: creating it and saving all districts in one transaction.

Saving goes through a single SQLite transaction (GDAL's native GeoPackage transactions):
a writer killed at any moment leaves the file with either the previous districts or the
new ones, never a mix, because SQLite rolls back an unfinished transaction (hot journal
or uncommitted WAL frames) the next time the file is opened.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from osgeo import gdal, ogr, osr

from smartcity_qgis.analysis.district_schema import FIELD_NAMES

DISTRICT_TABLE = "districts"
DISTRICT_EPSG = 6668  # JGD2011 geographic: districts anywhere in Japan

# OGR field types of the schema (name -> type); strings are unbounded in GeoPackage.
FIELD_TYPES: dict[str, int] = dict.fromkeys(FIELD_NAMES, ogr.OFTString)
FIELD_TYPES.update(
    {
        "kpi_outcome_target": ogr.OFTReal,
        "kpi_output_target": ogr.OFTReal,
        "kpi_outcome_year": ogr.OFTInteger,
        "kpi_output_year": ogr.OFTInteger,
        "created": ogr.OFTDateTime,
        "updated": ogr.OFTDateTime,
    }
)


class DistrictStoreError(Exception):
    """The district file cannot be created, read or written (English message)."""


@dataclass
class DistrictRecord:
    """One district as written to disk: feature id (None for new), WKB geometry, attributes."""

    fid: int | None
    wkb: bytes | None
    attributes: dict[str, Any] = field(default_factory=dict)


def create_district_store(path: str | Path, table: str = DISTRICT_TABLE) -> Path:
    """Create a GeoPackage with an empty district table; refuses to touch an existing file."""
    path = Path(path)
    if path.exists():
        raise DistrictStoreError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    driver = ogr.GetDriverByName("GPKG")
    ds = driver.CreateDataSource(str(path))
    if ds is None:
        raise DistrictStoreError(f"cannot create {path}: {gdal.GetLastErrorMsg()}")
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(DISTRICT_EPSG)
    layer = ds.CreateLayer(table, srs, ogr.wkbMultiPolygon, ["GEOMETRY_NAME=geom", "FID=fid"])
    for name in FIELD_NAMES:
        layer.CreateField(ogr.FieldDefn(name, FIELD_TYPES[name]))
    ds = None
    return path


def recover_district_store(path: str | Path) -> None:
    """Roll back a save that was interrupted (a hot journal left by a killed writer).

    SQLite does this itself on the first write-capable open; a read-only reader cannot, so
    readers call this first.
    """
    path = Path(path)
    if not Path(f"{path}-journal").exists() or not os.access(path, os.W_OK):
        return
    connection = sqlite3.connect(str(path), timeout=10)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    finally:
        connection.close()


def _open(path: Path, update: bool):
    recover_district_store(path)
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        flags = gdal.OF_VECTOR | (gdal.OF_UPDATE if update else 0)
        ds = gdal.OpenEx(str(path), flags, allowed_drivers=["GPKG"])
    except RuntimeError:  # GDAL with exceptions enabled
        ds = None
    finally:
        gdal.PopErrorHandler()
    if ds is None:
        raise DistrictStoreError(f"{path} is not a readable GeoPackage")
    return ds


def read_districts(path: str | Path, table: str = DISTRICT_TABLE) -> list[DistrictRecord]:
    """Every district in the file, in feature id order."""
    ds = _open(Path(path), update=False)
    layer = ds.GetLayerByName(table)
    if layer is None:
        raise DistrictStoreError(f"{path} has no table {table!r}")
    records = []
    for feature in layer:
        geometry = feature.GetGeometryRef()
        attrs = {}
        for name in FIELD_NAMES:
            if feature.GetFieldIndex(name) < 0 or not feature.IsFieldSetAndNotNull(name):
                attrs[name] = None
                continue
            kind = FIELD_TYPES[name]
            if kind == ogr.OFTInteger:
                attrs[name] = feature.GetFieldAsInteger(name)
            elif kind == ogr.OFTReal:
                attrs[name] = feature.GetFieldAsDouble(name)
            else:
                attrs[name] = feature.GetFieldAsString(name)
        records.append(DistrictRecord(feature.GetFID(), bytes(geometry.ExportToWkb()) if geometry else None, attrs))
    ds = None
    return sorted(records, key=lambda r: r.fid or 0)


def _set_value(feature, name: str, value: Any) -> None:
    if value is None:
        feature.SetFieldNull(name)
    elif isinstance(value, dt.datetime):
        feature.SetField(name, value.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3])
    else:
        feature.SetField(name, value)


def write_districts(path: str | Path, records: Iterable[DistrictRecord], table: str = DISTRICT_TABLE) -> list[int]:
    """Replace the districts in ``path`` by ``records`` in one transaction; return their fids.

    Records keep their feature id when they have one; new records get a fresh id.
    Either everything is written or, on any error or interruption, nothing is.
    """
    records: Sequence[DistrictRecord] = list(records)
    ds = _open(Path(path), update=True)
    layer = ds.GetLayerByName(table)
    if layer is None:
        raise DistrictStoreError(f"{path} has no table {table!r}")
    defn = layer.GetLayerDefn()
    if ds.StartTransaction(force=False) != ogr.OGRERR_NONE:
        raise DistrictStoreError(f"cannot start a transaction on {path}")
    written: list[int] = []
    try:
        keep = {r.fid for r in records if r.fid is not None and r.fid >= 0}
        for fid in [f.GetFID() for f in layer]:
            if fid not in keep and layer.DeleteFeature(fid) != ogr.OGRERR_NONE:
                raise DistrictStoreError(f"cannot delete district {fid}")
        for record in records:
            feature = ogr.Feature(defn)
            for name in FIELD_NAMES:
                if defn.GetFieldIndex(name) >= 0:
                    _set_value(feature, name, record.attributes.get(name))
            if record.wkb:
                feature.SetGeometry(ogr.CreateGeometryFromWkb(record.wkb))
            if record.fid is not None and record.fid >= 0 and layer.GetFeature(record.fid) is not None:
                feature.SetFID(record.fid)
                err = layer.SetFeature(feature)
            else:
                if record.fid is not None and record.fid >= 0:
                    feature.SetFID(record.fid)
                err = layer.CreateFeature(feature)
            if err != ogr.OGRERR_NONE:
                raise DistrictStoreError(f"cannot write district {record.attributes.get('name')!r}")
            written.append(feature.GetFID())
        if ds.CommitTransaction() != ogr.OGRERR_NONE:
            raise DistrictStoreError(f"cannot commit the districts to {path}")
    except RuntimeError as exc:  # GDAL with exceptions enabled reports failures this way
        ds.RollbackTransaction()
        raise DistrictStoreError(f"cannot write the districts to {path}: {exc}") from exc
    except BaseException:
        ds.RollbackTransaction()
        raise
    finally:
        layer = None
        ds = None
    return written
