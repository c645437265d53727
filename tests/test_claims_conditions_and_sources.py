"""Session 45's second round of claim rules (read from `dev47/`): a clause under "if"
tells what may yet happen (modality ``expected``, which imagery does not judge); a
sentence opening with the source of the one before ("Про це свідчать супутникові
знімки, зроблені в понеділок") dates that sentence's undated claims; "has not been seen
since" counts from the day of the relative clause before it; a place "that housed"
objects and is empty now holds them no more; and a few words (French "compte encore",
Russian "по сравнению со", Ukrainian "очікують на завантаження"). Each case is a
sentence written for the test; none comes from a set of
``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

from claim_facts import claims_of

D = dt.date
PUBLISHED = "2025-01-15"
MONDAY = D(2025, 1, 13)


def _modalities(text: str) -> list[tuple[str, str, str]]:
    return [(c.equipment, c.action, c.modality) for c in claims_of(text, PUBLISHED)]


def test_a_clause_under_if_tells_what_may_yet_happen() -> None:
    for text in (
        "If the corvettes return to the pier at Tartus, the deal is done.",
        "Si les corvettes reviennent au quai de Tartous, l'accord est conclu.",
        "Wenn die Korvetten an den Kai von Tartus zurückkehren, steht die Einigung.",
    ):
        assert [m[::2] for m in _modalities(text)] == [("corvette", "expected")], text


def test_if_you_look_and_if_not_tell_facts() -> None:
    look = "This is Tartus on Monday. If you look at the pier, you can see a corvette moored there."
    assert [m[::2] for m in _modalities(look)] == [("corvette", "observed")]
    believe = "Якщо вірити супутниковим знімкам, у понеділок біля причалу Тартуса стояв корвет."
    assert [m[::2] for m in _modalities(believe)] == [("corvette", "observed")]
    # "if not" opens no condition and negates nothing
    at_least = "Dozens if not hundreds of trucks arrived at Hmeimim on Monday."
    assert [m[::2] for m in _modalities(at_least)] == [("military-vehicle", "observed")]


def test_a_condition_with_its_own_past_day_sets_a_fact_against_another() -> None:
    text = "Если 13 января у причала Тартуса стоял корвет, то сегодня причал пуст."
    assert [m[::2] for m in _modalities(text)] == [("corvette", "observed")]


def test_a_sentence_naming_the_source_of_the_one_before_dates_it() -> None:
    for text in (
        "Росія вивела два корвети з Тартуса. Про це свідчать супутникові знімки, "
        "зроблені в понеділок.",
        "Russland hat zwei Korvetten aus Tartus abgezogen. Das zeigen Satellitenbilder vom Montag.",
        "Russia has pulled two corvettes out of Tartus. This is shown by satellite "
        "images taken on Monday.",
    ):
        assert [(c.equipment, c.date_from) for c in claims_of(text, PUBLISHED)] == [
            ("corvette", MONDAY)
        ], text


def test_not_seen_since_after_a_dated_relative_clause() -> None:
    text = (
        "At Tartus the corvette Vyshny Volochyok, which was moored at the pier on 13 "
        "January, has not been seen since."
    )
    facts = sorted((c.action, c.date_from, c.date_to) for c in claims_of(text, PUBLISHED))
    assert facts == [
        ("departing", MONDAY, D(2025, 1, 15)),
        ("stationed", MONDAY, MONDAY),
    ]


def test_the_place_that_housed_objects_is_empty_now() -> None:
    text = (
        "Hmeimim, 13 January. The revetment that housed a Pantsir system in December is now empty."
    )
    assert sorted((c.action, c.date_from) for c in claims_of(text, PUBLISHED)) == [
        ("departing", MONDAY),
        ("stationed", D(2024, 12, 1)),
    ]


def test_words_of_the_second_round() -> None:
    french = "Sur des images prises lundi, la base de Hmeimim compte encore deux Mi-24."
    assert [(c.equipment, c.action, c.date_from) for c in claims_of(french, PUBLISHED)] == [
        ("mi-24", "stationed", MONDAY)
    ]
    # "compared with the images of 10 January": not the day of what is gone
    russian = (
        "Снимки Тартуса за 13 января. По сравнению со снимками 10 января у причала больше "
        "нет корвета."
    )
    assert [(c.action, c.date_from) for c in claims_of(russian, PUBLISHED)] == [
        ("departing", MONDAY)
    ]
    # "очікують на завантаження": waiting to be loaded, no plan
    ukrainian = (
        "🔹 Тартус, 13 січня.\n\n🔹 На причалі — двадцять вантажівок, які очікують на завантаження."
    )
    assert [(c.action, c.modality, c.date_from) for c in claims_of(ukrainian, PUBLISHED)] == [
        ("loading", "observed", MONDAY)
    ]
