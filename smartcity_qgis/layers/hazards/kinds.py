"""The kinds of 国土数値情報 hazard files, how to recognise them, and their category styles.

A31a (洪水浸水想定区域, per river) carries five fields per kind, ``A31a_x01`` … ``A31a_x05``
(river code, river name, manager code, manager name, rank); x = 1 計画規模, 2 想定最大規模,
3 浸水継続時間, 4 家屋倒壊等氾濫想定区域. A31b (per 1st mesh) carries the rank alone in
``A31b_x01``. A33 (土砂災害警戒区域) has the phenomenon in ``A33_001`` and the zone class in
``A33_002``; A40 (津波浸水想定) a depth band as text in ``A40_003``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsLayerMetadata,
    QgsRendererCategory,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor

from smartcity_qgis import PLUGIN_DIR
from smartcity_qgis.analysis.exposure import depth_rank
from smartcity_qgis.credits import SYNTHETIC_PROPERTY, is_synthetic, set_layer_credit, synthetic_note
from smartcity_qgis.i18n import tr

CODE_LIST_DIR = PLUGIN_DIR / "resources" / "kokudosuuchi"

# 浸水深 colours of the 水害ハザードマップ作成の手引き, ranks 1 → 6.
DEPTH_COLOURS = {1: "#F7F5A9", 2: "#FFD8C0", 3: "#FFB7B7", 4: "#FF9191", 5: "#F285C9", 6: "#DC7ADC"}
# Duration and collapse zones: light to dark in the same family, longer / more dangerous darker.
DURATION_COLOURS = {
    1: "#CDE6F7",
    2: "#A3CFEF",
    3: "#79B5E4",
    4: "#4F98D6",
    5: "#2A78C2",
    6: "#1458A3",
    7: "#0A3A7A",
}
COLLAPSE_COLOURS = {1: "#E60012", 2: "#A0522D", 3: "#7B1FA2"}
# 土砂災害: the yellow zone (警戒区域) and the red zone (特別警戒区域); designated or not yet.
SEDIMENT_ZONE_COLOURS = {1: "#FFE600", 2: "#E60012", 3: "#FFF27F", 4: "#F07F88"}
NO_DATA_COLOUR = "#BDBDBD"


@dataclass(frozen=True)
class HazardKind:
    """One kind of hazard file: its key, the field holding the class, and its code list."""

    key: str
    dataset: str  # A31a, A31b, A33, A40
    fields: tuple[str, ...]  # fields that must all be present
    code_list: str | None  # file under resources/kokudosuuchi, None for A40's free text
    source: str  # credit line for layer metadata

    @property
    def rank_field(self) -> str:
        return self.fields[-1] if self.dataset != "A33" else "A33_002"


_A31_SOURCE = "出典：「国土数値情報（洪水浸水想定区域データ）」（国土交通省）"
KINDS: tuple[HazardKind, ...] = (
    *(
        HazardKind(f"A31a_{x}", "A31a", tuple(f"A31a_{x}0{i}" for i in range(1, 6)), code, _A31_SOURCE)
        for x, code in (
            (1, "codes_water_depth_code.csv"),
            (2, "codes_water_depth_code.csv"),
            (3, "codes_flood_duration_code.csv"),
            (4, "codes_hazardous_area_classification_code.csv"),
        )
    ),
    *(
        HazardKind(f"A31b_{x}", "A31b", (f"A31b_{x}01",), code, _A31_SOURCE)
        for x, code in (
            (1, "codes_water_depth_code.csv"),
            (2, "codes_water_depth_code.csv"),
            (3, "codes_flood_duration_code.csv"),
            (4, "codes_hazardous_area_classification_code.csv"),
        )
    ),
    HazardKind(
        "A33",
        "A33",
        ("A33_001", "A33_002"),
        "codes_CodeOfZone_h27.csv",
        "出典：「国土数値情報（土砂災害警戒区域データ）」（国土交通省）",
    ),
    HazardKind("A40", "A40", ("A40_003",), None, "出典：「国土数値情報（津波浸水想定データ）」（国土交通省）"),
)


def kind_title(kind: HazardKind) -> str:
    """The kind's name for users (translated)."""
    x = kind.key[-1]
    if kind.dataset in ("A31a", "A31b"):
        return {
            "1": tr("Flood inundation, planned scale"),
            "2": tr("Flood inundation, maximum assumed scale"),
            "3": tr("Flood inundation duration"),
            "4": tr("Zones of house collapse by flooding"),
        }[x]
    if kind.dataset == "A33":
        return tr("Sediment disaster warning zones")
    return tr("Tsunami inundation")


