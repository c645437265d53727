"""Session 47's third round of claim rules (read from `dev55/`): a relative clause
between commas right after a noun is an aside whose verb (a dismantling too) is an event
of its own on its own day, the clause's verb coming after it; Polish "zostało" before a
quantity tells what remained. Each case is a sentence written for the test; none comes
from a set of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

from claim_facts import sightings

PUBLISHED = "2025-01-15"


def _facts(text: str) -> set[tuple[str, str, str, dt.date | None]]:
    return set(sightings(text, PUBLISHED))


def test_a_relative_aside_between_commas_is_an_event_of_its_own() -> None:
    spanish = (
        "Las baterías Pantsir, que a mediados de diciembre fueron desmontadas en parte, "
        "siguen en la base de Hmeimim."
    )
    facts = _facts(spanish)
    assert ("air-defence", "hmeimim", "stationed", None) in facts, facts
    assert ("air-defence", "hmeimim", "dismantling", dt.date(2024, 12, 11)) in facts, facts
    german = (
        "Auf Bildern vom Montag stehen in Hmeimim noch zwei Su-35. Die Mi-24, die Anfang "
        "Januar am Rand des Vorfelds zerlegt wurden, sind verschwunden."
    )
    facts = _facts(german)
    assert ("mi-24", "hmeimim", "departing", dt.date(2025, 1, 13)) in facts, facts
    assert ("mi-24", "hmeimim", "dismantling", dt.date(2025, 1, 1)) in facts, facts


def test_a_relative_aside_keeps_its_verb_where_the_clause_s_is_far_away() -> None:
    polish = "Fregaty, które jeszcze w grudniu stały w Tartusie, dziś kotwiczą u wybrzeży Libii."
    facts = _facts(polish)
    assert ("frigate", "tartus", "stationed", dt.date(2024, 12, 1)) in facts, facts
    assert not any(f[2] == "stationed" and f[3] != dt.date(2024, 12, 1) for f in facts), facts


def test_polish_what_remained() -> None:
    polish = "Na zdjęciach z poniedziałku w Hmejmim zostały tylko dwa Su-35 i kilka Mi-8."
    facts = {(f[0], f[2]) for f in _facts(polish)}
    assert {("su-35", "stationed"), ("mi-8", "stationed")} <= facts, facts
