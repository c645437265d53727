"""Each claim's date chosen among the report's dates by a trained model.

The extractor's rules date a claim by its own clause, else by what they carry from the
sentences before (a pass of imagery, the previous sentence's account, a dated heading).
Which earlier date a later mention takes, or whether it takes none, is where its dates
go wrong most often: over the sets of ``tests/data/claims_multilingual/`` about half of
the wrong claims that are wrong in one field only are wrong in their date, most of them
a date carried where the writer carried none or the reverse. This module weighs, for
each claim, every date the report gives (and "no date") with a boosted tree ensemble
over where the date stands against the mention (sentences, paragraphs, dates between,
the claims beside it) and what the rules chose, and keeps the rules' choice unless the
model prefers another.

The model (``models/claim_dates.json``, format ``basewatch-gbt-1``, read by
:mod:`basewatch.detect.classify`) is trained by ``benchmarks/train_claim_dates.py`` on
the development sets only; ``models/CLAIM_DATES.md`` gives its data and its scores on
the sets it never saw. Everything here is pure: the caller finds the dates and the
sentences.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from basewatch.corroborate.gazetteer import MODALITIES
from basewatch.errors import InputError

if TYPE_CHECKING:
    from basewatch.corroborate.claims import Claim
    from basewatch.detect.classify import VesselClassifier

#: The shipped model, in ``basewatch/corroborate/models/``.
MODEL_FILE = "claim_dates.json"

#: The actions in the order the feature ``action`` numbers them (others: -1).
ACTIONS = (
    "departing",
    "arriving",
    "stationed",
    "loading",
    "unloading",
    "dismantling",
    "moving",
    "withdrawing",
)

#: Feature names, in the model's column order. Per claim: the rules gave it no date
#: (``rules_none``) or carried one (``inherited``), its action, the sentence, relative
#: position and paragraph of its mention, the report's distinct dates and their
#: mentions, an absence, a site referred back to, its modality (the order of
#: :data:`~basewatch.corroborate.gazetteer.MODALITIES`). Per candidate: "no date"
#: (``is_none``), the rules' choice (``is_rules``), the signed distance from the mention
#: to the candidate's nearest occurrence in sentences, characters and paragraphs,
#: whether it stands before, how many other dates lie between, the days it spans, how
#: long before publication it ends, a "since" date, in the mention's sentence, how often
#: it is given, the report's first date, the publication day, in the first sentence,
#: the nearest date before or after the mention, its rank among the dates before, the
#: sentences between the mention and the rules' date, a date in the mention's own
#: sentence, a lead's next sentence, the date of the claim before or after (as the
#: rules gave it), the report's first claim. Where the account comes from
#: (:class:`SentenceCues`): a source or pictures told of in the mention's sentence, an
#: account it continues ("the same images"), and per candidate how many sentences from
#: the date's to the mention's (the latter included) name a source or pictures, and
#: whether the date's own sentence does.
FEATURES = (
    "rules_none",
    "inherited",
    "action",
    "claim_sentence",
    "claim_position",
    "claim_paragraph",
    "n_dates",
    "n_mentions",
    "absence",
    "site_inherited",
    "modality",
    "is_none",
    "is_rules",
    "sentences_to",
    "characters_to",
    "paragraphs_to",
    "before",
    "dates_between",
    "span_days",
    "days_before_publication",
    "since",
    "same_sentence",
    "mentions",
    "first_date",
    "publication_day",
    "headline",
    "nearest_before",
    "nearest_after",
    "rank_before",
    "sentences_to_rules",
    "sentence_has_date",
    "lead_next",
    "previous_claim",
    "next_claim",
    "first_claim",
    "claim_reported",
    "claim_imagery",
    "claim_continues",
    "reported_between",
    "imagery_between",
    "date_reported",
    "date_imagery",
)

# a candidate the text does not give where it stands (no date, or the rules' date told
# by no date mention of their own): distances beyond any real one
_FAR_SENTENCES = 99
_FAR_CHARACTERS = 9999
_NOT_BEFORE = 99
# the rules' date where no mention of the report gives it: placed nearer than "no date"
# and beyond any mention
_UNPLACED_SENTENCES = 50.0
_UNPLACED_CHARACTERS = 5000.0
# an occurrence after the mention counts as this many sentences further than one before
_AFTER_PENALTY = 0.5


@dataclass(frozen=True)
class DateMention:
    """A date the report gives, resolved against its publication day."""

    start: int
    """Offset of the mention in the report's text."""
    end: int
    """End offset of the mention."""
    days: tuple[dt.date, dt.date]
    """First and last day it names."""
    text: str
    """The words of the mention."""
    since: bool = False
    """A "since" date: its range runs to publication."""


