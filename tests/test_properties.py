"""Properties of the change core, checked with hypothesis on random inputs."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from basewatch.detect.change import (
    band_difference,
    cfar,
    cva_change_map,
    irmad,
    log_ratio,
    log_ratio_change_map,
)
from basewatch.detect.events import Observation, match_objects
from basewatch.records import Event, ObjectClass

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

shapes = st.tuples(st.integers(1, 4), st.integers(4, 24), st.integers(4, 24))


@st.composite
def uint_stack(draw: st.DrawFn) -> np.ndarray:
    shape = draw(shapes)
    return draw(hnp.arrays(np.uint16, shape, elements=st.integers(0, 4000)))


@st.composite
def float_pair(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    shape = draw(shapes)
    el = st.floats(0.0625, 1.0, width=32)
    b = draw(hnp.arrays(np.float32, shape, elements=el))
    a = draw(hnp.arrays(np.float32, shape, elements=el))
    return b, a


@SETTINGS
@given(uint_stack())
def test_identical_inputs_give_no_change(x: np.ndarray) -> None:
    f = x.astype(np.float32)
    cm = cva_change_map(f, f.copy())
    assert not cm.mask.any()
    lr = log_ratio_change_map(f[0] + 1, f[0] + 1)
    assert not lr.mask.any()


@SETTINGS
@given(uint_stack(), uint_stack(), st.floats(100.0, 3000.0))
def test_swapping_dates_swaps_the_sign_of_change(b: np.ndarray, a: np.ndarray, thr: float) -> None:
    if a.shape != b.shape:
        a = np.resize(a, b.shape)
    fb, fa = b.astype(np.float32), a.astype(np.float32)
    fwd = cva_change_map(fb, fa, normalise=False, threshold=thr)
    bwd = cva_change_map(fa, fb, normalise=False, threshold=thr)
    assert np.array_equal(fwd.mask, bwd.mask)
    assert np.array_equal(fwd.magnitude, bwd.magnitude)
    assert np.array_equal(fwd.signed, -bwd.signed)


@st.composite
def observations(draw: st.DrawFn) -> list[Observation]:
    n = draw(st.integers(0, 8))
    pts = draw(
        st.lists(
            st.tuples(st.integers(0, 200), st.integers(0, 200)), min_size=n, max_size=n, unique=True
        )
    )
    return [
        Observation(
            id=f"{r},{c}",
            scene="s",
            date=dt.date(2024, 1, 1),
            object_class=ObjectClass.VESSEL,
            row=r + 0.5,
            col=c + 0.5,
            x_m=(c + 0.5) * 10,
            y_m=(r + 0.5) * 10,
            length_m=30.0,
            width_m=10.0,
            orientation_deg=0.0,
            area_px=3,
            bbox_px=(r, c, r + 3, c + 1),
            confidence=0.8,
            detectable=True,
        )
        for r, c in pts
    ]


def _count(ev: list) -> dict[Event, int]:  # type: ignore[type-arg]
    out = dict.fromkeys(Event, 0)
    for e in ev:
        out[e.event] += 1
    return out


@SETTINGS
@given(observations(), observations())
def test_swapping_dates_swaps_appeared_and_disappeared(
    a: list[Observation], b: list[Observation]
) -> None:
    fwd, bwd = _count(match_objects(a, b)), _count(match_objects(b, a))
    assert fwd[Event.APPEARED] == bwd[Event.DISAPPEARED]
    assert fwd[Event.DISAPPEARED] == bwd[Event.APPEARED]
    assert fwd[Event.PERSISTED] + fwd[Event.MOVED] == bwd[Event.PERSISTED] + bwd[Event.MOVED]
    same = _count(match_objects(a, a))
    assert same[Event.PERSISTED] == len(a) and same[Event.APPEARED] == 0


@SETTINGS
@given(float_pair(), st.data())
def test_nan_never_becomes_a_detection(
    pair: tuple[np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    b, a = pair
    nan = data.draw(hnp.arrays(bool, b.shape[1:]))
    b = b.copy()
    a = a.copy()
    a[:, nan] += 50.0  # a huge change exactly where the data are invalid
    b[0, nan] = np.nan
    cm = cva_change_map(b, a, normalise=False, threshold=1.0)
    assert not cm.mask[nan].any()
    assert np.isnan(cm.magnitude[nan]).all()
    c = cfar(a[0].copy() if a.shape[0] else a[0], guard=1, background=3, k=1.0)
    a0 = a[0].copy()
    a0[nan] = np.nan
    assert not cfar(a0, guard=1, background=3, k=0.5).mask[nan].any()
    assert c.mask.dtype == bool


@pytest.mark.parametrize(
    "fn",
    [
        band_difference,
        cva_change_map,
        irmad,
        log_ratio,
    ],
)
@SETTINGS
@given(shapes, shapes)
def test_different_shapes_raise_value_error_naming_both(
    fn: object, s1: tuple[int, ...], s2: tuple[int, ...]
) -> None:
    if s1 == s2:
        return
    x, y = np.zeros(s1, np.float32), np.zeros(s2, np.float32)
    with pytest.raises(ValueError, match="before") as info:
        fn(x, y)  # type: ignore[operator]
    assert str(s1) in str(info.value) and str(s2) in str(info.value)


@pytest.mark.parametrize("fn", [band_difference, cva_change_map, irmad])
@SETTINGS
@given(shapes, st.sampled_from([np.uint16, np.int32, np.float64]))
def test_different_dtypes_raise_value_error_naming_both(
    fn: object, shape: tuple[int, ...], other: type
) -> None:
    x, y = np.zeros(shape, np.float32), np.zeros(shape, dtype=np.dtype(other))
    with pytest.raises(ValueError, match="dtype") as info:
        fn(x, y)  # type: ignore[operator]
    assert "float32" in str(info.value) and np.dtype(other).name in str(info.value)
