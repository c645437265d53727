"""Footprints of many detections in one transform: the rings the one-at-a-time code made."""

from __future__ import annotations

import numpy as np
import pytest

from basewatch.grid import Grid

#: A 10 m UTM grid (zone 36N, over Beirut) and a geographic one: the two kinds of grid.
UTM = Grid("EPSG:32636", (10.0, 0.0, 720000.0, 0.0, -10.0, 3760000.0), 2000, 1500)
GEOGRAPHIC = Grid("EPSG:4326", (9.9e-05, 0.0, 35.505, 0.0, -9.9e-05, 33.912), 303, 172)
#: Digits the detection records keep of a longitude or latitude.
DIGITS = 7


def _boxes(grid: Grid, n: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    r0 = rng.integers(0, grid.height - 20, n)
    c0 = rng.integers(0, grid.width - 20, n)
    return np.column_stack([r0, c0, r0 + rng.integers(1, 20, n), c0 + rng.integers(1, 20, n)])


def _one_at_a_time(grid: Grid, box: np.ndarray) -> tuple[tuple[float, float], ...]:
    """A footprint as detect/changed.py and detect/events.py build it, one box a call."""
    r0, c0, r1, c1 = (int(v) for v in box)
    fx, fy = grid.xy(np.array([r0, r0, r1, r1, r0]), np.array([c0, c1, c1, c0, c0]))
    flon, flat = grid.to_lonlat(fx, fy)
    return tuple(
        (round(float(a), DIGITS), round(float(b), DIGITS)) for a, b in zip(flon, flat, strict=True)
    )


@pytest.mark.parametrize("grid", [UTM, GEOGRAPHIC], ids=["utm", "geographic"])
def test_rings_of_all_boxes_at_once_are_the_rings_of_each_box(grid: Grid) -> None:
    boxes = _boxes(grid, 200)
    rings = grid.box_rings_lonlat(boxes)
    assert rings.shape == (len(boxes), 5, 2)
    for box, ring in zip(boxes, rings, strict=True):
        rounded = tuple((round(x, DIGITS), round(y, DIGITS)) for x, y in ring.tolist())
        assert rounded == _one_at_a_time(grid, box)
        assert ring[0].tolist() == ring[-1].tolist()


def test_centres_of_all_objects_at_once_are_their_centres_one_by_one() -> None:
    rows = np.array([0.5, 10.25, 1499.5])
    cols = np.array([0.5, 7.75, 1999.5])
    lon, lat = UTM.pixels_to_lonlat(rows, cols)
    for i in range(len(rows)):
        one_lon, one_lat = UTM.to_lonlat(*UTM.xy(rows[i : i + 1], cols[i : i + 1]))
        assert (lon[i], lat[i]) == (one_lon[0], one_lat[0])


def test_the_ring_runs_clockwise_from_the_top_left_corner() -> None:
    ring = GEOGRAPHIC.box_rings_lonlat([[0, 0, 2, 3]])[0]
    left, top = 35.505, 33.912
    right, bottom = left + 3 * 9.9e-05, top - 2 * 9.9e-05
    expected = [[left, top], [right, top], [right, bottom], [left, bottom], [left, top]]
    np.testing.assert_allclose(ring, expected, rtol=0, atol=1e-12)


def test_no_boxes_give_no_rings() -> None:
    assert UTM.box_rings_lonlat(np.zeros((0, 4), dtype=int)).shape == (0, 5, 2)
