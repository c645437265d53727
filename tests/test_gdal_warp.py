"""Bands warped from one grid onto another (``basewatch._gdal.warp_array``, what the
tile loader reads every band through): the same pixels as rasterio's warper, written
into the caller's array, and no warning when bands are read on threads at once."""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import rasterio.warp
from rasterio.enums import Resampling
from rasterio.errors import NotGeoreferencedWarning
from rasterio.transform import from_origin

from basewatch._gdal import warp_array
from basewatch.errors import InputError

IMAGERY = Path(__file__).resolve().parents[1] / "imagery"
CRS = "EPSG:32636"
# a source window a few pixels larger than the grid and off it by a fraction of a pixel,
# as the loader reads a band's window of a COG onto a site's grid
SOURCE = from_origin(728893.7, 3746817.6, 10.0, 10.0)
GRID = from_origin(728920.0, 3746790.0, 10.0, 10.0)
SHAPE = (360, 307)


def _band() -> np.ndarray:
    band = np.random.default_rng(7).random((364, 311)).astype(np.float32)
    band[100:110, 50:60] = np.nan  # nodata inside
    return band


def _ours(band: np.ndarray) -> np.ndarray:
    out = np.full(SHAPE, np.nan, np.float32)
    warp_array(
        band,
        out,
        src_transform=SOURCE,
        src_crs=CRS,
        dst_transform=GRID,
        dst_crs=CRS,
        resampling=Resampling.bilinear,
    )
    return out


def test_the_same_pixels_as_rasterios_warper_written_into_the_callers_array() -> None:
    band = _band()
    theirs = np.full(SHAPE, np.nan, np.float32)
    rasterio.warp.reproject(
        source=band,
        destination=theirs,
        src_transform=SOURCE,
        src_crs=CRS,
        src_nodata=np.nan,
        dst_transform=GRID,
        dst_crs=CRS,
        dst_nodata=np.nan,
        resampling=Resampling.bilinear,
    )
    ours = _ours(band)
    assert np.isfinite(ours).mean() > 0.99
    np.testing.assert_array_equal(ours, theirs)
    # the grid moved by (2.63, 2.76) pixels: a pixel far from the nodata is the source's
    # bilinear mean of its four neighbours, weights 0.37/0.63 and 0.24/0.76
    r, c = 200, 200
    wy, wx = 2.76 - 2, 2.63 - 2
    y0, x0 = r + 2, c + 2
    patch = band[y0 : y0 + 2, x0 : x0 + 2].astype(np.float64)
    expect = (
        patch[0, 0] * (1 - wy) * (1 - wx)
        + patch[0, 1] * (1 - wy) * wx
        + patch[1, 0] * wy * (1 - wx)
        + patch[1, 1] * wy * wx
    )
    assert ours[r, c] == pytest.approx(expect, abs=1e-4)


def test_bands_warped_on_threads_at_once_raise_no_warning() -> None:
    # rasterio's warper given arrays opens memory datasets without their grids, and on
    # threads (the loader reads a scene's bands at once) its warning leaked to a user of
    # `basewatch fetch` ("Dataset has no geotransform, gcps, or rpcs")
    band = _band()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with ThreadPoolExecutor(4) as pool:
            outs = list(pool.map(lambda _: _ours(band), range(32)))
    assert [str(w.message) for w in caught if issubclass(w.category, NotGeoreferencedWarning)] == []
    for out in outs[1:]:
        np.testing.assert_array_equal(out, outs[0])


def test_a_destination_gdal_cannot_write_in_place_is_refused() -> None:
    band = _band()
    wide = np.full((SHAPE[0], SHAPE[1] * 2), np.nan, np.float32)
    with pytest.raises(InputError, match="C-contiguous native float32"):
        warp_array(
            band,
            wide[:, ::2],
            src_transform=SOURCE,
            src_crs=CRS,
            dst_transform=GRID,
            dst_crs=CRS,
            resampling=Resampling.bilinear,
        )


