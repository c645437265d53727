"""The change map and the aligned scenes as cloud-optimised GeoTIFFs, on the bundled
real Beirut port pair: GDAL's COG layout, internal tiles, overviews, the run's values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio

from basewatch.aoi import load_site
from basewatch.errors import OutputError
from basewatch.imagery.local import read_local_pair
from basewatch.outputs.raster import COG_BLOCK, write_cog
from basewatch.outputs.run import write_run
from basewatch.pipeline import PairResult, detect_pair
from basewatch.sample import sample_pair


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
        magnitude, changed = src.read(1), src.read(2)
        assert src.tags()["BASEWATCH_BEFORE"] == port.before.id
    valid = port.change.valid
    np.testing.assert_array_equal(np.isnan(magnitude), ~valid)
    np.testing.assert_allclose(magnitude[valid], port.change.magnitude[valid], rtol=1e-6)
    assert int(np.nansum(changed)) == int((port.change.mask & valid).sum())


def test_the_scene_cogs_hold_the_aligned_bands(run: dict[str, Path], port: PairResult) -> None:
    with rasterio.open(run["after_cog"]) as src:
        assert src.descriptions == port.after.bands
        data = src.read()
    valid = port.after.valid
    np.testing.assert_allclose(data[:, valid], port.after.data[:, valid], rtol=1e-6)


def test_an_array_off_the_grid_is_refused(port: PairResult, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="do not fit the grid"):
        write_cog(
            tmp_path / "x.tif", np.zeros((3, 3), np.float32), port.before.grid, descriptions=("x",)
        )
    assert not (tmp_path / "x.tif").exists()
