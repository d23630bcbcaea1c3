"""Write layers to files for other tools: GeoPackage (with styles), GeoJSON, Shapefile, CSV, KML.

People-flow layers go through the k-anonymity rule (``analysis.privacy``) before they are
written; file names come from layer names made safe; nothing existing is overwritten unless
asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsProject,
    QgsRectangle,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtXml import QDomDocument

from smartcity_qgis.analysis.privacy import DEFAULT_K, suppress_small_cells
from smartcity_qgis.export.file_names import safe_file_name, unique_name
from smartcity_qgis.i18n import tr

PEOPLE_FLOW_PROPERTY = "smartcity/people_flow"
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")

#: Format key -> (OGR driver, file extension).
FORMATS: dict[str, tuple[str, str]] = {
    "gpkg": ("GPKG", "gpkg"),
    "geojson": ("GeoJSON", "geojson"),
    "shp": ("ESRI Shapefile", "shp"),
    "shp_cp932": ("ESRI Shapefile", "shp"),
    "csv_wkt": ("CSV", "csv"),
    "csv_xy": ("CSV", "csv"),
    "kml": ("KML", "kml"),
}


class ExportError(Exception):
    """An export that cannot be done (translated message); nothing was overwritten."""


@dataclass
class ExportResult:
    """What an export wrote, and how many people-flow cells were held back per layer."""

    paths: list[Path] = field(default_factory=list)
    suppressed: dict[str, int] = field(default_factory=dict)


def population_field(layer: QgsVectorLayer) -> str | None:
    """The count field of a people-flow layer, or None when ``layer`` is not one.

    A layer is people flow when its custom property ``smartcity/people_flow`` is set (to the
    field name, or to true for ``population``) or when it has a ``population`` field.
    """
    marked = layer.customProperty(PEOPLE_FLOW_PROPERTY, "")
    names = layer.fields().names()
    if isinstance(marked, str) and marked in names:
        return marked
    if "population" in names:
        return "population"
    if marked not in ("", None, False, "false", "0"):
        raise ExportError(tr("Layer {0} is marked as people flow but has no population field").format(layer.name()))
    return None


def k_anonymous_copy(layer: QgsVectorLayer, k: int) -> tuple[QgsVectorLayer, int]:
    """A copy of a people-flow layer without the cells under ``k`` people, and how many went."""
    name = population_field(layer)
    if name is None:
        return layer, 0
    features = list(layer.getFeatures())
    values = [
        float(f[name])
        if f[name] is not None and not (hasattr(f[name], "isNull") and f[name].isNull())
        else float("nan")
        for f in features
    ]
    try:
        rule = suppress_small_cells(values, k)
    except ValueError as exc:
        raise ExportError(tr("Privacy rule: {0}").format(str(exc))) from exc
    keep = [f.id() for f, ok in zip(features, rule.keep, strict=True) if ok]
    copy = layer.materialize(QgsFeatureRequest().setFilterFids(keep))
    copy.setName(layer.name())
    return copy, rule.suppressed


def suggest_export_crs(layers: Sequence[QgsVectorLayer]) -> QgsCoordinateReferenceSystem:
    """The plane-rectangular zone at the centre of the layers (for districts: the district's zone)."""
    from smartcity_qgis.layers.districts.geometry import plane_zone_for_extent
    from smartcity_qgis.layers.districts.layer import DistrictError

    extent = QgsRectangle()
    for layer in layers:
        if layer.extent().isEmpty() and layer.featureCount() == 0:
            continue
        transform = QgsCoordinateTransform(layer.crs(), WGS84, QgsProject.instance())
        box = transform.transformBoundingBox(layer.extent())
        if extent.isNull():
            extent = box
        else:
            extent.combineExtentWith(box)
    if extent.isNull():
        raise ExportError(tr("The layers have no features to place"))
    try:
        return plane_zone_for_extent(extent, WGS84)
    except DistrictError as exc:
        raise ExportError(str(exc)) from exc


def _write(layer, path: Path, fmt: str, table: str, crs, append: bool) -> None:
    driver, _ext = FORMATS[fmt]
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = driver
    options.layerName = table
    options.fileEncoding = "CP932" if fmt == "shp_cp932" else "UTF-8"
    target = WGS84 if fmt in ("geojson", "kml") else crs
    if target is not None and target.isValid() and target != layer.crs():
        options.ct = QgsCoordinateTransform(layer.crs(), target, QgsProject.instance())
    if fmt == "geojson":
        options.layerOptions = ["RFC7946=YES", "WRITE_NAME=NO"]
    elif fmt == "csv_wkt":
        options.layerOptions = ["GEOMETRY=AS_WKT", "CREATE_CSVT=YES"]
    elif fmt == "csv_xy":
        if layer.geometryType() != QgsWkbTypes.GeometryType.PointGeometry:
            raise ExportError(tr("CSV with X/Y columns needs a point layer: {0}").format(layer.name()))
        options.layerOptions = ["GEOMETRY=AS_XY", "CREATE_CSVT=YES"]
    if append:
        options.actionOnExistingFile = QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
    else:
        options.actionOnExistingFile = QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteFile
    error, message, *_rest = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, str(path), QgsProject.instance().transformContext(), options
    )
    if error != QgsVectorFileWriter.WriterError.NoError:
        raise ExportError(tr("Could not write {0}: {1}").format(layer.name(), message))


