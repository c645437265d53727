"""The chunked whole-tile scan finds the objects of the in-memory one, across chunk borders.

Real Sentinel-1 VV backscatter of Latakia port (``../shared/data/s1_latakia_port_2024``,
a same-track pair, 2024-12-06 and 2024-12-18; land is NaN), cut into chunks far smaller
than a real run would use so that many vessels and breakwater returns straddle chunk
borders in both directions.
"""

from __future__ import annotations

from pathlib import Path

import dask
import numpy as np
import pytest
import rasterio
from scipy import special

from basewatch.errors import InputError
from basewatch.scale.tiles import (
    chunked_bright_objects,
    in_memory_bright_objects,
    strip_rows,
)

PAIR = (
    "latakia_port_S1_VV_dB_approx_20241206T034315.tif",
    "latakia_port_S1_VV_dB_approx_20241218T034314.tif",
)
#: CFAR windows of the radar vessel scan at 11.45 m pixels (half-sizes, pixels).
GUARD, BACKGROUND = 6, 16
#: Threshold for a false-alarm rate of 1e-3 per pixel under Gaussian clutter (many
#: objects, some of them larger than a chunk border is far from another).
K = float(special.ndtri(1.0 - 1e-3))
#: Chunks: rows and columns, small and not dividing the image evenly.
SMALL_CHUNKS = (97, 133)


def _read(shared_data: Path, name: str) -> np.ndarray:
    with rasterio.open(shared_data / "s1_latakia_port_2024" / name) as ds:
        return ds.read(1).astype(np.float32)


@pytest.mark.parametrize("name", PAIR)
def test_chunks_with_a_halo_give_the_in_memory_objects(shared_data: Path, name: str) -> None:
    image = _read(shared_data, name)
    whole = in_memory_bright_objects(image, guard=GUARD, background=BACKGROUND, k=K)
    with dask.config.set(scheduler="synchronous"):
        chunked = chunked_bright_objects(
            image, guard=GUARD, background=BACKGROUND, k=K, chunks=SMALL_CHUNKS
        )
    assert len(whole) > 10, "the scan found too few objects to compare"
    assert len(chunked.chunks[0]) > 5 and len(chunked.chunks[1]) > 5
    assert chunked.straddling() >= 3, "too few objects cross a chunk border to test stitching"
    assert chunked.n_detected_px == whole.n_detected_px
    np.testing.assert_array_equal(chunked.table, whole.table)


def test_without_the_halo_the_objects_differ(shared_data: Path) -> None:
    """The halo is what makes the chunks exact: a narrower window at the borders changes
    the background statistics there (this guards the test above against passing by luck)."""
    image = _read(shared_data, PAIR[0])
    whole = in_memory_bright_objects(image, guard=GUARD, background=BACKGROUND, k=K)
    arr = dask.array.from_array(image, chunks=SMALL_CHUNKS)
    from basewatch.scale import tiles

    cut = arr.map_blocks(
        tiles._cfar_mask, dtype=bool, guard=GUARD, background=BACKGROUND, k=K, min_std=0.0
    )
    assert int(cut.sum().compute(scheduler="synchronous")) != whole.n_detected_px


def test_a_memory_budget_sets_the_strips_and_keeps_the_objects(shared_data: Path) -> None:
    image = _read(shared_data, PAIR[1])
    whole = in_memory_bright_objects(image, guard=GUARD, background=BACKGROUND, k=K)
    budget = 16 * 2**20
    rows = strip_rows(image.shape, itemsize=4, memory_per_worker=budget, halo=BACKGROUND)
    assert rows < image.shape[0]
    assert 8 * (rows + 2 * BACKGROUND) * image.shape[1] * 4 <= budget
    with dask.config.set(scheduler="synchronous"):
        chunked = chunked_bright_objects(
            image, guard=GUARD, background=BACKGROUND, k=K, memory_per_worker=budget
        )
    assert chunked.chunks[0][0] == rows and chunked.chunks[1] == (image.shape[1],)
    np.testing.assert_array_equal(chunked.table, whole.table)


def test_a_budget_too_small_for_one_strip_says_how_much_is_needed() -> None:
    with pytest.raises(InputError, match=r"give at least \d+ MiB"):
        strip_rows((10980, 10980), itemsize=4, memory_per_worker=2**20, halo=BACKGROUND)
