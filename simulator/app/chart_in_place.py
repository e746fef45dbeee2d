"""Plotly charts that a rerun redraws in place, for pages whose charts change on every click (Explore).

`st.plotly_chart` folds the figure into the element's identity (Streamlit 1.65-1.67, even with a key), so each
new figure unmounts the chart and Plotly builds it from nothing: 0.1-0.2 s a chart in Chromium, which made a
change on Explore take 0.65 s. This custom component keeps its key as its identity and hands each new figure to
`Plotly.react`, which redraws only what changed. It uses the Plotly that Streamlit's own chart code loads (that
bundle sets `window.Plotly`); `plotly_loader` asks for it, so a page loads and evaluates Plotly only once.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

LOADER_KEY = "plotly_loader"
NAME = "simulator_chart_in_place"
SCRIPT = (Path(__file__).resolve().parent / "chart_in_place.js").read_text(encoding="utf-8")


def _component():
    """The component, registered with the runtime now running the page.

    Registered at each use, not once at import: Streamlit 1.65-1.66 keep a registry per runtime and do not
    carry an import-time registration over to a runtime started later (the server's, or each AppTest's).
    """
    # isolate_styles=False: Plotly styles its charts from the document's head, which a shadow root would not see.
    return st.components.v2.component(NAME, js=SCRIPT, isolate_styles=False)


def plotly_loader() -> None:
    """An empty chart, hidden, so that the browser loads Streamlit's Plotly bundle: call once per page run."""
    empty = {"data": [{"type": "scatter", "x": [], "y": []}], "layout": {}}
    # Its style inside it, and hiding the wrapper Streamlit puts around a container too, so that the page
    # keeps no gap where it stands. Always the same figure: the element keeps its identity, never redrawn.
    hidden = f".st-key-{LOADER_KEY}, [data-testid='stLayoutWrapper']:has(> .st-key-{LOADER_KEY})"
    with st.container(key=LOADER_KEY):
        st.html(f"<style>{hidden} {{display: none;}}</style>")
        st.plotly_chart(empty, key=f"{LOADER_KEY}_chart", config={"displayModeBar": False})


def chart_payload(figure: go.Figure, config: dict[str, Any]) -> dict[str, Any]:
    """What the browser gets for one chart: the figure as Plotly JSON, its config and its accessible name."""
    title = figure.layout.title.text or "Chart"
    words = html.unescape(re.sub(r"<[^>]*>", " ", title))  # the title as read aloud, without Plotly's markup
    return {"figure": pio.to_json(figure, validate=False), "config": config, "alt": " ".join(words.split())}


def chart_in_place(payload: dict[str, Any], key: str) -> None:
    """Draw a chart (a `chart_payload`) that later reruns with the same key redraw in place, styled as Streamlit's."""
    _component()(key=key, data=payload, width="stretch", height="content")
