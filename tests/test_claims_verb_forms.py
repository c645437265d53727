"""Forms the extractor reads since session 38: the whole paradigm of each action verb in
the nine other languages (infinitives, futures, participles in every gender and number),
words of seeing, absence and presence, number words to a hundred, a verb behind a comma
that belongs to the noun before it, and the ship nouns of Russian, Ukrainian and Polish.
Each case is a sentence written for these tests with the claim a careful reader lists;
none comes from a set of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

import pytest

from claim_facts import claims_of


def read(text: str, published: str = "2025-01-20") -> list[tuple[object, ...]]:
    """Site, equipment, action, count and qualifier of each claim."""
    return [
        (c.site, c.equipment, c.action, c.count, c.count_qualifier)
        for c in claims_of(text, published)
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # forms the lexicons had not listed: infinitive, present, future, aorist
        (
            "La fragata Almirante Golovkó fue la última en zarpar de Tartus.",
            ("tartus", "frigate", "departing"),
        ),
        (
            "Στην Ταρτούς, η φρεγάτα «Ναύαρχος Γκολόβκο» επέστρεψε στο λιμάνι.",
            ("tartus", "frigate", "arriving"),
        ),
        (
            "Z bazy lotniczej Hmeimim regularnie odlatują samoloty transportowe Ił-76.",
            ("hmeimim", "il-76", "departing"),
        ),
        (
            "Un elicopter Mi-8 decolează de pe baza Hmeimim.",
            ("hmeimim", "mi-8", "departing"),
        ),
        (
            "Deux corvettes russes ont regagné le quai de Tartous.",
            ("tartus", "corvette", "arriving"),
        ),
        (
            "Ein Transportflugzeug vom Typ Il-76 ist in Hmeimim gelandet.",
            ("hmeimim", "il-76", "arriving"),
        ),
        (
            "В Хмеймиме разобраны два вертолёта Ка-52.",
            ("hmeimim", "ka-52", "dismantling"),
        ),
        ("Another Il-76 has just taken off from Hmeimim.", ("hmeimim", "il-76", "departing")),
        ("Two Il-76s wait on the taxiway at Hmeimim.", ("hmeimim", "il-76", "stationed")),
    ],
)
def test_verb_forms_of_every_paradigm_carry_their_action(
    text: str, want: tuple[str, str, str]
) -> None:
    assert [r[:3] for r in read(text)] == [want]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # seeing, in forms the lexicons had not listed, is a claim of presence
        (
            "Auf den Bildern vom Montag sehen wir in Hmeimim noch zehn Kampfflugzeuge.",
            ("hmeimim", "combat-aircraft", "stationed"),
        ),
        (
            "Pe imaginile de ieri, la Hmeimim se văd patru avioane Su-34.",
            ("hmeimim", "su-34", "stationed"),
        ),
        (
            "На Хмеймимі минулої п'ятниці бачили два Іл-76.",
            ("hmeimim", "il-76", "stationed"),
        ),
        # the bombers are gone, and four airframes gone in a thread's shorthand
        (
            "Satellite images of Hmeimim from Friday show the apron. The bombers are mostly gone.",
            ("hmeimim", "combat-aircraft", "departing"),
        ),
        ("At Hmeimim, 4 airframes gone.", ("hmeimim", "aircraft", "departing")),
    ],
)
def test_words_of_seeing_and_of_absence_make_their_claims(
    text: str, want: tuple[str, str, str]
) -> None:
    assert [r[:3] for r in read(text)] == [want]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Στην Ταρτούς φαίνονται σταθμευμένα δεκαπέντε στρατιωτικά οχήματα.",
            (15, "exact"),
        ),
        ("Na nabrzeżu w Tartusie stało piętnaście ciężarówek.", (15, "exact")),
        ("În Hmeimim au rămas unsprezece avioane de luptă.", (11, "exact")),
        ("В Хмеймиме остаются семнадцать самолётов.", (17, "exact")),
    ],
)
def test_number_words_past_twelve_count(text: str, want: tuple[int, str]) -> None:
    assert [r[3:] for r in read(text)] == [want]


def test_a_verb_behind_a_comma_is_the_noun_before_it() -> None:
    # each Il-76 has its verb: the second one did not land
    text = (
        "Eine Il-76 ist am Morgen in Hmeimim gelandet, eine zweite Il-76 ist kurz darauf gestartet."
    )
    assert [r[2] for r in read(text)] == ["arriving", "departing"]


def test_a_frigate_spotted_back_at_its_port_has_arrived() -> None:
    text = "On Tuesday the frigate Admiral Grigorovich was spotted back at Tartus."
    assert [r[:3] for r in read(text)] == [("tartus", "frigate", "arriving")]


@pytest.mark.parametrize(
    ("text", "equipment"),
    [
        # a navy's ships, not merchant ships: its warships, as readers take the bare
        # noun (session 39); auxiliaries stay naval vessels
        ("Российские корабли покинули Тартус.", "warship"),
        ("Російські кораблі залишили Тартус.", "warship"),
        ("Rosyjskie okręty opuściły Tartus.", "warship"),
        ("Корабли ВМФ России покинули Тартус.", "warship"),
        ("Корабль обеспечения покинул Тартус.", "naval-vessel"),
        ("Rosyjski okręt warsztatowy opuścił Tartus.", "naval-vessel"),
        # a cargo word before the noun makes it a merchant ship, in a naval account too
        ("Вантажний корабель «Спарта IV» прибув до Тартуса і став біля причалу.", "vessel"),
    ],
)
def test_ship_nouns_of_the_slavic_languages(text: str, equipment: str) -> None:
    assert [r[1] for r in read(text)] == [equipment]


def test_a_cargo_word_before_a_ship_noun_keeps_it_merchant_after_warships() -> None:
    text = (
        "У Тартусі ситуація інша. Кораблі ВМФ РФ залишили причали в перші дні грудня. "
        "Вантажне судно «Спарта IV» прибуло до порту 2 січня."
    )
    assert [r[1] for r in read(text)] == ["warship", "vessel"]


@pytest.mark.parametrize(
    "text",
    [
        # "техника" is equipment in general: no object imagery could count
        "Часть техники из Хмеймима уже вывезли.",
        "Частину техніки з Хмейміма вже вивезли.",
    ],
)
def test_equipment_in_general_makes_no_claim(text: str) -> None:
    assert read(text) == []


def test_named_kinds_of_vehicles_still_count() -> None:
    assert [r[1] for r in read("Бронетехнику грузят на корабль в Тартусе.")][:1] == [
        "military-vehicle"
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a word describing the objects between the count and the noun
        ("Two smaller warships left Tartus.", (2, "exact")),
        ("Στην Ταρτούς έφτασε ένα φορτηγό πλοίο.", (1, "exact")),
        # a unit of time, or a day and its month, between them is no description
        ("In the past 24 hours warships left Tartus.", (None, "plural")),
        ("10 грудня фрегати вийшли з Тартуса і стали на рейді.", (None, "plural")),
    ],
)
def test_a_describing_word_between_count_and_noun(text: str, want: tuple[object, str]) -> None:
    assert [r[3:] for r in read(text)][:1] == [want]


def test_a_verb_before_the_clause_action_joined_by_and_is_a_claim_too() -> None:
    text = (
        "In the port of Tartus the landing ship Ivan Gren lay at anchor yesterday and was "
        "apparently being loaded."
    )
    assert sorted(r[2] for r in read(text)) == ["loading", "stationed"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # only these remain: a restriction, no negation
        (
            "Selon les images satellite de lundi, il ne reste plus que quatre Su-24 sur la "
            "base de Hmeimim.",
            ("hmeimim", "su-24", "stationed", 4, "exact"),
        ),
        (
            "Según las imágenes de satélite del lunes, en el puerto de Tartus no quedan más "
            "que dos fragatas rusas.",
            ("tartus", "frigate", "stationed", 2, "exact"),
        ),
        # the negated sightings that are absences
        (
            "At Tartus, the corvettes haven't been seen since 14 Jan.",
            ("tartus", "corvette", "departing", None, "plural"),
        ),
        (
            "Images from Monday show the frigate was not in Tartus.",
            ("tartus", "frigate", "departing", 1, "exact"),
        ),
    ],
)
def test_restrictions_and_absences(text: str, want: tuple[object, ...]) -> None:
    assert read(text) == [want]


@pytest.mark.parametrize(
    ("text", "equipment"),
    [
        # nouns of equipment in forms and words the lexicons had not listed
        ("Подлодка «Новороссийск» стоит у причала в Тартусе.", "submarine"),
        ("Плавмастерская ПМ-138 покинула Тартус.", "naval-vessel"),
        ("W Tartusie przy nabrzeżu stoi niewielki tankowiec.", "vessel"),
        ("Στην Ταρτούς έφτασε ένα αρματαγωγό.", "landing-ship"),
        ("Le pétrolier a quitté Tartous mardi.", "vessel"),
    ],
)
def test_nouns_of_equipment_in_the_other_languages(text: str, equipment: str) -> None:
    assert [r[1] for r in read(text)] == [equipment]


@pytest.mark.parametrize(
    "text",
    [
        # a type's variant suffix is part of its name
        "Комплексы «Панцирь-С1» разобраны в Хмеймиме.",
        "Na Hmeimim zestawy Pancyr-S1 zostały zdemontowane.",
    ],
)
def test_a_variant_suffix_stays_with_its_type(text: str) -> None:
    assert [r[1:3] for r in read(text)] == [("air-defence", "dismantling")]


@pytest.mark.parametrize(
    "text",
    [
        # the pictures of yesterday, told with an adjective
        "Вчерашние спутниковые снимки авиабазы Хмеймим показывают два Ан-124.",
        "Die gestrigen Satellitenbilder von Hmeimim zeigen zwei An-124.",
        "Οι χθεσινές δορυφορικές εικόνες της βάσης Χμεϊμίμ δείχνουν δύο An-124.",
    ],
)
def test_yesterdays_pictures_date_what_they_show(text: str) -> None:
    claims = claims_of(text, "2024-12-12")
    assert [(c.equipment, c.date_from, c.date_to) for c in claims] == [
        ("an-124", dt.date(2024, 12, 11), dt.date(2024, 12, 11))
    ]


def test_an_approaching_ship_is_arriving() -> None:
    text = "6. The cargo ship Sparta IV approaching Tartus on 19 December."
    assert [r[:3] for r in read(text, "2024-12-20")] == [("tartus", "vessel", "arriving")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "just two ... left": what remains at the base
        ("At Hmeimim I count just two Mi-24 left.", ("hmeimim", "mi-24", "stationed", 2, "exact")),
        ("Two Su-24s left Hmeimim on Monday.", ("hmeimim", "su-24", "departing", 2, "exact")),
        # "not a single one": none of them, no count of one
        (
            "В Хмеймиме ни одного Ка-52 уже не видно.",
            ("hmeimim", "ka-52", "departing", None, "plural"),
        ),
        (
            "W Hmeimim nie widać już żadnego Su-24.",
            ("hmeimim", "su-24", "departing", None, "plural"),
        ),
        # ships that moved away from the pier have left it
        (
            "Στην Ταρτούς, η φρεγάτα και δύο κορβέτες έχουν απομακρυνθεί από την προβλήτα.",
            ("tartus", "frigate", "departing", 1, "exact"),
        ),
    ],
)
def test_what_remains_and_what_is_gone(text: str, want: tuple[object, ...]) -> None:
    assert read(text)[:1] == [want]


def test_a_look_back_for_comparison_does_not_date_what_follows() -> None:
    text = (
        "1/ Хмеймим, 21 декабря. На перроне стоят два Ан-124. Для сравнения: 14 декабря Ан-124 "
        "на снимке был только один. 2/ Там же. Площадка, где стояли Су-24, пустая."
    )
    claims = claims_of(text, "2024-12-22")
    assert [(c.equipment, c.date_from) for c in claims] == [
        ("an-124", dt.date(2024, 12, 21)),
        ("an-124", dt.date(2024, 12, 14)),
        ("su-24", dt.date(2024, 12, 21)),
    ]
