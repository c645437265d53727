"""Link claims to detections and decide what the imagery says about each claim.

Pure: no file or network access. The inputs are :class:`~basewatch.reports.Claim`
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
    event (stronger when it shows the opposite event).
``no coverage``
    No imagery of the site, imagery that does not bracket the date, clouds, an AOI that
    lacks the claimed zone (frigates *offshore*), or a place basewatch does not watch.
``cannot resolve``
    The object is smaller than two resolution cells of the sensor (a Ka-52 or an S-400
    truck at 10 m): the imagery can neither support nor contradict the claim.

Scores (0-1): *supports* is the mean strength of the best links (detection confidence,
times 0.5 for a weaker event, 0.8 for a detection without zone, 0.6 for a size far from
the claimed object's), times 0.5-1 for how much of the claimed count was found;
*contradicts* is 0.5 scaled by how well the sensor resolves the object and by clear
sky, plus 0.3 when the opposite event is seen; the other verdicts score 0.

Each verdict carries a score (0-1), the reason in words, and the :class:`Link` records
(claim <-> detection) behind it; :func:`detection_labels` turns those into short labels
per detection for the PNG renderer. Claims from reports grouped as one story
(:func:`basewatch.reports.group_near_duplicates`) count as one source.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from basewatch.errors import InputError
from basewatch.gazetteer import equipment_type, place
from basewatch.records import Detection, Event, ObjectClass
from basewatch.reports import Claim

__all__ = [
    "ACTION_EVENTS",
    "CatalogScene",
    "ClaimVerdict",
    "Coverage",
    "Link",
    "LinkParams",
    "Verdict",
    "assess",
    "coverages_from_run",
    "detection_from_feature",
    "detection_labels",
]


class Verdict(enum.StrEnum):
    """What the imagery says about a claim."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    NO_COVERAGE = "no coverage"
    CANNOT_RESOLVE = "cannot resolve"


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


@dataclass(frozen=True)
class Coverage:
    """Imagery a run had for one site.

    ``start``/``end`` are the first and last acquisition dates (None: no imagery at all,
    and ``note`` says why). ``cloud_fraction`` is the worst fraction of the AOI lost to
    clouds on any date (None for SAR or unknown). ``pixel_size_m`` is the ground pixel
    spacing; ``resolution_m`` the size of one resolution cell (larger for Sentinel-1:
    ~20 m for 10 m pixels). ``zones`` lists the zone kinds the AOI contains and
    ``events`` the events the run can report (a change detector sees no *persisted*
    object); empty means unknown, taken as all.
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

    def __post_init__(self) -> None:
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

    @property
    def has_imagery(self) -> bool:
        return self.start is not None

    @property
    def resolution_m(self) -> float:
        if self.sensor.upper().startswith("S1"):
            return max(self.pixel_size_m, 20.0)
        return self.pixel_size_m

    def describe(self) -> str:
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

    ``cloud_fraction`` is the catalogue's scene-level (tile) cloud cover, 0-1, or None
    (SAR, unknown).
    """

    id: str
    sensor: str
    date: dt.date
    cloud_fraction: float | None = None

    def describe(self) -> str:
        clouds = "" if self.cloud_fraction is None else f", clouds {self.cloud_fraction:.0%}"
        return f"{self.id} ({self.date.isoformat()}{clouds})"


@dataclass(frozen=True)
class Link:
    """One claim <-> detection relation and how strong it is."""

    claim_id: str
    detection_id: str
    relation: str
    score: float
    reason: str


@dataclass(frozen=True)
class ClaimVerdict:
    """The verdict on one claim."""

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
    """Thresholds of linking (all in one place, recorded with the results)."""

    min_pixels: float = 2.0
    """An object must span at least this many resolution cells to be resolvable."""
    max_cloud: float = 0.5
    """Imagery losing more than this fraction of the AOI to clouds is no coverage."""
    undated_lookback_days: int = 30
    """Window before publication for claims the report does not date."""
    stationed_slack_days: int = 7
    """Imagery this many days off a 'stationed' claim date still counts."""
    min_link_score: float = 0.15
    """Links weaker than this are not kept."""


