"""Benchmarks of the pure packages (no QGIS): JIS mesh codes and entity parsing."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np

from tests.bench.harness import FLOOR, Benchmark, Side, Target
from tests.bench.payloads import entity_pages

# ---------------------------------------------------------------- mesh

# Points are centres of random 1/8 (125 m) cells over Japan, computed in the exact units of
# 1/8 arc-second: each is strictly inside its 1 km and 250 m cell, so both libraries must agree.
_LAT_CELL_UNITS, _LON_CELL_UNITS, _UNITS_PER_DEGREE = 30, 45, 28800


def mesh_points(count: int, seed: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """``count`` (lat, lon) centres of random 125 m mesh cells between 30–45 N and 128–146 E."""
    rng = np.random.default_rng(seed)
    rows = rng.integers(30 * _UNITS_PER_DEGREE // _LAT_CELL_UNITS, 45 * _UNITS_PER_DEGREE // _LAT_CELL_UNITS, count)
    cols = rng.integers(128 * _UNITS_PER_DEGREE // _LON_CELL_UNITS, 146 * _UNITS_PER_DEGREE // _LON_CELL_UNITS, count)
    lat = (rows * _LAT_CELL_UNITS + _LAT_CELL_UNITS / 2) / _UNITS_PER_DEGREE
    lon = (cols * _LON_CELL_UNITS + _LON_CELL_UNITS / 2) / _UNITS_PER_DEGREE
    return lat, lon


def codes_summary(codes: Any) -> dict:
    """A digest of a code array plus a sample, to compare two sides without shipping 80 MB."""
    codes = np.ascontiguousarray(np.asarray(codes, dtype=np.int64))
    return {
        "count": int(codes.size),
        "sha256": hashlib.sha256(codes.tobytes()).hexdigest(),
        "sample": codes[:: max(1, codes.size // 2000)].copy(),
    }


def codes_agree(ours: dict, baseline: dict) -> str | None:
    """None when both sides gave the same codes, else where they differ."""
    if ours["count"] != baseline["count"]:
        return f"{ours['count']} codes against {baseline['count']}"
    if ours["sha256"] == baseline["sha256"]:
        return None
    differ = np.flatnonzero(ours["sample"] != baseline["sample"])
    if differ.size:
        i = differ[0]
        return f"codes differ, e.g. {ours['sample'][i]} against {baseline['sample'][i]}"
    return "codes differ (digest) outside the compared sample"


def _mesh_bench(level: str, jis_level: int, label: str) -> Benchmark:
    from smartcity_qgis.analysis.mesh import mesh_code

    def ours(points: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        return mesh_code(points[0], points[1], level)

    def jismesh_side(points: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        import jismesh.utils as ju

        return ju.to_meshcode(points[0], points[1], jis_level)

    return Benchmark(
        name=f"mesh-{level}",
        title=f"mesh {label}",
        full_size=10_000_000,
        smoke_size=20_000,
        make_input=mesh_points,
        ours=Side("mesh_code", ours, summarize=codes_summary),
        baseline=Side("jismesh.to_meshcode", jismesh_side, summarize=codes_summary),
        target=Target("≥ 2× faster (ratio ≤ 0.5), identical codes at cell centres", lambda r: r["ratio"] <= 0.5),
        agree=codes_agree,
        repeats=5,
        size_unit="points",
    )


# ---------------------------------------------------------------- parse


def _decode(pages: list[bytes]) -> list[list[dict]]:
    return [json.loads(page) for page in pages]


def _entity_summary(entities: list[Any]) -> list[tuple]:
    """(id, type, attribute names, numbers) of every 97th entity: what both sides must carry."""
    out = []
    for entity in entities[::97]:
        numbers = tuple(
            sorted(
                (n, a.value)
                for n, a in entity.attributes.items()
                if isinstance(a.value, (int, float)) and not isinstance(a.value, bool)
            )
        )
        names = set(entity.attributes) | ({entity.geometry_attribute} if entity.geometry_attribute else set())
        point = (round(entity.geometry.x, 9), round(entity.geometry.y, 9)) if entity.geometry is not None else None
        out.append((entity.id, entity.type, tuple(sorted(names)), numbers, point))
    return out


def _payload_summary(pages: list[list[dict]]) -> list[tuple]:
    payloads = [p for page in pages for p in page]
    out = []
    for payload in payloads[::97]:
        names = [n for n in payload if n not in ("id", "type")]
        numbers = []
        for name in names:
            value = payload[name].get("value")
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                numbers.append((name, value))
        point = tuple(round(c, 9) for c in payload["location"]["value"]["coordinates"])
        out.append((payload["id"], payload["type"], tuple(sorted(names)), tuple(sorted(numbers)), point))
    return out


def _parse_agree(ours: list[tuple], baseline: list[tuple]) -> str | None:
    if len(ours) != len(baseline):
        return f"{len(ours)} sampled entities against {len(baseline)} payloads"
    for mine, theirs in zip(ours, baseline, strict=True):
        if mine[:3] != theirs[:3]:
            return f"entity {theirs[0]}: parsed as {mine[:3]}"
        if mine[3] != theirs[3]:
            return f"entity {theirs[0]}: numbers {mine[3]} against {theirs[3]}"
        if mine[4] != theirs[4]:
            return f"entity {theirs[0]}: location {mine[4]} against {theirs[4]}"
    return None


def _parse_bench(flavor: str, title: str) -> Benchmark:
    """Parse only: payloads already decoded (untimed) → entities; geometry left to first use."""
    from smartcity_qgis.cityos_client import parse_entity

    def make_input(count: int) -> list[bytes]:
        return entity_pages(count, flavor)

    def parse(pages: list[list[dict]]) -> list[Any]:
        return [parse_entity(payload, flavor, "normalized") for page in pages for payload in page]

    return Benchmark(
        name=f"parse-{flavor}",
        title=title,
        full_size=100_000,
        smoke_size=500,
        make_input=make_input,
        ours=Side(
            "parse_entity over payloads already decoded (untimed); point geometry checked, built on first use",
            parse,
            prepare=_decode,
            summarize=_entity_summary,
        ),
        baseline=Side("decode floor: json.loads of the same bytes", _decode, summarize=_payload_summary),
        baseline_kind=FLOOR,
        target=Target("parse time ≤ 3× decode time (ratio ≤ 3)", lambda r: r["ratio"] <= 3.0),
        agree=_parse_agree,
        repeats=5,
        size_unit="entities",
        notes="10 attributes and a location per entity, normalized, pages of 1000; the parse step alone, "
        "against the time json.loads takes to decode the same bytes",
    )


def _parse_e2e_bench(flavor: str, title: str) -> Benchmark:
    """End to end: response bodies (bytes) → decoded → entities with their shapely geometry built."""
    from smartcity_qgis.cityos_client import parse_entity

    def make_input(count: int) -> list[bytes]:
        return entity_pages(count, flavor)

    def bytes_to_entities(pages: list[bytes]) -> list[Any]:
        entities = []
        for body in pages:
            for payload in json.loads(body):
                entity = parse_entity(payload, flavor, "normalized")
                entity.geometry  # noqa: B018 - built here, inside the timing
                entities.append(entity)
        return entities

    return Benchmark(
        name=f"parse-e2e-{flavor}",
        title=title,
        full_size=100_000,
        smoke_size=500,
        make_input=make_input,
        ours=Side("json.loads + parse_entity + shapely geometry built", bytes_to_entities, summarize=_entity_summary),
        baseline=Side("decode floor: json.loads of the same bytes", _decode, summarize=_payload_summary),
        baseline_kind=FLOOR,
        target=Target("bytes → entities ≤ 4× decode time (ratio ≤ 4)", lambda r: r["ratio"] <= 4.0),
        agree=_parse_agree,
        repeats=5,
        size_unit="entities",
        notes="the same pages as the parse-only row, from the response bodies to entities with their "
        "geometry: decoding, parsing and building each point, against decoding alone",
    )


BENCHMARKS = [
    _parse_bench("ngsi-v2", "parse NGSI-v2 (parse only)"),
    _parse_e2e_bench("ngsi-v2", "parse NGSI-v2 (end to end)"),
    _parse_bench("ngsi-ld", "parse NGSI-LD (parse only)"),
    _parse_e2e_bench("ngsi-ld", "parse NGSI-LD (end to end)"),
    _mesh_bench("1km", 3, "1 km"),
    _mesh_bench("250m", 5, "250 m"),
]
