"""Check the claims of reports against runs, in one call: :func:`check_reports`.

The steps, each a function of this subpackage: read the reports
(:func:`~basewatch.corroborate.reports.read_reports`), extract their claims
(:func:`~basewatch.corroborate.claims.extract_claims`), group retellings of one story
(:func:`~basewatch.corroborate.stories.group_near_duplicates`), read the run and
timeline folders as evidence (:func:`~basewatch.corroborate.runs.load_run`) and scene
catalogues for hints (:func:`~basewatch.corroborate.runs.load_catalogue`), and decide a
verdict per claim
(:func:`~basewatch.corroborate.link.assess`). The result is a :class:`Corroboration`
record; nothing is written or printed (:mod:`basewatch.outputs.corroboration` writes the
files, the ``basewatch corroborate`` command prints the summary).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from basewatch._paths import bundled_dir
from basewatch._words import plural
from basewatch.corroborate.claims import Claim, extract_claims
from basewatch.corroborate.link import (
    ClaimVerdict,
    Coverage,
    LinkParams,
    assess,
    dedupe_evidence,
    detection_labels,
)
from basewatch.corroborate.reports import Report, load_metadata, read_reports
from basewatch.corroborate.runs import RunEvidence, load_catalogue, load_run, run_dirs
from basewatch.corroborate.stories import ReportGroup, group_near_duplicates
from basewatch.records import Detection

PathLike = str | Path

# where metadata is not given: the bundled table of the seed reports
_BUNDLED_METADATA = ("seeds", "corpus.json")


@dataclass(frozen=True)
class Corroboration:
    """What the imagery of runs says about the claims of reports.

    Attributes
    ----------
    reports : tuple of Report
        The reports read, in reading order (folders sorted by file name).
    claims : Mapping of str to tuple of Claim
        The claims of each report, by :attr:`Report.id`.
    groups : tuple of ReportGroup
        Reports telling one story (a paraphrase, a translation): one source each.
    verdicts : tuple of ClaimVerdict
        One verdict per claim, in the order of :attr:`all_claims`.
    runs : tuple of RunEvidence
        The run and timeline folders read, with their detections and coverage.
    labels : Mapping of str to tuple of str
        Per detection id, short labels of the claims it supports (``+``) or
        contradicts (``-``), best first (for labelling pictures).
    params : LinkParams
        The thresholds and weights the verdicts were decided with.
    warnings : tuple of str
        Files skipped while reading, reports without a publication date.
    """

    reports: tuple[Report, ...]
    claims: Mapping[str, tuple[Claim, ...]]
    groups: tuple[ReportGroup, ...]
    verdicts: tuple[ClaimVerdict, ...]
    runs: tuple[RunEvidence, ...]
    labels: Mapping[str, tuple[str, ...]]
    params: LinkParams
    warnings: tuple[str, ...] = ()

    @property
    def all_claims(self) -> tuple[Claim, ...]:
        """Every claim, report by report."""
        return tuple(c for r in self.reports for c in self.claims.get(r.id, ()))

    @property
    def detections(self) -> tuple[Detection, ...]:
        """The detections of every run, run by run; one record per pair of scenes and
        object, however many run folders hold it (:func:`dedupe_evidence`)."""
        return dedupe_evidence(
            [d for run in self.runs for d in run.detections],
            [c for run in self.runs for c in run.coverages],
        )[0]

    @property
    def coverages(self) -> tuple[Coverage, ...]:
        """The coverage of every run, run by run, each piece of imagery once."""
        return dedupe_evidence(
            [d for run in self.runs for d in run.detections],
            [c for run in self.runs for c in run.coverages],
        )[1]

    @property
    def run_folders(self) -> tuple[str, ...]:
        """The run and timeline folders read, in reading order."""
        return tuple(str(run.path) for run in self.runs)

    def tally(self) -> dict[str, int]:
        """Claims per verdict (``{"no coverage": 21, ...}``), verdicts sorted by name."""
        return dict(sorted(Counter(v.verdict.value for v in self.verdicts).items()))

    def summary(self) -> str:
        """One line: reports, stories, claims, detections and runs, each noun in the
        right number (``1 report in 1 story, 2 claims, 15 detections from 2 runs``)."""
        return (
            f"{plural(len(self.reports), 'report')} in "
            f"{plural(len(self.groups), 'story', 'stories')}, "
            f"{plural(len(self.all_claims), 'claim')}, "
            f"{plural(len(self.detections), 'detection')} from {plural(len(self.runs), 'run')}"
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One plain row per verdict (JSON types only: str, int, float, None).

        Returns
        -------
        list of dict
            Keys: ``claim`` (claim id), ``report`` (label), ``report_id``, ``group``,
            ``site``, ``claim_text`` (one-line summary), ``equipment``, ``count``,
            ``count_qualifier``, ``action``, ``zone``, ``date_from``, ``date_to``
            (ISO dates or None), ``verdict``, ``score``, ``sources``, ``detections``
            (linked detection ids, space-separated), ``reason``, ``evidence`` (the
            report's words), ``start``, ``end`` (their offsets) and ``confidence``
            (of the extraction).
        """
        by_claim = {c.id: c for c in self.all_claims}
        by_report = {r.id: r for r in self.reports}
        rows: list[dict[str, Any]] = []
        for v in self.verdicts:
            c = by_claim[v.claim_id]
            r = by_report[c.report_id]
            rows.append(
                {
                    "claim": c.id,
                    "report": r.label,
                    "report_id": r.id,
                    "group": v.group_id,
                    "site": c.site,
                    "claim_text": c.summary,
                    "equipment": c.equipment,
                    "count": c.count,
                    "count_qualifier": c.count_qualifier,
                    "action": c.action,
                    "zone": c.zone_kind,
                    "date_from": c.date_from.isoformat() if c.date_from else None,
                    "date_to": c.date_to.isoformat() if c.date_to else None,
                    "verdict": v.verdict.value,
                    "score": v.score,
                    "sources": v.sources,
                    "detections": " ".join(k.detection_id for k in v.links),
                    "reason": v.reason,
                    "evidence": c.evidence,
                    "start": c.start,
                    "end": c.end,
                    "confidence": c.confidence,
                }
            )
        return rows

    def to_dataframe(self) -> Any:
        """The rows of :meth:`to_records` as a :class:`pandas.DataFrame`.

        Returns
        -------
        pandas.DataFrame
            One row per verdict.

        Raises
        ------
        ImportError
            When pandas is not installed (it is not a dependency of basewatch).
        """
        from basewatch.outputs.display import records_frame

        rows = self.to_records()
        return records_frame(rows, columns=list(rows[0]) if rows else ["claim"])

    def _repr_html_(self) -> str:
        """An HTML table of the verdicts (for notebooks); every value is escaped."""
        from basewatch.outputs.display import table_html

        head = (
            "claim",
            "site",
            "equipment",
            "count",
            "action",
            "date",
            "read right",
            "verdict",
            "score",
            "reason",
        )
        rows = []
        for row in self.to_records():
            count = "" if row["count"] is None else str(row["count"])
            if row["count_qualifier"] not in ("exact", "plural"):
                count = f"{row['count_qualifier'].replace('_', ' ')} {count}".strip()
            date = row["date_from"] or ""
            if row["date_to"] and row["date_to"] != row["date_from"]:
                date = f"{date}..{row['date_to']}"
            cells = (
                row["claim_text"],
                row["site"],
                row["equipment"],
                count,
                row["action"],
                date,
                f"{row['confidence']:.2f}",
                row["verdict"],
                f"{row['score']:.2f}",
                row["reason"],
            )
            rows.append({h: str(x) for h, x in zip(head, cells, strict=True)})
        tally = ", ".join(f"{k}: {n}" for k, n in self.tally().items()) or "no claims"
        return table_html(
            rows, head, caption=f"{self.summary()}; {tally}", max_rows=max(len(rows), 1)
        )


