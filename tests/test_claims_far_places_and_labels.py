"""Session 46's second round of claim rules (read from `dev51/`): a place far from the
sites opening a clause ("W rejonie Bengazi ...") keeps its objects from the site the
discourse is about; "although" in the lexicons' languages ("хотя", "obwohl", "deși")
opens a clause of its own, so its day does not date the clause before; a label telling a
presence, a dash and the object ("Рядом с ним на якоре — большой десантный корабль")
place it there; a participle right after a comma ("..., стоявших там ещё 8 декабря")
is an aside whose day does not date the absence told outside it. Each case is a
sentence written for the test; none comes from a set of
``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

from claim_facts import sightings

D = dt.date
PUBLISHED = "2024-12-18"
TUESDAY = D(2024, 12, 17)


def _facts(text: str) -> list[tuple[str, str, str, dt.date | None]]:
    return sightings(text, PUBLISHED)


def test_a_far_place_opening_the_clause_is_where_the_objects_are() -> None:
    polish = (
        "Baza Hmejmim wciąż działa. W rejonie Bengazi obserwuje się wzmożony ruch "
        "rosyjskich samolotów transportowych."
    )
    assert [f for f in _facts(polish) if f[0] == "cargo-aircraft"] == []
    # the site named in the clause keeps them
    english = "At Hmeimim, two Il-76 were parked on the apron on Tuesday."
    assert ("il-76", "hmeimim", "stationed", TUESDAY) in _facts(english)


def test_although_opens_a_clause_of_its_own() -> None:
    for text in (
        "Хмеймим, снимок от вторника. Истребителей Су-35 на снимке уже не видно, хотя ещё "
        "в начале месяца они стояли на своих местах.",
        "Hmeimim, Bilder vom Dienstag. Die Su-35 sind auf den Bildern nicht mehr zu sehen, "
        "obwohl sie Anfang des Monats noch dort standen.",
    ):
        departures = [f for f in _facts(text) if f[0] == "su-35" and f[2] == "departing"]
        assert departures == [("su-35", "hmeimim", "departing", TUESDAY)], (text, departures)


def test_a_label_telling_a_presence_then_a_dash_places_the_object() -> None:
    text = (
        "Тартус, снимок от вторника. Фрегат отошёл от причала. Рядом с ним на якоре — "
        "большой десантный корабль «Иван Грен»."
    )
    assert ("landing-ship", "tartus", "stationed", TUESDAY) in _facts(text)


def test_a_participle_aside_does_not_date_the_absence() -> None:
    text = (
        "Снимки со вторника показывают, что на базе Хмеймим уже не видно истребителей "
        "Су-35, стоявших там ещё 8 декабря."
    )
    departures = [f for f in _facts(text) if f[2] == "departing"]
    assert departures == [("su-35", "hmeimim", "departing", TUESDAY)], departures
