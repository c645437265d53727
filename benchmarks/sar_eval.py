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

``--cross`` checks the CFAR parameters across the two pairs: every combination of
:data:`GRID` is scored on each pair (F1 of matched against ours and listed, both dates),
the best on one pair is scored on the other, beside the shipped :func:`sar_params`
(standard values, not tuned on these scenes).

Usage::

    .venv/bin/python benchmarks/sar_eval.py [--radius 150] [--cross]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
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


def our_observations(stamp: str, root: Path = S1, params: Any = None) -> tuple[list[Any], Any, Any]:
    """Our vessels of one date (``params``: :func:`sar_params` unless given), its grid and
    the source's list."""
    from basewatch.detect.events import observations
    from basewatch.detect.vessels import detect_vessels_sar, sar_params
    from basewatch.records import ObjectClass

    db, grid, listed = load_date(stamp, root)
    res = detect_vessels_sar(
        db, pixel_size_m=grid.pixel_size_m, params=sar_params() if params is None else params
    )
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


#: A listed vessel is in open water when at least this share of the ring around it is
#: sea (finite backscatter): the definition of the optical search's open-water recall
#: (``pipeline.SearchScore.open_water_recall``), with the ship taken as the disc of its
#: listed length (the lists give no outline).
OPEN_WATER_SHARE = 0.9
#: Width of that ring (metres), beyond the disc.
OPEN_WATER_RING_M = 100.0


def in_open_water(theirs: list[Any], sea: np.ndarray, pixel_size_m: float) -> list[bool]:
    """Whether each listed vessel has open water all around it: at least
    :data:`OPEN_WATER_SHARE` of the ring from half its length to
    :data:`OPEN_WATER_RING_M` beyond is ``sea`` (a ring that leaves the image is not)."""
    out = []
    for t in theirs:
        inner = t.length_m / 2
        n = int(np.ceil((inner + OPEN_WATER_RING_M) / pixel_size_m)) + 1
        dr, dc = np.mgrid[-n : n + 1, -n : n + 1]
        dist = np.hypot(dr, dc) * pixel_size_m
        ring = (dist > inner) & (dist <= inner + OPEN_WATER_RING_M)
        r, c = round(t.row), round(t.col)
        if r - n < 0 or c - n < 0 or r + n >= sea.shape[0] or c + n >= sea.shape[1]:
            out.append(False)
            continue
        win = sea[r - n : r + n + 1, c - n : c + n + 1]
        out.append(bool(win[ring].mean() >= OPEN_WATER_SHARE))
    return out


def agreement(
    ours: list[Any], theirs: list[Any], radius: float, open_water: list[bool] | None = None
) -> dict[str, Any]:
    """One-to-one matches within ``radius`` metres between our and the listed vessels;
    with ``open_water`` (one flag per listed vessel), also how many of those in open
    water we confirm."""
    from basewatch.detect.events import MatchParams, match_objects

    # agreement is of positions: the lists' lengths are another detector's estimates
    positions = MatchParams(max_distance_m=radius, max_length_ratio=math.inf)
    ev = match_objects(theirs, ours, params=positions)
    matched = {e.before.id for e in ev if e.before is not None and e.after is not None}
    both = len(matched)
    out = {
        "ours": len(ours),
        "listed": len(theirs),
        "matched": both,
        "listed_confirmed": both / len(theirs) if theirs else 1.0,
        "ours_in_list": both / len(ours) if ours else 1.0,
    }
    if open_water is not None:
        flags = list(zip(theirs, open_water, strict=True))
        out["listed_open"] = sum(f for _, f in flags)
        out["open_confirmed"] = sum(f and t.id in matched for t, f in flags)
    return out


