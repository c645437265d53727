"""Corroboration outputs: verdicts as Markdown, CSV and JSON, labels, claim-keyed pictures."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from basewatch._atomic import atomic_write_bytes, atomic_write_text
from basewatch._words import plural
from basewatch.corroborate.confidence import MEANING
from basewatch.errors import BasewatchError, OutputError
from basewatch.outputs.render import render_picture
from basewatch.outputs.run import load_picture
from basewatch.records import Detection, to_jsonable

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from basewatch.corroborate.check import Corroboration
    from basewatch.corroborate.claims import Claim
    from basewatch.corroborate.link import ClaimVerdict
    from basewatch.corroborate.reports import Report


def _by_detection(verdicts: Sequence[ClaimVerdict]) -> dict[str, list[dict[str, Any]]]:
    """For each linked detection, the claims it corroborates or contradicts."""
    out: dict[str, list[dict[str, Any]]] = {}
    for v in verdicts:
        for link in v.links:
            out.setdefault(link.detection_id, []).append(
                {"claim_id": link.claim_id, "relation": link.relation, "score": link.score}
            )
    for items in out.values():
        items.sort(key=lambda x: -float(x["score"]))
    return out


#: Characters of report text that Markdown would read as markup (links, images, raw
#: HTML, emphasis, code, table cells): escaped with a backslash wherever report text
#: is quoted, so a page's ``<img src=...>`` or ``![x](http://...)`` stays text.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]<>|!#])")


def _md(text: str) -> str:
    """Report text as inert Markdown on one line."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", " ".join(str(text).split()))


def _cell(text: str) -> str:
    return _md(text)


#: First characters that make a spreadsheet read a CSV cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text: one starting like a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _claims_json(report: Report, claims: Sequence[Claim]) -> dict[str, Any]:
    return {
        "id": report.id,
        "title": report.title,
        "outlet": report.outlet,
        "published": report.published.isoformat() if report.published else None,
        "source": report.source,
        "format": report.format,
        "notes": list(report.notes),
        "claims": [to_jsonable(c) for c in claims],
    }


# the columns of corroboration.csv and of the Markdown table's rows, in order
CSV_COLUMNS = (
    "claim",
    "report",
    "report_id",
    "group",
    "site",
    "claim_text",
    "verdict",
    "score",
    "sources",
    "detections",
    "reason",
    "evidence",
    "start",
    "end",
    "confidence",
)

#: Why ``corroboration.md`` has no verdicts and no claims table, where it has none.
NO_CLAIMS = "no claims were found in the reports"

# evidence quoted in the Markdown table is cut to this many characters
_MAX_QUOTE = 140


