"""``basewatch sites``: list the bundled sites and their zones."""

from __future__ import annotations

import click

from basewatch.aoi import list_sites, load_site


@click.command()
@click.option("--zones", is_flag=True, help="Also list each site's zones.")
def sites(zones: bool) -> None:
    """List the sites basewatch knows (from the aoi/ folder)."""
    for name in list_sites():
        site = load_site(name)
        click.echo(f"{name:16s} {site.title}  [{site.utm_crs}, {site.area_km2():.1f} km²]")
        if zones:
            for z in site.zones:
                approx = " (approximate)" if z.approximate else ""
                click.echo(f"    {z.kind:9s} {z.name}{approx}")
