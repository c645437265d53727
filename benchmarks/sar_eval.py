"""SAR vessel events at Latakia port against the source's own vessel lists (weak labels).

Sentinel-1 VV (approximate dB, NaN on land) in ``../shared/data/s1_latakia_port_2024/``,
two same-track pairs: 2024-12-06 vs 2024-12-18 (descending) and 2024-11-23 vs
2024-12-05 (ascending). Per date, basewatch's CFAR vessels are compared with the
source's vessel list (a listed vessel is *confirmed* when one of ours lies within
``--radius`` metres). Per pair, events (appeared/disappeared/persisted/moved) from
matching our vessels are compared with the events from matching the source's lists
with the same matcher.

The source lists are detections by another program, not ground truth: agreement, not
accuracy.

Usage::

    .venv/bin/python benchmarks/sar_eval.py [--radius 150]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BASEWATCH_SHARED", REPO.parent / "shared"))
S1 = SHARED / "data" / "s1_latakia_port_2024"
PAIRS = [("20241206T034315", "20241218T034314"), ("20241123T154150", "20241205T154149")]


def load_date(stamp: str, root: Path = S1) -> tuple[np.ndarray, Any, list[dict[str, Any]]]:
    """dB image, its Grid, and the source's vessel list for one acquisition."""
    import rasterio

    from basewatch.grid import Grid

    with rasterio.open(root / f"latakia_port_S1_VV_dB_approx_{stamp}.tif") as ds:
        db = ds.read(1).astype(np.float32)
        grid = Grid(str(ds.crs), tuple(ds.transform)[:6], ds.width, ds.height)
    (vfile,) = root.glob(f"S1A_IW_GRDH_1SDV_{stamp}_*_vessels.json")
    return db, grid, json.loads(vfile.read_text())


def our_observations(stamp: str, root: Path = S1) -> tuple[list[Any], Any, Any]:
    from basewatch.detect.events import observations
    from basewatch.detect.vessels import detect_vessels_sar, sar_params
    from basewatch.records import ObjectClass

    db, grid, listed = load_date(stamp, root)
    res = detect_vessels_sar(db, pixel_size_m=grid.pixel_size_m, params=sar_params())
    date = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S").date()
    obs = observations(
        res.features,
        scene=stamp,
        date=date,
        pixel_size_m=grid.pixel_size_m,
        object_class=ObjectClass.VESSEL,
        keep=res.is_vessel,
        confidence=res.features.get("confidence"),
        detectable=res.detectable,
        grid=grid,
    )
    return obs, grid, listed


def listed_observations(listed: list[dict[str, Any]], grid: Any, stamp: str) -> list[Any]:
    """The source's vessels as Observations on the same grid (pixel from UTM x/y)."""
    from basewatch.detect.events import Observation
    from basewatch.records import ObjectClass

    out = []
    px, py = grid.pixel_size_m
    for v in listed:
        row, col = grid.rowcol(v["utm_x"], v["utm_y"])
        r, c = float(row), float(col)
        half = max(1.0, v["length_m"] / px / 2)
        out.append(
            Observation(
                id=v["vessel_id"],
                scene=stamp,
                date=None,
                object_class=ObjectClass.VESSEL,
                row=r,
                col=c,
                x_m=c * px,
                y_m=r * py,
                length_m=float(v["length_m"]),
                width_m=float(v["width_m"]),
                orientation_deg=0.0,
                area_px=int(v["area_px"]),
                bbox_px=(int(r - half), int(c - half), int(r + half) + 1, int(c + half) + 1),
                confidence=1.0,
                detectable=True,
                lon=v["lon"],
                lat=v["lat"],
            )
        )
    return out


def agreement(ours: list[Any], theirs: list[Any], radius: float) -> dict[str, Any]:
    """One-to-one matches within ``radius`` metres between our and the listed vessels."""
    from basewatch.detect.events import MatchParams, match_objects

    ev = match_objects(theirs, ours, params=MatchParams(max_distance_m=radius))
    both = sum(e.before is not None and e.after is not None for e in ev)
    return {
        "ours": len(ours),
        "listed": len(theirs),
        "matched": both,
        "listed_confirmed": both / len(theirs) if theirs else 1.0,
        "ours_in_list": both / len(ours) if ours else 1.0,
    }


def changed_sea_share(a: str, b: str, root: Path = S1) -> float:
    """Share of the valid sea of a same-track pair that the pipeline's SAR change map
    (:func:`basewatch.detect.change.log_ratio_change_map` with the threshold method and
    ``k`` of the pipeline's :class:`~basewatch.pipeline.ChangeParams`) marks changed.

    Between two dates most of the sea is stable (a few ships come and go), so a useful
    map marks a small share; a share near 1 means the threshold carries no information.
    """
    from basewatch.detect.change import log_ratio_change_map
    from basewatch.pipeline import ChangeParams

    params = ChangeParams()
    before, _, _ = load_date(a, root)
    after, _, _ = load_date(b, root)
    cm = log_ratio_change_map(before, after, decibels=True, method=params.sar_method, k=params.k)
    sea = np.isfinite(before) & np.isfinite(after)
    return float(cm.mask[sea].mean()) if sea.any() else 0.0


