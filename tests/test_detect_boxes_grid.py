"""The grid behind ``touching_pairs`` gives the STRtree reference's pairs, in order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from basewatch.detect.boxes import _touching_pairs_tree, boxes_touch, touching_pairs


def _boxes(rng: np.random.Generator, n: int, extent: int, largest: int) -> np.ndarray:
    r0 = rng.integers(-5, extent, n)
    c0 = rng.integers(-5, extent, n)
    size = rng.integers(1, largest, (n, 2))
    return np.stack([r0, c0, r0 + size[:, 0], c0 + size[:, 1]], axis=1)


@pytest.mark.parametrize("margin", [0, 1, 3])
@pytest.mark.parametrize(("n", "extent", "largest"), [(2000, 3000, 12), (500, 400, 300)])
def test_grid_pairs_equal_the_tree_and_brute_force(
    margin: int, n: int, extent: int, largest: int
) -> None:
    rng = np.random.default_rng(n + margin)
    a, b = _boxes(rng, n, extent, largest), _boxes(rng, n // 2, extent, largest)
    b[:3] = [(0, 0, extent, extent), (10, 10, 10, 40), (7, 7, 8, 8)]  # huge, empty, 1 px
    ia, ib = touching_pairs(a, b, margin=margin)
    ra, rb = _touching_pairs_tree(a, b, margin=margin)
    every = boxes_touch(np.repeat(a, len(b), axis=0), np.tile(b, (len(a), 1)), margin=margin)
    want = np.argwhere(every.reshape(len(a), len(b)))
    assert np.array_equal(np.stack([ia, ib], axis=1), want)
    assert np.array_equal(ia, ra) and np.array_equal(ib, rb)
    assert len(want) > n  # the huge box touches every box: a real test


def test_grid_pairs_on_the_port_scene_components(repo: Path) -> None:
    """Boxes of the bright components of the bundled port scene against the same boxes
    moved by a few pixels (two dates' objects)."""
    rasterio = pytest.importorskip("rasterio")
    from scipy import ndimage

    with rasterio.open(repo / "imagery" / "beirut-port_S2L1C_20171003.tif") as ds:
        nir = np.tile(ds.read(4).astype(np.float32), (8, 8))
    labels, _ = ndimage.label(nir > np.percentile(nir, 85), structure=np.ones((3, 3), bool))
    a = np.array(
        [(s[0].start, s[1].start, s[0].stop, s[1].stop) for s in ndimage.find_objects(labels)]
    )
    b = a + np.array([2, -3, 2, -3])
    for margin in (0, 1):
        ia, ib = touching_pairs(a, b, margin=margin)
        ra, rb = _touching_pairs_tree(a, b, margin=margin)
        assert np.array_equal(ia, ra) and np.array_equal(ib, rb)
        assert len(ia) > len(a) // 2
