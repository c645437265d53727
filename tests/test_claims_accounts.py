"""How accounts carry and stop: constructions of real reports in sentences written for
these tests (the gold rules of ``../shared/reports/corpus.json``)."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.claims import CASE_EVENTS, Claim, extract_claims
from basewatch.corroborate.reports import parse_report


def claims_of(text: str, published: str = "2025-01-14") -> tuple[Claim, ...]:
    return extract_claims(parse_report(text, published=published))


def test_a_short_distance_off_a_site_is_its_approaches_a_long_one_is_not() -> None:
    near = claims_of("A pass on 11 January shows four warships anchored 11 km west of Tartus.")
    assert [(c.site, c.count, c.action, c.zone_kind) for c in near] == [
        ("tartus", 4, "stationed", "approach")
    ]
    # 60 km off is somewhere else: the town only locates it
    assert (
        claims_of("A pass on 11 January shows four warships anchored 60 km west of Tartus.") == ()
    )


def test_the_fleet_of_the_vessels_is_no_object_and_makes_them_naval() -> None:
    got = claims_of(
        "A pass on 11 January shows three vessels in the Northern Fleet, among them two "
        "frigates and an oiler, moored at Tartus."
    )
    assert [(c.equipment, c.count) for c in got] == [
        ("naval-vessel", 3),
        ("frigate", 2),
        ("vessel", 1),
    ]


def test_a_second_coordinated_verb_makes_a_claim_of_its_own() -> None:
    got = claims_of("On 12 January both tankers left Tartus and dropped anchor offshore.")
    assert [(c.equipment, c.count, c.action) for c in got] == [
        ("vessel", 2, "departing"),
        ("vessel", 2, "stationed"),
    ]
    assert {c.date_from for c in got} == {dt.date(2025, 1, 12)}


@pytest.mark.parametrize(
    "text",
    [
        "On 12 January the landing ships Yamal and Saratov entered Tartus.",
        "On 12 January the Yamal and Saratov landing ships entered Tartus.",
    ],
)
def test_ship_names_with_one_class_noun_are_one_claim_counted_by_the_names(text: str) -> None:
    got = claims_of(text)
    assert [(c.equipment, c.count, c.count_qualifier, c.action) for c in got] == [
        ("landing-ship", 2, "exact", "arriving")
    ]


def test_a_list_after_a_dash_names_the_objects_of_the_clause_before() -> None:
    got = claims_of(
        "Two more vessels will dock at Tartus on 20 January – a cargo ship and a tanker."
    )
    assert [(c.equipment, c.count, c.action, c.modality) for c in got] == [
        ("vessel", 2, "arriving", "expected"),
        ("vessel", 1, "arriving", "expected"),
        ("vessel", 1, "arriving", "expected"),
    ]
    assert {c.date_from for c in got} == {dt.date(2025, 1, 20)}


def test_another_source_opens_an_account_that_takes_no_earlier_date() -> None:
    got = claims_of(
        "Three corvettes were in the port of Tartus on 9 January.\n"
        "According to a naval newsletter, the port was home to three submarines."
    )
    assert [(c.equipment, c.date_from) for c in got] == [
        ("corvette", dt.date(2025, 1, 9)),
        ("submarine", None),
    ]


def test_objects_awaited_and_ships_at_an_air_base_are_no_claims() -> None:
    assert claims_of("At Tartus, crews on the quay are awaiting ships.") == ()
    got = claims_of(
        "Two Il-76s were parked at Hmeimim on 10 January.\n"
        "Moscow is said to be using hired ships to carry troops home."
    )
    assert [c.equipment for c in got] == ["il-76"]


def test_a_guess_about_the_present_takes_no_date_of_an_earlier_clause() -> None:
    got = claims_of(
        "On 3 January a drone struck the harbour of Tartus, "
        "where two corvettes may still be moored."
    )
    assert [(c.equipment, c.count, c.date_from, c.modality) for c in got] == [
        ("corvette", 2, None, "expected")
    ]


def test_since_the_fall_of_assad_runs_to_publication() -> None:
    got = claims_of("No Russian frigates have been seen at Tartus since the fall of Assad.")
    assert len(got) == 1
    c = got[0]
    assert (c.action, c.absence) == ("departing", True)
    assert (c.date_from, c.date_to) == (CASE_EVENTS["assad_fall"], dt.date(2025, 1, 14))


def test_a_state_since_a_date_told_by_the_imagery_company_ends_at_its_last_pass() -> None:
    got = claims_of(
        "Maxar images taken on 13 January show two Il-76s at Hmeimim.\n"
        "At Tartus, Maxar said, the port is unchanged since the 10 January pictures, with two "
        "frigates still moored there."
    )
    frigates = [c for c in got if c.equipment == "frigate"]
    assert [(c.date_from, c.date_to) for c in frigates] == [
        (dt.date(2025, 1, 10), dt.date(2025, 1, 13))
    ]
