"""Session 44's second round of claim rules (read from `dev44/`): a noun's own verb right
after it is not outranked by a verb told after a later noun, nor is what a later noun
has "with" up to a comma and the verb after it; "ready to take off" is a state, not a
departure; a relative clause whose pronoun a comma follows is an aside; blades removed
a few words on are dismantling; "without a pause" negates nothing. Each case is a
sentence written for the test; none comes from a set of
``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

from claim_facts import claims_of, sorted_facts

D = dt.date
PUBLISHED = "2025-01-15"
MONDAY = D(2025, 1, 13)


def _actions(text: str) -> list[tuple[str, str]]:
    return [(c.equipment, c.action) for c in claims_of(text, PUBLISHED)]


def test_a_noun_s_own_verb_is_not_outranked_by_a_later_noun_s() -> None:
    spanish = (
        "Las imágenes del lunes muestran en Hmeimim tres aviones de transporte Il-76 "
        "aparcados junto a la torre y un An-124 con la rampa trasera bajada, listo para "
        "cargar."
    )
    assert _actions(spanish) == [("il-76", "stationed"), ("an-124", "loading")]
    # the later noun's "with" phrase reaching to a comma and its verb
    polish = (
        "Na zdjęciach z poniedziałku w bazie Hmeimim stoją dwa samoloty Ił-76 oraz jeden "
        "An-124 z otwartą rampą, gotowy do załadunku."
    )
    assert _actions(polish) == [("il-76", "stationed"), ("an-124", "loading")]


def test_ready_to_take_off_is_a_state() -> None:
    for text, equipment in (
        ("At Hmeimim on Monday, six Su-34 bombers stood on the apron, ready to take off.", "su-34"),
        ("Sur les images de lundi, quatre Su-35 attendent à Hmeimim, prêts à décoller.", "su-35"),
    ):
        assert [(c.equipment, c.action, c.date_from) for c in claims_of(text, PUBLISHED)] == [
            (equipment, "stationed", MONDAY)
        ], text
    # ready to load is still loading
    assert _actions("At Hmeimim an An-124 stood ready to load on Monday.") == [
        ("an-124", "loading")
    ]


def test_a_relative_clause_with_a_comma_after_its_pronoun_is_an_aside() -> None:
    text = (
        "На стоянці авіабази Хмеймім у понеділок стояли два літаки Іл-76, які, ймовірно, "
        "мають вивезти техніку."
    )
    assert sorted_facts(text, PUBLISHED) == [("hmeimim", "il-76", "stationed", MONDAY, MONDAY)]


def test_blades_removed_a_few_words_on_are_dismantling() -> None:
    text = (
        "Images from Monday show that the blades have been removed from two Mi-8 "
        "helicopters at Hmeimim."
    )
    assert sorted_facts(text, PUBLISHED) == [("hmeimim", "mi-8", "dismantling", MONDAY, MONDAY)]


def test_without_a_pause_negates_nothing() -> None:
    for text in (
        "En Tartús, el carguero Sparta IV carga contenedores sin descanso desde el lunes.",
        "Na nabrzeżu w Tartusie statek Sparta IV jest załadowywany bez przerwy od poniedziałku.",
    ):
        claims = claims_of(text, PUBLISHED)
        assert [(c.equipment, c.action, c.modality, c.date_from) for c in claims] == [
            ("vessel", "loading", "observed", MONDAY)
        ], text
    assert [
        c.action for c in claims_of("In Tartus, the frigate left without a trace.", PUBLISHED)
    ] == ["departing"]
