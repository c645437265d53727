"""What the claim tests read of a short report: the claims it asserts (denials left
out), their counts, and their site, equipment, action and dates."""

from __future__ import annotations

import datetime as dt

from basewatch.corroborate.claims import Claim, extract_claims
from basewatch.corroborate.reports import parse_report


def claims_of(text: str, published: str) -> tuple[Claim, ...]:
    """The claims ``text`` asserts, published on ``published`` (ISO date)."""
    return tuple(
        c for c in extract_claims(parse_report(text, published=published)) if c.modality != "denied"
    )


def sightings(text: str, published: str) -> list[tuple[str, str, str, dt.date | None]]:
    """Equipment, site, action and first day of each claim ``text`` asserts."""
    return [(c.equipment, c.site, c.action, c.date_from) for c in claims_of(text, published)]


def counts_of(text: str, published: str) -> list[tuple[str, int | None, str]]:
    """Equipment, count and count qualifier of each claim ``text`` asserts."""
    return [(c.equipment, c.count, c.count_qualifier) for c in claims_of(text, published)]


def facts(claims: tuple[Claim, ...]) -> list[tuple[object, ...]]:
    """Site, equipment, action and first and last day of each claim."""
    return [(c.site, c.equipment, c.action, c.date_from, c.date_to) for c in claims]


def sorted_facts(text: str, published: str) -> list[tuple[object, ...]]:
    """:func:`facts` of the claims ``text`` asserts, in sorted order (for comparisons that
    do not depend on the order the claims are told in)."""
    return sorted(facts(claims_of(text, published)))
