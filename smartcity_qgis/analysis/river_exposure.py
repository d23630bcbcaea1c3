"""Gauges near a zone, by status: how many river gauges at each level stand inside a district or
within a distance of it (coordinates in metres, e.g. the zone's plane-rectangular CRS)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class GaugeCounts:
    """Gauges inside the zone and within the distance (inside ones included), per status key."""

    inside: dict[Hashable, int] = field(default_factory=dict)
    within: dict[Hashable, int] = field(default_factory=dict)

    def statuses(self) -> list[Hashable]:
        return sorted(set(self.inside) | set(self.within), key=str)


def count_gauges_near(zone: Any, gauges: Iterable[tuple[Any, Hashable]], distance_m: float) -> GaugeCounts:
    """Count ``(geometry, status)`` gauges inside ``zone`` and within ``distance_m`` of it.

    Geometries are shapely objects in metres; a gauge without a geometry is not counted.
    """
    if distance_m < 0:
        raise ValueError(f"the distance must not be negative (got {distance_m} m)")
    counts = GaugeCounts()
    for geometry, status in gauges:
        if geometry is None or geometry.is_empty:
            continue
        distance = zone.distance(geometry)
        if distance <= distance_m:
            counts.within[status] = counts.within.get(status, 0) + 1
        if distance == 0 and zone.intersects(geometry):
            counts.inside[status] = counts.inside.get(status, 0) + 1
    return counts
