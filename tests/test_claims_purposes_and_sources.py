"""Session 41's second round of claim rules: a departure "to anchor offshore" as two
claims, a relative clause closed by the main verb, a source's town, a headline's state
being prepared, "appears to be loading", the verb of a later noun after a comma, and a
few words ("flown in", "submarine berth", Greek "20ής")."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.claims import Claim, extract_claims
from basewatch.corroborate.reports import parse_report

D = dt.date


def claims_of(text: str, published: str) -> tuple[Claim, ...]:
    return extract_claims(parse_report(text, published=published))


def facts(text: str, published: str) -> list[tuple[str, str, str, dt.date | None]]:
    return sorted((c.site, c.equipment, c.action, c.date_from) for c in claims_of(text, published))


@pytest.mark.parametrize(
    "text",
    [
        "À Tartous, la frégate Amiral Grigorovitch a quitté le port dimanche pour mouiller "
        "au large, selon une ONG syrienne.",
        "En Tartus, la fragata Almirante Grigoróvich abandonó el puerto el domingo para "
        "fondear frente a la costa.",
        "La Tartus, fregata Amiral Grigorovici a părăsit portul duminică pentru a ancora în larg.",
    ],
)
def test_a_departure_to_anchor_offshore_is_two_claims(text: str) -> None:
    sunday = D(2024, 12, 15)
    assert facts(text, "2024-12-16") == [
        ("tartus", "frigate", "departing", sunday),
        ("tartus", "frigate", "stationed", sunday),
    ]


def test_a_purpose_is_no_second_claim_of_an_arrival() -> None:
    text = "The frigate Admiral Essen returned to Tartus on Sunday to stay for repairs."
    assert [a for _, _, a, _ in facts(text, "2024-12-16")] == ["arriving"]


def test_a_relative_clause_closed_by_the_main_verb() -> None:
    text = (
        "At sea the picture is similar. Russia has not given up Tartus. The two corvettes "
        "that sailed out of the port on 10 December returned to their berths on 6 January."
    )
    assert facts(text, "2025-01-27") == [
        ("tartus", "corvette", "arriving", D(2025, 1, 6)),
        ("tartus", "corvette", "departing", D(2024, 12, 10)),
    ]


@pytest.mark.parametrize(
    ("text", "published"),
    [
        (
            "A Syrian security source in Jableh, a few kilometres south of the base, said a "
            "long convoy of military trucks had reached Hmeimim on Saturday night.",
            "2024-12-16",
        ),
        (
            "Une source locale à Jablé a affirmé qu'un convoi de camions militaires russes "
            "était arrivé samedi soir à la base de Hmeimim.",
            "2024-12-16",
        ),
    ],
)
def test_the_town_a_source_speaks_from_is_no_site(text: str, published: str) -> None:
    assert {site for site, *_ in facts(text, published)} == {"hmeimim"}


def test_a_headline_s_state_being_prepared_takes_the_account_s_day() -> None:
    text = (
        "Russian An-124 transports prepare to load at Hmeimim, images show\n\nBEIRUT, Dec 16 "
        "(Newswire) - Two Russian An-124 heavy transport aircraft were parked at Hmeimim air "
        "base on Sunday with their nose cones raised, satellite images show."
    )
    claims = claims_of(text, "2024-12-16")
    headline = next(c for c in claims if c.start < text.index("BEIRUT"))
    assert (headline.action, headline.date_from) == ("loading", D(2024, 12, 15))
    assert headline.modality == "expected"  # a state being prepared, not yet seen done


def test_appears_to_be_loading_is_a_hedged_sighting_of_the_thread_s_day() -> None:
    text = (
        "1/ New imagery of Tartus from 8 January.\n\n2/ The two frigates are still anchored "
        "offshore.\n\n3/ At the pier, a cargo vessel with a large deck crane appears to be "
        "loading."
    )
    vessel = next(c for c in claims_of(text, "2025-01-09") if c.equipment == "vessel")
    assert (vessel.action, vessel.modality, vessel.date_from) == (
        "loading",
        "hedged",
        D(2025, 1, 8),
    )
    # "appear to be heading" stays a plan
    plan = "Tartus, 8 January: the cargo ship Sparta IV appears to be heading for the port."
    assert {c.modality for c in claims_of(plan, "2025-01-09")} == {"expected"}


def test_the_verb_of_a_later_noun_after_a_comma_is_its_own() -> None:
    text = (
        "7/ Hmeimim, 8 January: two Il-76 on the apron, one Pantsir system being dismantled "
        "near the northern gate."
    )
    assert facts(text, "2025-01-09") == [
        ("hmeimim", "air-defence", "dismantling", D(2025, 1, 8)),
        ("hmeimim", "il-76", "stationed", D(2025, 1, 8)),
    ]
    # a list whose verb ends it is the verb of every noun in it
    listed = (
        "The analyst said three Il-76s, three An-32s, and two S-400 launchers were present "
        "at the base on Friday, at Hmeimim."
    )
    assert {a for _, _, a, _ in facts(listed, "2024-12-18")} == {"stationed"}
    assert len(facts(listed, "2024-12-18")) == 3


def test_a_few_words() -> None:
    flown = "At Hmeimim an Il-20 surveillance plane had flown in only on Tuesday."
    assert facts(flown, "2025-02-21") == [("hmeimim", "il-20", "arriving", D(2025, 2, 18))]
    berth = (
        "Tartus, 8 January. The Kilo-class submarine that was moored at the submarine berth "
        "on 28 Dec is gone."
    )
    assert [e for _, e, _, _ in facts(berth, "2025-01-09")] == ["submarine", "submarine"]
    greek = (
        "Σύμφωνα με δορυφορικές εικόνες της 20ής Ιανουαρίου, στη βάση Χμεϊμίμ σταθμεύουν "
        "ακόμη περίπου δέκα μαχητικά αεροσκάφη."
    )
    assert facts(greek, "2025-01-22") == [
        ("hmeimim", "combat-aircraft", "stationed", D(2025, 1, 20))
    ]
