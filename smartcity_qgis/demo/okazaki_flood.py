"""Synthetic flood zones for Okazaki in the 国土数値情報 A31a schema (想定最大規模), CP932.

``python -m smartcity_qgis.demo.okazaki_flood [folder]`` writes
``A31a-20-23_okazaki_synthetic.shp`` (with .dbf, .shx, .prj, .cpg) into ``resources/demo/hazard``.

The zones are made up: depth-rank bands around simplified courses of the 矢作川 and the
乙川, wider on the low western plain of the 矢作川. They follow the real schema —
``A31a_201`` river code, ``A31a_202`` river name, ``A31a_203`` manager code,
``A31a_204`` manager, ``A31a_205`` 浸水深ランク — plus a ``NOTE`` field saying that they
are synthetic, and they are not the city's flood hazard map.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from shapely.geometry import LineString, Point, mapping
from shapely.ops import unary_union

from smartcity_qgis import PLUGIN_DIR

DEMO_DIR = PLUGIN_DIR / "resources" / "demo" / "hazard"
FLOOD_ZONES = DEMO_DIR / "A31a-20-23_okazaki_synthetic.shp"
SYNTHETIC_NOTE = "合成データ：実在の洪水浸水想定区域ではありません"
SYNTHETIC_CREDIT = (
    "合成データ（国土数値情報 A31a の形式による架空の洪水浸水想定区域。岡崎市の実際の想定ではありません）"
)

# Simplified river courses (lon, lat), upstream first.
YAHAGI = [
    (137.1600, 35.0400),
    (137.1540, 35.0200),
    (137.1495, 35.0020),
    (137.1470, 34.9800),
    (137.1427, 34.9555),
    (137.1380, 34.9420),
    (137.1335, 34.9290),
    (137.1280, 34.9100),
]
OTOGAWA = [
    (137.2250, 34.9420),
    (137.2050, 34.9465),
    (137.1860, 34.9512),
    (137.1637, 34.9569),
    (137.1520, 34.9552),
    (137.1440, 34.9530),
]
# (river code, river name, manager code, manager, course, band outer distances in m for ranks 4, 3, 2, 1)
RIVERS = (
    ("8505040001", "矢作川", 1, "国土交通省", YAHAGI, (180.0, 650.0, 1400.0, 2000.0)),
    ("8505040101", "乙川", 2, "愛知県", OTOGAWA, (0.0, 220.0, 600.0, 950.0)),
)

_LAT0 = 34.95
_M_PER_DEG_LAT = 110_940.0
_M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(_LAT0))
_LON0 = 137.17


def _to_metres(lon: float, lat: float) -> tuple[float, float]:
    return (lon - _LON0) * _M_PER_DEG_LON, (lat - _LAT0) * _M_PER_DEG_LAT


def _to_degrees(x: float, y: float) -> tuple[float, float]:
    return round(_LON0 + x / _M_PER_DEG_LON, 7), round(_LAT0 + y / _M_PER_DEG_LAT, 7)


def _band(course: LineString, distance: float, west_bias: float):
    """Area within a wavy distance of the river (wider to the west on the 矢作川 plain)."""
    if distance <= 0:
        return None
    blobs = []
    steps = max(2, int(course.length // 80))
    for i in range(steps + 1):
        s = course.length * i / steps
        p = course.interpolate(s)
        wave = 1.0 + 0.22 * math.sin(s / 650.0) + 0.12 * math.sin(s / 230.0 + 1.3)
        blobs.append(Point(p.x - west_bias * distance, p.y).buffer(distance * wave, 16))
    return unary_union(blobs).simplify(4.0)


def flood_zone_rows() -> list[tuple[dict, dict]]:
    """(attributes, GeoJSON geometry in lon/lat) of every synthetic depth-rank zone."""
    rows = []
    for code, name, manager_code, manager, course_deg, outer in RIVERS:
        course = LineString([_to_metres(lon, lat) for lon, lat in course_deg])
        west_bias = 0.25 if name == "矢作川" else 0.0
        bands = {rank: _band(course, d, west_bias) for rank, d in zip((4, 3, 2, 1), outer, strict=True)}
        inner = None
        for rank in (4, 3, 2, 1):
            zone = bands[rank]
            if zone is None:
                continue
            ring = zone if inner is None else zone.difference(inner)
            inner = zone if inner is None else unary_union([inner, zone])
            if ring.is_empty:
                continue
            geometry = mapping(ring)
            rows.append(
                (
                    {
                        "A31a_201": code,
                        "A31a_202": name,
                        "A31a_203": manager_code,
                        "A31a_204": manager,
                        "A31a_205": rank,
                        "NOTE": SYNTHETIC_NOTE,
                    },
                    _geometry_to_degrees(geometry),
                )
            )
    return rows


def _geometry_to_degrees(geometry: dict) -> dict:
    def ring(coords):
        return [list(_to_degrees(x, y)) for x, y in coords]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geometry["coordinates"]]}
    return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in poly] for poly in geometry["coordinates"]]}


def write_flood_zones(path: Path = FLOOD_ZONES) -> Path:
    """Write the synthetic zones as a CP932 Shapefile in JGD2011 (EPSG:6668)."""

    from osgeo import gdal, ogr

    ogr.UseExceptions()
    path.parent.mkdir(parents=True, exist_ok=True)
    # QGIS (when loaded in this process) turns GDAL's Shapefile recoding off; writing needs it.
    previous = gdal.GetThreadLocalConfigOption("SHAPE_ENCODING", None), gdal.GetConfigOption("SHAPE_ENCODING")
    gdal.SetThreadLocalConfigOption("SHAPE_ENCODING", None)
    gdal.SetConfigOption("SHAPE_ENCODING", None)
    try:
        return _write(path)
    finally:
        gdal.SetThreadLocalConfigOption("SHAPE_ENCODING", previous[0])
        gdal.SetConfigOption("SHAPE_ENCODING", previous[1])


def _write(path: Path) -> Path:
    import json

    from osgeo import ogr, osr

    driver = ogr.GetDriverByName("ESRI Shapefile")
    if path.exists():
        driver.DeleteDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(6668)
    dataset = driver.CreateDataSource(str(path))
    layer = dataset.CreateLayer(path.stem, srs, ogr.wkbMultiPolygon, options=["ENCODING=CP932"])
    for name, kind, width in (
        ("A31a_201", ogr.OFTString, 10),
        ("A31a_202", ogr.OFTString, 40),
        ("A31a_203", ogr.OFTInteger, 2),
        ("A31a_204", ogr.OFTString, 40),
        ("A31a_205", ogr.OFTInteger, 2),
        ("NOTE", ogr.OFTString, 80),
    ):
        definition = ogr.FieldDefn(name, kind)
        definition.SetWidth(width)
        layer.CreateField(definition)
    for attributes, geometry in flood_zone_rows():
        feature = ogr.Feature(layer.GetLayerDefn())
        for key, value in attributes.items():
            feature.SetField(key, value)
        geom = ogr.CreateGeometryFromJson(json.dumps(geometry))
        feature.SetGeometry(ogr.ForceToMultiPolygon(geom))
        layer.CreateFeature(feature)
    layer = None
    dataset = None  # closes the files
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) / FLOOD_ZONES.name if len(sys.argv) > 1 else FLOOD_ZONES
    print(write_flood_zones(target))
