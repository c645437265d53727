"""One report told in each language of the lexicons, in sentences written for these tests:
the same claims whatever the language (counts with their noun's grammar, adjectives
between the number and the noun, a type named after its class noun, day ranges,
ordinal days, the place names of each script)."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.claims import Claim, extract_claims, sentence_spans
from basewatch.corroborate.dates import foreign_day_list_re
from basewatch.corroborate.lexicon import merged_lexicon
from basewatch.corroborate.reports import parse_report


def claims_of(text: str, published: str) -> tuple[Claim, ...]:
    return extract_claims(parse_report(text, published=published))


#: "Satellite images of 14 December 2024 show two An-124 transport aircraft at Hmeimim
#: air base near Latakia. Three Russian frigates left the port of Tartus between 10 and
#: 13 December." in each language.
REPORTS = {
    "en": "Satellite images taken on 14 December 2024 show two An-124 transport aircraft at "
    "Hmeimim air base near Latakia. Three Russian frigates left the port of Tartus between "
    "10 and 13 December.",
    "fr": "Des images satellites prises le 14 décembre 2024 montrent deux avions de transport "
    "An-124 sur la base aérienne de Hmeimim, près de Lattaquié. Trois frégates russes ont "
    "quitté le port de Tartous entre le 10 et le 13 décembre.",
    "de": "Satellitenbilder vom 14. Dezember 2024 zeigen zwei Transportflugzeuge vom Typ "
    "An-124 auf dem Luftwaffenstützpunkt Hmeimim bei Latakia. Drei russische Fregatten haben "
    "den Hafen von Tartus zwischen dem 10. und 13. Dezember verlassen.",
    "es": "Imágenes satelitales del 14 de diciembre de 2024 muestran dos aviones de transporte "
    "An-124 en la base aérea de Hmeimim, cerca de Latakia. Tres fragatas rusas abandonaron el "
    "puerto de Tartús entre el 10 y el 13 de diciembre.",
    "ru": "Спутниковые снимки от 14 декабря 2024 года показывают два транспортных самолёта "
    "Ан-124 на авиабазе Хмеймим под Латакией. Три российских фрегата покинули порт Тартус в "
    "период с 10 по 13 декабря.",
    "pl": "Zdjęcia satelitarne z 14 grudnia 2024 roku pokazują dwa samoloty transportowe "
    "An-124 w bazie lotniczej Hmejmim koło Latakii. Trzy rosyjskie fregaty opuściły port w "
    "Tartusie między 10 a 13 grudnia.",
    "el": "Δορυφορικές εικόνες της 14ης Δεκεμβρίου 2024 δείχνουν δύο μεταγωγικά αεροσκάφη "
    "An-124 στην αεροπορική βάση Χμεϊμίμ κοντά στη Λαττάκεια. Τρεις ρωσικές φρεγάτες έφυγαν "
    "από το λιμάνι της Ταρτούς μεταξύ 10 και 13 Δεκεμβρίου.",
    "ar": "أظهرت صور الأقمار الصناعية الملتقطة في 14 ديسمبر 2024 طائرتي نقل من طراز "
    "أنتونوف-124 في قاعدة حميميم الجوية قرب اللاذقية. وغادرت ثلاث فرقاطات روسية ميناء طرطوس "
    "بين 10 و13 ديسمبر.",
}


@pytest.mark.parametrize("language", sorted(REPORTS))
def test_one_report_gives_the_same_claims_in_every_language(language: str) -> None:
    got = claims_of(REPORTS[language], "2024-12-16")
    day = dt.date(2024, 12, 14)
    assert [
        (c.site, c.equipment, c.count, c.count_qualifier, c.action, c.date_from, c.date_to)
        for c in got
    ] == [
        ("hmeimim", "an-124", 2, "exact", "stationed", day, day),
        ("tartus", "frigate", 3, "exact", "departing", dt.date(2024, 12, 10), day.replace(day=13)),
    ]


def test_a_german_ordinal_day_ends_no_sentence() -> None:
    text = "Bilder vom 14. Dezember zeigen zwei Il-76 in Hmeimim. Am 15. Juli war es leer."
    spans = sentence_spans(text, [(0, len(text))])
    assert [text[a:b] for a, b in spans] == [
        "Bilder vom 14. Dezember zeigen zwei Il-76 in Hmeimim.",
        "Am 15. Juli war es leer.",
    ]


def test_a_greek_number_with_a_final_sigma_counts() -> None:
    # "τρεις" case-folds to "τρεισ": the number words are looked up case-folded
    got = claims_of("Τέσσερις φρεγάτες έφυγαν από την Ταρτούς.", "2024-12-16")
    assert [(c.equipment, c.count, c.action, c.site) for c in got] == [
        ("frigate", 4, "departing", "tartus")
    ]


@pytest.mark.parametrize(
    ("lead", "first"),
    [
        ("entre le 10 et le ", "10"),
        ("с 10 по ", "10"),
        ("zwischen dem 10. und ", "10"),
        ("بين 10 و", "10"),
        ("od 9 do ", "9"),
        ("μεταξύ 8 και ", "8"),
        ("the 10-", "10"),
    ],
)
def test_the_first_day_of_a_range_in_other_languages(lead: str, first: str) -> None:
    m = foreign_day_list_re(merged_lexicon().day_joiners).search(lead)
    assert m is not None and m.group("d1") == first


def test_a_number_of_another_kind_opens_no_range() -> None:
    rx = foreign_day_list_re(merged_lexicon().day_joiners)
    assert rx.search("à 10,5 et ") is None  # a decimal, not a day
    assert rx.search("2024 et ") is None  # a year, not a day


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("La batterie S-400 a quitté Hmeimim le 12 décembre.", 1),
        ("El submarino abandonó Tartús el 12 de diciembre.", 1),
        ("Το An-124 έφυγε από τη Χμεϊμίμ στις 12 Δεκεμβρίου.", 1),
    ],
)
def test_a_singular_article_counts_one(text: str, count: int) -> None:
    got = claims_of(text, "2024-12-16")
    assert [(c.count, c.count_qualifier, c.action) for c in got] == [(count, "exact", "departing")]


@pytest.mark.parametrize(
    "text",
    [
        "On Wednesday the port of Tartus was empty of warships.",
        "Mercredi, le port de Tartous était vide de navires de guerre.",
        "В среду порт Тартус был пуст: военных кораблей там не было.",
    ],
)
def test_an_empty_port_is_a_departure_without_a_negation(text: str) -> None:
    got = claims_of(text, "2024-12-13")
    assert got, text
    c = got[0]
    assert (c.site, c.equipment, c.action, c.absence) == ("tartus", "warship", "departing", True)
    assert c.date_from == c.date_to == dt.date(2024, 12, 11)


@pytest.mark.parametrize(
    "text",
    [
        "Deux An-124, le nez relevé, à Hmeimim le 12 décembre.",
        "Am 12. Dezember standen zwei An-124 mit hochgeklappter Bugklappe auf dem Flugfeld "
        "von Hmeimim.",
        "Два Ан-124 с поднятой носовой частью на авиабазе Хмеймим 12 декабря.",
    ],
)
def test_a_raised_nose_is_loading(text: str) -> None:
    got = claims_of(text, "2024-12-16")
    assert [(c.site, c.equipment, c.count, c.action) for c in got] == [
        ("hmeimim", "an-124", 2, "loading")
    ]


def test_since_a_day_in_another_language_runs_to_the_publication() -> None:
    got = claims_of("La batterie S-400 a disparu de Hmeimim depuis le 28 décembre.", "2025-01-10")
    assert [(c.equipment, c.action, c.date_from, c.date_to) for c in got] == [
        ("s-400", "departing", dt.date(2024, 12, 28), dt.date(2025, 1, 10))
    ]


@pytest.mark.parametrize(
    ("text", "count", "qualifier"),
    [
        (
            "Auf dem Stützpunkt Hmeimim landeten am 12. Dezember mindestens fünf Il-76-Maschinen.",
            5,
            "at_least",
        ),
        ("На авиабазе Хмеймим 12 декабря стояли более десяти самолётов Су-24.", 10, "more_than"),
        ("W bazie Hmejmim 12 grudnia stało około sześciu samolotów Su-24.", 6, "about"),
        # the lexicons' "dozens", looked up case-folded as the number words are (Greek
        # "δεκάδες" folds to "δεκάδεσ")
        (
            "Τα δορυφορικά στιγμιότυπα δείχνουν δεκάδες στρατιωτικά οχήματα στη Χμεϊμίμ.",
            24,
            "at_least",
        ),
        ("Satellitenbilder zeigen Dutzende Lastwagen auf dem Stützpunkt Hmeimim.", 24, "at_least"),
        ("На спутниковых снимках видны десятки грузовиков на авиабазе Хмеймим.", 24, "at_least"),
    ],
)
def test_a_qualified_number_in_another_language(text: str, count: int, qualifier: str) -> None:
    got = claims_of(text, "2024-12-16")
    assert [(c.site, c.count, c.count_qualifier) for c in got] == [("hmeimim", count, qualifier)]


def test_a_type_heading_a_hyphenated_compound_is_that_type() -> None:
    got = claims_of(
        "Am 12. Dezember wurde das S-400-Flugabwehrsystem in Hmeimim abgebaut.", "2024-12-16"
    )
    assert [(c.equipment, c.count, c.action) for c in got] == [("s-400", 1, "dismantling")]


def test_a_headline_takes_the_date_its_next_sentence_gives_a_kind_of_its_objects() -> None:
    got = claims_of(
        "Russian warships leave Tartus\nTwo frigates sailed out of Tartus this morning. "
        "An Il-76 landed at Hmeimim overnight.",
        "2024-12-10",
    )
    assert [(c.equipment, c.action, c.date_from, c.date_to) for c in got] == [
        ("warship", "departing", dt.date(2024, 12, 10), dt.date(2024, 12, 10)),
        ("frigate", "departing", dt.date(2024, 12, 10), dt.date(2024, 12, 10)),
        ("il-76", "arriving", dt.date(2024, 12, 9), dt.date(2024, 12, 10)),
    ]


@pytest.mark.parametrize(
    ("text", "count", "qualifier"),
    [
        ("На авиабазе Хмеймим 12 декабря демонтирован комплекс С-400.", 1, "exact"),
        ("В Тартусе 12 декабря стоят фрегаты.", None, "plural"),
        ("W Tartusie 12 grudnia stoją fregaty.", None, "plural"),
        ("W Tartusie 12 grudnia stoi fregata.", 1, "exact"),
    ],
)
def test_a_noun_without_a_number_in_a_language_without_articles(
    text: str, count: int | None, qualifier: str
) -> None:
    got = claims_of(text, "2024-12-16")
    assert [(c.count, c.count_qualifier) for c in got] == [(count, qualifier)]


def test_a_sentence_on_the_same_images_takes_their_date_at_another_site() -> None:
    got = claims_of(
        "Imaginile din satelit realizate joi arată portul Tartus fără nave de război. "
        "Pe aceleași imagini, la baza aeriană Hmeimim se aflau două avioane Il-76.",
        "2024-12-20",
    )
    hmeimim = [c for c in got if c.site == "hmeimim"]
    assert [(c.equipment, c.count, c.date_from) for c in hmeimim] == [
        ("il-76", 2, dt.date(2024, 12, 19))
    ]


def test_a_negation_after_a_clause_break_of_the_language_stays_in_its_clause() -> None:
    got = claims_of(
        "Z portu w Tartusie 10 grudnia wypłynęły dwie fregaty, a od 11 grudnia nie ma "
        "tam żadnego okrętu wojennego.",
        "2024-12-16",
    )
    frigates = [c for c in got if c.equipment == "frigate"]
    assert [(c.count, c.action, c.modality, c.date_from) for c in frigates] == [
        (2, "departing", "observed", dt.date(2024, 12, 10))
    ]


def test_sin_embargo_is_no_negation() -> None:
    got = claims_of(
        "Sin embargo, imágenes del miércoles muestran que en la base de Hmeimim siguen "
        "estacionados once cazas Su-35.",
        "2024-12-20",
    )
    assert [(c.equipment, c.count, c.modality, c.date_from) for c in got] == [
        ("su-35", 11, "observed", dt.date(2024, 12, 18))
    ]


def test_since_in_russian_and_a_named_ship_opening_a_sentence() -> None:
    ru = claims_of("С 13 января у причала Тартуса стоит судно «Спарта II».", "2025-01-15")
    assert [(c.count, c.date_from, c.date_to) for c in ru] == [
        (1, dt.date(2025, 1, 13), dt.date(2025, 1, 15))
    ]
    ro = claims_of("Fregata Admiral Golovko a părăsit portul Tartus pe 19 decembrie.", "2024-12-20")
    assert [(c.equipment, c.count, c.action) for c in ro] == [("frigate", 1, "departing")]


def test_a_wire_dateline_is_the_filing_day_not_the_observation_day() -> None:
    got = claims_of(
        "MOSCOW, Dec 27 (Reuters) - Two Russian frigates docked at Tartus on Thursday, "
        "satellite images showed.",
        "2024-12-27",
    )
    assert [(c.equipment, c.count, c.action, c.date_from) for c in got] == [
        ("frigate", 2, "arriving", dt.date(2024, 12, 26))
    ]


@pytest.mark.parametrize(
    ("text", "equipment"),
    [
        (
            "Deux avions de transport Iliouchine Il-76 ont atterri à Hmeimim le 14 décembre.",
            "il-76",
        ),
        (
            "Zwei Transportflugzeuge vom Typ Antonow An-124 landeten am 14. Dezember in Hmeimim.",
            "an-124",
        ),
        ("تظهر الصور مقاتلات من طراز سوخوي-35 في قاعدة حميميم يوم 14 ديسمبر.", "su-35"),
    ],
)
def test_a_maker_between_the_class_noun_and_the_type(text: str, equipment: str) -> None:
    got = claims_of(text, "2024-12-16")
    assert [c.equipment for c in got] == [equipment]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Hier, deux frégates ont quitté Tartous.", dt.date(2024, 12, 15), dt.date(2024, 12, 15)),
        ("Вчера два фрегата покинули Тартус.", dt.date(2024, 12, 15), dt.date(2024, 12, 15)),
        (
            "W tym tygodniu dwie fregaty opuściły Tartus.",
            dt.date(2024, 12, 16),
            dt.date(2024, 12, 16),
        ),
        (
            "Letzte Woche haben zwei Fregatten den Hafen von Tartus verlassen.",
            dt.date(2024, 12, 9),
            dt.date(2024, 12, 15),
        ),
    ],
)
def test_relative_days_in_other_languages(text: str, first: dt.date, last: dt.date) -> None:
    got = claims_of(text, "2024-12-16")  # a Monday
    assert [(c.equipment, c.count, c.action, c.date_from, c.date_to) for c in got] == [
        ("frigate", 2, "departing", first, last)
    ]


def test_the_day_pictures_were_taken_dates_them_not_the_day_they_were_posted() -> None:
    got = claims_of(
        "Satellite pictures posted yesterday, dated 5 January, show an An-124 parked at "
        "Hmeimim. In the same picture, the four Mi-8 helicopters are no longer visible.",
        "2025-01-08",
    )
    assert [(c.equipment, c.action, c.date_from) for c in got] == [
        ("an-124", "stationed", dt.date(2025, 1, 5)),
        ("mi-8", "departing", dt.date(2025, 1, 5)),
    ]


def test_a_ramp_named_after_fighters_is_no_fighter_and_still_absent_is_gone() -> None:
    got = claims_of(
        "Hmeimim, 22 December: two Su-24s occupy the fighter ramp. Tartus, 22 December: "
        "the frigates are still absent from the harbour.",
        "2024-12-23",
    )
    assert [(c.site, c.equipment, c.count, c.action) for c in got] == [
        ("hmeimim", "su-24", 2, "stationed"),
        ("tartus", "frigate", None, "departing"),
    ]


def test_an_attribute_of_one_noun_is_not_the_next_nouns_action() -> None:
    got = claims_of(
        "At Hmeimim the imagery of 20 December showed an An-124 with its nose cone raised "
        "and three Il-76 transport jets on the apron.",
        "2024-12-23",
    )
    assert [(c.equipment, c.count, c.action) for c in got] == [
        ("an-124", 1, "loading"),
        ("il-76", 3, "stationed"),
    ]
