"""Reports to claims to verdicts against the imagery.

:mod:`~basewatch.corroborate.reports`
    reading text, Markdown and HTML reports with their metadata
:mod:`~basewatch.corroborate.dates`
    dates in report text, resolved against the publication date
:mod:`~basewatch.corroborate.claims`
    claim extraction: count, equipment, action, site, date
:mod:`~basewatch.corroborate.stories`
    grouping retellings of one story
:mod:`~basewatch.corroborate.gazetteer`
    places, equipment, actions and their names in several languages
:mod:`~basewatch.corroborate.link`
    verdicts: supports, contradicts, no coverage, cannot resolve (pure)
:mod:`~basewatch.corroborate.runs`
    a run folder read as evidence
"""

from __future__ import annotations

from basewatch._lazy import attach

_LAZY: dict[str, str] = {
    "Claim": "basewatch.corroborate.claims",
    "extract_claims": "basewatch.corroborate.claims",
    "ClaimVerdict": "basewatch.corroborate.link",
    "Coverage": "basewatch.corroborate.link",
    "LinkParams": "basewatch.corroborate.link",
    "Verdict": "basewatch.corroborate.link",
    "assess": "basewatch.corroborate.link",
    "Report": "basewatch.corroborate.reports",
    "parse_report": "basewatch.corroborate.reports",
    "read_report": "basewatch.corroborate.reports",
    "read_reports": "basewatch.corroborate.reports",
    "load_run": "basewatch.corroborate.runs",
    "run_dirs": "basewatch.corroborate.runs",
    "group_near_duplicates": "basewatch.corroborate.stories",
}

__all__ = [
    "Claim",
    "ClaimVerdict",
    "Coverage",
    "LinkParams",
    "Report",
    "Verdict",
    "assess",
    "extract_claims",
    "group_near_duplicates",
    "load_run",
    "parse_report",
    "read_report",
    "read_reports",
    "run_dirs",
]
__getattr__, __dir__ = attach(__name__, _LAZY, globals())
