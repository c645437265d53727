"""Session 44's third round of claim rules (read from `dev45/`): Arabic "أي" (any) before
a noun makes it no count of one, and a tug is a vessel, not a naval one (its size; most
sets' writers agree). Each case is a
sentence written for the test; none comes from a set of
``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

from claim_facts import claims_of, counts_of

D = dt.date
PUBLISHED = "2025-01-15"
MONDAY = D(2025, 1, 13)


def test_arabic_any_before_a_noun_is_no_count_of_one() -> None:
    text = "لم تعد هناك أي مروحية روسية في قاعدة حميميم منذ يوم الاثنين."
    assert counts_of(text, PUBLISHED) == [("helicopter", None, "plural")]
    assert [c.action for c in claims_of(text, PUBLISHED)] == ["departing"]


def test_a_tug_is_a_vessel() -> None:
    for text in (
        "On Monday a harbour tug left the Russian pier at Tartus.",
        "W poniedziałku holownik opuścił rosyjskie nabrzeże w Tartusie.",
        "В понедельник морской буксир покинул причал в Тартусе.",
    ):
        assert [(c.equipment, c.action, c.date_from) for c in claims_of(text, PUBLISHED)] == [
            ("vessel", "departing", MONDAY)
        ], text
    seen = "Satellite images show a salvage tug at Tartus on Monday."
    assert [(c.equipment, c.count) for c in claims_of(seen, PUBLISHED)] == [("vessel", 1)]
    # a rescue ship of the navy is still a naval vessel
    rescue = "В понедельник спасательное судно покинуло причал в Тартусе."
    assert [c.equipment for c in claims_of(rescue, PUBLISHED)] == ["naval-vessel"]