def _window(
    claim: Claim, published: dt.date | None, params: LinkParams
) -> tuple[dt.date | None, dt.date | None, str]:
    if claim.date_from is not None and claim.date_to is not None:
        if claim.date_from == claim.date_to:
            return claim.date_from, claim.date_to, f"claimed date {claim.date_from.isoformat()}"
        return (
            claim.date_from,
            claim.date_to,
            f"claimed dates {claim.date_from.isoformat()} to {claim.date_to.isoformat()}",
        )
    if published is not None:
        start = published - dt.timedelta(days=params.undated_lookback_days)
        return (
            start,
            published,
            f"undated claim, taken as the {params.undated_lookback_days} days before "
            f"publication ({start.isoformat()} to {published.isoformat()})",
        )
    return None, None, "undated claim in an undated report"


def _brackets(
    before: dt.date, after: dt.date, lo: dt.date | None, hi: dt.date | None, slack: int
) -> bool:
    """True when imagery dated ``before`` and ``after`` brackets the window [lo, hi]."""
    if lo is None or hi is None:
        return True
    pad = dt.timedelta(days=slack)
    return before <= hi + pad and after >= lo - pad


def _zone_ok(claim_zone: str | None, det_zone: str | None) -> float:
    if claim_zone is None:
        return 1.0
    if det_zone is None:
        return 0.8
    return 1.0 if det_zone.lower() in _ZONES.get(claim_zone, frozenset({claim_zone})) else 0.0


def _coverage_zone_ok(claim_zone: str | None, cov: Coverage) -> bool:
    if claim_zone is None or not cov.zones:
        return True
    allowed = _ZONES.get(claim_zone, frozenset({claim_zone}))
    return any(z.lower() in allowed for z in cov.zones)


def _size_factor(claim: Claim, det: Detection) -> float:
    if not (det.length_m > 0 and math.isfinite(det.length_m)):
        return 1.0
    ratio = det.length_m / claim.size_m
    if 0.4 <= ratio <= 2.5:
        return 1.0
    return 0.6


def _count_text(claim: Claim) -> str:
    if claim.count is None:
        return "several" if claim.count_qualifier == "several" else "some"
    prefix = {"at_least": "at least ", "more_than": "more than ", "about": "about "}.get(
        claim.count_qualifier, ""
    )
    return f"{prefix}{claim.count}"


def _wanted(claim: Claim) -> int:
    if claim.count is not None:
        return claim.count + (1 if claim.count_qualifier == "more_than" else 0)
    return 2 if claim.count_qualifier in ("several", "plural") else 1


def _catalogue_hint(
    scenes: Sequence[CatalogScene], lo: dt.date | None, hi: dt.date | None, params: LinkParams
) -> str:
    """What a catalogue offers for a claim without imagery: the tightest bracketing pair.

    Scenes pair only with scenes of the same ``sensor`` key (Sentinel-1 keys carry the
    relative orbit: a change pair must come from one track); a bare ``"S1"`` (track
    unknown) never pairs.
    """
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
        after = [sc for sc in usable if sc.date >= hi]
        if not before or not after:
            continue
        b = max(before, key=lambda sc: sc.date)
        a = min(after, key=lambda sc: sc.date)
        family = key.split()[0]
        span = (a.date - b.date).days
        if family not in best or span < best[family][0]:
            best[family] = (span, b, a)
    if not best:
        return "; the catalogue lists no usable pair of scenes bracketing it either"
    pairs = [f"{b.describe()} and {a.describe()}" for _, b, a in best.values()]
    return "; not fetched, the catalogue lists " + "; or ".join(pairs) + ", which bracket it"