def pooled(dates: dict[str, dict[str, Any]]) -> dict[str, float]:
    """The radar search's agreement over every date: ``precision`` (share of ours in the
    lists), ``recall`` (share of listed confirmed), ``f1`` and ``open_water_recall``
    (share of listed vessels in open water confirmed): the figures a run record quotes
    (``pipeline.VESSEL_SEARCH_MEASURED["radar"]``)."""
    ours = sum(d["ours"] for d in dates.values())
    listed = sum(d["listed"] for d in dates.values())
    matched = sum(d["matched"] for d in dates.values())
    open_listed = sum(d["listed_open"] for d in dates.values())
    open_found = sum(d["open_confirmed"] for d in dates.values())
    return {
        "precision": matched / ours if ours else 0.0,
        "recall": matched / listed if listed else 0.0,
        "f1": 2 * matched / (ours + listed) if ours + listed else 0.0,
        "open_water_recall": open_found / open_listed if open_listed else 0.0,
        "matched": matched,
        "ours": ours,
        "listed": listed,
        "open_listed": open_listed,
        "open_confirmed": open_found,
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
        sea = np.isfinite(load_date(stamp, root)[0])
        open_water = in_open_water(theirs, sea, grid.pixel_size_m[0])
        per_date[stamp] = {
            **agreement(ours, theirs, radius, open_water),
            "ours_anywhere": len(ours_all),
        }
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
    return {
        "dates": per_date,
        "pooled": pooled(per_date),
        "pairs": pairs,
        "radius_m": radius,
        "area_utm": box,
    }


#: CFAR parameters searched by ``--cross`` (each combination scored per pair).
GRID: dict[str, tuple[float, ...]] = {
    "pfa": (1e-4, 1e-5, 1e-6, 1e-7, 1e-8),
    "min_peak_score": (3.0, 4.0, 5.0, 6.0, 8.0),
    "min_length_m": (20.0, 30.0, 40.0),
    "window_m": (200.0, 300.0, 500.0),
}


def _inside(obs: list[Any], grid: Any, box: tuple[float, float, float, float]) -> list[Any]:
    if not obs:
        return []
    xs, ys = grid.xy(np.array([o.row for o in obs]), np.array([o.col for o in obs]))
    return [
        o
        for o, x, y in zip(obs, xs, ys, strict=True)
        if box[0] <= x <= box[2] and box[1] <= y <= box[3]
    ]


def pair_counts(
    pair: tuple[str, str],
    params: Any,
    box: tuple[float, float, float, float],
    radius: float,
    root: Path = S1,
) -> tuple[int, int, int]:
    """Matched, ours and listed vessels over the two dates of ``pair`` with ``params``."""
    total = np.zeros(3, dtype=int)
    for stamp in pair:
        ours, grid, listed = our_observations(stamp, root, params)
        a = agreement(_inside(ours, grid, box), listed_observations(listed, grid, stamp), radius)
        total += (a["matched"], a["ours"], a["listed"])
    return int(total[0]), int(total[1]), int(total[2])


def _f1(c: tuple[int, int, int]) -> float:
    matched, ours, listed = c
    return 2 * matched / (ours + listed) if ours + listed else 0.0


def cross_pairs(radius: float = 150.0, margin: float = 500.0, root: Path = S1) -> dict[str, Any]:
    """CFAR parameters chosen on one same-track pair, scored on the other.

    For each pair, every combination of :data:`GRID` is scored by the F1 of its
    agreement with the source's lists over the pair's two dates (matched against ours
    and listed); the best (ties: the first in grid order) is then scored on the other
    pair, beside the shipped :func:`sar_params` on both.
    """
    import itertools

    from basewatch.detect.vessels import sar_params

    stamps = sorted({s for p in PAIRS for s in p})
    lists = [load_date(s, root)[2] for s in stamps]
    allx = [v["utm_x"] for vs in lists for v in vs]
    ally = [v["utm_y"] for vs in lists for v in vs]
    box = (min(allx) - margin, min(ally) - margin, max(allx) + margin, max(ally) + margin)
    combos = [dict(zip(GRID, vals, strict=True)) for vals in itertools.product(*GRID.values())]
    scores = {
        pair: [pair_counts(pair, sar_params(**c), box, radius, root) for c in combos]
        for pair in PAIRS
    }
    out: dict[str, Any] = {"shipped": sar_params().as_dict(), "directions": []}
    for tune, test in (PAIRS, PAIRS[::-1]):
        f1s = [_f1(c) for c in scores[tune]]
        best = int(np.argmax(f1s))
        out["directions"].append(
            {
                "tuned_on": f"{tune[0][:8]} vs {tune[1][:8]}",
                "scored_on": f"{test[0][:8]} vs {test[1][:8]}",
                "chosen": combos[best],
                "tuned_f1": f1s[best],
                "held_out": scores[test][best],
                "held_out_f1": _f1(scores[test][best]),
                "shipped_held_out": pair_counts(test, sar_params(), box, radius, root),
            }
        )
    return out


def print_cross(radius: float) -> None:
    res = cross_pairs(radius)
    n = int(np.prod([len(v) for v in GRID.values()]))
    print(
        f"SAR CFAR chosen on one same-track pair ({n} combinations of "
        f"{', '.join(GRID)}), scored on the other (agreement with the source's lists, "
        f"both dates, {radius:.0f} m):"
    )
    for d in res["directions"]:
        m, o, li = d["held_out"]
        sm, so, sl = d["shipped_held_out"]
        print(
            f"  tuned on {d['tuned_on']} (F1 {d['tuned_f1']:.2f}): {json.dumps(d['chosen'])}\n"
            f"    on {d['scored_on']}: matched {m} of ours {o}, listed {li}: "
            f"F1 {d['held_out_f1']:.2f}; shipped parameters there: matched {sm} of {so}, "
            f"listed {sl}: F1 {_f1(d['shipped_held_out']):.2f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--radius", type=float, default=150.0)
    ap.add_argument(
        "--cross",
        action="store_true",
        help="choose the CFAR parameters on one pair, score them on the other",
    )
    args = ap.parse_args()
    if args.cross:
        print_cross(args.radius)
        return
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
            f"list {d['ours_in_list']:.2f}  in open water {d['open_confirmed']} of "
            f"{d['listed_open']}"
        )
    p = res["pooled"]
    print(
        f"  all dates: {p['matched']} of our {p['ours']} in the lists (precision "
        f"{p['precision']:.2f}), {p['matched']} of {p['listed']} listed confirmed (recall "
        f"{p['recall']:.2f}), F1 {p['f1']:.2f}; listed vessels in open water (at least "
        f"{OPEN_WATER_SHARE:.0%} sea in a {OPEN_WATER_RING_M:.0f} m ring): "
        f"{p['open_confirmed']} of {p['open_listed']} confirmed (open-water recall "
        f"{p['open_water_recall']:.2f})"
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
