"""The tile loader end to end against a real STAC API and COG server on localhost.

``stac_server.build_world`` writes cloud-optimised GeoTIFFs from the real Beirut and
Latakia rasters, publishes them through items shaped like the real Planetary
Computer, Earth Search v1 and Copernicus Data Space ones, and serves them with
``rustac serve`` and a Range-honouring HTTP server. The loader's pystac-client and
rasterio/GDAL code paths run exactly as against the public catalogues.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import json
import re
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import pytest
import rasterio
import shapely
from click.testing import CliRunner
from rasterio.enums import Resampling

from basewatch.aoi import AOI, Site, analysis_grid, aoi_for_site, load_site
from basewatch.cli.main import main
from basewatch.errors import CatalogError, CoverageError, NoSceneError, RasterReadError
from basewatch.imagery.cache import TileCache
from basewatch.imagery.catalog import Candidate, CatalogSpec, HttpOptions, resolve_catalog
from basewatch.imagery.loader import SCL_CLOUD, LoaderConfig, StaticCatalog, TileLoader
from basewatch.imagery.read import read_window
from stac_server import GRD_GAIN, SHIFT_M, Fault, World, build_world, free_port

FAST = HttpOptions(timeout_s=2.0, retries=2, backoff_s=0.05)
SITE = "beirut-airport"


@pytest.fixture(scope="module")
def site() -> Site:
    return load_site(SITE)


@pytest.fixture(scope="module")
def aoi(site: Site) -> AOI:
    return aoi_for_site(site)


@pytest.fixture(scope="module")
def world(shared_data: Path, tmp_path_factory: pytest.TempPathFactory, aoi: AOI) -> Iterator[World]:
    w = build_world(shared_data, tmp_path_factory.mktemp("world"), aoi.grid.bounds)
    yield w
    w.stop()


def pc_spec(world: World) -> CatalogSpec:
    return resolve_catalog(world.pc.url, sas_url=f"{world.files.url}/api/sas/v1")


def loader(world: World, aoi: AOI, tmp_path: Path, **kw: object) -> TileLoader:
    cfg = LoaderConfig(cache=TileCache(tmp_path / "cache"), http=FAST, **kw)  # type: ignore[arg-type]
    return TileLoader(pc_spec(world), aoi, cfg)


def tile_window(world: World, aoi: AOI) -> tuple[slice, slice]:
    """The AOI grid's rows/cols inside the (aligned) Beirut tile grid."""
    t = world.tile15.transform
    col0 = round((aoi.grid.transform[2] - t.c) / 10)
    row0 = round((t.f - aoi.grid.transform[5]) / 10)
    return slice(row0, row0 + aoi.grid.height), slice(col0, col0 + aoi.grid.width)


# ---------------------------------------------------------------------------------------
# radiometry: the three catalogue conventions give the same reflectance


def test_offset_applied_or_not_reflectances_agree(world: World, aoi: AOI, tmp_path: Path) -> None:
    day = dt.date(2024, 12, 15)
    cfg = LoaderConfig(cache=TileCache(tmp_path / "c"), http=FAST)
    pc = TileLoader(pc_spec(world), aoi, cfg)
    es = TileLoader(resolve_catalog(world.es.url), aoi, cfg)
    cd = TileLoader(StaticCatalog(world.static_catalog), aoi, cfg)
    scenes = {}
    for name, ld in (("pc", pc), ("es", es), ("cdse", cd)):
        (cand,) = ld.search("S2", day, day)
        scenes[name] = ld.read_scene(cand)
    # PC and CDSE: DNs carry +1000 and the loader removes it; Earth Search: already removed
    assert scenes["pc"].offset_applied == -1000.0
    assert scenes["cdse"].offset_applied == -1000.0
    assert scenes["es"].offset_applied == 0.0
    valid = scenes["pc"].valid & scenes["es"].valid & scenes["cdse"].valid
    assert valid.mean() > 0.8
    ref = scenes["pc"].data[:, valid]
    for other in ("es", "cdse"):
        rel = np.abs(scenes[other].data[:, valid] - ref) / np.maximum(np.abs(ref), 1e-3)
        assert float(np.median(rel)) < 0.01
        assert float(np.quantile(rel, 0.99)) < 0.01
    # and they are the true reflectance of the source pixels (DN / 10000)
    rows, cols = tile_window(world, aoi)
    truth = np.stack([world.tile17.bands[b][rows, cols] for b in scenes["pc"].bands]) / 1e4
    np.testing.assert_allclose(scenes["es"].data[:, valid], truth[:, valid], rtol=0.01, atol=1e-4)
    # applying Earth Search's advertised raster:bands offset (-0.1) on top would be 0.1 off
    naive = truth[:, valid] - 0.1
    assert float(np.mean(np.abs(naive - scenes["es"].data[:, valid]))) > 0.09


