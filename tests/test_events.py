"""Matching objects between dates: events, timelines, zone counts."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.detect.events import (
    MatchParams,
    Observation,
    match_objects,
    possible_misses,
    timeline,
    zone_counts,
)
from basewatch.records import Event, ObjectClass

PX = 10.0


def _obs(
    row: float,
    col: float,
    *,
    length: float = 60.0,
    zone: str = "apron",
    cls: ObjectClass = ObjectClass.AIRCRAFT,
    day: int = 1,
    name: str = "",
) -> Observation:
    half = length / PX / 2
    return Observation(
        id=name or f"{row},{col},{day}",
        scene=f"d{day}",
        date=dt.date(2024, 12, day),
        object_class=cls,
        row=row,
        col=col,
        x_m=col * PX,
        y_m=row * PX,
        length_m=length,
        width_m=length,
        orientation_deg=0.0,
        area_px=int((2 * half) ** 2),
        bbox_px=(int(row - half), int(col - half), int(row + half), int(col + half)),
        confidence=0.9,
        detectable=True,
        zone=zone,
    )


def _kinds(events: list) -> dict[str, int]:  # type: ignore[type-arg]
    out: dict[str, int] = {}
    for e in events:
        out[e.event.value] = out.get(e.event.value, 0) + 1
    return out


def test_four_kinds_of_event() -> None:
    before = [_obs(10, 10), _obs(50, 50), _obs(90, 90)]
    after = [_obs(10.5, 10), _obs(50, 70), _obs(200, 200)]
    ev = match_objects(before, after)
    assert _kinds(ev) == {"persisted": 1, "moved": 1, "disappeared": 1, "appeared": 1}
    moved = next(e for e in ev if e.event is Event.MOVED)
    assert moved.distance_m == pytest.approx(200.0)
    assert next(e for e in ev if e.event is Event.DISAPPEARED).before.row == 90  # type: ignore[union-attr]


def test_swapping_dates_swaps_appeared_and_disappeared() -> None:
    before = [_obs(10, 10), _obs(50, 50), _obs(90, 90)]
    after = [_obs(10.5, 10), _obs(50, 70), _obs(200, 200), _obs(300, 10)]
    fwd = _kinds(match_objects(before, after))
    bwd = _kinds(match_objects(after, before))
    assert fwd["appeared"] == bwd["disappeared"] and fwd["disappeared"] == bwd["appeared"]
    assert fwd["persisted"] == bwd["persisted"] and fwd["moved"] == bwd["moved"]


def test_classes_do_not_match_across_and_distance_gates() -> None:
    a = [_obs(10, 10, cls=ObjectClass.VESSEL)]
    b = [_obs(10, 10, cls=ObjectClass.AIRCRAFT)]
    assert _kinds(match_objects(a, b)) == {"disappeared": 1, "appeared": 1}
    far = [_obs(10, 50, cls=ObjectClass.VESSEL)]  # 400 m away
    assert _kinds(match_objects(a, far, params=MatchParams(max_distance_m=300))) == {
        "disappeared": 1,
        "appeared": 1,
    }
    assert _kinds(match_objects(a, far, params=MatchParams(max_distance_m=500))) == {"moved": 1}


def test_timeline_and_counts_per_apron() -> None:
    d1 = [_obs(10, 10, day=1), _obs(50, 50, day=1, zone="north apron")]
    d2 = [_obs(10, 10, day=2), _obs(52, 50, day=2, zone="north apron"), _obs(80, 80, day=2)]
    d3 = [_obs(10, 10, day=3)]
    tracks = timeline([d1, d2, d3])
    assert len(tracks) == 3
    first = tracks[0]
    assert first.present() == (True, True, True)
    assert first.events() == (Event.PERSISTED, Event.PERSISTED)
    assert tracks[1].events() == (Event.PERSISTED, Event.DISAPPEARED)
    assert tracks[2].present() == (False, True, False)
    assert tracks[2].events() == (Event.APPEARED, Event.DISAPPEARED)
    counts = zone_counts([d1, d2, d3], object_class=ObjectClass.AIRCRAFT)
    assert counts == {"apron": [1, 2, 1], "north apron": [1, 1, 0]}


def test_a_track_broken_by_one_missed_date_is_named_not_bridged() -> None:
    """A ship at anchor seen on the first and third dates, not on the second (below the
    threshold that day): the tracks do not guess it is one ship, but possible_misses
    names the pair, so that no report reads it as leaving and coming back unsaid."""
    ship = ObjectClass.VESSEL
    days = [
        [_obs(100, 100, cls=ship, day=1), _obs(400, 400, cls=ship, day=1)],
        [_obs(400, 401, cls=ship, day=2)],  # the ship at (100, 100) missed
        [_obs(101, 100, cls=ship, day=3), _obs(400, 402, cls=ship, day=3)],
    ]
    tracks = timeline(days)
    assert [t.present() for t in tracks] == [
        (True, False, False),
        (True, True, True),
        (False, False, True),
    ]
    (miss,) = possible_misses(tracks)
    assert (miss.before_track, miss.after_track, miss.missed) == (0, 2, 1)
    assert miss.distance_m == pytest.approx(PX)
    # far away, or of another class: not the same object
    moved = [days[0], days[1], [_obs(300, 100, cls=ship, day=3), days[2][1]]]
    assert possible_misses(timeline(moved)) == []
    plane = [days[0], days[1], [_obs(101, 100, day=3), days[2][1]]]
    assert possible_misses(timeline(plane)) == []


def test_objects_of_other_sizes_at_one_place_are_two_objects() -> None:
    """A 68 m hull on one date and a 175 m one at the same quay on the next are two
    ships (one gone, one come), not one that stayed; lengths a pixel or two apart, or
    of a small object measured 12 and 40 m, are one object's."""
    cls = ObjectClass.VESSEL
    small, large = (
        _obs(50, 50, length=68.0, cls=cls, day=1),
        _obs(50, 52, length=175.0, cls=cls, day=2),
    )
    assert _kinds(match_objects([small], [large])) == {"disappeared": 1, "appeared": 1}
    same = _obs(50, 52, length=80.0, cls=cls, day=2)
    assert _kinds(match_objects([small], [same])) == {"persisted": 1}
    tiny, noisy = (
        _obs(50, 50, length=12.0, cls=cls, day=1),
        _obs(50, 50, length=40.0, cls=cls, day=2),
    )
    assert _kinds(match_objects([tiny], [noisy])) == {"persisted": 1}
    # positions alone where asked (comparing with another detector's lists)
    anywhere = MatchParams(max_length_ratio=float("inf"))
    assert _kinds(match_objects([small], [large], params=anywhere)) == {"persisted": 1}
    # a timeline follows the same rule: two tracks
    assert len(timeline([[small], [large]])) == 2
