"""`simulator app`: serve the app shipped in the package with Streamlit, on this machine only by default."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .options import examples
from .reporting import friendly

# Streamlit's defaults serve every network interface, send usage statistics, show the Deploy button and
# watch every file below the folder (a virtual environment there floods the console with inotify errors).
# This machine only, no statistics, no developer toolbar, no file watcher, unless the user's own options say.
DEFAULTS = {
    "--server.address": "127.0.0.1",
    "--browser.gatherUsageStats": "false",
    "--client.toolbarMode": "minimal",
    "--server.fileWatcherType": "none",
}
EVERY_INTERFACE = "0.0.0.0"


def streamlit_options(given: list[str], network: bool) -> list[str]:
    """The user's Streamlit options, then each default the user did not set (`network` serves every interface)."""
    named = {option.split("=", 1)[0] for option in given if option.startswith("--")}
    chosen = {**DEFAULTS, "--server.address": EVERY_INTERFACE} if network else DEFAULTS
    return [*given, *[part for key, value in chosen.items() if key not in named for part in (key, value)]]


@friendly("Cannot start the app")
def start_app(
    context: typer.Context,
    network: Annotated[
        bool,
        typer.Option("--network", help="Serve the room's network (every interface), e.g. for a workshop with phones."),
    ] = False,
) -> None:
    """Start the Streamlit app shipped in the package; extra options go to Streamlit."""
    from ..extras import require

    require("streamlit", "app")
    from ..app import server

    server.prepare()
    sys.stdout.flush()
    sys.stderr.flush()
    server.serve(streamlit_options(context.args, network))


def register(app: typer.Typer) -> None:
    """Add `app` to the command."""
    app.command(
        "app",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        epilog=examples(
            "simulator app                      (http://localhost:8501, on this machine only)",
            "simulator app --server.port 8502",
            "SIMULATOR_PUBLIC_URL=http://<your-ip>:8501 simulator app --network   (a workshop with phones)",
        ),
    )(start_app)
