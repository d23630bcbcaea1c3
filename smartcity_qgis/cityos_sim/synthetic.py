"""The synthetic scale scenario: N point entities of configurable types spread over an area."""

from __future__ import annotations

import gc
import time
from typing import Any

import numpy as np

from smartcity_qgis.cityos_sim.model import Attr, EntityRecord, iso
from smartcity_qgis.cityos_sim.scenario_records import DATA_PROVIDER, SOURCE, UNITS, changed
from smartcity_qgis.cityos_sim.store import Store

NOTE = "synthetic demo data: the scale scenario of the SmartCity QGIS embedded city OS; every value is random"
DEFAULT_TYPES = ["AirQualityObserved", "CrowdFlowObserved", "ParkingSpot", "Streetlight", "WaterObserved"]
DEFAULT_AREA = (137.05, 34.85, 137.35, 35.10)  # around Okazaki and Toyota

# type -> (measured attribute, NGSI type, unit, low, high)
MEASURES = {
    "AirQualityObserved": ("no2", "Number", "GQ", 5.0, 60.0),
    "CrowdFlowObserved": ("peopleCount", "Number", "IE", 0, 800),
    "WaterObserved": ("waterLevel", "Number", "MTR", 0.5, 4.0),
    "ParkingSpot": ("status", "Text", None, ("free", "occupied"), None),
    "Streetlight": ("powerState", "Text", None, ("on", "off"), None),
}
GENERIC = ("value", "Number", None, 0.0, 100.0)


class SyntheticScenario:
    """``entities`` entities (default 10,000) cycling through ``types``; ``updates_per_second`` changes."""

    name = "synthetic"
    note = NOTE

    def __init__(
        self,
        entities: int | None = None,
        types: list[str] | None = None,
        seed: int = 0,
        area: tuple[float, float, float, float] = DEFAULT_AREA,
        updates_per_second: float = 10.0,
        tenant: str = "synthetic",
        start_time: float | None = None,
        **_ignored: Any,
    ) -> None:
        self.count = 10_000 if entities is None else int(entities)
        if self.count < 0:
            raise ValueError("entities must be >= 0")
        self.types = list(types) if types else list(DEFAULT_TYPES)
        self.area = tuple(area)
        self.updates_per_second = float(updates_per_second)
        self.default_tenant = tenant
        self.start_time = start_time if start_time is not None else time.time()
        self.rng = np.random.default_rng(seed)
        self._ids: list[str] = []

    def _value(self, etype: str, u: float) -> Any:
        _name, atype, _unit, low, high = MEASURES.get(etype, GENERIC)
        if atype == "Text":
            return low[int(u * len(low)) % len(low)]
        value = low + u * (high - low)
        return round(value) if isinstance(low, int) else round(value, 2)

    def populate(self, store: Store, now: float) -> None:
        # building a million small objects: the cyclic GC would rescan the growing heap again and again
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            self._populate(store, now)
        finally:
            if gc_was_on:
                gc.enable()
        if self.count >= 100_000:
            gc.freeze()  # later collections skip the store instead of pausing requests to scan it

    def _populate(self, store: Store, now: float) -> None:
        n = self.count
        min_lon, min_lat, max_lon, max_lat = self.area
        lon = np.round(self.rng.uniform(min_lon, max_lon, n), 6)
        lat = np.round(self.rng.uniform(min_lat, max_lat, n), 6)
        u = self.rng.random(n)
        observed = iso(self.start_time)
        provider = Attr("Text", DATA_PROVIDER, None, None, now)
        source = Attr("Text", SOURCE, None, None, now)
        date_attr = Attr("DateTime", observed, None, self.start_time, now)
        categories = {t: Attr("StructuredValue", ["sensor", t], None, None, now) for t in self.types}
        records = []
        ntypes = len(self.types)
        lon_list, lat_list, u_list = lon.tolist(), lat.tolist(), u.tolist()
        for i in range(n):
            etype = self.types[i % ntypes]
            name, atype, unit, _low, _high = MEASURES.get(etype, GENERIC)
            attrs = {
                "name": Attr("Text", f"{etype} {i}", None, None, now),
                name: Attr(atype, self._value(etype, u_list[i]), UNITS[unit] if unit else None, self.start_time, now),
                "category": categories[etype],
                "dateObserved": date_attr,
                "location": Attr(
                    "geo:json", {"type": "Point", "coordinates": [lon_list[i], lat_list[i]]}, None, None, now
                ),
                "dataProvider": provider,
                "source": source,
            }
            rec = EntityRecord(f"urn:ngsi-ld:{etype}:synthetic-{i:07d}", etype, "/", attrs, now)
            records.append(rec)
        self._ids = [r.id for r in records]
        store.tenant(None).bulk_add(records, lon, lat)

    def step(self, store: Store, clock: float, dt: float, now: float) -> None:
        if not self._ids or self.updates_per_second <= 0:
            return
        target = store.tenant(None)
        k = min(int(self.rng.poisson(self.updates_per_second * dt)), 10_000)
        # One step is one moment (its changes share `now`): a query sees all of it or none, so a
        # client asking for dateModified > the newest time it saw misses nothing.
        with target.lock:
            for j in self.rng.integers(0, len(self._ids), k):
                rec = target.get(self._ids[j])
                if rec is None:
                    continue
                name = MEASURES.get(rec.type, GENERIC)[0]
                value = self._value(rec.type, float(self.rng.random()))
                target.update(rec, changed(rec, {name: value}, clock, now), now)
