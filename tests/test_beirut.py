"""End to end on the bundled real Sentinel-2 pair: Beirut, 2015-08-20 vs 2017-10-03.

Each asserted event was checked by eye on the true-colour chips (see the demo PNGs):

* airport: a white airliner parked at the eastern stand of the terminal apron on
  2015-08-20 (about 35.4954 E, 33.8247 N), gone on 2017-10-03 -> aircraft disappeared;
* port: a vessel of about 90 m lying in the inner harbour basin, north-west of the
  east pier on 2015-08-20 (about 35.5204 E, 33.9055 N), gone on 2017-10-03 ->
  vessel disappeared.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

from basewatch.aoi import load_site
from basewatch.errors import InputError
from basewatch.imagery.local import raster_grid, read_geotiff, site_window
from basewatch.pipeline import PairResult, detect_pair
from basewatch.records import Detection, Event, ObjectClass

IMAGERY = Path(__file__).resolve().parents[1] / "imagery"
GEOD = Geod(ellps="WGS84")

AIRLINER = (35.49542, 33.82470)  # terminal apron, eastern stand, present 2015 only
BASIN_SHIP = (35.52043, 33.90548)  # inner harbour basin, present 2015 only


def _run(site_name: str, *, swap: bool = False) -> PairResult:
    site = load_site(site_name)
    files = [IMAGERY / f"{site_name}_S2L1C_{d}.tif" for d in ("20150820", "20171003")]
    window = site_window(site, raster_grid(files[0]))
    before, after = (read_geotiff(f, window=window) for f in files)
    if swap:
        # the same pixels, labelled the other way round (dates must increase, so relabel)
        before, after = (
            type(after)(**{**after.__dict__, "datetime": before.datetime}),
            type(before)(**{**before.__dict__, "datetime": after.datetime}),
        )
    return detect_pair(site, before, after)


@pytest.fixture(scope="module")
def airport() -> PairResult:
    return _run("beirut-airport")


@pytest.fixture(scope="module")
def port() -> PairResult:
    return _run("beirut-port")


def _near(
    dets: tuple[Detection, ...], lonlat: tuple[float, float], metres: float
) -> list[Detection]:
    return [d for d in dets if GEOD.inv(d.lon, d.lat, *lonlat)[2] <= metres]


def test_airliner_left_the_terminal_apron(airport: PairResult) -> None:
    found = _near(airport.detections, AIRLINER, 30.0)
    assert len(found) == 1, found
    d = found[0]
    assert d.object_class is ObjectClass.AIRCRAFT
    assert d.event is Event.DISAPPEARED
    assert d.zone == "Terminal apron"
    assert 25.0 <= d.length_m <= 75.0  # an airliner, not a car or a hangar
    assert d.detectable and d.confidence >= 0.8
    # independent check on the raw pixels: that spot was bright in 2015, not in 2017
    r0, c0, r1, c1 = d.bbox_px
    b = airport.before.data[:, r0:r1, c0:c1].mean()
    a = airport.after.data[:, r0:r1, c0:c1].mean()
    assert b > a * 1.2


def test_ship_left_the_inner_basin(port: PairResult) -> None:
    found = _near(port.detections, BASIN_SHIP, 40.0)
    assert len(found) == 1, found
    d = found[0]
    assert d.object_class is ObjectClass.VESSEL
    assert d.event is Event.DISAPPEARED
    assert d.zone == "Harbour basin"
    assert 50.0 <= d.length_m <= 150.0
    assert d.detectable


def test_every_detection_lies_in_a_zone_of_its_site(airport: PairResult, port: PairResult) -> None:
    for result in (airport, port):
        names = {z.name for z in result.site.zones}
        for d in result.detections:
            assert d.zone in names
            r0, c0, r1, c1 = d.bbox_px
            assert result.change.valid[r0:r1, c0:c1].any()
            assert d.before_date.year == 2015 and d.after_date.year == 2017


def test_aircraft_only_on_airfield_and_vessels_only_on_water(
    airport: PairResult, port: PairResult
) -> None:
    assert all(d.object_class is not ObjectClass.VESSEL for d in airport.detections)
    assert all(d.object_class is not ObjectClass.AIRCRAFT for d in port.detections)


def test_airport_finds_few_false_aircraft(airport: PairResult) -> None:
    """Aircraft events are rare: a handful on the apron, not every changed roof."""
    aircraft = [d for d in airport.detections if d.object_class is ObjectClass.AIRCRAFT]
    assert 1 <= len(aircraft) <= 10
    assert sum(d.zone == "Terminal apron" for d in aircraft) >= len(aircraft) - 2


def test_swapping_dates_swaps_events() -> None:
    forward = _run("beirut-port")
    backward = _run("beirut-port", swap=True)
    fwd = {d.bbox_px: d.event for d in forward.detections}
    bwd = {d.bbox_px: d.event for d in backward.detections}
    common = set(fwd) & set(bwd)
    assert len(common) >= len(fwd) // 2
    flip = {Event.APPEARED: Event.DISAPPEARED, Event.DISAPPEARED: Event.APPEARED}
    assert all(bwd[k] == flip[fwd[k]] for k in common)
    ship = _near(backward.detections, BASIN_SHIP, 40.0)
    assert [d.event for d in ship] == [Event.APPEARED]


def test_identical_dates_give_no_change() -> None:
    """Adapted for single-date objects: identical dates give only *persisted* events."""
    site = load_site("beirut-port")
    f = IMAGERY / "beirut-port_S2L1C_20150820.tif"
    scene = read_geotiff(f, window=site_window(site, raster_grid(f)))
    # the same pixels as another acquisition a day later (the same acquisition twice
    # is refused: test_the_same_acquisition_as_both_dates_is_refused)
    later = dataclasses.replace(scene, id="copy", datetime=scene.datetime + dt.timedelta(days=1))
    result = detect_pair(site, scene, later)
    # nothing changed: no appeared / disappeared / moved; the objects visible on the
    # (one) date are reported persisted, one each, and nothing else
    assert all(d.event is Event.PERSISTED for d in result.detections)
    on_date = sum(c[f"{scene.date}"] for c in result.zone_counts.values())
    assert len(result.detections) == on_date
    assert not result.change.mask.any()
    assert np.nanmax(result.change.magnitude) == 0.0


def test_the_same_acquisition_as_both_dates_is_refused() -> None:
    site = load_site("beirut-port")
    f = IMAGERY / "beirut-port_S2L1C_20150820.tif"
    scene = read_geotiff(f, window=site_window(site, raster_grid(f)))
    renamed = dataclasses.replace(scene, id="copy")  # same time: the same acquisition
    for other in (scene, renamed):
        with pytest.raises(InputError, match="same acquisition") as info:
            detect_pair(site, scene, other)
        assert scene.id in str(info.value) and "two different dates" in str(info.value)