# ---------------------------------------------------------------------------------------
# scene classification masking


def test_scl_masks_cloud_and_shadow_and_measures_aoi_cloud(
    world: World, aoi: AOI, tmp_path: Path
) -> None:
    ld = loader(world, aoi, tmp_path)
    (cand,) = ld.search("S2", dt.date(2024, 11, 27), dt.date(2024, 11, 27))
    scene = ld.read_scene(cand)
    # independent reading of the SCL COG: nearest-neighbour 20 m -> 10 m onto the AOI grid
    scl_path = world.root / "pc" / cand.id / "SCL.tif"
    with rasterio.open(scl_path) as ds:
        scl = ds.read(1)
        st = ds.transform
    x = aoi.grid.transform[2] + 10 * (np.arange(aoi.grid.width) + 0.5)
    y = aoi.grid.transform[5] - 10 * (np.arange(aoi.grid.height) + 0.5)
    cols = ((x - st.c) // st.a).astype(int)
    rows = ((st.f - y) // -st.e).astype(int)
    classes = scl[np.ix_(rows, cols)]
    cloudy = np.isin(classes, list(SCL_CLOUD))
    assert cloudy.any() and (~cloudy).any()
    assert not scene.valid[cloudy].any()
    assert np.isnan(scene.data[:, cloudy]).all()
    assert scene.valid[~cloudy & (classes > 1)].mean() > 0.99
    expected = cloudy[aoi.inside].sum() / (classes[aoi.inside] > 1).sum()
    assert scene.cloud_fraction == pytest.approx(expected, abs=1e-3)
    assert scene.metadata["aoi_coverage"] == pytest.approx(1.0)


def test_least_cloud_inside_the_aoi_beats_nearest_date(
    world: World, aoi: AOI, tmp_path: Path
) -> None:
    ld = loader(world, aoi, tmp_path)
    before, after = ld.load_pair("S2", dt.date(2024, 11, 30), dt.date(2024, 12, 15))
    # 2024-11-30 exists but is cloud over the whole AOI; 2024-11-27 is clear
    assert before.id == world.ids["P1"]
    assert after.id == world.ids["P3"]
    assert before.cloud_fraction is not None and before.cloud_fraction < 0.1
    assessed = ld.assess(
        next(c for c in ld.search("S2", dt.date(2024, 11, 30), dt.date(2024, 11, 30)))
    )
    assert assessed.cloud_fraction == pytest.approx(1.0)
    assert before.grid.same_as(after.grid) and before.grid.crs == "EPSG:32636"
    assert before.grid.res == (10.0, 10.0)


def test_every_scene_cloudy_says_so_with_fractions(world: World, aoi: AOI, tmp_path: Path) -> None:
    ld = loader(world, aoi, tmp_path, window_days=5)
    with pytest.raises(NoSceneError) as err:
        ld.load_pair("S2", dt.date(2025, 6, 3), dt.date(2025, 6, 9))
    msg = str(err.value)
    assert "cloudy over the AOI" in msg
    assert world.ids["CLOUDY1"] in msg and "100%" in msg
    assert world.ids["CLOUDY2"] in msg
    partial = re.search(world.ids["CLOUDY2"] + r": (\d+)%", msg)
    assert partial is not None and 50 <= int(partial[1]) <= 75  # the northern ~60 % of the AOI


# ---------------------------------------------------------------------------------------
# co-registration


def test_known_shift_is_recovered_and_applied(world: World, aoi: AOI, tmp_path: Path) -> None:
    ld = loader(world, aoi, tmp_path)
    before, after = ld.load_pair("S2", dt.date(2025, 3, 1), dt.date(2025, 3, 11))
    assert (before.id, after.id) == (world.ids["SHIFT_A"], world.ids["SHIFT_B"])
    # the after scene's georeferencing is off by +3.7 m east, -2.4 m north: its content
    # sits 0.37 px right and 0.24 px down, so it must be moved by (-0.24, -0.37) px
    expected = (SHIFT_M[1] / 10.0, -SHIFT_M[0] / 10.0)
    info = after.metadata["coregistration"]
    assert info["applied"] is True
    assert abs(after.shift_px[0] - expected[0]) <= 0.1
    assert abs(after.shift_px[1] - expected[1]) <= 0.1
    assert before.shift_px == (0.0, 0.0)
    # after alignment, the two (identical-content) dates agree
    both = before.valid & after.valid
    diff = np.abs(before.band("B08")[both] - after.band("B08")[both])
    assert float(np.median(diff)) < 0.003


# ---------------------------------------------------------------------------------------
# cache


def test_cache_hit_with_the_servers_stopped(shared_data: Path, tmp_path: Path, aoi: AOI) -> None:
    own = build_world(shared_data, tmp_path / "w", aoi.grid.bounds, minimal=True)
    spec = resolve_catalog(own.pc.url, sas_url=f"{own.files.url}/api/sas/v1")
    cache = TileCache(tmp_path / "cache")
    try:
        first = TileLoader(spec, aoi, LoaderConfig(cache=cache, http=FAST))
        b1, a1 = first.load_pair("S2", dt.date(2024, 11, 30), dt.date(2024, 12, 15))
        assert first.stats.band_reads > 0
    finally:
        own.stop()
    again = TileLoader(spec, aoi, LoaderConfig(cache=TileCache(tmp_path / "cache"), http=FAST))
    t0 = time.monotonic()
    b2, a2 = again.load_pair("S2", dt.date(2024, 11, 30), dt.date(2024, 12, 15))
    elapsed = time.monotonic() - t0
    assert again.stats.band_reads == 0 and again.stats.searches == 0
    assert again.stats.cache_hits > 0
    assert (b2.id, a2.id) == (b1.id, a1.id)
    np.testing.assert_array_equal(b2.data, b1.data)
    np.testing.assert_array_equal(a2.data, a1.data)
    assert a2.shift_px == a1.shift_px
    assert elapsed < 5.0
    # offline mode refuses what is not cached, clearly
    offline = TileLoader(
        spec, aoi, LoaderConfig(cache=TileCache(tmp_path / "cache"), http=FAST, offline=True)
    )
    with pytest.raises(CatalogError, match="offline"):
        offline.search("S2", dt.date(2023, 1, 1), dt.date(2023, 1, 31))


def test_cache_files_are_complete_or_absent(tmp_path: Path, aoi: AOI) -> None:
    cache = TileCache(tmp_path)
    key = TileCache.band_key(
        catalog="c", scene_id="s/1", band="B04", grid=aoi.grid, resampling="bilinear"
    )
    arr = np.arange(aoi.grid.width * aoi.grid.height, dtype=np.float32).reshape(aoi.grid.shape)
    path = cache.put_band(key, arr)
    assert not list(path.parent.glob(".part-*"))
    np.testing.assert_array_equal(cache.get_band(key, aoi.grid.shape), arr)
    path.write_bytes(path.read_bytes()[:100])  # a damaged entry is a miss, and is removed
    assert cache.get_band(key, aoi.grid.shape) is None
    assert not path.exists()


def test_cached_bands_are_read_without_parsing_python(
    tmp_path: Path, aoi: AOI, monkeypatch: pytest.MonkeyPatch
) -> None:
    # numpy.load parses a .npy header as Python source, and CPython 3.11's parser is not
    # safe on two threads at once: a monitor task failed with "AST constructor
    # recursion depth mismatch" while the loader read cached bands on threads
    import ast

    cache = TileCache(tmp_path)
    arrays = {}
    for band in ("B02", "B03", "B04", "B08"):
        key = TileCache.band_key(
            catalog="c", scene_id="s/1", band=band, grid=aoi.grid, resampling="bilinear"
        )
        arrays[key] = np.random.default_rng(len(band) + ord(band[-1])).random(
            aoi.grid.shape, dtype=np.float32
        )
        arrays[key][0, :3] = np.nan
        cache.put_band(key, arrays[key])
    for key, arr in arrays.items():  # still .npy files, as numpy writes them
        np.testing.assert_array_equal(np.load(cache.band_path(key)), arr)

    parsed: list[object] = []
    parse = ast.parse

    def counted(source: Any, *args: Any, **kwargs: Any) -> ast.AST:
        parsed.append(source)
        return parse(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counted)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda k: cache.get_band(k, aoi.grid.shape), list(arrays) * 4))
    monkeypatch.undo()
    assert parsed == [], "cached bands were read by parsing Python source"
    for arr, read in zip(list(arrays.values()) * 4, got, strict=True):
        assert read is not None and read.dtype == np.float32
        np.testing.assert_array_equal(read, arr)
    # a band of another grid under the same key is a miss (and is removed)
    key = next(iter(arrays))
    assert cache.get_band(key, (aoi.grid.height + 1, aoi.grid.width)) is None
    assert not cache.band_path(key).exists()


