"""The picture's pixel kernels give numpy's values bit for bit.

Real data: both bundled Beirut pairs as ``basewatch detect`` reads them (scenes
stretched to 8 bits, the change magnitude with its invalid pixels as NaN, the change
mask), reduced by block sizes on both sides of numpy's switch to eight partial sums (8)
and of one pairwise block (:data:`~basewatch.outputs._pixels.PAIRWISE_MAX`).
Synthetic arrays only for the NaN patterns a real magnitude may not hold.
"""

from __future__ import annotations

import numpy as np
import pytest

from basewatch import detect_pair, load_site, read_local_pair, sample_pair
from basewatch.outputs._pixels import PAIRWISE_MAX, block_any, block_mean
from basewatch.outputs.render import (
    Picture,
    _blocks,
    _blocks_numpy,
    _stretch_limits,
    picture_of,
    true_colour,
    true_colour_8bit,
)
from basewatch.pipeline import PairResult

#: Block sides: a single pixel, sums of under eight values, exactly eight, eight partial
#: sums with a remainder, several rounds of them, the longest pairwise block.
SIZES = (1, 2, 3, 7, 8, 9, 16, 17, 33, PAIRWISE_MAX)


@pytest.fixture(scope="module", params=["beirut-port", "beirut-airport"])
def result(request: pytest.FixtureRequest) -> PairResult:
    site = load_site(request.param)
    return detect_pair(site, *read_local_pair(site, *sample_pair(request.param)))


@pytest.fixture(scope="module")
def picture(result: PairResult) -> Picture:
    return picture_of(result)


def test_scenes_are_stretched_to_the_8_bits_of_the_float_definition(result: PairResult) -> None:
    lo, hi = _stretch_limits(result.before, result.after)
    for scene in (result.before, result.after):
        fast = true_colour_8bit(scene, lo=lo, hi=hi)
        reference = np.rint(np.float32(255.0) * true_colour(scene, lo=lo, hi=hi))
        assert fast.dtype == np.uint8
        np.testing.assert_array_equal(fast, reference.astype(np.uint8))
        assert np.ptp(fast) > 200  # stretched over most of the 8 bits


@pytest.mark.parametrize("size", SIZES)
def test_block_means_are_numpys(picture: Picture, size: int) -> None:
    assert np.isnan(picture.magnitude).any()  # invalid pixels of the real change map
    for image in (picture.before_rgb, picture.after_rgb, picture.magnitude):
        fast = _blocks(image, size)
        reference = _blocks_numpy(image, size)
        assert fast.dtype == reference.dtype and fast.shape == reference.shape
        np.testing.assert_array_equal(fast, reference)
    assert np.array_equal(
        _blocks(picture.mask, size, any_=True), _blocks_numpy(picture.mask, size, any_=True)
    )


def test_blocks_without_nan_are_numpys_mean(picture: Picture) -> None:
    finite = np.nan_to_num(picture.magnitude)
    for size in (3, 9, 17):
        np.testing.assert_array_equal(_blocks(finite, size), _blocks_numpy(finite, size))


def test_blocks_with_no_valid_pixel_are_nan_and_partly_valid_ones_their_mean() -> None:
    image = np.arange(36, dtype=np.float32).reshape(6, 6)
    image[:3, :3] = np.nan  # a whole block invalid
    image[3, 3] = np.nan  # one pixel of another
    out = block_mean(image, 3)
    assert out is not None
    assert np.isnan(out[0, 0])
    assert out[1, 1] == np.float32(np.mean([v for v in image[3:, 3:].ravel() if v == v]))
    np.testing.assert_array_equal(out, _blocks_numpy(image, 3))


def test_blocks_the_kernels_do_not_cover_are_left_to_numpy(picture: Picture) -> None:
    assert block_mean(picture.magnitude, PAIRWISE_MAX + 1) is None
    assert block_mean(picture.magnitude.astype(np.float64), 3) is None
    wide = PAIRWISE_MAX + 1
    if min(picture.magnitude.shape) >= wide:
        np.testing.assert_array_equal(
            _blocks(picture.magnitude, wide), _blocks_numpy(picture.magnitude, wide)
        )


def test_block_any_marks_each_block_with_a_set_pixel() -> None:
    mask = np.zeros((7, 7), dtype=bool)
    mask[4, 5] = True
    # the last row and column (beyond the whole blocks) are left out
    mask[6, 0] = True
    assert block_any(mask, 3).tolist() == [[False, False], [False, True]]
