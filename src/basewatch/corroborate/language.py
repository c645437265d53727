"""The language a report is written in, guessed from its script and common words.

No model and no network: the script decides for Arabic, Greek, Korean and Cyrillic
text (Russian unless letters of Ukrainian say otherwise, or a hard sign without the
letters only Russian writes says Bulgarian); Latin-script text
goes to the language whose most common short words it uses most (:data:`COMMON_WORDS`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping


def _words(listing: str) -> frozenset[str]:
    return frozenset(listing.split())


#: Frequent short words of each Latin-script language (articles, prepositions,
#: conjunctions): enough to tell the languages of the reports apart.
COMMON_WORDS: Mapping[str, frozenset[str]] = {
    "en": _words("the of and to in is that was for on with by at from are have has its"),
    "es": _words("el la los las de del y en que por con para una un se su al es"),
    "fr": _words(
        "le la les des du de et en que pour dans une un sur au aux est ont sont à été pas"
    ),
    "de": _words(
        "der die das und den dem ist von mit auf sich ein eine zu im nicht wurde wurden vom "
        "zum zur bei hat haben sind war waren nach aus auch des am"
    ),
    "pt": _words("o os as da do das dos e em que para com uma um no na ao"),
    "it": _words("il lo gli della delle di e che per con una un nel sul alla"),
    "pl": _words("i w z na do się nie że jest od po oraz jako przez"),
    "ro": _words("și în la cu de din pe care un o este au fost pentru"),
    "fi": _words("ja on oli että se ei ovat myös kun mukaan sekä"),
    "tr": _words("ve bir bu ile için da de olarak olan gibi daha"),
}
#: Letters that only some of these languages write: a word with one counts for them
#: as a common word does (a short sentence of proper nouns and type designations:
#: "W bazie Hmejmim stało około sześciu samolotów Su-24." is Polish, not Spanish "su").
LETTERS: Mapping[str, str] = {
    "pl": "łąęśźżćń",
    "de": "äöüß",
    "ro": "șțăîşţ",
    "es": "ñ¿¡",
    "fr": "èêçœëù",
}
#: Set phrases of one language made of another's common words: each counts for its
#: language, and its words for none (French "il y a" is not Spanish "y").
PHRASES: Mapping[str, tuple[str, ...]] = {"fr": ("il y a", "il n'y a", "il n’y a")}
_PHRASE_RES = {
    code: re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)
    for code, phrases in PHRASES.items()
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
)
_UKRAINIAN = re.compile(r"[іїєґ]", re.IGNORECASE)
_BULGARIAN = re.compile(r"ъ", re.IGNORECASE)
# letters Russian writes and Bulgarian does not: Russian text with a hard sign
# ("объявил", "съёмки", the daily «Ъ») is still Russian
_RUSSIAN_NOT_BULGARIAN = re.compile(r"[ыэё]", re.IGNORECASE)
# a script counts when it is at least this share of the letters
_SCRIPT_SHARE = 0.3


def guess_language(text: str, *, prefer: str = "") -> str:
    """ISO 639-1 code of the language ``text`` is mostly written in.

    Parameters
    ----------
    text : str
        Report text.
    prefer : str, optional
        A Latin-script language kept where it scores as well as the best (a sentence
        of the report's language with as many common words of another: "Seit Mittwoch
        sind sechs Il-76 in Hmeimim gelandet" has German "sind" and English "in").

    Returns
    -------
    str
        ``"en"``, ``"ar"``, ``"ru"``, ``"es"``...; ``"und"`` for text without letters.

    Examples
    --------
    >>> guess_language("Two frigates left the port of Tartus on Tuesday.")
    'en'
    >>> guess_language("Dos fragatas salieron del puerto de Tartus el martes.")
    'es'
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "und"
    joined = "".join(letters)
    for code, script in _SCRIPTS:
        if len(script.findall(joined)) >= _SCRIPT_SHARE * len(letters):
            if code == "ru" and _UKRAINIAN.search(text):
                return "uk"
            if code == "ru" and _BULGARIAN.search(text) and not _RUSSIAN_NOT_BULGARIAN.search(text):
                return "bg"
            return code
    phrases = Counter({code: len(rx.findall(text)) for code, rx in _PHRASE_RES.items()})
    for rx in _PHRASE_RES.values():
        text = rx.sub(" ", text)
    words = Counter(w.lower() for w in _WORD.findall(text))
    scores = {
        code: phrases[code]
        + sum(n for w, n in words.items() if w in common)
        + sum(n for w, n in words.items() if any(c in LETTERS.get(code, "") for c in w))
        for code, common in COMMON_WORDS.items()
    }
    best = max(scores, key=lambda code: scores[code])
    if prefer in scores and scores[prefer] == scores[best]:
        best = prefer
    return best if scores[best] > 0 else "und"
