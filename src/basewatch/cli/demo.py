"""``basewatch demo``: the whole pipeline on the bundled real sample (Beirut, 2015 vs 2017)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from basewatch._atomic import atomic_write_text
from basewatch.aoi import load_site
from basewatch.cli._options import out_option
from basewatch.imagery.local import read_local_pair
from basewatch.outputs.run import write_run
from basewatch.outputs.summary import summary_lines
from basewatch.pipeline import detect_pair
from basewatch.sample import SAMPLE, sample_pair


@click.command()
@out_option("the outputs")
def demo(out_dir: Path) -> None:
    """Run basewatch on the bundled Sentinel-2 sample (Beirut airport and port)."""
    click.echo("basewatch demo: Sentinel-2 L1C, Beirut, 2015-08-20 vs 2017-10-03")
    index = {}
    pairs = {site: sample_pair(site) for site in SAMPLE}  # every file checked first
    for site, (before, after) in pairs.items():
        aoi = load_site(site)
        result = detect_pair(aoi, *read_local_pair(aoi, before, after))
        paths = write_run(result, out_dir / site)
        index[site] = {k: str(v.relative_to(out_dir)) for k, v in paths.items()}
        for line in summary_lines(result):
            click.echo(line)
        click.echo(f"  -> {paths['png']}")
    atomic_write_text(out_dir / "index.json", json.dumps(index, indent=1) + "\n")
    click.echo("Contains modified Copernicus Sentinel data 2015, 2017.")