# ---------------------------------------------------------------------------------------
# bytes: only the AOI window travels


def test_only_the_aoi_window_is_read(world: World, aoi: AOI) -> None:
    href = f"{world.files.url}/es/{world.ids['ES3']}/red.tif"
    size = (world.root / "es" / world.ids["ES3"] / "red.tif").stat().st_size
    world.files.log.reset()
    arr = read_window(href, aoi.grid, resampling=Resampling.bilinear, nodata=0, http=FAST)
    served = world.files.log.total_bytes("/es/")
    assert arr.shape == aoi.grid.shape and np.isfinite(arr).mean() > 0.99
    window_bytes = aoi.grid.width * aoi.grid.height * 2
    assert served < 0.25 * size  # not the whole tile
    assert served <= 2.0 * window_bytes  # 256 px internal tiles; see benchmarks/bytes_read.py


# ---------------------------------------------------------------------------------------
# Sentinel-1


def latakia_aoi(world: World) -> AOI:
    lon0, lat0, lon1, lat1 = world.s1_aoi_bounds
    outline = shapely.box(lon0 + 0.02, lat0 + 0.02, lon1 - 0.02, lat1 - 0.02)
    grid = analysis_grid(outline, 32636)
    return AOI(
        name="latakia-port", outline=outline, grid=grid, inside=np.ones(grid.shape, dtype=bool)
    )


