"""``basewatch demo``: the whole pipeline on the bundled real sample (Beirut, 2015 vs 2017)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from basewatch._atomic import atomic_write_text
from basewatch.cli._options import overwrite_option, run_folder, step
from basewatch.outputs.summary import summary_lines
from basewatch.sample import SAMPLE, sample_pair


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out") / "demo",
    show_default=True,
    help="Folder for the outputs (one run folder per site in it).",
)
@overwrite_option
def demo(out_dir: Path, overwrite: bool) -> None:
    """Run basewatch on the bundled Sentinel-2 sample (Beirut airport and port)."""
    from basewatch.aoi import load_site
    from basewatch.imagery.local import read_local_pair
    from basewatch.outputs.run import write_run
    from basewatch.pipeline import detect_pair

    click.echo("basewatch demo: Sentinel-2 L1C, Beirut, 2015-08-20 vs 2017-10-03")
    index = {}
    pairs = {site: sample_pair(site) for site in SAMPLE}  # every file checked first
    folders = {
        site: run_folder(out_dir / site, command="demo", site=site, dates=(), overwrite=overwrite)
        for site in SAMPLE
    }
    for site, (before, after) in pairs.items():
        aoi = load_site(site)
        with step(f"{site}: reading, aligning and comparing the two dates"):
            result = detect_pair(aoi, *read_local_pair(aoi, before, after))
        with step(f"{site}: writing {folders[site]}"):
            paths = write_run(result, folders[site], overwrite=overwrite)
        index[site] = {k: str(v.relative_to(out_dir)) for k, v in paths.items()}
        for line in summary_lines(result):
            click.echo(line)
        click.echo(f"  -> {paths['png']}")
    atomic_write_text(out_dir / "index.json", json.dumps(index, indent=1) + "\n")
    click.echo("Contains modified Copernicus Sentinel data 2015, 2017.")
