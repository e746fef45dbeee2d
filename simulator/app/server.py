"""The app's server process: prepared once (imports, kernels, the default question), then Streamlit in it."""

from __future__ import annotations

import sys
from pathlib import Path

MAIN_SCRIPT = Path(__file__).resolve().parent / "main.py"


def prepare() -> None:
    """Import the app's modules and run the model once before serving, so the first visitor waits for neither.

    After a fresh install this compiles the model's kernels into numba's on-disk cache (a few seconds); later
    starts only load them. Streamlit then runs in this process, where the imports and kernels stay loaded.
    """
    print("Preparing the model (compiled once after an install, then cached)...", file=sys.stderr, flush=True)
    import streamlit.emojis  # noqa: F401  (read by the page's first set_page_config, to check its icon)

    from ..core.runner import warm_up
    from .pages import explore  # the model, pandas, Plotly and Streamlit: about 2 s on a cold start

    warm_up()
    explore.warm_up()


def serve(options: list[str], script: Path = MAIN_SCRIPT) -> None:
    """Run Streamlit's own `streamlit run` on the app in this process, until the server stops.

    In this process, not a new one: a new one would import everything again while the first visitor waits.
    Streamlit's signal handlers stop the server on SIGTERM or Ctrl+C, so no orphaned server is left behind.
    """
    from streamlit.web import cli as streamlit_cli

    streamlit_cli.main(args=["run", str(script), *options], prog_name="streamlit")
