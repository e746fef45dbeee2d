"""Workshop, the facilitator's console (laptop or phone): start a workshop, run the rounds, reach the screen.

The console holds every control and the private link; the room sees the separate screen view
(`workshop_screen`), whose link carries no key. Every button names the month it was drawn for, so
a stale tab or a double click cannot act on another month.
"""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs, urlsplit

import streamlit as st

from simulator import preset_names
from simulator.app.workshop_display import phone_reveal_html, vote_line
from simulator.app.workshop_identity import clients
from simulator.app.workshop_links import (
    PUBLIC_URL_VAR,
    console_link,
    join_link,
    phones_cannot_reach,
    screen_link,
)
from simulator.app.workshop_messages import error
from simulator.app.workshop_resources import (
    CONSOLE_POLL_SECONDS,
    debrief_at,
    look_up_code,
    open_store,
    prepare_next_month,
    replay_cache,
    reveal_at,
    throttles,
)
from simulator.app.workshop_style import console_style
from simulator.core.schema import ACTIONS
from simulator.workshop.rules import (
    DEFAULT_REPLICATIONS,
    DEFAULT_ROUNDS,
    MAX_ROUNDS,
    SECOND_SENDER_CHOICES,
    WorkshopError,
    make_spec,
    month_name,
    normalise_code,
)
from simulator.workshop.store import Workshop, WorkshopStore


def run_control(label: str, operation, *args) -> None:
    """Run a store operation from a button callback; keep its outcome for display after the rerun."""
    try:
        result = operation(*args)
        st.session_state["notice"] = ("success", result if isinstance(result, str) else label)
    except WorkshopError as exc:
        st.session_state["notice"] = ("error", str(exc))


def start_form(store: WorkshopStore) -> None:
    """The form that starts a new workshop, and a way back into an existing one."""
    st.title("Workshop: the room plays the EU")
    st.write(
        "Each month the room votes what the EU does: engage, hold or tighten. The model answers as the regime "
        "would, over many runs at once. At the end, a debrief compares the room's path with the alternatives."
    )
    presets = preset_names()
    with st.form("start"):
        title = st.text_input("Title (optional)", max_chars=80, placeholder="e.g. Policy seminar, 3 March")
        default = presets.index("baseline_2024") if "baseline_2024" in presets else 0
        preset = st.selectbox("Scenario", presets, index=default, help="The preset the workshop starts from.")
        rounds = st.slider("Months to play", 1, MAX_ROUNDS, DEFAULT_ROUNDS)
        second = st.radio(
            "Second sender (United States)",
            SECOND_SENDER_CHOICES,
            horizontal=True,
            help="Keep the preset's second sender, switch it off, or give it a fixed policy (not with teams).",
        )
        teams = st.toggle(
            "Two teams: the EU and the second sender",
            help="Newcomers join the smaller team; each team decides its own sender's move every month.",
        )
        council = st.toggle(
            "EU Council rules: unanimity to change sanctions",
            help="Participants are member states: engaging or tightening needs every vote; one veto keeps hold. "
            "The model's member-state friction is switched off, since the room plays it.",
        )
        require_names = st.toggle("Ask everyone for a name", help="Names must differ, so you can tell who is who.")
        replications = st.select_slider(
            "Runs per month", [50, 100, 200, 500, 1000], DEFAULT_REPLICATIONS, help="More runs, smoother bands."
        )
        submitted = st.form_submit_button("Start the workshop", type="primary")
    if submitted:
        try:
            spec = make_spec(preset, rounds, replications, None, second, title, teams, council, require_names)
            creations = throttles()["create"]
            creations.admit(clients())
            credentials = store.create(spec)
            creations.record(clients())
        except WorkshopError as exc:
            error(str(exc))
            return
        st.query_params.update({"code": credentials.code, "key": credentials.key})
        st.rerun()
    with st.expander("Resume a workshop"):
        pasted = st.text_input("Paste your facilitator link", max_chars=500)
        if pasted:
            query = parse_qs(urlsplit(pasted.strip()).query)
            if "code" in query and "key" in query:
                st.query_params.update({"code": query["code"][0], "key": query["key"][0]})
                st.rerun()
            error("link: it has no code and key; use the facilitator link shown when the workshop started")


