"""Session 49's rounds of claim rules. The first, read from `dev58/`: a list after a
dash naming a group's objects, "including" after a dash, a town the objects came from,
the Arabic accusative of "convoy", a way out past a leaving verb, "came into", a keycap
digit, Polish "maszyny", a "with" phrase of two types joined bare, a course set for a
place away from the site. The second, read from `dev59/`: a day written as an ordinal
word, a way to the roadstead. Each case is a sentence written for the test; none comes
from a set of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

from claim_facts import claims_of, counts_of, sightings

PUBLISHED = "2025-01-24"


def _facts(text: str) -> set[tuple[str, str, str]]:
    return {(e, s, a) for e, s, a, _ in sightings(text, PUBLISHED)}


def test_objects_listed_after_a_dash_share_both_claims_of_the_group() -> None:
    # the group leaves its berth and lies at anchor; each ship named after the dash does
    russian = (
        "Тартус. Основные корабли ещё 9 января покинули причал и с тех пор держатся на рейде "
        "— фрегат «Адмирал Эссен», корвет и подводная лодка."
    )
    facts = _facts(russian)
    for kind in ("frigate", "corvette", "submarine"):
        assert (kind, "tartus", "departing") in facts, facts
        assert (kind, "tartus", "stationed") in facts, facts


def test_a_list_opened_by_including_after_a_dash_takes_the_verb() -> None:
    ukrainian = "Тартус. На судно в порту вантажать техніку — зокрема бронетранспортери."
    assert ("military-vehicle", "tartus", "loading") in _facts(ukrainian)
    russian = "Тартус. На судно в порту грузят технику — в том числе бронетранспортёры."
    assert ("military-vehicle", "tartus", "loading") in _facts(russian)


def test_a_town_the_objects_came_from_is_no_place_of_the_claim() -> None:
    english = (
        "A first convoy reached Hmeimim on Tuesday. A second convoy arrived at the base on "
        "Wednesday, coming from Palmyra."
    )
    claims = claims_of(english, PUBLISHED)
    arrivals = {(c.site, c.date_from) for c in claims if c.action == "arriving"}
    assert ("hmeimim", dt.date(2025, 1, 22)) in arrivals, arrivals
    assert all(c.site == "hmeimim" for c in claims), [c.summary for c in claims]
    arabic = (
        "وصل رتل روسي إلى قاعدة حميميم يوم الثلاثاء. وقال شهود إن رتلاً آخر دخل القاعدة "
        "يوم الأربعاء قادماً من ريف حماة."
    )
    claims = claims_of(arabic, PUBLISHED)
    convoys = {(c.equipment, c.site, c.action, c.date_from) for c in claims}
    assert ("convoy", "hmeimim", "arriving", dt.date(2025, 1, 22)) in convoys, convoys
    # a site the objects came from is one they left
    left = "Two An-124s arriving from Hmeimim touched down near Moscow on Thursday."
    assert ("an-124", "hmeimim", "departing") in _facts(left)


def test_a_way_out_past_a_leaving_verb_keeps_the_referred_site() -> None:
    text = (
        "Russia has quickened its air bridge out of Hmeimim. Four Il-76 transports have "
        "left the base since Tuesday, most of them routing east across Iraqi airspace."
    )
    facts = _facts(text)
    assert ("il-76", "hmeimim", "departing") in facts, facts
    # a place in the leaving verb's own phrase is still where they are
    elsewhere = (
        "Tartus was quiet on Monday. On Friday the tanker Vyazma left the naval base in Baltiysk."
    )
    assert not any(s == "tartus" and a == "departing" for _, s, a in _facts(elsewhere))


def test_an_aircraft_that_came_into_the_base_arrived() -> None:
    text = "Hmeimim. Shortly after dawn an Il-76 came into the air base."
    assert ("il-76", "hmeimim", "arriving") in _facts(text)


def test_a_keycap_digit_numbers_a_list_and_counts_nothing() -> None:
    text = "Хмеймим, обзор.\n\n3️⃣ С-400 по-прежнему на месте."
    counts = counts_of(text, PUBLISHED)
    assert ("s-400", 3, "exact") not in counts, counts
    assert ("s-400", 1, "exact") in counts, counts


def test_polish_machines_are_aircraft() -> None:
    text = "Jeszcze w listopadzie w bazie Hmeimim stacjonowało kilkanaście maszyn."
    assert ("aircraft", "hmeimim", "stationed") in _facts(text)


def test_a_with_phrase_after_two_types_joined_bare_is_of_both() -> None:
    romanian = "La Hmeimim stăteau aliniate elicoptere Ka-52 și Mi-8 cu palele demontate."
    facts = _facts(romanian)
    assert ("ka-52", "hmeimim", "dismantling") in facts, facts
    assert ("mi-8", "hmeimim", "dismantling") in facts, facts


def test_a_course_set_for_a_place_away_from_the_site_leaves_it() -> None:
    cases = (
        "Frente a Tartus esperan varios buques rusos. El lunes la fragata puso rumbo a Malta.",
        "У Тартуса стоят несколько кораблей. В понедельник фрегат взял курс на Мальту.",
        "Vor Tartus liegen mehrere Schiffe. Am Montag hat die Fregatte Kurs auf Malta genommen.",
        "Several ships wait off Tartus. On Monday the frigate set course for Malta.",
    )
    for text in cases:
        facts = _facts(text)
        assert ("frigate", "tartus", "departing") in facts, (text, facts)
        assert ("frigate", "tartus", "moving") not in facts, (text, facts)
    # a course for the site itself is no departure from it
    home = (
        "Frente a Tartus esperan varios buques rusos. El lunes la fragata puso rumbo al "
        "puerto de Tartus."
    )
    assert ("frigate", "tartus", "departing") not in _facts(home)


def test_a_day_written_as_an_ordinal_word_dates_the_claim() -> None:
    text = (
        "Tartus. The landing ship Ivan Gren docked on the twenty-first of January; the "
        "cargo ship Sparta IV arrived two days later."
    )
    days = {(c.equipment, c.date_from) for c in claims_of(text, PUBLISHED)}
    assert ("landing-ship", dt.date(2025, 1, 21)) in days, days
    assert ("vessel", dt.date(2025, 1, 23)) in days, days


def test_ships_that_left_for_the_roadstead_lie_at_anchor_there() -> None:
    cases = (
        "Тартус. Фрегаты ещё в понедельник вышли из базы на внешний рейд.",
        "Tartus. The frigates left the pier on Monday for the outer roadstead.",
        "Tartous. Les frégates ont quitté le quai lundi pour la rade extérieure.",
    )
    for text in cases:
        facts = _facts(text)
        assert ("frigate", "tartus", "departing") in facts, (text, facts)
        assert ("frigate", "tartus", "stationed") in facts, (text, facts)
    # a departure with no way to the roadstead is no anchoring
    assert ("frigate", "tartus", "stationed") not in _facts(
        "Tartus. The frigates left the pier on Monday."
    )
