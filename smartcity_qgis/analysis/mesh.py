"""JIS X 0410 regional mesh (地域メッシュ), exact and vectorised.

Every computation runs in integer units of 1/8 arc-second, the largest unit in
which every cell edge of every level is a whole number (the 1/8 mesh is 3.75″ ×
5.625″). Latitudes and longitudes are converted once, snapping values within
1e-6 unit (about 4 micrometres) below a grid line onto it, so that the nearest
double to an exact cell corner such as 35 + 1/3 lands in the cell it is the
corner of. Cells are half-open: a point on a south or west edge belongs to the
cell north / east of that edge.

Levels (names are the public API, also used by the Processing algorithms):

========  ==========  =======================================  ======
level     name        code                                     digits
========  ==========  =======================================  ======
``80km``  第1次       ``pp uu``                                4
``10km``  第2次       + ``q v`` (0–7)                          6
``5km``   5倍         + quadrant (1 SW, 2 SE, 3 NW, 4 NE)      7
``2km``   2倍         + even row, even column digit, ``5``     9
``1km``   第3次       + ``r w`` (0–9)                          8
``500m``  2分の1      3rd + quadrant                           9
``250m``  4分の1      500 m + quadrant                         10
``125m``  8分の1      250 m + quadrant                         11
``100m``  10分の1     3rd + row digit + column digit (0–9)     10
========  ==========  =======================================  ======

The domain is 6°40′ N ≤ lat < 66°40′ N, 100° E ≤ lon < 200° E (two-digit 1st-mesh
row and column); Japan lies well inside it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

UNITS_PER_DEGREE = 3600 * 8
_LON_ORIGIN_UNITS = 100 * UNITS_PER_DEGREE
_SNAP = 1e-6
MESH_NONE = -1
"""Sentinel code for points outside the mesh domain (``outside="sentinel"``)."""


@dataclass(frozen=True)
class MeshLevel:
    """One level of the mesh: its name, code length and cell size in 1/8″ units."""

    name: str
    digits: int
    dlat: int
    dlon: int


LEVELS: dict[str, MeshLevel] = {
    level.name: level
    for level in (
        MeshLevel("80km", 4, 19200, 28800),
        MeshLevel("10km", 6, 2400, 3600),
        MeshLevel("5km", 7, 1200, 1800),
        MeshLevel("2km", 9, 480, 720),
        MeshLevel("1km", 8, 240, 360),
        MeshLevel("500m", 9, 120, 180),
        MeshLevel("250m", 10, 60, 90),
        MeshLevel("125m", 11, 30, 45),
        MeshLevel("100m", 10, 24, 36),
    )
}
LEVEL_NAMES: tuple[str, ...] = tuple(LEVELS)
MAIN_LEVELS: tuple[str, ...] = ("80km", "10km", "1km", "500m", "250m", "100m")

_P_MIN, _P_MAX = 10, 99  # 1st-mesh rows with two digits
_U_MIN, _U_MAX = 0, 99


def _level(level: str) -> MeshLevel:
    try:
        return LEVELS[level]
    except (KeyError, TypeError):
        raise ValueError(f"unknown mesh level {level!r}; expected one of {', '.join(LEVEL_NAMES)}") from None


def _scalar_out(value: np.ndarray, scalar: bool):
    return value[()] if scalar else value


def _to_units(degrees: np.ndarray) -> np.ndarray:
    """Floor of ``degrees`` in 1/8″ units, snapping values a hair below a grid line onto it."""
    scaled = np.asarray(degrees, dtype=np.float64) * UNITS_PER_DEGREE
    with np.errstate(invalid="ignore"):
        return np.floor(scaled + _SNAP)


def _outside_mask(lat_u: np.ndarray, lon_u: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return ~(
            (lat_u >= _P_MIN * 19200)
            & (lat_u < (_P_MAX + 1) * 19200)
            & (lon_u >= _U_MIN * 28800)
            & (lon_u < (_U_MAX + 1) * 28800)
        )


def _encode_units(lat_u: np.ndarray, lon_u: np.ndarray, level: MeshLevel) -> np.ndarray:
    """Code of the cell holding the point at (``lat_u``, ``lon_u``) integer units (inside the domain)."""
    p, a = np.divmod(lat_u, 19200)
    u, b = np.divmod(lon_u, 28800)
    code = p * 100 + u
    if level.name == "80km":
        return code
    q, a2 = np.divmod(a, 2400)
    v, b2 = np.divmod(b, 3600)
    code = code * 100 + q * 10 + v
    if level.name == "10km":
        return code
    if level.name == "5km":
        return code * 10 + 1 + (b2 >= 1800) + 2 * (a2 >= 1200)
    if level.name == "2km":
        return code * 1000 + (a2 // 480) * 200 + (b2 // 720) * 20 + 5
    r, a3 = np.divmod(a2, 240)
    w, b3 = np.divmod(b2, 360)
    code = code * 100 + r * 10 + w
    if level.name == "1km":
        return code
    if level.name == "100m":
        return code * 100 + (a3 // 24) * 10 + b3 // 36
    half_lat, half_lon = 120, 180
    for name in ("500m", "250m", "125m"):
        north = a3 >= half_lat
        east = b3 >= half_lon
        code = code * 10 + 1 + east + 2 * north
        a3 = a3 - north * half_lat
        b3 = b3 - east * half_lon
        if level.name == name:
            return code
        half_lat //= 2
        half_lon //= 2
    raise AssertionError(level.name)  # every level returned above


def mesh_code(lat, lon, level: str, outside: str = "raise"):
    """Mesh code (int64) of the cell holding each point, for scalars or arrays of lat/lon degrees.

    ``outside="raise"`` (default) raises ``ValueError`` for points outside the mesh domain
    (or NaN); ``outside="sentinel"`` gives ``MESH_NONE`` (-1) for them instead.
    """
    info = _level(level)
    if outside not in ("raise", "sentinel"):
        raise ValueError(f"outside must be 'raise' or 'sentinel', not {outside!r}")
    lat_arr = np.asarray(lat, dtype=np.float64)
    lon_arr = np.asarray(lon, dtype=np.float64)
    scalar = lat_arr.ndim == 0 and lon_arr.ndim == 0
    lat_arr, lon_arr = np.broadcast_arrays(lat_arr, lon_arr)
    lat_u = _to_units(lat_arr)
    lon_u = _to_units(lon_arr) - _LON_ORIGIN_UNITS
    bad = _outside_mask(lat_u, lon_u)
    if bad.any():
        if outside == "raise":
            index = np.flatnonzero(bad.ravel())[0]
            raise ValueError(
                f"point lat={lat_arr.ravel()[index]!r}, lon={lon_arr.ravel()[index]!r} is outside the "
                f"JIS mesh domain (6.667 ≤ lat < 66.667, 100 ≤ lon < 200); {int(bad.sum())} such point(s)"
            )
        lat_u = np.where(bad, _P_MIN * 19200, lat_u)
        lon_u = np.where(bad, 0, lon_u)
    codes = _encode_units(lat_u.astype(np.int64), lon_u.astype(np.int64), info).astype(np.int64)
    if bad.any():
        codes = np.where(bad, MESH_NONE, codes)
    return _scalar_out(codes, scalar)


def _as_codes(code, info: MeshLevel) -> tuple[np.ndarray, bool]:
    """Codes as int64, from ints or decimal strings, with the right number of digits."""
    arr = np.asarray(code)
    scalar = arr.ndim == 0
    if arr.dtype.kind in "US":
        flat = arr.astype(str).ravel()
        wrong = [c for c in flat if len(c) != info.digits or not c.isdigit() or not c.isascii()]
        if wrong:
            raise ValueError(f"invalid {info.name} mesh code {wrong[0]!r}: a {info.name} code has {info.digits} digits")
        arr = np.array([int(c) for c in flat], dtype=np.int64).reshape(arr.shape)
    elif arr.dtype.kind in "iu" or (
        arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr))
    ):
        arr = arr.astype(np.int64)
    else:
        raise ValueError(f"invalid {info.name} mesh code {code!r}: codes are integers or digit strings")
    low, high = 10 ** (info.digits - 1), 10**info.digits
    wrong_length = (arr < low) | (arr >= high)
    if wrong_length.any():
        first = arr.ravel()[np.flatnonzero(wrong_length.ravel())[0]]
        raise ValueError(f"invalid {info.name} mesh code {first}: a {info.name} code has {info.digits} digits")
    return arr, scalar


def _digit(codes: np.ndarray, position: int, digits: int) -> np.ndarray:
    """The digit at ``position`` (0 = leftmost) of codes that have ``digits`` digits."""
    return (codes // 10 ** (digits - 1 - position)) % 10


def _decode_units(codes: np.ndarray, info: MeshLevel) -> tuple[np.ndarray, np.ndarray]:
    """South-west corners (integer units) of valid codes; ``ValueError`` naming the first bad code."""
    lat_u, lon_u, bad_reasons = _decode_parts(codes, info)
    for mask, reason in bad_reasons:
        if np.any(mask):
            first = codes.ravel()[np.flatnonzero(np.ravel(mask))[0]]
            raise ValueError(f"invalid {info.name} mesh code {first}: {reason}")
    return lat_u, lon_u


def _decode_parts(codes: np.ndarray, info: MeshLevel):
    """South-west corners in integer units and a list of (invalid mask, reason)."""
    n = info.digits
    d = [_digit(codes, i, n) for i in range(n)]
    bad_reasons: list[tuple[np.ndarray, str]] = []
    p = d[0] * 10 + d[1]
    u = d[2] * 10 + d[3]
    lat_u = p * 19200
    lon_u = u * 28800
    if n > 4:
        bad_reasons.append(((d[4] > 7) | (d[5] > 7), "2nd-mesh digits run 0-7"))
        lat_u = lat_u + d[4] * 2400
        lon_u = lon_u + d[5] * 3600
    name = info.name

    def quadrant(digit: np.ndarray, half_lat, half_lon, what: str):
        bad_reasons.append((((digit < 1) | (digit > 4)), f"{what} quadrant digits run 1-4"))
        q = np.clip(digit, 1, 4) - 1
        return (q // 2) * half_lat, (q % 2) * half_lon

    if name == "5km":
        dlat, dlon = quadrant(d[6], 1200, 1800, "5km")
        lat_u, lon_u = lat_u + dlat, lon_u + dlon
    elif name == "2km":
        bad_reasons.append(((d[6] % 2 == 1) | (d[7] % 2 == 1), "2km row and column digits are even"))
        bad_reasons.append((d[8] != 5, "2km codes end in 5"))
        lat_u = lat_u + (d[6] // 2) * 480
        lon_u = lon_u + (d[7] // 2) * 720
    elif n >= 8:
        lat_u = lat_u + d[6] * 240
        lon_u = lon_u + d[7] * 360
        if name == "100m":
            lat_u = lat_u + d[8] * 24
            lon_u = lon_u + d[9] * 36
        else:
            half_lat, half_lon = 120, 180
            for position in range(8, n):
                dlat, dlon = quadrant(d[position], half_lat, half_lon, name)
                lat_u, lon_u = lat_u + dlat, lon_u + dlon
                half_lat, half_lon = half_lat // 2, half_lon // 2
    bad_reasons.append(((p < _P_MIN), "1st-mesh rows start at 10"))
    return np.asarray(lat_u, dtype=np.int64), np.asarray(lon_u, dtype=np.int64), bad_reasons


def invalid_code_reasons(codes, level: str) -> list[str | None]:
    """For int codes of one level: ``None`` for each valid code, else why it is invalid."""
    info = _level(level)
    arr = np.asarray(codes, dtype=np.int64).ravel()
    reasons: list[str | None] = [None] * arr.size
    low, high = 10 ** (info.digits - 1), 10**info.digits
    for i in np.flatnonzero((arr < low) | (arr >= high)):
        reasons[i] = f"a {info.name} code has {info.digits} digits"
    _lat, _lon, bad = _decode_parts(arr, info)
    for mask, reason in bad:
        for i in np.flatnonzero(np.broadcast_to(mask, arr.shape)):
            if reasons[i] is None:
                reasons[i] = reason
    return reasons


def mesh_bounds(code, level: str):
    """(south, west, north, east) in degrees of each cell; ``ValueError`` naming an invalid code."""
    info = _level(level)
    codes, scalar = _as_codes(code, info)
    lat_u, lon_u = _decode_units(codes, info)
    south = lat_u / UNITS_PER_DEGREE
    west = (lon_u + _LON_ORIGIN_UNITS) / UNITS_PER_DEGREE
    north = (lat_u + info.dlat) / UNITS_PER_DEGREE
    east = (lon_u + _LON_ORIGIN_UNITS + info.dlon) / UNITS_PER_DEGREE
    return tuple(_scalar_out(np.asarray(v, dtype=np.float64), scalar) for v in (south, west, north, east))


def mesh_center(code, level: str):
    """(lat, lon) in degrees of the centre of each cell."""
    info = _level(level)
    codes, scalar = _as_codes(code, info)
    lat_u, lon_u = _decode_units(codes, info)
    lat = (2 * lat_u + info.dlat) / (2 * UNITS_PER_DEGREE)
    lon = (2 * (lon_u + _LON_ORIGIN_UNITS) + info.dlon) / (2 * UNITS_PER_DEGREE)
    return _scalar_out(np.asarray(lat, dtype=np.float64), scalar), _scalar_out(
        np.asarray(lon, dtype=np.float64), scalar
    )


def validate_codes(code, level: str) -> np.ndarray:
    """Codes as an int64 array after checking them; ``ValueError`` naming the first invalid one."""
    info = _level(level)
    codes, _scalar = _as_codes(code, info)
    _decode_units(codes, info)
    return codes


def mesh_level(code, level: str | None = None) -> str:
    """Level name of a code (or of an array of codes of one level) from its number of digits.

    Ten-digit codes are 1/4 (250 m) or 1/10 (100 m) codes: a code alone cannot tell, so
    they are refused unless ``level`` says which; the code is then checked against it.
    Nine-digit codes ending in 5 are 2 km codes, others 1/2 (500 m) codes.
    """
    arr = np.asarray(code)
    if arr.size == 0:
        raise ValueError("no mesh code given")
    flat = [str(c) if arr.dtype.kind in "US" else str(int(c)) for c in arr.ravel()]
    lengths = {len(c) for c in flat}
    if len(lengths) != 1:
        raise ValueError(f"mesh codes of different lengths given: {sorted(lengths)}")
    length = lengths.pop()
    if level is not None:
        validate_codes(code, level)
        return level
    by_length = {4: "80km", 6: "10km", 7: "5km", 8: "1km", 11: "125m"}
    if length in by_length:
        name = by_length[length]
    elif length == 9:
        ends_in_5 = {c[-1] == "5" for c in flat}
        if len(ends_in_5) != 1:
            raise ValueError(f"mesh codes {flat[0]}... mix 2km and 500m codes")
        name = "2km" if ends_in_5.pop() else "500m"
    elif length == 10:
        raise ValueError(f"mesh code {flat[0]} is ambiguous: ten digits are a 250m or a 100m code; give the level")
    else:
        raise ValueError(f"invalid mesh code {flat[0]}: no mesh level has {length} digits")
    validate_codes(code, name)
    return name


def _nests(child: MeshLevel, parent: MeshLevel) -> bool:
    return (
        parent.dlat > child.dlat
        and parent.dlat % child.dlat == 0
        and parent.dlon % child.dlon == 0
        and parent.dlon >= child.dlon
    )


def mesh_parent(code, level: str, parent_level: str):
    """Code of the ``parent_level`` cell containing each ``level`` cell.

    Refused when the levels do not nest (e.g. 2km cells do not fit in 5km cells).
    """
    info, parent = _level(level), _level(parent_level)
    if not _nests(info, parent):
        raise ValueError(f"{level} cells do not nest in {parent_level} cells")
    codes, scalar = _as_codes(code, info)
    lat_u, lon_u = _decode_units(codes, info)
    return _scalar_out(_encode_units(lat_u, lon_u, parent).astype(np.int64), scalar)


def parent_levels(level: str) -> list[str]:
    """Levels whose cells contain the cells of ``level``, coarsest first."""
    info = _level(level)
    return [name for name, other in LEVELS.items() if _nests(info, other)]


def mesh_children(code, level: str, child_level: str) -> np.ndarray:
    """Codes of the ``child_level`` cells inside each cell, row by row from the south-west.

    A scalar code gives a 1-D array; an array of codes gives one row of children per code.
    """
    info, child = _level(level), _level(child_level)
    if child is not info and not _nests(child, info):
        raise ValueError(f"{child_level} cells do not nest in {level} cells")
    codes, scalar = _as_codes(code, info)
    lat_u, lon_u = _decode_units(codes, info)
    rows, cols = info.dlat // child.dlat, info.dlon // child.dlon
    ii, jj = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    dlat = (ii.ravel() * child.dlat).astype(np.int64)
    dlon = (jj.ravel() * child.dlon).astype(np.int64)
    lat_c = np.asarray(lat_u).reshape(-1, 1) + dlat
    lon_c = np.asarray(lon_u).reshape(-1, 1) + dlon
    children = _encode_units(lat_c, lon_c, child).astype(np.int64)
    return children[0] if scalar else children.reshape(*np.shape(codes), rows * cols)


def mesh_grid(bbox, level: str, max_cells: int = 5_000_000) -> np.ndarray:
    """Every code of ``level`` whose cell overlaps the lon/lat box ``(west, south, east, north)``.

    Cells that only touch the box along its north or east edge are not included; a box of zero
    size gives the one cell holding it. The box is clipped to the mesh domain.
    """
    info = _level(level)
    west, south, east, north = (float(v) for v in bbox)
    if not (west <= east and south <= north):
        raise ValueError(f"invalid box {bbox!r}: expected (west, south, east, north)")
    lat0 = max(_to_units(south), _P_MIN * 19200)
    lat1 = min(_to_units(north), (_P_MAX + 1) * 19200 - 1)
    lon0 = max(_to_units(west) - _LON_ORIGIN_UNITS, 0)
    lon1 = min(_to_units(east) - _LON_ORIGIN_UNITS, (_U_MAX + 1) * 28800 - 1)
    if lat0 > lat1 or lon0 > lon1:
        return np.empty(0, dtype=np.int64)
    i0, j0 = int(lat0) // info.dlat, int(lon0) // info.dlon
    i1 = _last_cell(north, int(lat1), info.dlat, i0)
    j1 = _last_cell(east, int(lon1) + _LON_ORIGIN_UNITS, info.dlon, j0, offset=_LON_ORIGIN_UNITS)
    count = (i1 - i0 + 1) * (j1 - j0 + 1)
    if count > max_cells:
        raise ValueError(f"the box holds {count} {level} cells, more than the limit of {max_cells}")
    ii, jj = np.meshgrid(np.arange(i0, i1 + 1), np.arange(j0, j1 + 1), indexing="ij")
    return _encode_units(
        (ii.ravel() * info.dlat).astype(np.int64), (jj.ravel() * info.dlon).astype(np.int64), info
    ).astype(np.int64)


def _last_cell(edge_deg: float, edge_units: int, size: int, first: int, offset: int = 0) -> int:
    """Index of the last cell overlapping a box whose far edge is at ``edge_deg``."""
    last = (edge_units - offset) // size
    on_line = abs(edge_deg * UNITS_PER_DEGREE - edge_units) < 1e-6 and (edge_units - offset) % size == 0
    if on_line and last > first:
        last -= 1  # the box ends exactly on a cell edge: the next cell only touches it
    return last
