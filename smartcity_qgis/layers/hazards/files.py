"""Opening 国土数値情報 hazard files (A31a, A31b, A33, A40) as styled layers.

Accepts a Shapefile, a zip of Shapefiles (or of GeoJSON) and GeoJSON. The text encoding
is detected, not assumed: 国土数値情報 Shapefiles are CP932 up to the 2023 editions and
UTF-8 from 2024. A ``.cpg`` file is honoured when the text decodes with it. Layers
without a CRS get JGD2011 (EPSG:6668), the CRS of every 国土数値情報 file.
"""

from __future__ import annotations

import codecs
import hashlib
import stat
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsVectorLayer, QgsWkbTypes

from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.hazards.kinds import HazardKind, apply_hazard_style, detect_kinds, kind_title

JGD2011 = "EPSG:6668"
SHAPE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx"}
GEOJSON_SUFFIXES = {".geojson", ".json"}
MAX_ZIP_MEMBERS = 5000
MAX_ZIP_TOTAL_BYTES = 4 * 1024**3
MAX_ZIP_RATIO = 200  # a .dbf of padded text compresses well, but not 200-fold
_SAMPLE_BYTES = 8 * 1024**2

_CPG_NAMES = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "65001": "utf-8",
    "932": "cp932",
    "cp932": "cp932",
    "sjis": "cp932",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "ansi 932": "cp932",
    "windows-31j": "cp932",
    "ms932": "cp932",
}
_DBF_LANGUAGE_CP932 = 0x13  # dBASE language driver id of Japanese Shift-JIS


class HazardFileError(Exception):
    """A file that cannot be opened as a hazard layer; the message is for the user."""


@dataclass
class HazardLoadResult:
    """The layers made from one file, and what was skipped and why."""

    layers: list[QgsVectorLayer] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


# -- encoding ------------------------------------------------------------------------------
def _dbf_text_sample(path: Path, limit: int = _SAMPLE_BYTES) -> tuple[bytes, int]:
    """The bytes of the field names and text fields of a .dbf (up to ``limit``), and its language id."""
    with open(path, "rb") as handle:
        header = handle.read(32)
        if len(header) < 32:
            raise HazardFileError(tr("The .dbf file is truncated."))
        records, header_len, record_len = struct.unpack("<IHH", header[4:12])
        language = header[29]
        descriptors = handle.read(max(0, header_len - 32))
        text_fields: list[tuple[int, int]] = []
        names = bytearray()
        offset = 1  # the deletion flag
        for start in range(0, len(descriptors) - 31, 32):
            block = descriptors[start : start + 32]
            if block[0] == 0x0D:
                break
            names += block[:11].split(b"\x00")[0] + b" "
            length = block[16]
            if block[11:12] in (b"C", b"M"):
                text_fields.append((offset, length))
            offset += length
        sample = bytearray(names)
        handle.seek(header_len)
        for _ in range(records):
            if len(sample) >= limit or not text_fields:
                break
            record = handle.read(record_len)
            if len(record) < record_len:
                break
            for start, length in text_fields:
                sample += record[start : start + length].rstrip(b" \x00") + b"\n"
    return bytes(sample), language


def _cpg_encoding(path: Path) -> str | None:
    cpg = path.with_suffix(".cpg")
    if not cpg.exists():
        cpg = path.with_suffix(".CPG")
    if not cpg.exists():
        return None
    name = cpg.read_bytes()[:64].decode("ascii", "ignore").strip().lower()
    return _CPG_NAMES.get(name)


def detect_text_encoding(sample: bytes, hint: str | None = None) -> str:
    """``utf-8`` or ``cp932`` for a sample of text bytes.

    Japanese text in CP932 is practically never valid UTF-8, while UTF-8 text often
    decodes as CP932 without error: so non-ASCII text that is valid UTF-8 is UTF-8,
    whatever the hint says. The hint (``.cpg``, dBASE language id) decides only when the
    sample is plain ASCII or when it names CP932 for text that is not UTF-8.
    """
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return hint if hint is not None and sample.isascii() else "utf-8"
    try:
        codecs.getincrementaldecoder("cp932")().decode(sample, final=False)
        return "cp932"
    except UnicodeDecodeError:
        raise HazardFileError(
            tr("The attribute text is neither UTF-8 nor Shift_JIS (CP932); the file may be damaged.")
        ) from None


def shapefile_encoding(shp: Path) -> str:
    """The text encoding of a Shapefile's attributes: ``utf-8`` or ``cp932``."""
    dbf = next((p for p in (shp.with_suffix(".dbf"), shp.with_suffix(".DBF")) if p.exists()), None)
    if dbf is None:
        raise HazardFileError(tr("The Shapefile {0} has no .dbf file with its attributes.").format(shp.name))
    sample, language = _dbf_text_sample(dbf)
    hint = _cpg_encoding(shp) or ("cp932" if language == _DBF_LANGUAGE_CP932 else None)
    return detect_text_encoding(sample, hint)


# -- zips ---------------------------------------------------------------------------------
def _member_name(info: zipfile.ZipInfo) -> str:
    # Names without the UTF-8 flag are decoded as CP437 by zipfile; Japanese tools wrote CP932.
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("cp932")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _safe_relative(name: str) -> PurePosixPath | None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or any(part in ("..", "") for part in path.parts) or ":" in path.parts[0]:
        return None
    return path


