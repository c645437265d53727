"""Per-language lexicons of the claim extractor, read from package data.

Each language has one JSON file in ``basewatch/corroborate/lexicons/`` (``en.json``,
``ar.json``, ``ru.json``...), written for this project. A file may hold any of these
sections; every pattern is a regular expression matched case-insensitively on word
boundaries:

``equipment``
    ``{class key: [pattern, ...]}``: more names of a class of
    :data:`~basewatch.corroborate.gazetteer.EQUIPMENT` (its specificity applies).
``named_types``
    ``{class key: [pattern, ...]}``: type designations and ship names that map to a
    class (``"Yak-40"`` -> ``aircraft``, ``"Admiral Gorshkov"`` -> ``frigate``); they rank
    as named types whatever the class.
``actions``
    ``{action key: [pattern, ...]}``: more words of the actions of
    :data:`~basewatch.corroborate.gazetteer.ACTIONS`.
``observation``, ``negation``, ``absence``, ``expected``, ``reported``, ``earlier``
    Lists of patterns: verbs of seeing, negators, words that make a negated sighting
    an absence ("not seen", "empty"), plans and what may yet happen ("expected to",
    "will", "may leave"), attributions to a source, and adverbs that put a state
    before the dated account ("previously").
``hedges``
    Words by which a report holds what it saw or what happened as likely rather than
    certain ("appear to have gone", "apparently", "semble avoir quitté", "по-видимому"):
    such a claim is judged against the imagery like a sighting, its hedge named in the
    verdict. A plan word in the same clause wins ("seem to be preparing to leave").
``link_words``
    Words that may stand between a count or a noun and the type it names
    ("two guided missile frigates", Arabic "من طراز": "of the type", Russian
    "российских" in "три российских фрегата", German "vom Typ").
``empty``
    Words that state an absence without a negation ("the port was empty of warships",
    "la zone est vide", "порт пуст"): the objects named there have left.
``singular``
    Articles and demonstratives of the singular: a noun after one of them is one
    object ("la batterie S-400", "το An-124"), as English "the Ka-52".
``since``
    Words before a date that make it the start of a state lasting to the publication
    ("depuis le 28 décembre", "seit dem 2. Januar").
``at_least``, ``more_than``, ``approximately``
    Words before a number that qualify it ("mindestens fünf", "plus de dix",
    "около десяти").
``plural_endings``
    For a language without articles: patterns of a plural noun or adjective (the
    first word of an equipment mention). A mention with no number whose first word
    is not plural is one object ("комплекс С-400" is one system, "фрегаты" several).
``not_negations``
    Phrases that open with a negation word but deny nothing (Arabic "لا تزال",
    "still"; restrictions: French "il ne reste plus que", Spanish "no quedan más que",
    Arabic "لم يبق سوى", "only ... remain"): no negation word inside one of them is
    read as a negation.
``clause_breaks``
    Words that, after a comma, open a clause of its own (Polish "a", Russian "но",
    Spanish "pero"): a negation or a date on one side says nothing of the other.
``clause_openers``
    Words that open a clause of their own without a comma (French "et qu'", Spanish "y
    que", German "und dass": a second reported clause).
``sign_that``
    Words opening the writer's reading of what was seen ("*signe que* Moscou ...",
    "*ein Zeichen dafür, dass* Moskau ..."): before a name, a clause of its own, whose
    verbs are no objects' actions.
``day_joiners``
    Words that join two days of one month into a range or a list ("entre le 10 *et
    le* 13 décembre", "с 10 *по* 13 декабря"): the dates from the first to the last.
``numbers``
    ``{word: count}``; ``several``: words for an unspecified number; ``dual``:
    patterns of nouns in the dual (a count of two).
``months``
    Month names and their stems, to find day-month dates that :mod:`dateparser`
    then resolves, and the forms a month takes after ``in_month`` ("декабре",
    "grudniu", "Δεκέμβριο").
``in_month``
    Words before a month name that date a claim to the whole month ("в", "w", "im",
    "en", "în", "τον", "في"); a month followed by its year needs none.
``plural_nouns``
    For a language whose plural nouns do not end in "s": the plural forms of its
    equipment nouns (German "Fregatten", Greek "φρεγάτες", Romanian "corvetele"). A
    mention whose first word is one of them, with no number, is several objects; one
    that is not is left to the article before it (German "Hubschrauber" is either).
``plural_verbs``
    For a language without articles: finite verbs in the plural ("исчезли", "стоят",
    "zostały"). A type designation with no number whose verb is one of them is several
    objects ("исчезли Ка-52"), where it would otherwise be one.
``pictures_of``
    Plain words (not patterns) that may stand between a word for pictures and the day
    they are of ("Satellitenbilder *vom* Samstag", "εικόνες *της* Κυριακής", "снимки
    *от* 20 декабря"): that day dates the pass of imagery, over another day of the
    sentence. A verb between them ("consultées lundi") ties the day to something else.
``speakers``
    Words for the people a source is, up to a town they are of ("des habitants de",
    "Anwohner aus", "жители", "une source locale à"): that town is where the source is,
    not a site of the claims.
``speakers_after``
    Words right after a town that make it where the speaker is ("Aus Beirut *berichtet
    unser* Korrespondent", "De Beyrouth, *notre correspondant*"), as ``speakers`` do
    before it.
``article_singular``
    An article of both numbers and a noun after it that make one object (German "die
    Batterie", "die Kolonne": a feminine noun's singular; "die Hubschrauber" stays
    several). Matched on the article and the noun's first word.
``auxiliaries``
    Auxiliaries that open a main clause's predicate before its verb (French "sont",
    Spanish "está", Polish "jest"): one after a relative clause about a noun closes the
    clause ("les frégates qui ont quitté Tartous lundi *sont* au mouillage"), whose
    day is then its own.
``no_determiners``
    Words for "no" or "not a single" before a noun ("ни одного", "żadnego", "κανένα",
    "niciun"): the objects named after them are none, a count of no number (not the
    "one" the word holds).
``range_openers``
    Words before the first of two dates joined by ``day_joiners`` that make them one
    range ("*zwischen* August 2015 und Oktober 2017", "*entre* août et octobre").
``relative_dates``
    ``{kind: [pattern, ...]}``: words of a day relative to the publication
    (kinds of :data:`~basewatch.corroborate.dates.RELATIVE_KINDS`: "hier", "вчера",
    "cette semaine").
``days_after``
    ``{"days": [pattern, ...], "weeks": [...], "days_earlier": [...], "weeks_earlier":
    [...]}``: words of a day counted from the day told before ("two days later", "le
    lendemain", "через два дня"; "a week earlier", "la veille"); a pattern's group
    ``n`` holds the number (digits or a word of ``numbers``), one without it counts one.
``days_before``
    ``{"days": [...], "weeks": [...]}``: a day counted back from the publication ("three
    days ago", "il y a trois jours", "два дня назад"); groups as in ``days_after``, and a
    group ``dual`` (a noun in the dual: Arabic "قبل يومين") counts two.
``days_past``
    ``{"hours" | "days" | "weeks": [...]}``: the span up to the publication ("in the past
    48 hours", "за последние сутки", "τις τελευταίες τρεις ημέρες"): from the day that
    many units back (hours rounded up to whole days) to the publication; groups as in
    ``days_before``.
``month_parts``
    ``{"early" | "mid" | "late": [pattern, ...]}``: words before a month name that
    name a part of it ("Mitte Dezember", "à la mi-décembre", "в начале января").
``weekdays``
    ``{name: 0-6}`` (Monday = 0): weekday names, dated as the latest such day on or
    before the publication ("يوم الجمعة", "el viernes").
``site_descriptions``
    ``{site id: [pattern, ...]}``: descriptions that name a monitored site without its
    name ("the Russian air base in Latakia" is Hmeimim).

The words below join or qualify what the sections above find; the extractor's English
ones are in :mod:`~basewatch.corroborate.claims`, each language's own here:

``imagery``
    Stems of words for satellite pictures ("снимк", "Satellitenbild"), matched inside
    words: a sentence holding one is about a pass of imagery.
``same_images``, ``same_day``
    "The same images" ("sur les mêmes images", "на тех же снимках") and "the same day"
    ("le même jour", "am selben Tag"): what they show or tell is of the day told before.
``since_then``
    "Since then" ("depuis lors", "seitdem"): after a first verb, the second predicate's
    state lasts from the first's day to the publication.
``comparison``
    Words opening a comparison with another time ("par rapport à", "по сравнению с"):
    a date after them is not the date of what is compared.
``weekday_last``
    Words that put a weekday in the week before ("mardi *dernier*", "am *vergangenen*
    Dienstag", "в *прошлый* вторник"): written on that weekday, it is a week back.
``night_words``, ``night_to``
    Words for a night, and the word that ties it to the weekday it ends in ("dans la
    *nuit* de mardi *à* mercredi", "in der *Nacht zum* Mittwoch", "в *ночь на* среду"):
    the night's two days.
``plural_determiners``
    Words before a noun that make it several in a language without articles ("*все*
    Су-24", "*wszystkie* Su-24"): a type designation after them is plural.
``images_dated``
    Pictures told of before, named with the day they were taken ("*The images, taken*
    on Wednesday", "*les images, prises* mercredi", "*снимки, сделанные* в среду"): an
    undated sighting the sentence before told of them is of that day.
``multiplied``
    Number words counted by the number before them ("zwei *Dutzend*", "два *десятка*"):
    their value times that number.
``unasserted``
    Words that leave the clause after them open ("it is unclear whether", "on ignore si",
    "неясно, ли"): what it tells is asserted by nobody and makes no claim.
``tracking``
    Phrases whose equipment nouns name no object of a claim: ship tracking named with
    the ships it follows ("suivi des navires", "تتبع السفن", "отслеживания судов") and
    the hangars aircraft are kept in ("حظائر الطائرات", "hangars à avions").
``design_words``
    Words naming a design by its number ("проекта 22350", "Projekt 636.3"): the number
    after them is not a count.
``merchant``
    Words that make a ship a merchant one ("cargo", "Frachter", "танкер").
``and_words``
    "And" joining two verbs or two items of a list ("et", "und", "і").
``closed_to``
    "Closed to" before the objects a passage is shut to ("the Turkish straits *closed
    to* warships", "strâmtorile *închise* navelor de război"): no claim of them.
``also_words``
    "As well as" adding an item to a list ("*а також* кілька демонтованих гелікоптерів",
    "*ainsi que*"): it joins the list (a comma before it cuts no clause) but keeps its
    own words, which the items before do not share.
``with_words``, ``beside_words``
    "With" before what a noun has or shows ("Ан-124 *с* поднятой носовой частью", "un
    An-124 *con* la rampa abierta"), and "next to" joining the next noun ("*junto a* dos
    Il-76"): such an attribute is the first noun's, not the next one's.
``weekday_joiners``, ``weekday_prepositions``
    Words joining two weekdays into the days from one to the other ("samedi et
    dimanche", "von Montag bis Mittwoch"), and the preposition the second may take
    ("et le dimanche", "у неділю").
``relative_pronouns``, ``relatives_after_comma``
    Words opening a relative clause right after a noun ("qui", "который"), and those
    that do so only after a comma (German "die" is also an article): a date inside the
    clause is the clause's own.
``purpose_words``
    "To" or "in order to" before a second verb of the same objects ("a quitté le port
    *pour* mouiller au large"): a departure and the state it leads to.
``except_words``
    "Except" before the one object a place said empty still holds ("the pier is empty
    *except for* a single tug", "الرصيف شبه فارغ، *باستثناء* سفينة شحن"): that object is
    there, not gone.
``since_absent``
    A preposition that reads "since" only where the clause tells an absence ("nu mai apar
    pe imagini *din* 20 ianuarie"); elsewhere it is "from" ("imaginile din 20 ianuarie").
``companion_words``
    "Together with" before an object that keeps the state the clause ends in ("sigue
    fondeada frente a la costa *junto a* un buque de desembarco", "mouille au large, *en
    compagnie d'*un sous-marin"), not an aside's earlier event.
``after_words``
    "After" before a verb of the same objects told after the clause's own ("permanecían
    fondeados ..., *después de* abandonar los muelles a mediados de diciembre"): an
    earlier event, a claim of its own on its own day (none where the phrase has none).
``towards_words``
    "Towards" before a place, with up to three words of its own between ("*en dirección
    a* Tartús", "*в сторону* Тартуса", "*متجهة إلى* ميناء طرطوس", "*w kierunku* bazy
    morskiej w Tartusie"): where objects head, not where they are.
``including_words``
    "Including" opening a list after a dash ("loading equipment *— including* armoured
    vehicles", "вантажать техніку *— зокрема* бронетранспортери"): the dash does not end
    the clause, the objects listed share its verb.
``to_roads``
    A way to the roadstead after a verb of leaving ("left the pier *for the outer
    roadstead*", "вышли из пункта *на внешний рейд*"): the objects left and lie at anchor
    off the site (two claims).
``origin_words``
    "Coming from" before a place, with up to three words of its own between ("*coming
    from* Homs", "*قادماً من* ريف حمص", "*en provenance de* Homs"): where objects came
    from, not where they arrived.
``conditional``
    "If" before a noun of equipment in its clause ("*if* the frigates return to their
    berths", "*si* les frégates reviennent", "*якщо* фрегати повернуться"): what the
    clause tells may yet happen (modality ``expected``), it is not told as fact.
``this_month``, ``last_month``
    The month of publication and the month before it, after a word for a part of a
    month (``month_parts``: "*на початку* місяця", "*a finales* del mes pasado", "*la
    mijlocul* lunii"): that part of the month, though no month is named.
``this_shows``
    Words opening a sentence that names the source of the sentence before ("*Про це
    свідчать* супутникові знімки, зроблені в понеділок", "*Das zeigen* Satellitenbilder
    vom Montag"): the day of the pictures it names dates that sentence's undated claims.
``as_of``
    "As of" before a day in a sentence that claims nothing ("Что имеем *по состоянию на*
    утро субботы.", "*Stand* Samstagmorgen:"): what follows is told as of that day.
``among_words``
    "Among them" opening a sentence that names some of the objects the sentence before
    told of ("*Entre ellos* figura la fragata ...", "*Среди них* — фрегат ..."): they
    share that sentence's latest claim (its action, place and day).
``naming_words``
    Words opening a sentence that names the objects the sentence before told of
    ("*Πρόκειται για* τις φρεγάτες ...", "*Este vorba despre* nava de debarcare ...",
    "*Il s'agit de* la frégate ..."): each object named shares every claim the sentence
    before made of them (each action, with its place and day).
``where_words``
    "Where" opening a relative clause about a place ("*gdzie* jeszcze 2 stycznia stały
    wyrzutnie", "*où* étaient garés"): what stood there on the clause's day is gone
    where the sentence says the place is empty.
``at_least_plurals``, ``quantity_of``
    ``{word: count}`` of plurals of a round number ("Dutzende", "десятки": read as
    "dozens", at least 24), and the words joining such a number to its noun
    ("decenas *de*").
``named_days``
    ``{"MM-DD": [patterns]}``: days of the calendar named by a feast ("Nochevieja",
    "Silvester", "Рождество": the latest such day on or before the publication).
``habitual``
    A frequency that makes a verb a habit ("lądują w bazie *co trzy dni*", "atterrissent
    *plusieurs fois par semaine*"): no day of the account dates it.
``taken_words``
    "Taken" right before the day pictures are of ("des images du port *prises* lundi",
    "снимки, *сделанные* 12 декабря"): that day dates them, whatever day the sentence
    names first.
``around_day``
    "Before", "after", "until" or "around" right before a feast ("ще *до* Нового року",
    "*antes de* Navidad"): the feast is not the day of what is told.
``approximate_numbers``
    ``{word: count}`` of nouns of a round number told as an estimate ("une vingtaine",
    "una veintena": about 20).

No network and no model: the files are the whole vocabulary.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from basewatch.corroborate.dates import MONTH_PART_KEYS, RELATIVE_KINDS
from basewatch.errors import BasewatchError

__all__ = [
    "DAYS_AFTER_UNITS",
    "DAYS_BEFORE_UNITS",
    "LANGUAGES",
    "PAST_UNITS_HOURS",
    "Lexicon",
    "LexiconError",
    "load_lexicon",
    "merged_lexicon",
    "parse_lexicon",
]

#: Languages with a lexicon file, English first.
LANGUAGES: tuple[str, ...] = ("en", "ar", "ru", "uk", "es", "fr", "de", "ro", "pl", "el", "ko")

#: The list sections of the words that join or qualify what the others find.
_JOINING_SECTIONS = (
    "imagery",
    "same_images",
    "same_day",
    "since_then",
    "comparison",
    "design_words",
    "tracking",
    "unasserted",
    "multiplied",
    "weekday_last",
    "night_words",
    "night_to",
    "images_dated",
    "plural_determiners",
    "merchant",
    "and_words",
    "also_words",
    "closed_to",
    "with_words",
    "beside_words",
    "weekday_joiners",
    "weekday_prepositions",
    "relative_pronouns",
    "relatives_after_comma",
    "where_words",
    "purpose_words",
    "among_words",
    "naming_words",
    "as_of",
    "conditional",
    "this_month",
    "last_month",
    "this_shows",
    "towards_words",
    "origin_words",
    "including_words",
    "to_roads",
    "around_day",
    "taken_words",
    "habitual",
    "after_words",
    "companion_words",
    "since_absent",
    "except_words",
    "quantity_of",
    "in_month",
    "range_openers",
    "plural_nouns",
    "plural_verbs",
    "pictures_of",
    "speakers",
    "speakers_after",
    "article_singular",
    "no_determiners",
    "auxiliaries",
    "sign_that",
)
_LIST_SECTIONS = (
    "observation",
    "negation",
    "absence",
    "expected",
    "hedges",
    "reported",
    "earlier",
    "link_words",
    "day_joiners",
    "empty",
    "singular",
    "since",
    "at_least",
    "more_than",
    "approximately",
    "plural_endings",
    "clause_breaks",
    "clause_openers",
    "not_negations",
    *_JOINING_SECTIONS,
)
_MAP_SECTIONS = (
    "equipment",
    "named_days",
    "named_types",
    "actions",
    "site_descriptions",
    "relative_dates",
    "days_after",
    "days_before",
    "days_past",
    "month_parts",
)
#: The units of ``days_after`` and their length in days (the ``*_earlier`` ones count
#: back: "a week earlier", "la veille").
DAYS_AFTER_UNITS: Mapping[str, int] = {
    "days": 1,
    "weeks": 7,
    "days_earlier": -1,
    "weeks_earlier": -7,
}
#: The units of ``days_before`` and their length in days.
DAYS_BEFORE_UNITS: Mapping[str, int] = {"days": 1, "weeks": 7}
#: The units of ``days_past`` and their length in hours.
PAST_UNITS_HOURS: Mapping[str, int] = {"hours": 1, "days": 24, "weeks": 7 * 24}


class LexiconError(BasewatchError, ValueError):
    """A lexicon file of the package is missing a section's shape or is not JSON."""


