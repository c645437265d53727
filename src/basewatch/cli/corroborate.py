"""``basewatch corroborate``: check the claims of text reports against run outputs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from basewatch._atomic import atomic_write_bytes, atomic_write_text
from basewatch._paths import bundled_dir
from basewatch.aoi import load_site
from basewatch.errors import AOIError, InputError
from basewatch.link import (
    CatalogScene,
    ClaimVerdict,
    Coverage,
    LinkParams,
    assess,
    coverages_from_run,
    detection_from_feature,
    detection_labels,
)
from basewatch.pipeline import load_picture
from basewatch.records import Detection, to_jsonable
from basewatch.render import render_picture
from basewatch.reports import (
    Claim,
    Report,
    ReportGroup,
    extract_claims,
    group_near_duplicates,
    load_metadata,
    read_reports,
)

__all__ = ["corroborate", "load_catalogue", "load_run", "run_dirs", "write_outputs"]

MAX_RUN_FILE_BYTES = 200 * 1024 * 1024


def _read_json(path: Path, what: str) -> Any:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from exc
    if size > MAX_RUN_FILE_BYTES:
        raise InputError(f"{path}: {size / 1e6:.0f} MB is too large for a {what}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            f"{path}: the {what} is not valid JSON ({exc}); re-run the detection"
        ) from exc


def run_dirs(path: Path) -> list[Path]:
    """Run folders in ``path``: itself if it holds ``run.json``, else its sub-folders that do."""
    if not path.is_dir():
        raise InputError(f"{path}: not a folder; give a run folder written by basewatch")
    if (path / "run.json").is_file():
        return [path]
    found = sorted(p for p in path.iterdir() if p.is_dir() and (p / "run.json").is_file())
    if not found:
        raise InputError(
            f"{path}: no run.json here or in its sub-folders (an unfinished or failed run?); "
            "give a folder written by 'basewatch detect' or 'basewatch demo'"
        )
    return found


def load_run(path: Path) -> tuple[list[Detection], list[Coverage], dict[str, Any]]:
    """Detections, coverage facts and the record of one run folder."""
    record = _read_json(path / "run.json", "run record")
    if not isinstance(record, Mapping):
        raise InputError(f"{path / 'run.json'}: expected a JSON object")
    detections: list[Detection] = []
    gj_path = path / "detections.geojson"
    if gj_path.is_file():
        gj = _read_json(gj_path, "detections file")
        feats = gj.get("features") if isinstance(gj, Mapping) else None
        if not isinstance(feats, list):
            raise InputError(f"{gj_path}: not a GeoJSON FeatureCollection (no 'features' list)")
        for i, feat in enumerate(feats):
            if not isinstance(feat, Mapping):
                raise InputError(f"{gj_path}: feature {i} is not an object")
            try:
                detections.append(detection_from_feature(feat))
            except InputError as exc:
                raise InputError(f"{gj_path}: feature {i}: {exc}") from None
    elif any(int(v) for v in (record.get("counts") or {}).values()):
        raise InputError(f"{path}: run.json counts detections but detections.geojson is missing")
    coverages = [
        _with_aoi_zones(c, record) for c in coverages_from_run(record, detections, run=str(path))
    ]
    return detections, coverages, dict(record)


def _with_aoi_zones(cov: Coverage, record: Mapping[str, Any]) -> Coverage:
    """Fill the zone kinds of a coverage (and of its zone counts, for runs that did not
    record them) from the run's AOI file (or the bundled one)."""
    unknown = any(not zc.kind for zc in cov.zone_counts)
    if cov.zones and not unknown:
        return cov
    params = record.get("parameters")
    site_file = params.get("site_file") if isinstance(params, Mapping) else None
    candidates: list[str | Path] = []
    if isinstance(site_file, str) and record.get("site") == cov.site:
        candidates.append(Path(site_file))
    candidates.append(cov.site)
    for cand in candidates:
        try:
            site = load_site(cand)
        except (AOIError, OSError, ValueError):
            continue
        kinds = tuple(sorted({z.kind for z in site.zones}))
        by_name = {z.name: z.kind for z in site.zones}
        counts = tuple(
            zc if zc.kind else replace(zc, kind=by_name.get(zc.zone, "")) for zc in cov.zone_counts
        )
        return replace(cov, zones=cov.zones or kinds, zone_counts=counts)
    return cov


