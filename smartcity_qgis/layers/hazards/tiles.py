"""ハザードマップポータル hazard tiles and GSI base maps (地理院タイル) as XYZ layers.

Each layer carries its credit line in its metadata rights (``QgsLayerMetadata.rights``)
so that map figures can print it. Tiles are fetched by QGIS only when drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from qgis.core import QgsDataSourceUri, QgsLayerMetadata, QgsRasterLayer

from smartcity_qgis.i18n import tr

HAZARD_CREDIT = "出典：ハザードマップポータルサイト"
GSI_CREDIT = "出典：地理院タイル（国土地理院）"
HAZARD_URL = "https://disaportaldata.gsi.go.jp/raster/{id}/{{z}}/{{x}}/{{y}}.png"
GSI_URL = "https://cyberjapandata.gsi.go.jp/xyz/{id}/{{z}}/{{x}}/{{y}}.{ext}"
TILE_KEY_PROPERTY = "smartcity/tile_key"


@dataclass(frozen=True)
class TileSource:
    """One XYZ tile set: its id on the server, zoom range, credit and whether it is a hazard layer."""

    key: str
    url: str
    zmin: int
    zmax: int
    credit: str
    hazard: bool


def _hazard(tile_id: str) -> TileSource:
    # The portal publishes its raster hazard tiles for zoom levels 2 to 17; cells without data answer 404.
    return TileSource(tile_id, HAZARD_URL.format(id=tile_id), 2, 17, HAZARD_CREDIT, True)


TILE_SOURCES: dict[str, TileSource] = {
    source.key: source
    for source in (
        _hazard("01_flood_l2_shinsuishin_data"),
        _hazard("01_flood_l1_shinsuishin_newlegend_data"),
        _hazard("01_flood_l2_keizoku_data"),
        _hazard("01_flood_l2_kaokutoukai_hanran_data"),
        _hazard("01_flood_l2_kaokutoukai_kagan_data"),
        _hazard("03_hightide_l2_shinsuishin_data"),
        _hazard("04_tsunami_newlegend_data"),
        _hazard("05_dosekiryukeikaikuiki"),
        _hazard("05_kyukeishakeikaikuiki"),
        _hazard("05_jisuberikeikaikuiki"),
        TileSource("std", GSI_URL.format(id="std", ext="png"), 5, 18, GSI_CREDIT, False),
        TileSource("pale", GSI_URL.format(id="pale", ext="png"), 5, 18, GSI_CREDIT, False),
        TileSource("seamlessphoto", GSI_URL.format(id="seamlessphoto", ext="jpg"), 2, 18, GSI_CREDIT, False),
    )
}


def tile_title(key: str) -> str:
    """The layer name of a tile set, for users (translated)."""
    titles = {
        "01_flood_l2_shinsuishin_data": tr("Flood inundation, maximum assumed scale (tiles)"),
        "01_flood_l1_shinsuishin_newlegend_data": tr("Flood inundation, planned scale (tiles)"),
        "01_flood_l2_keizoku_data": tr("Flood inundation duration (tiles)"),
        "01_flood_l2_kaokutoukai_hanran_data": tr("House collapse zones, flood flow (tiles)"),
        "01_flood_l2_kaokutoukai_kagan_data": tr("House collapse zones, bank erosion (tiles)"),
        "03_hightide_l2_shinsuishin_data": tr("Storm surge inundation (tiles)"),
        "04_tsunami_newlegend_data": tr("Tsunami inundation (tiles)"),
        "05_dosekiryukeikaikuiki": tr("Debris flow warning zones (tiles)"),
        "05_kyukeishakeikaikuiki": tr("Steep slope failure warning zones (tiles)"),
        "05_jisuberikeikaikuiki": tr("Landslide warning zones (tiles)"),
        "std": tr("GSI standard map"),
        "pale": tr("GSI pale map"),
        "seamlessphoto": tr("GSI aerial photographs"),
    }
    return titles[key]


def xyz_uri(source: TileSource) -> str:
    """The QGIS data source string of an XYZ tile set."""
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", source.url)
    uri.setParam("zmin", str(source.zmin))
    uri.setParam("zmax", str(source.zmax))
    return bytes(uri.encodedUri()).decode()


def tile_layer(key: str) -> QgsRasterLayer:
    """An XYZ layer for one of :data:`TILE_SOURCES`, with its credit in the metadata rights."""
    if key not in TILE_SOURCES:
        raise KeyError(f"unknown tile set {key!r}")
    source = TILE_SOURCES[key]
    layer = QgsRasterLayer(xyz_uri(source), tile_title(key), "wms")
    metadata = QgsLayerMetadata()
    metadata.setTitle(tile_title(key))
    metadata.setRights([source.credit])
    metadata.setIdentifier(source.url)
    layer.setMetadata(metadata)
    layer.setCustomProperty(TILE_KEY_PROPERTY, key)
    if source.hazard:
        layer.setOpacity(0.7)
    return layer


def layer_credits(layers) -> list[str]:
    """The distinct credit lines of layers (metadata rights), in layer order, for a figure's caption."""
    lines: list[str] = []
    for layer in layers:
        for right in layer.metadata().rights():
            if right and right not in lines:
                lines.append(right)
    return lines
