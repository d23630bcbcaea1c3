"""Which plane-rectangular zone (平面直角座標系, JGD2011 EPSG:6669–6687) a point falls in.

The zones are defined by prefecture (and, for Hokkaido, Tokyo's islands, Okinawa and
Kagoshima's islands, by sub-prefecture areas and meridians): 国土交通省告示第九号 (2002).
Without prefecture boundaries at hand, this module decides geometrically and simply:

1. special areas first, by the meridians and parallels of the notice: Okinawa (XV, XVI, XVII
   split at 126° E and 130° E), Tokyo's islands south of 28° N (XIV, XVIII, XIX), Kagoshima's
   islands west of 130° E (I), and Hokkaido split into XI / XII / XIII along approximate
   sub-prefecture lines;
2. otherwise the point is looked up in a rough bounding box of every prefecture; when boxes
   of different zones overlap (near prefecture borders) or no box holds the point (at sea),
   the zone whose origin is nearest wins.

Prefecture capitals and city centres come out right; within a few kilometres of a prefecture
border the answer can be the neighbour's zone. Callers that know the prefecture should pass
the zone explicitly instead.
"""

from __future__ import annotations

import math

ZONE_EPSG_BASE = 6668  # zone I is EPSG:6669

# zone number -> origin (lat, lon) in degrees
ZONE_ORIGINS: dict[int, tuple[float, float]] = {
    1: (33.0, 129.5),
    2: (33.0, 131.0),
    3: (36.0, 132 + 10 / 60),
    4: (33.0, 133.5),
    5: (36.0, 134 + 20 / 60),
    6: (36.0, 136.0),
    7: (36.0, 137 + 10 / 60),
    8: (36.0, 138.5),
    9: (36.0, 139 + 50 / 60),
    10: (40.0, 140 + 50 / 60),
    11: (44.0, 140.25),
    12: (44.0, 142.25),
    13: (44.0, 144.25),
    14: (26.0, 142.0),
    15: (26.0, 127.5),
    16: (26.0, 124.0),
    17: (26.0, 131.0),
    18: (20.0, 136.0),
    19: (26.0, 154.0),
}

# (prefecture, zone, (west, south, east, north)): rough boxes, some prefectures in pieces
PREFECTURE_BOXES: tuple[tuple[str, int, tuple[float, float, float, float]], ...] = (
    ("長崎県", 1, (128.55, 32.55, 130.40, 34.75)),
    ("福岡県", 2, (130.00, 33.00, 131.20, 34.00)),
    ("佐賀県", 2, (129.70, 32.95, 130.55, 33.62)),
    ("熊本県", 2, (130.42, 32.10, 131.35, 33.20)),
    ("熊本県 天草", 2, (129.95, 32.10, 130.50, 32.65)),
    ("大分県", 2, (130.80, 32.70, 132.10, 33.75)),
    ("宮崎県", 2, (130.70, 31.35, 131.90, 32.85)),
    ("鹿児島県", 2, (129.95, 30.20, 131.20, 32.30)),
    ("山口県", 3, (130.75, 33.70, 132.50, 34.80)),
    ("島根県", 3, (131.65, 34.30, 133.40, 35.60)),
    ("島根県 隠岐", 3, (132.60, 35.90, 133.40, 36.40)),
    ("広島県", 3, (132.00, 34.00, 133.50, 35.10)),
    ("香川県", 4, (133.45, 34.00, 134.45, 34.55)),
    ("愛媛県", 4, (132.00, 32.90, 133.70, 34.30)),
    ("徳島県", 4, (133.65, 33.50, 134.80, 34.25)),
    ("高知県", 4, (132.45, 32.70, 134.35, 33.90)),
    ("兵庫県", 5, (134.25, 34.15, 135.47, 35.70)),
    ("鳥取県", 5, (133.10, 35.05, 134.50, 35.60)),
    ("岡山県", 5, (133.25, 34.30, 134.45, 35.35)),
    ("京都府", 6, (134.85, 34.70, 136.06, 35.80)),
    ("大阪府", 6, (135.33, 34.38, 135.75, 35.05)),
    ("大阪府 泉南", 6, (135.08, 34.27, 135.45, 34.40)),
    ("福井県", 6, (135.45, 35.35, 136.85, 36.30)),
    ("滋賀県", 6, (135.76, 34.80, 136.46, 35.70)),
    ("三重県", 6, (135.85, 33.70, 136.99, 35.26)),
    ("奈良県", 6, (135.54, 33.85, 136.23, 34.78)),
    ("和歌山県", 6, (135.00, 33.40, 136.00, 34.40)),
    ("石川県", 7, (136.25, 36.05, 137.40, 37.55)),
    ("富山県", 7, (136.75, 36.27, 137.77, 36.99)),
    ("岐阜県", 7, (136.27, 35.13, 137.66, 36.47)),
    ("愛知県", 7, (136.67, 34.57, 137.84, 35.43)),
    ("新潟県", 8, (137.60, 36.74, 139.90, 38.56)),
    ("長野県", 8, (137.30, 35.20, 138.74, 37.03)),
    ("山梨県", 8, (138.18, 35.17, 139.13, 35.97)),
    ("静岡県", 8, (137.47, 34.57, 139.15, 35.65)),
    ("福島県", 9, (139.16, 36.79, 141.05, 37.98)),
    ("栃木県", 9, (139.33, 36.20, 140.30, 37.16)),
    ("茨城県", 9, (139.68, 35.74, 140.85, 36.95)),
    ("埼玉県", 9, (138.71, 35.75, 139.90, 36.29)),
    ("千葉県", 9, (139.74, 34.90, 140.88, 36.10)),
    ("群馬県", 9, (138.40, 35.98, 139.67, 37.06)),
    ("神奈川県", 9, (138.91, 35.13, 139.80, 35.67)),
    ("東京都", 9, (138.94, 35.50, 139.92, 35.90)),
    ("東京都 伊豆諸島", 9, (139.10, 29.50, 140.50, 34.85)),
    ("青森県", 10, (139.45, 40.20, 141.70, 41.56)),
    ("岩手県", 10, (140.65, 38.74, 142.08, 40.46)),
    ("宮城県", 10, (140.27, 37.77, 141.68, 39.00)),
    ("秋田県", 10, (139.69, 38.87, 140.99, 40.52)),
    ("山形県", 10, (139.52, 37.73, 140.65, 39.21)),
)


