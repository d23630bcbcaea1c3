"""Deterministic NGSI entity payloads for the parse benchmark (10 attributes and a location)."""

from __future__ import annotations

import json
import random

PAGE = 1000
_BASE_LON, _BASE_LAT = 137.174, 34.954  # Okazaki


def _v2(index: int, rng: random.Random) -> dict:
    lon = round(_BASE_LON + rng.uniform(-0.1, 0.1), 6)
    lat = round(_BASE_LAT + rng.uniform(-0.08, 0.08), 6)
    observed = f"2026-07-{1 + index % 28:02d}T{index % 24:02d}:{index % 60:02d}:00.000Z"

    def number(value: float, unit: str) -> dict:
        return {"type": "Number", "value": value, "metadata": {"unitCode": {"type": "Text", "value": unit}}}

    return {
        "id": f"urn:ngsi-ld:AirQualityObserved:okazaki-{index:07d}",
        "type": "AirQualityObserved",
        "location": {"type": "geo:json", "value": {"type": "Point", "coordinates": [lon, lat]}},
        "dateObserved": {"type": "DateTime", "value": observed},
        "temperature": number(round(rng.uniform(-5, 38), 1), "CEL"),
        "relativeHumidity": number(round(rng.uniform(0.2, 1.0), 2), "P1"),
        "windSpeed": number(round(rng.uniform(0, 20), 1), "MTS"),
        "no2": number(round(rng.uniform(0, 80), 1), "GQ"),
        "pm10": number(round(rng.uniform(0, 120), 1), "GQ"),
        "pm25": number(round(rng.uniform(0, 60), 1), "GQ"),
        "name": {"type": "Text", "value": f"大気観測点 {index}"},
        "airQualityLevel": {"type": "Text", "value": rng.choice(["good", "moderate", "unhealthy"])},
        "refDevice": {"type": "Relationship", "value": f"urn:ngsi-ld:Device:aq-{index:07d}"},
    }


def _ld(index: int, rng: random.Random) -> dict:
    v2 = _v2(index, rng)
    entity: dict = {"id": v2["id"], "type": v2["type"]}
    for name, attr in v2.items():
        if name in ("id", "type"):
            continue
        if attr["type"] == "geo:json":
            entity[name] = {"type": "GeoProperty", "value": attr["value"]}
        elif attr["type"] == "Relationship":
            entity[name] = {"type": "Relationship", "object": attr["value"]}
        elif attr["type"] == "DateTime":
            entity[name] = {"type": "Property", "value": {"@type": "DateTime", "@value": attr["value"]}}
        else:
            prop = {"type": "Property", "value": attr["value"]}
            unit = attr.get("metadata", {}).get("unitCode")
            if unit:
                prop["unitCode"] = unit["value"]
            entity[name] = prop
    return entity


def entity_pages(count: int, flavor: str, seed: int = 8) -> list[bytes]:
    """``count`` normalized entities of ``flavor`` as JSON response bodies of 1000 entities each."""
    rng = random.Random(seed)
    make = _v2 if flavor == "ngsi-v2" else _ld
    entities = [make(i, rng) for i in range(count)]
    return [
        json.dumps(entities[start : start + PAGE], ensure_ascii=False).encode("utf-8")
        for start in range(0, count, PAGE)
    ]
