"""Session 43's first round of claim rules (read from `dev39/`): "the same day" names the
day told before whichever site it was told of, a question or a question reported
("asks whether") claims nothing, "as of" a day heads what follows, a second verb's own
day, feasts of the lexicons' languages as days, a month after "in the" is no place, and
words of five lexicons."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.lexicon import LexiconError, parse_lexicon
from claim_facts import claims_of, counts_of, sorted_facts

D = dt.date


def test_the_same_day_is_the_day_told_of_another_site() -> None:
    text = (
        "Bilder vom vergangenen Samstag zeigen in Hmeimim noch zwei Il-76.\n\n"
        "Im Hafen von Tartus lag am selben Tag nur noch ein Landungsschiff am Kai."
    )
    saturday = D(2025, 2, 1)
    assert sorted_facts(text, "2025-02-04") == [
        ("hmeimim", "il-76", "stationed", saturday, saturday),
        ("tartus", "landing-ship", "stationed", saturday, saturday),
    ]


def test_a_verb_after_the_same_day_is_of_that_day_not_of_a_later_one() -> None:
    text = (
        "Satellite images from last Saturday show two An-124 transport aircraft at "
        "Hmeimim.\n\nIn the port of Tartus, on the same day, the frigate Admiral Golovko "
        "left its pier and was riding at anchor offshore on Sunday."
    )
    saturday, sunday = D(2025, 1, 11), D(2025, 1, 12)
    assert [f for f in sorted_facts(text, "2025-01-14") if f[0] == "tartus"] == [
        ("tartus", "frigate", "departing", saturday, saturday),
        ("tartus", "frigate", "stationed", sunday, sunday),
    ]


def test_arabic_the_same_day_is_not_today() -> None:
    # "Last Friday the images showed the cargo ship moored in Tartus, while the
    # submarine left the port on the same day."
    text = (
        'يوم الجمعة الماضي، أظهرت الصور سفينة الشحن "سبارتا 4" راسية في ميناء طرطوس، '
        'بينما غادرت الغواصة "نوفوروسيسك" الميناء في اليوم ذاته.'
    )
    friday = D(2025, 2, 14)
    departures = [f for f in sorted_facts(text, "2025-02-17") if f[1] == "submarine"]
    assert departures == [("tartus", "submarine", "departing", friday, friday)]


def test_a_question_claims_nothing_and_its_answer_stands() -> None:
    text = "Are cargo ships still arriving at Tartus? Yes: the Sparta IV docked there on Tuesday."
    assert [(c.equipment, c.action) for c in claims_of(text, "2025-02-20")] == [
        ("vessel", "arriving")
    ]
    spanish = "¿Siguen llegando barcos de carga a Tartus? Sí, varios."
    assert claims_of(spanish, "2025-02-20") == ()


def test_a_question_reported_claims_nothing_but_its_relative_clause_does() -> None:
    asked = "A reader asks whether the S-400 system is still at Hmeimim."
    assert claims_of(asked, "2024-12-12") == ()
    german = "Ob das Flugabwehrsystem S-400 in Hmeimim noch vor Ort ist, lässt sich nicht sagen."
    assert claims_of(german, "2025-02-04") == ()
    told = "A reader asks whether the warships that left Tartus on 10 December have come back."
    assert (("tartus", "warship", "departing", D(2024, 12, 10), D(2024, 12, 10))) in (
        sorted_facts(told, "2024-12-20")
    )


def test_a_question_mark_inside_brackets_does_not_end_the_sentence() -> None:
    text = "On the quay at Tartus I count at least 40 trucks (Kamaz or Ural?) waiting to board."
    assert counts_of(text, "2025-01-08") == [("military-vehicle", 40, "at_least")]


def test_as_of_a_day_heads_what_follows() -> None:
    text = (
        "Что имеем по состоянию на утро субботы. На аэродроме Хмеймим под погрузкой "
        "стоят два Ан-124."
    )
    saturday = D(2024, 12, 14)
    assert sorted_facts(text, "2024-12-15") == [
        ("hmeimim", "an-124", "loading", saturday, saturday)
    ]


def test_the_second_verb_keeps_its_own_day() -> None:
    text = (
        "At Tartus, the frigate Admiral Grigorovich left the naval facility over the "
        "weekend and was riding at anchor a few kilometres offshore on Monday, the images "
        "show."
    )
    assert sorted_facts(text, "2024-12-17") == [
        ("tartus", "frigate", "departing", D(2024, 12, 14), D(2024, 12, 15)),
        ("tartus", "frigate", "stationed", D(2024, 12, 16), D(2024, 12, 16)),
    ]


def test_a_day_after_the_next_comma_belongs_to_what_follows_it() -> None:
    text = (
        "Dans le port de Tartous, la frégate Amiral Grigorovitch a quitté son quai "
        "dimanche pour jeter l'ancre au large, imitée lundi par deux corvettes."
    )
    frigate = [f for f in sorted_facts(text, "2024-12-17") if f[1] == "frigate"]
    sunday = D(2024, 12, 15)
    assert frigate == [
        ("tartus", "frigate", "departing", sunday, sunday),
        ("tartus", "frigate", "stationed", sunday, sunday),
    ]


def test_feasts_of_other_languages_are_days() -> None:
    spanish = (
        "Al menos cinco aviones de transporte rusos han despegado desde Nochevieja de la "
        "base aérea de Hmeimim."
    )
    assert sorted_facts(spanish, "2025-01-03") == [
        ("hmeimim", "cargo-aircraft", "departing", D(2024, 12, 31), D(2025, 1, 3))
    ]
    german = "In Tartus lag am Neujahrstag das Landungsschiff Iwan Gren am Kai."
    new_year = D(2025, 1, 1)
    assert sorted_facts(german, "2025-01-03") == [
        ("tartus", "landing-ship", "stationed", new_year, new_year)
    ]


def test_a_feast_after_before_or_far_back_dates_nothing() -> None:
    # "the helicopters were taken apart and flown out before the New Year"
    before = "Гелікоптери на базі Хмеймім розібрали та вивезли ще до Нового року."
    assert all(c.date_from != D(2025, 1, 1) for c in claims_of(before, "2025-02-01"))
    # "by the New Year two Su-35 will be left": the coming one, not last year's
    coming = "Если так пойдёт и дальше, к Новому году на базе Хмеймим останутся два Су-35."
    assert all(c.date_from is None for c in claims_of(coming, "2024-12-15"))


@pytest.mark.parametrize("key", ["12-32", "02-29", "1231", "Dec-31"])
def test_a_named_days_key_must_be_a_day_of_every_year(key: str) -> None:
    with pytest.raises(LexiconError, match=r"named_days.*MM-DD"):
        parse_lexicon({"named_days": {key: ["Silvester"]}}, language="de", where="de.json")


def test_polish_missing_is_gone_and_its_aside_is_earlier() -> None:
    text = (
        "Na zdjęciu z 5 stycznia widać płytę lotniska Hmeimim. Brakuje natomiast Tu-154, "
        "który stał tam jeszcze w Boże Narodzenie. Przy pasie doliczyłem się pięciu Mi-8."
    )
    jan5, christmas = D(2025, 1, 5), D(2024, 12, 25)
    assert sorted_facts(text, "2025-01-07") == [
        ("hmeimim", "mi-8", "stationed", jan5, jan5),
        ("hmeimim", "tu-154", "departing", jan5, jan5),
        ("hmeimim", "tu-154", "stationed", christmas, christmas),
    ]


def test_a_month_after_in_the_is_no_place() -> None:
    text = "Tartus update. The two landing ships are gone in the Jan 6 pass."
    jan6 = D(2025, 1, 6)
    assert sorted_facts(text, "2025-01-08") == [("tartus", "landing-ship", "departing", jan6, jan6)]


def test_words_of_the_lexicons() -> None:
    loading = (
        "At the commercial end of the harbour at Tartus a cargo ship sat with cranes "
        "lifting vehicles aboard."
    )
    assert ("military-vehicle", "loading") in {
        (c.equipment, c.action) for c in claims_of(loading, "2024-12-30")
    }
    deck = "В Тартусе на палубе размещены грузовики."
    assert [(c.equipment, c.action) for c in claims_of(deck, "2025-01-29")] == [
        ("military-vehicle", "loading")
    ]
    heading = "Un convoi militar a fost filmat duminică în timp ce se îndrepta spre baza Hmeimim."
    assert [(c.equipment, c.action) for c in claims_of(heading, "2025-02-06")] == [
        ("convoy", "arriving")
    ]
    blades = "W Hmeimim widać kilka śmigłowców Mi-8 z odczepionymi łopatami wirników."
    assert [(c.equipment, c.action) for c in claims_of(blades, "2025-01-11")] == [
        ("mi-8", "dismantling")
    ]
    few = "Στη Χμεϊμίμ είναι σταθμευμένα λίγα ελικόπτερα."
    assert counts_of(few, "2025-02-25") == [("helicopter", None, "several")]
