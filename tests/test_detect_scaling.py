"""The indexed steps give what comparing every object with every other gives.

Box touching (merging, aircraft confirmation) and the matching of two dates' objects
now go through spatial indexes and a sparse assignment, so that their cost follows the
number of objects and not its square. These tests hold them against the brute-force
definitions on random layouts (pure functions, synthetic input).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from basewatch.detect.boxes import boxes_touch, touching_pairs
from basewatch.detect.events import assign_pairs, candidate_pairs


def _random_boxes(rng: np.random.Generator, n: int, extent: int) -> np.ndarray:
    r0 = rng.integers(0, extent, n)
    c0 = rng.integers(0, extent, n)
    return np.stack([r0, c0, r0 + rng.integers(1, 8, n), c0 + rng.integers(1, 8, n)], axis=1)


@pytest.mark.parametrize("margin", [0, 1, 3])
def test_touching_pairs_are_exactly_the_brute_force_pairs(margin: int) -> None:
    rng = np.random.default_rng(margin)
    a, b = _random_boxes(rng, 300, 200), _random_boxes(rng, 250, 200)
    ia, ib = touching_pairs(a, b, margin=margin)
    every = boxes_touch(np.repeat(a, len(b), axis=0), np.tile(b, (len(a), 1)), margin=margin)
    want = np.argwhere(every.reshape(len(a), len(b)))
    assert len(want) > 50  # the layout is dense enough to test something
    assert np.array_equal(np.stack([ia, ib], axis=1), want)


def test_touching_respects_the_strict_edge_rule() -> None:
    # boxes are max-exclusive: (0,0,2,2) and (2,2,4,4) share no pixel
    assert touching_pairs([(0, 0, 2, 2)], [(2, 2, 4, 4)], margin=0)[0].size == 0
    assert touching_pairs([(0, 0, 2, 2)], [(2, 2, 4, 4)], margin=1)[0].tolist() == [0]
    assert touching_pairs([], [(2, 2, 4, 4)], margin=1)[0].size == 0


def _dense_assignment(
    xa: np.ndarray, xb: np.ndarray, ca: np.ndarray, cb: np.ndarray, max_d: float
) -> tuple[int, float]:
    """The former dense matching: number of pairs and their summed distance."""
    d = np.hypot(xa[:, None, 0] - xb[None, :, 0], xa[:, None, 1] - xb[None, :, 1])
    gate = (d <= max_d) & (ca[:, None] == cb[None, :])
    rows, cols = linear_sum_assignment(np.where(gate, d, 1e9))
    ok = gate[rows, cols]
    return int(ok.sum()), float(d[rows, cols][ok].sum())


@pytest.mark.parametrize("seed", range(6))
def test_sparse_matching_reaches_the_dense_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    na, nb = rng.integers(20, 120, 2)
    xa = rng.uniform(0, 2000, (na, 2))
    xb = np.concatenate([xa[: nb // 2] + rng.normal(0, 40, (min(nb // 2, na), 2))])
    xb = np.concatenate([xb, rng.uniform(0, 2000, (nb - len(xb), 2))])
    ca = rng.choice(np.array(["aircraft", "vessel"], dtype=object), na)
    cb = rng.choice(np.array(["aircraft", "vessel"], dtype=object), len(xb))
    ia, ib, dist = candidate_pairs(xa, xb, max_distance_m=150.0, classes=(ca, cb))
    pairs = assign_pairs(ia, ib, dist, len(xa), len(xb))
    lookup = dict(zip(zip(ia.tolist(), ib.tolist(), strict=True), dist.tolist(), strict=True))
    n_pairs, total = _dense_assignment(xa, xb, ca, cb, 150.0)
    assert n_pairs > 5
    assert len(pairs) == n_pairs
    assert sum(lookup[p] for p in pairs) == pytest.approx(total, rel=1e-9, abs=1e-6)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})


def test_candidate_pairs_keep_the_limit_and_the_class() -> None:
    xa = np.array([[0.0, 0.0], [0.0, 0.0]])
    xb = np.array([[150.0, 0.0], [150.0001, 0.0]])
    ia, ib, d = candidate_pairs(xa, xb, max_distance_m=150.0)
    assert list(zip(ia.tolist(), ib.tolist(), strict=True)) == [(0, 0), (1, 0)]
    assert d.tolist() == [150.0, 150.0]
    classes = (
        np.array(["vessel", "aircraft"], dtype=object),
        np.array(["vessel"] * 2, dtype=object),
    )
    ia, ib, _ = candidate_pairs(xa, xb, max_distance_m=150.0, classes=classes)
    assert ia.tolist() == [0] and ib.tolist() == [0]


@pytest.mark.parametrize("seed", range(3))
def test_the_sparse_solver_for_large_groups_reaches_the_dense_optimum(seed: int) -> None:
    from basewatch.detect.events import _sparse_assignment

    rng = np.random.default_rng(100 + seed)
    xa = rng.uniform(0, 600, (80, 2))
    xb = rng.uniform(0, 600, (70, 2))
    same = np.array(["vessel"] * 80, dtype=object), np.array(["vessel"] * 70, dtype=object)
    ia, ib, dist = candidate_pairs(xa, xb, max_distance_m=150.0)
    pairs = _sparse_assignment(ia, ib, dist, len(xa), len(xb))
    lookup = dict(zip(zip(ia.tolist(), ib.tolist(), strict=True), dist.tolist(), strict=True))
    n_pairs, total = _dense_assignment(xa, xb, *same, 150.0)
    assert len(pairs) == n_pairs > 40
    assert sum(lookup[p] for p in pairs) == pytest.approx(total, rel=1e-9, abs=1e-6)


@pytest.mark.parametrize(("shape", "half"), [((40, 55), 3), ((6, 9), 5), ((1, 1), 2)])
def test_window_sums_are_the_sums_over_each_window(shape: tuple[int, int], half: int) -> None:
    from basewatch.detect.change import _window_sums

    img = np.random.default_rng(half).integers(-50, 50, shape).astype(np.float64)
    padded = np.pad(img, half)
    w = 2 * half + 1
    want = np.array(
        [[padded[r : r + w, c : c + w].sum() for c in range(shape[1])] for r in range(shape[0])]
    )
    assert np.array_equal(_window_sums(img, (half,))[0], want)  # integers: exact


def test_cfar_in_row_blocks_finds_what_the_whole_image_finds() -> None:
    """A tall image goes through CFAR in blocks of rows with a halo; targets, scores and
    backgrounds match one pass over the whole image (window sums may differ in the
    last bits, as they are summed from another origin)."""
    from basewatch.detect import change

    rng = np.random.default_rng(7)
    rows = change.CFAR_BLOCK_ROWS * 2 + 300
    img = rng.normal(0.05, 0.01, (rows, 90))
    targets = rng.integers(0, rows, 40), rng.integers(0, 90, 40)
    img[targets] += 0.2
    valid = rng.random(img.shape) > 0.02
    blocked = change.cfar(img, valid=valid, guard=3, background=10, pfa=1e-6)
    whole = change._cfar_rows(img, valid, None, 3, 10, blocked.k, 0.0)
    assert blocked.mask.sum() >= 30
    assert np.array_equal(blocked.mask, whole.mask)
    np.testing.assert_allclose(blocked.score, whole.score, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(blocked.background, whole.background, rtol=1e-6)


def test_window_sums_of_two_sizes_from_one_integral_image_match_each_alone() -> None:
    from basewatch.detect.change import _window_sums

    img = np.random.default_rng(3).normal(size=(70, 45))
    outer, inner = _window_sums(img, (12, 4))
    assert np.array_equal(outer, _window_sums(img, (12,))[0])
    assert np.array_equal(inner, _window_sums(img, (4,))[0])


def test_bright_objects_on_a_crop_around_the_search_area_match_the_whole_image(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Water in one corner of a large image: the objects, their positions and features
    are those a pass over the whole image finds."""
    from basewatch.detect import components

    rng = np.random.default_rng(11)
    img = rng.normal(0.05, 0.01, (400, 500)).astype(np.float32)
    water = np.zeros(img.shape, dtype=bool)
    water[250:380, 300:480] = True
    for r, c in [(260, 320), (300, 400), (350, 450)]:
        img[r : r + 2, c : c + 6] += 0.3
    img[50:52, 50:56] += 0.3  # on land: never an object
    kwargs = {"background": water, "pixel_size_m": (10.0, 10.0), "window": 12, "k_low": 3.0}
    cropped = components.bright_objects(img, **kwargs)
    monkeypatch.setattr(components, "_CROP_MAX_SHARE", 0.0)  # never crop
    whole = components.bright_objects(img, **kwargs)
    assert len(whole.features["area_px"]) == 3
    assert np.array_equal(cropped.labels, whole.labels)
    for key, values in whole.features.items():
        np.testing.assert_allclose(cropped.features[key], values, rtol=1e-9, err_msg=key)


def test_rings_and_contrasts_on_the_components_bounding_box_are_exact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Components in one part of a large image: ring means and contrasts computed on
    their bounding box are those of the whole image, bit for bit."""
    from scipy import ndimage

    from basewatch.detect import components

    rng = np.random.default_rng(5)
    image = rng.normal(0.1, 0.02, (300, 400))
    image[rng.random(image.shape) < 0.01] = np.nan
    spots = np.zeros(image.shape, dtype=bool)
    spots[200:260, 30:120] = rng.random((60, 90)) > 0.9
    labels, n = ndimage.label(spots)
    assert n > 20
    got = (
        components.ring_mean(labels, n, image, inner_px=1, outer_px=4),
        components.local_contrast(labels, n, image),
    )
    monkeypatch.setattr(components, "_CROP_MAX_SHARE", 0.0)  # never crop
    want = (
        components.ring_mean(labels, n, image, inner_px=1, outer_px=4),
        components.local_contrast(labels, n, image),
    )
    for g, w in zip(got, want, strict=True):
        assert np.array_equal(g, w, equal_nan=True)
