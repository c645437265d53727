"""Reading text reports: plain text, Markdown and HTML, with their metadata.

A *report* is an article or bulletin. Reading it (:func:`read_report`,
:func:`read_reports`) decodes it, strips boilerplate (comment forms, "Read next"
blocks, scripts), and attaches its metadata: title, outlet and publication date, taken
from the file itself (HTML ``<meta>`` tags, Markdown front matter), from a metadata
table (the bundled ``seeds/`` corpus) or from the caller.

Offsets are into :attr:`Report.text`: for plain text and Markdown this is the file
decoded as UTF-8 with line endings normalised to ``\\n``; for HTML it is the text
extracted from the markup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from basewatch._files import read_bounded
from basewatch._words import plural
from basewatch.corroborate.dates import parse_date
from basewatch.errors import ReportError

log = logging.getLogger(__name__)

MAX_REPORT_BYTES = 10 * 1024 * 1024
"""Reports larger than this (10 MiB) are refused: no news article is that long."""

REPORT_SUFFIXES: Mapping[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Report:
    """One report, decoded and cleaned.

    Attributes
    ----------
    id : str
        Content hash: the first 16 hex digits of the SHA-256 of :attr:`text`.
    text : str
        The text claims are extracted from and their offsets refer to.
    body : tuple of (int, int)
        Spans of :attr:`text` that are the article (boilerplate left out).
    title, outlet : str or None
        Where known.
    published : datetime.date or None
        Publication date, the anchor for relative dates ("on Friday", "last week").
    source : str
        Path of the file read, or ``"<text>"``.
    format : str
        ``"text"``, ``"markdown"`` or ``"html"``.
    notes : tuple of str
        What was done while reading (boilerplate removed, metadata source...).
    """

    id: str
    text: str
    body: tuple[tuple[int, int], ...]
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    source: str = "<text>"
    format: str = "text"
    notes: tuple[str, ...] = ()

    @property
    def body_text(self) -> str:
        """The article text without boilerplate (spans joined by blank lines)."""
        return "\n\n".join(self.text[a:b] for a, b in self.body)

    @property
    def label(self) -> str:
        """A short human label: title, else file name, else id."""
        if self.title:
            return self.title
        if self.source != "<text>":
            return Path(self.source).name
        return self.id


# --------------------------------------------------------------------------- reading


def report_id(text: str) -> str:
    """Content hash of a report text.

    Parameters
    ----------
    text : str
        The cleaned report text (:attr:`Report.text`).

    Returns
    -------
    str
        The first 16 hex digits of the SHA-256 of its UTF-8 bytes.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise ReportError(f"{name}: the file is empty; give a report with text in it")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReportError(f"{name}: not valid UTF-16 text ({exc}); save it as UTF-8") from exc
    head = data[:8192]
    if b"\x00" in head:
        raise ReportError(
            f"{name}: looks like a binary file (NUL bytes), not a text report; "
            "give plain text, Markdown or HTML"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportError(
            f"{name}: not UTF-8 text (bad byte at offset {exc.start}); "
            "convert it to UTF-8 (e.g. iconv -t UTF-8) and try again"
        ) from exc
    controls = sum(
        1 for c in text[:8192] if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f"
    )
    if controls > 0.01 * min(len(text), 8192) + 2:
        raise ReportError(f"{name}: too many control characters for a text report (binary file?)")
    return text


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


_BOILERPLATE_START = re.compile(
    r"^\s*(?:read\s+next|read\s+more|related(?:\s+(?:articles?|stories|news|coverage))?|"
    # a heading ("More on Syria", "More from this author"), not a paragraph that opens
    # with the words ("More on the air base. Satellite images ...")
    r"more\s+(?:from|on)\s+[^.!?]{1,60}|more\s+stories|recommended(?:\s+for\s+you)?|"
    r"you\s+may\s+also\s+like|"
    r"what\s+is\s+your\s+opinion.*|leave\s+(?:a|the\s+first)\s+comment|"
    r"comments?(?:\s*\(\d+\))?|share\s+this(?:\s+article)?|sign\s+up\s+for.*newsletter.*|"
    r"subscribe\s+to\s+our.*|most\s+(?:read|popular))\s*:?\s*$",
    re.IGNORECASE,
)
_BOILERPLATE_LINE = re.compile(
    r"^\s*(?:read|read\s+also|see\s+also|also\s+read|watch|advertisement|ad)\s*:.*$|"
    r"^\s*(?:advertisement|skip\s+advertisement|click\s+here.*|share\s+on\s+\w+)\s*$",
    re.IGNORECASE,
)


def _body_spans(text: str, fmt: str) -> tuple[tuple[tuple[int, int], ...], list[str]]:
    """Spans of ``text`` that are article, and notes on what was dropped."""
    notes: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    in_front_matter = fmt == "markdown" and text.startswith("---\n")
    for i, line in enumerate(text.split("\n")):
        start, end = pos, pos + len(line)
        pos = end + 1
        if in_front_matter:
            if i > 0 and line.strip() == "---":
                in_front_matter = False
            continue
        if _BOILERPLATE_START.match(line):
            notes.append(f"dropped boilerplate from {line.strip()!r} to the end")
            break
        if _BOILERPLATE_LINE.match(line):
            notes.append(f"dropped boilerplate line {line.strip()[:40]!r}")
            continue
        if line.strip():
            spans.append((start, end))
    return tuple(spans), notes


_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def _front_matter(text: str) -> dict[str, str]:
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---", 4)
    if end < 0:
        return {}
    meta: dict[str, str] = {}
    for line in text[4:end].split("\n"):
        m = _FRONT_MATTER_KEY.match(line)
        if m:
            meta[m.group(1).lower()] = m.group(2).strip().strip("\"'")
    return meta


# ---- HTML

_SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "canvas",
        "form",
        "nav",
        "footer",
        "aside",
        "button",
        "select",
        "textarea",
        "object",
        "embed",
        "video",
        "audio",
        "head",
    }
)
_VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "figure",
        "figcaption",
        "br",
        "hr",
        "dd",
        "dt",
    }
)
_BOILERPLATE_ATTR = re.compile(
    r"comment|related|read-?next|readnext|recommend|newsletter|subscribe|share|social|promo|"
    r"advert|\bads?\b|cookie|consent|sidebar|footer|more-from|most-read|popular|outbrain|taboola|"
    r"breadcrumb|byline-share|author-bio|signup|paywall",
    re.IGNORECASE,
)


