"""The change map and the aligned scenes as cloud-optimised GeoTIFFs, on the bundled
real Beirut port pair: GDAL's COG layout, internal tiles, overviews, the run's values."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
import rasterio
import rasterio.shutil

from basewatch.aoi import load_site
from basewatch.errors import InputError, OutputError
from basewatch.imagery.local import read_local_pair
from basewatch.outputs.raster import (
    COG_BLOCK,
    SCENE_NODATA,
    average_overviews,
    reflectance_steps,
    reflectance_steps_reference,
    write_cog,
    write_scene_cog,
)
from basewatch.outputs.run import write_run
from basewatch.pipeline import PairResult, detect_pair
from basewatch.sample import sample_pair
from basewatch.sensors import S2_REFLECTANCE_SCALE


@pytest.fixture(scope="module")
def port() -> PairResult:
    site = load_site("beirut-port")
    return detect_pair(site, *read_local_pair(site, *sample_pair("beirut-port")))


@pytest.fixture(scope="module")
def run(port: PairResult, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_run(port, tmp_path_factory.mktemp("run"), png=False, html=False, gpkg=False)


@pytest.mark.parametrize("kind", ["change_cog", "before_cog", "after_cog"])
def test_each_raster_is_a_valid_tiled_cog_with_overviews(
    run: dict[str, Path], port: PairResult, kind: str
) -> None:
    with rasterio.open(run[kind]) as src:
        assert src.tags(ns="IMAGE_STRUCTURE")["LAYOUT"] == "COG"
        assert src.profile["tiled"]
        assert src.block_shapes[0] == (COG_BLOCK, COG_BLOCK)
        assert src.overviews(1), "overviews"
        assert src.crs.to_string() == port.before.grid.crs
        assert tuple(src.transform)[:6] == pytest.approx(port.before.grid.transform)
        assert (src.height, src.width) == port.before.grid.shape


def test_the_change_cog_holds_the_magnitude_and_the_changed_pixels(
    run: dict[str, Path], port: PairResult
) -> None:
    with rasterio.open(run["change_cog"]) as src:
        assert src.tags()["BASEWATCH_BEFORE"] == port.before.id
        # the magnitude in the scenes' reflectance step, the scale in the file
        assert src.dtypes == ("int16", "int16")
        assert src.scales == (S2_REFLECTANCE_SCALE, 1.0)
        stored = src.read(masked=True)
    valid = port.change.valid
    for band in stored:
        np.testing.assert_array_equal(~np.ma.getmaskarray(band), valid)
    magnitude = stored[0].data * np.float64(S2_REFLECTANCE_SCALE)
    np.testing.assert_allclose(
        magnitude[valid],
        port.change.magnitude[valid],
        rtol=0,
        atol=0.5001 * S2_REFLECTANCE_SCALE,
    )
    assert int(stored[1].sum()) == int((port.change.mask & valid).sum()) > 0
    assert set(np.unique(stored[1].compressed())) == {0, 1}


@pytest.mark.parametrize("date", ["before", "after"])
def test_the_scene_cogs_hold_the_aligned_bands_to_the_products_step(
    run: dict[str, Path], port: PairResult, date: str
) -> None:
    scene = getattr(port, date)
    with rasterio.open(run[f"{date}_cog"]) as src:
        assert src.descriptions == scene.bands
        assert src.dtypes[0] == "int16"
        assert src.scales == (S2_REFLECTANCE_SCALE,) * len(scene.bands)
        stored = src.read(masked=True)
    np.testing.assert_array_equal(~np.ma.getmaskarray(stored).any(axis=0), scene.valid)
    reflectance = stored.data * np.float64(S2_REFLECTANCE_SCALE)
    valid = scene.valid
    # within half the product's step (and float32's rounding of the scene's values)
    np.testing.assert_allclose(
        reflectance[:, valid], scene.data[:, valid], rtol=0, atol=0.5001 * S2_REFLECTANCE_SCALE
    )
    assert np.abs(reflectance[:, valid] - scene.data[:, valid]).max() > 0, "the stored steps"


def test_an_unshifted_scene_cog_gives_back_the_files_digital_numbers(
    port: PairResult, tmp_path: Path
) -> None:
    """The before date is the reference of co-registration: not resampled, so its
    stored steps are the L1C file's digital numbers exactly."""
    assert port.before.shift_px == (0.0, 0.0)
    path = write_scene_cog(port.before, tmp_path / "before.tif")
    with rasterio.open(path) as src:
        stored = src.read()
    with rasterio.open(port.before.source) as src:
        window = rasterio.windows.Window(*port.before.metadata["window"])
        dn = src.read(window=window).astype(np.int64)
    np.testing.assert_array_equal(stored.astype(np.int64), dn)


