"""Days the extractor reads since session 39: a day and month written with digits and
no year ("23.12."), a post labelled with a site and its day ("2/ Hmeimim, 8 Jan:"), a
look back to an earlier day under a heading, the other day of a contrast, a state "ever
since", and imagery called a frame. Each case is a sentence written for these tests with
the dates a careful reader gives; none comes from a set of
``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.dates import DATE_RE, resolve_date
from claim_facts import claims_of, facts

D = dt.date


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Тартус, 22.12. У причала стоит транспорт.", (D(2024, 12, 22), D(2024, 12, 22))),
        ("Zdjęcia z 5.01. pokazują pusty pas.", (D(2025, 1, 5), D(2025, 1, 5))),
        # the year is the latest that is not after publication by over a month
        ("Снимок от 30.12. и более ничего.", (D(2024, 12, 30), D(2024, 12, 30))),
    ],
)
def test_a_day_and_month_in_digits_with_its_dot_is_a_day(
    text: str, want: tuple[dt.date, dt.date]
) -> None:
    m = next(DATE_RE.finditer(text))
    assert resolve_date(m, D(2025, 1, 10)) == want


@pytest.mark.parametrize(
    "text",
    [
        "Um 14.05 Uhr meldete die Agentur nichts Neues.",  # a time of day
        "Punkt 3.2. der Vereinbarung bleibt offen.",  # a clause's number
        "Die Kosten stiegen um 12.5 Prozent.",
    ],
)
def test_times_and_numbers_with_dots_are_no_day(text: str) -> None:
    assert all(resolve_date(m, D(2025, 1, 10)) is None for m in DATE_RE.finditer(text))


def test_a_russian_post_labelled_with_its_day_dates_what_it_lists() -> None:
    text = (
        "1. Хмеймим, 23.12. На стоянке два Ан-124 с открытыми рампами.\n\n"
        "2. На площадке видны три Ми-8, а 10 декабря их было семь.\n\n"
        "3. Из истребителей на стоянке остались четыре Су-35."
    )
    got = {(c.equipment, c.count): (c.date_from, c.date_to) for c in claims_of(text, "2024-12-24")}
    day = (D(2024, 12, 23), D(2024, 12, 23))
    assert got[("an-124", 2)] == day
    # the other day of the contrast dates the seven, not the three seen now
    assert got[("mi-8", 3)] == day
    # the look back to 10 December leaves the heading's day to what follows it
    assert got[("su-35", 4)] == day


def test_a_thread_post_labelled_with_a_site_and_day_is_the_same_pass_later() -> None:
    text = (
        "1/ New passes over Hmeimim and Tartus from 3-5 February. Notes below.\n\n"
        "2/ Hmeimim, 5 Feb: two Il-76 on the northern apron. On 28 Jan there were five.\n\n"
        "3/ Same pass: one An-124 on the main apron with its nose open."
    )
    got = {c.equipment: (c.date_from, c.date_to) for c in claims_of(text, "2025-02-06")}
    assert got["an-124"] == (D(2025, 2, 5), D(2025, 2, 5))


def test_a_frame_of_a_day_dates_the_observations_after_it() -> None:
    text = (
        "Over at Tartus (frame from 3 Feb): the floating pier is empty. "
        "Two corvettes are still at anchor off the breakwater."
    )
    got = {c.equipment: (c.date_from, c.date_to) for c in claims_of(text, "2025-02-04")}
    assert got["corvette"] == (D(2025, 2, 3), D(2025, 2, 3))


def test_the_other_day_of_a_contrast_is_not_the_clause_day() -> None:
    text = "Only two Su-34s are visible at Hmeimim, whereas on 2 January there were six."
    (su34,) = [c for c in claims_of(text, "2025-01-20") if c.count == 2]
    assert su34.date_from is None


def test_a_state_ever_since_lasts_to_publication() -> None:
    text = (
        "The landing ship Ivan Gren docked at Tartus on 12 January "
        "and has been loading vehicles ever since."
    )
    assert ("tartus", "landing-ship", "loading", D(2025, 1, 12), D(2025, 1, 20)) in facts(
        claims_of(text, "2025-01-20")
    )


def test_containers_are_cargo_not_objects() -> None:
    text = "Cranes at Tartus lifted containers onto the cargo ship Sparta IV on Monday."
    assert [c.equipment for c in claims_of(text, "2025-01-20")] == ["vessel"]


def test_a_day_abbreviated_with_a_stop_does_not_end_the_predicate() -> None:
    text = (
        "Two corvettes sailed out of Tartus on Jan. 4 and have since been anchored "
        "about 6 km offshore."
    )
    got = facts(claims_of(text, "2025-01-09"))
    assert ("tartus", "corvette", "departing", D(2025, 1, 4), D(2025, 1, 4)) in got
    assert ("tartus", "corvette", "stationed", D(2025, 1, 4), D(2025, 1, 9)) in got


def test_photographs_of_a_day_are_a_pass_of_imagery() -> None:
    # the Greek word for photographs names the pictures whose day the account keeps
    text = (
        "Οι φωτογραφίες τραβήχτηκαν την Παρασκευή (13/12) και δείχνουν τουλάχιστον δύο "
        "Antonov AN-124 με τους κώνους της μύτης τους ανοιχτούς στη βάση Χμεϊμίμ. "
        "Η αεροπορική βάση Χμεϊμίμ βρίσκεται στην επαρχία της Λαττάκειας. "
        "Στη βάση σταθμεύουν επίσης δύο μεταγωγικά Il-76."
    )
    got = [(c.equipment, c.date_from) for c in claims_of(text, "2024-12-14")]
    assert ("il-76", D(2024, 12, 13)) in got


@pytest.mark.parametrize(
    "text",
    [
        "Les deux frégates qui ont quitté Tartous lundi sont maintenant au mouillage au large.",
        "Las dos fragatas que zarparon de Tartus el lunes están ahora fondeadas frente a la costa.",
    ],
)
def test_a_relative_clause_with_its_own_day_before_the_main_auxiliary(text: str) -> None:
    # the day told inside the relative clause is its event's, not the state's after it
    got = {(c.action, c.date_from) for c in claims_of(text, "2025-01-22")}
    assert ("departing", D(2025, 1, 20)) in got
    assert ("stationed", D(2025, 1, 20)) not in got
