"""Session 42's first round of claim rules (read from `dev35/`): Arabic words written
with their short vowels, "among them" opening a sentence, an earlier event told after
"after", "since then" opening a sentence, a Russian report with a hard sign, a thread
numbered at the end of its posts, and words missing from four lexicons."""

from __future__ import annotations

import datetime as dt

from basewatch.corroborate.language import guess_language
from claim_facts import claims_of, sorted_facts

D = dt.date


def test_arabic_short_vowels_do_not_hide_a_verb_and_spans_stay_on_the_text() -> None:
    # "تُظهر" (shows) with its damma: the sighting is read, and the spans are the
    # original text's, marks included
    text = (
        "في قاعدة حميميم، تُظهر صورة ملتقطة يوم الاثنين أربع مقاتلات من طراز Su-34 على مدرج القاعدة."
    )
    (claim,) = claims_of(text, "2025-02-14")
    assert (claim.site, claim.equipment, claim.count, claim.action) == (
        "hmeimim",
        "su-34",
        4,
        "stationed",
    )
    assert claim.date_from == D(2025, 2, 10)
    a, b = claim.equipment_span
    assert text[a:b] == "مقاتلات من طراز Su-34"
    assert claim.evidence in text


def test_arabic_dismantling_in_the_present_with_tanwin_before_the_noun() -> None:
    text = (
        "أظهرت صور أقمار صناعية التُقطت يوم الأربعاء أن القوات الروسية تفكك عدداً من "
        "المروحيات في قاعدة حميميم الجوية."
    )
    assert sorted_facts(text, "2024-12-20") == [
        ("hmeimim", "helicopter", "dismantling", D(2024, 12, 18), D(2024, 12, 18))
    ]


def test_among_them_shares_the_sentence_before_s_state() -> None:
    text = (
        "At least four Russian warships remained anchored off Tartus on Sunday. Among "
        "them are the frigate Admiral Golovko and two corvettes."
    )
    sunday = D(2024, 12, 22)
    assert sorted_facts(text, "2024-12-22") == [
        ("tartus", "corvette", "stationed", sunday, sunday),
        ("tartus", "frigate", "stationed", sunday, sunday),
        ("tartus", "warship", "stationed", sunday, sunday),
    ]


def test_among_them_takes_the_state_not_the_departure_before_it() -> None:
    # Greek: "left the piers on Tuesday and since then remain anchored off the port.
    # Among them is the frigate ...": the frigate is anchored, from Tuesday on
    text = (
        "Στο λιμάνι της Ταρτούς, τρία πολεμικά πλοία του ρωσικού στόλου εγκατέλειψαν τις "
        "προβλήτες την Τρίτη και από τότε παραμένουν αγκυροβολημένα ανοιχτά του λιμανιού. "
        "Μεταξύ αυτών είναι η φρεγάτα «Ναύαρχος Γκριγκόροβιτς»."
    )
    assert ("tartus", "frigate", "stationed", D(2024, 12, 10), D(2024, 12, 12)) in sorted_facts(
        text, "2024-12-12"
    )
    assert ("tartus", "warship", "departing", D(2024, 12, 10), D(2024, 12, 10)) in sorted_facts(
        text, "2024-12-12"
    )


def test_among_them_with_a_verb_of_its_own_keeps_it() -> None:
    text = (
        "Several transport aircraft were parked at Hmeimim on Monday. Among them, two "
        "Il-76s took off on Tuesday."
    )
    il76 = [c for c in claims_of(text, "2025-01-08") if c.equipment == "il-76"]
    assert [(c.action, c.date_from) for c in il76] == [("departing", D(2025, 1, 7))]


def test_an_earlier_event_after_after_is_a_claim_on_its_own_day() -> None:
    # Spanish, one clause: the state is Sunday's, the leaving mid-December's
    text = (
        "Al menos cuatro buques de guerra rusos permanecían este domingo fondeados frente "
        "al puerto sirio de Tartus, después de abandonar los muelles a mediados de "
        "diciembre."
    )
    assert sorted_facts(text, "2024-12-22") == [
        ("tartus", "warship", "departing", D(2024, 12, 11), D(2024, 12, 20)),
        ("tartus", "warship", "stationed", D(2024, 12, 22), D(2024, 12, 22)),
    ]


def test_after_in_a_clause_of_its_own_does_not_date_the_state() -> None:
    text = (
        "At least four Russian warships remained anchored off Tartus, after leaving the "
        "piers in mid-December."
    )
    assert sorted_facts(text, "2024-12-22") == [
        ("tartus", "warship", "departing", D(2024, 12, 11), D(2024, 12, 20)),
        ("tartus", "warship", "stationed", None, None),
    ]


