"""How an account's sentences date and tell each other's claims (found in session 29's
development set, `tests/data/claims_multilingual/dev9`, and the older ones): each case
is a short report written for these tests, with the claim a careful reader lists."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.lexicon import LexiconError, load_lexicon, merged_lexicon
from claim_facts import claims_of, facts

D = dt.date


@pytest.mark.parametrize(
    ("text", "published", "want"),
    [
        (
            "Satellite images taken on 14 December show two An-124s on the apron at "
            "Hmeimim. Two days later, three frigates were anchored off Tartus.",
            "2024-12-20",
            ("tartus", "frigate", "stationed", D(2024, 12, 16), D(2024, 12, 16)),
        ),
        (
            "Le 4 janvier, le navire de débarquement Ivan Gren est entré dans le port de "
            "Tartous, selon des observateurs. Le lendemain, deux Il-76 ont atterri à "
            "Hmeimim, d'après les sites de suivi des vols.",
            "2025-01-08",
            ("hmeimim", "il-76", "arriving", D(2025, 1, 5), D(2025, 1, 5)),
        ),
        (
            "По данным наблюдателей, фрегат «Адмирал Эссен» вернулся в порт Тартус 18 "
            "января, а через два дня к причалу подошло грузовое судно «Спарта II».",
            "2025-01-24",
            ("tartus", "vessel", "arriving", D(2025, 1, 20), D(2025, 1, 20)),
        ),
    ],
)
def test_a_day_counted_from_the_day_told_before(
    text: str, published: str, want: tuple[object, ...]
) -> None:
    assert want in facts(claims_of(text, published))


def test_days_later_than_the_publication_date_nothing() -> None:
    got = claims_of(
        "Satellite images taken on 19 December show two An-124s at Hmeimim. Two days "
        "later, three frigates were anchored off Tartus.",
        "2024-12-20",
    )
    frigates = [c for c in got if c.equipment == "frigate"]
    assert frigates and all(c.date_from != D(2024, 12, 21) for c in frigates)


def test_what_the_same_images_show_is_of_their_day() -> None:
    got = claims_of(
        "09:40 New satellite images from Tuesday show the cargo ship Sparta IV docked at "
        "Tartus.\n10:05 In the same images our analysts count around 40 military vehicles "
        "parked on the quay.",
        "2024-12-27",
    )
    vehicles = [c for c in got if c.equipment == "military-vehicle"]
    assert [(c.date_from, c.date_to) for c in vehicles] == [(D(2024, 12, 24), D(2024, 12, 24))]


def test_an_aside_tells_its_own_event_on_its_own_day() -> None:
    got = facts(
        claims_of(
            "The frigate Admiral Essen, which left Tartus on 9 December, was still "
            "anchored a few kilometres offshore on Sunday, a port official said.",
            "2024-12-17",
        )
    )
    assert ("tartus", "frigate", "departing", D(2024, 12, 9), D(2024, 12, 9)) in got
    assert ("tartus", "frigate", "stationed", D(2024, 12, 15), D(2024, 12, 15)) in got


def test_a_date_in_the_clause_itself_is_kept() -> None:
    got = facts(claims_of("The frigate Admiral Essen, on 9 December, left Tartus.", "2024-12-17"))
    assert got == [("tartus", "frigate", "departing", D(2024, 12, 9), D(2024, 12, 9))]


def test_a_caption_list_after_a_label_is_what_is_there() -> None:
    got = claims_of("3/ Hmeimim, 3 Feb. Western apron: 7x Su-34, 2x Il-20.", "2025-02-05")
    assert [(c.equipment, c.count, c.action, c.date_from) for c in got] == [
        ("su-34", 7, "stationed", D(2025, 2, 3)),
        ("il-20", 2, "stationed", D(2025, 2, 3)),
    ]


def test_a_transcript_speaker_is_no_caption_label() -> None:
    got = claims_of(
        "PRESENTER: What about Hmeimim?\nCORRESPONDENT: Plenty of equipment is there.",
        "2025-02-05",
    )
    assert got == ()


@pytest.mark.parametrize(
    ("text", "published", "want"),
    [
        (
            "Nach Angaben von Beobachtern lief die Fregatte Admiral Essen am Dienstag aus "
            "dem Hafen von Tartus aus. Eine Rückkehr ist nicht angekündigt.",
            "2024-12-12",
            ("tartus", "frigate", "departing", D(2024, 12, 10), D(2024, 12, 10)),
        ),
        (
            "Seit Mitte Dezember stehen zwei Transportflugzeuge vom Typ Il-76 auf dem "
            "Vorfeld in Hmeimim, wie Satellitenbilder zeigen.",
            "2025-01-15",
            ("hmeimim", "il-76", "stationed", D(2024, 12, 11), D(2025, 1, 15)),
        ),
        (
            "Mindestens drei Maschinen vom Typ An-124 landeten am Samstag und Sonntag auf "
            "dem Stützpunkt Hmeimim, wie Flugdaten zeigen.",
            "2024-12-23",
            ("hmeimim", "an-124", "arriving", D(2024, 12, 21), D(2024, 12, 22)),
        ),
        (
            "W porcie w Tartusie od czwartku stoi rosyjski okręt desantowy Iwan Gren, "
            "wynika ze zdjęć satelitarnych opublikowanych przez amerykańską firmę.",
            "2025-01-14",
            ("tartus", "landing-ship", "stationed", D(2025, 1, 9), D(2025, 1, 14)),
        ),
        (
            "Фрегат «Адмирал Эссен» по-прежнему стоит на рейде Тартуса и в порт не "
            "заходит, сообщают местные наблюдатели.",
            "2025-01-14",
            ("tartus", "frigate", "stationed", None, None),
        ),
        (
            "La flota rusa sigue en Tartus. Según las imágenes del pasado lunes, decenas "
            "de vehículos militares esperan en el muelle del puerto de Tartus.",
            "2025-01-16",
            ("tartus", "military-vehicle", "stationed", D(2025, 1, 13), D(2025, 1, 13)),
        ),
    ],
)
def test_other_languages(text: str, published: str, want: tuple[object, ...]) -> None:
    assert want in facts(claims_of(text, published))


def test_dozens_in_another_language_count_at_least_two_dozen() -> None:
    got = claims_of(
        "La flota rusa sigue en Tartus. Según las imágenes del pasado lunes, decenas de "
        "vehículos militares esperan en el muelle del puerto de Tartus.",
        "2025-01-16",
    )
    assert [(c.count, c.count_qualifier) for c in got if c.equipment == "military-vehicle"] == [
        (24, "at_least")
    ]


def test_a_cargo_ship_in_a_naval_account_stays_a_cargo_ship() -> None:
    got = claims_of(
        "Zwei Kriegsschiffe liegen weiter vor Tartus auf Reede. Am Montag legte zudem der "
        "Frachter Sparta IV in Tartus an der Pier an, wie ein Hafenarbeiter berichtete.",
        "2025-01-22",
    )
    assert ("tartus", "vessel", "arriving", D(2025, 1, 20), D(2025, 1, 20)) in facts(got)


def test_a_lead_withdrawal_takes_the_date_of_the_account() -> None:
    got = claims_of(
        "Russia withdraws helicopters from Hmeimim\n\nSeveral Mi-8 helicopters were "
        "dismantled at Hmeimim air base between 9 and 11 December, satellite images show.",
        "2024-12-12",
    )
    lead = [c for c in got if c.action == "withdrawing"]
    assert [(c.date_from, c.date_to) for c in lead] == [(D(2024, 12, 9), D(2024, 12, 11))]


def test_every_lexicon_loads_its_days_after_and_month_parts() -> None:
    merged = merged_lexicon()
    assert set(merged.days_after) == {"days", "weeks", "days_earlier", "weeks_earlier"}
    assert set(merged.month_parts) == {"early", "mid", "late"}
    assert load_lexicon("de").month_parts["mid"][0] == "Mitte"
    with pytest.raises(LexiconError, match="no lexicon"):
        load_lexicon("xx")


def test_a_second_verb_after_auxiliaries_and_since_is_a_state_of_its_own() -> None:
    got = claims_of(
        "Both frigates at Tartus left the port on Saturday and have since been anchored "
        "roughly eight kilometres offshore.",
        "2025-01-10",
    )
    assert [(c.equipment, c.count, c.action, c.date_from, c.date_to) for c in got] == [
        ("frigate", 2, "departing", D(2025, 1, 4), D(2025, 1, 4)),
        ("frigate", 2, "stationed", D(2025, 1, 4), D(2025, 1, 10)),
    ]


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # a helicopter without its rotors is being taken apart, and still there
        (
            "5/ Helicopters at Hmeimim, same image. Only three Mi-24 gunships remain on the "
            "western taxiway, all without main rotors.",
            {("mi-24", "stationed"), ("mi-24", "dismantling")},
        ),
        # "no X remain" is an absence: they have left
        (
            "Image 2 - Hmeimim, same day. No Su-24 bombers remain at the northern revetments.",
            {("su-24", "departing")},
        ),
        (
            "In December, the naval facility at Tartus hosted two frigates.",
            {("frigate", "stationed")},
        ),
        (
            "A Mi-8 transport helicopter at Hmeimim was being towed across the apron.",
            {("mi-8", "moving")},
        ),
    ],
)
def test_states_told_without_the_usual_verbs(text: str, facts: set[tuple[str, str]]) -> None:
    got = claims_of(text, "2025-01-10")
    assert {(c.equipment, c.action) for c in got} == facts


def test_a_ship_docked_on_a_day_arrived_that_day_and_one_that_was_docked_was_there() -> None:
    got = claims_of("At Tartus, the cargo ship Sparta IV docked on Thursday.", "2025-01-10")
    assert [(c.action, c.date_from) for c in got] == [("arriving", D(2025, 1, 9))]
    got = claims_of("At Tartus, the cargo ship Sparta IV was docked on Thursday.", "2025-01-10")
    assert [(c.action, c.date_from) for c in got] == [("stationed", D(2025, 1, 9))]


@pytest.mark.parametrize(
    ("text", "published", "want"),
    [
        # a German separable verb whose particle is followed by "und", not the clause's end
        (
            "Der Frachter Sparta IV lief am 3. Februar in den Hafen von Tartus ein und "
            "wurde noch am selben Tag beladen.",
            "2025-02-10",
            [("tartus", "vessel", "arriving", D(2025, 2, 3), D(2025, 2, 3))],
        ),
        # "buque de carga" is a cargo ship, not loading
        (
            "En el puerto de Tartús, el buque de carga Sparta IV atracó el lunes.",
            "2024-12-27",
            [("tartus", "vessel", "arriving", D(2024, 12, 23), D(2024, 12, 23))],
        ),
        # Russian "отошли от причала" (pulled away from the pier) and "остался" (stayed)
        (
            "Фрегат «Адмирал Григорович» отошёл от причала в Тартусе в понедельник. У "
            "причальной стенки в Тартусе остался только танкер «Ельня».",
            "2024-12-12",
            [
                ("tartus", "frigate", "departing", D(2024, 12, 9), D(2024, 12, 9)),
                ("tartus", "vessel", "stationed", None, None),
            ],
        ),
        # Greek "απομένουν" (remain)
        (
            "Στη βάση Χμεϊμίμ απομένουν τέσσερα Su-35.",
            "2025-02-22",
            [("hmeimim", "su-35", "stationed", None, None)],
        ),
        # French "restaient" (were still)
        (
            "Les trois frégates restaient mardi au large de Tartous.",
            "2024-12-20",
            [("tartus", "frigate", "stationed", D(2024, 12, 17), D(2024, 12, 17))],
        ),
        # a frigate of the Admiral class named in another language, and Romanian "se afla"
        (
            "Fregata Amiral Golovko se afla încă în portul Tartus pe 25 ianuarie.",
            "2025-01-30",
            [("tartus", "frigate", "stationed", D(2025, 1, 25), D(2025, 1, 25))],
        ),
        # French "n'a plus été aperçu ... depuis": gone since that day
        (
            "Le sous-marin Novorossiïsk n'a plus été aperçu à Tartous depuis le 8 janvier.",
            "2025-01-20",
            [("tartus", "submarine", "departing", D(2025, 1, 8), D(2025, 1, 20))],
        ),
        # Ukrainian "фіксують" (pictures record) is a sighting
        (
            "Знімки, зроблені вчора, фіксують на авіабазі Хмеймім три літаки Іл-76.",
            "2025-01-20",
            [("hmeimim", "il-76", "stationed", D(2025, 1, 19), D(2025, 1, 19))],
        ),
        # Polish "ciężarówek" (trucks, genitive plural) and "nie została żadna" (none is left)
        (
            "Na płycie w bazie Hmeimim widać kolejkę ciężarówek. Z trzech fregat, które "
            "stacjonowały w Tartusie, nie została żadna.",
            "2025-01-20",
            [
                ("hmeimim", "military-vehicle", "stationed", None, None),
                ("tartus", "frigate", "departing", None, None),
            ],
        ),
        # Russian "накануне" (the day before) and Ukrainian "напередодні"
        (
            "Накануне на авиабазе Хмеймим грузили вертолеты Ми-8.",
            "2025-01-31",
            [("hmeimim", "mi-8", "loading", D(2025, 1, 30), D(2025, 1, 30))],
        ),
        # a clause whose verb is left out does what the one before did
        (
            "The Su-35s have left Hmeimim, as have the Su-24s.",
            "2025-02-10",
            [
                ("hmeimim", "su-35", "departing", None, None),
                ("hmeimim", "su-24", "departing", None, None),
            ],
        ),
        # a caption's label, then an absence after the colon
        (
            "4/ Su-24s at Hmeimim: none visible on Thursday's image either.",
            "2025-02-10",
            [("hmeimim", "su-24", "departing", D(2025, 2, 6), D(2025, 2, 6))],
        ),
        # "weighed anchor" is a departure
        (
            "The frigate Admiral Grigorovich, anchored off Tartus for much of the winter, "
            "weighed anchor on 30 January.",
            "2025-02-05",
            [("tartus", "frigate", "departing", D(2025, 1, 30), D(2025, 1, 30))],
        ),
        # German "fehlen" states an absence without a negation
        (
            "Auf den Bildern vom 9. Februar fehlen in Hmeimim die Kampfhubschrauber Ka-52.",
            "2025-02-12",
            [("hmeimim", "ka-52", "departing", D(2025, 2, 9), D(2025, 2, 9))],
        ),
        # Ukrainian "залишилися" / "залишаються" (stayed, remain), not "залишили" (left)
        (
            "У Тартусі залишилися два корвети. Фрегат «Адмірал Макаров» залишив Тартус у четвер.",
            "2025-02-05",
            [
                ("tartus", "corvette", "stationed", None, None),
                ("tartus", "frigate", "departing", D(2025, 1, 30), D(2025, 1, 30)),
            ],
        ),
        # Greek "αποχωρούν" (are leaving)
        (
            "Ρωσικά πλοία αποχωρούν από την Ταρτούς.",
            "2024-12-20",
            [("tartus", "vessel", "departing", None, None)],
        ),
        (
            "Die Fregatte Admiral Essen verließ Tartus am Montag. In Essen gab es nichts Neues.",
            "2025-01-30",
            [("tartus", "frigate", "departing", D(2025, 1, 27), D(2025, 1, 27))],
        ),
    ],
)
def test_words_read_from_the_twelfth_development_set(
    text: str, published: str, want: list[tuple[object, ...]]
) -> None:
    assert facts(claims_of(text, published)) == want


_THREAD = (
    "1/ New Sentinel-2 imagery of Hmeimim from yesterday (28 Dec), and of Tartus from the "
    "27th. What is still there and what left.\n\n"
    "2/ Fixed-wing first. Two Su-34s are expected to fly out next week.\n\n"
    "3/ Nothing unusual on the taxiways.\n\n"
    "4/ Quick note on the weather: some haze in the east.\n\n"
    "5/ Helicopter pad: two Mi-8s with their rotor blades removed.\n"
)


def test_a_numbered_thread_goes_on_with_the_pass_its_first_post_told_of() -> None:
    # session 32 (dev6/, dev12/): the pass dates the posts well past the four sentences
    # it carries to in other prose (the Mi-8s were undated before)
    claims = claims_of(_THREAD, "2024-12-29")
    assert facts(claims)[-1] == ("hmeimim", "mi-8", "dismantling", D(2024, 12, 28), D(2024, 12, 28))


@pytest.mark.parametrize(
    ("text", "published", "want"),
    [
        # "since then" of any language is no word between "and" and the second verb
        (
            "En Tartus, la fragata Almirante Grigorovich zarpó el 10 de diciembre y desde "
            "entonces está fondeada frente a la costa.",
            "2025-01-14",
            [
                ("tartus", "frigate", "departing", D(2024, 12, 10), D(2024, 12, 10)),
                ("tartus", "frigate", "stationed", D(2024, 12, 10), D(2025, 1, 14)),
            ],
        ),
        # a verb told before its subject joins the second verb after the subject
        (
            "وفي طرطوس، غادرت سفينتان حربيتان روسيتان الميناء يوم السبت ورستا قبالة السواحل.",
            "2025-02-14",
            [
                ("tartus", "warship", "departing", D(2025, 2, 8), D(2025, 2, 8)),
                ("tartus", "warship", "stationed", D(2025, 2, 8), D(2025, 2, 8)),
            ],
        ),
        # Ukrainian "став на якір" (dropped anchor)
        (
            "Фрегат «Адмірал Макаров» залишив Тартус 11 лютого і став на якір за кілька "
            "кілометрів від порту.",
            "2025-02-14",
            [
                ("tartus", "frigate", "departing", D(2025, 2, 11), D(2025, 2, 11)),
                ("tartus", "frigate", "stationed", D(2025, 2, 11), D(2025, 2, 11)),
            ],
        ),
        # an English perfect of state after "and": still so at publication
        (
            "At Tartus, the two frigates left the harbour on Tuesday and have stayed within a "
            "few kilometres of the coast.",
            "2024-12-19",
            [
                ("tartus", "frigate", "departing", D(2024, 12, 17), D(2024, 12, 17)),
                ("tartus", "frigate", "stationed", D(2024, 12, 17), D(2024, 12, 19)),
            ],
        ),
        # Greek "έχουν αποπλεύσει" (have sailed)
        (
            "Η φρεγάτα «Ναύαρχος Γκριγκορόβιτς» έχει αποπλεύσει από την Ταρτούς.",
            "2025-02-14",
            [("tartus", "frigate", "departing", None, None)],
        ),
    ],
)
def test_second_verbs_and_words_of_the_fifteenth_round(
    text: str, published: str, want: list[tuple[object, ...]]
) -> None:
    # session 32, read from dev2/-dev12/ errors: a ship leaving and anchoring offshore
    assert facts(claims_of(text, published)) == want


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("In Hmeimim steht ein Aufklärungsflugzeug Il-20 auf dem Vorfeld.", (1, "exact")),
        ("In Hmeimim stehen drei russische Su-24 auf dem Vorfeld.", (3, "exact")),
        ("Am Sonntag stand in Hmeimim nur noch eine einzige Su-35 neben dem Tower.", (1, "exact")),
        ("En Hmeimim quedan un sistema Pantsir y dos helicópteros.", (1, "exact")),
        # a plural head keeps its plural ("russische Kampfjets", not counted as one)
        ("In Hmeimim stehen russische Su-24 auf dem Vorfeld.", (None, "plural")),
    ],
)
def test_a_type_counted_across_one_word_of_its_own(text: str, count: tuple[object, str]) -> None:
    # session 32 (dev/, dev7/, dev10/, dev11/): the count or article stands before a
    # head noun or adjective that the type designation follows
    first = claims_of(text, "2025-01-20")[0]
    assert (first.count, first.count_qualifier) == count


@pytest.mark.parametrize(
    ("text", "equipment", "count"),
    [
        ("هبطت في قاعدة حميميم طائرات شحن من طراز إليوشن إيل-76 يوم الأحد.", "il-76", None),
        ("هبطت في قاعدة حميميم طائرة نقل عملاقة من طراز أنتونوف أن-124 يوم الأحد.", "an-124", 1),
    ],
)
def test_arabic_types_spelled_with_their_vowels(
    text: str, equipment: str, count: int | None
) -> None:
    # session 32 (dev7/, dev9/, dev11/): "إيل-76", "أن-124" and a giant ("عملاقة") head
    # noun joined to the type after "من طراز"
    (claim,) = claims_of(text, "2025-01-20")
    assert (claim.equipment, claim.count, claim.date_from) == (equipment, count, D(2025, 1, 19))


def test_a_day_compared_with_is_not_the_day_of_what_is_compared() -> None:
    # session 32 (dev5/, dev6/): the count of the pictures of 18 December, not of the 3rd
    claims = claims_of(
        "Commercial imagery from 18 December shows the western apron at Hmeimim noticeably "
        "emptier: we count five Su-34s, compared with eleven Su-34s in a capture from "
        "3 December.",
        "2024-12-20",
    )
    assert [(c.count, c.date_from) for c in claims] == [(5, D(2024, 12, 18)), (11, D(2024, 12, 3))]


@pytest.mark.parametrize(
    "text",
    [
        "Στη Χμεϊμίμ διακρίνονται δύο An-124 με ανοιχτά τα ρύγχη.",
        "À Hmeimim, deux avions-cargos An-124 stationnent sur le tarmac, soute avant ouverte.",
        "У Тартусі біля причалу вантажне судно «Спарта IV» вантажиться.",
        "Imágenes muestran dos helicópteros Mi-8 siendo introducidos en la bodega en Hmeimim.",
        "أظهرت الصور أن طائرتي شحن من طراز An-124 كانتا تخضعان للتحميل في قاعدة حميميم.",
    ],
)
def test_loading_told_in_the_words_of_each_language(text: str) -> None:
    # session 32 (dev4/, dev6/, dev7/, dev9/, dev12/): noses open, holds open, "is loading"
    assert "loading" in {c.action for c in claims_of(text, "2025-01-20")}


@pytest.mark.parametrize(
    "text",
    [
        "Una corbeta rusa fue vista hoy saliendo del puerto de Tartus.",
        "En Tartus, los buques de guerra se han desplazado mar adentro.",
        "Η φρεγάτα «Ναύαρχος Γκριγκορόβιτς» έχει εγκαταλείψει την Ταρτούς.",
    ],
)
def test_departures_told_in_the_words_of_each_language(text: str) -> None:
    # session 32 (dev4/, dev6/, dev12/): a gerund, "moved out to sea", a Greek perfect
    assert "departing" in {c.action for c in claims_of(text, "2025-01-20")}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a ship mooring again after leaving is there, not arriving
        (
            "وفي طرطوس غادرت الفرقاطة الرصيف يوم السبت ورست على بعد عدة كيلومترات من الساحل.",
            [("tartus", "departing"), ("tartus", "stationed")],
        ),
        # the second verb's own site
        (
            "On Saturday a convoy of around 30 trucks left Hmeimim and reached Tartus.",
            [("hmeimim", "departing"), ("tartus", "arriving")],
        ),
        # the second verb's place elsewhere: no claim of it at the first site
        (
            "The frigate left Tartus on Monday and arrived in Novorossiysk on Friday.",
            [("tartus", "departing")],
        ),
    ],
)
def test_a_second_verb_keeps_its_own_place(text: str, want: list[tuple[str, str]]) -> None:
    # session 32 (dev4/, dev9/, dev10/, dev12/)
    assert [(c.site, c.action) for c in claims_of(text, "2025-01-20")] == want
