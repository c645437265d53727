"""Dates in report text: month names, weekdays and relative dates, resolved by publication date.

:data:`DATE_RE` finds date expressions, :func:`resolve_date` turns one into an
inclusive range of days relative to the report's publication date, :func:`parse_date`
reads a date given as metadata.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any


def parse_date(value: str | dt.date | None) -> dt.date | None:
    """A date given as metadata: ISO (``2024-12-14``, also with a time) or written out.

    Parameters
    ----------
    value : str, datetime.date, datetime.datetime or None
        ``"2024-12-14"``, ``"2024-12-14T08:00:00Z"``, ``"December 14, 2024"``,
        ``"14 Dec 2024"``, a date or a datetime (its date).

    Returns
    -------
    datetime.date or None
        None for None, ``""`` and text that is no full date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return _explicit_date(value)


def _explicit_date(value: str) -> dt.date | None:
    """A full date written out ("December 14, 2024", "14 Dec 2024")."""
    for m in DATE_RE.finditer(value):
        if m.lastgroup in ("mdy", "dmy"):
            day, month, year = _md_parts(m)
            if year is not None:
                try:
                    return dt.date(year, month, day)
                except ValueError:
                    return None
    return None


# --------------------------------------------------------------------------- claims

# month names, their abbreviations and "sept" -> month number
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
#: English month names and abbreviations ("January", "Jan", "Sept"), lower case.
ENGLISH_MONTHS = frozenset(_MONTHS)
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_SATURDAY = _WEEKDAYS["saturday"]
_MONTHS_IN_YEAR = 12
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

#: Days written as English ordinal words ("on the eighteenth of January")
_ORDINAL_UNITS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
)
_ORDINAL_WORDS = {
    w: i + 1
    for i, w in enumerate(
        (
            *_ORDINAL_UNITS,
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        )
    )
}
_ORDINAL_WORDS |= {f"twenty-{unit}": 20 + _ORDINAL_WORDS[unit] for unit in _ORDINAL_UNITS}
_ORDINAL_WORDS |= {"thirtieth": 30, "thirty-first": 31}
_ORDINAL_WORD_RE = "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))

#: A date expression of report text. Named groups: ``iso`` (2024-12-14), ``mdy``
#: (December 14[, 2024]), ``dmy`` (14 December[ 2024]), ``my`` (December 2024), ``wd``
#: ([last|this|on|past] Friday), ``rel`` (yesterday, last week...), ``year`` (in 2016),
#: ``num`` (15.12.2024, 15/12/2024, 12/15/2024: day and month told apart by which
#: exceeds 12; 05/06/2024, either way round, names no day), ``dm`` (German "am 12.12.":
#: day and month after a preposition, the year the latest that is not after the
#: publication by more than a month; without the preposition where the month has two
#: digits and a dot follows it, as in "Хмеймим, 23.12.": "14.05 Uhr" stays a time).
DATE_RE = re.compile(
    r"(?P<iso>\b\d{4}-\d{2}-\d{2}\b)"
    rf"|(?P<mdy>\b(?P<m1>{_MONTH_RE})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}}))?)"
    rf"|(?P<dmy>\b(?P<d2>\d{{1,2}}(?:st|nd|rd|th|\.)?|(?i:{_ORDINAL_WORD_RE})\s+of)\s+(?:of\s+)?(?P<m2>{_MONTH_RE})(?![^\W\d_])(?:,?\s+(?P<y2>\d{{4}}))?)"
    rf"|(?P<my>\b(?i:in\s+|during\s+|by\s+|early\s+|late\s+|mid-?)?(?P<m3>{_MONTH_RE})\s+(?P<y3>\d{{4}})\b)"
    rf"|(?P<wd>\b(?:(?P<wdmod>(?i:last|this|on|past))\s+)?(?P<wdn>{_WEEKDAY_RE})\b)"
    r"|(?P<rel>\b(?i:yesterday|today|tonight|overnight|this\s+(?:morning|afternoon|evening)|"
    r"last\s+night|last\s+weekend|(?:over|at|on|throughout|during)\s+the\s+weekend|this\s+weekend|"
    r"(?:(?:early|mid-?|late)\s+)?last\s+month|(?<!later\s)(?:earlier\s+)?this\s+month|"
    r"(?:over\s+)?the\s+(?:past|last)\s+week(?!\s+of\b)|last\s+week(?!\s+of\b)|this\s+week|"
    r"earlier\s+this\s+week)\b)"
    r"|(?P<year>\b(?i:in|during)\s+(?P<y4>(?:19|20)\d{2})\b)"
    r"|(?P<num>\b(?P<n1>\d{1,2})(?P<sep>[./])(?P<n2>\d{1,2})(?P=sep)(?P<n3>(?:19|20)\d{2})\b)"
    r"|(?P<dm>(?:"
    + "|".join(
        rf"(?<=\b{w}\s)" for w in ("[Aa]m", "[Vv]om", "[Bb]is", "[Zz]um", "[Ss]eit", "dem", "den")
    )
    + r")(?P<n4>\d{1,2})\.(?P<n5>\d{1,2})\.(?!\d)"
    r"|(?<![\d.])(?P<n6>\d{1,2})\.(?P<n7>[01]\d)\.(?![\d.])(?!\s*(?i:Uhr|h)\b))",
)


