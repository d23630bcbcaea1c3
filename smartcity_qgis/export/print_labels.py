"""Labels for the printed page: what a reader of a plan needs, not what a live screen shows.

On screen, station layers are labelled with the live level, its trend and the margin to the next
level ("0.96 m ↓ / 1.04 m to the next level"); on a printed plan those numbers are stale the day
after and crowd each other. While a figure or a pack is exported, every labelled vector layer on
its maps is labelled with the feature's name only, in the same text format, and QGIS's own
placement keeps labels from overlapping (the second label of a station shown by two layers at one
spot is not placed). The layers get their own labels back as soon as the export ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from qgis.core import (
    Qgis,
    QgsAbstractVectorLayerLabeling,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsExpression,
    QgsFeatureRequest,
    QgsLayoutItemMap,
    QgsMapLayer,
    QgsPalLayerSettings,
    QgsPrintLayout,
    QgsProject,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)

# Fields that hold what a place is called, in the order they are preferred.
NAME_FIELDS = ("name", "stationName", "名称", "観測所名", "district_name", "title")


def layout_layers(layout: QgsPrintLayout) -> list[QgsMapLayer]:
    """Every layer drawn by the layout's maps (each once)."""
    found: dict[str, QgsMapLayer] = {}
    for item in layout.items():
        if isinstance(item, QgsLayoutItemMap):
            for layer in item.layers():
                if layer is not None:
                    found.setdefault(layer.id(), layer)
    return list(found.values())


def name_field(layer: QgsVectorLayer) -> str | None:
    """The field that names a feature, or None."""
    names = layer.fields().names()
    return next((n for n in NAME_FIELDS if n in names), None)


def _text_format(labeling: QgsAbstractVectorLayerLabeling | None):
    if labeling is None:
        return None
    for provider in labeling.subProviders() or [""]:
        settings = labeling.settings(provider)
        if settings is not None:
            return settings.format()
    return None


# Two features with the same name closer than this (degrees, about 100 m) are one place.
SAME_PLACE_DEG = 0.001
# Layers larger than this are not searched for twins (their labels are placed as they are).
MAX_DEDUP_FEATURES = 20_000


def _places(layer: QgsVectorLayer, field: str) -> list[tuple[int, str, float, float]]:
    """(feature id, name, lon, lat) of the named point features of a small layer."""
    if layer.featureCount() > MAX_DEDUP_FEATURES:
        return []
    to_wgs84 = QgsCoordinateTransform(layer.crs(), QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    out = []
    request = QgsFeatureRequest().setSubsetOfAttributes([field], layer.fields())
    for feature in layer.getFeatures(request):
        name, geometry = feature[field], feature.geometry()
        if not name or geometry is None or geometry.isEmpty():
            continue
        try:
            point = to_wgs84.transform(geometry.centroid().asPoint())
        except Exception:  # a feature outside the CRS's area: it has no twin to find
            continue
        out.append((feature.id(), str(name), point.x(), point.y()))
    return out


def twin_ids(earlier: list[tuple[int, str, float, float]], places: list[tuple[int, str, float, float]]) -> list[int]:
    """Ids in ``places`` whose name is already labelled at the same place by an earlier layer."""
    seen: dict[str, list[tuple[float, float]]] = {}
    for _fid, name, x, y in earlier:
        seen.setdefault(name, []).append((x, y))
    return [
        fid
        for fid, name, x, y in places
        if any(abs(x - sx) < SAME_PLACE_DEG and abs(y - sy) < SAME_PLACE_DEG for sx, sy in seen.get(name, ()))
    ]


def print_labeling(layer: QgsVectorLayer, skip_ids: list[int] | None = None) -> QgsVectorLayerSimpleLabeling | None:
    """Name-only labels in the layer's own text format, placed without overlaps; None if unnamed.

    Features in ``skip_ids`` (a place another layer already names) get no label.
    """
    field = name_field(layer)
    if field is None:
        return None
    settings = QgsPalLayerSettings()
    if skip_ids:
        ids = ",".join(str(fid) for fid in skip_ids)
        settings.fieldName = f"CASE WHEN $id IN ({ids}) THEN NULL ELSE {QgsExpression.quotedColumnRef(field)} END"
        settings.isExpression = True
    else:
        settings.fieldName = field
        settings.isExpression = False
    text_format = _text_format(layer.labeling())
    if text_format is not None:
        settings.setFormat(text_format)
    settings.dist = 1.5
    # Never two labels on one another; a label that would overlap is left out.
    if hasattr(Qgis, "LabelOverlapHandling"):  # QGIS 3.26+
        settings.placementSettings().setOverlapHandling(Qgis.LabelOverlapHandling.PreventOverlap)
    else:
        settings.displayAll = False
    return QgsVectorLayerSimpleLabeling(settings)


@contextmanager
def printed_labels(layers: Iterable[QgsMapLayer]) -> Iterator[int]:
    """Within the block, labelled layers show names only; yields how many layers were relabelled."""
    saved: list[tuple[QgsVectorLayer, QgsAbstractVectorLayerLabeling | None, bool]] = []
    labelled: list[tuple[int, str, float, float]] = []
    try:
        for layer in layers:
            if not isinstance(layer, QgsVectorLayer) or not layer.labelsEnabled():
                continue
            labeling = layer.labeling()
            saved.append((layer, labeling.clone() if labeling is not None else None, True))
            field = name_field(layer)
            places = _places(layer, field) if field else []
            replacement = print_labeling(layer, twin_ids(labelled, places))
            labelled += places
            if replacement is None:
                layer.setLabelsEnabled(False)
            else:
                layer.setLabeling(replacement)
        yield len(saved)
    finally:
        for layer, labeling, enabled in saved:
            if labeling is not None:
                layer.setLabeling(labeling)
            layer.setLabelsEnabled(enabled)