def _scene_records(path: Path) -> list[Mapping[str, Any]]:
    """Scene records of a catalogue file: a JSON list, JSON lines, or a STAC collection."""
    try:
        size = path.stat().st_size
        if size > MAX_RUN_FILE_BYTES:
            raise InputError(f"{path}: {size / 1e6:.0f} MB is too large for a scene catalogue")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the scene catalogue ({exc})") from exc
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError:
        try:
            doc = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path}: not JSON or JSON lines ({exc}); give a scene catalogue file"
            ) from exc
    if isinstance(doc, Mapping):
        doc = doc.get("features") or doc.get("scenes") or doc.get("items") or []
    if not isinstance(doc, list):
        raise InputError(f"{path}: a scene catalogue must be a list of scene records")
    out: list[Mapping[str, Any]] = []
    for rec in doc:
        if isinstance(rec, Mapping):
            props = rec.get("properties")
            out.append({**rec, **props} if isinstance(props, Mapping) else rec)
    return out


_S1_ID = re.compile(r"^S1([AB])_\w\w_\w{4}_\w{4}_\d{8}T\d{6}_\d{8}T\d{6}_(\d{6})_")


def _s1_track(scene_id: str) -> str:
    """``"S1 track 14"``: change pairs of Sentinel-1 must share the relative orbit."""
    m = _S1_ID.match(scene_id)
    if not m:
        return "S1"
    absolute = int(m.group(2))
    offset = 73 if m.group(1) == "A" else 27
    return f"S1 track {(absolute - offset) % 175 + 1}"


def load_catalogue(paths: Sequence[Path], sites: Sequence[str]) -> dict[str, list[CatalogScene]]:
    """Catalogued scenes (ids, dates, clouds; no pixels) whose footprint holds each site.

    A site's position is the centre of its AOI outline; sites without an AOI are left out.
    """
    points: dict[str, tuple[float, float]] = {}
    for site in sites:
        try:
            c = load_site(site).outline.centroid
        except (AOIError, OSError, ValueError):
            continue
        points[site] = (float(c.x), float(c.y))
    out: dict[str, list[CatalogScene]] = {s: [] for s in points}
    for path in paths:
        for rec in _scene_records(path):
            bbox = rec.get("bbox")
            when = rec.get("datetime")
            if not (isinstance(bbox, Sequence) and len(bbox) >= 4 and isinstance(when, str)):
                continue
            try:
                day = dt.date.fromisoformat(when[:10])
            except ValueError:
                continue
            sid = str(rec.get("id", ""))
            coll = str(rec.get("collection", "")).lower()
            sensor = "S1" if sid.startswith("S1") or "sentinel-1" in coll else "S2"
            if sensor == "S1":
                sensor = _s1_track(sid)
            cloud = rec.get("cloud_fraction")
            if cloud is None:
                pct = rec.get("eo:cloud_cover", rec.get("cloud"))
                cloud = float(pct) / 100.0 if isinstance(pct, int | float) else None
            for site, (lon, lat) in points.items():
                if bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3]:
                    out[site].append(
                        CatalogScene(
                            id=sid,
                            sensor=sensor,
                            date=day,
                            cloud_fraction=None
                            if sensor.startswith("S1") or cloud is None
                            else min(1.0, max(0.0, float(cloud))),
                        )
                    )
    return out


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


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


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


