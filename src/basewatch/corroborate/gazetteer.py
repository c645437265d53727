"""Names the claim extractor knows: places, equipment, actions, numbers.

Three tables, all plain data so they can be read and extended without touching the
extractor in :mod:`basewatch.corroborate.reports`:

* :data:`PLACES`: monitored sites (the ids used by runs: ``hmeimim``, ``tartus``,
  ``beirut-airport``, ``beirut-port``, ``latakia-port``) and reference places that
  reports use to locate events (Jableh, Homs, the M5 highway...), each with its
  aliases, transliterations (Latin, Arabic, Cyrillic) and frequent misspellings.
  Misspellings not listed are caught by fuzzy matching (:func:`match_place`).
  :data:`FAR_PLACES` names places far from them (Libya, Qamishli) that reports say
  aircraft and ships went to: no site, and no place the discourse goes on about.
* :data:`EQUIPMENT`: nouns of the equipment lexicon mapped to a class, a category, the
  :class:`~basewatch.records.ObjectClass` values a detection of it can have, and its
  size (largest dimension, metres; from the object table in FACTS.md), which decides
  whether a sensor can resolve it.
* :data:`ACTIONS`: verbs and nouns of movement mapped to the actions of a claim.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from basewatch.records import ObjectClass

__all__ = [
    "ACTIONS",
    "ASSERTED_MODALITIES",
    "CHECKABLE_CATEGORIES",
    "EQUIPMENT",
    "FAR_PLACES",
    "MODALITIES",
    "PLACES",
    "SPECIFICITY_CLASS",
    "SPECIFICITY_GENERIC",
    "SPECIFICITY_NAMED_TYPE",
    "Action",
    "EquipmentType",
    "Place",
    "alias_first_tokens",
    "equipment_type",
    "fold",
    "match_place",
    "place",
]


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-fold, strip diacritics and unify apostrophes and dashes (for matching).

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        ``"Ḥmeimim’s"`` -> ``"hmeimim's"``.
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    text = re.sub(r"[‐-―−]", "-", text)
    return text.casefold()


@dataclass(frozen=True)
class Place:
    """A named place.

    Attributes
    ----------
    id : str
        Place id (``"hmeimim"``); for monitored places, the site id.
    name : str
        Name in words (``"Hmeimim air base"``).
    kind : str
        ``"airbase"``, ``"port"``, ``"town"``, ``"capital"``, ``"road"`` or ``"area"``. A
        capital is named far more often for its government ("talks with Damascus") or as
        a dateline than as where objects are: a claim there needs its name in the clause,
        and the text does not go on about it.
    monitored : bool
        Whether basewatch has AOIs and runs for it; the others are reference places
        (towns, roads, areas) that claims can be about but that no run covers.
    aliases : tuple of str
        Names it goes by, in several languages and spellings.
    near : str or None
        The monitored site a reference place lies next to, if any.
    """

    id: str
    name: str
    kind: str
    monitored: bool
    aliases: tuple[str, ...]
    near: str | None = None


PLACES: tuple[Place, ...] = (
    Place(
        "hmeimim",
        "Hmeimim air base",
        "airbase",
        True,
        (
            "Hmeimim",
            "Hmeymim",
            "Hmeimeem",
            "Hmaimim",
            "Hemeimim",
            "Khmeimim",
            "Jmeimim",
            "Hmejmim",
            "Khmeymim",
            "Khmeimeem",
            "Humaymim",
            "Humaimim",
            "Hmeimim airbase",
            "Hmeimim air base",
            "Bassel al-Assad International Airport",
            "Basel al-Assad International Airport",
            "Bassel al-Assad airport",
            "Basel al-Assad airport",
            "OSLK",
            "حميميم",
            "مطار حميميم",
            "قاعدة حميميم",
            "Хмеймим",
            "Хмеймім",
            "Χμεϊμίμ",
            "Χμεϊμιμ",
            "Χμεμίμ",
        ),
    ),
    Place(
        "tartus",
        "Tartus naval facility",
        "port",
        True,
        (
            "Tartus",
            "Tartous",
            "Tartūs",
            "Tartus port",
            "port of Tartus",
            "port of Tartous",
            "Tartous port",
            "Tortosa",
            "طرطوس",
            "Тартус",
            "Ταρτούς",
        ),
    ),
    Place(
        "latakia-port",
        "port of Latakia",
        "port",
        False,
        (
            "port of Latakia",
            "Latakia port",
            "Latakia harbour",
            "Latakia harbor",
            "port of Lattakia",
            "Lattakia port",
            "ميناء اللاذقية",
        ),
        near="hmeimim",
    ),
    Place(
        "beirut-port",
        "port of Beirut",
        "port",
        True,
        (
            "port of Beirut",
            "Beirut port",
            "Beirut harbour",
            "Beirut harbor",
            "harbour of Beirut",
            "harbor of Beirut",
            "مرفأ بيروت",
            "port de Beyrouth",
            "Hafen von Beirut",
            "Beiruter Hafen",
            "puerto de Beirut",
            "portul Beirut",
        ),
    ),
    Place(
        "beirut-airport",
        "Beirut–Rafic Hariri International Airport",
        "airbase",
        True,
        (
            "Beirut airport",
            "Beirut-Rafic Hariri International Airport",
            "Beirut-Rafic Hariri airport",
            "Rafic Hariri International Airport",
            "Rafic Hariri airport",
            "Rafik Hariri airport",
            "Rafik Hariri International Airport",
            "Beirut International Airport",
            "OLBA",
            "مطار بيروت",
            "مطار رفيق الحريري",
            "aéroport de Beyrouth",
            "l'aéroport de Beyrouth",
            "Flughafen Beirut",
            "Flughafens Beirut",
            "Flughafen von Beirut",
            "aeropuerto de Beirut",
        ),
    ),
    Place(
        "jableh",
        "Jableh",
        "town",
        False,
        ("Jableh", "Jabla", "Jablah", "Jeble", "Gabala", "جبلة", "Джабла"),
        near="hmeimim",
    ),
    Place(
        "latakia",
        "Latakia",
        "town",
        False,
        (
            "Latakia",
            "Lattakia",
            "Latakiya",
            "Ladhiqiyah",
            "Al-Ladhiqiyah",
            "Lattaquié",
            "Latakii",
            "اللاذقية",
            "Латакия",
            "Латакія",
            "Λαττάκεια",
            "Λατάκεια",
            "Λαττάκια",
        ),
        near="hmeimim",
    ),
    Place("hassia", "Hassia", "area", False, ("Hassia", "Hasya", "Hisyah", "Hessia", "حسياء")),
    Place("homs", "Homs", "town", False, ("Homs", "Hims", "حمص", "Хомс")),
    Place("damascus", "Damascus", "capital", False, ("Damascus", "دمشق", "Дамаск")),
    Place("aleppo", "Aleppo", "town", False, ("Aleppo", "Halab", "حلب", "Алеппо")),
    Place(
        "beirut", "Beirut", "capital", False, ("Beirut", "Bayrut", "Beyrouth", "بيروت", "Бейрут")
    ),
    Place(
        "m5-highway",
        "M5 highway",
        "road",
        False,
        ("M5 highway", "M5 motorway", "M-5 highway", "M5 road", "M5"),
    ),
)

#: Places far from the sites that reports name as where aircraft, ships and troops went
#: or are ("landed in Benghazi", "перелетела в Ливию", "près de Qamichli"): a clause that
#: puts its objects there makes no claim about the site the text was about. Stems, matched
#: at a word's start whatever its case ending ("Ливию", "Libyen", "Λιβύης") and after an
#: Arabic prefix ("وبنغازي").
FAR_PLACES: tuple[str, ...] = (
    *("libya", "libye", "libia", "libii", "ливи", "ліві", "λιβύ", "ليبيا"),
    *("benghazi", "bengasi", "bengazi", "бенгаз", "βεγγάζ", "بنغازي"),
    *("tobruk", "tobrouk", "тобрук", "طبرق"),
    *("qamishli", "qamichli", "kamischli", "kamishli", "qamişli", "kamyszli", "камышл", "камишл"),
    *("καμισλ", "القامشلي"),
    *("khadim", "jadim", "jufra", "الخادم", "الجفرة"),
)

_PLACE_BY_ID = {p.id: p for p in PLACES}


def place(place_id: str) -> Place:
    """The :class:`Place` with this id.

    Parameters
    ----------
    place_id : str
        An id of :data:`PLACES`.

    Returns
    -------
    Place

    Raises
    ------
    KeyError
        For an unknown id.
    """
    return _PLACE_BY_ID[place_id]


@lru_cache(maxsize=1)
def _alias_index() -> tuple[dict[tuple[str, ...], str], dict[str, str], int]:
    exact: dict[tuple[str, ...], str] = {}
    single: dict[str, str] = {}
    longest = 1
    for p in PLACES:
        for alias in (*p.aliases, p.name):
            toks = tuple(_TOKEN_RE.findall(fold(alias)))
            if not toks:
                continue
            exact.setdefault(toks, p.id)
            longest = max(longest, len(toks))
            if len(toks) == 1 and len(toks[0]) >= 5:
                single.setdefault(toks[0], p.id)
    return exact, single, longest


_TOKEN_RE = re.compile(r"[^\W_]+(?:['-][^\W_]+)*", re.UNICODE)
_ARABIC_PREFIXES = ("وب", "وال", "بال", "ال", "و", "ب", "ل", "ف")
# case endings longer than edit distance forgives: Romanian "Tartusului" (of Tartus)
_CASE_ENDINGS = ("ului", "lui")


def _fuzzy_cutoff(token: str) -> float | None:
    if len(token) >= 7:
        return 80.0
    if len(token) >= 5:
        return 85.0
    return None


@lru_cache(maxsize=65536)
def match_place(tokens: tuple[str, ...], *, fuzzy: bool = True) -> tuple[str, float] | None:
    """Place id and match score (0-100) for a sequence of folded tokens, or None.

    Exact alias matches score 100. A single token that is not an alias is compared with
    the one-word aliases by edit-distance ratio (rapidfuzz): 80 for words of seven
    letters or more, 85 for five or six, no fuzzy matching for shorter words (too many
    false friends: Homs/Hims are listed explicitly). Arabic clitics (و ب ل ف ال) are
    stripped before matching, and with ``fuzzy`` a long case ending (Romanian
    "Tartusului").

    Parameters
    ----------
    tokens : tuple of str
        Folded tokens (:func:`fold`).
    fuzzy : bool
        Whether a single token may match by edit distance.

    Returns
    -------
    (str, float) or None
        Place id and score, or None when nothing matches.
    """
    exact, single, _ = _alias_index()
    hit = exact.get(tokens)
    if hit is not None:
        return hit, 100.0
    if len(tokens) != 1:
        return None
    tok = tokens[0]
    if tok.endswith("'s"):
        return match_place((tok[:-2],), fuzzy=fuzzy)
    for prefix in _ARABIC_PREFIXES:
        if tok.startswith(prefix) and len(tok) > len(prefix) + 2:
            hit = exact.get((tok[len(prefix) :],))
            if hit is not None:
                return hit, 95.0
    for ending in _CASE_ENDINGS:
        if fuzzy and tok.endswith(ending) and len(tok) > len(ending) + 3:
            hit = exact.get((tok[: -len(ending)],))
            if hit is not None:
                return hit, 95.0
    cutoff = _fuzzy_cutoff(tok)
    if not fuzzy or cutoff is None or not single:
        return None
    best = process.extractOne(tok, list(single), scorer=fuzz.ratio, score_cutoff=cutoff)
    if best is None:
        return None
    return single[best[0]], float(best[1])


def max_alias_tokens() -> int:
    """Length in tokens of the longest alias.

    Returns
    -------
    int
    """
    return _alias_index()[2]


@lru_cache(maxsize=1)
def alias_first_tokens() -> frozenset[str]:
    """First (folded) tokens of the aliases of two words or more.

    Returns
    -------
    frozenset of str
        Where a longer match can start ("bassel" of "bassel al-assad").
    """
    return frozenset(toks[0] for toks in _alias_index()[0] if len(toks) > 1)


#: Equipment categories of objects imagery can show (not "forces" nor "transport").
CHECKABLE_CATEGORIES = frozenset({"aircraft", "helicopter", "air-defence", "vessel", "vehicle"})

#: :attr:`EquipmentType.specificity` of a named type ("An-124", "Admiral Gorshkov").
SPECIFICITY_NAMED_TYPE = 3
#: ... of a class ("frigate").
SPECIFICITY_CLASS = 2
#: ... of a generic noun ("planes"); 0 is the vaguest ("forces").
SPECIFICITY_GENERIC = 1


@dataclass(frozen=True)
class EquipmentType:
    """One class of the equipment lexicon.

    Attributes
    ----------
    key : str
        The class a claim carries (``"an-124"``, ``"frigate"``...).
    category : str
        Group of classes: ``aircraft``, ``helicopter``, ``air-defence``, ``vessel``,
        ``vehicle``, ``forces`` or ``transport``.
    object_classes : tuple of ObjectClass
        Detection classes that can corroborate it.
    size_m : float
        Largest dimension of one object, metres.
    patterns : tuple of str
        Regular expressions of its names (matched case-insensitively on word
        boundaries).
    specificity : int
        Ranks overlapping mentions: 3 a named type (``An-124``), 2 a class
        (``frigate``), 1 a generic noun (``planes``), 0 the vaguest (``forces``).
    label : str
        Name in words (default: the key).
    """

    key: str
    category: str
    object_classes: tuple[ObjectClass, ...]
    size_m: float
    patterns: tuple[str, ...]
    specificity: int = SPECIFICITY_CLASS
    label: str = ""

    @property
    def name(self) -> str:
        """Name in words: the label, else the key."""
        return self.label or self.key


_A = (ObjectClass.AIRCRAFT,)
_V = (ObjectClass.VESSEL,)
_O = (ObjectClass.OTHER,)

# Patterns are regular expressions matched case-insensitively on word boundaries.
EQUIPMENT: tuple[EquipmentType, ...] = (
    EquipmentType(
        "an-124",
        "aircraft",
        _A,
        73.0,
        (r"(?:antonov\s+)?an[-\s]?124(?:-100)?s?", r"antonov[-\s]?124s?", r"ruslans?"),
        3,
        "An-124",
    ),
    EquipmentType(
        "il-76",
        "aircraft",
        _A,
        50.0,
        (
            r"(?:ilyushin\s+)?il[-\s]?76s?(?:md|mdm|td)?",
            r"ilyushin[-\s]?76s?(?:md|mdm|td)?",
        ),
        3,
        "Il-76",
    ),
    EquipmentType("il-20", "aircraft", _A, 37.0, (r"il[-\s]?20(?:m1?)?s?",), 3, "Il-20"),
    EquipmentType(
        "tu-154",
        "aircraft",
        _A,
        48.0,
        (
            r"tu[-\s]?154(?:m|b(?:-?2)?)?s?",
            r"tupolev[-\s]?154(?:m|b(?:-?2)?)?s?",
        ),
        3,
        "Tu-154",
    ),
    EquipmentType("an-26", "aircraft", _A, 29.0, (r"an[-\s]?(?:26|30|32|72|148)s?",), 3, "An-26"),
    EquipmentType(
        "su-24", "aircraft", _A, 22.7, (r"(?:su|sukhoi)[-\s]?24(?:m|m2)?s?",), 3, "Su-24"
    ),
    EquipmentType("su-34", "aircraft", _A, 23.3, (r"(?:su|sukhoi)[-\s]?34m?s?",), 3, "Su-34"),
    EquipmentType("su-35", "aircraft", _A, 21.9, (r"(?:su|sukhoi)[-\s]?35s?",), 3, "Su-35"),
    EquipmentType(
        "combat-aircraft",
        "aircraft",
        _A,
        22.0,
        (
            r"su[-\s]?(?:25|27|30|57)s?",
            r"tu[-\s]?(?:22m3?|95(?:ms)?|160)s?(?:\s+(?:strategic\s+)?bombers?)?",
            r"mig[-\s]?(?:29|31)s?",
            # not the place named after them ("the fighter ramp", "combat operations"),
            # nor people ("opposition fighters")
            r"(?<!opposition\s)(?<!rebel\s)(?<!militia\s)(?<!islamist\s)(?<!jihadist\s)"
            r"(?<!insurgent\s)(?<!hts\s)(?<!armed\s)(?<!foreign\s)(?<!kurdish\s)"
            r"(?:fighter|combat)(?:\s+(?:jets?|aircraft|planes?))?s?"
            r"(?!\s+(?:ramps?|aprons?|shelters?|pads?|areas?|zones?|lines?|parking|positions?"
            r"|operations?|troops|units?|missions?|readiness|pilots?|squadrons?))",
            r"bombers?",
            r"warplanes?",
            r"fighter[-\s]bombers?",
        ),
        2,
        "combat aircraft",
    ),
    EquipmentType(
        "cargo-aircraft",
        "aircraft",
        _A,
        50.0,
        (
            r"(?:cargo|transport|freight)\s+(?:aircraft|planes?|jets?)",
            r"freighters?",
            r"(?:cargo|transport|military|airlift)\s+flights?",
            r"airlifters?",
        ),
        2,
        "cargo aircraft",
    ),
    EquipmentType(
        "ka-52",
        "helicopter",
        _A,
        16.0,
        (
            r"ka[-\s]?52s?",
            r"kamov[-\s]?52s?",
        ),
        3,
        "Ka-52",
    ),
    EquipmentType(
        "mi-8", "helicopter", _A, 25.0, (r"mi[-\s]?(?:8|17|171)(?:amtsh|mtv)?s?",), 3, "Mi-8"
    ),
    EquipmentType(
        "mi-24", "helicopter", _A, 19.5, (r"mi[-\s]?(?:24|35|28)(?:p|m|n)?s?",), 3, "Mi-24"
    ),
    EquipmentType(
        "airliner",
        "aircraft",
        _A,
        45.0,
        (
            r"airliners?",
            r"passenger\s+(?:jets?|planes?|aircraft)",
            r"wide-?body\s+(?:jets?|aircraft)",
        ),
        2,
    ),
    EquipmentType(
        "helicopter",
        "helicopter",
        _A,
        18.0,
        (
            r"(?:attack\s+|transport\s+)?helicopters?(?!\s+(?:pads?|landing\s+pads?|hangars?))",
            r"choppers?",
            r"rotorcraft",
            r"مروحيات",
            r"مروحية",
            r"вертол[её]т(?:ы|ов)?",
        ),
        1,
    ),
    EquipmentType(
        "aircraft",
        "aircraft",
        _A,
        30.0,
        (
            r"aircraft",
            r"airframes?",
            r"airplanes?",
            r"aeroplanes?",
            r"planes?",
            r"jets?",
            r"طائرتان",
            r"طائرتين",
            r"طائرات",
            r"طائرة",
            r"самол[её]т(?:ы|ов)?",
        ),
        1,
    ),
    EquipmentType(
        "s-400",
        "air-defence",
        _O,
        14.0,
        (r"s[-\s]?[34]00s?(?:\s+(?:battery|batteries|launchers?|systems?|radars?))?",),
        3,
        "S-400",
    ),
    EquipmentType(
        "air-defence",
        "air-defence",
        _O,
        14.0,
        (
            r"air[-\s]defen[cs]e(?:\s+(?:systems?|batteries|battery|launchers?|radars?"
            r"|units?))?",
            r"sam\s+(?:batteries|battery|sites?|launchers?)",
            r"surface-to-air\s+missiles?",
        ),
        2,
        "air defence",
    ),
    EquipmentType(
        "frigate",
        "vessel",
        _V,
        130.0,
        (
            r"(?:admiral\s+(?:grigorovich|gorshkov|essen|makarov|golovko|kasatonov)"
            r"(?:(?:-|\s+)class)?\s+)?frigates?",
            r"admiral\s+(?:grigorovich|gorshkov|essen"
            r"|makarov|golovko|kasatonov)",
            r"فرقاطات",
            r"فرقاطة",
            r"фрегат(?:ы|ов|а)?",
        ),
        3,
    ),
    EquipmentType("corvette", "vessel", _V, 90.0, (r"corvettes?",), 3),
    EquipmentType(
        "submarine",
        "vessel",
        _V,
        74.0,
        (
            r"(?:kilo|improved\s+kilo|varshavyanka)(?:(?:-|\s+)class)?\s+submarines?",
            r"submarines?",
            r"غواصة",
            r"подводн(?:ая|ые)\s+лодк(?:а|и)",
        ),
        3,
    ),
    EquipmentType(
        "landing-ship",
        "vessel",
        _V,
        113.0,
        (
            r"(?:ropucha|alligator|tapir)(?:(?:-|\s+)class)?\s+(?:landing\s+)?ships?",
            r"(?:large\s+)?landing\s+ships?",
            r"amphibious\s+ships?",
        ),
        3,
        "landing ship",
    ),
    EquipmentType(
        "warship",
        "vessel",
        _V,
        110.0,
        (r"warships?", r"destroyers?", r"cruisers?", r"combatants?"),
        2,
    ),
    EquipmentType(
        "naval-vessel",
        "vessel",
        _V,
        80.0,
        (
            r"(?:naval|navy|military)\s+(?:vessels?|ships?)",
            r"patrol\s+(?:boats?|ships?|vessels?|craft)",
            r"سفن\s+حربية",
            r"корабл(?:ь|и|ей)",
        ),
        2,
        "naval vessel",
    ),
    EquipmentType(
        "vessel",
        "vessel",
        _V,
        60.0,
        (
            r"(?:cargo\s+|supply\s+)?(?:vessels?|ships?)",
            r"tankers?",
            r"freighter\s+ships?",
            r"суд(?:но|а)",
        ),
        1,
    ),
    EquipmentType(
        "convoy",
        "vehicle",
        _O,
        12.0,
        (r"convoys?", r"(?:military\s+)?columns?", r"رتل", r"أرتال", r"колонн(?:а|ы)"),
        1,
    ),
    EquipmentType(
        "military-vehicle",
        "vehicle",
        _O,
        12.0,
        (
            r"(?:military|armou?red|army)\s+vehicles?",
            r"vehicles",
            r"trucks?",
            r"lorries",
            r"tanks",
            r"armou?red\s+personnel\s+carriers?",
            r"apcs?",
            r"آليات",
        ),
        1,
        "military vehicles",
    ),
    EquipmentType(
        "forces",
        "forces",
        _O,
        2.0,
        (
            r"forces",
            r"troops",
            r"soldiers",
            r"personnel",
            r"servicemen",
            r"units",
            r"قوات",
            r"войска",
        ),
        0,
    ),
    EquipmentType(
        "transport",
        "transport",
        (*_A, *_V, *_O),
        40.0,
        (r"transport(?=\s+movements?\b)", r"transports"),
        0,
        "transport",
    ),
)

_EQUIPMENT_BY_KEY = {e.key: e for e in EQUIPMENT}


def equipment_type(key: str) -> EquipmentType:
    """The :class:`EquipmentType` with this key.

    Parameters
    ----------
    key : str
        A key of :data:`EQUIPMENT`.

    Returns
    -------
    EquipmentType

    Raises
    ------
    KeyError
        For an unknown key.
    """
    return _EQUIPMENT_BY_KEY[key]


@dataclass(frozen=True)
class Action:
    """An action of the lexicon and the words that express it.

    Attributes
    ----------
    key : str
        The action a claim carries (``"loading"``, ``"departing"``...).
    patterns : tuple of str
        Regular expressions of the words that express it.
    directional : str
        Which place role the action takes: ``"from"`` (departing, withdrawing: the
        place left), ``"to"`` (arriving: the destination) or ``"at"`` (where the
        action happens).
    rank : int
        Among several actions of a clause the highest rank wins; 3 for verbs that
        name the action outright ("loaded", "withdrew").
    """

    key: str
    patterns: tuple[str, ...]
    directional: str = "at"
    rank: int = 2


#: How a report may hold a claim (:attr:`~basewatch.corroborate.claims.Claim.modality`):
#: seen, told by a source, held as likely ("appear to have gone"), planned or what may
#: yet happen ("expected to leave"), denied.
MODALITIES = ("observed", "reported", "hedged", "expected", "denied")
#: The modalities of a claim that something happened or is there: imagery judges them
#: (a plan or a denial says nothing happened).
ASSERTED_MODALITIES = frozenset({"observed", "reported", "hedged"})

ACTIONS: tuple[Action, ...] = (
    Action(
        "loading",
        (
            r"(?:being\s+)?loaded",
            r"loading",
            r"load",
            r"تحميل",
        ),
        "at",
        3,
    ),
    Action("unloading", (r"unload(?:ed|ing)?", r"offload(?:ed|ing)?"), "at", 3),
    Action(
        "dismantling",
        (
            r"dismantl(?:ed|ing|e)",
            r"disassembl(?:ed|ing|e)",
            r"taken\s+apart",
            # a system readied for the road: "an S-400 battery ... packed up"
            r"pack(?:ed|ing)?\s+up",
            r"تفكيك",
        ),
        "at",
        3,
    ),
    Action(
        "withdrawing",
        (
            r"withdr[ae]w(?:n|ing|al)?",
            r"withdraws",
            r"pull(?:ed|ing)?\s+(?:back|out)",
            r"evacuat(?:ed|ing|ion)",
            r"انسحاب",
            r"انسحبت",
        ),
        "from",
        3,
    ),
    Action(
        "departing",
        (
            r"depart(?:ed|ing|s|ure|ures)?",
            r"took\s+off",
            r"tak(?:es|ing)\s+off",
            # not "only two Su-34s left at Hmeimim", nor a caption's "(left)"
            r"(?<!\()left(?!\s+at\s+(?:the\s+)?(?-i:[A-Z]))(?!\))",
            r"leav(?:es|ing)",
            r"flew\s+out",
            r"sail(?:ed|ing)\s+(?:out|away)",
            r"relocat(?:ed|ing|ion)",
            r"no\s+longer\s+(?:visible|seen|present|there|observed|in\s+place|at|in|on|"
            r"moored|docked|berthed|parked)",
            r"(?:is|are|was|were|had|have|has|remain|remained)\s+(?:now\s+|still\s+)?"
            r"(?:gone|missing|absent)",
            r"غادرت",
            r"أقلعت",
        ),
        "from",
        3,
    ),
    Action(
        "arriving",
        (
            r"arriv(?:ed|ing|al|als|es|e)",
            r"landed",
            r"landing",
            r"touched\s+down",
            r"head(?:ed|ing)\s+(?:to|towards?|for)",
            r"en\s+route\s+to",
            r"regroup(?:ed|ing)?",
            r"(?<!\bis\s)(?<!\bbe\s)(?<!\bwas\s)(?<!\bbeen\s)reached",  # not "a deal is reached"
            r"pull(?:ed|ing)\s+into",
            r"وصلت",
            r"هبطت",
        ),
        "to",
        3,
    ),
    Action(
        "stationed",
        (
            r"stationed",
            r"positioned",
            r"stay(?:s|ed|ing)?",
            r"deployed",
            r"based",
            r"parked",
            r"remain(?:s|ed|ing)?",
            r"anchored",
            r"moored",
            r"docked",
            r"berthed",
            r"stood",
            r"standing",
            r"sitting",
            r"lined\s+up",
            r"present",
            r"maintain(?:s|ed|ing)?",
            r"наход(?:ится|ятся|ились|ился)",
            r"تتمركز",
            r"يتمركز",
        ),
        "at",
        2,
    ),
    Action(
        "moving",
        (
            r"mov(?:e|es|ed|ing|ement|ements)",
            r"on\s+the\s+move",
            r"driv(?:ing|en)",
            r"drove",
            r"travell?(?:ed|ing)",
            r"cross(?:ed|ing)",
            r"transit(?:ed|ing)?",
        ),
        "at",
        1,
    ),
)

# Verbs that report an observation in imagery: a claim with no other action is a
# claim of presence (``stationed``).
OBSERVATION_PATTERNS: tuple[str, ...] = (
    r"observed",
    r"count(?:ed)?",
    r"see",
    r"saw",
    r"noted",
    r"detected",
    r"there\s+(?:are|were|is|was)",
    r"seen",
    r"spotted",
    r"visible",
    r"shows?",
    r"shown",
    r"showed",
    r"showing",
    r"captured",
    r"identified",
    r"imaged",
    r"رصدت",
    r"رصد",
    r"تظهر",
)