def _assess_one(
    claim: Claim,
    detections: Sequence[Detection],
    coverages: Sequence[Coverage],
    published: dt.date | None,
    params: LinkParams,
    catalogue: Sequence[CatalogScene] = (),
) -> tuple[Verdict, float, str, tuple[Link, ...], Coverage | None]:
    equip = equipment_type(claim.equipment)
    site = place(claim.site)
    lo, hi, when = _window(claim, published, params)
    slack = params.stationed_slack_days if claim.action == "stationed" else 0
    site_covs = [c for c in coverages if c.site == claim.site]
    nominal = 10.0  # the best Sentinel pixel: what fetching could give at most
    anyway = (
        f"; even then, {equip.name} (~{equip.size_m:g} m) would span "
        f"{equip.size_m / nominal:.1f} cells at {nominal:g} m, too few to see it"
        if equip.size_m / nominal < params.min_pixels
        else ""
    )
    if not site_covs:
        if not site.monitored:
            near = f"; the nearest watched site is {site.near}" if site.near else ""
            return (
                Verdict.NO_COVERAGE,
                0.0,
                f"{site.name} is not a site basewatch watches (no AOI, no run){near}",
                (),
                None,
            )
        hint = _catalogue_hint(catalogue, lo, hi, params)
        return (
            Verdict.NO_COVERAGE,
            0.0,
            f"no run covers {claim.site}: no imagery was given for it{hint}{anyway}",
            (),
            None,
        )
    with_imagery = [c for c in site_covs if c.has_imagery]
    if not with_imagery:
        cov = site_covs[0]
        why = cov.note or "the run has no scenes"
        hint = _catalogue_hint(catalogue, lo, hi, params)
        reason = f"no imagery of {claim.site}: {why}{hint}{anyway}"
        return Verdict.NO_COVERAGE, 0.0, reason, (), cov
    dated = [
        c
        for c in with_imagery
        if c.start is not None
        and c.end is not None
        and c.start < c.end
        and _brackets(c.start, c.end, lo, hi, slack)
    ]
    if not dated:
        spans = "; ".join(c.describe() for c in with_imagery)
        return (
            Verdict.NO_COVERAGE,
            0.0,
            f"{spans}: no pair of dates brackets the {when}",
            (),
            with_imagery[0],
        )
    clear = [c for c in dated if c.cloud_fraction is None or c.cloud_fraction <= params.max_cloud]
    if not clear:
        worst = min(c.cloud_fraction or 0.0 for c in dated)
        return (
            Verdict.NO_COVERAGE,
            0.0,
            f"clouds cover {worst:.0%} of {claim.site} in the imagery bracketing the {when} "
            f"(limit {params.max_cloud:.0%})",
            (),
            dated[0],
        )
    zoned = [c for c in clear if _coverage_zone_ok(claim.zone_kind, c)]
    if not zoned:
        have = ", ".join(sorted({z for c in clear for z in c.zones}))
        return (
            Verdict.NO_COVERAGE,
            0.0,
            f"the claim is about the {claim.zone_kind} zone of {claim.site}, which the AOI "
            f"does not include (it has: {have})",
            (),
            clear[0],
        )
    cov = min(zoned, key=lambda c: c.resolution_m)
    pixels = equip.size_m / cov.resolution_m
    if pixels < params.min_pixels:
        return (
            Verdict.CANNOT_RESOLVE,
            0.0,
            f"{equip.name} (~{equip.size_m:g} m) spans {pixels:.1f} resolution cells at "
            f"{cov.resolution_m:g} m; at least {params.min_pixels:g} are needed to see it",
            (),
            cov,
        )
    primary, secondary, opposite = ACTION_EVENTS[claim.action]
    links: list[Link] = []
    undetectable = 0
    opposing: list[Detection] = []
    for det in detections:
        if det.site != claim.site or det.object_class not in equip.object_classes:
            continue
        zone_w = _zone_ok(claim.zone_kind, det.zone_kind)
        if zone_w == 0.0:
            continue
        if not _brackets(det.before_date, det.after_date, lo, hi, slack):
            continue
        if det.event in opposite and det.detectable:
            opposing.append(det)
        if det.event in primary:
            event_w = 1.0
        elif det.event in secondary:
            event_w = 0.5
        else:
            continue
        if not det.detectable:
            undetectable += 1
            continue
        score = det.confidence * event_w * zone_w * _size_factor(claim, det)
        if score < params.min_link_score:
            continue
        zone = f" in {det.zone}" if det.zone else ""
        links.append(
            Link(
                claim_id=claim.id,
                detection_id=det.id,
                relation="supports",
                score=round(score, 3),
                reason=(
                    f"{det.object_class.value} {det.event.value}{zone} between "
                    f"{det.before_date.isoformat()} and {det.after_date.isoformat()} "
                    f"(confidence {det.confidence:.2f}, ~{det.length_m:.0f} m)"
                ),
            )
        )
    links.sort(key=lambda k: -k.score)
    resolv = min(1.0, pixels / (2 * params.min_pixels))
    cloud_q = 1.0 - (cov.cloud_fraction or 0.0)
    if links:
        wanted = _wanted(claim)
        top = links[:wanted]
        mean = sum(k.score for k in top) / len(top)
        enough = min(1.0, len(links) / wanted)
        score = round(mean * (0.5 + 0.5 * enough), 3)
        events = sorted({k.reason.split(" between ")[0] for k in links})
        reason = (
            f"{len(links)} detection(s) fit ({'; '.join(events[:3])}) in {cov.describe()}, "
            f"which brackets the {when}; the report claims {_count_text(claim)}"
        )
        if undetectable:
            reason += f"; {undetectable} more below the detection limit"
        return Verdict.SUPPORTS, score, reason, tuple(links), cov
    if cov.events and not {e.value for e in primary} & set(cov.events):
        return (
            Verdict.CANNOT_RESOLVE,
            0.0,
            f"'{claim.action}' needs {' or '.join(e.value for e in primary)} objects, which "
            f"this run does not report (it reports {', '.join(cov.events)}): change detection "
            "sees no object that stayed put",
            (),
            cov,
        )
    expected = " or ".join(e.value for e in (*primary, *secondary))
    reason = (
        f"{cov.describe()} brackets the {when} and resolves {equip.name} "
        f"({pixels:.1f} cells), but shows no {'/'.join(c.value for c in equip.object_classes)} "
        f"{expected} at {claim.site}" + (f" ({claim.zone_kind})" if claim.zone_kind else "")
    )
    score = 0.5 * resolv * cloud_q
    contra: list[Link] = []
    if opposing:
        score = min(1.0, score + 0.3)
        reason += f"; it shows {len(opposing)} {opposing[0].event.value} instead"
        contra = [
            Link(claim.id, d.id, "contradicts", round(d.confidence * 0.8, 3), "opposite event")
            for d in opposing
        ]
    if undetectable:
        reason += f" ({undetectable} candidate(s) below the detection limit)"
    return Verdict.CONTRADICTS, round(score, 3), reason, tuple(contra), cov


