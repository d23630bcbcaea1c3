"""KPI definitions and measured values in the district GeoPackage.

Two attribute tables (GeoPackage ``attributes`` data type, so QGIS and GDAL open them as tables)
sit beside ``districts``:

* ``district_kpis`` — one row per KPI of a district (``district_fid`` relates it to the district);
* ``kpi_values`` — one row per KPI and period: value, number of observations and days, the
  source and when it was computed (UTC). ``(kpi_fid, period)`` is unique: measuring a period
  again replaces its row, never adds a second one.

Every write is one SQLite transaction: a writer killed at any moment leaves the file with the
previous rows or the new ones. Files made before KPIs existed gain the tables when opened
(:func:`ensure_kpi_tables`), their KPI columns (``kpi_outcome``, ``kpi_output``) becoming the
first definitions.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

from smartcity_qgis.analysis.kpi_schema import KPI_COLUMNS, KpiDefinition, KpiValue
from smartcity_qgis.layers.districts.store import DISTRICT_TABLE, DistrictStoreError, recover_district_store

KPI_TABLE = "district_kpis"
VALUE_TABLE = "kpi_values"

_KPI_TYPES = {
    "district_fid": "INTEGER NOT NULL",
    "name": "TEXT NOT NULL",
    "target": "REAL",
    "target_year": "INTEGER",
    "hour_from": "INTEGER",
    "hour_to": "INTEGER",
    "people": "BOOLEAN",
    "event_level": "INTEGER",
    "distance_m": "REAL",
    "sort_order": "INTEGER",
    "created": "DATETIME",
    "updated": "DATETIME",
}
_VALUE_COLUMNS = {
    "district_fid": "INTEGER NOT NULL",
    "kpi_fid": "INTEGER NOT NULL",
    "period": "TEXT NOT NULL",
    "period_start": "DATE NOT NULL",
    "period_end": "DATE NOT NULL",
    "value": "REAL",
    "n_obs": "INTEGER",
    "n_days": "INTEGER",
    "total": "REAL",
    "source": "TEXT",
    "computed_at": "DATETIME",
    "signature": "TEXT",
    "note": "TEXT",
}
_DESCRIPTIONS = {
    KPI_TABLE: "KPI definitions of the pilot districts (SmartCity QGIS)",
    VALUE_TABLE: "Measured KPI values per period (SmartCity QGIS)",
}


def utc_now() -> str:
    """Now in UTC, as GeoPackage date-times are written (ISO 8601 with Z)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _connect(path: Path, write: bool) -> sqlite3.Connection:
    if not path.exists():
        raise DistrictStoreError(f"{path} does not exist")
    recover_district_store(path)
    if write:
        connection = sqlite3.connect(str(path), timeout=15, isolation_level=None)
    else:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=15, isolation_level=None)
    connection.row_factory = sqlite3.Row
    return connection


@contextmanager
def _transaction(connection: sqlite3.Connection):
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _tables(connection: sqlite3.Connection) -> set[str]:
    return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')}


def _create_table(connection: sqlite3.Connection, table: str, columns: dict[str, str]) -> None:
    body = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
    connection.execute(f'CREATE TABLE "{table}" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {body})')
    if "gpkg_contents" in _tables(connection):
        connection.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
            "VALUES (?, 'attributes', ?, ?, ?)",
            (table, table, _DESCRIPTIONS[table], utc_now()),
        )


def _kpi_columns() -> dict[str, str]:
    return {name: _KPI_TYPES.get(name, "TEXT") for name in KPI_COLUMNS}


def _seed_from_district_fields(connection: sqlite3.Connection, table: str) -> int:
    """The KPI columns of older district files become the first definitions (manual values)."""
    have = _columns(connection, table)
    made = 0
    for prefix, kind in (("kpi_outcome", "outcome"), ("kpi_output", "output")):
        wanted = [prefix, f"{prefix}_target", f"{prefix}_unit", f"{prefix}_year"]
        if not set(wanted) <= have:
            continue
        rows = connection.execute(f"SELECT fid, {', '.join(wanted)} FROM \"{table}\" WHERE trim({prefix}) <> ''")
        for fid, name, target, unit, year in rows.fetchall():
            kpi = KpiDefinition(
                district_fid=fid,
                name=name.strip(),
                kind=kind,
                unit=unit or "",
                target=target,
                target_year=year,
                sort_order=0 if kind == "outcome" else 1,
            )
            _insert_kpi(connection, kpi, utc_now())
            made += 1
    return made


