"""Changed objects and single-date objects combined: aircraft confirmation and one event per object.

Pure code, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from basewatch.detect.boxes import touching_pairs
from basewatch.detect.confidence import OTHER_CLASS_FACTOR
from basewatch.detect.events import ObjectEvent, Observation
from basewatch.records import Detection, Event, ObjectClass, replaced


def confirm_aircraft(
    change: Sequence[Detection],
    seen: tuple[Sequence[Observation], Sequence[Observation]],
    *,
    margin_px: int = 1,
) -> list[Detection]:
    """Keep a change-path *aircraft* only where an aircraft was seen on the date it is
    present.

    The change path says that something changed; whether it was an aircraft is better
    judged on the image where it stands: :func:`date_observations` wants an
    aircraft-sized object bright in every band (paint), which the changing vehicles
    and roofs of a car park at the edge of an apron are not. An aircraft *appeared*
    (*disappeared*) with no single-date aircraft whose box touches it (within
    ``margin_px``) on the after (before) date becomes *other*, with a note saying so,
    and its confidence is multiplied by
    :data:`~basewatch.detect.confidence.OTHER_CLASS_FACTOR`.
    Vessels are left alone: a ship moored against a quay is seen by the change path
    only.

    Parameters
    ----------
    change : sequence of Detection
        From :func:`extract_detections`.
    seen : (sequence of Observation, sequence of Observation)
        Objects found on the before and on the after date.
    margin_px : int
        How far apart (pixels) two boxes may be and still touch.

    Returns
    -------
    list of Detection
    """
    out: list[Detection] = []
    confirmed: set[int] = set()
    for when, event in ((0, Event.DISAPPEARED), (1, Event.APPEARED)):
        cands = [
            k
            for k, d in enumerate(change)
            if d.object_class is ObjectClass.AIRCRAFT and d.event is event
        ]
        aircraft = [o.bbox_px for o in seen[when] if o.object_class is ObjectClass.AIRCRAFT]
        ia, _ = touching_pairs([change[k].bbox_px for k in cands], aircraft, margin=margin_px)
        confirmed.update(cands[i] for i in ia.tolist())
    for k, d in enumerate(change):
        if (
            d.object_class is ObjectClass.AIRCRAFT
            and d.event in (Event.APPEARED, Event.DISAPPEARED)
            and k not in confirmed
        ):
            date = d.after_date if d.event is Event.APPEARED else d.before_date
            d = replaced(
                d,
                object_class=ObjectClass.OTHER,
                confidence=round(d.confidence * OTHER_CLASS_FACTOR, 3),
                notes=(
                    *d.notes,
                    f"no aircraft found here on {date} by single-date detection "
                    "(aircraft-sized and bright in every band): vehicles, roofs or "
                    "surface, not an aircraft",
                ),
            )
        out.append(d)
    return out


def merge_object_events(
    change: Sequence[Detection],
    matched: Sequence[ObjectEvent],
    *,
    margin_px: int = 1,
) -> tuple[list[Detection], list[ObjectEvent]]:
    """Merge change-based detections with events from matching single-date objects.

    One physical object gives one event. The change path (pixels that changed between
    the dates) is the direct evidence, so it wins wherever the two overlap (boxes
    within ``margin_px`` pixels, either end of a matched pair): a matched *appeared* or
    *disappeared* that agrees with an overlapping change detection of the same class
    and event confirms it (a note is added); any other overlapping matched event is
    dropped. Matched *appeared*/*disappeared* with no change behind them are dropped
    too (a single-date detection flickering across its threshold is not an event).
    What is added: *persisted* and *moved* objects that no change detection touches,
    and *moved* objects whose two ends are exactly a change *disappeared* (before end)
    and a change *appeared* (after end) of the same class: those two change detections
    are replaced by the one move. The rule is symmetric in the dates.

    Parameters
    ----------
    change : sequence of Detection
        From :func:`~basewatch.detect.changed.extract_detections` (after
        :func:`confirm_aircraft`).
    matched : sequence of ObjectEvent
        From :func:`~basewatch.detect.events.match_objects` on the two dates'
        single-date objects.
    margin_px : int
        How far apart (pixels) two boxes may be and still touch.

    Returns
    -------
    detections : list of Detection
        The change detections (some with a confirming note).
    added : list of ObjectEvent
        The matched events to report as well.
    """
    out = list(change)
    boxes = [d.bbox_px for d in change]
    touch_before = _touching(boxes, [e.before for e in matched], margin_px)
    touch_after = _touching(boxes, [e.after for e in matched], margin_px)
    removed: set[int] = set()
    added: list[ObjectEvent] = []
    note = "also found by single-date detection and matching"
    for k, e in enumerate(matched):
        hits = sorted((touch_before.get(k, set()) | touch_after.get(k, set())) - removed)
        if e.event in (Event.APPEARED, Event.DISAPPEARED):
            for i in hits:
                d = out[i]
                same = d.event is e.event and d.object_class is e.where.object_class
                if same and note not in d.notes:
                    out[i] = replaced(d, notes=(*d.notes, note, _own_size(e.where, d)))
        elif not hits:
            added.append(e)
        elif e.event is Event.MOVED and e.before is not None and e.after is not None:
            cls = e.where.object_class
            gone = {
                i
                for i in touch_before.get(k, set()) & set(hits)
                if out[i].event is Event.DISAPPEARED and out[i].object_class is cls
            }
            came = {
                i
                for i in touch_after.get(k, set()) & set(hits)
                if out[i].event is Event.APPEARED and out[i].object_class is cls
            }
            if gone and came and gone | came == set(hits):
                # the change path saw both ends of one move: report the move once
                removed |= gone | came
                added.append(e)
    return [d for i, d in enumerate(out) if i not in removed], added


def _own_size(seen: Observation, change: Detection) -> str:
    """The size of the object on the image where it stands, beside the changed area's,
    in words: the changed area also holds the object's shadow (a ship's wake) and any
    misalignment, so its length may exceed the object's."""
    when = f" on {seen.date.isoformat()}" if seen.date is not None else ""
    return (
        f"measured on its own image{when}: {seen.length_m:.0f} x {seen.width_m:.0f} m (the "
        f"changed area, {change.length_m:.0f} x {change.width_m:.0f} m, also holds its "
        "shadow or wake and any misalignment)"
    )


def _touching(
    boxes: Sequence[tuple[int, int, int, int]],
    ends: Sequence[Observation | None],
    margin: int,
) -> dict[int, set[int]]:
    """For each end (by index; None ends skipped), the indices of ``boxes`` it touches."""
    present = [(k, o.bbox_px) for k, o in enumerate(ends) if o is not None]
    which = [k for k, _ in present]
    ia, ib = touching_pairs(boxes, [box for _, box in present], margin=margin)
    out: dict[int, set[int]] = {}
    for i, j in zip(ia.tolist(), ib.tolist(), strict=True):
        out.setdefault(which[j], set()).add(i)
    return out
