"""``basewatch corroborate``: check the claims of text reports against run outputs."""

from __future__ import annotations

from pathlib import Path

import click

from basewatch._atomic import write_folder
from basewatch.cli._options import overwrite_option, progress, run_folder
from basewatch.corroborate.link import LinkParams
from basewatch.errors import OutputError


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
    help="Folder for corroboration.md/.csv/.json, labels.json and the claim pictures "
    "(written whole; an earlier corroboration there is replaced only with --overwrite).",
)
@overwrite_option
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
    overwrite: bool,
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
    bracketed, or too far from a claimed move to show it, clouds, zone outside the AOI,
    place not watched) or cannot resolve
    (object too small for the sensor, or presence that change detection cannot see),
    with a score and the reason. Reports retelling one story count as one source
    where they are close copies in one language; a translation or a rewrite counts as a
    source of its own, so a verdict's count of sources is an upper bound.

    \b
    Example:
      basewatch demo --out out/demo
      basewatch corroborate --reports reports/ --run out/demo --out out/corroboration
      basewatch corroborate --reports reports/ --run out/ # every run and timeline in out/

    labels.json maps each detection id to the claims it supports (+) or contradicts (-),
    for labelling the change PNGs.
    """
    from basewatch.corroborate.check import check_reports
    from basewatch.outputs.corroboration import write_claim_pictures, write_corroboration

    _refuse_inputs_inside(out_dir, [*report_paths, *run_paths, *_runs_read(run_paths)])
    out_dir = run_folder(out_dir, command="corroborate", site="", dates=(), overwrite=overwrite)
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

    def write(folder: Path) -> tuple[dict[str, Path], dict[Path, Path | None]]:
        return write_corroboration(result, folder), write_claim_pictures(result, folder)

    tables, pictures = write_folder(out_dir, write, overwrite=overwrite)
    paths = {key: out_dir / p.name for key, p in tables.items()}
    timelines = {run.path for run in result.runs if run.kind == "timeline"}
    for run_dir, png in pictures.items():
        if png is not None:
            click.echo(f"  -> {out_dir / png.name}")
        elif run_dir not in timelines:  # a timeline draws counts, not a change picture
            click.echo(f"warning: {run_dir} has no preview.npz: no labelled picture", err=True)
    click.echo(result.summary())
    for run in result.runs:
        click.echo(f"  {run.kind} folder: {run.path}")
    for verdict, n in result.tally().items():
        click.echo(f"  {verdict}: {n}")
    click.echo(f"  -> {paths['md']}")


def _runs_read(run_paths: tuple[Path, ...]) -> list[Path]:
    """The run and timeline folders the ``--run`` paths hold (those a corroboration
    reads: an output folder inside one of them would replace it); a path with none is
    left to the reading to report."""
    from basewatch.corroborate.runs import run_dirs
    from basewatch.errors import InputError

    found: list[Path] = []
    for path in run_paths:
        try:
            found += run_dirs(path)
        except InputError:
            continue
    return found


def _refuse_inputs_inside(out_dir: Path, inputs: list[Path]) -> None:
    """Refuse an output folder that is, or holds, a report or run being read: writing
    it whole (or replacing it with --overwrite) would take them away."""
    out = out_dir.resolve()
    for path in inputs:
        p = path.resolve()
        if p == out or out in p.parents:
            what = "is" if p == out else "holds"
            raise OutputError(
                f"--out {out_dir} {what} {path}, which this corroboration reads; give --out "
                "a folder of its own (default out/corroboration)"
            )
