"""Zones rasterised by scanlines give the pixels skimage's per-pixel test gives.

``basewatch.aoi.polygon_mask`` replaced :func:`skimage.draw.polygon` (which tests every
pixel of a polygon's bounding box and returns their coordinates: 2 s and 0.6 GB for a
site covering a 2745 px square raster). The rule is the same, so the masks must be
identical, on the real sites and on random polygons, lattice-aligned ones included
(vertices and edges through pixel centres).
"""

from __future__ import annotations

import numpy as np
import pytest
from skimage.draw import polygon as skimage_polygon

import basewatch as bw
from basewatch.aoi import _polygon_mask_numpy, polygon_mask


def _skimage_mask(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    out = np.zeros(shape, dtype=bool)
    rr, cc = skimage_polygon(rows, cols, shape=shape)
    out[rr, cc] = True
    return out


@pytest.mark.parametrize("seed", range(4))
def test_random_polygons_match_skimage(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for k in range(300):
        n = int(rng.integers(3, 12))
        shape = (int(rng.integers(5, 50)), int(rng.integers(5, 50)))
        if k % 3 == 0:  # on the pixel lattice: vertices and edges through centres
            rows = rng.integers(-5, shape[0] + 5, n) + rng.choice([0.0, 0.5], n)
            cols = rng.integers(-5, shape[1] + 5, n) + rng.choice([0.0, 0.5], n)
        else:
            rows = rng.uniform(-5, shape[0] + 5, n)
            cols = rng.uniform(-5, shape[1] + 5, n)
        if k % 2:
            rows, cols = np.r_[rows, rows[0]], np.r_[cols, cols[0]]
        assert np.array_equal(polygon_mask(rows, cols, shape), _skimage_mask(rows, cols, shape))


@pytest.mark.parametrize("name", ["beirut-port", "beirut-airport", "hmeimim", "tartus"])
def test_real_site_zones_match_skimage(name: str) -> None:
    site = bw.load_site(name)
    grid = bw.aoi_for_site(site).grid
    projected = site.project(grid.crs)
    covered = 0
    for zone in projected.zones:
        geoms = getattr(zone.geometry, "geoms", [zone.geometry])
        for poly in geoms:
            xy = np.asarray(poly.exterior.coords)
            rows, cols = grid.rowcol(xy[:, 0], xy[:, 1])
            mask = polygon_mask(rows - 0.5, cols - 0.5, grid.shape)
            assert np.array_equal(mask, _skimage_mask(rows - 0.5, cols - 0.5, grid.shape))
            covered += int(mask.sum())
    assert covered > 100  # the zones are on the grid


@pytest.mark.parametrize("seed", range(4))
def test_the_scanline_kernel_equals_the_numpy_reference(seed: int) -> None:
    """polygon_mask (numba, one sweep per row) gives its numpy reference's pixels on
    random polygons, vertices on pixel centres and edges along rows included."""
    rng = np.random.default_rng(100 + seed)
    shape = (150, 170)
    for _ in range(100):
        n = int(rng.integers(3, 12))
        rows = rng.uniform(-20, 170, n)
        cols = rng.uniform(-20, 190, n)
        if seed % 2:  # on the pixel grid: vertices on centres, horizontal edges
            rows, cols = np.round(rows), np.round(cols)
        fast, reference = polygon_mask(rows, cols, shape), _polygon_mask_numpy(rows, cols, shape)
        assert np.array_equal(fast, reference)
