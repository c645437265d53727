"""``basewatch claims``: the claims of reports, without any run."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option(
    "--meta",
    "meta_path",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Report metadata: a JSON list of {file, published, title, outlet} (like "
    "sources.json), so that relative dates resolve.",
)
@click.option(
    "--published",
    metavar="YYYY-MM-DD",
    help="Publication date of every report read (over any --meta gives), so that "
    "relative dates and dates without a year resolve.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one object per report.")
def claims(
    paths: tuple[Path, ...], meta_path: Path | None, published: str | None, as_json: bool
) -> None:
    """List the claims reports make: site, equipment, count, action, modality, dates.

    \b
    Example:
      basewatch claims reports/ --meta reports/sources.json --json
      basewatch claims report.txt --published 2024-12-20
    """
    from basewatch.corroborate.listing import claims_json, list_claims

    listed, warnings = list_claims(paths, metadata=meta_path, published=published)
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    if as_json:
        click.echo(json.dumps(claims_json(listed), ensure_ascii=False, indent=1))
        return
    for item in listed:
        r = item.report
        when = r.published.isoformat() if r.published else "undated"
        click.echo(f"{r.label} [{item.language}, {when}]: {len(item.claims)} claim(s)")
        for c in item.claims:
            click.echo(
                f"  {c.start}-{c.end}  {c.summary}  ({c.modality}, confidence {c.confidence:.2f})"
            )
    if any(item.claims for item in listed):
        from basewatch.corroborate.confidence import MEANING

        click.echo(f"confidence: {MEANING}; check the doubtful ones", err=True)
    undated = sum(item.report.published is None for item in listed)
    if undated:
        click.echo(
            f"note: {undated} report(s) without a publication date: relative dates and "
            "dates without a year stay unresolved (give --published YYYY-MM-DD or --meta FILE)",
            err=True,
        )
