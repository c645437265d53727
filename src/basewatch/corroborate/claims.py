"""Claims extracted from reports: "COUNT EQUIPMENT ACTION at SITE on DATE".

:func:`extract_claims` finds them with the project's own rules: a gazetteer of places
with aliases and fuzzy matching, an equipment lexicon, action words, counts and dates
resolved against the publication date (:mod:`basewatch.corroborate.gazetteer` holds the
tables). Every claim keeps character offsets into the report's text, so the evidence
can be shown.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from basewatch.corroborate.confidence import claim_features, load_confidence_model
from basewatch.corroborate.dates import (
    BARE_DAY_RE,
    DATE_RE,
    DAY_LIST_RE,
    DAY_TAIL_RE,
    ENGLISH_MONTHS,
    MONTH_PART_RE,
    NAMED_DAY_RE,
    foreign_date_re,
    foreign_day_list_re,
    latest_day,
    month_part_days,
    resolve_bare_day,
    resolve_date,
    resolve_foreign_date,
    resolve_month_part,
    resolve_named_day,
    resolve_relative,
)
from basewatch.corroborate.dating import DateMention, SentenceCues, choose_dates
from basewatch.corroborate.gazetteer import (
    ACTIONS,
    ASSERTED_MODALITIES,
    CHECKABLE_CATEGORIES,
    EQUIPMENT,
    FAR_PLACES,
    OBSERVATION_PATTERNS,
    SPECIFICITY_CLASS,
    SPECIFICITY_GENERIC,
    SPECIFICITY_NAMED_TYPE,
    Action,
    alias_first_tokens,
    equipment_type,
    fold,
    match_place,
    max_alias_tokens,
    place,
)
from basewatch.corroborate.language import guess_language
from basewatch.corroborate.lexicon import (
    DAYS_AFTER_UNITS,
    DAYS_BEFORE_UNITS,
    LANGUAGES,
    PAST_UNITS_HOURS,
    Lexicon,
    merged_lexicon,
)
from basewatch.corroborate.reports import Report
from basewatch.records import ObjectClass


@dataclass(frozen=True)
class Claim:
    """One claim a report makes about a site.

    Attributes
    ----------
    id : str
        ``"<report id>#<n>"``, unique in a corpus.
    report_id : str
        :attr:`Report.id` of the source.
    site : str
        Place id from :data:`basewatch.corroborate.gazetteer.PLACES` (``"hmeimim"``, ``"tartus"``,
        ``"jableh"``...).
    monitored : bool
        Whether the site is one basewatch watches (has AOIs and runs).
    equipment : str
        Class of the equipment lexicon (``"an-124"``, ``"frigate"``, ``"forces"``...).
    category : str
        ``aircraft``, ``helicopter``, ``air-defence``, ``vessel``, ``vehicle``,
        ``forces`` or ``transport``.
    object_classes : tuple of ObjectClass
        Detection classes that can corroborate the claim.
    size_m : float
        Largest dimension of one such object, metres (decides what a sensor resolves).
    count : int or None
        Number of objects claimed, where a number is given.
    count_qualifier : str
        ``exact``, ``at_least``, ``more_than``, ``about``, ``several`` or ``plural``
        (plural without a number); ``exact`` with ``count=1`` for "a"/"an"/"one".
    action : str
        ``loading``, ``unloading``, ``dismantling``, ``departing``, ``arriving``,
        ``withdrawing``, ``stationed`` or ``moving``.
    date_from, date_to : datetime.date or None
        The claimed date as an inclusive range (equal for one day); None when the
        report gives no date for the claim.
    date_text : str or None
        The date expression as written.
    zone_kind : str or None
        Part of the site the claim names: ``approach`` (offshore), ``berth``,
        ``harbour``, ``apron``, ``runway`` or ``airfield``.
    start, end : int
        Evidence span in :attr:`Report.text` (the clause making the claim).
    equipment_span, site_span, action_span, date_span, count_span : (int, int) or None
        Offsets of each part; ``site_span`` and ``date_span`` are None when the value
        was carried over from an earlier sentence (``site_inherited``/``date_inherited``).
    evidence : str
        The text of the evidence span.
    confidence : float
        Estimated chance (0-1) that a careful reader lists the claim with the same site,
        equipment, count, action and date: a model of the claim's form fitted on
        hand-labelled reports and measured on others
        (:mod:`~basewatch.corroborate.confidence`; ``models/CLAIM_CONFIDENCE.md``).
    modality : str
        How the report holds the claim: ``observed`` (seen in imagery or on the spot),
        ``reported`` (told by a source), ``hedged`` (held as likely, not certain: "the
        Su-35s appear to have gone", "apparemment"), ``expected`` (planned, or what may
        yet happen: "expected to leave", "could return") or ``denied``. Imagery judges
        observed, reported and hedged claims
        (:data:`~basewatch.corroborate.gazetteer.ASSERTED_MODALITIES`).
    absence : bool
        Whether the claim is read from an absence ("none of the ships was visible",
        "no longer at the pier"): its action is ``departing``, dated up to the
        publication when the absence is stated after the last sighting.
    """

    id: str
    report_id: str
    site: str
    monitored: bool
    equipment: str
    category: str
    object_classes: tuple[ObjectClass, ...]
    size_m: float
    count: int | None
    count_qualifier: str
    action: str
    date_from: dt.date | None
    date_to: dt.date | None
    date_text: str | None
    zone_kind: str | None
    start: int
    end: int
    equipment_span: tuple[int, int]
    site_span: tuple[int, int] | None
    action_span: tuple[int, int] | None
    date_span: tuple[int, int] | None
    count_span: tuple[int, int] | None
    site_inherited: bool
    date_inherited: bool
    evidence: str
    confidence: float
    modality: str = "observed"
    absence: bool = False

    @property
    def checkable(self) -> bool:
        """Whether imagery could check the claim: objects of a class a sensor can see
        (aircraft, helicopters, air defence, vessels, vehicles) at a monitored site,
        not troops, units or transport in general, nor a place basewatch does not watch."""
        return self.monitored and self.category in CHECKABLE_CATEGORIES

    @property
    def summary(self) -> str:
        """One line: "2 x An-124 loading at hmeimim on 2024-12-13"."""
        equip = equipment_type(self.equipment).name
        if self.count is None:
            n = {"several": "several ", "plural": ""}.get(self.count_qualifier, "")
        else:
            n = {"at_least": ">=", "more_than": ">", "about": "~"}.get(self.count_qualifier, "")
            n = f"{n}{self.count} x "
        when = ""
        if self.date_from is not None and self.date_to is not None:
            if self.date_from == self.date_to:
                when = f" on {self.date_from.isoformat()}"
            else:
                when = f" {self.date_from.isoformat()}..{self.date_to.isoformat()}"
        zone = f" ({self.zone_kind})" if self.zone_kind else ""
        return f"{n}{equip} {self.action} at {self.site}{zone}{when}"


_LEX = merged_lexicon()
# EquipmentType.specificity: a named type ("An-124"), a class ("frigate"), a generic noun
_NAMED_TYPE = SPECIFICITY_NAMED_TYPE
_CLASS = SPECIFICITY_CLASS
_GENERIC = SPECIFICITY_GENERIC
# ordinals count one object ("a second Il-76")
_ORDINALS = {"second": 1, "third": 1, "fourth": 1, "fifth": 1}
# words of a number that are articles or vague quantities elsewhere ("some": "about")
_NOT_COUNT_WORDS = frozenset({"some", "number", "des"})


# expected words of the English lexicon that describe what is seen now ("preparing to
# leave", "likely being prepared"), not a plan: the account's date still holds (the
# lexicon's "appear to be heading" forms are plans)
_PRESENT_HEDGE = re.compile(r"prepar|presumabl|likely")


class _Negation:
    """The negation words of a report's languages, less those inside a phrase that
    negates nothing ("on ne compte plus que quatre Su-24", "لم يبق سوى قاطرة": only
    these remain). Searched like a compiled pattern."""

    # a phrase may open this many characters before the window searched
    _REACH = 48

    def __init__(self, words: re.Pattern[str], phrases: re.Pattern[str] | None) -> None:
        self._words = words
        self._phrases = phrases

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        inside = (
            [m.span() for m in self._phrases.finditer(text, max(0, pos - self._REACH), end)]
            if self._phrases is not None
            else []
        )
        for m in self._words.finditer(text, pos, end):
            if not any(a <= m.start() < b for a, b in inside):
                yield m

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, pos, endpos), None)


@dataclass(frozen=True)
class _Vocab:
    """The words of a report's languages (English and the one guessed) that decide
    number, negation and modality."""

    numbers: Mapping[str, int]
    several: re.Pattern[str]
    """The lexicon's words and patterns for an unspecified number, ending where the
    pattern is searched to ("mai multe", "eine Reihe von", "нескольк\\w*")."""
    singular: frozenset[str]
    """Articles and demonstratives of the singular ("the", "la", "το")."""
    clause_break: re.Pattern[str] | None
    """A comma and a word of the language that opens a clause of its own (the English
    ones are in :data:`_CLAUSE_SPLIT`)."""
    contrast: re.Pattern[str]
    """A word opening a clause that sets it against the one before ("but", "whereas",
    the lexicon's clause breaks other than its words for "and": "а", "tandis que")."""
    plural_word: re.Pattern[str] | None
    """A plural noun or adjective of a language without articles (None for the others):
    a mention with no number whose first word is not one is a single object."""
    plural_noun: re.Pattern[str] | None
    plural_verb: re.Pattern[str] | None
    article_singular: re.Pattern[str] | None
    no_determiner: re.Pattern[str] | None
    """A word for "no" or "not a single" right before a mention (up to two words
    between): its objects are none ("ни одного Ка-52")."""
    negation: _Negation
    absence: re.Pattern[str]
    empty: re.Pattern[str]
    """Words that state an absence without a negation ("empty of warships")."""
    expected: re.Pattern[str]
    conditional: re.Pattern[str]
    """Words for "if": a clause holding one before its noun tells what may yet happen."""
    plans: re.Pattern[str]
    """The expected words that put a claim in the future (not "preparing to", "likely":
    a state seen now); a date told before does not date them."""
    hedges: re.Pattern[str]
    """Words that hold what was seen or done as likely ("appear to have gone")."""
    reported: re.Pattern[str]
    equipment: tuple[tuple[str, int, re.Pattern[str]], ...]
    actions: tuple[tuple[Action, re.Pattern[str]], ...]


# languages told by their script: a sentence in one of them uses its words whatever the
# language of the rest of the report (a Russian quote in an English page)
_SCRIPT_LANGUAGES = frozenset({"ar", "ru", "uk", "el", "ko"})
# letters Russian writes and Ukrainian does not
_RUSSIAN_LETTERS_RE = re.compile(r"[ыэъё]", re.IGNORECASE)
# a sentence in the Latin script of at least this many words is read in its own language
# (8 until session 32; 12 read 5 more claims right of the development sets' 2149 and
# none fewer of the seeds, test reports or real pages)
_OWN_LANGUAGE_WORDS = 12


def _any_of(patterns: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``patterns`` (a lexicon section), None for none."""
    return re.compile("(?:" + "|".join(patterns) + ")", re.IGNORECASE) if patterns else None


# a name next, maybe after an article ("Moscou", "the Kremlin", "η Μόσχα")
_NAMED_NEXT = (
    r"(?=\s+(?:(?:the|la|le|les|die|der|das|el|los|las|η|ο|οι|το)\s+)?(?-i:[A-ZÀ-ÞА-ЯЁІЇЄҐΑ-Ω]))"
)


# "of" between a part or a content and the whole, in the lexicons' languages ("aucun des
# six", "из своих", "a convoy of 40 trucks", "einen Konvoi aus 30 Lastwagen")
_OF_WORDS = (
    "of",
    "de",
    "des",
    "du",
    "aus",
    "з",
    "із",
    "из",
    "z",
    "ze",
    "από",
    "din",
    "dintre",
    "من",
)


@cache
def _vocab(language: str) -> _Vocab:
    codes = ("en",) if language in ("en", "und") or language not in LANGUAGES else ("en", language)
    lex = merged_lexicon(codes)
    negators = [p for p in lex.negation if p != "n't"]
    return _Vocab(
        numbers={**lex.numbers, **_ORDINALS},
        several=re.compile(
            _words_alternation([w for w in lex.several if w not in _NOT_COUNT_WORDS]) + r"\Z",
            re.IGNORECASE,
        ),
        singular=frozenset(lex.singular),
        clause_break=(
            # the Latin comma or the Arabic one, or a word that needs none ("et qu'"), or
            # the writer's reading of someone named ("signe que Moscou")
            re.compile(
                r"[,،]\s*(?!(?:" + "|".join(lex.also_words or ("(?!)",)) + r")(?![\w-]))"
                r"(?=(?:" + "|".join(lex.clause_breaks or ("(?!)",)) + r")(?![\w-]))"
                r"|\s(?=(?:" + "|".join(lex.clause_openers or ("(?!)",)) + r"))"
                r"|\s(?=(?:" + "|".join(lex.sign_that or ("(?!)",)) + r")" + _NAMED_NEXT + ")",
                re.IGNORECASE,
            )
            if lex.clause_breaks or lex.clause_openers or lex.sign_that
            else None
        ),
        contrast=re.compile(
            r"\W*(?:but|whereas|while|although|though|"
            + "|".join(w for w in lex.clause_breaks if w not in lex.and_words)
            + r")(?![\w-])",
            re.IGNORECASE,
        ),
        plural_word=_any_of(lex.plural_endings),
        plural_noun=_any_of(lex.plural_nouns),
        plural_verb=_any_of(lex.plural_verbs),
        article_singular=_any_of(lex.article_singular),
        no_determiner=(
            re.compile(
                r"(?<![\w-])(?:" + "|".join(lex.no_determiners) + r")\s+"
                # not "aucun des six hélicoptères", "жодного з двох фрегатів": a part
                r"(?:(?!(?:" + "|".join(_OF_WORDS) + r")\s)[\w-]+\s+){0,2}$",
                re.IGNORECASE,
            )
            if lex.no_determiners
            else None
        ),
        # a negation word opening a count ("не менее трёх": at least three) or a phrase
        # of "still" ("لا تزال") negates nothing
        negation=_Negation(
            re.compile(
                r"(?<![\w-])(?!(?:"
                + "|".join((*lex.at_least, *lex.more_than, *lex.not_negations))
                + r")(?![\w-]))(?:"
                + "|".join(negators)
                + r")(?![\w-])|n't\b",
                re.IGNORECASE,
            ),
            _words_re(lex.not_negations) if lex.not_negations else None,
        ),
        absence=_words_re(lex.absence),
        empty=_words_re(lex.empty),
        expected=_words_re(lex.expected),
        conditional=_words_re(lex.conditional),
        plans=_words_re([p for p in lex.expected if not _PRESENT_HEDGE.match(p)]),
        hedges=_words_re(lex.hedges),
        reported=_words_re(lex.reported),
        equipment=_equipment_res(lex),
        actions=_action_res(lex),
    )


_QUALIFIERS = (
    (
        "|".join(
            (r"at\s+least|no\s+fewer\s+than|no\s+less\s+than|a\s+minimum\s+of", *_LEX.at_least)
        ),
        "at_least",
    ),
    (
        "|".join((r"(?<!no\s)more\s+than|over|upwards\s+of|in\s+excess\s+of", *_LEX.more_than)),
        "more_than",
    ),
    (
        "|".join(
            (
                r"about|around|some|approximately|roughly|nearly|almost|up\s+to|an\s+estimated|"
                r"as\s+many\s+as",
                *_LEX.approximately,
            )
        ),
        "about",
    ),
)
# a bound from above on a count: no qualifier of a claim says it, so the claim is of some
_AT_MOST_RE = re.compile(
    r"\b(?:no\s+more\s+than|not\s+more\s+than|(?<!no\s)fewer\s+than|(?<!no\s)less\s+than|"
    r"at\s+most)\s+$",
    re.IGNORECASE,
)
_SKIPPABLE = re.compile(
    r"^(?:russian|syrian|russia['’]s|large|heavy|huge|big|small|military|additional|other|more|"
    r"new|further|giant|massive|armed|armou?red|attack|modern|older|the|of|its|their|"
    r"[a-z]+-class|antonov|ilyushin|sukhoi|tupolev|kamov|mil|admiral|navy|naval|cargo|"
    r"transport|logistics|supply|long-range|wide-body|widebody|fixed-wing|still|also|then|"
    r"which|that|were|was|being|apparently|reportedly|visible|type|model|variant|"
    # a type designation the lexicon does not name ("two Tu-95 bombers", "a Yak-40 jet")
    r"[a-z]{1,6}-[a-z]*\d+[a-z0-9-]*"
    r"|" + "|".join(merged_lexicon().link_words) + r")$",
    re.IGNORECASE,
)
#: A word of report text: letters with inner apostrophes or hyphens, or a number.
WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)


def _words_alternation(patterns: Sequence[str]) -> str:
    """``patterns`` as one alternation on word boundaries (one that never matches for no
    patterns), to compile alone or beside other alternatives."""
    if not patterns:
        return r"(?!)"
    return r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w-])"


def _words_re(patterns: Sequence[str]) -> re.Pattern[str]:
    """One case-insensitive regular expression of ``patterns`` on word boundaries (one
    that never matches for no patterns)."""
    return re.compile(_words_alternation(patterns), re.IGNORECASE)


def _equipment_res(lex: Lexicon) -> tuple[tuple[str, int, re.Pattern[str]], ...]:
    """(class key, specificity, pattern): the gazetteer's names with the lexicon's added,
    then the lexicon's named types and ship names (ranked as named types)."""
    return tuple(
        (
            e.key,
            e.specificity,
            _words_re(
                _compounded((*e.patterns, *lex.equipment.get(e.key, ())))
                if e.specificity >= _NAMED_TYPE
                else (*e.patterns, *lex.equipment.get(e.key, ()))
            ),
        )
        for e in EQUIPMENT
    ) + tuple(
        (key, _NAMED_TYPE, _words_re(_compounded(pats))) for key, pats in lex.named_types.items()
    )


def _compounded(patterns: Sequence[str]) -> tuple[str, ...]:
    """Type designations that may open a hyphenated compound ("Il-76-Maschinen",
    "S-400-Flugabwehrsystem", "Mi-8-Hubschrauber"): the type and the noun it heads, or
    the short name of its variant ("Панцирь-С1", "Tor-M2", "Pancyr-S1")."""
    return tuple(
        rf"(?:{p})(?:-[^\W\d_]{{3,}}|-[^\W\d_]{{1,2}}\d{{0,2}}[^\W\d_]?)?" for p in patterns
    )


def _action_res(lex: Lexicon) -> tuple[tuple[Action, re.Pattern[str]], ...]:
    return tuple((a, _words_re((*a.patterns, *lex.actions.get(a.key, ())))) for a in ACTIONS)


_FOREIGN_DATE_RE = foreign_date_re(_LEX.months)


# weekday names of the other languages (with an Arabic clitic "wa-"/"bi-"/"li-")
def _longest_first(words: Iterable[str]) -> str:
    """An alternation of ``words``, escaped, the longest first (so that "dec" does not
    win over "december")."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_WEEKDAY_NAMES = _longest_first(_LEX.weekdays)
_FOREIGN_WEEKDAY_RE = re.compile(
    r"(?<![^\W\d_])(?:[وبل])?(?P<day>" + _WEEKDAY_NAMES + r")(?![^\W\d_])",
    re.IGNORECASE,
)
# "mardi dernier", "am vergangenen Dienstag": the word that puts a weekday in the week
# before, right before or after it
_WEEKDAY_LAST_RE = re.compile(
    r"(?:\s*(?:" + "|".join(_LEX.weekday_last) + r")(?![^\W\d_])\s*(?:\S+\s+)?$)"
    r"|(?:\s+(?:" + "|".join(_LEX.weekday_last) + r")(?![^\W\d_]))",
    re.IGNORECASE,
)
_WEEKDAY_LAST_REACH = 20
# a night named by its weekdays in the other languages ("dans la nuit de mardi à
# mercredi", "in der Nacht zum Mittwoch", "в ночь на среду"): group ``to`` the word
# tying the night to the one weekday it ends in
_NIGHT_RE = re.compile(
    r"(?<![^\W\d_])(?:" + "|".join(_LEX.night_words or ("(?!)",)) + r")"
    r"(?:\s+\S+){0,2}?\s+(?:(?P<to>" + "|".join(_LEX.night_to or ("(?!)",)) + r")\s+)?"
    r"(?P<d1>" + _WEEKDAY_NAMES + r")(?![^\W\d_])"
    r"(?:(?:\s+\S+){0,1}\s+(?:" + "|".join(_LEX.night_to or ("(?!)",)) + r")\s+"
    r"(?P<d2>" + _WEEKDAY_NAMES + r")(?![^\W\d_]))?",
    re.IGNORECASE,
)
# "hier", "вчера", "cette semaine": relative days in the other languages
_FOREIGN_RELATIVE_RES = tuple((kind, _words_re(pats)) for kind, pats in _LEX.relative_dates.items())


def _unit_res(
    section: Mapping[str, tuple[str, ...]], units: Mapping[str, int]
) -> tuple[tuple[int, re.Pattern[str]], ...]:
    """(length of the unit, pattern) of a lexicon section of counted units, each pattern
    on its own (they may each hold a group ``n`` or ``dual``)."""
    return tuple((units[unit], _words_re((pat,))) for unit, pats in section.items() for pat in pats)


# "two days later", "le lendemain": (days in the unit, pattern)
_DAYS_AFTER_RES = _unit_res(_LEX.days_after, DAYS_AFTER_UNITS)
# "three days ago", "il y a trois jours": (days in the unit, pattern), as above
_DAYS_BEFORE_RES = _unit_res(_LEX.days_before, DAYS_BEFORE_UNITS)
# "in the past 48 hours", "за последние сутки": (hours in the unit, pattern), as above
_DAYS_PAST_RES = _unit_res(_LEX.days_past, PAST_UNITS_HOURS)
_HOURS_A_DAY = 24
_SITE_DESCRIPTION_RES = tuple(
    (site, _words_re(pats)) for site, pats in _LEX.site_descriptions.items()
)
_DAY_LIST_RE = DAY_LIST_RE
_FOREIGN_DAY_LIST_RE = foreign_day_list_re(_LEX.day_joiners)
# characters before a day-month date of another language searched for the first day of
# a range ("10 jusqu'au " before "13 décembre")
_FOREIGN_RANGE_LOOKBACK = 16
# a part of a month in the lexicons' languages ("Mitte Dezember", "à la mi-décembre",
# "в начале января"), a year after it if given
_FOREIGN_MONTH_PART_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        rf"(?P<p_{part}>{'|'.join(pats)})" for part, pats in _LEX.month_parts.items() if pats
    )
    + r")(?:\s*|-)(?P<month>"
    + _longest_first(_LEX.months)
    + r")(?![\w-])(?:\s+(?P<year>(?:19|20)\d\d)\b)?(?!\s*\d)",
    re.IGNORECASE,
)
# a part of the month of publication or of the month before it, with no month named
# ("at the start of the month", "late last month", "на початку місяця", "la mijlocul
# lunii", "a finales del mes pasado"), not before a month's name ("à la fin du mois de
# décembre")
_OWN_MONTH_PARTS = {
    "early": r"(?:the\s+)?(?:start|beginning)\s+of|early",
    "mid": r"(?:the\s+)?middle\s+of|mid",
    "late": r"(?:the\s+)?end\s+of|late",
}
_PART_OF_THIS_MONTH_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        rf"(?P<p_{part}>{'|'.join((*_LEX.month_parts.get(part, ()), english))})"
        for part, english in _OWN_MONTH_PARTS.items()
    )
    + r")(?:\s*|-)(?:(?P<last>"
    + "|".join(_LEX.last_month or ("(?!)",))
    + r")|(?P<this>"
    + "|".join(_LEX.this_month or ("(?!)",))
    + r"))(?![\w-])(?!\s*(?:de\s+|d['’]|of\s+|del\s+)?(?:"
    + _longest_first({*_LEX.months, *ENGLISH_MONTHS})
    + r")(?!\w))",
    re.IGNORECASE,
)
# a whole month in the lexicons' languages ("в декабре", "w grudniu", "im Dezember",
# "en décembre de 2024", "τον Δεκέμβριο"), after a word for "in" or "since", or with its
# year; a year after it if given
_FOREIGN_MONTH_RE = re.compile(
    r"(?<![\w-])(?:(?P<lead>(?:"
    + "|".join((*_LEX.in_month, *_LEX.since))
    + r")\s+))?(?P<month>"
    + _longest_first(_LEX.months)
    + r")(?![\w-])(?:,?\s+(?:de\s+|del\s+|του\s+)?(?P<year>(?:19|20)\d\d)\b)?(?!\s*\d)",
    re.IGNORECASE,
)
# two dates of the lexicons' languages made one range: a word joining them, and a
# word before the first ("zwischen ... und ...", "entre ... et ...", "من ... إلى ...")
_FOREIGN_RANGE_GAP_RE = re.compile(
    r"\s*(?:" + "|".join((*_LEX.day_joiners, "-", "–")) + r")\s*", re.IGNORECASE
)
_FOREIGN_RANGE_OPENER_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(_LEX.range_openers or (r"(?!)",)) + r")\s+$", re.IGNORECASE
)
# the day of a day-month date just before a month ("16 décembre", "5. Januar")
_DAY_BEFORE_MONTH_RE = re.compile(r"(?<!\d)\d{1,2}\.?\s*(?:de\s+)?$")
_DAY_BEFORE_MONTH_REACH = 8  # characters looked back for it
# month words that are also common words of their language (Romanian "mai", "more"):
# a whole month only with its year
_AMBIGUOUS_MONTHS = frozenset({"mai"})
# feasts of the lexicons' languages ("Nochevieja", "Silvester"), a group per day of
# the year (``d_12_31``)
_FOREIGN_NAMED_DAY_RE = _words_re(
    [
        rf"(?P<d_{key.replace('-', '_')}>{'|'.join(pats)})"
        for key, pats in _LEX.named_days.items()
        if pats
    ]
)
# a feast further back than this is not the day told of ("к Новому году": by the
# coming one)
_NAMED_DAY_REACH = dt.timedelta(days=60)
# "since" before a day-month date of another language ("depuis le", "seit dem", "منذ")
_FOREIGN_SINCE_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(_LEX.since or (r"(?!)",)) + r")\s*$", re.IGNORECASE
)
_DAY_TAIL_RE = DAY_TAIL_RE
_ACTION_RES = tuple((a, _words_re((*a.patterns, *_LEX.actions.get(a.key, ())))) for a in ACTIONS)
_OBS_RE = _words_re((*OBSERVATION_PATTERNS, *_LEX.observation))
# adverbs that put a state before the dated account ("previously"): no date is carried
_EARLIER_RE = _words_re(_LEX.earlier)
_APPOSITION_RE = re.compile(
    r",\s*(?:one|two|some|several|most|all|each)\s+of\s+(?:them|which|these)\s+"
    r"(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$|\bsuch\s+as\s+$"
    r"|[,–—]\s*(?:one|some)\s+of\s+the\s+(?:world['’]s\s+)?(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
# what a plane or ship carries is cargo, not a claim of its own ("loaded with vehicles")
_CARGO_RE = re.compile(
    r"\b(?:loaded|laden|filled|packed|carrying|transporting|ferrying)\s+(?:up\s+)?(?:with\s+)?"
    r"(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_CLAUSE_SPLIT = re.compile(
    # the semicolon, Greek's (the raised dot) and Arabic's among them
    r"[;\u00b7\u0387\u061b]|:\s|\s[–—]\s(?!\d{1,3}\s*(?:[,.;)(]|$))|,\s*(?=(?:reflecting|indicating|suggesting|signall?ing|amid)\b)"
    # the writer's reading of what was seen, of someone named ("..., a sign that Moscow
    # is pulling out"; not "..., a sign that loading was under way")
    r"|,\s*(?=(?:(?:in\s+)?an?\s+)?(?:(?:clear|further|possible)\s+)?(?:sign|signal|indication)"
    r"\s+that" + _NAMED_NEXT + ")"
    r"|,\s*(?=(?:with|while|whereas|but|as|and\s+(?:one|another|other|a|an|the|two|"
    r"three|four|five|six|seven|eight|nine|ten|dozens|\d+|several|some|most|all|both|"
    r"at\s+least|about|around|more\s+than|only|its|their)|although|though|where|after|"
    r"before)\b)|\s(?=(?:whereas|but)\s)|\s(?=while\s+(?!being\b|still\b)(?:the|a|an|other|\w+s)\s)",
    re.IGNORECASE,
)
_ZONE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "approach",
        re.compile(
            r"\b(?:offshore|off\s+the\s+coast|off-shore|roadstead|anchorage|at\s+anchor|"
            r"approaches|outside\s+the\s+(?:port|harbou?r))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "berth",
        re.compile(r"\b(?:berths?|berthed|pier|quay(?:side)?|jetty|moored|docked|wharf)\b", re.I),
    ),
    ("harbour", re.compile(r"\b(?:harbou?r|basin|inside\s+the\s+port)\b", re.IGNORECASE)),
    (
        "apron",
        re.compile(r"\b(?:apron|tarmac|ramp|hardstands?|parking\s+(?:area|stands?))\b", re.I),
    ),
    ("runway", re.compile(r"\brunways?\b", re.IGNORECASE)),
    ("airfield", re.compile(r"\b(?:airfield|airstrip|flight\s+line)\b", re.IGNORECASE)),
)
_IMAGERY_RE = re.compile(
    r"\b(?:satellite|imagery|images?|pictures?|photos?|pass|scenes?|sentinel(?:-[12])?|maxar|"
    r"planet\s*labs?|airbus|snapshots?|overpass(?:es)?|(?<!time\s)frames?)\b"
    + "".join(f"|(?:{p})" for p in _LEX.imagery),  # the lexicons' stems, inside words
    re.IGNORECASE,
)
# an observation is dated by a pass of imagery told at most this many sentences before
_IMAGERY_CONTEXT_SENTENCES = 4
# in a numbered thread ("1/ Fresh imagery of ... 2/ ... 6/ ..."), whose posts go on with
# the account of the pass its first post told of, at most this many
_THREAD_CONTEXT_SENTENCES = 12
# "since December 10", "since our photos on December 10", "since the December 10 image":
# from that date up to the publication
_SINCE_RE = re.compile(
    r"\bsince\s+(?:(?:the|our|its|their|an?|its|last)\s+)?(?:[\w-]+\s+){0,2}?(?:on\s+|of\s+)?$",
    re.IGNORECASE,
)
# an absence dated by the last sighting ("the two seen there on 12 Dec are gone", "by 9
# January none was visible"): gone between that day and the publication
_LAST_SEEN_RE = re.compile(
    r"(?:\b(?:seen|spotted|observed|visible|present|photographed)\b[\w\s]{0,12}|\bby\s+)$",
    re.IGNORECASE,
)
# a negation right before a word of sighting ("not visible", "hadn't been seen"), and how
# far before a day that word may stand
_NOT_BEFORE_RE = re.compile(
    r"\b(?:not|never)\s+(?:been\s+)?$|n['’]t\s+(?:been\s+)?$", re.IGNORECASE
)
_LAST_SEEN_LOOKBACK = 24


def _last_seen_before(text: str, day: int) -> bool:
    """Whether a sighting ends right before the day at ``day`` ("seen on 12 Dec, now
    gone"): the absence lasts from then; not a negated one ("were not visible in
    Sunday's imagery": absent on that day)."""
    seen = _LAST_SEEN_RE.search(text, max(0, day - _LAST_SEEN_LOOKBACK), day)
    return seen is not None and not _NOT_BEFORE_RE.search(
        text, max(0, seen.start() - _LAST_SEEN_LOOKBACK), seen.start()
    )


_ABSENCE_RE = re.compile(r"no\s+longer|gone|missing|absent", re.IGNORECASE)
# "since" right before the day of an absence, where it is "from" elsewhere (lexicon
# ``since_absent``: "nu mai apar ... din 20 ianuarie")
_SINCE_ABSENT_RE = re.compile(_words_alternation(_LEX.since_absent) + r"\s+$", re.IGNORECASE)
_ANAPHORA_RE = re.compile(
    r"\b(?:the|that|this)\s+(?:[a-z-]+\s+)?(?:air\s*base|airbase|base|airfield|airport|port|"
    r"harbou?r|facility|runway|apron|tarmac|ramp|hardstands?|shelters?|pier|berths?|quay|"
    r"dock|naval\s+base|site)\b|\bnearby\b|\bthere\b|\bthe\s+same\s+(?:base|site)\b",
    re.IGNORECASE,
)
_PLACE_TYPE_WORDS = re.compile(
    r"\b(?:the|russia['’]?s?|russian|syrian|air\s*base|airbase|naval|base|facility|port|harbou?r|"
    r"airport|area|city|town|village|region|province)\b",
    re.IGNORECASE,
)
_LOCATIVE = re.compile(
    r"(?:\b(?P<prep>at|in|on|near|off|outside|inside|beside|around|from|to|towards?|into|for|"
    r"via|through|between|offshore\s+of|off-shore\s+of|off\s+the\s+coast\s+of|of|past|"
    r"out\s+of|close\s+to|next\s+to)\s+"
    r"(?:(?:the|a|its|their|russia['’]?s|russian|syrian|northern|southern|eastern|western|nearby|"
    r"main|key|naval|military|air|port|city|town|area|base|harbou?r|of)\s+){0,4})$",
    re.IGNORECASE,
)
_RELATIVE_PLACE = re.compile(
    r"\b(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:-?\w+)?\s+of\s+"
    r"(?:the\s+)?$|\bbetween\s+(?:\w+\s+and\s+)?$",
    re.IGNORECASE,
)
# a distance before a relative place ("13 km (eight miles) northwest of Tartus")
_DISTANCE_RE = re.compile(
    r"(?P<n>\d+(?:[.,]\d+)?)[\s-]*(?P<unit>km|kilomet(?:er|re)s?|nautical\s+miles?|nm|miles?)\b",
    re.IGNORECASE,
)
_DISTANCE_GAP = 24  # characters between the distance and the direction at most
_KM_PER_UNIT = (("k", 1.0), ("nautical", 1.852), ("nm", 1.852), ("mile", 1.609))
# objects anchored this close to a monitored site are in its approaches (the Tartus
# roadstead lies 7-13 km off the port)
APPROACH_REACH_KM = 20.0
# a day written as an ordinal number with a point ("14.")
_ORDINAL_DAY_RE = re.compile(r"(?<![\d.])\b\d{1,2}\.$")
_SENTENCE_END = re.compile(r"[.!?؟]+[\"'”’)\]]*(?=\s+|$)")
_ABBREV = re.compile(
    r"(?:\b[A-Z]\.(?:[A-Z]\.)*|\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Adm|Capt|Sgt|St|Jan|Feb|Mar|Apr|"
    r"Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|vs|etc|approx|e\.g|i\.e)\.)$"
)
# a month's abbreviation after a day ("3-4 Jan."): with a capital after it, a full stop
_DAY_MONTH_ABBREV = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$"
)


# Action.rank of verbs that name the action outright ("loaded", "withdrew")
_STRONG_ACTION = 3
# decimals of Claim.confidence (an estimate from a few hundred graded claims a set)
_CONFIDENCE_DECIMALS = 2


# characters looked back from a mention: for an apposition ("..., two of them Su-24s"),
# for the preposition that gives a place its role ("at", "from", "off the coast of"),
# for "since" before a date and for "between"/"from" before a range of dates
_APPOSITION_LOOKBACK = 30
_LOCATIVE_LOOKBACK = 60
_SINCE_LOOKBACK = 32
_RANGE_LOOKBACK = 9
# a place at most this many characters after a "from" verb is the place left ("left Jabla")
_DIRECT_OBJECT_GAP = 12
# ... or a monitored site after a part of it in a few words ("abandonan el muelle de
# Tartus", "ont quitté le quai principal de Tartous")
_PART_GAP_RE = re.compile(r"\s+(?:[^\W\d_]+['’]?\s*){1,4}")
# adjacent equipment mentions naming one object are joined across at most this many
# skippable words ("An-124 heavy transport aircraft"), a generic tail across two
_MAX_JOIN_WORDS = 3
_MAX_TAIL_WORDS = 2


@dataclass(frozen=True)
class _Span:
    kind: str
    start: int
    end: int
    key: str = ""
    score: float = 1.0
    prep: str = ""
    extra: tuple[Any, ...] = ()


def sentence_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans inside the body spans of a text.

    Parameters
    ----------
    text : str
        The report text.
    spans : sequence of (int, int)
        The article's spans of ``text`` (:attr:`Report.body`).

    Returns
    -------
    list of (int, int)
        Start and end offsets of each sentence, without surrounding blanks; each line
        is at least one sentence, and abbreviations ("Gen.", "Dec.") end none.
    """
    out: list[tuple[int, int]] = []
    for a, b in spans:
        start = a
        for m in _SENTENCE_END.finditer(text, a, b):
            end = m.end()
            nxt = text[end:b].lstrip()
            if nxt and not (
                nxt[0].isupper() or nxt[0] in "\"'“‘(0123456789" or not nxt[0].isascii()
            ):
                continue
            if (
                _ABBREV.search(text[start : m.start() + 1])
                and not m.group().startswith(("!", "?"))
                # "... around 3-4 Jan. I can't confirm": after a day, the month's
                # abbreviation ends a sentence where a capital follows
                and not (_DAY_MONTH_ABBREV.search(text, start, m.start() + 1) and nxt[:1].isupper())
            ):
                continue
            if m.group() == "." and _ORDINAL_DAY_RE.search(text, start, m.end()):
                month = WORD_RE.match(nxt)
                if month is not None and month.group().casefold() in _LEX.months:
                    continue  # German "am 14. Dezember": an ordinal day, not a full stop
            seg_start = start + (len(text[start:end]) - len(text[start:end].lstrip()))
            if text[seg_start:end].strip():
                out.append((seg_start, end))
            start = end
        tail = text[start:b]
        if tail.strip():
            lead = len(tail) - len(tail.lstrip())
            out.append((start + lead, start + len(tail.rstrip())))
    return out


def _clauses(
    text: str, a: int, b: int, extra: re.Pattern[str] | None = None
) -> list[tuple[int, int]]:
    """The clauses of ``text[a:b]``: split where :data:`_CLAUSE_SPLIT` or ``extra`` (a
    language's own clause breaks) match."""
    cuts = [(m.start(), m.end()) for m in _CLAUSE_SPLIT.finditer(text, a, b)]
    if extra is not None:
        cuts = sorted({*cuts, *((m.start(), m.end()) for m in extra.finditer(text, a, b))})
    cuts = _without_dash_pairs(text, cuts)
    out: list[tuple[int, int]] = []
    start = a
    for cut_start, cut_end in cuts:
        if cut_start < start:
            continue  # inside a break already cut
        if cut_start > start:
            out.append((start, cut_start))
        start = cut_end
    if b > start:
        out.append((start, b))
    return [(s, e) for s, e in out if text[s:e].strip()]


# a dash between spaces, one of :data:`_CLAUSE_SPLIT`'s breaks
_DASH_CUT_RE = re.compile(r"\s[–—]\s")


def _without_dash_pairs(text: str, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``cuts`` less the two dashes around an aside ("Die Kriegsschiffe – darunter die
    Fregatte „Admiral Makarow“ – haben den Hafen verlassen"): the clause runs across it,
    the objects listed inside sharing its verb."""
    dashes = [c for c in cuts if _DASH_CUT_RE.fullmatch(text, *c)]
    paired: set[tuple[int, int]] = set()
    for first, second in itertools.pairwise(dashes):
        if first in paired:
            continue
        between = [c for c in cuts if first[1] <= c[0] < second[0]]
        if not between:
            paired.update((first, second))
    return [c for c in cuts if c not in paired]


# people a report quotes, by the town they are at ("a resident of Jableh", "witnesses
# in the town of Jableh"): that town tells who speaks, not where the objects are (a
# monitored site named so stays one: "residents near Tartus say a ship left the port")
_SPEAKER_PLACE_RE = re.compile(
    r"\b(?:residents?|inhabitants?|locals?|witness(?:es)?|activists?|journalists?|"
    r"correspondents?|reporters?|people|diplomats?|staff|sources?|officials?)\s+"
    r"(?:of|in|from|near)\s+(?:the\s+)?"
    r"(?:(?:nearby|neighbouring|coastal)\s+)?(?:(?:town|city|village)\s+of\s+)?$"
    # a correspondent's own place ("reporting from Beirut", "joins us from Beirut")
    r"|\b(?:reporting|reports|joins\s+us|joining\s+us)\s+(?:live\s+)?from\s+$"
    # the lexicons' ("des habitants de Jablé", "жители Джаблы")
    + "".join(f"|(?<![\\w-])(?:{p})$" for p in _LEX.speakers),
    re.IGNORECASE,
)
# ... or after it ("Aus Beirut berichtet unser Korrespondent", "From Beirut, our
# correspondent")
_SPEAKER_AFTER_RE = re.compile(
    "|".join(f"(?:{p})(?![\\w-])" for p in _LEX.speakers_after) or "(?!)", re.IGNORECASE
)


def _place_mentions(text: str, a: int, b: int) -> list[_Span]:
    described = _described_sites(text, a, b)
    words = [
        (m.start() + a, m.end() + a, fold(m.group()))
        for m in WORD_RE.finditer(text[a:b])
        if not any(d.start <= m.start() + a < d.end for d in described)
    ]
    found: list[_Span] = list(described)
    longest = max_alias_tokens()
    multi_first = alias_first_tokens()
    i = 0
    while i < len(words):
        hit: tuple[str, float] | None = None
        width = 0
        top = min(longest, len(words) - i) if words[i][2] in multi_first else 1
        for n in range(top, 0, -1):
            toks = tuple(w[2] for w in words[i : i + n])
            raw = text[words[i][0] : words[i + n - 1][1]]
            # fuzzy only for one capitalised (or non-Latin) word: proper nouns
            # (a lower-case word matches a name exactly only: "tartus", not "tarts")
            fuzzy = n == 1 and (raw[:1].isupper() or not raw[:1].isascii())
            hit = match_place(toks, fuzzy=fuzzy)
            if hit is not None:
                width = n
                break
        if hit is not None:
            s, e = words[i][0], words[i + width - 1][1]
            if not place(hit[0]).monitored and (
                _SPEAKER_PLACE_RE.search(text, max(a, s - _LOCATIVE_LOOKBACK), s)
                or _SPEAKER_AFTER_RE.match(text, e, b)
            ):
                i += width  # "a resident of Jableh said": where a source is, not a site
                continue
            prep, relative = _place_prep(text, a, s)
            found.append(_Span("place", s, e, hit[0], hit[1], prep, (relative,)))
            i += width
        else:
            i += 1
    return sorted(found, key=lambda p: p.start)


def _place_prep(text: str, a: int, s: int) -> tuple[str, bool]:
    """The preposition before a place ("at", "from", "off") and whether the place only
    locates another ("north of Latakia")."""
    before = text[max(a, s - _LOCATIVE_LOOKBACK) : s]
    lm = _LOCATIVE.search(before)
    prep = re.sub(r"\s+", " ", lm.group("prep").lower()) if lm else ""
    if prep.endswith(" of") and prep.startswith("off"):
        prep = "off"  # "offshore of Tartus", "off the coast of Latakia": a place
    if prep in ("", "of") and _TOWARDS_BEFORE_RE.search(before):
        prep = "towards"  # "en dirección a Tartús", "в сторону Тартуса", "in the direction of"
    elif _ORIGIN_BEFORE_RE.search(before):
        prep = "origin"  # "coming from Homs", "قادماً من ريف حمص": where they came from
    return _relative_place(before, prep)


# the most words of a place's own between a word of its way and it ("в сторону Тартуса",
# "متجهة إلى ميناء طرطوس")
_TOWARDS_PLACE_WORDS = 3


def _way_before_place_re(patterns: Sequence[str], *, not_words: str = "") -> re.Pattern[str]:
    """``patterns`` (words of a way: "towards", "coming from") and up to
    :data:`_TOWARDS_PLACE_WORDS` words of the place's own after them, none a word of
    ``not_words`` (an alternation), searched on the words before a place."""
    word = r"[^\W\d_][\w'’-]*"
    if not_words:
        word = rf"(?!(?:{not_words})\s){word}"
    return re.compile(
        _words_alternation(patterns) + rf"\s+(?:{word}\s+){{0,{_TOWARDS_PLACE_WORDS}}}$",
        re.IGNORECASE,
    )


# the lexicons' "towards" before a place: where objects head
_TOWARDS_BEFORE_RE = _way_before_place_re(_LEX.towards_words)
# the lexicons' "coming from" before a place, none of the words between a word for "to"
# that opens the way's end ("قادمة من حمص إلى قاعدة حميميم")
_ORIGIN_BEFORE_RE = _way_before_place_re(
    _LEX.origin_words,
    not_words="to|into|إلى|الى|à|au|aux|a|al|nach|zum|zur|в|во|до|к|na|do|la|în|spre|"
    "προς|στην|στο|στη",
)


def _relative_place(before: str, prep: str) -> tuple[str, bool]:
    """``(prep, relative)`` for a place after the words ``before``: a place that only
    locates another ("north of Latakia", "40 km south of Tartus") is relative; one a
    short distance off ("anchored 13 km northwest of Tartus") is the site's approaches
    (``prep`` "off")."""
    m = _RELATIVE_PLACE.search(before)
    if m is None:
        return prep, False
    d = _DISTANCE_RE.search(before[: m.start()])
    if d is not None and m.start() - d.end() <= _DISTANCE_GAP:
        unit = d.group("unit").lower()
        factor = next(f for u, f in _KM_PER_UNIT if unit.startswith(u))
        if float(d.group("n").replace(",", ".")) * factor <= APPROACH_REACH_KM:
            return "off", False
    return prep, True


def _described_sites(text: str, a: int, b: int) -> list[_Span]:
    """Monitored sites named by description ("the Russian air base in Latakia" is
    Hmeimim; "Moscow's only overseas naval base" is Tartus)."""
    out: list[_Span] = []
    for site, rx in _SITE_DESCRIPTION_RES:
        for m in rx.finditer(text, a, b):
            if any(o.start < m.end() and m.start() < o.end for o in out):
                continue
            located = _LOCATED_AT_RE.match(text, m.end(), b)
            if located is not None and _unknown_place(located.group("name")):
                continue  # "the Russian naval base in Baltiysk" is another base
            prep, relative = _place_prep(text, a, m.start())
            out.append(_Span("place", m.start(), m.end(), site, 100.0, prep, (relative,)))
    return out


# the town that locates a base described ("... naval base in Baltiysk")
_LOCATED_AT_RE = re.compile(r"\s+(?:in|at|near|of)\s+(?:the\s+)?(?P<name>[A-Z][a-z][\w-]*)")


def _unknown_place(word: str) -> bool:
    """A capitalised word after a preposition that names a place the gazetteer does
    not know (not a month, a weekday, a country of the case or a known place)."""
    if DATE_RE.fullmatch(word) or match_place((fold(word),), fuzzy=True) is not None:
        return False
    # "gone in the Jan 6 pass": a month, not a place
    folded = fold(word)
    return folded not in _LEX.months and folded not in ENGLISH_MONTHS and word not in _NOT_PLACES


# ship tracking named with the ships it follows ("according to ship-tracking sites",
# "selon les sites de suivi des navires"), aircraft hangars and ro-ro berths: those
# ships and aircraft are no objects
_TRACKING_RE = _words_re(
    (
        r"(?:ship|vessel)s?[-\s]+(?:track|spott|watch)\w*",
        r"tracking\s+(?:of\s+)?(?:the\s+)?(?:ships|vessels)",
        r"(?:aircraft|airplane|plane|helicopter|jet)s?\s+(?:hangars?|shelters?)",
        r"ro-?ro\s+(?:berths?|terminals?|quays?|piers?)",
        r"(?:submarine|sub)\s+(?:berths?|pens?|piers?)",
        *_LEX.tracking,
    )
)


# what parts two equipment mentions into two objects ("a frigate and a tanker", "фрегат
# и танкер", "une frégate et un pétrolier")
_MENTION_BREAK_RE = re.compile(
    r"[,;.:()،؛]|" + _words_alternation(("and", "or", "with", *_LEX.and_words)), re.IGNORECASE
)


def _equipment_mentions(text: str, a: int, b: int, vocab: _Vocab) -> list[_Span]:
    cands: list[_Span] = []
    tracking = [(m.start(), m.end()) for m in _TRACKING_RE.finditer(text, a, b)]
    for key, rank, rx in vocab.equipment:
        for m in rx.finditer(text, a, b):
            if any(s <= m.start() and m.end() <= e for s, e in tracking):
                continue
            cands.append(_Span("equipment", m.start(), m.end(), key, rank))
    # longest match wins where matches overlap
    cands.sort(key=lambda s: (-(s.end - s.start), -s.score, s.start))
    chosen: list[_Span] = []
    taken = bytearray(max(b - a, 0))  # characters already in a chosen mention
    for c in cands:
        if not any(taken[c.start - a : c.end - a]):
            chosen.append(c)
            taken[c.start - a : c.end - a] = b"\x01" * (c.end - c.start)
            continue
        # two matches sharing a word ("зенітні комплекси" and "комплекси С-400"): one
        # mention spanning both, of the more specific
        over = [i for i, o in enumerate(chosen) if o.start < c.end and c.start < o.end]
        if (
            len(over) == 1
            and c.score > (o := chosen[over[0]]).score
            and not (o.start <= c.start and c.end <= o.end)
        ):
            chosen[over[0]] = replace(c, start=min(o.start, c.start), end=max(o.end, c.end))
            taken[c.start - a : c.end - a] = b"\x01" * (c.end - c.start)
    chosen.sort(key=lambda s: s.start)
    # adjacent mentions name one object ("An-124 heavy transport aircraft"): keep the
    # most specific, spanning both
    merged: list[_Span] = []
    for c in chosen:
        if merged:
            prev = merged[-1]
            gap = text[prev.end : c.start]
            gap_words = WORD_RE.findall(gap)
            joinable = (
                not _MENTION_BREAK_RE.search(gap)
                and all(_SKIPPABLE.match(w) for w in gap_words)
                # "طائرات ومروحيات": Arabic "and" is the next noun's first letter
                and not text.startswith("و", c.start)
            )
            of_join = re.fullmatch(
                r"\s+of\s+(?:(?:at\s+least|more\s+than|over|about|some|nearly|around)\s+)?"
                r"(?:\d[\d,]*|\w+)?\s*(?:(?:russian|syrian|military|armou?red)\s+)*",
                gap,
                re.IGNORECASE,
            )
            generic_tail = (
                c.score <= _GENERIC
                and prev.score >= _CLASS
                and len(gap_words) <= _MAX_TAIL_WORDS
                and not _MENTION_BREAK_RE.search(gap)
                and not re.search(r"\bthan\b", gap)
                and equipment_type(c.key).category == equipment_type(prev.key).category
            )
            # "un avion de renseignement Il-20", "літак радіоелектронної розвідки Іл-20":
            # a generic noun whose type follows a few words on is that type
            generic_head = (
                c.score >= _NAMED_TYPE
                and not _MENTION_BREAK_RE.search(gap)
                and equipment_type(c.key).category == equipment_type(prev.key).category
                # not across a verb ("4 helicopters remain on the Mi-8 line")
                and not (gap_words and _actions(text, prev.end, c.start, vocab))
                and (
                    (prev.score <= _GENERIC and len(gap_words) <= _MAX_JOIN_WORDS)
                    # "طائرة شحن عملاقة من طراز أنتونوف An-124": a class noun "of the type"
                    or (
                        prev.score <= _CLASS
                        and len(gap_words) <= _MAX_JOIN_WORDS + 2
                        and _OF_TYPE_RE.search(gap) is not None
                    )
                )
            )
            # "a cargo ship, the Sparta IV, arrived": a name in apposition is that object
            apposition = (
                c.score >= _NAMED_TYPE
                and text[prev.start].islower()  # a common noun, then a name
                and not text[c.start].islower()
                and equipment_type(c.key).category == equipment_type(prev.key).category
                and _APPOSED_NAME_RE.fullmatch(gap) is not None
                and _APPOSITION_CLOSE_RE.match(text, c.end) is not None
            )
            if (
                (joinable and len(gap_words) <= _MAX_JOIN_WORDS)
                or generic_tail
                or generic_head
                or apposition
            ):
                # a ship's name after its class noun says what it is ("landing ship
                # 'Admiral Grigorovich'" is a frigate)
                named_ship = (
                    c.score >= _NAMED_TYPE
                    and prev.score >= _NAMED_TYPE
                    and equipment_type(c.key).category == "vessel"
                    and equipment_type(prev.key).category == "vessel"
                )
                keep = c if c.score > prev.score or named_ship else prev
                merged[-1] = replace(keep, start=prev.start, end=c.end)
                continue
            if of_join and equipment_type(prev.key).key == "convoy":
                # "a convoy of over 150 military vehicles": the counted noun names the class
                if re.search(r"\d|\b(?:" + "|".join(_vocab("en").numbers) + r")\b", gap, re.I):
                    merged[-1] = replace(c, start=c.start, end=c.end, extra=(prev.start,))
                else:
                    merged[-1] = replace(prev, end=c.end)
                continue
        merged.append(c)
    # "the frigate ... from the Northern Fleet", "vessels in Russia's fleet": a fleet
    # the objects belong to is no object of its own
    merged = [
        c
        for c in merged
        if not (
            _FLEET_RE.search(text, c.start, c.end)
            and _MEMBERSHIP_RE.search(text, max(a, c.start - _MEMBERSHIP_LOOKBACK), c.start)
        )
    ]
    return _group_names(text, merged)


# a comma and at most an article between a noun and the name in apposition to it, and
# the comma or dash that closes the apposition
_APPOSED_NAME_RE = re.compile(r"\s*,\s*(?:[^\W\d_]{1,4}\s+)?[«\"“]?")
_APPOSITION_CLOSE_RE = re.compile(r"[»\"”]?\s*[,–—(]")
# "of the type" between a class noun and its type ("vom Typ", "من طراز", "типа")
_OF_TYPE_RE = re.compile(
    r"(?<![^\W\d_])(?:type|typ|tipo|типа|тип|typu|τύπου|tip|طراز)(?![^\W\d_])", re.IGNORECASE
)
# a plural ship noun ("landing ships", "cargo ships", "vessels")
_PLURAL_SHIP_NOUN = re.compile(
    r"\b(?:ships|vessels|boats|frigates|corvettes|submarines|tankers|freighters|warships)\b",
    re.IGNORECASE,
)
_ANY_SHIP_NOUN = re.compile(
    r"\b(?:ships?|vessels?|boats?|frigates?|corvettes?|submarines?|tankers?|oilers?|"
    r"freighters?|warships?|cruisers?|destroyers?)\b|-class\b",
    re.IGNORECASE,
)
# names joined by commas and "and", in quotes or not
_NAME_JOIN = re.compile(r"[\s\"'“”‘’«»]*(?:,|\band\b|,\s*and\b)?[\s\"'“”‘’«»]*", re.IGNORECASE)
# "two vessels linked to the Russian military, the 'Sparta' and 'Sparta II', ...": the
# names in apposition to a counted noun
_APPOSITION_GAP = re.compile(r"[^.;:,\n]{0,40},\s*(?:the\s+)?[\"'“”‘’«»]*", re.IGNORECASE)


def _is_name(text: str, m: _Span) -> bool:
    """A ship named without its class noun ("Ivan Gren", "Sparta II")."""
    return (
        m.score >= _NAMED_TYPE
        and equipment_type(m.key).category == "vessel"
        and not _ANY_SHIP_NOUN.search(text, m.start, m.end)
    )


def _holds_name(text: str, m: _Span) -> bool:
    """Whether a merged mention names a ship beside its class noun ("landing ships
    Ivan Gren", "Sparta II cargo ships")."""
    rest = _ANY_SHIP_NOUN.sub(" ", text[m.start : m.end])
    return any(w[:1].isupper() for w in WORD_RE.findall(rest))


def _group_names(text: str, mentions: list[_Span]) -> list[_Span]:
    """Ship names listed with one plural class noun make one mention of that noun,
    counted by the names ("the landing ships Ivan Gren and Alexander Otrakovsky", "the
    Sparta and Sparta II cargo ships", "two vessels ..., the Sparta and the Sparta II"):
    the names are no objects of their own."""
    out = list(mentions)
    i = 0
    while i < len(out):
        m = out[i]
        if not (
            equipment_type(m.key).category == "vessel"
            and _PLURAL_SHIP_NOUN.search(text, m.start, m.end)
        ):
            i += 1
            continue
        before: list[int] = []
        j = i - 1
        while (
            j >= 0
            and _is_name(text, out[j])
            and _NAME_JOIN.fullmatch(text, out[j].end, (out[j + 1] if j + 1 < i else m).start)
        ):
            before.insert(0, j)
            j -= 1
        after: list[int] = []
        k = i + 1
        apposition = False
        while k < len(out) and _is_name(text, out[k]):
            gap_from = out[k - 1].end if k > i + 1 else m.end
            if _NAME_JOIN.fullmatch(text, gap_from, out[k].start):
                after.append(k)
            elif k == i + 1 and _APPOSITION_GAP.fullmatch(text, gap_from, out[k].start):
                after.append(k)
                apposition = True
            else:
                break
            k += 1
        names = len(before) + len(after) + int(_holds_name(text, m))
        if names < 2 or (apposition and not before and len(after) < 2):
            i += 1
            continue
        keep = replace(m, extra=("names", names))
        drop = set(before) | set(after)
        out = [keep if x == i else o for x, o in enumerate(out) if x not in drop]
        i = out.index(keep) + 1
    return out


_FLEET_RE = re.compile(r"\b(?:fleet|flotilla|squadron|task\s+force)\b", re.IGNORECASE)
_MEMBERSHIP_RE = re.compile(
    r"\b(?:in|from|of|with|to)\s+(?:the\s+|its\s+|their\s+)?(?:\S+\s+)?$", re.IGNORECASE
)
_MEMBERSHIP_LOOKBACK = 24


# "no sign of preparations": a negation of the noun after it
_NO_SIGN_RE = re.compile(
    r"no\s+(?:signs?|indications?|evidence|traces?|hint)\s+(?:yet\s+)?(?:of|that)\b", re.I
)
_NO_SIGN_REACH = 60
# a negated aside about something else than the objects ("destination not declared")
_ASIDE_SUBJECT_RE = re.compile(
    r"\b(?:destination|purpose|reason|cargo|whereabouts|route)\s+(?:is\s+|was\s+|remains\s+)?$",
    re.IGNORECASE,
)


def _negates_another_thing(text: str, m: re.Match[str], end: int, vocab: _Vocab) -> bool:
    """Whether a negation in a clause is "no sign of" something that no equipment of the
    lexicon names ("... ten Su-34s on the apron and no sign of preparations for an
    airlift") or an aside about another thing ("destination not declared"): it denies
    that, not the clause's objects."""
    if _ASIDE_SUBJECT_RE.search(text, max(0, m.start() - 32), m.start()):
        return True  # "sailed 25 January, destination not declared"
    sign = _NO_SIGN_RE.match(text, m.start())
    if sign is None:
        return False
    return not _equipment_mentions(text, sign.end(), min(end, sign.end() + _NO_SIGN_REACH), vocab)


# the number of a post in a thread ("3/", "4/12") opening a sentence
_THREAD_NUMBER_RE = re.compile(r"\d{1,2}/(?:\d{1,2})?(?!\d)")
# a thread's numbering or a keycap digit ("2️⃣ С-400 на месте"): no count
_NUMBERING_RE = re.compile(r"\d{1,2}(?:/(?:\d{1,2})?(?!\d)|\ufe0f?\u20e3)")


# "все", "wszystkie": a designation after them is several
_PLURAL_DETERMINERS = frozenset(w.casefold() for w in _LEX.plural_determiners)
# the elided start of a word ("d'une", "qu’un")
_ELIDED_RE = re.compile(r"[^\W\d_]{1,3}['’](?=[^\W\d_])")


# how far before a mention its "no" may stand
_NO_DETERMINER_REACH = 40


# a count written after the type in a list ("Ан-124 — 1,", "Il-76 x2.", "Mi-8: 4;"), the
# number closing its item (not "S-400 - 2 km", "Ил-76 — 2 часа назад")
_POSTPOSED_COUNT_RE = re.compile(
    r"\s*(?:[—–:]\s*|[x×]\s*|-\s+)(?P<n>\d{1,3})(?=\s*(?:[,.;)(]|$)|\s+(?:and|и|і|та|et|und|y|i|și|και|و)\s)"
)


# a time of day ("14:10", "9h30")
_CLOCK_RE = re.compile(r"(?<![\d:])\d{1,2}[:h]\d{2}(?![\d:])")


# how long the determiner after "of" may be ("of its", "de sus", "из своих")
_DETERMINER_LETTERS = 6


def _count(
    text: str, clause_start: int, mention: _Span, vocab: _Vocab
) -> tuple[int | None, str, tuple[int, int] | None]:
    """Count of the objects named by ``mention`` from the words just before it."""
    head = re.split(r"\s+of\s+", text[mention.start : mention.end], maxsplit=1)[0]
    if vocab.no_determiner is not None and vocab.no_determiner.search(
        text, max(clause_start, mention.start - _NO_DETERMINER_REACH), mention.start
    ):
        # "ни одного Ка-52", "żadnego Su-24", "لم تعد هناك أي سفينة حربية": none of them
        return None, "plural", None
    if _ARABIC_RE.match(head):
        arabic = _arabic_count(text, clause_start, mention, vocab)
        if arabic is not None:
            return arabic
    clock = [m.span() for m in _CLOCK_RE.finditer(text, clause_start, mention.start)]
    words = [
        w
        for w in WORD_RE.finditer(text, clause_start, mention.start)
        # "14:10 Корвет «Меркурій» ...": a live blog's time stamp, not a count
        if not any(a <= w.start() < b for a, b in clock)
    ]
    if words and _NUMBERING_RE.match(text, words[0].start()):
        words = words[1:]  # "3/ Pantsiry ... zniknęły", "2️⃣ С-400": a numbering, not a count
    idx = len(words) - 1
    while True:
        while (
            idx >= 0
            and _SKIPPABLE.match(words[idx].group())
            and words[idx].group().lower()
            not in (
                "of",
                "the",
            )
        ):
            idx -= 1
        design = _design_number_start(text, words, idx)
        if design == idx:
            break
        idx = design  # "two Project 775 landing ships": the count is before the design
    if _adjective_after_count(text, words, idx, mention, vocab):
        idx -= 1  # "two smaller warships", "ένα φορτηγό πλοίο": the word describes them
    if idx >= 1 and words[idx].group().casefold() in _AT_LEAST_OF:
        vague = words[idx - 1].group().casefold()
        if vague in _AT_LEAST_PLURALS:
            # "dozens of vehicles": at least two dozen
            return _AT_LEAST_PLURALS[vague], "at_least", (words[idx - 1].start(), words[idx].end())
        if vague in ("number", "lot", "lots", "series", "host"):
            # "a number of An-124s": several
            return None, "several", (words[idx - 1].start(), words[idx].end())
    if (
        idx >= 1
        and words[idx].group().lower() == "of"
        and words[idx - 1].group().lower()
        in ("pair", "couple", "dozen", "total", "group", "handful")
    ):
        idx -= 1
        if words[idx].group().lower() == "total" and idx >= 1:
            idx -= 1
        if words[idx].group().lower() in ("couple", "group", "handful"):
            qual = "exact" if words[idx].group().lower() == "couple" else "several"
            span = (words[idx - 1].start() if idx else words[idx].start(), words[idx].end())
            return (2, qual, span) if qual == "exact" else (None, qual, span)
    by_ending = _plural_by_ending(head, vocab)
    plural = (
        _is_plural(head)
        or by_ending is True
        # "die Fregatten „Admiral Grigorowitsch“ und „Admiral Essen“": each name one ship
        or (_plural_noun(head, vocab) and not _names_ship(text, mention))
    )
    if idx < 0:
        after = _POSTPOSED_COUNT_RE.match(text, mention.end)
        if after is not None:
            # a list's "Ан-124 — 1, с поднятой носовой частью", "Il-76 x2"
            return int(after.group("n")), "exact", after.span("n")
        if not plural and _COUNTABLE_SINGULAR.search(head):
            return 1, "exact", None  # a headline's "Russian transport vessel enters ..."
        if by_ending is False:
            return 1, "exact", None  # "Фрегат покинул Тартус"
        if not plural and mention.score >= _NAMED_TYPE and _is_named_ship(text, mention):
            return 1, "exact", None  # "Fregata Admiral Golovko a părăsit portul"
        if not plural and words and words[-1].group().casefold() in vocab.singular:
            return 1, "exact", None  # "Vom Flugabwehrsystem S-400": a skipped article
        return None, "plural", None
    # a part of them, told by the word before "of" (a short determiner after "of" or
    # none): "several of its combat aircraft", "varios de sus aviones" (several of them);
    # "one of the An-32s", "Dwa z Ił-76", "două dintre avioanele Il-76" (that many)
    of = idx if words[idx].group().casefold() in _OF_WORDS else idx - 1
    if (
        of >= 1
        and idx - of <= 1
        and len(words[idx].group()) <= _DETERMINER_LETTERS
        and words[of].group().casefold() in _OF_WORDS
    ):
        part_word = words[of - 1].group()
        span = (words[of - 1].start(), words[idx].end())
        if vocab.several.match(part_word) is not None or part_word.casefold() == "some":
            return None, "several", span
        if part_word.casefold() in vocab.numbers:
            return vocab.numbers[part_word.casefold()], "exact", span
    part = _number_value(words[idx - 3].group(), vocab.numbers) if idx >= 3 else None
    if (
        part is not None
        and words[idx - 1].group().lower() in ("the", "these", "those", "its", "their")
        and words[idx - 2].group().lower() == "of"
        and _number_value(words[idx].group(), vocab.numbers) is not None
    ):
        # "two of the eight Su-24s": the part, not the whole
        return part, "exact", (words[idx - 3].start(), words[idx].end())
    w = words[idx]
    token = w.group().casefold().replace(",", "")
    number: int | None = None
    qualifier = "exact"
    span_start = w.start()
    times = re.fullmatch(r"(\d+)\s*[x×]", token)
    compound = re.fullmatch(r"([^\W\d_]+)-([^\W\d_]+)", token)
    if compound and all(part in vocab.numbers for part in compound.groups()):
        tens, units = (vocab.numbers[part] for part in compound.groups())
        if tens % 10 == 0 and tens >= 20 and 0 < units < 10:
            token = str(tens + units)  # "twenty-two trucks"
    if token.isdigit():
        number = int(token)
        # "1,200 trucks": WORD_RE reads the groups as words
        first = _digit_run_start(text, words, idx, ",", thousands=True)
        if first < idx:
            number = int(text[words[first].start() : w.end()].replace(",", ""))
            span_start = words[first].start()
    elif times is not None:
        number = int(times.group(1))  # a list's "6x Su-24"
    elif token in vocab.numbers:
        number = vocab.numbers[token]
        if token == "dozen" and idx > 0 and words[idx - 1].group().lower() in ("a", "one"):
            span_start = words[idx - 1].start()
            if idx > 1 and words[idx - 2].group().lower() == "half":
                number, span_start = 6, words[idx - 2].start()  # "half a dozen"
        elif token in _DOZEN_WORDS and idx > 0:
            times_word = words[idx - 1].group().casefold()
            n = _number_value(times_word, vocab.numbers)
            if n is not None:
                # "two dozen vehicles": 24
                number, span_start = n * number, words[idx - 1].start()
            elif times_word == "few" or vocab.several.fullmatch(times_word):
                # "several dozen trucks": at least two dozen
                return 2 * number, "at_least", (words[idx - 1].start(), w.end())
        if token == "pair":
            span_start = words[idx - 1].start() if idx > 0 else span_start
        if token in ("a", "an", "another") and plural:
            number = None
    elif token in _AT_LEAST_PLURALS:
        return _AT_LEAST_PLURALS[token], "at_least", (w.start(), w.end())
    elif token in _LEX.approximate_numbers:
        # "une vingtaine de véhicules": about twenty, the article with it (a qualifier
        # before them still says what bound it is: "al menos una docena", at least)
        article = idx > 0 and (
            words[idx - 1].group().casefold() in vocab.singular
            or _number_value(words[idx - 1].group(), vocab.numbers) == 1
        )
        span_start = words[idx - 1].start() if article else w.start()
        number, qualifier = _LEX.approximate_numbers[token], "about"
    elif token == "some":
        return None, "several", (w.start(), w.end())
    elif (phrase := vocab.several.search(text, clause_start, w.end())) is not None:
        # "several", and the lexicon's patterns: "mai multe elicoptere", "нескольких"
        return None, "several", (phrase.start(), w.end())
    if number is None:
        if plural:
            return None, "plural", None
        if _COUNTABLE_SINGULAR.search(head):
            return 1, "exact", None  # "Russian transport vessel", "disassembled Ka-52 helicopter"
        if mention.score >= _NAMED_TYPE and equipment_type(mention.key).category == "vessel":
            return 1, "exact", None  # a ship named: one ship
        # "the Ka-52", "Russia's S-400": one object
        if token in vocab.singular or token.endswith("'s"):
            return 1, "exact", None
        head_word = WORD_RE.match(text, mention.start)
        if (
            vocab.article_singular is not None
            and head_word is not None
            and vocab.article_singular.fullmatch(w.group() + " " + head_word.group())
        ):
            return 1, "exact", None  # "die S-400-Batterie": a feminine noun's singular
        if token == "l" and text[w.end() : w.end() + 1] in "'’" and w.end() + 1 == mention.start:
            return 1, "exact", None  # French elided article: "L'An-124 a décollé"
        if token in _PLURAL_DETERMINERS:
            return None, "plural", None  # "улетели все Су-24"
        if by_ending is False:
            return 1, "exact", None  # "на авиабазе демонтирован комплекс С-400"
        if mention.score >= _NAMED_TYPE and idx >= 1 and w.group().isalpha():
            # a word of the type's own between it and its count or article ("ein
            # Aufklärungsflugzeug Il-20", "un sistema Pantsir", "eine einzige Su-35")
            prev = words[idx - 1].group().casefold()
            n = _number_value(prev, vocab.numbers)
            if n is not None:
                return n, "exact", (words[idx - 1].start(), words[idx - 1].end())
            if prev in vocab.singular:
                return 1, "exact", None
        return None, "plural", None
    # an elided article belongs to the qualifier before it ("plus d'une vingtaine")
    elided = _ELIDED_RE.match(text, span_start, w.end())
    before = text[clause_start : elided.end() if elided else span_start]
    at_most = _AT_MOST_RE.search(before)
    if at_most is not None:
        # "no more than three Su-34s", "fewer than ten aircraft": some, at most that many
        return None, "several", (clause_start + at_most.start(), w.end())
    bound = _bound_before(before)
    if bound is not None:
        qualifier, span_start = bound[0], clause_start + bound[1]
    return number, qualifier, (span_start, w.end())


# words between a number and a noun that count something else ("24 hours", "10 km")
_NOT_DESCRIBING_RE = re.compile(
    r"^(?:hours?|days?|nights?|weeks?|months?|years?|minutes?|km|kilomet\w*|miles?|met(?:re|er)s?|"
    r"nm|percent|per|times|am|pm|of|and|or|to|from|in|at|on|by)$",
    re.IGNORECASE,
)


def _adjective_after_count(
    text: str, words: Sequence[re.Match[str]], idx: int, mention: _Span, vocab: _Vocab
) -> bool:
    """Whether ``words[idx]``, right before the mention, is one lower-case word that
    describes the objects after a count right before it ("two smaller warships",
    "ένα φορτηγό πλοίο"), no unit of time or distance."""
    if idx < 1 or idx != len(words) - 1:
        return False
    word, count = words[idx], words[idx - 1]
    token = word.group()
    return (
        token.isalpha()
        and token.islower()
        and len(token) > 2
        and token.casefold() not in vocab.numbers
        and not vocab.several.fullmatch(token)  # "a few Su-35 fighters": a count
        and _NOT_DESCRIBING_RE.match(token) is None
        and not text[count.end() : word.start()].strip()
        and not text[word.end() : mention.start].strip()
        and (
            (count.group().isdigit() and int(count.group()) < _YEARS_FROM)
            or count.group().casefold() in vocab.numbers
        )
        # "10 грудня фрегат", "2 stycznia fregata": a day and its month
        and _FOREIGN_DATE_RE.match(text, count.start()) is None
    )


# a number from here on before a word is a year ("seit Mitte Dezember 2024 regelmäßig")
_YEARS_FROM = 1000


_ABOUT_SIGN_RE = re.compile(r"[~≈]\s*$")


def _bound_before(before: str) -> tuple[str, int] | None:
    """The qualifier ending ``before`` (the text up to a count: "at least", "plus d'",
    "أكثر من") and where it starts, or None."""
    if (sign := _ABOUT_SIGN_RE.search(before)) is not None:
        return "about", sign.start()  # "~60 vehicles", "≈ 40 camions"
    for pattern, qual in _QUALIFIERS:
        qm = re.search(rf"\b(?:{pattern})(?:\s+|(?<=['’]))$", before, re.IGNORECASE)
        if qm:
            return qual, qm.start()
    return None


def _number_value(word: str, numbers: Mapping[str, int]) -> int | None:
    """The value of a count written in digits or as a number word of ``numbers``
    (folded), or None for another word."""
    if word.isdigit():
        return int(word)
    return numbers.get(word.casefold())


# a dozen or a ten, counted by the number before it ("two dozen trucks", "zwei Dutzend
# Kampfjets", "два десятка грузовиков")
_DOZEN_WORDS = frozenset({"dozen", *(w.casefold() for w in _LEX.multiplied)})
# a design named by its number ("Project 22350 frigate", "проекта 636.3"): not a count
_DESIGN_WORD_RE = re.compile(
    r"(?:project|pr\.?|" + "|".join(_LEX.design_words) + r")", re.IGNORECASE
)


def _digit_run_start(
    text: str, words: Sequence[re.Match[str]], idx: int, joiners: str, *, thousands: bool = False
) -> int:
    """Index of the first of the digit words ending at ``words[idx]`` that one character
    of ``joiners`` joins into one number ("636.3", "1,200": WORD_RE reads them as several
    words); with ``thousands``, every group after the first is of three digits."""
    start = idx
    while (
        start >= 1
        and (not thousands or len(words[start].group()) == 3)
        and words[start - 1].group().isdigit()
        and words[start - 1].end() + 1 == words[start].start()
        and text[words[start - 1].end()] in joiners
    ):
        start -= 1
    return start


def _design_number_start(text: str, words: Sequence[re.Match[str]], idx: int) -> int:
    """Index of the last word before a design number ending at ``words[idx]``, or
    ``idx`` when the word there is no design number.

    A number is a design's when a design word comes before it ("Project 22350",
    "Projekt 636.3"), or when it is a decimal ("the 636.3 submarine": a count has no
    decimals; WORD_RE reads "636.3" as two words).
    """
    if idx < 0 or not words[idx].group().isdigit():
        return idx
    start = _digit_run_start(text, words, idx, ".,")
    decimal = start < idx and text[words[start].end()] == "."
    if start >= 1 and _DESIGN_WORD_RE.fullmatch(words[start - 1].group()):
        return start - 2
    if decimal:
        return start - 1
    return idx


# "dozens of vehicles" counts at least two dozen, "hundreds" at least two hundred (and
# the lexicons' "dozens" and "tens": "Dutzende", "десятки")
_AT_LEAST_PLURALS = {"dozens": 24, "hundreds": 200, "scores": 40, **_LEX.at_least_plurals}
# the word joining such a number to its noun ("dozens of", "decenas de", "zeci de")
_AT_LEAST_OF = frozenset({"of", *(w.casefold() for w in _LEX.quantity_of)})
# a singular head noun that counts (not "aircraft", a type designation or a mass noun):
# one object, written or not with an article ("Russian transport vessel permitted...")
_COUNTABLE_SINGULAR = re.compile(
    r"\b(?:ship|vessel|boat|frigate|corvette|destroyer|cruiser|submarine|tanker|freighter|"
    r"oiler|tug|warship|helicopter|jet|plane|airliner|airlifter|launcher|radar|battery|"
    r"system|unit|truck|lorry|vehicle|convoy|column|tank)$",
    re.IGNORECASE,
)
_ARABIC_RE = re.compile(r"[\u0600-\u06ff]")
# Arabic nouns of the lexicon in the plural (broken plurals and -at)
# "at least" after an Arabic count's noun
_ARABIC_AT_LEAST_AFTER = re.compile(r"\s+(?:\S+\s+)?على\s+الأقل")
_ARABIC_PLURAL_RE = re.compile(
    r"^(?:[وفبل]|و?ب?ال|لل)?(?:\w+ات|سفن|قطع|بوارج|أرتال|قوافل|عربات)(?:ها|هم)?$"
)


def _arabic_count(
    text: str, clause_start: int, mention: _Span, vocab: _Vocab
) -> tuple[int | None, str, tuple[int, int] | None] | None:
    """The count of an Arabic noun: two for a dual, a number word before it, several
    or plural for a plural, one for a singular ("طائرة شحن": one cargo plane)."""
    first = text[mention.start : mention.end].split()[0].strip('"«»')
    span = (mention.start, mention.start + len(first))
    if any(re.fullmatch(p, first) for p in _LEX.dual):
        return 2, "exact", span
    before = list(WORD_RE.finditer(text, clause_start, mention.start))
    last = fold(before[-1].group()) if before else ""
    if before and vocab.several.search(text, clause_start, before[-1].end()):
        return None, "several", None
    if before and before[-1].group() in _AT_LEAST_PLURALS:
        # "عشرات الشاحنات": dozens of trucks, at least two dozen
        return _AT_LEAST_PLURALS[before[-1].group()], "at_least", before[-1].span()
    n = None if last in ("a", "an", "") else _number_value(last, vocab.numbers)
    if n is None and last.startswith("و"):
        n = vocab.numbers.get(last[1:])  # "وست": "and six"
    if n is not None:
        # "أكثر من 20 شاحنة": more than twenty; "ثلاث مروحيات على الأقل": at least three
        bound = _bound_before(text[clause_start : before[-1].start()])
        if bound is None and _ARABIC_AT_LEAST_AFTER.match(text, mention.end):
            return n, "at_least", None
        return n, bound[0] if bound else "exact", None
    if _ARABIC_PLURAL_RE.match(first):
        return None, "plural", None
    return 1, "exact", span


def _names_ship(text: str, mention: _Span) -> bool:
    """Whether ``mention`` is a ship class noun followed by a ship's name: a capitalised
    word after its first ("Fregatten „Admiral Grigorowitsch“"; a German noun is
    capitalised itself)."""
    words = WORD_RE.findall(text, mention.start, mention.end)
    return equipment_type(mention.key).category == "vessel" and any(
        w[:1].isupper() for w in words[1:]
    )


def _is_named_ship(text: str, mention: _Span) -> bool:
    """Whether a mention of a ship class carries a name ("Fregata Admiral Golovko")."""
    return equipment_type(mention.key).category == "vessel" and _holds_name(text, mention)


def _plural_by_ending(head: str, vocab: _Vocab) -> bool | None:
    """In a language without articles, whether ``head`` is plural by its first word's
    ending (:attr:`_Vocab.plural_word`: "фрегаты" several, "комплекс С-400" one); None
    in the other languages."""
    words = WORD_RE.findall(head)
    if vocab.plural_word is None or not words:
        return None
    return vocab.plural_word.fullmatch(words[0]) is not None


def _plural_noun(head: str, vocab: _Vocab) -> bool:
    """Whether the first word of ``head`` is a plural equipment noun of a language whose
    plurals do not end in "s" (:attr:`_Vocab.plural_noun`: "Fregatten", "φρεγάτες",
    "corvetele")."""
    words = WORD_RE.findall(head)
    return (
        bool(words)
        and vocab.plural_noun is not None
        and bool(vocab.plural_noun.fullmatch(words[0]))
    )


# actions whose verb has the objects as its subject ("исчезли Ка-52"); "загрузили в Ан-124",
# "разобрали Ка-52" have someone else's ("they loaded")
_SUBJECT_ACTIONS = frozenset({"departing", "arriving", "stationed"})


def _plural_verb(text: str, mention: _Span, action: _Span | None, vocab: _Vocab) -> bool:
    """Whether a type designation with no number of its own ("Ка-52") has a verb in the
    plural (:attr:`_Vocab.plural_verb`: "исчезли", "стоят", "zostały")."""
    words = WORD_RE.findall(text, mention.start, mention.end)
    if action is None or vocab.plural_verb is None or not words or len(words) > 1:
        return False
    if not any(ch.isdigit() for ch in words[0]):
        return False
    verb = WORD_RE.findall(text, action.start, action.end)
    return bool(verb) and vocab.plural_verb.fullmatch(verb[0]) is not None


def _is_plural(head: str) -> bool:
    last = head.split()[-1].lower() if head.split() else ""
    if re.fullmatch(r"(?:aircraft|personnel)", last):
        return False
    if re.search(r"(?:طائرات|سفن|فرقاطات|مروحيات|قوات|أرتال|آليات)$", head):
        return True
    if re.fullmatch(
        r"(?:forces|troops|soldiers|servicemen|units|vehicles|trucks|lorries|tanks)", last
    ):
        return True
    return last.endswith("s") and not last.endswith(("ss", "us"))


def _actions(text: str, a: int, b: int, vocab: _Vocab) -> list[_Span]:
    found: list[_Span] = []
    for action, rx in vocab.actions:
        for m in rx.finditer(text, a, b):
            found.append(
                _Span("action", m.start(), m.end(), action.key, action.rank, action.directional)
            )
    found.sort(key=lambda s: (s.start, -s.score))
    out: list[_Span] = []
    for s in found:
        if out and s.start < out[-1].end:
            continue
        if (
            s.key == "departing"
            and text[s.start : s.end].casefold() == "left"
            and _REMAINING_LEAD.search(text, max(a, s.start - _REMAINING_REACH), s.start)
        ):
            # "I count just two Mi-24 left": what remains, not what has gone
            s = _Span(
                "action", s.start, s.end, "stationed", _STATIONED.rank, _STATIONED.directional
            )
        out.append(s)
    return out


# "only", "just" or "still" a few words before "left": the objects that remain
_REMAINING_LEAD = re.compile(r"\b(?:only|just|still)\s+(?:[\w-]+\s+){1,5}$", re.IGNORECASE)
_REMAINING_REACH = 48
_STATIONED = next(a for a in ACTIONS if a.key == "stationed")


#: Dated events of the case that reports date things by ("since the fall of Assad").
CASE_EVENTS: Mapping[str, dt.date] = {"assad_fall": dt.date(2024, 12, 8)}
_CASE_EVENT_PATTERNS = {
    "assad_fall": r"(?:fall|ouster|overthrow|toppling|collapse)\s+of\s+(?:the\s+)?"
    r"(?:(?:president\s+)?(?:bashar\s+)?(?:al-?\s*)?assad(?:['’]s)?(?:\s+(?:regime|government))?)",
}
# "since the fall of the Assad regime": from the event to publication
_SINCE_EVENT_RE = re.compile(
    r"\b(?:since|after|following)\s+(?:the\s+)?(?:"
    + "|".join(f"(?P<{k}>{v})" for k, v in _CASE_EVENT_PATTERNS.items())
    + r")",
    re.IGNORECASE,
)


# a wire story's dateline, the place in capitals and the day it was filed, before the
# story's first words: "MOSCOW, Dec 27 (Reuters) - ", "LATAKIA, Syria, Dec 14 - "
_DATELINE_HEAD = re.compile(r"[A-Z][A-Z'’./\- ]{2,}(?:,\s*[A-Z][\w.' -]*?)?,\s*")
_DATELINE_TAIL = re.compile(r"\s*(?:\([\w .]+\)\s*)?[-–—]")
# the same in other languages: a town, then the date ("دمشق - 12 كانون الأول/ديسمبر
# (وكالة المشرق) -", "Beyrouth, 17 déc 2024 (Agence Méditerranée) -", "بيروت - 12 كانون
# الأول/ديسمبر 2024 -")
_FOREIGN_DATELINE_HEAD = re.compile(r"\s*[^\W\d_][\w'’./]*(?:\s+[^\W\d_][\w'’./]*)?\s*[,،–—-]\s*")
_FOREIGN_DATELINE_TAIL = re.compile(
    r"(?:/\S+)?(?:\s+\d{4})?\s*(?:/[^/\n]{2,40}/\s*)?(?:\([^()]{2,60}\)\s*)?\.?\s*[-–—]"
)


# the words before the day pictures were taken ("pictures posted yesterday, dated 5
# January", "images captured on Friday"): that date, not the first, dates the clause
_IMAGE_DAY_LEAD = re.compile(
    r"\b(?:dated|taken|captured|collected|acquired|shot|recorded)\s+(?:on\s+)?$"
    # the lexicons' words, and a short preposition or article after them ("prises le")
    r"|" + _words_alternation(_LEX.taken_words) + r"(?:\s+[^\W\d_]{1,4})?\s+$",
    re.IGNORECASE,
)
_IMAGE_DAY_LOOKBACK = 16


def _first_date(text: str, dates: Sequence[_Span], *, pictures: bool = False) -> _Span:
    """The date that dates a clause or a pass of imagery: the day its pictures were
    taken where the words say so ("dated 5 January"; for a pass, ``pictures``, also
    "images of Sunday", "εικόνες της Κυριακής", "снимки от 20 декабря"), else the first
    date."""
    for d in dates:
        if _IMAGE_DAY_LEAD.search(text, max(0, d.start - _IMAGE_DAY_LOOKBACK), d.start):
            return d
    if pictures:
        for d in dates[1:]:
            if _pictures_day(text, d):
                return d
    if (
        len(dates) > 1
        and _SAME_DAY_APPOSED_RE.fullmatch(text, dates[0].end, dates[1].start)
        and not _AND_RE.search(text, dates[0].end, dates[1].start)
        and _WEEKDAY_NAME_RE.fullmatch(dates[1].key.casefold().split()[-1])
        and all(d.extra[0] and d.extra[0][0] == d.extra[0][1] for d in dates[:2])
    ):
        # "Накануне, в понедельник, ...": one day named twice, the weekday plainly
        return dates[1]
    return dates[0]


# a comma and a preposition between two names of one day, the second a weekday
_SAME_DAY_APPOSED_RE = re.compile(r"\s*,\s*(?:[^\W\d_]{1,3}\s+)?")
_WEEKDAY_NAME_RE = re.compile(
    "|".join((*map(str.lower, calendar.day_name), *map(re.escape, _LEX.weekdays))),
    re.IGNORECASE,
)


# the most words between a word for pictures and their day ("images from last Sunday")
_PICTURES_DAY_GAP = 4
_PICTURES_DAY_LOOKBACK = 48


def _pictures_day(text: str, date: _Span) -> bool:
    """Whether ``date`` follows a word for pictures closely, in the same phrase: the day
    the pictures are of."""
    gap = _phrase_after(_IMAGERY_RE, text, date.start, _PICTURES_DAY_LOOKBACK)
    if gap is None:
        return False
    words = [w.lower() for w in WORD_RE.findall(gap)]
    if words and gap[:1].isalpha():
        words = words[1:]  # the rest of a word matched inside it ("Satellitenbild|er")
    # only words that tie a day to the pictures ("of", "vom", "της", "от"), not a verb
    # of what was done with them ("consultées lundi", "opublikowanych w czwartek")
    return len(words) <= _PICTURES_DAY_GAP and all(w in _PICTURES_DAY_WORDS for w in words)


# what ends a phrase between a word and what it qualifies
_PHRASE_BREAK_RE = re.compile(r"[,.;:!?()]")


def _phrase_after(rx: re.Pattern[str], text: str, end: int, reach: int) -> str | None:
    """The words between the last match of ``rx`` in the ``reach`` characters before
    ``end`` and ``end``, where no punctuation parts them (one phrase); None otherwise."""
    last = None
    for m in rx.finditer(text, max(0, end - reach), end):
        last = m
    if last is None or _PHRASE_BREAK_RE.search(text, last.end(), end):
        return None
    return text[last.end() : end]


_PICTURES_DAY_WORDS = frozenset(
    ["of", "from", "on", "taken", "dated", "last", "satellite", "sentinel"]
    + [w.lower() for w in _LEX.pictures_of]
)


# a named day put before or after ("before Christmas"): not that day
_AROUND_DAY_RE = re.compile(r"\b(?:before|after|until|till|by|over|around)\s+$", re.I)
# the lexicons' words for it ("до Нового року", "antes de Navidad")
_FOREIGN_AROUND_DAY_RE = re.compile(_words_alternation(_LEX.around_day) + r"\s+$", re.IGNORECASE)
_WEEK_OF_RE = re.compile(r"\bweek\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# the time stamp opening a live blog's entry ("14:02", "+++ 16.20 Uhr:", "08:15 GMT -")
_STAMP = r"(?:\+{3}\s*)?(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s*(?:GMT|UTC|Uhr|h|ч\.?))?"
_LIVE_STAMP_RE = re.compile(rf"\s*{_STAMP}\s*[-–—:]?\s", re.I)


# ... or on a line of its own right before the entry ("10:25\n\nOur correspondent ...")
_STAMP_LINE_RE = re.compile(rf"(?:^|\n)[ \t]*{_STAMP}[ \t]*[-–—:]?[ \t]*\n\s*$", re.I)
_STAMP_LINE_REACH = 40


def _overlaps(spans: Sequence[_Span], m: re.Match[str]) -> bool:
    """Whether ``m`` overlaps a date already found (the first reading of words wins)."""
    return any(d.start < m.end() and m.start() < d.end for d in spans)


def _since_or(
    text: str,
    a: int,
    m: re.Match[str],
    days: tuple[dt.date, dt.date],
    ref: dt.date,
    *marks: str,
    since: re.Pattern[str] = _SINCE_RE,
) -> _Span:
    """The date span of ``m`` naming ``days``: from their first to ``ref`` after a word
    for "since" (``since``: English "since mid-December", "since New Year's Day"; the
    lexicons' words with ``_FOREIGN_SINCE_RE``: "od wtorku", "seit Mitte Dezember"),
    else with ``marks``."""
    key = m.group().strip()
    if since.search(text, max(a, m.start() - _SINCE_LOOKBACK), m.start()):
        return _Span("date", m.start(), m.end(), key, extra=((days[0], max(days[0], ref)), "since"))
    return _Span("date", m.start(), m.end(), key, extra=(days, *marks))


def _foreign_months(text: str, a: int, b: int, ref: dt.date, found: Sequence[_Span]) -> list[_Span]:
    """Whole months of the lexicons' languages (:data:`_FOREIGN_MONTH_RE`): the month's
    days, in the year written or else the latest such month begun by ``ref``; from its
    first day to ``ref`` after a word for "since" ("seit Dezember"). A month needs a word
    before it or its year (a bare "grudnia" is a day-month date's); none where a date of
    ``found`` already reads the words."""
    out: list[_Span] = []
    for m in _FOREIGN_MONTH_RE.finditer(text, a, b):
        word = m.group("month").casefold()
        if not (m.group("lead") or m.group("year")) or _overlaps([*found, *out], m):
            continue
        if not m.group("lead") and _DAY_BEFORE_MONTH_RE.search(
            text, max(a, m.start() - _DAY_BEFORE_MONTH_REACH), m.start()
        ):
            continue  # a day-month date ("16 décembre 2024") that was not read as one
        if word in _AMBIGUOUS_MONTHS and not m.group("year"):
            continue
        year = int(m.group("year")) if m.group("year") else None
        days = month_part_days(_LEX.months[word], None, ref, year)
        lead = m.group("lead")
        if lead and _FOREIGN_SINCE_RE.search(lead.rstrip() + " "):
            # the word for "since" is the month's own lead ("seit Dezember", "с декабря")
            since = ((days[0], max(days[0], ref)), "since")
            out.append(_Span("date", m.start(), m.end(), m.group().strip(), extra=since))
            continue
        out.append(_since_or(text, a, m, days, ref, "month", since=_FOREIGN_SINCE_RE))
    return out


def _nights(text: str, a: int, b: int, ref: dt.date, found: Sequence[_Span]) -> list[_Span]:
    """Nights named by their weekdays (:data:`_NIGHT_RE`): the two days, the second the
    latest such weekday on or before ``ref``; with one weekday, the night ending in it
    after a word for "to" ("в ночь на среду": Tuesday and Wednesday), else the night
    after it ("la nuit de mardi")."""
    out: list[_Span] = []
    one = dt.timedelta(days=1)
    for m in _NIGHT_RE.finditer(text, a, b):
        if _overlaps(found, m):
            continue
        first = _LEX.weekdays[m.group("d1").casefold()]
        if m.group("d2"):
            last = _LEX.weekdays[m.group("d2").casefold()]
            end = ref - dt.timedelta(days=(ref.weekday() - last) % 7)
            days = (end - dt.timedelta(days=(last - first) % 7), end)
        else:
            day = ref - dt.timedelta(days=(ref.weekday() - first) % 7)
            days = (day - one, day) if m.group("to") else (day, min(day + one, ref))
        out.append(_Span("date", m.start(), m.end(), m.group(), extra=(days,)))
    return out


def _unit_count(m: re.Match[str]) -> int | None:
    """The number of units a :data:`_DAYS_BEFORE_RES` or :data:`_DAYS_PAST_RES` match
    counts: its group ``n`` (digits or a number word), two for a noun in the dual (group
    ``dual``), else one; None for a word that is no number ("a few days ago")."""
    groups = m.groupdict()
    if groups.get("dual"):
        return 2
    word = groups.get("n")
    return 1 if word is None else _number_value(word, _LEX.numbers)


def _counted_back(text: str, a: int, b: int, ref: dt.date, found: Sequence[_Span]) -> list[_Span]:
    """Days counted back from the publication ``ref``: "three days ago" (that day),
    "in the past 48 hours" (from the day the hours reach back to ``ref``); none where a
    date of ``found`` already reads the words."""
    out: list[_Span] = []
    for days_in_unit, rx in _DAYS_BEFORE_RES:
        for m in rx.finditer(text, a, b):
            n = _unit_count(m)
            if n is None or _overlaps([*found, *out], m):
                continue
            day = ref - dt.timedelta(days=n * days_in_unit)
            out.append(_since_or(text, a, m, (day, day), ref, since=_FOREIGN_SINCE_RE))
    for hours_in_unit, rx in _DAYS_PAST_RES:
        for m in rx.finditer(text, a, b):
            n = _unit_count(m)
            if n is None or _overlaps([*found, *out], m):
                continue
            back = -(-n * hours_in_unit // _HOURS_A_DAY)  # whole days, rounded up
            rng = (ref - dt.timedelta(days=back), ref)
            out.append(_Span("date", m.start(), m.end(), m.group(), extra=(rng,)))
    return out


def _dates(text: str, a: int, b: int, ref: dt.date | None) -> list[_Span]:
    out: list[_Span] = []
    for m in DATE_RE.finditer(text, a, b):
        if m.group("wd") and not m.group("wdn")[0].isupper():
            continue
        if _DATELINE_HEAD.fullmatch(text, a, m.start()) and _DATELINE_TAIL.match(text, m.end(), b):
            continue  # a wire dateline ("MOSCOW, Dec 27 -"): the day it was filed
        month = m.group("m1") or ""
        if month.lower() in ("may", "mar") and not month[0].isupper():
            continue
        rng = resolve_date(m, ref)
        lead = text[max(a, m.start() - _SINCE_LOOKBACK) : m.start()]
        since = rng is not None and ref is not None and bool(_SINCE_RE.search(lead))
        if since and rng is not None and ref is not None:
            rng = (rng[0], max(rng[0], ref))
        start, end = m.start(), m.end()
        if rng is not None and (m.group("mdy") or m.group("dmy")):
            start, end, rng = _day_list(text, a, b, m, rng)
            week = _WEEK_OF_RE.search(text, max(a, start - 16), start)
            if week is not None and rng[0] == rng[1]:
                # "during the week of 9 December": that day and the six after it
                start, rng = week.start(), (rng[0], rng[0] + dt.timedelta(days=6))
        marks = (rng, "since") if since else (rng,)
        out.append(_Span("date", start, end, text[start:end].strip(), extra=marks))
    if ref is not None:
        for m in _SINCE_EVENT_RE.finditer(text, a, b):
            day = CASE_EVENTS[next(k for k, v in m.groupdict().items() if v)]
            if day <= ref and not _overlaps(out, m):
                out.append(
                    _Span("date", m.start(), m.end(), m.group(), extra=((day, ref), "since"))
                )
    datelines: list[_Span] = []
    for m in _FOREIGN_DATE_RE.finditer(text, a, b):
        if _overlaps(out, m):
            continue
        tail = _FOREIGN_DATELINE_TAIL.match(text, m.end(), b)
        if _FOREIGN_DATELINE_HEAD.fullmatch(text, a, m.start()) and tail:
            # "Beirut, 11 dic (Agencia Oriente).-": the day it was filed, no other date
            # read in it ("12 كانون الأول/ديسمبر 2024 -" is no "December 2024")
            datelines.append(_Span("dateline", m.start(), tail.end()))
            continue
        month = _LEX.months[m.group("month").casefold()]
        year = int(m.group("year")) if m.group("year") else None
        rng = resolve_foreign_date(m.group(), month, int(m.group("day")), year, ref)
        start = m.start()
        if (
            rng is not None
            and ref is not None
            and _FOREIGN_SINCE_RE.search(text, max(a, start - _SINCE_LOOKBACK), start)
        ):
            # "depuis le 28 décembre": from that day to the publication
            rng = (rng[0], max(rng[0], ref))
        head = _FOREIGN_DAY_LIST_RE.search(text, max(a, start - _FOREIGN_RANGE_LOOKBACK), start)
        if rng is not None and head is not None and int(head.group("d1")) < rng[0].day:
            # "entre le 10 et le 13 décembre": the days from the first to the last
            rng = (rng[0].replace(day=int(head.group("d1"))), rng[1])
            start = head.start()
        out.append(_Span("date", start, m.end(), text[start : m.end()].strip(), extra=(rng,)))
    if ref is not None:
        out.extend(_nights(text, a, b, ref, out))
        for kind, rx in _FOREIGN_RELATIVE_RES:
            for m in rx.finditer(text, a, b):
                if _overlaps(out, m):
                    continue
                rng = resolve_relative(kind, ref)
                out.append(_since_or(text, a, m, rng, ref, since=_FOREIGN_SINCE_RE))
    if ref is not None:
        out.extend(_counted_back(text, a, b, ref, out))
    if ref is not None and _LEX.weekdays:
        for m in _FOREIGN_WEEKDAY_RE.finditer(text, a, b):
            if _overlaps(out, m):
                continue
            back = (ref.weekday() - _LEX.weekdays[m.group("day").casefold()]) % 7
            if back == 0 and (
                _WEEKDAY_LAST_RE.search(text, max(a, m.start() - _WEEKDAY_LAST_REACH), m.start())
                or _WEEKDAY_LAST_RE.match(text, m.end(), min(b, m.end() + _WEEKDAY_LAST_REACH))
            ):
                back = 7  # "mardi dernier" written on a Tuesday: the one before
            day = ref - dt.timedelta(days=back)
            out.append(_since_or(text, a, m, (day, day), ref, since=_FOREIGN_SINCE_RE))
    if ref is not None:
        for m in MONTH_PART_RE.finditer(text, a, b):
            if not _overlaps(out, m):
                # a part of a month dates its own sentence, not the account after it
                out.append(_since_or(text, a, m, resolve_month_part(m, ref), ref, "month"))
        for m in _FOREIGN_MONTH_PART_RE.finditer(text, a, b):
            if _overlaps(out, m):
                continue
            part = next(k for k in _LEX.month_parts if m.group(f"p_{k}"))
            year = int(m.group("year")) if m.group("year") else None
            part_days = month_part_days(_LEX.months[m.group("month").casefold()], part, ref, year)
            # "seit Mitte Dezember", "od połowy grudnia": from then to the publication
            out.append(_since_or(text, a, m, part_days, ref, "month", since=_FOREIGN_SINCE_RE))
        for m in _PART_OF_THIS_MONTH_RE.finditer(text, a, b):
            if _overlaps(out, m):
                continue
            part = next(k for k in _OWN_MONTH_PARTS if m.group(f"p_{k}"))
            month = ref.replace(day=1) - dt.timedelta(days=1) if m.group("last") else ref
            part_days = month_part_days(month.month, part, ref, month.year)
            if part_days[0] <= ref:  # "by the end of the month", told early in it: to come
                out.append(_since_or(text, a, m, part_days, ref, "month", since=_FOREIGN_SINCE_RE))
        out += _foreign_months(text, a, b, ref, [*out, *datelines])
        for m in NAMED_DAY_RE.finditer(text, a, b):
            lead = text[max(a, m.start() - _SINCE_LOOKBACK) : m.start()]
            if not _overlaps(out, m) and not _AROUND_DAY_RE.search(lead):
                named = resolve_named_day(m, ref)
                out.append(_since_or(text, a, m, (named, named), ref))
        for m in _FOREIGN_NAMED_DAY_RE.finditer(text, a, b):
            feast_month, feast_day = (int(x) for x in (m.lastgroup or "d_01_01").split("_")[1:])
            feast = latest_day(feast_month, feast_day, ref)
            lead = text[max(a, m.start() - _SINCE_LOOKBACK) : m.start()]
            if (
                not _overlaps(out, m)
                and ref - feast <= _NAMED_DAY_REACH
                and not _FOREIGN_AROUND_DAY_RE.search(lead)
            ):
                out.append(_since_or(text, a, m, (feast, feast), ref, since=_FOREIGN_SINCE_RE))
        for m in BARE_DAY_RE.finditer(text, a, b):
            days = resolve_bare_day(int(m.group("day")), ref)
            if days is not None and not _overlaps(out, m):
                out.append(_Span("date", m.start(), m.end(), m.group(), extra=(days,)))
    if ref is not None and not out:
        stamp = _LIVE_STAMP_RE.match(text, a, b)
        line = None if stamp else _STAMP_LINE_RE.search(text, max(0, a - _STAMP_LINE_REACH), a)
        if stamp is not None:
            # a live blog's entry ("14:02 Two more Il-76s have landed"): the day it is posted
            out.append(
                _Span(
                    "date", stamp.start(), stamp.end(), stamp.group().strip(), extra=((ref, ref),)
                )
            )
        elif line is not None:
            # the stamp on the line before the entry: the entry's first sentence
            out.append(_Span("date", a, a, line.group().strip(), extra=((ref, ref),)))
    out.sort(key=lambda d: d.start)
    # "Friday 2024-12-13", "Saturday, December 14", "mercredi 25 décembre": the explicit
    # date says it all
    out = [
        d
        for i, d in enumerate(out)
        if not (
            (
                re.match(r"(?:on\s+|last\s+|this\s+|past\s+)?[A-Z][a-z]+day$", d.key)
                or d.key.casefold().lstrip("وبل") in _LEX.weekdays
            )
            and i + 1 < len(out)
            and re.fullmatch(r"[\s,(]{0,3}", text[d.end : out[i + 1].start])
            and not re.match(r"(?i:in|during|by|since)\b", out[i + 1].key)
        )
    ]
    # "between August 2015 and October 2017", "from 12 to 14 December": one range
    merged: list[_Span] = []
    for d in out:
        if merged:
            prev = merged[-1]
            gap = text[prev.end : d.start]
            lead = text[max(a, prev.start - _RANGE_LOOKBACK) : prev.start]
            r1, r2 = prev.extra[0], d.extra[0]
            if (
                r1 is not None
                and r2 is not None
                and r1[0] <= r2[1]
                and (
                    (
                        re.fullmatch(r"\s*(?:and|to|until|till|through|-|–)\s*", gap)
                        and re.search(r"\b(?:between|from)\s+$", lead, re.I)
                    )
                    or (
                        # "zwischen August 2015 und Oktober 2017", "entre août et octobre"
                        _FOREIGN_RANGE_GAP_RE.fullmatch(gap) is not None
                        and _FOREIGN_RANGE_OPENER_RE.search(lead) is not None
                    )
                    or (
                        # "w sobotę i niedzielę", "у неділю та понеділок": the days of
                        # two weekdays named together, and those between
                        _WEEKDAY_PAIR_GAP.fullmatch(gap) is not None
                        and not any(ch.isdigit() for ch in prev.key + d.key)
                        and r1[1] < r2[0] <= r1[1] + dt.timedelta(days=_WEEKDAY_PAIR_DAYS)
                        and prev.extra[1:] == d.extra[1:] == ()
                    )
                )
            ):
                key = text[prev.start : d.end]
                merged[-1] = _Span("date", prev.start, d.end, key, extra=((r1[0], r2[1]),))
                continue
        merged.append(d)
    return merged


def _days_after(
    text: str,
    a: int,
    b: int,
    dates: list[_Span],
    told: tuple[dt.date, dt.date] | None,
    published: dt.date | None,
) -> list[_Span]:
    """``dates`` with the days counted from a day told before ("two days later", "the
    next morning", "через два дня"): from the last date before them in the sentence,
    else ``told`` (the day the account told last). A count that is no number ("several
    days later") or a day after the publication dates nothing."""
    out = list(dates)
    for unit, rx in _DAYS_AFTER_RES:
        for m in rx.finditer(text, a, b):
            if _overlaps(out, m):
                continue
            n = _unit_count(m)
            before = [
                d.extra[0]
                for d in out
                if d.end <= m.start() and d.extra[0] is not None and d.extra[1:] == ()
            ]
            base = before[-1] if before else told
            if n is None or base is None:
                continue
            step = dt.timedelta(days=n * unit)
            days = (base[0] + step, base[1] + step)
            if published is not None and days[0] > published:
                continue
            # a day back from the account's ("a week earlier") dates its own clause,
            # not the account after it
            marks = ("back",) if unit < 0 else ()
            out.append(_Span("date", m.start(), m.end(), m.group(), extra=(days, *marks)))
    out.sort(key=lambda d: d.start)
    return out


# the words that join two weekdays into the days from one to the other, in the lexicons'
# languages ("Saturday and Sunday", "samedi et dimanche", "у неділю та понеділок")
_WEEKDAY_PAIR_GAP = re.compile(
    r"\s*(?:" + "|".join(("and", "or", "to", "through", *_LEX.weekday_joiners, "-", "–", "/")) + ")"
    r"\s*(?:(?:" + "|".join(("on", *_LEX.weekday_prepositions)) + r")\s+)?",
    re.IGNORECASE,
)
# the most days two weekdays named together may lie apart
_WEEKDAY_PAIR_DAYS = 6


def _day_list(
    text: str, a: int, b: int, m: re.Match[str], rng: tuple[dt.date, dt.date]
) -> tuple[int, int, tuple[dt.date, dt.date]]:
    """A date with more days of its month before or after it ("21 and 22 December",
    "December 21 and 22", "Jan 5-8", "between 18 and 27 January"): the days from the
    first to the last."""
    start, end = m.start(), m.end()
    first, last = rng
    head = _DAY_LIST_RE.search(text[max(a, start - _RANGE_LOOKBACK) : start])
    if m.group("dmy") and head is not None:
        try:
            first = first.replace(day=int(head.group("d1")))
            start = start - len(head.group())
        except ValueError:
            pass
    tail = _DAY_TAIL_RE.match(text, end, b)
    if m.group("mdy") and not m.group("y1") and tail is not None:
        try:
            last = last.replace(day=int(tail.group("d2")))
            end = tail.end()
        except ValueError:
            pass
    if first > last:
        return m.start(), m.end(), rng
    return start, end, (first, last)


def _zone(text: str, a: int, b: int, places: Sequence[_Span]) -> str | None:
    clause = text[a:b]
    for kind, rx in _ZONE_CUES:
        if rx.search(clause):
            return kind
    for p in places:
        if p.prep == "off":
            return "approach"
    return None


def _focus(places: Sequence[_Span]) -> _Span | None:
    """The place a stretch of text is about: a monitored site before a town, never a
    capital ("talks with Damascus")."""
    usable = [p for p in places if not p.extra[0] and place(p.key).kind != "capital"]
    for p in usable:
        if place(p.key).monitored:
            return p
    return usable[0] if usable else None


@dataclass(frozen=True)
class _DateRef:
    """A resolved date and the words that gave it."""

    days: tuple[dt.date, dt.date]
    text: str


@dataclass(frozen=True)
class _ImageryPass:
    """A dated pass of imagery over a site, told in sentence number ``sentence``."""

    date: _DateRef
    sentence: int


@dataclass
class _Ctx:
    """What the previous sentence was about (for "the base", "nearby", "same morning")."""

    site: str | None = None
    dates: dict[str, _DateRef] = field(default_factory=dict)
    heading: _DateRef | None = None
    """The date of the heading the account is under: a place and a date, or a date
    alone, with nothing claimed ("1. Hmeimim air base, 28 January 2025.", "• 12
    декабря."). What follows is told of that day until a sentence gives a date."""
    monitored: dict[str, str] = field(default_factory=dict)
    """The latest monitored site named, by kind (``airbase``, ``port``): "the base"
    after a sentence about a town is the air base the account is about."""
    vessel: str | None = None
    """The class "the ships"/"vessels" refer to: naval vessels after warships or a
    navy were named, vessels after cargo ships (None before any)."""
    then: dict[str, _DateRef] = field(default_factory=dict)
    """The day of the sentence's last claim at each site, whatever its form (a part of a
    month too): what a "since then" after it starts from."""
    pictured: bool = False
    """The sentence told what pictures show ("den Bildern zufolge", "satellite images
    from Saturday show"): a state told right after it is of the same pictures."""
    aircraft: str | None = None
    """The one type of aircraft named in the sentence's claims ("two An-124 ..."), if
    there was one: "both planes" in the next sentence are those."""
    air_defence: str | None = None
    """The class of the last air-defence system the sentence named by type ("the S-400
    battery": ``s-400``; "a Pantsir": ``air-defence``), if any: the launchers, radars
    and batteries the next sentence names without a type are its parts."""


@dataclass(frozen=True)
class _Sentence:
    """One sentence of a report, with the places and dates named in it."""

    vocab: _Vocab
    """The words of the report's languages."""
    index: int
    start: int
    end: int
    places: list[_Span]
    dates: list[_Span]
    observed: bool
    """An observation verb ("seen", "visible") anywhere in the sentence."""
    imagery: bool
    """Words of imagery ("satellite images", "снимки") anywhere in the sentence."""
    continues: bool
    """The sentence goes on with an account told before it: a thread's post ("3/ ...")
    or a day named by the one before ("later that afternoon"). Its claims take a date
    carried over as an observation's do."""
    in_thread: bool = False
    """The sentence is in a numbered thread's post (its paragraph opens with "3/"): a
    pass of imagery told earlier in the thread dates it from further back."""
    same_images: bool = False
    """The sentence tells what pictures told of before show ("in the same images"):
    its claims are of the day those pictures were taken."""
    same_day: bool = False
    """The sentence names the day told before it ("am selben Tag", "того ж дня"): its
    claims are of that day, whichever site the day was told of."""
    question: bool = False
    """The sentence ends as a question ("¿Siguen llegando barcos de carga?"): it asserts
    nothing."""


@dataclass
class _Clauses:
    """What the earlier clauses of a sentence tell the later ones."""

    site: _Span | None = None
    """The place they are about."""
    date: _Span | None = None
    """The first date they name."""
    equipment: list[_Span] = field(default_factory=list)
    """Their equipment mentions (the subject a later clause may continue)."""
    equipment_start: int = 0
    """Where the clause of those mentions starts (for their counts)."""
    actions: list[_Span] = field(default_factory=list)
    """The action words of the last clause that had any (what an elliptical clause,
    "as have the Su-24s", does)."""
    after_aside: tuple[_Span | None] | None = None
    """Where the clause's first date is an aside's ("that were here on 12 Dec"): the
    date the later clauses take instead (None where there is none)."""


@dataclass(frozen=True)
class _ClaimDate:
    """The date of one claim: the expression (None: undated), its days, and whether
    it was carried over from earlier text."""

    span: _Span | None = None
    days: tuple[dt.date, dt.date] | None = None
    inherited: bool = False


def _coordinated(text: str, first: _Span, places: Sequence[_Span]) -> list[_Span]:
    """``first`` and the places joined to it by "and"/"," ("at Hmeimim and Tartus")."""
    group = [first]
    for p in places:
        if p.start <= group[-1].end:
            continue
        gap = _PLACE_TYPE_WORDS.sub(" ", text[group[-1].end : p.start])
        gap = re.sub(r"'s\b|’s\b", " ", gap)
        if re.fullmatch(r"\s*(?:,|and|&|or|,\s*and)\s*", gap, re.IGNORECASE) and not p.extra[0]:
            group.append(p)
        else:
            break
    return group


# the most characters between a monitored site and a town named after it to locate it
# ("Hmeimim, cerca de Latakia,", "Tartus, near the town of Baniyas")
_LOCATING_GAP = 32
# a place that pictures are of is where what they show is ("images of Tartus show ...")
_PICTURES_OF_RE = re.compile(
    r"\b(?:imagery|images?|pictures?|photos?|photographs?|footage|scenes?|captures?)\s+"
    r"(?:[\w-]+\s+){0,3}?of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# a part of a site is at the site ("at the east pier of the port of Beirut", "in the
# harbour basin of Tartus", "on the apron of (Russia's) Hmeimim air base")
_PART_OF_RE = re.compile(
    r"\b(?:piers?|quays?|berths?|basins?|harbou?rs?|aprons?|runways?|taxiways?|terminals?|"
    r"anchorages?|roadsteads?|breakwaters?|docks?|docksides?|jett(?:y|ies)|wharf|wharves|"
    r"hangars?|shelters?|hardstands?|stands?|pads?|airfields?|perimeter|outskirts|edges?|"
    r"ends?|entrances?|mouth|gates?|checkpoints?|fences?)\s+of\s+(?:the\s+)?"
    r"(?:(?:russia['’]s|russian|syrian)\s+)?$",
    re.IGNORECASE,
)


# the preposition before a part of a site ("towards the main gate of the base")
_PART_PREP_RE = re.compile(
    r"\b(?P<prep>towards?|to|into|for|from|out\s+of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)


def _part_prep(text: str, place: _Span) -> _Span:
    """A site named as the whole of a part ("the gate of the base") takes the
    preposition of the part where it tells a direction ("heads towards the main gate
    of the base": towards the base)."""
    if place.prep != "of":
        return place
    part = _PART_OF_RE.search(text, max(0, place.start - 48), place.start)
    if part is None:
        return place
    lead = _PART_PREP_RE.search(text, max(0, part.start() - 40), part.start())
    if lead is None:
        return place
    return replace(place, prep=" ".join(lead.group("prep").casefold().split()))


# a named destination after an arrival's verb ("sent to Novorossiysk", "flown back to
# Russia"): where it is no place of the clause, the objects went elsewhere
_ELSEWHERE_DESTINATION = re.compile(
    r"\b(?:to|towards?|into)\s+(?:the\s+)?(?P<to>(?-i:[A-Z])[\w'’-]+)", re.IGNORECASE
)
_DESTINATION_REACH = 60
# where the destination of a verb can no longer be: the end of its clause or sentence
_CLAUSE_END = re.compile(r"[.;:!?\n]|,\s")


def _goes_elsewhere(text: str, places: Sequence[_Span], action: _Span | None) -> bool:
    """Whether an arrival names a destination that is no place of the clause ("returned to
    Sevastopol", "most of them heading towards Libya"): the objects went elsewhere."""
    if action is None or action.key != "arriving":
        return False
    stop = _CLAUSE_END.search(text, action.end, action.end + _DESTINATION_REACH)
    end = stop.start() if stop is not None else action.end + _DESTINATION_REACH
    elsewhere = _ELSEWHERE_DESTINATION.search(text, action.start, end)
    return elsewhere is not None and not any(
        action.end <= p.start <= elsewhere.start("to") for p in places
    )


# the prepositions of a place objects head for
_TOWARDS_PREPS = ("to", "toward", "towards", "into", "for")
# actions that take objects from one place to another
_MOVING_ACTIONS = frozenset({"departing", "withdrawing", "moving", "arriving"})


def _roles(
    text: str, places: Sequence[_Span], equip: _Span, action: _Span | None
) -> list[tuple[_Span, str]]:
    """(place, action) pairs for one equipment mention in one clause."""
    usable = [
        _part_prep(text, p)
        for p in places
        if not p.extra[0]
        # "arrived at the base on Saturday, coming from Homs": a town they came from is
        # no place of the claim (a site they came from is one they left)
        and not (p.prep == "origin" and not place(p.key).monitored)
        and (
            p.prep not in ("between", "of", "via")
            or (
                p.prep == "of"
                and (
                    _PICTURES_OF_RE.search(text, max(0, p.start - 48), p.start)
                    or _PART_OF_RE.search(text, max(0, p.start - 48), p.start)
                )
            )
        )
    ]
    anchor = action.start if action is not None else equip.start
    after = [p for p in usable if p.start >= anchor]
    from_p = next((p for p in after if p.prep in ("from", "out of", "origin")), None)
    if from_p is None and action is not None and action.prep == "from":
        # "left Jabla", "departed Tartus": the place right after the verb
        direct = next(
            (
                p
                for p in after
                if p.prep == ""
                and (
                    p.start - action.end <= _DIRECT_OBJECT_GAP
                    or (
                        _PART_GAP_RE.fullmatch(text, action.end, p.start) is not None
                        and place(p.key).monitored
                    )
                )
            ),
            None,
        )
        from_p = direct
    to_p = next((p for p in after if p.prep in _TOWARDS_PREPS), None)
    if to_p is None and action is not None and action.key in _MOVING_ACTIONS:
        # "в сторону Тартуса вышла колонна", "до Хмеймима прибула колона": the way told
        # before the verb
        to_p = next((p for p in reversed(usable) if p.end <= anchor and p.prep == "towards"), None)
    if (
        from_p is None
        and to_p is not None
        and action is not None
        and action.key in ("departing", "withdrawing")
    ):
        # "salió de la base naval de Tartus en dirección a Hmeimim", "из Хмеймима в
        # сторону Тартуса вышла": the place left, named with no "from" of its own
        from_p = next(
            (p for p in after if p.start < to_p.start and p.prep == ""),
            next((p for p in reversed(usable) if p.end <= anchor and p.prep == ""), None),
        )
    if action is not None and action.key == "arriving" and to_p is None:
        if _goes_elsewhere(text, places, action):
            return []  # "returned to Sevastopol", "flown back to Russia": not to a site
        to_p = next((p for p in after if p.prep in ("at", "in", "on")), None)
    kind = action.key if action is not None else "stationed"
    if action is None and from_p is not None:
        kind = "departing"  # "evacuation flights continue from Hmeimim"
    out: list[tuple[_Span, str]] = []
    if kind in _MOVING_ACTIONS and (from_p or to_p):
        if from_p is not None:
            out.append((from_p, "withdrawing" if kind == "withdrawing" else "departing"))
        if to_p is not None:
            out.append((to_p, "arriving"))
        return out
    located = [p for p in usable if p.prep not in _TOWARDS_PREPS]
    if not located:
        if kind == "stationed" and to_p is not None and to_p.prep == "towards":
            # "εντοπίστηκε φάλαγγα οχημάτων στον παραλιακό δρόμο προς την Ταρτούς" (a
            # convoy seen on the coast road towards Tartus): seen on its way there
            return [(to_p, "arriving")]
        return []
    after_equip = [p for p in located if p.start >= equip.end]
    before_equip = [p for p in located if p.end <= equip.start]
    first = after_equip[0] if after_equip and after_equip[0].prep else None
    if first is None and before_equip:
        first = before_equip[-1]
    if first is None:
        first = after_equip[0] if after_equip else None
    if first is None:
        return []
    if not place(first.key).monitored:
        # a town right after a monitored site locates that site, whatever preposition
        # the site has ("on the main apron of Russia's Hmeimim air base near Jableh",
        # "En la base aérea de Hmeimim, cerca de Latakia, ... un avión")
        locating = next(
            (
                p
                for p in reversed(places)
                if place(p.key).monitored
                and not p.extra[0]
                and p.prep not in ("between", "via")
                and 0 <= first.start - p.end <= _LOCATING_GAP
            ),
            None,
        )
        if locating is not None:
            first = locating
    if not place(first.key).monitored and not any(p.prep for p in located):
        # no preposition read (other languages): a monitored site named in the clause is
        # where the objects are, not the town the sources speak from ("مصادر في مدينة جبلة
        # بأن طائرات ... أقلعت من قاعدة حميميم")
        sites = [p for p in located if place(p.key).monitored]
        if sites:
            first = min(
                sites, key=lambda p: min(abs(p.start - equip.end), abs(equip.start - p.end))
            )
    # a town locating a monitored site ("Hmeimim airbase in Latakia") is not the claim's place
    return [(p, kind) for p in _coordinated(text, first, located)]


def extract_claims(
    report: Report, *, rate: bool = True, model_dates: bool = True
) -> tuple[Claim, ...]:
    """The claims ``report`` makes about places of the gazetteer.

    A claim needs equipment (from the lexicon), a place (named in the clause, or
    referred to as "the base", "nearby"... after a sentence that named it) and an
    action (or an observation verb: a claim of presence). Negated clauses ("no sign
    that warships will leave") make claims of modality ``denied``; a negated sighting
    that states an absence ("no warships were seen in Tartus") is a departure
    (``absence``). Relative dates are resolved against
    :attr:`Report.published`; without it they stay unresolved (``date_text`` only).

    Parameters
    ----------
    report : Report
        The report, as :func:`~basewatch.corroborate.reports.read_report` or
        :func:`~basewatch.corroborate.reports.parse_report` made it.
    rate : bool
        Estimate each claim's :attr:`~Claim.confidence` with the shipped model (False:
        leave it 0.0, as fitting a new model does: ``benchmarks/train_claim_confidence.py``).
    model_dates : bool
        Let the shipped date model choose each claim's date among the report's dates
        (:mod:`basewatch.corroborate.dating`; False: the rules' dates, as training that
        model needs: ``benchmarks/train_claim_dates.py``).

    Returns
    -------
    tuple of Claim
        In text order, numbered ``"<report id>#1"``, ``#2``...; repeats of one claim
        (same clause, site, equipment, action, date and count) left out.
    """
    language = guess_language(report.body_text)
    if _UNSPELLED_MARK_RE.search(report.text) is None:
        made = _report_claims(report, language)
    else:
        plain, kept = _without_marks(report)
        made = [_marked_back(c, report.text, kept) for c in _report_claims(plain, language)]
    if model_dates:
        made = _model_dates(report, made)
    return _with_confidence(made, language) if rate else tuple(made)


def date_mentions(report: Report) -> list[DateMention]:
    """Every date ``report`` gives that resolves to days (against its publication day),
    in text order, as the claims' date model weighs them."""
    text = report.text
    spans = sorted(_dates(text, 0, len(text), report.published), key=lambda s: (s.start, s.end))
    return [
        DateMention(span.start, span.end, tuple(span.extra[0]), span.key, len(span.extra) > 1)
        for span in spans
        if span.extra and span.extra[0]
    ]


def sentence_cues(report: Report, sentences: Sequence[tuple[int, int]]) -> list[SentenceCues]:
    """Per sentence of ``report`` (``sentences``: their spans, as :func:`sentence_spans`
    gives them), what it tells of where its account comes from, as the claims' date
    model weighs it."""
    text = report.text
    reported = _vocab(guess_language(report.body_text)).reported
    return [
        SentenceCues(
            reported=reported.search(text, start, end) is not None,
            imagery=_IMAGERY_RE.search(text, start, end) is not None,
            continues=_THREAD_NUMBER_RE.match(text, start) is not None
            or _SAME_DAY_RE.search(text, start, end) is not None
            or _SAME_IMAGES_RE.search(text, start, end) is not None,
        )
        for start, end in sentences
    ]


def _model_dates(report: Report, claims: list[Claim]) -> list[Claim]:
    """``claims`` dated by the shipped date model
    (:func:`~basewatch.corroborate.dating.choose_dates`)."""
    if not claims:
        return claims
    sentences = sentence_spans(report.text, report.body)
    return choose_dates(
        report.text,
        report.published,
        sentences,
        date_mentions(report),
        claims,
        sentence_cues(report, sentences),
    )


# marks written over letters that no lexicon spells and that split a word for the
# patterns: Arabic short vowels, tanwin, shadda and sukun ("تُظهر", "عدداً"), the
# dagger alif and Quranic signs, the tatweel that stretches a word, and the combining
# accents NFC leaves alone (a stress mark on a Cyrillic vowel)
_UNSPELLED_MARK_RE = re.compile(
    "[\u0300-\u036f\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed]"
)


def _without_marks(report: Report) -> tuple[Report, list[int]]:
    """``report`` with the marks of :data:`_UNSPELLED_MARK_RE` taken out of its text,
    and the offset in the original text of each character left (``kept[i]``)."""
    text = report.text
    kept = [i for i, c in enumerate(text) if _UNSPELLED_MARK_RE.fullmatch(c) is None]
    plain = "".join(text[i] for i in kept)
    body = tuple((bisect_left(kept, a), bisect_left(kept, b)) for a, b in report.body)
    return replace(report, text=plain, body=body), kept


def _marked_back(claim: Claim, text: str, kept: Sequence[int]) -> Claim:
    """``claim`` read from the text without marks, its offsets moved back onto ``text``
    (a span ending on a letter takes the marks written over it)."""

    def start(i: int) -> int:
        return kept[i] if i < len(kept) else len(text)

    def span(s: tuple[int, int] | None) -> tuple[int, int] | None:
        return None if s is None else (start(s[0]), start(s[1]))

    a, b = start(claim.start), start(claim.end)
    return replace(
        claim,
        start=a,
        end=b,
        evidence=text[a:b].strip(),
        equipment_span=(start(claim.equipment_span[0]), start(claim.equipment_span[1])),
        site_span=span(claim.site_span),
        action_span=span(claim.action_span),
        date_span=span(claim.date_span),
        count_span=span(claim.count_span),
    )


def _report_claims(report: Report, language: str) -> list[Claim]:
    """:func:`extract_claims`' claims of ``report``, unrated, in text order."""
    claims: list[Claim] = []
    sentence_of: list[int] = []
    previous = _Ctx()
    imagery: dict[str, _ImageryPass] = {}
    vocab = _vocab(language)
    told_day: tuple[dt.date, dt.date] | None = None
    images_day: dict[int, tuple[dt.date, dt.date]] = {}
    of_imagery: set[int] = set()
    spans = sentence_spans(report.text, report.body)
    for index, (start, end) in enumerate(spans):
        sentence = _read_sentence(report, index, start, end, vocab, told_day, language=language)
        if _COMPARISON_ASIDE_RE.match(report.text, start, end):
            # "Для сравнения: 14 декабря Ан-124 был только один.": a look back at another
            # day, told in passing; the account goes on from where it was
            made = _sentence_claims(report, sentence, previous, dict(imagery), first=len(claims))
            claims += made
            sentence_of += [index] * len(made)
            continue
        told_day = next(
            (d.extra[0] for d in reversed(sentence.dates) if d.extra[0] and d.extra[1:] == ()),
            told_day,
        )
        made = _sentence_claims(report, sentence, previous, imagery, first=len(claims))
        if claims and sentence_of[-1] == index - 1:
            last = [
                c
                for i, c in zip(sentence_of, claims, strict=True)
                if i == index - 1 and c.equipment_span == claims[-1].equipment_span
            ]
            made = _among_them(report, sentence, made, last, first=len(claims))
        if (day := _images_day(report.text, sentence)) is not None:
            images_day[index] = day
        if sentence.imagery:
            of_imagery.add(index)
        if _THIS_SHOWS_RE.match(report.text, sentence.start) is not None and index > 0:
            # "Про це свідчать супутникові знімки, зроблені в понеділок": the pictures
            # the sentence before was told from
            of_imagery.add(index - 1)
        claims += made
        sentence_of += [index] * len(made)
        looks_back = _looks_back(report.text, sentence, made, previous.heading, report.published)
        # a look back leaves the account's day and its pass of imagery as they were
        told = _told_next(
            report, sentence, made, dict(imagery) if looks_back else imagery, previous.site
        )
        if looks_back:
            told.dates = dict(previous.dates)
        # the discourse keeps its site until another place replaces it: a sentence
        # naming none ("Maxar.", a caption, a quote) goes on about the same site
        if told.site is None:
            told.site = previous.site
        mentions = _equipment_mentions(report.text, sentence.start, sentence.end, sentence.vocab)
        told.vessel = _vessel_context(report.text, mentions, previous.vessel)
        told.heading = _heading(
            report.text, sentence, made, previous.heading, report.published, looks_back=looks_back
        )
        told.pictured = sentence.imagery or sentence.same_images
        types = {c.equipment for c in made if c.equipment not in _GENERIC_AIRCRAFT}
        if len(types) == 1 and equipment_type(next(iter(types))).category == "aircraft":
            told.aircraft = next(iter(types))
        told.air_defence = _named_air_defence(report.text, mentions, sentence.vocab)
        told.monitored = dict(previous.monitored)
        for key in [*(p.key for p in sentence.places), *(c.site for c in made)]:
            if (named := place(key)).monitored:
                told.monitored[named.kind] = key
        previous = told
    claims = _dated_by_the_images(report.text, claims, sentence_of, images_day, of_imagery)
    return _dedupe(_dated_by_next(report.text, claims, sentence_of, spans))


# "Among them" opening a sentence (lexicon ``among_words``), after a time stamp or a
# list's mark, and a dash or colon after it ("Среди них — фрегат ...")
_AMONG_WORDS = "|".join(_LEX.among_words or ("(?!)",))
_AMONG_RE = re.compile(
    rf"[\W_]*(?:{_STAMP}\s*[-–—:]?\s*)?(?:{_AMONG_WORDS})(?!\w)\s*[-–—:]?", re.IGNORECASE
)


# words opening a sentence that names the objects the sentence before told of
# (lexicon ``naming_words``: "Πρόκειται για τις φρεγάτες ...", "Este vorba despre ...")
_NAMING_WORDS = "|".join(_LEX.naming_words or ("(?!)",))
_NAMING_RE = re.compile(
    rf"[\W_]*(?:{_STAMP}\s*[-–—:]?\s*)?(?:{_NAMING_WORDS})(?!\w)\s*[-–—:]?", re.IGNORECASE
)


def _among_them(
    report: Report, sentence: _Sentence, made: list[Claim], last: Sequence[Claim], *, first: int
) -> list[Claim]:
    """The claims of a sentence that opens with "among them" and names some of the
    objects the sentence before told of ("... four warships remained anchored off
    Tartus on Sunday. Among them is the frigate Admiral Golovko."): each object it names
    shares ``before``, that sentence's latest claim (its action, place, zone, day
    and modality). A sentence that opens with words naming those objects ("...
    have left the port and lie at anchor 8 km offshore. Πρόκειται για τις φρεγάτες
    ..."): each object it names shares every claim of theirs (left, and at anchor). A
    sentence with a verb of its own other than presence ("Among them, two Il-76s left
    on Friday") keeps its own claims (``made``)."""
    text = report.text
    opening = _AMONG_RE.match(text, sentence.start, sentence.end)
    naming = opening is None
    if naming:
        opening = _NAMING_RE.match(text, sentence.start, sentence.end)
    if opening is None:
        return made
    # the state told last of them, not an earlier event "after" leads to ("remained
    # anchored ..., after leaving the piers")
    before = max(
        (c for c in last if not _told_after(text, c, sentence.vocab)),
        key=lambda c: c.action_span or (-1, -1),
        default=last[-1],
    )
    told = [c for c in last if c.modality != "denied"] if naming else [before]
    if before.modality == "denied" or not told:
        return made
    rest = (opening.end(), sentence.end)
    if any(a.key != "stationed" for a in _actions(text, *rest, sentence.vocab)):
        return made
    equipment, _ = _clause_mentions(text, rest, sentence.places, [], sentence.vocab)
    if not equipment:
        return made
    named = {(e.start, e.end) for e in equipment}
    kept = [c for c in made if c.equipment_span not in named]
    shared = [
        replace(
            _make_claim(
                report,
                n=first + len(kept) + i,
                equipment=e,
                site=_Span("place", -1, -1, b.site),
                action_key=b.action,
                action=None,
                date=(
                    _ClaimDate(
                        _Span("date", -1, -1, b.date_text or ""),
                        (b.date_from, b.date_to),
                        inherited=True,
                    )
                    if b.date_from is not None and b.date_to is not None
                    else _ClaimDate()
                ),
                site_inherited=True,
                clause=rest,
                places=sentence.places,
                vocab=sentence.vocab,
                absence=b.absence,
            ),
            modality=b.modality,
            zone_kind=b.zone_kind,
        )
        for i, (e, b) in enumerate((e, b) for e in equipment for b in told)
    ]
    return sorted([*kept, *shared], key=lambda c: c.equipment_span)


def _with_confidence(claims: Sequence[Claim], language: str) -> tuple[Claim, ...]:
    """The claims with their estimated chance of being read right
    (:mod:`~basewatch.corroborate.confidence`)."""
    if not claims:
        return ()
    p = load_confidence_model().probability(claim_features(claims, language=language))
    return tuple(
        replace(c, confidence=round(float(q), _CONFIDENCE_DECIMALS))
        for c, q in zip(claims, p, strict=True)
    )


# pictures told of before, named with the day they were taken ("The images, taken on
# Wednesday by Maxar, ...", "les images, prises mercredi"), and how far after the words
# the day may be named
_IMAGES_DATED_RE = _words_re(_LEX.images_dated)
_IMAGES_DATED_REACH = 40


# a sentence opening with the source of the one before ("Про це свідчать ...", "Das
# zeigen Satellitenbilder vom Montag", "This is shown by ..."; lexicon ``this_shows``)
_THIS_SHOWS_RE = re.compile(r"[\W\d]{0,8}" + _words_alternation(_LEX.this_shows), re.IGNORECASE)


def _images_day(text: str, sentence: _Sentence) -> tuple[dt.date, dt.date] | None:
    """The day a sentence says pictures told of were taken, or None."""
    m = _IMAGES_DATED_RE.search(text, sentence.start, sentence.end)
    if m is None:
        return None
    return next(
        (
            d.extra[0]
            for d in sentence.dates
            if m.start() <= d.start <= m.end() + _IMAGES_DATED_REACH and d.extra[0] is not None
        ),
        None,
    )


def _dated_by_the_images(
    text: str,
    claims: Sequence[Claim],
    sentence_of: Sequence[int],
    images_day: Mapping[int, tuple[dt.date, dt.date]],
    of_imagery: Set[int],
) -> list[Claim]:
    """Undated sightings of a sentence that speaks of pictures (``of_imagery``: their
    sentence numbers), dated by the next
    sentence naming the day those pictures were taken ("Two An-124s are being loaded,
    satellite images show. The images, taken on Wednesday, ...")."""
    out = list(claims)
    for i, c in enumerate(claims):
        day = images_day.get(sentence_of[i] + 1)
        if (
            day is None
            or c.date_from is not None
            or c.modality not in ASSERTED_MODALITIES
            or sentence_of[i] not in of_imagery
            or _EARLIER_RE.search(text, c.start, c.end)
        ):
            continue
        out[i] = replace(c, date_from=day[0], date_to=day[1], date_inherited=True)
    return out


# an undated claim takes the date the next sentences give for the same observation
# ("Russian ship enters Tartus." then "On Jan 21, the Sparta II entered Tartus ...")
_SAME_OBSERVATION_SENTENCES = 2
# a sentence of at most this many words is a dateline or a caption's label, no sentence
# of the account
_DATELINE_WORDS = 4


# class keys of generic nouns ("ships", "planes"): a lead's generic noun may tell of
# the observation the next sentence names more precisely
_GENERIC_KEYS = frozenset({"vessel", "naval-vessel", "aircraft", "military-vehicle"})


# a lead's withdrawal told in the account as the departure, dismantling or loading
# that makes it up ("Russia pulls helicopters out of Hmeimim" then "... were
# dismantled between 9 and 11 December")
_TOLD_AS = frozenset(
    ("withdrawing", specific) for specific in ("departing", "dismantling", "loading")
)


def _dated_by_next(
    text: str,
    claims: Sequence[Claim],
    sentence_of: Sequence[int],
    spans: Sequence[tuple[int, int]],
) -> list[Claim]:
    """Claims with the date that the next sentences state for the same observation:
    the same site, kind of object and action (a headline or lead told before its
    dated account). A dateline between them ("BEIRUT, 13 Dic.", "(Agencia ...) –")
    is no sentence of the account."""
    out = list(claims)
    told = [len(WORD_RE.findall(text, a, b)) > _DATELINE_WORDS for a, b in spans]
    for i, c in enumerate(claims):
        # "+++ 14:05 Uhr – Bericht: Landungsschiff verlässt Tartus +++ Das Landungsschiff
        # ... hat gestern Abend den Hafen verlassen": a live entry's title is of the day
        # its text gives, not of the stamp's
        stamped = c.date_text is not None and _LIVE_STAMP_RE.fullmatch(c.date_text + " ")
        if (c.date_from is not None and not stamped) or (
            # a plan has no day yet; a state being prepared ("An-124s prepare to load,
            # images show") is of the day the account gives
            c.modality == "expected" and not _PRESENT_HEDGE.search(text, c.start, c.end)
        ):
            continue
        if _EARLIER_RE.search(text, c.start, c.end):
            continue  # "previously, ... had five ships": a state before the account
        for j in range(i + 1, len(claims)):
            d = claims[j]
            if sentence_of[j] == sentence_of[i]:
                continue
            # sentences apart, datelines between them not counted
            gap = 1 + sum(told[sentence_of[i] + 1 : sentence_of[j]])
            if gap > _SAME_OBSERVATION_SENTENCES:
                break
            if sentence_of[j] > sentence_of[j - 1] and sentence_of[j - 1] > sentence_of[i]:
                break  # only the next sentence that makes claims
            if d.date_from is None or (
                d.date_inherited and (d.date_text or "") not in text[c.end : d.start]
            ):
                continue  # a date carried from before the lead tells nothing of it
            if stamped and d.date_from != d.date_to:
                # "08:40 An Il-76 landed ... Three Il-76s have now landed since Sunday":
                # a tally over days is not the entry's event
                continue
            if (
                d.site == c.site
                and d.category == c.category
                and (d.action == c.action or (c.action, d.action) in _TOLD_AS)
                and (
                    d.equipment == c.equipment
                    or _GENERIC_KEYS.issuperset((c.equipment,))
                    or _names_a_kind_of(d.equipment, c.equipment)
                    or _names_a_kind_of(c.equipment, d.equipment)
                )
            ):
                out[i] = replace(
                    c,
                    date_from=d.date_from,
                    date_to=d.date_to,
                    date_text=d.date_text,
                    date_inherited=True,
                )
                break
    # one mention making two claims ("have left the base and some have dropped anchor")
    # tells of one observation: an undated one takes the date its sibling was given
    dated = {c.equipment_span: c for c in out if c.date_from is not None and c.date_inherited}
    return [
        replace(
            c,
            date_from=dated[c.equipment_span].date_from,
            date_to=dated[c.equipment_span].date_to,
            date_text=dated[c.equipment_span].date_text,
            date_inherited=True,
        )
        if c.date_from is None and c.modality != "expected" and c.equipment_span in dated
        else c
        for c in out
    ]


def _names_a_kind_of(specific: str, general: str) -> bool:
    """Whether equipment ``specific`` names a kind of the class ``general`` ("frigates"
    after "warships", "An-124" after "cargo planes"): a more specific key of the same
    category, ``general`` itself a class or vaguer."""
    a, b = equipment_type(specific), equipment_type(general)
    return a.category == b.category and b.specificity <= _CLASS < a.specificity


def _read_sentence(
    report: Report,
    index: int,
    start: int,
    end: int,
    vocab: _Vocab,
    told: tuple[dt.date, dt.date] | None = None,
    *,
    language: str = "",
) -> _Sentence:
    """One sentence read: its language, places and dates (``told``: the day the account
    told last, which "two days later" counts from; ``language``: the report's)."""
    text = report.text
    own = guess_language(text[start:end], prefer=language)
    if own == "ru" and language == "uk" and not _RUSSIAN_LETTERS_RE.search(text, start, end):
        own = "uk"  # a Ukrainian sentence without і, ї, є or ґ ("Два фрегати вийшли ...")
    if (
        own not in _SCRIPT_LANGUAGES
        and len(WORD_RE.findall(text, start, end)) < _OWN_LANGUAGE_WORDS
    ):
        own = ""  # too short to tell its language from the report's
    same_images = _SAME_IMAGES_RE.search(text, start, end) is not None
    same_day = _SAME_DAY_RE.search(text, start, end) is not None
    return _Sentence(
        vocab=_vocab(own) if own else vocab,
        index=index,
        start=start,
        end=end,
        places=_place_mentions(text, start, end),
        dates=[
            d
            for d in _days_after(
                text, start, end, _dates(text, start, end, report.published), told, report.published
            )
            if not _compared_day(text, d)
        ],
        observed=bool(_OBS_RE.search(text, start, end)),
        imagery=bool(_IMAGERY_RE.search(text, start, end)),
        continues=_THREAD_NUMBER_RE.match(text, start) is not None
        or (start == _paragraph_start(text, start) and _numbered_at_end(text, start))
        or same_day
        or same_images,
        same_images=same_images,
        same_day=same_day,
        question=_QUESTION_END_RE.search(text, start, end) is not None,
        in_thread=_THREAD_NUMBER_RE.match(text, _paragraph_start(text, start)) is not None
        or _numbered_at_end(text, start),
    )


# a thread's post numbered at its end ("... the port is busy. (1/7)", "... 2/7")
_THREAD_NUMBER_AT_END_RE = re.compile(r"[ \t]\(?\d{1,2}/\d{1,2}\)?[ \t]*$")


def _numbered_at_end(text: str, start: int) -> bool:
    """Whether the paragraph (the line) holding ``text[start]`` ends with a thread's
    numbering."""
    end = text.find("\n", start)
    line = text[_paragraph_start(text, start) : len(text) if end < 0 else end]
    return _THREAD_NUMBER_AT_END_RE.search(line) is not None


def _paragraph_start(text: str, start: int) -> int:
    """Where the paragraph (the line) holding ``text[start]`` starts, past its blanks."""
    line = text.rfind("\n", 0, start) + 1
    return line + len(text[line:start]) - len(text[line:start].lstrip())


def _sentence_claims(
    report: Report,
    sentence: _Sentence,
    previous: _Ctx,
    imagery: Mapping[str, _ImageryPass],
    *,
    first: int,
) -> list[Claim]:
    """The claims of one sentence, clause by clause (``first``: claims made before)."""
    text = report.text
    state = _Clauses()
    made: list[Claim] = []
    clauses, lists = _merge_lists(
        text,
        _clauses(text, sentence.start, sentence.end, sentence.vocab.clause_break),
        sentence.vocab,
    )
    partitives = _partitives(text, sentence)
    previous_start = sentence.start
    clause_made = 0  # where the claims of the clause before start in ``made``
    for clause in clauses:
        c_start, c_end = clause
        if any(p.start <= c_start and c_end <= p.end for p in partitives):
            continue  # "- one of which is being loaded -": a claim of its antecedent
        places = [
            p for p in sentence.places if c_start <= p.start < c_end and not _vantage_point(text, p)
        ]
        dates = [d for d in sentence.dates if c_start <= d.start < c_end]
        here, date_before = len(made), state.date
        if dates:
            state.date = _first_date(text, dates)
        elif state.date is None:
            # a date told later in the sentence dates it all ("..., as seen in
            # images of December 10"; "... parked at Hmeimim on Sunday")
            state.date = _later_date(text, sentence, clauses, clause)
        equipment, actions = _clause_mentions(
            text, clause, places, state.equipment, sentence.vocab, state.equipment_start
        )
        actions = [a for a in actions if not any(p.start <= a.start < p.end for p in partitives)]
        if not actions and _ELLIPSIS_RE.match(text, c_start, c_end):
            actions = state.actions  # "..., as have the Su-24s": the verb before
        elif actions:
            state.actions = actions
        places = [p for p in places if not _in_a_relative_clause(text, c_start, p, actions)]
        resolved = _name_generic_aircraft(equipment, state.equipment)
        resolved = _named_before(text, resolved, clause, previous.aircraft)
        resolved = _system_parts(
            text, resolved, state.equipment, previous.air_defence, sentence.vocab
        )
        resolved = _name_generic_vessels(text, resolved, clause, previous.vessel)
        opening = _AFTER_OPEN_RE.match(text, c_start, c_end)
        if (
            opening is not None
            and not resolved
            and actions
            and _verb_after(text, opening.end(), actions[0].start, sentence.vocab)
        ):
            # "The warships remained anchored off Tartus, after leaving the piers in
            # mid-December.": an earlier event of the clause before's objects
            after = (c_start, actions[0], c_end)
            made += [
                _after_claim(c, text, after, dates, places, first + len(made) + i + 1)
                for i, c in enumerate(
                    {
                        c.equipment_span: c
                        for c in reversed(made[clause_made:])
                        if c.modality != "denied" and c.action != actions[0].key
                    }.values()
                )
            ]
            state.date = date_before  # the phrase's day is of that event alone
            continue
        negated = any(
            not _negates_another_thing(text, m, c_end, sentence.vocab)
            for m in sentence.vocab.negation.finditer(text, c_start, c_end)
        )
        absence = (negated and bool(sentence.vocab.absence.search(text, c_start, c_end))) or bool(
            sentence.vocab.empty.search(text, c_start, c_end)
        )
        if absence and not resolved and text[previous_start:c_start].rstrip().endswith(":"):
            # "Su-24s: none visible on Thursday's image": the label's objects are gone
            made = [
                _absent(c, clause)
                if c.end <= c_start
                and c.start >= previous_start
                and c.action_span is None
                and not c.absence
                else c
                for c in made
            ]
        for mention in resolved:
            of_mention = _mention_claims(
                report,
                mention,
                actions,
                clause=clause,
                places=places,
                sentence=sentence,
                state=state,
                previous=previous,
                imagery=imagery,
                first=first + len(made),
                absence=absence,
                denied=negated and not absence,
                others=[o for o in resolved if o is not mention],
            )
            made += _with_companion_day(text, of_mention, made[here:], mention)
        if clause in lists:
            made[here:] = _listed_share_group(made[here:], lists[clause], first + here)
        if state.after_aside is not None:
            state.date, state.after_aside = state.after_aside[0], None
        made = _coordinated_counts(text, made)
        for part in partitives:
            made += _partitive_claims(
                report,
                part,
                resolved,
                clause=clause,
                sentence=sentence,
                state=state,
                previous=previous,
                imagery=imagery,
                first=first + len(made),
                places=places,
            )
        previous_start, clause_made = c_start, here
        if places:
            focus = _focus(places)
            if focus is not None:
                state.site = focus
        if equipment:
            own = [e for e in resolved if not (e.extra and e.extra[0] == "carried")]
            if own:
                state.equipment, state.equipment_start = own, c_start
    # "images showed An-124s, ..., with their noses open": a sighting with no verb of
    # its own gives way to what a later clause says the same objects do
    acted = {
        (c.equipment_span, c.count, c.count_qualifier) for c in made if c.action_span is not None
    }
    return [
        c
        for c in made
        if c.action_span is not None or (c.equipment_span, c.count, c.count_qualifier) not in acted
    ]


# where the watchers stood ("from Jableh we counted three Il-76s taking off from the
# base"): no place of what they saw
_VANTAGE_BEFORE_RE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
_VANTAGE_AFTER_RE = re.compile(
    r"\s*,?\s*(?:we|I|they|you|one)\s+(?:\w+\s+)?(?:counted|count|saw|see|watched|watch|"
    r"spotted|observed|filmed|photographed)\b",
    re.IGNORECASE,
)


def _vantage_point(text: str, place: _Span) -> bool:
    """Whether ``place`` is where watchers stood ("from Jableh we counted ...")."""
    return (
        _VANTAGE_BEFORE_RE.search(text, max(0, place.start - 10), place.start) is not None
        and _VANTAGE_AFTER_RE.match(text, place.end) is not None
    )


# a clause that does what the one before did, its verb left out ("..., as have the
# Su-24s", "..., as did two corvettes")
_ELLIPSIS_RE = re.compile(
    r"\W*(?:as|and\s+so|so)\s+(?:have|has|had|did|do|does|was|were|is|are)\s+(?!not\b)",
    re.IGNORECASE,
)


def _absent(claim: Claim, clause: tuple[int, int]) -> Claim:
    """A sighting of a caption's label turned into the absence the text after the
    colon states ("Su-24s: none visible")."""
    return replace(claim, action="departing", absence=True, end=max(claim.end, clause[1]))


# a later clause opening with one of these words tells of something else: its date
# does not date the clauses before it ("..., with one plane departing on Saturday")
_SUBORDINATE_RE = re.compile(
    r"\W*(?:with|while|whereas|but|although|though|after|before|when|as|"
    r"(?:and\s+)?(?:one|two|some|another|most|all)\s+of)\b",
    re.IGNORECASE,
)


# "..., one of which is being loaded -", ", one being loaded with cargo,": a part of the
# objects just named doing something of its own
_PARTITIVE_RE = re.compile(
    r"(?:,|\s[—–-]|\s(?=and\s))\s*(?:and\s+)?(?P<q>one|two|three|four|five|some|several|most|all)"
    r"(?:\s+of\s+(?:which|them|these|those))?\s+"
    r"(?:(?:is|are|was|were|has|had|have)\s+)?(?:(?:been|being|also|now|already|still)\s+)*"
    r"(?P<rest>[^,;:—–()]*)",
    re.IGNORECASE,
)


def _partitives(text: str, sentence: _Sentence) -> list[_Span]:
    """Partitive phrases of a sentence with their own action ("one of which is being
    loaded"): spans with the count and the action."""
    out: list[_Span] = []
    for m in _PARTITIVE_RE.finditer(text, sentence.start, sentence.end):
        rest_start = m.start("rest")
        named = _equipment_mentions(text, m.start("q"), m.end(), sentence.vocab)
        # an action word inside a noun is not the phrase's action ("two landing ships")
        acts = [
            a
            for a in _actions(text, rest_start, m.end(), sentence.vocab)
            if all(a.end <= e.start or a.start >= e.end for e in named)
        ]
        if not acts or any(e.start < acts[0].start for e in named):
            continue
        q = m.group("q").lower()
        number = sentence.vocab.numbers.get(q)
        count: tuple[int | None, str] = (number, "exact") if number else (None, "several")
        out.append(_Span("partitive", m.start(), m.end(), q, extra=(count, acts[0])))
    return out


def _partitive_claims(
    report: Report,
    part: _Span,
    equipment: Sequence[_Span],
    *,
    clause: tuple[int, int],
    sentence: _Sentence,
    state: _Clauses,
    previous: _Ctx,
    imagery: Mapping[str, _ImageryPass],
    first: int,
    places: Sequence[_Span],
) -> list[Claim]:
    """The claim of a partitive phrase right after a clause's last equipment mention:
    that object class, the phrase's count and action, the clause's site and date."""
    before = [e for e in equipment if e.end <= part.start]
    if not before or before[-1].extra or not clause[0] <= part.start <= clause[1] + 2:
        return []
    antecedent = before[-1]
    (count, qualifier), act = part.extra
    made = _mention_claims(
        report,
        antecedent,
        [act],
        clause=clause,
        places=places,
        sentence=sentence,
        state=state,
        previous=previous,
        imagery=imagery,
        first=first,
    )
    return [
        replace(c, count=count, count_qualifier=qualifier, count_span=(part.start, part.end))
        for c in made
    ]


_LIST_ITEMS = 2  # objects listed at least, for a list after a dash or colon
# "including" opening a list (lexicon ``including_words``)
_INCLUDING_RE = _words_re(_LEX.including_words)
_FOLLOWING_RE = re.compile(r"\bfollowing\s+$", re.IGNORECASE)


def _merge_lists(
    text: str, clauses: Sequence[tuple[int, int]], vocab: _Vocab
) -> tuple[list[tuple[int, int]], dict[tuple[int, int], int]]:
    """Clauses joined back where a list of objects without a verb goes on in the next
    clause with its verb ("three Il-76s, one Yak-40, and two S-400s were present"), and
    where a list after a dash or colon names the objects of the clause before (the
    second value: each such clause and where its list starts)."""
    out: list[tuple[int, int]] = []
    lists: dict[tuple[int, int], int] = {}
    for c in clauses:
        if out:
            p_start, p_end = out[-1]
            verb_before = bool(
                _actions(text, p_start, p_end, vocab) or _OBS_RE.search(text, p_start, p_end)
            )
            verb_here = bool(_actions(text, *c, vocab) or _OBS_RE.search(text, *c))
            # "Большие корабли вышли из пункта и стоят на рейде — фрегат ..., корвет и
            # подлодка": the list names the subject of a clause before a second verb
            # with no noun of its own
            group_start = p_start
            if (
                len(out) > 1
                and not _equipment_mentions(text, p_start, p_end, vocab)
                and _AND_RE.match(text, p_start)
            ):
                group_start = out[-2][0]
            # "two vessels will dock in Tartus - the cargo ship X and the tanker Y": a
            # list after a dash or colon names the objects of the clause before
            elaborates = bool(
                re.search(r"(?::|\s[–—])\s*$", text[p_end : c[0]])
                and verb_before
                and not verb_here
                and any(
                    _is_plural(text[e.start : e.end])
                    # "вилетіли щонайменше 50 транспортних літаків — переважно Іл-76, ...",
                    # "Большие корабли ... — фрегат ..., корвет и подлодка"
                    or _counted_many(text, group_start, e, vocab, plural=True)
                    # "the following aircraft remained at Hmeimim: three Su-34, ..."
                    or _FOLLOWING_RE.search(text, max(group_start, e.start - 16), e.start)
                    for e in _equipment_mentions(text, group_start, p_end, vocab)
                )
                and len(_equipment_mentions(text, *c, vocab)) >= _LIST_ITEMS
                # "... i cztery śmigłowce – najpewniej Mi-8 albo Mi-17, z tej
                # rozdzielczości nie rozstrzygnę": a guess the writer denies making
                and vocab.negation.search(text, *c) is None
            )
            # "вантажать техніку — зокрема бронетранспортери": objects the clause's
            # verb takes, listed after "including"
            elaborates = elaborates or bool(
                re.search(r"\s[–—]\s*$", text[p_end : c[0]])
                and _INCLUDING_RE.match(text, c[0])
                and verb_before
                and not verb_here
                and _equipment_mentions(text, *c, vocab)
            )
            if elaborates:
                if group_start != p_start:
                    out.pop()
                out[-1] = (group_start, c[1])
                lists[out[-1]] = c[0]
                continue
            if (
                re.match(r"\s*and\b", text[c[0] : c[1]], re.IGNORECASE)
                and _equipment_mentions(text, p_start, p_end, vocab)
                and (
                    (not verb_before and verb_here)
                    # "... was home to two frigates, and an improved Kilo-class boat"
                    or (verb_before and not verb_here and _equipment_mentions(text, *c, vocab))
                )
            ):
                out[-1] = (p_start, c[1])
                continue
        out.append(c)
    return out, lists


def _listed_share_group(made: Sequence[Claim], list_start: int, first: int) -> list[Claim]:
    """The claims of a clause whose list after a dash or colon (from ``list_start``)
    names the objects of its group noun ("Большие корабли вышли из пункта и стоят на
    рейде — фрегат ..., корвет и подлодка"): each object listed also makes every claim
    of the group its own verb-picking left out (``first``: the number of the clause's
    first claim)."""
    group = [
        c
        for c in made
        if c.equipment_span[1] <= list_start
        and (c.count_qualifier in (*_MANY_QUALIFIERS, "plural") or (c.count or 0) > 1)
    ]
    if not group:
        return list(made)
    noun = group[-1].equipment_span
    shared = [c for c in group if c.equipment_span == noun and c.modality != "denied"]
    out = list(made)
    items: dict[tuple[int, int], list[Claim]] = {}
    for c in made:
        if c.equipment_span[0] >= list_start:
            items.setdefault(c.equipment_span, []).append(c)
    for own in items.values():
        for g in shared:
            if any(c.action == g.action for c in own):
                continue
            out.append(
                replace(
                    own[0],
                    id=f"{own[0].report_id}#{first + len(out)}",
                    site=g.site,
                    monitored=g.monitored,
                    site_span=g.site_span,
                    site_inherited=g.site_inherited,
                    action=g.action,
                    action_span=g.action_span,
                    absence=g.absence,
                    zone_kind=g.zone_kind,
                    date_from=g.date_from,
                    date_to=g.date_to,
                    date_text=g.date_text,
                    date_span=g.date_span,
                    date_inherited=g.date_inherited,
                    modality=g.modality,
                )
            )
    return out


# count qualifiers of more than one object
_MANY_QUALIFIERS = frozenset({"several", "at_least", "more_than", "about"})


def _counted_many(
    text: str, clause_start: int, mention: _Span, vocab: _Vocab, *, plural: bool = False
) -> bool:
    """Whether the words before ``mention`` count more than one of it ("щонайменше 50";
    ``plural``: or it is a plural noun with no number, "корабли")."""
    n, qualifier, _ = _count(text, clause_start, mention, vocab)
    return (
        (n is not None and n > 1)
        or qualifier in _MANY_QUALIFIERS
        or (plural and qualifier == "plural")
    )


def _coordinated_counts(text: str, made: Sequence[Claim]) -> list[Claim]:
    """Counts shared by types joined by "and": "A number of Su-24 and Su-34 jets" (the
    second type shares the vague count of the first), and a bare type beside a plural's
    type ("гелікоптери Мі-8 і Мі-24", "the Ka-52 and Mi-24 helicopters": both share the
    plural head noun)."""
    out = list(made)
    for i in range(1, len(out)):
        a, b = out[i - 1], out[i]
        gap = text[a.equipment_span[1] : b.equipment_span[0]]
        if (
            re.fullmatch(r"\s*(?:,|and|or|,\s*and)\s*", gap)
            and a.count_qualifier in ("several", "at_least")
            and b.count_qualifier == "plural"
        ):
            out[i] = replace(b, count=a.count, count_qualifier=a.count_qualifier)
        elif a.count_qualifier == "plural" and _bare_type_joined(text, b, gap):
            out[i] = replace(b, count=None, count_qualifier="plural")
        elif (b.count, b.count_qualifier) == (None, "plural") and _bare_type_joined(text, a, gap):
            out[i - 1] = replace(a, count=None, count_qualifier="plural")
    return out


def _bare_type_joined(text: str, claim: Claim, gap: str) -> bool:
    """Whether ``claim``'s mention is a type designation alone (no head noun, no number of
    its own: "Мі-24") and ``gap`` joins it to its neighbour with nothing but "and"."""
    return (
        (claim.count, claim.count_qualifier, claim.count_span) == (1, "exact", None)
        and _BARE_CONJUNCT_RE.fullmatch(gap) is not None
        and _BARE_TYPE_RE.fullmatch(text, *claim.equipment_span) is not None
    )


# a type designation alone, without a head noun ("Мі-24")
_BARE_TYPE_RE = re.compile(r"\S*\d\S*")
# nothing but "and" between two mentions (no article, number or other word)
_BARE_CONJUNCT_RE = re.compile(
    r"\s*(?:,\s*)?(?:" + _words_alternation(("and", *_LEX.and_words)) + r")\s*", re.IGNORECASE
)


# words opening a comparison with another time ("compared with eleven Su-34s in a capture
# from 3 December"): its date is not the one of what is compared
_COMPARISON_RE = _words_re(
    (
        r"compared\s+(?:with|to)",
        r"in\s+comparison\s+(?:with|to)",
        "versus",
        r"(?:down|up)\s+from",
        *_LEX.comparison,
    )
)


# a sentence opening with "for comparison" (after a thread's number or a bullet)
_COMPARISON_ASIDE_RE = re.compile(
    r"[\W\d]{0,8}(?:"
    + "|".join((r"for\s+comparison", r"by\s+comparison", *_LEX.comparison))
    + r")\s*[:,]",
    re.IGNORECASE,
)
# how far back a word of comparison puts a day in its phrase ("Compared with the 20 Dec
# imagery, ...")
_COMPARED_REACH = 40


def _compared_day(text: str, date: _Span) -> bool:
    """Whether ``date`` is the other time of a comparison told in its phrase ("compared
    with the 20 Dec imagery", "par rapport au 10 décembre"): neither the clause's day nor
    a pass of imagery the account goes on about."""
    return _phrase_after(_COMPARISON_RE, text, date.start, _COMPARED_REACH) is not None


def _later_date(
    text: str,
    sentence: _Sentence,
    clauses: Sequence[tuple[int, int]],
    earlier: tuple[int, int],
) -> _Span | None:
    """The date a clause of the sentence after ``earlier`` gives, where it dates the
    earlier ones too: a clause without objects of its own ("..., as seen in images of
    December 10"), or one that continues a list ("... and a Yak-40 parked there on
    Sunday"); not one whose objects do another thing than ``earlier``'s ("the Ka-52s
    are no longer on the pad, and two Il-76 landed between 22 and 27 December")."""
    after = earlier[1]
    for c_start, c_end in clauses:
        if c_start < after:
            continue
        own = _equipment_mentions(text, c_start, c_end, sentence.vocab)
        # a date in a relative clause of the clause's noun is that clause's own ("...,
        # and four Su-24s that were visible on Dec. 10 are gone")
        dates = [
            d
            for d in sentence.dates
            if c_start <= d.start < c_end
            and not any(
                e.end <= d.start and _ASIDE_LEAD.fullmatch(text, e.end, d.start) for e in own
            )
        ]
        if not dates:
            continue
        if own and _SUBORDINATE_RE.match(text, c_start, c_end):
            return None
        if _AFTER_OPEN_RE.match(text, c_start, c_end):
            return None  # "..., after leaving the piers in mid-December": that event's day
        if sentence.vocab.contrast.match(text, c_start, c_end):
            # "видны только три Ми-8, а 10 декабря их было восемь": the other day of a
            # contrast, not the earlier clauses' own
            return None
        if own:
            done = {a.key for a in _actions(text, *earlier, sentence.vocab)}
            theirs = {a.key for a in _actions(text, c_start, c_end, sentence.vocab)}
            if done and theirs and not theirs & done:
                return None
        return dates[0]
    return None


# "of" and a count between a whole and what it is made of ("a convoy of some 40
# trucks", "колону з приблизно 40 вантажівок", "einen Konvoi aus mehr als 30")
_MADE_OF_RE = re.compile(
    r"\s+(?:" + "|".join(_OF_WORDS) + r"|d['’])\s*(?:[\w-]+\s+){0,5}", re.IGNORECASE
)
# "permission to" or "the order to" right before a verb (a move asked for or awaited,
# not made: "until the order to leave comes")
_PERMISSION_RE = re.compile(
    r"(?<!\w)(?:(?:permission|authori[sz]ation|clearance|autorisation|orders?)\s+(?:to|pour|d['’]|de)"
    r"|(?:permisiun|aprobar|autoriza[tț]i)\w*\s+de\s+a|permiso\s+para|erlaubnis\s+zu(?:m)?"
    r"|разрешени\w*\s+(?:на|войти|зайти)|дозв[іо]л\w*\s+на|pozwoleni\w*\s+na|άδεια\s+(?:για\s+)?να"
    r")\s*$",
    re.IGNORECASE,
)
_PERMISSION_LOOKBACK = 24
# "in a" before a column of vehicles, in the lexicons' languages ("en", "w", "în")
_IN_COLUMN_RE = re.compile(
    r"(?<![\w-])(?:in(?:\s+an?|\s+einer)?|en|w|în|σε|в|у)\s+$", re.IGNORECASE
)
_IN_COLUMN_LOOKBACK = 12


def _clause_mentions(
    text: str,
    clause: tuple[int, int],
    places: Sequence[_Span],
    earlier: Sequence[_Span],
    vocab: _Vocab,
    earlier_start: int = 0,
) -> tuple[list[_Span], list[_Span]]:
    """The equipment and action mentions of one clause.

    Equipment in an apposition ("..., two of them Su-24s") is left out; a clause with
    an action and a place but no equipment continues the subject of the clause before
    ("with plans to regroup later at Hmeimim"); a generic noun ("forces", "planes")
    yields to a specific one in the clause.
    """
    c_start, c_end = clause
    equipment = [
        e
        for e in _equipment_mentions(text, c_start, c_end, vocab)
        if not _APPOSITION_RE.search(text, max(c_start, e.start - _APPOSITION_LOOKBACK), e.start)
        and not _CARGO_RE.search(text, max(c_start, e.start - _APPOSITION_LOOKBACK), e.start)
    ]
    # "40 military trucks moving in a column", "roulant en colonne": how the vehicles
    # drive, no object of its own
    equipment = [
        e
        for e in equipment
        if not (
            e.key == "convoy"
            and _IN_COLUMN_RE.search(text, max(c_start, e.start - _IN_COLUMN_LOOKBACK), e.start)
            and any(o.end <= e.start and o.key == "military-vehicle" for o in equipment)
        )
    ]
    actions = [
        a
        for a in _actions(text, c_start, c_end, vocab)
        if all(a.end <= e.start or a.start >= e.end for e in equipment)
        # "waiting for permission to dock", "faute d'autorisation pour entrer": a move
        # not made
        and not _PERMISSION_RE.search(text, max(c_start, a.start - _PERMISSION_LOOKBACK), a.start)
    ]
    if not equipment and actions and places and earlier:
        equipment = [replace(e, extra=("carried", earlier_start)) for e in earlier[-1:]]
    if len(equipment) > 1:
        top = max(e.score for e in equipment)
        if top >= _GENERIC:
            equipment = [e for e in equipment if e.score > 0 or top == 0]
    return equipment, actions


def _name_generic_aircraft(equipment: Sequence[_Span], earlier: Sequence[_Span]) -> list[_Span]:
    """A generic aircraft noun ("the planes") after a named type ("An-124") means it."""
    resolved: list[_Span] = []
    for e in equipment:
        if e.score <= _GENERIC and equipment_type(e.key).category == "aircraft":
            named = [
                x
                for x in (*earlier, *resolved)
                if equipment_type(x.key).category == "aircraft" and x.score >= _CLASS
            ]
            if named:
                e = replace(e, key=named[-1].key, score=named[-1].score)
        resolved.append(e)
    return resolved


# aircraft classes that name no type
_GENERIC_AIRCRAFT = frozenset({"aircraft", "cargo-aircraft", "combat-aircraft", "helicopter"})
# words that point back to objects just named ("both planes", "the two aircraft")
_POINTING_BACK_RE = re.compile(
    r"\b(?:both|the|these|those)(?:\s+(?:two|three|four|five|six))?\s+$", re.IGNORECASE
)


def _named_before(
    text: str, equipment: Sequence[_Span], clause: tuple[int, int], aircraft: str | None
) -> list[_Span]:
    """ "Both planes" after a sentence whose claims named one type of aircraft ("two
    An-124 ..."): that type."""
    if aircraft is None:
        return list(equipment)
    return [
        replace(e, key=aircraft)
        if e.key in ("aircraft", "cargo-aircraft")
        and e.score <= _GENERIC
        and _POINTING_BACK_RE.search(text, max(clause[0], e.start - 20), e.start)
        else e
        for e in equipment
    ]


def _named_air_defence(text: str, mentions: Sequence[_Span], vocab: _Vocab) -> str | None:
    """The class of the last air-defence system a sentence naming ``mentions`` names by
    type, if any."""
    named = [e for e in mentions if _names_a_system(text, e, vocab)]
    return named[-1].key if named else None


def _names_a_system(text: str, mention: _Span, vocab: _Vocab) -> bool:
    """Whether ``mention`` names an air-defence system by its type ("S-400", "Tor
    launchers", "sistema Pantsir")."""
    return equipment_type(mention.key).category == "air-defence" and (
        mention.score >= _NAMED_TYPE
        or any(
            rank >= _NAMED_TYPE and equipment_type(key).category == "air-defence"
            for key, rank, rx in vocab.equipment
            if rx.search(text, mention.start, mention.end)
        )
    )


def _system_parts(
    text: str,
    equipment: Sequence[_Span],
    earlier: Sequence[_Span],
    before: str | None,
    vocab: _Vocab,
) -> list[_Span]:
    """Air-defence nouns with no type ("its launchers", "пускові установки", "the
    battery") after an S-400 was named, earlier in the sentence or in the sentence
    before (``before``), with no other system named since: parts of the S-400."""
    resolved: list[_Span] = []
    for e in equipment:
        if e.key == "air-defence" and not _names_a_system(text, e, vocab):
            named = [x for x in (*earlier, *resolved) if _names_a_system(text, x, vocab)]
            last = named[-1].key if named else before
            if last == "s-400":
                e = replace(e, key="s-400")
        resolved.append(e)
    return resolved


_MILITARY_VESSELS = frozenset(
    {"frigate", "corvette", "submarine", "landing-ship", "warship", "naval-vessel"}
)
# words that make the ships of a clause warships' kin ("vessels in Russia's fleet")
_NAVAL_WORDS_RE = re.compile(
    r"\b(?:navy|naval|fleet|flotilla|warships?|frigates?|military\s+(?:ships?|vessels?))\b"
    r"(?!\s+(?:base|port|facility|station|hub|harbou?r|installation))",
    re.IGNORECASE,
)
# words that make a ship a merchant one
_MERCHANT_WORDS_RE = re.compile(
    r"\b(?:cargo|freighters?|tankers?|oilers?|tugs?|ferry|ferries|barges?|merchant|supply|"
    r"container|commercial|civilian|ro-ro)\b"
    + "|"
    + _words_alternation(_LEX.merchant),  # the lexicons' words
    re.IGNORECASE,
)


def _plain_vessel(text: str, mention: _Span) -> bool:
    """Whether a mention is the plain noun "ships"/"vessels" (no kind said, no ship
    named: "the Sparta IV" is the cargo ship of that name)."""
    if mention.key != "vessel" or mention.score >= _NAMED_TYPE:
        return False
    # the kind may be the word right before ("Вантажне судно": a cargo ship)
    before = _LAST_WORD_RE.search(text, max(0, mention.start - _LAST_WORD_REACH), mention.start)
    return not _MERCHANT_WORDS_RE.search(text, mention.start, mention.end) and not (
        before is not None and _MERCHANT_WORDS_RE.fullmatch(before.group(1))
    )


# the word right before a mention, up to this many characters back
_LAST_WORD_RE = re.compile(r"([^\W\d_]+)\s+$")
_LAST_WORD_REACH = 24


def _name_generic_vessels(
    text: str, equipment: Sequence[_Span], clause: tuple[int, int], context: str | None
) -> list[_Span]:
    """The plain "ships"/"vessels" of a naval account are naval vessels: where the
    clause speaks of a navy or fleet, or the last ships named were warships. (The real
    pages' gold labels them so; the invented sets' writers mostly say warships, and read
    as warships the sets gained 31 claims and the real pages lost 5 of 120: not kept.)"""
    naval = bool(_NAVAL_WORDS_RE.search(text, *clause)) or context == "naval-vessel"
    out: list[_Span] = []
    for i, e in enumerate(equipment):
        # "two vessels - a cargo ship and a tanker": the ships listed say what they are
        listed = [
            x
            for x in equipment[i + 1 :]
            if equipment_type(x.key).category == "vessel" and not _plain_vessel(text, x)
        ]
        merchant_list = bool(listed) and all(x.key not in _MILITARY_VESSELS for x in listed)
        if naval and _plain_vessel(text, e) and not merchant_list:
            e = replace(e, key="naval-vessel", score=_GENERIC)
        out.append(e)
    return out


def _vessel_context(text: str, mentions: Sequence[_Span], before: str | None) -> str | None:
    """The class plain ship nouns refer to after a sentence naming ``mentions``: that of
    the last ships it names of a kind (warships: naval vessels; cargo ships: vessels)."""
    context = before
    for e in mentions:
        if equipment_type(e.key).category != "vessel":
            continue
        if e.key in _MILITARY_VESSELS or _NAVAL_WORDS_RE.search(text, e.start, e.end):
            context = "naval-vessel"
        elif not _plain_vessel(text, e):
            context = "vessel"
    return context


# objects awaited, or the agent of a passive ("under surveillance by a ... aircraft"),
# are not what the clause places at the site
_NOT_THERE_RE = re.compile(
    r"(?:\b(?:await(?:s|ed|ing)?|waiting\s+for|wait\s+for)\s+(?:(?:a|an|the|some|more)\s+)?"
    r"(?:[\w-]+\s+){0,4}"
    r"|\bby\s+(?:a|an|the)\s+(?:(?!(?:show|reveal|captur|indicat|confirm)\w*\s)[\w-]+\s+){0,6}"
    # what a passage is closed to (lexicon ``closed_to``: "closed to Russian warships")
    r"|(?<![\w-])(?:" + "|".join(_LEX.closed_to or ("(?!)",)) + r")\s+(?:[\w-]+\s+){0,2})$",
    re.IGNORECASE,
)
_NOT_THERE_LOOKBACK = 48
# words that leave what follows open ("it is unclear whether", "no one knows if")
_UNASSERTED_RE = _words_re(
    (
        r"(?:unclear|not\s+(?:yet\s+)?(?:clear|known)|unknown|uncertain|no\s+one\s+knows|"
        r"(?:it\s+)?remains\s+to\s+be\s+seen|unconfirmed)\s*,?\s+(?:whether|if)",
        # a question told, not answered ("a reader asks whether the S-400 is still there")
        r"(?:asks?|asked|asking|wonders?|wondered|wondering)\s+(?:whether|if)",
        *_LEX.unasserted,
    )
)
_UNASSERTED_LOOKBACK = 80
# a frequency that makes a verb a habit ("every few days", "several times a week")
_HABITUAL_RE = _words_re(
    (
        r"every\s+(?:few|other|two|three|four|\d+)\s+(?:days|weeks|hours)",
        r"(?:several|many|a\s+few|two|three|\d+)\s+times\s+a\s+(?:day|week)",
        *_LEX.habitual,
    )
)
# a sentence that ends as a question (Latin, Arabic and Spanish question marks)
_QUESTION_END_RE = re.compile(r"[?؟][\s\"'»”’]*$")


def _mention_claims(
    report: Report,
    mention: _Span,
    actions: Sequence[_Span],
    *,
    clause: tuple[int, int],
    places: Sequence[_Span],
    sentence: _Sentence,
    state: _Clauses,
    previous: _Ctx,
    imagery: Mapping[str, _ImageryPass],
    first: int,
    absence: bool = False,
    denied: bool = False,
    others: Sequence[_Span] = (),
) -> list[Claim]:
    """The claims one equipment mention makes: one per place it is tied to (a move
    "from Hmeimim to Tartus" makes two). A negated sighting that states an absence
    ("none of them was visible") is a claim of departure (``absence``); another negated
    clause ("no ships have docked", "no plans to withdraw") makes claims of modality
    ``denied``, never positive ones."""
    text = report.text
    c_start, c_end = clause
    if _NOT_THERE_RE.search(text, max(c_start, mention.start - _NOT_THERE_LOOKBACK), mention.start):
        return []  # "awaiting ships", "watched by a patrol aircraft": not at the site
    if (
        _UNASSERTED_RE.search(
            text, max(c_start, mention.start - _UNASSERTED_LOOKBACK), mention.start
        )
        # "asks whether the warships that left Tartus on 10 December have come back":
        # what the relative clause tells is said
        and _RELATIVE_OPEN_RE.match(text, mention.end) is None
    ):
        return []  # "it is unclear whether the frigates have left": nobody says they did
    if sentence.question:
        return []  # "¿Siguen llegando barcos de carga?": a question asserts nothing
    excepted = absence and _EXCEPT_RE.search(
        text, max(c_start, mention.start - _EXCEPT_LOOKBACK), mention.start
    )
    if excepted:
        # "the pier is empty except for a single tug": the one object still there, with
        # its own verb after it where it has one ("باستثناء سفينة شحن ترسو")
        absence = False
        actions = [a for a in actions if a.start >= mention.end] or [
            _Span("action", excepted.start(), excepted.end(), "stationed", _STRONG_ACTION, "at")
        ]
    after = _after_verb(text, actions, mention, clause, sentence.vocab)
    if after is not None:
        # "..., после того как покинули причалы": the clause's own verb is another one
        actions = [a for a in actions if a is not after[1]]
    seen = bool(_OBS_RE.search(text, c_start, mention.start)) or sentence.observed
    act = _pick_action(
        _outside_conjuncts_relative(text, actions, mention, others),
        mention,
        text,
        others,
        seen=seen,
        dates=sentence.dates,
    )
    act = _companion_state(text, actions, mention, act)
    if (
        act is not None
        and act.key == "arriving"
        and _MOORED_RE.match(text, act.start)
        and not text[mention.end : act.start].strip()
        and _OBS_RE.search(text, c_start, mention.start)
    ):
        # "images show the cargo ship Sparta IV docked at the pier": a state seen
        act = replace(act, key="stationed")
    if denied and act is not None:
        # "have been anchored off the port ..., and neither has returned to its berth":
        # the verb before a negated coordinated predicate is the clause's own
        act = next(
            (
                b
                for b in actions
                if mention.end <= b.start < act.start
                and _negated_later(text, b, (b.end, act.start), sentence.vocab)
            ),
            act,
        )
    if denied and act is not None and _negated_later(text, act, clause, sentence.vocab):
        # "стоит на рейде и в порт не заходит": the second predicate is denied, not this
        denied = False
    observed = (
        bool(_OBS_RE.search(text, c_start, c_end))
        or sentence.observed
        # "Main apron: 6x Su-24, 4x Su-34.": a caption's list of what is there
        or (not actions and _caption_list_item(text, sentence, mention))
    )
    if act is None and not observed and not absence:
        return []
    # the noun with those joined to it ("die Ka-52 und Mi-24, die im Dezember noch
    # standen"): an aside after the last is of them all
    noun = _with_conjuncts(text, mention, others)
    if absence:
        # "fehlen ... Ka-52, die am 6. Dezember noch geparkt waren", "No sign of the
        # Tu-154 that was parked there on 12 Jan": the verb is the relative clause's
        # earlier state, the clause's own is the absence told outside it
        act = _absence_outside_relative(text, noun, act, clause, sentence.vocab)
    if absence and (act is None or act.key != "departing"):
        at = act if act is not None else mention
        act = _Span("action", at.start, at.end, "departing", _STRONG_ACTION, "at")
    roles = _roles(text, places, mention, act)
    site_inherited = False
    if not roles and _goes_elsewhere(text, places, act):
        return []  # gone to another place: no claim at the site named before
    if not roles:
        # no place in the clause: the place of earlier clauses, or the one the
        # discourse is about (named in an earlier sentence, until another replaces it)
        kind = act.key if act else "stationed"
        if (
            kind == "moving"
            and act is not None
            and not _on_the_road(mention, kind)
            and (
                _at_a_far_place(text, act, c_end)
                or _elsewhere(text, act.start, c_end)
                or _heads_away(text, act, c_end)
            )
        ):
            # "En Tartus quedan varios buques. El sábado la corbeta puso rumbo a
            # Gibraltar": a course set for a place away from the site leaves it
            kind = "departing"
        site_before = _referred_site(text, clause, previous)
        if site_before is not None and _aircraft_at_a_port(site_before, mention):
            # "... ενώ πολεμικά πλοία ... της Ταρτούς. Στις εικόνες ... αεροσκάφη Il-76 ...
            # της βάσης": aircraft are at the air base the account named, not at the port
            site_before = previous.monitored.get("airbase")
        if state.site is not None:
            roles = [(state.site, kind)]
        elif (
            site_before
            and not _elsewhere_outside_relative(
                text,
                (c_start, c_end),
                noun,
                act,
                # "have taken off from the base since Monday, most of them heading east
                # across Turkish airspace": a way after a leaving verb is the way out
                way_out=act is not None and kind in _LEAVING,
            )
            # "landed in Benghazi", "parked in Libya": there, not at the site; "left the
            # base for Libya" is a departure from it
            and not (
                kind not in _LEAVING
                and (
                    _at_a_far_place(text, act or mention, c_end)
                    # "W rejonie Bengazi ... ruch rosyjskich samolotów": the place opens
                    # the clause
                    or _FAR_PLACE_RE.search(text, c_start, mention.start) is not None
                )
            )
            and not _landlocked(site_before, mention)
            and (
                _ANAPHORA_RE.search(text, c_start, c_end)
                or (mention.score >= _GENERIC and not _on_the_road(mention, kind))
            )
        ):
            roles = [(_Span("place", -1, -1, site_before), kind)]
            site_inherited = True
        else:
            return []
    # the clause's date, whatever place the claims are made for: a date told earlier in
    # the account dates what follows, but not a plan or hope ("expected to leave") nor a
    # state put before it ("previously")
    said_to = max(mention.end, act.end if act is not None else mention.end)
    carry = not _hedged(sentence.vocab.plans, text, c_start, said_to) and (
        # what the same pictures show ("... usually parked there, are gone") is of
        # their day, whatever earlier state the sentence mentions
        sentence.same_images
        or (
            not any(
                not _in_comma_aside(text, mention, m, act)
                for m in _EARLIER_RE.finditer(text, c_start, c_end)
            )
            and not _new_account(text, sentence.start, sentence.end)
        )
    )
    clause_date = state.date
    if (
        sentence.same_day
        and act is not None
        and clause_date is not None
        and clause_date.start >= act.end
        and _SAME_DAY_RE.search(text, c_start, act.start) is not None
    ):
        # "on the same day, the frigate left its pier and was riding at anchor offshore
        # on Sunday": the verb after "the same day" is of that day, the later one of the
        # second verb
        clause_date = None
    if _HABITUAL_RE.search(text, c_start, c_end) and not (
        clause_date is not None and c_start <= clause_date.start < c_end
    ):
        # "The An-124s still land at Hmeimim every few days": a habit, of no day told
        carry, clause_date = False, None
    if (
        clause_date is not None
        and clause_date.end <= mention.start
        and act is not None
        and mention.end <= act.start
    ):
        # "The frigate sailed on 12 January, and the corvettes followed two days later":
        # a later object's own day, after its verb and before the next object
        bound = min((o.start for o in others if o.start > mention.end), default=c_end)
        own = next(
            (
                d
                for d in _plain_days(sentence, act.end, bound)
                if len(WORD_RE.findall(text, act.end, d.start)) <= _OWN_DAY_GAP
                and not _PHRASE_END_RE.search(text, act.end, d.start)
                and not any(act.end <= b.start < d.start for b in actions)
            ),
            None,
        )
        if own is not None:
            clause_date = own
    if after is not None and clause_date is not None and after[0] <= clause_date.start < after[2]:
        clause_date = (
            None  # "ancorate în larg, după ce au părăsit portul la mijlocul lunii decembrie"
        )
    if (
        clause_date is not None
        and clause_date.start > mention.end
        and _COMPARISON_RE.search(text, mention.end, clause_date.start)
    ):
        # "we count five Su-34s, compared with eleven in a capture from 3 December": the
        # day compared with is not theirs; a day told before them in the sentence is
        clause_date = next(
            (d for d in reversed(sentence.dates) if d.end <= mention.start and d.extra[0]), None
        )
    if _earlier_where(text, sentence.start, mention, act):
        # "muestran en el muelle apenas un remolcador, allí donde antes se alineaban
        # fragatas": what stood at the place before is of no day the account gives
        carry, clause_date = False, None
    clause_date = _outside_an_earlier_aside(
        text, mention, act, clause_date, others, sentence.dates, c_end, actions
    )
    aside: tuple[_Span, int] | None = None  # an aside's date and where the aside ends
    found = _aside(text, noun, act, clause_date, c_end, actions)
    if found is not None and clause_date is not None:
        aside = (clause_date, found)
        # "the Sparta IV, which docked on 26 January, has departed": the aside's
        # date is of another event than the clause's (a state "since" a date in
        # it goes on into the clause's: "that has sat there since mid-December
        # is still there"); a date after the aside is the clause's
        # ("..., remained anchored on Tuesday"), else one told before the noun ("On
        # the images of 20 January the pads are empty: the Mi-8s, ..., are gone")
        clause_date = _day_outside(sentence.dates, mention.start, found, c_end)
        if clause_date is None:
            # "a ship that was anchored there on 20 August 2015 has left since then":
            # from the aside's day to the publication
            clause_date = _since_the_aside(text, act, aside, c_end, report.published)
        if state.date is aside[0]:
            # "the corvettes that were here on 12 Dec are gone; the Kilo sub is still
            # alongside": the aside's day is not the next clause's either
            state.after_aside = (clause_date,)
    elif (
        act is not None
        and clause_date is not None
        and (clause_date.start >= act.end or clause_date.end <= mention.start)
    ):
        # "a submarine that had been moored at the pier on Monday was no longer visible
        # in images taken on Wednesday", "pokazują, że zniknęły śmigłowce Ka-52, które
        # jeszcze w połowie grudnia stały przy pasie": the clause's day lies outside the
        # aside after the noun, and the aside has a day of its own (before the clause's
        # verb where the verb comes after the noun)
        for d in sentence.dates:
            if noun.end <= d.start < c_end and (
                d.end <= act.start
                # a verb before the noun: an aside that opens as a relative clause or
                # a sighting ("zniknęły Ka-52, widoczne tam jeszcze w połowie grudnia"),
                # not a clause of another subject ("..., сегодня «Руслан» ушёл")
                or (act.end <= mention.start and _opens_earlier_state(text, noun))
            ):
                found = _aside(text, noun, act, d, c_end, actions)
                if found is not None:
                    aside = (d, found)
                    break
    where = (
        _where_clause(text, mention, clause, sentence.vocab, sentence.dates)
        if aside is None and act is not None and act.key == "departing"
        else None
    )
    if where is not None:
        # "The shelters where Su-35 fighters were parked on 12 January are now empty",
        # "Pusta jest pozycja, gdzie jeszcze 2 stycznia stały wyrzutnie S-400": the day
        # of the place's relative clause is of what stood there; the emptiness is of the
        # day told outside it, or of the account's
        when, w_start, w_end = where
        aside = (when, w_end)
        clause_date = _day_outside(sentence.dates, w_start, w_end, c_end)
    if (
        clause_date is not None
        and not c_start <= clause_date.start < c_end
        and _MODAL_NOW_RE.search(text, c_start, c_end)
    ):
        clause_date = None  # "(On Dec 10 a strike hit the base,) where ships may still be"
    if (
        sentence.same_images
        and clause_date is not None
        and _LIVE_STAMP_RE.fullmatch(clause_date.key + " ")
    ):
        clause_date = None  # "10:05 In the same images ...": the pictures' day
    made: list[Claim] = []
    for site, action_key in roles:
        date = _claim_date(
            clause_date,
            previous,
            site.key,
            carry,
            imagery,
            sentence.index,
            # "Den Bildern zufolge lagen keine Kriegsschiffe mehr an den Piers. Die
            # Fregatte ... ankerte vor der Küste.": the state goes on with the pictures
            observed=observed
            or sentence.continues
            or (previous.pictured and action_key in ("stationed", "departing")),
            speaks_of_imagery=sentence.imagery,
            same_images=sentence.same_images,
            same_day=sentence.same_day,
            in_thread=sentence.in_thread,
        )
        date = _lasting_since_then(
            text, date, clause, act or mention, report.published, previous.then.get(site.key)
        )
        if _PROVIDER_SAID_RE.search(text, sentence.start, sentence.end):
            # the imagery company speaking of its pictures: "now" is its latest pass
            date = _since_until_imagery(
                date, imagery.get(site.key) or max(imagery.values(), key=_pass_order, default=None)
            )

        if (absence or (act is not None and _ABSENCE_RE.search(text, act.start, act.end))) and (
            date.span is not None
            and (
                _last_seen_before(text, date.span.start)
                or _SINCE_ABSENT_RE.search(text, max(0, date.span.start - 8), date.span.start)
            )
        ):
            date = _until_publication(date, report.published)
        made.append(
            _make_claim(
                report,
                n=first + len(made),
                equipment=mention,
                site=site,
                action_key=action_key,
                action=act,
                date=date,
                site_inherited=site_inherited or site.start < 0,
                clause=clause,
                places=places,
                vocab=sentence.vocab,
                absence=absence,
            )
        )
        if denied:
            made[-1] = replace(made[-1], modality="denied")
        if state.site is None:
            state.site = replace(site, start=-1, end=-1)
    second = _second_predicate(text, actions, act, clause, sentence.vocab, after=mention.end)
    if second is not None and made:
        # "left Hmeimim and reached Tartus", "... and arrived in Novorossiysk": the second
        # verb names a place of its own before the clause's next comma, a site (claimed
        # there) or elsewhere (no claim)
        stop = re.search(r"[,;:.!?]", text[second.end : c_end])
        tail = (second.end, second.end + stop.start() if stop else c_end)
        own = next((p for p in places if tail[0] <= p.start < tail[1] and not p.extra[0]), None)
        if own is not None and own.key != made[-1].site:
            if place(own.key).monitored and not absence:
                made.append(
                    replace(
                        made[-1],
                        id=f"{report.id}#{first + len(made) + 1}",
                        site=own.key,
                        action=second.key,
                        action_span=(second.start, second.end),
                        zone_kind=_zone(text, second.start, c_end, places),
                    )
                )
            second = None
        elif own is None and _elsewhere(text, *tail):
            second = None
    if made and second is not None and not absence:
        # "leaving the base and anchoring offshore": one mention, a claim per verb
        first_claim = made[-1]
        since_then = (
            act is not None
            and first_claim.date_from is not None
            and report.published is not None
            and (
                _SINCE_THEN_RE.search(text, act.end, min(c_end, second.end + _SINCE_THEN_REACH))
                is not None
                # "... and has been loading containers ever since.": at the clause's end
                or _SINCE_THEN_END_RE.search(text[second.end : c_end]) is not None
                # "left on Tuesday and have stayed offshore": a state still lasting
                or (
                    second.key == "stationed"
                    and _PERFECT_RE.search(text, act.end, second.start) is not None
                )
            )
        )
        # "left the facility over the weekend and were riding at anchor offshore on
        # Monday": the second verb's own day, told after it before the next comma
        stop = _PHRASE_END_RE.search(text, second.end, c_end)
        own_day = next(
            (
                d
                for d in _plain_days(sentence, second.end, stop.start() if stop else c_end)
                if first_claim.date_span is None or d.start >= first_claim.date_span[1]
            ),
            None,
        )
        if own_day is not None and not since_then:
            first_claim = _on_day(first_claim, own_day)
        made.append(
            replace(
                first_claim,
                id=f"{report.id}#{first + len(made) + 1}",
                # "غادرت الرصيف ورست على بعد كيلومترات" (left the pier and anchored a few
                # km off): a ship that moors again after leaving is there, not arriving
                action="stationed"
                if act is not None and act.key == "departing" and second.key == "arriving"
                else second.key,
                action_span=(second.start, second.end),
                zone_kind=_zone(text, second.start, c_end, places) or first_claim.zone_kind,
                # "a quitté le port mercredi et mouille depuis": from that day on
                date_to=report.published
                if since_then and report.published is not None
                else first_claim.date_to,
            )
        )
    inner = (
        None
        if aside is None or act is None
        else next(
            (
                b
                for b in actions
                if noun.end <= b.start < aside[1]
                and b.key in _ASIDE_EVENT_KEYS
                and b.key != act.key
            ),
            None,
        )
    )
    if (
        inner is None
        and aside is not None
        and act is not None
        and act.key == "departing"
        and not any(b is not act for b in _actions(text, noun.end, aside[1], sentence.vocab))
        and _observation_day(aside[0])
        and "since" not in aside[0].extra[1:]
    ):
        # "the four Su-24M we saw on 12 Jan are gone", "Зникли всі Су-24, які ще 7
        # грудня займали західну частину стоянки": what is gone now was there on the
        # aside's day
        inner = _Span("action", noun.end, aside[1], "stationed", _STRONG_ACTION, "at")
    if made and aside is not None and inner is not None and not denied:
        # "the frigate, which left the harbour on Dec. 10, remained anchored": the
        # aside tells an event of its own, on its own day
        made.append(
            _other_event(
                made[0],
                inner,
                aside[0],
                _zone(text, inner.start, aside[1], places),
                first + len(made) + 1,
            )
        )
    moored = _moored_while_loaded(text, actions, mention, act, clause, sentence.vocab)
    if made and moored is not None and not denied and not absence:
        # "W porcie od poniedziałku cumuje statek ..., do którego ładowane są ...": the
        # ship lies at the pier, and is being loaded; the day told after a comma is the
        # loading's ("..., который загружают с понедельника")
        stop = _PHRASE_END_RE.search(text, max(moored.end, mention.end), c_end)
        dated = made[0].date_span is not None and (
            stop is None or made[0].date_span[0] < stop.start()
        )
        lying = replace(
            made[0],
            id=f"{report.id}#{first + len(made) + 1}",
            action="stationed",
            action_span=(moored.start, moored.end),
        )
        if not dated:
            lying = replace(
                lying,
                date_from=None,
                date_to=None,
                date_text=None,
                date_span=None,
                date_inherited=False,
            )
        made.append(lying)
    if (
        made
        and act is not None
        and act.key == "departing"
        and not denied
        and not absence
        and not any(c.action == "stationed" for c in made)
        and _TO_ROADS_RE.search(text, act.end, c_end) is not None
    ):
        # "Корабли ещё во вторник вышли из пункта на внешний рейд": they left, and lie
        # at anchor off the site
        made.append(
            replace(
                made[0],
                id=f"{report.id}#{first + len(made) + 1}",
                action="stationed",
                zone_kind="approach",
            )
        )
    if after is not None and made and not denied and not absence and after[1].key != made[0].action:
        # the earlier event "after" tells, of the same objects
        made.append(
            _after_claim(made[0], text, after, sentence.dates, places, first + len(made) + 1)
        )
    return _at_a_site_of_their_kind(made, sentence, previous)


# a way to the roadstead after a verb of leaving (lexicon ``to_roads``)
_TO_ROADS_RE = _words_re(_LEX.to_roads)


# "since then" after a first verb, in the lexicons' languages: the second predicate's
# state lasts from the first's day to the publication
_SINCE_THEN_RE = _words_re((r"(?:ever\s+)?since(?:\s+then)?", *_LEX.since_then))
# "ever since" or "since then" closing the clause, however far after the second verb
_SINCE_THEN_END_RE = re.compile(r"\b(?:ever\s+since|since\s+then)\W*$", re.IGNORECASE)
# "since then" standing alone, in the lexicons' languages: a bare "since" or "depuis" is
# not followed by a day or time ("since 10 December", "depuis la chute", "depuis
# plusieurs semaines"); after a closed form any word may follow ("Since then the
# corvette has ...", "desde entonces las grúas cargan ...")
_SINCE_OBJECT = (
    r"\s+(?:(?:the|a|an|le|la|les|du|des|un|une|plusieurs|quelques|début|fin)(?!\w)|l['’]|mi-|\d)"
)
_SINCE_THEN_ALONE_RE = re.compile(
    _words_alternation((r"since\s+then", r"ever\s+since", *_LEX.since_then))
    + rf"(?!(?<=since){_SINCE_OBJECT}|(?<=depuis){_SINCE_OBJECT})",
    re.IGNORECASE,
)


def _lasting_since_then(
    text: str,
    date: _ClaimDate,
    clause: tuple[int, int],
    verb: _Span,
    published: dt.date | None,
    before: _DateRef | None,
) -> _ClaimDate:
    """``date`` made to last to the publication where "since then" stands in the clause
    before its verb or right after it, after the day it carries ("The corvette left on 20
    February. Since then, only commercial ships have been seen in the port.", "وبدأت منذ
    ذلك الحين تحميل شاحنات عسكرية"): the state goes on from that day; from the day the
    sentence before told (``before``) where the claim has none ("Die Kriegsschiffe sind
    Mitte Dezember ausgelaufen. Die Fregatte ... ankert seither vor der Hafeneinfahrt.")."""
    since = _SINCE_THEN_ALONE_RE.search(
        text, clause[0], min(clause[1], verb.end + _SINCE_THEN_REACH)
    )
    if since is None or published is None:
        return date
    if since.start() >= verb.end and _AND_RE.search(text, verb.end, since.start()):
        return date  # "hat den Hafen verlassen und ist seither ...": another predicate's
    if date.days is None and before is not None:
        date = _ClaimDate(_Span("date", -1, -1, before.text), before.days, inherited=True)
    if date.days is None or date.days[0] > published:
        return date
    if date.span is not None and date.span.start >= since.start():
        return date
    return replace(date, days=(date.days[0], published))


# how far after the second verb "since then" may stand ("mouille depuis", "lägen seitdem")
_SINCE_THEN_REACH = 16
# the perfect of English before a second verb of state ("and have stayed", "and has
# sat at anchor"): the state goes on from the first verb's day to the publication
_PERFECT_RE = re.compile(r"\b(?:and|but)\s+(?:(?:they|it|she|he)\s+)?(?:has|have)\b", re.IGNORECASE)
# the second verb of a coordinated predicate ("leaving the base and anchoring off the
# coast"): at most this many words between "and" and the verb
_SECOND_VERB_GAP = 2  # "and anchored", "and since then remained"
# words not counted in that gap: auxiliaries and adverbs of time ("and have since been
# anchored")
_AUXILIARIES = frozenset({"have", "has", "had", "been", "be", "is", "are", "was", "were", "since"})
_SECOND_VERB_KEYS = frozenset({"stationed", "departing", "arriving", "loading"})
# ... and those an aside after the noun may tell on a day of its own ("Die Ka-52, die
# Mitte Dezember zerlegt wurden, sind nicht mehr da")
_ASIDE_EVENT_KEYS = _SECOND_VERB_KEYS | {"dismantling"}


# "and" joining two verbs, in the languages of the lexicons (Arabic's is the first letter
# of the word it joins)
_AND_RE = re.compile(_words_alternation(("and", *_LEX.and_words)) + r"|(?<!\w)و", re.IGNORECASE)
# "and" or "as well as" (lexicon ``also_words``): what adds an item to a list
_AND_ALSO_RE = re.compile(
    _AND_RE.pattern + "|" + _words_alternation(_LEX.also_words or ("(?!)",)), re.IGNORECASE
)


def _negated_later(text: str, act: _Span, clause: tuple[int, int], vocab: _Vocab) -> bool:
    """Whether every negation of the clause lies in a predicate coordinated after
    ``act`` ("stands in the roadstead and has not entered the port since ...") or in a
    phrase after a comma that follows it ("permanecen fondeados frente al puerto, sin
    regresar a los muelles", "тримаються на рейді, не ризикуючи повертатися")."""
    negations = list(vocab.negation.finditer(text, clause[0], clause[1]))
    return bool(negations) and all(
        m.start() >= act.end
        and (
            _AND_RE.search(text, act.end, m.start()) is not None or "," in text[act.end : m.start()]
        )
        for m in negations
    )


# what ends a predicate between two verbs: a stop (not the one of a month's
# abbreviation before its day, "left on Dec. 10 and anchored"), a semicolon or a colon
_GAP_BREAK_RE = re.compile(r"[;:]|\.(?!\s*\d)")


# "to", "pour", "para" right before a second verb (lexicon ``purpose_words``)
_PURPOSE_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(_LEX.purpose_words or ("(?!)",)) + r")\s+$", re.IGNORECASE
)


# "after" before a verb of the same objects (lexicon ``after_words``), and how many words
# may stand between them ("después de haber abandonado", "after they had left", "după ce
# au părăsit")
_AFTER_WORDS = "|".join(_LEX.after_words or ("(?!)",))
_AFTER_RE = re.compile(rf"(?<![\w-])(?:{_AFTER_WORDS})(?![\w-])", re.IGNORECASE)
_ARRIVALS_AND_DEPARTURES = frozenset({"arriving", "departing"})
_AFTER_OPEN_RE = re.compile(rf"\W*(?:{_AFTER_WORDS})(?![\w-])", re.IGNORECASE)
_AFTER_GAP = 1
_AFTER_REACH = 40  # characters before a verb searched for its "after"
# words not counted in that gap: pronouns and auxiliaries ("after they had left", "după
# ce au fost încărcate")
_AFTER_GAP_WORDS = frozenset(
    {*_AUXILIARIES, "they", "it", "she", "he", "having", "being", "au", "a", "fost", "été"}
)
# a time before "after" makes it a measure of time, no event told ("two months after it
# sailed away", "shortly after it touched down")
_TIME_BEFORE_AFTER_RE = re.compile(
    r"\b(?:shortly|soon|just|right|long|minutes?|hours?|days?|weeks?|months?|years?)\s+$",
    re.IGNORECASE,
)


def _after_verb(
    text: str, actions: Sequence[_Span], mention: _Span, clause: tuple[int, int], vocab: _Vocab
) -> tuple[int, _Span, int] | None:
    """The verb a clause tells after "after", after its objects and its own verb
    ("permanecían fondeados frente a Tartus, después de abandonar los muelles a mediados
    de diciembre"): where "after" stands, the verb and where its phrase ends, or None."""
    for b in actions:
        if b.start < mention.end or not any(a.end <= b.start and a is not b for a in actions):
            continue
        opening = next(reversed(list(_AFTER_RE.finditer(text, mention.end, b.start))), None)
        if opening is None and b.key in _ARRIVALS_AND_DEPARTURES:
            # "stand on the outer roads, where they moved out in mid-December": how they
            # came to be where they are, told after it
            opening = next(
                reversed(list(_COMMA_WHERE_RE.finditer(text, mention.end, b.start))), None
            )
        if opening is None:
            continue
        if (
            not _verb_after(text, opening.end(), b.start, vocab)
            or _TIME_BEFORE_AFTER_RE.search(text, mention.end, opening.start())
            or any(a.start >= opening.end() and a.end <= b.start for a in actions)
            or not any(a.end <= opening.start() for a in actions)
        ):
            continue
        stop = _PHRASE_END_RE.search(text, b.end, clause[1])
        return opening.start(), b, stop.start() if stop else clause[1]
    return None


def _verb_after(text: str, start: int, verb: int, vocab: _Vocab) -> bool:
    """Whether the verb at ``verb`` is the one "after" (ending at ``start``) leads to:
    no more than :data:`_AFTER_GAP` words between them but pronouns and auxiliaries, and
    no objects ("after the rebels entered", "after weeks of waiting": no)."""
    gap = [w for w in WORD_RE.findall(text, start, verb) if w.casefold() not in _AFTER_GAP_WORDS]
    return len(gap) <= _AFTER_GAP and not _equipment_mentions(text, start, verb, vocab)


def _told_after(text: str, claim: Claim, vocab: _Vocab) -> bool:
    """Whether ``claim``'s verb is one "after" leads to (:func:`_verb_after`)."""
    if claim.action_span is None:
        return False
    start = claim.action_span[0]
    lead = next(reversed(list(_AFTER_RE.finditer(text, max(0, start - _AFTER_REACH), start))), None)
    return lead is not None and _verb_after(text, lead.end(), start, vocab)


def _after_claim(
    claim: Claim,
    text: str,
    after: tuple[int, _Span, int],
    dates: Sequence[_Span],
    places: Sequence[_Span],
    n: int,
) -> Claim:
    """The claim of the verb told after "after" (:func:`_after_verb`) for the objects of
    ``claim``: on the day its phrase names, else undated."""
    at, verb, end = after
    when = next((d for d in dates if at <= d.start < end and d.extra[0]), None)
    return _other_event(claim, verb, when, _zone(text, verb.start, end, places), n)


# the most words between a verb and the day it happened on ("followed two days later",
# "left the port for Novorossiysk on Monday")
_OWN_DAY_GAP = 4
# the end of a phrase: a comma (Latin or Arabic) or stronger
_PHRASE_END_RE = re.compile(r"[,;:.!?،؛]")


def _plain_days(sentence: _Sentence, start: int, stop: int) -> list[_Span]:
    """The dates of ``sentence`` from ``start`` to before ``stop`` that name days
    plainly (resolved, no "since", part of a month or day back)."""
    return [d for d in sentence.dates if start <= d.start < stop and d.extra[0] and not d.extra[1:]]


def _other_event(
    claim: Claim, verb: _Span, when: _Span | None, zone_kind: str | None, n: int
) -> Claim:
    """Claim number ``n``: the objects of ``claim`` doing what ``verb`` tells, on the day
    of ``when`` as written there (undated without one), in ``zone_kind``."""
    return _on_day(
        replace(
            claim,
            id=f"{claim.report_id}#{n}",
            action=verb.key,
            action_span=(verb.start, verb.end),
            absence=False,
            zone_kind=zone_kind,
        ),
        when,
    )


def _on_day(claim: Claim, when: _Span | None) -> Claim:
    """``claim`` dated by the date ``when`` as written there (undated without one)."""
    days = when.extra[0] if when is not None else None
    return replace(
        claim,
        date_from=days[0] if days else None,
        date_to=days[1] if days else None,
        date_text=when.key if when is not None else None,
        date_span=(when.start, when.end) if when is not None else None,
        date_inherited=False,
    )


# the actions of cargo moving on or off objects that lie still
_CARGO_ACTIONS = frozenset({"loading", "unloading"})


def _moored_while_loaded(
    text: str,
    actions: Sequence[_Span],
    mention: _Span,
    act: _Span | None,
    clause: tuple[int, int],
    vocab: _Vocab,
) -> _Span | None:
    """The verb of presence of a ship whose loading or unloading a clause of its own
    tells, after a comma ("W porcie cumuje statek ..., do którego ładowane są elementy
    systemów", "سفينة الشحن ترسو في الميناء ...، ويُعتقد أنها تنتظر تحميل"), if any:
    right before the ship's mention (no other objects before it in the clause) or
    between the mention and the loading, with no other objects named between. A
    loading told as the manner of the ship's presence ("стоит под погрузкой", "à quai,
    rampe abaissée, prêt à charger") is the one claim."""
    if (
        act is None
        or act.key not in _CARGO_ACTIONS
        or equipment_type(mention.key).category != "vessel"
        or _equipment_mentions(text, mention.end, act.start, vocab)
    ):
        return None
    for b in actions:
        if b.key != "stationed" or not clause[0] <= b.start < act.start:
            continue
        if b.end <= mention.start:
            # right before the ship: no other objects before it in the clause
            lo, hi = b.end, mention.start
            if (
                re.search(r"[,;:.!?]", text[lo:hi])
                or _equipment_mentions(text, clause[0], b.start, vocab)
                or _equipment_mentions(text, lo, hi, vocab)
            ):
                continue
        else:
            lo, hi = mention.end, b.start  # no objects there: none up to the loading
        if vocab.negation.search(text, lo, hi):
            continue
        comma = _PHRASE_END_RE.search(text, max(b.end, mention.end), act.start)
        if comma is None:
            return None
        opener = text[comma.end() : act.start]
        if not (_AND_RE.search(opener) or _RELATIVE_WORD_RE.search(opener)):
            return None
        return b
    return None


def _second_predicate(
    text: str,
    actions: Sequence[_Span],
    act: _Span | None,
    clause: tuple[int, int],
    vocab: _Vocab,
    *,
    after: int = 0,
) -> _Span | None:
    """The verb coordinated with ``act`` that tells another state of the same objects
    ("left the port and dropped anchor offshore"), if any, with no other objects
    named between them; ``after``: where the objects' mention ends (a verb told before
    its subject, "غادرت سفينتان ... ورستا", is joined from there)."""
    if act is None:
        return None
    start = max(act.end, after)
    for b in actions:
        if b.start <= start or b.key == act.key or b.key not in _SECOND_VERB_KEYS:
            continue
        gap = text[start : b.start]
        m = _AND_RE.search(gap)
        if m is None and act.key == "departing" and b.key == "stationed":
            # "a quitté le port dimanche pour mouiller au large": left, to anchor
            m = _PURPOSE_RE.search(gap)
        if m is None and text.startswith("و", b.start):
            m = re.search(r"$", gap)  # Arabic: "and" is the verb's first letter ("ورست")
        if (
            m is None
            and act.key == "departing"
            and b.key == "stationed"
            and text.startswith("ل", b.start)
        ):
            # "غادرت الفرقاطة ... الرصيف صباح الجمعة لترسو": left, to anchor (the
            # purpose is the verb's first letter)
            m = re.search(r"$", gap)
        if m is None and not _GAP_BREAK_RE.search(gap):
            continue  # "a quitté son poste à quai et mouille depuis": a phrase of state
        if m is None or _GAP_BREAK_RE.search(gap):
            return None
        rest = _SINCE_THEN_RE.sub(" ", gap[m.end() :])  # "y desde entonces permanece"
        between = [w for w in WORD_RE.findall(rest) if w.casefold() not in _AUXILIARIES]
        if len(between) > _SECOND_VERB_GAP:
            return None
        if vocab.negation.search(text, start + m.end(), b.start):
            return None  # "... and neither has returned": no second event
        if _equipment_mentions(text, start, b.start, vocab):
            return None
        return b
    return _first_predicate(text, actions, act, vocab, after=after)


def _first_predicate(
    text: str, actions: Sequence[_Span], act: _Span, vocab: _Vocab, *, after: int
) -> _Span | None:
    """The verb before ``act``, after the objects' mention, that ``act`` is coordinated
    with ("lay at anchor yesterday and was being loaded": the clause's action is the
    loading, and the ship lay at anchor too)."""
    for b in reversed(actions):
        if b.end > act.start or b.start < after:
            continue
        if b.key == act.key or b.key not in _SECOND_VERB_KEYS:
            return None
        gap = text[b.end : act.start]
        m = _AND_RE.search(gap)
        if m is None or re.search(r"[.;:,]", gap):
            return None
        rest = [w for w in WORD_RE.findall(gap[m.end() :]) if w.casefold() not in _AUXILIARIES]
        if len(rest) > _SECOND_VERB_GAP or vocab.negation.search(text, b.start, act.start):
            return None
        if _equipment_mentions(text, b.end, act.start, vocab):
            return None
        return b
    return None


# a clause placing its objects at a place the gazetteer does not know ("somewhere in the
# Mediterranean", "near Portugal") is not about the site of the discourse
_ELSEWHERE_RE = re.compile(
    r"(?<![Aa]ccording\s)\b(?P<prep>in|at|near|off|into|to|towards?|outside|through|via|across)\s+"
    r"(?:the\s+)?"
    r"(?:(?:port|base|city|town|harbou?r|airport|airfield|island)\s+of\s+)?"
    r"(?P<name>[A-Z][a-z][\w-]*)"
)


# the ways a leaving verb's objects head to or cross (not "in Baltiysk", "through the
# Strait of Gibraltar": where they are or pass)
_WAY_OUT_PREPS = frozenset({"to", "toward", "towards", "into", "across"})


# "anchored off the Syrian coast": a stretch of coast, no site the discourse named
_UNNAMED_COAST_RE = re.compile(
    r"(?<!km\s)(?<!km)(?<!northwest\s)(?<!northeast\s)(?<!southwest\s)(?<!southeast\s)"
    r"(?<!north\s)(?<!south\s)"
    r"\boff\s+(?:the\s+)?(?:syrian|syria['’]s)\s+coast|\boff\s+the\s+coast\s+of\s+syria\b"
    r"|\boutside\s+(?:of\s+)?(?:the\s+)?(?:syrian\s+|syria['’]s\s+)?territorial\s+waters\b",
    re.IGNORECASE,
)


# a place far from the sites, in any language (gazetteer ``FAR_PLACES``), and the actions
# that leave a site for such a place
_LEAVING = frozenset({"departing", "withdrawing", "moving"})
# how far after the verb such a place may stand, before the next comma ("aperçus à
# Benghazi", "έχουν προσγειωθεί τις τελευταίες ημέρες στη Βεγγάζη")
_FAR_PLACE_REACH = 60
_FAR_PLACE_RE = re.compile(
    r"(?<!\w)(?:[وبلف]{1,2})?(?:" + "|".join(map(re.escape, FAR_PLACES)) + ")", re.IGNORECASE
)


def _at_a_far_place(text: str, verb: _Span, end: int) -> bool:
    """Whether a place far from the sites follows ``verb`` (or the objects' mention) in
    its phrase: where the objects are, not the site the discourse is about."""
    stop = min(end, verb.end + _FAR_PLACE_REACH)
    comma = _PHRASE_END_RE.search(text, verb.end, stop)
    return _FAR_PLACE_RE.search(text, verb.end, comma.start() if comma else stop) is not None


def _elsewhere(text: str, start: int, end: int, *, way_from: int | None = None) -> bool:
    """Whether the clause places its objects at a named place the gazetteer does not
    know (not a month, a weekday or a known place; from ``way_from``, a leaving verb, on:
    only one in the verb's phrase that they do not head to or cross, as "left the naval
    base in Baltiysk")."""
    coast = _UNNAMED_COAST_RE.search(text, start, end)
    if coast is not None and not _AFTER_RE.search(text, start, coast.start()):
        # ("returned to the port on January 14 after weeks at anchor off the Syrian
        # coast": where they were before, not where they are)
        return True
    return any(
        _unknown_place(m.group("name"))
        and not m.group("name").lower().endswith("-based")
        # a German noun of equipment, capitalised like every noun ("um sie in
        # Frachtmaschinen zu verstauen"): no place
        and not _equipment_mentions(text, m.start("name"), m.end("name"), _vocab("de"))
        and not _SEAT_RE.search(text, max(start, m.start() - _SEAT_LOOKBACK), m.start())
        and not _SEAT_AFTER_RE.match(text, m.end())
        and not (
            way_from is not None
            and m.start() >= way_from
            and (
                m.group("prep").lower() in _WAY_OUT_PREPS
                # "..., according to ship-spotters in Istanbul": past the verb's phrase
                or _PHRASE_END_RE.search(text, way_from, m.start()) is not None
            )
        )
        for m in _ELSEWHERE_RE.finditer(text, start, end)
    )


# a name right after a verb of course ("puso rumbo a Gibraltar", "взял курс на
# Гибралтар"), up to two lower-case words between
_HEADING_NAME_RE = re.compile(r"\s+(?:[^\W\d_A-ZА-ЯЁІЇЄΑ-Ω]+\s+){0,2}(?P<name>[^\W\d_][\w-]*)")


def _heads_away(text: str, act: _Span, end: int) -> bool:
    """Whether ``act``, a verb of course, is followed by a capitalised name that is no
    site basewatch watches (a place away from the site)."""
    m = _HEADING_NAME_RE.match(text, act.end, end)
    if m is None or not m.group("name")[:1].isupper():
        return False
    hit = match_place((fold(m.group("name")),), fuzzy=True)
    if hit is not None:
        return not place(hit[0]).monitored
    return _unknown_place(m.group("name"))


def _elsewhere_outside_relative(
    text: str, clause: tuple[int, int], noun: _Span, act: _Span | None, *, way_out: bool = False
) -> bool:
    """:func:`_elsewhere` but for a relative clause between the objects and their verb
    ("the Ka-52 and Mi-24 helicopters that were the workhorses of the campaign in Idlib
    have been flown out"): a place told of them there is no place they are now
    (``way_out``: ``act`` leaves, and a place it heads to or across is its way out)."""
    way = act.start if way_out and act is not None else None
    if act is None or act.start <= noun.end or _RELATIVE_OPEN_RE.match(text, noun.end) is None:
        return _elsewhere(text, *clause, way_from=way)
    return _elsewhere(text, clause[0], noun.end) or _elsewhere(
        text, act.start, clause[1], way_from=way
    )


# where a source has its seat ("the London-based consultancy", "based in London", "die in
# London ansässige Beobachtungsstelle"): no place of the objects
_SEAT_RE = re.compile(r"\b(?:based|headquartered|registered)\s+$", re.IGNORECASE)
_SEAT_AFTER_RE = re.compile(r"\s+ansässig", re.IGNORECASE)
_SEAT_LOOKBACK = 16


# capitalised words after a preposition that name no place
_NOT_PLACES = frozenset(
    {"Russia", "Russian", "Moscow", "Syria", "Syrian", "Maxar", "Planet", "Richtung"}
    # imagery providers ("in Sentinel-2 imagery", "on Airbus pictures")
    | {"Sentinel", "Airbus", "BlackSky", "Capella", "Umbra", "Google"}
    # feasts told as days ("still visible at Christmas", "since New Year")
    | {"Christmas", "Easter", "New", "Orthodox", "Ramadan", "Eid"}
)  # "in Richtung Norden": a direction, no place


# a guess about the present ("may still be anchored") is dated by no earlier clause
_MODAL_NOW_RE = re.compile(r"\b(?:may|might|could)\s+(?:still\s+)?be\b", re.IGNORECASE)


# the most words of a heading that dates what follows it: a place and a date, with a
# numbering ("1. Hmeimim air base, 28 January 2025."), or a date alone ("• 12 декабря.")
_HEADING_WORDS = 10
_DATE_HEADING_WORDS = 4
# ... or a numbered caption of a gallery, place and day in a phrase ("1. The Russian
# naval facility at Tartus, Syria, on 22 January 2025.")
_CAPTION_HEADING_WORDS = 16
_NUMBERED_RE = re.compile(
    r"\s*(?:\d{1,2}(?:[.)]|\s*[–—-](?=\s))|(?:Photo|Image|Fig\.?|Bild|Foto|Fot\.)\s*\d{1,2}[.:)]?)\s*"
)


def _numbered(text: str, start: int) -> bool:
    """Whether the text at ``start`` opens a numbered item ("1. ...", "Photo 2: ..."),
    its number at the start or alone before it on its line."""
    line = text.rfind("\n", 0, start) + 1
    lead = text[line:start]
    if lead.strip():
        return _NUMBERED_RE.fullmatch(lead) is not None
    opening = _NUMBERED_RE.match(text, start)
    return opening is not None and bool(opening.group().strip())


# "as of" before the day a status is told of (lexicon ``as_of``)
_AS_OF_RE = _words_re((r"as\s+(?:of|at)", *_LEX.as_of))
# what may come before the date of a date line: bullets, numbering, dashes
_HEADING_MARKS = " \t•·*-–—0123456789./)"


def _looks_back(
    text: str,
    sentence: _Sentence,
    made: Sequence[Claim],
    heading: _DateRef | None,
    published: dt.date | None,
) -> bool:
    """Whether a sentence of claims (or a question) under a dated heading of the
    pictures' day (not a dateline's day of publication) looks back to an earlier day ("а
    10 декабря их было восемь", "On the 3 December pass there were 11 Su-34", "haven't
    been seen since the 22 Dec pass", "What's changed since my last look at the Dec 28
    pass?"): the account goes on under the heading after it."""
    resolved = [d for d in sentence.dates if d.extra[0] is not None]
    return (
        heading is not None
        and (bool(made) or text[sentence.start : sentence.end].rstrip().endswith("?"))
        and bool(resolved)
        and heading.days != (published, published)
        and all(
            d.extra[0][1] < heading.days[0]
            or (d.extra[1:] == ("since",) and d.extra[0][0] < heading.days[0])
            for d in resolved
        )
    )


def _heading(
    text: str,
    sentence: _Sentence,
    made: Sequence[Claim],
    before: _DateRef | None,
    published: dt.date | None,
    *,
    looks_back: bool,
) -> _DateRef | None:
    """The dated heading the next sentence is under: this sentence's, if it is one, else
    the one before it unless this sentence gave a date of its own (``looks_back``: the
    sentence looks back to an earlier day, :func:`_looks_back`). A date line opens with
    its date ("• 12 декабря."), and is not the byline's day of publication."""
    resolved = [d for d in sentence.dates if d.extra[0] is not None]
    if not resolved:
        return before
    if before is not None and not made and all(d.extra[0] == before.days for d in resolved):
        return before  # the heading's day told again ("снимки за вчерашний день")
    if looks_back:
        return before
    if made or any(d.extra[1:] for d in resolved):
        return None  # a claim, or a date "since" or of a part of a month
    words = len(WORD_RE.findall(text, sentence.start, sentence.end))
    first = _first_date(text, resolved)
    date_line = (
        words <= _DATE_HEADING_WORDS
        and not text[sentence.start : first.start].strip(_HEADING_MARKS)
        and first.extra[0] != (published, published)
    )
    if date_line or (sentence.places and words <= _HEADING_WORDS):
        return _DateRef(first.extra[0], first.key)
    if (
        words <= _HEADING_WORDS
        and not sentence.places
        and _AS_OF_RE.search(text, sentence.start, first.start) is not None
    ):
        # "Что имеем по состоянию на утро субботы.", "As of Saturday morning, this is
        # the picture.": what follows is told as of that day
        return _DateRef(first.extra[0], first.key)
    if _numbered(text, sentence.start) and words <= _CAPTION_HEADING_WORDS:
        # a gallery's numbered caption with its day and no claim ("1. The Russian naval
        # facility at Tartus, Syria, on 22 January 2025.", "2. A closer view of the same
        # pier on 22 January.")
        return _DateRef(first.extra[0], first.key)
    if (
        sentence.imagery
        and words <= _HEADING_WORDS
        and (
            _opens_short_paragraph(text, sentence)
            or _THREAD_NUMBER_RE.match(text, sentence.start) is not None
        )
    ):
        # a post's opening line of the pictures it goes through ("Разбираем снимки от 20
        # декабря.", "1/ New optical imagery of Hmeimim from yesterday (Jan 8)."): what
        # follows is told as seen on them
        return _DateRef(first.extra[0], first.key)
    return None


# the most words of a post's opening paragraph that names its pictures ("Разобрал
# снимки за 12 декабря, то есть за вчера. Коротко, без паники.")
_INTRO_WORDS = 16


def _opens_short_paragraph(text: str, sentence: _Sentence) -> bool:
    """Whether ``sentence`` opens a short paragraph of its own (blank lines or the text's
    ends around it, at most :data:`_INTRO_WORDS` words in all)."""
    before = text[: sentence.start].rstrip(" \t")
    if before and not before.endswith("\n"):
        return False
    end = text.find("\n", sentence.end)
    end = len(text) if end < 0 else end
    return len(WORD_RE.findall(text, sentence.start, end)) <= _INTRO_WORDS


# a day named by the one before it ("later that afternoon", "the same day")
_SAME_DAY_RE = re.compile(
    r"\b(?:(?:that|the\s+same)\s+(?:day|morning|afternoon|evening|night)"
    + "".join(f"|{p}" for p in _LEX.same_day)
    + r")\b",
    re.IGNORECASE,
)
# the pictures told of before ("the same images show", "sur les mêmes images"): what
# they show is of the day those pictures were taken, whatever the sentence's time stamp
_SAME_IMAGES_RE = re.compile(
    r"\bthe\s+same\s+(?:(?:set|series|batch)\s+of\s+)?(?:satellite\s+)?(?:images?|pictures?|photos?|photographs?|imagery"
    r"|frames?|shots?|captures?|scenes?)\b"
    # a caption's or a post's label: "Tartus, same date:", "Hmeimim, same day, eastern
    # dispersal area", "(same day)": the pass told before
    r"|(?:^|[,(]\s*)same\s+(?:day|date)\b"
    # "At Tartus the picture is similar: ...": what the same pictures show of another site
    r"|\bthe\s+picture\s+is\s+(?:similar|much\s+the\s+same)\b|\ba\s+similar\s+picture\b"
    # "according to the images": the pictures told of before (no date or source of their own)
    r"|\baccording\s+to\s+(?:the|these|those)\s+(?:satellite\s+)?(?:images?|imagery|pictures?"
    r"|photos?|photographs?)\b(?!\s+(?:of|from|taken|dated|published|released)\b)"
    + "|"
    + _words_alternation(_LEX.same_images),
    re.IGNORECASE,
)


def _site_word_re(nouns: str) -> re.Pattern[str]:
    """ "The", "that" or "this", at most one word, and one of ``nouns``."""
    return re.compile(rf"\b(?:the|that|this)\s+(?:[a-z-]+\s+)?(?:{nouns})\b", re.I)


# "the base" and "the port" name a kind of site: after a sentence about a town they are
# the monitored site of that kind the account named last
_BASE_WORD_RE = _site_word_re(r"air\s*base|airbase|base|airfield")
# "the air base" itself, not a base of any kind
_AIR_BASE_WORD_RE = _site_word_re(r"air\s*base|airbase|airfield")
_PORT_WORD_RE = _site_word_re(r"port|harbou?r|naval\s+base|naval\s+facility")


def _referred_site(text: str, clause: tuple[int, int], previous: _Ctx) -> str | None:
    """The site a clause without a place of its own is about: the previous sentence's;
    but "the port" after a sentence about another kind of place is the port the
    account named last, and "the base" after a sentence about a town the air base."""
    site = previous.site
    if site is None:
        return site
    here = place(site)
    if here.kind != "port" and "port" in previous.monitored and _PORT_WORD_RE.search(text, *clause):
        return previous.monitored["port"]
    if "airbase" in previous.monitored and (
        (not here.monitored and _BASE_WORD_RE.search(text, *clause))
        # "the air base" after a sentence about the port: the air base named last
        or (here.kind == "port" and _AIR_BASE_WORD_RE.search(text, *clause))
    ):
        return previous.monitored["airbase"]
    return site


# the kind of monitored site each category of objects can stand at
_SITE_KIND_OF = {"vessel": "port", "aircraft": "airbase", "helicopter": "airbase"}


def _at_a_site_of_their_kind(
    claims: Sequence[Claim], sentence: _Sentence, previous: _Ctx
) -> list[Claim]:
    """``claims`` with ships at a port and aircraft at an air base: one placed at a
    monitored site of the other kind ("Ρωσικά αεροσκάφη και πλοία εγκαταλείπουν
    Χμεϊμίμ και Ταρτούς") is at the site of its kind the sentence names, else the one
    the account named last, else no claim."""
    out: list[Claim] = []
    for c in claims:
        want = _SITE_KIND_OF.get(c.category)
        here = place(c.site)
        if want is None or not here.monitored or here.kind == want:
            out.append(c)
            continue
        named = [p.key for p in sentence.places if place(p.key).monitored]
        other = next((k for k in named if place(k).kind == want), previous.monitored.get(want))
        if other is not None:
            out.append(replace(c, site=other, site_span=None, site_inherited=True, zone_kind=None))
    return out


def _landlocked(site: str, mention: _Span) -> bool:
    """Ships are not carried over to an air base (a discourse about Hmeimim that turns
    to "a fleet of transport ships" speaks of somewhere else)."""
    return place(site).kind == "airbase" and equipment_type(mention.key).category == "vessel"


def _aircraft_at_a_port(site: str, mention: _Span) -> bool:
    """Aircraft are not carried over to a port: a discourse about Tartus that turns to
    "two Il-76s" speaks of the air base (:func:`_landlocked`'s counterpart)."""
    return place(site).kind == "port" and equipment_type(mention.key).category == "aircraft"


def _on_the_road(mention: _Span, action: str) -> bool:
    """Vehicles on the move are on roads, not at the site the discourse is about."""
    return action == "moving" and equipment_type(mention.key).category == "vehicle"


# a sentence opening an account of its own: attributed to a source that is no imagery
# ("According to Naval News, the base was home to ..."), or showing pictures of its
# own without a date ("Satellite image shows ..."): no earlier date carries into it
_NEW_SOURCE_RE = re.compile(r"\W*according\s+to\s+(?P<who>[^,.;]{1,60}),", re.IGNORECASE)
_IMAGERY_WORDS_RE = re.compile(
    r"satellite|imag|photo|picture|maxar|planet|blacksky|airbus", re.IGNORECASE
)
_OWN_PICTURES_RE = re.compile(
    r"\W*(?:an?\s+|new\s+|recent\s+|latest\s+)?(?:(?:satellite|commercial|"
    r"high-resolution|aerial)\s+)*(?:image|images|imagery|photos?|photographs?|pictures?)"
    r"\s+(?:\w+\s+){0,2}?(?:shows?|showed|reveals?|revealed|indicates?|suggests?|captured?)\b",
    re.IGNORECASE,
)


def _new_account(text: str, start: int, end: int) -> bool:
    """Whether the sentence opens an account of its own (see ``_NEW_SOURCE_RE``)."""
    m = _NEW_SOURCE_RE.match(text, start, end)
    if m is not None and not _IMAGERY_WORDS_RE.search(m.group("who")):
        return True
    return bool(_OWN_PICTURES_RE.match(text, start, end))


# an imagery company quoted ("..., Maxar said")
_PROVIDER_SAID_RE = re.compile(
    r"\b(?:maxar|planet(?:\s+labs)?|blacksky|airbus|capella|umbra|iceye)\b[^.]{0,40}?"
    r"\b(?:said|says|wrote|noted|told)\b|\b(?:said|says|noted|wrote)\s+(?:\w+\s+){0,2}?"
    r"(?:maxar|planet|blacksky|airbus|capella|umbra|iceye)\b",
    re.IGNORECASE,
)


# a post's or a list item's number before its label ("2/ ", "3. ", "4) ")
_ITEM_NUMBER_RE = re.compile(r"\s*(?:\d{1,2}\s*[/.)]\s*)?")


def _labelled_day(text: str, sentence: _Sentence) -> bool:
    """Whether ``sentence`` opens with a site and a day as its label ("2/ Hmeimim, 8 Jan:
    I count ...", "1. Хмеймим, 23.12."): a thread's or a list's account of the pictures
    of that day, a pass of imagery as much as one told with the word."""
    if not sentence.places or not sentence.dates:
        return False
    site, day = sentence.places[0], sentence.dates[0]
    opening = _ITEM_NUMBER_RE.match(text, sentence.start)
    return (
        opening is not None
        and opening.end() == site.start
        and place(site.key).monitored
        and re.fullmatch(r",\s*", text[site.end : day.start]) is not None
        and re.match(r"\s*[:.]", text[day.end : day.end + 3]) is not None
    )


def _pass_order(seen: _ImageryPass) -> int:
    return seen.sentence


def _since_until_imagery(date: _ClaimDate, seen: _ImageryPass | None) -> _ClaimDate:
    """ "Unchanged since the December 10 pictures": a state since a date holds up to the
    pass of imagery the account told last (over the site, else any), where there is one
    (else up to publication)."""
    span = date.span
    if span is None or date.days is None or len(span.extra) < 2 or span.extra[1] != "since":
        return date
    if seen is None or not date.days[0] <= seen.date.days[1] < date.days[1]:
        return date
    return replace(date, days=(date.days[0], seen.date.days[1]))


def _until_publication(date: _ClaimDate, published: dt.date | None) -> _ClaimDate:
    """ "Seen there on 12 Dec, now gone": an absence dated before publication means the
    object left between that date and publication."""
    if date.days is None or published is None or not date.days[1] < published:
        return date
    return replace(date, days=(date.days[0], published))


def _told_next(
    report: Report,
    sentence: _Sentence,
    made: Sequence[Claim],
    imagery: dict[str, _ImageryPass],
    previous_site: str | None = None,
) -> _Ctx:
    """What the next sentence can refer back to: the site of this sentence's last claim
    (else the place it is about) and the dates of its claims and places. A dated pass
    of imagery over a site is kept in ``imagery``: it dates the observations that
    follow it."""
    told = _Ctx()
    own_only = {(d.start, d.end) for d in sentence.dates if d.extra[1:] in (("month",), ("back",))}
    mentioned: set[tuple[tuple[int, int], str]] = set()
    for c in made:
        if (c.equipment_span, c.site) in mentioned:
            # a second claim of one mention at one site is of its aside's day ("the
            # Su-24M we saw on 12 Jan are gone"): the account's day is the first's
            continue
        mentioned.add((c.equipment_span, c.site))
        if c.date_from is None or c.date_to is None:
            continue
        told.then[c.site] = _DateRef((c.date_from, c.date_to), c.date_text or "")
        if c.date_span in own_only:
            continue
        if c.date_from < c.date_to and c.date_to == report.published:
            continue  # "since 10 Dec", "seen on 12 Dec, now gone": no date of an account
        told.dates[c.site] = _DateRef((c.date_from, c.date_to), c.date_text or "")
    if made:
        told.site = made[-1].site
    else:
        focus = _focus(sentence.places)
        if focus is None:
            # a sentence that names a monitored site only to locate something else ("The
            # road between Jableh and Hmeimim, 20 January.") still turns the account there
            focus = next((p for p in sentence.places if place(p.key).monitored), None)
        told.site = focus.key if focus is not None else None
    if told.site is not None and place(told.site).kind == "capital":
        # "Talks with Damascus are continuing.": the account goes on about the site it was
        told.site = previous_site
    for d in sentence.dates:
        if d.extra[0] is None or d.extra[1:] in (("since",), ("month",), ("back",)):
            continue  # a state since a date, a part of a month, a day back: nothing after
        for p in sentence.places:
            told.dates.setdefault(p.key, _DateRef(d.extra[0], d.key))
    resolved = [
        d
        for d in sentence.dates
        # "not seen in any image since 2 January": no pass of imagery on those days
        if d.extra[0] is not None and d.extra[1:] not in (("month",), ("back",), ("since",))
    ]
    if resolved and (sentence.imagery or _labelled_day(report.text, sentence)):
        first = _first_date(report.text, resolved, pictures=True)
        about = {p.key for p in sentence.places} | {c.site for c in made}
        # a pass over no site named ("a review of satellite images of 19 February (1/6)")
        # is of whichever site the account goes on to (key "")
        for key in about or ({previous_site} if previous_site else {_ANY_SITE}):
            imagery[key] = _ImageryPass(_DateRef(first.extra[0], first.key), sentence.index)
    elif sentence.imagery and not made and imagery and (sentence.same_images or sentence.same_day):
        # "Знімки Тартуса того ж дня показують ...": pictures of another site on the day
        # of the pictures told last
        latest = max(imagery.values(), key=_pass_order)
        for key in {p.key for p in sentence.places}:
            imagery[key] = _ImageryPass(latest.date, sentence.index)
    return told


# a label and a colon opening a caption's list, with no verb before the list ("Main
# apron: 6x Su-24, ...", "Sur le tarmac principal : deux Il-76, ...")
# (the label may hold the day the list is of: "Hmeimim, Jan. 10: 2x An-124, 4x Il-76",
# and open with a bracketed tag: "[Image 1] Hmeimim air base, 18 February 2025: ...")
_LABEL_LIST_RE = re.compile(
    r"\s*(?:[\[(][^\])]{1,20}[\])]\s*)?(?:\d+/\s*)?[^\W\d_][^:!?;—–]{0,40}?"
    r"(?P<sep>\s?:|\s[—–])\s[^:.!?;]*$"
)
# the count opening an item of such a list ("6x ", "deux ", "12 ")
_LIST_COUNT_RE = re.compile(
    r"(?:^|[:,;—–]|\s(?:" + "|".join(("and", *_LEX.and_words, "و")) + r"))"
    r"\s*(?P<n>\d+\s*[x×]?|[^\W\d_]+(?:['’][^\W\d_]+)?)\s*$"
)


def _caption_list_item(text: str, sentence: _Sentence, mention: _Span) -> bool:
    """Whether ``mention`` is a counted item of a caption's list after a label and a
    colon or a dash ("Main apron: 6x Su-24, 4x Su-34.", "На стоянках — три Іл-76"); not
    a speaker's name in a transcript ("PRESENTER: ..."), nor a question."""
    if text[sentence.start : sentence.end].rstrip().endswith("?"):
        return False
    label = _LABEL_LIST_RE.match(text, sentence.start, mention.start)
    if _POSTPOSED_COUNT_RE.match(text, mention.end) and (
        label is not None or _ITEM_NUMBER_RE.fullmatch(text, sentence.start, mention.start)
    ):
        return True  # an item counted after its type ("Ил-76 — 2, один из них на ВПП.")
    if label is None:
        return False
    head = text[label.start() : label.start("sep")].strip(" /0123456789")
    if not head or head.isupper():
        return False
    count = _LIST_COUNT_RE.search(text, label.start(), mention.start)
    if count is not None and (
        count.group("n")[0].isdigit() or count.group("n").casefold() in _LEX.numbers
    ):
        return True
    # "Рядом с ним на якоре — большой десантный корабль «Иван Грен»": a label telling
    # a presence, then the object
    return any(
        a.key == "stationed"
        for a in _actions(text, label.start(), label.start("sep"), sentence.vocab)
    )


# the words opening a relative clause, English's and the lexicons' ("qui", "который"),
# and those that do so only after a comma (German "die" is also an article)
_RELATIVE_PRONOUN_WORDS = ("that", "which", "who", *_LEX.relative_pronouns)
_RELATIVE_PRONOUNS = "|".join(_RELATIVE_PRONOUN_WORDS)
_RELATIVES_AFTER_COMMA = "|".join(_LEX.relatives_after_comma or ("(?!)",))
# a comma and a relative pronoun ("..., które obsługują połączenia z Tartusem"), not
# one of those that also open a clause told ("that", "que", "που": "confirmar, con
# imágenes de esta mañana, que en el puerto de Tartus ya no queda ...")
_TELLING_PRONOUNS = frozenset({"that", "que", "που"})
_COMMA_RELATIVE_RE = re.compile(
    r",\s*(?:"
    + "|".join(p for p in _RELATIVE_PRONOUN_WORDS if p not in _TELLING_PRONOUNS)
    + r")\b",
    re.IGNORECASE,
)


def _in_a_relative_clause(text: str, start: int, place: _Span, actions: Sequence[_Span]) -> bool:
    """Whether ``place`` is told in a relative clause opened by a comma after ``start``
    with no verb of action between its pronoun and the place: a place the objects deal
    with ("kilka śmigłowców Mi-8, które obsługują połączenia z Tartusem"), not where they
    are."""
    opener = None
    for m in _COMMA_RELATIVE_RE.finditer(text, start, place.start):
        opener = m
    if opener is None or re.search(r"[,;:()]", text[opener.end() : place.start]):
        return False  # no relative clause, or one closed before the place
    return not any(opener.end() <= a.start < place.start for a in actions)


# a relative clause or aside right after the noun, up to a date inside it ("the radar
# that stood there in early December", ", last seen anchored off the port on 29 Dec")
# (a ship's name's closing quote may stand between: "фрегат «Адмирал Головко», который")
_ASIDE_LEAD = re.compile(
    r"[»“”\"’']?\s*(?:,\s*|\s)(?:"
    + "|".join(
        (
            _RELATIVE_PRONOUNS,
            r"(?:last|first)\s+seen",
            # an English contact clause: "the four Su-24M we saw on 12 Jan are gone"
            r"(?:we|I|they|he|she)\s+(?:had\s+)?(?:saw|seen|spotted|counted|photographed)",
        )
    )
    + r")\b[^;:.()]*"
    r"|\s*,\s*(?:" + _RELATIVES_AFTER_COMMA + r")\s[^;:.()]*",
    re.IGNORECASE,
)
# a relative clause opening right after a noun (", die", " that", " які")
_RELATIVE_OPEN_RE = re.compile(
    r"[»“”\"’']?\s*(?:,\s*|\s)(?:" + _RELATIVE_PRONOUNS + r")\b"
    r"|[»“”\"’']?\s*,\s*(?:" + _RELATIVES_AFTER_COMMA + r")\s",
    re.IGNORECASE,
)
# a comma right before the verb of an aside (a participle: "..., стоявших там")
_PARTICIPLE_ASIDE_RE = re.compile(r"[»“”\"’']?\s*,\s*")
# the opening of an aside between commas right after a noun
_COMMA_ASIDE_RE = re.compile(r"[»“”\"’']?\s*,\s*(?=[^,;:.()]+,)")
# a relative pronoun anywhere in an aside ("..., ageing bombers that were ...,")
_RELATIVE_WORD_RE = re.compile(r"\b(?:" + _RELATIVE_PRONOUNS + r")\b", re.IGNORECASE)
# a comma and the words naming a source ("..., according to images taken on Monday"):
# what follows is no longer the aside's
_ATTRIBUTED_RE = re.compile(r",\s*" + _words_alternation(_LEX.reported), re.IGNORECASE)
# ... or any aside between commas right after the noun, where it has a verb of its own
# (", стоявшие там ещё в середине декабря, исчезли")
_COMMA_ASIDE_LEAD = re.compile(r"[»“”\"’']?\s*,\s*[^,;:.()]*")
# ... and its end before the clause's own verb: a comma, a dash or an auxiliary
_ASIDE_CLOSE = re.compile(
    r"[^;:.()]*?(?:,|\s[—–-]|\s(?:is|are|was|were|has|have|had)(?![\w-])"
    # the lexicons' auxiliaries ("les frégates qui ont quitté Tartous lundi sont au mouillage")
    r"|\s(?:" + "|".join(_LEX.auxiliaries or ("(?!)",)) + r")(?![\w-]))",
    re.IGNORECASE,
)


def _since_the_aside(
    text: str,
    act: _Span | None,
    aside: tuple[_Span, int],
    c_end: int,
    published: dt.date | None,
) -> _Span | None:
    """The days from an aside's date to ``published`` where the clause's verb is told
    "since then" ("... has left since then", "... has since left"); None otherwise."""
    told = aside[0].extra[0]
    if act is None or published is None or not told:
        return None
    # (in the verb's own words too: "has not been seen since")
    since = _SINCE_THEN_RE.search(text, act.start, min(c_end, act.end + _SINCE_THEN_REACH))
    if since is None:
        since = _SINCE_THEN_RE.search(text, max(aside[1], act.start - _SINCE_THEN_REACH), act.start)
    if since is None:
        return None
    first = told[0]
    return _Span(
        "date",
        since.start(),
        since.end(),
        since.group(),
        extra=((first, max(first, published)), "since"),
    )


def _in_comma_aside(text: str, mention: _Span, word: re.Match[str], act: _Span | None) -> bool:
    """Whether ``word`` lies in an aside between commas right after ``mention``, closed
    before the clause's verb ``act`` ("Mi-8s, previously parked on the apron, have
    gone": the earlier state is the aside's, the clause's is of the account's day), or
    in a relative clause right after that verb, about what it tells ("The An-124's nose
    is raised, which usually means loading is under way"), or in a relative clause of
    ``mention`` closed before it."""
    if (
        act is not None
        and act.end <= word.start()
        and _COMMA_RELATIVE_RE.match(text, act.end, word.start()) is not None
    ):
        return True
    if (
        act is not None
        and mention.end <= word.start()
        and word.end() <= act.start
        and _RELATIVE_OPEN_RE.match(text, mention.end) is not None
    ):
        return True  # "The Il-20 that usually sits near the northern hangars is gone"
    if word.start() < mention.end or not _COMMA_ASIDE_LEAD.fullmatch(
        text, mention.end, word.start()
    ):
        return False
    close = text.find(",", word.end(), act.start if act is not None else word.end())
    return act is not None and act.start > word.end() and close >= 0


def _aside(
    text: str,
    mention: _Span,
    act: _Span | None,
    date: _Span | None,
    c_end: int,
    actions: Sequence[_Span],
) -> int | None:
    """Where an aside right after ``mention`` ends, when ``date`` lies in it: a
    relative clause (an English contact clause too: "the Su-24M we saw on 12 Jan") or a
    comma-bounded aside with a verb of its own (before a departure, a sighting or a
    relative clause will do: "encore visibles fin décembre"), closed before the clause's
    own verb (``act``), or running to the clause's end after a verb told before the noun
    ("parkt eine An-124, die ... am Montag aus Moskau kam"). None where the date is the
    clause's, or a state "since" it goes on into the clause's state (not into a change:
    "which had been docked since November, left on Monday")."""
    if date is None or date.start < mention.end:
        return None
    if (
        "since" in date.extra[1:]
        and (act is None or act.key == "stationed")
        # "..., который ... загружают с понедельника": the aside's own verb lasts since
        and not any(
            mention.end <= b.start < date.start and b is not act and b.key != "stationed"
            for b in actions
        )
    ):
        return None
    if act is not None and date.end <= act.start:
        # the aside closes before the verb, or before the auxiliary opening it ("... on
        # Monday had gone"), or at the verb where it has one of its own ("the corvettes
        # that sailed out on 10 December returned on 6 January")
        close = _ASIDE_CLOSE.match(text, date.end, act.end)
        end = min(close.end(), act.start) if close is not None else None
        if end is None and any(
            mention.end <= b.start and b.end <= act.start and b is not act for b in actions
        ):
            end = act.start
    elif act is None or act.end <= mention.start:
        end = c_end
    else:
        return None
    attributed = _ATTRIBUTED_RE.search(text, mention.end, date.start)
    if end is None or (
        attributed is not None
        # "..., которое, по данным сервисов отслеживания судов, пришло в порт в
        # пятницу": a verb after the source is the aside's own, dated by it
        and not any(attributed.end() <= b.start < date.start and b is not act for b in actions)
    ):
        # "... las baterías Pantsir que mantenía en la base, según imágenes tomadas el
        # lunes": the source's day, after the aside, is the clause's
        return None
    if _ASIDE_LEAD.fullmatch(text, mention.end, date.start):
        return end
    if _COMMA_ASIDE_LEAD.fullmatch(text, mention.end, date.start) and (
        any(mention.end <= b.start < end and b is not act for b in actions)
        # "Les Su-24, encore visibles à la mi-décembre ..., ont disparu", "The Su-24s,
        # ageing bombers that were the backbone of the campaign in 2015, have ...": a
        # sighting or a relative clause of the aside's own
        or (
            act is not None
            and act.key == "departing"
            and (
                _OBS_RE.search(text, mention.end, end) is not None
                or _RELATIVE_WORD_RE.search(text, mention.end, date.start) is not None
            )
        )
    ):
        return end
    return None


# what joins two nouns of one list ("Ka-52 und Mi-24", "the frigate and the submarine")
# (an article of up to three letters and a word, a number or an adjective, may open the
# next noun: "and the two corvettes", "and the three corvettes")
_CONJUNCT_GAP_RE = re.compile(
    r"\s*(?:,\s*)?(?:" + _AND_RE.pattern + r")\s*(?:[^\W\d_]{1,3}\s+)?(?:[^\W\d_]+\s+)?",
    re.IGNORECASE,
)


# a ship's name after its class noun, up to the comma of an aside after it
_TRAILING_NAME_RE = re.compile(
    r"\s+[«\"“„]?[^\W\d_][\w-]*(?:\s+(?:[^\W\d_][\w-]*|[IVX]+|\d))?[»\"”“]?(?=\s*,)"
)


def _outside_conjuncts_relative(
    text: str, actions: Sequence[_Span], mention: _Span, others: Sequence[_Span]
) -> Sequence[_Span]:
    """``actions`` but those of a relative clause after the last noun joined to
    ``mention`` by "and", where the clause has a verb of its own before it ("На рейді
    стоять фрегат і підводний човен, які вийшли з порту 3 січня": the frigate stands
    there; the relative clause is an aside of both, told by :func:`_aside`)."""
    group = _with_conjuncts(text, mention, others)
    relative = _RELATIVE_OPEN_RE.match(text, group.end) if group.end > mention.end else None
    if relative is None:
        return actions
    own = [a for a in actions if a.start < relative.start()]
    return own or actions


def _with_conjuncts(text: str, mention: _Span, others: Sequence[_Span]) -> _Span:
    """``mention`` reaching to the end of the last noun joined to it by "and"."""
    end = mention.end
    for o in sorted(others, key=lambda o: o.start):
        if o.start >= end and _CONJUNCT_GAP_RE.fullmatch(text, end, o.start):
            end = o.end
    name = _TRAILING_NAME_RE.match(text, end)
    if name is not None and name.group().lstrip(' \t\n«"“„')[:1].isupper():
        end = name.end()  # "the submarine Novorossiysk, both photographed ..."
    return mention if end == mention.end else replace(mention, end=end)


# the longest span of days an aside's date may cover to be the day of a sighting (a
# month: "in December"; not "in 2015")
_OBSERVATION_DAYS = 31


def _observation_day(date: _Span) -> bool:
    """Whether ``date`` is a day, a few days or a month, not a year or longer."""
    days: tuple[dt.date, dt.date] | None = date.extra[0] if date.extra else None
    return days is not None and (days[1] - days[0]).days < _OBSERVATION_DAYS


_WHERE_RE = _words_re(_LEX.where_words)
# how far before a noun the "where" of its relative clause may be
_WHERE_REACH = 48


# a comma and "where" (a word may stand between: "allí donde") opening a clause about a
# place named before it (", куда они вышли": how the objects came there)
_COMMA_WHERE_RE = re.compile(
    r"[,،]\s*(?:[^\W\d_]+\s+)?(?:" + "|".join(_LEX.where_words or ("(?!)",)) + r")(?![\w-])",
    re.IGNORECASE,
)


def _earlier_where(text: str, start: int, mention: _Span, act: _Span | None) -> bool:
    """Whether ``mention`` is told in a clause about a place opened by a comma and
    "where", as the place's earlier state ("..., where frigates were previously lined
    up", "..., allí donde antes se alineaban fragatas")."""
    opening = next(reversed(list(_COMMA_WHERE_RE.finditer(text, start, mention.start))), None)
    if opening is None:
        return False
    end = max(mention.end, act.end if act is not None else mention.end)
    return _EARLIER_RE.search(text, opening.end(), end) is not None


def _where_clause(
    text: str, mention: _Span, clause: tuple[int, int], vocab: _Vocab, dates: Sequence[_Span]
) -> tuple[_Span, int, int] | None:
    """A relative clause about a place ("where ..."), holding ``mention`` and one of
    ``dates``, in a clause that says the place is empty outside it: that date and the
    relative clause's span; None otherwise."""
    c_start, c_end = clause
    opener = None
    for m in _WHERE_RE.finditer(text, max(c_start, mention.start - _WHERE_REACH), mention.start):
        opener = m
    if opener is None or re.search(r"[.;:!?]", text[opener.end() : mention.start]):
        return None
    empty = [m.start() for m in _absence_words(text, clause, vocab)]
    close = re.search(r"[,–—]", text[mention.end : c_end])
    end = mention.end + close.start() if close else c_end
    end = min([end, *(e for e in empty if e >= mention.end)])
    if not any(e < opener.start() or e >= end for e in empty):
        return None
    when = next((d for d in dates if opener.start() <= d.start < end), None)
    return None if when is None else (when, opener.start(), end)


def _opens_earlier_state(text: str, noun: _Span) -> bool:
    """Whether a relative clause or a sighting opens right after ``noun`` (", які ще
    7 грудня ...", ", widoczne tam jeszcze ...")."""
    if _RELATIVE_OPEN_RE.match(text, noun.end) is not None:
        return True
    lead = re.match(r"[»“”\"’']?\s*,\s*(?:[\w-]+\s+){0,1}", text[noun.end :])
    return lead is not None and _OBS_RE.match(text, noun.end + lead.end()) is not None


def _absence_outside_relative(
    text: str, mention: _Span, act: _Span | None, clause: tuple[int, int], vocab: _Vocab
) -> _Span | None:
    """The clause's absence where ``act``, not a departure, is the verb of a relative
    clause right after ``mention``, or where there is no verb: a departure at the word
    of absence outside that relative clause (before the noun, or after the comma
    closing it); ``act`` where there is none."""
    if act is not None and (act.key == "departing" or act.start < mention.end):
        return act
    opening = _RELATIVE_OPEN_RE.match(text, mention.end)
    if opening is None and act is not None:
        # "не видно истребителей Су-35, стоявших там ещё 8 декабря": a participle
        # right after the comma opens the aside
        opening = _PARTICIPLE_ASIDE_RE.fullmatch(text, mention.end, act.start)
    if opening is None and act is None:
        # "The Su-24s, ageing bombers that ... in 2015, have not been seen": an aside
        # between commas before the verb of absence
        opening = _COMMA_ASIDE_RE.match(text, mention.end)
    if opening is None or (act is not None and re.search(r"[;:()]", text[mention.end : act.start])):
        return act
    after = act.end if act is not None else opening.end()
    close = re.search(r"[,–—]", text[after : clause[1]])
    end = after + close.start() if close else clause[1]
    if close is None and act is not None:
        # no comma closes it ("les frégates qui mouillaient au large le 10 décembre
        # n'étaient plus visibles dimanche"): it ends where an absence after its verb
        # begins
        end = min((m.start() for m in _absence_words(text, (after, end), vocab)), default=end)
    relative = (mention.end, end)
    for m in _absence_words(text, clause, vocab):
        if not relative[0] <= m.start() < relative[1] and not (
            mention.start <= m.start() < mention.end
        ):
            return _Span("action", m.start(), m.end(), "departing", _STRONG_ACTION, "at")
    return act


def _outside_an_earlier_aside(
    text: str,
    mention: _Span,
    act: _Span | None,
    date: _Span | None,
    others: Sequence[_Span],
    dates: Sequence[_Span],
    c_end: int,
    actions: Sequence[_Span],
) -> _Span | None:
    """``date``, the clause's, but where it lies in an aside of an earlier noun that
    closes before ``mention`` ("two of the warships that left the port in mid-December -
    a frigate and a submarine - were still anchored offshore": the frigate's day is the
    clause's outside that aside, else none)."""
    if date is None or date.start >= mention.start:
        return date
    for o in others:
        if o.end <= date.start and o.end <= mention.start:
            end = _aside(text, o, act, date, c_end, actions)
            if end is not None and end <= mention.start:
                return _day_outside(dates, o.start, end, c_end)
    return date


def _day_outside(dates: Sequence[_Span], start: int, end: int, c_end: int) -> _Span | None:
    """The clause's day where an aside from ``start`` to ``end`` holds another: the
    first date after the aside in the clause (ending at ``c_end``), else the last one
    told before it in the sentence."""
    return next(
        (d for d in dates if end <= d.start < c_end),
        next((d for d in reversed(dates) if d.end <= start), None),
    )


def _absence_words(text: str, clause: tuple[int, int], vocab: _Vocab) -> Iterator[re.Match[str]]:
    """The words of ``clause`` that tell an absence: empty words, absences, then
    negations, each in text order."""
    for rx in (vocab.empty, vocab.absence, vocab.negation):
        yield from rx.finditer(text, clause[0], clause[1])


# one word between a noun and its own participle ("camions militaires garés"), not a
# short word of grammar ("для", "to")
_ONE_WORD_GAP_RE = re.compile(r"\s+[^\W\d_][\w-]{3,}\s+")
# what may stand between a noun and its own verb: up to two words ("system being")
_OWN_VERB_GAP_RE = re.compile(r"\s*(?:[^\W\d_][\w-]*\s+){0,2}")
# "whose" and up to three words after a noun, before what it has
_WHOSE_RE = re.compile(r"\s+whose\s+(?:[^\W\d_][\w-]*\s+){0,3}", re.IGNORECASE)
# words of a noun's own before a comma, opening with a word (not a list's comma)
_OWN_WORDS_RE = re.compile(r"\s+[^\W\d_][^,;:.]*,")
# ... telling where it stands ("on the apron", "at the pier")
_OWN_PLACE_RE = re.compile(
    r"\s+(?:still\s+)?(?:(?:on|at|in|by|near|beside|next\s+to|along(?:side)?)\s+|alongside\b)"
    r"[^,;:.]*"
)


def _later_noun_s_verb(text: str, equip: _Span, a: _Span, later: Sequence[_Span]) -> bool:
    """Whether action ``a`` follows a later noun closely, that noun set apart from
    ``equip`` by a comma after words of ``equip``'s own."""
    if a.start < equip.end:
        return False
    own = _OWN_WORDS_RE.match(text, equip.end)
    return own is not None and any(
        own.end() <= o.start
        and o.end <= a.start
        and _OWN_VERB_GAP_RE.fullmatch(text, o.end, a.start) is not None
        for o in later
    )


# what may stand between a later noun and a word of its own after it (a word: "un
# helicóptero Mi-8 ahora desmontado") and before it (none: "dwa rozmontowane śmigłowce")
_WORD_AFTER_GAP_RE = re.compile(r"\s*(?:[^\W\d_][\w-]*\s+)?")
_NO_WORD_GAP_RE = re.compile(r"\s*")


def _bare_conjunct(text: str, equip: _Span, other: _Span) -> bool:
    """Whether ``other`` follows ``equip`` with only "and" between and no number or
    article of its own ("Ka-52 și Mi-28", "Ka-52 and Mi-24 helicopters")."""
    gap = text[equip.end : other.start]
    join = _AND_RE.search(gap)
    return join is not None and not gap[: join.start()].strip() and not gap[join.end() :].strip()


def _later_noun_s_with(text: str, a: _Span, later: Sequence[_Span]) -> bool:
    """Whether action ``a`` is what a later noun has, told "with" right after it ("mehrere
    Su-35 sowie eine Il-76 mit geöffneter Heckrampe"), or a longer "with" phrase up to a
    comma and the verb after it ("oraz jeden An-124 z podniesioną częścią nosową, gotowy
    do załadunku"); not where "their" may be of several nouns, nor across an "and"."""
    return any(
        o.end <= a.start
        and (
            _ATTRIBUTE_GAP_RE.fullmatch(text, o.end, a.start) is not None
            or (
                _WITH_PHRASE_RE.fullmatch(text, o.end, a.start) is not None
                and "," in text[o.end : a.start]
            )
        )
        and _SHARED_OWNER_RE.search(text, o.end, a.start) is None
        and _AND_RE.search(text, o.end, a.start) is None
        for o in later
    )


def _later_noun_s_attribute(text: str, equip: _Span, a: _Span, later: Sequence[_Span]) -> bool:
    """Whether action ``a`` is a word of a later noun joined by "and" to ``equip``'s own
    words ("dos Il-76 en la pista y un helicóptero Mi-8 desmontado"): right after that
    noun, or between the "and" and it. A list with nothing of ``equip``'s own before the
    "and" but a name ("two Ka-52 and a Mi-24 dismantled", "El submarino Novorosíisk y la
    fragata ... zarparon") shares its words."""
    for o in later:
        if o.start < equip.end:
            continue
        joins = list(_AND_ALSO_RE.finditer(text, equip.end, o.start))
        if not joins or not any(
            not w[:1].isupper() for w in WORD_RE.findall(text, equip.end, joins[-1].start())
        ):
            continue  # no "and", or nothing of equip's own before it but a name
        mid_end = max(
            (m.end for m in later if m is not o and equip.end < m.start < o.start), default=None
        )
        if mid_end is not None and (
            joins[-1].start() < mid_end
            or not any(
                not w[:1].isupper() for w in WORD_RE.findall(text, mid_end, joins[-1].start())
            )
        ):
            # another noun between: a longer list, sharing its words unless the noun
            # before the "and" has words of its own ("два Ан-124 і три Іл-76 на пероні,
            # а також кілька демонтованих гелікоптерів Мі-24")
            continue
        after = a.start >= o.end and _WORD_AFTER_GAP_RE.fullmatch(text, o.end, a.start) is not None
        before = (
            joins[-1].end() <= a.start
            and a.end <= o.start
            and _NO_WORD_GAP_RE.fullmatch(text, a.end, o.start) is not None
        )
        if after or before:
            return True
    return False


# an action told as an attribute of the noun before it ("an An-124 with its nose cone
# raised and three Il-76s"): the Il-76s are not being loaded
_ATTRIBUTE_LOOKBACK = 32


def _owner_res(owners: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ "With" and one of ``owners`` before an action ("with its ramp down"), and an
    action whose words open with them ("with their noses open")."""
    return (
        re.compile(rf"\bwith\s+(?:{owners})\s+(?:[\w-]+\s+){{0,2}}$", re.I),
        re.compile(rf"with\s+(?:{owners})\b", re.I),
    )


# of one owner or several ("their" may be of both nouns before it)
_ANY_OWNER_RES = _owner_res("its|their|her|his")
_ONE_OWNER_RES = _owner_res("its|her|his")


def _is_attribute(text: str, action: _Span, owner: tuple[re.Pattern[str], re.Pattern[str]]) -> bool:
    """Whether ``action`` is told as an attribute with an owner of ``owner``
    (:func:`_owner_res`)."""
    lead, opening = owner
    return (
        lead.search(text, max(0, action.start - _ATTRIBUTE_LOOKBACK), action.start) is not None
        or opening.match(text, action.start, action.end) is not None
    )


# the words between a noun and the verb of a relative clause about it ("that left")
_RELATIVE_LEAD = re.compile(
    r"[»“”\"’']?\s*,?\s*(?:" + _RELATIVE_PRONOUNS + r")(?:\s*,)?\s+(?:[\w-]+(?:\s*,)?\s+){0,2}$",
    re.IGNORECASE,
)
# ... with an aside between commas after the pronoun ("», которое, по данным сервисов
# отслеживания судов, пришло"), and how far after such a verb its own day may be
_RELATIVE_ASIDE_LEAD = re.compile(
    r"[»“”\"’']?\s*,?\s*(?:" + _RELATIVE_PRONOUNS + r")\s*,[^,;:.]{1,60},\s+"
    r"(?:[\w-]+(?:\s*,)?\s+){0,2}$",
    re.IGNORECASE,
)
_RELATIVE_DAY_REACH = 48


def _day_right_after(action: _Span, dates: Sequence[_Span]) -> bool:
    """Whether a day is told within :data:`_RELATIVE_DAY_REACH` characters after
    ``action`` (a relative clause's verb with a day of its own)."""
    return any(0 <= d.start - action.end <= _RELATIVE_DAY_REACH for d in dates)


# a relative clause between commas right after a noun (", que en diciembre se vieron a
# medio desmontar,")
_RELATIVE_ASIDE_RE = re.compile(
    r"[»“”\"’']?\s*,\s*(?:" + _RELATIVE_PRONOUNS + "|" + _RELATIVES_AFTER_COMMA + r")(?![\w-])"
    r"[^,;:.()]{1,80},",
    re.IGNORECASE,
)
# an action put in the past by an adverb right before it ("previously positioned")
_PAST_STATE_LEAD = re.compile(rf"\b(?:{'|'.join(_LEX.earlier)})\s+$", re.IGNORECASE)
# "with" between a noun and its attribute, in the lexicons' languages ("with its", "с",
# "con la"), and what joins the next noun after the attribute ("и", "junto a")
_WITH_WORDS = "|".join(("with", *_LEX.with_words))
_ATTRIBUTE_GAP_RE = re.compile(r"[\s,]*(?:" + _WITH_WORDS + r")\s+(?:[\w-]+\s+)?", re.IGNORECASE)
# "with" after a noun and the words of its phrase, up to a verb told of the same noun
# after a comma ("z podniesioną częścią nosową, gotowy do")
_WITH_PHRASE_WORDS = 6
_WITH_PHRASE_RE = re.compile(
    r"[\s,]*(?:" + _WITH_WORDS + rf")\s+(?:[^\W\d_][\w-]*[\s,]+){{0,{_WITH_PHRASE_WORDS}}}",
    re.IGNORECASE,
)
# an owner that may be of several nouns ("with their ramps down")
_SHARED_OWNER_RE = re.compile(r"\btheir\b", re.IGNORECASE)
_ATTRIBUTE_JOIN_RE = re.compile(
    r"[,،]|"
    + _AND_ALSO_RE.pattern
    + "|"
    + _words_alternation((r"next\s+to", "beside", "alongside", *_LEX.beside_words)),
    re.IGNORECASE,
)


def _lead_re(patterns: Sequence[str], words: int) -> re.Pattern[str]:
    """The last of ``patterns`` before a noun, with at most ``words`` words between
    (search it ending at the noun); a pattern ending in an apostrophe ("d'") runs on
    into the next word."""
    return re.compile(
        r"(?<![\w-])(?:" + "|".join(patterns or ("(?!)",)) + r")(?:(?<=['’])|(?![\w-]))"
        rf"\s*(?:[^\W\d_]+\s+){{0,{words}}}$",
        re.IGNORECASE,
    )


# "except" right before an object, a few words between (lexicon ``except_words``)
_EXCEPT_RE = _lead_re(_LEX.except_words, 3)
_EXCEPT_LOOKBACK = 48


# English participles of mooring, which are also the past of arriving ("docked")
_MOORED_RE = re.compile(r"(?:docked|moored|berthed)\b", re.IGNORECASE)


# "together with" right before an object (lexicon ``companion_words``), a few words
# between them ("junto a un buque", "en compagnie d'un sous-marin")
_COMPANION_RE = _lead_re(_LEX.companion_words, 2)
_COMPANION_LOOKBACK = 40


def _with_companion_day(
    text: str, own: list[Claim], before: Sequence[Claim], mention: _Span
) -> list[Claim]:
    """``own``, the claims of an object told "together with" an earlier one, dated as
    that one's claim of the same action and place (the day of the state they share, not
    of an aside between them)."""
    lead = _COMPANION_RE.search(text, max(0, mention.start - _COMPANION_LOOKBACK), mention.start)
    if lead is None:
        return own
    out = []
    for c in own:
        mate = next(
            (
                b
                for b in reversed(before)
                if b.action == c.action and b.site == c.site and b.equipment_span[1] <= lead.start()
            ),
            None,
        )
        out.append(
            c
            if mate is None
            else replace(
                c,
                date_from=mate.date_from,
                date_to=mate.date_to,
                date_text=mate.date_text,
                date_span=mate.date_span,
                date_inherited=mate.date_inherited,
            )
        )
    return out


def _companion_state(
    text: str, actions: Sequence[_Span], mention: _Span, act: _Span | None
) -> _Span | None:
    """The action of an object told "together with" another after the clause's verbs:
    the state the clause ends in, not an earlier event of an aside ("La fragata, que
    abandonó Tartus a mediados de diciembre, sigue fondeada ... junto a un buque de
    desembarco": the landing ship is anchored, not gone); else ``act``."""
    if act is None or any(a.end > mention.start for a in actions):
        return act
    lead = _COMPANION_RE.search(text, max(0, mention.start - _COMPANION_LOOKBACK), mention.start)
    if lead is None:
        return act
    last = max((a for a in actions if a.end <= lead.start()), key=lambda a: a.start, default=None)
    if last is None or last is act or last.key != "stationed":
        return act
    return last


# a comma, a noun of a few words and a relative pronoun after it: a clause of that noun
_APPOSITION_RELATIVE_RE = re.compile(
    r",\s+(?:[^\W\d_][\w-]*\s+){1,4}(?:" + _RELATIVE_PRONOUNS + r")\b", re.IGNORECASE
)
# actions a picture shows under way, which a relative clause after a noun may tell
_SHOWN_WORK_KEYS = frozenset({"dismantling", "loading"})


def _pick_action(
    actions: Sequence[_Span],
    equip: _Span,
    text: str,
    others: Sequence[_Span] = (),
    *,
    seen: bool = False,
    dates: Sequence[_Span] = (),
) -> _Span | None:
    """The action of ``equip`` among a clause's: the highest rank, then the nearest.

    An attribute of an earlier noun ("with its ramp down") is not a later noun's action;
    a word right before a later noun, after a verb of this one's own ("parked ..., and
    dismantled Mi-24s"), is that noun's alone; a word right after ``equip`` ("un An-124
    estacionado") is its own, whatever an earlier noun does; a verb right after a later
    noun that a comma sets apart, or after a later noun's "whose", is that noun's (where
    that leaves none, a place told right after this noun makes it stationed: "two Il-76
    on the apron, one Pantsir system being dismantled"). In what pictures show
    (``seen``), a word right before or after a later noun joined by "and" to this one's
    own words is that noun's ("dos Il-76 en la pista y un helicóptero Mi-8 desmontado",
    "trzy Ił-76 na płycie lotniska oraz dwa rozmontowane śmigłowce Mi-24"); this one
    is then seen there. ``others``: the clause's other equipment mentions."""
    later = [o for o in others if o.start >= equip.end]
    # the actions that are a later noun's verb or (in what pictures show) its word
    verbs = [a for a in actions if _later_noun_s_verb(text, equip, a, later)]
    attributes = [a for a in actions if seen and _later_noun_s_attribute(text, equip, a, later)]
    actions = [
        a
        for a in actions
        if not (a.end <= equip.start and _is_attribute(text, a, _ANY_OWNER_RES))
        and not (
            a.start >= equip.end
            and any(o.start >= a.end and not text[a.end : o.start].strip() for o in later)
            # a verb of this noun's own comes first ("loads vehicles" is its verb)
            and any(equip.end <= b.start and b.end <= a.start for b in actions)
        )
        # an attribute right after an earlier noun, before this one is joined to it
        # ("Ан-124 с поднятой носовой частью и четыре Су-24", "un An-124 con la rampa
        # delantera abierta junto a dos Il-76")
        and not (
            a.end <= equip.start
            and any(
                o.end <= a.start and _ATTRIBUTE_GAP_RE.fullmatch(text, o.end, a.start)
                for o in others
            )
            and _ATTRIBUTE_JOIN_RE.search(text, a.end, equip.start) is not None
        )
        # the verb right after a later noun that a comma sets apart from this one's own
        # words ("two Il-76 on the apron, one Pantsir system being dismantled") is that
        # noun's (not in a list whose verb ends it: "three Il-76s, three An-32s and two
        # S-400 launchers were present")
        and a not in verbs
        and a not in attributes
        # not of a type joined bare to this one ("elicoptere Ka-52 și Mi-28 cu palele
        # demontate": the blades of both)
        and not _later_noun_s_with(
            text, a, [o for o in later if not _bare_conjunct(text, equip, o)]
        )
        # "an Il-76 parked next to an An-124 whose nose cone is raised": the later
        # noun's own attribute
        and not any(
            o.end <= a.start and _WHOSE_RE.match(text, o.end, a.start) is not None for o in later
        )
        # an attribute of the later noun just before it ("two Il-76s and an An-124 with
        # its visor raised"; "their" may be of both)
        and not (
            a.start >= equip.end
            and any(o.end <= a.start for o in later)
            and _is_attribute(text, a, _ONE_OWNER_RES)
        )
        # a relative clause of a noun set after a comma, which reads the facts ("...,
        # una cifra inusualmente alta que, según los analistas, apunta a un puente
        # aéreo de repliegue"): that noun's, not the equipment's
        and not (
            a.key == "withdrawing"
            and a.start >= equip.end
            and _APPOSITION_RELATIVE_RE.search(text, equip.end, a.start) is not None
        )
    ]
    own = next(
        (
            a
            for a in actions
            if a.start >= equip.end
            and (
                not text[equip.end : a.start].strip()
                # "plusieurs camions militaires garés", "شاحنات عسكرية متوقفة": a word
                # of the noun's own between
                or (
                    _ONE_WORD_GAP_RE.fullmatch(text, equip.end, a.start) is not None
                    and _AND_ALSO_RE.search(text, equip.end, a.start) is None
                    and _RELATIVE_LEAD.match(text[equip.end : a.start]) is None
                )
                # in what pictures show, a relative clause right after the noun tells
                # the work shown ("ελικόπτερα Ka-52 που αποσυναρμολογούνται"; not an
                # event before: "two frigates that had left the piers anchored ...")
                or (
                    seen
                    and a.key in _SHOWN_WORK_KEYS
                    and _RELATIVE_LEAD.match(text[equip.end : a.start]) is not None
                    and not _day_right_after(a, dates)
                )
            )
        ),
        None,
    )
    if own is not None and all(
        # an earlier action nearer another noun than this one is that noun's
        (
            a.end <= equip.start
            and any(
                o.end <= equip.start
                and (
                    abs(a.start - o.end) < equip.start - a.end
                    # or told of it before the "and" that joins this one ("un Mi-8 en
                    # cours de démontage et quatre camions garés")
                    or (
                        o.end <= a.start
                        and _AND_ALSO_RE.search(text, o.end, a.start) is None
                        and _AND_ALSO_RE.search(text, a.end, equip.start) is not None
                    )
                )
                for o in others
            )
        )
        # as is one after a later noun ("cuatro Il-76 estacionados en la base y un An-124
        # con la compuerta levantada, listo para cargar")
        or any(own.end <= o.start and o.end <= a.start for o in later)
        for a in actions
        if a is not own and a.score > own.score
    ):
        return own
    # the noun with those joined to it by "and": a relative clause after the last is of
    # them all ("the frigate and the two corvettes that left the port in December")
    group_end = _with_conjuncts(text, equip, others).end
    ends = {equip.end, group_end}
    now = [
        a
        for a in actions
        if not _PAST_STATE_LEAD.search(text, max(0, a.start - 24), a.start)
        and not any(
            a.start >= end
            and (
                _RELATIVE_LEAD.match(text[end : a.start]) is not None
                # a relative clause with a day of its own tells an event of its own
                or (
                    _RELATIVE_ASIDE_LEAD.match(text[end : a.start]) is not None
                    and _day_right_after(a, dates)
                )
            )
            for end in ends
        )
    ]
    # "the launchers previously positioned there have been removed", "the frigate that
    # left the port on 10 Dec is still anchored off Tartus"
    actions = now or actions
    # "Los sistemas S-400, que en diciembre se vieron a medio desmontar, siguen en la
    # base": a relative clause between commas after the noun, its verb after it
    aside = _RELATIVE_ASIDE_RE.match(text, equip.end)
    if aside is not None and any(
        # (not one at a far place: "Okręty, które w grudniu stały przy nabrzeżu w
        # Tartusie, dziś kotwiczą u wybrzeży Libii" tells the site of the aside's verb)
        a.start >= aside.end() and not _at_a_far_place(text, a, len(text))
        for a in actions
    ):
        actions = [a for a in actions if not equip.end <= a.start < aside.end()]
    # "two of the warships that left the port in mid-December - a frigate and a submarine
    # - were still anchored offshore": an earlier noun's relative clause is not this one's
    mine = [
        a
        for a in actions
        if not (
            a.end <= equip.start
            # closed before this noun ("... - a frigate"), not a verb whose object it is
            # ("que empezó a cargar contenedores y vehículos")
            and re.search(r"[,;:–—)]", text[a.end : equip.start]) is not None
            and any(
                o.end <= a.start and _RELATIVE_LEAD.match(text[o.end : a.start]) is not None
                for o in others
            )
        )
    ]
    actions = mine or actions
    # "шесть Су-24 и четыре Су-34, а также вертолеты Ка-52, у которых сняты лопасти": a
    # relative clause of a later noun not joined to this one by "and" is that noun's
    mine = [
        a
        for a in actions
        if not any(
            group_end <= o.start
            and o.end <= a.start
            and _RELATIVE_OPEN_RE.match(text, o.end) is not None
            and not any(o.end <= m.start < a.start for m in later)
            # "einen Konvoi aus mehr als 30 Militärlastwagen, der ... fuhr": the
            # relative clause of what this one is made of is of them both
            and _MADE_OF_RE.fullmatch(text, equip.end, o.start) is None
            for o in later
        )
    ]
    # (in what pictures show, a noun left with no verb is seen there)
    actions = mine if mine or seen else actions
    # "eine Il-76 ist in Hmeimim gelandet, eine zweite ist kurz darauf gestartet": a verb
    # behind a comma that follows its own noun is that noun's, where this one has its own
    # verb after it, before any other noun
    theirs = [
        a
        for a in actions
        if a.end <= equip.start
        and "," in text[a.end : equip.start]
        and any(o.end <= a.start for o in others)
    ]
    if theirs and any(
        a.start >= equip.end and not any(equip.end <= o.start and o.end <= a.start for o in others)
        for a in actions
    ):
        actions = [a for a in actions if a not in theirs]
    if not actions:
        if attributes:
            # "dos Il-76 en la pista y un helicóptero Mi-8 desmontado": seen there
            return _Span("action", equip.start, equip.end, "stationed", _STATIONED.rank, "at")
        if verbs:
            phrase = _OWN_PLACE_RE.match(text, equip.end)
            if phrase is not None:
                # "two Il-76 on the apron, ...": where they are is what they do
                return _Span(
                    "action", phrase.start(), phrase.end(), "stationed", _STATIONED.rank, "at"
                )
        return None
    top = max(a.score for a in actions)
    best = [a for a in actions if a.score == top]
    return min(best, key=lambda a: min(abs(a.start - equip.end), abs(equip.start - a.end)))


# the key of a pass of imagery told with no site (:func:`_told_next`)
_ANY_SITE = ""


def _claim_date(
    clause_date: _Span | None,
    previous: _Ctx,
    site: str,
    carry: bool,
    imagery: Mapping[str, _ImageryPass],
    sentence: int,
    *,
    observed: bool = True,
    speaks_of_imagery: bool = False,
    same_images: bool = False,
    same_day: bool = False,
    in_thread: bool = False,
) -> _ClaimDate:
    """The date of a claim: the clause's own, else (where dates carry) that of a pass
    of imagery over the site a few sentences before (a few more in a numbered thread),
    or of the sentence before, or (for a sentence that speaks of the imagery again) the
    latest pass told before, or that of the dated heading the account is under."""
    reach = _THREAD_CONTEXT_SENTENCES if in_thread else _IMAGERY_CONTEXT_SENTENCES
    if clause_date is not None:
        return _ClaimDate(clause_date, clause_date.extra[0], False)
    if not carry:
        return _ClaimDate()
    # what follows a dated heading is told as seen that day
    observed = observed or previous.heading is not None
    anywhere = imagery.get(_ANY_SITE)
    if anywhere is not None and not in_thread and anywhere.date.days[0] != anywhere.date.days[1]:
        anywhere = None
    latest = max(
        (p for k, p in imagery.items() if k != _ANY_SITE or p is anywhere),
        key=_pass_order,
        default=None,
    )
    if same_day and not same_images:
        # "Im Hafen von Tartus lag am selben Tag ...": the day the sentence before told,
        # of its site or (another site) of its last claim, else the latest pass told
        told = previous.dates.get(site) or next(reversed(previous.dates.values()), None)
        if told is None and latest is not None and 0 < sentence - latest.sentence <= reach:
            told = latest.date
        if told is not None:
            return _ClaimDate(_Span("date", -1, -1, told.text), told.days, True)
    if same_images:
        # "the same images show ...": the latest pass told, of whichever site and however
        # far back, else the day the sentence before told of
        if latest is not None and latest.sentence < sentence:
            return _ClaimDate(_Span("date", -1, -1, latest.date.text), latest.date.days, True)
        told = previous.dates.get(site) or next(iter(previous.dates.values()), None)
        if told is not None:
            return _ClaimDate(_Span("date", -1, -1, told.text), told.days, True)
    # a pass over no site named dates a numbered thread's posts after it (outside a
    # thread, only a pass of one day)
    seen = imagery.get(site) or anywhere
    if seen is not None and seen.sentence == sentence - 1:
        # the pass of imagery the previous sentence told of
        return _ClaimDate(_Span("date", -1, -1, seen.date.text), seen.date.days, True)
    # an observation continuing the previous sentence's dated account of the same site
    if observed and site in previous.dates:
        ref = previous.dates[site]
        return _ClaimDate(_Span("date", -1, -1, ref.text), ref.days, True)
    # an observation following a dated pass of imagery over the same site
    if seen is not None and sentence - seen.sentence <= reach:
        return _ClaimDate(_Span("date", -1, -1, seen.date.text), seen.date.days, True)
    # a sentence that speaks of the imagery again ("on the same images, at Hmeimim ...")
    # with no pass over its own site: the latest pass it can mean
    if speaks_of_imagery and latest is not None and 0 < sentence - latest.sentence <= reach:
        return _ClaimDate(_Span("date", -1, -1, latest.date.text), latest.date.days, True)
    if previous.heading is not None:
        # a chronology's or a gallery's entry under its dated heading
        return _ClaimDate(_Span("date", -1, -1, previous.heading.text), previous.heading.days, True)
    return _ClaimDate()


def _count_of(
    text: str, clause_start: int, equip: _Span, vocab: _Vocab
) -> tuple[int | None, str, tuple[int, int] | None]:
    """The count of a mention: the words before it, or before the noun that heads a
    merged mention ("a convoy of over 150 vehicles"); a carried-over subject ("they")
    is one or several by its grammatical number."""
    if equip.extra and equip.extra[0] == "carried":
        # the subject of an earlier clause: its own count ("two An-124s ..., with their
        # nose cones open"), else one or several by its grammatical number
        if len(equip.extra) > 1:
            count, qualifier, _ = _count(text, equip.extra[1], replace(equip, extra=()), vocab)
            return count, qualifier, None
        qualifier = "plural" if _is_plural(text[equip.start : equip.end]) else "exact"
        return (1 if qualifier == "exact" else None), qualifier, None
    if equip.extra and equip.extra[0] == "names":
        # ships named beside their plural class noun: as many as the names
        nouns = list(_PLURAL_SHIP_NOUN.finditer(text, equip.start, equip.end))
        head = replace(equip, end=nouns[-1].end() if nouns else equip.end, extra=())
        count, qualifier, count_span = _count(text, clause_start, head, vocab)
        if count is None and qualifier == "plural":
            return int(equip.extra[1]), "exact", None
        return count, qualifier, count_span
    count_from = equip.extra[0] if equip.extra and isinstance(equip.extra[0], int) else equip.start
    if count_from == equip.start:
        return _count(text, clause_start, equip, vocab)
    # "a convoy of over 150 vehicles": the number sits between convoy and vehicles
    count, qualifier, count_span = _count(text, clause_start, equip, vocab)
    if count is None and equip.extra:
        at_head = replace(equip, start=count_from)
        count, qualifier, count_span = _count(text, clause_start, at_head, vocab)
    return count, qualifier, count_span


def _make_claim(
    report: Report,
    *,
    n: int,
    equipment: _Span,
    site: _Span,
    action_key: str,
    action: _Span | None,
    date: _ClaimDate,
    site_inherited: bool,
    clause: tuple[int, int],
    places: Sequence[_Span],
    vocab: _Vocab,
    absence: bool = False,
) -> Claim:
    """The :class:`Claim` record of one equipment mention tied to one place."""
    text = report.text
    c_start, c_end = clause
    et = equipment_type(equipment.key)
    count, qualifier, count_span = _count_of(text, c_start, equipment, vocab)
    if (
        count == 1
        and count_span is None
        and action_key in _SUBJECT_ACTIONS
        and _plural_verb(text, equipment, action, vocab)
    ):
        count, qualifier = None, "plural"  # "С вертолётной площадки исчезли Ка-52"
    pl = place(site.key)
    start = min(c_start, equipment.start)
    end = max(c_end, equipment.end)
    return Claim(
        id=f"{report.id}#{n + 1}",
        report_id=report.id,
        site=pl.id,
        monitored=pl.monitored,
        equipment=et.key,
        category=et.category,
        object_classes=et.object_classes,
        size_m=et.size_m,
        count=count,
        count_qualifier=qualifier,
        action=action_key,
        date_from=date.days[0] if date.days else None,
        date_to=date.days[1] if date.days else None,
        date_text=date.span.key if date.span is not None else None,
        zone_kind=_zone(text, c_start, c_end, places),
        start=start,
        end=end,
        equipment_span=(equipment.start, equipment.end),
        site_span=None if site.start < 0 else (site.start, site.end),
        action_span=(action.start, action.end) if action is not None else None,
        date_span=None
        if date.span is None or date.span.start < 0
        else (date.span.start, date.span.end),
        count_span=count_span,
        site_inherited=site_inherited,
        date_inherited=date.inherited,
        evidence=text[start:end].strip(),
        confidence=0.0,  # estimated for all the report's claims at once (extract_claims)
        modality=_modality(
            text,
            c_start,
            max(equipment.end, action.end if action else equipment.end),
            vocab,
            noun_start=equipment.start,
            day_at=date.span.start if date.span is not None and date.span.start >= 0 else None,
        ),
        absence=absence,
    )


# the month May beside a day, a year or a preposition of time ("5 May", "May 2016",
# "in May"), which the hedge "may" of the English lexicon would otherwise match
_MONTH_MAY_BEFORE_RE = re.compile(
    r"(?:\d{1,2}(?:st|nd|rd|th)?|\b(?:in|of|early|late|mid|since|until|by|from|during|"
    r"through|end of|beginning of))[\s-]*$",
    re.IGNORECASE,
)
_MONTH_MAY_AFTER_RE = re.compile(r"\s*\d")


def _hedged(pattern: re.Pattern[str], text: str, start: int, end: int) -> bool:
    """Whether ``pattern`` (a lexicon's hedges or plans) occurs in ``text[start:end]``,
    the month May not counted as the hedge "may"."""
    for m in pattern.finditer(text, start, end):
        word = m.group(0)
        if word == "May" and (
            _MONTH_MAY_BEFORE_RE.search(text, max(0, m.start() - 16), m.start())
            or _MONTH_MAY_AFTER_RE.match(text, m.end())
        ):
            continue
        return True
    return False


def _modality(
    text: str, start: int, end: int, vocab: _Vocab, *, noun_start: int, day_at: int | None
) -> str:
    """How the clause holds its claim: expected (planned, may yet happen, or under a
    condition told before its noun at ``noun_start``: "if the frigates return"), hedged
    (held as likely: "appear to have gone"), observed (imagery or sighting) or reported
    (a source tells it). A condition with the claim's own day (at ``day_at``) between it
    and the noun tells a fact set against another ("Если 5 декабря там стояло более 20
    самолётов, то ...")."""
    condition = vocab.conditional.search(text, start, noun_start)
    if condition is not None and day_at is not None and condition.end() <= day_at < noun_start:
        condition = None
    if condition is not None or _hedged(vocab.expected, text, start, end):
        return "expected"
    if vocab.hedges.search(text, start, end):
        return "hedged"
    if _IMAGERY_RE.search(text, start, end) or _OBS_RE.search(text, start, end):
        return "observed"
    if vocab.reported.search(text, start, end):
        return "reported"
    return "observed"


def _dedupe(claims: Sequence[Claim]) -> list[Claim]:
    seen: set[tuple[Any, ...]] = set()
    out: list[Claim] = []
    for c in claims:
        key = (c.start, c.site, c.equipment, c.action, c.date_from, c.count, c.equipment_span)
        if key in seen:
            continue
        seen.add(key)
        out.append(replace(c, id=f"{c.report_id}#{len(out) + 1}"))
    return out
