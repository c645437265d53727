"""The pair pipeline over a whole tile in strips finds what it finds in memory.

The real Beirut Sentinel-2 pair (``../shared/data/s2_beirut_2015_2017``, 2015-08-20 and
2017-10-03) tiled to a 3000 x 3000 px raster (``benchmarks/tiled_pair.py``: a harbour
zone on its west half, an apron zone on its east half), cut into strips far thinner
than a real run would use, so that many objects lie across strip borders. Its in-memory
run also checks the GeoPackage's outlines on thousands of real detections.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import dask
import numpy as np
import pytest

import basewatch as bw
from basewatch.aoi import load_site, outline_mask, zone_index
from basewatch.errors import InputError
from basewatch.imagery import coreg
from basewatch.imagery.chunks import dask_band, read_rows, strip_rows_for_budget
from basewatch.imagery.coreg import coregister
from basewatch.imagery.local import raster_grid, read_geotiff
from basewatch.outputs.vector import _multi_wkb, detection_outlines, detection_outlines_wkb
from basewatch.pipeline import ChangeParams, PairStatistics
from basewatch.scale import pair as chunked
from basewatch.scale.pair import (
    PAIR_BYTES_PER_PIXEL,
    Strip,
    detect_pair_chunked,
    pair_halo,
    site_rows,
)
from grid_sites import sample_extent_site

REPO = Path(__file__).resolve().parents[1]
#: Side of the tiled raster (a ninth of a Sentinel-2 tile) and rows per strip: four
#: strips whose borders cut the tiled city's aprons and harbour.
SIDE = 3000
STRIP_ROWS = 700


def _tiling() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "tiled_pair", REPO / "benchmarks" / "tiled_pair.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tiled(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    tiling = _tiling()
    tiling.__dict__["SOURCE"] = shared_data / "s2_beirut_2015_2017"
    before, after, site = tiling.write_pair(SIDE, tmp_path_factory.mktemp("tiles"))
    return before, after, site


@pytest.fixture(scope="module")
def both(tiled: tuple[Path, Path, Path]) -> tuple[bw.PairResult, chunked.ChunkedPairResult]:
    before, after, site_file = tiled
    site = load_site(str(site_file))
    first, second = read_geotiff(before), read_geotiff(after)
    whole = bw.detect_pair(site, first, coregister(first, second))
    with dask.config.set(scheduler="synchronous"):
        strips = detect_pair_chunked(site, before, after, strip_rows=STRIP_ROWS)
    return whole, strips


def test_strips_are_moved_onto_the_earlier_date_as_the_whole_tile_is(
    tiled: tuple[Path, Path, Path], both: tuple[bw.PairResult, chunked.ChunkedPairResult]
) -> None:
    """The shift is measured on the same central window and applied to each strip with
    rows around it: every strip's values and validity are the whole tile's aligned ones."""
    before, after, _ = tiled
    whole, strips = both
    info = strips.parameters["coregistration"]
    assert info == whole.after.metadata["coregistration"] and info["applied"] is True
    assert max(abs(v) for v in whole.after.shift_px) >= 0.1, "a shift to apply"
    assert not any("co-registered" in w for w in strips.warnings)
    grid = raster_grid(before)
    moving = read_geotiff(after)
    shift = (-info["measured_dy_px"], -info["measured_dx_px"])
    sums, count = coreg.fill_parts(moving.data, coreg.usable(moving.data, moving.valid))
    sources = chunked.PairSources(str(before), str(after), grid)
    sources = replace(sources, shift=shift, fills=coreg.fill_values(sums, count))
    want, want_ok = coreg.apply_shift(moving.data, moving.valid, shift)
    for rows in [(0, 700), (700, 1400), (2800, SIDE)]:
        part = chunked.read_after(sources, rows)
        assert part.grid == read_rows(after, rows).grid
        np.testing.assert_array_equal(part.valid, want_ok[rows[0] : rows[1]])
        assert np.array_equal(part.data, want[:, rows[0] : rows[1]], equal_nan=True)


def test_strips_give_the_detections_of_the_whole_tile(
    both: tuple[bw.PairResult, chunked.ChunkedPairResult],
) -> None:
    whole, strips = both
    assert len(whole.detections) > 1000, "too few detections to compare"
    assert len(strips.strips) == -(-SIDE // STRIP_ROWS)
    # identical records (ids, classes, events, boxes, sizes, confidences, notes), in order
    assert [d.id for d in strips.detections] == [d.id for d in whole.detections]
    assert strips.detections == whole.detections
    assert strips.zone_counts == whole.zone_counts
    assert strips.zone_lengths == whole.zone_lengths
    assert {e.split(":")[0] for e in strips.counts()} >= {"aircraft", "vessel", "other"}


def test_a_tiles_outlines_are_written_as_shapely_writes_them(
    both: tuple[bw.PairResult, chunked.ChunkedPairResult],
) -> None:
    whole, _ = both
    wkb, traced = detection_outlines_wkb(whole)
    outlines, want = detection_outlines(whole, return_traced=True)
    assert traced.sum() >= 1000 and (~traced).sum() >= 100, "traced outlines and boxes"
    assert traced.tolist() == want.tolist()
    assert list(wkb) == list(_multi_wkb(outlines))


def test_objects_across_strip_borders_are_found_whole_and_once(
    both: tuple[bw.PairResult, chunked.ChunkedPairResult],
) -> None:
    whole, strips = both
    assert strips.straddling() >= 10, "too few objects cross a strip border to test"
    # objects of class other larger than the first halo made strips read more rows
    assert strips.regrown() >= 1
    ids = [d.id for d in strips.detections]
    assert len(ids) == len(set(ids))
    borders = [s.core[0] for s in strips.strips[1:]]
    across = [d for d in whole.detections if any(d.bbox_px[0] < b < d.bbox_px[2] for b in borders)]
    assert {d.id for d in across} <= set(ids)


def test_the_whole_tile_statistics_are_those_of_the_in_memory_run(
    both: tuple[bw.PairResult, chunked.ChunkedPairResult],
) -> None:
    whole, strips = both
    for key in ("gain", "bias", "threshold", "normalise", "vessels", "match"):
        assert strips.parameters[key] == whole.change.params[key], key
    assert strips.warnings == whole.warnings


def test_strip_rasters_of_the_site_are_rows_of_the_whole(tiled: tuple[Path, Path, Path]) -> None:
    """Rasterising on each strip's own grid moves the site by a float subtraction; the
    strips' rows must be the whole grid's, pixel for pixel."""
    before, _, site_file = tiled
    site = load_site(str(site_file))
    grid = raster_grid(before)
    inside = outline_mask(site, grid)
    zidx, _ = zone_index(site, grid)
    parts = [site_rows(site, grid, (r, min(SIDE, r + 333))) for r in range(0, SIDE, 333)]
    np.testing.assert_array_equal(np.concatenate([p[0] for p in parts]), inside)
    np.testing.assert_array_equal(np.concatenate([p[1] for p in parts]), zidx)


def test_a_fixed_threshold_and_the_histogram_thresholds_agree_with_memory(
    tiled: tuple[Path, Path, Path],
) -> None:
    """Otsu's threshold from histograms summed over strips is the whole image's."""
    before, after, site_file = tiled
    site = load_site(str(site_file))
    params = ChangeParams(method="otsu")
    scenes = read_rows(before, (0, 900)), read_rows(after, (0, 900))
    whole = bw.detect_pair(site, *scenes, change_params=params)
    sub = _first_rows(before, after, 900, Path(str(site_file)).parent)
    with dask.config.set(scheduler="synchronous"):
        strips = detect_pair_chunked(
            site, *sub, change_params=params, strip_rows=250, coregister=False
        )
    assert strips.parameters["threshold"] == whole.change.params["threshold"]
    assert strips.detections == whole.detections


def test_a_median_aircraft_background_in_strips_is_the_whole_images(
    tiled: tuple[Path, Path, Path],
) -> None:
    """``ObjectParams(aircraft_background="median")``: each pixel's ring histogram is
    read from its own window, so strips cut through the tiled city's apron give the
    in-memory objects, one for one."""
    before, after, site_file = tiled
    site = load_site(str(site_file))
    params = bw.ObjectParams(aircraft_background="median")
    scenes = read_rows(before, (0, 900)), read_rows(after, (0, 900))
    whole = bw.detect_pair(site, *scenes, object_params=params)
    plain = bw.detect_pair(site, *scenes)
    sub = _first_rows(before, after, 900, Path(str(site_file)).parent)
    with dask.config.set(scheduler="synchronous"):
        strips = detect_pair_chunked(
            site, *sub, object_params=params, strip_rows=250, coregister=False
        )
    assert strips.detections == whole.detections
    assert strips.zone_counts == whole.zone_counts
    assert strips.zone_lengths == whole.zone_lengths
    # the median background sees other objects on this apron than the mean does
    assert whole.zone_counts != plain.zone_counts


def _first_rows(before: Path, after: Path, rows: int, folder: Path) -> tuple[Path, Path]:
    """The first ``rows`` rows of the pair as rasters of their own (same tags)."""
    import rasterio
    from rasterio.windows import Window

    out = []
    for path in (before, after):
        target = folder / f"{path.stem}_top{rows}.tif"
        if not target.exists():
            with rasterio.open(path) as src:
                window = Window(0, 0, src.width, rows)
                profile = src.profile | {"height": rows, "transform": src.window_transform(window)}
                with rasterio.open(target, "w", **profile) as dst:
                    dst.write(src.read(window=window))
                    dst.update_tags(**src.tags())
        out.append(target)
    return out[0], out[1]


def test_a_strip_grows_its_halo_until_its_objects_are_whole(
    tiled: tuple[Path, Path, Path], both: tuple[bw.PairResult, chunked.ChunkedPairResult]
) -> None:
    """Started with a halo far below the objects' size, a strip reads more rows until
    every object it keeps lies inside them; held to that small halo it stops and says
    how much memory a wider one needs."""
    before, after, site_file = tiled
    site = load_site(str(site_file))
    strip = Strip((700, 1400), 4)
    sources = chunked.PairSources(str(before), str(after), raster_grid(before))
    args = (sources, site, strip, SIDE, ChangeParams(), bw.ObjectParams())
    found = both[1].parameters
    stats = PairStatistics(
        gain=tuple(found["gain"]),
        bias=tuple(found["bias"]),
        threshold=found["threshold"],
        noise=found["noise"],
    )
    grown = chunked._objects(*args, stats, 256)
    assert grown.strip.halo > strip.halo
    with pytest.raises(InputError, match=r"give more --memory-per-worker .* needs \d+ MiB"):
        chunked._objects(*args, stats, 4)


def test_strips_are_sized_to_the_memory_per_worker(tiled: tuple[Path, Path, Path]) -> None:
    before, _, _ = tiled
    grid = raster_grid(before)
    halo = pair_halo(bw.ObjectParams(), grid.pixel_size_m, "S2")
    budget = 512 * 2**20
    rows = strip_rows_for_budget(
        grid, memory_per_worker=budget, bytes_per_pixel=PAIR_BYTES_PER_PIXEL, halo=halo
    )
    assert 1 <= rows < SIDE
    assert (rows + 2 * halo) * grid.width * PAIR_BYTES_PER_PIXEL <= budget
    assert (rows + 1 + 2 * halo) * grid.width * PAIR_BYTES_PER_PIXEL > budget
    with pytest.raises(InputError, match=r"give at least \d+ MiB"):
        strip_rows_for_budget(
            grid, memory_per_worker=2**20, bytes_per_pixel=PAIR_BYTES_PER_PIXEL, halo=halo
        )


def test_a_band_read_as_a_dask_array_equals_the_whole_read(tiled: tuple[Path, Path, Path]) -> None:
    before, _, _ = tiled
    arr = dask_band(before, band=3, strip_rows=777)
    assert arr.chunks[0][0] == 777 and arr.chunks[1] == (SIDE,)
    whole = read_geotiff(before).data[3]
    with dask.config.set(scheduler="synchronous"):
        np.testing.assert_array_equal(np.asarray(arr), whole)


def test_pif_normalisation_is_refused_with_the_alternative(tiled: tuple[Path, Path, Path]) -> None:
    before, after, site_file = tiled
    with pytest.raises(InputError, match="normalise=True"):
        detect_pair_chunked(
            load_site(str(site_file)),
            before,
            after,
            change_params=ChangeParams(normalise="pif"),  # type: ignore[arg-type]
        )


def test_the_union_vessel_search_is_refused_in_strips(tiled: tuple[Path, Path, Path]) -> None:
    # the 10 m classifier's features are whole-image ones: strips cannot give the whole
    # pair's vessels with it, and say what runs instead
    from basewatch.detect.components import ObjectParams

    before, after, site_file = tiled
    with pytest.raises(InputError, match="strips search with the rule"):
        detect_pair_chunked(
            load_site(str(site_file)),
            before,
            after,
            object_params=ObjectParams(vessels_without_b11="union"),
        )


#: Real Sentinel-1 VV backscatter of Latakia port (dB, land NaN), a same-track pair.
S1_PAIR = ("20241206T034315", "20241218T034314")
#: Strips of the radar pair: thin enough that vessels lie across their borders.
S1_STRIP_ROWS = 37


def test_radar_strips_give_the_vessel_events_of_the_whole(
    shared_data: Path, tmp_path: Path
) -> None:
    """Radar: the Kittler-Illingworth threshold from histograms summed over the strips,
    and the CFAR vessels matched across dates, as in memory."""
    import rasterio

    from basewatch.aoi import parse_site

    paths = []
    for stamp in S1_PAIR:
        src = shared_data / "s1_latakia_port_2024" / f"latakia_port_S1_VV_dB_approx_{stamp}.tif"
        dst = tmp_path / src.name
        with rasterio.open(src) as s, rasterio.open(dst, "w", **s.profile) as d:
            d.write(s.read())
            d.update_tags(**s.tags(), BASEWATCH_UNITS="db", BASEWATCH_SENSOR="S1")
        paths.append(dst)

    def box(x0: float, y0: float, x1: float, y1: float) -> dict[str, object]:
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        return {"type": "Polygon", "coordinates": [ring]}

    props = {"source": "test: box around the anchorage", "licence": "CC0"}
    site = parse_site(
        {
            "type": "FeatureCollection",
            "basewatch": {"site": "latakia-anchorage", "title": "Latakia anchorage"},
            "features": [
                {
                    "type": "Feature",
                    "properties": {**props, "kind": "outline", "name": "outline"},
                    "geometry": box(35.70, 35.49, 35.80, 35.58),
                },
                {
                    "type": "Feature",
                    "properties": {**props, "kind": "approach", "name": "anchorage"},
                    "geometry": box(35.71, 35.50, 35.79, 35.57),
                },
            ],
        }
    )
    first, second = (read_geotiff(p) for p in paths)
    whole = bw.detect_pair(site, first, coregister(first, second))
    with dask.config.set(scheduler="synchronous"):
        strips = detect_pair_chunked(site, *paths, strip_rows=S1_STRIP_ROWS)
    assert strips.parameters["coregistration"] == whole.after.metadata["coregistration"]
    assert len(whole.detections) >= 5
    assert strips.straddling() >= 1, "no vessel crosses a strip border"
    assert strips.parameters["threshold"] == whole.change.params["threshold"]
    assert strips.detections == whole.detections
    assert strips.zone_counts == whole.zone_counts
    assert strips.zone_lengths == whole.zone_lengths


def test_monitor_pair_runs_a_tile_in_strips_on_a_cluster(
    tiled: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """``basewatch monitor --pair`` on a local cluster writes the in-memory detections."""

    from click.testing import CliRunner

    from basewatch.cli.main import main

    before, after, site_file = tiled
    sub = _first_rows(before, after, 900, site_file.parent)
    first, second = (read_geotiff(p) for p in sub)
    whole = bw.detect_pair(load_site(str(site_file)), first, coregister(first, second))
    out = tmp_path / "tile"
    args = ["monitor", "--pair", str(sub[0]), str(sub[1]), "--sites", str(site_file)]
    args += ["--workers", "1", "--memory-per-worker", "1GiB", "--out", str(out)]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    record = json.loads((out / "tile_run.json").read_text())
    assert [d["id"] for d in record["detections"]] == [d.id for d in whole.detections]
    features = json.loads((out / "detections.geojson").read_text())["features"]
    assert len(features) == len(whole.detections)
    assert "pass: objects" in res.output
    again = CliRunner().invoke(main, args)
    # refused before any work (no cluster started), and not told of an option monitor lacks
    assert again.exit_code == 2 and "is not empty" in again.output, again.output
    assert "cluster:" not in again.output and "--overwrite" not in again.output


def test_strips_of_rasters_with_swir_compare_their_ten_metre_bands(tmp_path: Path) -> None:
    """Rasters that also carry B11 (the bundled Piraeus sample, written as two dates of
    the same pixels): strips compare the 10 m bands and search vessels with the rule
    (the classifier's features are whole-image ones), so they give what the in-memory
    pipeline gives on those four bands, detection for detection, and say so."""
    import rasterio

    from basewatch.detect.candidates import BANDS
    from basewatch.pipeline import core_bands

    sample = REPO / "imagery" / "piraeus_S2L2A_20230818.tif"
    paths = []
    for day in ("2023-08-18", "2023-08-28"):
        path = tmp_path / f"piraeus_{day}.tif"
        with rasterio.open(sample) as src:
            profile, data = src.profile, src.read()
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(data)
            dst.update_tags(BASEWATCH_BANDS=",".join(BANDS), BASEWATCH_DATETIME=f"{day}T09:20:00Z")
        paths.append(path)
    scenes = [read_geotiff(p) for p in paths]
    site_file = sample_extent_site(tmp_path / "site.geojson", scenes[0].grid)
    site = load_site(str(site_file))
    four = bw.detect_pair(site, *(core_bands(s) for s in scenes))
    five = bw.detect_pair(site, *scenes)
    with dask.config.set(scheduler="synchronous"):
        strips = detect_pair_chunked(site, *paths, strip_rows=300, coregister=False)
    assert four.change.params["vessels"]["detector"] == "rule"
    assert five.change.params["vessels"]["detector"] == "classifier"
    assert strips.detections == four.detections and len(four.detections) > 0
    assert strips.zone_counts == four.zone_counts
    assert strips.zone_lengths == four.zone_lengths
    assert strips.parameters["vessels"]["detector"] == "rule"
    assert len(strips.parameters["gain"]) == 4  # normalised on the four 10 m bands
