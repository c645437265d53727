"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

#: ``--site NAME`` (stored as ``site_name``): a bundled site or a site GeoJSON file.
site_option = click.option(
    "--site",
    "site_name",
    required=True,
    help="Site name (see `basewatch sites`) or path to a site GeoJSON.",
)


#: ``--no-coregister``: keep the dates as read (the measured shift is still reported).
no_coregister_option = click.option(
    "--no-coregister", is_flag=True, help="Do not align the dates (not advised)."
)


def out_option(what: str, *, default: str = "out") -> Callable[[F], F]:
    """``--out DIR`` (stored as ``out_dir``), the folder the command writes ``what`` to."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path(default),
        show_default=True,
        help=f"Folder for {what}.",
    )
