"""News constructions the claim extractor reads (found in session 28's development
sets, `tests/data/claims_multilingual/dev3` and `dev5`): each in a sentence written for
these tests, with the claim a careful reader lists."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.claims import extract_claims
from basewatch.corroborate.dates import (
    BARE_DAY_RE,
    MONTH_PART_RE,
    resolve_bare_day,
    resolve_month_part,
)
from basewatch.corroborate.reports import parse_report
from claim_facts import claims_of, facts

D = dt.date


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Satellite images of Hmeimim taken on 18 January show five Su-35 fighters. "
            "No Su-24s were visible.",
            ("hmeimim", "su-24", "departing", D(2025, 1, 18), D(2025, 1, 18)),
        ),
        (
            "Imagery of Tartus collected on 19 January: one corvette is moored at the "
            "southern pier, and the submarine Novorossiysk is not present.",
            ("tartus", "submarine", "departing", D(2025, 1, 19), D(2025, 1, 19)),
        ),
        (
            "Imagery of Tartus from 17 January shows the frigate has left. The Kilo-class "
            "submarine Novorossiysk is likewise missing from the inner harbour.",
            ("tartus", "submarine", "departing", D(2025, 1, 17), D(2025, 1, 17)),
        ),
    ],
)
def test_an_absence_told_without_a_departure_verb_is_a_departure(
    text: str, want: tuple[object, ...]
) -> None:
    assert want in facts(claims_of(text, "2025-01-20"))


def test_a_ship_that_slipped_out_departed() -> None:
    got = claims_of(
        "At Tartus the frigate Admiral Essen slipped out of the port on Sunday.", "2025-01-20"
    )
    assert facts(got) == [("tartus", "frigate", "departing", D(2025, 1, 19), D(2025, 1, 19))]


def test_a_state_put_in_the_past_is_not_the_action() -> None:
    # "previously positioned" tells where the launchers stood; the claim is their removal
    got = claims_of(
        "Hmeimim, 15 January: the S-400 launchers previously positioned at the southern end "
        "of the airfield have been removed.",
        "2025-01-20",
    )
    assert [(c.equipment, c.action) for c in got] == [("s-400", "departing")]


def test_the_place_pictures_are_of_is_where_they_show_it() -> None:
    got = claims_of("Images of Tartus show the frigate has left.", "2025-01-20")
    assert [(c.site, c.equipment, c.action) for c in got] == [("tartus", "frigate", "departing")]


def test_the_base_after_a_town_is_the_air_base_of_the_account() -> None:
    got = claims_of(
        "Long columns of Russian armoured vehicles were seen on Friday driving towards Hmeimim "
        "air base. The convoys had set off from positions near Homs. Footage filmed on Friday "
        "shows more than 20 armoured vehicles entering the base through its northern gate.",
        "2024-12-14",
    )
    vehicles = [c for c in got if c.equipment == "military-vehicle"]
    assert [(c.site, c.count, c.count_qualifier, c.action) for c in vehicles] == [
        ("hmeimim", 20, "more_than", "arriving")
    ]


def test_the_port_after_an_air_base_sentence_is_the_port_of_the_account() -> None:
    got = claims_of(
        "Footage shows a column of Russian armoured vehicles driving towards Tartus. The convoy "
        "had set out from the Hmeimim air base that morning. At the port itself, pictures taken "
        "on Tuesday show two landing ships moored at the Russian pier with their bow doors open.",
        "2024-12-18",
    )
    ships = [c for c in got if c.equipment == "landing-ship"]
    assert [(c.site, c.count, c.action, c.date_from) for c in ships] == [
        ("tartus", 2, "loading", D(2024, 12, 17))
    ]


def test_later_that_afternoon_is_the_day_before_it() -> None:
    got = claims_of(
        "Footage filmed by our crew at Hmeimim on Friday shows more than 20 armoured vehicles "
        "entering the base. Later that afternoon, two Mi-24 helicopters landed at the base, "
        "our crew said.",
        "2024-12-14",
    )
    assert ("hmeimim", "mi-24", "arriving", D(2024, 12, 13), D(2024, 12, 13)) in facts(got)


@pytest.mark.parametrize(
    "entry",
    [
        "14:02 Two Mi-8 helicopters landed at Hmeimim in the past hour.",
        "+++ 16.20 Uhr: Auf dem Stützpunkt Hmeimim sind zwei Mi-8 gelandet.",
    ],
)
def test_a_live_blog_entry_is_dated_the_day_it_is_posted(entry: str) -> None:
    assert facts(claims_of(entry, "2024-12-17")) == [
        ("hmeimim", "mi-8", "arriving", D(2024, 12, 17), D(2024, 12, 17))
    ]


def test_a_heading_of_a_place_and_a_date_dates_the_caption_after_it() -> None:
    got = claims_of(
        "1. Hmeimim air base, 28 January 2025. Two An-124 transports stand on the main apron.",
        "2025-01-30",
    )
    assert facts(got) == [("hmeimim", "an-124", "stationed", D(2025, 1, 28), D(2025, 1, 28))]


@pytest.mark.parametrize(
    ("when", "first", "last"),
    [
        ("in early January", D(2025, 1, 1), D(2025, 1, 10)),
        ("in mid-December", D(2024, 12, 11), D(2024, 12, 20)),
        ("in late December", D(2024, 12, 21), D(2024, 12, 31)),
        ("in the second half of December", D(2024, 12, 16), D(2024, 12, 31)),
        ("in January", D(2025, 1, 1), D(2025, 1, 15)),  # no later than the report
        ("on the 27th", D(2024, 12, 27), D(2024, 12, 27)),
        ("on the 3rd", D(2025, 1, 3), D(2025, 1, 3)),
    ],
)
def test_a_month_without_its_year_and_a_day_without_its_month(
    when: str, first: dt.date, last: dt.date
) -> None:
    got = claims_of(f"Four Su-34s were parked at Hmeimim {when}.", "2025-01-15")
    assert [(c.equipment, c.date_from, c.date_to) for c in got] == [("su-34", first, last)]


def test_a_part_of_a_month_dates_no_later_sentence() -> None:
    # the fall of the government "in early December" is background, not the pictures' date
    got = claims_of(
        "Russia began to leave after the fall of the government in early December. Earlier "
        "satellite images showed dozens of military vehicles parked at Tartus.",
        "2025-01-15",
    )
    assert [(c.equipment, c.date_from) for c in got] == [("military-vehicle", None)]


def test_month_parts_and_bare_days_resolve_before_the_report() -> None:
    ref = D(2025, 1, 2)
    m = MONTH_PART_RE.search("seen in mid-December")
    assert m is not None and resolve_month_part(m, ref) == (D(2024, 12, 11), D(2024, 12, 20))
    m = MONTH_PART_RE.search("seen in March")
    assert m is not None and resolve_month_part(m, ref) == (D(2024, 3, 1), D(2024, 3, 31))
    assert MONTH_PART_RE.search("seen on 14 December 2024") is None
    assert BARE_DAY_RE.search("on the 27th of December") is None
    assert resolve_bare_day(27, ref) == (D(2024, 12, 27), D(2024, 12, 27))
    assert resolve_bare_day(2, ref) == (D(2025, 1, 2), D(2025, 1, 2))
    assert resolve_bare_day(31, D(2025, 3, 5)) is None  # February has none, March's is later


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "На изображениях от 16 декабря на авиабазе Хмеймим видны не менее трёх частично "
            "разобранных зенитных ракетных комплексов.",
            ("hmeimim", "air-defence", "dismantling", D(2024, 12, 16), D(2024, 12, 16)),
        ),
        (
            "Des images prises lundi montrent que la frégate Amiral Grigorovitch ne sont plus à "
            "quai dans le port de Tartous.",
            ("tartus", "frigate", "departing", D(2024, 12, 16), D(2024, 12, 16)),
        ),
        (
            "Junto a la pista de Jmeimim se observan el lunes dos aviones de transporte Il-76 con "
            "las rampas traseras abiertas.",
            ("hmeimim", "il-76", "loading", D(2024, 12, 16), D(2024, 12, 16)),
        ),
    ],
)
def test_other_languages(text: str, want: tuple[object, ...]) -> None:
    # "не менее трёх" is "at least three", not a negation
    assert want in facts(claims_of(text, "2024-12-17"))


def test_a_relative_clause_tells_the_past_not_the_clause_action() -> None:
    got = claims_of(
        "6/ The frigate that left the port of Tartus earlier is still anchored a few km off "
        "Tartus on this pass.",
        "2025-01-08",
    )
    assert [(c.site, c.equipment, c.action) for c in got] == [("tartus", "frigate", "stationed")]


def test_aircraft_flown_out_of_a_base_departed_it() -> None:
    got = claims_of(
        "BEIRUT, Dec 14 (Levant Wire) - Russia flew at least four Il-76 transport aircraft out "
        "of its Hmeimim air base in western Syria on Friday.",
        "2024-12-14",
    )
    assert [
        (c.site, c.equipment, c.count, c.count_qualifier, c.action, c.date_from) for c in got
    ] == [("hmeimim", "il-76", 4, "at_least", "departing", D(2024, 12, 13))]


def test_a_thread_number_is_no_count() -> None:
    got = claims_of("3/ Pantsiry przy pasie startowym w Hmejmim zniknęły.", "2025-01-10")
    assert [(c.equipment, c.count, c.count_qualifier, c.action) for c in got] == [
        ("air-defence", None, "plural", "departing")
    ]


@pytest.mark.parametrize(
    ("published", "text", "want"),
    [
        # the source speaks from Jableh; the aircraft left Hmeimim (a foreign dateline is
        # the filing day; "أمس" dates the departure)
        (
            "2024-12-12",
            "دمشق - 12 كانون الأول/ديسمبر (وكالة المشرق) - أفادت مصادر محلية في مدينة جبلة بأن "
            "طائرات شحن من طراز إليوشن-76 أقلعت أمس الأربعاء من قاعدة حميميم الجوية.",
            [("hmeimim", "il-76", "departing", D(2024, 12, 11), D(2024, 12, 11))],
        ),
        # the Arabic comma opens the clause of the official silence: the departure is no denial
        (
            "2024-12-12",
            "وفي طرطوس، غادرت سفن حربية روسية الميناء يوم الثلاثاء، في حين لم يصدر أي تعليق "
            "رسمي من وزارة الدفاع الروسية.",
            [("tartus", "warship", "departing", D(2024, 12, 10), D(2024, 12, 10))],
        ),
        (
            "2024-12-12",
            "Beyrouth, 12 déc 2024 (Agence Méditerranée) - La Russie a retiré trois "
            "hélicoptères de Hmeimim mardi.",
            [("hmeimim", "helicopter", "withdrawing", D(2024, 12, 10), D(2024, 12, 10))],
        ),
        (
            "2024-12-12",
            "En la base aérea de Hmeimim, cerca de Latakia, las imágenes del martes muestran un "
            "avión de transporte An-124 con la rampa delantera abierta.",
            [("hmeimim", "an-124", "loading", D(2024, 12, 10), D(2024, 12, 10))],
        ),
        (
            "2024-12-12",
            "Τρία ρωσικά πολεμικά πλοία απέπλευσαν το Σάββατο από τη ναυτική βάση της Ταρτούς "
            "και αγκυροβόλησαν ανοιχτά.",
            [
                ("tartus", "warship", "departing", D(2024, 12, 7), D(2024, 12, 7)),
                ("tartus", "warship", "stationed", D(2024, 12, 7), D(2024, 12, 7)),
            ],
        ),
        (
            "2024-12-12",
            "La frégate a quitté Tartus dimanche et a mouillé au large.",
            [
                ("tartus", "frigate", "departing", D(2024, 12, 8), D(2024, 12, 8)),
                ("tartus", "frigate", "stationed", D(2024, 12, 8), D(2024, 12, 8)),
            ],
        ),
        (
            "2024-12-12",
            "Fregata Amiral Grigorovici a revenit vineri în portul Tartus.",
            [("tartus", "frigate", "arriving", D(2024, 12, 6), D(2024, 12, 6))],
        ),
        (
            "2024-12-12",
            "Οι δορυφορικές εικόνες της Τετάρτης δείχνουν στη βάση Χμεϊμίμ ένα αναγνωριστικό "
            "Il-20.",
            [("hmeimim", "il-20", "stationed", D(2024, 12, 11), D(2024, 12, 11))],
        ),
        (
            "2024-12-31",
            "Beirut, 31 decembrie /Agerpres/ - Rusia și-a retras sistemele de apărare antiaeriană "
            "S-400 de la baza aeriană Hmeimim, potrivit unor imagini din satelit realizate "
            "duminică.",
            [("hmeimim", "s-400", "withdrawing", D(2024, 12, 29), D(2024, 12, 29))],
        ),
        (
            "2024-12-31",
            "Na zdjęciach z Hmejmim z piątku widać co najmniej sześć śmigłowców szturmowych Ka-52 "
            "przygotowanych do załadunku.",
            [("hmeimim", "ka-52", "loading", D(2024, 12, 27), D(2024, 12, 27))],
        ),
        (
            "2024-12-31",
            "Auf Aufnahmen vom 22. Dezember liegt keines der russischen Kriegsschiffe mehr am Pier "
            "in Tartus.",
            [("tartus", "warship", "departing", D(2024, 12, 22), D(2024, 12, 22))],
        ),
    ],
)
def test_other_languages_read(published: str, text: str, want: list[tuple[object, ...]]) -> None:
    assert facts(claims_of(text, published)) == want


def test_no_sign_of_something_else_denies_nothing_of_the_aircraft() -> None:
    got = claims_of(
        "At Hmeimim, activity appeared normal, with half a dozen Su-24 bombers and at least ten "
        "Su-34 jets on the apron and no sign of preparations for an airlift, the images showed.",
        "2024-12-10",
    )
    assert [(c.equipment, c.count, c.count_qualifier, c.action) for c in got] == [
        ("su-24", 6, "exact", "stationed"),
        ("su-34", 10, "at_least", "stationed"),
    ]


def test_no_sign_of_the_ships_is_their_absence() -> None:
    # as every written set's gold reads it ("No sign of the Tu-154 either": departing)
    text = "There was no sign of the frigates at Tartus on Monday."
    got = extract_claims(parse_report(text, published="2024-12-10"))
    assert [(c.equipment, c.action, c.modality, c.absence) for c in got] == [
        ("frigate", "departing", "observed", True)
    ]


def test_the_week_of_a_day_is_seven_days() -> None:
    got = claims_of(
        "A Tor-M2 system at Hmeimim was dismantled during the week of 9 December, analysts said.",
        "2024-12-20",
    )
    assert [(c.equipment, c.date_from, c.date_to) for c in got] == [
        ("air-defence", D(2024, 12, 9), D(2024, 12, 15))
    ]


def test_opposition_fighters_are_no_aircraft() -> None:
    got = claims_of(
        "Three Russian frigates left Tartus on Monday, two days after opposition fighters "
        "seized Damascus.",
        "2024-12-10",
    )
    assert [c.equipment for c in got] == ["frigate"]


def test_ships_outside_territorial_waters_are_at_no_site() -> None:
    got = claims_of(
        "The Sparta IV docked at Tartus on Monday. Two Russian warships remain outside Syrian "
        "territorial waters, the official added.",
        "2024-12-10",
    )
    assert [c.equipment for c in got] == ["vessel"]


def test_aircraft_left_at_a_base_are_those_remaining() -> None:
    got = claims_of(
        "Imagery from 17 February shows only three Su-35 fighters and two Su-34s left at Hmeimim.",
        "2025-02-20",
    )
    assert [(c.equipment, c.count, c.action) for c in got] == [
        ("su-35", 3, "stationed"),
        ("su-34", 2, "stationed"),
    ]


def test_moved_out_of_the_harbour_and_anchored_off_it() -> None:
    got = claims_of(
        "11:03 Satellite images taken yesterday show that two corvettes have moved out of Tartus "
        "harbour and are anchored about 8 km off the port.",
        "2024-12-18",
    )
    assert [(c.equipment, c.count, c.action, c.date_from) for c in got] == [
        ("corvette", 2, "departing", D(2024, 12, 17)),
        ("corvette", 2, "stationed", D(2024, 12, 17)),
    ]


def test_a_post_of_a_thread_is_dated_by_the_pictures_the_thread_tells_of() -> None:
    got = claims_of(
        "1/ Fresh imagery of Hmeimim from 28 Dec. 2/ The shelters on the eastern side look "
        "empty. 3/ The Il-20 ELINT aircraft is still parked by the control tower.",
        "2024-12-29",
    )
    assert facts(got) == [("hmeimim", "il-20", "stationed", D(2024, 12, 28), D(2024, 12, 28))]


def test_since_a_part_of_a_month_runs_to_the_report() -> None:
    got = claims_of(
        "The warships have been anchored a few km outside the breakwater at Tartus since "
        "mid-December.",
        "2024-12-29",
    )
    assert facts(got) == [("tartus", "warship", "stationed", D(2024, 12, 11), D(2024, 12, 29))]


def test_a_chronology_entry_is_told_of_its_date_line() -> None:
    got = claims_of(
        "• 12 декабря. Спутниковые снимки Maxar: российские военные корабли покинули причалы "
        "Тартуса. Фрегат и два корвета стоят на якоре в 8–13 км от берега.",
        "2025-01-20",
    )
    day = D(2024, 12, 12)
    assert facts(got) == [
        ("tartus", "warship", "departing", day, day),
        ("tartus", "frigate", "stationed", day, day),
        ("tartus", "corvette", "stationed", day, day),
    ]


def test_a_byline_or_a_remark_with_a_date_is_no_date_line() -> None:
    # the day of publication at the top, and "unchanged since last week", head nothing
    byline = claims_of("Dec 10, 2024. The frigates have left Tartus.", "2024-12-10")
    assert [(c.equipment, c.date_from) for c in byline] == [("frigate", None)]
    remark = claims_of(
        "2/ Unchanged since last week. 3/ Tartus: the Admiral Golovko frigate is no longer at "
        "the pier.",
        "2024-12-20",
    )
    assert [(c.equipment, c.action) for c in remark] == [("frigate", "departing")]


def test_left_and_have_since_remained_are_two_claims() -> None:
    got = claims_of(
        "At Tartus, the frigate Admiral Grigorovich left the port on 10 December and has since "
        "remained at anchor some kilometres offshore.",
        "2025-01-20",
    )
    assert [(c.equipment, c.action, c.date_from) for c in got] == [
        ("frigate", "departing", D(2024, 12, 10)),
        ("frigate", "stationed", D(2024, 12, 10)),
    ]


def test_a_bulletin_line_of_a_ship_that_sailed() -> None:
    got = claims_of(
        "- Landing ship IVAN GREN sailed 25 January from Tartus, destination not declared.",
        "2025-01-27",
    )
    assert [(c.equipment, c.action, c.date_from, c.modality) for c in got] == [
        ("landing-ship", "departing", D(2025, 1, 25), "observed")
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Da ist das Bild in Hmeimim gemischt. Die Su-24 sind weg.", ("su-24", "departing")),
        (
            # "від" after pictures is the day they show, not "since"
            "Супутникові знімки авіабази Хмеймим від 6 січня показують щонайменше дві пускові "
            "установки С-400.",
            ("s-400", "stationed"),
        ),
    ],
)
def test_other_languages_fourth_round(text: str, want: tuple[str, str]) -> None:
    got = claims_of(text, "2025-01-08")
    assert [(c.equipment, c.action) for c in got] == [want]
    if "від" in text:
        assert (got[0].count, got[0].count_qualifier) == (2, "at_least")
        assert (got[0].date_from, got[0].date_to) == (D(2025, 1, 6), D(2025, 1, 6))


@pytest.mark.parametrize(
    ("when", "first", "last"),
    [
        ("on New Year's Eve", D(2024, 12, 31), D(2024, 12, 31)),
        ("on Christmas Day", D(2024, 12, 25), D(2024, 12, 25)),
        ("since New Year's Day", D(2025, 1, 1), D(2025, 1, 16)),
        ("before Christmas", None, None),  # not that day
    ],
)
def test_named_days_of_the_calendar(when: str, first: dt.date | None, last: dt.date | None) -> None:
    got = claims_of(f"The frigate Admiral Essen was moored at Tartus {when}.", "2025-01-16")
    assert [(c.equipment, c.date_from, c.date_to) for c in got] == [("frigate", first, last)]


def test_german_pictures_called_aufnahmen_date_what_follows() -> None:
    got = claims_of(
        "Russland hat nach Satellitenaufnahmen vom Mittwoch mehrere Kriegsschiffe aus Tartus "
        "abgezogen. Die Fregatte und die Korvette lagen demnach rund acht Kilometer vor Tartus "
        "vor Anker.",
        "2025-01-16",
    )
    wednesday = D(2025, 1, 15)
    assert [(c.equipment, c.action, c.date_from) for c in got] == [
        ("warship", "withdrawing", wednesday),
        ("frigate", "stationed", wednesday),
        ("corvette", "stationed", wednesday),
    ]


def test_a_correspondent_who_watched_one_take_off_and_saw_none_of_others() -> None:
    got = claims_of(
        "This morning we watched an Il-76 transport take off from Hmeimim and turn north over "
        "the sea. We also couldn't see any Mi-24 gunships by the control tower at Hmeimim today.",
        "2025-01-28",
    )
    day = D(2025, 1, 28)
    assert facts(got) == [
        ("hmeimim", "il-76", "departing", day, day),
        ("hmeimim", "mi-24", "departing", day, day),
    ]
