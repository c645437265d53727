"""Session 42's second round of claim rules (read from `dev36/`): places far from the
sites, objects "together with" or "except" another, "since then" after the verb or
from the sentence before, an English participle of mooring after a sighting, one day
named twice, and words missing from five lexicons."""

from __future__ import annotations

import datetime as dt

from claim_facts import claims_of, sorted_facts

D = dt.date


def test_aircraft_seen_in_benghazi_are_no_claim_about_hmeimim() -> None:
    # French and Greek: the discourse is about Hmeimim, the planes are in Benghazi
    for text in (
        "À Hmeimim, trois Su-35 restent sur le tarmac. En Allemagne, un hebdomadaire "
        "s'intéresse plutôt à la Libye, où des avions russes auraient été aperçus à "
        "Benghazi ces dernières semaines.",
        "Στη Χμεϊμίμ παραμένουν τρία Su-35. Ήδη, σύμφωνα με αναλυτές, ρωσικά στρατιωτικά "
        "αεροσκάφη έχουν προσγειωθεί τις τελευταίες ημέρες στη Βεγγάζη.",
    ):
        assert [c.equipment for c in claims_of(text, "2025-01-14")] == ["su-35"]


def test_leaving_the_base_for_libya_is_still_a_departure_from_it() -> None:
    text = (
        "Satellite images of Hmeimim show the base half empty. Two Il-76s left the base "
        "for Libya on Sunday."
    )
    assert ("hmeimim", "il-76", "departing", D(2025, 1, 12), D(2025, 1, 12)) in sorted_facts(
        text, "2025-01-14"
    )


def test_a_far_place_elsewhere_in_the_sentence_does_not_move_the_claim() -> None:
    text = (
        "Un avión de transporte An-124 aterrizó el domingo en la base de Hmeimim y despegó "
        "horas después rumbo a Rusia, según los servicios de seguimiento de vuelos, que "
        "registran un intenso tráfico entre Siria, Libia y el aeródromo de Mozdok."
    )
    actions = {(c.site, c.action) for c in claims_of(text, "2024-12-23") if c.equipment == "an-124"}
    assert actions == {("hmeimim", "arriving"), ("hmeimim", "departing")}


def test_a_tilde_is_about() -> None:
    (claim,) = claims_of("At Tartus I count ~60 military vehicles on the quay.", "2025-01-09")
    assert (claim.count, claim.count_qualifier) == (60, "about")


def test_since_then_after_the_verb_starts_from_the_sentence_before() -> None:
    text = (
        "Die Kriegsschiffe sind bereits Mitte Dezember aus dem Hafen von Tartus ausgelaufen. "
        "Die Fregatte „Admiral Grigorowitsch“ und zwei Korvetten ankern seither wenige "
        "Kilometer vor der Hafeneinfahrt."
    )
    anchored = [c for c in claims_of(text, "2025-01-15") if c.action == "stationed"]
    assert {(c.equipment, c.date_from, c.date_to) for c in anchored} == {
        ("frigate", D(2024, 12, 11), D(2025, 1, 15)),
        ("corvette", D(2024, 12, 11), D(2025, 1, 15)),
    }


def test_since_then_of_a_second_predicate_does_not_stretch_the_first() -> None:
    text = (
        "Das U-Boot Krasnodar hat den Hafen von Tartus am 9. Januar verlassen und ist "
        "seither nicht zurückgekehrt."
    )
    (claim,) = claims_of(text, "2025-01-22")
    assert (claim.action, claim.date_from, claim.date_to) == (
        "departing",
        D(2025, 1, 9),
        D(2025, 1, 9),
    )


def test_a_companion_keeps_the_state_and_a_phrase_of_state_does_not_stop_the_second_verb() -> None:
    # "left its berth on Thursday and has been anchored since, with a submarine"
    text = (
        "À Tartous, la frégate Amiral Grigorovitch a quitté jeudi son poste à quai et "
        "mouille depuis à quelques milles au large, en compagnie d'un sous-marin."
    )
    thursday, published = D(2024, 12, 12), D(2024, 12, 16)
    assert sorted_facts(text, "2024-12-16") == [
        ("tartus", "frigate", "departing", thursday, thursday),
        ("tartus", "frigate", "stationed", thursday, published),
        ("tartus", "submarine", "stationed", thursday, published),
    ]