@st.fragment(run_every=CONSOLE_POLL_SECONDS)
def live_status(store: WorkshopStore, workshop: Workshop) -> None:
    """Joined and voted, refreshed without redrawing the page; a change made elsewhere redraws it."""
    version, joined, voted = store.live(workshop.code)
    if version != workshop.version:
        st.rerun()
    line = f"{joined} joined"
    if workshop.progress.phase == "voting":
        line += f" · {voted} voted on month {workshop.progress.voting_month}"
    st.text(line)


def main_control(store: WorkshopStore, workshop: Workshop, key: str) -> None:
    """The one button the facilitator needs now: open the vote, close it, or resume."""
    code, progress = workshop.code, workshop.progress
    if progress.phase == "paused":
        st.warning("Paused. Participants see a pause screen; nothing is lost.")
        st.button("Resume", type="primary", on_click=run_control, args=("Resumed.", store.set_paused, code, key, False))
    elif progress.phase == "ready":
        month = progress.next_month
        st.button(
            f"Open the vote on month {month}",
            type="primary",
            on_click=run_control,
            args=("The vote is open.", store.open_vote, code, key, month),
        )
    elif progress.phase == "voting":
        st.button(
            f"Close the vote on month {progress.voting_month} and reveal",
            type="primary",
            on_click=run_control,
            args=("Revealed.", store.close_vote, code, key, progress.voting_month),
        )


def decide_alone(store: WorkshopStore, workshop: Workshop, key: str) -> None:
    """Decide the next month without a vote (with teams, both senders' moves)."""
    month = workshop.progress.next_month
    st.write(f"Decide month {month} alone, without a vote:")
    st.caption("One click decides the month for the room.")
    if not workshop.spec.teams:
        for action in ACTIONS:
            st.button(
                action.capitalize(),
                key=f"decide_{action}",
                on_click=run_control,
                args=(f"Decided: {action}.", store.decide, workshop.code, key, month, action),
            )
        return
    eu = st.selectbox("EU's move", ACTIONS, index=1, key="decide_eu")
    # A widget label reads Markdown, so the second sender's name (from a scenario file) stays out of it.
    second = st.selectbox("Second team's move", ACTIONS, index=1, key="decide_second")
    st.button(
        f"Decide month {month}",
        key="decide_both",
        on_click=run_control,
        args=(f"Decided: {eu} and {second}.", store.decide, workshop.code, key, month, eu, second),
    )


def side_controls(store: WorkshopStore, workshop: Workshop, key: str) -> None:
    """Less frequent controls: decide alone, undo, pause, the debrief on the screen, who joined."""
    code, progress = workshop.code, workshop.progress
    if progress.phase == "ready":
        decide_alone(store, workshop, key)
    if progress.phase != "paused" and (workshop.decisions or progress.phase == "voting"):
        month = progress.voting_month or progress.months_played
        label = f"Cancel the vote on month {month}" if progress.phase == "voting" else f"Undo month {month}"
        st.button(label, key="undo", on_click=run_control, args=("Undone.", store.undo, code, key, month))
    if progress.phase == "ready":
        st.divider()  # deciding alone is set apart from the controls below, so one click cannot be mistaken
    if progress.phase != "paused":
        st.button("Pause", key="pause", on_click=run_control, args=("Paused.", store.set_paused, code, key, True))
    if workshop.decisions:
        shown, finished = workshop.show_debrief, progress.phase == "finished"
        if shown:
            label = "Back to the last month on the screen" if finished else "Back to the months on the screen"
        else:
            label = "Show the debrief on the screen" if finished else "Show the debrief on the screen now"
        st.button(
            label,
            type="primary" if finished and not shown else "secondary",
            key="debrief_toggle",
            on_click=run_control,
            args=("Screen changed.", store.set_show_debrief, code, key, not shown),
        )
    with st.expander(f"Who joined ({workshop.participants})"):
        roster = store.roster(code, key)
        # A table, never Markdown or HTML: names are typed by participants.
        rows = [{"name": p.name or "(anonymous)", "table or group": p.team, "team": p.role} for p in roster]
        st.dataframe(rows, hide_index=True)