def undetectable_events(events: list[Any]) -> int:
    """Events with an observation the detector itself flags as below the detectable size."""
    return sum(any(o is not None and not o.detectable for o in (e.before, e.after)) for e in events)


def evaluate(radius: float = 150.0, margin: float = 500.0, root: Path = S1) -> dict[str, Any]:
    from basewatch.detect.events import MatchParams, match_objects
    from basewatch.detect.vessels import resolved_objects

    per_date: dict[str, Any] = {}
    cache: dict[str, tuple[list[Any], list[Any]]] = {}
    stamps = sorted({s for p in PAIRS for s in p})
    loaded = {s: our_observations(s, root) for s in stamps}
    # the source only lists vessels near the port (its zones 1 and 2): compare ours
    # inside the box of every listed vessel of every date, grown by `margin` metres
    allx = [v["utm_x"] for s in stamps for v in loaded[s][2]]
    ally = [v["utm_y"] for s in stamps for v in loaded[s][2]]
    box = (min(allx) - margin, min(ally) - margin, max(allx) + margin, max(ally) + margin)
    for stamp in stamps:
        ours_all, grid, listed = loaded[stamp]
        xs, ys = grid.xy(np.array([o.row for o in ours_all]), np.array([o.col for o in ours_all]))
        ours = [
            o
            for o, x, y in zip(ours_all, xs, ys, strict=True)
            if box[0] <= x <= box[2] and box[1] <= y <= box[3]
        ]
        theirs = listed_observations(listed, grid, stamp)
        cache[stamp] = (ours, theirs)
        per_date[stamp] = {**agreement(ours, theirs, radius), "ours_anywhere": len(ours_all)}
    pairs = {}
    mp = MatchParams()
    for a, b in PAIRS:
        # as the pipeline does: events only of objects the sensor resolves
        ev_ours = match_objects(
            resolved_objects(cache[a][0]), resolved_objects(cache[b][0]), params=mp
        )
        ev_theirs = match_objects(cache[a][1], cache[b][1], params=mp)
        # an event of theirs is confirmed when we have an event of the same kind there
        confirmed = 0
        for e in ev_theirs:
            w = e.where
            for f in ev_ours:
                if (
                    f.event is e.event
                    and np.hypot(f.where.x_m - w.x_m, f.where.y_m - w.y_m) <= radius
                ):
                    confirmed += 1
                    break
        pairs[f"{a[:8]} vs {b[:8]}"] = {
            "ours": dict(Counter(e.event.value for e in ev_ours)),
            "listed": dict(Counter(e.event.value for e in ev_theirs)),
            "listed_events_confirmed": confirmed / len(ev_theirs) if ev_theirs else 1.0,
            "n_listed_events": len(ev_theirs),
            "events": ev_ours,
            "undetectable_events": undetectable_events(ev_ours),
            "changed_sea_share": changed_sea_share(a, b, root),
        }
    return {"dates": per_date, "pairs": pairs, "radius_m": radius, "area_utm": box}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--radius", type=float, default=150.0)
    args = ap.parse_args()
    from basewatch.detect.vessels import sar_params

    res = evaluate(args.radius)
    print(
        f"per date (match radius {res['radius_m']:.0f} m; ours counted inside the listed "
        f"vessels' area, UTM 36N box {tuple(round(v) for v in res['area_utm'])}):"
    )
    for stamp, d in res["dates"].items():
        print(
            f"  {stamp}  ours {d['ours']:3d} (of {d['ours_anywhere']:2d})  "
            f"listed {d['listed']:3d}  matched "
            f"{d['matched']:3d}  listed confirmed {d['listed_confirmed']:.2f}  ours in "
            f"list {d['ours_in_list']:.2f}"
        )
    print("events per same-track pair:")
    for name, p in res["pairs"].items():
        print(
            f"  {name}  ours {p['ours']}  listed {p['listed']}  listed events confirmed "
            f"{p['listed_events_confirmed']:.2f} of {p['n_listed_events']}"
        )
        print(
            f"  {'':21s} {p['undetectable_events']} of {sum(p['ours'].values())} events involve "
            "an object flagged below the detectable size; the log-ratio change map marks "
            f"{p['changed_sea_share']:.1%} of the valid sea changed"
        )
    print("parameters:", json.dumps(sar_params().as_dict()))


if __name__ == "__main__":
    main()
