"""Session 48's round of claim rules (read from `dev56/`): "since then" before any word,
a place where objects used to stand, "packed up", the work a relative clause shows, a
reading of the facts after a comma, a move awaited, a way towards a site, datelines of
two cities, "the same source", attributes over "sowie", and a number of them counted
with "of" in other languages. Each case is a sentence written for the test; none comes
from a set of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

from claim_facts import claims_of, counts_of, sightings

PUBLISHED = "2025-01-31"


def _facts(text: str) -> set[tuple[str, str, str, dt.date | None]]:
    return set(sightings(text, PUBLISHED))


def _spans(text: str) -> set[tuple[str, str, dt.date | None, dt.date | None]]:
    return {(c.equipment, c.action, c.date_from, c.date_to) for c in claims_of(text, PUBLISHED)}


def test_since_then_before_any_word_lasts_to_the_publication() -> None:
    spanish = (
        "El martes pasado el carguero Sparta IV atracó en el muelle principal de Tartus, y "
        "desde entonces las grúas cargan camiones militares en sus bodegas."
    )
    spans = _spans(spanish)
    tuesday, published = dt.date(2025, 1, 28), dt.date(2025, 1, 31)
    assert ("military-vehicle", "loading", tuesday, published) in spans, spans
    english = (
        "The frigate Admiral Grigorovich left Tartus on Monday. Since then the corvette has "
        "stayed at anchor off the port of Tartus, the images show."
    )
    spans = _spans(english)
    assert ("corvette", "stationed", dt.date(2025, 1, 27), published) in spans, spans


def test_where_objects_used_to_stand_they_are_gone() -> None:
    text = (
        "The pass from yesterday shows empty revetments at Hmeimim air base where the "
        "Pantsir systems used to sit."
    )
    facts = {(f[0], f[2]) for f in _facts(text)}
    assert ("air-defence", "departing") in facts, facts
    assert ("air-defence", "stationed") not in facts, facts


def test_a_battery_packed_up_is_being_dismantled() -> None:
    text = (
        "Imagery from Thursday shows that the S-400 battery at Hmeimim air base has been "
        "packed up, its launchers lowered."
    )
    facts = {(f[0], f[2]) for f in _facts(text)}
    assert ("s-400", "dismantling") in facts, facts
    assert ("s-400", "loading") not in facts, facts


def test_a_relative_clause_tells_the_work_pictures_show() -> None:
    greek = (
        "Στη βάση Χμεϊμίμ οι δορυφορικές εικόνες της Κυριακής δείχνουν ένα An-124 με "
        "ανυψωμένο το ρύγχος, έτοιμο για φόρτωση, καθώς και ελικόπτερα Ka-52 που "
        "αποσυναρμολογούνται δίπλα στα υπόστεγα."
    )
    facts = {(f[0], f[2]) for f in _facts(greek)}
    assert ("an-124", "loading") in facts, facts
    assert ("ka-52", "dismantling") in facts, facts
    assert ("ka-52", "loading") not in facts, facts


def test_a_reading_of_the_facts_after_a_comma_lends_no_withdrawal() -> None:
    spanish = (
        "En la base aérea de Hmeimim se contaron el domingo cuatro aviones Il-76 en la "
        "plataforma, una cifra muy alta que, según los analistas, apunta a un puente aéreo "
        "de repliegue."
    )
    facts = {(f[0], f[2]) for f in _facts(spanish)}
    assert ("il-76", "stationed") in facts, facts
    assert ("il-76", "withdrawing") not in facts, facts


def test_a_move_awaited_is_not_made() -> None:
    english = (
        "The cargo ship Sparta IV has been waiting off Tartus since 20 January, apparently "
        "until the order to leave comes."
    )
    facts = {(f[0], f[2]) for f in _facts(english)}
    assert ("vessel", "stationed") in facts, facts
    assert ("vessel", "departing") not in facts, facts
    romanian = (
        "La Tartus, nava cargo Sparta IV este ancorată în larg de duminică, așteptând, se "
        "pare, permisiunea de a intra în port."
    )
    facts = {(f[0], f[2]) for f in _facts(romanian)}
    assert ("vessel", "stationed") in facts, facts
    assert ("vessel", "arriving") not in facts, facts


def test_objects_seen_on_the_way_towards_a_site_are_arriving() -> None:
    greek = (
        "Στις εικόνες της Πέμπτης από τη Χμεϊμίμ δεν φαίνονται πια τα συστήματα S-400. "
        "Χθες επίσης εντοπίστηκε φάλαγγα στρατιωτικών οχημάτων στον παραλιακό δρόμο προς "
        "την Ταρτούς."
    )
    facts = {(f[0], f[1], f[2]) for f in _facts(greek)}
    assert ("convoy", "tartus", "arriving") in facts, facts
    assert ("convoy", "hmeimim", "stationed") not in facts, facts


def test_a_dateline_of_two_cities_is_the_day_filed() -> None:
    text = (
        "MOSCOW/DAMASCUS, Jan 27 – Two An-124 transport aircraft were parked at Russia's "
        "Hmeimim air base on Sunday, satellite images showed.\n\nThe images also showed a "
        "Ka-52 attack helicopter being taken apart next to the main runway."
    )
    facts = {(f[0], f[3]) for f in _facts(text)}
    sunday = dt.date(2025, 1, 26)
    assert ("ka-52", sunday) in facts, facts
    assert ("ka-52", dt.date(2025, 1, 27)) not in facts, facts


def test_the_same_source_carries_the_day_of_its_pictures() -> None:
    russian = (
        "Российские корабли отошли от причалов Тартуса, следует из спутниковых снимков, "
        "сделанных во вторник, 28 января. На авиабазе Хмеймим, по данным того же источника, "
        "на стоянке находятся два Ан-124 и три Ил-76."
    )
    facts = {(f[0], f[3]) for f in _facts(russian)}
    tuesday = dt.date(2025, 1, 28)
    assert ("an-124", tuesday) in facts, facts
    assert ("il-76", tuesday) in facts, facts


def test_an_attribute_is_not_lent_over_sowie() -> None:
    german = (
        "Die Satellitenbilder vom Dienstag zeigen in Hmeimim zwei Transportflugzeuge vom "
        "Typ Il-76 mit geöffneten Heckklappen sowie ein Aufklärungsflugzeug Il-20, das am "
        "Rand des Vorfelds abgestellt ist."
    )
    facts = {(f[0], f[2]) for f in _facts(german)}
    assert ("il-76", "loading") in facts, facts
    assert ("il-20", "stationed") in facts, facts
    assert ("il-20", "loading") not in facts, facts


def test_a_number_of_them_counted_with_of() -> None:
    polish = (
        "Na płycie lotniska Hmejmim stały w środę cztery samoloty transportowe Ił-76. Dwa z "
        "Ił-76 miały otwarte rampy załadunkowe, a obok nich ustawiono palety."
    )
    assert ("il-76", 2, "exact") in counts_of(polish, PUBLISHED), counts_of(polish, PUBLISHED)
    spanish = (
        "Cuatro aviones Il-76 estaban el miércoles en la base de Hmeimim. Dos de los Il-76 "
        "tenían las rampas abiertas."
    )
    assert ("il-76", 2, "exact") in counts_of(spanish, PUBLISHED), counts_of(spanish, PUBLISHED)


def test_words_of_dismantling_in_three_languages() -> None:
    polish = (
        "Na zdjęciu z Hmejmim z 9 stycznia widać trzy śmigłowce Mi-24 z odczepionymi wirnikami."
    )
    facts = {(f[0], f[2]) for f in _facts(polish)}
    assert ("mi-24", "dismantling") in facts, facts
    ukrainian = (
        "На супутникових знімках авіабази Хмеймім, зроблених у суботу, видно, як пускові "
        "установки С-400 знімають з позицій."
    )
    facts = {(f[0], f[2]) for f in _facts(ukrainian)}
    assert ("s-400", "dismantling") in facts, facts


def test_vehicles_heading_into_the_naval_facility_are_arriving() -> None:
    text = (
        "Footage filmed at Tartus on Thursday shows around 40 military vehicles heading into "
        "the naval facility."
    )
    facts = {(f[0], f[1], f[2]) for f in _facts(text)}
    assert ("military-vehicle", "tartus", "arriving") in facts, facts