@dataclass(frozen=True)
class Lexicon:
    """The vocabulary of one language (or of several merged).

    Attributes
    ----------
    languages : tuple of str
        ISO 639-1 codes it covers.
    equipment, named_types, actions, site_descriptions : mapping of str to tuple of str
        Patterns per class key, action key or site id (see the module doc).
    relative_dates : mapping of str to tuple of str
        Patterns per kind of relative day (see the module doc).
    month_parts : mapping of str to tuple of str
        Patterns per part of a month (``early``, ``mid``, ``late``), before its name.
    named_days : mapping of str to tuple of str
        Patterns per day of the year (``"12-31"``) named by a feast.
    days_after, days_before, days_past : mapping of str to tuple of str
        Patterns per unit (``days``, ``weeks``) of a day counted from the one told
        before (see the module doc).
    observation, negation, absence, expected, hedges, reported, earlier : tuple of str
        Patterns (see the module doc).
    link_words, day_joiners, empty, singular : tuple of str
        Patterns (see the module doc).
    since, at_least, more_than, approximately, plural_endings, clause_breaks : tuple of str
        Patterns (see the module doc).
    clause_openers, sign_that : tuple of str
        Patterns (see the module doc).
    not_negations : tuple of str
        Patterns (see the module doc).
    imagery, same_images, same_day, since_then, comparison, design_words : tuple of str
        Patterns (see the module doc).
    tracking, unasserted, multiplied, weekday_last : tuple of str
        Patterns (see the module doc).
    night_words, night_to, images_dated, plural_determiners : tuple of str
        Patterns (see the module doc).
    merchant, and_words, also_words, closed_to, with_words, beside_words : tuple of str
        Patterns (see the module doc).
    weekday_joiners, weekday_prepositions : tuple of str
        Patterns (see the module doc).
    relative_pronouns, relatives_after_comma, quantity_of, in_month, range_openers : tuple of str
        Patterns (see the module doc).
    where_words, purpose_words, among_words, naming_words : tuple of str
        Patterns (see the module doc).
    after_words, companion_words : tuple of str
        Patterns (see the module doc).
    as_of, conditional, this_shows, towards_words, around_day, taken_words : tuple of str
        Patterns (see the module doc).
    origin_words, including_words, to_roads : tuple of str
        Patterns (see the module doc).
    this_month, last_month : tuple of str
        Patterns (see the module doc).
    habitual : tuple of str
        Patterns (see the module doc).
    since_absent, except_words : tuple of str
        Patterns (see the module doc).
    plural_nouns, plural_verbs, pictures_of, speakers, speakers_after : tuple of str
        Patterns (see the module doc).
    article_singular : tuple of str
        Patterns (see the module doc).
    no_determiners, auxiliaries : tuple of str
        Patterns (see the module doc).
    at_least_plurals : mapping of str to int
        Plurals of round numbers (folded) and the least count each means.
    approximate_numbers : mapping of str to int
        Nouns of round numbers told as an estimate (folded) and the count each is about.
    numbers : mapping of str to int
        Number words (folded) and their value.
    several : tuple of str
        Words for an unspecified number greater than one.
    dual : tuple of str
        Patterns of nouns in the dual.
    weekdays : mapping of str to int
        Weekday names (folded) -> 0 (Monday) to 6 (Sunday).
    months : mapping of str to int
        Month names and stems (folded) and the month's number.
    """

    languages: tuple[str, ...]
    equipment: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    named_days: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    named_types: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    actions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    site_descriptions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    relative_dates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    days_after: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    days_before: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    days_past: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    month_parts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    observation: tuple[str, ...] = ()
    negation: tuple[str, ...] = ()
    absence: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()
    hedges: tuple[str, ...] = ()
    reported: tuple[str, ...] = ()
    earlier: tuple[str, ...] = ()
    link_words: tuple[str, ...] = ()
    day_joiners: tuple[str, ...] = ()
    empty: tuple[str, ...] = ()
    singular: tuple[str, ...] = ()
    since: tuple[str, ...] = ()
    at_least: tuple[str, ...] = ()
    more_than: tuple[str, ...] = ()
    approximately: tuple[str, ...] = ()
    plural_endings: tuple[str, ...] = ()
    clause_breaks: tuple[str, ...] = ()
    clause_openers: tuple[str, ...] = ()
    sign_that: tuple[str, ...] = ()
    not_negations: tuple[str, ...] = ()
    imagery: tuple[str, ...] = ()
    same_images: tuple[str, ...] = ()
    same_day: tuple[str, ...] = ()
    since_then: tuple[str, ...] = ()
    comparison: tuple[str, ...] = ()
    design_words: tuple[str, ...] = ()
    tracking: tuple[str, ...] = ()
    unasserted: tuple[str, ...] = ()
    multiplied: tuple[str, ...] = ()
    weekday_last: tuple[str, ...] = ()
    night_words: tuple[str, ...] = ()
    images_dated: tuple[str, ...] = ()
    plural_determiners: tuple[str, ...] = ()
    night_to: tuple[str, ...] = ()
    merchant: tuple[str, ...] = ()
    and_words: tuple[str, ...] = ()
    also_words: tuple[str, ...] = ()
    closed_to: tuple[str, ...] = ()
    with_words: tuple[str, ...] = ()
    beside_words: tuple[str, ...] = ()
    weekday_joiners: tuple[str, ...] = ()
    weekday_prepositions: tuple[str, ...] = ()
    relative_pronouns: tuple[str, ...] = ()
    relatives_after_comma: tuple[str, ...] = ()
    where_words: tuple[str, ...] = ()
    purpose_words: tuple[str, ...] = ()
    among_words: tuple[str, ...] = ()
    naming_words: tuple[str, ...] = ()
    as_of: tuple[str, ...] = ()
    conditional: tuple[str, ...] = ()
    this_shows: tuple[str, ...] = ()
    this_month: tuple[str, ...] = ()
    last_month: tuple[str, ...] = ()
    towards_words: tuple[str, ...] = ()
    origin_words: tuple[str, ...] = ()
    including_words: tuple[str, ...] = ()
    to_roads: tuple[str, ...] = ()
    around_day: tuple[str, ...] = ()
    taken_words: tuple[str, ...] = ()
    habitual: tuple[str, ...] = ()
    after_words: tuple[str, ...] = ()
    companion_words: tuple[str, ...] = ()
    since_absent: tuple[str, ...] = ()
    except_words: tuple[str, ...] = ()
    quantity_of: tuple[str, ...] = ()
    in_month: tuple[str, ...] = ()
    range_openers: tuple[str, ...] = ()
    plural_nouns: tuple[str, ...] = ()
    plural_verbs: tuple[str, ...] = ()
    pictures_of: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    speakers_after: tuple[str, ...] = ()
    article_singular: tuple[str, ...] = ()
    no_determiners: tuple[str, ...] = ()
    auxiliaries: tuple[str, ...] = ()
    at_least_plurals: Mapping[str, int] = field(default_factory=dict)
    approximate_numbers: Mapping[str, int] = field(default_factory=dict)
    numbers: Mapping[str, int] = field(default_factory=dict)
    several: tuple[str, ...] = ()
    dual: tuple[str, ...] = ()
    months: Mapping[str, int] = field(default_factory=dict)
    weekdays: Mapping[str, int] = field(default_factory=dict)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"{where}: expected a list of strings (fix the lexicon file)")
    return tuple(value)