def test_a_companion_is_not_gone_with_an_aside_of_the_first_object() -> None:
    text = (
        "La fragata Almirante Grigoróvich, que abandonó Tartus a mediados de diciembre, "
        "sigue fondeada frente a la costa junto a un buque de desembarco."
    )
    landing = [c for c in claims_of(text, "2025-01-10") if c.equipment == "landing-ship"]
    assert [(c.action, c.date_from) for c in landing] == [("stationed", None)]


def test_images_showing_a_ship_docked_see_it_there_and_one_not_in_the_picture_is_gone() -> None:
    text = (
        "A commercial satellite image dated Tuesday shows the cargo ship Sparta IV docked "
        "at the main pier in Tartus. The landing ship Ivan Gren, usually berthed on the "
        "opposite side of the pier, does not appear in the picture."
    )
    tuesday = D(2024, 12, 17)
    assert sorted_facts(text, "2024-12-18") == [
        ("tartus", "landing-ship", "departing", tuesday, tuesday),
        ("tartus", "vessel", "stationed", tuesday, tuesday),
    ]


def test_the_one_object_except_which_a_pier_is_empty_is_there() -> None:
    assert sorted_facts(
        "Tartus naval facility, 19 January 2025. The main pier is empty except for one "
        "Kilo-class submarine.",
        "2025-01-20",
    ) == [("tartus", "submarine", "stationed", D(2025, 1, 19), D(2025, 1, 19))]
    # Arabic: "the pier is almost empty, except a cargo ship moored at its southern end"
    assert [
        (c.site, c.equipment, c.action, c.absence)
        for c in claims_of(
            "في ميناء طرطوس، الرصيف شبه فارغ، باستثناء سفينة شحن ترسو عند طرفه الجنوبي.",
            "2025-01-13",
        )
    ] == [("tartus", "vessel", "stationed", False)]


def test_one_day_named_twice_is_the_weekday() -> None:
    text = "Накануне, в понедельник, с авиабазы Хмеймим вылетели два самолёта Ил-76."
    assert sorted_facts(text, "2025-02-05") == [
        ("hmeimim", "il-76", "departing", D(2025, 2, 3), D(2025, 2, 3))
    ]


def test_while_after_a_comma_opens_a_clause_of_its_own_in_spanish() -> None:
    text = (
        "En Tartus ya no queda ningún buque de guerra atracado, mientras un submarino de "
        "la clase Kilo y dos corbetas esperan fondeados a la vista de la costa."
    )
    actions = {c.equipment: c.action for c in claims_of(text, "2025-02-20")}
    assert actions == {"warship": "departing", "submarine": "stationed", "corvette": "stationed"}


def test_arabic_and_written_on_the_next_noun_parts_two_objects() -> None:
    text = "روسيا تسحب طائرات ومروحيات من حميميم"
    assert sorted(c.equipment for c in claims_of(text, "2024-12-15")) == ["aircraft", "helicopter"]


def test_words_of_five_lexicons() -> None:
    # English loading, Ukrainian columns of trucks, Romanian "not seen since"
    assert sorted_facts(
        "At Hmeimim a Pantsir air-defence vehicle was driven onto a low-loader.", "2024-12-18"
    ) == [("hmeimim", "air-defence", "loading", None, None)]
    assert [
        c.action
        for c in claims_of(
            "At the end of the long pier in Tartus you can see rows of military trucks "
            "waiting to go aboard.",
            "2025-01-24",
        )
    ] == ["loading"]
    (convoy,) = claims_of("У суботу до порту Тартус прибули кілька колон вантажівок.", "2025-01-20")
    assert (convoy.equipment, convoy.count_qualifier, convoy.action) == (
        "convoy",
        "several",
        "arriving",
    )
    assert sorted_facts(
        "Pe scurt: avioanele Su-24 nu mai apar pe imaginile bazei Hmeimim din 20 ianuarie.",
        "2025-02-14",
    ) == [("hmeimim", "su-24", "departing", D(2025, 1, 20), D(2025, 2, 14))]
