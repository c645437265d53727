"""Session 41's fourth round of claim rules: a feast is a day, not an unknown place
("still visible at Christmas"), an aside's day does not date the next clause of the
sentence, and a Kilo submarine told "Kilo sub"."""

from __future__ import annotations

import datetime as dt

from basewatch.corroborate.claims import Claim, extract_claims
from basewatch.corroborate.reports import parse_report

D = dt.date


def claims_of(text: str, published: str) -> tuple[Claim, ...]:
    return extract_claims(parse_report(text, published=published))


def facts(text: str, published: str) -> list[tuple[str, str, str, dt.date | None]]:
    return sorted((c.site, c.equipment, c.action, c.date_from) for c in claims_of(text, published))


def test_a_feast_is_a_day_not_a_place_elsewhere() -> None:
    text = (
        "Hmeimim has lost most of its fighters. The Su-34s that were still visible at "
        "Christmas are gone from the latest images, taken on Tuesday."
    )
    assert facts(text, "2025-01-09") == [
        ("hmeimim", "su-34", "departing", D(2025, 1, 7)),
        ("hmeimim", "su-34", "stationed", D(2024, 12, 25)),
    ]


def test_an_aside_s_day_does_not_date_the_next_clause() -> None:
    text = (
        "6/ Now Tartus (imagery from 19 Dec). The pier is half empty. Both Karakurt-class "
        "corvettes that were here on 12 Dec are gone; the Kilo sub is still alongside."
    )
    assert facts(text, "2024-12-21") == [
        ("tartus", "corvette", "departing", D(2024, 12, 19)),
        ("tartus", "corvette", "stationed", D(2024, 12, 12)),
        ("tartus", "submarine", "stationed", D(2024, 12, 19)),
    ]
