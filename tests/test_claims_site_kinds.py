"""Session 46's third round of claim rules (read from `dev52/`): ships stand at a port
and aircraft at an air base. A headline or clause that ties both to the wrong site
("Ρωσικά αεροσκάφη και πλοία εγκαταλείπουν Χμεϊμίμ και Ταρτούς") puts each at the
monitored site of its kind the sentence or the account named, or makes no claim for it.
Each case is a sentence written for the test; none comes from a set of
``tests/data/claims_multilingual``."""

from __future__ import annotations

from claim_facts import claims_of

PUBLISHED = "2025-01-15"


def _sites(text: str) -> set[tuple[str, str]]:
    return {(c.category, c.site) for c in claims_of(text, PUBLISHED)}


def test_ships_and_aircraft_leaving_two_sites_leave_their_own() -> None:
    greek = "Ρωσικά αεροσκάφη και πλοία εγκαταλείπουν Χμεϊμίμ και Ταρτούς"
    assert _sites(greek) == {("aircraft", "hmeimim"), ("vessel", "tartus")}


def test_a_ship_is_never_placed_at_an_air_base() -> None:
    text = (
        "Two Il-76 left Hmeimim on Monday. Three warships and a tanker also left "
        "Hmeimim, a local source said."
    )
    assert ("vessel", "hmeimim") not in _sites(text)
    # with a port named in the account, they are there
    named = "Ships were seen at Tartus on Monday. Two corvettes left Hmeimim on Tuesday."
    sites = _sites(named)
    assert ("vessel", "hmeimim") not in sites
    assert ("vessel", "tartus") in sites