def _paths(given: PathLike | Iterable[PathLike]) -> list[PathLike]:
    """One path or several, as a list (a string is one path, not its characters)."""
    if isinstance(given, str | Path):
        return [given]
    return list(given)


def check_reports(
    reports: PathLike | Iterable[PathLike],
    runs: PathLike | Iterable[PathLike] = (),
    *,
    metadata: PathLike | Mapping[str, Mapping[str, Any]] | None = None,
    catalogs: PathLike | Iterable[PathLike] = (),
    params: LinkParams | None = None,
    published: str | dt.date | None = None,
    outlet: str | None = None,
    on_report: Callable[[Report, int, int], None] | None = None,
) -> Corroboration:
    """Check what reports claim against what the imagery of runs shows.

    Each claim (equipment, count, action, site, date, with its offsets in the report)
    gets a verdict: supports, contradicts, no coverage or cannot resolve, with a score
    and the reason (see :mod:`basewatch.corroborate.link`). Reports retelling one story
    count as one source. Reads files; writes and prints nothing.

    Parameters
    ----------
    reports : path or iterable of paths
        Report files (``.txt``, ``.md``, ``.html``) and folders of them (read one
        level deep; unreadable files are skipped with a warning).
    runs : path or iterable of paths, optional
        Run and timeline folders, or folders holding them (every folder with a
        ``run.json`` or ``timeline.json`` below the paths is read). A timeline's
        counts per zone and date and its tracks' events are evidence like a run's, pair
        of consecutive dates by pair (:func:`~basewatch.corroborate.runs.load_timeline`);
        a pair of scenes that a run folder also holds is judged on the run's
        detections. None given: every claim is *no coverage*.
    metadata : path or mapping, optional
        Report metadata (title, outlet, published per file name or report id): a
        JSON file (see :func:`~basewatch.corroborate.reports.load_metadata`) or its
        mapping. Default: the bundled ``seeds/corpus.json`` where present; ``{}``
        for none.
    catalogs : path or iterable of paths, optional
        Scene catalogues (JSON list, JSON lines or STAC items) that name scenes
        which could be fetched for sites without imagery.
    params : LinkParams, optional
        Thresholds and weights of linking (default: :class:`LinkParams` defaults).
    published : str or datetime.date, optional
        Publication date for every report read (wins over metadata).
    outlet : str, optional
        Outlet name for every report read.
    on_report : callable, optional
        Called as ``on_report(report, done, total)`` after each report's claims are
        extracted (a command's progress bar over many reports); nothing is printed.

    Returns
    -------
    Corroboration
        The reports, claims, story groups, verdicts, runs, labels and warnings.

    Raises
    ------
    basewatch.errors.ReportError
        No readable report, a report named explicitly that cannot be read, bad
        metadata or a publication date that is not a date.
    basewatch.errors.InputError
        A run folder without ``run.json`` or with broken records, a bad catalogue.

    Examples
    --------
    >>> result = check_reports("reports/", ["out/demo"])  # doctest: +SKIP
    >>> result.tally()  # doctest: +SKIP
    {'cannot resolve': 1, 'supports': 2, ...}
    """
    params = params or LinkParams()
    table = _metadata(metadata)
    read, read_warnings = read_reports(
        _paths(reports), metadata=table, published=published, outlet=outlet
    )
    claims: dict[str, tuple[Claim, ...]] = {}
    for done, report in enumerate(read, start=1):
        claims[report.id] = tuple(extract_claims(report))
        if on_report is not None:
            on_report(report, done, len(read))
    groups = group_near_duplicates(read)
    evidence = _prefer_runs(tuple(_read_runs(_paths(runs))))
    all_claims = [c for r in read for c in claims[r.id]]
    catalog_paths = [Path(p) for p in _paths(catalogs)]
    catalogue = (
        load_catalogue(catalog_paths, sorted({c.site for c in all_claims if c.monitored}))
        if catalog_paths
        else {}
    )
    verdicts = assess(
        all_claims,
        [d for run in evidence for d in run.detections],
        [c for run in evidence for c in run.coverages],
        published={r.id: r.published for r in read},
        groups={rid: g.id for g in groups for rid in g.report_ids},
        params=params,
        catalogue=catalogue,
    )
    warnings = list(read_warnings)
    undated = [r.label for r in read if r.published is None]
    if undated:
        warnings.append(
            f"no publication date for {', '.join(undated)}: relative dates are unresolved "
            "(give --published or a --meta file)"
        )
    return Corroboration(
        reports=tuple(read),
        claims=claims,
        groups=tuple(groups),
        verdicts=verdicts,
        runs=evidence,
        labels=detection_labels(verdicts, all_claims),
        params=params,
        warnings=tuple(warnings),
    )


