"""`simulator app`: become the Streamlit server of the app shipped in the package, on this machine only by default."""

from __future__ import annotations

import os
import sys
from pathlib import Path
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


def warm_kernels() -> None:
    """Fill numba's on-disk cache before the server starts, so no visitor waits for a compilation.

    After a fresh install this compiles the model's kernels once (a few seconds); afterwards it only loads them.
    """
    from ..core.runner import warm_up

    print("Preparing the model (compiled once after an install, then cached)...", file=sys.stderr, flush=True)
    warm_up()


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
    warm_kernels()
    script = Path(__file__).resolve().parent.parent / "app" / "main.py"
    command = [sys.executable, "-m", "streamlit", "run", str(script), *streamlit_options(context.args, network)]
    sys.stdout.flush()
    sys.stderr.flush()
    # Become the Streamlit server instead of waiting on it: a SIGTERM or SIGKILL sent to `simulator app`
    # then stops the server itself, and no orphaned server is left behind.
    os.execv(sys.executable, command)


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