def _same_story(a: Claim, b: Claim) -> bool:
    if a.site != b.site:
        return False
    ca, cb = equipment_type(a.equipment), equipment_type(b.equipment)
    if ca.category != cb.category and "transport" not in (ca.category, cb.category):
        return False
    return a.action == b.action or {a.action, b.action} <= {"loading", "departing", "withdrawing"}


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

    ``published`` maps report id to publication date (the window of undated claims);
    ``groups`` maps report id to its near-duplicate group id (one story = one source);
    ``catalogue`` maps a site to scenes a catalogue lists for it (no pixels), named in
    the reason when the runs have no imagery of the site.
    """
    params = params or LinkParams()
    catalogue = catalogue or {}
    published = published or {}
    groups = groups or {}
    out: list[ClaimVerdict] = []
    for claim in claims:
        verdict, score, reason, links, cov = _assess_one(
            claim,
            detections,
            coverages,
            published.get(claim.report_id),
            params,
            catalogue.get(claim.site, ()),
        )
        similar = [c for c in claims if _same_story(claim, c)]
        story_groups = sorted({groups.get(c.report_id, c.report_id) for c in similar})
        out.append(
            ClaimVerdict(
                claim_id=claim.id,
                report_id=claim.report_id,
                group_id=groups.get(claim.report_id, claim.report_id),
                verdict=verdict,
                score=score,
                reason=reason,
                links=links,
                coverage=cov,
                sources=len(story_groups),
                source_reports=tuple(sorted({c.report_id for c in similar})),
            )
        )
    return tuple(out)


def detection_labels(
    verdicts: Iterable[ClaimVerdict], claims: Iterable[Claim], *, max_labels: int = 3
) -> dict[str, tuple[str, ...]]:
    """Short labels per detection id: the claims it supports or contradicts, best first."""
    by_id = {c.id: c for c in claims}
    found: dict[str, list[tuple[float, str]]] = {}
    for v in verdicts:
        claim = by_id.get(v.claim_id)
        if claim is None:
            continue
        for link in v.links:
            mark = "+" if link.relation == "supports" else "-"
            text = f"{mark} {claim.summary} [{claim.report_id[:6]}]"
            found.setdefault(link.detection_id, []).append((link.score, text))
    return {
        det: tuple(t for _, t in sorted(items, key=lambda x: -x[0])[:max_labels])
        for det, items in found.items()
    }


# --------------------------------------------------------------------------- run parsing


def _date(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            pass
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise InputError(f"{what}: {value!r} is not a date (YYYY-MM-DD)")


def detection_from_feature(feature: Mapping[str, Any]) -> Detection:
    """A :class:`~basewatch.records.Detection` from one GeoJSON feature of a run.

    The properties are the detection's fields (``basewatch.records.to_jsonable``);
    ``lon``/``lat`` fall back to the point geometry. Raises
    :class:`~basewatch.errors.InputError` naming the field that is missing or wrong.
    """
    props = feature.get("properties")
    if not isinstance(props, Mapping):
        raise InputError("detection feature has no properties object")
    did = str(props.get("id", "?"))
    try:
        lon, lat = props.get("lon"), props.get("lat")
        geom = feature.get("geometry")
        if (
            (lon is None or lat is None)
            and isinstance(geom, Mapping)
            and geom.get("type") == "Point"
        ):
            lon, lat = geom["coordinates"][:2]
        footprint = props.get("footprint") or ()
        if not footprint and isinstance(geom, Mapping) and geom.get("type") == "Polygon":
            footprint = (geom.get("coordinates") or [()])[0]
        bbox = props.get("bbox_px") or (0, 0, 0, 0)
        return Detection(
            id=did,
            site=str(props["site"]),
            zone=props.get("zone"),
            zone_kind=props.get("zone_kind"),
            object_class=ObjectClass(props["object_class"]),
            event=Event(props["event"]),
            lon=float(lon if lon is not None else "nan"),
            lat=float(lat if lat is not None else "nan"),
            footprint=tuple((float(p[0]), float(p[1])) for p in footprint),
            bbox_px=(int(bbox[0]), int(bbox[1]), int(bbox[2]), int(bbox[3])),
            area_px=int(props.get("area_px", 0)),
            area_m2=float(props.get("area_m2", 0.0)),
            length_m=float(props.get("length_m") or 0.0),
            width_m=float(props.get("width_m") or 0.0),
            orientation_deg=float(props.get("orientation_deg") or 0.0),
            mean_change=float(props.get("mean_change") or 0.0),
            contrast=float(props.get("contrast") or 0.0),
            confidence=float(props["confidence"]),
            detectable=bool(props.get("detectable", True)),
            before=str(props.get("before", "")),
            after=str(props.get("after", "")),
            before_date=_date(props["before_date"], f"detection {did} before_date"),
            after_date=_date(props["after_date"], f"detection {did} after_date"),
            notes=tuple(str(n) for n in props.get("notes") or ()),
        )
    except KeyError as exc:
        raise InputError(f"detection {did}: missing property {exc.args[0]!r}") from None
    except (TypeError, ValueError, IndexError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"detection {did}: bad value ({exc})") from None


def _pixel_size_m(scene: Mapping[str, Any], params: Mapping[str, Any]) -> float | None:
    for src in (scene, params):
        for key in ("pixel_size_m", "pixel_m", "resolution_m", "gsd"):
            v = src.get(key)
            if isinstance(v, int | float) and v > 0:
                return float(v)
    grid = scene.get("grid")
    if isinstance(grid, Mapping):
        tr = grid.get("transform")
        if isinstance(tr, Sequence) and len(tr) >= 6:
            a, e, f = abs(float(tr[0])), abs(float(tr[4])), float(tr[5])
            crs = str(grid.get("crs", ""))
            e = e or a
            if a > 0 and ("4326" in crs or a < 0.01):
                # degrees: metres east shrink with cos(latitude); take the cell's mean side
                lat = math.radians(f if abs(f) <= 90 else 0.0)
                return math.sqrt(a * 111_320.0 * math.cos(lat) * e * 111_320.0)
            if a > 0:
                return math.sqrt(a * e)
    return None


def _sensor(scene: Mapping[str, Any]) -> str:
    s = str(scene.get("sensor") or scene.get("platform") or "")
    if s:
        return "S1" if "1" in s[:3] or "sar" in s.lower() else "S2" if "2" in s[:3] else s
    sid = str(scene.get("id", "")).upper()
    if sid.startswith("S1") or "GRD" in sid or "RTC" in sid:
        return "S1"
    if sid.startswith("S2") or "MSI" in sid:
        return "S2"
    return ""


def _declared_zones(
    record: Mapping[str, Any], params: Mapping[str, Any], site: str
) -> tuple[str, ...]:
    """Zone kinds the run's AOI declares for ``site`` (``zones`` in run.json or parameters)."""
    for src in (record, params):
        zones = src.get("zones")
        if isinstance(zones, Mapping):
            zones = zones.get(site)
        if isinstance(zones, Sequence) and not isinstance(zones, str):
            kinds = {
                str(z.get("kind") or z.get("zone_kind")) if isinstance(z, Mapping) else str(z)
                for z in zones
            }
            return tuple(sorted(k for k in kinds if k and k != "None"))
    return ()