def test_sentinel1_pair_same_track_reprojected(world: World, tmp_path: Path) -> None:
    s1_aoi = latakia_aoi(world)
    ld = TileLoader(pc_spec(world), s1_aoi, LoaderConfig(cache=TileCache(tmp_path), http=FAST))
    before, after = ld.load_pair("S1", dt.date(2024, 12, 1), dt.date(2024, 12, 18))
    # 12-05 is nearer to 12-01 but on the ascending track; 12-18 is descending
    assert before.id == world.ids["S1_20241206"]
    assert after.id == world.ids["S1_20241218"]
    assert before.metadata["relative_orbit"] == after.metadata["relative_orbit"] == 94
    assert before.sensor == "S1" and before.bands == ("VV",)
    assert before.grid.res == (10.0, 10.0)  # the 11.45 m source went onto the 10 m grid
    vals = before.data[0][before.valid]
    assert vals.size > 1000 and (vals > 0).all() and np.median(vals) < 1.0  # linear gamma0
    assert not before.valid[np.isnan(before.data[0])].any()
    assert "coregistration" in after.metadata


def test_earth_search_grd_is_warped_from_its_control_points(world: World, tmp_path: Path) -> None:
    s1_aoi = latakia_aoi(world)
    cfg = LoaderConfig(cache=TileCache(tmp_path), http=FAST)
    es = TileLoader(
        resolve_catalog(world.es.url, collections={"S1": "sentinel-1-grd"}), s1_aoi, cfg
    )
    before, after = es.load_pair("S1", dt.date(2024, 12, 6), dt.date(2024, 12, 18))
    assert (before.id, after.id) == (world.ids["GRD_20241206"], world.ids["GRD_20241218"])
    assert before.metadata["radiometry"].startswith("uncalibrated")
    # same date through the Planetary Computer RTC item: same place, DN^2 = gain^2 * linear
    pc = TileLoader(pc_spec(world), s1_aoi, cfg)
    (rtc_cand,) = pc.search("S1", dt.date(2024, 12, 6), dt.date(2024, 12, 6))
    rtc = pc.read_scene(rtc_cand)
    both = before.valid & rtc.valid
    assert both.mean() > 0.3
    ratio = before.data[0][both] / rtc.data[0][both]
    assert float(np.median(ratio)) == pytest.approx(GRD_GAIN**2, rel=0.05)
    corr = np.corrcoef(np.log10(before.data[0][both]), np.log10(rtc.data[0][both]))[0, 1]
    assert corr > 0.95  # a misplaced (flipped, shifted) warp would decorrelate


