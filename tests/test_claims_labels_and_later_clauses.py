"""Session 41's third round of claim rules: a later clause whose objects do another
thing dates nothing before it, a post labelled "same date" is of the pass told before,
"whose" opens the later noun's own attribute, and verbs of five languages ("take off",
"убраны", "أزيلت", "l'a rejoint", "ha entrado esta tarde en la base")."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.claims import Claim, extract_claims
from basewatch.corroborate.reports import parse_report

D = dt.date


def claims_of(text: str, published: str) -> tuple[Claim, ...]:
    return extract_claims(parse_report(text, published=published))


def facts(text: str, published: str) -> list[tuple[str, str, str, dt.date | None]]:
    return sorted((c.site, c.equipment, c.action, c.date_from) for c in claims_of(text, published))


def test_a_later_clause_of_other_objects_doing_another_thing_dates_nothing_before() -> None:
    text = (
        "At Hmeimim, the Ka-52s are no longer on the pad, and two Il-76 transports landed at "
        "the base between 22 and 27 December, two Western officials said."
    )
    dated = {e: d for _, e, _, d in facts(text, "2025-01-31")}
    assert dated == {"ka-52": None, "il-76": D(2024, 12, 22)}
    # a list that goes on with the same verb still shares its day
    listed = "At Hmeimim two Il-76 were parked, and a Yak-40 was parked there on Sunday."
    assert {d for *_, d in facts(listed, "2024-12-17")} == {D(2024, 12, 15)}


@pytest.mark.parametrize("label", ["Hmeimim, same date:", "Hmeimim for comparison (same day):"])
def test_a_post_labelled_same_date_is_of_the_pass_told_before(label: str) -> None:
    text = (
        "1/ New imagery of Tartus from 8 January. Thread on what has changed at the Russian "
        "naval facility since late December.\n\n2/ The two frigates are still anchored "
        f"offshore, roughly 6 km west of the port.\n\n7/ {label} two Il-76 on the apron, one "
        "Pantsir system being dismantled near the northern gate."
    )
    assert {d for s, *_, d in facts(text, "2025-01-09") if s == "hmeimim"} == {D(2025, 1, 8)}


def test_whose_opens_the_later_noun_s_attribute() -> None:
    text = (
        "A commercial satellite image of Hmeimim taken this morning shows an Il-76 parked next "
        "to an An-124 whose nose cone is raised."
    )
    today = D(2024, 12, 18)
    assert facts(text, "2024-12-18") == [
        ("hmeimim", "an-124", "loading", today),
        ("hmeimim", "il-76", "stationed", today),
    ]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "From a hill near Hmeimim we watched an Antonov An-124 take off this morning.",
            "2025-01-09",
            ("hmeimim", "an-124", "departing"),
        ),
        (
            "Пусковые установки С-400 с северной окраины авиабазы Хмеймим уже убраны.",
            "2025-01-09",
            ("hmeimim", "s-400", "departing"),
        ),
        (
            "ونقل عن شهود عيان أن منظومة دفاع جوي من طراز بانتسير أزيلت صباح الأحد من موقعها "
            "عند المدخل الشمالي لقاعدة حميميم.",
            "2025-01-09",
            ("hmeimim", "air-defence", "departing"),
        ),
        (
            "Le cargo Sparta IV est arrivé à Tartous le 9 janvier ; le navire de débarquement "
            "Ivan Gren l'a rejoint mardi.",
            "2025-01-09",
            ("tartus", "landing-ship", "arriving"),
        ),
        (
            "19:05 – Un convoy militar ruso ha entrado esta tarde en la base de Hmeimim por la "
            "puerta norte.",
            "2025-01-09",
            ("hmeimim", "convoy", "arriving"),
        ),
    ],
)
def test_verbs_of_five_languages(text: str, published: str, expected: tuple[str, str, str]) -> None:
    assert expected in [(s, e, a) for s, e, a, _ in facts(text, published)]
