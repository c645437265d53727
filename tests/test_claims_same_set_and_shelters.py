"""Session 45's third round of claim rules (read from `dev48/`): "the same set of images"
is the same pictures however far back they were told; shelters "once used by" objects
that "stand empty" no longer hold them; Spanish "sistemas Pantsir" is one noun (so
"varios" counts it); Russian short participles "свёрнут" (packed up) dismantle. Each case
is a sentence written for the test; none comes from a set of
``tests/data/claims_multilingual``."""

from __future__ import annotations

import datetime as dt

from claim_facts import claims_of, counts_of

D = dt.date
PUBLISHED = "2025-01-15"
MONDAY = D(2025, 1, 13)


def test_the_same_set_of_images_is_of_their_day_however_far_back() -> None:
    text = (
        "Satellite images taken on Monday show three Russian warships leaving Tartus. A "
        "retired officer called it a precaution. The ministry did not respond. The Kremlin "
        "said last week that nothing had been decided. Talks with Damascus go on. At "
        "Hmeimim air base, the same set of images shows two An-124 transports with their "
        "nose cones raised."
    )
    assert ("an-124", "loading", MONDAY) in [
        (c.equipment, c.action, c.date_from) for c in claims_of(text, PUBLISHED)
    ]


def test_shelters_once_used_by_objects_that_stand_empty() -> None:
    text = (
        "Satellite images of Hmeimim from Monday show the change. The shelters once used "
        "by Su-25 attack jets stand empty."
    )
    assert [(c.action, c.date_from) for c in claims_of(text, PUBLISHED)] == [("departing", MONDAY)]


def test_words_of_the_third_round() -> None:
    spanish = (
        "En la base de Hmeimim siguen desplegados varios sistemas Pantsir, según las "
        "imágenes del lunes."
    )
    assert counts_of(spanish, PUBLISHED) == [("air-defence", None, "several")]
    russian = "Хмеймим, 13 января. Зенитный ракетный комплекс «Тор» свёрнут."
    assert [(c.action, c.date_from) for c in claims_of(russian, PUBLISHED)] == [
        ("dismantling", MONDAY)
    ]
