"""The GSI pale map under figures when its tiles can be reached; an honest note when they cannot."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice
from qgis.PyQt.QtGui import QColor, QImage

from smartcity_qgis.export import base_map
from smartcity_qgis.export.figure import FigureSpec, build_figure, export_layout
from smartcity_qgis.layers.hazards.tiles import TILE_KEY_PROPERTY, TILE_SOURCES
from tests.conftest import free_port
from tests.qgis.planning_fixtures import square_district

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is needed")
TILE_BLUE = QColor(40, 90, 200)


def _png_tile() -> bytes:
    image = QImage(256, 256, QImage.Format_RGB32)
    image.fill(TILE_BLUE)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


class _Tiles(BaseHTTPRequestHandler):
    tile = b""
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.tile)))
        self.end_headers()
        self.wfile.write(self.tile)

    def log_message(self, *args):
        pass


@pytest.fixture
def tile_server():
    _Tiles.tile = _png_tile()
    _Tiles.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/pale/{{z}}/{{x}}/{{y}}.png"
    server.shutdown()
    server.server_close()


@pytest.fixture
def districts(qgis_app, tmp_path):
    base_map.forget_probes()
    layer = square_district(tmp_path / "districts.gpkg")
    yield layer
    base_map.forget_probes()
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layoutManager().clear()


def _text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()


def _blue_share(image: QImage) -> float:
    total = blue = 0
    for y in range(int(image.height() * 0.3), int(image.height() * 0.8), 4):
        for x in range(int(image.width() * 0.05), int(image.width() * 0.6), 4):
            colour = image.pixelColor(x, y)
            total += 1
            blue += abs(colour.red() - TILE_BLUE.red()) < 30 and abs(colour.blue() - TILE_BLUE.blue()) < 30
    return blue / total


def test_the_pale_map_is_drawn_under_the_figure_and_credited(districts, tile_server, tmp_path, monkeypatch):
    monkeypatch.setitem(TILE_SOURCES, "pale", dataclasses.replace(TILE_SOURCES["pale"], url=tile_server))
    layout = build_figure(FigureSpec(title="背景地図", layers=[], districts=districts))
    pdf = export_layout(layout, tmp_path / "figure.pdf", "pdf", dpi=60)
    text = _text(pdf)
    assert "地理院タイル" in text, "the base map is credited"
    assert "No base map" not in text and "背景地図なし" not in text
    png = export_layout(layout, tmp_path / "figure.png", "png", dpi=40)
    assert _blue_share(QImage(str(png))) > 0.5, "the tiles are drawn under the district"
    assert len(_Tiles.hits) > 1, "tiles were fetched for the map, not only the probe"
    added = [lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.customProperty(TILE_KEY_PROPERTY)]
    assert len(added) == 1, "the base map is in the project, so the kept layout finds it"
    layout_again = build_figure(FigureSpec(title="背景地図 2", layers=[], districts=districts))
    assert layout_again is not None
    again = [lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.customProperty(TILE_KEY_PROPERTY)]
    assert len(again) == 1, "a second figure reuses the project's base map"


def test_without_the_tiles_the_figure_says_there_is_no_base_map(districts, tmp_path, monkeypatch):
    dead = f"http://127.0.0.1:{free_port()}/pale/{{z}}/{{x}}/{{y}}.png"
    monkeypatch.setitem(TILE_SOURCES, "pale", dataclasses.replace(TILE_SOURCES["pale"], url=dead))
    layout = build_figure(FigureSpec(title="背景地図なし", layers=[], districts=districts))
    text = _text(export_layout(layout, tmp_path / "figure.pdf", "pdf", dpi=60))
    assert "No base map" in text and "地理院タイル" in text
    assert "出典：地理院タイル" not in text, "a base map that was not drawn is not credited"
    assert not [lyr for lyr in QgsProject.instance().mapLayers().values() if lyr.customProperty(TILE_KEY_PROPERTY)]


def test_a_figure_can_be_made_without_a_base_map(districts, tile_server, tmp_path, monkeypatch):
    monkeypatch.setitem(TILE_SOURCES, "pale", dataclasses.replace(TILE_SOURCES["pale"], url=tile_server))
    layout = build_figure(FigureSpec(title="なし", layers=[], districts=districts, base_map=False))
    text = _text(export_layout(layout, tmp_path / "figure.pdf", "pdf", dpi=60))
    assert "地理院タイル" not in text and _Tiles.hits == []