def ensure_kpi_tables(path: str | Path, table: str = DISTRICT_TABLE) -> bool:
    """Add the KPI tables (and any column a newer version defines) to a district file.

    Returns True when something was added. A read-only file is left as it is.
    """
    path = Path(path)
    if not path.exists() or not os.access(path, os.W_OK):
        return False
    with closing(_connect(path, write=True)) as connection, _transaction(connection):
        tables = _tables(connection)
        if table not in tables:
            raise DistrictStoreError(f"{path} has no district table {table!r}")
        changed = False
        for name, columns in ((KPI_TABLE, _kpi_columns()), (VALUE_TABLE, _VALUE_COLUMNS)):
            if name not in tables:
                _create_table(connection, name, columns)
                changed = True
                if name == KPI_TABLE:
                    _seed_from_district_fields(connection, table)
                continue
            for column in set(columns) - _columns(connection, name):
                kind = columns[column].replace(" NOT NULL", "")
                connection.execute(f'ALTER TABLE "{name}" ADD COLUMN "{column}" {kind}')
                changed = True
        connection.execute(
            f'CREATE UNIQUE INDEX IF NOT EXISTS "{VALUE_TABLE}_kpi_period" ON "{VALUE_TABLE}" (kpi_fid, period)'
        )
        connection.execute(f'CREATE INDEX IF NOT EXISTS "{KPI_TABLE}_district" ON "{KPI_TABLE}" (district_fid)')
    return changed


def has_kpi_tables(path: str | Path) -> bool:
    """Whether the file already holds both KPI tables."""
    with closing(_connect(Path(path), write=False)) as connection:
        return {KPI_TABLE, VALUE_TABLE} <= _tables(connection)


def _require_tables(connection: sqlite3.Connection, path: Path) -> None:
    if not {KPI_TABLE, VALUE_TABLE} <= _tables(connection):
        raise DistrictStoreError(f"{path} has no KPI tables yet (open it for writing once)")


# -- definitions ------------------------------------------------------------------------------


def read_kpis(path: str | Path, district_fid: int | None = None) -> list[KpiDefinition]:
    """The KPI definitions of one district (or of all), in their order."""
    path = Path(path)
    with closing(_connect(path, write=False)) as connection:
        if KPI_TABLE not in _tables(connection):
            return []
        query = f'SELECT * FROM "{KPI_TABLE}"'
        args: tuple = ()
        if district_fid is not None:
            query += " WHERE district_fid = ?"
            args = (int(district_fid),)
        rows = connection.execute(query + " ORDER BY district_fid, sort_order, fid", args).fetchall()
    return [KpiDefinition.from_row(dict(row)) for row in rows]


def _insert_kpi(connection: sqlite3.Connection, kpi: KpiDefinition, now: str) -> int:
    row = kpi.to_row()
    row["created"] = row.get("created") or now
    row["updated"] = now
    names = [c for c in KPI_COLUMNS if c in row]
    cursor = connection.execute(
        f'INSERT INTO "{KPI_TABLE}" ({", ".join(names)}) VALUES ({", ".join("?" for _ in names)})',
        [row[c] for c in names],
    )
    return int(cursor.lastrowid)