def _int_map(value: object, where: str) -> dict[str, int]:
    if not isinstance(value, dict) or not all(isinstance(v, int) for v in value.values()):
        raise LexiconError(f"{where}: expected an object of whole numbers (fix the lexicon file)")
    return {str(k).casefold(): int(v) for k, v in value.items()}


@cache
def load_lexicon(language: str) -> Lexicon:
    """The lexicon of one language, read from the package.

    Parameters
    ----------
    language : str
        An ISO 639-1 code of :data:`LANGUAGES`.

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        For a language without a lexicon file, or a file of the wrong shape.
    """
    if language not in LANGUAGES:
        raise LexiconError(f"no lexicon for language {language!r} (known: {', '.join(LANGUAGES)})")
    where = f"lexicons/{language}.json"
    try:
        raw = json.loads(
            resources.files("basewatch.corroborate").joinpath(where).read_text(encoding="utf-8")
        )
    except (OSError, json.JSONDecodeError) as exc:
        raise LexiconError(f"{where}: cannot be read as JSON ({exc}); reinstall basewatch") from exc
    return parse_lexicon(raw, language=language, where=where)


def parse_lexicon(raw: object, *, language: str, where: str = "<lexicon>") -> Lexicon:
    """A lexicon from the parsed JSON of its file (pure: :func:`load_lexicon` reads it).

    Parameters
    ----------
    raw : object
        The file's JSON: an object of the sections described in this module.
    language : str
        The ISO 639-1 code it is for.
    where : str
        Where it came from, for messages.

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        For a section of the wrong shape, or a unit or kind no code reads.
    """
    if not isinstance(raw, dict):
        raise LexiconError(f"{where}: expected a JSON object at the top")
    maps: dict[str, dict[str, tuple[str, ...]]] = {}
    for name in _MAP_SECTIONS:
        section = raw.get(name, {})
        if not isinstance(section, dict):
            raise LexiconError(f"{where}: {name} must be an object of lists")
        maps[name] = {k: _strings(v, f"{where}: {name}.{k}") for k, v in section.items()}
    unknown = set(maps["relative_dates"]) - set(RELATIVE_KINDS)
    if unknown:
        raise LexiconError(
            f"{where}: relative_dates: unknown kinds {sorted(unknown)} "
            f"(known: {', '.join(RELATIVE_KINDS)}; fix the lexicon file)"
        )
    bad = [k for k in maps["named_days"] if not _is_month_day(k)]
    if bad:
        raise LexiconError(
            f"{where}: named_days: keys {sorted(bad)} are not days of every year as MM-DD "
            "(fix the lexicon file)"
        )
    unknown = set(maps["month_parts"]) - set(MONTH_PART_KEYS)
    if unknown:
        raise LexiconError(
            f"{where}: month_parts: unknown parts {sorted(unknown)} "
            f"(known: {', '.join(MONTH_PART_KEYS)}; fix the lexicon file)"
        )
    for name, units in (
        ("days_after", DAYS_AFTER_UNITS),
        ("days_before", DAYS_BEFORE_UNITS),
        ("days_past", PAST_UNITS_HOURS),
    ):
        unknown = set(maps[name]) - set(units)
        if unknown:
            raise LexiconError(
                f"{where}: {name}: unknown units {sorted(unknown)} "
                f"(known: {', '.join(units)}; fix the lexicon file)"
            )
    lists = {name: _strings(raw.get(name, []), f"{where}: {name}") for name in _LIST_SECTIONS}
    return Lexicon(
        languages=(language,),
        equipment=maps["equipment"],
        named_days=maps["named_days"],
        named_types=maps["named_types"],
        actions=maps["actions"],
        site_descriptions=maps["site_descriptions"],
        relative_dates=maps["relative_dates"],
        days_after=maps["days_after"],
        days_before=maps["days_before"],
        days_past=maps["days_past"],
        month_parts=maps["month_parts"],
        observation=lists["observation"],
        negation=lists["negation"],
        absence=lists["absence"],
        expected=lists["expected"],
        hedges=lists["hedges"],
        reported=lists["reported"],
        earlier=lists["earlier"],
        link_words=lists["link_words"],
        day_joiners=lists["day_joiners"],
        empty=lists["empty"],
        singular=tuple(w.casefold() for w in lists["singular"]),
        since=lists["since"],
        at_least=lists["at_least"],
        more_than=lists["more_than"],
        approximately=lists["approximately"],
        plural_endings=lists["plural_endings"],
        clause_breaks=lists["clause_breaks"],
        clause_openers=lists["clause_openers"],
        not_negations=lists["not_negations"],
        **{name: lists[name] for name in _JOINING_SECTIONS},
        at_least_plurals=_int_map(raw.get("at_least_plurals", {}), f"{where}: at_least_plurals"),
        approximate_numbers=_int_map(
            raw.get("approximate_numbers", {}), f"{where}: approximate_numbers"
        ),
        numbers=_int_map(raw.get("numbers", {}), f"{where}: numbers"),
        several=tuple(s.casefold() for s in _strings(raw.get("several", []), f"{where}: several")),
        dual=_strings(raw.get("dual", []), f"{where}: dual"),
        months=_int_map(raw.get("months", {}), f"{where}: months"),
        weekdays=_int_map(raw.get("weekdays", {}), f"{where}: weekdays"),
    )


