"""Linking claims to detections (``basewatch.corroborate.link``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from basewatch.corroborate.claims import Claim, extract_claims
from basewatch.corroborate.gazetteer import equipment_type
from basewatch.corroborate.link import (
    ACTION_EVENTS,
    CatalogScene,
    Coverage,
    LinkParams,
    Verdict,
    ZoneCount,
    assess,
    detection_labels,
)
from basewatch.corroborate.reports import load_metadata, parse_report, read_report
from basewatch.corroborate.runs import coverages_from_run, detection_from_feature
from basewatch.corroborate.stories import group_near_duplicates
from basewatch.errors import InputError
from basewatch.records import Detection, Event, ObjectClass, to_jsonable

REPO = Path(__file__).resolve().parents[1]
BEFORE, AFTER = dt.date(2015, 8, 20), dt.date(2017, 10, 3)
#: Imagery dates within ``LinkParams.stay_days`` of the year 2016 on both sides: no
#: event between them can be held against a claim of a move in 2016.
AROUND_2016 = {"start": dt.date(2015, 12, 22), "end": dt.date(2017, 1, 9)}


def det(**kw: Any) -> Detection:
    """A detection record as the change core makes them (fields of records.Detection)."""
    base: dict[str, Any] = {
        "id": "d1",
        "site": "beirut-airport",
        "zone": "Terminal apron",
        "zone_kind": "apron",
        "object_class": ObjectClass.AIRCRAFT,
        "event": Event.DISAPPEARED,
        "lon": 35.4954,
        "lat": 33.8247,
        "footprint": ((35.495, 33.824), (35.496, 33.824), (35.496, 33.825)),
        "bbox_px": (102, 205, 107, 209),
        "area_px": 9,
        "area_m2": 905.0,
        "length_m": 52.0,
        "width_m": 20.0,
        "orientation_deg": 146.0,
        "mean_change": 0.28,
        "contrast": 7.4,
        "confidence": 0.9,
        "detectable": True,
        "before": "S2A_20150820",
        "after": "S2B_20171003",
        "before_date": BEFORE,
        "after_date": AFTER,
    }
    base.update(kw)
    if "bbox_px" not in kw:
        # distinct objects lie at distinct pixels (one object of one pair is one record)
        shift = sum(map(ord, str(base["id"])))
        base["bbox_px"] = (102 + shift, 205, 107 + shift, 209)
    return Detection(**base)


def cov(site: str = "beirut-airport", **kw: Any) -> Coverage:
    base: dict[str, Any] = {
        "site": site,
        "sensor": "S2",
        "start": BEFORE,
        "end": AFTER,
        "cloud_fraction": 0.05,
        "pixel_size_m": 10.0,
        "zones": ("apron", "runway") if site == "beirut-airport" else ("approach", "harbour"),
        "events": ("appeared", "disappeared", "persisted"),
        # an aircraft search taken as right on all it finds, so that these tests judge
        # what they are about; real runs carry none (unmeasured), which the tests of
        # aircraft precision and the real runs' tests cover
        "aircraft_precision": 1.0,
    }
    base.update(kw)
    return Coverage(**base)


def claims_of(text: str, published: str = "2017-10-05") -> tuple[Claim, ...]:
    return extract_claims(parse_report(text, published=published))


def one(text: str, published: str = "2017-10-05") -> Claim:
    claims = claims_of(text, published)
    assert len(claims) == 1, [c.summary for c in claims]
    return claims[0]


# --------------------------------------------------------------------------- verdicts


#: A claim window that holds the whole interval of the test imagery (BEFORE to AFTER).
SPAN = "Between August 2015 and October 2017"


def test_supports_with_the_matching_event() -> None:
    claim = one(f"{SPAN} two planes left the apron at Beirut airport.")
    dets = [det(id="a"), det(id="b", confidence=0.6), det(id="c", event=Event.APPEARED)]
    (v,) = assess([claim], dets, [cov()])
    assert v.verdict is Verdict.SUPPORTS
    assert {k.detection_id for k in v.links} == {"a", "b"}  # not the appeared one
    assert 0.6 <= v.score <= 0.9
    assert "brackets" in v.reason and "2 detection" in v.reason


def test_an_event_placed_only_loosely_in_time_supports_in_part() -> None:
    """An aircraft seen gone between images 775 days apart left at some time in those
    days: a claim that it left in 2016 (366 of them) or on one named day is borne out
    in part, scored by the share of the interval inside the claimed dates; images a
    revisit or two apart place it well enough."""
    in_2016 = one("In 2016 a plane left the apron at Beirut airport.")
    (wide,) = assess([in_2016], [det(id="a")], [cov()])
    assert wide.verdict is Verdict.PARTLY_SUPPORTS, wide.reason
    assert "775 days apart, so it may have happened up to 409 days outside" in wide.reason
    (link,) = wide.links
    assert "up to 409 days of that interval lie outside the claimed dates" in link.reason
    days = {"before_date": dt.date(2016, 5, 1), "after_date": dt.date(2016, 5, 11)}
    near = cov(start=days["before_date"], end=days["after_date"])
    (tight,) = assess([in_2016], [det(id="a", **days)], [near])
    assert tight.verdict is Verdict.SUPPORTS, tight.reason
    assert wide.score == pytest.approx(tight.score * (366 + 15) / 775, abs=0.002)
    # one named day inside a ten-day interval: within the slack of a few revisits
    on_day = one("On 5 May 2016 a plane left the apron at Beirut airport.")
    (day,) = assess([on_day], [det(id="a", **days)], [near])
    assert day.verdict is Verdict.SUPPORTS, day.reason
    (day_wide,) = assess([on_day], [det(id="a")], [cov()])
    assert day_wide.verdict is Verdict.PARTLY_SUPPORTS and day_wide.score < 0.05
    # an analyst who accepts any interval the dates overlap
    (lenient,) = assess(
        [in_2016], [det(id="a")], [cov()], params=LinkParams(timing_slack_days=10_000)
    )
    assert lenient.verdict is Verdict.SUPPORTS and lenient.score == tight.score


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("In 2016 no airliners left the apron at Beirut airport.", "denied"),
        ("In 2016 two airliners were expected to leave the apron at Beirut airport.", "expected"),
    ],
)
def test_denied_and_expected_claims_are_not_judged(text: str, modality: str) -> None:
    # the same detections that support the asserted claim above
    claim = one(text)
    assert claim.modality == modality
    dets = [det(id="a"), det(id="b", confidence=0.6)]
    (v,) = assess([claim], dets, [cov()])
    assert v.verdict is Verdict.CANNOT_RESOLVE and not v.links
    assert f"({modality})" in v.reason and v.coverage is not None


def test_count_shortfall_lowers_the_score() -> None:
    claim4 = one(f"{SPAN} four planes left the apron at Beirut airport.")
    claim1 = one(f"{SPAN} a plane left the apron at Beirut airport.")
    dets = [det(id="a")]
    (v4,) = assess([claim4], dets, [cov()])
    (v1,) = assess([claim1], dets, [cov()])
    # one seen of four claimed bears out part of the number, never all of it
    assert v1.verdict is Verdict.SUPPORTS
    assert v4.verdict is Verdict.PARTLY_SUPPORTS and "1 seen of the 4 claimed" in v4.reason
    assert v4.score < v1.score


@pytest.mark.parametrize(
    ("action", "good", "bad"),
    [
        ("loading", Event.DISAPPEARED, Event.APPEARED),
        ("departing", Event.DISAPPEARED, Event.APPEARED),
        ("arriving", Event.APPEARED, Event.DISAPPEARED),
        ("stationed", Event.PERSISTED, Event.DISAPPEARED),
    ],
)
def test_action_event_mapping(action: str, good: Event, bad: Event) -> None:
    sentences = {
        "loading": f"{SPAN} a plane was loaded on the apron at Beirut airport.",
        "departing": f"{SPAN} a plane departed from the apron at Beirut airport.",
        "arriving": f"{SPAN} a plane arrived on the apron at Beirut airport.",
        # on the later image's date: gone by then (one seen on the earlier image's date
        # was there as claimed: test_presence_seen_on_the_claimed_date_outweighs_...);
        # offshore, where vessels float free and are counted whole (an apron's count is a
        # lower bound: test_absence_on_aprons_is_not_shown_by_single_dates)
        "stationed": "On 3 October 2017 a ship was anchored offshore of Beirut port.",
    }
    claim = one(sentences[action])
    assert claim.action == action
    where: dict[str, Any] = {}
    if action == "stationed":
        where = {"site": "beirut-port", "object_class": ObjectClass.VESSEL, "zone_kind": "approach"}
    site = where.get("site", "beirut-airport")
    (yes,) = assess([claim], [det(event=good, **where)], [cov(site)])
    (no,) = assess([claim], [det(event=bad, **where)], [cov(site)])
    assert yes.verdict is Verdict.SUPPORTS
    if action == "stationed":
        assert no.verdict is Verdict.CONTRADICTS
    else:
        # an aircraft is seen moving where a single date shows it, which misses most on
        # aprons: the opposite event is named, absence of the claimed one is not shown
        assert no.verdict is Verdict.CANNOT_RESOLVE, no.reason
        assert "none moved" in no.reason and not no.links
        if bad in ACTION_EVENTS[action][2]:  # an opposite event is named
            assert f"it shows 1 {bad.value}" in no.reason, no.reason
    assert good in ACTION_EVENTS[action][0]


def test_contradicts_when_resolvable_and_clear_but_nothing_happened() -> None:
    claim = one("In 2016 two warships sailed away from the anchorage off the port of Beirut.")
    assert claim.zone_kind == "approach"
    harbour_only = [det(site="beirut-port", object_class=ObjectClass.VESSEL, zone_kind="harbour")]
    (v,) = assess([claim], harbour_only, [cov("beirut-port", **AROUND_2016)])
    assert v.verdict is Verdict.CONTRADICTS
    assert "shows no vessel disappeared" in v.reason
    # the opposite event strengthens the contradiction and is linked
    appeared = det(
        id="x",
        site="beirut-port",
        object_class=ObjectClass.VESSEL,
        zone_kind="approach",
        event=Event.APPEARED,
        length_m=110.0,
    )
    (v2,) = assess([claim], [appeared], [cov("beirut-port", **AROUND_2016)])
    assert v2.verdict is Verdict.CONTRADICTS and v2.score > v.score
    assert [k.relation for k in v2.links] == ["contradicts"]


def test_time_window_must_bracket_the_claim() -> None:
    claim = one("On 5 March 2018 an Il-76 departed from Beirut airport.")
    (v,) = assess([claim], [det()], [cov()])
    assert v.verdict is Verdict.NO_COVERAGE
    assert "2018-03-05" in v.reason and "bracket" in v.reason
    # a detection from another pair of dates does not support a claim inside this one
    claim16 = one("In 2016 an Il-76 departed from Beirut airport.")
    late = det(before_date=dt.date(2017, 10, 3), after_date=dt.date(2018, 1, 1))
    (v16,) = assess([claim16], [late], [cov(end=dt.date(2018, 1, 1))])
    assert v16.verdict is Verdict.CANNOT_RESOLVE and not v16.links, v16.reason


def test_undated_claim_uses_the_days_before_publication() -> None:
    claim = one("A plane departed from Beirut airport.", published="2017-09-20")
    # images ten days apart inside the month before publication
    days = {"before_date": dt.date(2017, 8, 25), "after_date": dt.date(2017, 9, 4)}
    month = cov(start=days["before_date"], end=days["after_date"])
    when = {claim.report_id: dt.date(2017, 9, 20)}
    (v,) = assess([claim], [det(**days)], [month], published=when)
    assert v.verdict is Verdict.SUPPORTS and "undated claim" in v.reason
    (late,) = assess(
        [claim], [det(**days)], [month], published={claim.report_id: dt.date(2019, 1, 1)}
    )
    assert late.verdict is Verdict.NO_COVERAGE


def test_no_coverage_reasons() -> None:
    claim = one(f"{SPAN} a plane departed from Beirut airport.")
    (none,) = assess([claim], [], [])
    assert none.verdict is Verdict.NO_COVERAGE and "no run covers beirut-airport" in none.reason
    empty = Coverage(site="beirut-airport", note="no scene could be fetched offline")
    (v,) = assess([claim], [], [empty])
    assert v.verdict is Verdict.NO_COVERAGE and "fetched offline" in v.reason
    (cloudy,) = assess([claim], [det()], [cov(cloud_fraction=0.8)])
    assert cloudy.verdict is Verdict.NO_COVERAGE and "clouds cover 80%" in cloudy.reason
    (lenient,) = assess(
        [claim], [det()], [cov(cloud_fraction=0.8)], params=LinkParams(max_cloud=0.9)
    )
    assert lenient.verdict is Verdict.SUPPORTS
    jableh = one("In 2016 Russian military vehicles were driving in Jableh.")
    (vj,) = assess([jableh], [], [cov()])
    assert vj.verdict is Verdict.NO_COVERAGE and "not a site basewatch watches" in vj.reason


def test_offshore_claim_needs_an_aoi_with_approaches() -> None:
    claim = one("Two frigates were stationed offshore at Tartus on 14 December 2024.", "2024-12-15")
    berths_only = cov(
        "tartus", start=dt.date(2024, 12, 6), end=dt.date(2024, 12, 18), zones=("berth",)
    )
    (v,) = assess([claim], [], [berths_only])
    assert v.verdict is Verdict.NO_COVERAGE and "approach" in v.reason


@pytest.mark.parametrize(
    ("sentence", "sensor", "pixel", "verdict"),
    [
        ("In 2016 a Ka-52 was parked at Beirut airport.", "S2", 10.0, Verdict.CANNOT_RESOLVE),
        (
            "In 2016 an S-400 battery was dismantled at Beirut airport.",
            "S2",
            10.0,
            Verdict.CANNOT_RESOLVE,
        ),
        (
            "In 2016 Russian troops withdrew from Beirut airport.",
            "S2",
            10.0,
            Verdict.CANNOT_RESOLVE,
        ),
        (f"{SPAN} a Su-24 departed from Beirut airport.", "S1", 10.0, Verdict.CANNOT_RESOLVE),
        # resolved, and of the type's size: its type is not seen (partly supports)
        (f"{SPAN} a Su-24 departed from Beirut airport.", "S2", 10.0, Verdict.PARTLY_SUPPORTS),
        (f"{SPAN} an An-124 departed from Beirut airport.", "S1", 10.0, Verdict.PARTLY_SUPPORTS),
        ("In 2016 a Ka-52 was parked at Beirut airport.", "S2", 3.0, Verdict.SUPPORTS),
    ],
)
def test_resolution_decides_cannot_resolve(
    sentence: str, sensor: str, pixel: float, verdict: Verdict
) -> None:
    claim = one(sentence)
    event = Event.PERSISTED if claim.action == "stationed" else Event.DISAPPEARED
    size = equipment_type(claim.equipment).size_m  # a detection of the claimed size
    (v,) = assess(
        [claim], [det(event=event, length_m=size)], [cov(sensor=sensor, pixel_size_m=pixel)]
    )
    assert v.verdict is verdict, v.reason
    if verdict is Verdict.CANNOT_RESOLVE:
        assert "resolution cells" in v.reason and v.links == ()


def test_presence_cannot_be_checked_by_a_change_only_run() -> None:
    claim = one("On 3 October 2017 two frigates were anchored off the port of Beirut.")
    change_only = cov("beirut-port", events=("appeared", "disappeared"))
    (v,) = assess([claim], [], [change_only])
    assert v.verdict is Verdict.CANNOT_RESOLVE and "persisted" in v.reason
    arrived = ship(event=Event.APPEARED, length_m=120.0)
    (v2,) = assess([claim], [arrived], [change_only])
    # present after: weaker support, and only of a vessel of frigate size (and one of two)
    assert v2.verdict is Verdict.PARTLY_SUPPORTS, v2.reason
    assert "vessels of frigate size" in v2.reason and "1 seen of the 2 claimed" in v2.reason


def test_undetectable_and_wrong_class_detections_do_not_support() -> None:
    claim = one("In 2016 an Il-76 departed from Beirut airport.")
    dets = [
        det(detectable=False),
        det(id="v", object_class=ObjectClass.VESSEL),
        det(id="o", site="beirut-port"),
    ]
    (v,) = assess([claim], dets, [cov()])
    assert v.verdict is Verdict.CANNOT_RESOLVE and not v.links
    assert "below the detection limit" in v.reason


def test_assess_is_pure_and_deterministic() -> None:
    claims = claims_of(
        "In 2016 two airliners left the apron at Beirut airport. "
        "In 2016 a Ka-52 was parked at Beirut airport."
    )
    dets = [det(id="a"), det(id="b")]
    covs = [cov()]
    snapshot = json.dumps(to_jsonable([claims, dets, covs]), sort_keys=True)
    first = assess(claims, dets, covs)
    assert assess(claims, dets, covs) == first
    assert json.dumps(to_jsonable([claims, dets, covs]), sort_keys=True) == snapshot


def test_labels_name_the_claims_each_detection_supports() -> None:
    claims = claims_of("In 2016 two airliners left the apron at Beirut airport.")
    verdicts = assess(claims, [det(id="a"), det(id="b", event=Event.APPEARED)], [cov()])
    labels = detection_labels(verdicts, claims)
    assert set(labels) == {"a"}
    assert labels["a"][0].startswith("+ 2 x airliner departing at beirut-airport")
    # the claim's id ends the label, as the corroboration's tables name it
    assert labels["a"][0].endswith(f"[{claims[0].id}]")


def test_coverage_rejects_nonsense() -> None:
    with pytest.raises(InputError):
        Coverage(site="x", start=AFTER, end=BEFORE)
    with pytest.raises(InputError):
        Coverage(site="x", start=BEFORE)
    with pytest.raises(InputError):
        Coverage(site="x", pixel_size_m=0)
    with pytest.raises(InputError):
        Coverage(site="x", cloud_fraction=1.5)


# --------------------------------------------------------------------------- run files


def test_detection_round_trips_through_geojson() -> None:
    d = det(notes=("edge of tile",))
    props = to_jsonable(d)
    props.pop("footprint")
    feature = {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in d.footprint]]},
    }
    back = detection_from_feature(json.loads(json.dumps(feature)))
    assert back == d
    bad = json.loads(json.dumps(feature))
    del bad["properties"]["event"]
    with pytest.raises(InputError, match="'event'"):
        detection_from_feature(bad)
    bad["properties"]["event"] = "exploded"
    with pytest.raises(InputError, match="bad value"):
        detection_from_feature(bad)


def test_coverage_from_a_run_record() -> None:
    record = {
        "site": "beirut-airport",
        "scenes": [
            {
                "id": "S2A_OPER_MSI_L1C_X",
                "sensor": "S2",
                "datetime": "2015-08-20T00:00:00+00:00",
                "cloud_fraction": 0.1,
                "grid": {
                    "crs": "EPSG:4326",
                    "transform": [9.8986e-05, 0, 35.47, 0, -9.8938e-05, 33.835],
                },
            },
            {
                "id": "T36SYC_20171003T081739",
                "datetime": "2017-10-03T08:17:39Z",
                "cloud_fraction": 0.3,
            },
        ],
        "parameters": {},
        "warnings": [],
    }
    dets = [det(site="beirut-airport"), det(id="p", site="beirut-port")]
    covs = coverages_from_run(record, dets, run="r1")
    assert [c.site for c in covs] == ["beirut-airport", "beirut-port"]
    c = covs[0]
    assert (c.start, c.end) == (BEFORE, AFTER)
    assert c.cloud_fraction == 0.3 and c.sensor == "S2"
    assert 9.5 < c.pixel_size_m < 10.5  # 1e-4 degrees at 34 N, mean of both sides
    assert "persisted" not in c.events  # a change detector reports no persisted objects
    empty = coverages_from_run({"site": "hmeimim", "scenes": [], "warnings": ["no pixels offline"]})
    assert not empty[0].has_imagery and "no pixels offline" in empty[0].note
    with pytest.raises(InputError, match="site"):
        coverages_from_run({"scenes": []})
    with pytest.raises(InputError, match="not a date"):
        coverages_from_run({"site": "x", "scenes": [{"id": "a", "datetime": "soon"}]})


# --------------------------------------------------------------------------- real claims


def test_hmeimim_and_tartus_seed_claims_have_no_coverage_offline(shared: Path) -> None:
    meta = load_metadata(REPO / "seeds" / "corpus.json")
    reports = [read_report(p, metadata=meta) for p in sorted((shared / "seeds").glob("*.txt"))]
    claims = [c for r in reports for c in extract_claims(r)]
    syrian = [c for c in claims if c.site in ("hmeimim", "tartus")]
    assert len(syrian) >= 10
    offline = [
        Coverage(site="hmeimim", note="no Sentinel pixels of Hmeimim can be read offline"),
        Coverage(site="tartus", note="no Sentinel pixels of Tartus can be read offline"),
        cov(),  # a real-looking Beirut coverage must not leak into Syrian claims
    ]
    beirut_dets = [det(id=f"b{i}") for i in range(5)]
    groups = group_near_duplicates(reports)
    group_of = {rid: g.id for g in groups for rid in g.report_ids}
    verdicts = assess(
        claims,
        beirut_dets,
        offline,
        published={r.id: r.published for r in reports},
        groups=group_of,
    )
    for c, v in zip(claims, verdicts, strict=True):
        assert v.verdict is not Verdict.SUPPORTS and not v.links
        if c.site in ("hmeimim", "tartus"):
            assert v.verdict is Verdict.NO_COVERAGE
            assert "offline" in v.reason
    an124 = [v for c, v in zip(claims, verdicts, strict=True) if c.equipment == "an-124"]
    assert an124 and all(v.sources == 3 for v in an124)  # three outlets, three stories


def test_grouped_reports_count_as_one_source(shared: Path) -> None:
    meta = load_metadata(REPO / "seeds" / "corpus.json")
    src = read_report(shared / "seeds" / "002_4fd75b2939b7419c.txt", metadata=meta)
    para = read_report(
        REPO / "tests" / "data" / "reports" / "paraphrase_of_002.txt", published="2024-12-14"
    )
    claims = [*extract_claims(src), *extract_claims(para)]
    groups = group_near_duplicates([src, para])
    assert len(groups) == 1
    group_of = {rid: g.id for g in groups for rid in g.report_ids}
    grouped = assess(claims, [], [], groups=group_of)
    separate = assess(claims, [], [])
    vessels = [i for i, c in enumerate(claims) if c.equipment == "naval-vessel"]
    assert len(vessels) == 2
    assert all(grouped[i].sources == 1 for i in vessels)
    assert all(separate[i].sources == 2 for i in vessels)
    assert dataclasses.asdict(grouped[vessels[0]])["group_id"] == src.id


def test_catalogue_names_a_bracketing_pair_when_no_imagery() -> None:
    claim = one("Two An-124 were loaded at Hmeimim on 13 December 2024.", "2024-12-14")
    scenes = [
        CatalogScene("S2-early", "S2", dt.date(2024, 11, 30), 0.0),
        CatalogScene("S2-cloudy", "S2", dt.date(2024, 12, 10), 0.9),
        CatalogScene("S2-late", "S2", dt.date(2024, 12, 15), 0.19),
        CatalogScene("S1-t14-a", "S1 track 14", dt.date(2024, 12, 12)),
        CatalogScene("S1-t94-b", "S1 track 94", dt.date(2024, 12, 18)),  # other track
        CatalogScene("S1-unknown", "S1", dt.date(2024, 12, 14)),
    ]
    offline = Coverage(site="hmeimim", note="no pixels offline")
    (v,) = assess([claim], [], [offline], catalogue={"hmeimim": scenes})
    assert v.verdict is Verdict.NO_COVERAGE
    assert "S2-early (2024-11-30, clouds 0%) and S2-late (2024-12-15" in v.reason
    assert "S2-cloudy" not in v.reason  # too cloudy
    assert "S1-t14-a" not in v.reason and "S1-unknown" not in v.reason  # no same-track pair
    (none,) = assess([claim], [], [offline], catalogue={"hmeimim": scenes[:2]})
    assert "no usable pair" in none.reason
    # a scene of the claimed day is the earlier of a pair, never both of its dates
    on_the_day = one("Two An-124 were parked at Hmeimim on 15 December 2024.", "2024-12-16")
    (vd,) = assess([on_the_day], [], [offline], catalogue={"hmeimim": scenes})
    assert "S2-late (2024-12-15, clouds 19%) and S2-late" not in vd.reason, vd.reason
    assert "no usable pair" in vd.reason, vd.reason
    ka52 = one("A Ka-52 was dismantled at Hmeimim on 13 December 2024.", "2024-12-14")
    (vk,) = assess([ka52], [], [offline])
    assert vk.verdict is Verdict.NO_COVERAGE and "too few to see it" in vk.reason


# --------------------------------------------------------------------------- zone counts


def counted(
    site: str = "beirut-airport", length: float | None = None, **per_zone: Any
) -> tuple[ZoneCount, ...]:
    """Zone counts: ``zone=(kind, n_before, n_after[, valid_fraction])`` on BEFORE/AFTER,
    each object ``length`` m long (None: lengths not recorded, as in older runs)."""
    out = []
    for zone, spec in per_zone.items():
        kind, nb, na, *frac = spec
        for day, n in ((BEFORE, nb), (AFTER, na)):
            lengths = None if length is None else (length,) * n
            out.append(ZoneCount(zone, kind, day, n, frac[0] if frac else 1.0, lengths))
    return tuple(out)


PARKED_2015 = "On 20 August 2015 two Il-76 were parked on the apron at Beirut airport."


def test_aircraft_evidence_is_held_to_what_the_aircraft_search_is_known_to_get_right() -> None:
    """Two aircraft counted on the apron meet "two aircraft" in full only where the
    aircraft search is measured right on them; with no measured precision (every run
    today) an object it calls an aircraft may be a roof or a marking of that size: in
    part, saying why. A measured precision is held as a vessel search's is. Vessel
    claims are not touched by it."""
    generic = one("On 20 August 2015 two aircraft were parked on the apron at Beirut airport.")
    apron = counted(apron=("apron", 2, 0), runway=("runway", 0, 0), length=45.0)
    how = "aircraft found by the single-date aircraft test, not measured on labelled airfields"
    unmeasured = cov(zone_counts=apron, aircraft_precision=None, aircraft_search=how)
    (v,) = assess([generic], [], [unmeasured])
    assert v.verdict is Verdict.PARTLY_SUPPORTS, v.reason
    assert "2 on 2015-08-20 (inside the claimed window) meets the 2" in v.reason
    assert f"; {how}: an object it calls an aircraft may be a roof" in v.reason
    assert v.reason.endswith("so the imagery bears out aircraft in part only")
    # a record that says nothing of its aircraft search: the same, in general words
    (quiet,) = assess([generic], [], [cov(zone_counts=apron, aircraft_precision=None)])
    assert quiet.verdict is Verdict.PARTLY_SUPPORTS
    assert "the aircraft search's precision is not measured" in quiet.reason
    # measured right on half of what it finds: about one of the two is likely an aircraft
    (half,) = assess([generic], [], [cov(zone_counts=apron, aircraft_precision=0.5)])
    assert half.verdict is Verdict.PARTLY_SUPPORTS, half.reason
    assert "about 1.0 of them are likely to be aircraft" in half.reason
    assert "may be a roof" not in half.reason
    (right,) = assess([generic], [], [cov(zone_counts=apron, aircraft_precision=1.0)])
    assert right.verdict is Verdict.SUPPORTS, right.reason
    assert half.score < right.score
    # an aircraft event, as a count, is the aircraft search's
    left = one(f"{SPAN} a plane left the apron at Beirut airport.")
    gone = det()
    (e,) = assess([left], [gone], [cov(aircraft_precision=None, aircraft_search=how)])
    assert e.verdict is Verdict.PARTLY_SUPPORTS and "may be a roof" in e.reason, e.reason
    (e1,) = assess([left], [gone], [cov()])
    assert e1.verdict is Verdict.SUPPORTS, e1.reason
    # a ship claim on a run whose aircraft search is unmeasured: untouched
    ship = one("On 20 August 2015 a ship was anchored in the harbour of Beirut port.")
    basin = counted("beirut-port", basin=("harbour", 1, 0), length=90.0)
    port = cov("beirut-port", zone_counts=basin, aircraft_precision=None)
    (sv,) = assess([ship], [], [port])
    assert sv.verdict is Verdict.SUPPORTS and "aircraft" not in sv.reason, sv.reason


LEFT_SPAN = f"{SPAN} two Il-76 departed from the apron at Beirut airport."


def test_count_met_supports_with_the_number_seen() -> None:
    claim = one(PARKED_2015)
    assert (claim.count, claim.action, claim.zone_kind) == (2, "stationed", "apron")
    # no event at all: without counts the run cannot show the apron empty (its aircraft
    # search misses parked aircraft: the count there is a lower bound) ...
    (before,) = assess([claim], [], [cov()])
    assert before.verdict is Verdict.CANNOT_RESOLVE and "counted" not in before.reason
    assert "absence is not shown" in before.reason
    # ... with two aircraft of Il-76 size counted on the apron that day it bears out the
    # number, not the type: at 10 m another aircraft of that size looks the same
    two = cov(zone_counts=counted(apron=("apron", 2, 0), runway=("runway", 0, 0), length=45.0))
    (v,) = assess([claim], [], [two])
    assert v.verdict is Verdict.PARTLY_SUPPORTS, v.reason
    assert "not their type: at 10 m another aircraft of that size looks the same as an Il-76" in (
        v.reason
    )
    generic = one("On 20 August 2015 two aircraft were parked on the apron at Beirut airport.")
    (g,) = assess([generic], [], [two])
    assert g.verdict is Verdict.SUPPORTS, g.reason
    # the runway is not the apron the claim names: not counted in
    assert (
        "aircraft objects of Il-76 size, 30-80 m, counted in apron: 2 on 2015-08-20, "
        "0 on 2017-10-03" in v.reason
    )
    assert "2 on 2015-08-20 (inside the claimed window) meets the 2 the report" in v.reason
    assert 0.0 < v.score <= 0.4


def test_a_claimed_types_number_is_held_against_objects_of_its_size() -> None:
    """Two small objects on the apron are not two Il-76 (about 50 m): counted by size,
    the apron holds none of them (and as the apron's count is a lower bound, that shows
    no absence either)."""
    claim = one(PARKED_2015)
    small = cov(zone_counts=counted(apron=("apron", 2, 2), length=18.0))
    (v,) = assess([claim], [], [small])
    assert v.verdict is Verdict.CANNOT_RESOLVE, v.reason
    assert "aircraft objects of Il-76 size, 30-80 m, counted in apron: 0 on 2015-08-20" in v.reason
    # one of each: one of the claimed size, so the number is borne out in part
    mixed = (
        ZoneCount("apron", "apron", BEFORE, 2, 1.0, (48.0, 18.0)),
        ZoneCount("apron", "apron", AFTER, 0, 1.0, ()),
    )
    (m,) = assess([claim], [], [cov(zone_counts=mixed)])
    assert m.verdict is Verdict.PARTLY_SUPPORTS and "1 on 2015-08-20" in m.reason, m.reason
    # two counted, one of the size, the other measured 18 m: a length measured at 10 m
    # does not rule the type out, so the count does not contradict two of them
    small_other = (
        ZoneCount("apron", "apron", BEFORE, 1, 1.0, (18.0,)),
        ZoneCount("apron", "apron", AFTER, 0, 1.0, ()),
    )
    one_il76 = one("On 20 August 2015 an Il-76 was parked on the apron at Beirut airport.")
    seen = [det(id="a", length_m=47.0)]  # seen then, gone by 2017, of Il-76 size
    (o,) = assess([one_il76], seen, [cov(zone_counts=small_other)])
    assert o.verdict is Verdict.PARTLY_SUPPORTS, o.reason
    assert "1 more counted then, measured 18 m long, outside that size" in o.reason
    assert "borne out in part only" in o.reason
    # a generic noun names no size: every aircraft counted counts
    generic = one("On 20 August 2015 two aircraft were parked on the apron at Beirut airport.")
    (g,) = assess([generic], [], [small])
    assert g.verdict is Verdict.SUPPORTS and "meets the 2" in g.reason, g.reason
    # a record without lengths: the count is of any size, and the reason says so
    (u,) = assess([claim], [], [cov(zone_counts=counted(apron=("apron", 2, 2)))])
    assert u.verdict is Verdict.PARTLY_SUPPORTS and "of any size" in u.reason, u.reason


def test_a_vessel_count_is_held_to_its_searchs_measured_precision() -> None:
    """A search right on about half of what it finds: two vessels counted are about one
    ship, so a claim of two is borne out in part; four counted bear two out."""
    claim = one("On 3 October 2017 two ships were anchored offshore of Beirut port.")

    def run(n: int) -> Coverage:
        zc = counted("beirut-port", roads=("approach", n, n), length=90.0)
        return cov("beirut-port", zone_counts=zc, vessel_precision=0.52, vessel_search="by a test")

    (two,) = assess([claim], [], [run(2)])
    assert two.verdict is Verdict.PARTLY_SUPPORTS, two.reason
    assert "right on about 52% of what it finds" in two.reason
    assert "about 1.0 of them are likely to be ships" in two.reason
    (four,) = assess([claim], [], [run(4)])
    assert four.verdict is Verdict.SUPPORTS and "meets the 2" in four.reason, four.reason
    assert two.score < four.score
    # beside a fitting event the count says how many were there, at the same precision
    came = ship(event=Event.APPEARED, length_m=90.0)
    (event,) = assess([claim], [came], [run(2)])
    assert event.verdict is Verdict.PARTLY_SUPPORTS, event.reason
    assert "so about 1.0 of them are likely to be ships" in event.reason, event.reason
    assert event.reason.count("likely to be ships") == 1  # said once, by the count
    (event4,) = assess([claim], [came], [run(4)])
    assert event4.verdict is Verdict.SUPPORTS, event4.reason
    # fitting vessels are of the same search: two of them are about one ship, not two
    (pair,) = assess([claim], [came, ship(id="s2", event=Event.APPEARED, length_m=95.0)], [run(2)])
    assert pair.verdict is Verdict.PARTLY_SUPPORTS, pair.reason
    assert "2 detections fit" in pair.reason
    assert "about 1.0 of them are likely to be ships" in pair.reason
    (pair_plain,) = assess(
        [claim],
        [came, ship(id="s2", event=Event.APPEARED, length_m=95.0)],
        [dataclasses.replace(run(2), vessel_precision=None)],
    )
    assert pair_plain.verdict is Verdict.SUPPORTS, pair_plain.reason
    assert pair_plain.score > pair.score
    # unmeasured precision (aircraft, older records): the count is taken as it is
    (plain,) = assess([claim], [], [dataclasses.replace(run(2), vessel_precision=None)])
    assert plain.verdict is Verdict.SUPPORTS, plain.reason
    with pytest.raises(InputError, match="vessel precision"):
        dataclasses.replace(run(2), vessel_precision=1.5)
    with pytest.raises(InputError, match="one length per object"):
        ZoneCount("roads", "approach", BEFORE, 2, 1.0, (90.0,))


def test_counts_outside_the_claimed_window_are_no_evidence() -> None:
    """A count of another day says nothing of the number a claim gives for its days: a
    presence in 2016 is neither borne out nor contradicted by counts of 2015 and 2017."""
    claim = one("In 2016 two Il-76 were parked on the apron at Beirut airport.")
    for n in (0, 2):
        (v,) = assess([claim], [], [cov(zone_counts=counted(apron=("apron", n, n)))])
        assert v.verdict is Verdict.NO_COVERAGE, v.reason
        assert "no image inside the claimed dates 2016-01-01 to 2016-12-31" in v.reason
        assert "2015-08-20 (134 days before) and 2017-10-03 (276 days after)" in v.reason
        assert "counted" not in v.reason


TANKERS_2015 = "On 20 August 2015 two tankers were anchored offshore of Beirut port."


def offshore(*counts: int) -> Coverage:
    """The port's coverage with vessels counted in its approach (counted whole) on
    BEFORE and AFTER."""
    return cov("beirut-port", zone_counts=counted("beirut-port", roads=("approach", *counts)))


def ship(**kw: Any) -> Detection:
    """A vessel detection in the port's approach."""
    return det(site="beirut-port", object_class=ObjectClass.VESSEL, zone_kind="approach", **kw)


