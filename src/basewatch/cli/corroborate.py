"""``basewatch corroborate``: check the claims of text reports against run outputs."""

from __future__ import annotations

from pathlib import Path

import click

from basewatch.cli._options import progress
from basewatch.corroborate.check import check_reports
from basewatch.corroborate.link import LinkParams
from basewatch.outputs.corroboration import write_claim_pictures, write_corroboration


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
    help="Run or timeline folder, or a folder of them (every folder below it with a "
    "run.json or timeline.json is read); repeat for more. None: no imagery.",
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
      basewatch corroborate --reports reports/ --run out/ # every run and timeline in out/

    labels.json maps each detection id to the claims it supports (+) or contradicts (-),
    for labelling the change PNGs.
    """
    with progress("reading the claims of the reports") as advance:
        result = check_reports(
            report_paths,
            run_paths,
            metadata=meta_path,
            catalogs=catalog_paths,
            params=LinkParams(max_cloud=max_cloud, undated_lookback_days=lookback_days),
            published=published,
            outlet=outlet,
            on_report=lambda report, _done, total: advance(report.label, total=total),
        )
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)
    paths = write_corroboration(result, out_dir)
    timelines = {run.path for run in result.runs if run.kind == "timeline"}
    for run_dir, png in write_claim_pictures(result, out_dir).items():
        if png is not None:
            click.echo(f"  -> {png}")
        elif run_dir not in timelines:  # a timeline draws counts, not a change picture
            click.echo(f"warning: {run_dir} has no preview.npz: no labelled picture", err=True)
    click.echo(result.summary())
    for run in result.runs:
        click.echo(f"  {run.kind} folder: {run.path}")
    for verdict, n in result.tally().items():
        click.echo(f"  {verdict}: {n}")
    click.echo(f"  -> {paths['md']}")