def test_reflectance_beyond_the_int16_range_is_clipped_and_invalid_is_nodata() -> None:
    data = np.array([[[0.12344, -0.00005, 4.0, -np.inf, np.nan, 0.2]]], np.float32)
    valid = np.array([[True, True, True, True, True, False]])
    want = [[[1234, 0, 32767, -32767, SCENE_NODATA, SCENE_NODATA]]]
    np.testing.assert_array_equal(reflectance_steps(data, valid), want)
    np.testing.assert_array_equal(reflectance_steps_reference(data, valid), want)


def test_the_steps_kernel_is_its_numpy_definition_on_the_real_scenes(port: PairResult) -> None:
    for scene in (port.before, port.after):
        data = scene.data.copy()
        data[:, ::7, ::5] += np.float32(0.00005)  # halfway values: rounded to even alike
        got = reflectance_steps(data, scene.valid)
        assert got.dtype == np.int16
        np.testing.assert_array_equal(got, reflectance_steps_reference(data, scene.valid))


def test_an_array_off_the_grid_is_refused(port: PairResult, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="do not fit the grid"):
        write_cog(
            tmp_path / "x.tif", np.zeros((3, 3), np.float32), port.before.grid, descriptions=("x",)
        )
    assert not (tmp_path / "x.tif").exists()


def test_a_scale_per_band_must_name_every_band(port: PairResult, tmp_path: Path) -> None:
    two = np.zeros((2, *port.before.grid.shape), np.int16)
    with pytest.raises(OutputError, match="1 scales for 2 bands"):
        write_cog(tmp_path / "x.tif", two, port.before.grid, descriptions=("a", "b"), scale=(0.5,))
    assert not (tmp_path / "x.tif").exists()
    path = write_cog(
        tmp_path / "y.tif",
        two,
        port.before.grid,
        descriptions=("a", "b"),
        nodata=None,
        scale=(0.5, 2.0),
    )
    with rasterio.open(path) as src:
        assert src.scales == (0.5, 2.0)


def test_a_strided_view_is_written_as_its_values(port: PairResult, tmp_path: Path) -> None:
    # GDAL reads the array where it lies: a view that is not C-contiguous (every other
    # band of the scene, its rows reversed) must come out as the values it shows
    bands = port.before.data[::2, ::-1, :]
    assert not bands.flags.c_contiguous
    path = write_cog(
        tmp_path / "v.tif",
        bands,
        port.before.grid,
        descriptions=("a", "b"),
        tags={"SOURCE": "strided view"},
    )
    with rasterio.open(path) as src:
        back = src.read()
        assert src.tags()["SOURCE"] == "strided view"
        assert src.crs == port.before.grid.crs
        assert tuple(src.transform)[:6] == tuple(port.before.grid.transform)
    np.testing.assert_array_equal(back, bands)
    assert [p.name for p in tmp_path.iterdir()] == ["v.tif"]
    # and an array in the other byte order (np.load of a big-endian file) as its values
    swapped = reflectance_steps(port.before.data, port.before.valid).astype(">i2")
    path = write_cog(tmp_path / "b.tif", swapped, port.before.grid, descriptions=tuple("abcd"))
    with rasterio.open(path) as src:
        np.testing.assert_array_equal(src.read(), swapped)


def test_pixels_gdal_cannot_store_are_refused_by_name(port: PairResult, tmp_path: Path) -> None:
    values = np.zeros(port.before.grid.shape, np.complex64)
    with pytest.raises(OutputError, match=r"complex64 pixels.*float32"):
        write_cog(tmp_path / "c.tif", values, port.before.grid, descriptions=("c",))
    assert not list(tmp_path.iterdir())


def test_steps_made_in_a_given_buffer_are_the_steps(port: PairResult, tmp_path: Path) -> None:
    scene = port.after
    want = reflectance_steps(scene.data, scene.valid)
    buffer = np.full((6, *scene.grid.shape), 7, np.int16)  # more bands than the scene's
    got = reflectance_steps(scene.data, scene.valid, out=buffer[: scene.data.shape[0]])
    assert np.shares_memory(got, buffer) and np.array_equal(got, want)
    with pytest.raises(OutputError, match="C-contiguous int16"):
        reflectance_steps(scene.data, scene.valid, out=np.empty(want.shape, np.int32))
    # a COG made in a shared buffer is the COG made without one
    a = write_scene_cog(scene, tmp_path / "a.tif")
    b = write_scene_cog(scene, tmp_path / "b.tif", buffer=buffer)
    with rasterio.open(a) as fa, rasterio.open(b) as fb:
        assert np.array_equal(fa.read(), fb.read()) and fa.profile == fb.profile
    with pytest.raises(OutputError, match="at least 4 bands"):
        write_scene_cog(scene, tmp_path / "c.tif", buffer=buffer[:2])
    assert not (tmp_path / "c.tif").exists()


