"""Workshop, the screen to project: the revealed month first, then the next step; the join screen; the debrief.

The reveal of every month, the last one included, stays until the facilitator shows the debrief.

Nothing to click and nothing private: the link carries the join code only (a facilitator key
that reaches this page is dropped from its address at once). The screen follows the console by
reading the workshop's version every second and redrawing when it changes.
"""

from __future__ import annotations

from html import escape

import streamlit as st

from simulator.app.workshop_display import (
    big_figure,
    debrief_table_html,
    join_panel_html,
    next_step_html,
    pivotal_lines,
    screen_reveal_html,
)
from simulator.app.workshop_links import join_link, qr_png, short_join_address
from simulator.app.workshop_messages import error
from simulator.app.workshop_resources import (
    SCREEN_POLL_SECONDS,
    debrief_at,
    figures_at,
    look_up_code,
    open_store,
    reveal_at,
    workshop_at,
)
from simulator.app.workshop_style import screen_style
from simulator.workshop.debrief import INDICATOR_TEXT, debrief_figure, robustness_line
from simulator.workshop.rules import WorkshopError, normalise_code
from simulator.workshop.store import Workshop, WorkshopStore

# The projector's charts keep their own large fonts (Streamlit's theme would shrink them) and no toolbar.
CHART_CONFIG = {"displayModeBar": False, "staticPlot": True}


@st.fragment(run_every=SCREEN_POLL_SECONDS)
def live(store: WorkshopStore, workshop: Workshop) -> None:
    """The next-step line with live counts; a change of the workshop redraws the whole screen."""
    version, joined, voted = store.live(workshop.code)
    if version != workshop.version:
        st.rerun()
    st.html(next_step_html(workshop, joined, voted, short_join_address()))


def show_reveal(store: WorkshopStore, workshop: Workshop, path: str) -> None:
    """The revealed month, the next step, then the running charts sized for the projector."""
    st.html(screen_reveal_html(workshop, reveal_at(workshop, path, workshop.code, workshop.version)))
    live(store, workshop)
    figures = figures_at(workshop)
    left, right = st.columns(2)
    left.plotly_chart(big_figure(figures["prisoners"]), key="chart_prisoners", config=CHART_CONFIG, theme=None)
    right.plotly_chart(big_figure(figures["flows"]), key="chart_flows", config=CHART_CONFIG, theme=None)
    st.plotly_chart(big_figure(figures["belief"]), key="chart_belief", config=CHART_CONFIG, theme=None)


def show_debrief(store: WorkshopStore, workshop: Workshop, path: str) -> None:
    """The debrief across the screen's width: the comparison, the chart, the months that mattered."""
    debrief, _, _ = debrief_at(workshop, path, workshop.code, workshop.version)
    st.html(
        f'<div class="ws-screen"><p class="ws-kicker">{escape(workshop.spec.title)} · debrief after '
        f'{len(workshop.decisions)} months</p><p class="ws-headline">The room\'s path against the alternatives</p>'
        f'<p class="ws-line">Same random numbers for every strategy; ranked by {escape(INDICATOR_TEXT)}. '
        f"Best rule found: {escape(debrief.best_rule)}.</p>{debrief_table_html(debrief)}"
        f'<p class="ws-line">{escape(robustness_line(debrief))}</p></div>'
    )
    st.plotly_chart(big_figure(debrief_figure(debrief)), key="chart_debrief", config=CHART_CONFIG, theme=None)
    lines = "".join(f"<li>{escape(line)}</li>" for line in pivotal_lines(debrief))
    st.html(f'<div class="ws-screen"><p class="ws-headline">The months that mattered most</p><ul>{lines}</ul></div>')
    live(store, workshop)


def main() -> None:
    """Draw the screen for the workshop in the link (?code=...)."""
    st.set_page_config(page_title="Workshop: screen", layout="wide")
    screen_style()
    if "key" in st.query_params:
        # The screen is projected: a facilitator key must never stay in its address bar.
        del st.query_params["key"]
    store = open_store()
    try:
        code = normalise_code(st.query_params.get("code", ""))
        version = look_up_code(store, code)
        if version < 0:
            raise WorkshopError(f"code: no workshop has the code {code}; open the screen link from the console")
        path = str(store.path)
        workshop = workshop_at(store, path, code, version)
    except WorkshopError as exc:
        error(str(exc))
        return
    # After the last month too the room first sees its reveal; the facilitator moves the screen on to the debrief.
    if workshop.show_debrief and workshop.decisions:
        show_debrief(store, workshop, path)
    elif workshop.decisions:
        show_reveal(store, workshop, path)
    else:
        st.html(join_panel_html(workshop, short_join_address(), qr_png(join_link(workshop.code))))
        live(store, workshop)


main()
