"""Session 45's fourth round of claim rules (read from `dev49/`): a place told in a
relative clause that opens with a comma and holds no verb of action is not where the
objects are ("..., które obsługują połączenia z Tartusem"); Arabic "إذ" (as) opens a
clause of its own, so an emptiness before it does not empty what it shows; English
vehicles "queued beside" a ship or "waiting to board" are being loaded. Each case is a
sentence written for the test; none comes from a set of
``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

from claim_facts import sightings

D = dt.date
PUBLISHED = "2025-01-15"
MONDAY = D(2025, 1, 13)


def _facts(text: str) -> list[tuple[str, str, str, dt.date | None]]:
    return sightings(text, PUBLISHED)


def test_a_place_in_a_relative_clause_without_an_action_is_not_where_they_are() -> None:
    polish = (
        "Hmejmim na zdjęciach z poniedziałku. Pozostały tam dwa śmigłowce Mi-8, które "
        "obsługują połączenia z Tartusem."
    )
    assert _facts(polish) == [("mi-8", "hmeimim", "stationed", MONDAY)]
    # a relative clause with a verb of action keeps its place
    english = "The frigate, which left Tartus on Monday, is anchored offshore."
    assert {(f[1], f[2]) for f in _facts(english)} >= {("tartus", "departing")}


def test_arabic_idh_opens_a_clause_of_its_own() -> None:
    text = (
        "قاعدة حميميم باتت اليوم شبه خالية، إذ تُظهر صور التقطت يوم الاثنين طائرتين فقط على المدرج."
    )
    assert ("aircraft", "hmeimim", "stationed", MONDAY) in _facts(text)


def test_vehicles_queued_beside_a_ship_are_being_loaded() -> None:
    for text in (
        "Tartus, Monday: a landing ship at the pier. Military trucks are queued beside it.",
        "Tartus, Monday: a landing ship at the pier, and military trucks waiting to board.",
    ):
        assert ("military-vehicle", "tartus", "loading", MONDAY) in _facts(text), text
