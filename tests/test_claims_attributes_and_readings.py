"""Session 40's second round of claim rules: a site named as "Russia's" base, a live
blog's time stamps, an attribute between two nouns, the writer's reading after "which
points to", absences without a negation, and a few words of state and transport."""

from __future__ import annotations

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