def detect_kinds(field_names: list[str]) -> list[HazardKind]:
    """The kinds whose fields are all present (names compared case-insensitively)."""
    present = {name.lower() for name in field_names}
    return [kind for kind in KINDS if all(f.lower() in present for f in kind.fields)]


@cache
def code_labels(file_name: str) -> dict[int, str]:
    """Code → Japanese label from a code list CSV in ``resources/kokudosuuchi``."""
    with open(CODE_LIST_DIR / file_name, encoding="utf-8", newline="") as handle:
        return {int(row["code"]): row["label"].strip() for row in csv.DictReader(handle)}


def _fill(colour: str, outline: str | None = None) -> QgsFillSymbol:
    symbol = QgsFillSymbol.createSimple(
        {
            "color": colour,
            "outline_color": outline or QColor(colour).darker(140).name(),
            "outline_width": "0.1",
            "style": "solid",
        }
    )
    return symbol


def _actual_field(layer: QgsVectorLayer, name: str) -> str:
    index = layer.fields().lookupField(name)
    return layer.fields().at(index).name() if index >= 0 else name


_BAND = re.compile(r"([0-9.]+)\s*m\s*以上")


def tsunami_band_lower_bound(text: str) -> float | None:
    """Lower bound in metres of an A40 depth band such as 「1.0m以上2.0m未満」 (0 for 「…未満」)."""
    normal = str(text).translate(str.maketrans("０１２３４５６７８９．ｍ", "0123456789.m"))
    match = _BAND.search(normal)
    if match:
        return float(match.group(1))
    if "未満" in normal:
        return 0.0
    return None


def hazard_categories(layer: QgsVectorLayer, kind: HazardKind) -> tuple[str, list[QgsRendererCategory]]:
    """The expression to classify by and the categories (colour and Japanese label)."""
    if kind.dataset in ("A31a", "A31b"):
        field = _actual_field(layer, kind.rank_field)
        labels = code_labels(kind.code_list)
        colours = {
            "codes_water_depth_code.csv": DEPTH_COLOURS,
            "codes_flood_duration_code.csv": DURATION_COLOURS,
            "codes_hazardous_area_classification_code.csv": COLLAPSE_COLOURS,
        }[kind.code_list]
        categories = [QgsRendererCategory(code, _fill(colours[code]), label, True) for code, label in labels.items()]
        return f'to_int("{field}")', categories
    if kind.dataset == "A33":
        phenomenon = _actual_field(layer, "A33_001")
        zone = _actual_field(layer, "A33_002")
        phenomena = code_labels("codes_CodeOfPhenomenon.csv")
        zones = code_labels("codes_CodeOfZone_h27.csv")
        categories = [
            QgsRendererCategory(p * 10 + z, _fill(SEDIMENT_ZONE_COLOURS[z]), f"{p_label}：{z_label}", True)
            for z, z_label in zones.items()
            for p, p_label in phenomena.items()
        ]
        return f'to_int("{phenomenon}") * 10 + to_int("{zone}")', categories
    field = _actual_field(layer, "A40_003")
    index = layer.fields().lookupField(field)
    values = sorted(
        (str(v) for v in layer.uniqueValues(index) if v is not None and str(v) not in ("", "NULL")),
        key=lambda v: (tsunami_band_lower_bound(v) is None, tsunami_band_lower_bound(v) or 0.0, v),
    )
    categories = []
    for value in values:
        lower = tsunami_band_lower_bound(value)
        rank = depth_rank(lower + 1e-9) if lower is not None else None
        categories.append(QgsRendererCategory(value, _fill(DEPTH_COLOURS.get(rank, NO_DATA_COLOUR)), value, True))
    return f'"{field}"', categories


def apply_hazard_style(layer: QgsVectorLayer, kind: HazardKind) -> None:
    """Categorised fill with the official colours and Japanese legend labels; credit in metadata."""
    expression, categories = hazard_categories(layer, kind)
    renderer = QgsCategorizedSymbolRenderer(expression, categories)
    layer.setRenderer(renderer)
    layer.setOpacity(0.75)
    metadata = layer.metadata() if isinstance(layer.metadata(), QgsLayerMetadata) else QgsLayerMetadata()
    metadata.setTitle(kind_title(kind))
    layer.setMetadata(metadata)
    # Synthetic data in the 国土数値情報 format is credited as synthetic, never to 国土数値情報.
    if is_synthetic(layer):
        layer.setCustomProperty(SYNTHETIC_PROPERTY, True)  # its own synthetic credit stays
    elif note := synthetic_note(layer):
        set_layer_credit(layer, note, synthetic=True)
    else:
        set_layer_credit(layer, kind.source, keep_other=True)
    layer.setCustomProperty("smartcity/hazard_kind", kind.key)
    layer.triggerRepaint()
