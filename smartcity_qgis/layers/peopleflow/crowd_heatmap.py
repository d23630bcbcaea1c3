"""Live crowd heatmaps of people-counter entity layers, and snapshots of their counts on the JIS mesh.

A crowd heatmap is QGIS's heatmap renderer weighted by the count attribute of a point entity
layer (``peopleCount`` of ``CrowdFlowObserved`` and similar). The renderer reads the
attribute at every repaint, so it follows the live updater without any extra wiring.

Privacy by default: the weight is an expression that gives 0 to every counter reporting
fewer than ``k`` people (10, MLIT's publication rule), so such a counter leaves no trace on
the map; the layer's abstract says so. A snapshot to the mesh sums the current counts per
cell and drops cells under ``k``, reporting how many were dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsExpression,
    QgsFeatureRequest,
    QgsLayerMetadata,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor, QImage

from smartcity_qgis.analysis.mesh_aggregate import MeshAggregate, snapshot_to_mesh
from smartcity_qgis.analysis.plane_zone import plane_zone_epsg
from smartcity_qgis.analysis.privacy import DEFAULT_K, check_k
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.cityos.entity_layer_meta import LayerMeta, is_entity_layer
from smartcity_qgis.layers.cityos.entity_schema import DOUBLE, INT, qgs_field
from smartcity_qgis.layers.peopleflow.heatmap_style import heatmap_renderer
from smartcity_qgis.layers.peopleflow.mesh_features import (
    mesh_crs,
    mesh_feature_attributes,
    mesh_fields,
    mesh_rectangles,
    new_feature,
)
from smartcity_qgis.layers.peopleflow.style import style_population
from smartcity_qgis.local_time import local_text

DEFAULT_COUNT_FIELD = "peopleCount"
SNAPSHOT_LEVELS = ("1km", "500m", "250m", "100m")
DEFAULT_SNAPSHOT_LEVEL = "500m"
DEFAULT_RADIUS_M = 150.0

FIELD_PROPERTY = "smartcity/crowd_field"
K_PROPERTY = "smartcity/crowd_k"
NOTE_PROPERTY = "smartcity/crowd_note"
SUPPRESSED_PROPERTY = "smartcity/mesh_suppressed"

# Parts of attribute names that say "a number of people" (Smart Data Models and common variants).
_PEOPLE_WORDS = ("people", "person", "pedestrian", "visitor", "crowd", "occupan", "headcount")
# Counts of things that are not people: never used as a crowd weight.
_NOT_PEOPLE = ("vehicle", "car", "bike", "bicycle", "truck", "bus", "spot", "parking", "lane")


# Qgis.GeometryType from QGIS 3.30 on; QgsWkbTypes.GeometryType before
_POINT = Qgis.GeometryType.Point if hasattr(Qgis, "GeometryType") else QgsWkbTypes.GeometryType.PointGeometry


@dataclass(frozen=True)
class CrowdHeatmap:
    """What a crowd heatmap shows: the layer, the count attribute and ``k``."""

    layer: QgsVectorLayer
    field: str
    k: int
    expression: str


@dataclass(frozen=True)
class MeshSnapshot:
    """A mesh layer of the current counts, with what was held back."""

    layer: QgsVectorLayer
    aggregate: MeshAggregate
    counters: int
    without_count: int

    @property
    def suppressed(self) -> int:
        return self.aggregate.suppressed


def _words(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def count_field(layer: QgsVectorLayer) -> str | None:
    """The attribute holding the number of people: ``peopleCount``, else the first numeric
    attribute whose name says it counts people (``personCount``, ``visitorCount``, ``count``…)."""
    if not isinstance(layer, QgsVectorLayer):
        return None
    numeric = [f.name() for f in layer.fields() if f.isNumeric()]
    if DEFAULT_COUNT_FIELD in numeric:
        return DEFAULT_COUNT_FIELD
    candidates = [n for n in numeric if not any(w in _words(n) for w in _NOT_PEOPLE)]
    for name in candidates:
        if any(w in _words(name) for w in _PEOPLE_WORDS):
            return name
    for name in candidates:
        if "count" in _words(name):
            return name
    return None


def is_crowd_layer(layer) -> bool:
    """True for a city-OS point layer with a count of people (where a crowd heatmap makes sense)."""
    return (
        isinstance(layer, QgsVectorLayer)
        and layer.isValid()
        and is_entity_layer(layer)
        and layer.geometryType() == _POINT
        and count_field(layer) is not None
    )


def crowd_weight_expression(field: str, k: int = DEFAULT_K, allow_disclosure: bool = False) -> str:
    """The heatmap weight: the count where it is at least ``k``, otherwise 0 (and 0 for NULL).

    QGIS's heatmap renderer weighs a feature whose weight is not a number as 1, so the
    expression must never leave NULL through.
    """
    k = check_k(k, allow_disclosure)
    column = QgsExpression.quotedColumnRef(field)
    floor = f"{column} >= {k}" if k >= 1 else f"{column} > 0"
    return f"CASE WHEN {floor} THEN {column} ELSE 0 END"


def _set_note(layer: QgsVectorLayer, note: str) -> None:
    """Put ``note`` at the end of the layer's abstract, replacing the one set before."""
    metadata = layer.metadata() if isinstance(layer.metadata(), QgsLayerMetadata) else QgsLayerMetadata()
    abstract = metadata.abstract() or ""
    previous = layer.customProperty(NOTE_PROPERTY, "") or ""
    if previous and previous in abstract:
        abstract = abstract.replace(previous, "").strip()
    metadata.setAbstract(f"{abstract}\n\n{note}".strip() if abstract else note)
    layer.setMetadata(metadata)
    layer.setCustomProperty(NOTE_PROPERTY, note)


