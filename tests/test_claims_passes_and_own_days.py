"""Session 43's second round of claim rules (read from `dev40/`): a day "since" which
nothing was seen is no pass of imagery, a departure right after what pictures showed
is of their day, "a similar picture" at another site is of the same pictures, the day
pictures were taken in the lexicons' words, a later object's own day after its verb,
"both planes" after one named type of aircraft, where the watchers stood is no place
of what they saw, and words of six lexicons."""

from __future__ import annotations

import datetime as dt

from claim_facts import claims_of, sorted_facts

D = dt.date


def test_a_day_since_which_nothing_was_seen_is_no_pass() -> None:
    text = (
        "1/ New optical imagery of the Russian naval facility at Tartus from yesterday.\n\n"
        "2/ The submarine Novorossiysk is gone. Not seen in any image since 2 January.\n\n"
        "3/ Anchored roughly 5 km west of the port: a frigate and a landing ship.\n"
    )
    yesterday = D(2025, 1, 7)
    assert sorted_facts(text, "2025-01-08") == [
        ("tartus", "frigate", "stationed", yesterday, yesterday),
        ("tartus", "landing-ship", "stationed", yesterday, yesterday),
        ("tartus", "submarine", "departing", yesterday, yesterday),
    ]


def test_a_departure_right_after_the_pictures_is_of_their_day() -> None:
    text = (
        "1/ New optical imagery of Tartus from yesterday.\n\n"
        "5/ Over at Hmeimim, same date: I count four Su-24s on the apron. The Tu-154 that "
        "sat near the terminal for months has left.\n"
    )
    yesterday = D(2025, 1, 7)
    assert ("hmeimim", "tu-154", "departing", yesterday, yesterday) in sorted_facts(
        text, "2025-01-08"
    )


def test_a_similar_picture_at_another_site_is_of_the_same_pictures() -> None:
    text = (
        "По данным снимков от 12 декабря, на аэродроме Хмеймим стоят два Ан-124. В Тартусе "
        "картина похожая: фрегат «Адмирал Григорович» вышел из пункта и стоит на рейде."
    )
    day = D(2024, 12, 12)
    assert [f for f in sorted_facts(text, "2024-12-13") if f[0] == "tartus"] == [
        ("tartus", "frigate", "departing", day, day),
        ("tartus", "frigate", "stationed", day, day),
    ]


def test_the_day_pictures_were_taken_in_french() -> None:
    text = (
        "« Tartous se vide », titre ce matin un quotidien, qui publie des images satellites "
        "du port syrien prises lundi. On y voit le cargo Sparta IV amarré au quai principal."
    )
    monday = D(2025, 1, 27)
    assert sorted_facts(text, "2025-01-30") == [("tartus", "vessel", "stationed", monday, monday)]


def test_a_later_object_keeps_the_day_told_right_after_its_verb() -> None:
    text = (
        "Un An-124 despegó el lunes de la base de Hmeimim rumbo a Rusia y otros dos Il-76 "
        "aterrizaron el miércoles."
    )
    assert sorted_facts(text, "2024-12-26") == [
        ("hmeimim", "an-124", "departing", D(2024, 12, 23), D(2024, 12, 23)),
        ("hmeimim", "il-76", "arriving", D(2024, 12, 25), D(2024, 12, 25)),
    ]
    # a day after a second verb of the same ship is that verb's, not a later object's
    later = (
        "On 4 January the landing ship Alexander Otrakovsky entered the harbour at Tartus, "
        "only to leave two days later."
    )
    arrivals = [f for f in sorted_facts(later, "2025-01-10") if f[2] == "arriving"]
    assert arrivals == [("tartus", "landing-ship", "arriving", D(2025, 1, 4), D(2025, 1, 4))]


def test_both_planes_are_the_one_type_named_before() -> None:
    text = (
        "Satellite images show two Russian An-124 transport aircraft at Hmeimim air base on "
        "Monday. The images, taken around midday, show both planes on the main apron with "
        "their nose cones raised."
    )
    monday = D(2024, 12, 16)
    assert sorted_facts(text, "2024-12-17") == [
        ("hmeimim", "an-124", "loading", monday, monday),
        ("hmeimim", "an-124", "stationed", monday, monday),
    ]


def test_where_the_watchers_stood_is_no_place_of_what_they_saw() -> None:
    text = (
        "We couldn't get close to Hmeimim, the roads are checkpointed, but from Jableh we "
        "counted three Il-76s taking off from the base yesterday afternoon."
    )
    assert [(c.site, c.equipment, c.action) for c in claims_of(text, "2025-02-03")] == [
        ("hmeimim", "il-76", "departing")
    ]


def test_words_of_the_lexicons() -> None:
    only = "Imaginile arată că la baza Hmeimim nu mai sunt decât trei avioane Su-24."
    assert [(c.equipment, c.action) for c in claims_of(only, "2025-01-02")] == [
        ("su-24", "stationed")
    ]
    tracking = (
        "Według serwisów monitorujących ruch statków w czwartek do portu w Tartusie wpłynął "
        "statek towarowy „Sparta IV”."
    )
    assert [(c.equipment, c.action) for c in claims_of(tracking, "2025-01-18")] == [
        ("vessel", "arriving")
    ]
    heading = "Un convoy de camiones militares se dirigía hacia la base aérea de Hmeimim."
    assert {(c.equipment, c.action) for c in claims_of(heading, "2024-12-26")} >= {
        ("convoy", "arriving")
    }
    loading = "طائرات شحن روسية تحمل في قاعدة حميميم"
    assert [(c.site, c.action) for c in claims_of(loading, "2024-12-15")] == [
        ("hmeimim", "loading")
    ]
    long_ago = (
        "Σε δορυφορικές εικόνες της Δευτέρας, στο λιμάνι της Ταρτούς βρίσκονται ακόμη δύο "
        "κορβέτες. Οι φρεγάτες έχουν προ πολλού αποπλεύσει."
    )
    frigates = [c for c in claims_of(long_ago, "2025-01-29") if c.equipment == "frigate"]
    assert [(c.action, c.date_from) for c in frigates] == [("departing", None)]