def _metadata(
    given: PathLike | Mapping[str, Mapping[str, Any]] | None,
) -> Mapping[str, Mapping[str, Any]] | None:
    """The metadata table: read from a file, given, or the bundled one where present."""
    if isinstance(given, Mapping):
        return given
    if given is not None:
        return load_metadata(given)
    bundled = bundled_dir(_BUNDLED_METADATA[0]) / _BUNDLED_METADATA[1]
    return load_metadata(bundled) if bundled.is_file() else None


def _read_runs(paths: Sequence[PathLike]) -> Iterable[RunEvidence]:
    """Every run and timeline folder under the paths given, each once (a folder given
    twice, or inside another one given, is read once)."""
    done: set[Path] = set()
    for given in paths:
        for folder in run_dirs(Path(given)):
            if folder.resolve() in done:
                continue
            done.add(folder.resolve())
            yield load_run(folder)


def _prefer_runs(evidence: Sequence[RunEvidence]) -> tuple[RunEvidence, ...]:
    """The evidence with one account of each pair of scenes: where a run folder holds
    a pair of scenes, a timeline's detections of that pair are left out (the run's
    change detection is the finer account; its coverage and the timeline's are one by
    their scene ids, :func:`~basewatch.corroborate.link.dedupe_evidence`)."""
    pairs = {
        (c.site, frozenset(c.scenes))
        for ev in evidence
        if ev.kind == "run"
        for c in ev.coverages
        if c.has_imagery
    }
    if not pairs:
        return tuple(evidence)
    return tuple(
        replace(
            ev,
            detections=tuple(
                d for d in ev.detections if (d.site, frozenset((d.before, d.after))) not in pairs
            ),
        )
        if ev.kind == "timeline"
        else ev
        for ev in evidence
    )
