"""Pixel grids: metres per pixel, coordinates, and grid comparison."""

from __future__ import annotations

import pytest

from basewatch.errors import GridMismatchError
from basewatch.grid import Grid, require_same_grid, utm_epsg_for


def test_geographic_pixel_size_in_metres() -> None:
    # the Beirut sample grid: 9.8986e-5 degrees at 33.8 N
    g = Grid(
        "EPSG:4326", (9.89860463365216e-05, 0, 35.475, 0, -9.89860463365216e-05, 33.835), 303, 303
    )
    mx, my = g.pixel_size_m
    assert mx == pytest.approx(9.16, abs=0.02)  # shrinks with cos(latitude)
    assert my == pytest.approx(10.98, abs=0.02)


def test_projected_pixel_size_and_round_trip() -> None:
    g = Grid("EPSG:32636", (10.0, 0, 744440.0, 0, -10.0, 3941150.0), 964, 1373)
    assert g.pixel_size_m == (10.0, 10.0)
    x, y = g.xy(10.5, 20.5)
    r, c = g.rowcol(x, y)
    assert (float(r), float(c)) == (10.5, 20.5)
    assert g.bounds == (744440.0, 3941150.0 - 13730.0, 744440.0 + 9640.0, 3941150.0)


def test_require_same_grid_names_both() -> None:
    a = Grid("EPSG:32636", (10.0, 0, 0.0, 0, -10.0, 100.0), 10, 10)
    b = Grid("EPSG:32636", (10.0, 0, 5.0, 0, -10.0, 100.0), 10, 10)
    require_same_grid(a, a)
    with pytest.raises(GridMismatchError) as exc:
        require_same_grid(a, b)
    assert "before: 10x10 px" in str(exc.value) and "after: 10x10 px" in str(exc.value)
    assert "co-register" in str(exc.value)


def test_rotated_grid_rejected() -> None:
    with pytest.raises(GridMismatchError, match="rotated"):
        Grid("EPSG:32636", (10.0, 1.0, 0.0, 0.0, -10.0, 0.0), 5, 5)


def test_utm_zone() -> None:
    assert utm_epsg_for(35.95, 35.40) == 32636  # Hmeimim
    assert utm_epsg_for(-70.0, -33.0) == 32719