def privacy_note(field: str, k: int) -> str:
    """The sentence the abstract carries about what the heatmap leaves out."""
    if k < 2:
        return tr("Crowd heatmap weighted by {0}. The privacy rule is switched off: every counter is drawn.").format(
            field
        )
    return tr(
        "Crowd heatmap weighted by {0}. Privacy: counters reporting fewer than {1} people are not drawn "
        "(k-anonymity, the MLIT publication rule)."
    ).format(field, k)


def apply_crowd_heatmap(
    layer: QgsVectorLayer,
    field: str | None = None,
    k: int = DEFAULT_K,
    radius_m: float = DEFAULT_RADIUS_M,
    allow_disclosure: bool = False,
) -> CrowdHeatmap:
    """Draw a people-counter layer as a live heatmap weighted by its count, hiding counters under ``k``.

    Raises ValueError (translated) when the layer has no point geometry or no count attribute.
    """
    if not isinstance(layer, QgsVectorLayer) or layer.geometryType() != _POINT:
        raise ValueError(tr("A crowd heatmap needs a point layer of people counters."))
    field = field or count_field(layer)
    if not field:
        raise ValueError(tr("The layer {0} has no attribute with a count of people.").format(layer.name()))
    index = layer.fields().lookupField(field)
    if index < 0 or not layer.fields().at(index).isNumeric():
        raise ValueError(tr("The layer {0} has no numeric attribute {1}.").format(layer.name(), field))
    try:
        k = check_k(k, allow_disclosure)
    except ValueError as exc:
        raise ValueError(tr("The privacy threshold k cannot be used: {0}").format(exc)) from exc
    expression = crowd_weight_expression(field, k, allow_disclosure)
    renderer = heatmap_renderer(None, radius_m)
    renderer.setWeightExpression(expression)
    layer.setRenderer(renderer)
    layer.setCustomProperty(FIELD_PROPERTY, field)
    layer.setCustomProperty(K_PROPERTY, k)
    _set_note(layer, privacy_note(field, k))
    layer.triggerRepaint()
    return CrowdHeatmap(layer=layer, field=field, k=k, expression=expression)


def current_counts(layer: QgsVectorLayer, field: str) -> tuple[list[tuple[float, float, float]], int]:
    """``(lat, lon, count)`` of every counter in the mesh CRS, and how many had no usable count."""
    transform = QgsCoordinateTransform(layer.crs(), mesh_crs(), QgsProject.instance().transformContext())
    request = QgsFeatureRequest().setSubsetOfAttributes([field], layer.fields())
    rows: list[tuple[float, float, float]] = []
    without = 0
    for feature in layer.getFeatures(request):
        geometry = feature.geometry()
        value = feature[field]
        try:
            count = float(value)
        except (TypeError, ValueError):
            count = float("nan")
        if geometry is None or geometry.isNull() or count != count:
            without += 1
            continue
        geometry.transform(transform)
        for part in geometry.constParts():
            rows.append((part.y(), part.x(), count))
    return rows, without


