"""Options shared by several commands."""

from __future__ import annotations

import click

#: ``--site NAME`` (stored as ``site_name``): a bundled site or a site GeoJSON file.
site_option = click.option(
    "--site",
    "site_name",
    required=True,
    help="Site name (see `basewatch sites`) or path to a site GeoJSON.",
)
