"""What the extractor reads since session 39 of states told with a negation ("has not
moved", "никуда не делись"), of disappearance and of not finding ("пропали", "не
обнаружили"), of a correspondent's own town, and of "the air base" after a sentence
about the port. Each case is a sentence written for these tests with the claim a
careful reader lists; none comes from a set of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import pytest

from claim_facts import claims_of


def read(text: str, published: str = "2025-01-20") -> list[tuple[object, ...]]:
    """Site, equipment, action and whether the claim states an absence."""
    return [(c.site, c.equipment, c.action, c.absence) for c in claims_of(text, published)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The Il-20 at Hmeimim has not moved since December.", ("hmeimim", "il-20")),
        ("At Tartus the tanker hasn't budged from the outer pier.", ("tartus", "vessel")),
        ("Les deux corvettes de Tartous n'ont pas bougé.", ("tartus", "corvette")),
        ("Вертолёты Ми-8 на базе Хмеймим никуда не делись.", ("hmeimim", "mi-8")),
        ("Οι φρεγάτες στην Ταρτούς δεν έχουν μετακινηθεί.", ("tartus", "frigate")),
        ("Die Su-35 in Hmeimim haben sich nicht bewegt.", ("hmeimim", "su-35")),
    ],
)
def test_a_state_told_with_a_negation_is_the_objects_staying(
    text: str, want: tuple[str, str]
) -> None:
    assert read(text) == [(*want, "stationed", False)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("На базе Хмеймим пропали оба вертолёта Ка-52.", ("hmeimim", "ka-52", "departing", False)),
        (
            "На аеродромі Хмеймім Су-24 не виявили на жодному знімку.",
            ("hmeimim", "su-24", "departing", True),
        ),
        (
            "На базе Хмеймим Су-34 не обнаружили ни на одном снимке.",
            ("hmeimim", "su-34", "departing", True),
        ),
    ],
)
def test_vanished_and_not_found_are_departures(text: str, want: tuple[str, str, str, bool]) -> None:
    assert read(text) == [want]


@pytest.mark.parametrize(
    "lead",
    [
        "Our correspondent is reporting from Beirut.",
        "Unsere Korrespondentin berichtet aus Beirut.",
        "Unser Reporter verfolgt die Lage von Beirut aus.",
    ],
)
def test_a_correspondents_town_does_not_take_the_account_there(lead: str) -> None:
    text = (
        "New images show two An-124 transports at Hmeimim. "
        + lead
        + " Beside them, several trucks wait to be loaded."
    )
    assert {c.site for c in claims_of(text, "2025-01-20")} == {"hmeimim"}


def test_the_air_base_after_the_port_is_the_air_base_named_before() -> None:
    text = (
        "Two Il-76s took off from Hmeimim on Monday. At Tartus, the frigate left the port. "
        "The Pantsir battery by the air base's runway was still in place on Tuesday."
    )
    got = {c.equipment: c.site for c in claims_of(text, "2025-01-20")}
    assert got["air-defence"] == "hmeimim"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "нет" closing the clause, or before a preposition: the objects are not there
        (
            "Тартус, снимок от 4 января. Танкера «Вязьма» у причала больше нет.",
            ("tartus", "vessel", "departing", True),
        ),
        (
            "Хмеймим, снимок от 5 января. Пары Ми-24 на площадке нет с 28 декабря.",
            ("hmeimim", "mi-24", "departing", True),
        ),
        (
            "W Tartus na zdjęciu z 4 stycznia korwety przy nabrzeżu już nie ma.",
            ("tartus", "corvette", "departing", True),
        ),
    ],
)
def test_there_is_no_is_an_absence(text: str, want: tuple[str, str, str, bool]) -> None:
    assert read(text, "2025-01-06") == [want]


def test_no_information_on_objects_is_no_absence() -> None:
    text = "В Хмеймиме стоят два Ил-76. По зенитным комплексам С-400 информации нет."
    assert [r[1] for r in read(text, "2025-01-06")] == ["il-76"]


def test_a_list_counts_after_the_type() -> None:
    text = (
        "Хмеймим, снимок от 5 января (воскресенье). Разбираем, что видно.\n\n"
        "Транспортники: Ан-124 — 1, с поднятой носовой частью, то есть под погрузкой. "
        "Ил-76 — 2, один из них на ВПП.\n\n"
        "Вертолётная площадка: Ми-8 — 3, стоят с зачехлёнными винтами."
    )
    got = [(c.equipment, c.count, c.action) for c in claims_of(text, "2025-01-06")]
    assert got == [("an-124", 1, "loading"), ("il-76", 2, "stationed"), ("mi-8", 3, "stationed")]


def test_a_number_after_a_dash_that_is_no_list_count() -> None:
    # a distance after a dash counts nothing; a number before its noun is that noun's
    text = "Two Il-76s left Hmeimim. The S-400 battery - 2 km east of the runway - stayed."
    assert {c.equipment: c.count for c in claims_of(text, "2025-01-06")}["s-400"] == 1
    text = (
        "Zwei Il-76 sind gestern in Hmeimim gelandet. "
        "Ein Konvoi fuhr Richtung Tartus — 30 Fahrzeuge, dann 12 weitere."
    )
    got = {c.equipment: c.count for c in claims_of(text, "2025-01-06")}
    assert (got["convoy"], got["military-vehicle"]) == (1, 30)


def test_objects_listed_between_two_dashes_share_the_verb() -> None:
    text = (
        "Die Kriegsschiffe der russischen Marine – darunter die Fregatte „Admiral Essen“ "
        "und die Korvette „Mytischtschi“ – haben den Hafen von Tartus schon vor Wochen "
        "verlassen und ankern seither vor der Küste."
    )
    got = {(c.equipment, c.action) for c in claims_of(text, "2025-01-10")}
    assert got == {
        (kind, action)
        for kind in ("warship", "frigate", "corvette")
        for action in ("departing", "stationed")
    }


def test_a_generic_noun_does_not_swallow_the_verb_before_its_type() -> None:
    text = "At Hmeimim only three helicopters remain beside the Mi-24 shelters."
    got = [(c.equipment, c.count, c.action) for c in claims_of(text, "2025-01-10")]
    assert ("helicopter", 3, "stationed") in got


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("At Tartus some forty army trucks lined up on the quay.", ("tartus", "military-vehicle")),
        ("На рейде Тартуса по-прежнему держится танкер.", ("tartus", "vessel")),
        (
            "У Тартусі на причалі вишикувалися десятки військових вантажівок.",
            ("tartus", "military-vehicle"),
        ),
    ],
)
def test_lining_up_and_holding_station_are_states(text: str, want: tuple[str, str]) -> None:
    assert read(text) == [(*want, "stationed", False)]


def test_an_arabic_comma_parts_a_class_from_the_type_after_it() -> None:
    # "about ten warplanes, most of them Su-24s": the class and the type, each a claim
    text = "قالت الصحيفة إن قاعدة حميميم لا تزال تضم نحو عشر طائرات حربية، معظمها من طراز سوخوي-24."
    got = [c.equipment for c in claims_of(text, "2025-01-10")]
    assert got == ["combat-aircraft", "su-24"]


@pytest.mark.parametrize(
    "text",
    [
        # "wird"/"werden" with a participle is the present passive, not the future
        "Im Hafen von Tartus wird der Frachter „Sparta IV“ mit Lastwagen beladen.",
        "Nach Angaben von Beobachtern werden in Hmeimim zwei Kampfhubschrauber Ka-52 abgezogen.",
        "Auf dem Stützpunkt Hmeimim, der von den Russen genutzt wird, stehen zwei Il-76.",
    ],
)
def test_the_german_passive_is_no_expectation(text: str) -> None:
    assert {c.modality for c in claims_of(text, "2025-01-20")} == {"observed"}


def test_the_german_future_is_an_expectation() -> None:
    text = "Nach Angaben der Agentur wird Russland seine Flugzeuge aus Hmeimim abziehen."
    assert {c.modality for c in claims_of(text, "2025-01-20")} == {"expected"}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "قد" before a past verb stresses it; before a present one it is "may"
        (
            "وقال مصدر إن آخر طائرتين من طراز إيل-76 كانتا قد أقلعتا من قاعدة حميميم فجر الأحد.",
            "observed",
        ),
        (
            "وقال مصدر عسكري إن الفرقاطة الروسية قد تغادر ميناء طرطوس خلال الأيام المقبلة.",
            "expected",
        ),
        # "could be seen" is what was visible, "could leave" a possibility
        ("In images of Tartus the two frigates could be seen at anchor offshore.", "observed"),
        ("The last two jets I could find left Hmeimim on 26 December.", "observed"),
        ("The frigates could leave Tartus next week.", "expected"),
    ],
)
def test_a_modal_word_that_tells_no_expectation(text: str, want: str) -> None:
    assert {c.modality for c in claims_of(text, "2025-01-20")} == {want}
