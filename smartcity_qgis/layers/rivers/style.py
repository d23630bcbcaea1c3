"""River water-level layers: 警戒レベル, trend, margin and staleness as fields, and their style.

:func:`annotate_river_layer` computes, for each station feature, the fields ``alert_level``,
``trend``, ``margin`` (metres to the next threshold) and ``stale`` from the threshold
attributes of the feature (names configurable; the embedded city OS's by default) or from
a station table. :func:`apply_river_style` then colours the points with the official
警戒レベル colours, greys stale gauges and labels each with its level, trend arrow and
margin to the next threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from qgis.core import (
    Qgis,
    QgsExpression,
    QgsFeatureRequest,
    QgsField,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRuleBasedLabeling,
    QgsRuleBasedRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, QVariant
from qgis.PyQt.QtGui import QColor

from smartcity_qgis.analysis.river import RiverThresholds, StationTable, alert_level, margin_to_next, trend
from smartcity_qgis.i18n import tr

# Official 警戒レベル colours; level 0 (below 水防団待機水位) has none, a calm blue is used.
LEVEL_COLOURS = {5: "#0C000C", 4: "#AA00AA", 3: "#FF2800", 2: "#F2E700", 1: "#FFFFFF", 0: "#6FA8DC"}
STALE_COLOUR = "#9E9E9E"
# Selected stations: a green no level of any scheme uses (QGIS's default yellow is level 2's).
SELECTION_COLOUR = "#00C853"
OUTLINE_COLOUR = "#333333"
ALERT_LEVEL, TREND, MARGIN, STALE = "alert_level", "trend", "margin", "stale"
ARROWS = {"rising": "↑", "falling": "↓", "steady": "→"}


@dataclass(frozen=True)
class RiverFieldMap:
    """Which layer fields hold the reading and the reference levels (the city OS's names by default)."""

    water_level: str = "waterLevel"
    standby: str = "standbyLevel"
    caution: str = "cautionLevel"
    evacuation: str = "evacuationLevel"
    danger: str = "dangerLevel"
    levee: str = "leveeCrownHeight"
    name: str = "stationName"
    observed: str = "dateObserved"
    station_id: str = "entity_id"


@dataclass
class AnnotationReport:
    """How many stations were annotated, and the stations whose levels could not be used."""

    annotated: int = 0
    problems: list[str] = field(default_factory=list)


def _plain(value):
    if value is None or (isinstance(value, QVariant) and value.isNull()):
        return None
    return value


def _number(value) -> float | None:
    value = _plain(value)
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _when(value) -> datetime | None:
    value = _plain(value)
    if isinstance(value, QDateTime):
        return value.toUTC().toPyDateTime().replace(tzinfo=UTC) if value.isValid() else None
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def _ensure_fields(layer: QgsVectorLayer) -> None:
    wanted = [
        QgsField(ALERT_LEVEL, QVariant.Int),
        QgsField(TREND, QVariant.String),
        QgsField(MARGIN, QVariant.Double),
        QgsField(STALE, QVariant.Int),
    ]
    missing = [f for f in wanted if layer.fields().lookupField(f.name()) < 0]
    if missing:
        if not layer.dataProvider().addAttributes(missing):
            raise ValueError(tr("The layer {0} cannot take new fields.").format(layer.name()))
        layer.updateFields()


def _table_thresholds(table: StationTable, station_id: str | None, name: str | None) -> RiverThresholds | None:
    for key in (station_id, (station_id or "").rsplit(":", 1)[-1], name):
        if key and key in table.thresholds:
            return table.thresholds[key]
    return None


def _thresholds(feature, fields: RiverFieldMap, names, station: str) -> RiverThresholds:
    def value(name: str) -> float | None:
        return _number(feature.attribute(name)) if name in names else None

    return RiverThresholds(
        standby=value(fields.standby),
        caution=value(fields.caution),
        evacuation=value(fields.evacuation),
        danger=value(fields.danger),
        levee=value(fields.levee),
        station=station,
    )


def station_thresholds(
    feature, fields: RiverFieldMap | None = None, station_table: StationTable | None = None
) -> RiverThresholds:
    """The reference levels of one station feature: from the station table when it lists the
    station (by id, the last part of an NGSI id, or name), else from the feature's attributes.

    Raises ``ValueError`` naming the station when they are missing or not increasing."""
    fields = fields or RiverFieldMap()
    names = set(feature.fields().names())
    station_id = str(_plain(feature.attribute(fields.station_id)) or "") if fields.station_id in names else ""
    name = str(_plain(feature.attribute(fields.name)) or "") if fields.name in names else ""
    found = station_table and _table_thresholds(station_table, station_id, name)
    return found or _thresholds(feature, fields, names, name or station_id or f"#{feature.id()}")


def annotate_river_layer(
    layer: QgsVectorLayer,
    fields: RiverFieldMap | None = None,
    station_table: StationTable | None = None,
    histories: Mapping[str, Sequence[float | tuple]] | None = None,
    now: datetime | None = None,
    stale_after: timedelta = timedelta(minutes=30),
    fids: Iterable[int] | None = None,
) -> AnnotationReport:
    """Write ``alert_level``, ``trend``, ``margin`` and ``stale`` into every station feature.

    Thresholds come from the station table when it lists the station (by id, the last part
    of an NGSI id, or name), otherwise from the feature's attributes. A station whose
    thresholds are missing or inconsistent gets no level and is listed in the report.
    ``histories`` maps station ids to recent readings (oldest first) for the trend.
    ``fids`` limits the work to these features (a live update of a few stations).
    """
    fields = fields or RiverFieldMap()
    now = now or datetime.now(UTC)
    _ensure_fields(layer)
    names = set(layer.fields().names())
    index = {name: layer.fields().lookupField(name) for name in (ALERT_LEVEL, TREND, MARGIN, STALE)}
    report = AnnotationReport()
    changes: dict[int, dict[int, object]] = {}
    request = QgsFeatureRequest().setFlags(QgsFeatureRequest.Flag.NoGeometry)
    if fids is not None:
        request.setFilterFids(list(fids))
    for feature in layer.getFeatures(request):
        station_id = str(_plain(feature.attribute(fields.station_id)) or "") if fields.station_id in names else ""
        name = str(_plain(feature.attribute(fields.name)) or "") if fields.name in names else ""
        station = station_id or name or f"#{feature.id()}"
        level = _number(feature.attribute(fields.water_level)) if fields.water_level in names else None
        observed = _when(feature.attribute(fields.observed)) if fields.observed in names else None
        if observed is not None and observed.tzinfo is None:
            observed = observed.replace(tzinfo=UTC)
        stale = observed is None or now - observed > stale_after
        values: dict[int, object] = {
            index[ALERT_LEVEL]: None,
            index[MARGIN]: None,
            index[STALE]: int(stale),
            index[TREND]: trend((histories or {}).get(station_id, [])),
        }
        try:
            thresholds = (station_table and _table_thresholds(station_table, station_id, name)) or _thresholds(
                feature, fields, names, name or station
            )
            if level is None:
                raise ValueError(f"station {name or station!r}: no water level reading")
            values[index[ALERT_LEVEL]] = alert_level(level, thresholds)
            values[index[MARGIN]] = margin_to_next(level, thresholds)
            report.annotated += 1
        except ValueError as exc:
            report.problems.append(str(exc))
        changes[feature.id()] = values
    if changes and not layer.dataProvider().changeAttributeValues(changes):
        raise ValueError(tr("The layer {0} did not accept the computed levels.").format(layer.name()))
    layer.triggerRepaint()
    return report


def level_label(level: int) -> str:
    """Legend text of a 警戒レベル (translated)."""
    return {
        5: tr("Level 5: flooding (levee crown reached)"),
        4: tr("Level 4: flood danger level (氾濫危険水位)"),
        3: tr("Level 3: evacuation decision level (避難判断水位)"),
        2: tr("Level 2: flood caution level (氾濫注意水位)"),
        1: tr("Level 1: flood-fighting standby level (水防団待機水位)"),
        0: tr("Below the standby level"),
    }[level]


def _marker(colour: str, outline: str = OUTLINE_COLOUR, size: str = "4.2") -> QgsMarkerSymbol:
    return QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": colour, "outline_color": outline, "outline_width": "0.5", "size": size}
    )


