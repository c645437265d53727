"""Session 41's round of claim rules: an object gone now, told with the earlier day it
stood there ("the Su-24M we saw on 12 Jan are gone", "fehlen Ka-52, die am 6. Dezember
noch geparkt waren", "the shelters where Su-35s were parked on 12 January are empty").
One mention makes two claims: stationed on the earlier day, departing on the account's;
the earlier day never dates the absence, nor the sentences after it."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.claims import Claim, extract_claims
from basewatch.corroborate.reports import parse_report

D = dt.date
Dated = tuple[str, dt.date | None, dt.date | None]


def claims_of(text: str, published: str) -> tuple[Claim, ...]:
    return extract_claims(parse_report(text, published=published))


def of(text: str, published: str, noun: str) -> list[Dated]:
    """The (action, from, to) of the claims whose equipment words hold ``noun``."""
    return sorted(
        (c.action, c.date_from, c.date_to)
        for c in claims_of(text, published)
        if noun in text[c.equipment_span[0] : c.equipment_span[1]]
    )


@pytest.mark.parametrize(
    ("published", "text", "noun", "earlier", "now"),
    [
        (
            # an English contact clause, in a thread of dated imagery
            "2025-01-28",
            "1/ New imagery of Hmeimim from yesterday (27 Jan). 2/ Main apron: 3 Su-34 still "
            "parked. The 4 Su-24M we saw on 12 Jan are gone.",
            "Su-24M",
            (D(2025, 1, 12), D(2025, 1, 12)),
            (D(2025, 1, 27), D(2025, 1, 27)),
        ),
        (
            # the verb of absence before the noun, a German relative clause after a comma
            # whose day holds a full stop ("6. Dezember")
            "2024-12-17",
            "Satellitenbilder vom Montag zeigen zwei An-124 auf dem Stützpunkt Hmeimim. Auf "
            "denselben Bildern fehlen zudem mehrere Kampfhubschrauber Ka-52, die am 6. "
            "Dezember noch neben dem Vorfeld geparkt waren.",
            "Ka-52",
            (D(2024, 12, 6), D(2024, 12, 6)),
            (D(2024, 12, 16), D(2024, 12, 16)),
        ),
        (
            # the clause's day and verb before the noun, the relative clause's after it
            "2024-12-23",
            "Zdjęcia satelitarne bazy Hmeimim wykonane w niedzielę pokazują, że z płyty "
            "postojowej zniknęły śmigłowce szturmowe Ka-52, które jeszcze w połowie grudnia "
            "stały przy pasie startowym.",
            "Ka-52",
            (D(2024, 12, 11), D(2024, 12, 20)),
            (D(2024, 12, 22), D(2024, 12, 22)),
        ),
        (
            # a comma aside with a sighting, the verb after it
            "2025-01-13",
            "Image 3 - Hmeimim, 12 janvier. Extrémité nord de la piste : les lanceurs du "
            "système S-400, encore visibles fin décembre, ont disparu.",
            "S-400",
            (D(2024, 12, 21), D(2024, 12, 31)),
            (D(2025, 1, 12), D(2025, 1, 12)),
        ),
        (
            # a place's relative clause ("where ...") in a sentence saying it is empty
            "2025-02-05",
            "2. Hmeimim, 4 February 2025, southern dispersal area. The shelters where Su-35 "
            "fighters were parked on 12 January are now empty.",
            "Su-35",
            (D(2025, 1, 12), D(2025, 1, 12)),
            (D(2025, 2, 4), D(2025, 2, 4)),
        ),
        (
            "2025-01-20",
            "Hmeimim, 19 stycznia. Pusta jest również pozycja na południowym skraju bazy, "
            "gdzie jeszcze 2 stycznia stały wyrzutnie S-400.",
            "S-400",
            (D(2025, 1, 2), D(2025, 1, 2)),
            (D(2025, 1, 19), D(2025, 1, 19)),
        ),
    ],
)
def test_gone_now_and_there_on_the_earlier_day(
    published: str,
    text: str,
    noun: str,
    earlier: tuple[dt.date, dt.date],
    now: tuple[dt.date, dt.date],
) -> None:
    assert of(text, published, noun) == [("departing", *now), ("stationed", *earlier)]


def test_a_name_and_a_second_noun_share_the_aside() -> None:
    text = (
        "New satellite pictures taken this morning over the Tartus naval base show the pier "
        "almost empty. The frigate Admiral Golovko and the submarine Novorossiysk, both "
        "photographed alongside on Monday, are no longer there."
    )
    monday, today = (D(2024, 12, 9),) * 2, (D(2024, 12, 12),) * 2
    for noun in ("Admiral Golovko", "submarine"):
        assert of(text, "2024-12-12", noun) == [("departing", *today), ("stationed", *monday)]


def test_the_relative_clause_before_a_verb_of_absence_after_it() -> None:
    text = (
        "Снимок Тартуса от 10 декабря. Подводной лодки «Новороссийск», которая была там ещё "
        "5 декабря, на снимке нет."
    )
    assert ("stationed", D(2024, 12, 5), D(2024, 12, 5)) in of(text, "2024-12-11", "лодки")
    assert [a for a, *_ in of(text, "2024-12-11", "лодки")] == ["departing", "stationed"]


def test_a_year_of_history_in_an_aside_dates_nothing() -> None:
    text = (
        "By this week, only four Su-34s remained at Hmeimim. The Su-24s, ageing bombers "
        "that were the backbone of the air campaign in 2015, have not been seen on imagery "
        "since mid-December."
    )
    assert of(text, "2025-01-10", "Su-24s") == [("departing", D(2024, 12, 11), D(2025, 1, 10))]


def test_the_account_s_day_goes_on_after_the_earlier_one() -> None:
    text = (
        "1/ Fresh look at Hmeimim. New imagery from yesterday (27 Jan), compared with our "
        "last pass on 12 Jan. 1/8\n\n2/ Hmeimim, main apron: 3 Su-34 still parked. The 4 "
        "Su-24M we saw on 12 Jan are gone – the western revetments are empty.\n\n3/ The "
        "Il-20 ELINT aircraft is still there, next to a single An-26."
    )
    assert of(text, "2025-01-28", "Il-20") == [("stationed", D(2025, 1, 27), D(2025, 1, 27))]


@pytest.mark.parametrize(
    ("published", "text", "noun", "expected"),
    [
        (
            # a sighting after a verb of presence is the clause's own, not an earlier day
            "2025-02-17",
            "At Tartus, what remains is the workshop PM-138 and a harbour tug, both visible "
            "at the northern pier on Saturday.",
            "tug",
            [("stationed", D(2025, 2, 15), D(2025, 2, 15))],
        ),
        (
            # a clause of another subject after the comma is no aside of this noun
            "2024-12-14",
            "Вчера на Хмеймим сели ещё два Ил-76 и один Ан-124, сегодня утром «Руслан» ушёл "
            "обратно.",
            "Ан-124",
            [("arriving", D(2024, 12, 13), D(2024, 12, 13))],
        ),
        (
            # an earlier state told without a day of its own makes no second claim
            "2025-01-10",
            "At Tartus the picture is murkier. The frigates and the submarine that were based "
            "there left the harbour in mid-December, and most have since sailed home.",
            "frigates",
            [("departing", D(2024, 12, 11), D(2024, 12, 20))],
        ),
    ],
)
def test_what_is_not_an_earlier_state(
    published: str, text: str, noun: str, expected: list[Dated]
) -> None:
    assert of(text, published, noun) == expected
