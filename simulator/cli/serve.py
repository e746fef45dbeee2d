"""`simulator app`: serve the app shipped in the package with Streamlit, on this machine only by default."""

from __future__ import annotations

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


def prepare_server() -> None:
    """Import the app's modules and run the model once before serving, so the first visitor waits for neither.

    After a fresh install this compiles the model's kernels into numba's on-disk cache (a few seconds); later
    starts only load them. Streamlit then runs in this process, where the imports and kernels stay loaded.
    """
    print("Preparing the model (compiled once after an install, then cached)...", file=sys.stderr, flush=True)
    import streamlit.emojis  # noqa: F401  (read by the page's first set_page_config, to check its icon)

    from ..app.pages import explore  # the model, pandas, Plotly and Streamlit: about 2 s on a cold start
    from ..core.runner import warm_up

    warm_up()
    explore.warm_up()


def serve_streamlit(script: Path, options: list[str]) -> None:
    """Run Streamlit's own `streamlit run` on `script` in this process, until the server stops.

    In this process, not a new one: a new one would import everything again while the first visitor waits.
    Streamlit's signal handlers stop the server on SIGTERM or Ctrl+C, so no orphaned server is left behind.
    """
    from streamlit.web import cli as streamlit_cli

    streamlit_cli.main(args=["run", str(script), *options], prog_name="streamlit")


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
    prepare_server()
    script = Path(__file__).resolve().parent.parent / "app" / "main.py"
    sys.stdout.flush()
    sys.stderr.flush()
    serve_streamlit(script, streamlit_options(context.args, network))


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