def _save_style(source: QgsVectorLayer, path: Path, table: str) -> None:
    written = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
    document = QDomDocument()
    source.exportNamedStyle(document)
    written.importNamedStyle(document)
    # GeoPackage's layer_styles.styleName holds 30 characters: the full layer name goes in the description.
    written.saveStyleToDatabase(table[:30], source.name(), True, "")


def _sidecars(path: Path) -> list[Path]:
    if path.suffix == ".shp":
        return [path.with_suffix(s) for s in (".shp", ".shx", ".dbf", ".prj", ".cpg")]
    if path.suffix == ".csv":
        return [path, path.with_suffix(".csvt"), path.with_suffix(".prj")]
    return [path]


def export_layers(
    layers: Sequence[QgsVectorLayer],
    destination: str | Path,
    fmt: str,
    crs: QgsCoordinateReferenceSystem | None = None,
    k: int = DEFAULT_K,
    overwrite: bool = False,
) -> ExportResult:
    """Write ``layers`` in format ``fmt`` (a key of :data:`FORMATS`).

    GeoPackage: ``destination`` is the ``.gpkg`` file, one table per layer with its style
    as the default style. Other formats: ``destination`` is a folder, one file per layer.
    ``crs`` is the target CRS (GeoJSON and KML are always EPSG:4326).
    """
    if fmt not in FORMATS:
        raise ExportError(tr("Unknown export format: {0}").format(fmt))
    layers = [layer for layer in layers if isinstance(layer, QgsVectorLayer) and layer.isValid()]
    if not layers:
        raise ExportError(tr("Choose at least one vector layer to export"))
    destination = Path(destination)
    result = ExportResult()
    names: set[str] = set()
    planned = []
    for layer in layers:
        name = unique_name(safe_file_name(layer.name()), names)
        names.add(name)
        path = destination if fmt == "gpkg" else destination / f"{name}.{FORMATS[fmt][1]}"
        planned.append((layer, name, path))
    existing = sorted({str(p) for _l, _n, path in planned for p in _sidecars(path) if p.exists()})
    if existing and not overwrite:
        raise ExportError(tr("These files exist already and were left untouched: {0}").format(", ".join(existing)))
    if fmt == "gpkg":
        destination.parent.mkdir(parents=True, exist_ok=True)
        if overwrite and destination.exists():
            destination.unlink()
    else:
        destination.mkdir(parents=True, exist_ok=True)
    for index, (layer, name, path) in enumerate(planned):
        source, suppressed = k_anonymous_copy(layer, k)
        if population_field(layer) is not None:
            result.suppressed[layer.name()] = suppressed
        _write(source, path, fmt, name, crs, append=fmt == "gpkg" and index > 0)
        if fmt == "gpkg":
            _save_style(layer, path, name)
        if path not in result.paths:
            result.paths.append(path)
    return result
