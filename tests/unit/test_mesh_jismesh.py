"""Cross-check of the mesh engine with the ``jismesh`` package (a test-only dependency).

jismesh computes in floating point, so it is compared away from cell edges (at centres and at
random points, which essentially never fall on an edge); exact edges are tested in test_mesh.py.
jismesh breaks on size-1 numpy arrays with current numpy, so it is only given longer arrays.
"""

from __future__ import annotations

import numpy as np
import pytest

from smartcity_qgis.analysis.mesh import mesh_center, mesh_children, mesh_code

jismesh = pytest.importorskip("jismesh.utils")

# our level name -> jismesh level number (jismesh has no 100 m level)
JISMESH_LEVELS = {"80km": 1, "10km": 2, "5km": 5000, "2km": 2000, "1km": 3, "500m": 4, "250m": 5, "125m": 6}


@pytest.mark.parametrize("level", sorted(JISMESH_LEVELS))
def test_agrees_with_jismesh_at_cell_centres(level):
    codes = np.concatenate([mesh_children(first, "80km", level) for first in (5339, 5237, 6441)])
    if codes.size > 200_000:
        codes = np.random.default_rng(1).choice(codes, 200_000, replace=False)
    lat, lon = mesh_center(codes, level)
    theirs = np.asarray(jismesh.to_meshcode(lat, lon, JISMESH_LEVELS[level]), dtype=np.int64)
    assert np.array_equal(theirs, codes)


@pytest.mark.slow
def test_agrees_with_jismesh_on_a_million_random_points_across_japan():
    rng = np.random.default_rng(20240406)
    lat = rng.uniform(24.0, 45.6, 1_000_000)
    lon = rng.uniform(122.9, 153.99, 1_000_000)
    for level in ("80km", "10km", "1km", "500m", "250m", "5km", "2km"):
        ours = mesh_code(lat, lon, level)
        theirs = np.asarray(jismesh.to_meshcode(lat, lon, JISMESH_LEVELS[level]), dtype=np.int64)
        disagree = np.flatnonzero(ours != theirs)
        assert disagree.size == 0, (level, lat[disagree[:3]], lon[disagree[:3]], ours[disagree[:3]])
