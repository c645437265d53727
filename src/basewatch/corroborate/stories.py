"""Grouping retellings: near-duplicate reports (a paraphrase or machine translation of one
story) are grouped so that one story is not counted as two sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from basewatch.corroborate.claims import WORD_RE, sentence_spans
from basewatch.corroborate.gazetteer import (
    fold,
    match_place,
)
from basewatch.corroborate.lexicon import merged_lexicon
from basewatch.corroborate.reports import Report


@dataclass(frozen=True)
class ReportGroup:
    """Reports telling one story (paraphrases, translations): one independent source.

    Attributes
    ----------
    id : str
        The id of the group's earliest report.
    report_ids : tuple of str
        Its reports, earliest first (by publication date, then input order).
    similarity : Mapping of str to float
        :func:`report_similarity` of each pair of members, keyed ``"<id>~<id>"``.
    """

    id: str
    report_ids: tuple[str, ...]
    similarity: Mapping[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- duplicates

_STOP = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "with",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "has",
        "have",
        "had",
        "not",
        "no",
        "than",
        "then",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "we",
        "our",
        "you",
        "your",
        "i",
        "me",
        "my",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "while",
        "also",
        "into",
        "over",
        "after",
        "before",
        "about",
        "said",
        "says",
        "would",
        "could",
        "may",
        "might",
        "will",
        "can",
        "do",
        "does",
        "did",
        "so",
        "such",
        "some",
        "any",
        "more",
        "most",
        "other",
        "another",
        "one",
        "all",
        "both",
        "each",
        "very",
        "just",
        "only",
    }
)


#: The fewest content words, and names and numbers, a report's share of overlap is
#: counted over: two short notes (a line or two each) share most of their few words by
#: chance ("port", "Beirut", "aircraft"), which says nothing of one retelling the other.
MIN_SHARED_WORDS = 20
MIN_SHARED_NAMES = 6


def _count_words() -> dict[str, int]:
    """Number words of every lexicon language, above one (an article is no count)."""
    return {fold(w): n for w, n in merged_lexicon().numbers.items() if n > 1}


_COUNT_WORDS = _count_words()


def _content_words(text: str) -> list[str]:
    words = [fold(w) for w in WORD_RE.findall(text)]
    return [w[:6] for w in words if w not in _STOP and len(w) > 2]


def _signature(text: str) -> set[str]:
    """Names and numbers (in digits or words, as digits): what survives paraphrase and
    machine translation."""
    sig: set[str] = set()
    for m in WORD_RE.finditer(text):
        w = m.group()
        if (
            w[:1].isupper()
            and m.start() > 0
            and text[m.start() - 2 : m.start()].strip() not in (".", "")
        ):
            sig.add(fold(w))
        elif w[:1].isdigit():
            sig.add(w)
        elif (n := _COUNT_WORDS.get(fold(w))) is not None:
            sig.add(str(n))  # "five warships" and "5 warships" tell one number
    places = {
        hit[0]
        for m in WORD_RE.finditer(text)
        if m.group()[:1].isupper() and (hit := match_place((fold(m.group()),))) is not None
    }
    return sig | {f"@{p}" for p in places}


def _sentence_words(report: Report) -> list[set[str]]:
    out: list[set[str]] = []
    for a, b in sentence_spans(report.text, report.body):
        words = set(_content_words(report.text[a:b]))
        if len(words) >= 4:
            out.append(words)
    return out


def report_similarity(a: Report, b: Report) -> float:
    """How likely one report retells the other (0-1): paraphrase, translation or copy.

    The mean of three measures on the article bodies: *vocabulary*, the overlap of
    content-word stems; *alignment*, how well each sentence of the shorter report is
    matched by some sentence of the other (a retelling follows its source sentence by
    sentence, two articles on one event do not); *names*, the overlap of names and
    numbers (what a translation keeps). Two outlets covering the same event share
    names but little else. Overlaps are shares of the smaller report's words (a summary
    retells part of a longer story), counted over at least :data:`MIN_SHARED_WORDS`
    words and :data:`MIN_SHARED_NAMES` names: two notes of a line or two share their few
    words by chance.

    Parameters
    ----------
    a, b : Report
        The two reports (order does not matter).

    Returns
    -------
    float
        0-1.
    """
    wa, wb = _content_words(a.body_text), _content_words(b.body_text)
    if not wa or not wb:
        return 0.0
    sa, sb = set(wa), set(wb)
    vocab = len(sa & sb) / max(min(len(sa), len(sb)), MIN_SHARED_WORDS)
    xa, xb = _sentence_words(a), _sentence_words(b)
    if len(xa) > len(xb):
        xa, xb = xb, xa
    if xa and xb:
        align = sum(max(len(x & y) / min(len(x), len(y)) for y in xb) for x in xa) / len(xa)
    else:
        align = fuzz.token_sort_ratio(" ".join(wa), " ".join(wb)) / 100.0
    na, nb = _signature(a.body_text), _signature(b.body_text)
    names = len(na & nb) / max(min(len(na), len(nb)), MIN_SHARED_NAMES)
    return round((vocab + align + names) / 3.0, 4)


def group_near_duplicates(
    reports: Sequence[Report], *, threshold: float = 0.6
) -> tuple[ReportGroup, ...]:
    """Group reports that tell the same story (single-linkage on :func:`report_similarity`).

    Parameters
    ----------
    reports : sequence of Report
        The reports.
    threshold : float
        Reports at least this similar are one story.

    Returns
    -------
    tuple of ReportGroup
        Each group is one independent source; its id is the id of its earliest member
        (by publication date, then input order).
    """
    n = len(reports)
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sims: dict[tuple[int, int], float] = {}
    for i in range(n):
        for j in range(i + 1, n):
            s = report_similarity(reports[i], reports[j])
            sims[(i, j)] = s
            if s >= threshold:
                parent[root(j)] = root(i)
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(root(i), []).append(i)
    groups: list[ReportGroup] = []
    far = dt.date.max
    for idx in members.values():
        idx.sort(key=lambda k: (reports[k].published or far, k))
        pair_sims = {
            f"{reports[i].id}~{reports[j].id}": sims[(min(i, j), max(i, j))]
            for i in idx
            for j in idx
            if i < j
        }
        groups.append(
            ReportGroup(
                id=reports[idx[0]].id,
                report_ids=tuple(reports[k].id for k in idx),
                similarity=pair_sims,
            )
        )
    groups.sort(key=lambda g: min(i for i, r in enumerate(reports) if r.id in g.report_ids))
    return tuple(groups)
