"""Single-date objects, matching and per-zone counts in the optical pipeline.

On the bundled Beirut pair (2015-08-20 vs 2017-10-03), checked by eye on the
true-colour and NIR chips:

* port, harbour basin: one vessel on 2015-08-20 (the ~90 m ship north-west of the east
  pier, 35.5204 E, 33.9055 N), none on 2017-10-03. The outer roads hold no vessel on
  either date. The quay 9-12 berths (traced along the east pier's west face to the
  quay) hold, on 2017-10-03, a ~180 m red-hulled ship moored hard against the pier
  (centre 35.5235 E, 33.9045 N, rows 68-84, columns 185-187), and on 2015-08-20 a
  smaller grey object sticking out from the quay in the middle of that berth (rows
  71-77, columns 185-187, centre 35.5234 E, 33.9047 N; NIR 0.10-0.14 against 0.03 for
  the water; about 70 m above the berth's water level; a vessel or a pontoon). A hull
  against a quay is no hole in the water mask, so the free-vessel detector misses both;
  the berth-hull detector (NIR brighter than the berth's water, elongated, vessel
  sized; :func:`basewatch.detect.single_date.berth_hulls`) finds each, so the berth counts 1 on
  each date. They match as one persisted object, which the change path's *appeared*
  (a larger, brighter hull) overrides: no extra event (``tests/test_berths.py``). The
  berth's south-east part is traced to the water's edge along the south quay, so the
  quay's bright cargo (2015) is no hull. Before the berth was retraced the ship lay on
  the basin zone's edge, which is why the basin's 2017 count was 0 or 1; it is now 0;
* airport, terminal apron: one airliner on 2015-08-20 (the white one at the eastern
  stand, 35.4954 E, 33.8247 N: a ~5 pixel streak, bright in every band) and none on
  2017-10-03. The rest is vehicles and small roofs of 1-3 pixels: in the car park in
  the west of the polygon on 2015-08-20 (35.4910 E, 33.8244 N and 35.4916 E, 33.8236 N)
  and a moving vehicle on the taxi lane west of it on 2017-10-03 (35.4900 E,
  33.8244 N), dimmer than an aircraft in at least one band, so not counted (see
  tests/test_aircraft_apron.py). The runways hold no aircraft on either date (a bright
  pavement mark on Runway 03/21, 35.4890 E, 33.8094 N, is not counted either). No
  aircraft is visibly parked at the same stand on both dates, so *persisted* aircraft
  are tested by implanting one bright airliner-sized object at the same apron stand on
  both real dates (and a moved one at two stands), not on a real aircraft.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

from basewatch.aoi import load_site, zone_index
from basewatch.detect.components import ObjectParams
from basewatch.detect.events import Observation
from basewatch.detect.single_date import date_observations
from basewatch.imagery.local import raster_grid, read_geotiff, site_window
from basewatch.outputs.run import write_run
from basewatch.pipeline import PairResult, detect_pair
from basewatch.records import Event, ObjectClass, Scene

IMAGERY = Path(__file__).resolve().parents[1] / "imagery"
GEOD = Geod(ellps="WGS84")
DATES = ("2015-08-20", "2017-10-03")
AIRLINER = (35.49542, 33.82470)
BASIN_SHIP = (35.52043, 33.90548)
BERTH = "Quay 9-12 berths (east pier)"
MOORED_SHIP = (35.52345, 33.90453)  # 2017-10-03, ~180 m, red hull against the east pier
BERTH_OBJECT = (35.52344, 33.90471)  # 2015-08-20, ~70 m grey object off the same quay
STAND = (132, 185)  # open concrete of the terminal apron's southern taxi lane (row, col)


def _scenes(site_name: str) -> tuple[Scene, Scene]:
    site = load_site(site_name)
    files = [IMAGERY / f"{site_name}_S2L1C_{d.replace('-', '')}.tif" for d in DATES]
    window = site_window(site, raster_grid(files[0]))
    before, after = (read_geotiff(f, window=window) for f in files)
    return before, after


def _with(scene: Scene, **changes: object) -> Scene:
    return type(scene)(**{**scene.__dict__, **changes})


def _implant(scene: Scene, ref: Scene, at: tuple[int, int]) -> Scene:
    """A white airliner-sized cross (about 50 m x 40 m) at ``at``, with the same
    absolute values whichever date it is put on (1.6 x the apron around ``at`` on
    ``ref``)."""
    r, c = at
    data = scene.data.copy()
    local = ref.data[:, r - 6 : r + 7, c - 6 : c + 7].mean(axis=(1, 2))
    value = (1.6 * local).astype(np.float32)[:, None]
    rows = np.array([r - 2, r - 1, r, r + 1, r + 2, r, r, r, r, r - 1, r - 1, r + 1, r + 1])
    cols = np.array([c, c, c, c, c, c - 2, c - 1, c + 1, c + 2, c - 1, c + 1, c - 1, c + 1])
    data[:, rows, cols] = value
    return _with(scene, data=data)


@pytest.fixture(scope="module")
def port() -> PairResult:
    return detect_pair(load_site("beirut-port"), *_scenes("beirut-port"))


@pytest.fixture(scope="module")
def airport() -> PairResult:
    return detect_pair(load_site("beirut-airport"), *_scenes("beirut-airport"))


@pytest.fixture(scope="module")
def parked() -> PairResult:
    before, after = _scenes("beirut-airport")
    return detect_pair(
        load_site("beirut-airport"),
        _implant(before, before, STAND),
        _implant(after, before, STAND),
    )


def _near(result: PairResult, lonlat: tuple[float, float], metres: float) -> list[Event]:
    return [d.event for d in result.detections if GEOD.inv(d.lon, d.lat, *lonlat)[2] <= metres]


def test_port_counts_per_zone_and_date(port: PairResult) -> None:
    # as seen by eye: the free ship in the basin (2015), empty roads, and in the berth
    # the grey object off the quay (2015) and the moored red-hulled ship (2017)
    counts = port.zone_counts
    assert set(counts) == {z.name for z in port.zones}
    assert all(set(c) == set(DATES) for c in counts.values())
    assert counts["Harbour basin"] == {DATES[0]: 1, DATES[1]: 0}
    assert counts["Outer roads (north of the breakwater)"] == {DATES[0]: 0, DATES[1]: 0}
    assert counts[BERTH] == {DATES[0]: 1, DATES[1]: 1}
    # the ship seen on one date only is still one disappeared event, not two
    assert _near(port, BASIN_SHIP, 40.0) == [Event.DISAPPEARED]


def _berth_objects(scene: Scene, *, params: ObjectParams | None = None) -> list[Observation]:
    zidx, zones = zone_index(load_site("beirut-port"), scene.grid)
    obs = date_observations(
        scene.data.mean(axis=0),
        green=scene.band("B03"),
        nir=scene.band("B08"),
        grid=scene.grid,
        zone_idx=zidx,
        zones=zones,
        valid=np.isfinite(scene.data).all(axis=0),
        scene=scene.id,
        date=scene.date,
        params=params or ObjectParams(),
    )
    return [o for o in obs if o.zone == BERTH]


def test_moored_hulls_in_the_berth_are_the_objects_seen_by_eye() -> None:
    before, after = _scenes("beirut-port")
    # 2015-08-20: the grey object sticking out from the east pier (vessel or pontoon)
    grey = _berth_objects(before)
    assert len(grey) == 1
    g = grey[0]
    assert g.object_class is ObjectClass.VESSEL and g.zone_kind == "berth"
    assert GEOD.inv(g.lon, g.lat, *BERTH_OBJECT)[2] <= 20.0
    assert 50.0 <= g.length_m <= 100.0  # ~70 m above the water level, ~90 m by eye
    assert g.bbox_px[1] >= 184  # against the east pier's face
    # 2017-10-03: the red-hulled ship moored along the east pier
    ship = _berth_objects(after)
    assert len(ship) == 1
    s = ship[0]
    assert s.object_class is ObjectClass.VESSEL
    assert GEOD.inv(s.lon, s.lat, *MOORED_SHIP)[2] <= 20.0
    assert 150.0 <= s.length_m <= 210.0 and s.width_m <= 40.0  # ~180 m by eye
    assert s.orientation_deg >= 165.0 or s.orientation_deg <= 15.0  # along the N-S quay
    assert s.confidence > g.confidence  # a clear hull against an uncertain one
    # without the berth-hull test neither is found: no hole in the water mask
    off = ObjectParams(berth_hulls=False)
    assert _berth_objects(before, params=off) == [] and _berth_objects(after, params=off) == []


def test_berth_hulls_add_no_persisted_or_moved_vessel(port: PairResult) -> None:
    # both dates' berth objects match as one persisted object; the change path's
    # appeared hull touches it, so the match is dropped (merge_object_events); the
    # co-registered pair, as the CLI runs it, is checked in tests/test_berths.py
    assert not [
        d
        for d in port.detections
        if d.object_class is ObjectClass.VESSEL and d.event in (Event.PERSISTED, Event.MOVED)
    ]


def test_airport_counts_per_zone_and_date(airport: PairResult) -> None:
    # by eye: the white airliner at the eastern stand on 2015-08-20, no aircraft on
    # 2017-10-03; car-park vehicles and roofs and the runway mark are not aircraft
    counts = airport.zone_counts
    assert counts["Terminal apron"] == {DATES[0]: 1, DATES[1]: 0}
    for name, c in counts.items():
        if name.startswith("Runway"):  # nothing parks on a runway
            assert c == {DATES[0]: 0, DATES[1]: 0}, (name, c)
    assert _near(airport, AIRLINER, 30.0) == [Event.DISAPPEARED]


def test_aircraft_at_the_same_stand_on_both_dates_persisted(
    parked: PairResult, airport: PairResult
) -> None:
    xs, ys = parked.before.grid.xy(np.array([STAND[0] + 0.5]), np.array([STAND[1] + 0.5]))
    lon, lat = parked.before.grid.to_lonlat(xs, ys)
    here = [
        d
        for d in parked.detections
        if GEOD.inv(d.lon, d.lat, float(lon[0]), float(lat[0]))[2] <= 30.0
    ]
    assert len(here) == 1, here
    d = here[0]
    assert d.object_class is ObjectClass.AIRCRAFT
    assert d.event is Event.PERSISTED
    assert d.zone == "Terminal apron"
    assert 30.0 <= d.length_m <= 75.0
    # one more aircraft on the apron on each date, nothing else changes
    for date in DATES:
        assert (
            parked.zone_counts["Terminal apron"][date]
            == airport.zone_counts["Terminal apron"][date] + 1
        )
    assert _near(parked, AIRLINER, 30.0) == [Event.DISAPPEARED]


def test_aircraft_moved_between_stands_is_one_event() -> None:
    before, after = _scenes("beirut-airport")
    other = (STAND[0], STAND[1] + 10)  # about 90 m east along the taxi lane
    result = detect_pair(
        load_site("beirut-airport"), _implant(before, before, STAND), _implant(after, before, other)
    )
    moved = [d for d in result.detections if d.event is Event.MOVED]
    assert len(moved) == 1
    assert moved[0].object_class is ObjectClass.AIRCRAFT
    # the change path's disappeared/appeared pair at the two stands is folded into it
    r0, c0, r1, c1 = moved[0].bbox_px
    for d in result.detections:
        if d.event in (Event.APPEARED, Event.DISAPPEARED):
            a = d.bbox_px
            assert not (a[0] <= STAND[0] < a[2] and a[1] <= STAND[1] < a[3])
            assert not (a[0] <= other[0] < a[2] and a[1] <= other[1] < a[3])
    assert r0 <= other[0] < r1 and c0 <= other[1] < c1


def test_swapping_dates_keeps_persisted_persisted() -> None:
    before, after = _scenes("beirut-airport")
    b, a = _implant(before, before, STAND), _implant(after, before, STAND)
    site = load_site("beirut-airport")
    forward = detect_pair(site, b, a)
    backward = detect_pair(site, _with(a, datetime=b.datetime), _with(b, datetime=a.datetime))
    key = lambda d: (d.object_class, d.zone, round(d.lon, 4), round(d.lat, 4))  # noqa: E731
    fwd = {key(d) for d in forward.detections if d.event is Event.PERSISTED}
    bwd = {key(d) for d in backward.detections if d.event is Event.PERSISTED}
    assert fwd and fwd == bwd
    flip = {Event.APPEARED: Event.DISAPPEARED, Event.DISAPPEARED: Event.APPEARED}
    fc = forward.counts()
    bc = backward.counts()
    for k, n in fc.items():
        cls, ev = k.split(":")
        e = Event(ev)
        assert bc.get(f"{cls}:{flip.get(e, e).value}", 0) == n, k


def test_identical_dates_all_objects_persisted(port: PairResult) -> None:
    site = load_site("beirut-airport")
    scene, _ = _scenes("beirut-airport")
    scene = _implant(scene, scene, STAND)
    # the same pixels as another acquisition a day later (one acquisition given twice
    # is refused)
    later = _with(scene, id="copy", datetime=scene.datetime + dt.timedelta(days=1))
    result = detect_pair(site, scene, later)
    assert all(d.event is Event.PERSISTED for d in result.detections)
    assert (
        len(result.detections) == sum(c[DATES[0]] for c in result.zone_counts.values())
        and len(result.detections) >= 2
    )


def test_zone_counts_written_to_run_json(port: PairResult, tmp_path: Path) -> None:
    paths = write_run(port, tmp_path, png=False)
    record = json.loads(paths["run"].read_text())
    assert record["parameters"]["zone_counts"]["Harbour basin"][DATES[0]] == 1
    objects = record["parameters"]["objects"]
    assert objects["date_objects"] is True and "aircraft_pfa" in objects
    assert "match" in record["parameters"]["change"]
    # the single-date vessel detector's parameters are recorded too
    vessels = record["parameters"]["change"]["vessels"]
    assert vessels["min_water_ring"] == 0.25 and vessels["min_fill"] == 0.35
    # counts say whether they are whole (harbour and berth counts are lower bounds)
    coverage = record["parameters"]["zone_coverage"]
    assert coverage["Harbour basin"]["count"] == "lower bound"
    assert "moored" in coverage["Quay 9-12 berths (east pier)"]["not_counted"]
    assert coverage["Outer roads (north of the breakwater)"]["count"] == "complete"


def test_a_pair_not_coregistered_is_flagged(port: PairResult) -> None:
    from basewatch.imagery.coreg import coregister

    assert any("not co-registered" in w for w in port.warnings)
    before, after = port.before, port.after
    aligned = detect_pair(port.site, before, coregister(before, after))
    assert not any("co-registered" in w for w in aligned.warnings)


def test_records_rewritten_by_the_merge_equal_dataclasses_replace(port: PairResult) -> None:
    """confirm_aircraft and merge_object_events rewrite records from their own fields
    (fast on tile-sized pairs): the same as ``dataclasses.replace``, every field."""
    import dataclasses

    from basewatch.records import replaced

    assert all(f.init for f in dataclasses.fields(port.detections[0]))
    for d in port.detections[:20]:
        changes = {"object_class": ObjectClass.OTHER, "notes": (*d.notes, "checked")}
        got = replaced(d, **changes)
        assert got == dataclasses.replace(d, **changes)
        assert got.notes[-1] == "checked" and got.id == d.id and got is not d