def write_kpis(path: str | Path, district_fid: int, kpis: Sequence[KpiDefinition]) -> list[int]:
    """Replace the KPIs of one district by ``kpis`` in one transaction; return their fids.

    KPIs keep their fid when they have one; a KPI no longer listed is deleted with its values.
    """
    path = Path(path)
    now = utc_now()
    written: list[int] = []
    with closing(_connect(path, write=True)) as connection:
        _require_tables(connection, path)
        with _transaction(connection):
            existing = {
                row[0]
                for row in connection.execute(
                    f'SELECT fid FROM "{KPI_TABLE}" WHERE district_fid = ?', (int(district_fid),)
                )
            }
            keep = {k.fid for k in kpis if k.fid is not None}
            for fid in existing - keep:
                connection.execute(f'DELETE FROM "{VALUE_TABLE}" WHERE kpi_fid = ?', (fid,))
                connection.execute(f'DELETE FROM "{KPI_TABLE}" WHERE fid = ?', (fid,))
            for order, kpi in enumerate(kpis):
                kpi = kpi.copy(district_fid=int(district_fid), sort_order=order)
                if kpi.fid is not None and kpi.fid in existing:
                    row = kpi.to_row()
                    row["updated"] = now
                    names = [c for c in KPI_COLUMNS if c != "created"]
                    connection.execute(
                        f'UPDATE "{KPI_TABLE}" SET {", ".join(f"{c} = ?" for c in names)} WHERE fid = ?',
                        [*(row[c] for c in names), kpi.fid],
                    )
                    written.append(kpi.fid)
                else:
                    written.append(_insert_kpi(connection, kpi.copy(fid=None), now))
    return written


# -- values ---------------------------------------------------------------------------------


def write_values(path: str | Path, kpi: KpiDefinition, values: Iterable[KpiValue]) -> int:
    """Store a KPI's values in one transaction; a period already stored is replaced. Returns the count."""
    path = Path(path)
    if kpi.fid is None:
        raise DistrictStoreError(f"the KPI {kpi.name!r} is not saved yet")
    columns = list(_VALUE_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("kpi_fid", "period"))
    sql = (
        f'INSERT INTO "{VALUE_TABLE}" ({", ".join(columns)}) VALUES ({", ".join("?" for _ in columns)}) '
        f"ON CONFLICT (kpi_fid, period) DO UPDATE SET {updates}"
    )
    count = 0
    with closing(_connect(path, write=True)) as connection:
        _require_tables(connection, path)
        with _transaction(connection):
            if connection.execute(f'SELECT 1 FROM "{KPI_TABLE}" WHERE fid = ?', (kpi.fid,)).fetchone() is None:
                raise DistrictStoreError(f"the KPI {kpi.name!r} is no longer in {path}")
            for item in values:
                connection.execute(
                    sql,
                    (
                        kpi.district_fid,
                        kpi.fid,
                        item.period,
                        item.start,
                        item.end,
                        item.value,
                        item.n_obs,
                        item.n_days,
                        item.total,
                        item.source,
                        item.computed_at or utc_now(),
                        item.signature or kpi.signature(),
                        item.note,
                    ),
                )
                count += 1
    return count


def delete_values(path: str | Path, kpi_fid: int, periods: Iterable[str]) -> int:
    """Remove some periods of a KPI (one transaction); returns how many rows went."""
    path = Path(path)
    removed = 0
    with closing(_connect(path, write=True)) as connection:
        _require_tables(connection, path)
        with _transaction(connection):
            for period in periods:
                cursor = connection.execute(
                    f'DELETE FROM "{VALUE_TABLE}" WHERE kpi_fid = ? AND period = ?', (int(kpi_fid), period)
                )
                removed += cursor.rowcount
    return removed


def read_values(path: str | Path, kpi: KpiDefinition, all_signatures: bool = False) -> list[KpiValue]:
    """The stored values of a KPI, oldest first; only those measured the KPI's current way unless asked."""
    path = Path(path)
    if kpi.fid is None:
        return []
    with closing(_connect(path, write=False)) as connection:
        if VALUE_TABLE not in _tables(connection):
            return []
        rows = connection.execute(
            f'SELECT * FROM "{VALUE_TABLE}" WHERE kpi_fid = ? ORDER BY period_start, period', (kpi.fid,)
        ).fetchall()
    signature = kpi.signature()
    return [
        KpiValue(
            period=row["period"],
            start=row["period_start"],
            end=row["period_end"],
            value=row["value"],
            n_obs=row["n_obs"] or 0,
            n_days=row["n_days"] or 0,
            total=row["total"],
            source=row["source"] or "",
            computed_at=row["computed_at"] or "",
            signature=row["signature"] or "",
            note=row["note"] or "",
        )
        for row in rows
        if all_signatures or (row["signature"] or "") == signature
    ]