class _TextExtractor(HTMLParser):
    """Collects visible article text and metadata; never runs or fetches anything."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip: list[str] = []
        self.meta: dict[str, str] = {}
        self._title: list[str] = []
        self._in_title = False
        self._h1: list[str] = []
        self._in_h1 = False
        self.dropped = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"].strip())
            return
        if tag == "time" and a.get("datetime"):
            self.meta.setdefault("time", a["datetime"])
        if tag == "title":
            self._in_title = True
        if tag in _VOID_TAGS:
            if tag in ("br", "hr") and not self.skip:
                self.parts.append("\n")
            return
        boiler = _BOILERPLATE_ATTR.search(" ".join((a.get("class", ""), a.get("id", ""))))
        if self.skip or tag in _SKIP_TAGS or (boiler and tag not in ("html", "body", "article")):
            if not self.skip:
                self.dropped += 1
            self.skip.append(tag)
            return
        if tag == "h1":
            self._in_h1 = True
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self.skip:
            if tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag == "h1":
            self._in_h1 = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
            return
        if self.skip:
            return
        if self._in_h1:
            self._h1.append(data)
        self.parts.append(data)

    @property
    def title(self) -> str | None:
        for cand in (self.meta.get("og:title"), "".join(self._h1), "".join(self._title)):
            if cand and cand.strip():
                return re.sub(r"\s+", " ", cand).strip()
        return None

    def text(self) -> str:
        raw = "".join(self.parts)
        lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in raw.split("\n")]
        out: list[str] = []
        for ln in lines:
            if ln:
                out.append(ln)
        return "\n".join(out)


def _html_to_text(markup: str, name: str) -> tuple[str, dict[str, str], str | None, int]:
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except Exception as exc:  # html.parser is lenient; anything raised means broken input
        raise ReportError(f"{name}: cannot parse the HTML ({exc}); save the page again") from exc
    return parser.text(), parser.meta, parser.title, parser.dropped


def parse_report(
    text: str,
    *,
    fmt: str = "text",
    source: str = "<text>",
    title: str | None = None,
    outlet: str | None = None,
    published: str | dt.date | None = None,
) -> Report:
    """Build a :class:`Report` from text already in memory.

    Parameters
    ----------
    text : str
        The report: plain text, Markdown (front matter and a ``#`` title read) or HTML
        (scripts, navigation and boilerplate left out; ``<meta>`` tags read).
    fmt : str
        ``"text"``, ``"markdown"`` or ``"html"``.
    source : str
        Where the text came from (a path), for messages and :attr:`Report.label`.
    title, outlet : str, optional
        Metadata; given here it wins over metadata found in the text.
    published : str or datetime.date, optional
        Publication date (``YYYY-MM-DD`` or written out); wins over the text's.

    Returns
    -------
    Report
        The cleaned text, its article spans and metadata.

    Raises
    ------
    basewatch.errors.ReportError
        An unknown format, no article text left, or a publication date that is not
        a date.
    """
    if fmt not in ("text", "markdown", "html"):
        raise ReportError(f"unknown report format {fmt!r}; use text, markdown or html")
    name = source
    notes: list[str] = []
    found: dict[str, str] = {}
    if fmt == "html":
        text, meta, html_title, dropped = _html_to_text(text, name)
        text = _normalise(text)  # character references were decoded by the parser
        if dropped:
            notes.append(f"dropped {plural(dropped, 'boilerplate or script block')} from the HTML")
        if html_title:
            found["title"] = html_title
        for key in ("og:site_name", "publisher", "application-name"):
            if meta.get(key):
                found.setdefault("outlet", meta[key])
        for key in (
            "article:published_time",
            "datepublished",
            "date",
            "dc.date",
            "pubdate",
            "publish-date",
            "time",
        ):
            if meta.get(key):
                found.setdefault("published", meta[key])
    else:
        text = _normalise(text)
        if fmt == "markdown":
            found.update({k: v for k, v in _front_matter(text).items() if v})
            heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
            if heading and "title" not in found:
                found["title"] = heading.group(1).strip()
    if "date" in found and "published" not in found:
        found["published"] = found["date"]
    if "source" in found and "outlet" not in found:
        found["outlet"] = found["source"]
    spans, body_notes = _body_spans(text, fmt)
    notes.extend(body_notes)
    if not spans or not any(re.search(r"\w", text[a:b]) for a, b in spans):
        raise ReportError(
            f"{name}: no article text found (empty after removing markup and boilerplate); "
            "check that the file is a report"
        )
    pub = parse_date(published) if published is not None else None
    if published is not None and pub is None:
        raise ReportError(f"{name}: publication date {published!r} is not a date (use YYYY-MM-DD)")
    if pub is None and found.get("published"):
        pub = parse_date(found["published"])
        if pub is None:
            notes.append(f"ignored unreadable publication date {found['published']!r}")
    return Report(
        id=report_id(text),
        text=text,
        body=spans,
        title=title or found.get("title"),
        outlet=outlet or found.get("outlet"),
        published=pub,
        source=source,
        format=fmt,
        notes=tuple(notes),
    )


def _format_of(path: Path) -> str | None:
    return REPORT_SUFFIXES.get(path.suffix.lower())


def load_metadata(path: str | Path) -> dict[str, dict[str, Any]]:
    """Report metadata from a JSON file, keyed by file name and by report id.

    Parameters
    ----------
    path : str or pathlib.Path
        A JSON file: a list of objects or ``{"reports": [...]}``; each object has
        ``file`` and/or ``id``, and any of ``title``, ``outlet``, ``published``. The
        bundled ``seeds/corpus.json`` has this layout (plus the expected claims).

    Returns
    -------
    dict of str to dict
        Each entry under its ``file`` and under its ``id``.

    Raises
    ------
    basewatch.errors.ReportError
        The file cannot be read or is not in that layout.
    """
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportError(f"{p}: cannot read report metadata ({exc}); give a JSON file") from exc
    items = data.get("reports") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ReportError(f"{p}: report metadata must be a list or {{'reports': [...]}}")
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        if not isinstance(item, dict):
            raise ReportError(f"{p}: each report metadata entry must be an object, got {item!r}")
        for key in (item.get("file"), item.get("id")):
            if key:
                out[str(key)] = item
    return out


def read_report(
    path: str | Path,
    *,
    metadata: Mapping[str, Mapping[str, Any]] | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published: str | dt.date | None = None,
) -> Report:
    """Read one report file (``.txt``, ``.md``, ``.html``).

    Metadata is taken, in this order, from the arguments, from ``metadata``, then from
    the file itself.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.txt``, ``.md`` or ``.html`` file (see :data:`REPORT_SUFFIXES`).
    metadata : mapping, optional
        Metadata keyed by report id or file name (see :func:`load_metadata`).
    title, outlet : str, optional
        Metadata that wins over any other.
    published : str or datetime.date, optional
        Publication date that wins over any other.

    Returns
    -------
    Report
        The report, with ``source`` set to the path.

    Raises
    ------
    basewatch.errors.ReportError
        Missing, empty, binary, oversized (> :data:`MAX_REPORT_BYTES`) or unreadable
        files, and publication dates that are not dates.
    """
    p = Path(path)
    fmt = _format_of(p)
    if fmt is None:
        raise ReportError(
            f"{p}: unsupported report type {p.suffix or '(no suffix)'!r}; "
            f"use one of {', '.join(sorted(REPORT_SUFFIXES))}"
        )
    if p.exists() and not p.is_file():
        raise ReportError(f"{p}: not a file")
    data = read_bounded(
        p,
        limit=MAX_REPORT_BYTES,
        what="report",
        hint="give the article text only",
        error=ReportError,
    )
    text = _decode(data, str(p))
    report = parse_report(text, fmt=fmt, source=str(p))
    meta: Mapping[str, Any] = {}
    if metadata:
        meta = metadata.get(report.id) or metadata.get(p.name) or {}
    pub_meta = meta.get("published")
    pub = published if published is not None else pub_meta
    pub_date = parse_date(pub) if pub is not None else report.published
    if pub is not None and pub_date is None:
        raise ReportError(f"{p}: publication date {pub!r} is not a date (use YYYY-MM-DD)")
    notes = report.notes
    if meta:
        notes = (*notes, "metadata from the metadata table")
    return replace(
        report,
        title=title or meta.get("title") or report.title,
        outlet=outlet or meta.get("outlet") or report.outlet,
        published=pub_date,
        notes=notes,
    )


def read_reports(
    paths: Iterable[str | Path],
    *,
    metadata: Mapping[str, Mapping[str, Any]] | None = None,
    published: str | dt.date | None = None,
    outlet: str | None = None,
) -> tuple[list[Report], list[str]]:
    """Read report files and folders; return the reports and warnings for skipped files.

    Parameters
    ----------
    paths : iterable of str or pathlib.Path
        Report files and folders. Folders are read one level deep, files sorted by
        name; files of other types and files that cannot be read (empty, binary, too
        large, broken) are skipped with a warning, and so are repeats of a text
        already read. A file named explicitly must be readable.
    metadata : mapping, optional
        Metadata keyed by report id or file name (see :func:`load_metadata`).
    published : str or datetime.date, optional
        Publication date for every report.
    outlet : str, optional
        Outlet for every report.

    Returns
    -------
    reports : list of Report
        In reading order.
    warnings : list of str
        One per file skipped.

    Raises
    ------
    basewatch.errors.ReportError
        ``published`` is not a date, a file named explicitly cannot be read, a path
        does not exist, or nothing readable is found.
    """
    if published is not None and parse_date(published) is None:
        # one date for every report: wrong once, not a reason to skip each file
        raise ReportError(f"publication date {published!r} is not a date (use YYYY-MM-DD)")
    reports: list[Report] = []
    warnings: list[str] = []
    seen: set[str] = set()
    given = list(paths)
    for raw in given:
        p = Path(raw)
        if p.is_dir():
            files = sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith("."))
            for f in files:
                if _format_of(f) is None:
                    if f.suffix.lower() not in (".json", ".csv", ".yaml", ".yml"):
                        warnings.append(f"skipped {f}: not a report type ({f.suffix or 'none'})")
                    continue
                try:
                    rep = read_report(f, metadata=metadata, published=published, outlet=outlet)
                except ReportError as exc:
                    warnings.append(f"skipped {exc}")
                    continue
                if rep.id in seen:
                    warnings.append(f"skipped {f}: same text as a report already read")
                    continue
                seen.add(rep.id)
                reports.append(rep)
        elif p.exists():
            rep = read_report(p, metadata=metadata, published=published, outlet=outlet)
            if rep.id not in seen:
                seen.add(rep.id)
                reports.append(rep)
        else:
            raise ReportError(f"{p}: no such file or folder; give report files or a folder")
    for w in warnings:
        log.debug("%s", w)
    if not reports:
        raise ReportError(
            f"no readable report in {', '.join(str(g) for g in given) or '(nothing given)'}"
            + (f" ({plural(len(warnings), 'file')} skipped)" if warnings else "")
            + f"; give {', '.join(sorted(REPORT_SUFFIXES))} files"
        )
    return reports, warnings
