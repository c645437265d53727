"""Session 36's claims rules. A town named right after a monitored site locates the
site: the claim is the site's, whatever preposition the site itself has ("on the apron
of Russia's Hmeimim air base near Jableh"). A word of a port's trade ("container
terminal", "container ship") is no equipment of its own. Each case is a sentence
written for these tests with the claims a careful reader lists; none comes from a set
of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import pytest

from claim_facts import claims_of

PUBLISHED = "2024-12-20"  # a Friday


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Two Il-76 transports stood on the northern apron of Russia's Hmeimim air base "
            "near Jableh on Thursday.",
            [("il-76", "hmeimim")],
        ),
        (
            "Pictures show a Tu-154 on the apron of the Hmeimim air base near Latakia on Thursday.",
            [("tu-154", "hmeimim")],
        ),
        (
            "Three Su-35 fighters were parked at Hmeimim, near Jableh, on Thursday.",
            [("su-35", "hmeimim")],
        ),
    ],
)
def test_a_town_after_a_site_locates_it(text: str, want: list[tuple[str, str]]) -> None:
    assert [(c.equipment, c.site) for c in claims_of(text, PUBLISHED)] == want


def test_a_town_of_its_own_is_still_the_claim_s_place() -> None:
    """The town is the place where no monitored site comes right before it."""
    got = claims_of("Trucks were seen on the road from Tartus to Jableh on Thursday.", PUBLISHED)
    assert [(c.site, c.action) for c in got] == [("tartus", "departing"), ("jableh", "arriving")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Image 4 - Tartus port, 27 January 2025. A vessel is berthed at the container "
            "terminal.",
            [("vessel", "stationed")],
        ),
        (
            "At Tartus a container ship is moored near the container cranes.",
            [("vessel", "stationed")],
        ),
    ],
)
def test_a_container_terminal_or_ship_is_no_vehicle(text: str, want: list[tuple[str, str]]) -> None:
    assert [(c.equipment, c.action) for c in claims_of(text, PUBLISHED)] == want