def _is_month_day(key: str) -> bool:
    """Whether ``key`` is a day of every year written ``MM-DD`` (not 29 February, which
    most years lack)."""
    try:
        dt.date.fromisoformat(f"2023-{key}")
    except ValueError:
        return False
    return len(key) == 5


@cache
def merged_lexicon(languages: tuple[str, ...] = LANGUAGES) -> Lexicon:
    """The lexicons of several languages as one (patterns joined, first number wins).

    Parameters
    ----------
    languages : tuple of str
        Codes of :data:`LANGUAGES`; by default all of them.

    Returns
    -------
    Lexicon
    """
    parts = [load_lexicon(code) for code in languages]

    def join_map(name: str) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for lex in parts:
            for key, pats in getattr(lex, name).items():
                out[key] = out.get(key, ()) + tuple(pats)
        return out

    def join_list(name: str) -> tuple[str, ...]:
        return tuple(p for lex in parts for p in getattr(lex, name))

    numbers: dict[str, int] = {}
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    at_least_plurals: dict[str, int] = {}
    approximate_numbers: dict[str, int] = {}
    for lex in parts:
        for word, n in lex.at_least_plurals.items():
            at_least_plurals.setdefault(word, n)
        for word, n in lex.approximate_numbers.items():
            approximate_numbers.setdefault(word, n)
        for word, n in lex.numbers.items():
            numbers.setdefault(word, n)
        for word, n in lex.months.items():
            months.setdefault(word, n)
        for word, n in lex.weekdays.items():
            weekdays.setdefault(word, n)
    return Lexicon(
        languages=tuple(languages),
        equipment=join_map("equipment"),
        named_days=join_map("named_days"),
        named_types=join_map("named_types"),
        actions=join_map("actions"),
        site_descriptions=join_map("site_descriptions"),
        relative_dates=join_map("relative_dates"),
        days_after=join_map("days_after"),
        days_before=join_map("days_before"),
        days_past=join_map("days_past"),
        month_parts=join_map("month_parts"),
        observation=join_list("observation"),
        negation=join_list("negation"),
        absence=join_list("absence"),
        expected=join_list("expected"),
        hedges=join_list("hedges"),
        reported=join_list("reported"),
        earlier=join_list("earlier"),
        link_words=join_list("link_words"),
        day_joiners=join_list("day_joiners"),
        empty=join_list("empty"),
        singular=join_list("singular"),
        since=join_list("since"),
        at_least=join_list("at_least"),
        more_than=join_list("more_than"),
        approximately=join_list("approximately"),
        plural_endings=join_list("plural_endings"),
        clause_breaks=join_list("clause_breaks"),
        clause_openers=join_list("clause_openers"),
        not_negations=join_list("not_negations"),
        **{name: join_list(name) for name in _JOINING_SECTIONS},
        at_least_plurals=at_least_plurals,
        approximate_numbers=approximate_numbers,
        numbers=numbers,
        several=join_list("several"),
        dual=join_list("dual"),
        months=months,
        weekdays=weekdays,
    )
