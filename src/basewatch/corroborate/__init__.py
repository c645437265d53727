"""Reports to claims to verdicts against the imagery.

:mod:`~basewatch.corroborate.reports`
    reading text, Markdown and HTML reports with their metadata
:mod:`~basewatch.corroborate.dates`
    dates in report text, resolved against the publication date
:mod:`~basewatch.corroborate.claims`
    claim extraction: count, equipment, action, site, date
:mod:`~basewatch.corroborate.confidence`
    how likely each claim is to be read right (a calibrated model)
:mod:`~basewatch.corroborate.stories`
    grouping retellings of one story
:mod:`~basewatch.corroborate.gazetteer`
    places, equipment, actions and their names in several languages
:mod:`~basewatch.corroborate.link`
    verdicts: supports, contradicts, no coverage, cannot resolve (pure)
:mod:`~basewatch.corroborate.runs`
    a run folder read as evidence
:mod:`~basewatch.corroborate.check`
    all of it in one call: :func:`check_reports` gives a :class:`Corroboration`
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
    "check_reports": "basewatch.corroborate.check",
    "Corroboration": "basewatch.corroborate.check",
    "RunEvidence": "basewatch.corroborate.runs",
    "load_catalogue": "basewatch.corroborate.runs",
    "Link": "basewatch.corroborate.link",
    "ZoneCount": "basewatch.corroborate.link",
    "CatalogScene": "basewatch.corroborate.link",
    "detection_labels": "basewatch.corroborate.link",
    "dedupe_evidence": "basewatch.corroborate.link",
    "load_metadata": "basewatch.corroborate.reports",
    "ReportGroup": "basewatch.corroborate.stories",
}

__all__ = [
    "CatalogScene",
    "Claim",
    "ClaimVerdict",
    "Corroboration",
    "Coverage",
    "Link",
    "LinkParams",
    "Report",
    "ReportGroup",
    "RunEvidence",
    "Verdict",
    "ZoneCount",
    "assess",
    "check_reports",
    "dedupe_evidence",
    "detection_labels",
    "extract_claims",
    "group_near_duplicates",
    "load_catalogue",
    "load_metadata",
    "load_run",
    "parse_report",
    "read_report",
    "read_reports",
    "run_dirs",
]
__getattr__, __dir__ = attach(__name__, _LAZY, globals())
