"""Single-date aircraft on the Beirut airport sample: what the band-contrast test rejects.

Checked by eye on true-colour and per-band crops of the bundled pair (10 m pixels):

* kept, 2015-08-20: the white airliner at the eastern stand of the terminal apron
  (35.4954 E, 33.8247 N), a streak of about 5 pixels (NW-SE) with a faint cross arm,
  bright in every band (weakest of mean / green / NIR: +0.39 over its ring);
* rejected, 2015-08-20: two blobs in the car park in the west of the apron polygon, a
  white-blue vehicle or roof (35.4910 E, 33.8244 N) and a beige roof (35.4916 E,
  33.8236 N), 3 pixels each, weakest band +0.25 and +0.21; and a bright pavement mark
  on Runway 03/21 where the taxiway joins it (35.4890 E, 33.8094 N), there on both
  dates, weakest band +0.23;
* rejected, 2017-10-03: a vehicle of 1-2 pixels on the taxi lane west of the car park
  (35.4900 E, 33.8244 N), with the colour fringes of a moving object (its bands do not
  overlap), weakest band +0.21.

No aircraft is on the apron on 2017-10-03. Before ``aircraft_min_band_contrast`` these
four blobs were counted as aircraft (apron 3 and 1, Runway 03/21 1 and 0).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pyproj import Geod

from basewatch.aoi import load_site, outline_mask, zone_index
from basewatch.detect.components import ObjectParams
from basewatch.detect.events import Observation
from basewatch.detect.single_date import date_observations
from basewatch.errors import InputError
from basewatch.imagery.local import raster_grid, read_geotiff, site_window
from basewatch.records import Event, ObjectClass, Scene

IMAGERY = Path(__file__).resolve().parents[1] / "imagery"
GEOD = Geod(ellps="WGS84")
AIRLINER = (35.49544, 33.82470)
CAR_PARK_BLOBS = ((35.49103, 33.82438), (35.49155, 33.82361))
RUNWAY_MARK = (35.48898, 33.80937)
TAXI_LANE_VEHICLE = (35.48997, 33.82441)
STAND = (132, 185)  # open concrete of the apron's southern taxi lane (row, col)
OFF = -1.0  # no band test (the old rule): contrast is never below -1


@pytest.fixture(scope="module")
def scenes() -> tuple[Scene, Scene]:
    site = load_site("beirut-airport")
    files = [IMAGERY / f"beirut-airport_S2L1C_{d}.tif" for d in ("20150820", "20171003")]
    window = site_window(site, raster_grid(files[0]))
    before, after = (read_geotiff(f, window=window) for f in files)
    return before, after


def _observe(scene: Scene, ref: Scene, **params: Any) -> list[Observation]:
    site = load_site("beirut-airport")
    zidx, zones = zone_index(site, scene.grid)
    return [
        o
        for o in date_observations(
            scene.data.mean(axis=0),
            green=scene.band("B03"),
            nir=scene.band("B08"),
            grid=scene.grid,
            zone_idx=zidx,
            zones=zones,
            valid=scene.valid & ref.valid & outline_mask(site, scene.grid),
            scene=scene.id,
            date=scene.date,
            params=replace(ObjectParams(), **params),
        )
        if o.object_class is ObjectClass.AIRCRAFT
    ]


def _at(obs: list[Observation], lonlat: tuple[float, float], metres: float = 25.0) -> Observation:
    near = [o for o in obs if GEOD.inv(o.lon, o.lat, *lonlat)[2] <= metres]
    assert len(near) == 1, (lonlat, obs)
    return near[0]


def test_only_the_airliner_is_an_aircraft(scenes: tuple[Scene, Scene]) -> None:
    before, after = scenes
    first = _observe(before, after)
    assert len(first) == 1
    airliner = _at(first, AIRLINER)
    assert airliner.zone == "Terminal apron"
    assert _observe(after, before) == []


def test_the_rejected_blobs_are_small_or_persistent(scenes: tuple[Scene, Scene]) -> None:
    """Without the band test (the old rule) the four blobs come back, and they are what
    the module docstring says: vehicle-sized blobs in the car park and on the taxi lane,
    and a mark on the runway that is there on both dates."""
    before, after = scenes
    old = [_observe(before, after, aircraft_min_band_contrast=OFF)]
    old.append(_observe(after, before, aircraft_min_band_contrast=OFF))
    assert len(old[0]) == 4 and len(old[1]) == 1
    _at(old[0], AIRLINER)
    for lonlat in CAR_PARK_BLOBS:
        blob = _at(old[0], lonlat)
        assert blob.zone == "Terminal apron"
        assert blob.area_px <= 3 and blob.length_m <= 35.0
    vehicle = _at(old[1], TAXI_LANE_VEHICLE)
    assert vehicle.area_px <= 4 and vehicle.length_m <= 35.0
    mark = _at(old[0], RUNWAY_MARK)
    assert mark.zone == "Runway 03/21"
    # paint, not a parked aircraft: still brighter than the pavement around it in 2017
    r0, c0, r1, c1 = mark.bbox_px
    b = after.data.mean(axis=0)
    inside = float(b[r0:r1, c0:c1].mean())
    around = b[r0 - 3 : r1 + 3, c0 - 3 : c1 + 3].copy()
    around[3:-3, 3:-3] = np.nan
    assert inside > 1.1 * float(np.nanmean(around))


def _implant(scene: Scene, at: tuple[int, int], gain: np.ndarray) -> Scene:
    """An airliner-sized cross (about 50 m x 40 m) at ``at``, each band ``gain`` times
    the apron around it."""
    r, c = at
    data = scene.data.copy()
    local = scene.data[:, r - 6 : r + 7, c - 6 : c + 7].mean(axis=(1, 2))
    value = (gain * local).astype(np.float32)[:, None]
    rows = np.array([r - 2, r - 1, r, r + 1, r + 2, r, r, r, r, r - 1, r - 1, r + 1, r + 1])
    cols = np.array([c, c, c, c, c, c - 2, c - 1, c + 1, c + 2, c - 1, c + 1, c - 1, c + 1])
    data[:, rows, cols] = value
    return type(scene)(**{**scene.__dict__, "data": data})


def test_white_cross_kept_and_red_cross_rejected(scenes: tuple[Scene, Scene]) -> None:
    """The same airliner-sized cross on the 2017 apron: white (1.6 x the apron in every
    band) is an aircraft; red (2.8 x in B04 only, as bright on the mean of the bands)
    is bright in one band only, like a coloured roof, and is not."""
    before, after = scenes
    bands = list(after.bands)
    white = np.full(len(bands), 1.6, np.float32)
    red = np.ones(len(bands), np.float32)
    red[bands.index("B04")] = 2.8
    xs, ys = after.grid.xy(np.array([STAND[0] + 0.5]), np.array([STAND[1] + 0.5]))
    lon, lat = after.grid.to_lonlat(xs, ys)
    stand = (float(lon[0]), float(lat[0]))
    found = _at(_observe(_implant(after, STAND, white), before), stand, 30.0)
    assert found.zone == "Terminal apron" and 30.0 <= found.length_m <= 75.0
    assert _observe(_implant(after, STAND, red), before) == []
    # the red cross is found when only the mean of the bands is tested (the old rule)
    _at(_observe(_implant(after, STAND, red), before, aircraft_min_band_contrast=OFF), stand, 30)


def test_change_path_aircraft_are_those_seen_on_their_date(scenes: tuple[Scene, Scene]) -> None:
    """The change path alone calls 6 apron/runway changes aircraft *disappeared* and 1
    *appeared* (car-park vehicles and roofs coming and going, checked by eye); with the
    single-date cross-check only the airliner at the eastern stand stays an aircraft.
    The white-blue car-park blob (35.4911 E, 33.8244 N) is still reported, as *other*,
    with the reason."""
    from basewatch.pipeline import detect_pair

    site = load_site("beirut-airport")
    res = detect_pair(site, *scenes)
    aircraft = [d for d in res.detections if d.object_class is ObjectClass.AIRCRAFT]
    assert [d.event.value for d in aircraft] == ["disappeared"]
    assert GEOD.inv(aircraft[0].lon, aircraft[0].lat, *AIRLINER)[2] < 60.0
    car_park = [d for d in res.detections if GEOD.inv(d.lon, d.lat, *CAR_PARK_BLOBS[0])[2] < 40.0]
    assert car_park and all(d.object_class is ObjectClass.OTHER for d in car_park)
    assert any("no aircraft found here on 2015-08-20" in n for d in car_park for n in d.notes)
    # without the cross-check (no single-date objects) the car park counts as aircraft
    raw = detect_pair(site, *scenes, object_params=ObjectParams(date_objects=False))
    assert sum(d.object_class is ObjectClass.AIRCRAFT for d in raw.detections) > 1


def test_a_median_background_keeps_the_beirut_apron_as_it_is(scenes: tuple[Scene, Scene]) -> None:
    """The robust background (``ObjectParams.aircraft_background="median"``, for crowded
    aprons) gives this sparse apron the same events, the airliner that left the terminal
    apron included, and the same counts per zone and date."""
    from basewatch.pipeline import detect_pair

    site = load_site("beirut-airport")
    mean = detect_pair(site, *scenes)
    median = detect_pair(site, *scenes, object_params=ObjectParams(aircraft_background="median"))
    assert [(d.id, d.object_class, d.event) for d in median.detections] == [
        (d.id, d.object_class, d.event) for d in mean.detections
    ]
    aircraft = [d for d in median.detections if d.object_class == ObjectClass.AIRCRAFT]
    assert [(d.event, d.zone) for d in aircraft] == [(Event.DISAPPEARED, "Terminal apron")]
    assert median.zone_counts == mean.zone_counts


def test_object_params_name_the_background_statistics_they_know() -> None:
    with pytest.raises(InputError, match="aircraft_background is 'trimmed'"):
        ObjectParams(aircraft_background="trimmed")
