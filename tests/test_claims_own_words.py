"""Words that belong to one noun of a clause and not its neighbours (session 35): a
participle right after a noun, an adjective right before a later noun, the day of an
aside told before the clause's verb, and the lists of a caption after a dash. Each case
is a sentence written for these tests with the claims a careful reader lists; none
comes from a set of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

import pytest

from claim_facts import claims_of, facts

D = dt.date
PUBLISHED = "2024-12-20"  # a Friday


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Satellite pictures of Hmeimim show three Il-76s and a Tu-154 parked by the "
            "terminal, and what analysts call a row of dismantled Ka-52 helicopters.",
            [("il-76", "stationed"), ("tu-154", "stationed"), ("ka-52", "dismantling")],
        ),
        (
            "Las imágenes de Hmeimim muestran dos helicópteros Ka-52 con las palas "
            "desmontadas cerca de los hangares y un avión Il-76 estacionado en la pista.",
            [("ka-52", "dismantling"), ("il-76", "stationed")],
        ),
    ],
)
def test_a_word_right_by_a_noun_is_that_noun_s(text: str, want: list[tuple[str, str]]) -> None:
    assert [(c.equipment, c.action) for c in claims_of(text, PUBLISHED)] == want


@pytest.mark.parametrize(
    "text",
    [
        # the verb comes before its object: the frigate loads, the trucks are its cargo
        "Auf den Bildern von Tartus sieht man, wie die Fregatte Lastwagen lädt ein.",
        "Satellite images of Tartus show the landing ship loading trucks at the pier.",
    ],
)
def test_a_verb_before_its_object_stays_the_subject_s(text: str) -> None:
    got = [(c.equipment, c.action) for c in claims_of(text, PUBLISHED)]
    assert got[0][1] == "loading"


def test_german_adjectives_of_dismantling_and_readiness() -> None:
    text = (
        "Laut Satellitenbildern stehen auf dem Vorfeld von Hmeimim zerlegte "
        "Kampfhubschrauber Ka-52. Das Luftabwehrsystem S-400 ist weiterhin einsatzbereit."
    )
    got = [(c.equipment, c.action) for c in claims_of(text, PUBLISHED)]
    assert got == [("ka-52", "dismantling"), ("s-400", "stationed")]


def test_out_at_sea_is_gone_from_the_port() -> None:
    text = (
        "Tartus looks nearly empty in the new pictures. The two frigates have been out at "
        "sea for a week."
    )
    assert [(c.site, c.equipment, c.action) for c in claims_of(text, PUBLISHED)] == [
        ("tartus", "frigate", "departing")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "A Kilo-class submarine that was moored at the Tartus pier on Monday had gone in "
        "images taken on Wednesday.",
        "A Kilo-class submarine, which was moored at the Tartus pier on Monday, had gone in "
        "images taken on Wednesday.",
    ],
)
def test_an_aside_before_the_verb_keeps_its_own_day(text: str) -> None:
    monday, wednesday = D(2024, 12, 16), D(2024, 12, 18)
    got = facts(claims_of(text, PUBLISHED))
    assert ("tartus", "submarine", "departing", wednesday, wednesday) in got
    assert ("tartus", "submarine", "stationed", monday, monday) in got


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Снимки от 18 декабря. Хмеймим. На стоянке — четыре Су-24 и два Ил-76.",
            [("su-24", 4), ("il-76", 2)],
        ),
        (
            "Знімки від 18 грудня. Хмеймім. На пероні — п'ять Су-34 і один Ан-124.",
            [("su-34", 5), ("an-124", 1)],
        ),
        (
            "Images of 18 December. Hmeimim. Main apron – 4 Su-24, 2 Il-76.",
            [("su-24", 4), ("il-76", 2)],
        ),
    ],
)
def test_a_caption_s_list_after_a_dash_is_what_is_there(
    text: str, want: list[tuple[str, int]]
) -> None:
    day = D(2024, 12, 18)
    got = claims_of(text, PUBLISHED)
    assert [(c.equipment, c.count) for c in got] == want
    assert {(c.site, c.action, c.date_from, c.date_to) for c in got} == {
        ("hmeimim", "stationed", day, day)
    }


def test_a_dash_after_a_speaker_or_without_a_count_lists_nothing() -> None:
    # an aside between dashes in prose with no counted item is no caption
    text = "The base – long a symbol of Russia's reach – still has Su-24s, analysts said."
    assert all(c.action != "stationed" or c.count is None for c in claims_of(text, PUBLISHED))