def test_a_cog_that_fails_on_its_thread_fails_the_run_and_keeps_the_old_folder(
    port: PairResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the COGs are written on a second thread beside the vectors: its error is the
    # run's error, and the earlier run folder stays as it was
    out = tmp_path / "run"
    write_run(port, out, png=False, html=False, gpkg=False)
    old = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*args: object, **kwargs: object) -> Path:
        raise OutputError("disk full (a test)")

    monkeypatch.setattr("basewatch.outputs.raster.write_scene_cog", broken)
    with pytest.raises(OutputError, match="disk full"):
        write_run(port, out, png=False, html=False, overwrite=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def _area_weights(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in): how much of each input pixel lies under each output pixel."""
    edges = np.arange(n_out + 1) * (n_in / n_out)
    lo, hi = edges[:-1, None], edges[1:, None]
    px = np.arange(n_in)[None, :]
    return np.clip(np.minimum(px + 1.0, hi) - np.maximum(px, lo), 0.0, None)


def _reference_levels(data: np.ndarray, nodata: float, block: int) -> list[np.ndarray]:
    """The overview pyramid by matrix products of the area weights (numpy only)."""
    levels, prev = [], data.astype(np.float64)
    ok = ~np.isnan(prev) & (prev != nodata)
    while max(prev.shape[1:]) > block:
        rows, cols = max(1, prev.shape[1] // 2), max(1, prev.shape[2] // 2)
        wy, wx = _area_weights(prev.shape[1], rows), _area_weights(prev.shape[2], cols)
        total = wy @ np.where(ok, prev, 0.0) @ wx.T
        weight = wy @ ok.astype(np.float64) @ wx.T
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = total / weight
        if data.dtype.kind in "iu":
            mean = np.floor(mean + 0.5)
        prev = np.where(weight > 0, mean, nodata)
        ok = weight > 0
        levels.append(prev)
    return levels


@pytest.mark.parametrize("dtype", ["int16", "float32"])
def test_averaged_overviews_are_the_area_weighted_means_of_the_valid_pixels(dtype: str) -> None:
    rng = np.random.default_rng(3)
    data = rng.integers(-500, 3000, size=(2, 301, 259)).astype(dtype)
    nodata = -32768.0
    data[0, 40:90, 100:180] = nodata  # a block of nodata, larger than a level's pixel
    data[1, rng.random((301, 259)) < 0.3] = nodata  # scattered nodata
    levels = average_overviews(data, nodata=nodata, block=32)
    want = _reference_levels(data, nodata, 32)
    # sides halved and rounded down until they fit a tile, as GDAL's OVERVIEWS=AUTO
    assert [lv.shape for lv in levels] == [(2, 150, 129), (2, 75, 64), (2, 37, 32), (2, 18, 16)]
    for got, ref in zip(levels, want, strict=True):
        assert got.dtype == np.dtype(dtype)
        assert np.array_equal(got == nodata, ref == nodata)
        if dtype == "int16":  # rounded: a sum in another order may round the other way
            assert np.abs(got.astype(np.float64) - ref).max() <= 1
        else:
            np.testing.assert_allclose(got, ref, rtol=1e-5)
    # NaN is invalid in a float raster whatever its nodata
    floats = data.astype(np.float32)
    floats[floats == nodata] = np.nan
    first = average_overviews(floats, nodata=None, block=32)[0]
    assert np.array_equal(np.isnan(first), levels[0] == nodata)
    assert average_overviews(data[:, :32, :32], nodata=nodata, block=32) == []


@pytest.mark.parametrize(
    ("dtype", "nodata"),
    [("int16", -32768.0), ("uint16", 0.0), ("float32", np.nan), ("float64", -1.0)],
)
def test_exact_halves_equal_the_general_kernel_bit_for_bit(dtype: str, nodata: float) -> None:
    from basewatch.outputs import raster

    rng = np.random.default_rng(11)
    data = rng.integers(1, 3000, size=(3, 64, 90)).astype(dtype)
    data[0, 10:20, 30:50] = nodata  # whole blocks invalid
    data[1, rng.random((64, 90)) < 0.3] = nodata  # blocks partly invalid
    if data.dtype.kind == "f":
        data[2, rng.random((64, 90)) < 0.2] = np.nan  # NaN is invalid whatever the nodata
    rounded = data.dtype.kind in "iu"
    general = np.empty((3, 32, 45), data.dtype)
    halved = np.empty_like(general)
    raster._average_into(data, nodata, rounded, general)
    raster._halve_into(data, nodata, rounded, halved)
    assert general.tobytes() == halved.tobytes()
    # and a level of average_overviews that halves exactly is what the general kernel gives
    assert average_overviews(data, nodata=nodata, block=45)[0].tobytes() == general.tobytes()
    invalid = (general == nodata) | (general != general)
    assert invalid[0, 5:10, 15:25].all() and not invalid[0, :5].all()


def test_cog_overviews_are_gdals_averages_on_a_real_scene(port: PairResult, tmp_path: Path) -> None:
    steps = reflectance_steps(port.before.data, port.before.valid)
    steps[:, :40, :60] = SCENE_NODATA  # nodata to leave out of the averages
    ours = write_cog(
        tmp_path / "ours.tif",
        steps,
        port.before.grid,
        descriptions=port.before.bands,
        nodata=SCENE_NODATA,
        scale=S2_REFLECTANCE_SCALE,
        tags={"SOURCE": "scene"},
        overview_resampling="AVERAGE",
    )
    with rasterio.open(ours) as src:
        assert src.tags()["SOURCE"] == "scene"
        assert src.descriptions == port.before.bands
        assert src.scales == (S2_REFLECTANCE_SCALE,) * len(port.before.bands)
        assert src.nodata == SCENE_NODATA
        assert src.tags(ns="IMAGE_STRUCTURE")["LAYOUT"] == "COG"
        np.testing.assert_array_equal(src.read(), steps)
        count = len(src.overviews(1))
    assert count >= 1, "the bundled window is larger than a tile: it has overviews"
    # GDAL's own averaged overviews of the same array
    gdal = tmp_path / "gdal.tif"
    profile = {
        "driver": "GTiff",
        "count": steps.shape[0],
        "dtype": "int16",
        "width": steps.shape[2],
        "height": steps.shape[1],
        "nodata": SCENE_NODATA,
        "crs": port.before.grid.crs,
        "transform": rasterio.Affine(*port.before.grid.transform),
    }
    with rasterio.MemoryFile() as mem:
        with mem.open(**profile) as tmp:
            tmp.write(steps)
        with mem.open() as tmp:
            rasterio.shutil.copy(
                tmp,
                gdal,
                driver="COG",
                BLOCKSIZE=COG_BLOCK,
                OVERVIEWS="AUTO",
                OVERVIEW_RESAMPLING="AVERAGE",
            )
    with rasterio.open(gdal) as b:
        assert len(b.overviews(1)) == count
    for level in range(count):
        with (
            rasterio.open(ours, overview_level=level) as a,
            rasterio.open(gdal, overview_level=level) as b,
        ):
            mine, theirs = a.read(), b.read()
        assert mine.shape == theirs.shape
        assert np.array_equal(mine == SCENE_NODATA, theirs == SCENE_NODATA)
        assert np.abs(mine.astype(int) - theirs.astype(int)).max() <= 1


def test_gdal_is_never_pointed_at_memory_that_is_not_the_arrays_own_layout() -> None:
    from basewatch._gdal import mem_name

    assert mem_name(np.zeros((1, 4, 4), np.int16)).startswith("MEM:::DATAPOINTER=")
    with pytest.raises(InputError, match="C-contiguous"):
        mem_name(np.zeros((1, 4, 8), np.int16)[:, :, ::2])
    with pytest.raises(InputError, match="byte order"):
        mem_name(np.zeros((1, 4, 4), ">i2"))
    with pytest.raises(InputError, match="complex128"):
        mem_name(np.zeros((1, 4, 4), np.complex128))


def test_the_memory_dataset_is_opened_on_the_grid_and_without_a_warning(port: PairResult) -> None:
    # rasterio warns when it opens a dataset with no georeferencing; a warning filter
    # around the open is process-wide, so while a COG is written on a thread another
    # thread's filter can end and let the warning through to the user (it did, once, in
    # a first `basewatch demo`): the grid is in the dataset's name instead
    from rasterio.errors import NotGeoreferencedWarning

    from basewatch._gdal import array_dataset

    data = np.zeros((2, 8, 9), np.int16)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NotGeoreferencedWarning)
        with array_dataset(data, transform=port.before.grid.transform) as source:
            assert tuple(source.transform)[:6] == tuple(port.before.grid.transform)
            assert (source.count, source.height, source.width) == data.shape


def test_cogs_written_on_threads_at_once_raise_no_warning(port: PairResult, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    bands = reflectance_steps(port.before.data, port.before.valid)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with ThreadPoolExecutor(4) as pool:
            paths = list(
                pool.map(
                    lambda i: write_cog(
                        tmp_path / f"{i}.tif", bands, port.before.grid, descriptions=tuple("abcd")
                    ),
                    range(8),
                )
            )
    assert [str(w.message) for w in caught if issubclass(w.category, UserWarning)] == []
    for path in paths:
        with rasterio.open(path) as src:
            assert tuple(src.transform)[:6] == tuple(port.before.grid.transform)
