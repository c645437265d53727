"""Objects across dates: matching, events and timelines (pure numpy/scipy, no I/O).

Objects found on each date (:class:`Observation`) are matched between two dates by
distance and overlap (optimal one-to-one assignment), giving
:class:`~basewatch.records.Event` ``appeared``, ``disappeared``, ``persisted`` or
``moved``. For more than two dates, :func:`timeline` chains the matches into tracks
(one per object) and :func:`zone_counts` counts objects per zone and date (aircraft on
each apron, vessels in each basin).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching
from scipy.spatial import cKDTree

from basewatch.detect.confidence import moved_factor
from basewatch.errors import InputError
from basewatch.grid import Grid
from basewatch.records import (
    DEGREES_DECIMALS,
    MAGNITUDE_DECIMALS,
    METRES_DECIMALS,
    SCORE_DECIMALS,
    Detection,
    Event,
    ObjectClass,
    records_from_columns,
    round_like_python,
)

__all__ = [
    "MatchParams",
    "ObjectEvent",
    "Observation",
    "Track",
    "events_to_detections",
    "match_objects",
    "observations",
    "timeline",
    "zone_counts",
]


@dataclass(frozen=True)
class Observation:
    """One object seen on one date.

    ``x_m``/``y_m`` are metres on the analysis grid (east, south from its origin), so
    distances are right on any grid, including non-square degree pixels.
    """

    id: str
    scene: str
    date: dt.date | None
    object_class: ObjectClass
    row: float
    col: float
    x_m: float
    y_m: float
    length_m: float
    width_m: float
    orientation_deg: float
    area_px: int
    bbox_px: tuple[int, int, int, int]
    confidence: float
    detectable: bool
    zone: str | None = None
    zone_kind: str | None = None
    lon: float | None = None
    lat: float | None = None
    mean_change: float = 0.0
    contrast: float = 0.0


@dataclass(frozen=True)
class ObjectEvent:
    """What happened to one object between two dates."""

    event: Event
    before: Observation | None
    after: Observation | None
    distance_m: float | None
    overlap: float | None
    confidence: float

    @property
    def where(self) -> Observation:
        """The observation that locates the event (after, else before).

        Returns
        -------
        Observation
        """
        obs = self.after if self.after is not None else self.before
        assert obs is not None
        return obs


@dataclass(frozen=True)
class MatchParams:
    """Parameters of matching objects between dates (recorded with the events).

    Two objects can be the same one when their centres are at most
    ``max_distance_m`` apart and their lengths agree: the longer at most
    ``max_length_ratio`` times the shorter plus ``length_slack_m`` (a length measured
    at 10 m is a pixel or two off at each end; a 68 m hull and a 175 m one at one quay
    are two ships). A matched pair *persisted* when the centres are within
    ``max(same_place_m, same_place_lengths * length)`` or their boxes overlap by at
    least ``min_overlap`` (intersection over union); otherwise it *moved*.
    """

    max_distance_m: float = 300.0
    same_place_m: float = 20.0
    same_place_lengths: float = 0.5
    min_overlap: float = 0.3
    same_class: bool = True
    max_length_ratio: float = 2.0
    length_slack_m: float = 30.0


def observations(
    features: Mapping[str, NDArray[np.floating[Any]]],
    *,
    scene: str,
    date: dt.date | None,
    pixel_size_m: tuple[float, float],
    object_class: ObjectClass | Sequence[ObjectClass] = ObjectClass.OTHER,
    keep: NDArray[np.bool_] | None = None,
    confidence: NDArray[np.floating[Any]] | None = None,
    detectable: NDArray[np.bool_] | None = None,
    zones: Sequence[str | None] | None = None,
    zone_kinds: Sequence[str | None] | None = None,
    grid: Grid | None = None,
) -> list[Observation]:
    """Observations from per-object feature arrays.

    The arrays are those of :func:`~basewatch.detect.components.component_features`.


    Parameters
    ----------
    features : mapping of name to ndarray, each shape (n,)
        Needs ``row``, ``col``, ``length_m``, ``width_m``, ``orientation_deg``,
        ``area_px``, ``row_min``, ``col_min``, ``row_max``, ``col_max``.
    scene, date
        Where the objects were seen.
    pixel_size_m : (float, float)
        Ground pixel size ``(x, y)``: positions in metres are ``col * x``, ``row * y``.
    object_class : ObjectClass or sequence of ObjectClass (n,)
    keep : ndarray (n,), bool, optional
        Objects to return (default all).
    confidence, detectable, zones, zone_kinds : per-object values, optional
    grid : Grid, optional
        Adds longitude/latitude.

    Returns
    -------
    list of Observation
        One per kept object, in index order.
    """
    n = len(features["row"]) if "row" in features else 0
    sel = np.arange(n) if keep is None else np.flatnonzero(keep)
    if sel.size == 0:
        return []
    px, py = pixel_size_m

    # every field taken for the kept objects at once, as Python numbers (what float()
    # and int() of each element give); only the records and their ids are made one by one
    def column(values: Any) -> list[float]:
        taken: list[float] = np.asarray(values, dtype=np.float64)[sel].tolist()
        return taken

    row, col = column(features["row"]), column(features["col"])
    lon = lat = None
    if grid is not None and n:
        xs, ys = grid.xy(np.asarray(features["row"]), np.asarray(features["col"]))
        lon_all, lat_all = grid.to_lonlat(xs, ys)
        lon, lat = column(lon_all), column(lat_all)
    boxes = np.column_stack(
        [np.asarray(features[k])[sel] for k in ("row_min", "col_min", "row_max", "col_max")]
    ).astype(np.int64)
    length, width = column(features["length_m"]), column(features["width_m"])
    orientation = column(features["orientation_deg"])
    area = np.asarray(features["area_px"])[sel].astype(np.int64).tolist()
    magnitude = features.get("mean_score", features.get("mean_magnitude"))
    mean_change = column(magnitude) if magnitude is not None else [0.0] * len(sel)
    contrast = column(features["contrast"]) if "contrast" in features else [0.0] * len(sel)
    conf = column(confidence) if confidence is not None else [1.0] * len(sel)
    seen = np.asarray(detectable, dtype=bool)[sel].tolist() if detectable is not None else None
    classes = (
        [object_class] * len(sel)
        if isinstance(object_class, ObjectClass)
        else [object_class[i] for i in sel.tolist()]
    )
    zone_of = [zones[i] for i in sel.tolist()] if zones is not None else None
    kind_of = [zone_kinds[i] for i in sel.tolist()] if zone_kinds is not None else None
    k = len(sel)
    bboxes = list(map(tuple, boxes.tolist()))
    prefix = scene[:24]
    columns: dict[str, Sequence[Any]] = {
        "id": [
            f"{prefix}-{hashlib.sha1(f'{scene}|{b}'.encode()).hexdigest()[:10]}" for b in bboxes
        ],
        "scene": [scene] * k,
        "date": [date] * k,
        "object_class": classes,
        "row": row,
        "col": col,
        # what col * px and row * py give each Python float
        "x_m": (np.array(col, dtype=np.float64) * px).tolist(),
        "y_m": (np.array(row, dtype=np.float64) * py).tolist(),
        "length_m": length,
        "width_m": width,
        "orientation_deg": orientation,
        "area_px": area,
        "bbox_px": bboxes,
        "confidence": conf,
        "detectable": seen if seen is not None else [True] * k,
        "zone": zone_of if zone_of is not None else [None] * k,
        "zone_kind": kind_of if kind_of is not None else [None] * k,
        "lon": lon if lon is not None else [None] * k,
        "lat": lat if lat is not None else [None] * k,
        "mean_change": mean_change,
        "contrast": contrast,
    }
    return records_from_columns(Observation, columns)


#: Assignment cost of a pair that may not match (farther apart than the matching
#: distance, or of different classes): larger than any real distance in metres.
_NO_MATCH_COST = 1e9


def _iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    r0, c0 = max(a[0], b[0]), max(a[1], b[1])
    r1, c1 = min(a[2], b[2]), min(a[3], b[3])
    inter = max(0, r1 - r0) * max(0, c1 - c0)
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / area if area > 0 else 0.0


def _digest(text: str) -> str:
    """The first ten hex digits of the SHA-1 of ``text`` (an object's stable id)."""
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def candidate_pairs(
    xa: NDArray[np.float64],
    xb: NDArray[np.float64],
    *,
    max_distance_m: float,
    classes: tuple[NDArray[Any], NDArray[Any]] | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Every pair of positions of two dates within ``max_distance_m`` (a k-d tree query).

    Parameters
    ----------
    xa, xb : ndarray, shape (n, 2) and (m, 2), float64
        Positions (metres) on the two dates.
    max_distance_m : float
    classes : (ndarray, ndarray), optional
        Class of each position; pairs of different classes are left out.

    Returns
    -------
    ia, ib : ndarray, shape (k,), int64
        The pairs, sorted by ``ia`` then ``ib``.
    distance : ndarray, shape (k,), float64
        Their centre distance (``numpy.hypot``).
    """
    empty = np.zeros(0, dtype=np.int64)
    if not len(xa) or not len(xb):
        return empty, empty, np.zeros(0)
    near = cKDTree(xa).sparse_distance_matrix(
        cKDTree(xb), max_distance_m * _QUERY_SLACK, output_type="ndarray"
    )
    ia, ib = near["i"].astype(np.int64), near["j"].astype(np.int64)
    d = np.hypot(xa[ia, 0] - xb[ib, 0], xa[ia, 1] - xb[ib, 1])
    keep = d <= max_distance_m
    if classes is not None:
        keep &= classes[0][ia] == classes[1][ib]
    ia, ib, d = ia[keep], ib[keep], d[keep]
    order = np.lexsort((ib, ia))
    return ia[order], ib[order], d[order]


def assign_pairs(
    ia: NDArray[np.int64], ib: NDArray[np.int64], distance: NDArray[np.float64], na: int, nb: int
) -> list[tuple[int, int]]:
    """The one-to-one matching of two dates' objects over candidate pairs.

    The most pairs possible, and among those the least summed distance: the optimum of
    a dense assignment with a prohibitive cost for pairs that may not match. That
    optimum splits over the connected groups of the candidate graph, so each group is
    solved on its own: a lone pair directly, a small group densely
    (:func:`scipy.optimize.linear_sum_assignment`), a large one on its sparse graph
    (:func:`_sparse_assignment`). The cost grows with the number of candidate pairs,
    not with ``na * nb``.

    Parameters
    ----------
    ia, ib : ndarray, shape (k,), int64
        Candidate pairs (from :func:`candidate_pairs`).
    distance : ndarray, shape (k,), float64
    na, nb : int
        Number of objects on each date.

    Returns
    -------
    list of (int, int)
        Matched pairs, sorted by the first index.
    """
    if not len(ia):
        return []
    graph = csr_array((np.ones(len(ia)), (ia, na + ib)), shape=(na + nb, na + nb))
    _, label = connected_components(graph, directed=False)
    # the edges by group, then first index, then second
    order = np.lexsort((ib, ia, label[ia]))
    group, a, b, d = label[ia][order], ia[order], ib[order], distance[order]
    first = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    size = np.diff(np.r_[first, len(order)])
    lone = first[size == 1]
    pairs: list[tuple[int, int]] = list(zip(a[lone].tolist(), b[lone].tolist(), strict=True))
    if len(lone) == len(first):
        return sorted(pairs)
    # each edge's object of either date numbered within its group from 0 in the order
    # of their indices (what numpy.unique's inverse gives, for all groups at once)
    at_group = np.repeat(np.arange(len(first)), size)
    new_a = np.r_[True, (a[1:] != a[:-1]) | (group[1:] != group[:-1])]
    rank_a = np.cumsum(new_a) - 1
    ri_all = rank_a - rank_a[first][at_group]
    by_b = np.lexsort((b, group))  # same groups, same sizes: they start at ``first`` too
    b_sorted = b[by_b]
    new_b = np.r_[True, (b_sorted[1:] != b_sorted[:-1]) | (group[1:] != group[:-1])]
    rank_b = np.cumsum(new_b) - 1
    ci_all = np.empty_like(rank_b)
    ci_all[by_b] = rank_b - rank_b[first][at_group]
    rows_all, cols_all = a[new_a], b_sorted[new_b]  # each group's objects, in order
    row0, col0 = rank_a[first], rank_b[first]
    for g in np.flatnonzero(size > 1).tolist():
        s, e = first[g], first[g] + size[g]
        ri, ci, gd = ri_all[s:e], ci_all[s:e], d[s:e]
        n_rows, n_cols = int(ri.max()) + 1, int(ci.max()) + 1
        rows = rows_all[row0[g] : row0[g] + n_rows]
        cols = cols_all[col0[g] : col0[g] + n_cols]
        if n_rows * n_cols <= _DENSE_GROUP_CELLS:
            cost = np.full((n_rows, n_cols), _NO_MATCH_COST)
            cost[ri, ci] = gd
            r, c = linear_sum_assignment(cost)
            ok = cost[r, c] < _NO_MATCH_COST
            pairs += zip(rows[r[ok]].tolist(), cols[c[ok]].tolist(), strict=True)
        else:
            matched = _sparse_assignment(ri, ci, gd, n_rows, n_cols)
            pairs += [(int(rows[i]), int(cols[j])) for i, j in matched]
    return sorted(pairs)


def _sparse_assignment(
    ia: NDArray[np.int64], ib: NDArray[np.int64], distance: NDArray[np.float64], na: int, nb: int
) -> list[tuple[int, int]]:
    """:func:`assign_pairs` for one large group, on its sparse graph (LAPJVsp).

    Each object may stay unmatched through a dummy partner at :data:`_NO_MATCH_COST` / 2
    (two unmatched ends cost one prohibitive pair, as in the dense problem); dummies of
    candidate pairs pair up with each other at no cost, so a full matching always exists.
    """
    half = _NO_MATCH_COST / 2
    k = len(ia)
    # rows: a_0..a_{na-1}, then a dummy per b; columns: b_0..b_{nb-1}, then a dummy per a
    rows = np.concatenate([ia, np.arange(na), na + np.arange(nb), na + ib])
    cols = np.concatenate([ib, nb + np.arange(na), np.arange(nb), nb + ia])
    weights = np.concatenate([distance, np.full(na + nb, half), np.zeros(k)])
    # explicit zeros would be dropped as missing edges: shift every weight by one (a
    # full matching has na + nb edges, so the optimum does not move)
    graph = csr_array((weights + 1.0, (rows, cols)), shape=(na + nb, na + nb))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    real = (row_ind < na) & (col_ind < nb)
    return [(int(i), int(j)) for i, j in zip(row_ind[real], col_ind[real], strict=True)]


#: Groups of candidate pairs up to this many cells (objects of one date times the
#: other's) are assigned densely; larger ones on their sparse graph.
_DENSE_GROUP_CELLS = 250_000


#: Slack on the k-d tree's search radius, so that rounding never drops a pair whose
#: ``hypot`` distance is exactly the limit (the exact test follows).
_QUERY_SLACK = 1.0 + 1e-9


def match_objects(
    before: Sequence[Observation],
    after: Sequence[Observation],
    *,
    params: MatchParams = MatchParams(),
) -> list[ObjectEvent]:
    """Match objects of two dates one-to-one and name what happened to each.

    The assignment minimises the summed centre distance over pairs within
    ``params.max_distance_m`` (and of the same class, unless ``same_class`` is off);
    it is symmetric, so swapping the dates swaps *appeared* and *disappeared* and
    keeps *persisted* and *moved*. A moved pair's confidence is the lower of its two
    ends' times :func:`~basewatch.detect.confidence.moved_factor`.

    Parameters
    ----------
    before, after : sequence of Observation
        The objects of the two dates.
    params : MatchParams

    Returns
    -------
    list of ObjectEvent
        Matched pairs first (persisted or moved), then disappeared, then appeared,
        each in input order.
    """
    xa = np.array([[o.x_m, o.y_m] for o in before], dtype=np.float64).reshape(-1, 2)
    xb = np.array([[o.x_m, o.y_m] for o in after], dtype=np.float64).reshape(-1, 2)
    ca = np.array([o.object_class.value for o in before], dtype=object)
    cb = np.array([o.object_class.value for o in after], dtype=object)
    ia, ib, dist_ab = candidate_pairs(
        xa,
        xb,
        max_distance_m=params.max_distance_m,
        classes=(ca, cb) if params.same_class else None,
    )
    la = np.array([o.length_m for o in before], dtype=np.float64)
    lb = np.array([o.length_m for o in after], dtype=np.float64)
    ia, ib, dist_ab = _lengths_agree(ia, ib, dist_ab, la, lb, params)
    dist = dict(zip(zip(ia.tolist(), ib.tolist(), strict=True), dist_ab.tolist(), strict=True))
    pairs = assign_pairs(ia, ib, dist_ab, len(before), len(after))
    out: list[ObjectEvent] = []
    for i, j in pairs:
        a, b = before[i], after[j]
        dm = float(dist[i, j])
        iou = _iou(a.bbox_px, b.bbox_px)
        near = max(params.same_place_m, params.same_place_lengths * max(a.length_m, b.length_m))
        persisted = dm <= near or iou >= params.min_overlap
        conf = min(a.confidence, b.confidence)
        if not persisted:
            conf *= moved_factor(dm, max_distance_m=params.max_distance_m)
        out.append(
            ObjectEvent(
                Event.PERSISTED if persisted else Event.MOVED,
                a,
                b,
                round(dm, 2),
                round(iou, 3),
                round(conf, 3),
            )
        )
    matched_a = {i for i, _ in pairs}
    matched_b = {j for _, j in pairs}
    for i, a in enumerate(before):
        if i not in matched_a:
            out.append(ObjectEvent(Event.DISAPPEARED, a, None, None, None, a.confidence))
    for j, b in enumerate(after):
        if j not in matched_b:
            out.append(ObjectEvent(Event.APPEARED, None, b, None, None, b.confidence))
    return out


def _lengths_agree(
    ia: NDArray[np.int64],
    ib: NDArray[np.int64],
    dist: NDArray[np.float64],
    la: NDArray[np.float64],
    lb: NDArray[np.float64],
    params: MatchParams,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """The candidate pairs whose lengths can be one object's (:class:`MatchParams`);
    a length not measured (not finite or 0) agrees with any."""
    a, b = la[ia], lb[ib]
    short, long = np.minimum(a, b), np.maximum(a, b)
    unknown = ~(np.isfinite(short) & (short > 0) & np.isfinite(long))
    keep = unknown | (long <= params.max_length_ratio * short + params.length_slack_m)
    return ia[keep], ib[keep], dist[keep]


@dataclass(frozen=True)
class Track:
    """One object followed across dates: its observation on each date, or None."""

    id: int
    object_class: ObjectClass
    members: tuple[Observation | None, ...]

    def present(self) -> tuple[bool, ...]:
        """Whether the object was seen on each date, one per date."""
        return tuple(m is not None for m in self.members)

    def events(self) -> tuple[Event | None, ...]:
        """Event between each pair of consecutive dates.

        Returns
        -------
        tuple of Event or None
            One per pair of consecutive dates; None where absent on both.
        """
        out: list[Event | None] = []
        for a, b in zip(self.members[:-1], self.members[1:], strict=True):
            if a is None and b is None:
                out.append(None)
            elif a is None:
                out.append(Event.APPEARED)
            elif b is None:
                out.append(Event.DISAPPEARED)
            else:
                out.append(Event.PERSISTED if _same_place(a, b) else Event.MOVED)
        return tuple(out)


def _same_place(a: Observation, b: Observation, params: MatchParams = MatchParams()) -> bool:
    d = float(np.hypot(a.x_m - b.x_m, a.y_m - b.y_m))
    near = max(params.same_place_m, params.same_place_lengths * max(a.length_m, b.length_m))
    return d <= near or _iou(a.bbox_px, b.bbox_px) >= params.min_overlap


def timeline(
    dates: Sequence[Sequence[Observation]], *, params: MatchParams = MatchParams()
) -> list[Track]:
    """Chain matches between consecutive dates into one track per object.

    Parameters
    ----------
    dates : sequence of sequences of Observation
        The objects of each date, dates in time order.

    Returns
    -------
    list of Track
        Ordered by first date seen, then input order. An object absent on one date
        and back on the next is two tracks: a gap is not bridged by guessing.
    """
    if len(dates) < 1:
        raise InputError("timeline needs at least one date")
    tracks: list[list[Observation | None]] = []
    classes: list[ObjectClass] = []
    open_idx: dict[int, int] = {}  # index in the previous date -> track
    for t, objs in enumerate(dates):
        new_open: dict[int, int] = {}
        if t == 0:
            for j, o in enumerate(objs):
                tracks.append([o])
                classes.append(o.object_class)
                new_open[j] = len(tracks) - 1
        else:
            prev = dates[t - 1]
            ev = match_objects(prev, objs, params=params)
            index_prev = {id(o): i for i, o in enumerate(prev)}
            index_cur = {id(o): j for j, o in enumerate(objs)}
            for tr in tracks:
                tr.append(None)
            for e in ev:
                if e.before is not None and e.after is not None:
                    k = open_idx[index_prev[id(e.before)]]
                    tracks[k][t] = e.after
                    new_open[index_cur[id(e.after)]] = k
                elif e.after is not None:
                    tracks.append([None] * t + [e.after])
                    classes.append(e.after.object_class)
                    new_open[index_cur[id(e.after)]] = len(tracks) - 1
        open_idx = new_open
    return [Track(i, classes[i], tuple(m)) for i, m in enumerate(tracks)]


@dataclass(frozen=True)
class PossibleMiss:
    """Two tracks that may be one object missed on one date (:func:`possible_misses`).

    Attributes
    ----------
    before_track, after_track : int
        Ids of the track that ends and of the one that starts.
    missed : int
        Index of the date between them, on which neither is seen.
    distance_m : float
        Between the object's last position before and its first after.
    """

    before_track: int
    after_track: int
    missed: int
    distance_m: float


def possible_misses(
    tracks: Sequence[Track], *, params: MatchParams = MatchParams()
) -> list[PossibleMiss]:
    """Tracks that end one date before another starts at the same place: maybe one
    object missed on the date between (below the detection threshold, hidden, at the
    edge of the valid pixels), which the tracks alone would read as leaving and coming
    back.

    :func:`timeline` does not bridge such gaps (it does not guess); this names them so
    that a report can say so. A pair counts when the two are of one class and the last
    observation before the gap and the first after it are at the same place
    (:func:`_same_place`); each track is paired at most once (:func:`match_objects`).

    Parameters
    ----------
    tracks : sequence of Track
        From :func:`timeline`.
    params : MatchParams

    Returns
    -------
    list of PossibleMiss
        Ordered by missed date, then track id.
    """
    if not tracks:
        return []
    n_dates = len(tracks[0].members)
    out: list[PossibleMiss] = []
    for gap in range(1, n_dates - 1):
        ended = [t for t in tracks if t.members[gap - 1] is not None and t.members[gap] is None]
        started = [
            t
            for t in tracks
            if t.members[gap + 1] is not None and all(m is None for m in t.members[: gap + 1])
        ]
        if not ended or not started:
            continue
        last = [m for t in ended if (m := t.members[gap - 1]) is not None]
        first = [m for t in started if (m := t.members[gap + 1]) is not None]
        of_track = {id(o): t for o, t in zip(last + first, ended + started, strict=True)}
        for e in match_objects(last, first, params=params):
            a, b = e.before, e.after
            if a is None or b is None or a.object_class != b.object_class:
                continue
            if _same_place(a, b, params):
                out.append(
                    PossibleMiss(
                        of_track[id(a)].id,
                        of_track[id(b)].id,
                        gap,
                        round(float(np.hypot(a.x_m - b.x_m, a.y_m - b.y_m)), 1),
                    )
                )
    return sorted(out, key=lambda m: (m.missed, m.before_track))


def zone_counts(
    dates: Sequence[Sequence[Observation]],
    *,
    object_class: ObjectClass | None = None,
    detectable_only: bool = True,
) -> dict[str, list[int]]:
    """Number of objects in each zone on each date (``"-"`` for objects outside zones).

    Parameters
    ----------
    dates : sequence of sequences of Observation
        The objects of each date.
    object_class : ObjectClass, optional
        Count only this class (default all).
    detectable_only : bool
        Leave out objects below the sensor's detectable length.

    Returns
    -------
    dict of zone name to list of int (one count per date)
    """
    out: dict[str, list[int]] = {}
    for t, objs in enumerate(dates):
        for o in objs:
            if object_class is not None and o.object_class is not object_class:
                continue
            if detectable_only and not o.detectable:
                continue
            key = o.zone or "-"
            out.setdefault(key, [0] * len(dates))[t] += 1
    return dict(sorted(out.items()))


def events_to_detections(
    events: Sequence[ObjectEvent],
    *,
    site: str,
    grid: Grid,
    before: tuple[str, dt.date],
    after: tuple[str, dt.date],
) -> list[Detection]:
    """Detection records (for the run record and GeoJSON) of matched object events.

    Parameters
    ----------
    events : sequence of ObjectEvent
        From :func:`match_objects`.
    site : str
        Site name, copied into each record.
    grid : Grid
        Analysis grid (coordinates and areas).
    before, after : (scene id, date)
        The two dates.

    Returns
    -------
    list of Detection
        Sorted by confidence (highest first), then id.
    """
    if not events:
        return []
    where = [e.where for e in events]
    ids = [
        f"{site}-{_digest(f'{site}|{before[0]}|{after[0]}|{e.event}|{o.bbox_px}')}"
        for e, o in zip(events, where, strict=True)
    ]
    confidence = round_like_python(
        np.array([e.confidence for e in events], dtype=np.float64), SCORE_DECIMALS
    )
    # highest confidence first, then by id (a stable sort, as sorting the records by
    # (-confidence, id) gives)
    order = np.lexsort((np.array(ids), -confidence)).tolist()
    events = [events[k] for k in order]
    where = [where[k] for k in order]

    def rounded(values: Sequence[float] | NDArray[np.float64], decimals: int) -> list[float]:
        """``round(v, decimals)`` of each value, for all at once."""
        as_python: list[float] = round_like_python(
            np.array(values, dtype=np.float64), decimals
        ).tolist()
        return as_python

    # every position and footprint in one transform each
    rings = round_like_python(grid.box_rings_lonlat([o.bbox_px for o in where]), DEGREES_DECIMALS)
    corners = zip(rings[..., 0].ravel().tolist(), rings[..., 1].ravel().tolist(), strict=True)
    lons, lats = grid.pixels_to_lonlat(
        np.array([o.row for o in where], dtype=np.float64),
        np.array([o.col for o in where], dtype=np.float64),
    )
    area_px = [o.area_px for o in where]
    k = len(events)
    columns: dict[str, Sequence[Any]] = {
        "id": [ids[j] for j in order],
        "site": [site] * k,
        "zone": [o.zone for o in where],
        "zone_kind": [o.zone_kind for o in where],
        "object_class": [o.object_class for o in where],
        "event": [e.event for e in events],
        "lon": rounded(lons, DEGREES_DECIMALS),
        "lat": rounded(lats, DEGREES_DECIMALS),
        "footprint": list(zip(*[iter(corners)] * rings.shape[1], strict=True)),
        "bbox_px": [o.bbox_px for o in where],
        "area_px": area_px,
        "area_m2": rounded(
            np.array(area_px, dtype=np.float64) * grid.pixel_area_m2, METRES_DECIMALS
        ),
        "length_m": rounded([o.length_m for o in where], METRES_DECIMALS),
        "width_m": rounded([o.width_m for o in where], METRES_DECIMALS),
        "orientation_deg": rounded([o.orientation_deg for o in where], METRES_DECIMALS),
        "mean_change": rounded([o.mean_change for o in where], MAGNITUDE_DECIMALS),
        "contrast": rounded([o.contrast for o in where], SCORE_DECIMALS),
        "confidence": confidence[order].tolist(),
        "detectable": [o.detectable for o in where],
        "before": [before[0]] * k,
        "after": [after[0]] * k,
        "before_date": [before[1]] * k,
        "after_date": [after[1]] * k,
        "notes": [_event_notes(e) for e in events],
    }
    return records_from_columns(Detection, columns)


def _event_notes(e: ObjectEvent) -> tuple[str, ...]:
    """The notes of a matched event's record: how far it moved, and whether its object is
    below what the sensor resolves."""
    o = e.where
    notes: list[str] = []
    if e.event is Event.MOVED and e.before is not None and e.after is not None:
        notes.append(
            f"moved {e.distance_m:.0f} m from row {e.before.row:.1f}, col {e.before.col:.1f}"
        )
    if not o.detectable:
        notes.append(f"{o.length_m:.0f} m is below what this sensor resolves reliably")
    return tuple(notes)