def test_after_as_a_measure_of_time_tells_no_event() -> None:
    text = (
        "One of the planes was seen at Hmeimim with its rear ramp open shortly after it "
        "touched down."
    )
    assert [c.action for c in claims_of(text, "2025-01-10")] == ["loading"]


def test_since_then_opening_a_sentence_lasts_to_the_publication() -> None:
    text = (
        "The corvette left Tartus on 20 February. Since then, only commercial ships have "
        "been seen in the port."
    )
    assert sorted_facts(text, "2025-02-26") == [
        ("tartus", "corvette", "departing", D(2025, 2, 20), D(2025, 2, 20)),
        ("tartus", "vessel", "stationed", D(2025, 2, 20), D(2025, 2, 26)),
    ]


def test_since_then_after_the_objects_verb_dates_their_cargo_too() -> None:
    text = (
        "The landing ship Ivan Gren arrived at Tartus on Sunday, and since then it has "
        "been loading military trucks."
    )
    trucks = [c for c in claims_of(text, "2025-02-14") if c.equipment == "military-vehicle"]
    assert [(c.action, c.date_from, c.date_to) for c in trucks] == [
        ("loading", D(2025, 2, 9), D(2025, 2, 14))
    ]


def test_a_russian_report_with_a_hard_sign_is_russian() -> None:
    text = (
        "Не менее трёх кораблей ВМФ России по-прежнему стоят на якоре у Тартуса, следует "
        "из спутниковых снимков от 29 января, которые изучил «Ъ». Среди них — большой "
        "десантный корабль «Иван Грен» и корвет «Стойкий»."
    )
    assert guess_language(text) == "ru"
    day = D(2025, 1, 29)
    assert sorted_facts(text, "2025-01-31") == [
        ("tartus", "corvette", "stationed", day, day),
        ("tartus", "landing-ship", "stationed", day, day),
        ("tartus", "warship", "stationed", day, day),
    ]
    assert guess_language("България изтегля самолетите си от базата.") == "bg"


def test_two_romanian_ship_names_joined_by_si_are_two_ships() -> None:
    text = "La Tartus se află fregata Amiral Grigorovici și fregata Amiral Essen."
    anchors = [text[slice(*c.equipment_span)] for c in claims_of(text, "2024-12-12")]
    assert anchors == ["fregata Amiral Grigorovici", "fregata Amiral Essen"]


def test_a_thread_numbered_at_its_posts_ends_carries_the_imagery_day() -> None:
    text = (
        "Fresh look at Hmeimim and Tartus. Commercial imagery from 8 Jan vs my last check "
        "on 28 Dec. Short version: the air base is thinning out. (1/4)\n\n"
        "Hmeimim first. The two Su-35S that sat in the northern shelters on 28 Dec are "
        "gone. (2/4)\n\n"
        "An-124 on the main apron with the nose up and the ramp down. Flight trackers have "
        "been busy too. (3/4)\n\n"
        "The S-400 launchers SE of the runway are gone as well. (4/4)"
    )
    jan8 = D(2025, 1, 8)
    assert sorted_facts(text, "2025-01-10") == [
        ("hmeimim", "an-124", "loading", jan8, jan8),
        ("hmeimim", "s-400", "departing", jan8, jan8),
        ("hmeimim", "su-35", "departing", jan8, jan8),
        ("hmeimim", "su-35", "stationed", D(2024, 12, 28), D(2024, 12, 28)),
    ]


def test_words_of_four_lexicons() -> None:
    # Polish "przybił" (docked), Romanian "nu mai au fost văzute" (no longer seen),
    # Greek "πολεμικά πλοία του ρωσικού στόλου" (warships of the Russian fleet)
    assert sorted_facts(
        "W poniedziałek do nabrzeża w Tartusie przybił statek towarowy „Sparta IV”.",
        "2025-01-07",
    ) == [("tartus", "vessel", "arriving", D(2025, 1, 6), D(2025, 1, 6))]
    assert [
        (c.site, c.equipment, c.action, c.absence)
        for c in claims_of(
            "Bombardierele Su-24 nu mai au fost văzute la Hmeimim din 10 ianuarie.", "2025-02-26"
        )
    ] == [("hmeimim", "su-24", "departing", True)]
    assert [
        c.equipment
        for c in claims_of(
            "Στο λιμάνι της Ταρτούς, τρία πολεμικά πλοία του ρωσικού στόλου εγκατέλειψαν τις "
            "προβλήτες την Τρίτη.",
            "2024-12-12",
        )
    ] == ["warship"]
