"""River gauges of a layer as (geometry, status) for exposure counts, each in its own scheme."""

from __future__ import annotations

from collections.abc import Iterator

from qgis.core import QgsFeature, QgsVectorLayer

from smartcity_qgis.layers.rivers.schemes import CRISIS_GAUGE, CrisisGaugeScheme, scheme_for_layer
from smartcity_qgis.layers.rivers.style import _number


def status_key(scheme_key: str, stage: int | None) -> tuple[str, int]:
    """A sortable key for a gauge status: (scheme, stage); stage -1 when unknown."""
    return (scheme_key, -1 if stage is None else int(stage))


def status_label_ja(key: tuple[str, int]) -> str:
    """The status in Japanese, as fact sheets and exposure tables print it."""
    scheme, stage = key
    if stage < 0:
        return "水位不明" if scheme != CRISIS_GAUGE else "危機管理型水位計：水位不明"
    if scheme == CRISIS_GAUGE:
        return (
            "危機管理型水位計：" + {0: "観測開始水位未満", 1: "観測中", 2: "危険水位超過", 3: "氾濫開始水位超過"}[stage]
        )
    return "平常（水防団待機水位未満）" if stage == 0 else f"警戒レベル{stage}相当"


def feature_status(layer: QgsVectorLayer, feature: QgsFeature, scheme=None) -> tuple[str, int]:
    """The status key of one gauge feature (read with its layer's scheme)."""
    scheme = scheme or scheme_for_layer(layer)
    names = feature.fields().names()
    level = _number(feature.attribute(scheme.fields.water_level)) if scheme.fields.water_level in names else None
    stage = None
    if level is not None:
        try:
            stage = scheme.read(feature, level).stage
        except ValueError:
            stage = None
    key = CRISIS_GAUGE if isinstance(scheme, CrisisGaugeScheme) else scheme.key
    return status_key(key, stage)


def gauge_statuses(layer: QgsVectorLayer) -> Iterator[tuple[QgsFeature, tuple[str, int]]]:
    """Every feature of a gauge layer with its status key."""
    from smartcity_qgis.analysis.river import read_station_table
    from smartcity_qgis.layers.rivers.monitor import STATION_TABLE_PROPERTY

    path = layer.customProperty(STATION_TABLE_PROPERTY, "")
    scheme = scheme_for_layer(layer, read_station_table(path) if path else None)
    for feature in layer.getFeatures():
        yield feature, feature_status(layer, feature, scheme)