@dataclass(frozen=True)
class SentenceCues:
    """What one sentence tells of where its account comes from."""

    reported: bool = False
    """A source tells it ("said", "according to": the lexicons' ``reported`` words)."""
    imagery: bool = False
    """It speaks of pictures ("satellite images", "снимки")."""
    continues: bool = False
    """It goes on with the account before it: "the same images", "that day", a
    thread's numbered post."""


Days = tuple[dt.date, dt.date]

_NO_CUES = SentenceCues()


def _sentence_starts(sentences: Sequence[tuple[int, int]]) -> list[int]:
    return [a for a, _ in sentences] or [0]


def _sentence_at(starts: Sequence[int], p: int) -> int:
    """The index of the sentence holding offset ``p`` (text before the first: 0)."""
    return max(0, bisect.bisect_right(starts, p) - 1)


def candidate_features(
    text: str,
    published: dt.date | None,
    sentences: Sequence[tuple[int, int]],
    mentions: Sequence[DateMention],
    claims: Sequence[Claim],
    cues: Sequence[SentenceCues] = (),
) -> list[tuple[list[Days | None], list[DateMention | None], NDArray[np.float64]]]:
    """For each claim, the dates it could take and their features.

    Parameters
    ----------
    text : str
        The report's text.
    published : datetime.date or None
        Its publication day.
    sentences : sequence of (int, int)
        Its sentences' spans, in text order.
    mentions : sequence of DateMention
        Every resolved date it gives.
    claims : sequence of Claim
        Its claims as the rules dated them.
    cues : sequence of SentenceCues
        Per sentence (as ``sentences``), what it tells of its source; sentences beyond
        those given tell nothing.

    Returns
    -------
    list of (list of days, list of DateMention or None, ndarray)
        Per claim: the candidates (None for no date, else first and last day), the
        mention each stands for (None: no date, or the rules' date where no mention of
        the report gives it) and their features, shape ``(n_candidates,
        len(FEATURES))``.
    """
    n = len(text)
    starts = _sentence_starts(sentences)
    paragraphs = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n" and i + 1 < n]

    def sentence_of(p: int) -> int:
        return _sentence_at(starts, p)

    def paragraph_of(p: int) -> int:
        return bisect.bisect_right(paragraphs, p) - 1

    def cue(k: int) -> SentenceCues:
        return cues[k] if 0 <= k < len(cues) else _NO_CUES

    # sentences naming a source / pictures, counted up to each sentence
    told_by = np.cumsum([0] + [cue(k).reported for k in range(len(starts))])
    pictured = np.cumsum([0] + [cue(k).imagery for k in range(len(starts))])

    def between(counts: NDArray[np.int_], date_at: int, claim_at: int) -> float:
        """Sentences after the date's up to the claim's (either way), the claim's
        counted, the date's not."""
        if date_at <= claim_at:
            return float(counts[claim_at + 1] - counts[date_at + 1])
        return float(counts[date_at] - counts[claim_at])

    distinct = sorted({m.days for m in mentions})
    first_at = min((m.start for m in mentions), default=-1)
    rules: list[Days | None] = [
        (c.date_from, c.date_to) if c.date_from is not None and c.date_to is not None else None
        for c in claims
    ]
    publication = (published, published) if published is not None else None

    def days_before_publication(days: Days) -> float:
        return float((published - days[1]).days) if published is not None else -1.0

    order = sorted(range(len(claims)), key=lambda i: claims[i].equipment_span[0])
    rank = {i: k for k, i in enumerate(order)}
    out = []
    for i, claim in enumerate(claims):
        at = claim.equipment_span[0]
        sentence, paragraph = sentence_of(at), paragraph_of(at)
        mine = rules[i]
        before = sorted((m for m in mentions if m.start < at), key=lambda m: -m.start)
        after = sorted((m for m in mentions if m.start > at), key=lambda m: m.start)
        nearest_before = before[0].days if before else None
        nearest_after = after[0].days if after else None
        to_rules = min(
            (abs(sentence_of(m.start) - sentence) for m in mentions if m.days == mine),
            default=_FAR_SENTENCES,
        )
        k = rank[i]
        previous = rules[order[k - 1]] if k > 0 else None
        following = rules[order[k + 1]] if k + 1 < len(order) else None
        claim_part = {
            "rules_none": float(mine is None),
            "inherited": float(claim.date_inherited),
            "action": float(ACTIONS.index(claim.action) if claim.action in ACTIONS else -1),
            "claim_sentence": float(sentence),
            "claim_position": at / max(n, 1),
            "claim_paragraph": float(paragraph),
            "n_dates": float(len(distinct)),
            "n_mentions": float(len(mentions)),
            "absence": float(claim.absence),
            "site_inherited": float(claim.site_inherited),
            "modality": float(
                MODALITIES.index(claim.modality) if claim.modality in MODALITIES else -1
            ),
            "sentences_to_rules": float(to_rules),
            "sentence_has_date": float(any(sentence_of(m.start) == sentence for m in mentions)),
            "first_claim": float(k == 0),
            "claim_reported": float(cue(sentence).reported),
            "claim_imagery": float(cue(sentence).imagery),
            "claim_continues": float(cue(sentence).continues),
        }
        far = {
            "sentences_to": _FAR_SENTENCES,
            "characters_to": _FAR_CHARACTERS,
            "paragraphs_to": _FAR_SENTENCES,
            "before": 0.0,
            "dates_between": 0.0,
            "since": 0.0,
            "same_sentence": 0.0,
            "mentions": 0.0,
            "first_date": 0.0,
            "publication_day": 0.0,
            "headline": 0.0,
            "nearest_before": 0.0,
            "nearest_after": 0.0,
            "rank_before": _NOT_BEFORE,
            "lead_next": 0.0,
            "reported_between": -1.0,
            "imagery_between": -1.0,
            "date_reported": -1.0,
            "date_imagery": -1.0,
        }
        days: list[Days | None] = [None]
        told: list[DateMention | None] = [None]
        rows = [
            {
                **claim_part,
                **far,
                "is_none": 1.0,
                "is_rules": float(mine is None),
                "span_days": -1.0,
                "days_before_publication": -1.0,
                "previous_claim": float(k > 0 and previous is None),
                "next_claim": float(k + 1 < len(order) and following is None),
            }
        ]
        for rng in distinct:
            given = [m for m in mentions if m.days == rng]
            best = min(
                given,
                key=lambda m: (
                    abs(sentence_of(m.start) - sentence) + (_AFTER_PENALTY if m.start > at else 0),
                    abs(m.start - at),
                ),
            )
            lo, hi = sorted((best.start, at))
            date_sentence = sentence_of(best.start)
            to = date_sentence - sentence
            rows.append(
                {
                    **claim_part,
                    "is_none": 0.0,
                    "is_rules": float(rng == mine),
                    "sentences_to": float(to),
                    "characters_to": float(best.start - at),
                    "paragraphs_to": float(paragraph_of(best.start) - paragraph),
                    "before": float(best.start < at),
                    "dates_between": float(
                        len({m.days for m in mentions if lo < m.start < hi and m.days != rng})
                    ),
                    "span_days": float((rng[1] - rng[0]).days),
                    "days_before_publication": days_before_publication(rng),
                    "since": float(best.since),
                    "same_sentence": float(to == 0),
                    "mentions": float(len(given)),
                    "first_date": float(best.start == first_at),
                    "publication_day": float(rng == publication),
                    "headline": float(sentence_of(best.start) == 0),
                    "nearest_before": float(rng == nearest_before),
                    "nearest_after": float(rng == nearest_after),
                    "rank_before": float(
                        next((r for r, m in enumerate(before) if m.days == rng), _NOT_BEFORE)
                    ),
                    "lead_next": float(sentence <= 1 and to == 1),
                    "previous_claim": float(previous == rng),
                    "next_claim": float(following == rng),
                    "reported_between": between(told_by, date_sentence, sentence),
                    "imagery_between": between(pictured, date_sentence, sentence),
                    "date_reported": float(cue(date_sentence).reported),
                    "date_imagery": float(cue(date_sentence).imagery),
                }
            )
            days.append(rng)
            told.append(best)
        if mine is not None and mine not in distinct:
            # the rules' date, which no mention of the report gives as it is
            rows.append(
                {
                    **claim_part,
                    **far,
                    "is_none": 0.0,
                    "is_rules": 1.0,
                    "sentences_to": _UNPLACED_SENTENCES,
                    "characters_to": _UNPLACED_CHARACTERS,
                    "paragraphs_to": _UNPLACED_SENTENCES,
                    "span_days": float((mine[1] - mine[0]).days),
                    "days_before_publication": days_before_publication(mine),
                    "previous_claim": float(previous == mine),
                    "next_claim": float(following == mine),
                }
            )
            days.append(mine)
            told.append(None)
        x = np.array([[row[f] for f in FEATURES] for row in rows], dtype=np.float64)
        out.append((days, told, x))
    return out


