"""Counting and summing onto JIS mesh cells, with the k-anonymity rule applied on the way out.

Used by the "Aggregate to JIS mesh" algorithm and by the live "snapshot to mesh" action
(current counts of people-counter entities aggregated to a chosen level).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from smartcity_qgis.analysis.mesh import MESH_NONE, mesh_code, mesh_parent
from smartcity_qgis.analysis.privacy import DEFAULT_K, suppress_small_cells


@dataclass(frozen=True)
class MeshAggregate:
    """Published cells (codes and values, sorted by code) and what was left out."""

    level: str
    codes: np.ndarray
    values: np.ndarray
    counts: np.ndarray
    suppressed: int
    outside: int
    k: int


def _group(codes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    unique, inverse = np.unique(codes, return_inverse=True)
    sums = np.bincount(inverse, weights=values, minlength=unique.size)
    counts = np.bincount(inverse, minlength=unique.size)
    return unique, sums, counts


def _publish(level, codes, values, counts, outside, k, allow_disclosure) -> MeshAggregate:
    rule = suppress_small_cells(values, k, allow_disclosure)
    return MeshAggregate(
        level=level,
        codes=codes[rule.keep],
        values=values[rule.keep],
        counts=counts[rule.keep],
        suppressed=rule.suppressed,
        outside=outside,
        k=rule.k,
    )


def aggregate_points(
    lat,
    lon,
    level: str,
    weights=None,
    k: int = DEFAULT_K,
    allow_disclosure: bool = False,
) -> MeshAggregate:
    """People per cell from points (each point one person, or ``weights`` people).

    Points outside the mesh domain and points with a missing (NaN) weight are left out and
    counted in ``outside``; cells with fewer than ``k`` people are suppressed.
    """
    lat = np.asarray(lat, dtype=np.float64).ravel()
    lon = np.asarray(lon, dtype=np.float64).ravel()
    w = np.ones(lat.size) if weights is None else np.asarray(weights, dtype=np.float64).ravel()
    if not (lat.size == lon.size == w.size):
        raise ValueError("lat, lon and weights must have the same length")
    codes = mesh_code(lat, lon, level, outside="sentinel")
    usable = (codes != MESH_NONE) & ~np.isnan(w)
    unique, sums, counts = _group(codes[usable], w[usable])
    return _publish(level, unique, sums, counts, int((~usable).sum()), k, allow_disclosure)


def aggregate_cells(
    codes,
    level: str,
    values,
    to_level: str,
    k: int = DEFAULT_K,
    allow_disclosure: bool = False,
) -> MeshAggregate:
    """Sum the values of finer mesh cells into the ``to_level`` cells containing them."""
    codes = np.asarray(codes).ravel()
    values = np.asarray(values, dtype=np.float64).ravel()
    if codes.size != values.size:
        raise ValueError("codes and values must have the same length")
    parents = mesh_parent(codes, level, to_level) if to_level != level else np.asarray(codes, np.int64)
    usable = ~np.isnan(values)
    unique, sums, counts = _group(np.asarray(parents)[usable], values[usable])
    return _publish(to_level, unique, sums, counts, int((~usable).sum()), k, allow_disclosure)


def snapshot_to_mesh(
    counters: Iterable[tuple[float, float, float]],
    level: str,
    k: int = DEFAULT_K,
    allow_disclosure: bool = False,
) -> MeshAggregate:
    """Current people counts ``(lat, lon, count)`` of live counters summed per mesh cell."""
    rows = np.asarray(list(counters), dtype=np.float64).reshape(-1, 3)
    return aggregate_points(rows[:, 0], rows[:, 1], level, rows[:, 2], k, allow_disclosure)
