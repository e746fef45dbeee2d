"""The app's server process: prepared once (imports, kernels, the default question), then Streamlit in it."""

from __future__ import annotations

import gc
import inspect
import logging
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

    # Caches made before Streamlit's runtime starts warn that there is none; that is expected here.
    caching = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = caching.level
    caching.setLevel(logging.ERROR)  # setLevel, not the attribute: it also clears the loggers' cached levels
    try:
        from . import explore_charts
        from .pages import explore  # noqa: F401  (all the page imports: the model, pandas, Plotly; about 2 s cold)

        warm_up()
        explore_charts.warm_up()
    finally:
        caching.setLevel(level)
    # Streamlit's first element in a process asks inspect.stack() whether it runs in a REPL; the first such
    # call reads where every loaded module lives (50-100 ms). Here, rather than in the first visit.
    inspect.stack()
    freeze_long_lived()


def freeze_long_lived() -> None:
    """Leave everything loaded so far (modules, kernels, the warmed-up runs) out of later garbage collections.

    Streamlit collects garbage after every script run (`runner.postScriptGC`), holding the interpreter while it
    walks every object: about 130 ms with the model, pandas and Plotly loaded, on each click. Objects loaded
    once and kept for the process's life need no such walk; what sessions make later is still collected.
    """
    gc.collect()  # what loading left as garbage goes now, not frozen with the rest
    gc.freeze()


def serve(options: list[str], script: Path = MAIN_SCRIPT) -> None:
    """Run Streamlit's own `streamlit run` on the app in this process, until the server stops.

    In this process, not a new one: a new one would import everything again while the first visitor waits.
    Streamlit's signal handlers stop the server on SIGTERM or Ctrl+C, so no orphaned server is left behind.
    """
    from streamlit.web import cli as streamlit_cli

    streamlit_cli.main(args=["run", str(script), *options], prog_name="streamlit")
