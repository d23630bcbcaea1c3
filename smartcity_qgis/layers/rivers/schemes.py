"""Threshold schemes of river gauges: what a reading means, in each gauge network's own terms.

* `WarningLevelScheme` — 水位周知河川 / 洪水予報河川 stations (city-OS ``WaterObserved`` layers,
  station tables): four reference levels and the levee crown, 警戒レベル 0–5.
* `CrisisGaugeScheme` — 危機管理型水位計 of 国土交通省「川の水位情報」: 観測開始水位, 危険水位 and
  氾濫開始水位, any of them unpublished; stages 0 normal, 1 observing, 2 danger, 3 flood.

Each scheme reads one feature into a stage, the stages the station can reach, the margin to the
next threshold and the lines of its chart, and names its stages. ``rank`` puts stages of both
schemes on one severity scale for the River levels panel: a crisis gauge's 氾濫開始水位 ranks with
警戒レベル 5 (flooding), its 危険水位 with level 4 and its 観測開始水位 with level 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from qgis.core import QgsFeature, QgsVectorLayer

from smartcity_qgis.analysis.river import StationTable, alert_level, margin_to_next
from smartcity_qgis.analysis.river_gauges import STATUSES, gauge_status
from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.rivers.style import LEVEL_COLOURS, RiverFieldMap, _number, station_thresholds

WARNING_LEVELS = "warning_levels"
CRISIS_GAUGE = "crisis_gauge"
CRISIS_LAYER_PROPERTY = "smartcity/crisis_gauges"

# Chart lines: the official colours, darker where they would vanish on white.
CHART_LINE_COLOURS = {1: "#808080", 2: "#C9B800", 3: "#FF2800", 4: "#AA00AA", 5: "#0C000C"}
# Crisis gauges take the colour of the 警戒レベル their threshold stands for (see the module doc).
CRISIS_COLOURS = {3: "#0C000C", 2: "#AA00AA", 1: "#FFFFFF", 0: "#6FA8DC"}
CRISIS_CHART_COLOURS = {1: "#808080", 2: "#AA00AA", 3: "#0C000C"}
CRISIS_RANKS = {0: 0.0, 1: 1.0, 2: 4.0, 3: 5.0}
# Shaded chart bands: level 1's official white would not show on white, a light grey stands in.
BAND_COLOURS = {1: "#BDBDBD", 2: "#F2E700", 3: "#FF2800", 4: "#AA00AA", 5: "#0C000C"}
CRISIS_BAND_COLOURS = {1: "#BDBDBD", 2: "#AA00AA", 3: "#0C000C"}


def _bands(values: list[float], colours: list[str]) -> list[tuple[float, float, str]]:
    bounds = [*values[1:], float("inf")]
    return [(low, high, colour) for low, high, colour in zip(values, bounds, colours, strict=True)]


@dataclass(frozen=True)
class CrisisFields:
    """Fields of a crisis-gauge layer (as `layers.rivers.crisis_layer` writes them)."""

    station_id: str = "code"
    name: str = "name"
    water_level: str = "level"
    observed: str = "observed"
    start_level: str = "start_level"
    warn_level: str = "warn_level"
    flood_level: str = "flood_level"


@dataclass(frozen=True)
class Reading:
    """What a scheme makes of one feature."""

    stage: int | None
    levels: tuple[int, ...]  # the stages this station can be at
    margin: float | None


class WarningLevelScheme:
    """警戒レベル 0–5 from the four reference levels (feature attributes or a station table)."""

    key = WARNING_LEVELS
    annotates = True  # the monitor writes alert_level, trend, margin, stale into the layer

    def __init__(self, fields: RiverFieldMap | None = None, station_table: StationTable | None = None) -> None:
        self.fields = fields or RiverFieldMap()
        self.station_table = station_table

    @property
    def watched(self) -> set[str]:
        f = self.fields
        return {f.water_level, f.standby, f.caution, f.evacuation, f.danger, f.levee, f.observed, f.name}

    def read(self, feature: QgsFeature, level: float) -> Reading:
        """Raises ``ValueError`` naming the station when its thresholds cannot be used."""
        thresholds = station_thresholds(feature, self.fields, self.station_table)
        levels = tuple(range(len(thresholds.ordered()) + 1))
        return Reading(alert_level(level, thresholds), levels, margin_to_next(level, thresholds))

    def chart_lines(self, feature: QgsFeature) -> list[tuple[str, float, str]]:
        try:
            thresholds = station_thresholds(feature, self.fields, self.station_table)
        except ValueError:
            return []
        return [
            (f"{tr('Level')} {level}: {self.threshold_name(level)}", value, CHART_LINE_COLOURS[level])
            for level, value in enumerate(thresholds.ordered(), start=1)
        ]

    def chart_bands(self, feature: QgsFeature) -> list[tuple[float, float, str]]:
        """(low, high, colour) of each 警戒レベル band from level 1 up (the top one open-ended)."""
        try:
            values = station_thresholds(feature, self.fields, self.station_table).ordered()
        except ValueError:
            return []
        return _bands(values, [BAND_COLOURS[level] for level in range(1, len(values) + 1)])

    @staticmethod
    def threshold_name(stage: int) -> str:
        """The reference level whose reaching starts 警戒レベル ``stage`` (translated)."""
        return {
            1: tr("flood-fighting standby level"),
            2: tr("flood caution level"),
            3: tr("evacuation decision level"),
            4: tr("flood danger level"),
            5: tr("levee crown height"),
        }.get(stage, "")

    def stage_text(self, stage: int | None) -> str:
        return "–" if stage is None else str(stage)

    def stage_tip(self, stage: int | None) -> str:
        return self.threshold_name(stage or 0) if stage else tr("Below the standby level")

    @staticmethod
    def colour(stage: int | None) -> str:
        return LEVEL_COLOURS.get(stage if stage is not None else -1, "#FFFFFF")

    @staticmethod
    def rank(stage: int | None) -> float:
        return -1.0 if stage is None else float(stage)

    def crossing_message(self, name: str, from_stage: int, to_stage: int) -> str:
        station = name[: -len("観測所")] if name.endswith("観測所") and len(name) > 3 else name
        if to_stage > from_stage:
            return tr("Station {0} reached the {1} (level {2}).").format(
                station, self.threshold_name(to_stage), to_stage
            )
        return tr("Station {0} fell below the {1} (now level {2}).").format(
            station, self.threshold_name(from_stage), to_stage
        )


class CrisisGaugeScheme:
    """危機管理型水位計: 0 normal, 1 observing (観測開始水位), 2 danger (危険水位), 3 flood (氾濫開始水位)."""

    key = CRISIS_GAUGE
    annotates = False  # the crisis-gauge layer carries its status already

    def __init__(self, fields: CrisisFields | None = None) -> None:
        self.fields = fields or CrisisFields()

    @property
    def watched(self) -> set[str]:
        f = self.fields
        return {f.water_level, f.observed, f.start_level, f.warn_level, f.flood_level, f.name}

    def _thresholds(self, feature: QgsFeature) -> dict[int, float | None]:
        f = self.fields
        names = feature.fields().names()

        def value(name: str) -> float | None:
            return _number(feature.attribute(name)) if name in names else None

        return {1: value(f.start_level), 2: value(f.warn_level), 3: value(f.flood_level)}

    def read(self, feature: QgsFeature, level: float) -> Reading:
        thresholds = self._thresholds(feature)
        stage = STATUSES.index(gauge_status(level, thresholds[1], thresholds[2], thresholds[3]))
        levels = (0, *(s for s, v in thresholds.items() if v is not None))
        above = [v for v in thresholds.values() if v is not None and v > level]
        return Reading(stage, levels, min(above) - level if above else None)

    def chart_lines(self, feature: QgsFeature) -> list[tuple[str, float, str]]:
        return [
            (self.threshold_name(stage), value, CRISIS_CHART_COLOURS[stage])
            for stage, value in self._thresholds(feature).items()
            if value is not None
        ]

    def chart_bands(self, feature: QgsFeature) -> list[tuple[float, float, str]]:
        """(low, high, colour) above each published threshold (each applied as published)."""
        published = sorted((v, s) for s, v in self._thresholds(feature).items() if v is not None)
        return _bands([v for v, _s in published], [CRISIS_BAND_COLOURS[s] for _v, s in published])

    @staticmethod
    def threshold_name(stage: int) -> str:
        return {
            1: tr("observation start level (観測開始水位)"),
            2: tr("danger level (危険水位)"),
            3: tr("flooding level (氾濫開始水位)"),
        }.get(stage, "")

    @staticmethod
    def stage_name(stage: int | None) -> str:
        return {
            0: tr("normal"),
            1: tr("observing"),
            2: tr("danger level reached"),
            3: tr("flooding level reached"),
        }.get(stage if stage is not None else -1, "–")

    def stage_text(self, stage: int | None) -> str:
        return self.stage_name(stage)

    def stage_tip(self, stage: int | None) -> str:
        return tr("Crisis-management gauge: {0}").format(self.threshold_name(stage) if stage else self.stage_name(0))

    @staticmethod
    def colour(stage: int | None) -> str:
        return CRISIS_COLOURS.get(stage if stage is not None else -1, "#FFFFFF")

    @staticmethod
    def rank(stage: int | None) -> float:
        return -1.0 if stage is None else CRISIS_RANKS.get(stage, 0.0)

    def crossing_message(self, name: str, from_stage: int, to_stage: int) -> str:
        if to_stage > from_stage:
            return tr("Gauge {0} reached the {1}.").format(name, self.threshold_name(to_stage))
        return tr("Gauge {0} fell below the {1}.").format(name, self.threshold_name(from_stage))


RiverScheme = WarningLevelScheme | CrisisGaugeScheme


def is_crisis_layer(layer: QgsVectorLayer) -> bool:
    """True for a crisis-gauge layer made by this plugin (live or replayed)."""
    return bool(layer.customProperty(CRISIS_LAYER_PROPERTY, ""))


def scheme_for_layer(layer: QgsVectorLayer, station_table: StationTable | None = None) -> RiverScheme:
    """The scheme of a station layer: crisis gauges for crisis-gauge layers, 警戒レベル otherwise."""
    if is_crisis_layer(layer):
        return CrisisGaugeScheme()
    return WarningLevelScheme(station_table=station_table)