def test_count_short_is_graded_or_contradicts() -> None:
    claim = one(TANKERS_2015)
    (one_seen,) = assess([claim], [], [offshore(1, 1)])
    (none_seen,) = assess([claim], [], [offshore(0, 0)])
    # one of two: a graded verdict with both numbers, never a full support
    assert one_seen.verdict is Verdict.PARTLY_SUPPORTS, one_seen.reason
    assert "1 on 2015-08-20 (inside the claimed window), fewer than the 2" in one_seen.reason
    # none of two, on the claimed day, in a zone seen whole: contradicted
    assert none_seen.verdict is Verdict.CONTRADICTS
    assert "at most 0 on 2015-08-20" in none_seen.reason
    assert "fewer than the 2 the report claims" in none_seen.reason
    # on an apron, whose count is a lower bound: one of two still bears out part of the
    # number, none shows no absence
    parked = one(PARKED_2015)
    (apron_one,) = assess([parked], [], [cov(zone_counts=counted(apron=("apron", 1, 1)))])
    (apron_none,) = assess([parked], [], [cov(zone_counts=counted(apron=("apron", 0, 0)))])
    assert apron_one.verdict is Verdict.PARTLY_SUPPORTS, apron_one.reason
    assert "at least 1 on 2015-08-20" in apron_one.reason and "lower bound" in apron_one.reason
    assert apron_none.verdict is Verdict.CANNOT_RESOLVE, apron_none.reason
    assert "none of about 310 parked airliners" in apron_none.reason