# ---------------------------------------------------------------------------------------
# bad input: clear errors, nothing half-written


def test_aoi_outside_every_scene(world: World, tmp_path: Path) -> None:
    hmeimim = aoi_for_site(load_site("hmeimim"))
    ld = TileLoader(pc_spec(world), hmeimim, LoaderConfig(cache=TileCache(tmp_path), http=FAST))
    with pytest.raises(CoverageError, match="outside every S2 scene"):
        ld.load_pair("S2", dt.date(2024, 11, 30), dt.date(2024, 12, 15))


def test_no_scene_in_the_date_range(world: World, aoi: AOI, tmp_path: Path) -> None:
    ld = loader(world, aoi, tmp_path)
    with pytest.raises(NoSceneError, match="no S2 scene") as err:
        ld.load_pair("S2", dt.date(2023, 1, 10), dt.date(2023, 2, 10))
    assert "other dates" in str(err.value)


@pytest.mark.parametrize(
    ("key", "match"), [("TRUNC", "damaged or truncated"), ("CORRUPT", "corrupt|damaged")]
)
def test_damaged_cog_fails_clearly_and_caches_nothing_for_it(
    world: World, aoi: AOI, tmp_path: Path, key: str, match: str
) -> None:
    ld = loader(world, aoi, tmp_path)
    day = {"TRUNC": dt.date(2025, 9, 1), "CORRUPT": dt.date(2025, 10, 1)}[key]
    (cand,) = ld.search("S2", day, day)
    with pytest.raises(RasterReadError, match=match) as err:
        ld.read_scene(cand)
    assert "B08" in str(err.value) and "sig=" not in str(err.value)
    cached = sorted(p.name.split("-")[0] for p in (tmp_path / "cache" / "bands").rglob("*.npy"))
    assert "B08" not in cached  # the failed band left no entry
    assert {"B02", "B03", "B04"} <= set(cached)  # bands read before it are complete
    assert not list((tmp_path / "cache").rglob(".part-*"))
    assert ld.stats.retries == 0  # a damaged file is not retried


