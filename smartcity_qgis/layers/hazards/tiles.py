"""ハザードマップポータル hazard tiles and GSI base maps (地理院タイル) as XYZ layers.

Each layer carries its credit line in its metadata rights (``QgsLayerMetadata.rights``)
so that map figures can print it. Tiles are fetched by QGIS only when drawn; a tile server
that cannot be reached would leave its layers blank without a word, so `TileAccessCheck`
asks each server for one tile in the background when its layers are added and tells, once
per server, that it cannot be reached.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from qgis.core import QgsDataSourceUri, QgsLayerMetadata, QgsNetworkAccessManager, QgsRasterLayer
from qgis.PyQt.QtCore import QObject, QUrl, pyqtSignal
from qgis.PyQt.QtNetwork import QNetworkReply, QNetworkRequest

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


# The tile asked for when checking a server: the one over central Okazaki (any tile would do; a
# server answering 404 for a tile without data is reachable all the same).
PROBE_LON_LAT = (137.174, 34.954)


def xyz_source(layer) -> tuple[str, int, int] | None:
    """The URL template and zoom range of an XYZ layer (None for any other layer)."""
    if not isinstance(layer, QgsRasterLayer) or layer.providerType() != "wms":
        return None
    uri = QgsDataSourceUri()
    uri.setEncodedUri(layer.source())
    if uri.param("type") != "xyz" or not uri.param("url"):
        return None
    zmin = int(uri.param("zmin") or 0)
    zmax = int(uri.param("zmax") or 18)
    return uri.param("url"), zmin, zmax


def probe_tile_url(template: str, zmin: int, zmax: int, lon_lat: tuple[float, float] = PROBE_LON_LAT) -> str:
    """The URL of one tile of ``template`` (web-mercator XYZ) at a mid zoom within its range."""
    zoom = min(max(zmin, 10), zmax)
    lon, lat = lon_lat
    n = 2**zoom
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return template.replace("{z}", str(zoom)).replace("{x}", str(x)).replace("{y}", str(y))


class TileAccessCheck(QObject):
    """Asks each tile server for one tile in the background; says once when one cannot be reached.

    ``unreachable(host, layer names)`` is emitted once per server until it answers again
    (``reachable(host)``). Any HTTP answer, a 404 included, means the server is reachable.
    Requests go through QGIS's network manager, so QGIS's proxy settings apply.
    """

    unreachable = pyqtSignal(str, list)
    reachable = pyqtSignal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: dict[str, list[str]] = {}  # host -> layer names waiting for the answer
        self._replies: dict[str, QNetworkReply] = {}
        self.down: set[str] = set()  # hosts said to be unreachable (and not back since)

    def check(self, layers) -> list[str]:
        """Check the servers of the XYZ ``layers``; returns the hosts asked now."""
        asked = []
        for layer in layers:
            source = xyz_source(layer)
            if source is None:
                continue
            url = probe_tile_url(*source)
            host = urlsplit(url).netloc
            if host in self._pending:
                self._pending[host].append(layer.name())
                continue
            self._pending[host] = [layer.name()]
            reply = QgsNetworkAccessManager.instance().get(QNetworkRequest(QUrl(url)))
            self._replies[host] = reply
            reply.finished.connect(lambda host=host: self._answered(host))
            asked.append(host)
        return asked

    def busy(self) -> bool:
        """True while an answer is awaited."""
        return bool(self._replies)

    def _answered(self, host: str) -> None:
        reply = self._replies.pop(host, None)
        names = self._pending.pop(host, [])
        if reply is None:
            return
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        reply.deleteLater()
        if status is not None:
            if host in self.down:
                self.down.discard(host)
                self.reachable.emit(host)
            return
        if host not in self.down:
            self.down.add(host)
            self.unreachable.emit(host, names)


_check: TileAccessCheck | None = None


def tile_access() -> TileAccessCheck:
    """The session's tile server check (created on first use)."""
    global _check
    if _check is None:
        _check = TileAccessCheck()
    return _check
