"""Session 42's third round of claim rules (read from `dev37/`): a capital named for its
government does not become the place the text is about, an absence "not visible in
Sunday's imagery" is of that day, a relative clause after nouns joined by "and" is an
aside of them all (not the first noun's verb), and words missing from four lexicons;
and the fourth round's (read from `dev38/`): a caption opening with a bracketed tag and
words of four more lexicons."""

from __future__ import annotations

import datetime as dt

from claim_facts import claims_of, sorted_facts

D = dt.date


def test_talks_with_damascus_do_not_move_the_account_there() -> None:
    text = (
        "Two Il-76 transport planes landed at Hmeimim yesterday. Talks with the new "
        "authorities in Damascus are continuing, and nobody here believes the Russians are "
        "leaving completely. What is clear is that the helicopters have gone."
    )
    assert {(c.site, c.equipment) for c in claims_of(text, "2025-01-31")} == {
        ("hmeimim", "il-76"),
        ("hmeimim", "helicopter"),
    }


def test_not_visible_in_an_image_is_absent_on_its_day() -> None:
    text = (
        "At the Tartus naval facility, a frigate and two corvettes that usually berth at "
        "the Russian pier were not visible in Sunday's imagery."
    )
    sunday = D(2024, 12, 15)
    assert sorted_facts(text, "2024-12-17") == [
        ("tartus", "corvette", "departing", sunday, sunday),
        ("tartus", "frigate", "departing", sunday, sunday),
    ]


def test_a_relative_clause_after_joined_nouns_is_not_the_first_noun_s_verb() -> None:
    # Ukrainian: "in the roadstead stand a frigate and a submarine, which left the port
    # on 3 January"
    text = "На рейді Тартуса стоять фрегат і підводний човен, які вийшли з порту ще 3 січня."
    jan3 = D(2025, 1, 3)
    assert sorted_facts(text, "2025-02-21") == [
        ("tartus", "frigate", "departing", jan3, jan3),
        ("tartus", "frigate", "stationed", None, None),
        ("tartus", "submarine", "departing", jan3, jan3),
        ("tartus", "submarine", "stationed", None, None),
    ]


def test_words_of_four_lexicons() -> None:
    # Spanish "se han alejado" (moved away) and "rampas bajadas" (ramps down), French
    # "s'y sont posés" (landed there), English "docked there", Polish ship tracking
    spanish = (
        "Imágenes tomadas el lunes muestran que los buques de guerra rusos en Tartus se han "
        "alejado del puerto y permanecen fondeados a unos 15 kilómetros de la costa."
    )
    monday = D(2024, 12, 9)
    assert sorted_facts(spanish, "2024-12-11") == [
        ("tartus", "warship", "departing", monday, monday),
        ("tartus", "warship", "stationed", monday, monday),
    ]
    assert [
        c.action
        for c in claims_of(
            "En Hmeimim, tres An-124 esperaban en la plataforma con las rampas bajadas.",
            "2025-02-03",
        )
    ] == ["loading"]
    french = (
        "À Hmeimim, les avions de transport atterrissent presque chaque jour. Lundi, deux "
        "Il-76 et un An-124 s'y sont posés."
    )
    assert ("hmeimim", "il-76", "arriving", D(2025, 1, 6), D(2025, 1, 6)) in sorted_facts(
        french, "2025-01-08"
    )
    assert [
        c.action
        for c in claims_of(
            "Tartus is a harder case. Last week the Ivan Gren landing ship docked there.",
            "2025-01-20",
        )
    ] == ["arriving"]
    polish = (
        "W Tartusie stoi statek towarowy „Sparta IV”, który według serwisów śledzących ruch "
        "statków przypłynął w czwartek."
    )
    assert all(c.equipment == "vessel" and c.count == 1 for c in claims_of(polish, "2024-12-30"))


def test_a_caption_opening_with_a_bracketed_tag_lists_what_is_there() -> None:
    # session 42's fourth round (read from `dev38/`)
    text = (
        "[Image 1] Hmeimim air base, 18 February 2025: two Su-35 fighters and an Il-20 "
        "surveillance aircraft on the main apron."
    )
    day = D(2025, 2, 18)
    assert sorted_facts(text, "2025-02-20") == [
        ("hmeimim", "il-20", "stationed", day, day),
        ("hmeimim", "su-35", "stationed", day, day),
    ]


def test_headlines_and_a_negated_sighting_of_four_lexicons() -> None:
    # Spanish "saca" and Greek "μαζεύει" (takes out, gathers up), Russian "возвращает
    # ... в" (returns to), Polish "nie widzę" (I do not see)
    assert {
        c.equipment: c.action
        for c in claims_of(
            "Rusia saca helicópteros y sistemas antiaéreos de su base de Hmeimim", "2024-12-27"
        )
    } == {"helicopter": "withdrawing", "air-defence": "withdrawing"}
    assert {
        c.equipment: c.action
        for c in claims_of(
            "Συρία: Η Ρωσία μαζεύει αεροσκάφη και ελικόπτερα από τη βάση της Χμεϊμίμ",
            "2025-01-10",
        )
    } == {"aircraft": "withdrawing", "helicopter": "withdrawing"}
    assert [
        (c.site, c.action)
        for c in claims_of("СМИ: Россия возвращает корабли в Тартус", "2025-02-10")
    ] == [("tartus", "arriving")]
    polish = (
        "W Tartusie widzę przy nabrzeżu fregatę i dwie korwety. Nie widzę natomiast okrętu "
        "podwodnego, który jeszcze 10 stycznia był w porcie."
    )
    submarine = [c for c in claims_of(polish, "2025-01-20") if c.equipment == "submarine"]
    assert sorted((c.action, c.date_from) for c in submarine) == [
        ("departing", None),
        ("stationed", D(2025, 1, 10)),
    ]