def test_transient_5xx_is_retried_with_backoff(world: World, aoi: AOI, tmp_path: Path) -> None:
    ld = loader(world, aoi, tmp_path)
    (cand,) = ld.search("S2", dt.date(2024, 12, 15), dt.date(2024, 12, 15))
    path = f"/pc/{cand.id}/B02.tif"
    world.files.faults[path] = Fault(status=503, times=2)
    world.files.log.reset()
    try:
        scene = ld.read_scene(cand)
    finally:
        world.files.faults.pop(path, None)
    # GDAL may spend the first 503 on its HEAD request and fall back to GET by itself
    assert 1 <= ld.stats.retries <= 2
    assert world.files.log.count(path) >= 3
    assert np.isfinite(scene.band("B02")[scene.valid]).all()


@contextlib.contextmanager
def _distant(world: World, cands: Sequence[Candidate], bands: Sequence[str]) -> Iterator[None]:
    """The files of ``bands`` of ``cands`` served as by a distant store (every request
    waits 0.2 s before it is answered), the server's log reset; as they were after."""
    paths = [urlparse(c.asset(b).href).path for c in cands for b in bands]
    for path in paths:
        world.files.faults[path] = Fault(delay=0.2)
    world.files.log.reset()
    try:
        yield
    finally:
        for path in paths:
            world.files.faults.pop(path, None)


def test_a_scenes_bands_are_read_at_once(world: World, aoi: AOI, tmp_path: Path) -> None:
    ld = loader(world, aoi, tmp_path / "at-once")
    (cand,) = ld.search("S2", dt.date(2024, 12, 15), dt.date(2024, 12, 15))
    bands = [*ld.config.s2_bands, "SCL"]
    with _distant(world, [cand], bands):
        scene = ld.read_scene(cand)
    assert world.files.log.most_in_flight >= 3, "the bands' requests waited one by one"
    paths = {urlparse(cand.asset(b).href).path for b in bands}
    assert {p for _, p, _ in world.files.log.requests if p.startswith("/pc/")} == paths
    assert ld.stats.band_reads == len(bands)
    # the values of reading band by band, in the scene's band order
    one_by_one = loader(world, aoi, tmp_path / "one-by-one")
    for i, band in enumerate(ld.config.s2_bands):
        raw = one_by_one.read_band(cand, band)
        asset = cand.asset(band)
        want = (raw + np.float32(asset.offset_dn)) * np.float32(asset.scale)
        np.testing.assert_array_equal(scene.data[i][scene.valid], want[scene.valid])


def test_a_surveys_scene_classifications_are_read_at_once(
    world: World, aoi: AOI, tmp_path: Path
) -> None:
    ld = loader(world, aoi, tmp_path / "at-once")
    cands = ld.search("S2", dt.date(2024, 11, 1), dt.date(2024, 12, 31))
    assert len(cands) >= 3
    with _distant(world, cands, ["SCL"]):
        assessed = ld.assess_all(cands)
    assert world.files.log.most_in_flight >= 2, "the dates' reads waited one by one"
    one_by_one = loader(world, aoi, tmp_path / "one-by-one")
    want = [one_by_one.assess(c) for c in cands]
    assert [(a.candidate.id, a.coverage, a.cloud_fraction) for a in assessed] == [
        (a.candidate.id, a.coverage, a.cloud_fraction) for a in want
    ]


def test_a_pairs_two_dates_are_read_together(world: World, aoi: AOI, tmp_path: Path) -> None:
    ld = loader(world, aoi, tmp_path)
    cands = ld.search("S2", dt.date(2024, 11, 30), dt.date(2024, 12, 15))
    bands = ld.config.s2_bands
    with _distant(world, cands, bands):
        before, after = ld.load_pair("S2", dt.date(2024, 11, 30), dt.date(2024, 12, 15))
    # more than one scene's bands in flight at once: the second date did not wait
    assert world.files.log.most_in_flight > len(bands)
    assert before.date < after.date and before.valid.any() and after.valid.any()