def river_renderer() -> QgsRuleBasedRenderer:
    """Rule-based renderer: stale gauges grey, then one rule per 警戒レベル, then unknown levels."""
    root = QgsRuleBasedRenderer.Rule(None)
    fresh = f'coalesce("{STALE}", 0) = 0'
    root.appendChild(QgsRuleBasedRenderer.Rule(_marker(STALE_COLOUR), 0, 0, f'"{STALE}" = 1', tr("No recent reading")))
    for level in (5, 4, 3, 2, 1, 0):
        root.appendChild(
            QgsRuleBasedRenderer.Rule(
                _marker(LEVEL_COLOURS[level]), 0, 0, f'{fresh} AND "{ALERT_LEVEL}" = {level}', level_label(level)
            )
        )
    unknown = _marker("0,0,0,0", outline=STALE_COLOUR)
    root.appendChild(
        QgsRuleBasedRenderer.Rule(unknown, 0, 0, f'{fresh} AND "{ALERT_LEVEL}" IS NULL', tr("Level unknown"))
    )
    return QgsRuleBasedRenderer(root)


def label_expression(fields: RiverFieldMap | None = None) -> str:
    """Label: station name, level in m with the trend arrow, and the margin to the next level."""
    fields = fields or RiverFieldMap()
    arrow = " ".join(f"WHEN \"{TREND}\" = '{key}' THEN ' {value}'" for key, value in ARROWS.items())
    margin_text = QgsExpression.quotedString(tr("{0} m to the next level"))
    stale_text = QgsExpression.quotedString(tr("no recent reading"))
    return (
        f"coalesce(\"{fields.name}\", '') || '\\n' || "
        f"coalesce(format_number(\"{fields.water_level}\", 2) || ' m', '–') || "
        f"CASE {arrow} ELSE '' END || "
        f"CASE WHEN \"{STALE}\" = 1 THEN '\\n' || {stale_text} "
        f"WHEN \"{MARGIN}\" IS NOT NULL THEN '\\n' || replace({margin_text}, '{{0}}', format_number(\"{MARGIN}\", 2)) "
        "ELSE '' END"
    )


