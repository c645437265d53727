"""Forms the extractor reads since session 34: days counted back from the publication
("three days ago", "in the past 48 hours") in every lexicon language, existential
presence ("il y a", "hay", "توجد"), satellites as the subject of a recording verb, and
the bound said before a round number told as an estimate. Each case is a sentence
written for these tests with the claim a careful reader lists; none comes from a set of
``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.language import guess_language
from basewatch.corroborate.lexicon import LexiconError, parse_lexicon
from claim_facts import claims_of, facts

D = dt.date
PUBLISHED = "2024-12-20"  # a Friday
THREE_DAYS_BACK = D(2024, 12, 17)


@pytest.mark.parametrize(
    "text",
    [
        "Two frigates left Tartus three days ago, ship trackers said.",
        "Selon les images satellite, deux frégates ont quitté Tartous il y a trois jours.",
        "Laut Satellitenbildern haben zwei Fregatten Tartus vor drei Tagen verlassen.",
        "Según las imágenes de satélite, dos fragatas salieron de Tartus hace tres días.",
        "Два фрегата покинули Тартус три дня назад.",
        "Два фрегати залишили Тартус три дні тому.",
        "Według zdjęć satelitarnych dwie fregaty opuściły Tartus trzy dni temu.",
        "Δύο φρεγάτες αναχώρησαν από την Ταρτούς πριν από τρεις ημέρες.",
        "Potrivit imaginilor din satelit, două fregate au părăsit Tartus acum trei zile.",
        "غادرت فرقاطتان طرطوس قبل ثلاثة أيام.",
    ],
)
def test_days_ago_is_that_day(text: str) -> None:
    got = facts(claims_of(text, PUBLISHED))
    assert got == [("tartus", "frigate", "departing", THREE_DAYS_BACK, THREE_DAYS_BACK)]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Two An-124s landed at Hmeimim two weeks ago.", D(2024, 12, 6)),
        # the Arabic dual: "two days ago"
        ("هبطت طائرتان من طراز أنتونوف-124 في حميميم قبل يومين.", D(2024, 12, 18)),
        (
            "Laut Satellitenbildern hat sich die Lage verändert. Zwei An-124 sind vor einer "
            "Woche in Hmeimim gelandet.",
            D(2024, 12, 13),
        ),
    ],
)
def test_weeks_and_duals_ago(text: str, first: dt.date) -> None:
    assert [(c.date_from, c.date_to) for c in claims_of(text, PUBLISHED)] == [(first, first)]


def test_a_few_days_ago_dates_nothing() -> None:
    # no number: the text gives no day
    got = facts(claims_of("Two frigates left Tartus a few days ago.", PUBLISHED))
    assert got == [("tartus", "frigate", "departing", None, None)]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("In the past 48 hours, three Il-76s have landed at Hmeimim.", D(2024, 12, 18)),
        ("Within the last 24 hours two Il-76s landed at Hmeimim.", D(2024, 12, 19)),
        ("Over the past three days, two Il-76s landed at Hmeimim.", D(2024, 12, 17)),
        ("За последние сутки в Хмеймим прилетели два Ил-76.", D(2024, 12, 19)),
        ("W ciągu ostatnich 48 godzin w Hmeimim wylądowały dwa Ił-76.", D(2024, 12, 18)),
        (
            "Según las imágenes, en las últimas 72 horas aterrizaron dos Il-76 en Hmeimim.",
            D(2024, 12, 17),
        ),
        ("هبطت طائرتان من طراز إيل-76 في حميميم خلال الساعات الـ48 الماضية.", D(2024, 12, 18)),
        ("Δύο Il-76 προσγειώθηκαν στη Χμεϊμίμ το τελευταίο 24ωρο.", D(2024, 12, 19)),
    ],
)
def test_the_past_hours_or_days_run_to_the_publication(text: str, first: dt.date) -> None:
    got = facts(claims_of(text, PUBLISHED))
    assert [(site, eq, act) for site, eq, act, _, _ in got] == [("hmeimim", "il-76", "arriving")]
    assert [(a, b) for *_, a, b in got] == [(first, D(2024, 12, 20))]


@pytest.mark.parametrize(
    ("section", "units"),
    [
        ("days_before", {"months": ["(?P<n>\\d+)\\s+months\\s+ago"]}),
        ("days_past", {"minutes": ["in\\s+the\\s+past\\s+(?P<n>\\d+)\\s+minutes"]}),
    ],
)
def test_a_section_counting_back_in_an_unknown_unit_is_refused(
    section: str, units: dict[str, list[str]]
) -> None:
    with pytest.raises(LexiconError, match=f"xx.json: {section}: unknown units"):
        parse_lexicon({section: units}, language="xx", where="xx.json")


@pytest.mark.parametrize(
    "text",
    [
        "Il y a deux frégates russes à quai à Tartous, et il y a aussi un sous-marin selon "
        "les images.",
        "Deux frégates russes ont quitté Tartous il y a trois jours selon plusieurs sources "
        "militaires.",
    ],
)
def test_il_y_a_is_french(text: str) -> None:
    # "y" is Spanish "and": a French sentence with "il y a" was read as Spanish
    assert guess_language(text) == "fr"


@pytest.mark.parametrize(
    "text",
    [
        "Les images ont été prises jeudi. Il y a deux frégates à Tartous.",
        "Las imágenes fueron tomadas el jueves. Hay dos fragatas en Tartus.",
        "التقطت الصور يوم الخميس. توجد فرقاطتان في طرطوس.",
    ],
)
def test_there_are_in_other_languages_is_presence(text: str) -> None:
    got = facts(claims_of(text, PUBLISHED))
    assert [(site, eq, act) for site, eq, act, _, _ in got] == [("tartus", "frigate", "stationed")]
    assert [c.count for c in claims_of(text, PUBLISHED)] == [2]


def test_il_n_y_a_plus_is_an_absence() -> None:
    got = claims_of(
        "Selon les images satellite, il n'y a plus de navires russes à Tartous depuis mardi.",
        PUBLISHED,
    )
    assert [(c.site, c.action, c.absence, c.date_from, c.date_to) for c in got] == [
        ("tartus", "departing", True, D(2024, 12, 17), D(2024, 12, 20))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Спутник зафиксировал в порту Тартуса три военных корабля.",
        "Супутник зафіксував у Тартусі три кораблі.",
        "Satelita zarejestrował w Tartusie trzy okręty.",
        "Le satellite a capté trois navires de guerre à Tartous.",
        "El satélite captó tres buques de guerra en Tartus.",
        "Satelitul a surprins trei nave de război la Tartus.",
        "Ο δορυφόρος κατέγραψε τρία πολεμικά πλοία στην Ταρτούς.",
        "Laut den Satellitenbildern hat sich die Lage verändert. Der Satellit erfasste in "
        "Tartus drei Kriegsschiffe.",
    ],
)
def test_a_satellite_recording_ships_is_a_sighting(text: str) -> None:
    got = claims_of(text, PUBLISHED)
    assert [(c.site, c.action, c.count) for c in got] == [("tartus", "stationed", 3)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Según imágenes satelitales, al menos una docena de camiones militares esperaban "
            "en Tartus.",
            (12, "at_least"),
        ),
        (
            "Selon les images, au moins une vingtaine de camions attendaient à Tartous.",
            (20, "at_least"),
        ),
        (
            "Selon les images, plus d'une vingtaine de camions attendaient à Tartous.",
            (20, "more_than"),
        ),
        ("Selon les images, une vingtaine de camions attendaient à Tartous.", (20, "about")),
    ],
)
def test_a_bound_before_an_estimated_number_wins(text: str, want: tuple[int, str]) -> None:
    assert [(c.count, c.count_qualifier) for c in claims_of(text, PUBLISHED)] == [want]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "По данным снимков, ситуация изменилась. Россия вывела комплексы С-400 из Хмеймима.",
            (None, "plural"),
        ),
        (
            "По данным снимков, ситуация изменилась. На базе Хмеймим демонтирован комплекс С-400.",
            (1, "exact"),
        ),
        (
            "За даними знімків, ситуація змінилася. Росія вивозить комплекси С-400 з Хмеймима.",
            (None, "plural"),
        ),
        (
            "Według zdjęć satelitarnych sytuacja w bazie się zmieniła. Rosja wycofuje systemy "
            "S-400 z Hmeimim.",
            (None, "plural"),
        ),
        (
            "أظهرت صور الأقمار الصناعية تغيرات في القاعدة. سحبت روسيا منظومات إس-400 من حميميم.",
            (None, "plural"),
        ),
        (
            "أظهرت صور الأقمار الصناعية تغيرات في القاعدة. تم تفكيك منظومة إس-400 في حميميم.",
            (1, "exact"),
        ),
    ],
)
def test_the_noun_before_s400_says_how_many(text: str, want: tuple[int | None, str]) -> None:
    # languages without articles: "комплексы С-400" are several systems, "комплекс" one
    got = claims_of(text, PUBLISHED)
    assert [(c.equipment, c.count, c.count_qualifier) for c in got] == [("s-400", *want)]


@pytest.mark.parametrize(
    "text",
    [
        "Selon les images satellite, la situation a changé. La Russie retire les systèmes "
        "S-400 de Hmeimim.",
        "Σύμφωνα με δορυφορικές εικόνες, η κατάσταση άλλαξε. Η Ρωσία αποσύρει τα συστήματα "
        "S-400 από τη Χμεϊμίμ.",
    ],
)
def test_a_removal_told_in_the_present(text: str) -> None:
    got = facts(claims_of(text, PUBLISHED))
    assert got == [("hmeimim", "s-400", "withdrawing", None, None)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("أكثر من 20 شاحنة عسكرية تجمعت في ميناء طرطوس.", ("military-vehicle", 20, "more_than")),
        ("حوالي 15 طائرة مقاتلة موجودة في حميميم.", ("combat-aircraft", 15, "about")),
        ("كانت هناك عشر طائرات مقاتلة على المدرج في حميميم.", ("combat-aircraft", 10, "exact")),
        ("هبطت طائرتان مروحيتان في حميميم.", ("helicopter", 2, "exact")),
    ],
)
def test_arabic_counts_in_digits_and_their_bounds(text: str, want: tuple[str, int, str]) -> None:
    lead = "أظهرت صور الأقمار الصناعية تغيرات في القاعدة. "
    got = claims_of(lead + text, PUBLISHED)
    assert [(c.equipment, c.count, c.count_qualifier) for c in got] == [want]


def test_transferred_from_one_place_to_another_leaves_the_first() -> None:
    got = facts(claims_of("Russia transferred two Su-35s from Hmeimim to Libya.", PUBLISHED))
    assert got == [("hmeimim", "su-35", "departing", None, None)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Două nave de debarcare au acostat la Tartus luni.",
            ("landing-ship", 2, "exact", "arriving"),
        ),
        ("Două fregate stau ancorate în largul Tartusului.", ("frigate", 2, "exact", "stationed")),
        (
            "Cel puțin o duzină de camioane militare așteptau în portul Tartus.",
            ("military-vehicle", 12, "at_least", "stationed"),
        ),
        (
            "Două duzini de camioane militare așteptau în portul Tartus.",
            ("military-vehicle", 24, "exact", "stationed"),
        ),
        (
            "În portul Tartus nu mai există nave de război rusești.",
            ("warship", None, "plural", "departing"),
        ),
        (
            "Aproximativ 20 de vehicule militare au fost observate la Tartus.",
            ("military-vehicle", 20, "about", "stationed"),
        ),
    ],
)
def test_romanian_harbour_forms(text: str, want: tuple[object, ...]) -> None:
    # "Tartusului" (of Tartus) is Tartus; "o duzină" a dozen; "nu mai există" an absence
    lead = "Potrivit imaginilor din satelit, situația s-a schimbat. "
    got = claims_of(lead + text, PUBLISHED)
    assert [(c.equipment, c.count, c.count_qualifier, c.action) for c in got] == [want]
    assert [c.site for c in got] == ["tartus"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # no і, ї, є or ґ in the sentence: still Ukrainian, as the report is
        ("Два фрегати вийшли з Тартуса.", ("frigate", 2, "exact", "departing")),
        (
            "Щонайменше дюжина військових вантажівок чекала в порту Тартуса.",
            ("military-vehicle", 12, "at_least", "stationed"),
        ),
        (
            "У порту Тартуса більше немає російських військових кораблів.",
            ("warship", None, "plural", "departing"),
        ),
        (
            "Близько 20 військових машин помітили в Тартусі.",
            ("military-vehicle", 20, "about", "stationed"),
        ),
        (
            "Кілька десятків вантажівок зібралися в порту Тартуса.",
            ("military-vehicle", 20, "at_least", "stationed"),
        ),
    ],
)
def test_ukrainian_harbour_forms(text: str, want: tuple[object, ...]) -> None:
    lead = "За даними супутникових знімків, ситуація на базі змінилася. "
    got = claims_of(lead + text, PUBLISHED)
    assert [(c.equipment, c.count, c.count_qualifier, c.action) for c in got] == [want]


def test_greek_trucks_waiting_at_the_port() -> None:
    text = (
        "Σύμφωνα με δορυφορικές εικόνες, η κατάσταση άλλαξε. Τουλάχιστον δώδεκα στρατιωτικά "
        "φορτηγά περίμεναν στο λιμάνι της Ταρτούς."
    )
    got = claims_of(text, PUBLISHED)
    assert [(c.site, c.equipment, c.count, c.count_qualifier, c.action) for c in got] == [
        ("tartus", "military-vehicle", 12, "at_least", "stationed")
    ]


def test_a_since_aside_does_not_date_the_clause_s_departure() -> None:
    got = facts(
        claims_of(
            "The frigate, which had been docked at Tartus since November, sailed on Monday.",
            PUBLISHED,
        )
    )
    # the departure is Monday's; the aside's stay ran from November
    assert ("tartus", "frigate", "departing", D(2024, 12, 16), D(2024, 12, 16)) in got
    assert all(not (a == "departing" and d0 == D(2024, 11, 1)) for _, _, a, d0, _ in got)


def test_a_since_aside_still_dates_a_state_that_goes_on() -> None:
    got = facts(
        claims_of(
            "The frigate, which has sat at Tartus since mid-December, is still there.", PUBLISHED
        )
    )
    assert got == [("tartus", "frigate", "stationed", D(2024, 12, 11), D(2024, 12, 20))]


def test_as_many_as_is_an_estimate() -> None:
    got = claims_of("As many as 10 helicopters were parked at Hmeimim.", PUBLISHED)
    assert [(c.count, c.count_qualifier) for c in got] == [(10, "about")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Deux Il-76 se sont posés à Hmeimim.", ("il-76", "arriving")),
        ("Les deux frégates ont levé l'ancre mardi à Tartous.", ("frigate", "departing")),
    ],
)
def test_french_short_sentences(text: str, want: tuple[str, str]) -> None:
    # "sont", "à": French words; "la" and "se" alone made such a report Spanish
    text = "Selon des images satellite, la situation a changé. " + text
    assert guess_language(text) == "fr"
    assert [(c.equipment, c.action) for c in claims_of(text, PUBLISHED)] == [want]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("am 24.12. um 10 Uhr", [("24.12.", D(2024, 12, 24))]),
        ("bis 5.1. war", [("5.1.", D(2024, 1, 5))]),
        # no preposition before it: a section number, not a day
        ("Kapitel 3.1. Hmeimim", []),
        ("Version 1.2. ist da", []),
    ],
)
def test_german_day_and_month_without_a_year(text: str, want: list[tuple[str, dt.date]]) -> None:
    from basewatch.corroborate.dates import DATE_RE, resolve_date

    ref = D(2024, 12, 20)
    got = [(m.group(), resolve_date(m, ref)) for m in DATE_RE.finditer(text)]
    assert got == [(s, (d, d)) for s, d in want]


def test_romanian_middle_of_the_month() -> None:
    text = "Potrivit imaginilor, două fregate au părăsit Tartus la mijlocul lunii decembrie."
    got = facts(claims_of(text, PUBLISHED))
    assert got == [("tartus", "frigate", "departing", D(2024, 12, 11), D(2024, 12, 20))]


def test_what_appears_done_in_dated_pictures_is_of_their_day() -> None:
    text = (
        "Imagery captured by Maxar on Monday shows significant changes at Hmeimim. Two "
        "An-124s are parked on the apron with their nose cones raised. Several helicopters "
        "appear to have been dismantled."
    )
    got = facts(claims_of(text, PUBLISHED))
    assert ("hmeimim", "helicopter", "dismantling", D(2024, 12, 16), D(2024, 12, 16)) in got


def test_what_appears_to_be_under_way_is_not_dated_by_the_pictures() -> None:
    text = (
        "Imagery captured by Maxar on Monday shows significant changes at Hmeimim. Russian "
        "military convoys appear to be heading toward the airbase."
    )
    got = facts(claims_of(text, PUBLISHED))
    assert [(a, d0) for _, eq, a, d0, _ in got if eq == "convoy"] == [("arriving", None)]


@pytest.mark.parametrize(
    "text",
    [
        "Laut Satellitenbildern hat sich die Lage verändert. Zwei Fregatten haben Tartus in "
        "der Nacht zum Mittwoch verlassen.",
        "Selon des images satellite, la situation a changé. Deux frégates ont quitté Tartous "
        "dans la nuit de mardi à mercredi.",
        "По данным снимков, ситуация изменилась. Два фрегата покинули Тартус в ночь на среду.",
        "За даними знімків, ситуація змінилася. Два фрегати залишили Тартус у ніч на середу.",
        "Según las imágenes, la situación cambió. Dos fragatas salieron de Tartus la noche del "
        "martes.",
        "Według zdjęć sytuacja się zmieniła. Dwie fregaty opuściły Tartus w nocy z wtorku na "
        "środę.",
        "Potrivit imaginilor, situația s-a schimbat. Două fregate au părăsit Tartus în noaptea "
        "de marți spre miercuri.",
        "Σύμφωνα με εικόνες, η κατάσταση άλλαξε. Δύο φρεγάτες αναχώρησαν από την Ταρτούς τη "
        "νύχτα της Τρίτης προς Τετάρτη.",
    ],
)
def test_a_night_named_by_its_weekdays_is_both_days(text: str) -> None:
    # published on a Friday: the night from Tuesday to Wednesday
    got = facts(claims_of(text, PUBLISHED))
    assert got == [("tartus", "frigate", "departing", D(2024, 12, 17), D(2024, 12, 18))]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Two frigates cast off from Tartus on Monday.", "departing"),
        ("Two frigates steamed out of Tartus on Monday.", "departing"),
        ("An Il-76 lifted off from Hmeimim on Monday.", "departing"),
        ("A landing ship made port in Tartus on Monday.", "arriving"),
        ("Two frigates have been idling off Tartus since Monday.", "stationed"),
    ],
)
def test_more_verbs_of_ships_and_aircraft(text: str, want: str) -> None:
    assert [c.action for c in claims_of(text, PUBLISHED)] == [want]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Satellite images show a Tu-22M3 bomber at Hmeimim.", ("combat-aircraft", 1, "exact")),
        ("Satellite images show two Tu-95 bombers at Hmeimim.", ("combat-aircraft", 2, "exact")),
        # a designation the lexicon lacks sits between the count and its noun
        ("Satellite images show two Yak-40 jets at Hmeimim.", ("aircraft", 2, "exact")),
    ],
)
def test_bombers_and_unlisted_designations_are_counted(
    text: str, want: tuple[str, int, str]
) -> None:
    got = claims_of(text, PUBLISHED)
    assert [(c.equipment, c.count, c.count_qualifier) for c in got] == [want]


@pytest.mark.parametrize(
    "text",
    [
        "Two An-124s are being loaded at Hmeimim, new satellite images show. The images, taken "
        "on Wednesday by Maxar, also show a dismantled Ka-52.",
        "Deux An-124 sont en cours de chargement à Hmeimim, selon des images satellite. Les "
        "images, prises mercredi par Maxar, montrent aussi un Ka-52 démonté.",
        "Два Ан-124 загружаются на базе Хмеймим, показывают спутниковые снимки. Снимки, "
        "сделанные в среду компанией Maxar, также показывают разобранный Ка-52.",
    ],
)
def test_a_lead_is_of_the_day_its_pictures_were_taken(text: str) -> None:
    got = facts(claims_of(text, PUBLISHED))
    wednesday = D(2024, 12, 18)
    assert got == [
        ("hmeimim", "an-124", "loading", wednesday, wednesday),
        ("hmeimim", "ka-52", "dismantling", wednesday, wednesday),
    ]


def test_a_lead_without_pictures_is_not_dated_by_the_next_sentence_s_pictures() -> None:
    text = (
        "Two An-124s are being loaded at Hmeimim, a source said. The images, taken on "
        "Wednesday by Maxar, show a dismantled Ka-52."
    )
    got = facts(claims_of(text, PUBLISHED))
    assert ("hmeimim", "an-124", "loading", None, None) in got


@pytest.mark.parametrize(
    "text",
    [
        "Według zdjęć sytuacja się zmieniła. Wszystkie Su-24 opuściły Hmeimim.",
        "За даними знімків, ситуація змінилася. Усі Су-24 залишили Хмеймім.",
        "По данным спутниковых снимков, ситуация на базе изменилась. Из Хмеймима улетели все "
        "Су-24.",
    ],
)
def test_all_before_a_designation_is_several(text: str) -> None:
    got = claims_of(text, PUBLISHED)
    assert [(c.equipment, c.count, c.count_qualifier) for c in got] == [("su-24", None, "plural")]


@pytest.mark.parametrize(
    "text",
    [
        "По данным спутниковых снимков, ситуация на базе изменилась. В порту Тартуса не "
        "осталось ни одного российского корабля.",
        "За даними знімків, ситуація змінилася. У порту Тартуса не залишилося жодного "
        "російського корабля.",
    ],
)
def test_none_left_is_an_absence(text: str) -> None:
    got = claims_of(text, PUBLISHED)
    assert [(c.site, c.action, c.absence) for c in got] == [("tartus", "departing", True)]


@pytest.mark.parametrize(
    "text",
    [
        "Les images prises mercredi montrent deux frégates à Tartous. Une semaine plus tôt, un "
        "sous-marin avait quitté le port.",
        "Die am Mittwoch aufgenommenen Bilder zeigen zwei Fregatten in Tartus. Eine Woche "
        "zuvor hatte ein U-Boot den Hafen verlassen.",
    ],
)
def test_a_week_earlier_counts_back_from_the_day_told(text: str) -> None:
    got = facts(claims_of(text, PUBLISHED))
    assert ("tartus", "submarine", "departing", D(2024, 12, 11), D(2024, 12, 11)) in got


def test_and_before_a_counted_subject_opens_a_clause() -> None:
    text = (
        "Satellite images from Wednesday show Hmeimim. Several Ka-52 helicopters appear to "
        "have been dismantled, and four Su-24 bombers have left."
    )
    got = claims_of(text, PUBLISHED)
    # the hedge and the verb of the first clause stay in it
    assert [(c.equipment, c.action, c.modality) for c in got] == [
        ("ka-52", "dismantling", "hedged"),
        ("su-24", "departing", "observed"),
    ]


def test_a_date_in_a_later_noun_s_relative_clause_is_its_own() -> None:
    text = (
        "Satellite images from Wednesday show Hmeimim. Several Ka-52 helicopters have been "
        "dismantled, and at least four Su-24 bombers that were visible on Dec. 10 are no "
        "longer on the apron."
    )
    wednesday = D(2024, 12, 18)
    got = facts(claims_of(text, PUBLISHED))
    assert ("hmeimim", "ka-52", "dismantling", wednesday, wednesday) in got
    assert ("hmeimim", "su-24", "departing", wednesday, wednesday) in got
    # the relative clause's day is only that of the state it tells (session 41)
    dec_10 = D(2024, 12, 10)
    assert [f for f in got if dec_10 in f] == [("hmeimim", "su-24", "stationed", dec_10, dec_10)]


def test_an_arabic_wire_story() -> None:
    # written for this test: a headline, the ships of Tartus, the aircraft of Hmeimim
    text = (
        "صور أقمار صناعية: روسيا تسحب سفنها من طرطوس\n\n"
        "أظهرت صور أقمار صناعية التقطت يوم الثلاثاء أن الفرقاطتين الروسيتين اللتين كانتا "
        "راسيتين في ميناء طرطوس غادرتا الرصيف.\n\n"
        'وبحسب الصور، لم تعد الغواصة الروسية ظاهرة في الميناء، فيما وصلت سفينة الشحن "سبارتا 4" '
        "إلى طرطوس.\n\n"
        "وفي قاعدة حميميم الجوية، رصدت الصور طائرتي شحن من طراز أنطونوف-124 وقد فتحت "
        "مقدمتاهما، إضافة إلى تفكيك ثلاث مروحيات على الأقل.\n"
    )
    tuesday = D(2024, 12, 17)
    got = [
        (c.site, c.equipment, c.count, c.count_qualifier, c.action, c.date_from)
        for c in claims_of(text, "2024-12-19")
    ]
    assert got == [
        ("tartus", "vessel", None, "plural", "withdrawing", tuesday),
        ("tartus", "frigate", 2, "exact", "departing", tuesday),
        ("tartus", "submarine", 1, "exact", "departing", tuesday),
        ("tartus", "vessel", 1, "exact", "arriving", tuesday),
        ("hmeimim", "an-124", 2, "exact", "loading", tuesday),
        ("hmeimim", "helicopter", 3, "at_least", "dismantling", tuesday),
    ]


def test_polish_no_longer_visible_is_an_absence() -> None:
    text = "Według zdjęć sytuacja się zmieniła. Okręt podwodny nie jest już widoczny w Tartusie."
    got = claims_of(text, PUBLISHED)
    assert [(c.equipment, c.action, c.absence) for c in got] == [("submarine", "departing", True)]


def test_vehicles_queuing_and_a_column_heading_from_one_site_to_another() -> None:
    got = facts(
        claims_of(
            "Dozens of armoured vehicles were queuing at Hmeimim on Monday. A column of "
            "Russian military vehicles headed from Hmeimim towards Tartus on Tuesday.",
            PUBLISHED,
        )
    )
    monday, tuesday = D(2024, 12, 16), D(2024, 12, 17)
    assert got == [
        ("hmeimim", "military-vehicle", "stationed", monday, monday),
        ("hmeimim", "convoy", "departing", tuesday, tuesday),
        ("tartus", "convoy", "arriving", tuesday, tuesday),
    ]


def test_an_earlier_state_in_an_aside_leaves_the_clause_dated() -> None:
    lead = "Images of Hmeimim taken on Monday show the base. "
    monday = D(2024, 12, 16)
    aside = (
        lead + "Several Mi-8 helicopters, previously parked on the eastern apron, have disappeared."
    )
    assert facts(claims_of(aside, PUBLISHED)) == [("hmeimim", "mi-8", "departing", monday, monday)]
    # told as the clause's own state, the earlier time dates nothing
    state = lead + "Several Mi-8 helicopters had previously been parked on the eastern apron."
    assert facts(claims_of(state, PUBLISHED)) == [("hmeimim", "mi-8", "stationed", None, None)]


# (tugs were here until session 44; they are vessels now: test_claims_any_and_tugs.py)
@pytest.mark.parametrize("noun", ["a minesweeper", "an intelligence-gathering ship"])
def test_small_naval_craft_are_naval_vessels(noun: str) -> None:
    got = claims_of(f"Satellite images show {noun} at Tartus on Monday.", PUBLISHED)
    assert [(c.equipment, c.count) for c in got] == [("naval-vessel", 1)]


def test_a_live_blog_stamp_on_its_own_line_dates_the_entry() -> None:
    text = (
        "Syria live: the day after\n\n10:25\n\nOur correspondent in Jableh says two Su-35 "
        "fighters took off from Hmeimim shortly after 10am.\n\n14:40\n\nFlight-tracking data "
        "show an Il-76 landed at Hmeimim at 14:20 local time.\n"
    )
    day = D(2024, 12, 12)
    got = facts(claims_of(text, "2024-12-12"))
    assert got == [
        ("hmeimim", "su-35", "departing", day, day),
        ("hmeimim", "il-76", "arriving", day, day),
    ]


def test_osint_thread_forms() -> None:
    text = (
        "Russian An-124s and Il-76s shuttle out of Hmeimim.\n\n"
        "5/ Now Hmeimim. On 10 Dec the southern apron held 6 Su-24s. The northern apron "
        "still has 4 Su-34s.\n\n"
        "6/ Tartus naval facility, 8 February 2025. The cargo ship Sparta IV (left) and the "
        "landing ship Ivan Gren (right) moored at the floating pier. The helicopter pad "
        "stands empty.\n"
    )
    got = [(c.site, c.equipment, c.count, c.action) for c in claims_of(text, "2025-02-10")]
    assert got == [
        ("hmeimim", "an-124", None, "departing"),
        ("hmeimim", "il-76", None, "departing"),
        ("hmeimim", "su-24", 6, "stationed"),
        ("hmeimim", "su-34", 4, "stationed"),
        # "(left)" in a caption is where the ship is in the picture, not a departure
        ("tartus", "vessel", 1, "stationed"),
        ("tartus", "landing-ship", 1, "stationed"),
    ]


def test_a_thread_s_pass_over_no_site_dates_its_posts() -> None:
    text = (
        "Co się dzieje w rosyjskich bazach? Przegląd na podstawie zdjęć satelitarnych z 19 "
        "lutego. (1/3)\n\n"
        "2/ Hmejmim. Na płycie postojowej stoją trzy Ił-76.\n\n"
        "3/ Tartus. Przy nabrzeżu wciąż stoi frachtowiec Sparta IV.\n"
    )
    day = D(2025, 2, 19)
    got = facts(claims_of(text, "2025-02-20"))
    assert got == [
        ("hmeimim", "il-76", "stationed", day, day),
        ("tartus", "vessel", "stationed", day, day),
    ]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "За даними знімків, ситуація змінилася. У неділю з авіабази Хмеймим вилетіли "
            "«Руслани».",
            ("an-124", "departing"),
        ),
        (
            "За даними знімків, ситуація змінилася. Біля причалу в Тартусі помітили суховантаж.",
            ("vessel", "stationed"),
        ),
        (
            "За даними знімків, ситуація змінилася. На базу Хмеймим прилітають транспортники.",
            ("cargo-aircraft", "arriving"),
        ),
        (
            "Według zdjęć sytuacja się zmieniła. Na płycie w Hmeimim naliczyłem trzy Ił-76.",
            ("il-76", "stationed"),
        ),
        (
            "Σύμφωνα με εικόνες, η κατάσταση άλλαξε. Δύο Il-76 απογειώνονται από τη Χμεϊμίμ.",
            ("il-76", "departing"),
        ),
    ],
)
def test_more_words_of_the_other_languages(text: str, want: tuple[str, str]) -> None:
    assert [(c.equipment, c.action) for c in claims_of(text, PUBLISHED)] == [want]


def test_an_arabic_dateline_with_its_comma_dates_nothing() -> None:
    text = (
        "روسيا تسحب منظومات دفاع جوي من قاعدة حميميم\n\n"
        "اللاذقية، 23 كانون الأول/ديسمبر (وكالة أنباء المشرق) - أظهرت صور أقمار صناعية التُقطت "
        "يوم السبت أن القوات الروسية فككت منظومتي دفاع جوي من طراز «بانتسير» في قاعدة حميميم "
        "الجوية، فيما شوهدت طائرة شحن عملاقة من طراز أنتونوف An-124 على مدرج القاعدة.\n"
    )
    saturday = D(2024, 12, 21)
    got = [(c.equipment, c.count, c.action, c.date_from) for c in claims_of(text, "2024-12-23")]
    # the dateline's day is the day the story was filed; the pictures are Saturday's;
    # "منظومتي" is a dual (two systems); a cargo plane "of the type" An-124 is an An-124
    assert got[1:] == [
        ("air-defence", 2, "dismantling", saturday),
        ("an-124", 1, "stationed", saturday),
    ]


def test_et_qu_opens_a_second_reported_clause() -> None:
    text = (
        "Le journal note que la corvette Stoïki est revenue à Tartous samedi et qu'un pétrolier "
        "russe y décharge du carburant depuis dimanche."
    )
    got = facts(claims_of(text, PUBLISHED))
    assert got == [
        ("tartus", "corvette", "arriving", D(2024, 12, 14), D(2024, 12, 14)),
        ("tartus", "vessel", "unloading", D(2024, 12, 15), D(2024, 12, 20)),
    ]


def test_a_spanish_ship_that_remains_docked_is_stationed() -> None:
    text = (
        "Según las imágenes, la situación cambió. En el puerto de Tartús, el buque de carga "
        "Sparta IV permanece atracado desde el 2 de enero."
    )
    got = facts(claims_of(text, "2025-01-10"))
    assert got == [("tartus", "vessel", "stationed", D(2025, 1, 2), D(2025, 1, 10))]


def test_nothing_more_to_be_seen_of_one_system() -> None:
    text = (
        "Laut Satellitenbildern hat sich die Lage verändert. Vom Flugabwehrsystem S-400 am "
        "Nordende der Piste in Hmeimim ist ebenfalls nichts mehr zu sehen."
    )
    got = claims_of(text, PUBLISHED)
    assert [(c.equipment, c.count, c.action, c.absence) for c in got] == [
        ("s-400", 1, "departing", True)
    ]


def test_throughout_the_weekend() -> None:
    text = "Russian transport aircraft flew out of the Hmeimim air base throughout the weekend."
    got = facts(claims_of(text, "2024-12-16"))  # a Monday
    assert got == [("hmeimim", "cargo-aircraft", "departing", D(2024, 12, 14), D(2024, 12, 15))]


@pytest.mark.parametrize(
    "text",
    [
        "A cargo ship, the Sparta IV, arrived at Tartus on Tuesday.",
        "Selon les images, un cargo, le Sparta IV, est arrivé à Tartous mardi.",
        "Según las imágenes, un carguero, el Sparta IV, llegó a Tartus el martes.",
    ],
)
def test_a_name_in_apposition_is_the_same_ship(text: str) -> None:
    tuesday = D(2024, 12, 17)
    assert facts(claims_of(text, "2024-12-19")) == [
        ("tartus", "vessel", "arriving", tuesday, tuesday)
    ]


def test_an_earlier_word_in_another_clause_keeps_the_account_s_day() -> None:
    text = (
        "A satellite image taken on Thursday morning showed two An-124s parked on the northern "
        "apron at Hmeimim. Nearby, a Ka-52 attack helicopter appeared to have had its rotor "
        "blades removed, and several Pantsir air-defence systems were no longer in their usual "
        "positions."
    )
    thursday = D(2024, 12, 12)
    got = facts(claims_of(text, "2024-12-13"))
    assert ("hmeimim", "ka-52", "dismantling", thursday, thursday) in got
    assert ("hmeimim", "air-defence", "departing", thursday, thursday) in got


def test_a_lowered_ramp_is_loading_and_not_the_next_noun_s_dismantling() -> None:
    text = (
        "Según las imágenes, se ve en Hmeimim un Il-76 con la rampa bajada y varios "
        "helicópteros Mi-24 desmontados."
    )
    got = [(c.equipment, c.action) for c in claims_of(text, PUBLISHED)]
    assert got == [("il-76", "loading"), ("mi-24", "dismantling")]
