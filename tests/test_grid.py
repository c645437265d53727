"""Pixel grids: metres per pixel, coordinates, and grid comparison."""

from __future__ import annotations

import numpy as np
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
    # rasters of two places: co-registering cannot help, and the message says so
    far = Grid("EPSG:32636", (10.0, 0, 5000.0, 0, -10.0, 100.0), 10, 10)
    with pytest.raises(GridMismatchError) as apart:
        require_same_grid(a, far)
    assert "do not overlap at all" in str(apart.value) and "co-register" not in str(apart.value)


def test_rotated_grid_rejected() -> None:
    with pytest.raises(GridMismatchError, match="rotated"):
        Grid("EPSG:32636", (10.0, 1.0, 0.0, 0.0, -10.0, 0.0), 5, 5)


def test_utm_zone() -> None:
    assert utm_epsg_for(35.95, 35.40) == 32636  # Hmeimim
    assert utm_epsg_for(-70.0, -33.0) == 32719


def test_web_mercator_pixels_are_measured_on_the_ground() -> None:
    """An EPSG:3857 export's "10 m" pixels at Piraeus (37.95 N) are 7.9 m on the ground:
    the pixel size is the geodesic length of one pixel at the grid's centre, where a UTM
    grid's is its CRS units (scale within 0.1 % of 1)."""
    from pyproj import Geod

    g = Grid("EPSG:3857", (10.0, 0.0, 2618426.9, 0.0, -10.0, 4579743.7), 700, 400)
    lon0, lat0 = g.pixels_to_lonlat(np.array([200.0]), np.array([350.0]))
    lon1, lat1 = g.pixels_to_lonlat(np.array([200.0]), np.array([351.0]))
    lon2, lat2 = g.pixels_to_lonlat(np.array([201.0]), np.array([350.0]))
    geod = Geod(ellps="WGS84")
    across = geod.inv(lon0[0], lat0[0], lon1[0], lat1[0])[2]
    down = geod.inv(lon0[0], lat0[0], lon2[0], lat2[0])[2]
    mx, my = g.pixel_size_m
    # to half a percent (EPSG:3857 is spherical Mercator on ellipsoidal coordinates)
    assert abs(mx - across) / across < 5e-3 and abs(my - down) / down < 5e-3
    assert 7.8 < mx < 8.0
    utm = Grid("EPSG:32634", (10.0, 0.0, 700000.0, 0.0, -10.0, 4200000.0), 500, 500)
    assert utm.pixel_size_m == (10.0, 10.0)