def test_a_scene_moved_onto_a_grid_one_pixel_over_keeps_its_pixels() -> None:
    # reproject_scene (a folder's rasters on another grid than the site's) warps each
    # band through warp_array: on a grid one whole pixel east and one south, bilinear
    # weights are 0 and 1, so every pixel is its neighbour's value exactly
    from basewatch.aoi import load_site
    from basewatch.grid import Grid
    from basewatch.imagery.local import raster_grid, read_geotiff, site_window
    from basewatch.imagery.read import reproject_scene

    path = IMAGERY / "beirut-port_S2L1C_20150820.tif"
    scene = read_geotiff(path, window=site_window(load_site("beirut-port"), raster_grid(path)))
    a, b, c, d, e, f = scene.grid.transform
    moved = Grid(
        crs=scene.grid.crs,
        transform=(a, b, c + a, d, e, f + e),
        width=scene.grid.width - 1,
        height=scene.grid.height - 1,
    )
    out = reproject_scene(scene, moved)
    assert out.grid == moved and out.bands == scene.bands
    inner = scene.valid[1:, 1:]
    assert out.valid[inner].mean() > 0.99
    both = out.valid & inner
    np.testing.assert_array_equal(out.data[:, both], scene.data[:, 1:, 1:][:, both])


def _radar_file(path: Path) -> np.ndarray:
    """A band in radar geometry (flipped left-right, as an ascending pass), georeferenced
    only by a 5 x 5 grid of ground control points, as Sentinel-1 GRD files are."""
    from rasterio.control import GroundControlPoint

    band = _band()
    rows, cols = band.shape
    gcps = [
        GroundControlPoint(row=float(r), col=float(c), x=x, y=y)
        for r in np.linspace(0, rows, 5)
        for c in np.linspace(0, cols, 5)
        for x, y in [SOURCE * (cols - c, r)]
    ]
    with rasterio.open(
        path, "w", driver="GTiff", width=cols, height=rows, count=1, dtype="float32",
        gcps=gcps, crs=CRS,
    ) as ds:  # fmt: skip
        ds.write(band[:, ::-1], 1)
    return band


def test_a_file_georeferenced_by_control_points_read_on_threads_raises_no_warning(
    tmp_path: Path,
) -> None:
    # the loader reads Sentinel-1 GRD bands on threads; rasterio's warper given an
    # array for the destination opens a memory dataset without its grid, and its
    # warning failed a CI run ("Dataset has no geotransform, gcps, or rpcs")
    from basewatch.grid import Grid
    from basewatch.imagery.catalog import HttpOptions
    from basewatch.imagery.read import read_window

    path = tmp_path / "grd.tif"
    band = _radar_file(path)
    grid = Grid(crs=CRS, transform=tuple(GRID)[:6], width=SHAPE[1], height=SHAPE[0])

    def read(_: int) -> np.ndarray:
        return read_window(
            str(path), grid, resampling=Resampling.nearest, nodata=None, http=HttpOptions()
        )

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with ThreadPoolExecutor(4) as pool:
            outs = list(pool.map(read, range(16)))
    assert [str(w.message) for w in caught if issubclass(w.category, NotGeoreferencedWarning)] == []
    for out in outs[1:]:
        np.testing.assert_array_equal(out, outs[0])
    # the control points undo the flip: the grid's pixels are the map band's, a whole
    # number of pixels (2.63, 2.76 -> nearest 3, 3) into the source, away from the edges
    inner = outs[0][20:-20, 20:-20]
    assert np.isfinite(inner).mean() > 0.99
    expect = band[3 + 20 : 3 + 20 + inner.shape[0], 3 + 20 : 3 + 20 + inner.shape[1]]
    agree = np.isclose(inner, expect) | (np.isnan(inner) & np.isnan(expect))
    assert agree.mean() > 0.98  # a GCP-fitted transform may shift a pixel at a boundary