def write_outputs(
    out: Path,
    reports: Sequence[Report],
    claims: Mapping[str, Sequence[Claim]],
    groups: Sequence[ReportGroup],
    verdicts: Sequence[ClaimVerdict],
    coverages: Sequence[Coverage],
    labels: Mapping[str, Sequence[str]],
    params: LinkParams,
    warnings: Sequence[str],
    runs: Sequence[str],
) -> dict[str, Path]:
    """Write ``corroboration.md``, ``.csv``, ``.json`` and ``labels.json`` atomically."""
    by_claim = {c.id: c for cs in claims.values() for c in cs}
    by_report = {r.id: r for r in reports}
    rows: list[dict[str, Any]] = []
    for v in verdicts:
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
    paths = {
        "md": out / "corroboration.md",
        "csv": out / "corroboration.csv",
        "json": out / "corroboration.json",
        "labels": out / "labels.json",
    }
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["claim"])
    writer.writeheader()
    writer.writerows(rows)
    tally = Counter(v.verdict.value for v in verdicts)
    md: list[str] = [
        "# Corroboration",
        "",
        f"{len(reports)} report(s), {len(groups)} independent stor(y/ies), "
        f"{len(by_claim)} claim(s); runs: {', '.join(runs) or 'none'}.",
        "",
        "Verdicts: " + ", ".join(f"{k} {n}" for k, n in sorted(tally.items())) + ".",
        "",
        "## Coverage",
        "",
    ]
    md += [f"- {c.site}: {c.describe()}" for c in coverages] or ["- no runs given: no imagery"]
    md += ["", "## Reports", ""]
    for g in groups:
        names = [by_report[i].label for i in g.report_ids]
        same = f" (retold by: {'; '.join(names[1:])})" if len(names) > 1 else ""
        md.append(f"- story {g.id}: {names[0]}{same}")
    md += [
        "",
        "## Claims",
        "",
        "| claim | report | claim | evidence [offsets] | verdict | score | sources | reason |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        quote = row["evidence"] if len(row["evidence"]) <= 140 else row["evidence"][:137] + "..."
        md.append(
            f"| {row['claim']} | {_cell(row['report'])} | {_cell(row['claim_text'])} | "
            f"“{_cell(quote)}” [{row['start']}:{row['end']}] | "
            f"**{row['verdict']}** | {row['score']:.2f} | {row['sources']} | "
            f"{_cell(row['reason'])} |"
        )
    if warnings:
        md += ["", "## Warnings", ""] + [f"- {w}" for w in warnings]
    doc = {
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "runs": list(runs),
        "params": to_jsonable(params),
        "reports": [_claims_json(r, claims.get(r.id, ())) for r in reports],
        "groups": [to_jsonable(g) for g in groups],
        "coverage": [to_jsonable(c) for c in coverages],
        "verdicts": [to_jsonable(v) for v in verdicts],
        "detections": _by_detection(verdicts),
        "labels": {k: list(v) for k, v in labels.items()},
        "warnings": list(warnings),
    }
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(paths["csv"], buf.getvalue())
    atomic_write_text(paths["json"], json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    atomic_write_text(
        paths["labels"], json.dumps({k: list(v) for k, v in labels.items()}, indent=1) + "\n"
    )
    atomic_write_text(paths["md"], "\n".join(md) + "\n")
    return paths


def _labelled_picture(
    run_dir: Path,
    detections: Sequence[Detection],
    labels: Mapping[str, Sequence[str]],
    out_dir: Path,
) -> Path | None:
    """Draw a run's change picture again with the claims of its detections.

    Written as ``<out>/<run folder>_claims.png``; runs without a picture (``--no-png``)
    are skipped with a warning.
    """
    if not (run_dir / "preview.npz").is_file():
        click.echo(f"warning: {run_dir} has no preview.npz: no labelled picture", err=True)
        return None
    picture = load_picture(run_dir, detections)
    target = out_dir / f"{run_dir.name}_claims.png"
    atomic_write_bytes(target, render_picture(picture, labels=labels))
    return target


@click.command()
@click.option(
    "--reports",
    "report_paths",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path, exists=True),
    help="Report file or folder (.txt, .md, .html); repeat for more.",
)
@click.option(
    "--run",
    "run_paths",
    multiple=True,
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    help="Run folder (or a folder of run folders); repeat for more. None: no imagery.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out") / "corroboration",
    show_default=True,
    help="Folder for corroboration.md/.csv/.json and labels.json.",
)
@click.option(
    "--meta",
    "meta_path",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Report metadata JSON (title, outlet, published per file or id). "
    "Default: the bundled seeds/corpus.json.",
)
@click.option(
    "--catalog",
    "catalog_paths",
    multiple=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Scene catalogue (JSON list, JSON lines or STAC items) to name scenes that "
    "could be fetched for sites without imagery; repeat for more.",
)
@click.option("--published", help="Publication date (YYYY-MM-DD) for every report read.")
@click.option("--outlet", help="Outlet name for every report read.")
@click.option(
    "--max-cloud",
    type=click.FloatRange(0.0, 1.0),
    default=LinkParams.max_cloud,
    show_default=True,
    help="Cloud fraction above which imagery counts as no coverage.",
)
@click.option(
    "--lookback-days",
    type=click.IntRange(1, 3650),
    default=LinkParams.undated_lookback_days,
    show_default=True,
    help="Window before publication for undated claims.",
)
def corroborate(
    report_paths: tuple[Path, ...],
    run_paths: tuple[Path, ...],
    out_dir: Path,
    meta_path: Path | None,
    catalog_paths: tuple[Path, ...],
    published: str | None,
    outlet: str | None,
    max_cloud: float,
    lookback_days: int,
) -> None:
    """Check what reports claim against what the imagery of runs shows.

    Each claim (equipment, count, action, site, date, with its offsets in the report)
    gets a verdict: supports, contradicts, no coverage (no imagery, dates not
    bracketed, clouds, zone outside the AOI, place not watched) or cannot resolve
    (object too small for the sensor, or presence that change detection cannot see),
    with a score and the reason. Reports retelling one story count as one source.

    \b
    Example:
      basewatch demo --out out/demo
      basewatch corroborate --reports reports/ --run out/demo --out out/corroboration

    labels.json maps each detection id to the claims it supports (+) or contradicts (-),
    for labelling the change PNGs.
    """
    meta_file = meta_path or bundled_dir("seeds") / "corpus.json"
    metadata = load_metadata(meta_file) if meta_file.is_file() else None
    reports, warnings = read_reports(
        report_paths, metadata=metadata, published=published, outlet=outlet
    )
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    claims = {r.id: extract_claims(r) for r in reports}
    groups = group_near_duplicates(reports)
    group_of = {rid: g.id for g in groups for rid in g.report_ids}
    detections: list[Detection] = []
    coverages: list[Coverage] = []
    runs: list[str] = []
    run_detections: list[tuple[Path, list[Detection]]] = []
    for rp in run_paths:
        for d in run_dirs(rp):
            dets, covs, _ = load_run(d)
            detections += dets
            coverages += covs
            runs.append(str(d))
            run_detections.append((d, dets))
    params = LinkParams(max_cloud=max_cloud, undated_lookback_days=lookback_days)
    all_claims = [c for r in reports for c in claims[r.id]]
    catalogue = (
        load_catalogue(catalog_paths, sorted({c.site for c in all_claims if c.monitored}))
        if catalog_paths
        else {}
    )
    verdicts = assess(
        all_claims,
        detections,
        coverages,
        published={r.id: r.published for r in reports},
        groups=group_of,
        params=params,
        catalogue=catalogue,
    )
    labels = detection_labels(verdicts, all_claims)
    undated = [r.label for r in reports if r.published is None]
    if undated:
        warnings = [
            *warnings,
            f"no publication date for {', '.join(undated)}: relative dates are unresolved "
            "(give --published or a --meta file)",
        ]
        click.echo(f"warning: {warnings[-1]}", err=True)
    paths = write_outputs(
        out_dir, reports, claims, groups, verdicts, coverages, labels, params, warnings, runs
    )
    for run_dir, dets in run_detections:
        png = _labelled_picture(run_dir, dets, labels, out_dir)
        if png is not None:
            click.echo(f"  -> {png}")
    tally = Counter(v.verdict.value for v in verdicts)
    click.echo(
        f"{len(reports)} report(s) in {len(groups)} stor(y/ies), {len(all_claims)} claim(s), "
        f"{len(detections)} detection(s) from {len(runs)} run(s)"
    )
    for verdict, n in sorted(tally.items()):
        click.echo(f"  {verdict}: {n}")
    click.echo(f"  -> {paths['md']}")
