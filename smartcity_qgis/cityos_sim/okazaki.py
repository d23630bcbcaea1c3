"""The Okazaki demo scenario (synthetic data in real places): tenants ``okazaki`` and ``toyota``.

River stations sit on the 乙川 (flowing west through the centre) and the 矢作川 (north-south, west
of the centre); people counters in the QURUWA district and at 東岡崎 / 岡崎 stations; air quality,
streetlights, car parks and evacuation shelters. A storm lifts some stations through 氾濫注意 to
氾濫危険 and back over ``storm_minutes`` of scenario time; crowds follow the time of day (JST).
People counters and car parks start with ``history_days`` of hourly history (weekly rhythm, a
社会実験 ``experiment_days_ago`` days before the start; see ``okazaki_history``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import deque
from typing import Any

from smartcity_qgis.cityos_sim.model import EntityRecord, iso
from smartcity_qgis.cityos_sim.okazaki_history import EXPERIMENT_DAYS_AGO, HISTORY_DAYS, archive, history_plan
from smartcity_qgis.cityos_sim.scenario_records import changed, make_record, point
from smartcity_qgis.cityos_sim.store import HISTORY_MAX, Store, TenantStore

NOTE = (
    "synthetic demo data: the Okazaki scenario of the SmartCity QGIS embedded city OS; "
    "places are real, every value is simulated"
)
JST = 9 * 3600

# (id suffix, station name, river, lon, lat, standby, caution, evacuation, danger, levee crown, storm peak)
# storm peak: how far the storm lifts the level, as a fraction between danger (1.0) and caution (0.0).
STATIONS = {
    "okazaki": [
        ("otogawa-ohira", "大平", "乙川", 137.2050, 34.9465, 1.80, 2.60, 3.20, 3.70, 5.20, 0.5),
        ("otogawa-ryusenji", "竜泉寺", "乙川", 137.1860, 34.9512, 1.90, 2.70, 3.30, 3.80, 5.40, 0.8),
        ("otogawa-tonobashi", "殿橋", "乙川", 137.1637, 34.9569, 2.00, 2.80, 3.40, 4.00, 5.60, 1.25),
        ("otogawa-myodaibashi", "明代橋", "乙川", 137.1520, 34.9552, 2.00, 2.90, 3.50, 4.10, 5.70, 1.15),
        ("yahagi-iwazu", "岩津", "矢作川", 137.1495, 35.0020, 3.00, 4.00, 5.20, 5.90, 8.10, 0.6),
        ("yahagi-yahagibashi", "矢作橋", "矢作川", 137.1427, 34.9555, 3.20, 4.20, 5.40, 6.10, 8.30, 1.2),
        ("yahagi-watari", "渡", "矢作川", 137.1335, 34.9290, 3.30, 4.30, 5.50, 6.30, 8.60, 0.4),
    ],
    "toyota": [
        ("yahagi-kusumibashi", "久澄橋", "矢作川", 137.1640, 35.0890, 2.50, 3.50, 4.60, 5.20, 7.20, 0.7),
        ("yahagi-takahashi", "高橋", "矢作川", 137.1720, 35.0800, 2.60, 3.60, 4.70, 5.30, 7.40, 1.1),
        ("yahagi-toyoda", "豊田", "矢作川", 137.1590, 35.0640, 2.70, 3.70, 4.80, 5.40, 7.50, 0.3),
    ],
}

# (id suffix, name, lon, lat, peak count per 10 minutes, profile: "leisure" | "station")
COUNTERS = {
    "okazaki": [
        ("quruwa-okazaki-park", "QURUWA 岡崎公園", 137.1605, 34.9563, 420, "leisure"),
        ("quruwa-sakuranoshiro-bridge", "QURUWA 桜城橋", 137.1650, 34.9572, 520, "leisure"),
        ("quruwa-tonobashi", "QURUWA 殿橋", 137.1637, 34.9578, 380, "leisure"),
        ("quruwa-kosei-dori", "QURUWA 康生通", 137.1642, 34.9590, 460, "leisure"),
        ("quruwa-kagoda-park", "QURUWA 籠田公園", 137.1668, 34.9603, 300, "leisure"),
        ("quruwa-chuo-ryokudo", "QURUWA 中央緑道", 137.1678, 34.9566, 350, "leisure"),
        ("higashi-okazaki-station", "東岡崎駅", 137.1691, 34.9530, 900, "station"),
        ("okazaki-station", "岡崎駅", 137.1578, 34.9254, 800, "station"),
    ],
    "toyota": [
        ("toyotashi-station", "豊田市駅", 137.1530, 35.0847, 850, "station"),
        ("shin-toyota-station", "新豊田駅", 137.1565, 35.0830, 500, "station"),
        ("toyota-sakura-machi", "豊田 桜町", 137.1550, 35.0860, 350, "leisure"),
    ],
}

# (id suffix, name, lon, lat, capacity)
SHELTERS = {
    "okazaki": [
        ("okazaki-elementary", "岡崎小学校", 137.1598, 34.9530, 600),
        ("kosei-community-hall", "康生学区市民ホーム", 137.1655, 34.9605, 150),
        ("umezono-elementary", "梅園小学校", 137.1760, 34.9590, 550),
        ("mishima-elementary", "三島小学校", 137.1500, 34.9420, 500),
        ("okazaki-central-gym", "岡崎中央総合公園 総合体育館", 137.1960, 34.9290, 2500),
        ("yahagi-junior-high", "矢作中学校", 137.1340, 34.9560, 800),
        ("iwazu-elementary", "岩津小学校", 137.1560, 35.0000, 450),
    ],
    "toyota": [
        ("toyota-sports-center", "豊田市総合体育館", 137.1450, 35.0790, 2000),
        ("toyota-sakura-elementary", "豊田市立童子山小学校", 137.1600, 35.0900, 500),
    ],
}

AIR = {
    "okazaki": [
        ("kosei", "康生 大気測定局", 137.1630, 34.9595),
        ("yahagi", "矢作 大気測定局", 137.1380, 34.9500),
        ("okazaki-station", "岡崎駅前 大気測定局", 137.1585, 34.9262),
    ],
    "toyota": [("toyota-center", "豊田 大気測定局", 137.1540, 35.0830)],
}

# (id suffix, name, lon, lat, total spots)
PARKING = {
    "okazaki": [
        ("kosei-underground", "康生地下駐車場", 137.1640, 34.9595, 260),
        ("higashi-okazaki", "東岡崎駅前駐車場", 137.1700, 34.9535, 180),
        ("okazaki-park", "岡崎公園駐車場", 137.1590, 34.9572, 120),
        ("okazaki-station-west", "岡崎駅西口駐車場", 137.1565, 34.9250, 300),
    ],
    "toyota": [("toyotashi-station", "豊田市駅前駐車場", 137.1520, 35.0850, 400)],
}

# streetlights along the QURUWA walking route (start, end, count)
STREETLIGHT_ROUTES = {
    "okazaki": [
        ((137.1600, 34.9560), (137.1700, 34.9570), 14),
        ((137.1640, 34.9565), (137.1645, 34.9610), 10),
        ((137.1655, 34.9595), (137.1690, 34.9530), 10),
    ],
    "toyota": [((137.1510, 35.0840), (137.1580, 35.0860), 8)],
}


def _gauss(x: float, mu: float, sigma: float) -> float:
    return math.exp(-0.5 * ((x - mu) / sigma) ** 2)


def daily_curve(hour: float, profile: str) -> float:
    """Relative activity (0..~1) at a JST hour: commuter peaks at stations, a midday/evening swell in town."""
    if profile == "station":
        return 0.04 + 0.95 * _gauss(hour, 7.8, 1.0) + 0.35 * _gauss(hour, 12.5, 2.5) + 0.85 * _gauss(hour, 18.2, 1.3)
    return 0.03 + 0.25 * _gauss(hour, 8.0, 1.2) + 0.9 * _gauss(hour, 13.5, 2.6) + 0.55 * _gauss(hour, 18.5, 1.6)


class OkazakiScenario:
    """Demo city: 岡崎市 (tenant ``okazaki``, the default) and 豊田市 (tenant ``toyota``)."""

    name = "okazaki"
    note = NOTE
    default_tenant = "okazaki"

    def __init__(
        self,
        entities: int | None = None,
        types: list[str] | None = None,
        seed: int = 0,
        storm_minutes: float = 2.0,
        storm_start_minutes: float = 0.0,
        start_time: float | None = None,
        history_days: int = HISTORY_DAYS,
        experiment_days_ago: int = EXPERIMENT_DAYS_AGO,
        **_ignored: Any,
    ) -> None:
        self.types = set(types) if types else None
        self.seed = seed
        self.rng = random.Random(seed)
        self.start_time = start_time if start_time is not None else time.time()
        self.storm_minutes = float(storm_minutes)
        self.storm_start = self.start_time + float(storm_start_minutes) * 60
        self._stations: dict[str, list[tuple]] = {}
        self.history_days = int(history_days)
        self.history = history_plan(self.start_time, max(self.history_days, 0), int(experiment_days_ago))

    # ------------------------------------------------------------ the past

    @property
    def experiment_date(self) -> dt.date:
        """JST day the QURUWA 社会実験 began (its effect is in the history from that day on)."""
        return self.history.experiment_date

    def history_archive(self, tenant: str) -> dict[str, dict[str, list[tuple[float, Any]]]]:
        """entity id -> attribute -> [(epoch seconds, value)]: the history the tenant starts with."""
        if self.history_days <= 0:
            return {}
        return archive(tenant, self.seed, self.history, COUNTERS[tenant], PARKING[tenant], daily_curve)

    # ------------------------------------------------------------ storm

    def storm_window(self) -> tuple[float, float, float]:
        """(start, peak, end) of the storm in scenario epoch seconds."""
        duration = self.storm_minutes * 60
        return self.storm_start, self.storm_start + duration / 2, self.storm_start + duration

    def storm_factor(self, clock: float) -> float:
        """0 outside the storm, rising to 1 at its middle and back (a smooth flood wave)."""
        start, _, end = self.storm_window()
        if not start <= clock <= end or end <= start:
            return 0.0
        return math.sin(math.pi * (clock - start) / (end - start)) ** 2

    def water_level(self, station: tuple, clock: float) -> float:
        *_, standby, caution, _evac, danger, _crown, peak = station
        base = standby * 0.45 + 0.08 * math.sin(clock / 5400.0 + standby)
        crest = caution + peak * (danger - caution)
        return round(base + (crest - base) * self.storm_factor(clock) + self.rng.uniform(-0.01, 0.01), 2)

    # ------------------------------------------------------------ building

    def _wanted(self, etype: str) -> bool:
        return self.types is None or etype in self.types

    def populate(self, store: Store, now: float) -> None:
        for tenant in ("okazaki", "toyota"):
            target = store.tenant(tenant)
            past = self.history_archive(tenant)
            for rec in self._records(tenant, now):
                if self._wanted(rec.type):
                    for name, samples in past.get(rec.id, {}).items():
                        # Months of hourly samples: room for them beyond the live history's length.
                        rec.history = rec.history or {}
                        rec.history[name] = deque(samples, maxlen=len(samples) + HISTORY_MAX)
                    target.add(rec, keep_history=True)

    def _records(self, tenant: str, now: float) -> list[EntityRecord]:
        t = self.start_time
        out = []
        self._stations[tenant] = STATIONS[tenant]
        for st in STATIONS[tenant]:
            sid, sname, river, lon, lat, standby, caution, evac, danger, crown, _peak = st
            out.append(
                make_record(
                    f"urn:ngsi-ld:WaterObserved:{tenant}-{sid}",
                    "WaterObserved",
                    {
                        "waterLevel": ("Number", self.water_level(st, t), "MTR"),
                        "standbyLevel": ("Number", standby, "MTR"),
                        "cautionLevel": ("Number", caution, "MTR"),
                        "evacuationLevel": ("Number", evac, "MTR"),
                        "dangerLevel": ("Number", danger, "MTR"),
                        "leveeCrownHeight": ("Number", crown, "MTR"),
                        "stationName": ("Text", sname),
                        "riverName": ("Text", river),
                        "dateObserved": ("DateTime", iso(t)),
                        "location": ("geo:json", point(lon, lat)),
                    },
                    now,
                    t,
                )
            )
        hour = ((t + JST) % 86400) / 3600
        for cid, cname, lon, lat, peak, profile in COUNTERS[tenant]:
            count = round(peak * daily_curve(hour, profile))
            out.append(
                make_record(
                    f"urn:ngsi-ld:CrowdFlowObserved:{tenant}-{cid}",
                    "CrowdFlowObserved",
                    {
                        "name": ("Text", cname),
                        "peopleCount": ("Number", count, "IE"),
                        "congested": ("Boolean", count > 0.7 * peak),
                        "dateObserved": ("DateTime", iso(t)),
                        "location": ("geo:json", point(lon, lat)),
                        "areaServed": ("Text", "QURUWA" if cid.startswith("quruwa") else cname),
                    },
                    now,
                    t,
                )
            )
        for aid, aname, lon, lat in AIR[tenant]:
            out.append(
                make_record(
                    f"urn:ngsi-ld:AirQualityObserved:{tenant}-{aid}",
                    "AirQualityObserved",
                    {
                        "name": ("Text", aname),
                        **self._air_values(hour),
                        "dateObserved": ("DateTime", iso(t)),
                        "location": ("geo:json", point(lon, lat)),
                    },
                    now,
                    t,
                )
            )
        for pid, pname, lon, lat, total in PARKING[tenant]:
            free = max(0, round(total * (1 - 0.9 * daily_curve(hour, "leisure"))))
            out.append(
                make_record(
                    f"urn:ngsi-ld:OffStreetParking:{tenant}-{pid}",
                    "OffStreetParking",
                    {
                        "name": ("Text", pname),
                        "totalSpotNumber": ("Number", total),
                        "availableSpotNumber": ("Number", free),
                        "status": ("Text", "open"),
                        "dateObserved": ("DateTime", iso(t)),
                        "location": ("geo:json", point(lon, lat)),
                    },
                    now,
                    t,
                )
            )
        for hid, hname, lon, lat, capacity in SHELTERS[tenant]:
            out.append(
                make_record(
                    f"urn:ngsi-ld:PointOfInterest:{tenant}-shelter-{hid}",
                    "PointOfInterest",
                    {
                        "name": ("Text", hname),
                        "category": ("StructuredValue", ["shelter"]),
                        "capacity": ("Number", capacity, "IE"),
                        "status": ("Text", "closed"),
                        "location": ("geo:json", point(lon, lat)),
                    },
                    now,
                )
            )
        on = self._lights_on(hour)
        n = 0
        for (x1, y1), (x2, y2), count in STREETLIGHT_ROUTES[tenant]:
            for k in range(count):
                f = k / max(1, count - 1)
                n += 1
                out.append(
                    make_record(
                        f"urn:ngsi-ld:Streetlight:{tenant}-{n:03d}",
                        "Streetlight",
                        {
                            "powerState": ("Text", "on" if on else "off"),
                            "status": ("Text", "ok"),
                            "illuminanceLevel": ("Number", 0.8 if on else 0.0),
                            "location": ("geo:json", point(x1 + f * (x2 - x1), y1 + f * (y2 - y1))),
                        },
                        now,
                    )
                )
        return out

    def _air_values(self, hour: float) -> dict[str, tuple]:
        traffic = daily_curve(hour, "station")
        r = self.rng.uniform
        return {
            "no2": ("Number", round(8 + 30 * traffic + r(-2, 2), 1), "GQ"),
            "pm25": ("Number", round(6 + 10 * traffic + r(-1, 1), 1), "GQ"),
            "pm10": ("Number", round(12 + 16 * traffic + r(-2, 2), 1), "GQ"),
            "o3": ("Number", round(40 + 30 * _gauss(hour, 14, 3) + r(-3, 3), 1), "GQ"),
            "temperature": ("Number", round(14 + 6 * _gauss(hour, 14, 4) + r(-0.3, 0.3), 1), "CEL"),
            "relativeHumidity": ("Number", round(0.55 + 0.2 * (1 - _gauss(hour, 14, 4)), 2), "P1"),
        }

    @staticmethod
    def _lights_on(hour: float) -> bool:
        return hour >= 17.5 or hour < 6.0

    # ------------------------------------------------------------ moving

    def step(self, store: Store, clock: float, dt: float, now: float) -> None:
        hour = ((clock + JST) % 86400) / 3600
        for tenant in ("okazaki", "toyota"):
            target = store.tenants.get(tenant)
            if target is None:
                continue
            with target.lock:  # one moment: a query sees all of the step's changes or none
                self._step_tenant(target, tenant, clock, hour, now)

    def _set(self, store: TenantStore, eid: str, values: dict[str, Any], clock: float, now: float) -> None:
        rec = store.get(eid)
        if rec is not None:
            store.update(rec, changed(rec, values, clock, now), now)

    def _step_tenant(self, store: TenantStore, tenant: str, clock: float, hour: float, now: float) -> None:
        above_evacuation = False
        for st in STATIONS[tenant]:
            level = self.water_level(st, clock)
            above_evacuation |= level >= st[7]
            self._set(store, f"urn:ngsi-ld:WaterObserved:{tenant}-{st[0]}", {"waterLevel": level}, clock, now)
        rain = self.storm_factor(clock)
        for cid, _name, _lon, _lat, peak, profile in COUNTERS[tenant]:
            count = round(peak * daily_curve(hour, profile) * (1 - 0.7 * rain) * self.rng.uniform(0.92, 1.08))
            self._set(
                store,
                f"urn:ngsi-ld:CrowdFlowObserved:{tenant}-{cid}",
                {"peopleCount": count, "congested": count > 0.7 * peak},
                clock,
                now,
            )
        for aid, *_ in AIR[tenant]:
            values = {k: v[1] for k, v in self._air_values(hour).items()}
            self._set(store, f"urn:ngsi-ld:AirQualityObserved:{tenant}-{aid}", values, clock, now)
        for pid, _name, _lon, _lat, total in PARKING[tenant]:
            busy = daily_curve(hour, "leisure") * (1 - 0.5 * rain)
            free = max(0, min(total, round(total * (1 - 0.9 * busy) + self.rng.randint(-3, 3))))
            self._set(store, f"urn:ngsi-ld:OffStreetParking:{tenant}-{pid}", {"availableSpotNumber": free}, clock, now)
        status = "open" if above_evacuation else "closed"
        for hid, *_ in SHELTERS[tenant]:
            rec = store.get(f"urn:ngsi-ld:PointOfInterest:{tenant}-shelter-{hid}")
            if rec is not None and rec.attrs["status"].value != status:
                store.update(rec, changed(rec, {"status": status}, clock, now), now)
        on = self._lights_on(hour)
        state = "on" if on else "off"
        with store.lock:
            lights = [r for r in store.by_id.values() if r.type == "Streetlight"]
        for rec in lights:
            if rec.attrs["powerState"].value != state:
                store.update(
                    rec, changed(rec, {"powerState": state, "illuminanceLevel": 0.8 if on else 0.0}, clock, now), now
                )