def _special_zone(lon: float, lat: float) -> int | None:
    """Zones fixed by meridians and parallels in the notice (islands, Okinawa, Hokkaido)."""
    if lat < 28.0 and lon >= 140.5:  # Tokyo: Ogasawara and Minamitorishima
        return 19 if lon >= 143.0 else 14
    if lat < 28.0 and 134.0 <= lon < 140.5:  # Tokyo: Okinotorishima
        return 18
    if lat < 27.05 and 122.0 <= lon < 132.5:  # Okinawa (Yoron, Kagoshima, is at 27.04 N 128.4 E)
        if lon < 126.0:
            return 16
        return 17 if lon >= 130.0 else 15
    amami_east = 130 + 13 / 60 if lat < 28.6 else 130.0
    if 27.0 <= lat < 32.0 and 128.3 <= lon < amami_east and not (lat > 31.2 and lon > 130.1):
        return 1  # Kagoshima's islands west of 130° E (Amami up to 130°13′)
    if lat >= 41.6 or (lat >= 41.35 and lon < 140.6):  # Hokkaido (Oma, Aomori, is at 41.53 N 140.91 E)
        if lon < 141.15 and lat < 43.3:
            return 11  # Oshima, Hiyama, Shiribeshi, western Iburi
        if lon >= 143.25 or (lon >= 142.95 and lat >= 42.35):
            return 13  # Okhotsk, Tokachi, Kushiro, Nemuro
        return 12
    return None


def _nearest_origin(lon: float, lat: float, zones) -> int:
    def distance(zone: int) -> float:
        olat, olon = ZONE_ORIGINS[zone]
        return math.hypot((lon - olon) * math.cos(math.radians((lat + olat) / 2)), lat - olat)

    return min(sorted(zones), key=distance)


def plane_zone(lon: float, lat: float) -> int:
    """Zone number (1–19) of the plane-rectangular system for a JGD2011 lon/lat point."""
    lon, lat = float(lon), float(lat)
    if not (math.isfinite(lon) and math.isfinite(lat)) or not (122.0 <= lon <= 154.5 and 20.0 <= lat <= 46.0):
        raise ValueError(f"point lon={lon}, lat={lat} is outside Japan's plane-rectangular zones")
    special = _special_zone(lon, lat)
    if special is not None:
        return special
    zones = {zone for _name, zone, (w, s, e, n) in PREFECTURE_BOXES if w <= lon <= e and s <= lat <= n}
    if len(zones) == 1:
        return zones.pop()
    mainland = [z for z in ZONE_ORIGINS if z <= 10]
    return _nearest_origin(lon, lat, zones or mainland)


def plane_zone_epsg(lon: float, lat: float) -> int:
    """EPSG code (6669–6687, JGD2011 plane rectangular I–XIX) for a lon/lat point."""
    return ZONE_EPSG_BASE + plane_zone(lon, lat)
