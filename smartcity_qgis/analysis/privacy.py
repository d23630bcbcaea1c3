"""Privacy by default: k-anonymity suppression of small cells.

The MLIT people-flow publication rule is followed: a cell (mesh cell, pixel block, zone) that
stands for fewer than ``k`` people is not published at all. ``k`` is 10 by default. Switching
the rule off is possible only with an explicit ``allow_disclosure=True``; a ``k`` below 2
without it is refused, so that a forgotten parameter can never publish single people.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_K = 10
"""Smallest number of people a published cell may stand for (MLIT's publication rule)."""


@dataclass(frozen=True)
class Suppression:
    """Which cells may be published, and how many were held back."""

    keep: np.ndarray
    suppressed: int
    k: int

    @property
    def kept(self) -> int:
        return int(self.keep.sum())


def check_k(k: int | None, allow_disclosure: bool = False) -> int:
    """Validated ``k``; ``k`` of 0/1/None turns the rule off and needs ``allow_disclosure``."""
    if k is None:
        k = 0
    if isinstance(k, bool) or int(k) != k:
        raise ValueError(f"k must be a whole number of people, not {k!r}")
    k = int(k)
    if k < 0:
        raise ValueError(f"k must not be negative (got {k})")
    if k < 2 and not allow_disclosure:
        raise ValueError(
            f"k={k} would publish cells of single people; pass allow_disclosure=True to switch "
            "the privacy rule off explicitly"
        )
    return k


def suppress_small_cells(people, k: int = DEFAULT_K, allow_disclosure: bool = False) -> Suppression:
    """Mask of cells with at least ``k`` people (NaN counts as too few) and the number suppressed.

    Cells with zero people are not counted as suppressed: there is nothing to hide in them.
    """
    k = check_k(k, allow_disclosure)
    values = np.asarray(people, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        keep = values >= k if k >= 1 else np.ones(values.shape, dtype=bool)
        keep &= ~np.isnan(values)
        hidden = ~keep & ~(values == 0)
    return Suppression(keep=keep, suppressed=int(hidden.sum()), k=k)