def snapshot_layer_to_mesh(
    layer: QgsVectorLayer,
    level: str = DEFAULT_SNAPSHOT_LEVEL,
    k: int = DEFAULT_K,
    field: str | None = None,
    allow_disclosure: bool = False,
) -> MeshSnapshot:
    """Sum the current counts of ``layer`` per ``level`` mesh cell into a new memory layer.

    Cells with fewer than ``k`` people are left out (their number is in the result and in
    the layer's abstract). Fields: mesh code, level, parent codes, ``count`` (counters) and
    ``sum`` (people), as the "Aggregate to JIS mesh" algorithm writes them.
    """
    if level not in SNAPSHOT_LEVELS:
        raise ValueError(tr("Unknown mesh level: {0}").format(level))
    field = field or layer.customProperty(FIELD_PROPERTY, "") or count_field(layer)
    if not field or layer.fields().lookupField(field) < 0:
        raise ValueError(tr("The layer {0} has no attribute with a count of people.").format(layer.name()))
    try:
        k = check_k(k, allow_disclosure)
    except ValueError as exc:
        raise ValueError(tr("The privacy threshold k cannot be used: {0}").format(exc)) from exc
    rows, without = current_counts(layer, field)
    result = snapshot_to_mesh(rows, level, k=k, allow_disclosure=allow_disclosure)
    when = datetime.now(UTC)
    fields = mesh_fields(level)
    fields.append(qgs_field("count", INT))
    fields.append(qgs_field("sum", DOUBLE))
    name = tr("{0} on the {1} mesh ({2})").format(layer.name(), level, local_text(when, "%H:%M"))
    out = QgsVectorLayer(f"Polygon?crs={mesh_crs().authid()}", name, "memory")
    out.dataProvider().addAttributes(list(fields))
    out.updateFields()
    if result.codes.size:
        features = [
            new_feature(out.fields(), geometry, [*attrs, int(count), float(total)])
            for geometry, attrs, count, total in zip(
                mesh_rectangles(result.codes, level),
                mesh_feature_attributes(result.codes, level),
                result.counts,
                result.values,
                strict=True,
            )
        ]
        out.dataProvider().addFeatures(features)
        out.updateExtents()
        style_population(out, "sum")
    meta = LayerMeta.from_layer(layer)
    source = meta.entity_type if meta else layer.name()
    metadata = QgsLayerMetadata()
    metadata.setTitle(name)
    metadata.setAbstract(
        tr(
            "People counted by {0} ({1}) at {2}, summed per {3} mesh cell. Privacy: {4} cells with fewer "
            "than {5} people are not included."
        ).format(source, field, local_text(when), level, result.suppressed, result.k)
    )
    out.setMetadata(metadata)
    out.setCustomProperty(SUPPRESSED_PROPERTY, result.suppressed)
    out.setCustomProperty(K_PROPERTY, result.k)
    return MeshSnapshot(layer=out, aggregate=result, counters=len(rows), without_count=without)


def render_map(
    layers: list,
    bbox: tuple[float, float, float, float],
    size: tuple[int, int] = (1200, 900),
    background: str = "#ffffff",
) -> QImage:
    """Render ``layers`` (top first) over the lon/lat box ``(west, south, east, north)``.

    The map is drawn in the plane-rectangular CRS of the box's centre, so metres look like
    metres; nothing is fetched from the network unless one of ``layers`` is a tile layer.
    """
    west, south, east, north = bbox
    crs = QgsCoordinateReferenceSystem(f"EPSG:{plane_zone_epsg((west + east) / 2, (south + north) / 2)}")
    to_map = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), crs, QgsProject.instance())
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(crs)
    settings.setOutputSize(QSize(*size))
    settings.setBackgroundColor(QColor(background))
    settings.setFlag(Qgis.MapSettingsFlag.Antialiasing, True)
    settings.setExtent(to_map.transformBoundingBox(QgsRectangle(west, south, east, north)))
    settings.setTransformContext(QgsProject.instance().transformContext())
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage()
