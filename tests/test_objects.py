"""Objects from change pixels: features, the fast tile path and its numpy twin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import ndimage

from basewatch.detect.components import component_features, opening_2x2
from basewatch.sensors import minimum_detectable_m


def test_features_of_bars_in_metres_with_non_square_pixels() -> None:
    lab = np.zeros((20, 30), np.int32)
    lab[2, 3:13] = 1  # 10 px east-west
    lab[5:17, 20] = 2  # 12 px north-south
    f = component_features(lab, 2, pixel_size_m=(8.0, 11.0))
    assert f["area_px"].tolist() == [10.0, 12.0]
    assert f["length_m"] == pytest.approx([80.0, 132.0])
    assert f["width_m"] == pytest.approx([11.0, 8.0])
    assert f["orientation_deg"] == pytest.approx([90.0, 0.0])
    assert f["row"] == pytest.approx([2.5, 11.0]) and f["col"] == pytest.approx([8.0, 20.5])
    assert f["row_min"].tolist() == [2.0, 5.0] and f["col_max"].tolist() == [13.0, 21.0]


def test_minimum_detectable_size_is_honest_about_small_targets() -> None:
    at10 = minimum_detectable_m(10.0)
    assert 16.0 < at10 <= 25.0  # a Ka-52 (16 m) or an S-400 truck (12-14 m) is below it
    assert at10 < 69.0  # an An-124 is well above it
    assert minimum_detectable_m(3.0) < 16.0  # at 3 m a Ka-52 is resolvable
    # Sentinel-1: 10 m pixels but ~22 m resolution; a Kilo submarine (74 m) is resolvable,
    # a Su-34 (23 m) is not
    assert 23.0 < minimum_detectable_m(10.0, sensor="S1") < 74.0


def test_opening_matches_scipy() -> None:
    rng = np.random.default_rng(1)
    for p in (0.3, 0.6, 0.8):
        m = rng.random((64, 80)) < p
        ref = ndimage.binary_opening(m, structure=np.ones((2, 2), bool))
        assert np.array_equal(opening_2x2(m), ref)


def _beirut(site_name: str, repo: Path) -> Any:
    from basewatch.aoi import load_site
    from basewatch.imagery.local import raster_grid, read_geotiff, site_window
    from basewatch.pipeline import detect_pair

    site = load_site(site_name)
    files = [repo / "imagery" / f"{site_name}_S2L1C_{d}.tif" for d in ("20150820", "20171003")]
    window = site_window(site, raster_grid(files[0]))
    before, after = (read_geotiff(f, window=window) for f in files)
    return detect_pair(site, before, after)


def _at(dets: Any, lon: float, lat: float, metres: float = 30.0) -> list[Any]:
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    return [d for d in dets if geod.inv(d.lon, d.lat, lon, lat)[2] <= metres]


def test_beirut_port_quay_side_water_changes_are_not_vessels(repo: Path) -> None:
    """Checked by eye on 30 x 30 px true-colour crops of both dates:

    * 35.5109 E, 33.9016 N and 35.5087 E, 33.9004 N: water along the quays, water
      (NDWI > 0) on both dates, a little brighter in 2017 (turbidity or glint), no hull:
      not vessels;
    * 35.5235 E, 33.9045 N: a red-hulled ship of about 180 m moored against the east
      pier in 2017 (its north end at 35.5233 E, 33.9051 N was open water in 2015):
      vessel appeared, in the berth zone traced to the quay face. The same ship with
      the dates co-registered, as the CLI runs them: ``tests/test_berths.py``.
    """
    from basewatch.records import Event, ObjectClass

    port = _beirut("beirut-port", repo)
    for lon, lat in ((35.51091, 33.90161), (35.50873, 33.90042)):
        found = _at(port.detections, lon, lat)
        assert found and all(d.object_class is ObjectClass.OTHER for d in found)
        assert any("not a hull" in n for d in found for n in d.notes)
    ship = _at(port.detections, 35.5235, 33.9045)
    assert [(d.object_class, d.event) for d in ship] == [(ObjectClass.VESSEL, Event.APPEARED)]
    assert ship[0].zone_kind == "berth"
    assert 120.0 <= ship[0].length_m <= 230.0 and ship[0].width_m <= 40.0


def _berth_scene(seed: int = 0) -> tuple[Any, ...]:
    """40 x 40 px at 10 m: harbour water (cols 0-29), a berth strip (cols 30-35) and a
    quay (cols 36-39, outside the zones), NIR reflectance."""
    from shapely.geometry import box

    from basewatch.aoi import Zone

    rng = np.random.default_rng(seed)
    nir = (0.025 + 0.003 * rng.standard_normal((40, 40))).astype(np.float32)
    nir[:, 36:] = 0.2  # quay
    nir[30:40, 35] = 0.055  # mixed quay-face pixels: water and concrete in one pixel
    zidx = np.full((40, 40), -1, np.int16)
    zidx[:, :30] = 0
    zidx[:, 30:36] = 1
    zones = (
        Zone("Basin", "harbour", box(0, 0, 1, 1), "test", "CC0-1.0"),
        Zone("Quay berths", "berth", box(1, 0, 2, 1), "test", "CC0-1.0"),
    )
    return nir, zidx, zones


def test_berth_hulls_finds_a_ship_moored_against_the_quay_only() -> None:
    from basewatch.detect.components import ObjectParams
    from basewatch.detect.single_date import berth_hulls

    nir, zidx, zones = _berth_scene()
    nir[5:23, 34:36] = 0.14  # 180 m x 20 m hull against the quay face (NDWI not used)
    nir[30, 32] = 0.25  # one bright pixel (buoy, glint): too short
    nir[25:29, 31:35] = 0.12  # 40 m x 40 m blob (pontoon raft): not elongated
    nir[5:20, 10] = 0.14  # a hull in the basin: not a berth, not searched here
    kw: dict[str, Any] = {
        "zone_idx": zidx,
        "zones": zones,
        "valid": np.ones((40, 40), bool),
        "pixel_size_m": (10.0, 10.0),
        "min_length_m": 20.0,
    }
    hulls = berth_hulls(nir, **kw)
    labels, feats, keep = hulls.labels, hulls.features, hulls.keep
    assert len(keep) == 3  # the hull, the pixel and the blob; quay-face pixels are water
    assert int(keep.sum()) == 1
    i = int(np.flatnonzero(keep)[0])
    assert (feats["row_min"][i], feats["col_min"][i], feats["row_max"][i]) == (5, 34, 23)
    assert 170.0 <= feats["length_m"][i] <= 190.0 and feats["width_m"][i] <= 25.0
    assert feats["orientation_deg"][i] == pytest.approx(0.0, abs=1.0)
    assert feats["water_median"][i] == pytest.approx(0.025, abs=0.003)
    assert 0.5 < feats["confidence"][i] <= 1.0
    assert not (labels[:, :30] > 0).any()  # the basin hull is not searched
    # a ship already found by the free-vessel detector is not counted twice
    found = np.zeros((40, 40), bool)
    found[4, 34] = True
    assert not berth_hulls(nir, exclude=found, **kw).keep.any()
    # a stricter elongation rejects the hull, a looser one accepts the blob too
    assert not berth_hulls(nir, params=ObjectParams(berth_min_elongation=10.0), **kw).keep.any()
    assert berth_hulls(nir, params=ObjectParams(berth_min_elongation=0.9), **kw).keep.sum() == 2


def test_berth_hulls_quiet_on_open_water() -> None:
    from basewatch.detect.single_date import berth_hulls

    for seed in range(5):
        nir, zidx, zones = _berth_scene(seed)
        hulls = berth_hulls(
            nir,
            zone_idx=zidx,
            zones=zones,
            valid=np.ones((40, 40), bool),
            pixel_size_m=(10.0, 10.0),
            min_length_m=20.0,
        )
        assert not hulls.keep.any() and not hulls.labels.any(), seed
