"""Session 46's first round of claim rules (read from `dev50/`): a sentence that opens
by naming the objects the sentence before told of ("Πρόκειται για τις φρεγάτες ...")
gives each of them every claim told of them; a ship at a pier whose loading a clause of
its own tells is there as well as being loaded; a part of the month of publication
with no month named ("на початку місяця", "late last month") dates a claim; two
matches sharing a word make one mention of the more specific; launchers and batteries
after an S-400 was named are its parts; Polish "maszyny bojowe" are combat aircraft and
French "accueillait" tells what a base held. Each case is a sentence written for the
test; none comes from a set of ``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

from claim_facts import claims_of, sightings

D = dt.date
PUBLISHED = "2025-01-15"
MONDAY = D(2025, 1, 13)


def _facts(text: str) -> list[tuple[str, str, str, dt.date | None]]:
    return sightings(text, PUBLISHED)


def test_the_objects_a_sentence_names_share_every_claim_of_the_sentence_before() -> None:
    greek = (
        "Δορυφορικές εικόνες της Δευτέρας δείχνουν ότι τα πολεμικά πλοία της Ταρτούς έχουν "
        "αποπλεύσει και βρίσκονται αγκυροβολημένα ανοιχτά. Πρόκειται για δύο κορβέτες και "
        "ένα υποβρύχιο."
    )
    facts = _facts(greek)
    for kind in ("corvette", "submarine"):
        assert (kind, "tartus", "departing", MONDAY) in facts, facts
        assert (kind, "tartus", "stationed", MONDAY) in facts, facts
    romanian = (
        "Două nave rusești au plecat luni din portul Tartus. Este vorba despre fregata "
        "Amiral Essen și o corvetă."
    )
    facts = _facts(romanian)
    assert ("frigate", "tartus", "departing", MONDAY) in facts, facts
    assert ("corvette", "tartus", "departing", MONDAY) in facts, facts
    # a sentence with a verb of its own keeps its own claims
    own = (
        "Dwa okręty stały w poniedziałek w porcie w Tartusie. Chodzi o fregatę, która "
        "wypłynęła we wtorek."
    )
    assert ("frigate", "tartus", "stationed", MONDAY) not in _facts(own)


def test_a_ship_at_the_pier_whose_loading_a_clause_tells_is_there_too() -> None:
    polish = (
        "W porcie w Tartusie od poniedziałku cumuje statek towarowy, do którego ładowane są "
        "ciężarówki wojskowe."
    )
    facts = _facts(polish)
    assert ("vessel", "tartus", "stationed", MONDAY) in facts, facts
    assert ("vessel", "tartus", "loading", MONDAY) in facts, facts
    # the day told after the comma is the loading's, not the ship's presence
    russian = (
        "В порту Тартуса у причала стоит большой десантный корабль, который, по словам "
        "местных жителей, загружают с понедельника."
    )
    facts = _facts(russian)
    assert ("landing-ship", "tartus", "stationed", None) in facts, facts
    assert ("landing-ship", "tartus", "loading", MONDAY) in facts, facts


def test_a_loading_told_as_the_manner_of_the_ship_s_presence_is_one_claim() -> None:
    for text in (
        "В порту Тартуса с понедельника стоит под погрузкой грузовое судно.",
        "Le cargo était lundi à quai à Tartous, rampe abaissée, prêt à charger.",
    ):
        actions = sorted(f[2] for f in _facts(text) if f[0] == "vessel")
        assert actions == ["loading"], (text, actions)


def test_a_part_of_the_month_of_publication_dates_a_claim() -> None:
    early_january = (D(2025, 1, 1), D(2025, 1, 10))
    for text in (
        "Ще на початку місяця на авіабазі Хмеймім стояло понад 20 літаків.",
        "В начале месяца на авиабазе Хмеймим стояли более 20 самолётов.",
        "At the start of the month more than 20 aircraft were parked at Hmeimim.",
        "Au début du mois, plus de 20 avions stationnaient à Hmeimim.",
    ):
        days = [(c.date_from, c.date_to) for c in claims_of(text, "2025-01-30")]
        assert days == [early_january], (text, days)
    late_december = (D(2024, 12, 21), D(2024, 12, 31))
    for text in (
        "Late last month more than 20 aircraft were parked at Hmeimim.",
        "A finales del mes pasado, más de 20 aviones estaban estacionados en Hmeimim.",
    ):
        days = [(c.date_from, c.date_to) for c in claims_of(text, "2025-01-30")]
        assert days == [late_december], (text, days)
    # a month named after it is that month; an end of the month still to come dates nothing
    named = "À la fin du mois de décembre, 20 avions stationnaient à Hmeimim."
    assert all(c.date_from != D(2025, 1, 21) for c in claims_of(named, "2025-01-30"))
    ahead = "Two Il-76 were parked at Hmeimim at the end of the month."
    assert [c.date_from for c in claims_of(ahead, "2025-01-05")] == [None]


def test_matches_sharing_a_word_make_one_mention_of_the_more_specific() -> None:
    text = "Росія демонтує зенітні комплекси С-400 на авіабазі Хмеймім."
    claims = claims_of(text, PUBLISHED)
    assert [(c.equipment, c.action) for c in claims] == [("s-400", "dismantling")]
    start, end = claims[0].equipment_span
    assert text[start:end] == "зенітні комплекси С-400"


def test_launchers_after_an_s400_was_named_are_its_parts() -> None:
    english = (
        "The S-400 battery at Hmeimim was dismantled on Monday. Its launchers have not "
        "been seen since."
    )
    assert ("s-400", "hmeimim", "departing", MONDAY) in _facts(english)
    ukrainian = (
        "Комплекс С-400 на авіабазі Хмеймім демонтовано в понеділок: пускові установки "
        "вже на вантажівках."
    )
    kinds = {f[0] for f in _facts(ukrainian)}
    assert kinds == {"s-400"}, kinds
    # a system named since is not the S-400
    other = (
        "The S-400 battery at Hmeimim was dismantled on Monday, while two Tor launchers "
        "were flown out on an An-124."
    )
    assert {f[0] for f in _facts(other)} >= {"s-400", "air-defence"}
    # with no S-400 named before, launchers stay air defence
    plain = "At Hmeimim, the launchers were dismantled on Monday."
    assert {f[0] for f in _facts(plain)} == {"air-defence"}


def test_combat_machines_and_a_base_that_hosted_ships() -> None:
    # "Hmejmimie": the Polish spelling's locative
    polish = "W poniedziałek na płycie w Hmejmimie stało pięć maszyn bojowych."
    assert ("combat-aircraft", "hmeimim", "stationed", MONDAY) in _facts(polish)
    french = "La base navale de Tartous accueillait lundi une frégate et un sous-marin."
    facts = _facts(french)
    assert ("frigate", "tartus", "stationed", MONDAY) in facts, facts
    assert ("submarine", "tartus", "stationed", MONDAY) in facts, facts
