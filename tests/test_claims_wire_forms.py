"""Forms of wire and naval-news English the extractor reads (session 33): a design
named by its number, counts in dozens and thousands, removals told with the agent as
subject, numeric and weekend dates, absences told by what pictures show. Each case is
a sentence written for these tests with the claim a careful reader lists; none comes
from a set of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.claims import extract_claims
from basewatch.corroborate.dates import DATE_RE, resolve_date
from basewatch.corroborate.reports import parse_report
from claim_facts import claims_of, counts_of, facts

D = dt.date
PUBLISHED = "2025-01-28"  # a Tuesday


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The Project 22350 frigate Admiral Golovko left Tartus.", ("frigate", 1, "exact")),
        ("Two Project 775 landing ships docked at Tartus.", ("landing-ship", 2, "exact")),
        # WORD_RE reads "636.3" as two words: neither is a count
        ("The Project 636.3 submarine Krasnodar left Tartus.", ("submarine", 1, "exact")),
        ("The 636.3 submarine Novorossiysk left Tartus.", ("submarine", 1, "exact")),
        ("Die Fregatte des Projekts 22350 hat Tartus verlassen.", ("frigate", 1, "exact")),
    ],
)
def test_a_design_number_is_no_count(text: str, want: tuple[str, int, str]) -> None:
    assert want in counts_of(text, PUBLISHED)
    assert all(n is None or n < 100 for _, n, _ in counts_of(text, PUBLISHED))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Maxar imagery shows two dozen trucks at Hmeimim.", (24, "exact")),
        ("Maxar imagery shows at least three dozen trucks at Hmeimim.", (36, "at_least")),
        ("Maxar imagery shows several dozen trucks at Hmeimim.", (24, "at_least")),
        ("Maxar imagery shows a dozen trucks at Hmeimim.", (12, "exact")),
        ("Maxar imagery shows 1,200 trucks at Hmeimim.", (1200, "exact")),
    ],
)
def test_dozens_and_thousands_are_counted_whole(text: str, want: tuple[int, str]) -> None:
    assert [(n, q) for _, n, q in counts_of(text, PUBLISHED)] == [want]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Russia has removed its S-400 systems from Hmeimim.", ("hmeimim", "s-400", "departing")),
        (
            "Moscow pulled two frigates out of Tartus on 10 December.",
            ("tartus", "frigate", "withdrawing"),
        ),
        (
            "Russian forces shipped the Ka-52 helicopters out of Hmeimim.",
            ("hmeimim", "ka-52", "departing"),
        ),
        (
            "Russia redeployed four Su-35 jets from Hmeimim to Libya.",
            ("hmeimim", "su-35", "departing"),
        ),
        # the parts taken off an aircraft are its dismantling, not a removal of it
        (
            "Crews removed the rotor blades from two Ka-52 helicopters at Hmeimim.",
            ("hmeimim", "ka-52", "dismantling"),
        ),
    ],
)
def test_an_agent_taking_objects_away_is_a_departure(text: str, want: tuple[str, str, str]) -> None:
    assert want in [(c.site, c.equipment, c.action) for c in claims_of(text, PUBLISHED)]


def test_no_plans_to_pull_ships_out_is_no_claim() -> None:
    text = "A Russian diplomat said there were no plans to pull the navy's ships out of Tartus."
    assert claims_of(text, PUBLISHED) == ()


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("An An-124 was photographed at Hmeimim on 15.12.2024.", D(2024, 12, 15), None),
        ("An An-124 was photographed at Hmeimim on 12/15/2024.", D(2024, 12, 15), None),
        ("An An-124 was pictured at Hmeimim on 15/12/2024.", D(2024, 12, 15), None),
        # day first or month first: the text does not say which, so no day
        ("An An-124 was photographed at Hmeimim on 05/06/2024.", None, None),
        # a Tuesday's "over the weekend" is the Saturday and Sunday before
        ("Two Il-76 planes landed at Hmeimim over the weekend.", D(2025, 1, 25), D(2025, 1, 26)),
    ],
)
def test_numeric_and_weekend_dates(text: str, first: dt.date | None, last: dt.date | None) -> None:
    (claim,) = claims_of(text, PUBLISHED)
    assert (claim.date_from, claim.date_to) == (first, last or first)


def test_over_the_weekend_written_on_a_sunday_is_this_weekend_so_far() -> None:
    m = DATE_RE.search("two Il-76 planes landed over the weekend")
    assert m is not None
    assert resolve_date(m, D(2025, 1, 26)) == (D(2025, 1, 25), D(2025, 1, 26))
    last = DATE_RE.search("two Il-76 planes landed last weekend")
    assert last is not None
    assert resolve_date(last, D(2025, 1, 26)) == (D(2025, 1, 18), D(2025, 1, 19))


def test_a_fronted_time_before_landing_ships_keeps_their_claim() -> None:
    # "two landing" once read as a partitive ("..., two of which ...") whose action
    # was the "landing" of the noun, and the clause lost its claim
    got = facts(claims_of("On Monday, two Russian landing ships arrived in Tartus.", PUBLISHED))
    assert got == [("tartus", "landing-ship", "arriving", D(2025, 1, 27), D(2025, 1, 27))]


def test_ship_trackers_are_no_ships() -> None:
    got = claims_of(
        "Two Russian landing ships arrived in Tartus on Monday, ship trackers said.", PUBLISHED
    )
    assert [c.equipment for c in got] == ["landing-ship"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "The Kilo-class submarine Novorossiysk has not been seen at Tartus since 9 December.",
            ("tartus", "submarine", "departing", D(2024, 12, 9), D(2025, 1, 28)),
        ),
        (
            "Satellite pictures show no Russian warships in Tartus harbour as of 3 January.",
            ("tartus", "warship", "departing", D(2025, 1, 3), D(2025, 1, 3)),
        ),
    ],
)
def test_an_absence_told_by_what_is_not_seen(text: str, want: tuple[object, ...]) -> None:
    assert want in facts(claims_of(text, PUBLISHED))


def test_no_sign_in_the_pictures_is_no_absence_of_the_aircraft() -> None:
    got = facts(
        claims_of(
            "The images show no sign of withdrawal at Hmeimim, where four Su-34s remain parked.",
            PUBLISHED,
        )
    )
    assert [(site, kind, action) for site, kind, action, *_ in got] == [
        ("hmeimim", "su-34", "stationed")
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The Il-20M was parked at Hmeimim.", "il-20"),
        ("A Tu-154M took off from Hmeimim.", "tu-154"),
        ("An Il-76MD landed at Hmeimim.", "il-76"),
        ("Two Su-34M bombers are parked at Hmeimim.", "su-34"),
        ("An An-124-100 landed at Hmeimim.", "an-124"),
    ],
)
def test_a_variant_letter_after_a_type_is_that_type(text: str, want: str) -> None:
    assert [c.equipment for c in claims_of(text, PUBLISHED)] == [want]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The landing ship Alexander Shabalin sailed into Tartus.", "arriving"),
        ("In Tartus, the Ivan Gren sailed in on 12 January and left on Saturday.", "arriving"),
        ("A Ka-52 was photographed at Hmeimim.", "stationed"),
    ],
)
def test_verbs_of_wire_copy(text: str, want: str) -> None:
    assert want in [c.action for c in claims_of(text, PUBLISHED)]


def test_warships_sailing_in_line_do_not_arrive() -> None:
    got = claims_of("Three warships were filmed sailing in line past Tartus.", PUBLISHED)
    assert "arriving" not in [c.action for c in got]


@pytest.mark.parametrize(
    "text",
    [
        "La frégate russe Amiral Grigorovitch a quitté le port de Tartous mardi, selon les "
        "sites de suivi des navires spécialisés dans le trafic maritime.",
        "La fragata rusa Almirante Grigorovich abandonó el puerto de Tartus el martes, según "
        "los sitios de rastreo de buques especializados en tráfico marítimo.",
        "Фрегат «Адмирал Григорович» во вторник покинул порт Тартус, сообщают сайты "
        "отслеживания судов и другие источники.",
        "Die russische Fregatte Admiral Grigorowitsch hat am Dienstag den Hafen von Tartus "
        "verlassen, wie Dienste zur Verfolgung von Schiffen melden.",
        "غادرت الفرقاطة الروسية الأميرال غريغوروفيتش ميناء طرطوس يوم الثلاثاء "
        "بحسب مواقع تتبع السفن.",
    ],
)
def test_the_ships_of_ship_tracking_are_no_claim(text: str) -> None:
    # the sources' "ship tracking" named the ships it follows: once a second claim of a
    # vessel leaving beside the frigate's
    got = [(c.site, c.equipment, c.action) for c in claims_of(text, PUBLISHED)]
    assert got == [("tartus", "frigate", "departing")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The cargo ship Sparta IV remains docked at Tartus.", "stationed"),
        ("The cargo ship Sparta IV is docked at Tartus.", "stationed"),
        ("The cargo ship Sparta IV has been docked at Tartus since Monday.", "stationed"),
        ("The cargo ship Sparta IV docked at Tartus on Monday.", "arriving"),
    ],
)
def test_docked_as_a_state_is_stationed(text: str, want: str) -> None:
    assert [c.action for c in claims_of(text, PUBLISHED)] == [want]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Как сообщают мониторинговые каналы, в понедельник из Тартуса вышли фрегат и "
            "танкер, а также другие суда.",
            # the other ships after "а также" (as well as) left with them
            [("frigate", 1), ("vessel", 1), ("vessel", None)],
        ),
        (
            "Le site affirme, images satellitaires à l'appui, que deux Su-35 et un avion de "
            "renseignement Il-20 ont décollé de Hmeimim lundi en direction de la Russie.",
            [("su-35", 2), ("il-20", 1)],
        ),
        (
            "Wtorkowe zdjęcia satelitarne pokazują, że w bazie Hmeimim wciąż stoi kilka Su-35, "
            "cztery Su-24 oraz pojedynczy samolot rozpoznawczy Ił-20.",
            [("su-35", None), ("su-24", 4), ("il-20", 1)],
        ),
    ],
)
def test_objects_joined_by_and_of_any_language_are_claims_of_their_own(
    text: str, want: list[tuple[str, int | None]]
) -> None:
    # the and-words of the lexicons part two mentions as English "and" does (once
    # "фрегат и танкер" was one frigate), and a generic noun whose type follows a few
    # words on ("un avion de renseignement Il-20") is that type, not the type before it
    assert [(c.equipment, c.count) for c in claims_of(text, PUBLISHED)] == want


@pytest.mark.parametrize(
    "text",
    [
        "Hmeimim, Jan. 10: two An-124, four Il-76.",
        "Hmeimim air base (10 January): 2x An-124, 4x Il-76.",
    ],
)
def test_a_caption_list_under_a_label_with_its_day(text: str) -> None:
    got = [(c.equipment, c.count, c.action, c.date_from) for c in claims_of(text, PUBLISHED)]
    assert got == [
        ("an-124", 2, "stationed", D(2025, 1, 10)),
        ("il-76", 4, "stationed", D(2025, 1, 10)),
    ]


def test_the_following_aircraft_are_those_listed_after_the_colon() -> None:
    got = claims_of(
        "As of 20 January, the following aircraft remained at Hmeimim: three Su-34, two "
        "Su-24 and one Il-20.",
        PUBLISHED,
    )
    listed = [(c.equipment, c.count) for c in got if c.equipment != "aircraft"]
    assert listed == [("su-34", 3), ("su-24", 2), ("il-20", 1)]


def test_aircraft_on_the_ground_are_stationed() -> None:
    got = facts(claims_of("Both An-124s were still on the ground at Hmeimim on Sunday.", PUBLISHED))
    assert got == [("hmeimim", "an-124", "stationed", D(2025, 1, 26), D(2025, 1, 26))]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Russia deployed two additional Su-35 fighters to Hmeimim last month.",
            ("hmeimim", "su-35", "arriving", D(2024, 12, 1), D(2024, 12, 31)),
        ),
        (
            "Russia sent two landing ships to the port of Tartus on Monday.",
            ("tartus", "landing-ship", "arriving", D(2025, 1, 27), D(2025, 1, 27)),
        ),
        (
            "Two Il-76 flew to Hmeimim earlier this month.",
            ("hmeimim", "il-76", "arriving", D(2025, 1, 1), D(2025, 1, 28)),
        ),
        (
            "Russian trucks began moving into Tartus late last month, residents said.",
            ("tartus", "military-vehicle", "arriving", D(2024, 12, 21), D(2024, 12, 31)),
        ),
    ],
)
def test_objects_sent_to_a_site_arrive_there(text: str, want: tuple[object, ...]) -> None:
    assert want in facts(claims_of(text, PUBLISHED))


@pytest.mark.parametrize(
    "text",
    [
        "The last two Su-35 fighters at Hmeimim had flown back to Russia over the weekend.",
        "The frigate at Tartus was sent to Novorossiysk.",
        "The frigate at Tartus returned to Sevastopol.",
    ],
)
def test_objects_gone_to_another_place_do_not_arrive_at_the_site(text: str) -> None:
    # the site named beside the objects is where they were, not where they went
    assert "arriving" not in [c.action for c in claims_of(text, PUBLISHED)]


def test_later_this_month_is_not_a_day_of_the_past() -> None:
    (claim,) = claims_of("The Sparta IV is expected to dock at Tartus later this month.", PUBLISHED)
    assert claim.modality == "expected"
    assert claim.date_from is None or claim.date_from > D(2025, 1, 28)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Auf Satellitenbildern vom Wochenende sind auf dem russischen Stützpunkt Hmeimim "
            "noch zwei Dutzend Kampfflugzeuge zu sehen, darunter mehrere Su-34.",
            ("combat-aircraft", 24, "exact", D(2025, 1, 25), D(2025, 1, 26)),
        ),
        (
            "Selon des images satellites prises la semaine dernière, une vingtaine de "
            "véhicules militaires russes attendaient sur le quai du port de Tartous.",
            ("military-vehicle", 20, "about", D(2025, 1, 20), D(2025, 1, 26)),
        ),
        (
            "Según imágenes de satélite tomadas el pasado fin de semana, una docena de "
            "aviones de combate rusos seguían en la base de Hmeimim.",
            ("combat-aircraft", 12, "about", D(2025, 1, 25), D(2025, 1, 26)),
        ),
        (
            "Selon des images satellites prises le week-end dernier, une dizaine "
            "d'hélicoptères russes restaient sur la base de Hmeimim.",
            ("helicopter", 10, "about", D(2025, 1, 25), D(2025, 1, 26)),
        ),
    ],
)
def test_round_numbers_weekends_and_waiting_in_other_languages(
    text: str, want: tuple[object, ...]
) -> None:
    got = [
        (c.equipment, c.count, c.count_qualifier, c.date_from, c.date_to)
        for c in claims_of(text, PUBLISHED)
    ]
    assert want in got
    assert all(c.action == "stationed" for c in claims_of(text, PUBLISHED))


def test_a_second_of_a_type_is_one_not_about_one() -> None:
    got = claims_of(
        "Image 2. L'An-124 a décollé ; à sa place à Hmeimim, un second appareil du même "
        "type, soute ouverte.",
        PUBLISHED,
    )
    assert [(c.count, c.count_qualifier) for c in got if c.action == "loading"] == [(1, "exact")]


@pytest.mark.parametrize(
    "text",
    [
        "Σύμφωνα με δορυφορικές εικόνες του Σαββάτου, δύο ρωσικά μεταγωγικά αεροσκάφη "
        "Αντόνοφ An-124 βρίσκονται στη βάση Χμεϊμίμ με ανοιχτές τις μπουκαπόρτες.",
        "Według zdjęć satelitarnych z soboty w bazie Hmeimim stoją dwa samoloty transportowe "
        "An-124 z otwartymi lukami ładunkowymi.",
        "Potrivit imaginilor din satelit de sâmbătă, două avioane de transport An-124 se află "
        "la baza Hmeimim cu trapele deschise.",
        "За даними супутникових знімків від суботи, на базі Хмеймім перебувають два "
        "транспортні літаки Ан-124 з відкритими вантажними люками.",
    ],
)
def test_open_hatches_are_loading_in_other_languages(text: str) -> None:
    got = facts(claims_of(text, PUBLISHED))
    assert got == [("hmeimim", "an-124", "loading", D(2025, 1, 25), D(2025, 1, 25))]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Fregata rusă „Amiral Grigorovici” a părăsit marți portul Tartus, potrivit "
            "site-urilor de monitorizare a navelor.",
            [("frigate", "departing")],
        ),
        (
            "أقلعت طائرة النقل العملاقة أنتونوف-124 من قاعدة حميميم صباح اليوم متجهة إلى بنغازي.",
            [("an-124", "departing")],
        ),
    ],
)
def test_a_noun_its_adjective_and_its_name_are_one_object(
    text: str, want: list[tuple[str, str]]
) -> None:
    assert [(c.equipment, c.action) for c in claims_of(text, PUBLISHED)] == want


@pytest.mark.parametrize(
    "text",
    [
        "It is unclear whether the frigates have left Tartus.",
        "On ne sait pas encore si les frégates russes ont quitté le port de Tartous ou si "
        "elles restent au mouillage.",
    ],
)
def test_what_nobody_asserts_is_no_claim(text: str) -> None:
    assert extract_claims(parse_report(text, published=PUBLISHED)) == ()


def test_an_open_question_leaves_the_clause_after_but_asserted() -> None:
    got = facts(
        claims_of(
            "It is not clear if two An-124 landed at Hmeimim, but an Il-76 did land there on "
            "Monday.",
            PUBLISHED,
        )
    )
    assert got == [("hmeimim", "il-76", "arriving", D(2025, 1, 27), D(2025, 1, 27))]


def test_aircraft_that_land_at_a_base_arrive() -> None:
    got = claims_of("Il-76 transports land at Hmeimim almost daily.", PUBLISHED)
    assert [(c.equipment, c.action) for c in got] == [("il-76", "arriving")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Twenty-two military trucks were seen at Hmeimim on 5 January.",
            ("military-vehicle", 22, D(2025, 1, 5), D(2025, 1, 5)),
        ),
        (
            "In the first week of January, three Il-76 flights left Hmeimim.",
            ("il-76", 3, D(2025, 1, 1), D(2025, 1, 7)),
        ),
        (
            "In the last week of December, three Il-76 flights left Hmeimim.",
            ("il-76", 3, D(2024, 12, 25), D(2024, 12, 31)),
        ),
    ],
)
def test_compound_numbers_and_weeks_of_a_month(text: str, want: tuple[object, ...]) -> None:
    got = [(c.equipment, c.count, c.date_from, c.date_to) for c in claims_of(text, PUBLISHED)]
    assert got == [want]


def test_flights_out_of_a_base_depart_it_and_those_heading_elsewhere_do_not_arrive() -> None:
    got = claims_of(
        "Between 22 and 31 December, flight trackers logged more than 20 Il-76 flights out "
        "of Hmeimim, most of them heading towards Libya.",
        PUBLISHED,
    )
    assert [(c.equipment, c.count, c.count_qualifier, c.action) for c in got] == [
        ("il-76", 20, "more_than", "departing")
    ]


def test_a_destination_in_the_next_sentence_is_not_this_verbs() -> None:
    # "to arrive at the Syrian port. They are currently en route to Tartus": the port is
    # Tartus, not a place elsewhere
    got = claims_of(
        "On 5 January the landing ship Ivan Gren is scheduled to arrive at Tartus. It is "
        "currently en route to Cyprus.",
        PUBLISHED,
    )
    assert ("tartus", "landing-ship", "arriving") in [(c.site, c.equipment, c.action) for c in got]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Only two of the eight Su-24s remain at Hmeimim.", ("su-24", 2, "stationed")),
        ("Two of the four Il-76s left Hmeimim on Monday.", ("il-76", 2, "departing")),
    ],
)
def test_a_part_of_a_counted_whole_is_counted_by_the_part(
    text: str, want: tuple[str, int, str]
) -> None:
    assert [(c.equipment, c.count, c.action) for c in claims_of(text, PUBLISHED)] == [want]


def test_a_ship_that_took_on_vehicles_was_loading() -> None:
    # the cargo noun was inside the verb's words ("took on vehicles"): the verb was
    # dropped as part of a mention and the clause had no action
    got = facts(
        claims_of("The landing ship Ivan Gren took on vehicles at Tartus on 9 January.", PUBLISHED)
    )
    assert ("tartus", "landing-ship", "loading", D(2025, 1, 9), D(2025, 1, 9)) in got


def test_ships_tied_up_at_a_port_are_stationed() -> None:
    got = facts(claims_of("Two frigates were tied up at Tartus on 9 January.", PUBLISHED))
    assert got == [("tartus", "frigate", "stationed", D(2025, 1, 9), D(2025, 1, 9))]


def test_tens_counted_by_the_number_before_them() -> None:
    got = claims_of("Два десятка военных грузовиков ожидали погрузки в порту Тартуса.", PUBLISHED)
    assert [(c.equipment, c.count) for c in got] == [("military-vehicle", 20)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("No more than three Su-34s remained at Hmeimim on 20 January.", (None, "several")),
        ("Fewer than ten aircraft remain at Hmeimim.", (None, "several")),
        ("No fewer than two An-124s were being loaded at Hmeimim.", (2, "at_least")),
        ("More than ten aircraft remain at Hmeimim.", (10, "more_than")),
    ],
)
def test_a_count_bounded_from_above_claims_some(text: str, want: tuple[int | None, str]) -> None:
    # no qualifier says "at most": "no more than three" was read as more than three
    assert [(c.count, c.count_qualifier) for c in claims_of(text, PUBLISHED)] == [want]


@pytest.mark.parametrize(
    "text",
    [
        "Le porte-parole a indiqué que deux Il-76 avaient décollé de Hmeimim mardi dernier "
        "à destination de Benghazi.",
        "Zwei Il-76 sind am vergangenen Dienstag von Hmeimim in Richtung Bengasi gestartet.",
        "Δύο Il-76 απογειώθηκαν από τη Χμεϊμίμ την περασμένη Τρίτη με προορισμό τη Βεγγάζη.",
        "Dos Il-76 despegaron de Hmeimim el martes pasado con destino a Bengasi.",
        "Два Ил-76 вылетели с Хмеймима в прошлый вторник в направлении Бенгази.",
    ],
)
def test_last_tuesday_written_on_a_tuesday_is_a_week_back(text: str) -> None:
    got = facts(claims_of(text, PUBLISHED))  # published on a Tuesday
    assert got == [("hmeimim", "il-76", "departing", D(2025, 1, 21), D(2025, 1, 21))]


def test_a_tuesday_without_last_written_on_a_tuesday_is_that_day() -> None:
    got = facts(
        claims_of(
            "Dos Il-76 despegaron de Hmeimim el martes con destino a Bengasi, según fuentes "
            "locales.",
            PUBLISHED,
        )
    )
    assert got == [("hmeimim", "il-76", "departing", D(2025, 1, 28), D(2025, 1, 28))]
