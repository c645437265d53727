"""Sentinel-1 vessels and vessel events at Latakia port (real scenes, tests only).

Weak labels: the source's own per-scene vessel lists. Figures measured by
``benchmarks/sar_eval.py``: inside the source's surveyed area, 13 of our 19 vessels
(0.68) are in its lists; the lists hold many more (77 over four dates), most of them
bright points on the breakwater and quays that we do not call vessels (12 of 77
confirmed, 0.16).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pyproj import Geod

from basewatch.records import Event

REPO = Path(__file__).resolve().parents[1]
GEOD = Geod(ellps="WGS84")
# a ship of about 165-205 m at anchor 2 km west of the port entrance: in the source's
# 2024-12-06 list (206 m, 35.73144 E, 35.52948 N), absent on 11-23 and 12-18
ANCHOR_WEST = (35.7315, 35.5295)
# a ship at anchor 800 m off the port, present on all four dates
ANCHOR_NEAR = (35.7592, 35.5288)


@pytest.fixture(scope="module")
def sar(shared_data: Path) -> dict[str, Any]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import sar_eval

    return sar_eval.evaluate(root=shared_data / "s1_latakia_port_2024")  # type: ignore[no-any-return]


def _near(events: list[Any], lonlat: tuple[float, float], metres: float) -> list[Any]:
    return [e for e in events if GEOD.inv(e.where.lon, e.where.lat, *lonlat)[2] <= metres]


def test_our_vessels_agree_with_the_source_lists(sar: dict[str, Any]) -> None:
    dates = sar["dates"]
    ours = sum(d["ours"] for d in dates.values())
    matched = sum(d["matched"] for d in dates.values())
    assert ours >= 12
    assert matched / ours >= 0.6  # measured 0.68
    assert all(d["matched"] >= 2 for d in dates.values())


def test_events_of_the_descending_pair(sar: dict[str, Any]) -> None:
    ev = sar["pairs"]["20241206 vs 20241218"]["events"]
    west = _near(ev, ANCHOR_WEST, 200.0)
    assert [e.event for e in west] == [Event.DISAPPEARED]
    assert 120.0 <= west[0].before.length_m <= 260.0
    near = _near(ev, ANCHOR_NEAR, 200.0)
    assert [e.event for e in near] == [Event.PERSISTED]


def test_events_of_the_ascending_pair(sar: dict[str, Any]) -> None:
    ev = sar["pairs"]["20241123 vs 20241205"]["events"]
    assert [e.event for e in _near(ev, ANCHOR_WEST, 200.0)] == [Event.APPEARED]
    assert [e.event for e in _near(ev, ANCHOR_NEAR, 200.0)] == [Event.PERSISTED]


def test_no_detection_on_land_or_nodata(shared_data: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import sar_eval
    from basewatch.vessels import detect_vessels_sar, sar_params

    db, grid, _ = sar_eval.load_date("20241206T034315", shared_data / "s1_latakia_port_2024")
    res = detect_vessels_sar(db, pixel_size_m=grid.pixel_size_m, params=sar_params())
    assert not (res.labels[np.isnan(db)] > 0).any()


def _latakia_site() -> Any:
    from basewatch.aoi import parse_site

    def box(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        return {"type": "Polygon", "coordinates": [ring]}

    props = {"source": "test: box around the anchorage", "licence": "CC0"}
    doc = {
        "type": "FeatureCollection",
        "basewatch": {"site": "latakia-anchorage", "title": "Latakia port anchorage"},
        "features": [
            {
                "type": "Feature",
                "properties": {**props, "kind": "outline", "name": "outline"},
                "geometry": box(35.70, 35.49, 35.80, 35.58),
            },
            {
                "type": "Feature",
                "properties": {**props, "kind": "approach", "name": "anchorage"},
                "geometry": box(35.71, 35.50, 35.79, 35.57),
            },
        ],
    }
    return parse_site(doc)


def test_pipeline_sar_pair_gives_vessel_events(shared_data: Path, tmp_path: Path) -> None:
    """``detect_pair`` on two S1 scenes: log-ratio change map, vessel events by matching."""
    import datetime as dt

    sys.path.insert(0, str(REPO / "benchmarks"))
    import sar_eval
    from basewatch.pipeline import detect_pair, write_run
    from basewatch.records import ObjectClass, Scene

    scenes = []
    for stamp in ("20241206T034315", "20241218T034314"):
        db, grid, _ = sar_eval.load_date(stamp, shared_data / "s1_latakia_port_2024")
        when = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)
        lin = np.power(10.0, db / 10.0).astype(np.float32)
        scenes.append(
            Scene(
                id=stamp,
                sensor="S1",
                datetime=when,
                bands=("VV",),
                data=lin[None],
                valid=np.isfinite(lin),
                grid=grid,
                source=stamp,
            )
        )
    result = detect_pair(_latakia_site(), *scenes)
    assert result.change.method == "log-ratio"
    dets = result.detections
    assert all(d.object_class is ObjectClass.VESSEL and d.zone == "anchorage" for d in dets)

    def near(lonlat: tuple[float, float]) -> list[Any]:
        return [d for d in dets if GEOD.inv(d.lon, d.lat, *lonlat)[2] <= 200.0]

    assert [d.event for d in near(ANCHOR_WEST)] == [Event.DISAPPEARED]
    assert [d.event for d in near(ANCHOR_NEAR)] == [Event.PERSISTED]
    paths = write_run(result, tmp_path / "run")
    assert paths["run"].is_file() and paths["png"].stat().st_size > 10_000
    record = json.loads(paths["run"].read_text())
    assert record["parameters"]["change"]["threshold_method"] == "ki"
    assert record["parameters"]["change"]["vessels"]["pfa"] == pytest.approx(1e-6)
    assert record["parameters"]["change"]["match"]["max_distance_m"] > 0
    assert record["counts"].get("vessel:persisted", 0) >= 1


def test_timeline_over_four_dates(shared_data: Path) -> None:
    """One track per vessel across 11-23, 12-05, 12-06, 12-18 and counts per date."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import sar_eval
    from basewatch.events import timeline, zone_counts

    root = shared_data / "s1_latakia_port_2024"
    stamps = ["20241123T154150", "20241205T154149", "20241206T034315", "20241218T034314"]
    obs = [sar_eval.our_observations(s, root)[0] for s in stamps]
    tracks = timeline(obs)

    def track_at(lonlat: tuple[float, float]) -> Any:
        found = [
            t
            for t in tracks
            if any(m is not None and GEOD.inv(m.lon, m.lat, *lonlat)[2] <= 200.0 for m in t.members)
        ]
        assert len(found) == 1, found
        return found[0]

    assert track_at(ANCHOR_NEAR).present() == (True, True, True, True)
    west = track_at(ANCHOR_WEST)
    assert west.present() == (False, True, True, False)
    assert west.events() == (Event.APPEARED, Event.PERSISTED, Event.DISAPPEARED)
    counts = zone_counts(obs)["-"]
    assert len(counts) == 4 and all(c >= 3 for c in counts)
