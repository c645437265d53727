"""Constructions of real reports, in sentences written for these tests."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from basewatch.corroborate.claims import Claim, extract_claims
from basewatch.corroborate.dates import foreign_date_re, resolve_foreign_date
from basewatch.corroborate.lexicon import (
    LANGUAGES,
    LexiconError,
    load_lexicon,
    merged_lexicon,
)
from basewatch.corroborate.reports import parse_report
from basewatch.errors import BasewatchError


def claims_of(text: str, published: str = "2024-12-20") -> tuple[Claim, ...]:
    return extract_claims(parse_report(text, published=published))


def test_site_and_imagery_date_carry_over_a_one_word_line() -> None:
    got = claims_of(
        "Pictures taken on Tuesday show the runway of Hmeimim.\nBlackSky.\n"
        "Two Il-76s are parked beside it."
    )
    assert [(c.site, c.equipment, c.count, c.action) for c in got] == [
        ("hmeimim", "il-76", 2, "stationed")
    ]
    assert got[0].date_from == got[0].date_to == dt.date(2024, 12, 17)
    assert got[0].site_inherited


def test_each_item_of_a_list_keeps_its_own_count() -> None:
    got = claims_of("At Hmeimim the imagery shows four An-26s and one Yak-42 on the apron.")
    assert [(c.equipment, c.count, c.count_qualifier) for c in got] == [
        ("an-26", 4, "exact"),
        ("aircraft", 1, "exact"),
    ]


def test_a_named_ship_is_one_vessel_of_its_class() -> None:
    got = claims_of("The frigate Admiral Grigorovich left Tartus on Monday.")
    assert [(c.equipment, c.count, c.action, c.site) for c in got] == [
        ("frigate", 1, "departing", "tartus")
    ]


def test_an_absence_is_a_departure_up_to_publication() -> None:
    got = claims_of("Since 12 December no Russian warships were seen in tartus.")
    assert len(got) == 1
    c = got[0]
    assert (c.equipment, c.action, c.absence, c.site) == ("warship", "departing", True, "tartus")
    assert (c.date_from, c.date_to) == (dt.date(2024, 12, 12), dt.date(2024, 12, 20))


@pytest.mark.parametrize(
    "text",
    [
        "Moscow has no plans to pull its frigates out of Tartus.",
        "Officials denied that An-124s were loaded at Hmeimim.",
    ],
)
def test_negation_makes_no_positive_claim(text: str) -> None:
    # the denial is kept as a claim of modality "denied", never as a positive one
    got = claims_of(text)
    assert all(c.modality == "denied" and not c.absence for c in got)


def test_denied_claims_are_not_held_to_imagery() -> None:
    from basewatch.corroborate.link import UNJUDGED_MODALITIES

    got = claims_of("No Russian auxiliary ships have docked at Tartus to load cargo.")
    assert [c.modality for c in got] == ["denied"] and "denied" in UNJUDGED_MODALITIES


def test_a_plan_is_kept_as_expected_and_undated() -> None:
    got = claims_of("Images of Friday show the port of Tartus. A tanker could leave it soon.")
    assert [(c.equipment, c.action, c.modality) for c in got] == [
        ("vessel", "departing", "expected")
    ]
    assert got[0].date_from is None


@pytest.mark.parametrize(
    "text",
    [
        "On 5 May 2024 two frigates left Tartus.",
        "In May 2024 two frigates left Tartus.",
        "Two frigates left Tartus on May 5, 2024.",
        "Since early May two frigates have left Tartus.",
    ],
)
def test_the_month_may_is_no_hedge(text: str) -> None:
    """The English lexicon's hedge "may" matched the month, so a claim dated in May was
    kept as expected and never judged against imagery."""
    (got,) = claims_of(text)
    assert (got.equipment, got.count, got.action, got.modality) == (
        "frigate",
        2,
        "departing",
        "observed",
    ), text
    assert got.date_from is None or got.date_from.month == 5


def test_the_hedge_may_is_still_a_hedge() -> None:
    (got,) = claims_of("Two frigates may leave Tartus in May.")
    assert got.modality == "expected"
    (up,) = claims_of("May 2024: two frigates may leave Tartus.")
    assert up.modality == "expected"


def test_two_days_are_dates_not_a_count() -> None:
    got = claims_of("On December 11 and 12, three frigates were anchored off Tartus.")
    assert [(c.count, c.date_from, c.date_to) for c in got] == [
        (3, dt.date(2024, 12, 11), dt.date(2024, 12, 12))
    ]


def test_a_site_by_description() -> None:
    got = claims_of("A cargo plane took off from the Russian air base in Latakia on Sunday.")
    assert [(c.site, c.equipment, c.action) for c in got] == [
        ("hmeimim", "cargo-aircraft", "departing")
    ]


def test_arabic_dual_and_spanish_plural() -> None:
    got = claims_of("وغادرت فرقاطتان ميناء طرطوس يوم 14 ديسمبر.")
    assert [(c.equipment, c.count, c.action, c.date_from) for c in got] == [
        ("frigate", 2, "departing", dt.date(2024, 12, 14))
    ]
    got = claims_of("Las imágenes del 15 de diciembre muestran tres helicópteros en Hmeimim.")
    assert [(c.equipment, c.count, c.date_from) for c in got] == [
        ("helicopter", 3, dt.date(2024, 12, 15))
    ]


def test_foreign_dates_resolve_with_the_lexicon_months() -> None:
    rx = foreign_date_re(merged_lexicon().months)
    m = rx.search("am 3. Dezember wurden")
    assert m is not None and m.group("day") == "3"
    assert resolve_foreign_date(m.group(), 12, 3, None, dt.date(2025, 1, 4)) == (
        dt.date(2024, 12, 3),
        dt.date(2024, 12, 3),
    )
    assert resolve_foreign_date("31 febrero", 2, 31, None, dt.date(2025, 1, 4)) is None
    assert resolve_foreign_date("3 décembre", 12, 3, None, None) is None


def test_every_lexicon_loads_and_an_unknown_language_is_a_clear_error() -> None:
    for code in LANGUAGES:
        lex = load_lexicon(code)
        assert lex.languages == (code,)
    assert merged_lexicon().numbers["two"] == 2
    # every language but Korean names "since then" and "the same images" in its file, and
    # every pattern of those sections is a regular expression
    merged = merged_lexicon()
    for code in set(LANGUAGES) - {"en", "ko"}:
        lex = load_lexicon(code)
        assert lex.since_then and lex.same_images and lex.merchant, code
    for section in ("imagery", "same_images", "same_day", "since_then", "merchant"):
        for pattern in getattr(merged, section):
            re.compile(pattern)
    assert merged.at_least_plurals["dutzende"] == 24
    with pytest.raises(LexiconError, match="no lexicon for language 'xx'") as err:
        load_lexicon("xx")
    assert isinstance(err.value, BasewatchError) and isinstance(err.value, ValueError)


def test_partitive_with_its_own_action_is_a_claim_of_its_own() -> None:
    got = claims_of(
        "A pass over Hmeimim on Monday shows five Il-76s - one of which is being loaded - "
        "and a Tu-154 parked on the apron. Two An-124s, one being unloaded, sat nearby."
    )
    summary = {(c.equipment, c.count, c.action) for c in got}
    assert ("il-76", 5, "stationed") in summary and ("il-76", 1, "loading") in summary
    assert ("an-124", 2, "stationed") in summary and ("an-124", 1, "unloading") in summary
    assert all(c.date_from == dt.date(2024, 12, 16) for c in got if c.equipment == "il-76")


def test_list_without_a_verb_takes_the_verb_of_its_last_item() -> None:
    got = claims_of(
        "Analysts counted three An-26s, one Yak-42, and two S-400 launchers at Hmeimim on Saturday."
    )
    assert [(c.equipment, c.count) for c in got] == [("an-26", 3), ("aircraft", 1), ("s-400", 2)]
    assert {c.date_from for c in got} == {dt.date(2024, 12, 14)}


@pytest.mark.parametrize(
    ("text", "count", "qualifier"),
    [
        ("Dozens of military trucks are staged at Tartus.", 24, "at_least"),
        ("A number of Su-24 and Su-34 jets are parked at Hmeimim.", None, "several"),
        ("One of the An-26s at Hmeimim is now gone.", 1, "exact"),
    ],
)
def test_vague_and_partitive_counts(text: str, count: int | None, qualifier: str) -> None:
    got = claims_of(text)
    assert got and all((c.count, c.count_qualifier) == (count, qualifier) for c in got)


def test_cargo_is_no_claim_and_since_runs_to_publication() -> None:
    got = claims_of(
        "An Il-76 loaded with armoured vehicles sat at Hmeimim. Tartus has been unchanged "
        "since our pictures of December 9, with two corvettes still moored at the pier."
    )
    assert [c.equipment for c in got] == ["il-76", "corvette"]
    assert (got[1].date_from, got[1].date_to) == (dt.date(2024, 12, 9), dt.date(2024, 12, 20))


def test_weekday_in_another_language_is_dated_by_publication() -> None:
    # "satellite images on Friday showed two An-124s at Hmeimim" (Arabic, own words)
    got = claims_of("أظهرت صور الأقمار الاصطناعية يوم الجمعة طائرتين من طراز إن-124 في حميميم.")
    assert got and got[0].count == 2 and got[0].date_from == dt.date(2024, 12, 20)
