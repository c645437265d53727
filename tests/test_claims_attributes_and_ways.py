"""Session 44's round of claim rules (read from `dev42/` and `dev43/`): a word of a later
noun joined by "and" is that noun's, the lexicons' patterns for "several" count, a ship
that left its pier and rides at anchor makes two claims, a way told in the lexicons'
words ("в сторону Тартуса", "in Richtung Tartus") is where objects head, and "not
recorded since" is an absence. Each case is a sentence written for the test; none comes
from a set of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

from claim_facts import claims_of, counts_of, sorted_facts

D = dt.date
PUBLISHED = "2025-01-15"
FRIDAY = D(2025, 1, 10)
MONDAY = D(2025, 1, 13)


def _actions(text: str) -> list[tuple[str, str]]:
    return [(c.equipment, c.action) for c in claims_of(text, PUBLISHED)]


def test_a_word_right_at_a_later_noun_is_that_noun_s() -> None:
    english = (
        "Pictures of Hmeimim taken on Friday show three Il-76 transports near the tower and "
        "a Ka-52 helicopter dismantled beside a hangar."
    )
    assert _actions(english) == [("il-76", "stationed"), ("ka-52", "dismantling")]
    # before the later noun (Polish puts the participle first)
    polish = (
        "Na zdjęciach bazy Hmeimim z piątku widać dwa Su-34 przy pasie startowym oraz trzy "
        "rozmontowane śmigłowce Mi-8."
    )
    assert sorted_facts(polish, PUBLISHED) == [
        ("hmeimim", "mi-8", "dismantling", FRIDAY, FRIDAY),
        ("hmeimim", "su-34", "stationed", FRIDAY, FRIDAY),
    ]
    # what a later noun has "with" right after it
    german = (
        "Die Aufnahmen vom Montag zeigen in Hmeimim vier Su-24 sowie ein Transportflugzeug "
        "An-124 mit geöffneter Bugklappe."
    )
    assert _actions(german) == [("su-24", "stationed"), ("an-124", "loading")]


def test_a_list_with_nothing_of_its_own_shares_its_words() -> None:
    shared = (
        "Pictures of Hmeimim taken on Friday show two Ka-52 and a Mi-24 dismantled beside a hangar."
    )
    assert _actions(shared) == [("ka-52", "dismantling"), ("mi-24", "dismantling")]
    # a ship's name is no word of its own: the verb is of both
    named = "El submarino Krasnodar y la fragata Almirante Essen zarparon de Tartús el lunes."
    assert sorted_facts(named, PUBLISHED) == [
        ("tartus", "frigate", "departing", MONDAY, MONDAY),
        ("tartus", "submarine", "departing", MONDAY, MONDAY),
    ]


def test_the_lexicons_patterns_for_several_count() -> None:
    # "mai multe", "нескольк\\w*", "unos cuantos" are patterns, not single words
    cases = {
        "Pe imaginile din baza Hmeimim se văd mai multe avioane Su-24.": "su-24",
        "На авиабазе Хмеймим разобраны несколько вертолётов Ми-8.": "mi-8",
        "En Tartús siguen amarrados unos cuantos buques de guerra.": "warship",
    }
    for text, equipment in cases.items():
        assert counts_of(text, PUBLISHED) == [(equipment, None, "several")], text


def test_a_ship_that_left_its_pier_and_rides_at_anchor_makes_two_claims() -> None:
    english = (
        "The frigate Admiral Essen left the pier at Tartus on Monday and is riding at anchor "
        "off the port."
    )
    arabic = "غادرت الفرقاطة «الأدميرال إيسن» رصيف طرطوس يوم الاثنين لترسو قبالة الميناء."
    for text in (english, arabic):
        assert sorted_facts(text, PUBLISHED) == [
            ("tartus", "frigate", "departing", MONDAY, MONDAY),
            ("tartus", "frigate", "stationed", MONDAY, MONDAY),
        ], text


def test_a_way_told_in_the_lexicons_words_is_where_objects_head() -> None:
    both = [
        ("hmeimim", "convoy", "departing", MONDAY, MONDAY),
        ("tartus", "convoy", "arriving", MONDAY, MONDAY),
    ]
    for text in (
        "Am Montag verließ ein Militärkonvoi den Stützpunkt Hmeimim in Richtung Tartus.",
        "غادرت قافلة عسكرية قاعدة حميميم صباح الاثنين باتجاه طرطوس.",
        # the way and the place left told before the verb
        "В понедельник из Хмеймима в сторону Тартуса вышла колонна военной техники.",
    ):
        assert sorted_facts(text, PUBLISHED) == both, text
    english = "On Monday a column of trucks left Hmeimim in the direction of Tartus."
    assert sorted_facts(english, PUBLISHED) == both
    # where objects come from is no way they head
    came = "On Monday a convoy reached Hmeimim from the direction of Homs."
    assert sorted_facts(came, PUBLISHED) == [("hmeimim", "convoy", "arriving", MONDAY, MONDAY)]
    ukrainian = "У понеділок до Тартуса прибула колона вантажівок."
    assert sorted_facts(ukrainian, PUBLISHED) == [("tartus", "convoy", "arriving", MONDAY, MONDAY)]
    # Arabic "نحو" before a number is "about", not "towards"
    about = "غادرت قافلة من نحو عشرين شاحنة قاعدة حميميم صباح الاثنين."
    assert {(c.site, c.action) for c in claims_of(about, PUBLISHED)} == {("hmeimim", "departing")}


def test_not_recorded_since_is_an_absence() -> None:
    for text, site, equipment, since in (
        ("Фрегати в Тартусі не фіксуються з 3 січня.", "tartus", "frigate", D(2025, 1, 3)),
        (
            "Τα Su-24 δεν έχουν εντοπιστεί στη Χμεϊμίμ από τις 5 Ιανουαρίου.",
            "hmeimim",
            "su-24",
            D(2025, 1, 5),
        ),
    ):
        assert sorted_facts(text, PUBLISHED) == [
            (site, equipment, "departing", since, D(2025, 1, 15))
        ], text


def test_aircraft_that_land_empty_are_no_absence() -> None:
    tuesday = D(2025, 1, 21)
    landed = "Une vingtaine d'Il-76 se sont posés à Hmeimim mardi, souvent à vide."
    assert sorted_facts(landed, "2025-01-22") == [
        ("hmeimim", "il-76", "arriving", tuesday, tuesday)
    ]
    # a pier empty of warships is still an absence
    pier = "Mardi, les quais de Tartous étaient vides de navires de guerre."
    assert sorted_facts(pier, "2025-01-22") == [
        ("tartus", "warship", "departing", tuesday, tuesday)
    ]
