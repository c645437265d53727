"""What counts as a measurement: saturated, NaN and nodata pixels are invalid on every
read path, and radar pairs of different viewing geometries are refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from basewatch.aoi import load_site
from basewatch.errors import CoverageError, InputError
from basewatch.imagery.catalog import HttpOptions
from basewatch.imagery.local import raster_grid, read_geotiff, site_window
from basewatch.imagery.read import read_window
from basewatch.pipeline import detect_pair
from basewatch.sensors import S2_SATURATED_DN, s1_geometry

rasterio = pytest.importorskip("rasterio")

PORT = "beirut-port"


def _copy(repo: Path, tmp_path: Path, date: str) -> Path:
    src = repo / "imagery" / f"{PORT}_S2L1C_{date}.tif"
    dst = tmp_path / src.name
    shutil.copy(src, dst)
    return dst


def _read(path: Path) -> object:
    site = load_site(PORT)
    return read_geotiff(path, window=site_window(site, raster_grid(path)))


def test_saturated_pixels_are_invalid_in_local_reads(repo: Path, tmp_path: Path) -> None:
    path = _copy(repo, tmp_path, "20171003")
    with rasterio.open(path, "r+") as ds:
        red = ds.read(3)
        red[100:140, 200:260] = S2_SATURATED_DN  # one band saturated is enough
        ds.write(red, 3)
    scene = _read(path)
    window = scene.metadata["window"]  # type: ignore[attr-defined]
    r0, c0 = 100 - window[1], 200 - window[0]
    valid = scene.valid  # type: ignore[attr-defined]
    assert not valid[r0 : r0 + 40, c0 : c0 + 60].any()
    assert np.isnan(scene.data[:, r0 : r0 + 40, c0 : c0 + 60]).all()  # type: ignore[attr-defined]
    assert valid.mean() > 0.9  # the rest is still measured


def test_an_all_saturated_date_is_refused_not_read_as_empty(repo: Path, tmp_path: Path) -> None:
    before = _read(repo / "imagery" / f"{PORT}_S2L1C_20150820.tif")
    path = _copy(repo, tmp_path, "20171003")
    with rasterio.open(path, "r+") as ds:
        ds.write(np.full((ds.height, ds.width), S2_SATURATED_DN, np.uint16), 2)
    with pytest.raises(CoverageError, match="valid on both dates"):
        detect_pair(load_site(PORT), before, _read(path))  # type: ignore[arg-type]


def test_nan_in_a_float_optical_export_is_invalid(repo: Path, tmp_path: Path) -> None:
    src = repo / "imagery" / f"{PORT}_S2L1C_20171003.tif"
    dst = tmp_path / "port_float_20171003.tif"
    with rasterio.open(src) as ds:
        data = ds.read().astype(np.float32)
        profile = {**ds.profile, "dtype": "float32", "nodata": None}
        tags = ds.tags()
    data[:, :50, :] = np.nan
    with rasterio.open(dst, "w", **profile) as out:
        out.write(data)
        out.update_tags(**{**tags, "BASEWATCH_SENSOR": "S2"})
    scene = read_geotiff(dst)
    assert scene.sensor == "S2"
    assert not scene.valid[:50].any() and scene.valid[50:].mean() > 0.9


def test_saturated_pixels_are_invalid_in_window_reads(repo: Path) -> None:
    path = repo / "imagery" / f"{PORT}_S2L1C_20171003.tif"
    grid = raster_grid(path)
    with rasterio.open(path) as ds:
        first = ds.read(1)
    brightest = float(first.max())  # stands in for the saturation value of this band
    got = read_window(
        str(path),
        grid,
        resampling=rasterio.enums.Resampling.nearest,
        nodata=None,
        http=HttpOptions(),
        saturated=brightest,
    )
    assert np.isnan(got[first == brightest]).all()
    assert np.isfinite(got[first != brightest]).all()


def _s1_scenes(shared_data: Path, stamps: tuple[str, str]) -> list[object]:
    root = shared_data / "s1_latakia_port_2024"
    return [read_geotiff(root / f"latakia_port_S1_VV_dB_approx_{s}.tif") for s in stamps]


def test_the_product_id_in_a_radar_files_tags_gives_its_track(shared_data: Path) -> None:
    asc, desc = _s1_scenes(shared_data, ("20241123T154150", "20241206T034315"))
    # S1A absolute orbits 56684 and 56866: relative orbits (tracks) 87 and 94
    assert s1_geometry(asc.id, asc.metadata) == (87, None)  # type: ignore[attr-defined]
    assert s1_geometry(desc.id, desc.metadata) == (94, None)  # type: ignore[attr-defined]
    assert s1_geometry("x", {"relative_orbit": 21, "orbit_state": "Ascending"}) == (
        21,
        "ascending",
    )


def test_a_radar_pair_of_two_tracks_is_refused_unless_allowed(shared_data: Path) -> None:
    from test_sar import _latakia_site  # the anchorage box of the SAR tests

    site = _latakia_site()
    before, after = _s1_scenes(shared_data, ("20241123T154150", "20241206T034315"))
    with pytest.raises(InputError, match="tracks 87 and 94") as info:
        detect_pair(site, before, after)  # type: ignore[arg-type]
    assert "basewatch scenes" in str(info.value)
    result = detect_pair(site, before, after, allow_mixed_geometry=True)  # type: ignore[arg-type]
    assert any("tracks 87 and 94" in w for w in result.warnings)
    # one track: accepted without a geometry warning
    same = _s1_scenes(shared_data, ("20241206T034315", "20241218T034314"))
    ok = detect_pair(site, *same)  # type: ignore[arg-type]
    assert not any("track" in w for w in ok.warnings)


def _unnamed_copy(src: Path, dst: Path, descriptions: tuple[str, ...]) -> Path:
    """``src`` without its band names: no BASEWATCH_BANDS tag, the given descriptions."""
    with rasterio.open(src) as ds:
        data, profile = ds.read(), ds.profile
        tags = {k: v for k, v in ds.tags().items() if k != "BASEWATCH_BANDS"}
    with rasterio.open(dst, "w", **profile) as out:
        out.write(data)
        out.update_tags(**tags)
        for i, d in enumerate(descriptions, start=1):
            out.set_band_description(i, d)
    return dst


@pytest.mark.parametrize(
    ("descriptions", "names"),
    [
        (("B02 blue", "B03 green", "B04 red", "B08 nir"), ("B02", "B03", "B04", "B08")),
        (("Band 1", "Band 2", "Band 3", "Band 4"), ("b1", "b2", "b3", "b4")),
        (("B03", "B03", "B04", "B08"), ("b1", "b2", "b3", "b4")),  # repeated: not trusted
    ],
)
def test_bands_are_named_from_descriptions_only_when_they_are_band_ids(
    repo: Path, tmp_path: Path, descriptions: tuple[str, ...], names: tuple[str, ...]
) -> None:
    src = repo / "imagery" / f"{PORT}_S2L1C_20150820.tif"
    scene = read_geotiff(_unnamed_copy(src, tmp_path / src.name, descriptions))
    assert scene.bands == names


def test_unidentified_bands_are_said_not_silently_skipped(repo: Path, tmp_path: Path) -> None:
    unnamed = ("Band 1", "Band 2", "Band 3", "Band 4")
    files = [
        _unnamed_copy(repo / "imagery" / f"{PORT}_S2L1C_{d}.tif", tmp_path / f"p_{d}.tif", unnamed)
        for d in ("20150820", "20171003")
    ]
    before, after = (_read(f) for f in files)
    result = detect_pair(load_site(PORT), before, after)  # type: ignore[arg-type]
    said = [w for w in result.warnings if "vessels were not searched" in w]
    assert said and "b1, b2, b3, b4" in said[0] and "bands=" in said[0]
    assert not any(
        z.kind in {"berth", "harbour"} for z in result.zones if z.name in result.zone_counts
    )


def test_the_bands_option_names_unnamed_bands_for_detect(repo: Path, tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from basewatch.cli.main import main

    unnamed = ("Band 1", "Band 2", "Band 3", "Band 4")
    b, a = (
        _unnamed_copy(repo / "imagery" / f"{PORT}_S2L1C_{d}.tif", tmp_path / f"p_{d}.tif", unnamed)
        for d in ("20150820", "20171003")
    )
    common = ["detect", "--site", PORT, "--before", str(b), "--after", str(a), "--no-png"]
    common += ["--no-gpkg", "--no-cog"]
    named = CliRunner().invoke(
        main, [*common, "--out", str(tmp_path / "n"), "--bands", "B02,B03,B04,B08"]
    )
    assert named.exit_code == 0, named.output
    record = json.loads((tmp_path / "n" / "run.json").read_text())
    assert not any("not searched" in w for w in record["warnings"])
    bare = CliRunner().invoke(main, [*common, "--out", str(tmp_path / "b")])
    assert bare.exit_code == 0, bare.output
    record = json.loads((tmp_path / "b" / "run.json").read_text())
    assert any("vessels were not searched" in w for w in record["warnings"])
    wrong = CliRunner().invoke(main, [*common, "--out", str(tmp_path / "w"), "--bands", "B03,B08"])
    assert wrong.exit_code == 2 and "2 band names" in wrong.output and "4 bands" in wrong.output