def test_the_callers_gdal_options_reach_every_bands_read(
    world: World, aoi: AOI, tmp_path: Path
) -> None:
    ld = loader(world, aoi, tmp_path)
    (cand,) = ld.search("S2", dt.date(2024, 12, 15), dt.date(2024, 12, 15))
    # a proxy that refuses connections: a read that does not get the option succeeds
    with (
        rasterio.Env(GDAL_HTTP_PROXY=f"127.0.0.1:{free_port()}"),
        pytest.raises(RasterReadError, match=r"connection refused|connect"),
    ):
        ld.read_scene(cand)
    cached = list((tmp_path / "cache" / "bands").rglob("*.npy"))
    assert not cached, "a band was read without the option"
    assert ld.read_scene(cand).valid.any()  # without it, the same loader reads the scene


def test_persistent_5xx_gives_up_after_bounded_retries(
    world: World, aoi: AOI, tmp_path: Path
) -> None:
    ld = loader(world, aoi, tmp_path)
    (cand,) = ld.search("S2", dt.date(2024, 12, 15), dt.date(2024, 12, 15))
    path = f"/pc/{cand.id}/B03.tif"
    world.files.faults[path] = Fault(status=500)
    world.files.log.reset()
    t0 = time.monotonic()
    try:
        with pytest.raises(RasterReadError, match="after 3 attempts") as err:
            ld.read_scene(cand)
    finally:
        world.files.faults.pop(path, None)
    assert "500" in str(err.value)
    assert ld.stats.retries == FAST.retries
    assert 3 <= world.files.log.count(path) <= 6
    assert time.monotonic() - t0 >= sum(FAST.delays())
    assert not list((tmp_path / "cache" / "bands").rglob("B03-*.npy"))


def test_timeout_gives_up_after_bounded_retries(world: World, aoi: AOI, tmp_path: Path) -> None:
    ld = TileLoader(
        pc_spec(world),
        aoi,
        LoaderConfig(
            cache=TileCache(tmp_path), http=HttpOptions(timeout_s=1.0, retries=1, backoff_s=0.05)
        ),
    )
    (cand,) = ld.search("S2", dt.date(2024, 12, 15), dt.date(2024, 12, 15))
    path = f"/pc/{cand.id}/B02.tif"
    world.files.faults[path] = Fault(delay=2.5)
    t0 = time.monotonic()
    try:
        with pytest.raises(RasterReadError, match="after 2 attempts"):
            ld.read_scene(cand)
    finally:
        world.files.faults.pop(path, None)
    assert time.monotonic() - t0 < 15


def test_unsigned_planetary_computer_asset_is_refused(
    world: World, aoi: AOI, tmp_path: Path
) -> None:
    unsigned = resolve_catalog(world.pc.url)  # no SAS service configured
    ld = TileLoader(unsigned, aoi, LoaderConfig(cache=TileCache(tmp_path), http=FAST))
    (cand,) = ld.search("S2", dt.date(2024, 12, 15), dt.date(2024, 12, 15))
    with pytest.raises(RasterReadError, match="access denied"):
        ld.read_scene(cand)


# ---------------------------------------------------------------------------------------
# command line


def test_cli_fetch_then_run_offline(world: World, tmp_path: Path) -> None:
    runner = CliRunner()
    common = [
        "--catalog",
        world.pc.url,
        "--sas-url",
        f"{world.files.url}/api/sas/v1",
        "--cache-dir",
        str(tmp_path / "cache"),
        "--timeout",
        "5",
        "--retries",
        "1",
    ]
    res = runner.invoke(
        main, ["fetch", "--site", SITE, "--from", "2024-11-25", "--to", "2024-12-20", *common]
    )
    assert res.exit_code == 0, res.output
    assert "3 S2 scenes" in res.output
    assert "cloud in AOI 100%" in res.output
    assert "15 band windows downloaded, 0 already cached" in res.output
    assert len(list((tmp_path / "cache" / "bands").rglob("*.npy"))) == 3 * 5
    out = tmp_path / "run"
    res = runner.invoke(
        main,
        [
            "run",
            "--site",
            SITE,
            "--before",
            "2024-11-30",
            "--after",
            "2024-12-15",
            "--offline",
            "--out",
            str(out),
            "--no-png",
            *common,
        ],
    )
    assert res.exit_code == 0, res.output
    assert world.ids["P1"] in res.output and world.ids["P3"] in res.output
    record = json.loads((out / "run.json").read_text())
    assert [s["id"] for s in record["scenes"]] == [world.ids["P1"], world.ids["P3"]]
    assert record["scenes"][0]["offset_applied"] == -1000.0
    assert (out / "detections.geojson").is_file()