def _md_parts(m: re.Match[str]) -> tuple[int, int, int | None]:
    if m.lastgroup == "mdy" or m.group("mdy"):
        mon, day, year = m.group("m1"), m.group("d1"), m.group("y1")
    else:
        mon, day, year = m.group("m2"), m.group("d2"), m.group("y2")
    word = day.split()[0].lower()
    number = _ORDINAL_WORDS[word] if word in _ORDINAL_WORDS else int(re.sub(r"\D", "", day))
    return number, _MONTHS[mon.rstrip(".").lower()], int(year) if year else None


def resolve_date(m: re.Match[str], ref: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The inclusive range of days one date expression means.

    Parameters
    ----------
    m : re.Match
        A match of :data:`DATE_RE`.
    ref : datetime.date or None
        The report's publication date: the anchor of weekdays, relative dates and
        dates without a year (the latest such date at most a month after ``ref``).

    Returns
    -------
    (datetime.date, datetime.date) or None
        First and last day; None when the expression needs ``ref`` and there is none,
        or names no real day (30 February).
    """
    try:
        if m.group("iso"):
            d = dt.date.fromisoformat(m.group("iso"))
            return d, d
        if m.group("mdy") or m.group("dmy"):
            day, month, year = _md_parts(m)
            if year is None:
                if ref is None:
                    return None
                year = ref.year
                if dt.date(year, month, min(day, 28)) > ref + dt.timedelta(days=31):
                    year -= 1
            d = dt.date(year, month, day)
            return d, d
        if m.group("my"):
            month = _MONTHS[m.group("m3").rstrip(".").lower()]
            year = int(m.group("y3"))
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        if m.group("year"):
            year = int(m.group("y4"))
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if m.group("dm"):
            if ref is None:
                return None
            day, month = (
                (int(m.group("n4")), int(m.group("n5")))
                if m.group("n4")
                else (int(m.group("n6")), int(m.group("n7")))
            )
            year = ref.year
            if dt.date(year, month, min(day, 28)) > ref + dt.timedelta(days=31):
                year -= 1
            d = dt.date(year, month, day)
            return d, d
        if m.group("num"):
            first, second = int(m.group("n1")), int(m.group("n2"))
            if first != second and first <= _MONTHS_IN_YEAR and second <= _MONTHS_IN_YEAR:
                return None  # day first or month first: the text does not say which
            day, month = (second, first) if second > _MONTHS_IN_YEAR else (first, second)
            d = dt.date(int(m.group("n3")), month, day)
            return d, d
    except ValueError:
        return None
    if ref is None:
        return None
    if m.group("wd"):
        target = _WEEKDAYS[m.group("wdn").lower()]
        back = (ref.weekday() - target) % 7
        if (m.group("wdmod") or "").lower() == "last" and back == 0:
            back = 7
        d = ref - dt.timedelta(days=back)
        return d, d
    rel = re.sub(r"\s+", " ", m.group("rel").lower())
    if rel in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return resolve_relative("today", ref)
    if rel == "overnight":
        return resolve_relative("overnight", ref)
    if rel in ("yesterday", "last night"):
        return resolve_relative("yesterday", ref)
    if rel.endswith("weekend"):
        if rel != "last weekend" or ref.weekday() < _SATURDAY:
            return resolve_relative("weekend", ref)
        # "last weekend" written on a weekend: the one before
        return resolve_relative("weekend", ref - dt.timedelta(days=ref.weekday() - 4))
    if rel.endswith("month"):
        month_start = ref.replace(day=1)
        if rel.endswith("last month"):  # the calendar month before the publication's
            before = month_start - dt.timedelta(days=1)
            part = rel.split()[0].rstrip("-") if rel != "last month" else None
            return month_part_days(before.month, part, ref, before.year)
        return month_start, ref
    if rel in ("this week", "earlier this week"):
        return resolve_relative("this_week", ref)
    if rel.endswith("past week") or rel.endswith("the last week"):
        return ref - dt.timedelta(days=7), ref
    return resolve_relative("last_week", ref)


#: The kinds of relative day a report may name in any language (the lexicons'
#: ``relative_dates``), resolved by :func:`resolve_relative`.
RELATIVE_KINDS = ("today", "yesterday", "overnight", "this_week", "last_week", "weekend")


def resolve_relative(kind: str, ref: dt.date) -> tuple[dt.date, dt.date]:
    """The days a relative date names, counted from the publication date ``ref``.

    Parameters
    ----------
    kind : str
        One of :data:`RELATIVE_KINDS`: ``"today"``, ``"yesterday"``, ``"overnight"``
        (the night before: that day and the one before), ``"this_week"`` (Monday to
        ``ref``), ``"last_week"`` (the calendar week, Monday to Sunday, before ``ref``'s),
        ``"weekend"`` (the latest Saturday and Sunday begun by ``ref``: "am Wochenende").
    ref : datetime.date

    Returns
    -------
    (datetime.date, datetime.date)
        First and last day.

    Raises
    ------
    ValueError
        For another kind.
    """
    one = dt.timedelta(days=1)
    if kind == "today":
        return ref, ref
    if kind == "yesterday":
        return ref - one, ref - one
    if kind == "overnight":
        return ref - one, ref
    if kind == "this_week":
        return ref - dt.timedelta(days=ref.weekday()), ref
    if kind == "last_week":
        monday = ref - dt.timedelta(days=ref.weekday() + 7)
        return monday, monday + dt.timedelta(days=6)
    if kind == "weekend":
        if ref.weekday() >= _SATURDAY:  # written on one: this one so far
            return ref - dt.timedelta(days=ref.weekday() - _SATURDAY), ref
        sunday = ref - dt.timedelta(days=ref.weekday() + 1)
        return sunday - one, sunday
    raise ValueError(f"unknown relative date {kind!r} (known: {', '.join(RELATIVE_KINDS)})")


#: Part of a month named without its year: ``early January``, ``mid-December``, ``the
#: second half of December``, ``in January``, ``the end of the month`` is not one. Named
#: groups ``part`` (the words before the month, if any) and ``month``.
MONTH_PART_RE = re.compile(
    r"\b(?:(?P<part>early|mid|late|(?:the\s+)?(?:first|second)\s+half\s+of|"
    r"(?:the\s+)?(?:first|second|third|fourth|last)\s+week\s+of|"
    r"(?:the\s+)?(?:start|beginning|middle|end)\s+of)[\s-]+|(?<=in\s)|(?<=during\s)|(?<=since\s))"
    rf"(?P<month>(?-i:{_MONTH_RE}))(?![\w.]|\s+\d|,\s+\d)",
    re.IGNORECASE,
)
#: A day of the month with neither month nor year: ``on the 27th``.
BARE_DAY_RE = re.compile(
    rf"\bthe\s+(?P<day>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?{_MONTH_RE})"
)
# the days of each part of a month: first and last (None: the month's last day)
_MONTH_PARTS = {
    "early": (1, 10),
    "start": (1, 10),
    "beginning": (1, 10),
    "mid": (11, 20),
    "middle": (11, 20),
    "late": (21, None),
    "end": (21, None),
    "first": (1, 15),
    "second": (16, None),
    "first_week": (1, 7),
    "second_week": (8, 14),
    "third_week": (15, 21),
    "fourth_week": (22, 28),
    "last_week": (-7, None),  # the month's last seven days
}


#: Days of the calendar named in English reports: ``New Year's Eve``, ``Christmas Day``.
NAMED_DAY_RE = re.compile(
    r"\b(?:orthodox\s+christmas|christmas(?:\s+(?:eve|day))?|boxing\s+day"
    r"|new\s+year['’]s\s+(?:eve|day))\b",
    re.IGNORECASE,
)
# (month, day) of each, by its words folded to single spaces
_NAMED_DAYS = {
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "boxing day": (12, 26),
    "new year s eve": (12, 31),
    "new year s day": (1, 1),
    "orthodox christmas": (1, 7),
}


def _year_reached(month: int, day: int, ref: dt.date) -> int:
    """The latest year whose ``month``/``day`` is on or before ``ref``."""
    return ref.year if (month, day) <= (ref.month, ref.day) else ref.year - 1


def resolve_named_day(m: re.Match[str], ref: dt.date) -> dt.date:
    """The day a :data:`NAMED_DAY_RE` match names: the latest on or before ``ref``."""
    month, day = _NAMED_DAYS[re.sub(r"\W+", " ", m.group().lower()).strip()]
    return latest_day(month, day, ref)


def latest_day(month: int, day: int, ref: dt.date) -> dt.date:
    """The latest ``month``/``day`` on or before ``ref`` (a feast's day)."""
    return dt.date(_year_reached(month, day, ref), month, day)


def resolve_month_part(m: re.Match[str], ref: dt.date) -> tuple[dt.date, dt.date]:
    """The days a :data:`MONTH_PART_RE` match names: in the latest such month that began
    on or before ``ref`` (a report of 10 January means last December by "mid-December"),
    and no later than ``ref``."""
    part = (m.group("part") or "").lower().split()
    if "week" in part:  # "the first week of January"
        key: str | None = f"{part[part.index('week') - 1]}_week"
    else:
        key = next((word for word in _MONTH_PARTS if word in part), None)
    return month_part_days(_MONTHS[m.group("month").lower().rstrip(".")], key, ref)


#: The parts of a month :func:`month_part_days` knows (the lexicons' ``month_parts``).
MONTH_PART_KEYS = tuple(_MONTH_PARTS)


def month_part_days(
    month: int, part: str | None, ref: dt.date, year: int | None = None
) -> tuple[dt.date, dt.date]:
    """The days of a part of a month ("early", "mid", "late"... of
    :data:`MONTH_PART_KEYS`; None: the whole month), in ``year`` or else the latest
    such month begun by ``ref``, and no later than ``ref``."""
    if year is None:
        year = _year_reached(month, 1, ref)
    last = calendar.monthrange(year, month)[1]
    first_day, last_day = _MONTH_PARTS.get(part or "", (1, None))
    if first_day < 0:
        first_day = last + first_day + 1
    start = dt.date(year, month, first_day)
    end = dt.date(year, month, last_day or last)
    return start, max(start, min(end, ref))


def resolve_bare_day(day: int, ref: dt.date) -> tuple[dt.date, dt.date] | None:
    """The latest date on or before ``ref`` whose day of the month is ``day`` ("on the
    27th" in a report of 2 January is 27 December); None if no month of the two has it."""
    for back in (0, 1):
        year, month = (ref.year, ref.month - back) if ref.month - back >= 1 else (ref.year - 1, 12)
        if day <= calendar.monthrange(year, month)[1]:
            d = dt.date(year, month, day)
            if d <= ref:
                return d, d
    return None


# ------------------------------------------------------------------ other languages

#: Days before a month name that make one date each ("on December 21 and 22" is two
#: days, not a count of 22): ``21 and 22 December``, ``18 and 27 January``.
DAY_LIST_RE = re.compile(
    r"\b(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s*(?:and|&|,|-|–|to|until)\s*$", re.IGNORECASE
)
#: Days after a month-day date: ``December 21 and 22``, ``Jan 5-8``.
DAY_TAIL_RE = re.compile(r"\s*(?:and|&|-|–|to|until|through)\s*(?P<d2>\d{1,2})\b(?![.,]?\d)")


def foreign_date_re(months: Mapping[str, int]) -> re.Pattern[str]:
    """Day-month dates written with the month names of other languages.

    Parameters
    ----------
    months : mapping of str to int
        Month names and stems (folded) of the lexicons.

    Returns
    -------
    re.Pattern
        Named groups ``day``, ``month`` and ``year`` (optional): ``10 de diciembre``,
        ``13 ديسمبر 2024``, ``1 decembrie``, ``26 janvier``, ``15. Dezember``.
    """
    names = sorted(months, key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in names)
    return re.compile(
        rf"(?<!\d)(?P<day>\d{{1,2}}){ORDINAL_DAY_SUFFIX}\s+(?:de\s+|del\s+)?(?P<month>{alt})"
        r"(?![^\W\d_])(?:,?\s+(?:de\s+|del\s+)?(?P<year>\d{4}))?",
        re.IGNORECASE,
    )


#: What may follow the day of a day-month date in the lexicons' languages: German's
#: ordinal point ("15. Dezember"), French "1er", Spanish "1º", Russian "14-го",
#: Greek "14ης" / "14η" (also stressed: "20ής").
ORDINAL_DAY_SUFFIX = r"(?:\.|er|re|ère|º|ª|°|-?(?:го|е|ого)|[ηή]ς|[ηή]ν|[ηή])?"


def foreign_day_list_re(joiners: Sequence[str]) -> re.Pattern[str]:
    """The day before a day-month date that, joined to it, makes a range or list of
    days of that month ("entre le *10 et le* 13 décembre", "с *10 по* 13 декабря",
    "zwischen dem *10. und* 13. Dezember", "بين *10 و*13 ديسمبر").

    Parameters
    ----------
    joiners : sequence of str
        Patterns of the words joining the two days (the lexicons' ``day_joiners``);
        a dash or slash always joins.

    Returns
    -------
    re.Pattern
        To search the text just before the date (it ends at the date); named group
        ``d1``, the first day.
    """
    alt = "|".join(("-", "–", "/", *joiners))
    return re.compile(
        rf"(?<![\d.,])(?P<d1>\d{{1,2}}){ORDINAL_DAY_SUFFIX}\s*(?:{alt})\s*$", re.IGNORECASE
    )


def resolve_foreign_date(
    expression: str, month: int, day: int, year: int | None, ref: dt.date | None
) -> tuple[dt.date, dt.date] | None:
    """The day a day-month date of another language names.

    :mod:`dateparser` reads the expression (any of its many languages); where it
    cannot, the month the lexicon gives is used. A date without a year is the latest
    such day at most a month after ``ref``.

    Parameters
    ----------
    expression : str
        The date as written.
    month, day : int
        Month (from the lexicon) and day of the expression.
    year : int or None
        The year written, if any.
    ref : datetime.date or None
        The report's publication date.

    Returns
    -------
    (datetime.date, datetime.date) or None
        The day twice (an inclusive range), or None when it needs a year and ``ref`` is
        None, or names no real day.
    """
    if year is None and ref is None:
        return None
    parsed = _dateparser_day(expression, ref)
    try:
        if parsed is not None and parsed.month == month and parsed.day == day:
            d = parsed if year is None else dt.date(year, month, day)
        else:
            d = dt.date(year if year is not None else (ref.year if ref else 1), month, day)
        if year is None and ref is not None and d > ref + dt.timedelta(days=31):
            d = d.replace(year=d.year - 1)
    except ValueError:
        return None
    return d, d


def _dateparser_day(expression: str, ref: dt.date | None) -> dt.date | None:
    import dateparser  # type: ignore[import-untyped]  # language data load on first use

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if ref is not None:
        settings["RELATIVE_BASE"] = dt.datetime(ref.year, ref.month, ref.day) + dt.timedelta(
            days=31
        )
    found = dateparser.parse(expression, settings=settings)
    return found.date() if found is not None else None
