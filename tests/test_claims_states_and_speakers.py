"""What the extractor reads since session 39 of states told with a negation ("has not
moved", "никуда не делись"), of disappearance and of not finding ("пропали", "не
обнаружили"), of a correspondent's own town, and of "the air base" after a sentence
about the port. Each case is a sentence written for these tests with the claim a
careful reader lists; none comes from a set of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import pytest

from claim_facts import claims_of


def read(text: str, published: str = "2025-01-20") -> list[tuple[object, ...]]:
    """Site, equipment, action and whether the claim states an absence."""
    return [(c.site, c.equipment, c.action, c.absence) for c in claims_of(text, published)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The Il-20 at Hmeimim has not moved since December.", ("hmeimim", "il-20")),
        ("At Tartus the tanker hasn't budged from the outer pier.", ("tartus", "vessel")),
        ("Les deux corvettes de Tartous n'ont pas bougé.", ("tartus", "corvette")),
        ("Вертолёты Ми-8 на базе Хмеймим никуда не делись.", ("hmeimim", "mi-8")),
        ("Οι φρεγάτες στην Ταρτούς δεν έχουν μετακινηθεί.", ("tartus", "frigate")),
        ("Die Su-35 in Hmeimim haben sich nicht bewegt.", ("hmeimim", "su-35")),
    ],
)
def test_a_state_told_with_a_negation_is_the_objects_staying(
    text: str, want: tuple[str, str]
) -> None:
    assert read(text) == [(*want, "stationed", False)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("На базе Хмеймим пропали оба вертолёта Ка-52.", ("hmeimim", "ka-52", "departing", False)),
        (
            "На аеродромі Хмеймім Су-24 не виявили на жодному знімку.",
            ("hmeimim", "su-24", "departing", True),
        ),
        (
            "На базе Хмеймим Су-34 не обнаружили ни на одном снимке.",
            ("hmeimim", "su-34", "departing", True),
        ),
    ],
)
def test_vanished_and_not_found_are_departures(text: str, want: tuple[str, str, str, bool]) -> None:
    assert read(text) == [want]


@pytest.mark.parametrize(
    "lead",
    [
        "Our correspondent is reporting from Beirut.",
        "Unsere Korrespondentin berichtet aus Beirut.",
        "Unser Reporter verfolgt die Lage von Beirut aus.",
    ],
)
def test_a_correspondents_town_does_not_take_the_account_there(lead: str) -> None:
    text = (
        "New images show two An-124 transports at Hmeimim. "
        + lead
        + " Beside them, several trucks wait to be loaded."
    )
    assert {c.site for c in claims_of(text, "2025-01-20")} == {"hmeimim"}


def test_the_air_base_after_the_port_is_the_air_base_named_before() -> None:
    text = (
        "Two Il-76s took off from Hmeimim on Monday. At Tartus, the frigate left the port. "
        "The Pantsir battery by the air base's runway was still in place on Tuesday."
    )
    got = {c.equipment: c.site for c in claims_of(text, "2025-01-20")}
    assert got["air-defence"] == "hmeimim"
