"""Hedged claims: a report that holds what it saw or what happened as likely ("the Su-35s
appear to have gone") makes a claim of modality ``hedged``, which imagery judges like a
sighting and whose verdict names the hedge; a plan or what may yet happen ("may leave
next week") stays ``expected`` and unjudged."""

from __future__ import annotations

import datetime as dt

import pytest

from basewatch.corroborate.claims import Claim, extract_claims
from basewatch.corroborate.gazetteer import ASSERTED_MODALITIES, MODALITIES
from basewatch.corroborate.link import UNJUDGED_MODALITIES, Verdict, assess
from basewatch.corroborate.reports import parse_report
from test_link import SPAN, cov, det

PUBLISHED = "2024-12-20"


def claims_of(text: str, published: str = PUBLISHED) -> tuple[Claim, ...]:
    return extract_claims(parse_report(text, published=published))


def facts(text: str) -> list[tuple[str, str, str]]:
    return [(c.equipment, c.action, c.modality) for c in claims_of(text)]


def test_every_modality_is_judged_or_not() -> None:
    assert set(MODALITIES) == ASSERTED_MODALITIES | UNJUDGED_MODALITIES
    assert "hedged" in ASSERTED_MODALITIES and "expected" in UNJUDGED_MODALITIES


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("At Hmeimim the Su-35 fighters appear to have gone.", ("su-35", "departing")),
        (
            "Next to the runway at Hmeimim, a Ka-52 appeared to have had its rotor blades removed.",
            ("ka-52", "dismantling"),
        ),
        ("Two frigates have apparently left Tartus.", ("frigate", "departing")),
        ("An S-400 battery at Hmeimim may have been dismantled.", ("s-400", "dismantling")),
        (
            "À Hmeimim, plusieurs hélicoptères Ka-52 semblent avoir été démontés.",
            ("ka-52", "dismantling"),
        ),
        (
            "Auf dem Stützpunkt Hmeimim wurden offenbar zwei Kampfhubschrauber Ka-52 zerlegt.",
            ("ka-52", "dismantling"),
        ),
        (
            "Al parecer, dos fragatas rusas han abandonado el puerto de Tartus.",
            ("frigate", "departing"),
        ),
        ("По-видимому, два фрегата покинули Тартус.", ("frigate", "departing")),
        ("Схоже, два російські фрегати вже залишили порт Тартус.", ("frigate", "departing")),
        ("Dwie fregaty najwyraźniej opuściły Tartus.", ("frigate", "departing")),
        (
            "Στην Ταρτούς, δύο φρεγάτες φαίνεται να έχουν αποχωρήσει από το λιμάνι.",
            ("frigate", "departing"),
        ),
        ("Se pare că două fregate au părăsit portul Tartus.", ("frigate", "departing")),
        ("يبدو أن فرقاطتين روسيتين غادرتا ميناء طرطوس.", ("frigate", "departing")),
    ],
)
def test_a_hedged_sighting_is_hedged(text: str, fact: tuple[str, str]) -> None:
    assert (*fact, "hedged") in facts(text)


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        # what may yet happen, and a plan the hedge is about
        ("The frigates may leave Tartus next week.", ("frigate", "departing")),
        (
            "At Tartus the frigates seem to be preparing to leave the harbour.",
            ("frigate", "departing"),
        ),
        ("Два фрегата, вероятно, покинут Тартус на следующей неделе.", ("frigate", "departing")),
    ],
)
def test_a_plan_stays_expected(text: str, fact: tuple[str, str]) -> None:
    assert (*fact, "expected") in facts(text)


@pytest.mark.parametrize(
    "text",
    [
        # the hedge is on the purpose, not on what was seen
        "The Sparta IV has been anchored off Tartus since 18 December, apparently waiting "
        "for permission to enter the port.",
        "Das Landungsschiff ist am Dienstag in Tartus eingelaufen, offenbar um Fahrzeuge "
        "aufzunehmen.",
        # seen, not seeming: the Greek verb of being visible
        "Στις εικόνες φαίνονται δύο φρεγάτες στο λιμάνι της Ταρτούς.",
    ],
)
def test_a_hedge_on_a_purpose_or_a_verb_of_seeing_is_no_hedge(text: str) -> None:
    got = claims_of(text)
    assert got and all(c.modality in ("observed", "reported") for c in got), [
        (c.summary, c.modality) for c in got
    ]


def test_imagery_judges_a_hedged_claim_and_names_the_hedge() -> None:
    told = claims_of(f"{SPAN} two planes left the apron at Beirut airport.", "2017-10-05")
    hedged = claims_of(
        f"{SPAN} two planes appear to have left the apron at Beirut airport.", "2017-10-05"
    )
    planned = claims_of(
        f"{SPAN} two planes were expected to leave the apron at Beirut airport.", "2017-10-05"
    )
    assert [c.modality for c in (*told, *hedged, *planned)] == ["observed", "hedged", "expected"]
    dets = [det(id="a"), det(id="b", confidence=0.6)]
    v_told, v_hedged, v_planned = assess([*told, *hedged, *planned], dets, [cov()])
    # the same evidence, the same verdict and score as the plain claim's
    assert v_hedged.verdict is v_told.verdict is Verdict.SUPPORTS
    assert v_hedged.score == v_told.score
    assert {k.detection_id for k in v_hedged.links} == {"a", "b"}
    assert "not certain (hedged)" in v_hedged.reason
    assert "hedged" not in v_told.reason
    # a plan is never held to imagery
    assert v_planned.verdict is Verdict.CANNOT_RESOLVE and not v_planned.links


def test_a_hedged_claim_takes_the_day_of_the_pictures() -> None:
    text = "Satellite images taken on Monday show Hmeimim. The Su-35 fighters appear to have gone."
    (c,) = [c for c in claims_of(text) if c.equipment == "su-35"]
    assert c.modality == "hedged"
    assert (c.date_from, c.date_to) == (dt.date(2024, 12, 16), dt.date(2024, 12, 16))
