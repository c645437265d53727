"""Reading local GeoTIFFs into scenes: units, masks, dates and clear errors."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pytest
import rasterio

from basewatch.aoi import load_site
from basewatch.errors import CoverageError, InputError, RasterReadError
from basewatch.imagery.local import baseline_offset, raster_grid, read_geotiff, site_window

IMAGERY = Path(__file__).resolve().parents[1] / "imagery"
PORT_2015 = IMAGERY / "beirut-port_S2L1C_20150820.tif"


def test_bundled_scene_reads_as_reflectance() -> None:
    scene = read_geotiff(PORT_2015)
    assert scene.sensor == "S2"
    assert scene.bands == ("B02", "B03", "B04", "B08")
    assert scene.datetime == dt.datetime(2015, 8, 20, tzinfo=dt.UTC)
    assert scene.data.dtype == np.float32
    assert scene.valid.all()
    # TOA reflectance: open sea is dark in NIR, land bright
    nir = scene.band("B08")
    assert float(np.nanmin(nir)) > 0.0 and float(np.nanmax(nir)) < 1.0
    assert scene.scale == pytest.approx(1e-4)
    assert scene.attribution.startswith("Contains modified Copernicus Sentinel data")


def test_reflectance_matches_source_digital_numbers(shared_data: Path) -> None:
    """The bundled chip is the shared OSCD chip, pixel for pixel, scaled by 1e-4."""
    src = (
        shared_data
        / "s2_beirut_2015_2017"
        / ("beirut_S2L1C_20150820_B02-B03-B04-B08_10m_port_chip.tif")
    )
    with rasterio.open(src) as ds:
        dn = ds.read().astype(np.float64)
    scene = read_geotiff(PORT_2015)
    np.testing.assert_allclose(scene.data, dn * 1e-4, rtol=1e-6)
    assert raster_grid(src).same_as(scene.grid)


def test_window_reads_only_the_site(tmp_path: Path) -> None:
    site = load_site("beirut-port")
    grid = raster_grid(PORT_2015)
    win = site_window(site, grid)
    assert (win.width, win.height) == (grid.width, grid.height)
    with pytest.raises(CoverageError, match="'hmeimim' lies outside the raster"):
        site_window(load_site("hmeimim"), grid)


def test_processing_baseline_offset() -> None:
    assert baseline_offset("05.10") == -1000.0
    assert baseline_offset("04.00") == -1000.0
    assert baseline_offset("N0400") == -1000.0
    assert baseline_offset("03.01") == 0.0
    assert baseline_offset(None) == 0.0
    with pytest.raises(InputError, match="not of the form"):
        baseline_offset("latest")


def test_offset_baseline_tag_changes_reflectance(tmp_path: Path) -> None:
    """A post-2022 product (baseline 04.00+) stores DN + 1000; the reader removes it."""
    with rasterio.open(PORT_2015) as ds:
        profile, dn = ds.profile, ds.read()
    path = tmp_path / "port_20240101.tif"
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(dn + 1000)
        ds.update_tags(BASEWATCH_PROCESSING_BASELINE="05.10")
    shifted = read_geotiff(path)
    original = read_geotiff(PORT_2015)
    assert shifted.offset_applied == -1000.0
    np.testing.assert_allclose(shifted.data, original.data, rtol=1e-5, atol=1e-6)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RasterReadError, match="file not found"):
        read_geotiff(tmp_path / "nothing.tif")


def test_not_a_raster(tmp_path: Path) -> None:
    bogus = tmp_path / "notes_20240101.tif"
    bogus.write_text("this is not an image\n")
    with pytest.raises(RasterReadError, match="not a raster file"):
        read_geotiff(bogus)


def test_truncated_raster(tmp_path: Path) -> None:
    cut = tmp_path / "cut_20150820.tif"
    data = PORT_2015.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(RasterReadError, match=r"damaged or truncated|not a raster"):
        read_geotiff(cut)


def test_no_date(tmp_path: Path) -> None:
    with rasterio.open(PORT_2015) as ds:
        profile, dn = ds.profile, ds.read()
    path = tmp_path / "undated.tif"
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(dn)
    with pytest.raises(InputError, match="cannot tell the acquisition date"):
        read_geotiff(path)
    # a date in the name is enough
    dated = tmp_path / "port_20160102.tif"
    shutil.copy(path, dated)
    assert read_geotiff(dated).date == dt.date(2016, 1, 2)


def test_nodata_becomes_invalid(tmp_path: Path) -> None:
    with rasterio.open(PORT_2015) as ds:
        profile, dn = ds.profile, ds.read()
    dn[:, :10, :] = 0
    profile.update(nodata=0)
    path = tmp_path / "port_20150820.tif"
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(dn)
    scene = read_geotiff(path)
    assert not scene.valid[:10].any()
    assert scene.valid[10:].all()
    assert np.isnan(scene.data[:, :10]).all()


def test_sar_db_file_becomes_linear(shared_data: Path) -> None:
    path = shared_data / "s1_latakia_port_2024" / "latakia_port_S1_VV_dB_approx_20241206T034315.tif"
    scene = read_geotiff(path)
    assert scene.sensor == "S1" and scene.bands == ("VV",)
    assert scene.datetime == dt.datetime(2024, 12, 6, 3, 43, 15, tzinfo=dt.UTC)
    with rasterio.open(path) as ds:
        db = ds.read(1)
    ok = np.isfinite(db)
    np.testing.assert_array_equal(scene.valid, ok)
    np.testing.assert_allclose(10 * np.log10(scene.data[0][ok]), db[ok], atol=1e-4)
    # 10 ** (dB / 10) in float32, as numpy computes it from the values read
    linear = np.power(np.float32(10.0), db.astype(np.float32) / np.float32(10.0), dtype=np.float32)
    assert np.array_equal(scene.data[0], np.where(ok, linear, np.nan), equal_nan=True)


def test_bands_given_correct_a_tag_of_another_count_and_differ_from_one_said(
    tmp_path: Path,
) -> None:
    """--bands names the bands of a file whose tag names another number of them (no
    error, no warning: the file names none usable), and is used but warned of where it
    differs from the file's own names."""
    with rasterio.open(PORT_2015) as ds:
        profile, dn, tags = ds.profile, ds.read(), ds.tags()
    path = tmp_path / "port_20150820.tif"
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(dn)
        ds.update_tags(**{**tags, "BASEWATCH_BANDS": "B02,B03,B04"})
    with pytest.raises(InputError, match="3 band names"):
        read_geotiff(path)
    fixed = read_geotiff(path, bands=("B02", "B03", "B04", "B08"))
    assert fixed.bands == ("B02", "B03", "B04", "B08")
    assert "warnings" not in fixed.metadata
    swapped = read_geotiff(PORT_2015, bands=("B08", "B04", "B03", "B02"))
    assert "the file names them B02, B03, B04, B08" in swapped.metadata["warnings"][0]
