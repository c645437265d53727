"""``basewatch claims``: the claims of reports, without any run."""

from __future__ import annotations

import json
from pathlib import Path

import click

from basewatch._words import plural


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
        click.echo(f"{r.label} [{item.language}, {when}]: {plural(len(item.claims), 'claim')}")
        for c in item.claims:
            click.echo(
                f"  {c.start}-{c.end}  {c.summary}  ({c.modality}, confidence {c.confidence:.2f})"
            )
            click.echo(f"      {_quote(r.text, c.equipment_span)}")
    if any(item.claims for item in listed):
        from basewatch.corroborate.confidence import MEANING

        click.echo(f"confidence: {MEANING}; check the doubtful ones", err=True)
    undated = sum(item.report.published is None for item in listed)
    if undated:
        click.echo(
            f"note: {plural(undated, 'report')} without a publication date: relative dates and "
            "dates without a year stay unresolved (give --published YYYY-MM-DD or --meta FILE)",
            err=True,
        )


# characters of report text shown either side of a claim's objects
_QUOTE_CONTEXT = 50


def _quote(text: str, span: tuple[int, int]) -> str:
    """The words around a claim's objects on one line, the objects in brackets
    ("...Russia has moved most of its [warships] out of the Syrian port...")."""
    a, b = span
    start, end = max(0, a - _QUOTE_CONTEXT), min(len(text), b + _QUOTE_CONTEXT)
    # whole words at the cut ends
    if start > 0:
        start = next((i + 1 for i in range(start, a) if text[i].isspace()), start)
    if end < len(text):
        end = next((i for i in range(end, b, -1) if text[i].isspace()), end)
    flat = " ".join(f"{text[start:a]}[{text[a:b]}]{text[b:end]}".split())
    return f'"{"..." if start > 0 else ""}{flat}{"..." if end < len(text) else ""}"'