def test_count_of_an_unresolvable_object_decides_nothing() -> None:
    claim = one("On 20 August 2015 two Ka-52 were parked on the apron at Beirut airport.")
    (v,) = assess([claim], [], [cov(zone_counts=counted(apron=("apron", 0, 0)))])
    assert v.verdict is Verdict.CANNOT_RESOLVE and "resolution cells" in v.reason


def test_vessels_not_found_offshore_are_held_to_the_searchs_open_water_recall() -> None:
    """A search that finds about half of the ships in open water (the rule-based one,
    0.51 on the labelled ports) cannot show one claimed ship absent (a 49 % chance it
    missed it); two missed are a 24 % chance, under ``max_miss_chance``: contradicted."""
    one_ship = one("On 3 October 2017 a tanker was anchored offshore of Beirut port.")
    two_ships = one("On 3 October 2017 two tankers were anchored offshore of Beirut port.")

    def run(recall: float | None, counts: bool = True) -> Coverage:
        zc = counted("beirut-port", roads=("approach", 0, 0), length=90.0) if counts else ()
        return cov("beirut-port", zone_counts=zc, vessel_open_recall=recall)

    for counts in (True, False):
        (v1,) = assess([one_ship], [], [run(0.51, counts)])
        assert v1.verdict is Verdict.CANNOT_RESOLVE, v1.reason
        assert "so missing 1 is a 49% chance and absence is not shown" in v1.reason
        (v2,) = assess([two_ships], [], [run(0.51, counts)])
        assert v2.verdict is Verdict.CONTRADICTS, v2.reason
        # the classifier's 0.71: one missed is still a 29 % chance
        (c1,) = assess([one_ship], [], [run(0.71, counts)])
        assert c1.verdict is Verdict.CANNOT_RESOLVE and "29% chance" in c1.reason
        # not measured (records of earlier versions): the count and the events decide
        (n1,) = assess([one_ship], [], [run(None, counts)])
        assert n1.verdict is Verdict.CONTRADICTS, n1.reason
    # an analyst who accepts up to a 50 % chance of a miss: contradicted
    lenient = LinkParams(max_miss_chance=0.5)
    (x,) = assess([one_ship], [], [run(0.51)], params=lenient)
    assert x.verdict is Verdict.CONTRADICTS, x.reason


