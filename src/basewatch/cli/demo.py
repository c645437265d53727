"""``basewatch demo``: the whole pipeline on the bundled real sample (Beirut, 2015 vs 2017)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from basewatch._atomic import atomic_write_text
from basewatch._paths import bundled_dir
from basewatch.cli._options import out_option
from basewatch.cli.detect import run_local_pair
from basewatch.errors import InputError
from basewatch.outputs.run import write_run
from basewatch.outputs.summary import summary_lines

#: The bundled sample: site -> (before, after) file names in imagery/.
SAMPLE = {
    "beirut-airport": ("beirut-airport_S2L1C_20150820.tif", "beirut-airport_S2L1C_20171003.tif"),
    "beirut-port": ("beirut-port_S2L1C_20150820.tif", "beirut-port_S2L1C_20171003.tif"),
}


@click.command()
@out_option("the outputs")
def demo(out_dir: Path) -> None:
    """Run basewatch on the bundled Sentinel-2 sample (Beirut airport and port)."""
    imagery = bundled_dir("imagery")
    missing = [n for pair in SAMPLE.values() for n in pair if not (imagery / n).is_file()]
    if missing:
        raise InputError(
            f"the bundled sample is incomplete in {imagery} (missing {', '.join(missing)}); "
            "reinstall basewatch or restore imagery/ from the repository"
        )
    click.echo("basewatch demo: Sentinel-2 L1C, Beirut, 2015-08-20 vs 2017-10-03")
    index = {}
    for site, (before, after) in SAMPLE.items():
        result = run_local_pair(site, imagery / before, imagery / after)
        paths = write_run(result, out_dir / site)
        index[site] = {k: str(v.relative_to(out_dir)) for k, v in paths.items()}
        for line in summary_lines(result):
            click.echo(line)
        click.echo(f"  -> {paths['png']}")
    atomic_write_text(out_dir / "index.json", json.dumps(index, indent=1) + "\n")
    click.echo("Contains modified Copernicus Sentinel data 2015, 2017.")
