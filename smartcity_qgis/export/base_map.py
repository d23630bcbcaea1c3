"""The GSI pale map (地理院タイル 淡色地図) under printed figures, when it can be reached.

A figure for a plan reads better on a base map; but a city hall's network is often closed, and a
figure must never pretend to show a base map it could not draw. Before a figure is built, one tile
is fetched (a few seconds at most, and remembered for ten minutes): if it arrives, the pale map is
drawn under the figure's layers and credited; if not, the figure says that no base map was
available.
"""

from __future__ import annotations

import time

from qgis.core import QgsBlockingNetworkRequest, QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest

from smartcity_qgis.i18n import tr
from smartcity_qgis.layers.hazards.tiles import TILE_KEY_PROPERTY, TILE_SOURCES, tile_layer

BASE_MAP_KEY = "pale"
BASE_MAP_KEYS = ("pale", "std", "seamlessphoto")
# A tile over central Japan at a zoom every GSI base map serves.
PROBE_TILE = (5, 28, 12)
PROBE_TIMEOUT_MS = 4000
REMEMBER_S = 600.0

_probes: dict[str, tuple[float, bool]] = {}


def tiles_reachable(url_template: str, timeout_ms: int = PROBE_TIMEOUT_MS) -> bool:
    """True when one tile of ``url_template`` (``{z}/{x}/{y}``) can be fetched now."""
    now = time.monotonic()
    known = _probes.get(url_template)
    if known is not None and now - known[0] < REMEMBER_S:
        return known[1]
    z, x, y = PROBE_TILE
    request = QNetworkRequest(QUrl(url_template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))))
    request.setTransferTimeout(timeout_ms)
    blocking = QgsBlockingNetworkRequest()
    ok = blocking.get(request, forceRefresh=True) == QgsBlockingNetworkRequest.ErrorCode.NoError
    if ok:
        reply = blocking.reply()
        ok = len(bytes(reply.content())) > 0
    _probes[url_template] = (now, ok)
    return ok


def forget_probes() -> None:
    """Probe again next time (after the network came back)."""
    _probes.clear()


def project_base_map(project: QgsProject) -> QgsRasterLayer | None:
    """A GSI base map layer already in the project, if any."""
    for layer in project.mapLayers().values():
        if layer.customProperty(TILE_KEY_PROPERTY) in BASE_MAP_KEYS:
            return layer
    return None


def figure_base_map(project: QgsProject) -> tuple[QgsRasterLayer | None, str]:
    """The base map to draw under a figure, and the note to print when there is none.

    The layer is the project's own GSI base map if it has one, else the pale map, added to the
    project (at the bottom of the layer tree) so that the layout kept in the project still finds it.
    """
    layer = project_base_map(project)
    key = layer.customProperty(TILE_KEY_PROPERTY) if layer is not None else BASE_MAP_KEY
    if not tiles_reachable(TILE_SOURCES[key].url):
        return None, tr("No base map: the GSI tiles (地理院タイル) could not be reached when this figure was made.")
    if layer is None:
        layer = tile_layer(BASE_MAP_KEY)
        project.addMapLayer(layer, False)
        project.layerTreeRoot().insertLayer(-1, layer)
    return layer, ""
