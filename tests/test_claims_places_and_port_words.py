"""Session 36's claims rules. A town named right after a monitored site locates the
site: the claim is the site's, whatever preposition the site itself has ("on the apron
of Russia's Hmeimim air base near Jableh"). A part of a site is at the site ("at the
east pier of the port of Beirut"). A whole month in another language dates a claim to
that month ("в декабре", "w grudniu", "im Dezember"), and a German day keeps its year
("am 25. September 2017"). A word of a port's trade ("container
terminal", "container ship") is no equipment of its own. Each case is a sentence
written for these tests with the claims a careful reader lists; none comes from a set
of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

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


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "On 3 October 2017 five warships were moored at the east pier of the port of Beirut.",
            [("warship", "beirut-port", "berth")],
        ),
        (
            "On 2 October 2017 four ships were anchored in the harbour basin of the port of "
            "Beirut.",
            [("vessel", "beirut-port", "harbour")],
        ),
        (
            "Two Il-76 stood on the apron of Hmeimim air base on Friday.",
            [("il-76", "hmeimim", "apron")],
        ),
        # a person "of" a site is not where the aircraft are
        ("The commander of Hmeimim said two Il-76 left.", []),
    ],
)
def test_a_part_of_a_site_is_at_the_site(text: str, want: list[tuple[str, str, str]]) -> None:
    got = claims_of(text, "2017-10-05")
    assert [(c.equipment, c.site, c.zone_kind) for c in got] == want


D = dt.date
DECEMBER_2024 = (D(2024, 12, 1), D(2024, 12, 31))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("В декабре фрегат покинул Тартус.", DECEMBER_2024),
        ("У грудні фрегат залишив Тартус.", DECEMBER_2024),
        ("W grudniu fregata opuściła Tartus.", DECEMBER_2024),
        ("Im Dezember hat eine Fregatte den Hafen von Tartus verlassen.", DECEMBER_2024),
        ("En décembre, une frégate a quitté le port de Tartous.", DECEMBER_2024),
        ("En diciembre de 2024 una fragata abandonó Tartus.", DECEMBER_2024),
        ("În decembrie, o fregată a plecat din Tartus.", DECEMBER_2024),
        ("Τον Δεκέμβριο η φρεγάτα έφυγε από την Ταρτούς.", DECEMBER_2024),
        ("في ديسمبر غادرت الفرقاطة طرطوس.", DECEMBER_2024),
        # a month told with its year, the year kept; a dotted German day is a day
        (
            "Im Dezember 2023 hat eine Fregatte den Hafen von Tartus verlassen.",
            (D(2023, 12, 1), D(2023, 12, 31)),
        ),
        (
            "Am 25. September 2024 ist ein Frachtschiff im Hafen von Tartus eingelaufen.",
            (D(2024, 9, 25), D(2024, 9, 25)),
        ),
        # "seit dem 5. Januar": from that day to the publication, not the month
        (
            "Die Su-34 sind seit dem 5. Januar nicht mehr in Hmeimim zu sehen.",
            (D(2025, 1, 5), D(2025, 1, 20)),
        ),
    ],
)
def test_a_month_in_other_languages_dates_its_claim(
    text: str, want: tuple[dt.date, dt.date]
) -> None:
    (claim,) = claims_of(text, "2025-01-20")
    assert (claim.date_from, claim.date_to) == want


def test_a_dateline_s_day_is_no_month_and_romanian_mai_no_may() -> None:
    """A wire's dateline ("BEYROUTH, 16 décembre 2024 (...) -") is the day it was filed,
    never the month; Romanian "în mai multe" is "in several", not "in May"."""
    (filed,) = claims_of(
        "BEYROUTH, 16 décembre 2024 (Agence) - La Russie a commencé à démonter des "
        "hélicoptères sur sa base aérienne de Hmeimim.",
        "2024-12-16",
    )
    assert filed.date_from is None
    (romanian,) = claims_of(
        "O fregată a plecat din Tartus, potrivit mai multor surse, în mai multe rânduri.",
        "2025-01-20",
    )
    assert romanian.date_from is None


@pytest.mark.parametrize(
    "text",
    [
        "Ein Kriegsschiff hat den Hafen von Tartus zwischen August 2015 und Oktober 2016 "
        "verlassen.",
        "Un navire de guerre a quitté le port de Tartous entre août 2015 et octobre 2016.",
        "Un buque de guerra abandonó Tartus entre agosto de 2015 y octubre de 2016.",
    ],
)
def test_two_months_between_words_are_one_range(text: str) -> None:
    (claim,) = claims_of(text, "2017-10-05")
    assert (claim.date_from, claim.date_to) == (D(2015, 8, 1), D(2016, 10, 31))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Le 25 septembre 2017, un cargo est arrivé au port de Beyrouth.",
            ("vessel", "beirut-port", D(2017, 9, 25)),
        ),
        (
            "Deux avions de ligne étaient stationnés sur le tarmac de l'aéroport de Beyrouth "
            "le 20 août 2015.",
            ("airliner", "beirut-airport", D(2015, 8, 20)),
        ),
        (
            "Am 25. September 2017 ist ein Frachtschiff im Hafen von Beirut eingelaufen.",
            ("vessel", "beirut-port", D(2017, 9, 25)),
        ),
        (
            "Zwei Verkehrsflugzeuge standen am 20. August 2015 auf dem Vorfeld des "
            "Flughafens Beirut.",
            ("airliner", "beirut-airport", D(2015, 8, 20)),
        ),
    ],
)
def test_the_bundled_sites_in_french_and_german(text: str, want: tuple[str, str, dt.date]) -> None:
    """The sample's sites by their French and German names, and airliners in words of
    those languages (a new user's reports on the bundled Beirut pair found none)."""
    (claim,) = claims_of(text, "2017-10-05")
    assert (claim.equipment, claim.site, claim.date_from) == want


@pytest.mark.parametrize(
    "text",
    [
        "A ship that was anchored in the harbour basin of Beirut port on 20 August 2015 "
        "has left since then.",
        "A ship, which was anchored in the harbour basin of Beirut port on 20 August 2015, "
        "has since left the port.",
    ],
)
def test_a_move_since_the_aside_s_day_runs_from_it_to_the_publication(text: str) -> None:
    """The aside's day is of the ship's stay; "since then" dates the leaving from it to
    the publication (it had no date, and was judged on the publication's days)."""
    got = {c.action: (c.date_from, c.date_to) for c in claims_of(text, "2017-10-05")}
    assert got == {
        "stationed": (D(2015, 8, 20), D(2015, 8, 20)),
        "departing": (D(2015, 8, 20), D(2017, 10, 5)),
    }
