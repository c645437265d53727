"""Session 40's round of claim rules: a sentence's language on a tie, where a
correspondent speaks from, datelines with a year, hangars and berths named by what they
hold, a look back under a thread's dated pictures, the writer's reading after "a sign
that", and a few words of imagery and loading."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.claims import Claim, extract_claims
from basewatch.corroborate.language import guess_language
from basewatch.corroborate.reports import parse_report

D = dt.date


def claims_of(text: str, published: str) -> tuple[Claim, ...]:
    return extract_claims(parse_report(text, published=published))


def facts(text: str, published: str = "2024-12-20") -> list[tuple[str, str, str]]:
    return [(c.site, c.equipment, c.action) for c in claims_of(text, published)]


def test_a_tie_between_languages_keeps_the_report_s() -> None:
    sentence = "Seit Montag sind acht Il-76 in Hmeimim gelandet."
    # German "sind" against English "in": as many common words of each
    assert guess_language(sentence) == "en"
    assert guess_language(sentence, prefer="de") == "de"
    assert guess_language(sentence, prefer="fr") == "en"  # a language that does not tie
    text = (
        "Die russische Armee verlegt nach Angaben von Beobachtern weiteres Gerät aus "
        "Syrien. Auf dem Flugplatz herrscht dabei weiter reger Verkehr: Seit Montag sind "
        "laut Flugdaten acht Il-76 in Hmeimim gelandet."
    )
    assert ("hmeimim", "il-76", "arriving") in facts(text)


@pytest.mark.parametrize(
    "bridge",
    [
        "Aus Beirut berichtet unser Korrespondent Jonas Albrecht.",
        "Aus Beirut meldet sich unser Nahost-Korrespondent.",
    ],
)
def test_the_town_a_correspondent_speaks_from_is_no_site(bridge: str) -> None:
    text = (
        "Neue Satellitenbilder zeigen auf dem Stützpunkt Hmeimim zwei Transportflugzeuge "
        f"An-124 mit geöffnetem Bug. {bridge}\n\nAlbrecht: Neben den Flugzeugen stehen "
        "Militärlastwagen, und auf dem Vorfeld sieht man zerlegte Hubschrauber."
    )
    sites = {site for site, _, _ in facts(text)}
    assert sites == {"hmeimim"}, facts(text)


def test_an_english_correspondent_after_the_town() -> None:
    text = (
        "New satellite images show two An-124 transport planes at Hmeimim. From Beirut, "
        "our Middle East correspondent reports. Military trucks are parked beside the planes."
    )
    assert {site for site, _, _ in facts(text)} == {"hmeimim"}


def test_an_arabic_dateline_with_its_year_dates_nothing() -> None:
    text = (
        "بيروت - 12 كانون الأول/ديسمبر 2024 - أظهرت صور التقطتها أقمار صناعية يوم الأربعاء "
        "طائرتي شحن من طراز An-124 في قاعدة حميميم الجوية."
    )
    got = claims_of(text, "2024-12-12")
    assert [(c.equipment, c.date_from, c.date_to) for c in got] == [
        ("an-124", D(2024, 12, 11), D(2024, 12, 11))
    ]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "Satellite images show that three Ka-52 helicopters were dismantled beside the "
            "aircraft hangars at Hmeimim.",
            ["ka-52"],
        ),
        (
            "أظهرت صور الأقمار الصناعية تفكيك ثلاث مروحيات كا-52 قرب حظائر الطائرات في قاعدة "
            "حميميم.",
            ["ka-52"],
        ),
        (
            "The cargo ship Sparta IV is moored at the ro-ro berth of Tartus with her stern "
            "ramp down.",
            ["vessel"],
        ),
    ],
)
def test_what_a_hangar_or_berth_is_for_is_no_object(text: str, kept: list[str]) -> None:
    assert [eq for _, eq, _ in facts(text)] == kept


def test_a_look_back_under_a_thread_s_pictures_leaves_their_day() -> None:
    text = (
        "Thread on the latest pictures of the Russian bases.\n\n"
        "1/ Fresh imagery of Hmeimim from yesterday (Jan 14). I count 3 Su-34 still on "
        "the main apron. On the 2 December pass there were 12 Su-34.\n\n"
        "2/ The northern apron is empty: all six Su-24s are gone.\n\n"
        "3/ Two Mi-8s sit near the hangars. The Ka-52s haven't been seen since the 20 Dec "
        "pass.\n\n"
        "4/ An An-124 is parked on the main apron."
    )
    jan14 = (D(2025, 1, 14), D(2025, 1, 14))
    got = {c.equipment: (c.date_from, c.date_to) for c in claims_of(text, "2025-01-15")}
    assert got["su-24"] == jan14
    assert got["mi-8"] == jan14
    assert got["an-124"] == jan14


@pytest.mark.parametrize(
    "text",
    [
        "Satellite images taken on Tuesday show three Il-76 transport planes on the apron "
        "at Hmeimim, a sign that Moscow is still withdrawing its equipment.",
        "Des images satellite prises mardi montrent trois avions de transport Il-76 sur le "
        "tarmac de Hmeimim, signe que Moscou poursuit son retrait.",
    ],
)
def test_the_writer_s_reading_of_someone_is_not_the_objects_action(text: str) -> None:
    assert facts(text) == [("hmeimim", "il-76", "stationed")]


def test_a_sign_about_the_object_itself_stays_its_action() -> None:
    text = (
        "Images from Tuesday show an An-124 at Hmeimim with its nose cone raised, a sign "
        "that loading was under way."
    )
    assert facts(text) == [("hmeimim", "an-124", "loading")]


def test_imagery_that_caught_objects_saw_them() -> None:
    text = (
        "On Tuesday a commercial imagery firm caught two Il-76s and an An-124 with its "
        "visor raised on the main apron at Hmeimim."
    )
    assert facts(text) == [
        ("hmeimim", "il-76", "stationed"),
        ("hmeimim", "an-124", "loading"),
    ]