def extract_hazard_zip(archive: Path, target: Path) -> list[Path]:
    """Extract the Shapefile parts and GeoJSON files of a zip safely; return the data files.

    Refuses archives that would expand beyond the limits (zip bombs), and skips members
    with absolute or parent paths (path traversal) and symbolic links.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise HazardFileError(tr("{0} is not a readable zip file: {1}").format(archive.name, exc)) from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_ZIP_MEMBERS:
            raise HazardFileError(tr("The zip file holds too many files ({0}).").format(len(infos)))
        total = sum(i.file_size for i in infos)
        if total > MAX_ZIP_TOTAL_BYTES:
            raise HazardFileError(tr("The zip file would expand to {0} MB, more than allowed.").format(total // 2**20))
        for info in infos:
            if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO and info.file_size > 2**20:
                raise HazardFileError(tr("The zip file looks like a zip bomb and was not opened."))
        target.mkdir(parents=True, exist_ok=True)
        root = target.resolve()
        data_files: list[Path] = []
        written = 0
        for info in infos:
            relative = _safe_relative(_member_name(info))
            suffix = relative.suffix.lower() if relative else ""
            if relative is None or stat.S_ISLNK(info.external_attr >> 16):
                continue
            if suffix not in SHAPE_PARTS | GEOJSON_SUFFIXES:
                continue
            destination = (root / relative).resolve()
            if root not in destination.parents:
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as source, open(destination, "wb") as sink:
                while chunk := source.read(1 << 20):
                    written += len(chunk)
                    if written > MAX_ZIP_TOTAL_BYTES or written > total + 1024:
                        raise HazardFileError(tr("The zip file expands beyond what it declares; not opened."))
                    sink.write(chunk)
            if suffix in GEOJSON_SUFFIXES or suffix == ".shp":
                data_files.append(destination)
    return sorted(data_files)


def _cache_dir(archive: Path, root: Path | None = None) -> Path:
    """Where files made from ``archive`` are kept: under ``root``, by default the QGIS profile."""
    digest = hashlib.sha1(str(archive.resolve()).encode() + str(archive.stat().st_mtime_ns).encode()).hexdigest()
    base = root if root is not None else Path(QgsApplication.qgisSettingsDirPath()) / "smartcity" / "hazard-files"
    return base / digest[:16]


# -- loading ------------------------------------------------------------------------------
def _geojson_utf8(path: Path, cache_root: Path | None = None) -> Path:
    """GeoJSON is UTF-8 by definition; a CP932 one is converted to a UTF-8 copy beside the cache."""
    with open(path, "rb") as handle:
        sample = handle.read(_SAMPLE_BYTES)
    if detect_text_encoding(sample) == "utf-8":
        return path
    converted = _cache_dir(path, cache_root) / (path.stem + ".utf8.geojson")
    converted.parent.mkdir(parents=True, exist_ok=True)
    converted.write_text(path.read_bytes().decode("cp932"), encoding="utf-8")
    return converted


def open_hazard_layer(
    path: Path, name_hint: str | None = None, cache_root: Path | None = None
) -> tuple[QgsVectorLayer, HazardKind]:
    """One Shapefile or GeoJSON as a styled hazard layer; ``HazardFileError`` if it is not one.

    ``cache_root``: where converted copies are kept (default: the QGIS profile).
    """
    suffix = path.suffix.lower()
    if suffix == ".shp":
        encoding = shapefile_encoding(path)
        layer = QgsVectorLayer(str(path), path.stem, "ogr")
        if layer.isValid():
            layer.setProviderEncoding("UTF-8" if encoding == "utf-8" else "CP932")
    elif suffix in GEOJSON_SUFFIXES:
        encoding = "utf-8"
        layer = QgsVectorLayer(str(_geojson_utf8(path, cache_root)), path.stem, "ogr")
    else:
        raise HazardFileError(tr("{0} is not a Shapefile, a zip or a GeoJSON file.").format(path.name))
    if not layer.isValid():
        raise HazardFileError(tr("{0} could not be read as vector data.").format(path.name))
    if layer.geometryType() != QgsWkbTypes.GeometryType.PolygonGeometry:
        raise HazardFileError(tr("{0} has no polygons, so it is not a hazard zone file.").format(path.name))
    kinds = detect_kinds(layer.fields().names())
    if not kinds:
        raise HazardFileError(
            tr("{0} is not a 国土数値情報 hazard file (A31a, A31b, A33 or A40): its fields are {1}.").format(
                path.name, ", ".join(layer.fields().names()[:12]) or "-"
            )
        )
    kind = kinds[0]
    if not layer.crs().isValid():
        layer.setCrs(QgsCoordinateReferenceSystem(JGD2011))
    layer.setName(f"{kind_title(kind)} — {name_hint or path.stem}")
    layer.setCustomProperty("smartcity/encoding", encoding)
    apply_hazard_style(layer, kind)
    return layer, kind


def load_hazard_file(path: str | Path, cache_root: Path | None = None) -> HazardLoadResult:
    """Every hazard layer in a Shapefile, GeoJSON or zip; raises ``HazardFileError`` if there is none.

    Zips are extracted, and CP932 GeoJSON converted, under ``cache_root`` (default: a
    ``smartcity/hazard-files`` folder of the QGIS profile, so that projects reopen them).
    """
    path = Path(path)
    if not path.is_file():
        raise HazardFileError(tr("{0} does not exist.").format(str(path)))
    result = HazardLoadResult()
    if path.suffix.lower() == ".zip":
        data_files = extract_hazard_zip(path, _cache_dir(path, cache_root))
        if not data_files:
            raise HazardFileError(tr("The zip file {0} holds no Shapefile or GeoJSON.").format(path.name))
        for data_file in data_files:
            try:
                layer, _kind = open_hazard_layer(data_file, data_file.stem, cache_root)
            except HazardFileError as exc:
                result.skipped.append(str(exc))
                continue
            result.layers.append(layer)
        if not result.layers:
            raise HazardFileError("\n".join(result.skipped))
        return result
    layer, _kind = open_hazard_layer(path, cache_root=cache_root)
    result.layers.append(layer)
    return result
