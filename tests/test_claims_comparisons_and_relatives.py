"""Session 45's round of claim rules (read from `dev46/`): the other time of a comparison
("down from", French "contre"), dash-numbered captions as dated headings, a source
named after a comma closing an aside, the Greek and Arabic semicolons, a relative clause
with no comma before the clause's absence, a place told in a relative clause, types
sharing one head noun, and a few words (Arabic "عدد من", French "rampe ... abaissée",
Greek "πηγαινοέρχονται", English "emptied of"). Each case is a sentence written for
the test; none comes from a set of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

from claim_facts import claims_of, counts_of

D = dt.date
PUBLISHED = "2025-01-15"
MONDAY = D(2025, 1, 13)
SUNDAY = D(2025, 1, 12)


def _facts(text: str) -> list[tuple[str, str, dt.date | None, dt.date | None]]:
    return [(c.equipment, c.action, c.date_from, c.date_to) for c in claims_of(text, PUBLISHED)]


def test_the_other_time_of_a_comparison_dates_nothing() -> None:
    for text in (
        "Images of Hmeimim taken on Monday: only three Su-24 remain on the apron, down "
        "from nine in early December.",
        "Sur les images de Hmeimim prises lundi, trois Su-24 stationnent encore, contre "
        "une dizaine début décembre.",
    ):
        facts = _facts(text)
        assert ("su-24", "stationed", MONDAY, MONDAY) in facts, text
        assert all(f[2] != D(2024, 12, 1) for f in facts), text


def test_a_dash_numbered_caption_dates_the_claims_under_it() -> None:
    text = (
        "2 — Tartus naval facility, 13 January 2025, 11:20 local time. A landing ship is "
        "moored at the northern pier."
    )
    assert _facts(text) == [("landing-ship", "stationed", MONDAY, MONDAY)]


def test_a_source_after_a_comma_ends_the_aside() -> None:
    text = (
        "Rusia ha retirado los sistemas Pantsir que tenía en la base de Hmeimim, según "
        "fotos satelitales tomadas el lunes."
    )
    assert _facts(text) == [("air-defence", "withdrawing", MONDAY, MONDAY)]


def test_the_greek_and_arabic_semicolons_part_two_clauses() -> None:
    greek = (
        "Στη Χμεϊμίμ τα Su-24 έχουν φύγει από τη Δευτέρα· δύο An-26 πηγαινοέρχονται "
        "ακόμη μεταξύ της βάσης και της Κύπρου."
    )
    assert [(f[0], f[1]) for f in _facts(greek)] == [("su-24", "departing"), ("an-26", "moving")]
    parked = "Στη Χμεϊμίμ τα Su-24 έχουν φύγει· δύο An-26 είναι σταθμευμένα στην πίστα."
    assert [(f[0], f[1]) for f in _facts(parked)] == [
        ("su-24", "departing"),
        ("an-26", "stationed"),
    ]
    # the two aircraft after the Arabic semicolon are not the Su-24 that left before it
    arabic = (
        "في قاعدة حميميم غادرت طائرات سو-24 يوم الأحد؛ طائرتان من طراز أنتونوف-26 "
        "تتنقلان بين القاعدة وقبرص."
    )
    assert [(f[0], f[1]) for f in _facts(arabic)] == [("su-24", "departing")]


def test_an_absence_after_a_relative_clause_without_a_comma() -> None:
    text = (
        "La frégate qui mouillait au large de Tartous dimanche n'était plus visible "
        "lundi sur les images."
    )
    # gone from Monday (up to the publication), moored there on Sunday
    assert sorted((f[1], f[2]) for f in _facts(text)) == [
        ("departing", MONDAY),
        ("stationed", SUNDAY),
    ]


def test_a_place_in_a_relative_clause_is_not_where_the_objects_are() -> None:
    text = (
        "Satellite images of Hmeimim were taken on Monday. The Su-24 bombers that were "
        "the backbone of the air war in Idlib have been flown out."
    )
    assert [(f[0], f[1]) for f in _facts(text)] == [("su-24", "departing")]


def test_types_sharing_one_head_noun_share_its_number() -> None:
    english = "The Ka-52 and Mi-24 helicopters have left Hmeimim."
    assert counts_of(english, PUBLISHED) == [("ka-52", None, "plural"), ("mi-24", None, "plural")]
    ukrainian = "З Хмеймима вивезли гелікоптери Мі-8 і Мі-24."
    assert counts_of(ukrainian, PUBLISHED) == [("mi-8", None, "plural"), ("mi-24", None, "plural")]
    # a head noun of its own keeps its number
    polish = "W Hmeimim widać śmigłowce Mi-8 i samolot transportowy Ił-76."
    assert ("il-76", 1, "exact") in counts_of(polish, PUBLISHED)


def test_words_of_this_round() -> None:
    arabic = "بدأت القوات الروسية تفكيك عدد من المروحيات في قاعدة حميميم يوم الاثنين."
    assert counts_of(arabic, PUBLISHED) == [("helicopter", None, "several")]
    french = "À Hmeimim, un Il-76 dont la rampe arrière est abaissée attend lundi."
    assert [f[1] for f in _facts(french)] == ["loading"]
    english = "Since Monday the Russian pier at Tartus has been emptied of warships."
    assert [(f[0], f[1]) for f in _facts(english)] == [("warship", "departing")]
