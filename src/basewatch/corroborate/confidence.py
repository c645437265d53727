"""How likely an extracted claim is to be read right: a calibrated confidence.

:attr:`Claim.confidence <basewatch.corroborate.claims.Claim.confidence>` estimates the
probability that a careful reader would list the claim with the same site, equipment,
count, action and date. It comes from a logistic model of the claim's form (which parts
the text states and which were carried from earlier sentences, the kind of action,
count and object, the language), fitted by ``benchmarks/train_claim_confidence.py`` on
hand-labelled report sets and measured on sets it was not fitted on
(``models/CLAIM_CONFIDENCE.md``). The model is a small JSON file inside the package,
read with numpy alone.

Pure code apart from reading the model file.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from basewatch.corroborate.gazetteer import (
    ACTIONS,
    ASSERTED_MODALITIES,
    CHECKABLE_CATEGORIES,
    MODALITIES,
    SPECIFICITY_GENERIC,
    SPECIFICITY_NAMED_TYPE,
    equipment_type,
)
from basewatch.corroborate.lexicon import LANGUAGES
from basewatch.errors import InputError

if TYPE_CHECKING:
    from basewatch.corroborate.claims import Claim

__all__ = [
    "FEATURES",
    "MEANING",
    "MODEL_FILE",
    "ClaimConfidenceModel",
    "claim_features",
    "load_confidence_model",
]

#: The shipped model, inside the package (``basewatch/corroborate/models/``).
MODEL_FILE = "claim_confidence.json"

#: Format of the model file this code reads.
MODEL_FORMAT = "basewatch-logit-1"

#: What a claim's confidence means, in the words the outputs show it with.
MEANING = (
    "the estimated chance that the claim is read from the report as a careful reader "
    "would (site, objects, count, action and date), measured on reports the extractor "
    "was not written on"
)

_QUALIFIERS = ("exact", "plural", "several", "at_least", "more_than", "about")
# a column for each modality of a claim that something happened or is there; a plan
# and a denial have none (the sets' writers leave plans out of their gold, the real
# pages' list most: a column would learn a writing convention, not a reading)
_MODALITIES = tuple(m for m in MODALITIES if m in ASSERTED_MODALITIES)
# a date range longer than this (days) is a state over weeks ("since mid-December")
_LONG_RANGE_DAYS = 7
# an evidence clause longer than this (characters) is a long, many-part sentence
_LONG_CLAUSE = 150


# features that are a property of the claim (and of how many claims share its mention)
_FLAGS: dict[str, Callable[[Claim, int], bool]] = {
    "site_inherited": lambda c, n: c.site_inherited,
    "date_inherited": lambda c, n: c.date_from is not None and c.date_inherited,
    "date_range": lambda c, n: c.date_from is not None and c.date_to != c.date_from,
    "date_long_range": lambda c, n: (
        c.date_from is not None
        and c.date_to is not None
        and (c.date_to - c.date_from).days > _LONG_RANGE_DAYS
    ),
    "no_action_word": lambda c, n: c.action_span is None,
    "count_none": lambda c, n: c.count is None,
    "count_stated": lambda c, n: c.count_span is not None,
    "count_one": lambda c, n: c.count == 1,
    "absence": lambda c, n: c.absence,
    "checkable": lambda c, n: c.checkable,
    "named_type": lambda c, n: equipment_type(c.equipment).specificity >= SPECIFICITY_NAMED_TYPE,
    "generic_noun": lambda c, n: equipment_type(c.equipment).specificity <= SPECIFICITY_GENERIC,
    "shared_mention": lambda c, n: n > 1,
    "long_clause": lambda c, n: c.end - c.start > _LONG_CLAUSE,
}
# one column per value of a field of the claim (or the report's language)
_ONE_HOT: tuple[tuple[str, Callable[[Claim, str], str], tuple[str, ...]], ...] = (
    ("qualifier", lambda c, lang: c.count_qualifier, _QUALIFIERS),
    ("modality", lambda c, lang: c.modality, _MODALITIES),
    ("action", lambda c, lang: c.action, tuple(action.key for action in ACTIONS)),
    ("category", lambda c, lang: c.category, tuple(sorted(CHECKABLE_CATEGORIES))),
    # the lexicons' languages (a report in another language has none set)
    ("language", lambda c, lang: lang, LANGUAGES),
)

#: Names of the features of a claim, in the model's column order. Each is 0 or 1:
#:
#: ``site_inherited``, ``date_inherited``
#:     the site or the date was carried from an earlier sentence, not stated in the
#:     claim's clause;
#: ``date_range``, ``date_long_range``
#:     a range of days; a range over a week ("since mid-December");
#: ``no_action_word``
#:     no action word in the clause (a sighting or a caption's list: ``stationed``);
#: ``count_none``, ``count_stated``, ``count_one``
#:     no number; a number word or figure in the text; one object;
#: ``absence``, ``checkable``
#:     read from an absence; objects imagery can see at a monitored site;
#: ``named_type``, ``generic_noun``
#:     a type designation or ship name ("An-124"); a generic noun ("planes");
#: ``shared_mention``
#:     one mention making several claims (two places, or two predicates; denials are
#:     not counted);
#: ``long_clause``
#:     an evidence clause over 150 characters;
#: ``qualifier_*``, ``modality_*``, ``action_*``, ``category_*``, ``language_*``
#:     the claim's count qualifier, modality, action, equipment category and the
#:     report's language, one column each.
#:
#: Whether a claim has a date at all is left out: how often an undated claim is right
#: depends on how the text dates things (the hand-written sets date nearly every claim,
#: so there an undated claim has missed its date; many real pages give none), not on
#: the claim.
FEATURES: tuple[str, ...] = (
    *_FLAGS,
    *(f"{field}_{value}" for field, _, values in _ONE_HOT for value in values),
)


def claim_features(claims: Sequence[Claim], *, language: str) -> NDArray[np.float64]:
    """The model's features of each claim of one report.

    Parameters
    ----------
    claims : sequence of Claim
        All the claims of one report (claims sharing a mention are counted among them).
    language : str
        The report's language (:func:`~basewatch.corroborate.language.guess_language`).

    Returns
    -------
    ndarray, shape (len(claims), len(FEATURES)), float64
        0 or 1 per :data:`FEATURES`.
    """
    shared = Counter(c.equipment_span for c in claims if c.modality != "denied")
    rows = [
        [
            *(flag(c, shared[c.equipment_span]) for flag in _FLAGS.values()),
            *(of(c, language) == value for _, of, values in _ONE_HOT for value in values),
        ]
        for c in claims
    ]
    return np.asarray(rows, dtype=np.float64).reshape(len(claims), len(FEATURES))


@dataclass(frozen=True, eq=False)
class ClaimConfidenceModel:
    """A logistic model of whether a claim is read right."""

    version: str
    """Version of the model file."""
    features: tuple[str, ...]
    """Names of its columns (:data:`FEATURES` when it was trained)."""
    weights: NDArray[np.float64]
    """One weight per feature (log-odds), shape (len(features),)."""
    intercept: float
    """Log-odds of a claim with every feature 0."""
    info: dict[str, Any]
    """How it was trained and what it scored (training sets, held-out figures)."""

    def probability(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Probability that each claim is read right, shape (n,), from features
        ``x`` of shape (n, len(features)) (:func:`claim_features`)."""
        z = self.intercept + np.asarray(x, dtype=np.float64) @ self.weights
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    @classmethod
    def from_dict(cls, doc: Any, *, source: str = "the model") -> ClaimConfidenceModel:
        """A model from a model file's content (``source`` names it in errors).

        Raises
        ------
        InputError
            Not a model of this format, or trained on other features than
            :data:`FEATURES`.
        """
        if not isinstance(doc, dict) or doc.get("format") != MODEL_FORMAT:
            raise InputError(
                f"{source} is not a claim confidence model of format {MODEL_FORMAT}; "
                "retrain it with benchmarks/train_claim_confidence.py"
            )
        names = tuple(doc["features"])
        if names != FEATURES:
            raise InputError(
                f"{source} was trained on other claim features than this basewatch "
                f"computes ({len(names)} against {len(FEATURES)}); retrain it with "
                "benchmarks/train_claim_confidence.py"
            )
        return cls(
            version=str(doc["version"]),
            features=names,
            weights=np.asarray(doc["weights"], dtype=np.float64),
            intercept=float(doc["intercept"]),
            info=dict(doc.get("info", {})),
        )


def load_confidence_model(path: str | Path | None = None) -> ClaimConfidenceModel:
    """The shipped model (``path`` None, read once) or a model file.

    Raises
    ------
    InputError
        The file is not a model of this format or names other features than
        :data:`FEATURES`.
    """
    if path is None:
        return _shipped()
    return _read_model(Path(path))


@functools.cache
def _shipped() -> ClaimConfidenceModel:
    ref = resources.files("basewatch.corroborate") / "models" / MODEL_FILE
    return ClaimConfidenceModel.from_dict(
        json.loads(ref.read_text(encoding="utf-8")), source=f"the shipped {MODEL_FILE}"
    )


def _read_model(path: Path) -> ClaimConfidenceModel:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"cannot read the claim confidence model {path}: {exc}; pass the JSON file "
            "benchmarks/train_claim_confidence.py wrote"
        ) from exc
    return ClaimConfidenceModel.from_dict(doc, source=str(path))
