"""The `simulator` command: run scenarios, sweeps, sensitivity analysis and scenario discovery from a terminal.

Every command reports bad input in short lines on stderr and exits 1, never with a traceback (set
SIMULATOR_DEBUG=1 to see one); Ctrl-C exits 130; `--json` prints one JSON document on stdout instead of tables.
One module per command group; each adds its commands with `register(app)`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..core.version import __version__
from . import analysis, calibration, run, serve, sweeps, validation

app = typer.Typer(
    name="simulator",
    help="Prisoner-release diplomacy simulator: EU sanctions choices vs a regime's release of political prisoners.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"simulator {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Prisoner-release diplomacy simulator: EU sanctions choices vs a regime's release of political prisoners."""


for group in (run, sweeps, analysis, calibration, validation, serve):
    group.register(app)

__all__ = ["app"]
