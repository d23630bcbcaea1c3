"""The crisis-management gauge layer (危機管理型水位計, 国土交通省「川の水位情報」).

One point per gauge in EPSG:4326 with its reading, its three thresholds (NULL where
unpublished), its status and the time of the reading (UTC, and as Japan time text for
people). `apply_gauges` changes the features in place by gauge code — the layer is never
rebuilt — and marks gauges absent from the latest file as not reported (their last reading
stays, greyed). The style colours gauges by status with a legend naming the thresholds in
Japanese; the credit 「出典：国土交通省 川の水位情報」 goes into the layer's metadata rights.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC
from typing import Any

from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsGeometry,
    QgsMarkerSymbol,
    QgsPointXY,
    QgsRuleBasedRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, Qt, QVariant

from smartcity_qgis.analysis.river_gauges import CREDIT_JA, STATUSES, Gauge
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.rivers.alerts import jst_text
from smartcity_qgis.layers.rivers.schemes import CRISIS_COLOURS, CRISIS_LAYER_PROPERTY, CrisisFields
from smartcity_qgis.layers.rivers.style import STALE_COLOUR

FIELDS = CrisisFields()
CRISIS_FIELDS = (
    (FIELDS.station_id, QVariant.String),
    (FIELDS.name, QVariant.String),
    (FIELDS.water_level, QVariant.Double),
    (FIELDS.start_level, QVariant.Double),
    (FIELDS.warn_level, QVariant.Double),
    (FIELDS.flood_level, QVariant.Double),
    ("status", QVariant.String),
    ("stage", QVariant.Int),
    ("margin", QVariant.Double),
    (FIELDS.observed, QVariant.DateTime),
    ("observed_jst", QVariant.String),
    ("pref_code", QVariant.String),
    ("town_code", QVariant.String),
    ("flags", QVariant.String),
    ("reported", QVariant.Int),
)
SYNTHETIC_PROPERTY = "smartcity/synthetic"


def create_crisis_layer(settings: dict[str, Any], name: str | None = None) -> QgsVectorLayer:
    """An empty crisis-gauge layer remembering its source (prefectures, URL, interval)."""
    layer = QgsVectorLayer("Point?crs=EPSG:4326", name or tr("Crisis-management gauges (川の水位情報)"), "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in CRISIS_FIELDS])
    layer.updateFields()
    layer.setCustomProperty(CRISIS_LAYER_PROPERTY, json.dumps(settings, ensure_ascii=False, sort_keys=True))
    set_credit(layer, synthetic=bool(settings.get("synthetic")))
    apply_crisis_style(layer)
    return layer


def crisis_settings(layer: QgsVectorLayer) -> dict[str, Any]:
    """The saved source settings of a crisis-gauge layer ({} for any other layer)."""
    raw = layer.customProperty(CRISIS_LAYER_PROPERTY, "")
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def set_credit(layer: QgsVectorLayer, synthetic: bool = False) -> None:
    """The credit line in the layer metadata (figures print it); synthetic data says so."""
    metadata = layer.metadata()
    rights = [CREDIT_JA]
    if synthetic:
        rights = [tr("Synthetic demo data in the format of 川の水位情報 (not real readings)")]
        layer.setCustomProperty(SYNTHETIC_PROPERTY, True)
    metadata.setRights(rights)
    layer.setMetadata(metadata)


def _stamp(gauge: Gauge) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(round(gauge.observed_at.timestamp() * 1000), Qt.TimeSpec.UTC)


def gauge_values(gauge: Gauge) -> dict[str, Any]:
    """The attribute values of one gauge, by field name."""
    return {
        FIELDS.station_id: gauge.code,
        FIELDS.name: gauge.name,
        FIELDS.water_level: gauge.level,
        FIELDS.start_level: gauge.start_level,
        FIELDS.warn_level: gauge.warn_level,
        FIELDS.flood_level: gauge.flood_level,
        "status": gauge.status,
        "stage": STATUSES.index(gauge.status),
        "margin": gauge.margin_to_next(),
        FIELDS.observed: _stamp(gauge),
        "observed_jst": jst_text(gauge.observed_at.astimezone(UTC)),
        "pref_code": gauge.pref_code,
        "town_code": gauge.town_code,
        "flags": "; ".join(gauge.flags),
        "reported": 1,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    if isinstance(value, QDateTime):
        return value.toMSecsSinceEpoch() if value.isValid() else None
    return value


def apply_gauges(layer: QgsVectorLayer, gauges: Iterable[Gauge], pref_codes: Iterable[str] = ()) -> dict[str, int]:
    """Bring the layer up to date with ``gauges`` in place; returns counts added / updated / unreported.

    Gauges of ``pref_codes`` that are on the layer but not in ``gauges`` keep their last reading
    and get ``reported`` 0 (a gauge that stops reporting in a flood must not vanish from the map).
    """
    fields = layer.fields()
    index = {name: fields.lookupField(name) for name, _type in CRISIS_FIELDS}
    code_index, pref_index = index[FIELDS.station_id], index["pref_code"]
    existing: dict[str, QgsFeature] = {}
    for feature in layer.dataProvider().getFeatures(QgsFeatureRequest()):
        existing[str(feature.attributes()[code_index])] = feature
    provider = layer.dataProvider()
    changes: dict[int, dict[int, Any]] = {}
    geometry_changes: dict[int, QgsGeometry] = {}
    new: list[QgsFeature] = []
    seen: set[str] = set()
    for gauge in gauges:
        seen.add(gauge.code)
        values = gauge_values(gauge)
        feature = existing.get(gauge.code)
        if feature is None:
            feature = QgsFeature(fields)
            feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(gauge.lon, gauge.lat)))
            for name, value in values.items():
                feature.setAttribute(index[name], value)
            new.append(feature)
            continue
        old = feature.attributes()
        changed = {index[n]: v for n, v in values.items() if _plain(old[index[n]]) != _plain(v)}
        if changed:
            changes[feature.id()] = changed
        point = feature.geometry().asPoint() if not feature.geometry().isNull() else None
        if point is None or (point.x(), point.y()) != (gauge.lon, gauge.lat):
            geometry_changes[feature.id()] = QgsGeometry.fromPointXY(QgsPointXY(gauge.lon, gauge.lat))
    prefs = set(pref_codes)
    unreported = 0
    for code, feature in existing.items():
        attrs = feature.attributes()
        if code not in seen and str(attrs[pref_index]) in prefs and attrs[index["reported"]] != 0:
            changes.setdefault(feature.id(), {})[index["reported"]] = 0
            unreported += 1
    if changes:
        provider.changeAttributeValues(changes)
    if geometry_changes:
        provider.changeGeometryValues(geometry_changes)
    if new:
        provider.addFeatures(new)
    if changes or geometry_changes or new:
        layer.updateExtents()
        layer.triggerRepaint()
    return {"added": len(new), "updated": len(changes) - unreported, "unreported": unreported}


def crisis_legend_label(stage: int) -> str:
    """Legend text naming the threshold reached (the Japanese names in every language)."""
    return {
        3: tr("Flooding level reached (氾濫開始水位)"),
        2: tr("Danger level reached (危険水位)"),
        1: tr("Observing: observation start level reached (観測開始水位)"),
        0: tr("Below the observation start level (観測開始水位)"),
    }[stage]


def _triangle(colour: str, outline: str = "#333333") -> QgsMarkerSymbol:
    return QgsMarkerSymbol.createSimple(
        {"name": "triangle", "color": colour, "outline_color": outline, "outline_width": "0.4", "size": "4.4"}
    )


def crisis_renderer() -> QgsRuleBasedRenderer:
    """Triangles by status (crisis gauges are told apart from the round 警戒レベル stations);
    gauges missing from the latest file grey."""
    root = QgsRuleBasedRenderer.Rule(None)
    root.appendChild(
        QgsRuleBasedRenderer.Rule(
            _triangle(STALE_COLOUR), 0, 0, '"reported" = 0', tr("Not in the latest file (last reading)")
        )
    )
    for stage in (3, 2, 1, 0):
        rule = f'coalesce("reported", 1) = 1 AND "stage" = {stage}'
        label = crisis_legend_label(stage)
        root.appendChild(QgsRuleBasedRenderer.Rule(_triangle(CRISIS_COLOURS[stage]), 0, 0, rule, label))
    return QgsRuleBasedRenderer(root)


def apply_crisis_style(layer: QgsVectorLayer) -> None:
    layer.setRenderer(crisis_renderer())
    layer.triggerRepaint()
