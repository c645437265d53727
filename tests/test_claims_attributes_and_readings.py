"""Session 40's second and third rounds of claim rules: a site named as "Russia's" base, a live
blog's time stamps, an attribute between two nouns, the writer's reading after "which
points to", absences with and without a negation, a question looking back in a
thread, German times of day, and a few words of state and transport."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.claims import Claim, extract_claims
from basewatch.corroborate.reports import parse_report

PUBLISHED = "2024-12-20"


def claims_of(text: str) -> tuple[Claim, ...]:
    return extract_claims(parse_report(text, published=PUBLISHED))


def facts(text: str) -> list[tuple[str, str, str]]:
    return [(c.site, c.equipment, c.action) for c in claims_of(text)]


def test_the_apron_of_russia_s_base_is_at_the_base() -> None:
    text = (
        "DAMASCUS, Dec 20 — Three Il-76 transport aircraft stood on the apron of Russia's "
        "Hmeimim air base in western Syria on Thursday, satellite images show."
    )
    assert facts(text) == [("hmeimim", "il-76", "stationed")]


@pytest.mark.parametrize("stamp", ["14:10", "9h45"])
def test_a_time_stamp_is_no_count(stamp: str) -> None:
    text = f"{stamp} Corvette Stoikiy and the tanker Yelnya are anchored off Tartus."
    got = claims_of(text)
    assert [(c.equipment, c.count) for c in got] == [("corvette", 1), ("vessel", 1)]


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        (
            "На снимке стоянки Хмеймима видны самолёт Ан-124 с поднятой носовой частью и "
            "три бомбардировщика Су-24.",
            ("an-124", "loading"),
            ("su-24", "stationed"),
        ),
        (
            "En la imagen de Hmeimim se ve un An-124 con la rampa delantera abierta junto a "
            "tres Su-24.",
            ("an-124", "loading"),
            ("su-24", "stationed"),
        ),
    ],
)
def test_an_attribute_after_a_noun_is_not_the_next_noun_s(
    text: str, first: tuple[str, str], second: tuple[str, str]
) -> None:
    assert [(eq, act) for _, eq, act in facts(text)] == [first, second]


@pytest.mark.parametrize(
    "text",
    [
        "Junto al muelle de Tartús se ven decenas de camiones militares, lo que apunta a "
        "una próxima operación de carga.",
        "Sur le quai de Tartous, on distingue des dizaines de camions militaires, ce qui "
        "laisse penser qu'un chargement se prépare.",
    ],
)
def test_the_writer_s_reading_after_which_points_to_is_its_own_clause(text: str) -> None:
    got = claims_of(text)
    assert got and all(c.action == "stationed" for c in got), [c.summary for c in got]


def test_absent_from_its_berth_is_gone() -> None:
    text = (
        "Latest pass over Tartus is from 17 Dec: the frigate Admiral Essen absent from its "
        "usual berth."
    )
    got = claims_of(text)
    assert [(c.equipment, c.action, c.absence) for c in got] == [("frigate", "departing", True)]


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "At Hmeimim, three Mi-24s appear to have their rotor blades off.",
            ("mi-24", "dismantling"),
        ),
        ("The Su-35s at Hmeimim look untouched for now.", ("su-35", "stationed")),
        (
            "На знімках видно дві пускові установки С-400 на авіабазі Хмеймім, підготовлені "
            "до транспортування.",
            ("s-400", "loading"),
        ),
        ("Two patrol boats are moored at Tartus.", ("naval-vessel", "stationed")),
        (
            "En el muelle de Tartús, según las imágenes del lunes, solo quedan dos patrulleros.",
            ("naval-vessel", "stationed"),
        ),
    ],
)
def test_words_of_state_transport_and_patrol_boats(text: str, fact: tuple[str, str]) -> None:
    assert [(eq, act) for _, eq, act in facts(text)] == [fact]


def test_no_longer_alongside_and_instead_anchored_makes_both_claims() -> None:
    text = (
        "At Tartus the frigate Admiral Essen was no longer alongside the pier on Thursday "
        "and was instead anchored some six kilometres offshore, the images showed."
    )
    got = [(c.equipment, c.action) for c in claims_of(text)]
    assert got == [("frigate", "departing"), ("frigate", "stationed")]


def test_a_question_looking_back_leaves_the_thread_s_day() -> None:
    text = (
        "Hmeimim update, new imagery from Dec 18 (yesterday). What has changed since my "
        "last look at the Dec 9 pass? 1/4\n\n"
        "Fast jets: 5 Su-34s on the main apron. No Su-35s visible anywhere on the base. 2/4"
    )
    got = {c.equipment: (c.date_from, c.date_to) for c in claims_of(text)}
    dec18 = (dt.date(2024, 12, 18), dt.date(2024, 12, 18))
    assert got["su-34"] == dec18
    assert got["su-35"] == dec18


@pytest.mark.parametrize("when", ["am Nachmittag", "heute Vormittag", "am Morgen"])
def test_a_german_time_of_day_is_the_account_s_day(when: str) -> None:
    text = (
        "Liveticker Syrien\n\n+++ 17:05 Uhr +++\n"
        f"Das Frachtschiff „Sparta IV“ hat {when} in Tartus festgemacht, berichten "
        "Schiffsbeobachter."
    )
    (c,) = claims_of(text)
    assert (c.equipment, c.action) == ("vessel", "arriving")
    assert (c.date_from, c.date_to) == (dt.date(2024, 12, 20), dt.date(2024, 12, 20))