def links(workshop: Workshop, key: str) -> None:
    """The screen to project, the join link, and the private console link."""
    code = workshop.code
    st.link_button("Open the screen to project", screen_link(code), type="primary")
    st.caption("The screen shows the join code and the reveals; it has nothing to click and no key in its link.")
    st.html(f'<div class="ws-code-small">{escape(code)}</div>')
    st.code(join_link(code), language=None)
    with st.expander("Your facilitator link (private)"):
        st.code(console_link(code, key), language=None)
        st.caption("It controls the workshop: keep it to reopen the console later; never project it.")
    if phones_cannot_reach(code):
        st.caption(
            f"Phones cannot open localhost: run Streamlit with --server.address 0.0.0.0 and set "
            f"{PUBLIC_URL_VAR} to this computer's address on the room's network."
        )


def downloads(workshop: Workshop, path: str) -> None:
    """The debrief as one HTML page and the room's path as a scenario file."""
    _, page, path_yaml = debrief_at(workshop, path, workshop.code, workshop.version)
    st.download_button("Download the debrief (HTML)", page, f"debrief_{workshop.code}.html", "text/html")
    st.download_button(
        "Download the room's path (scenario YAML)",
        path_yaml,
        f"workshop_{workshop.code}.yaml",
        "application/x-yaml",
        help="Open it in the Explore page to rerun or vary the room's path.",
    )


def console(store: WorkshopStore, workshop: Workshop, key: str) -> None:
    """The running workshop: where it stands, the main control, the rarer ones, the last reveal."""
    notice = st.session_state.pop("notice", None)
    if notice and notice[0] == "error":
        error(notice[1])
    spec, progress = workshop.spec, workshop.progress
    left, right = st.columns([3, 2])
    with left:
        st.text(spec.title)
        if progress.phase == "finished":
            st.header(f"All {spec.rounds} months played")
        else:
            st.header(f"Month {progress.next_month} of {spec.rounds}: {month_name(spec.scenario, progress.next_month)}")
        # Sender names come from scenario files: shown as escaped text, never as Markdown.
        st.html(f"<p>{escape(spec.rules.describe('EU', spec.second_name))}</p>")
        live_status(store, workshop)
        main_control(store, workshop, key)
        side_controls(store, workshop, key)
    with right:
        links(workshop, key)
    if workshop.decisions:
        st.divider()
        path = str(store.path)
        reveal = reveal_at(workshop, path, workshop.code, workshop.version)
        st.html(phone_reveal_html(reveal) + f"<p>{vote_line(workshop, reveal.decision)}</p>")
        # The debrief runs every alternative (seconds of CPU): only once the room sees it, not at each reveal.
        if progress.phase == "finished" or workshop.show_debrief:
            downloads(workshop, path)


def main() -> None:
    """Route between the start form and the console, by the link's code and key."""
    st.set_page_config(page_title="Workshop (facilitator)", layout="wide")
    console_style()
    store = open_store()
    code, key = st.query_params.get("code"), st.query_params.get("key")
    if not code or not key:
        start_form(store)
        return
    try:
        # A wrong key and a wrong code are told apart, so the code is looked up as a guess first.
        if look_up_code(store, normalise_code(code)) < 0:
            raise WorkshopError(f"code: no workshop has the code {normalise_code(code)}; check the link")
        workshop = store.check_key(code, key)
    except WorkshopError as exc:
        error(str(exc))
        start_form(store)
        return
    console(store, workshop, key)
    prepare(workshop)


def prepare(workshop: Workshop) -> None:
    """After drawing: the model's state now, and (in a background thread) every month the room may reveal next."""
    replay_cache().chain(workshop.spec.scenario, workshop.moves)
    prepare_next_month(workshop)


main()