def test_no_event_is_no_evidence_where_the_object_had_time_to_come_and_go() -> None:
    """A ship that arrived in the claimed days may have left again before a later image
    weeks after them; one that left may have come after an earlier image weeks before,
    or come back before the later one: no change between the images is then *no
    coverage*, saying how far off each image is. With both images within ``stay_days``
    of the claimed dates, a contradiction."""
    came = one("In 2016 two tankers arrived at the anchorage off the port of Beirut.")
    left = one("In 2016 two tankers sailed away from the anchorage off the port of Beirut.")
    late = cov("beirut-port", start=dt.date(2015, 12, 22), end=dt.date(2017, 3, 1))
    early = cov("beirut-port", start=dt.date(2015, 6, 1), end=dt.date(2017, 1, 9))
    both = cov("beirut-port", start=dt.date(2015, 6, 1), end=dt.date(2017, 3, 1))
    close = cov("beirut-port", **AROUND_2016)
    for claim in (came, left):
        (v,) = assess([claim], [], [late])
        assert v.verdict is Verdict.NO_COVERAGE and v.score == 0.0, v.reason
        assert "the later image is 60 days after the claimed dates:" in v.reason
        assert "(it is, within 15 days)" in v.reason
        (x,) = assess([claim], [], [early])
        assert x.verdict is Verdict.NO_COVERAGE, x.reason
        assert "the earlier image is 214 days before the claimed dates:" in x.reason
        (y,) = assess([claim], [], [both])
        assert "214 days before the claimed dates and the later one 60 days after:" in y.reason
        (z,) = assess([claim], [], [close])
        assert z.verdict is Verdict.CONTRADICTS, z.reason
        # the limit is a named parameter
        (w,) = assess([claim], [], [late], params=LinkParams(stay_days=60))
        assert w.verdict is Verdict.CONTRADICTS, w.reason
    with pytest.raises(InputError, match="in days must be >= 0"):
        LinkParams(stay_days=-1)


