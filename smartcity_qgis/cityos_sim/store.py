"""The entity store: tenants, service paths, columnar indexes for fast filtering, attribute history.

Each tenant keeps its entities in creation order plus numpy columns (type, service path, point
coordinates, alive flag), so a page of a query over a million entities costs numpy work, not a
Python loop over every entity.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

import numpy as np

from smartcity_qgis.cityos_sim.model import GEO_TYPES, Attr, EntityRecord, geometry_of

HISTORY_MAX = 2000
_TENANT_RE = re.compile(r"^[A-Za-z0-9_]{1,50}$")
_PATH_PART = re.compile(r"^[A-Za-z0-9_]{1,50}$")

KIND_NONE, KIND_POINT, KIND_OTHER = 0, 1, 2
ChangeListener = Callable[["TenantStore", EntityRecord, list[str], str], None]


class PathError(ValueError):
    """A bad Fiware-Service or Fiware-ServicePath header."""


def check_tenant(name: str) -> str:
    """Orion's tenant rule: up to 50 of [A-Za-z0-9_]; stored lowercase."""
    if len(name) > 50:
        raise PathError("bad length - a tenant name can be max 50 characters long")
    if not _TENANT_RE.match(name):
        raise PathError("bad character in tenant name")
    return name.lower()


def parse_service_paths(header: str | None, for_query: bool) -> list[str]:
    """The service paths of a request: queries may use ``/#`` and comma lists; writes one plain path."""
    if header is None or not header.strip():
        return ["/#"] if for_query else ["/"]
    paths = [p.strip() for p in header.split(",")]
    if len(paths) > 10:
        raise PathError("too many service paths - a maximum of ten service paths is allowed")
    if len(paths) > 1 and not for_query:
        raise PathError("more than one service path in context update request")
    out = []
    for path in paths:
        if not path.startswith("/"):
            raise PathError("Only /absolute/ Service Paths allowed [a service path must begin with /]")
        body = path[:-2] if path.endswith("/#") else path
        if path.endswith("/#") and not for_query:
            raise PathError("service path with wildcard /# not allowed in update request")
        parts = [p for p in body.split("/")[1:] if p != ""] if body not in ("", "/") else []
        if len(parts) > 10:
            raise PathError("too many components in ServicePath")
        for part in parts:
            if len(part) > 50:
                raise PathError("component-name too long in ServicePath")
            if not _PATH_PART.match(part):
                raise PathError("a component of ServicePath contains an illegal character")
        out.append(path.rstrip("/") or "/" if not path.endswith("/#") else path)
    return out


def path_matches(entity_path: str, query_paths: list[str]) -> bool:
    for query in query_paths:
        if query.endswith("/#"):
            root = query[:-2] or "/"
            if root == "/" or entity_path == root or entity_path.startswith(root + "/"):
                return True
        elif entity_path == query:
            return True
    return False


