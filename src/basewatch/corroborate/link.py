"""Link claims to detections and decide what the imagery says about each claim.

Pure: no file or network access. The inputs are :class:`~basewatch.corroborate.claims.Claim`
records, :class:`~basewatch.records.Detection` records and :class:`Coverage` facts
(which imagery a run had for a site: dates, sensor, clouds, pixel size, zones). For
each claim :func:`assess` returns a :class:`ClaimVerdict`:

``supports``
    Detections of the claimed class, at the claimed site and zone, with the event the
    action implies (loading/departing/withdrawing/dismantling <-> disappeared,
    arriving/unloading <-> appeared, stationed <-> persisted, moving <-> any), between
    imagery dates that bracket the claimed date.
``contradicts``
    The imagery covers the site and dates, resolves the object, and shows no such
    event (stronger when it shows the opposite event); for an arrival or departure, both
    images lie within :attr:`LinkParams.stay_days` of the claimed dates.
``no coverage``
    No imagery of the site, imagery that does not bracket the date, clouds, an AOI that
    lacks the claimed zone (frigates *offshore*), a place basewatch does not watch, or
    images so far from a claimed arrival or departure that the object may have come and
    gone between them.
``cannot resolve``
    The object is smaller than two resolution cells of the sensor (a Ka-52 or an S-400
    truck at 10 m): the imagery can neither support nor contradict the claim.

Claims with a number ("two An-124", "three frigates") are also held against the
objects a run counted on each date in the claimed zones (:class:`ZoneCount`, from the
run's ``zone_counts``): as many as claimed on a date that matters for the action
supports the claim (the number, and the action too when an event fits); fewer
contradicts it, but only where the object is resolvable, every zone counted was
valid on both dates (:attr:`LinkParams.min_zone_valid`) and is counted whole: counts
in harbours, berths and on airfield pavement are lower bounds (:data:`COUNT_GAPS`),
and vessels in open water are held to the search's measured open-water recall
(:attr:`Coverage.vessel_open_recall`, :attr:`LinkParams.max_miss_chance`), as are
claims of ships arriving or leaving that no event shows (a run sees a ship move where
its search finds it on the date it was there). Claims of aircraft arriving or leaving
with no fitting event are *cannot resolve* on airfield pavement: the change path calls
a change an aircraft only where the single-date search, which misses most parked
aircraft there, found one (:func:`~basewatch.detect.merge.confirm_aircraft`); changed
objects of the claimed size it did not confirm are named. Only events of an object of
the claimed type's size speak against a claim. Where a
zone was not seen well enough, fewer objects than claimed is *no coverage* (or, when an
event fits, a support whose reason names the shortfall). Fitting events stand against a
short count (a single-date count misses objects the change path sees, such as a ship
moored against a quay): the claim is supported, scored by the share counted, and the
reason says so.
A claim of presence (*stationed*) is held to what each detection shows on the image
dates inside its window: an object that disappeared later was there on the earlier
date, one that appeared was not.
A claimed type's number ("two Il-76", "three frigates") is held against the objects of
its size only (:attr:`ZoneCount.lengths_m`), and a vessel count against what its search
is measured to get right (:attr:`Coverage.vessel_precision`): as many vessels counted
as claimed by a search right on about half of what it finds only *partly supports* the
number (fitting vessel events too: they are that search's vessels), and so does any
evidence of a claimed vessel or aircraft type or class, which 10 m imagery cannot tell
from another object of its size (a merchant ship of a frigate's length, an airliner of
an Il-76's). Radar runs carry their search's agreement with another detector's vessel
lists instead of labelled scores, and are held to it the same way. An aircraft count or
event bears out a claim of aircraft in part only: the aircraft search has no measured
precision where it was not tuned (:attr:`Coverage.aircraft_precision`), so an object it
calls an aircraft may be a roof or a marking of that size.

Scores (0-1), with the weights of :class:`LinkParams`: *supports* is the mean strength
of the best links (detection confidence, times ``weaker_event_weight`` for a weaker
event, ``no_zone_weight`` for a detection without zone, ``size_mismatch_weight`` for a
size far from the claimed object's, and for an arrival or departure the share of the
interval between its images inside the claimed dates, with ``timing_slack_days``: an
event that may have happened well outside them only *partly supports*), times
``count_floor``-1 for how much of the claimed count was found; *contradicts* is
``contradict_score`` scaled by how well the sensor resolves the object and by clear
sky (and, for a count, by the share of the claimed number missing), plus
``opposite_event_bonus`` when the opposite event is seen; a count met without any
fitting event supports at ``count_only_score`` on the same scale; the other verdicts
score 0.

Each verdict carries a score (0-1), the reason in words, and the :class:`Link` records
(claim <-> detection) behind it; :func:`detection_labels` turns those into short labels
per detection for the PNG renderer. Claims from reports grouped as one story
(:func:`basewatch.corroborate.stories.group_near_duplicates`) count as one source.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from basewatch._words import plural
from basewatch.aoi import AIRCRAFT_LOOKALIKES, AIRCRAFT_ZONES, COUNT_GAPS, WATER_ZONES
from basewatch.corroborate.claims import Claim
from basewatch.corroborate.gazetteer import (
    ASSERTED_MODALITIES,
    MODALITIES,
    EquipmentType,
    equipment_type,
    place,
)
from basewatch.errors import InputError
from basewatch.records import Detection, Event, ObjectClass
from basewatch.sensors import SENSOR_RESOLUTION_M


class Verdict(enum.StrEnum):
    """What the imagery says about a claim (see the module's description of each)."""

    SUPPORTS = "supports"
    PARTLY_SUPPORTS = "partly supports"
    CONTRADICTS = "contradicts"
    NO_COVERAGE = "no coverage"
    CANNOT_RESOLVE = "cannot resolve"


#: Modalities of claims that imagery neither supports nor contradicts: a denial ("no
#: ships have docked") or a plan ("expected to depart") says nothing happened.
UNJUDGED_MODALITIES = frozenset(MODALITIES) - ASSERTED_MODALITIES
# what a hedged claim's verdict adds: imagery is held to what the report holds as likely
_HEDGED_NOTE = "the report holds this as likely, not certain (hedged)"

# action -> (events that corroborate it, weaker events, events that speak against it)
ACTION_EVENTS: Mapping[str, tuple[tuple[Event, ...], tuple[Event, ...], tuple[Event, ...]]] = {
    "loading": ((Event.DISAPPEARED,), (Event.PERSISTED,), ()),
    "dismantling": ((Event.DISAPPEARED,), (Event.PERSISTED,), ()),
    "departing": ((Event.DISAPPEARED,), (Event.MOVED,), (Event.APPEARED,)),
    "withdrawing": ((Event.DISAPPEARED,), (Event.MOVED,), (Event.APPEARED,)),
    "arriving": ((Event.APPEARED,), (Event.MOVED,), (Event.DISAPPEARED,)),
    "unloading": ((Event.APPEARED,), (Event.PERSISTED,), (Event.DISAPPEARED,)),
    "stationed": ((Event.PERSISTED,), (Event.APPEARED,), (Event.DISAPPEARED,)),
    "moving": ((Event.MOVED, Event.APPEARED, Event.DISAPPEARED), (), ()),
}

# zone kind a claim names -> detection zone kinds that fall in it
_ZONES: Mapping[str, frozenset[str]] = {
    "approach": frozenset({"approach", "anchorage", "offshore", "roadstead"}),
    "berth": frozenset({"berth", "quay", "pier", "harbour", "basin"}),
    "harbour": frozenset({"harbour", "berth", "basin", "quay", "pier"}),
    "apron": frozenset({"apron", "shelter", "parking", "airfield"}),
    "runway": frozenset({"runway", "taxiway", "apron", "airfield"}),
    "airfield": frozenset({"airfield", "apron", "runway", "taxiway", "shelter", "parking"}),
}


# actions whose objects must be there on one side of the claimed date: a departing
# aircraft on the earlier date, an arriving one on the later; the others on either
_COUNT_SIDE: Mapping[str, str] = {
    "departing": "before",
    "withdrawing": "before",
    "arriving": "after",
}


@dataclass(frozen=True)
class ZoneCount:
    """Objects a run counted in one zone of a site on one date.

    The count is of single-date objects (aircraft in aircraft zones, vessels in water
    zones; any type of that size).

    Attributes
    ----------
    zone : str
        Zone name (``"Terminal apron"``).
    kind : str
        Zone kind (``"apron"``, ``"harbour"``...; ``""`` when the run did not record it).
    date : datetime.date
        Acquisition date.
    count : int
        Objects counted.
    valid_fraction : float or None
        Fraction of the zone valid on both dates of the run (None: unknown): whether a
        low count means few objects or an unseen zone.
    lengths_m : tuple of float or None
        The length of each object counted, metres (None: the run did not record them,
        as records before ``zone_lengths_m`` did not): a claimed type's number is held
        against the objects of its size only.
    """

    zone: str
    kind: str
    date: dt.date
    count: int
    valid_fraction: float | None = None
    lengths_m: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if self.lengths_m is not None and len(self.lengths_m) != self.count:
            raise InputError(
                f"zone count of {self.zone} on {self.date}: {self.count} objects but "
                f"{len(self.lengths_m)} lengths; a run record's zone_lengths_m must list "
                "one length per object of its zone_counts"
            )

    @property
    def object_class(self) -> ObjectClass | None:
        """The class counted in a zone of this kind (None: kind unknown)."""
        if self.kind in AIRCRAFT_ZONES:
            return ObjectClass.AIRCRAFT
        if self.kind in WATER_ZONES:
            return ObjectClass.VESSEL
        return None


@dataclass(frozen=True)
class Coverage:
    """Imagery a run had for one site.

    Raises :class:`~basewatch.errors.InputError` for inconsistent facts (one date only,
    end before start, pixel size <= 0, cloud fraction outside 0-1, negative counts).

    Attributes
    ----------
    site : str
        Site id.
    sensor : str
        ``"S2"``, ``"S1"`` or ``""`` (unknown).
    start, end : datetime.date or None
        First and last acquisition dates (None: no imagery at all, and ``note`` says
        why).
    cloud_fraction : float or None
        Worst fraction of the AOI lost to clouds on any date (None for SAR or unknown).
    pixel_size_m : float
        Ground pixel spacing; :attr:`resolution_m` is the size of one resolution cell
        (larger for Sentinel-1: ~20 m for 10 m pixels).
    scenes : tuple of str
        Scene ids used.
    zones : tuple of str
        Zone kinds the AOI contains (empty: unknown, taken as all).
    events : tuple of str
        Events the run can report (a change detector sees no *persisted* object;
        empty: unknown, taken as all).
    run : str
        The run folder.
    note : str
        Why there is no imagery (the run's warnings).
    zone_counts : tuple of ZoneCount
        Objects the run counted per zone and date (empty: the run counted none).
    vessel_search : str
        How the run found each date's vessels and what that search scores on ports it
        was not tuned on, as its record says (``""``: not said); told with every vessel
        count a verdict gives.
    vessel_precision : float or None
        That search's precision on those ports (None: not said): the share of a vessel
        count that can be taken for ships when a count is held against a claimed number.
    vessel_open_recall : float or None
        The share of ships with open water all around that search finds on those ports
        (None: not said): how likely a ship claimed in open water was missed.
    aircraft_search : str
        How the run found each date's aircraft and what is known of how well where it
        was not tuned, as its record says (``""``: not said).
    aircraft_precision : float or None
        That search's measured precision where it was not tuned (None: not measured, as
        for every run today): without it, what the run counts or sees change as
        aircraft supports a claim of aircraft in part only.
    """

    site: str
    sensor: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    cloud_fraction: float | None = None
    pixel_size_m: float = 10.0
    scenes: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    run: str = ""
    note: str = ""
    zone_counts: tuple[ZoneCount, ...] = ()
    vessel_search: str = ""
    vessel_precision: float | None = None
    vessel_open_recall: float | None = None
    aircraft_search: str = ""
    aircraft_precision: float | None = None

    def __post_init__(self) -> None:
        for name in ("vessel_precision", "vessel_open_recall", "aircraft_precision"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= value <= 1.0:
                what = name.replace("_", " ")
                raise InputError(f"coverage of {self.site}: {what} must be within 0..1")
        if (self.start is None) != (self.end is None):
            raise InputError(f"coverage of {self.site}: give both start and end dates, or neither")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise InputError(
                f"coverage of {self.site}: end {self.end} is before start {self.start}"
            )
        if not self.pixel_size_m > 0:
            raise InputError(f"coverage of {self.site}: pixel size must be > 0 m")
        if self.cloud_fraction is not None and not 0.0 <= self.cloud_fraction <= 1.0:
            raise InputError(f"coverage of {self.site}: cloud fraction must be within 0..1")
        for zc in self.zone_counts:
            if zc.count < 0:
                raise InputError(f"coverage of {self.site}: negative count in {zc.zone}")

    @property
    def has_imagery(self) -> bool:
        """Whether the run had any imagery of the site."""
        return self.start is not None

    @property
    def resolution_m(self) -> float:
        """Size of one resolution cell in metres (Sentinel-1: at least its resolution)."""
        if self.sensor.upper().startswith("S1"):
            return max(self.pixel_size_m, SENSOR_RESOLUTION_M["S1"])
        return self.pixel_size_m

    def describe(self) -> str:
        """The imagery in words: sensor, dates, pixel size and clouds."""
        if self.start is None or self.end is None:
            return f"no imagery of {self.site}" + (f" ({self.note})" if self.note else "")
        clouds = "" if self.cloud_fraction is None else f", clouds {self.cloud_fraction:.0%}"
        sensor = f"{self.sensor} " if self.sensor else ""
        return (
            f"{sensor}imagery {self.start.isoformat()} to {self.end.isoformat()} at "
            f"{self.pixel_size_m:g} m{clouds}"
        )


@dataclass(frozen=True)
class CatalogScene:
    """A scene a catalogue lists for a site (no pixels): what could be fetched.

    Attributes
    ----------
    id : str
        Scene id.
    sensor : str
        Sensor key; Sentinel-1 keys carry the relative orbit (``"S1 track 14"``): a change
        pair must come from one track.
    date : datetime.date
        Acquisition date.
    cloud_fraction : float or None
        The catalogue's scene-level (tile) cloud cover, 0-1, or None (SAR, unknown).
    """

    id: str
    sensor: str
    date: dt.date
    cloud_fraction: float | None = None

    def describe(self) -> str:
        """The scene in words: id, date and clouds."""
        clouds = "" if self.cloud_fraction is None else f", clouds {self.cloud_fraction:.0%}"
        return f"{self.id} ({self.date.isoformat()}{clouds})"


@dataclass(frozen=True)
class Link:
    """One claim <-> detection relation and how strong it is.

    Attributes
    ----------
    claim_id : str
        :attr:`Claim.id <basewatch.corroborate.claims.Claim.id>` of the claim.
    detection_id : str
        :attr:`Detection.id <basewatch.records.Detection.id>` of the detection.
    relation : str
        ``"supports"`` or ``"contradicts"``.
    score : float
        Strength of the relation, 0-1 (rounded to 3 decimals).
    reason : str
        The relation in words (event, zone, dates, confidence, size).
    event : Event or None
        The detection's event: what the imagery shows the object did (None: unknown).
    """

    claim_id: str
    detection_id: str
    relation: str
    score: float
    reason: str
    event: Event | None = None


@dataclass(frozen=True)
class ClaimVerdict:
    """The verdict on one claim.

    Attributes
    ----------
    claim_id : str
        :attr:`Claim.id <basewatch.corroborate.claims.Claim.id>` of the claim judged.
    report_id : str
        Report the claim comes from.
    group_id : str
        Story group of that report (its own id when it retells no other report).
    verdict : Verdict
        What the imagery says about the claim.
    score : float
        How strongly, 0-1 (0 for *no coverage* and *cannot resolve*).
    reason : str
        The verdict in words: imagery, dates, detections and counts behind it.
    links : tuple of Link
        The detections behind the verdict, strongest first.
    coverage : Coverage or None
        The imagery the verdict rests on (None: no run covers the site).
    sources : int
        Independent stories (report groups) making a claim of this story.
    source_reports : tuple of str
        The reports making a claim of this story, sorted.
    """

    claim_id: str
    report_id: str
    group_id: str
    verdict: Verdict
    score: float
    reason: str
    links: tuple[Link, ...] = ()
    coverage: Coverage | None = None
    sources: int = 1
    source_reports: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkParams:
    """Thresholds and weights of linking (all in one place, recorded with the results).

    Raises :class:`~basewatch.errors.InputError` for values outside their range.
    """

    min_pixels: float = 2.0
    """An object must span at least this many resolution cells to be resolvable."""
    max_cloud: float = 0.5
    """Imagery losing more than this fraction of the AOI to clouds is no coverage."""
    undated_lookback_days: int = 30
    """Window before publication for claims the report does not date."""
    stationed_slack_days: int = 0
    """Imagery this many days off a 'stationed' claim date still counts (0: imagery
    outside the claimed window is no evidence for or against the claim)."""
    min_link_score: float = 0.15
    """Links weaker than this are not kept."""
    min_zone_valid: float = 0.5
    """A count below the claimed number contradicts a claim only where every zone
    counted had at least this fraction of its pixels valid on both dates."""
    weaker_event_weight: float = 0.5
    """Link strength factor for an event that fits the action less well (the second
    group of :data:`ACTION_EVENTS`: an aircraft that stayed put, for 'loading')."""
    no_zone_weight: float = 0.8
    """Link strength factor for a detection in no zone, when the claim names a zone."""
    size_ratio_min: float = 0.6
    """Smallest detected length / claimed object size that counts as the object's size;
    a detection outside these ratios is not linked (a 60 m coaster is no frigate)."""
    size_ratio_max: float = 1.6
    """Largest detected length / claimed object size that counts as the object's size."""
    size_mismatch_weight: float = 0.0
    """Link strength factor for a detection whose size is outside those ratios (0: such
    a detection supports nothing)."""
    count_floor: float = 0.5
    """A support scores its best links' mean strength times this factor when none of
    the claimed number was found, rising linearly to 1 when all of it was."""
    well_resolved_factor: float = 2.0
    """An object spanning this many times :attr:`min_pixels` cells or more is fully
    resolved; the scores of contradictions and counts scale down linearly below it."""
    contradict_score: float = 0.5
    """Score of a contradiction by imagery that fully resolves the object under a clear
    sky; scaled by resolution and clear sky (for a count, also by the share of the
    claimed number missing)."""
    opposite_event_bonus: float = 0.3
    """Added to a contradiction's score (capped at 1) when the opposite event is seen."""
    opposite_link_weight: float = 0.8
    """Strength of a 'contradicts' link to a detection of the opposite event, as a
    factor of its confidence."""
    count_only_score: float = 0.4
    """Score of a support by a count alone (as many objects as claimed, no fitting
    event), scaled by resolution and clear sky."""
    max_miss_chance: float = 0.25
    """Vessels claimed in open water and not found contradict the claim only where the
    chance that the search missed all of them (one minus its measured open-water
    recall, to the power of the number missing) is at most this; above it, absence is
    not shown."""
    timing_slack_days: int = 15
    """An event seen between two images happened at some time between them: it fully
    supports a claim of an arrival or departure only where at most this many days of
    that interval lie outside the claimed dates (about three Sentinel-2 revisits, what
    clouds commonly leave between usable images; a policy, not fitted to data). Beyond
    it the support is partial, scored by the share of the interval inside the claimed
    dates (with this slack)."""
    stay_days: int = 15
    """A claimed arrival or departure (or loading, dismantling, move) that no event
    shows is contradicted only where both images lie at most this many days from the
    claimed dates. Beyond it, an object that came in the claimed days may have left
    again before the later image, one that left may have come after the earlier image
    or come back before the later one, and neither leaves a change to see: no fitting
    event is then *no coverage*. About three Sentinel-2 revisits, as
    :attr:`timing_slack_days`; a policy (ships and aircraft often stay days, not
    weeks), not fitted to data."""

    def __post_init__(self) -> None:
        for name in (
            "max_cloud",
            "min_link_score",
            "min_zone_valid",
            "weaker_event_weight",
            "no_zone_weight",
            "size_mismatch_weight",
            "count_floor",
            "contradict_score",
            "opposite_event_bonus",
            "opposite_link_weight",
            "count_only_score",
            "max_miss_chance",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise InputError(f"link parameter {name} = {value!r} must be within 0..1")
        for name in ("min_pixels", "well_resolved_factor", "size_ratio_min"):
            if not getattr(self, name) > 0:
                raise InputError(f"link parameter {name} must be > 0")
        if not self.size_ratio_max > self.size_ratio_min:
            raise InputError("link parameter size_ratio_max must exceed size_ratio_min")
        days = (
            self.undated_lookback_days,
            self.stationed_slack_days,
            self.timing_slack_days,
            self.stay_days,
        )
        if min(days) < 0:
            raise InputError("link parameters in days must be >= 0")


# EquipmentType.specificity of a class ("frigate") or named type: more than "ships"
_TYPED = 2

# the finest Sentinel pixel (m): the most fetching imagery of a site could give
_FINEST_PIXEL_M = 10.0


@dataclass(frozen=True)
class _Window:
    """The dates a claim is about, and how a reason names them."""

    start: dt.date | None
    end: dt.date | None
    """First and last day (None: an undated claim in an undated report)."""
    slack_days: int
    """Imagery this many days off still counts."""
    text: str
    """The window in words (``"claimed date 2016-05-01"``)."""

    def bracketed_by(self, before: dt.date, after: dt.date) -> bool:
        """True when imagery dated ``before`` and ``after`` brackets the window."""
        return _brackets(before, after, self.start, self.end, self.slack_days)

    def timing(self, before: dt.date, after: dt.date, slack_days: int) -> tuple[float, int]:
        """How well an event seen between images dated ``before`` and ``after`` is placed
        in the window: the share of the interval's days inside it, with ``slack_days``
        added (at most 1), and the days of the interval outside it (0 and 1 for an
        undated window)."""
        if self.start is None or self.end is None:
            return 1.0, 0
        days = max(1, (after - before).days)
        first = max(before + dt.timedelta(days=1), self.start)
        inside = max(0, (min(after, self.end) - first).days + 1)
        outside = max(0, days - inside)
        return min(1.0, (inside + slack_days) / days), outside

    def contains(self, day: dt.date) -> bool:
        """True when imagery of ``day`` observed the window itself (with the slack)."""
        if self.start is None or self.end is None:
            return True
        pad = dt.timedelta(days=self.slack_days)
        return self.start - pad <= day <= self.end + pad

    def nearest(self, days: Iterable[dt.date]) -> str:
        """The imagery dates nearest the window, before and after it, in words."""
        ordered = sorted(set(days))
        if self.start is None or self.end is None or not ordered:
            return ""
        lo, hi = self.start, self.end
        before = [d for d in ordered if d < lo]
        after = [d for d in ordered if d > hi]
        parts = []
        if before:
            parts.append(
                f"{before[-1].isoformat()} ({plural((lo - before[-1]).days, 'day')} before)"
            )
        if after:
            parts.append(f"{after[0].isoformat()} ({plural((after[0] - hi).days, 'day')} after)")
        return " and ".join(parts)


def _claim_window(claim: Claim, published: dt.date | None, params: LinkParams) -> _Window:
    slack = params.stationed_slack_days if claim.action == "stationed" else 0
    if claim.date_from is not None and claim.date_to is not None:
        if claim.date_from == claim.date_to:
            text = f"claimed date {claim.date_from.isoformat()}"
        else:
            text = f"claimed dates {claim.date_from.isoformat()} to {claim.date_to.isoformat()}"
        return _Window(claim.date_from, claim.date_to, slack, text)
    if published is not None:
        start = published - dt.timedelta(days=params.undated_lookback_days)
        text = (
            f"undated claim, taken as the {params.undated_lookback_days} days before "
            f"publication ({start.isoformat()} to {published.isoformat()})"
        )
        return _Window(start, published, slack, text)
    return _Window(None, None, slack, "undated claim in an undated report")


def _brackets(
    before: dt.date, after: dt.date, lo: dt.date | None, hi: dt.date | None, slack: int
) -> bool:
    """True when imagery dated ``before`` and ``after`` brackets the window [lo, hi]."""
    if lo is None or hi is None:
        return True
    pad = dt.timedelta(days=slack)
    return before <= hi + pad and after >= lo - pad


def _zone_kinds(claim_zone: str) -> frozenset[str]:
    """Zone kinds of detections and AOIs that fall in the zone kind a claim names."""
    return _ZONES.get(claim_zone, frozenset({claim_zone}))


def _zone_weight(claim_zone: str | None, det_zone: str | None, params: LinkParams) -> float:
    """How well a detection's zone fits the claimed zone: 1, ``no_zone_weight`` or 0."""
    if claim_zone is None:
        return 1.0
    if det_zone is None:
        return params.no_zone_weight
    return 1.0 if det_zone.lower() in _zone_kinds(claim_zone) else 0.0


def _coverage_zone_ok(claim_zone: str | None, cov: Coverage) -> bool:
    if claim_zone is None or not cov.zones:
        return True
    allowed = _zone_kinds(claim_zone)
    return any(z.lower() in allowed for z in cov.zones)


def _size_weight(claim: Claim, det: Detection, params: LinkParams) -> float:
    """1 for a detection of about the claimed object's size (or of unknown size, or a
    claim of a generic noun such as "ships", which names no size), else
    ``size_mismatch_weight``."""
    if not (det.length_m > 0 and math.isfinite(det.length_m)):
        return 1.0
    if equipment_type(claim.equipment).specificity < _TYPED:
        return 1.0
    ratio = det.length_m / claim.size_m
    if params.size_ratio_min <= ratio <= params.size_ratio_max:
        return 1.0
    return params.size_mismatch_weight


def _count_text(claim: Claim) -> str:
    if claim.count is None:
        return "several" if claim.count_qualifier == "several" else "some"
    prefix = {"at_least": "at least ", "more_than": "more than ", "about": "about "}.get(
        claim.count_qualifier, ""
    )
    return f"{prefix}{claim.count}"


# "several" or a bare plural claims at least this many objects
_SEVERAL = 2
# rounding slack when a count times a precision is compared with a whole number
_COUNT_EPS = 1e-9


def _wanted(claim: Claim) -> int:
    """The fewest objects that bear the claimed number out."""
    if claim.count is not None:
        return claim.count + (1 if claim.count_qualifier == "more_than" else 0)
    return _SEVERAL if claim.count_qualifier in ("several", "plural") else 1


@dataclass(frozen=True)
class _Counted:
    """What a run's zone counts say about a claim's number."""

    object_class: str
    zones: tuple[str, ...]
    per_date: tuple[tuple[dt.date, int], ...]
    """Objects in those zones on each date of the run, in date order."""
    observed: int
    """Most objects on a date that matters for the action."""
    observed_date: dt.date
    which: str
    """Which dates matter: ``"earlier"``, ``"later"``, ``"claimed"`` (those inside the
    claimed window) or ``""`` (all)."""
    poorly_seen: tuple[tuple[str, float], ...]
    """Zones valid on less than ``min_zone_valid`` of their pixels, with the fraction."""
    gaps: tuple[str, ...] = ()
    """What single-date detection misses in those zones (:data:`COUNT_GAPS`): when any,
    the count is a lower bound, which can support a number but not contradict it."""
    search: str = ""
    """How the counted objects were found and how well (:attr:`Coverage.vessel_search`),
    ``""`` when not said."""
    sized: str = ""
    """The size the counted objects were held to, in words (``"of frigate size,
    75-200 m"``): only those count for a claimed type; ``""`` for a generic noun."""
    unsized: bool = False
    """A claimed type's number held against objects of any size: the run did not
    record the counted objects' lengths."""
    precision: float | None = None
    """The share of the counted objects the search is measured to get right
    (:attr:`Coverage.vessel_precision`, :attr:`Coverage.aircraft_precision`; None: not
    measured)."""
    searched: ObjectClass | None = None
    """The class whose search found the counted objects (vessels first, as for a
    claim; None: neither vessels nor aircraft)."""
    other_sizes: tuple[float, ...] = ()
    """Lengths (m) of the objects counted on :attr:`observed_date` that were left out
    for being of another size than the claimed type's."""

    def text(self) -> str:
        dates = ", ".join(f"{n} on {d.isoformat()}" for d, n in self.per_date)
        how = f" ({self.search})" if self.search else ""
        size = f" {self.sized}" if self.sized else ""
        if self.unsized:
            size = " of any size (the run did not record their lengths)"
        return f"{self.object_class} objects{size} counted in {', '.join(self.zones)}: {dates}{how}"

    @property
    def likely(self) -> float:
        """How many of the objects counted on the date that matters are expected to be
        what was searched for: the count times the search's precision (the count
        itself where that is not measured)."""
        if self.precision is None:
            return float(self.observed)
        return self.observed * self.precision

    def at(self) -> str:
        why = {"claimed": " (inside the claimed window)"}.get(self.which, "")
        return f"{self.observed} on {self.observed_date.isoformat()}{why}"


def _count_evidence(
    claim: Claim,
    equip: EquipmentType,
    cov: Coverage,
    window: _Window,
    params: LinkParams,
) -> _Counted | None:
    """The run's counts in the zones the claim is about, or None (nothing counted there).

    Zones count when their class is one the claimed equipment can be and their kind is
    the claimed zone's (any zone of that class when the claim names none). For a claimed
    type (an Il-76, a frigate) only the objects of its size count (the ratios of
    :class:`LinkParams`, as for linking a detection) where the run recorded their
    lengths. Only dates inside the claimed window count: a count of another day says
    nothing of the number the claim gives for its own days. Of those, for a departure
    the first (the objects were there before they left), for an arrival the last, for
    the other actions the date with most objects.
    """
    if cov.start is None or cov.end is None:
        return None
    allowed = _zone_kinds(claim.zone_kind) if claim.zone_kind else None
    rows = [
        zc
        for zc in cov.zone_counts
        if zc.object_class in equip.object_classes
        and (allowed is None or zc.kind.lower() in allowed)
        and cov.start <= zc.date <= cov.end
    ]
    if not rows:
        return None
    typed = equip.specificity >= _TYPED
    lo, hi = params.size_ratio_min * claim.size_m, params.size_ratio_max * claim.size_m
    totals: dict[dt.date, int] = {}
    others: dict[dt.date, list[float]] = {}
    for zc in rows:
        n = zc.count
        if typed and zc.lengths_m is not None:
            # a claimed type's number: only the objects of its size count (an unknown
            # length counts, as a detection of unknown size links)
            fits = [not (m > 0 and math.isfinite(m)) or lo <= m <= hi for m in zc.lengths_m]
            n = sum(fits)
            others.setdefault(zc.date, []).extend(
                m for m, ok in zip(zc.lengths_m, fits, strict=True) if not ok
            )
        totals[zc.date] = totals.get(zc.date, 0) + n
    side = _COUNT_SIDE.get(claim.action)
    inside = sorted(d for d in totals if window.contains(d))
    if not inside:
        return None
    if side == "before":
        best = inside[0]
    elif side == "after":
        best = inside[-1]
    else:
        best = max(inside, key=lambda d: (totals[d], -d.toordinal()))
    which = "claimed"
    vessels = any(zc.object_class == ObjectClass.VESSEL for zc in rows)
    searched = next((c for c in _SEARCHED if any(zc.object_class == c for zc in rows)), None)
    unsized = typed and any(zc.lengths_m is None for zc in rows)
    fractions = {zc.zone: zc.valid_fraction for zc in rows}
    poorly = tuple(
        (z, f) for z, f in fractions.items() if f is not None and f < params.min_zone_valid
    )
    return _Counted(
        object_class="/".join(sorted({str(zc.object_class) for zc in rows})),
        zones=tuple(fractions),
        per_date=tuple(sorted(totals.items())),
        observed=totals[best],
        observed_date=best,
        which=which,
        poorly_seen=poorly,
        gaps=tuple(sorted({COUNT_GAPS[zc.kind] for zc in rows if zc.kind in COUNT_GAPS})),
        search=cov.vessel_search if vessels else "",
        sized=f"of {equip.name} size, {lo:.0f}-{hi:.0f} m," if typed and not unsized else "",
        unsized=unsized,
        precision=None if searched is None else _precision_of(cov, searched),
        searched=searched,
        other_sizes=tuple(sorted(others.get(best, ()), reverse=True)),
    )


def _catalogue_hint(scenes: Sequence[CatalogScene], window: _Window, params: LinkParams) -> str:
    """What a catalogue offers for a claim without imagery: the tightest bracketing pair.

    Scenes pair only with scenes of the same ``sensor`` key (Sentinel-1 keys carry the
    relative orbit: a change pair must come from one track); a bare ``"S1"`` (track
    unknown) never pairs.
    """
    lo, hi = window.start, window.end
    if not scenes or lo is None or hi is None:
        return ""
    best: dict[str, tuple[int, CatalogScene, CatalogScene]] = {}
    for key in sorted({sc.sensor for sc in scenes}):
        if key == "S1":
            continue
        usable = [
            sc
            for sc in scenes
            if sc.sensor == key
            and (sc.cloud_fraction is None or sc.cloud_fraction <= params.max_cloud)
        ]
        before = [sc for sc in usable if sc.date <= lo]
        if not before:
            continue
        b = max(before, key=lambda sc: sc.date)
        # a later date than the earlier scene's: one scene (of the claimed day) is no pair
        after = [sc for sc in usable if sc.date >= hi and sc.date > b.date]
        if not after:
            continue
        a = min(after, key=lambda sc: sc.date)
        family = key.split()[0]
        span = (a.date - b.date).days
        if family not in best or span < best[family][0]:
            best[family] = (span, b, a)
    if not best:
        return "; the catalogue lists no usable pair of scenes bracketing it either"
    pairs = [f"{b.describe()} and {a.describe()}" for _, b, a in best.values()]
    return "; not fetched, the catalogue lists " + "; or ".join(pairs) + ", which bracket it"


# --------------------------------------------------------------------------- one claim


@dataclass(frozen=True)
class _Outcome:
    """The verdict on one claim, before the story count (see :class:`ClaimVerdict`)."""

    verdict: Verdict
    score: float
    reason: str
    links: tuple[Link, ...] = ()
    coverage: Coverage | None = None


@dataclass(frozen=True)
class _Case:
    """A claim held against the one coverage chosen to judge it."""

    claim: Claim
    equip: EquipmentType
    coverage: Coverage
    window: _Window
    params: LinkParams

    @property
    def pixels(self) -> float:
        """Resolution cells the claimed object spans."""
        return self.equip.size_m / self.coverage.resolution_m

    @property
    def resolvability(self) -> float:
        """0-1: how well the imagery resolves the object (1 at ``well_resolved_factor``)."""
        return min(1.0, self.pixels / (self.params.well_resolved_factor * self.params.min_pixels))

    @property
    def clear_sky(self) -> float:
        """0-1: the share of the AOI clear of clouds on the worst date."""
        return 1.0 - (self.coverage.cloud_fraction or 0.0)

    @property
    def expected(self) -> str:
        """The events that fit the action, in words (``"disappeared or persisted"``)."""
        primary, secondary, _ = ACTION_EVENTS[self.claim.action]
        return " or ".join(e.value for e in (*primary, *secondary))

    @property
    def seen(self) -> str:
        """The imagery, the window and the object's size in cells, in words."""
        return (
            f"{self.coverage.describe()} brackets the {self.window.text} and resolves "
            f"{self.equip.name} ({self.pixels:.1f} cells)"
        )


@dataclass(frozen=True)
class _Fit:
    """A detection whose event fits the claim, and the link it makes."""

    link: Link
    what: str
    """The detection in words: class, event and zone (``"aircraft disappeared in
    Terminal apron"``)."""
    interval_days: int = 0
    """Days between the images the event was seen between."""
    days_outside: int = 0
    """Days of that interval outside the claimed dates, beyond
    :attr:`LinkParams.timing_slack_days` (0: the event is placed in the claimed dates)."""


@dataclass(frozen=True)
class _Evidence:
    """The detections of the chosen imagery that bear on a claim."""

    fits: tuple[_Fit, ...]
    """Detections whose event fits the action, strongest link first."""
    opposing: tuple[Detection, ...]
    """Resolvable detections of an event that speaks against the action."""
    undetectable: int
    """Fitting candidates below the detection limit (not linked)."""
    unconfirmed: int = 0
    """For a claim of an aircraft type: changed objects (class *other*) of its size with
    a fitting event in the claimed zones, which the single-date search did not find as
    aircraft on the date they were there (:func:`~basewatch.detect.merge.confirm_aircraft`)."""

    @property
    def links(self) -> tuple[Link, ...]:
        return tuple(f.link for f in self.fits)

    def described(self) -> str:
        """Up to three kinds of fitting detection, in words."""
        return "; ".join(sorted({f.what for f in self.fits})[:3])


def _assess_one(
    claim: Claim,
    detections: Sequence[Detection],
    coverages: Sequence[Coverage],
    published: dt.date | None,
    params: LinkParams,
    catalogue: Sequence[CatalogScene] = (),
) -> _Outcome:
    """The verdict on one claim: find the imagery, then hold events and counts to it."""
    equip = equipment_type(claim.equipment)
    window = _claim_window(claim, published, params)
    chosen = _choose_coverage(claim, equip, coverages, window, params, catalogue)
    if isinstance(chosen, _Outcome):
        return chosen
    if claim.modality in UNJUDGED_MODALITIES:
        held = "denies" if claim.modality == "denied" else "only expects or plans"
        return _Outcome(
            Verdict.CANNOT_RESOLVE,
            0.0,
            f"the report {held} this ({claim.modality}); imagery is held only to what "
            "a report says happened",
            (),
            chosen,
        )
    case = _Case(claim, equip, chosen, window, params)
    if case.pixels < params.min_pixels:
        return _Outcome(
            Verdict.CANNOT_RESOLVE,
            0.0,
            f"{equip.name} (~{equip.size_m:g} m) spans {case.pixels:.1f} resolution cells at "
            f"{chosen.resolution_m:g} m; at least {params.min_pixels:g} are needed to see it",
            (),
            chosen,
        )
    evidence = _fitting_events(case, detections)
    counted = (
        _count_evidence(claim, equip, chosen, window, params) if claim.count is not None else None
    )
    count_note = ""
    if counted is not None:
        judged = _judge_count(case, counted, evidence)
        if isinstance(judged, _Outcome):
            return judged
        count_note = judged
    if evidence.fits:
        return _supports(case, evidence, counted, count_note)
    return _absent(case, evidence, count_note)


def _choose_coverage(
    claim: Claim,
    equip: EquipmentType,
    coverages: Sequence[Coverage],
    window: _Window,
    params: LinkParams,
    catalogue: Sequence[CatalogScene],
) -> Coverage | _Outcome:
    """The finest imagery of the claimed site that brackets the window, is clear enough
    and contains the claimed zone; else the *no coverage* verdict saying which failed."""
    site_covs = [c for c in coverages if c.site == claim.site]
    with_imagery = [c for c in site_covs if c.has_imagery]
    if not with_imagery:
        return _without_imagery(claim, equip, site_covs, window, params, catalogue)
    dated = [
        c
        for c in with_imagery
        if c.start is not None
        and c.end is not None
        and c.start < c.end
        and window.bracketed_by(c.start, c.end)
    ]
    if not dated:
        spans = "; ".join(c.describe() for c in with_imagery)
        reason = f"{spans}: no pair of dates brackets the {window.text}"
        return _Outcome(Verdict.NO_COVERAGE, 0.0, reason, (), with_imagery[0])
    clear = [c for c in dated if c.cloud_fraction is None or c.cloud_fraction <= params.max_cloud]
    if not clear:
        worst = min(c.cloud_fraction or 0.0 for c in dated)
        reason = (
            f"clouds cover {worst:.0%} of {claim.site} in the imagery bracketing the "
            f"{window.text} (limit {params.max_cloud:.0%})"
        )
        return _Outcome(Verdict.NO_COVERAGE, 0.0, reason, (), dated[0])
    zoned = [c for c in clear if _coverage_zone_ok(claim.zone_kind, c)]
    if not zoned:
        have = ", ".join(sorted({z for c in clear for z in c.zones}))
        reason = (
            f"the claim is about the {claim.zone_kind} zone of {claim.site}, which the AOI "
            f"does not include (it has: {have})"
        )
        return _Outcome(Verdict.NO_COVERAGE, 0.0, reason, (), clear[0])
    return min(zoned, key=lambda c: c.resolution_m)


def _without_imagery(
    claim: Claim,
    equip: EquipmentType,
    site_covs: Sequence[Coverage],
    window: _Window,
    params: LinkParams,
    catalogue: Sequence[CatalogScene],
) -> _Outcome:
    """*No coverage* of a site no run has imagery of: why, what a catalogue offers, and
    whether fetching could show the object at all."""
    site = place(claim.site)
    if not site_covs and not site.monitored:
        near = f"; the nearest watched site is {site.near}" if site.near else ""
        reason = f"{site.name} is not a site basewatch watches (no AOI, no run){near}"
        return _Outcome(Verdict.NO_COVERAGE, 0.0, reason)
    cells = equip.size_m / _FINEST_PIXEL_M
    anyway = (
        f"; even then, {equip.name} (~{equip.size_m:g} m) would span "
        f"{cells:.1f} cells at {_FINEST_PIXEL_M:g} m, too few to see it"
        if cells < params.min_pixels
        else ""
    )
    hint = _catalogue_hint(catalogue, window, params)
    if not site_covs:
        reason = f"no run covers {claim.site}: no imagery was given for it{hint}{anyway}"
        return _Outcome(Verdict.NO_COVERAGE, 0.0, reason)
    cov = site_covs[0]
    why = cov.note or "the run has no scenes"
    reason = f"no imagery of {claim.site}: {why}{hint}{anyway}"
    return _Outcome(Verdict.NO_COVERAGE, 0.0, reason, (), cov)


def _fitting_events(case: _Case, detections: Sequence[Detection]) -> _Evidence:
    """The detections of the claimed class at the claimed site and zone, between dates
    that bracket the window: those whose event fits the action (linked when resolvable
    and strong enough) and those of the opposite event."""
    claim, params = case.claim, case.params
    primary, secondary, opposite = ACTION_EVENTS[claim.action]
    fits: list[_Fit] = []
    undetectable = 0
    unconfirmed = 0
    opposing: list[Detection] = []
    # a claim that names a type (and so a size) of aircraft
    aircraft = (
        ObjectClass.AIRCRAFT in case.equip.object_classes and case.equip.specificity >= _TYPED
    )
    for det in detections:
        if det.site != claim.site:
            continue
        zone_w = _zone_weight(claim.zone_kind, det.zone_kind, params)
        if zone_w == 0.0 or not case.window.bracketed_by(det.before_date, det.after_date):
            continue
        if det.object_class not in case.equip.object_classes:
            # a changed object of aircraft size in an aircraft zone that no single date
            # showed as an aircraft: perhaps the claimed one, not called so
            unconfirmed += (
                aircraft
                and det.object_class is ObjectClass.OTHER
                and det.event in primary
                and det.detectable
                and (det.zone_kind or "").lower() in AIRCRAFT_ZONES
                and _size_weight(claim, det, params) == 1.0
            )
            continue
        there = _present_inside(case, det)
        # only an object of the claimed type's size speaks against the claim (an
        # airliner leaving says nothing of fighters arriving)
        against = det.detectable and _size_weight(claim, det, params) == 1.0
        if there is False:
            # absent on every image date inside the claimed window (it appeared after,
            # or had gone by then): against a claim of presence, whatever the event
            if against:
                opposing.append(det)
            continue
        if there and det.event not in primary:
            # seen on an image date inside the claimed window, whatever happened on
            # the other date: there as claimed (less directly than staying put)
            event_w = params.weaker_event_weight
        elif det.event in opposite:
            if against:
                opposing.append(det)
            continue
        elif det.event in primary:
            event_w = 1.0
        elif det.event in secondary:
            event_w = params.weaker_event_weight
        else:
            continue
        if not det.detectable:
            undetectable += 1
            continue
        score = det.confidence * event_w * zone_w * _size_weight(claim, det, params)
        if score < params.min_link_score:
            continue
        outside = 0
        if claim.action != "stationed":
            # an arrival or departure happened some time between the two images
            share, outside = case.window.timing(
                det.before_date, det.after_date, params.timing_slack_days
            )
            score *= share
            outside = outside if share < 1.0 else 0
        fits.append(_fit(claim, det, score, outside))
    fits.sort(key=lambda f: -f.link.score)
    return _Evidence(tuple(fits), tuple(opposing), undetectable, unconfirmed)


def _present_inside(case: _Case, det: Detection) -> bool | None:
    """For a claim of presence (*stationed*): whether the detection shows its object
    there on an image date inside the claimed window (True), absent on every such date
    (False); None for other claims or when neither image date is inside the window.

    *Disappeared* objects were there on the earlier date, *appeared* ones on the later,
    *persisted* and *moved* ones on both.
    """
    window = case.window
    if case.claim.action != "stationed" or window.start is None:
        return None
    states = []
    if window.contains(det.before_date):
        states.append(det.event is not Event.APPEARED)
    if window.contains(det.after_date):
        states.append(det.event is not Event.DISAPPEARED)
    return any(states) if states else None


def _fit(claim: Claim, det: Detection, score: float, outside: int = 0) -> _Fit:
    zone = f" in {det.zone}" if det.zone else ""
    what = f"{det.object_class.value} {det.event.value}{zone}"
    reason = (
        f"{what} between {det.before_date.isoformat()} and {det.after_date.isoformat()} "
        f"(confidence {det.confidence:.2f}, ~{det.length_m:.0f} m)"
    )
    if outside:
        reason += f"; up to {outside} days of that interval lie outside the claimed dates"
    link = Link(claim.id, det.id, "supports", round(score, 3), reason, det.event)
    days = (det.after_date - det.before_date).days
    return _Fit(link, what, interval_days=days, days_outside=outside)


def _judge_count(case: _Case, counted: _Counted, evidence: _Evidence) -> _Outcome | str:
    """What the run's count of the claimed number decides: a verdict, or a note for the
    reason of the verdict the events decide (``""``: nothing to add)."""
    claim, params = case.claim, case.params
    claimed = _count_text(claim)
    wanted = _wanted(claim)
    if counted.observed >= wanted and counted.likely + _COUNT_EPS < wanted:
        # as many counted as claimed, but the search is wrong often enough that fewer
        # of them are likely to be what was claimed
        if not evidence.fits:
            return _count_uncertain(case, counted, evidence)
        return f"; {counted.text()}: {counted.at()}, {_likely_text(counted)}"
    if counted.observed >= wanted:
        if not evidence.fits:
            return _count_supports(case, counted, evidence)
        return f"; {counted.text()}: {counted.at()} meets the {claimed} claimed"
    if counted.poorly_seen:
        seen = ", ".join(f"{z} {f:.0%}" for z, f in counted.poorly_seen)
        unseen = (
            f"{counted.text()}: at most {counted.at()}, fewer than the {claimed} "
            f"claimed, but too little of the zone was seen to count them (valid on both "
            f"dates: {seen}; at least {params.min_zone_valid:.0%} needed)"
        )
        if not evidence.fits:
            reason = f"{case.coverage.describe()}: {unseen}"
            return _Outcome(Verdict.NO_COVERAGE, 0.0, reason, (), case.coverage)
        return f"; {unseen}"
    if counted.gaps:
        # a lower bound: fewer counted than claimed is no evidence of fewer there, and
        # some counted on a claimed date still show part of a claimed presence
        if not evidence.fits and counted.observed > 0 and claim.action == "stationed":
            return _partly_counted(case, counted, evidence)
        return (
            f"; {counted.text()}: at least {counted.at()}, fewer than the {claimed} "
            f"claimed{_other_sizes_text(counted)}, but that count is a lower bound "
            f"({'; '.join(counted.gaps)})"
        )
    if evidence.fits or (counted.observed > 0 and claim.action == "stationed"):
        # some of the claimed number was seen: the verdict is graded (partly supports),
        # never a support of the full number
        note = f"; but {counted.text()}: at most {counted.at()}, fewer than the {claimed} claimed"
        if evidence.fits:
            return note + _other_sizes_text(counted)
        return _partly_counted(case, counted, evidence)
    if counted.other_sizes:
        # objects there, measured of another length: a length measured at 10 m (a pixel
        # or two at each end) is no proof that the claimed type was not among them
        return (
            f"; {counted.text()}: {counted.at()}, fewer than the {claimed} claimed"
            f"{_other_sizes_text(counted)} (so the count neither bears the number out nor "
            "rules it out)"
        )
    missed = _likely_missed(case, _wanted(claim) - counted.observed)
    if missed:
        # no fitting event, and too few counted by a search that misses ships in open
        # water often enough that the shortfall shows nothing
        reason = (
            f"{case.seen}; {counted.text()}: at most {counted.at()}, fewer than the "
            f"{claimed} claimed, {missed}"
        )
        return _Outcome(Verdict.CANNOT_RESOLVE, 0.0, reason, (), case.coverage)
    return _count_contradicts(case, counted, evidence)


def _likely_missed(case: _Case, missing: int, *, moving: bool = False) -> str:
    """Why vessels claimed and not found may still be there, in words: the search's
    measured open-water recall makes missing ``missing`` of them likelier than
    :attr:`LinkParams.max_miss_chance`; ``""`` when it does not (or is not measured, or
    the claim is not of vessels). ``moving``: the claim is of ships arriving or leaving,
    which a run sees where it finds them on the date they were there."""
    chance = _miss_chance(case, missing)
    if chance is None or chance <= case.params.max_miss_chance:
        return ""
    found = f"{_open_water_found(case)} (where it was measured)"
    if moving:
        return (
            f"a ship is seen arriving or leaving where it is found on the date it was there, "
            f"and {found}: missing {missing} on that date is a {chance:.0%} chance (the "
            "change between the dates may show what the search misses, but that was not "
            "measured), so the imagery does not show that none moved"
        )
    return f"but {found}, so missing {missing} is a {chance:.0%} chance and absence is not shown"


def _miss_chance(case: _Case, missing: int) -> float | None:
    """The chance that the vessel search missed all ``missing`` vessels claimed in open
    water (one minus its measured open-water recall, to that power); None where it is
    not measured, nothing is missing or the claim is not of vessels."""
    recall = case.coverage.vessel_open_recall
    if recall is None or missing < 1 or ObjectClass.VESSEL not in case.equip.object_classes:
        return None
    return (1.0 - recall) ** missing


def _open_water_found(case: _Case) -> str:
    """The vessel search's measured open-water recall, in words."""
    return (
        f"the vessel search finds about {case.coverage.vessel_open_recall:.0%} of the ships "
        "with open water all around them"
    )


def _other_sizes_text(counted: _Counted) -> str:
    """The objects counted on the date that matters but left out for their length, in
    words (``""``: none)."""
    if not counted.other_sizes:
        return ""
    lengths = ", ".join(f"{m:.0f}" for m in counted.other_sizes)
    return (
        f", and {len(counted.other_sizes)} more counted then, measured {lengths} m long, "
        "outside that size"
    )


def _partly_counted(case: _Case, counted: _Counted, evidence: _Evidence) -> _Outcome:
    """Fewer objects counted than claimed, but some, on a date inside the window of a
    claim of presence: *partly supports*, with both numbers."""
    claim = case.claim
    least = "at least " if counted.gaps else ""
    reason = (
        f"{case.seen}; {counted.text()}: {least}{counted.at()}, fewer than the "
        f"{_count_text(claim)} the report claims, so the imagery bears out part of the number"
    )
    if counted.gaps:
        reason += f" (that count is a lower bound: {'; '.join(counted.gaps)})"
    if evidence.undetectable:
        reason += f"; {evidence.undetectable} more below the detection limit"
    share = min(1.0, counted.likely / _wanted(claim))
    score = case.params.count_only_score * case.resolvability * case.clear_sky * share
    return _Outcome(Verdict.PARTLY_SUPPORTS, round(score, 3), reason, (), case.coverage)


def _likely_text(counted: _Counted) -> str:
    """Why a count as large as the claimed number does not bear it out, in words."""
    assert counted.precision is not None and counted.searched is not None
    return (
        f"as many as claimed, but the search is right on about {counted.precision:.0%} "
        f"of what it finds where it was measured, so about {counted.likely:.1f} of "
        f"them are likely to be {_SEARCHED[counted.searched][1]}"
    )


def _count_uncertain(case: _Case, counted: _Counted, evidence: _Evidence) -> _Outcome:
    """As many objects counted as claimed, by a search whose measured precision makes
    fewer of them likely to be real, and no fitting event: *partly supports*, scored by
    the share of the number likely to be there."""
    claim = case.claim
    reason = (
        f"{counted.text()} in {case.coverage.describe()}, which brackets the "
        f"{case.window.text}: {counted.at()}, {_likely_text(counted)}; the imagery bears "
        f"out part of the {_count_text(claim)} the report claims"
    )
    if evidence.undetectable:
        reason += f"; {evidence.undetectable} more below the detection limit"
    reason += _unproven_text(case)
    share = min(1.0, counted.likely / _wanted(claim))
    score = case.params.count_only_score * case.resolvability * case.clear_sky * share
    return _Outcome(Verdict.PARTLY_SUPPORTS, round(score, 3), reason, (), case.coverage)


def _count_supports(case: _Case, counted: _Counted, evidence: _Evidence) -> _Outcome:
    """As many objects counted as claimed, and no fitting event: the number is borne
    out (and the action too, when counted on the claimed date)."""
    claim = case.claim
    presence = claim.action == "stationed"
    reason = (
        f"{counted.text()} in {case.coverage.describe()}, which brackets the "
        f"{case.window.text}: {counted.at()} meets the {_count_text(claim)} the report "
        "claims; "
        + (
            f"seen inside the claimed window, so the imagery bears out the '{claim.action}'"
            if presence
            else f"no {case.expected} event fits, so the imagery bears out the number, "
            f"not the '{claim.action}'"
        )
    )
    if evidence.opposing:
        reason += (
            f" (it also shows {len(evidence.opposing)} {evidence.opposing[0].event.value} later)"
        )
    if evidence.undetectable:
        reason += f"; {evidence.undetectable} more below the detection limit"
    score = case.params.count_only_score * case.resolvability * case.clear_sky
    verdict = Verdict.SUPPORTS
    if unproven := _unproven_text(case):
        verdict = Verdict.PARTLY_SUPPORTS
        reason += unproven
    return _Outcome(verdict, round(score, 3), reason, (), case.coverage)


def _supports(
    case: _Case, evidence: _Evidence, counted: _Counted | None, count_note: str
) -> _Outcome:
    """Fitting detections support the claim, scored by their strength and by how much
    of the claimed number was found (the run's count, where it can say)."""
    claim, params = case.claim, case.params
    links = evidence.links
    wanted = _wanted(claim)
    top = links[:wanted]
    mean = sum(k.score for k in top) / len(top)
    # fitting vessels (aircraft) come from the same search as the count: as many of
    # them are likely to be ships (aircraft) as its measured precision makes likely
    searched = _searched_class(case)
    precision = None if searched is None else _precision_of(case.coverage, searched)
    likely_links = len(links) * (1.0 if precision is None else precision)
    enough = min(1.0, likely_links / wanted)
    if (
        counted is not None
        and not counted.poorly_seen
        and (counted.observed >= wanted or not counted.gaps)
    ):
        # the run's count says how many were there, better than how many changed (as
        # many as its search's measured precision makes likely)
        enough = min(1.0, counted.likely / wanted)
    floor = params.count_floor
    score = round(mean * (floor + (1 - floor) * enough), 3)
    reason = (
        f"{plural(len(links), 'detection')} fit ({evidence.described()}) in "
        f"{case.coverage.describe()}, which brackets the {case.window.text}; the report "
        f"claims {_count_text(claim)}{count_note}"
    )
    if evidence.undetectable:
        reason += f"; {evidence.undetectable} more below the detection limit"
    verdict = Verdict.SUPPORTS
    likely = likely_links
    if counted is not None and not counted.poorly_seen:
        likely = max(likely, counted.likely)
    seen = math.floor(likely + _COUNT_EPS)
    if seen < wanted and precision is not None and likely_links < len(links):
        # as many fitting vessels as claimed (or more), fewer of them likely ships
        assert searched is not None
        search, noun = _SEARCHED[searched]
        verdict = Verdict.PARTLY_SUPPORTS
        found = max(len(links), counted.observed if counted is not None else 0)
        if "are likely to be" not in count_note:  # the count's note says it already
            reason += (
                f"; the {search} search is right on about {precision:.0%} of what it finds "
                f"where it was measured, so of the {found} it found about {likely:.1f} are "
                f"likely to be {noun}, against {_count_text(claim)} claimed"
            )
    elif seen < wanted:
        # a number not seen in full is borne out in part only
        verdict = Verdict.PARTLY_SUPPORTS
        reason += f"; {seen} seen of the {_count_text(claim)} claimed{_unconfirmed_text(evidence)}"
    elif counted is not None and counted.other_sizes and counted.observed < wanted:
        # the events' objects are of the claimed size, the same date's count measured
        # them of another: the lengths disagree, the type's size is not borne out
        verdict = Verdict.PARTLY_SUPPORTS
        reason += (
            "; the objects that date's count measured are of another size than the "
            "fitting detections, so the claimed type's size is borne out in part only"
        )
    placed = [f for f in evidence.fits[:wanted] if not f.days_outside]
    if not placed:
        # every fitting event was seen over an interval reaching well outside the
        # claimed dates: the imagery shows it happened, not that it happened then
        best = evidence.fits[0]
        verdict = Verdict.PARTLY_SUPPORTS
        reason += (
            f"; the images around it are {best.interval_days} days apart, so it may have "
            f"happened up to {best.days_outside} days outside the {case.window.text}"
        )
    if unproven := _unproven_text(case):
        verdict = Verdict.PARTLY_SUPPORTS
        reason += unproven
    return _Outcome(verdict, score, reason, links, case.coverage)


#: The object classes whose search a verdict holds a claim to, with the search and the
#: objects in words; vessels first (a claim that can be either is held to theirs).
_SEARCHED: Mapping[ObjectClass, tuple[str, str]] = {
    ObjectClass.VESSEL: ("vessel", "ships"),
    ObjectClass.AIRCRAFT: ("aircraft", "aircraft"),
}


def _searched_class(case: _Case) -> ObjectClass | None:
    """The class of :data:`_SEARCHED` whose search a claim is held to: vessels where
    the claimed equipment can be vessels (a claim of "transport", by sea or air, too),
    else aircraft where it can be aircraft; None for other claims."""
    return next((c for c in _SEARCHED if c in case.equip.object_classes), None)


def _precision_of(cov: Coverage, cls: ObjectClass) -> float | None:
    """The measured precision of the run's search for ``cls`` objects
    (:attr:`Coverage.vessel_precision`, :attr:`Coverage.aircraft_precision`); None where
    not measured."""
    if cls == ObjectClass.VESSEL:
        return cov.vessel_precision
    if cls == ObjectClass.AIRCRAFT:
        return cov.aircraft_precision
    return None


#: What an object seen of a claimed type's size may be instead, by category: the
#: objects seen, and the look-alike, in words.
_LOOKALIKES: Mapping[str, tuple[str, str]] = {
    "vessel": ("vessels", "a merchant ship of that length"),
    "aircraft": ("aircraft", "another aircraft of that size"),
}


def _type_unseen(equip: EquipmentType) -> bool:
    """Whether the imagery cannot tell the claimed type from other objects of its size:
    a vessel or aircraft class or a named type (an object seen at 10 m is only an object
    of that size; the link's size window, 0.6-1.6 x the type's, holds an Il-76 and an
    An-124 alike)."""
    return equip.category in _LOOKALIKES and equip.specificity >= _TYPED


def _type_unseen_text(case: _Case) -> str:
    """What the imagery cannot tell of a claimed type, in words (``""`` for a claim the
    imagery can type)."""
    if not _type_unseen(case.equip):
        return ""
    params, name = case.params, case.equip.name
    seen, other = _LOOKALIKES[case.equip.category]
    article = "an" if name[:1].lower() in "aeiou" else "a"
    return (
        f"; the imagery shows {seen} of {name} size (within "
        f"{params.size_ratio_min:g}-{params.size_ratio_max:g} x {case.equip.size_m:g} m), "
        f"not their type: at {case.coverage.resolution_m:g} m {other} looks the same as "
        f"{article} {name}"
    )


def _aircraft_unmeasured_text(case: _Case) -> str:
    """Why what the run calls aircraft bears out a claim of aircraft in part only: its
    aircraft search has no measured precision where it was not tuned
    (:attr:`Coverage.aircraft_precision`), so an object it calls an aircraft may be a
    roof, a vehicle or a marking of that size; ``""`` for other claims, or where the
    precision is measured."""
    if _searched_class(case) != ObjectClass.AIRCRAFT:
        return ""
    if case.coverage.aircraft_precision is not None:
        return ""
    how = case.coverage.aircraft_search or "the aircraft search's precision is not measured"
    return (
        f"; {how}: an object it calls an aircraft may be {AIRCRAFT_LOOKALIKES}, so the "
        "imagery bears out aircraft in part only"
    )


def _unproven_text(case: _Case) -> str:
    """What the imagery cannot bear out of a claim it otherwise supports, in words: the
    claimed type (:func:`_type_unseen_text`) and that the objects are aircraft at all
    (:func:`_aircraft_unmeasured_text`); ``""`` where it bears out the whole claim."""
    return _type_unseen_text(case) + _aircraft_unmeasured_text(case)


def _absent(case: _Case, evidence: _Evidence, count_note: str) -> _Outcome:
    """No detection fits: *cannot resolve* where the run cannot see such an event, else
    a contradiction."""
    claim, cov = case.claim, case.coverage
    primary = ACTION_EVENTS[claim.action][0]
    if (
        claim.action == "stationed"
        and cov.start is not None
        and cov.end is not None
        and not (case.window.contains(cov.start) or case.window.contains(cov.end))
    ):
        # presence on other days says nothing against presence on the claimed days
        return _Outcome(
            Verdict.NO_COVERAGE,
            0.0,
            f"{cov.describe()}: no image inside the {case.window.text} (nearest: "
            f"{case.window.nearest((cov.start, cov.end))}), and an object seen or missed "
            "on other days is no evidence for or against its presence then" + count_note,
            (),
            cov,
        )
    if cov.sensor.upper().startswith("S1") and ObjectClass.VESSEL not in case.equip.object_classes:
        # the radar pipeline finds vessels on water only (CFAR in the water zones)
        return _unresolved(
            case,
            f"{cov.describe()}: radar runs look for vessels in the water zones only, so "
            f"they say nothing of {case.equip.name} at {claim.site}" + count_note,
        )
    if cov.events and not {e.value for e in primary} & set(cov.events):
        return _unresolved(
            case,
            f"'{claim.action}' needs {' or '.join(e.value for e in primary)} objects, which "
            f"this run does not report (it reports {', '.join(cov.events)}): change detection "
            "sees no object that stayed put",
        )
    staying = Event.PERSISTED in primary
    unseen_gaps = _presence_gaps(claim, case.equip, cov) if staying else ()
    missed = _likely_missed(case, _wanted(claim)) if staying else ""
    if missed and not unseen_gaps:
        # single dates searched whole, but by a search that misses ships in open water
        # often enough that none found is no evidence of none there
        return _unresolved(
            case,
            f"{case.seen} but shows no {case.expected} one at {claim.site}; {missed}" + count_note,
        )
    unseen_moves = () if staying else _aircraft_move_gaps(case)
    if unseen_moves:
        # an aircraft event is a changed object that the single-date search found as an
        # aircraft on the date it was there: where that search misses most aircraft, no
        # event is no evidence that none moved
        return _unresolved(
            case,
            f"{case.seen} but shows no {case.expected} aircraft at {claim.site}"
            f"{_zone_text(claim)}{_unconfirmed_text(evidence)}{_shown_instead(evidence)}; an "
            "aircraft is seen arriving or leaving where the single-date search finds it on "
            f"the date it was there, and where the claim places it {'; '.join(unseen_moves)}, "
            "so the imagery does not show that none moved" + count_note,
        )
    moved = "" if staying else _likely_missed(case, _wanted(claim), moving=True)
    if moved:
        # ships arriving or leaving are seen where the search finds them on the date they
        # were there: a search that misses many makes no event no evidence of none
        return _unresolved(
            case,
            f"{case.seen} but shows no {case.expected} vessel at {claim.site}"
            f"{_zone_text(claim)}; {moved}" + count_note,
        )
    if unseen_gaps:
        # objects that stay put are found on single dates, which miss some in these
        # zones: finding none there does not show there are none (nor does one seen
        # leaving: another may be there unseen)
        left = ""
        if evidence.opposing:
            seen_left = evidence.opposing[0].event.value
            left = f" (it shows {len(evidence.opposing)} {seen_left})"
        return _unresolved(
            case,
            f"{case.seen} but shows no {case.expected} one at {claim.site}{left}; where the "
            f"claim places it, {'; '.join(unseen_gaps)}, so absence is not shown" + count_note,
        )
    stale = "" if staying else _unseen_return(case)
    if stale:
        return _Outcome(
            Verdict.NO_COVERAGE,
            0.0,
            f"{case.seen} but shows no {case.expected} one at {claim.site}"
            f"{_zone_text(claim)}{_shown_instead(evidence)}; {stale}" + count_note,
            (),
            cov,
        )
    return _contradicts(case, evidence, count_note)


def _unseen_return(case: _Case) -> str:
    """Why no event between the coverage's images is no evidence against a claimed
    arrival or departure, in words: an image lies more than
    :attr:`LinkParams.stay_days` from the claimed dates, time enough for the object to
    come and go (or go and come back) between them; ``""`` when both lie within (or the
    window is undated)."""
    cov, window = case.coverage, case.window
    if window.start is None or window.end is None or cov.start is None or cov.end is None:
        return ""
    before = (window.start - cov.start).days
    after = (cov.end - window.end).days
    limit = case.params.stay_days
    claimed = "the claimed date" if window.start == window.end else "the claimed dates"
    if before > limit and after > limit:
        far = (
            f"the earlier image is {plural(before, 'day')} before {claimed} and the later one "
            f"{plural(after, 'day')} after"
        )
    elif before > limit:
        far = f"the earlier image is {plural(before, 'day')} before {claimed}"
    elif after > limit:
        far = f"the later image is {plural(after, 'day')} after {claimed}"
    else:
        return ""
    return (
        f"{far}: time for what came then to leave again, or for what left "
        "to have come after the earlier image or come back, so no change between the "
        f"images is no evidence against the claim (it is, within {limit} days)"
    )


def _unresolved(case: _Case, reason: str) -> _Outcome:
    """*cannot resolve*, for ``reason``, on the case's coverage."""
    return _Outcome(Verdict.CANNOT_RESOLVE, 0.0, reason, (), case.coverage)


def _zone_text(claim: Claim) -> str:
    """The zone kind a claim names, in brackets (``""`` when it names none)."""
    return f" ({claim.zone_kind})" if claim.zone_kind else ""


def _aircraft_move_gaps(case: _Case) -> tuple[str, ...]:
    """What the single-date search misses in the zones of a claim of aircraft (the
    claim's zone, else every aircraft zone of the run; :data:`COUNT_GAPS`), which bounds
    what the change path can call an aircraft; ``()`` for other claims."""
    if ObjectClass.AIRCRAFT not in case.equip.object_classes:
        return ()
    return _presence_gaps(case.claim, case.equip, case.coverage)


def _shown_instead(evidence: _Evidence) -> str:
    """The opposite events and the candidates below the detection limit, in words."""
    text = ""
    if evidence.opposing:
        text += f"; it shows {len(evidence.opposing)} {evidence.opposing[0].event.value}"
    if evidence.undetectable:
        text += f" ({plural(evidence.undetectable, 'candidate')} below the detection limit)"
    return text


def _unconfirmed_text(evidence: _Evidence) -> str:
    """The changed objects of the claimed size not found as aircraft, in words."""
    n = evidence.unconfirmed
    if not n:
        return ""
    return (
        f" (it shows {plural(n, 'changed object')} of that size there with a fitting event, not "
        "found as aircraft on a single date, so not called aircraft)"
    )


def _contradicts(case: _Case, evidence: _Evidence, count_note: str) -> _Outcome:
    """Imagery that brackets the window and resolves the object shows no fitting event.

    The score is ``contradict_score`` x resolution x clear sky (for vessels, x the
    chance that the search, at its measured open-water recall, would have found at least
    one of those claimed), plus ``opposite_event_bonus`` when the opposite event is seen.
    """
    claim, params = case.claim, case.params
    classes = "/".join(c.value for c in case.equip.object_classes)
    where = f"{claim.site}{_zone_text(claim)}"
    reason = f"{case.seen}, but shows no {classes} {case.expected} at {where}"
    score = params.contradict_score * case.resolvability * case.clear_sky
    miss = _miss_chance(case, _wanted(claim))
    if miss is not None:
        # as strong as the chance that the search would have found one of them
        score *= 1.0 - miss
    contra: tuple[Link, ...] = ()
    if evidence.opposing:
        score = min(1.0, score + params.opposite_event_bonus)
        reason += f"; it shows {len(evidence.opposing)} {evidence.opposing[0].event.value} instead"
        contra = _opposing_links(claim, evidence.opposing, params)
    if evidence.undetectable:
        reason += f" ({plural(evidence.undetectable, 'candidate')} below the detection limit)"
    if miss is not None:
        reason += (
            f"; {_open_water_found(case)}, so missing all {_wanted(claim)} would be a "
            f"{miss:.0%} chance"
        )
    reason += count_note
    return _Outcome(Verdict.CONTRADICTS, round(score, 3), reason, contra, case.coverage)


def _presence_gaps(claim: Claim, equip: EquipmentType, cov: Coverage) -> tuple[str, ...]:
    """What single-date detection misses in the run's zones the claim is about (the
    named zone kind, else every zone of the claimed object's class)."""
    if claim.zone_kind:
        allowed = _zone_kinds(claim.zone_kind)
        kinds = [k.lower() for k in cov.zones if k.lower() in allowed]
    else:
        kinds = [
            k.lower()
            for k in cov.zones
            if (k.lower() in WATER_ZONES and ObjectClass.VESSEL in equip.object_classes)
            or (k.lower() in AIRCRAFT_ZONES and ObjectClass.AIRCRAFT in equip.object_classes)
        ]
    return tuple(sorted({COUNT_GAPS[k] for k in kinds if k in COUNT_GAPS}))


def _opposing_links(
    claim: Claim, opposing: Sequence[Detection], params: LinkParams
) -> tuple[Link, ...]:
    return tuple(
        Link(
            claim.id,
            d.id,
            "contradicts",
            round(d.confidence * params.opposite_link_weight, 3),
            "opposite event",
            d.event,
        )
        for d in opposing
    )


def _count_contradicts(case: _Case, counted: _Counted, evidence: _Evidence) -> _Outcome:
    """Fewer objects counted than claimed, in zones seen whole, of an object the sensor
    resolves; and no event fits, or the count is of a date inside the claimed window.

    The score is ``contradict_score`` x resolution and clear sky x the share of the
    claimed number missing, plus ``opposite_event_bonus`` when an opposite event is
    seen. Fitting events are named in the reason (they may show part of the claim), not
    linked.
    """
    claim, params = case.claim, case.params
    wanted = _wanted(claim)
    reason = (
        f"{case.seen}; {counted.text()}: at most {counted.at()}, fewer than the "
        f"{_count_text(claim)} the report claims"
    )
    if evidence.fits:
        reason += (
            f"; {plural(len(evidence.fits), 'event')} fit the '{claim.action}' "
            f"({evidence.described()}), but the count is of the claimed dates"
        )
    else:
        reason += f", and no {case.expected} event fits"
    quality = case.resolvability * case.clear_sky
    score = params.contradict_score * quality * (wanted - counted.observed) / wanted
    contra: tuple[Link, ...] = ()
    if evidence.opposing:
        score = min(1.0, score + params.opposite_event_bonus)
        reason += f"; it shows {len(evidence.opposing)} {evidence.opposing[0].event.value} instead"
        contra = _opposing_links(claim, evidence.opposing, params)
    return _Outcome(Verdict.CONTRADICTS, round(score, 3), reason, contra, case.coverage)


# --------------------------------------------------------------------------- all claims


#: Actions that tell of one movement (claims with any two of them are of one story).
_MOVEMENT = frozenset({"loading", "departing", "withdrawing"})


def _story_key(c: Claim) -> tuple[str | None, str, str]:
    """What decides whether two claims tell one story: site, equipment category, action."""
    return (c.site, equipment_type(c.equipment).category, c.action)


def _keys_match(a: tuple[str | None, str, str], b: tuple[str | None, str, str]) -> bool:
    """Whether claims of story keys ``a`` and ``b`` (:func:`_story_key`) tell one story:
    one site, one equipment category (transport fits any), one action or two of one
    movement."""
    if a[0] != b[0]:
        return False
    if a[1] != b[1] and "transport" not in (a[1], b[1]):
        return False
    return a[2] == b[2] or {a[2], b[2]} <= _MOVEMENT


def _story_sources(
    claims: Sequence[Claim], groups: Mapping[str, str]
) -> dict[tuple[str | None, str, str], tuple[int, tuple[str, ...]]]:
    """Per story key, the number of story groups and the reports of the claims telling
    that story (:func:`_keys_match`). Claims are indexed by key, and keys compared with
    the few other keys of their site: linear in the claims, not quadratic."""
    by_key: dict[tuple[str | None, str, str], set[str]] = {}
    for c in claims:
        by_key.setdefault(_story_key(c), set()).add(c.report_id)
    by_site: dict[str | None, list[tuple[str | None, str, str]]] = {}
    for key in by_key:
        by_site.setdefault(key[0], []).append(key)
    out = {}
    for key in by_key:
        reports = set().union(*(by_key[k] for k in by_site[key[0]] if _keys_match(key, k)))
        stories = {groups.get(r, r) for r in reports}
        out[key] = (len(stories), tuple(sorted(reports)))
    return out


def _detection_key(d: Detection) -> tuple[object, ...]:
    """What makes two detection records one piece of evidence: the same scenes, object
    and event (the same pair of scenes run into several folders gives equal records)."""
    return (d.site, d.before, d.after, d.object_class, d.event, d.bbox_px, d.zone)


def _coverage_key(c: Coverage) -> tuple[object, ...]:
    return (c.site, c.sensor, c.start, c.end, tuple(sorted(c.scenes)))


def dedupe_evidence(
    detections: Sequence[Detection], coverages: Sequence[Coverage]
) -> tuple[tuple[Detection, ...], tuple[Coverage, ...]]:
    """One record per piece of evidence, however many run folders hold it.

    Detections are one when they come from the same pair of scenes (their ``before`` and
    ``after`` ids) and name the same object (class, event, pixel box, zone); coverages
    when they have the same site, sensor, dates and scenes. The first record is kept;
    a kept coverage names every run folder that held it (``"out/a, out/b"``).

    Parameters
    ----------
    detections : sequence of Detection
        Detections of every run.
    coverages : sequence of Coverage
        Coverages of every run.

    Returns
    -------
    (tuple of Detection, tuple of Coverage)
        In first-seen order.
    """
    seen: dict[tuple[object, ...], Detection] = {}
    for d in detections:
        seen.setdefault(_detection_key(d), d)
    covs: dict[tuple[object, ...], Coverage] = {}
    runs: dict[tuple[object, ...], list[str]] = {}
    for c in coverages:
        key = _coverage_key(c) if c.has_imagery else (c.site, c.run, c.note)
        covs.setdefault(key, c)
        if c.run and c.run not in runs.setdefault(key, []):
            runs[key].append(c.run)
    merged = tuple(
        replace(c, run=", ".join(runs[k])) if len(runs.get(k, ())) > 1 else c
        for k, c in covs.items()
    )
    return tuple(seen.values()), merged


def assess(
    claims: Sequence[Claim],
    detections: Sequence[Detection],
    coverages: Sequence[Coverage],
    *,
    published: Mapping[str, dt.date | None] | None = None,
    groups: Mapping[str, str] | None = None,
    params: LinkParams | None = None,
    catalogue: Mapping[str, Sequence[CatalogScene]] | None = None,
) -> tuple[ClaimVerdict, ...]:
    """Verdicts on ``claims`` from ``detections`` and ``coverages``.

    Pure: the same inputs give the same verdicts.

    Parameters
    ----------
    claims : sequence of Claim
        The claims to judge.
    detections : sequence of Detection
        The detections of every run.
    coverages : sequence of Coverage
        The imagery every run had of each site. Detections and coverages held by
        several run folders (the same scenes) count once (:func:`dedupe_evidence`).
    published : mapping of str to datetime.date or None, optional
        Report id -> publication date (the window of undated claims).
    groups : mapping of str to str, optional
        Report id -> its story group id (one story = one source).
    params : LinkParams, optional
        Thresholds and weights (default: :class:`LinkParams` defaults).
    catalogue : mapping of str to sequence of CatalogScene, optional
        Site -> scenes a catalogue lists for it (no pixels), named in the reason when
        the runs have no imagery of the site.

    Returns
    -------
    tuple of ClaimVerdict
        One per claim, in the order of ``claims``.
    """
    params = params or LinkParams()
    catalogue = catalogue or {}
    published = published or {}
    groups = groups or {}
    detections, coverages = dedupe_evidence(detections, coverages)
    sources = _story_sources(claims, groups)
    out: list[ClaimVerdict] = []
    for claim in claims:
        outcome = _assess_one(
            claim,
            detections,
            coverages,
            published.get(claim.report_id),
            params,
            catalogue.get(claim.site, ()),
        )
        n_sources, source_reports = sources[_story_key(claim)]
        out.append(
            ClaimVerdict(
                claim_id=claim.id,
                report_id=claim.report_id,
                group_id=groups.get(claim.report_id, claim.report_id),
                verdict=outcome.verdict,
                score=outcome.score,
                reason=(
                    f"{outcome.reason}; {_HEDGED_NOTE}"
                    if claim.modality == "hedged"
                    else outcome.reason
                ),
                links=outcome.links,
                coverage=outcome.coverage,
                sources=n_sources,
                source_reports=source_reports,
            )
        )
    return tuple(out)


def detection_labels(
    verdicts: Iterable[ClaimVerdict], claims: Iterable[Claim], *, max_labels: int = 3
) -> dict[str, tuple[str, ...]]:
    """Short labels per detection id: the claims it supports or contradicts, best first.

    Parameters
    ----------
    verdicts : iterable of ClaimVerdict
        Verdicts with their links.
    claims : iterable of Claim
        The claims judged (for their summaries).
    max_labels : int
        Labels kept per detection, strongest links first.

    Returns
    -------
    dict of str to tuple of str
        ``"+ <claim summary> [<claim id>]"`` for support, ``"- ..."`` for contradiction
        (the claim id as the corroboration's tables give it, ``<report id>#<n>``).
    """
    by_id = {c.id: c for c in claims}
    found: dict[str, list[tuple[float, str]]] = {}
    for v in verdicts:
        claim = by_id.get(v.claim_id)
        if claim is None:
            continue
        for link in v.links:
            mark = "+" if link.relation == "supports" else "-"
            text = f"{mark} {claim.summary} [{claim.id}]"
            found.setdefault(link.detection_id, []).append((link.score, text))
    return {
        det: tuple(t for _, t in sorted(items, key=lambda x: -x[0])[:max_labels])
        for det, items in found.items()
    }
