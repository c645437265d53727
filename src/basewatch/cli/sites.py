"""``basewatch sites``: the sites basewatch knows; ``sites show NAME`` draws one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from basewatch._atomic import check_replaceable
from basewatch._words import plural
from basewatch.aoi import list_sites, load_site
from basewatch.cli._options import check_date_order, overwrite_option


@click.group(invoke_without_command=True)
@click.option("--zones", is_flag=True, help="Also list each site's zones.")
@click.pass_context
def sites(ctx: click.Context, zones: bool) -> None:
    """List the sites basewatch knows (from the aoi/ folder); `sites show NAME` draws one."""
    if ctx.invoked_subcommand is not None:
        return
    for name in list_sites():
        site = load_site(name)
        click.echo(f"{name:16s} {site.title}  [{site.utm_crs}, {site.area_km2():.1f} km²]")
        if zones:
            for z in site.zones:
                approx = " (approximate)" if z.approximate else ""
                click.echo(f"    {z.kind:9s} {z.name}{approx}")


@sites.command("show")
@click.argument("name")
@click.option(
    "--catalog",
    "catalogs",
    multiple=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Catalogue file (scene list, STAC items): draw the footprints and dates of the "
    "scenes that cover the site; repeat for more.",
)
@click.option(
    "--from",
    "start",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="With --catalog: only scenes from this day (YYYY-MM-DD).",
)
@click.option(
    "--to",
    "end",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="With --catalog: only scenes up to this day (YYYY-MM-DD).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder for site.png and site.html [default: out/sites/<name>/].",
)
@overwrite_option
def show(
    name: str,
    catalogs: tuple[Path, ...],
    start: dt.datetime | None,
    end: dt.datetime | None,
    out_dir: Path | None,
    overwrite: bool,
) -> None:
    """Draw a site's outline and zones to scale (PNG and HTML), with the scenes of
    catalogue files that cover it."""
    # here, not at the top: listing the sites needs no catalogue reader or plotting
    from basewatch._atomic import write_folder
    from basewatch.imagery.catalog import read_catalogue_file, scenes_over
    from basewatch.outputs.html import html_page, image_section, table_section
    from basewatch.outputs.render import SceneMark, render_site

    check_date_order(start, end)
    if (start is not None or end is not None) and not catalogs:
        raise click.BadParameter(
            "--from and --to choose among the scenes of --catalog files; give --catalog too",
            param_hint="--from/--to",
        )
    site = load_site(name)
    out = out_dir or Path("out") / "sites" / site.name
    check_replaceable(out, overwrite=overwrite)  # before reading catalogues and drawing
    entries = [e for c in catalogs for e in read_catalogue_file(c)]
    found = scenes_over(
        entries,
        site.outline,
        start=start.date() if start is not None else None,
        end=end.date() if end is not None else None,
    )
    marks = [
        SceneMark(e.id, e.sensor, e.date, e.tile_cloud, tuple(e.footprint.bounds)) for e in found
    ]
    png = render_site(site, scenes=marks)
    zone_rows = [
        {
            "zone": z.name,
            "kind": z.kind,
            "approximate": z.approximate,
            "source": z.source,
            "licence": z.licence,
        }
        for z in site.zones
    ]
    scene_rows = [
        {
            "date": f"{e.datetime:%Y-%m-%d %H:%M}",
            "sensor": e.sensor,
            "track": e.relative_orbit,
            "pass": e.orbit_state,
            "cloud (tile)": e.tile_cloud,
            "id": e.id,
        }
        for e in found
    ]
    sections = [
        image_section("Site and zones", png, alt=f"{site.title}: outline and zones"),
        table_section("Zones", zone_rows, ("zone", "kind", "approximate", "source", "licence")),
    ]
    if catalogs:
        sections.append(
            table_section(
                "Catalogued scenes that cover the site",
                scene_rows,
                ("date", "sensor", "track", "pass", "cloud (tile)", "id"),
            )
        )
    page = html_page(site.title, sections, subtitle=site.path)

    def write(folder: Path) -> None:
        (folder / "site.png").write_bytes(png)
        (folder / "site.html").write_text(page, encoding="utf-8")

    write_folder(out, write, overwrite=overwrite)
    scenes = plural(len(found), "catalogued scene")
    click.echo(f"{site.title}: {plural(len(site.zones), 'zone')}, {scenes}")
    click.echo(f"wrote {out / 'site.png'}, {out / 'site.html'}")
