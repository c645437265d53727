"""``basewatch corroborate``: check the claims of text reports against run outputs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from basewatch._paths import bundled_dir
from basewatch.corroborate.claims import extract_claims
from basewatch.corroborate.link import (
    Coverage,
    LinkParams,
    assess,
    detection_labels,
)
from basewatch.corroborate.reports import load_metadata, read_reports
from basewatch.corroborate.runs import (
    load_catalogue,
    load_run,
    run_dirs,
)
from basewatch.corroborate.stories import group_near_duplicates
from basewatch.outputs.corroboration import _labelled_picture, write_outputs
from basewatch.records import Detection


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
