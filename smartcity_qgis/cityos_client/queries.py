"""Pure builders of NGSI query parameters and headers (no network)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from smartcity_qgis.cityos_client.config import ConnectionConfig

LD_ROOT = "/ngsi-ld/v1"
V2_ROOT = "/v2"
JSONLD_CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
# The NGSI-v2 built-in time asked for with ``sys_attrs`` (it fills `Entity.modified_at`);
# ``dateCreated`` is not asked for: nothing uses it, and every page would carry it.
V2_SYSTEM_TIMES = ("dateModified",)


def check_bbox(bbox: Sequence[float]) -> tuple[float, float, float, float]:
    """A (min_lon, min_lat, max_lon, max_lat) box, checked for order and range."""
    if len(bbox) != 4:
        raise ValueError("bbox must be (min_lon, min_lat, max_lon, max_lat)")
    x0, y0, x1, y1 = (float(v) for v in bbox)
    if not (-180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90):
        raise ValueError(f"bbox must be (min_lon, min_lat, max_lon, max_lat) within ±180/±90, got {tuple(bbox)}")
    return x0, y0, x1, y1


def _ring(bbox: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    x0, y0, x1, y1 = bbox
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def v2_geo_params(bbox: Sequence[float], georel: str = "intersects") -> dict[str, str]:
    """NGSI-v2 geo-query for a lon/lat box: ``coords`` in **lat,lng** order (a closed polygon)."""
    box = check_bbox(bbox)
    coords = ";".join(f"{_num(lat)},{_num(lon)}" for lon, lat in _ring(box))
    return {"georel": georel, "geometry": "polygon", "coords": coords}


def ld_geo_params(bbox: Sequence[float], georel: str = "intersects", geoproperty: str = "location") -> dict[str, str]:
    """NGSI-LD geo-query for a lon/lat box: ``coordinates`` as a JSON array in **[lon, lat]** order."""
    box = check_bbox(bbox)
    ring = [[lon, lat] for lon, lat in _ring(box)]
    params = {
        "georel": georel,
        "geometry": "Polygon",
        "coordinates": json.dumps([ring], separators=(",", ":")),
    }
    if geoproperty != "location":
        params["geoproperty"] = geoproperty
    return params


def tenancy_headers(config: ConnectionConfig) -> dict[str, str]:
    """Tenant, service path and @context headers of a connection."""
    headers = {"Accept": "application/json"}
    if config.is_ld:
        if config.tenant:
            headers["NGSILD-Tenant"] = config.tenant
        if config.context:
            headers["Link"] = f'<{config.context}>; rel="{JSONLD_CONTEXT_REL}"; type="application/ld+json"'
    else:
        if config.tenant:
            headers["Fiware-Service"] = config.tenant.lower()
        if config.service_path:
            headers["Fiware-ServicePath"] = ",".join(p.strip() for p in config.service_path.split(","))
    return headers


def listing_params(
    config: ConnectionConfig,
    *,
    type: str | Sequence[str] | None,  # noqa: A002 - NGSI parameter name
    bbox: Sequence[float] | None,
    q: str | None,
    attrs: Sequence[str] | None,
    id_pattern: str | None = None,
    georel: str = "intersects",
    key_values: bool = False,
    sys_attrs: bool = False,
) -> dict[str, str]:
    """Query parameters (without limit/offset) to list entities.

    ``sys_attrs`` asks for the broker's modification times: NGSI-LD ``options=sysAttrs``
    (``createdAt`` / ``modifiedAt``), NGSI-v2 the built-in ``dateModified`` added to ``attrs``
    (all attributes when none are named).
    """
    params: dict[str, str] = {}
    if sys_attrs and not config.is_ld:
        names = list(attrs or ["*"])
        attrs = names + [n for n in V2_SYSTEM_TIMES if n not in names]
    if type:
        params["type"] = type if isinstance(type, str) else ",".join(type)
    if id_pattern:
        params["idPattern"] = id_pattern
    if q:
        params["q"] = q
    if attrs:
        names = list(attrs)
        # The geometry must come back even when only some attributes are asked for.
        if config.primary_geo_attribute not in names:
            names.append(config.primary_geo_attribute)
        params["attrs"] = ",".join(names)
    if config.is_ld:
        if bbox is not None:
            params.update(ld_geo_params(bbox, georel, config.primary_geo_attribute))
        params["count"] = "true"
        options = [o for o, wanted in (("keyValues", key_values), ("sysAttrs", sys_attrs)) if wanted]
        if options:
            params["options"] = ",".join(options)
    else:
        if bbox is not None:
            params.update(v2_geo_params(bbox, georel))
        params["options"] = "count,keyValues" if key_values else "count"
        params["orderBy"] = "dateCreated"
    return params


_MAX_RE = re.compile(r"(?:max(?:imum)?(?: limit)?(?: is)?|<=?|up to)\D{0,12}(\d+)", re.IGNORECASE)


def limit_from_error(text: str, current: int) -> int | None:
    """The page size to try after a broker refused ``current`` as too large; None if not a limit error."""
    low = text.lower()
    if "limit" not in low and "page size" not in low and "pagination" not in low:
        return None
    for match in _MAX_RE.finditer(text):
        value = int(match.group(1))
        if 0 < value < current:
            return value
    return max(1, current // 2) if current > 1 else None
