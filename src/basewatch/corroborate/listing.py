"""The claims of reports, without any run: what ``basewatch claims`` prints.

:func:`list_claims` reads reports (with optional metadata, so that relative dates
resolve), guesses each report's language and extracts its claims; :func:`claims_json`
turns the result into plain JSON objects, one per report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from basewatch.corroborate.claims import Claim, extract_claims
from basewatch.corroborate.language import guess_language
from basewatch.corroborate.reports import Report, load_metadata, read_reports


@dataclass(frozen=True)
class ReportClaims:
    """One report and the claims it makes.

    Attributes
    ----------
    report : Report
        The report read.
    language : str
        ISO 639-1 code of its language (:func:`~basewatch.corroborate.language.guess_language`).
    claims : tuple of Claim
        Its claims, in text order.
    """

    report: Report
    language: str
    claims: tuple[Claim, ...]


def list_claims(
    paths: Iterable[str | Path],
    *,
    metadata: str | Path | Mapping[str, Mapping[str, Any]] | None = None,
    published: str | dt.date | None = None,
) -> tuple[tuple[ReportClaims, ...], tuple[str, ...]]:
    """The claims of each report, with no imagery involved.

    Parameters
    ----------
    paths : iterable of path
        Report files (``.txt``, ``.md``, ``.html``) and folders of them.
    metadata : path or mapping, optional
        Report metadata: a JSON list of ``{file, published, title, outlet}`` (the layout
        of ``sources.json``) or its mapping (see
        :func:`~basewatch.corroborate.reports.load_metadata`); gives the publication
        dates that relative dates ("on Friday") resolve against.
    published : str or datetime.date, optional
        Publication date of every report read (``YYYY-MM-DD``); it wins over the
        metadata's, as in :func:`~basewatch.corroborate.reports.read_reports`.

    Returns
    -------
    (tuple of ReportClaims, tuple of str)
        The reports in reading order, and warnings (files skipped).

    Raises
    ------
    basewatch.errors.ReportError
        No readable report, or metadata that is not in that layout.
    """
    table = load_metadata(metadata) if isinstance(metadata, str | Path) else metadata
    reports, warnings = read_reports(list(paths), metadata=table, published=published)
    out = tuple(ReportClaims(r, guess_language(r.text), extract_claims(r)) for r in reports)
    return out, tuple(warnings)


def claims_json(listed: Iterable[ReportClaims]) -> list[dict[str, Any]]:
    """Plain JSON objects, one per report: ``file``, ``id``, ``published``, ``language``
    and its ``claims`` (``start``, ``end``, ``site``, ``equipment``, ``count``,
    ``count_qualifier``, ``action``, ``modality``, ``absence``, ``date_from``,
    ``date_to``, ``checkable``, ``confidence``).

    Parameters
    ----------
    listed : iterable of ReportClaims
        What :func:`list_claims` returns.

    Returns
    -------
    list of dict
        JSON types only (dates as ISO strings, None as null).
    """
    out: list[dict[str, Any]] = []
    for item in listed:
        r = item.report
        out.append(
            {
                "file": Path(r.source).name,
                "id": r.id,
                "published": r.published.isoformat() if r.published else None,
                "language": item.language,
                "claims": [
                    {
                        "start": c.start,
                        "end": c.end,
                        "site": c.site,
                        "equipment": c.equipment,
                        "count": c.count,
                        "count_qualifier": c.count_qualifier,
                        "action": c.action,
                        "modality": c.modality,
                        "absence": c.absence,
                        "date_from": c.date_from.isoformat() if c.date_from else None,
                        "date_to": c.date_to.isoformat() if c.date_to else None,
                        "checkable": c.checkable,
                        "confidence": c.confidence,
                    }
                    for c in item.claims
                ],
            }
        )
    return out