def test_ships_not_seen_moving_are_held_to_the_searchs_open_water_recall() -> None:
    """A ship seen leaving is one found on the earlier date: where no event shows a
    claimed departure (or arrival), a search that finds about half the ships in open
    water leaves one ship's move unshown (*cannot resolve*, with the chance), and three
    not seen contradict, scored by the chance that one would have been found."""
    left = one("In 2016 a warship sailed away from the anchorage off the port of Beirut.")
    came = one("In 2016 a tanker arrived at the anchorage off the port of Beirut.")
    three = one("In 2016 three tankers sailed away from the anchorage off the port of Beirut.")

    def run(recall: float | None) -> Coverage:
        return cov("beirut-port", vessel_open_recall=recall, **AROUND_2016)

    for claim in (left, came):
        (v,) = assess([claim], [], [run(0.51)])
        assert v.verdict is Verdict.CANNOT_RESOLVE, v.reason
        assert "missing 1 on that date is a 49% chance" in v.reason, v.reason
        assert "does not show that none moved" in v.reason
        # not measured (records of earlier versions): no event is a contradiction
        (plain,) = assess([claim], [], [run(None)])
        assert plain.verdict is Verdict.CONTRADICTS, plain.reason
    (v3,) = assess([three], [], [run(0.51)])
    assert v3.verdict is Verdict.CONTRADICTS, v3.reason
    assert "missing all 3 would be a 12% chance" in v3.reason, v3.reason
    (plain3,) = assess([three], [], [run(None)])
    assert v3.score == pytest.approx(plain3.score * (1 - 0.49**3), abs=0.001)
    # a ship seen leaving still supports the claim, whatever the recall
    gone = ship(event=Event.DISAPPEARED, length_m=120.0)
    (seen,) = assess([left], [gone], [run(0.51)])
    assert seen.verdict in (Verdict.SUPPORTS, Verdict.PARTLY_SUPPORTS), seen.reason
    # aircraft claims are not held to the vessel search
    (plane,) = assess(
        [one("In 2016 two airliners left the apron at Beirut airport.")],
        [],
        [cov(vessel_open_recall=0.51)],
    )
    assert plane.verdict is Verdict.CANNOT_RESOLVE and "vessel search" not in plane.reason


def test_radar_runs_say_nothing_of_aircraft() -> None:
    """The radar pipeline looks for vessels on water only: an aircraft claim against a
    radar run is *cannot resolve*, saying why, where it was contradicted for want of
    an event the run never looks for."""
    claim = one("In 2016 two Il-76 departed from the apron at Beirut airport.")
    (radar,) = assess([claim], [], [cov(sensor="S1", cloud_fraction=None)])
    assert radar.verdict is Verdict.CANNOT_RESOLVE, radar.reason
    assert "radar runs look for vessels in the water zones only" in radar.reason
    assert "say nothing of Il-76" in radar.reason
    # vessels are what it looks for: a ship not seen leaving offshore is judged
    ships = one("In 2016 three tankers sailed away from the anchorage off the port of Beirut.")
    radar = cov("beirut-port", sensor="S1", cloud_fraction=None, **AROUND_2016)
    (v,) = assess([ships], [], [radar])
    assert v.verdict is Verdict.CONTRADICTS, v.reason


def test_count_in_a_zone_not_seen_is_no_coverage() -> None:
    claim = one(TANKERS_2015)
    cloudy = cov("beirut-port", zone_counts=counted("beirut-port", roads=("approach", 0, 0, 0.3)))
    (v,) = assess([claim], [], [cloudy])
    assert v.verdict is Verdict.NO_COVERAGE, v.reason
    assert "roads 30%" in v.reason and "at least 50% needed" in v.reason
    # fitting events, fewer than claimed and a count that could not be made: graded
    (w,) = assess([claim], [ship(event=Event.PERSISTED)], [cloudy])
    assert w.verdict is Verdict.PARTLY_SUPPORTS and "too little of the zone was seen" in w.reason
    both = [ship(id="a", event=Event.PERSISTED), ship(id="b", event=Event.PERSISTED)]
    (w2,) = assess([claim], both, [cloudy])
    assert w2.verdict is Verdict.SUPPORTS
    lenient = LinkParams(min_zone_valid=0.2)
    (x,) = assess([claim], [], [cloudy], params=lenient)
    assert x.verdict is Verdict.CONTRADICTS


def test_departure_is_counted_on_the_first_date_inside_the_window() -> None:
    claim = one(LEFT_SPAN)
    late = cov(zone_counts=counted(apron=("apron", 0, 2)))  # there after, not before
    (v,) = assess([claim], [], [late])
    # no aircraft seen leaving, which on an apron does not show that none left, and the
    # count of the first date, a lower bound there, is quoted as one
    assert v.verdict is Verdict.CANNOT_RESOLVE
    assert "at least 0 on 2015-08-20 (inside the claimed window)" in v.reason
    early = cov(zone_counts=counted(apron=("apron", 2, 0)))
    gone = [det(id="a"), det(id="b", confidence=0.8)]
    (w,) = assess([claim], gone[:1], [early])
    (w0,) = assess([claim], gone[:1], [cov()])
    # one left, and the run counted both there: the number is borne out, the type not
    # (at 10 m another aircraft of Il-76 size looks the same)
    assert w.verdict is Verdict.PARTLY_SUPPORTS and "1 seen of" not in w.reason, w.reason
    assert "2 on 2015-08-20 (inside the claimed window) meets the 2 claimed" in w.reason
    assert "not their type" in w.reason
    assert w0.verdict is Verdict.PARTLY_SUPPORTS and "1 seen of the 2 claimed" in w0.reason
    assert w.score > w0.score


