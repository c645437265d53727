"""The one-pass reflectance kernel against its numpy definition: the same float32
reflectance and the same invalid pixels, on the bundled real scenes and on the edge
cases (nodata, saturation, masks, NaN in float exports)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio

from basewatch.imagery._convert import optical_reflectance, optical_reflectance_reference
from basewatch.imagery.local import read_geotiff
from basewatch.sensors import S2_SATURATED_DN

IMAGERY = Path(__file__).resolve().parents[1] / "imagery"


def _same(values: np.ndarray, **kw: object) -> tuple[np.ndarray, np.ndarray]:
    data, invalid = optical_reflectance(values, **kw)  # type: ignore[arg-type]
    ref_data, ref_invalid = optical_reflectance_reference(values, **kw)  # type: ignore[arg-type]
    assert data.dtype == np.float32 and invalid.shape == values.shape[1:]
    np.testing.assert_array_equal(invalid, ref_invalid)
    assert np.array_equal(data, ref_data, equal_nan=True)
    if np.array_equal(values.astype(np.float32), values, equal_nan=True):
        # values float32 holds exactly: as float32, converted in place, the same
        values32 = values.astype(np.float32)
        over, over_invalid = optical_reflectance(values32, overwrite_input=True, **kw)  # type: ignore[arg-type]
        assert over is values32
        np.testing.assert_array_equal(over_invalid, ref_invalid)
        assert np.array_equal(over, ref_data, equal_nan=True)
    return data, invalid


def test_nodata_saturation_and_masks_are_invalid_in_every_band() -> None:
    values = np.full((3, 2, 4), 1500, np.uint16)
    values[:, 0, 0] = 0  # nodata: zero in every band
    values[1, 0, 1] = 0  # one dark band is a measurement
    values[2, 0, 2] = S2_SATURATED_DN
    masked = np.zeros(values.shape, bool)
    masked[0, 1, 3] = True
    data, invalid = _same(
        values, offset=-1000.0, scale=1e-4, masked=masked, saturated=S2_SATURATED_DN
    )
    assert invalid.tolist() == [[True, False, True, False], [False, False, False, True]]
    assert np.isnan(data[:, invalid]).all()
    assert data[0, 1, 0] == np.float32(500.0) * np.float32(1e-4)
    assert data[1, 0, 1] == (np.float32(0) - np.float32(1000)) * np.float32(1e-4)


def test_a_float_export_with_nan_is_invalid_where_any_band_is_nan() -> None:
    values = np.array([[[0.1, np.nan], [0.0, 0.3]], [[0.2, 0.2], [0.0, np.inf]]])
    _, invalid = _same(values, offset=0.0, scale=1.0)
    assert invalid.tolist() == [[False, True], [True, True]]


@pytest.mark.parametrize("dtype", [np.uint16, np.int16, np.float32, np.float64])
def test_the_kernel_is_the_numpy_definition_on_random_values(dtype: type) -> None:
    rng = np.random.default_rng(7)
    values = rng.integers(0, 3, (4, 37, 53)).astype(dtype) * rng.integers(0, 9000, (4, 37, 53))
    masked = rng.random(values.shape) < 0.01
    _same(values.astype(dtype), offset=-1000.0, scale=1e-4, masked=masked, saturated=8999)


@pytest.mark.parametrize("name", sorted(p.name for p in IMAGERY.glob("*.tif")))
def test_real_scenes_read_as_the_numpy_definition_reads_them(name: str) -> None:
    scene = read_geotiff(IMAGERY / name)
    with rasterio.open(IMAGERY / name) as src:
        raw = src.read(masked=True)
    data, invalid = optical_reflectance_reference(
        np.ma.getdata(raw),
        offset=scene.offset_applied,
        scale=scene.scale,
        masked=np.ma.getmaskarray(raw),
        saturated=S2_SATURATED_DN if raw.dtype == np.uint16 else None,
    )
    assert np.array_equal(scene.data, data, equal_nan=True)
    np.testing.assert_array_equal(scene.valid, ~invalid)


def test_blocks_decoded_on_several_threads_read_the_same_scene(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Local reads decode blocks on every core unless GDAL_NUM_THREADS says otherwise
    (a monitor worker's share); the scene is the same either way."""
    from basewatch._gdal import ALL_CORES, gdal_threads

    path = IMAGERY / "beirut-port_S2L1C_20171003.tif"
    monkeypatch.delenv("GDAL_NUM_THREADS", raising=False)
    assert gdal_threads() == ALL_CORES == "ALL_CPUS"
    threaded = read_geotiff(path)
    monkeypatch.setenv("GDAL_NUM_THREADS", "1")
    assert gdal_threads() == "1"
    single = read_geotiff(path)
    assert np.array_equal(threaded.data, single.data, equal_nan=True)
    np.testing.assert_array_equal(threaded.valid, single.valid)
    assert threaded.grid == single.grid


def test_values_not_float32_are_not_overwritten() -> None:
    values = np.ones((2, 4, 4), np.uint16)
    with pytest.raises(ValueError, match="C-contiguous float32 values, not a uint16"):
        optical_reflectance(values, offset=0.0, scale=1.0, overwrite_input=True)
    with pytest.raises(ValueError, match="non-contiguous float32"):
        optical_reflectance(
            np.ones((2, 4, 8), np.float32)[:, :, ::2], offset=0.0, scale=1.0, overwrite_input=True
        )
    assert values.dtype == np.uint16 and (values == 1).all()


def test_values_of_the_wrong_shape_are_refused() -> None:
    with pytest.raises(ValueError, match="bands, rows, cols"):
        optical_reflectance(np.zeros((4, 4)), offset=0.0, scale=1.0)
    with pytest.raises(ValueError, match="does not match"):
        optical_reflectance(
            np.zeros((2, 4, 4)), offset=0.0, scale=1.0, masked=np.zeros((1, 4, 4), bool)
        )
