"""Entity selection shared by both APIs: ids, types, service paths, q, geo, order, one page."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from smartcity_qgis.cityos_sim import geo as geoq
from smartcity_qgis.cityos_sim.model import GEO_TYPES, EntityRecord, PayloadError, geometry_of, parse_time
from smartcity_qgis.cityos_sim.query import Predicate
from smartcity_qgis.cityos_sim.store import TenantStore

_MISSING_LOW = (0, 0)


def _sort_key(rec: EntityRecord, name: str) -> tuple:
    if name == "id":
        return (1, rec.id)
    if name == "type":
        return (1, rec.type)
    if name == "dateCreated":
        return (1, rec.created)
    if name == "dateModified":
        return (1, rec.modified)
    attr = rec.attrs.get(name)
    if attr is None:
        return _MISSING_LOW
    value: Any = attr.value
    if attr.type == "DateTime" and isinstance(value, str):
        try:
            return (1, 1, parse_time(value))
        except ValueError:
            pass
    if isinstance(value, bool):
        return (1, 0, int(value))
    if isinstance(value, (int, float)):
        return (1, 1, float(value))
    if isinstance(value, str):
        return (1, 2, value)
    return (1, 3, str(value))


def _geo_attr_matches(rec: EntityRecord, name: str, geo: geoq.GeoFilter) -> bool:
    """A geo-query on an attribute other than the indexed location (LD ``geoproperty``)."""
    attr = rec.attrs.get(name)
    if attr is None or attr.type not in GEO_TYPES:
        return False
    try:
        return geoq.shape_matches(geo, geometry_of(attr.type, attr.value))
    except PayloadError:
        return False


def find(
    store: TenantStore,
    *,
    ids: list[str] | None = None,
    id_pattern: str | None = None,
    types: list[str] | None = None,
    type_pattern: str | None = None,
    paths: list[str] | None = None,
    q: list[Predicate] | None = None,
    geo: geoq.GeoFilter | None = None,
    order_by: list[str] | None = None,
    offset: int = 0,
    limit: int = 20,
    count: bool = False,
    geoproperty: str | None = None,
) -> tuple[list[EntityRecord], int | None]:
    """One page of matching entities (creation order unless ``order_by``) and, if asked, the total."""
    with store.lock:
        idx = store.candidates(types, type_pattern, paths)
        if ids is not None:
            wanted = np.array(sorted({r.index for i in ids if (r := store.by_id.get(i)) is not None}), dtype=np.int64)
            idx = np.intersect1d(idx, wanted, assume_unique=True)
        if id_pattern is not None:
            rx = re.compile(id_pattern)
            recs = store.records
            idx = np.array([i for i in idx if rx.search(recs[i].id)], dtype=np.int64)
        records = store.records
        if geo is not None and geoproperty not in (None, "location"):
            idx = np.array([i for i in idx if _geo_attr_matches(records[i], geoproperty, geo)], dtype=np.int64)
        elif geo is not None:
            idx = geoq.apply(geo, store, idx)
        if order_by:
            if order_by == ["geo:distance"] and geo is not None and geo.rel == "near":
                idx = idx[np.argsort(geoq.distances(geo, store, idx), kind="stable")]
                ordered = [records[i] for i in idx]
            else:
                ordered = [records[i] for i in idx]
                for key in reversed(order_by):
                    desc = key.startswith("!")
                    name = key[1:] if desc else key
                    ordered.sort(key=lambda r, n=name: _sort_key(r, n), reverse=desc)
            if q:
                ordered = [r for r in ordered if all(p(r) for p in q)]
            total = len(ordered) if count else None
            return ordered[offset : offset + limit], total
        if not q:
            total = len(idx) if count else None
            return [records[i] for i in idx[offset : offset + limit]], total
        page: list[EntityRecord] = []
        seen = 0
        for i in idx:
            rec = records[i]
            if all(p(rec) for p in q):
                if offset <= seen < offset + limit:
                    page.append(rec)
                seen += 1
                if not count and seen >= offset + limit:
                    break
        return page, (seen if count else None)
