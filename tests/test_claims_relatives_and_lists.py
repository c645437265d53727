"""Session 47's first round of claim rules (read from `dev53/`): relative clauses tell
their own events and do not lend their verbs to other nouns; a list goes on after "as
well as" (lexicon ``also_words``) and after a dash that names the kinds of counted
objects; a noun's own participle follows one word of its own; a live entry's title is
of the day its text gives; what a passage is closed to (lexicon ``closed_to``), a
column vehicles drive in and a move asked permission for make no claim; "several of
its" counts several. Each case is a sentence written for the test; none comes from a
set of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

from claim_facts import claims_of, counts_of, sightings

D = dt.date
PUBLISHED = "2025-01-15"
MONDAY = D(2025, 1, 13)
TUESDAY = D(2025, 1, 14)


def _facts(text: str) -> list[tuple[str, str, str, dt.date | None]]:
    return sightings(text, PUBLISHED)


def test_each_noun_joined_before_a_relative_clause_keeps_the_main_verb() -> None:
    text = (
        "Off Tartus, the submarine and the three corvettes that sailed from the port in "
        "early January are still riding at anchor."
    )
    facts = _facts(text)
    for kind in ("submarine", "corvette"):
        assert (kind, "tartus", "stationed", None) in facts, facts
        assert (kind, "tartus", "departing", D(2025, 1, 1)) in facts, facts


def test_an_earlier_noun_s_relative_clause_is_not_the_listed_objects_verb() -> None:
    text = (
        "Pictures from Monday show Tartus. Three of the ships that left the harbour on "
        "10 January – a frigate, a tanker and a tug – were anchored offshore."
    )
    facts = _facts(text)
    assert ("frigate", "tartus", "stationed", MONDAY) in facts, facts
    assert not any(f[0] == "frigate" and f[2] == "departing" for f in facts), facts


def test_a_where_clause_after_the_place_tells_how_the_ships_came_there() -> None:
    russian = (
        "Корвет «Меркурий» и танкер по-прежнему стоят на рейде Тартуса, куда они ушли 10 января."
    )
    facts = _facts(russian)
    for kind in ("corvette", "vessel"):
        assert (kind, "tartus", "stationed", None) in facts, facts
        assert (kind, "tartus", "departing", D(2025, 1, 10)) in facts, facts


def test_a_relative_clause_with_a_source_and_a_day_of_its_own_is_an_event_of_its_own() -> None:
    russian = (
        "На снимках понедельника у причала в Тартусе стоит танкер «Ельня», который, "
        "по данным сайтов слежения за судами, пришёл в порт 7 января."
    )
    facts = _facts(russian)
    assert ("vessel", "tartus", "stationed", MONDAY) in facts, facts
    assert ("vessel", "tartus", "arriving", D(2025, 1, 7)) in facts, facts


def test_as_well_as_joins_a_list_whose_last_item_keeps_its_own_words() -> None:
    ukrainian = (
        "На знімках Хмеймима видно чотири Су-34 і два Іл-76 біля ангарів, а також "
        "три розібрані гелікоптери Ка-52."
    )
    facts = _facts(ukrainian)
    assert ("su-34", "hmeimim", "stationed", None) in facts, facts
    assert ("il-76", "hmeimim", "stationed", None) in facts, facts
    assert ("ka-52", "hmeimim", "dismantling", None) in facts, facts
    russian = (
        "На снимках Хмеймима видны два Су-35 и три Ил-76, а также вертолёты Ми-8, у "
        "которых сняты лопасти."
    )
    facts = _facts(russian)
    assert ("su-35", "hmeimim", "stationed", None) in facts, facts
    assert ("mi-8", "hmeimim", "dismantling", None) in facts, facts
    assert not any(f[0] == "su-35" and f[2] == "dismantling" for f in facts), facts
    # the item after "as well as" shares the list's verb
    last = "На авіабазі Хмеймім стоять два Су-35, а також батарея «Панцир»."
    assert ("air-defence", "hmeimim", "stationed", None) in _facts(last)


def test_a_dash_after_counted_objects_names_their_kinds() -> None:
    ukrainian = (
        "Відтоді з Хмеймима вилетіли щонайменше 30 військово-транспортних літаків — "
        "здебільшого Іл-76 та кілька Ан-124."
    )
    kinds = {(f[0], f[2]) for f in _facts(ukrainian)}
    assert {("il-76", "departing"), ("an-124", "departing")} <= kinds, kinds


def test_a_noun_s_own_participle_after_one_word_of_its_own() -> None:
    french = (
        "Les images de lundi montrent à Hmeimim un Mi-8 en cours de démontage et "
        "quatre camions militaires stationnés devant le hangar."
    )
    facts = _facts(french)
    assert ("mi-8", "hmeimim", "dismantling", MONDAY) in facts, facts
    assert ("military-vehicle", "hmeimim", "stationed", MONDAY) in facts, facts
    # a short word of grammar between is no word of the noun's own
    russian = "В Тартус пришёл танкер «Ельня» для вывоза техники."
    assert ("vessel", "tartus", "arriving", None) in _facts(russian)


def test_a_live_entry_title_is_of_the_day_its_text_gives() -> None:
    german = (
        "Syrien-Ticker\n\nMittwoch, 15. Januar 2025\n\n"
        "+++ 11:40 Uhr – Kreml schweigt zu Stützpunkten +++\n"
        "Moskau äußerte sich zunächst nicht zur Zukunft seiner Basen.\n\n"
        "+++ 10:20 Uhr – Fregatte verlässt Tartus +++\n"
        "Die Fregatte „Admiral Essen“ hat nach Angaben von Schiffsbeobachtern gestern den "
        "Hafen von Tartus verlassen."
    )
    facts = _facts(german)
    assert facts.count(("frigate", "tartus", "departing", TUESDAY)) == 2, facts


def test_what_no_claim_is_made_of() -> None:
    closed = (
        "Rosyjskie statki pozostają w Tartusie, bo cieśniny tureckie są zamknięte dla "
        "okrętów wojennych."
    )
    assert all(c.equipment != "warship" for c in claims_of(closed, PUBLISHED))
    column = "A video from Monday shows some 30 military trucks driving in a column towards Tartus."
    assert [c.equipment for c in claims_of(column, PUBLISHED)] == ["military-vehicle"]
    permission = (
        "The tanker Yelnya has been anchored off Tartus since Monday, waiting for "
        "permission to enter the port."
    )
    actions = {c.action for c in claims_of(permission, PUBLISHED)}
    assert actions == {"stationed"}, actions


def test_several_of_its() -> None:
    spanish = "Rusia ha retirado varios de sus helicópteros de la base de Hmeimim."
    assert ("helicopter", None, "several") in counts_of(spanish, PUBLISHED)
    english = "Russia has flown some of its Su-24s out of Hmeimim."
    assert ("su-24", None, "several") in counts_of(english, PUBLISHED)


def test_an_earlier_state_at_a_place_after_where_has_no_day() -> None:
    spanish = (
        "Las imágenes del lunes muestran en el muelle de Tartus solo un remolcador, allí "
        "donde antes estaban amarradas las corbetas."
    )
    facts = _facts(spanish)
    assert ("corvette", "tartus", "stationed", None) in facts, facts
    english = (
        "Satellite images from Monday show Hmeimim. An An-124 stands on the apron with "
        "its nose cone up, which usually signals that cargo is going aboard. The Il-20 "
        "that usually sits by the tower is gone."
    )
    facts = _facts(english)
    assert ("an-124", "hmeimim", "loading", MONDAY) in facts, facts
    assert ("il-20", "hmeimim", "departing", MONDAY) in facts, facts