def _run_events(
    record: Mapping[str, Any], params: Mapping[str, Any], detections: Sequence[Detection]
) -> tuple[str, ...]:
    """Events a run can report: declared (``events``), else what a change detector sees."""
    objects = params.get("objects") if isinstance(params.get("objects"), Mapping) else {}
    assert isinstance(objects, Mapping)
    for src in (record, params, objects):
        declared = src.get("events")
        if isinstance(declared, Sequence) and not isinstance(declared, str):
            return tuple(str(e) for e in declared)
    seen = {d.event.value for d in detections}
    base = {Event.APPEARED.value, Event.DISAPPEARED.value}
    return tuple(e.value for e in Event if e.value in base | seen)


def coverages_from_run(
    record: Mapping[str, Any], detections: Sequence[Detection] = (), *, run: str = ""
) -> list[Coverage]:
    """Coverage facts from a run record (the parsed ``run.json``) and its detections.

    One coverage for the run's site and one for each other site its detections name
    (a Beirut run covers ``beirut-airport`` and ``beirut-port``). A run without scenes
    gives a coverage without imagery whose note carries the run's warnings.
    """
    site = record.get("site")
    if not isinstance(site, str) or not site:
        raise InputError(f"run {run or '?'}: run.json has no 'site'")
    scenes = [s for s in record.get("scenes") or () if isinstance(s, Mapping)]
    params = record.get("parameters") if isinstance(record.get("parameters"), Mapping) else {}
    assert isinstance(params, Mapping)
    sites = [site]
    declared = record.get("sites")
    if isinstance(declared, Sequence) and not isinstance(declared, str):
        sites += [str(s) for s in declared]
    sites += [d.site for d in detections]
    sites = list(dict.fromkeys(sites))
    if not scenes:
        warnings = [str(w) for w in record.get("warnings") or ()]
        note = "; ".join(warnings) or "the run has no scenes"
        return [Coverage(site=s, run=run, note=note) for s in sites]
    dates: list[dt.date] = []
    clouds: list[float] = []
    sizes: list[float] = []
    sensors: list[str] = []
    for sc in scenes:
        when = sc.get("datetime") or sc.get("date")
        dates.append(_date(when, f"run {run or site}: scene {sc.get('id', '?')} datetime"))
        cf = sc.get("cloud_fraction")
        if isinstance(cf, int | float) and math.isfinite(cf):
            clouds.append(float(cf))
        px = _pixel_size_m(sc, params)
        if px is not None:
            sizes.append(px)
        sensors.append(_sensor(sc))
    pixel = max(sizes) if sizes else 10.0
    events = _run_events(record, params, detections)
    sensor = next((s for s in sensors if s), "")
    out: list[Coverage] = []
    for s in sites:
        seen_zones = sorted({d.zone_kind for d in detections if d.site == s and d.zone_kind})
        out.append(
            Coverage(
                site=s,
                sensor=sensor,
                start=min(dates),
                end=max(dates),
                cloud_fraction=max(clouds) if clouds else None,
                pixel_size_m=round(pixel, 2),
                scenes=tuple(str(sc.get("id", "")) for sc in scenes),
                zones=_declared_zones(record, params, s),
                events=events,
                run=run,
                note=f"zones seen in detections: {', '.join(seen_zones)}" if seen_zones else "",
            )
        )
    return out