class TenantStore:
    """One tenant's entities, with numpy columns over creation order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lock = threading.RLock()
        self.records: list[EntityRecord | None] = []
        self.by_id: dict[str, EntityRecord] = {}
        self.type_codes: dict[str, int] = {}
        self.type_names: list[str] = []
        self.path_codes: dict[str, int] = {}
        self.path_names: list[str] = []
        self.type_attrs: dict[str, dict[str, set[str]]] = {}
        self._cap = 0
        self.lon = np.zeros(0)
        self.lat = np.zeros(0)
        self.kind = np.zeros(0, dtype=np.int8)
        self.tcode = np.zeros(0, dtype=np.int32)
        self.pcode = np.zeros(0, dtype=np.int32)
        self.alive = np.zeros(0, dtype=bool)
        self.others: dict[int, Any] = {}  # index -> shapely geometry for non-point entities
        self.listeners: list[ChangeListener] = []

    # ------------------------------------------------------------ columns

    def __len__(self) -> int:
        return len(self.by_id)

    def _grow(self, need: int) -> None:
        if need <= self._cap:
            return
        cap = max(need, self._cap * 2, 1024)

        def grown(arr: np.ndarray, fill: Any) -> np.ndarray:
            out = np.full(cap, fill, dtype=arr.dtype)
            out[: len(arr)] = arr
            return out

        self.lon, self.lat = grown(self.lon, np.nan), grown(self.lat, np.nan)
        self.kind, self.tcode = grown(self.kind, KIND_NONE), grown(self.tcode, -1)
        self.pcode, self.alive = grown(self.pcode, -1), grown(self.alive, False)
        self._cap = cap

    def _code(self, table: dict[str, int], names: list[str], name: str) -> int:
        code = table.get(name)
        if code is None:
            code = table[name] = len(names)
            names.append(name)
        return code

    def _index_geometry(self, rec: EntityRecord) -> None:
        i = rec.index
        self.others.pop(i, None)
        name = rec.geo_attr_name()
        if name is None:
            self.kind[i], self.lon[i], self.lat[i] = KIND_NONE, np.nan, np.nan
            return
        attr = rec.attrs[name]
        if attr.type == "geo:json" and isinstance(attr.value, dict) and attr.value.get("type") == "Point":
            x, y = attr.value["coordinates"][:2]
            self.kind[i], self.lon[i], self.lat[i] = KIND_POINT, float(x), float(y)
            return
        geom = geometry_of(attr.type, attr.value)
        if geom.geom_type == "Point":
            self.kind[i], self.lon[i], self.lat[i] = KIND_POINT, geom.x, geom.y
        else:
            c = geom.representative_point()
            self.kind[i], self.lon[i], self.lat[i] = KIND_OTHER, c.x, c.y
            self.others[i] = geom

    def _note_attrs(self, rec: EntityRecord) -> None:
        seen = self.type_attrs.setdefault(rec.type, {})
        for name, attr in rec.attrs.items():
            types = seen.get(name)
            if types is None:
                seen[name] = {attr.type}
            elif attr.type not in types:
                types.add(attr.type)

    # ------------------------------------------------------------ writes

    def add(self, rec: EntityRecord, keep_history: bool = True) -> None:
        """Store a new entity (caller checked the id is free)."""
        with self.lock:
            i = len(self.records)
            self._grow(i + 1)
            rec.index = i
            self.records.append(rec)
            self.by_id[rec.id] = rec
            self.tcode[i] = self._code(self.type_codes, self.type_names, rec.type)
            self.pcode[i] = self._code(self.path_codes, self.path_names, rec.path)
            self.alive[i] = True
            self._index_geometry(rec)
            self._note_attrs(rec)
            if keep_history:
                for name, attr in rec.attrs.items():
                    self._remember(rec, name, attr, None)
        self._notify(rec, list(rec.attrs), "create")

    def bulk_add(self, records: list[EntityRecord], lon: np.ndarray, lat: np.ndarray) -> None:
        """Store many new point entities at once (scenario loading): no history, no notifications."""
        with self.lock:
            start = len(self.records)
            n = len(records)
            self._grow(start + n)
            for k, rec in enumerate(records):
                rec.index = start + k
                self.by_id[rec.id] = rec
            self.records.extend(records)
            sl = slice(start, start + n)
            self.lon[sl], self.lat[sl] = lon, lat
            self.kind[sl] = np.where(np.isnan(lon), KIND_NONE, KIND_POINT)
            self.tcode[sl] = [self._code(self.type_codes, self.type_names, r.type) for r in records]
            self.pcode[sl] = [self._code(self.path_codes, self.path_names, r.path) for r in records]
            self.alive[sl] = True
            seen_types: set[str] = set()
            for rec in records:
                if rec.type not in seen_types:
                    seen_types.add(rec.type)
                    self._note_attrs(rec)

    def delete(self, rec: EntityRecord) -> None:
        with self.lock:
            if self.by_id.get(rec.id) is not rec:
                return
            del self.by_id[rec.id]
            self.records[rec.index] = None
            self.alive[rec.index] = False
            self.others.pop(rec.index, None)
        self._notify(rec, list(rec.attrs), "delete")

    def update(
        self,
        rec: EntityRecord,
        attrs: dict[str, Attr],
        now: float,
        replace: bool = False,
        notify: bool = True,
        force: bool = False,
    ) -> list[str]:
        """Set attributes (all of them when ``replace``); history and subscriptions see every change.

        ``force`` (Orion's ``forcedUpdate``) counts every attribute written as changed, so that
        subscriptions are notified even when the values stay the same.
        """
        with self.lock:
            if replace:
                rec.attrs = {}
            changed = []
            for name, new in attrs.items():
                old = rec.attrs.get(name) if not replace else None
                if (
                    force
                    or old is None
                    or old.value != new.value
                    or old.type != new.type
                    or old.metadata != new.metadata
                ):
                    changed.append(name)
                self._remember(rec, name, new, old)
                rec.attrs[name] = new
            rec.modified = now
            rec.cache = None
            if any(a.type in GEO_TYPES for a in attrs.values()) or replace:
                self._index_geometry(rec)
            self._note_attrs(rec)
        if notify and changed:
            self._notify(rec, changed, "update")
        return changed

    def remove_attrs(self, rec: EntityRecord, names: list[str], now: float) -> None:
        with self.lock:
            for name in names:
                rec.attrs.pop(name, None)
            rec.modified = now
            rec.cache = None
            self._index_geometry(rec)

    def _remember(self, rec: EntityRecord, name: str, new: Attr, old: Attr | None) -> None:
        if rec.history is None:
            rec.history = {}
        series = rec.history.get(name)
        if series is None:
            series = rec.history[name] = deque(maxlen=HISTORY_MAX)
            if old is not None:  # bulk-loaded entities start their history at the first change
                series.append((old.observed_at or old.modified, old.value))
        series.append((new.observed_at or new.modified, new.value))

    def _notify(self, rec: EntityRecord, names: list[str], kind: str) -> None:
        for listener in list(self.listeners):
            listener(self, rec, names, kind)

    # ------------------------------------------------------------ reads

    def history(self, rec: EntityRecord, name: str) -> list[tuple[float, Any]]:
        """(time, value) samples of one attribute, oldest first; the current value when it never changed."""
        with self.lock:  # a deque must not grow while it is copied
            series = (rec.history or {}).get(name)
            if series:
                return list(series)
            attr = rec.attrs.get(name)
            return [] if attr is None else [(attr.observed_at or attr.modified, attr.value)]

    def get(self, entity_id: str) -> EntityRecord | None:
        return self.by_id.get(entity_id)

    def candidates(
        self,
        types: list[str] | None = None,
        type_pattern: str | None = None,
        paths: list[str] | None = None,
    ) -> np.ndarray:
        """Indices (creation order) of the live entities of these types and service paths."""
        n = len(self.records)
        mask = self.alive[:n].copy()
        if types is not None:
            codes = [self.type_codes[t] for t in types if t in self.type_codes]
            mask &= np.isin(self.tcode[:n], codes)
        if type_pattern is not None:
            rx = re.compile(type_pattern)
            codes = [c for t, c in self.type_codes.items() if rx.search(t)]
            mask &= np.isin(self.tcode[:n], codes)
        if paths is not None and paths != ["/#"]:
            codes = [c for p, c in self.path_codes.items() if path_matches(p, paths)]
            mask &= np.isin(self.pcode[:n], codes)
        return np.flatnonzero(mask)

    def type_summary(self, paths: list[str] | None = None) -> dict[str, dict[str, Any]]:
        """type -> {"count": n, "attrs": {name: sorted types}} over the given service paths."""
        with self.lock:
            idx = self.candidates(paths=paths)
            counts = np.bincount(self.tcode[idx], minlength=len(self.type_names)) if len(idx) else []
            out = {}
            for code, name in enumerate(self.type_names):
                count = int(counts[code]) if len(counts) else 0
                if count:
                    attrs = self.type_attrs.get(name, {})
                    out[name] = {"count": count, "attrs": {a: sorted(t) for a, t in sorted(attrs.items())}}
            return out


class Store:
    """All tenants. ``default_tenant`` serves requests that name none."""

    def __init__(self, default_tenant: str = "") -> None:
        self.default_tenant = default_tenant
        self.tenants: dict[str, TenantStore] = {}
        self.lock = threading.Lock()
        self.listeners: list[ChangeListener] = []

    def tenant(self, name: str | None, create: bool = True) -> TenantStore | None:
        key = check_tenant(name) if name else self.default_tenant
        with self.lock:
            store = self.tenants.get(key)
            if store is None and create:
                store = self.tenants[key] = TenantStore(key)
                store.listeners = self.listeners
            return store

    def add_listener(self, listener: ChangeListener) -> None:
        self.listeners.append(listener)
