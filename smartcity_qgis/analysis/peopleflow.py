"""Reader for MLIT's 全国の人流オープンデータ (1 km mesh, ``monthly_mdp_mesh1km.csv``).

Columns: ``mesh1kmid,prefcode,citycode,year,month,dayflag,timezone,population``, e.g.
``53394519,13,13101,2021,12,0,0,10745``. dayflag 0 休日 / 1 平日 / 2 全日; timezone
0 昼 (11–14時台) / 1 深夜 (1–4時台) / 2 終日. The files are published as zips nested per
prefecture, year and month; this reader takes CSV files, zips and zips of zips alike.

Rows that cannot be used are skipped and reported (file, line, reason); they never stop the
import. Zips are read in memory, never extracted, under limits on nesting depth, member
count, total uncompressed size and compression ratio, so a hostile archive (zip bomb, member
names with ``..``) can waste neither disk nor memory.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np

from smartcity_qgis.analysis.mesh import invalid_code_reasons

COLUMNS: tuple[str, ...] = (
    "mesh1kmid",
    "prefcode",
    "citycode",
    "year",
    "month",
    "dayflag",
    "timezone",
    "population",
)
DAYFLAG_LABELS: dict[int, str] = {0: "休日", 1: "平日", 2: "全日"}
TIMEZONE_LABELS: dict[int, str] = {0: "昼", 1: "深夜", 2: "終日"}
CREDIT = "出典：「全国の人流オープンデータ」（国土交通省）"
CSV_NAME = "monthly_mdp_mesh1km.csv"


class PeopleFlowError(ValueError):
    """A whole input could not be read (not a people-flow file, a refused archive...)."""


@dataclass(frozen=True)
class ArchiveLimits:
    """Limits applied while reading zips (defaults fit every published national file)."""

    max_depth: int = 4
    max_members: int = 20_000
    max_total_bytes: int = 8 * 1024**3
    max_nested_zip_bytes: int = 1024**3
    max_ratio: float = 200.0


@dataclass(frozen=True)
class RowProblem:
    """A row (or a whole member) that was skipped, and why."""

    source: str
    line: int
    reason: str


@dataclass
class PeopleFlowTable:
    """Columns of the rows read, plus what was skipped."""

    mesh: np.ndarray
    prefcode: list[str]
    citycode: list[str]
    year: np.ndarray
    month: np.ndarray
    dayflag: np.ndarray
    timezone: np.ndarray
    population: np.ndarray
    sources: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.mesh.size)

    @property
    def problem_counts(self) -> Counter:
        """Number of skipped rows per reason."""
        return Counter(p.reason for p in self.problems)

    def select(self, mask: np.ndarray) -> PeopleFlowTable:
        """The rows where ``mask`` is true (problems and sources are kept)."""
        idx = np.flatnonzero(mask)
        return PeopleFlowTable(
            mesh=self.mesh[idx],
            prefcode=[self.prefcode[i] for i in idx],
            citycode=[self.citycode[i] for i in idx],
            year=self.year[idx],
            month=self.month[idx],
            dayflag=self.dayflag[idx],
            timezone=self.timezone[idx],
            population=self.population[idx],
            sources=list(self.sources),
            problems=list(self.problems),
        )

    def filter(self, dayflags: Iterable[int] | None = None, timezones: Iterable[int] | None = None):
        """Rows of the given day types and time zones (``None`` keeps all)."""
        mask = np.ones(len(self), dtype=bool)
        if dayflags is not None:
            mask &= np.isin(self.dayflag, list(dayflags))
        if timezones is not None:
            mask &= np.isin(self.timezone, list(timezones))
        return self.select(mask)


class _Rows:
    """Accumulates good rows and problems."""

    def __init__(self) -> None:
        self.mesh: list[int] = []
        self.prefcode: list[str] = []
        self.citycode: list[str] = []
        self.ints: list[tuple[int, int, int, int]] = []
        self.population: list[float] = []
        self.problems: list[RowProblem] = []
        self.sources: list[str] = []
        self.where: list[tuple[str, int]] = []

    def table(self) -> PeopleFlowTable:
        ints = np.array(self.ints, dtype=np.int64).reshape(-1, 4)
        table = PeopleFlowTable(
            mesh=np.array(self.mesh, dtype=np.int64),
            prefcode=self.prefcode,
            citycode=self.citycode,
            year=ints[:, 0].copy(),
            month=ints[:, 1].copy(),
            dayflag=ints[:, 2].copy(),
            timezone=ints[:, 3].copy(),
            population=np.array(self.population, dtype=np.float64),
            sources=self.sources,
            problems=self.problems,
        )
        # mesh codes are checked all at once: per-row checks would dominate the import time
        reasons = invalid_code_reasons(table.mesh, "1km") if len(table) else []
        bad = np.array([r is not None for r in reasons], dtype=bool)
        if bad.any():
            for i in np.flatnonzero(bad):
                where = self.where[i]
                table.problems.append(RowProblem(where[0], where[1], f"mesh1kmid {table.mesh[i]}: {reasons[i]}"))
            table = table.select(~bad)
        return table


def _padded(value: str, width: int, what: str) -> str:
    value = value.strip()
    if not value.isdigit() or not value.isascii() or len(value) > width:
        raise ValueError(f"{what} {value!r} is not a {width}-digit code")
    return value.zfill(width)


def _parse_row(row: list[str]) -> tuple[int, str, str, tuple[int, int, int, int], float]:
    """One data row, or ``ValueError`` with a short reason."""
    if len(row) != len(COLUMNS):
        raise ValueError(f"expected {len(COLUMNS)} columns, found {len(row)}")
    mesh_text = row[0].strip()
    if len(mesh_text) != 8 or not mesh_text.isdigit() or not mesh_text.isascii():
        raise ValueError(f"mesh1kmid {mesh_text!r} is not an 8-digit 1 km mesh code")
    mesh = int(mesh_text)
    prefcode = _padded(row[1], 2, "prefcode")
    citycode = _padded(row[2], 5, "citycode")
    try:
        year, month, dayflag, timezone = (int(v.strip()) for v in row[3:7])
    except ValueError:
        raise ValueError("year, month, dayflag and timezone must be whole numbers") from None
    if not 1900 <= year <= 2999:
        raise ValueError(f"year {year} is out of range")
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is out of range")
    if dayflag not in DAYFLAG_LABELS:
        raise ValueError(f"dayflag {dayflag} is not 0, 1 or 2")
    if timezone not in TIMEZONE_LABELS:
        raise ValueError(f"timezone {timezone} is not 0, 1 or 2")
    try:
        population = float(row[7].strip())
    except ValueError:
        raise ValueError(f"population {row[7].strip()!r} is not a number") from None
    if not population >= 0 or population == float("inf"):
        raise ValueError(f"population {row[7].strip()!r} is not a count of people")
    return mesh, prefcode, citycode, (year, month, dayflag, timezone), population


def _decode_lines(raw: Iterable[bytes]) -> Iterator[str]:
    first = True
    for line in raw:
        if first:
            line = line.removeprefix(b"\xef\xbb\xbf")
            first = False
        yield line.decode("utf-8", errors="replace")


def _csv_rows(reader, source: str, rows: _Rows) -> Iterator[list[str]]:
    """Rows of ``reader``; a line the csv module refuses (e.g. a field over its size limit) is
    recorded as a problem and skipped, so one hostile line never ends the whole import."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            rows.problems.append(RowProblem(source, reader.line_num, f"unreadable CSV line ({exc})"))
            continue
        yield row


