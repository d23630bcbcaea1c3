"""Synthetic crisis-management gauges around Okazaki, in the 川の水位情報 area-file format.

**Synthetic**: the gauges, codes and readings are made up for the demo (every name starts with
「（合成）」 and the codes use the unassigned block 23000990xx); the rivers they stand on are real
small rivers of Okazaki so that the map reads true. A storm is one flood wave per gauge, rising
and falling over a day, the gauges nearer the hills cresting first.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from smartcity_qgis.analysis.river_gauges import JST

STORM_START = datetime(2026, 7, 1, 0, 0, tzinfo=JST)
SYNTHETIC_NOTE = "合成データ（デモ用）: 実在の観測値ではありません / synthetic demo data, not real readings"

# code, name, lat, lon, 観測開始水位, 危険水位 (None: unpublished), 氾濫開始水位, crest above 観測開始 (m), crest hour
GAUGES: list[tuple[str, str, float, float, float, float | None, float, float, float]] = [
    ("2300099001", "（合成）伊賀川・伊賀橋", 34.9660, 137.1655, 0.40, 1.30, 1.90, 1.75, 13.0),
    ("2300099002", "（合成）伊賀川・籠田橋", 34.9585, 137.1690, 0.30, None, 1.70, 1.60, 14.0),
    ("2300099003", "（合成）鉢地川・鉢地橋", 34.9030, 137.2170, -0.20, 0.80, 1.40, 1.20, 11.0),
    ("2300099004", "（合成）山綱川・山綱橋", 34.9180, 137.2060, -0.50, None, 0.90, 0.95, 12.0),
    ("2300099005", "（合成）男川・大平橋", 34.9410, 137.2210, 0.10, 1.20, 1.80, 1.05, 12.5),
    ("2300099006", "（合成）占部川・占部橋", 34.9400, 137.1350, 0.20, 0.90, 1.50, 1.45, 15.0),
    ("2300099007", "（合成）青木川・青木橋", 34.9920, 137.2010, -0.30, None, 1.10, 0.70, 12.0),
    ("2300099008", "（合成）郡界川・郡界橋", 34.9860, 137.2470, 0.00, 0.70, 1.30, 0.50, 10.0),
]


def level_at(gauge: tuple, hour: float) -> float:
    """The synthetic level of a gauge ``hour`` hours after the storm started (one flood wave)."""
    _code, _name, _lat, _lon, start, _warn, _flood, crest, crest_hour = gauge
    base = start - 0.45
    return round(base + (crest + 0.45) * math.exp(-(((hour - crest_hour) / 4.0) ** 2)), 2)


def area_document(hour: int) -> dict[str, Any]:
    """The area file of 愛知県 (23000) ``hour`` hours into the storm, as 川の水位情報 publishes it."""
    when = STORM_START + timedelta(hours=hour)
    obss = []
    for gauge in GAUGES:
        code, name, lat, lon, start, warn, flood, _crest, _hour = gauge
        obss.append({
            "code": code, "name": name, "obsTime": when.isoformat(timespec="seconds"), "level": level_at(gauge, hour),
            "startLevel": start, "warnLevel": warn, "fladLevel": flood, "lat": lat, "lon": lon,
            "townCode": "23202", "prefCode": "23000", "point": 67, "over": 1, "qt": None, "kana": "", "addrKana": "",
        })  # fmt: skip
    return {"obss": obss}