def choose_dates(
    text: str,
    published: dt.date | None,
    sentences: Sequence[tuple[int, int]],
    mentions: Sequence[DateMention],
    claims: Sequence[Claim],
    cues: Sequence[SentenceCues] = (),
    *,
    model: VesselClassifier | None = None,
) -> list[Claim]:
    """The claims, each dated by the candidate the model scores highest.

    A claim whose best candidate is the rules' own date is returned as it was. One
    given another date takes that date's nearest mention as its ``date_span`` and
    ``date_text`` and is marked ``date_inherited`` where the mention lies outside its
    sentence; one given no date loses its date fields.

    Parameters
    ----------
    text, published, sentences, mentions, claims, cues
        As for :func:`candidate_features`.
    model : VesselClassifier, optional
        A boosted tree ensemble over :data:`FEATURES` (default: the shipped model).

    Returns
    -------
    list of Claim
    """
    if not claims:
        return []
    model = model or shipped_model()
    per_claim = candidate_features(text, published, sentences, mentions, claims, cues)
    scores = model.score(np.concatenate([x for _, _, x in per_claim]))
    starts = _sentence_starts(sentences)
    out: list[Claim] = []
    at = 0
    for claim, (days, told, x) in zip(claims, per_claim, strict=True):
        score = scores[at : at + len(days)]
        at += len(days)
        rules = int(np.flatnonzero(x[:, FEATURES.index("is_rules")] == 1.0)[0])
        best = int(np.argmax(score))
        if score[best] <= score[rules]:
            out.append(claim)
            continue
        chosen, mention = days[best], told[best]
        if chosen is None:
            out.append(
                replace(
                    claim,
                    date_from=None,
                    date_to=None,
                    date_text=None,
                    date_span=None,
                    date_inherited=False,
                )
            )
            continue
        assert mention is not None  # the rules' own date is the only one without a mention
        own = _sentence_at(starts, mention.start) == _sentence_at(starts, claim.equipment_span[0])
        out.append(
            replace(
                claim,
                date_from=chosen[0],
                date_to=chosen[1],
                date_text=mention.text,
                date_span=(mention.start, mention.end),
                date_inherited=not own,
            )
        )
    return out


@functools.cache
def shipped_model() -> VesselClassifier:
    """The shipped date model (``basewatch/corroborate/models/claim_dates.json``)."""
    from basewatch.detect.classify import VesselClassifier

    ref = resources.files("basewatch.corroborate") / "models" / MODEL_FILE
    try:
        doc: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"cannot read the claims' date model {MODEL_FILE}: {exc}; reinstall basewatch "
            "or retrain it with benchmarks/train_claim_dates.py"
        ) from exc
    model = VesselClassifier.from_dict(doc)
    if model.features != FEATURES:
        raise InputError(
            f"the claims' date model {MODEL_FILE} names other features than this code "
            "computes: retrain it with benchmarks/train_claim_dates.py"
        )
    return model