def _read_csv_stream(raw: Iterable[bytes], source: str, rows: _Rows) -> None:
    reader = csv.reader(_decode_lines(raw))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        rows.problems.append(RowProblem(source, reader.line_num, f"not a {CSV_NAME} file: unreadable header ({exc})"))
        return
    if header is None:
        rows.problems.append(RowProblem(source, 0, "empty file"))
        return
    names = [h.strip().lower() for h in header]
    if names != list(COLUMNS):
        rows.problems.append(RowProblem(source, 1, f"not a {CSV_NAME} file: header {','.join(header)[:120]!r}"))
        return
    rows.sources.append(source)
    for row in _csv_rows(reader, source, rows):
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        try:
            mesh, prefcode, citycode, ints, population = _parse_row(row)
        except ValueError as exc:
            rows.problems.append(RowProblem(source, line, str(exc)))
            continue
        rows.mesh.append(mesh)
        rows.prefcode.append(prefcode)
        rows.citycode.append(citycode)
        rows.ints.append(ints)
        rows.population.append(population)
        rows.where.append((source, line))


class _Budget:
    def __init__(self, limits: ArchiveLimits) -> None:
        self.limits = limits
        self.members = 0
        self.bytes = 0


class _LimitedReader(io.RawIOBase):
    """Raises once more than ``limit`` bytes come out of a member, whatever its header claims."""

    def __init__(self, stream, limit: int, budget: _Budget, name: str) -> None:
        self._stream = stream
        self._left = limit
        self._budget = budget
        self._name = name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(min(len(buffer), 1 << 16))
        self._left -= len(data)
        self._budget.bytes += len(data)
        if self._left < 0 or self._budget.bytes > self._budget.limits.max_total_bytes:
            raise PeopleFlowError(f"{self._name}: uncompressed size exceeds the limit (zip bomb?)")
        buffer[: len(data)] = data
        return len(data)


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return not (path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]))


