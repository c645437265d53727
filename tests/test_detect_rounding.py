"""Detection records are rounded for all objects at once, exactly as ``round`` rounds
each value."""

from __future__ import annotations

import numpy as np
import pytest

from basewatch.records import round_like_python


@pytest.mark.parametrize("decimals", [0, 1, 3, 5, 7])
def test_round_like_python_equals_round_on_every_element(decimals: int) -> None:
    rng = np.random.default_rng(3)
    values = np.concatenate(
        [
            rng.normal(35.5, 0.3, 200_000),  # longitudes and latitudes of a site
            rng.random(200_000) * 400.0,  # lengths in metres
            np.arange(-20_000, 20_000) / 10.0**decimals / 2,  # exact and near ties
            np.arange(-20_000, 20_000) / 1000.0 + 0.0005,  # 2.675-like decimal ties
            [2.675, 0.285, 1.005, -2.5, 0.125, 1e300, -1e300, 1e16 + 2.0, 5e-324],
            [np.nan, np.inf, -np.inf],
        ]
    )
    ref = np.array([round(v, decimals) for v in values.tolist()])
    got = round_like_python(values, decimals)
    assert np.array_equal(got, ref, equal_nan=True)
    # np.round alone differs on some of these: the fallback is what makes them equal
    if decimals == 3:
        assert (np.round(values, decimals) != ref).sum() > 100


def test_round_like_python_keeps_the_shape() -> None:
    rings = np.array([[[35.12345675, 33.9], [35.2, 33.99999995]]])
    got = round_like_python(rings, 7)
    assert got.shape == rings.shape
    assert got.tolist() == [[[round(35.12345675, 7), 33.9], [35.2, round(33.99999995, 7)]]]
