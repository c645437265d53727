"""Session 47's second round of claim rules (read from `dev54/`): a German noun of
equipment after "in" is no unknown place ("um sie in Transportmaschinen zu verladen"),
rotors "off" tell a helicopter taken apart, and Arabic "عشرات" before a noun with the
article counts at least two dozen. Each case is a sentence written for the test; none
comes from a set of ``tests/data/claims_multilingual``."""

from __future__ import annotations

from claim_facts import counts_of, sightings

PUBLISHED = "2025-01-15"


def test_a_german_noun_of_equipment_after_in_is_no_place() -> None:
    german = (
        "Auf dem Stützpunkt Hmeimim sei eine Il-76 beim Beladen beobachtet worden. "
        "Zwei Hubschrauber vom Typ Mi-8 seien zerlegt worden, offenbar um sie in "
        "Transportmaschinen zu verladen."
    )
    facts = {(f[0], f[1], f[2]) for f in sightings(german, PUBLISHED)}
    assert ("mi-8", "hmeimim", "dismantling") in facts, facts


def test_rotors_off_is_a_helicopter_taken_apart() -> None:
    text = "Pictures of Hmeimim show two Mi-24 gunships parked by the tower with their rotors off."
    facts = {(f[0], f[2]) for f in sightings(text, PUBLISHED)}
    assert ("mi-24", "dismantling") in facts, facts


def test_arabic_dozens_before_a_definite_noun() -> None:
    arabic = "دخلت عشرات الشاحنات العسكرية قاعدة حميميم يوم الاثنين."
    assert ("military-vehicle", 24, "at_least") in counts_of(arabic, PUBLISHED)