def test_cli_run_reports_errors_in_one_line(world: World, tmp_path: Path) -> None:
    res = CliRunner().invoke(
        main,
        [
            "run",
            "--site",
            SITE,
            "--before",
            "2025-06-03",
            "--after",
            "2025-06-09",
            "--catalog",
            world.pc.url,
            "--sas-url",
            f"{world.files.url}/api/sas/v1",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--window-days",
            "5",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert res.exit_code == 2
    assert "cloudy over the AOI" in res.output
    assert not (tmp_path / "out" / "run.json").exists()


def test_cli_run_on_a_folder_of_geotiffs(shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "s2_beirut_2015_2017"
    # two full-city rasters of the folder, linked into a folder of their own
    local = tmp_path / "tifs"
    local.mkdir()
    for name in (
        "beirut_S2L1C_20150820_B02-B03-B04-B08_10m.tif",
        "beirut_S2L1C_20171003_B02-B03-B04-B08_10m.tif",
    ):
        (local / name).symlink_to(folder / name)
    res = CliRunner().invoke(
        main,
        [
            "run",
            "--site",
            SITE,
            "--before",
            "2015-08-20",
            "--after",
            "2017-10-03",
            "--catalog",
            str(local),
            "--out",
            str(tmp_path / "out"),
            "--no-png",
        ],
    )
    assert res.exit_code == 0, res.output
    record = json.loads((tmp_path / "out" / "run.json").read_text())
    assert record["scenes"][1]["grid"]["crs"] == "EPSG:32636"


# ---------------------------------------------------------------------------------------
# the real thing (needs the internet; never run in CI: deselect with -m "not network")


def _reachable(host: str) -> bool:
    import socket

    try:
        socket.create_connection((host, 443), timeout=3).close()
    except OSError:
        return False
    return True


@pytest.mark.network
def test_real_earth_search_over_hmeimim(tmp_path: Path) -> None:
    if not _reachable("earth-search.aws.element84.com"):
        pytest.skip("Earth Search is not reachable from this machine")
    hmeimim = aoi_for_site(load_site("hmeimim"))
    ld = TileLoader(
        resolve_catalog("earthsearch"),
        hmeimim,
        LoaderConfig(cache=TileCache(tmp_path), http=HttpOptions(timeout_s=30, retries=2)),
    )
    cands = ld.search("S2", dt.date(2024, 11, 25), dt.date(2024, 12, 20))
    assert cands and all(c.sensor == "S2" for c in cands)
    assert all("B04" in c.assets and "SCL" in c.assets for c in cands)
    assessed = ld.assess(cands[0])
    assert 0.0 <= assessed.coverage <= 1.0


def test_static_catalogue_input(world: World, tmp_path: Path) -> None:
    hmeimim = aoi_for_site(load_site("hmeimim"))
    ld = TileLoader(StaticCatalog(world.static_catalog), hmeimim, LoaderConfig(cache=None))
    with pytest.raises(CoverageError, match="outside every S2 scene"):
        ld.search("S2", dt.date(2024, 12, 1), dt.date(2024, 12, 31))
    # one date only in this catalogue: a pair cannot be made, and the CLI says why
    res = CliRunner().invoke(
        main,
        [
            "run",
            "--site",
            SITE,
            "--before",
            "2024-12-10",
            "--after",
            "2024-12-16",
            "--catalog",
            str(world.static_catalog),
            "--out",
            str(tmp_path / "out"),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
    )
    assert res.exit_code == 2
    assert "same scene" in res.output and world.ids["CDSE3"] in res.output
    assert not (tmp_path / "out").exists()