def _read_zip(source, label: str, rows: _Rows, budget: _Budget, depth: int) -> None:
    limits = budget.limits
    if depth > limits.max_depth:
        raise PeopleFlowError(f"{label}: zips nested deeper than {limits.max_depth} levels")
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PeopleFlowError(f"{label}: not a readable zip file ({exc})") from exc
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            budget.members += 1
            if budget.members > limits.max_members:
                raise PeopleFlowError(f"{label}: more than {limits.max_members} files in the archives")
            member = f"{label}!{info.filename}"
            if not _safe_member_name(info.filename):
                rows.problems.append(RowProblem(member, 0, "unsafe file name in archive, skipped"))
                continue
            lower = info.filename.lower()
            if not (lower.endswith(".csv") or lower.endswith(".zip")):
                continue
            if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
                raise PeopleFlowError(f"{member}: compression ratio above {limits.max_ratio:.0f} (zip bomb?)")
            if budget.bytes + info.file_size > limits.max_total_bytes:
                raise PeopleFlowError(f"{member}: uncompressed size exceeds the limit (zip bomb?)")
            try:
                with archive.open(info) as stream:
                    if lower.endswith(".zip"):
                        if info.file_size > limits.max_nested_zip_bytes:
                            raise PeopleFlowError(f"{member}: nested zip larger than the limit")
                        limited = _LimitedReader(stream, info.file_size, budget, member)
                        data = io.BufferedReader(limited).read()
                        _read_zip(io.BytesIO(data), member, rows, budget, depth + 1)
                    else:
                        limited = io.BufferedReader(_LimitedReader(stream, info.file_size, budget, member))
                        _read_csv_stream(limited, member, rows)
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
                # encrypted, corrupt or truncated member: report it, keep reading the others
                rows.problems.append(RowProblem(member, 0, f"unreadable archive member ({exc})"))


def read_people_flow(
    paths: str | Path | Iterable[str | Path],
    limits: ArchiveLimits | None = None,
) -> PeopleFlowTable:
    """Read one or many ``monthly_mdp_mesh1km.csv`` files or (nested) zips of them.

    Raises ``PeopleFlowError`` for an input that is not a people-flow file at all or an archive
    that breaks the limits; bad rows are skipped and listed in ``problems``.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    limits = limits or ArchiveLimits()
    rows = _Rows()
    budget = _Budget(limits)
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise PeopleFlowError(f"{path}: no such file")
        if zipfile.is_zipfile(path):
            _read_zip(path, path.name, rows, budget, depth=1)
        else:
            with path.open("rb") as stream:
                _read_csv_stream(stream, path.name, rows)
    if not rows.sources:
        reasons = "; ".join(p.reason for p in rows.problems[:3]) or "no CSV inside"
        raise PeopleFlowError(f"no {CSV_NAME} data found ({reasons})")
    return rows.table()