def write_corroboration(result: Corroboration, out: Path) -> dict[str, Path]:
    """Write the tables of a corroboration to ``out``, each file atomically.

    Parameters
    ----------
    result : Corroboration
        What :func:`~basewatch.corroborate.check.check_reports` returned.
    out : pathlib.Path
        Folder to write to (made if missing).

    Returns
    -------
    dict of str to pathlib.Path
        ``md``, ``csv``, ``json`` and ``labels``: ``corroboration.md`` (the verdicts
        for people), ``corroboration.csv`` (one row per claim), ``corroboration.json``
        (everything: parameters, reports and claims, groups, coverage, verdicts,
        links per detection, labels, warnings) and ``labels.json`` (claims per
        detection id, for pictures).
    """
    reports, claims, groups = result.reports, result.claims, result.groups
    verdicts, coverages, labels = result.verdicts, result.coverages, result.labels
    warnings, runs = result.warnings, [str(run.path) for run in result.runs]
    by_claim = {c.id: c for cs in claims.values() for c in cs}
    by_report = {r.id: r for r in reports}
    rows = [{k: rec[k] for k in CSV_COLUMNS} for rec in result.to_records()]
    paths = {
        "md": out / "corroboration.md",
        "csv": out / "corroboration.csv",
        "json": out / "corroboration.json",
        "labels": out / "labels.json",
    }
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["claim"])
    writer.writeheader()
    writer.writerows({k: _csv_safe(v) for k, v in row.items()} for row in rows)
    tally = Counter(v.verdict.value for v in verdicts)
    md: list[str] = [
        "# Corroboration",
        "",
        f"{plural(len(reports), 'report')}, "
        f"{plural(len(groups), 'independent story', 'independent stories')}, "
        f"{plural(len(by_claim), 'claim')}; runs: {', '.join(runs) or 'none'}.",
        "",
        "Verdicts: "
        + (", ".join(f"{k} {n}" for k, n in sorted(tally.items())) or f"none ({NO_CLAIMS})")
        + ".",
        "",
        "## Coverage",
        "",
    ]
    md += [
        f"- {_md(c.site)}: {_md(c.describe())}" + (f" (from {_md(str(c.run))})" if c.run else "")
        for c in coverages
    ] or ["- no runs given: no imagery"]
    md += ["", "## Reports", ""]
    for g in groups:
        names = [_md(by_report[i].label) for i in g.report_ids]
        same = f" (retold by: {'; '.join(names[1:])})" if len(names) > 1 else ""
        md.append(f"- story {g.id}: {names[0]}{same}")
    md += ["", "## Claims", ""]
    if rows:
        md += [
            f"*read right*: {MEANING}; a verdict says nothing of a claim misread.",
            "",
            "| id | report | claim | read right | evidence [offsets] | verdict | score "
            "| sources | reason |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
    else:
        md.append(f"None: {NO_CLAIMS}.")
    for row in rows:
        quote = row["evidence"]
        if len(quote) > _MAX_QUOTE:
            quote = quote[: _MAX_QUOTE - 3] + "..."
        md.append(
            f"| {row['claim']} | {_cell(row['report'])} | {_cell(row['claim_text'])} | "
            f"{row['confidence']:.2f} | “{_cell(quote)}” [{row['start']}:{row['end']}] | "
            f"**{row['verdict']}** | {row['score']:.2f} | {row['sources']} | "
            f"{_cell(row['reason'])} |"
        )
    if warnings:
        md += ["", "## Warnings", ""] + [f"- {_md(w)}" for w in warnings]
    doc = {
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "runs": list(runs),
        "params": to_jsonable(result.params),
        "reports": [_claims_json(r, claims.get(r.id, ())) for r in reports],
        "groups": [to_jsonable(g) for g in groups],
        "coverage": [to_jsonable(c) for c in coverages],
        "verdicts": [to_jsonable(v) for v in verdicts],
        "detections": _by_detection(verdicts),
        "labels": {k: list(v) for k, v in labels.items()},
        "warnings": list(warnings),
    }
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"{out}: cannot write the corroboration here ({exc.strerror or exc}); "
            "choose another folder with --out"
        ) from exc
    atomic_write_text(paths["csv"], buf.getvalue())
    atomic_write_text(paths["json"], json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    atomic_write_text(
        paths["labels"], json.dumps({k: list(v) for k, v in labels.items()}, indent=1) + "\n"
    )
    atomic_write_text(paths["md"], "\n".join(md) + "\n")
    return paths


def write_claim_pictures(result: Corroboration, out: Path) -> dict[Path, Path | None]:
    """Draw each run's change picture again, labelled with the claims of its detections.

    Parameters
    ----------
    result : Corroboration
        What :func:`~basewatch.corroborate.check.check_reports` returned.
    out : pathlib.Path
        Folder to write to: one ``<run folder name>_claims.png`` per run, atomically.

    Returns
    -------
    dict of pathlib.Path to pathlib.Path or None
        Per run folder, the picture written; None for a run without a picture
        (``preview.npz``, not written with ``--no-png``).
    """
    names = _picture_names([run.path for run in result.runs])
    written = {
        run.path: _labelled_picture(run.path, run.detections, result.labels, out / names[run.path])
        for run in result.runs
    }
    # pictures of an earlier corroboration into this folder describe other runs
    keep = {p for p in written.values() if p is not None}
    for old in out.glob(f"*{_PICTURE_SUFFIX}") if out.is_dir() else ():
        if old not in keep:
            old.unlink(missing_ok=True)
    return written


_PICTURE_SUFFIX = "_claims.png"


def _picture_names(run_dirs: Sequence[Path]) -> dict[Path, str]:
    """A file name per run folder, ``<folder name>_claims.png``, made unique with the
    parent folders' names where two run folders share a name."""
    depth = 1
    while True:
        names = {d: "_".join(Path(d).resolve().parts[-depth:]) for d in run_dirs}
        clash = len(set(names.values())) < len(names)
        if not clash or depth > max((len(Path(d).resolve().parts) for d in run_dirs), default=1):
            return {d: f"{n}{_PICTURE_SUFFIX}" for d, n in names.items()}
        depth += 1


def _labelled_picture(
    run_dir: Path,
    detections: Sequence[Detection],
    labels: Mapping[str, Sequence[str]],
    target: Path,
) -> Path | None:
    if not (run_dir / "preview.npz").is_file():
        return None
    try:
        png = render_picture(load_picture(run_dir, detections), labels=labels)
    except (BasewatchError, ValueError, IndexError, KeyError) as exc:
        # a damaged preview costs its picture, not the corroboration
        log.warning("%s: no claim picture (%s); run that comparison again", run_dir, exc)
        return None
    atomic_write_bytes(target, png)
    return target
