"""Forms the extractor reads since session 37: plural nouns that do not end in "s"
(German, Greek, Romanian) and plural verbs of a bare type designation (Russian,
Ukrainian, Polish), "since" a month in the other languages, a post's opening line of
its pictures, asides after a ship's quoted name, and a negation in a phrase after the
verb. Each case is a sentence written for these tests with the claim a careful reader
lists; none comes from a set of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.claims import extract_claims
from basewatch.corroborate.reports import parse_report
from claim_facts import claims_of, counts_of, facts

D = dt.date


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Die Fregatten sind aus Tartus abgezogen.", [("frigate", None, "plural")]),
        ("Die U-Boote haben Tartus verlassen.", [("submarine", None, "plural")]),
        ("Οι φρεγάτες αναχώρησαν από την Ταρτούς.", [("frigate", None, "plural")]),
        ("Οι κορβέτες έφυγαν από την Ταρτούς.", [("corvette", None, "plural")]),
        ("Fregatele au părăsit portul Tartus.", [("frigate", None, "plural")]),
        ("Corvetele rusești au părăsit Tartus.", [("corvette", None, "plural")]),
        # the singular stays one
        ("Die Fregatte ist aus Tartus abgezogen.", [("frigate", 1, "exact")]),
        ("Η φρεγάτα αναχώρησε από την Ταρτούς.", [("frigate", 1, "exact")]),
    ],
)
def test_plural_nouns_without_an_s_are_several(text: str, want: list[tuple[object, ...]]) -> None:
    assert counts_of(text, "2025-02-12") == want


def test_a_german_class_noun_with_names_counts_each_name() -> None:
    text = (
        "Auf Satellitenbildern vom Samstag seien die Fregatten „Admiral Grigorowitsch“ und "
        "„Admiral Essen“ nicht mehr in Tartus zu sehen."
    )
    assert counts_of(text, "2025-02-12") == [("frigate", 1, "exact"), ("frigate", 1, "exact")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the verb is plural: several; the pad's adjective is no helicopter
        (
            "С вертолётной площадки у ВПП в Хмеймиме исчезли Ка-52.",
            [("ka-52", None, "plural")],
        ),
        ("Z lotniska Hmeimim zniknęły Su-24.", [("su-24", None, "plural")]),
        ("На авиабазе Хмеймим стоит Ан-124.", [("an-124", 1, "exact")]),
        # loaded by someone: the verb's subject is not the aircraft
        ("В Хмеймиме загружают Ан-124.", [("an-124", 1, "exact")]),
    ],
)
def test_a_bare_designation_takes_the_number_of_its_verb(
    text: str, want: list[tuple[object, ...]]
) -> None:
    assert counts_of(text, "2024-12-21") == want


@pytest.mark.parametrize(
    "text",
    [
        "Fregatten sind in Tartus seit Dezember nicht mehr zu sehen.",
        "Les frégates ne sont plus visibles à Tartous depuis décembre.",
        "Фрегаты не видны в Тартусе с декабря.",
        "Фрегати не видно в Тартусі з грудня.",
    ],
)
def test_gone_since_a_month_lasts_to_the_publication(text: str) -> None:
    got = claims_of(text, "2025-02-12")
    assert facts(got) == [("tartus", "frigate", "departing", D(2024, 12, 1), D(2025, 2, 12))]
    assert got[0].absence


def test_a_posts_opening_line_of_its_pictures_dates_what_follows() -> None:
    text = (
        "Разбираем снимки от 18 декабря.\n\n"
        "Хмеймим. На стоянке стоят два Су-24. Рядом грузовики. Солдат не видно. "
        "Погода ясная. С площадки исчезли Ми-8."
    )
    got = claims_of(text, "2024-12-20")
    assert facts(got) == [
        ("hmeimim", "su-24", "stationed", D(2024, 12, 18), D(2024, 12, 18)),
        ("hmeimim", "mi-8", "departing", D(2024, 12, 18), D(2024, 12, 18)),
    ]


def test_an_opening_line_inside_a_paragraph_dates_only_its_neighbours() -> None:
    text = (
        "Мы изучили снимки Хмеймима от 18 декабря, и вот что видно. На стоянке стоят два Су-24. "
        "Рядом грузовики. Солдат не видно. Погода ясная. Так было и раньше. "
        "С площадки исчезли Ми-8."
    )
    got = claims_of(text, "2024-12-20")
    assert [(c.equipment, c.date_from) for c in got] == [
        ("su-24", D(2024, 12, 18)),
        ("mi-8", None),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Фрегат «Адмирал Головко», который ещё в январе стоял у причала, покинул Тартус в "
        "воскресенье.",
        "Фрегат «Адмірал Головко», який ще в січні стояв біля причалу, залишив Тартус у неділю.",
        "Die Fregatte „Admiral Golowko“, die noch im Januar am Pier lag, hat Tartus am Sonntag "
        "verlassen.",
    ],
)
def test_an_aside_after_a_quoted_name_keeps_its_own_month(text: str) -> None:
    got = {(c.action, c.date_from, c.date_to) for c in claims_of(text, "2025-02-10")}
    assert ("departing", D(2025, 2, 9), D(2025, 2, 9)) in got
    assert ("departing", D(2025, 1, 1), D(2025, 1, 31)) not in got


@pytest.mark.parametrize(
    "text",
    [
        "Los buques de guerra rusos permanecen fondeados frente al puerto de Tartus, sin "
        "regresar a los muelles.",
        "Військові кораблі тримаються на рейді Тартуса, не ризикуючи повертатися до причалів.",
    ],
)
def test_a_negation_in_a_phrase_after_the_verb_denies_nothing_of_it(text: str) -> None:
    got = extract_claims(parse_report(text, published="2025-02-05"))
    assert [(c.equipment, c.action, c.modality) for c in got] == [
        ("warship", "stationed", "observed")
    ]


def test_the_gate_of_the_base_after_a_road_between_two_towns() -> None:
    text = (
        "5. The road between Jableh and Hmeimim, 20 January. A long convoy heads towards "
        "the main gate of the base."
    )
    assert facts(claims_of(text, "2025-01-22")) == [
        ("hmeimim", "convoy", "arriving", D(2025, 1, 20), D(2025, 1, 20))
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The warships went out of Tartus at about three o'clock.", ("warship", "departing")),
        ("The Su-35 fighters have flown home from Hmeimim.", ("su-35", "departing")),
        (
            "Die Fregatte „Admiral Essen“ und zwei Korvetten ankerten vor der Küste von Tartus.",
            ("frigate", "stationed"),
        ),
        ("Dos aviones de transporte Il-76 despegan de Hmeimim.", ("il-76", "departing")),
        ("La frégate Amiral Essen est toujours à quai à Tartous.", ("frigate", "stationed")),
        (
            "Νέες αναχωρήσεις ρωσικών αεροσκαφών από τη Χμεϊμίμ.",
            ("aircraft", "departing"),
        ),
        (
            "Hmeimim, 1 lutego. Samolot Ił-76 z opuszczoną rampą ładunkową.",
            ("il-76", "loading"),
        ),
    ],
)
def test_verbs_and_nouns_of_the_round(text: str, want: tuple[str, str]) -> None:
    got = claims_of(text, "2025-02-05")
    assert (got[0].equipment, got[0].action) == want


@pytest.mark.parametrize(
    "text",
    [
        "Selon le journal, qui cite des habitants de Jablé, deux hélicoptères Ka-52 ont été "
        "démontés samedi à la base aérienne de Hmeimim.",
        "Nach Angaben von Anwohnern aus Dschabla wurden am Samstag zwei Ka-52 in Hmeimim zerlegt.",
        "По словам жителей Джаблы, в субботу в Хмеймиме разобрали два Ка-52.",
    ],
)
def test_the_town_a_source_lives_in_is_no_site(text: str) -> None:
    assert facts(claims_of(text, "2025-01-20")) == [
        ("hmeimim", "ka-52", "dismantling", D(2025, 1, 18), D(2025, 1, 18))
    ]


def test_the_day_compared_with_dates_nothing() -> None:
    got = claims_of(
        "Compared with the 20 Dec imagery, the four Su-24 at Hmeimim are gone.", "2025-01-09"
    )
    assert facts(got) == [("hmeimim", "su-24", "departing", None, None)]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "Russian warships left Tartus on Friday and remain anchored offshore, satellite "
            "images from Sunday show. The same images show two Il-76 at Hmeimim.",
            D(2025, 1, 19),
        ),
        (
            "Ρωσικά πολεμικά πλοία αποχώρησαν την Παρασκευή από την Ταρτούς, όπως δείχνουν "
            "δορυφορικές εικόνες της Κυριακής. Στη Χμεϊμίμ, οι ίδιες εικόνες δείχνουν ένα An-124.",
            D(2025, 1, 19),
        ),
        # a day the pictures were looked at is not theirs
        (
            "Les navires russes ont quitté Tartous vendredi, selon des images satellite "
            "consultées dimanche. Sur les mêmes images, on voit un An-124 à Hmeimim.",
            D(2025, 1, 17),
        ),
    ],
)
def test_the_same_pictures_are_of_the_day_tied_to_them(text: str, day: dt.date) -> None:
    got = claims_of(text, "2025-01-20")
    assert (got[-1].site, got[-1].date_from) == ("hmeimim", day)


def test_a_feminine_noun_after_die_is_one() -> None:
    assert counts_of("Die S-400-Batterie in Hmeimim ist abgebaut.", "2025-02-05") == [
        ("s-400", 1, "exact")
    ]
    assert counts_of("Die Hubschrauber sind aus Hmeimim abgezogen.", "2025-02-05") == [
        ("helicopter", None, "plural")
    ]


def test_yesterday_as_a_day_in_russian() -> None:
    got = claims_of(
        "Только за вчерашний день на авиабазе Хмеймим приземлились два Ил-76.", "2025-01-15"
    )
    assert facts(got) == [("hmeimim", "il-76", "arriving", D(2025, 1, 14), D(2025, 1, 14))]


def test_a_short_opening_paragraph_of_pictures_dates_the_post() -> None:
    text = (
        "Разобрал снимки Хмеймима за 12 декабря. Коротко, без паники.\n\n"
        "На стоянке стоят два Ан-124. Рядом грузовики. Солдат не видно. Погода ясная. "
        "Ка-52 разбирают."
    )
    got = claims_of(text, "2024-12-13")
    assert {(c.equipment, c.date_from) for c in got} == {
        ("an-124", D(2024, 12, 12)),
        ("ka-52", D(2024, 12, 12)),
    }


def test_pictures_of_another_site_the_same_day_date_its_claims() -> None:
    text = (
        "На цих супутникових знімках, зроблених у суботу, — російська авіабаза Хмеймим. "
        "Знімки Тартуса того ж дня показують схожу картину. Фрегати відійшли від причалів."
    )
    got = claims_of(text, "2024-12-16")
    assert ("tartus", "frigate", "departing", D(2024, 12, 14), D(2024, 12, 14)) in facts(got)


def test_a_numbered_caption_with_its_day_is_a_heading() -> None:
    text = (
        "Photos: Russia's last weeks in Syria.\n\n"
        "1. The Russian naval facility at Tartus, Syria, on 22 January 2025. The frigate "
        "Admiral Golovko is moored at the floating pier."
    )
    assert facts(claims_of(text, "2025-01-24")) == [
        ("tartus", "frigate", "stationed", D(2025, 1, 22), D(2025, 1, 22))
    ]


def test_aircraft_after_an_account_of_the_port_are_at_the_air_base() -> None:
    text = (
        "Russian transport aircraft keep landing at Hmeimim, while warships have left the piers "
        "of Tartus. The images show two Il-76 aircraft parked on the main apron of the base."
    )
    assert ("hmeimim", "il-76") in {(c.site, c.equipment) for c in claims_of(text, "2024-12-25")}


def test_a_site_after_a_part_of_it_is_the_place_left() -> None:
    got = claims_of("Dos fragatas rusas abandonan el muelle de Tartus.", "2025-01-20")
    assert [(c.site, c.equipment, c.action) for c in got] == [("tartus", "frigate", "departing")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Helicopters at Hmeimim: no Ka-52 or Mi-24 left on the pads.",
            [("ka-52", "departing"), ("mi-24", "departing")],
        ),
        (
            "The old Fencers parked along the taxiway at Hmeimim are not there anymore.",
            [("su-24", "departing")],
        ),
    ],
)
def test_absences_told_without_a_verb_of_leaving(text: str, want: list[tuple[str, str]]) -> None:
    got = claims_of(text, "2025-01-08")
    assert [(c.equipment, c.action) for c in got] == want
    assert all(c.absence for c in got)


@pytest.mark.parametrize(
    "text",
    [
        "Un An-124 aterrizó el miércoles en la base aérea de Hmeimim, informó un vecino de la "
        "cercana ciudad de Jableh.",
        "Am Mittwoch sei in Hmeimim eine An-124 gelandet, berichtete ein Aktivist aus der nahe "
        "gelegenen Stadt Dschabla.",
    ],
)
def test_one_speaker_of_a_nearby_town_is_no_site(text: str) -> None:
    assert facts(claims_of(text, "2024-12-26")) == [
        ("hmeimim", "an-124", "arriving", D(2024, 12, 25), D(2024, 12, 25))
    ]


def test_a_german_direction_is_no_place_elsewhere() -> None:
    text = (
        "Russland hat weitere Militärflugzeuge von Hmeimim abgezogen. Am Donnerstag seien zwei "
        "Kampfjets vom Typ Su-34 in Richtung Norden gestartet."
    )
    assert [(c.equipment, c.action) for c in claims_of(text, "2025-01-10")] == [
        ("aircraft", "withdrawing"),
        ("su-34", "departing"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "En Hmeimim, la batería de misiles S-400 ya no está.",
        "À Hmeimim, la batterie de missiles S-400 a disparu.",
    ],
)
def test_a_battery_of_missiles_of_a_type_is_one_object(text: str) -> None:
    assert counts_of(text, "2025-02-12") == [("s-400", 1, "exact")]