def test_a_departure_in_2016_is_not_judged_by_a_count_of_2015() -> None:
    claim = one("In 2016 two Il-76 departed from the apron at Beirut airport.")
    (v,) = assess([claim], [], [cov(zone_counts=counted(apron=("apron", 0, 2)))])
    assert "counted" not in v.reason and "2015-08-20 (" not in v.reason


def test_fitting_events_stand_against_a_short_count() -> None:
    claim = one(LEFT_SPAN)
    gone = [det(id="a"), det(id="b")]
    (full,) = assess([claim], gone, [cov(zone_counts=counted(apron=("apron", 2, 0)))])
    (short,) = assess([claim], gone, [cov(zone_counts=counted(apron=("apron", 1, 0)))])
    # two disappeared: two seen (of Il-76 size; their type is not seen, hence partly)
    assert full.verdict is short.verdict is Verdict.PARTLY_SUPPORTS
    assert "seen of the" not in full.reason and "not their type" in full.reason
    assert (
        "aircraft objects of any size (the run did not record their lengths) "
        "counted in apron: 1 on 2015-08-20" in short.reason
    )
    assert "fewer than the 2 claimed" in short.reason
    # the apron's count is a lower bound: one counted does not weaken two seen leaving
    assert short.score == full.score
    assert {k.detection_id for k in short.links} == {"a", "b"}
    # offshore, counted whole: a short count weakens the support
    left = one(f"{SPAN} two tankers left the anchorage off Beirut port.")
    sailed = [ship(id="a"), ship(id="b")]
    (full_w,) = assess([left], sailed, [offshore(2, 0)])
    (short_w,) = assess([left], sailed, [offshore(1, 0)])
    assert full_w.verdict is short_w.verdict is Verdict.SUPPORTS
    assert "at most 1 on 2015-08-20" in short_w.reason
    assert short_w.score < full_w.score


def test_presence_seen_on_the_claimed_date_outweighs_a_later_departure() -> None:
    """An aircraft seen on the claimed date (the earlier image's) and gone by the later
    one was there as claimed: the departure after it is no contradiction."""
    claim = one("On 20 August 2015 a plane was parked on the apron at Beirut airport.")
    gone = [det(id="a")]  # disappeared by 2017
    (events_only,) = assess([claim], gone, [cov()])
    assert events_only.verdict is Verdict.SUPPORTS, events_only.reason
    assert "aircraft disappeared in Terminal apron" in events_only.reason
    (v,) = assess([claim], gone, [cov(zone_counts=counted(apron=("apron", 1, 0), length=47.0))])
    assert v.verdict is Verdict.SUPPORTS, v.reason
    assert "1 on 2015-08-20 (inside the claimed window) meets the 1" in v.reason
    # claimed on the later date: gone by then; on an apron, whose single-date search
    # misses parked aircraft, another may be there unseen
    later = one("On 3 October 2017 a plane was parked on the apron at Beirut airport.")
    (w,) = assess([later], gone, [cov()])
    assert w.verdict is Verdict.CANNOT_RESOLVE and "(it shows 1 disappeared)" in w.reason
    # offshore, where vessels are counted whole: gone by the claimed date contradicts
    tanker_2017 = one("On 3 October 2017 a tanker was anchored offshore of Beirut port.")
    (t,) = assess([tanker_2017], [ship(id="t")], [cov("beirut-port")])
    assert t.verdict is Verdict.CONTRADICTS and "1 disappeared instead" in t.reason, t.reason
    # and the other way round: a vessel that appeared by 2017 was not there on the
    # earlier date, there on the later one
    came = [ship(id="b", event=Event.APPEARED)]
    tanker_2015 = one("On 20 August 2015 a tanker was anchored offshore of Beirut port.")
    (early,) = assess([tanker_2015], came, [cov("beirut-port")])
    assert early.verdict is Verdict.CONTRADICTS and "1 appeared instead" in early.reason
    (late,) = assess([tanker_2017], came, [cov("beirut-port")])
    assert late.verdict is Verdict.SUPPORTS and "vessel appeared" in late.reason, late.reason
    # a weaker link than a vessel seen staying put
    (stayed,) = assess([tanker_2017], [ship(id="c", event=Event.PERSISTED)], [cov("beirut-port")])
    assert stayed.verdict is Verdict.SUPPORTS and late.score < stayed.score


def test_counts_of_another_class_or_zone_are_not_used() -> None:
    claim = one(PARKED_2015)
    water = cov(zone_counts=counted(roads=("approach", 0, 0)))
    (v,) = assess([claim], [], [water])
    assert v.verdict is Verdict.CANNOT_RESOLVE and "counted" not in v.reason
    runway = cov(zone_counts=counted(runway=("runway", 0, 0)))  # the claim names the apron
    (w,) = assess([claim], [], [runway])
    assert "counted" not in w.reason


def test_zone_counts_from_a_run_record() -> None:
    record = {
        "site": "beirut-port",
        "scenes": [
            {"id": "a", "sensor": "S2", "datetime": "2015-08-20T08:00:00Z"},
            {"id": "b", "sensor": "S2", "datetime": "2017-10-03T08:00:00Z"},
        ],
        "parameters": {
            "zone_counts": {
                "Harbour basin": {"2015-08-20": 1, "2017-10-03": 0},
                "Outer roads": {"2015-08-20": 0, "2017-10-03": 2},
            },
            "zone_coverage": {"Harbour basin": {"kind": "harbour", "valid_fraction": 0.9}},
        },
    }
    dets = [
        det(site="beirut-port", zone="Outer roads", zone_kind="approach"),
        det(id="o", site="beirut-airport"),
    ]
    port, airport = coverages_from_run(record, dets, run="r")
    assert airport.site == "beirut-airport" and airport.zone_counts == ()
    got = {(z.zone, z.date.isoformat()): z for z in port.zone_counts}
    assert len(got) == 4
    basin = got[("Harbour basin", "2015-08-20")]
    assert (basin.kind, basin.count, basin.valid_fraction) == ("harbour", 1, 0.9)
    assert basin.object_class is ObjectClass.VESSEL
    roads = got[("Outer roads", "2017-10-03")]  # kind from the detections, fraction unknown
    assert (roads.kind, roads.count, roads.valid_fraction) == ("approach", 2, None)
    bad = json.loads(json.dumps(record))
    bad["parameters"]["zone_counts"]["Harbour basin"]["2015-08-20"] = -1
    with pytest.raises(InputError, match="not a count"):
        coverages_from_run(bad)
    bad["parameters"]["zone_counts"] = {"Harbour basin": {"someday": 1}}
    with pytest.raises(InputError, match="not a date"):
        coverages_from_run(bad)
    # a record without lengths (written before zone_lengths_m) counts objects of any size
    assert basin.lengths_m is None
    sized = json.loads(json.dumps(record))
    sized["parameters"]["zone_lengths_m"] = {
        "Harbour basin": {"2015-08-20": [91.2], "2017-10-03": []},
        "Outer roads": {"2015-08-20": [], "2017-10-03": [180.0, 22.5]},
    }
    port, _ = coverages_from_run(sized, dets, run="r")
    got = {(z.zone, z.date.isoformat()): z.lengths_m for z in port.zone_counts}
    assert got[("Outer roads", "2017-10-03")] == (180.0, 22.5)
    assert got[("Harbour basin", "2015-08-20")] == (91.2,)
    sized["parameters"]["zone_lengths_m"]["Harbour basin"]["2015-08-20"] = []
    with pytest.raises(InputError, match="1 objects but 0 lengths"):
        coverages_from_run(sized, dets)
    sized["parameters"]["zone_lengths_m"]["Harbour basin"]["2015-08-20"] = "91 m"
    with pytest.raises(InputError, match="must be a list of lengths in m"):
        coverages_from_run(sized, dets)


