"""Session 43's third round of claim rules (read from `dev41/`): a verb made a habit by
a frequency takes no day of the account, an unnamed coast after "after" is where the
objects were before (not where they are), "a few" is a count, and radar vehicles are
air defence."""

from __future__ import annotations

import datetime as dt

from claim_facts import claims_of, counts_of, sorted_facts

D = dt.date


def test_a_habit_takes_no_day_of_the_account() -> None:
    text = (
        "On Sunday the cargo ship Sparta IV was photographed loading at Tartus. The giant "
        "An-124s still land at Hmeimim every few days."
    )
    sunday = D(2025, 2, 9)
    assert sorted_facts(text, "2025-02-10") == [
        ("hmeimim", "an-124", "arriving", None, None),
        ("tartus", "vessel", "loading", sunday, sunday),
    ]
    polish = (
        "Na zdjęciach satelitarnych z 14 lutego widać w Hmeimim sześć Su-35. Transportowe "
        "An-124 lądują w bazie średnio co trzy dni."
    )
    landings = [c for c in claims_of(polish, "2025-02-18") if c.equipment == "an-124"]
    assert [(c.action, c.date_from) for c in landings] == [("arriving", None)]


def test_a_habit_keeps_a_day_its_own_clause_names() -> None:
    text = "Since 10 December Il-76 transports have landed at Hmeimim several times a week."
    assert sorted_facts(text, "2024-12-20") == [
        ("hmeimim", "il-76", "arriving", D(2024, 12, 10), D(2024, 12, 20))
    ]


def test_an_unnamed_coast_after_after_is_where_they_were() -> None:
    text = (
        "At Tartus the picture is murkier. The frigate Admiral Golovko returned to the port "
        "on January 14 after weeks at anchor off the Syrian coast."
    )
    jan14 = D(2025, 1, 14)
    assert sorted_facts(text, "2025-01-22") == [("tartus", "frigate", "arriving", jan14, jan14)]
    # the coast the objects are at is still no site
    offshore = "At Tartus the picture is murkier. The frigate now lies off the Syrian coast."
    assert claims_of(offshore, "2025-01-22") == ()


def test_a_few_is_a_count() -> None:
    assert counts_of("A few Su-35 fighters remain at Hmeimim.", "2025-01-22") == [
        ("su-35", None, "several")
    ]
    # a describing word after a number is still skipped
    assert counts_of("Two smaller warships remain at Tartus.", "2025-01-22") == [
        ("warship", 2, "exact")
    ]


def test_radar_vehicles_are_air_defence() -> None:
    text = "At Hmeimim a Pantsir system and two radar vehicles are still there."
    assert counts_of(text, "2024-12-18") == [
        ("air-defence", 1, "exact"),
        ("air-defence", 2, "exact"),
    ]
