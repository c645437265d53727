"""Ships at berths on the real Beirut port pair, with the dates co-registered.

``basewatch detect`` and ``basewatch demo`` shift the later date onto the earlier one
before differencing (about 0.4 px in x on this pair), so these tests run the pair the
way the CLI does (:func:`basewatch.imagery.local.read_local_pair`). Checked by eye on
true-colour and NIR (B08) crops of both dates, 20x enlarged:

* a red-hulled ship of about 180 m x 25 m lies against the west face of the east pier
  on 2017-10-03 (rows 67-84, columns 185-188 of the bundled grid; centre 35.5235 E,
  33.9045 N; its north end, 35.5233 E, 33.9051 N, was open water on 2015-08-20). On
  2015-08-20 the middle of that berth held a smaller grey object (about 90 m, NIR
  0.10-0.14 against 0.03 for water), so the change is a larger, brighter hull there:
  vessel *appeared*, in the berth zone. Before the berth polygon was traced to the
  quay face the harbour's edge ran two pixels short of it: co-registered, the part
  of the hull inside the zone was too thin to survive the opening and the ship was
  lost;
* 35.5109 E, 33.9016 N and 35.5087 E, 33.9004 N: water along quays, water on both
  dates, a little brighter in 2017 (turbidity or glint), no hull: never a vessel;
* the ~90 m ship free in the basin on 2015-08-20 (35.5204 E, 33.9055 N), gone in 2017:
  vessel *disappeared*.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import Point, box

from basewatch.aoi import Zone, load_site
from basewatch.detect.changed import extract_detections
from basewatch.grid import Grid
from basewatch.imagery.local import read_local_pair
from basewatch.pipeline import PairResult, detect_pair
from basewatch.records import ChangeMap, Detection, Event, ObjectClass

IMAGERY = Path(__file__).resolve().parents[1] / "imagery"
GEOD = Geod(ellps="WGS84")
MOORED_SHIP = (35.5235, 33.9045)  # centre of the hull moored against the east pier, 2017
MOORED_BOW = (35.5233, 33.9051)  # its north end: open water in 2015
QUAY_WATER = ((35.51091, 33.90161), (35.50873, 33.90042))
BASIN_SHIP = (35.52043, 33.90548)


@pytest.fixture(scope="module")
def port() -> PairResult:
    return detect_pair(
        load_site("beirut-port"),
        *read_local_pair(
            "beirut-port",
            IMAGERY / "beirut-port_S2L1C_20150820.tif",
            IMAGERY / "beirut-port_S2L1C_20171003.tif",
        ),
    )


def _near(
    dets: tuple[Detection, ...], lonlat: tuple[float, float], metres: float
) -> list[Detection]:
    return [d for d in dets if GEOD.inv(d.lon, d.lat, *lonlat)[2] <= metres]


def test_the_pair_is_co_registered_as_the_cli_does(port: PairResult) -> None:
    info = port.after.metadata["coregistration"]
    assert info["applied"] is True
    assert abs(info["measured_dx_px"]) > 0.2


def test_ship_moored_against_the_east_pier_appeared(port: PairResult) -> None:
    found = _near(port.detections, MOORED_SHIP, 30.0)
    assert len(found) == 1, found
    d = found[0]
    assert d.object_class is ObjectClass.VESSEL
    assert d.event is Event.APPEARED
    assert d.zone == "Quay 9-12 berths (east pier)" and d.zone_kind == "berth"
    assert 120.0 <= d.length_m <= 230.0  # about 180 m by eye
    assert d.width_m <= 40.0
    assert d.orientation_deg >= 150.0 or d.orientation_deg <= 30.0  # along the N-S quay
    assert d.detectable
    # its footprint covers the bow position named in the issue
    lons = [p[0] for p in d.footprint]
    lats = [p[1] for p in d.footprint]
    assert min(lons) <= MOORED_BOW[0] <= max(lons) and min(lats) <= MOORED_BOW[1] <= max(lats)
    # independent check on the raw pixels: a hull (bright NIR) in 2017, not in 2015
    r0, c0, r1, c1 = d.bbox_px
    nir = port.before.bands.index("B08")
    b = float(port.before.data[nir, r0:r1, c0:c1].mean())
    a = float(port.after.data[nir, r0:r1, c0:c1].mean())
    assert a > 1.5 * b


def test_the_berth_reaches_the_quay_face(port: PairResult) -> None:
    """Every pixel of the moored hull lies in a water zone: the zone is not cut short."""
    d = _near(port.detections, MOORED_SHIP, 30.0)[0]
    r0, c0, r1, c1 = d.bbox_px
    kinds = {port.zones[i].kind for i in np.unique(port.zone_idx[r0:r1, c0:c1]) if i >= 0}
    assert kinds == {"berth"}
    assert (port.zone_idx[r0:r1, c0:c1] >= 0).all()
    berth = next(z for z in load_site("beirut-port").zones if z.kind == "berth")
    assert berth.geometry.contains(Point(*MOORED_SHIP))
    assert berth.geometry.contains(Point(*MOORED_BOW))


def test_quay_side_water_changes_are_not_vessels(port: PairResult) -> None:
    for lonlat in QUAY_WATER:
        found = _near(port.detections, lonlat, 30.0)
        assert all(d.object_class is ObjectClass.OTHER for d in found), found


def test_basin_ship_still_disappeared(port: PairResult) -> None:
    found = _near(port.detections, BASIN_SHIP, 40.0)
    assert [(d.object_class, d.event) for d in found] == [(ObjectClass.VESSEL, Event.DISAPPEARED)]
    assert 50.0 <= found[0].length_m <= 150.0


def test_vessel_events_on_the_pair_are_the_two_ships(port: PairResult) -> None:
    vessels = sorted(
        (d.event, d.zone_kind) for d in port.detections if d.object_class is ObjectClass.VESSEL
    )
    assert vessels == [(Event.APPEARED, "berth"), (Event.DISAPPEARED, "harbour")]


def test_berth_hulls_on_both_dates_add_no_persisted_or_moved_ship(port: PairResult) -> None:
    """The berth-hull detector sees the grey object off the pier on 2015-08-20 and the
    moored ship on 2017-10-03 (one per date in the berth's counts); matched, they would
    be one persisted vessel, but the change path's *appeared* hull covers them, so the
    berth holds that one event only (:func:`basewatch.detect.merge.merge_object_events`)."""
    berth = "Quay 9-12 berths (east pier)"
    assert port.zone_counts[berth] == {"2015-08-20": 1, "2017-10-03": 1}
    at_berth = [(d.object_class, d.event) for d in port.detections if d.zone == berth]
    assert at_berth == [(ObjectClass.VESSEL, Event.APPEARED)]


def test_change_components_never_span_an_apron_and_the_water() -> None:
    """A changed bar lying half on an apron, half in a harbour is two components,
    each classed by its own zone, not one classed by whichever holds more pixels."""
    grid = Grid("EPSG:32636", (10.0, 0.0, 300000.0, 0.0, -10.0, 3900000.0), 40, 40)
    zones = (
        Zone("Apron", "apron", box(0, 0, 1, 1), "test", "CC0-1.0"),
        Zone("Harbour", "harbour", box(1, 0, 2, 1), "test", "CC0-1.0"),
    )
    zidx = np.zeros((40, 40), dtype=np.int16)
    zidx[:, 20:] = 1
    mask = np.zeros((40, 40), dtype=bool)
    mask[18:22, 12:30] = True  # 8 columns on the apron, 10 on the water
    change = ChangeMap(
        magnitude=np.where(mask, 1.0, 0.01).astype(np.float32),
        signed=np.where(mask, 1.0, 0.0).astype(np.float32),
        mask=mask,
        valid=np.ones((40, 40), dtype=bool),
        threshold=0.5,
        method="test",
    )
    dets = extract_detections(
        change,
        grid=grid,
        zone_idx=zidx,
        zones=zones,
        site="test",
        before=("a", dt.date(2020, 1, 1)),
        after=("b", dt.date(2020, 2, 1)),
    )
    assert sorted((d.zone, d.area_px) for d in dets) == [("Apron", 32), ("Harbour", 40)]