def apply_river_style(layer: QgsVectorLayer, fields: RiverFieldMap | None = None) -> None:
    """Apply the 警戒レベル renderer and the level / trend / margin labels to a station layer."""
    layer.setRenderer(river_renderer())
    settings = QgsPalLayerSettings()
    settings.fieldName = label_expression(fields)
    settings.isExpression = True
    text = QgsTextFormat()
    text.setSize(8.5)
    text.setColor(QColor("#202020"))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor("#FFFFFF"))
    text.setBuffer(buffer)
    settings.setFormat(text)
    settings.dist = 1.5
    root = QgsRuleBasedLabeling.Rule(None)
    root.appendChild(QgsRuleBasedLabeling.Rule(settings))
    layer.setLabeling(QgsRuleBasedLabeling(root))
    layer.setLabelsEnabled(True)
    layer.triggerRepaint()


def _colour_distance(a: QColor, b: QColor) -> float:
    return ((a.red() - b.red()) ** 2 + (a.green() - b.green()) ** 2 + (a.blue() - b.blue()) ** 2) ** 0.5


def clashes_with_levels(colour: QColor, colours: Iterable[str] = (), limit: float = 80.0) -> bool:
    """True when ``colour`` is near a level colour (or one of ``colours``), e.g. QGIS's yellow and level 2."""
    return any(_colour_distance(colour, QColor(c)) < limit for c in (*LEVEL_COLOURS.values(), STALE_COLOUR, *colours))


def use_selection_colour(layer: QgsVectorLayer, project=None) -> None:
    """Draw selected stations of ``layer`` in `SELECTION_COLOUR`.

    QGIS 3.34 and later keep a selection colour per layer; before, the project's selection
    colour is changed (and saved with the project) when it would pass for a level colour.
    """
    colour = QColor(SELECTION_COLOUR)
    properties = getattr(layer, "selectionProperties", None)
    if properties is not None and hasattr(Qgis, "SelectionRenderingMode"):  # QGIS 3.34+
        selection = properties()
        selection.setSelectionColor(colour)
        selection.setSelectionRenderingMode(Qgis.SelectionRenderingMode.CustomColor)
        return
    if project is not None and clashes_with_levels(project.selectionColor()):
        project.setSelectionColor(colour)
