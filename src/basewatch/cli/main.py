"""The ``basewatch`` click group and its error handling."""

from __future__ import annotations

import importlib
import logging
import sys
import traceback
from typing import Any

import click

from basewatch._heap import heap_for_arrays
from basewatch._version import __version__
from basewatch.errors import BasewatchError

# (module, command attribute). Each command module defines one click command and is
# imported when that command runs, so a command pays only for its own libraries
# (`basewatch sites` needs neither dask nor numba).
COMMANDS: list[tuple[str, str]] = [
    ("basewatch.cli.sites", "sites"),
    ("basewatch.cli.demo", "demo"),
    ("basewatch.cli.detect", "detect"),
    ("basewatch.cli.corroborate", "corroborate"),
    ("basewatch.cli.claims", "claims"),
    ("basewatch.cli.fetch", "fetch"),
    ("basewatch.cli.run", "run"),
    ("basewatch.cli.timeline", "timeline"),
    ("basewatch.cli.scenes", "scenes"),
    ("basewatch.cli.monitor", "monitor"),
    ("basewatch.cli.vessels", "vessels"),
]


class _Group(click.Group):
    """The ``basewatch`` group: commands imported on first use (:data:`COMMANDS`), and
    BasewatchError turned into a one-line message and exit code 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(attr for _, attr in COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            module = {attr: mod for mod, attr in COMMANDS}.get(cmd_name)
            if module is None:
                return None
            # registered under the name --help lists, whatever the command calls itself
            self.add_command(getattr(importlib.import_module(module), cmd_name), name=cmd_name)
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            # one command, one process: its image-sized arrays reuse heap pages from
            # reading to writing (basewatch._heap), not fresh ones per temporary
            with heap_for_arrays():
                return super().invoke(ctx)
        except BasewatchError as exc:
            verbose = bool(ctx.obj and ctx.obj.get("verbose"))
            if verbose:
                traceback.print_exc()
            first, *rest = str(exc).splitlines() or [type(exc).__name__]
            click.echo(f"error: {first}", err=True)
            for line in rest:
                click.echo(f"  {line.strip()}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="basewatch")
@click.option("-v", "--verbose", is_flag=True, help="Log each step and show tracebacks on errors.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or spinners.")
@click.pass_context
def main(ctx: click.Context, verbose: bool, quiet: bool) -> None:
    """Check reports about military sites against public Sentinel imagery."""
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    ctx.obj["quiet"] = quiet
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