@pytest.fixture(scope="module")
def beirut_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The bundled real Beirut pair (2015-08-20 vs 2017-10-03) run and read back as
    ``basewatch corroborate`` reads run folders."""
    from basewatch._paths import bundled_dir
    from basewatch.aoi import load_site
    from basewatch.corroborate.runs import load_run
    from basewatch.imagery.local import read_local_pair
    from basewatch.outputs.run import write_run
    from basewatch.pipeline import detect_pair
    from basewatch.sample import SAMPLE

    out = tmp_path_factory.mktemp("beirut")
    dets: list[Detection] = []
    covs: list[Coverage] = []
    records: dict[str, Any] = {}
    for site, (b, a) in SAMPLE.items():
        imagery = bundled_dir("imagery")
        write_run(
            detect_pair(load_site(site), *read_local_pair(site, imagery / b, imagery / a)),
            out / site,
            png=False,
        )
        run = load_run(out / site)
        dets += run.detections
        covs += [x for x in run.coverages if x.site == site]
        records[site] = run.record
    return {"detections": dets, "coverages": covs, "records": records}


def judged(runs: dict[str, Any], text: str) -> Any:
    """The verdict on the one claim of ``text`` against the real Beirut runs."""
    (v,) = assess([one(text)], runs["detections"], runs["coverages"])
    return v


def test_real_beirut_runs_judge_counts(beirut_runs: dict[str, Any]) -> None:
    from basewatch.pipeline import VESSEL_SEARCH_MEASURED_TOA

    dets, covs = beirut_runs["detections"], beirut_runs["coverages"]
    port = next(c for c in covs if c.site == "beirut-port")
    basin = {z.date: z for z in port.zone_counts if z.zone == "Harbour basin"}
    assert basin[BEFORE].count == 1 and basin[BEFORE].kind == "harbour"  # the ship by eye
    assert basin[BEFORE].valid_fraction == pytest.approx(1.0)

    # the ship in the basin on 2015-08-20 (gone by 2017): seen on the claimed date
    ship = judged(
        beirut_runs, "On 20 August 2015 a ship was anchored in the harbour of the port of Beirut."
    )
    assert ship.verdict is Verdict.SUPPORTS, ship.reason
    assert "vessel objects counted in Harbour basin, Quay 9-12 berths" in ship.reason
    # two vessels counted: the ship in the basin and the grey object off the east pier
    # (found by the berth-hull detector; vessel or pontoon)
    assert "2 on 2015-08-20 (inside the claimed window) meets the 1" in ship.reason
    # three: two counted, but harbour and berth counts are lower bounds (moored ships
    # are not found on single dates), so fewer counted does not contradict
    ships = judged(
        beirut_runs, "On 20 August 2015 three ships were anchored in the harbour of Beirut port."
    )
    assert ships.verdict is not Verdict.CONTRADICTS, ships.reason
    assert "at least 2 on 2015-08-20 (inside the claimed window), fewer than the 3" in ships.reason
    assert "lower bound (" in ships.reason and "ships moored against a quay" in ships.reason
    assert ships.score < 0.5
    # in 2016, between the dates: the appeared ship is one of the three claimed
    later = judged(
        beirut_runs, "In 2016 three ships were anchored in the harbour of the port of Beirut."
    )
    assert later.verdict is Verdict.PARTLY_SUPPORTS, later.reason
    # the one ship that appeared is of a search right on 54 % of what it finds on
    # Level-1C scenes (the bundled ones: top of the atmosphere)
    rule = VESSEL_SEARCH_MEASURED_TOA["rule"]
    assert f"right on about {rule.precision:.0%} of what it finds" in later.reason
    assert "so of the 1 it found about 0.5 are likely to be ships, against 3 claimed" in (
        later.reason
    ), later.reason
    # the cases, on the test report
    claims = claims_of((REPO / "tests" / "data" / "reports" / "beirut_claims.md").read_text())
    verdicts = {c.equipment: v for c, v in zip(claims, assess(claims, dets, covs), strict=True)}
    # frigates offshore in September 2017: the image of 2017-10-03 is outside that month
    frig = verdicts["frigate"]
    assert frig.verdict is Verdict.NO_COVERAGE, frig.reason
    assert "(at the claimed dates)" not in frig.reason and "counted" not in frig.reason
    assert "2017-10-03 (3 days after)" in frig.reason
    # warships sailing away in 2016: no count of 2015 decides it; the rule-based search
    # finds 23 % of the ships in open water on Level-1C scenes, so two not seen leaving
    # is a 59 % chance: no evidence against the claim
    war = verdicts["warship"]
    assert "counted" not in war.reason
    assert war.verdict is Verdict.CANNOT_RESOLVE, war.reason
    found = rule.open_water_recall
    assert f"finds about {found:.0%} of the ships with open water all around them" in war.reason
    assert f"missing 2 on that date is a {(1 - found) ** 2:.0%} chance" in war.reason
    # one warship: a 77 % chance that the search missed it on 2015-08-20
    one_war = judged(
        beirut_runs, "In 2016 a warship sailed away from the anchorage off the port of Beirut."
    )
    assert one_war.verdict is Verdict.CANNOT_RESOLVE, one_war.reason
    assert f"missing 1 on that date is a {1 - found:.0%} chance" in one_war.reason
    # two airliners left, at most one seen: graded, with both numbers
    airliner = verdicts["airliner"]
    assert airliner.verdict is Verdict.PARTLY_SUPPORTS, airliner.reason
    assert "1 seen of the 2 claimed" in airliner.reason
    assert verdicts["ka-52"].verdict is Verdict.CANNOT_RESOLVE


def test_real_aircraft_moves_are_held_to_what_single_dates_find(
    beirut_runs: dict[str, Any],
) -> None:
    """An aircraft event is a change that the single-date search found as an aircraft
    on the date it was there (``confirm_aircraft``), and that search misses most parked
    aircraft where it was not tuned: on the real Beirut airport run, fighters not seen
    arriving are *cannot resolve*, not contradicted (and the airliner that left, three
    times their size, is no evidence against them); of three airliners claimed leaving,
    the one seen is quoted with the three changed objects of airliner size on the apron
    (38-41 m, *other disappeared*) that no single date showed as aircraft."""
    fighters = judged(
        beirut_runs, "In 2016 two fighter jets arrived at the terminal apron at Beirut airport."
    )
    assert fighters.verdict is Verdict.CANNOT_RESOLVE, fighters.reason
    assert "does not show that none moved" in fighters.reason
    assert "310 parked airliners" in fighters.reason and "it shows" not in fighters.reason
    three = judged(
        beirut_runs, "In 2016 three airliners left the terminal apron at Beirut airport."
    )
    assert three.verdict is Verdict.PARTLY_SUPPORTS, three.reason
    assert [k.detection_id for k in three.links] == ["beirut-airport-463290bd40"]
    assert "1 seen of the 3 claimed (it shows 3 changed objects of that size" in three.reason
    # a generic noun names no size: no changed object is offered as "of that size"
    planes = judged(beirut_runs, "In 2016 three planes left the terminal apron at Beirut airport.")
    assert planes.verdict is Verdict.PARTLY_SUPPORTS, planes.reason
    assert "changed object" not in planes.reason


def test_real_counts_are_held_to_the_claimed_types_size(beirut_runs: dict[str, Any]) -> None:
    """The lengths the real runs record decide which counted objects a claimed type's
    number is held against: the airliner on the terminal apron on 2015-08-20 (the
    aircraft that left by 2017, beirut-airport-463290bd40, about 38 m) is of Il-76 size,
    not of An-124 size (about 69 m); the ship in the harbour basin (about 91 m) is of
    frigate size, the grey object off the east pier (about 68 m) is not."""
    dets, covs = beirut_runs["detections"], beirut_runs["coverages"]
    apron = next(
        zc
        for c in covs
        for zc in c.zone_counts
        if c.site == "beirut-airport" and zc.zone == "Terminal apron" and zc.date == BEFORE
    )
    assert apron.count == 1 and apron.lengths_m is not None
    (length,) = apron.lengths_m
    assert 30.0 <= length <= 45.0  # a narrow-body airliner's length
    gone = next(d for d in dets if d.id == "beirut-airport-463290bd40")
    assert gone.event is Event.DISAPPEARED
    assert "also found by single-date detection and matching" in gone.notes
    # its length from the change (with its shadow) is longer than on its own image
    assert gone.length_m > 50.0
    assert any(n.startswith("measured on its own image on 2015-08-20: 38 x") for n in gone.notes)

    il76 = judged(
        beirut_runs, "On 20 August 2015 an Il-76 was parked on the apron at Beirut airport."
    )
    # of Il-76 size, not of its type: the airliner counted looks the same at 10 m
    assert il76.verdict is Verdict.PARTLY_SUPPORTS, il76.reason
    assert "aircraft objects of Il-76 size, 30-80 m, counted in Terminal apron: 1 on" in il76.reason
    assert "meets the 1 claimed" in il76.reason and "not their type" in il76.reason
    # the change path measured the same aircraft longer (of An-124 size): the lengths
    # disagree, and the verdict says so rather than bearing the type out
    an124 = judged(
        beirut_runs, "On 20 August 2015 an An-124 was parked on the apron at Beirut airport."
    )
    assert an124.verdict is Verdict.PARTLY_SUPPORTS, an124.reason
    assert "of An-124 size" in an124.reason and ": 0 on 2015-08-20" in an124.reason
    assert f"1 more counted then, measured {length:.0f} m long" in an124.reason
    basin = {zc.zone: zc for c in covs for zc in c.zone_counts if zc.date == BEFORE}
    assert basin["Harbour basin"].lengths_m is not None
    assert basin["Quay 9-12 berths (east pier)"].lengths_m is not None
    frigate = judged(
        beirut_runs, "On 20 August 2015 a frigate was anchored in the harbour of Beirut port."
    )
    # one of frigate size (the basin's ship): met, but the type is not seen at 10 m
    assert frigate.verdict is Verdict.PARTLY_SUPPORTS, frigate.reason
    assert "of frigate size" in frigate.reason and "1 on 2015-08-20" in frigate.reason
    assert "not their type" in frigate.reason


def test_absence_in_harbours_and_berths_is_not_shown_by_single_dates() -> None:
    """Moored ships are not found on single dates (they are no hole in the water), so
    finding no vessel that stayed put in a harbour does not contradict ships stationed
    there, and a short harbour count is a lower bound; open-water approaches, where
    vessels float free, are counted whole and can contradict."""
    harbour = one("On 3 October 2017 two frigates were stationed in the harbour of Beirut port.")
    offshore = one("On 3 October 2017 two frigates were stationed offshore of Beirut port.")
    counts = counted("beirut-port", basin=("harbour", 0, 0), roads=("approach", 0, 0))
    run = cov("beirut-port", zone_counts=counts)
    (h,) = assess([harbour], [], [run])
    assert h.verdict is Verdict.CANNOT_RESOLVE, h.reason
    assert "ships moored against a quay outside a berth zone are not found" in h.reason
    assert "lower bound" in h.reason
    (o,) = assess([offshore], [], [run])
    assert o.verdict is Verdict.CONTRADICTS, o.reason
    # without counts the harbour claim is still not contradicted; the offshore one is
    (h2,) = assess([harbour], [], [cov("beirut-port")])
    (o2,) = assess([offshore], [], [cov("beirut-port")])
    assert h2.verdict is Verdict.CANNOT_RESOLVE and o2.verdict is Verdict.CONTRADICTS
    # vessels seen in the harbour still bear the number out (the lower bound can
    # confirm), in part: 10 m imagery does not tell a frigate from a ship of its length
    seen = cov(
        "beirut-port", zone_counts=counted("beirut-port", basin=("harbour", 2, 2), length=120.0)
    )
    (s,) = assess([harbour], [], [seen])
    assert s.verdict is Verdict.PARTLY_SUPPORTS and "meets the 2" in s.reason, s.reason
    assert "not their type" in s.reason
    ships = one("On 3 October 2017 two ships were anchored in the harbour of Beirut port.")
    (g,) = assess([ships], [], [seen])
    assert g.verdict is Verdict.SUPPORTS and "meets the 2" in g.reason, g.reason


def test_reasons_quote_only_dates_and_counts_of_the_evidence(beirut_runs: dict[str, Any]) -> None:
    """Every date a reason names is a date of the imagery, its counts, its detections or
    the claim's window; every "N on DATE" of a count is the total the run counted in the
    zones named that day; every "N seen of the M claimed" has N links or counted."""
    import re

    dets, covs = beirut_runs["detections"], beirut_runs["coverages"]
    claims = claims_of((REPO / "tests" / "data" / "reports" / "beirut_claims.md").read_text())
    claims += claims_of(
        "On 20 August 2015 three ships were anchored in the harbour of the port of Beirut. "
        "In 2016 three ships were anchored in the harbour of the port of Beirut. "
        "On 3 October 2017 four airliners were parked on the terminal apron at Beirut airport."
    )
    verdicts = assess(claims, dets, covs)
    iso = re.compile(r"\d{4}-\d{2}-\d{2}")
    checked = 0
    for claim, v in zip(claims, verdicts, strict=True):
        allowed = {d.isoformat() for c in covs for d in (c.start, c.end) if d is not None}
        allowed |= {d.isoformat() for d in (claim.date_from, claim.date_to) if d is not None}
        allowed |= {x.isoformat() for d in dets for x in (d.before_date, d.after_date)}
        assert set(iso.findall(v.reason)) <= allowed, v.reason
        cov_ = v.coverage
        for zones, listing in re.findall(
            r"counted in (.+?): ((?:\d+ on [\d-]{10}(?:, )?)+)", v.reason
        ):
            for n, day in re.findall(r"(\d+) on ([\d-]{10})", listing):
                assert cov_ is not None
                total = sum(
                    zc.count
                    for zc in cov_.zone_counts
                    if zc.zone in zones.split(", ") and zc.date.isoformat() == day
                )
                assert int(n) == total, (v.reason, zones, day)
                checked += 1
        for seen, wanted in re.findall(r"(\d+) seen of the (\d+) claimed", v.reason):
            assert claim.count == int(wanted)
            counts = [int(x) for x in re.findall(r"(?:most|least) (\d+) on", v.reason)]
            assert int(seen) in {len(v.links), *counts}, v.reason
            checked += 1
        for days, day, side in re.findall(r"([\d-]{10}) \((\d+) days (before|after)\)", v.reason):
            ref = claim.date_from if side == "before" else claim.date_to
            assert ref is not None
            gap = (ref - dt.date.fromisoformat(days)).days
            assert abs(gap) == int(day), v.reason
            checked += 1
    assert checked >= 5  # the test read numbers out of the reasons


def test_the_same_scenes_in_several_run_folders_are_one_piece_of_evidence() -> None:
    claim = one("In 2016 an airliner left the apron at Beirut airport.")
    gone = det(id="a", confidence=0.6)
    copies = [dataclasses.replace(gone) for _ in range(4)]  # one pair run into 4 folders
    runs = [cov(run=f"out/{k}") for k in "abcd"]
    (once,) = assess([claim], [gone], runs[:1])
    (four,) = assess([claim], copies, runs)
    assert four.score == once.score and len(four.links) == len(once.links) == 1
    assert four.coverage is not None and four.coverage.run == "out/a, out/b, out/c, out/d"


def test_a_vessel_of_frigate_size_supports_only_in_part_and_other_sizes_not_at_all() -> None:
    claim = one("In 2016 a frigate departed from the anchorage off the port of Beirut.")
    vessel = {"site": "beirut-port", "object_class": ObjectClass.VESSEL, "zone_kind": "approach"}
    merchant = [det(id=f"m{k}", length_m=m, **vessel) for k, m in enumerate((40.0, 260.0))]
    (v,) = assess([claim], merchant, [cov("beirut-port", **AROUND_2016)])
    assert v.verdict is Verdict.CONTRADICTS and not [k for k in v.links if k.relation == "supports"]
    (w,) = assess([claim], [det(id="f", length_m=125.0, **vessel)], [cov("beirut-port")])
    assert w.verdict is Verdict.PARTLY_SUPPORTS, w.reason
    assert "vessels of frigate size" in w.reason and "not their type" in w.reason


@pytest.fixture(scope="module")
def port_run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from basewatch import detect_pair, load_site, read_local_pair, sample_pair, write_run

    site = load_site("beirut-port")
    result = detect_pair(site, *read_local_pair(site, *sample_pair("beirut-port")))
    out = tmp_path_factory.mktemp("port") / "run"
    write_run(result, out, png=False, html=False, gpkg=False, cog=False)
    return out


def test_a_run_written_with_nan_literals_still_loads(port_run_dir: Path, tmp_path: Path) -> None:
    # runs written before basewatch wrote null for NaN hold NaN literals, which orjson
    # refuses: the standard library reads them
    from basewatch.corroborate.runs import load_run

    fresh = load_run(port_run_dir)
    old = tmp_path / "old"
    old.mkdir()
    (old / "detections.geojson").write_bytes((port_run_dir / "detections.geojson").read_bytes())
    record = json.loads((port_run_dir / "run.json").read_text(encoding="utf-8"))
    record["legacy_value"] = float("nan")
    (old / "run.json").write_text(json.dumps(record), encoding="utf-8")
    assert "NaN" in (old / "run.json").read_text(encoding="utf-8")
    loaded = load_run(old)
    assert loaded.detections == fresh.detections and loaded.detections
    assert [c.site for c in loaded.coverages] == [c.site for c in fresh.coverages]


def test_a_file_beyond_the_run_limit_is_refused_by_name(
    port_run_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from basewatch.corroborate import runs

    size = (port_run_dir / "run.json").stat().st_size
    monkeypatch.setattr(runs, "MAX_RUN_FILE_BYTES", size - 1)
    with pytest.raises(InputError, match=r"too large for a run record.*basewatch run"):
        runs.load_run(port_run_dir)


def test_a_broken_run_record_is_refused(port_run_dir: Path, tmp_path: Path) -> None:
    from basewatch.corroborate.runs import load_run

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "run.json").write_bytes((port_run_dir / "run.json").read_bytes()[:-200])
    with pytest.raises(InputError, match="not valid JSON"):
        load_run(broken)


def test_a_vessel_count_in_a_reason_says_how_the_vessels_were_found(
    beirut_runs: dict[str, Any],
) -> None:
    """A verdict that quotes the run's vessel counts also says which search found them
    and what it scores on ports it was not tuned on, as the run record says (the
    bundled Beirut scenes carry no B11: the rule-based search)."""
    from basewatch.pipeline import VESSEL_SEARCH_MEASURED, VESSEL_SEARCH_MEASURED_TOA

    dets, covs = beirut_runs["detections"], beirut_runs["coverages"]
    port = [c for c in covs if c.site == "beirut-port"]
    assert port and all(c.vessel_search.startswith("vessels found by the rule-based") for c in port)
    claims = claims_of(
        "On 20 August 2015 three ships were anchored in the harbour of the port of Beirut."
    )
    (verdict,) = assess(claims, dets, covs)
    assert "vessel objects counted in" in verdict.reason, verdict.reason
    # the bundled scenes are Level-1C: the rule's figures on top-of-atmosphere images
    assert VESSEL_SEARCH_MEASURED_TOA["rule"].text() in verdict.reason, verdict.reason
    assert VESSEL_SEARCH_MEASURED["rule"].text() not in verdict.reason
    # aircraft counts are not told about the vessel search
    airport = [c for c in covs if c.site == "beirut-airport"]
    (plane,) = assess(
        claims_of(
            "On 3 October 2017 four airliners were parked on the terminal apron at Beirut airport."
        ),
        dets,
        covs,
    )
    assert airport and "vessels found by" not in plane.reason, plane.reason


def test_real_aircraft_claims_quote_the_aircraft_search_the_run_recorded(
    beirut_runs: dict[str, Any],
) -> None:
    """The Beirut airport run records its aircraft search and that its precision is not
    measured (``parameters.change.aircraft``); the airliner counted on the terminal
    apron on 2015-08-20 (beirut-airport-463290bd40, which left by 2017) bears out "an
    aircraft was parked there" in part, the verdict quoting the record."""
    from basewatch.detect.components import ObjectParams
    from basewatch.pipeline import aircraft_search

    record = beirut_runs["records"]["beirut-airport"]["parameters"]["change"]["aircraft"]
    assert record == aircraft_search(ObjectParams())
    (airport,) = (c for c in beirut_runs["coverages"] if c.site == "beirut-airport")
    assert airport.aircraft_precision is None
    assert airport.aircraft_search.startswith("aircraft found by the single-date aircraft test")
    parked = judged(
        beirut_runs, "On 20 August 2015 an aircraft was parked on the apron at Beirut airport."
    )
    assert parked.verdict is Verdict.PARTLY_SUPPORTS, parked.reason
    assert "1 on 2015-08-20 (inside the claimed window) meets the 1" in parked.reason
    assert airport.aircraft_search in parked.reason
    assert "none of the 6 objects it kept was an aircraft" in parked.reason
    # the port's run is held to its vessel search alone
    ship = judged(
        beirut_runs, "On 20 August 2015 a ship was anchored in the harbour of the port of Beirut."
    )
    assert ship.verdict is Verdict.SUPPORTS and "aircraft" not in ship.reason
