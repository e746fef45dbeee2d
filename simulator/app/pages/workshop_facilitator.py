"""Workshop, facilitator's view: start a workshop, run the room's vote month by month, reveal, debrief.

Made for a projector: large type and few controls. The facilitator's link carries the workshop's
code and the facilitator key (?code=...&key=...); every control checks the key in the store.
"""

from __future__ import annotations

import html
import io
import os
from urllib.parse import parse_qs, urlencode, urlsplit

import qrcode
import streamlit as st

from simulator import preset_names, scenario_to_yaml
from simulator.app.workshop_resources import replay_cache, workshop_store
from simulator.core.runner import results_from_state
from simulator.core.schema import ACTIONS, Scenario
from simulator.workshop.debrief import (
    INDICATOR_TEXT,
    band_figure,
    comparison_table,
    compute_debrief,
    debrief_html,
    path_scenario,
    path_table,
    running_figures,
)
from simulator.workshop.rules import (
    DEFAULT_REPLICATIONS,
    DEFAULT_ROUNDS,
    MAX_ROUNDS,
    SECOND_SENDER_CHOICES,
    Decision,
    Reveal,
    Tally,
    WorkshopError,
    WorkshopSpec,
    make_spec,
    month_name,
    reveal_month,
)
from simulator.workshop.store import Workshop, WorkshopStore, default_db_path

FACILITATOR_PAGE = "workshop_facilitator"
JOIN_PAGE = "workshop_join"
PUBLIC_URL_VAR = "SIMULATOR_PUBLIC_URL"
ACTION_LABELS = {
    "engage": "Engage (ease sanctions)",
    "hold": "Hold (demand all be freed)",
    "tighten": "Tighten sanctions",
}
GROUP_LABELS = {"supporter": "Supporters", "apolitical": "Apolitical", "opposition": "Opposition"}
# Static styling only (no user text): large type for a projector.
PROJECTOR_CSS = """<style>
html { font-size: 21px; }
.join-code { font-size: 3.6rem; font-weight: 800; letter-spacing: .25rem; line-height: 1.1; white-space: nowrap; }
.state-media { background: #8b0000; color: #fff; padding: .8rem 1.2rem; border-radius: .4rem; font-size: 1.6rem; }
.state-media small { display: block; font-size: .9rem; opacity: .8; text-transform: uppercase; letter-spacing: .1rem; }
</style>"""


def _decisions_key(decisions) -> tuple:
    return tuple((d.month, d.action, d.decided_by, d.tally.engage, d.tally.hold, d.tally.tighten) for d in decisions)


def _decisions(key: tuple) -> list[Decision]:
    return [Decision(m, a, by, Tally(e, h, t)) for m, a, by, e, h, t in key]


@st.cache_data(max_entries=256, show_spinner=False)
def cached_reveal(scenario_json: str, decisions_key: tuple) -> Reveal:
    """The reveal of the latest month, cached on the scenario and the decisions so far."""
    return reveal_month(replay_cache(), Scenario.model_validate_json(scenario_json), _decisions(decisions_key))


@st.cache_data(max_entries=64, show_spinner=False)
def cached_figures(scenario_json: str, actions: tuple[str, ...]):
    """The running charts for the months played."""
    state = replay_cache().state(Scenario.model_validate_json(scenario_json), actions)
    return running_figures(results_from_state(state))


@st.cache_data(max_entries=16, show_spinner="Comparing the room's path with the alternatives...")
def cached_debrief(title: str, preset: str, scenario_json: str, decisions_key: tuple, code: str):
    """The debrief, its HTML page and the room's path as scenario YAML."""
    spec = WorkshopSpec(title, preset, Scenario.model_validate_json(scenario_json))
    debrief = compute_debrief(spec, _decisions(decisions_key), replay_cache())
    path_yaml = scenario_to_yaml(path_scenario(spec, [d.action for d in debrief.decisions], code))
    return debrief, debrief_html(debrief, code), path_yaml


def app_base() -> str:
    """The app's address for links: $SIMULATOR_PUBLIC_URL if set, else this page's URL without its page path."""
    public = os.environ.get(PUBLIC_URL_VAR)
    if public:
        return public.rstrip("/")
    url = st.context.url or "http://localhost:8501"
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if path.endswith(FACILITATOR_PAGE):
        path = path[: -len(FACILITATOR_PAGE)].rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}"


def join_link(code: str) -> str:
    """The link participants open on their phones."""
    return f"{app_base()}/{JOIN_PAGE}?{urlencode({'code': code})}"


def qr_png(text: str) -> bytes:
    """A QR code of a link as PNG bytes."""
    buffer = io.BytesIO()
    qrcode.make(text, border=2).save(buffer, format="PNG")
    return buffer.getvalue()


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
        preset = st.selectbox(
            "Scenario",
            presets,
            index=default,
            help="The preset the workshop starts from; the EU's choices are the room's.",
        )
        rounds = st.slider("Months to play", 1, MAX_ROUNDS, DEFAULT_ROUNDS)
        second = st.radio(
            "Second sender (United States)",
            SECOND_SENDER_CHOICES,
            horizontal=True,
            help="Keep the preset's second sender, switch it off, or give it a fixed policy.",
        )
        replications = st.select_slider(
            "Runs per month",
            [50, 100, 200, 500, 1000],
            DEFAULT_REPLICATIONS,
            help="More runs give smoother bands; fewer give faster reveals.",
        )
        submitted = st.form_submit_button("Start the workshop", type="primary")
    if submitted:
        try:
            credentials = store.create(make_spec(preset, rounds, replications, None, second, title))
        except WorkshopError as exc:
            st.error(str(exc))
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
            st.error("link: it has no code and key; use the facilitator link shown when the workshop started")


def header(store: WorkshopStore, workshop: Workshop, key: str) -> None:
    """The month, the live counts and the one main button, beside the join code and its QR code."""
    spec, progress = workshop.spec, workshop.progress
    left, code_col, qr_col = st.columns([5, 4, 2])
    with left:
        st.caption(spec.title)
        if progress.phase == "finished":
            st.title(f"All {spec.rounds} months played")
        else:
            st.title(f"Month {progress.next_month} of {spec.rounds}: {month_name(spec.scenario, progress.next_month)}")
        live_status(workshop.code)
        main_control(store, workshop, key)
    link = join_link(workshop.code)
    code_col.markdown("Join with the code")
    code_col.markdown(f'<div class="join-code">{html.escape(workshop.code)}</div>', unsafe_allow_html=True)
    code_col.caption(link)
    qr_col.image(qr_png(link), width=170)


@st.fragment(run_every="2s")
def live_status(code: str) -> None:
    """Participants joined and votes cast, refreshed every two seconds without redrawing the page."""
    store = workshop_store(str(default_db_path()))
    workshop = store.workshop(code)
    progress = workshop.progress
    line = f"**{workshop.participants}** joined"
    if progress.phase == "voting":
        line += f" · **{store.tally(code, progress.voting_month).total}** voted on month {progress.voting_month}"
    st.markdown(line)


def main_control(store: WorkshopStore, workshop: Workshop, key: str) -> None:
    """The one button the facilitator needs now: open the vote, close it, or resume."""
    code, progress = workshop.code, workshop.progress
    if progress.phase == "paused":
        st.warning("Paused. Participants see a pause screen; nothing is lost.")
        st.button("Resume", type="primary", on_click=run_control, args=("Resumed.", store.set_paused, code, key, False))
    elif progress.phase == "ready":
        st.button(
            f"Open the vote on month {progress.next_month}",
            type="primary",
            on_click=run_control,
            args=("The vote is open.", store.open_vote, code, key),
        )
    elif progress.phase == "voting":
        st.button(
            "Close the vote and reveal",
            type="primary",
            on_click=run_control,
            args=("Revealed.", store.close_vote, code, key),
        )


def side_controls(store: WorkshopStore, workshop: Workshop, key: str) -> None:
    """Less frequent controls in the sidebar: decide alone, undo, pause, who joined, the private link."""
    code, progress = workshop.code, workshop.progress
    with st.sidebar:
        st.subheader("Facilitator")
        if progress.phase == "ready":
            st.write("Decide this month alone:")
            for action in ACTIONS:
                st.button(
                    action.capitalize(),
                    key=f"decide_{action}",
                    on_click=run_control,
                    args=(f"Decided: {action}.", store.decide, code, key, action),
                )
        if progress.phase != "paused" and (workshop.decisions or progress.phase == "voting"):
            label = "Cancel the vote" if progress.phase == "voting" else f"Undo month {progress.months_played}"
            st.button(label, on_click=run_control, args=("Undone.", store.undo, code, key))
        if progress.phase != "paused":
            st.button("Pause", on_click=run_control, args=("Paused.", store.set_paused, code, key, True))
        with st.expander(f"Who joined ({workshop.participants})"):
            roster = store.roster(code, key)
            # A table, never Markdown or HTML: names are typed by participants.
            st.dataframe([{"name": p.name or "(anonymous)", "team": p.team} for p in roster], hide_index=True)
        with st.expander("Your facilitator link (private)"):
            st.code(f"{app_base()}/{FACILITATOR_PAGE}?{urlencode({'code': code, 'key': key})}", language=None)
            st.caption("It controls the workshop: keep it to reopen the workshop later.")
        if urlsplit(join_link(code)).hostname in ("localhost", "127.0.0.1"):
            st.caption(
                f"Phones cannot open localhost: run Streamlit with --server.address 0.0.0.0 and set "
                f"{PUBLIC_URL_VAR} to this computer's address on the room's network."
            )


def show_reveal(reveal: Reveal) -> None:
    """The reveal of a month: the EU's move, the regime's answer, its story, the audience, and why."""
    decision = reveal.decision
    st.subheader(f"{reveal.month_name}: the EU chose to {decision.action.upper()}")
    tally = decision.tally
    if decision.decided_by == "room":
        st.write(
            f"Room's vote: engage {tally.engage} · hold {tally.hold} · tighten {tally.tighten}"
            + (" (a tie at the top means hold)" if len(set(_top(tally))) > 1 else "")
        )
    else:
        st.write("Decided by the facilitator.")
    if reveal.blocked_share > 0:
        st.caption(f"Member states blocked the move in {reveal.blocked_share:.0%} of runs (it became hold).")
    cols = st.columns(3)
    for col, label, spread in zip(
        cols,
        ("Released this month", "Newly imprisoned", "Political prisoners now"),
        (reveal.released, reveal.newly_imprisoned, reveal.prisoners),
        strict=True,
    ):
        col.metric(
            label,
            f"{spread.median:,.0f}",
            help=f"Median over runs; 90% of runs between {spread.low:,.0f} and {spread.high:,.0f}.",
        )
        col.caption(f"90% of runs: {spread.low:,.0f} to {spread.high:,.0f}")
    st.markdown(
        f'<div class="state-media"><small>State media</small>{html.escape(reveal.headline)}</div>',
        unsafe_allow_html=True,
    )
    st.caption(
        f"The '{reveal.narrative.replace('_', ' ')}' story, told in {reveal.narrative_share:.0%} of runs; "
        "the headline is from a typical one of them."
    )
    cols = st.columns(3)
    for col, (group, label) in zip(cols, GROUP_LABELS.items(), strict=True):
        after, before = reveal.belief_after[group], reveal.belief_before[group]
        col.metric(
            f"{label} believing the story", f"{after:.0%}", f"{(after - before) * 100:+.1f} points", delta_color="off"
        )
    st.info(f"**Why?** {reveal.why_release}  \n{reveal.why_arrests}")


def _top(tally: Tally) -> list[str]:
    counts = tally.counts()
    return [a for a, n in counts.items() if n == max(counts.values())]


def show_charts(workshop: Workshop) -> None:
    """The running charts with 90% bands, for the months played."""
    figures = cached_figures(workshop.spec.scenario.model_dump_json(), workshop.actions)
    left, right = st.columns(2)
    left.plotly_chart(figures["prisoners"], key="chart_prisoners")
    right.plotly_chart(figures["flows"], key="chart_flows")
    st.plotly_chart(figures["belief"], key="chart_belief")


def show_debrief(workshop: Workshop) -> None:
    """The debrief: comparison, chart, months that mattered, and the two downloads."""
    spec = workshop.spec
    debrief, page, path_yaml = cached_debrief(
        spec.title, spec.preset, spec.scenario.model_dump_json(), _decisions_key(workshop.decisions), workshop.code
    )
    st.header("Debrief")
    st.write(
        f"Every strategy faced the same random numbers. Ranked by {INDICATOR_TEXT}. Best of "
        f"{len(debrief.rules)} conditional rules tried: **{debrief.best_rule}**."
    )
    st.dataframe(comparison_table(debrief), hide_index=True, column_config=_formats())
    st.plotly_chart(
        band_figure(debrief.prisoners, "Political prisoners: the room against the alternatives", "people"),
        key="chart_debrief",
    )
    st.subheader("The months that mattered most")
    for row in debrief.pivotal.head(3).itertuples():
        if row.best == row.room:
            st.write(
                f"**{row.month_name}**: the room chose {row.room}, the best choice that month "
                f"(another choice would have added up to {row.swing:,.0f} prisoner-months)."
            )
        else:
            gain = getattr(row, row.room) - getattr(row, row.best)
            st.write(
                f"**{row.month_name}**: the room chose {row.room}; {row.best} would have saved "
                f"{gain:,.0f} prisoner-months."
            )
    with st.expander("The room's path"):
        st.dataframe(path_table(debrief), hide_index=True)
    left, right = st.columns(2)
    left.download_button("Download the debrief (HTML)", page, f"debrief_{workshop.code}.html", "text/html")
    right.download_button(
        "Download the room's path (scenario YAML)",
        path_yaml,
        f"workshop_{workshop.code}.yaml",
        "application/x-yaml",
        help="Open it in the Explore page to rerun or vary the room's path.",
    )


def _formats() -> dict:
    number = st.column_config.NumberColumn(format="%.0f")
    share = st.column_config.NumberColumn(format="percent")
    return {
        "Prisoner-months": number,
        "Released": number,
        "Newly imprisoned": number,
        "Prisoners at the end": number,
        "Regime story accepted at the end": share,
        "EU credibility at the end": share,
        "Prisoner-months vs the room": st.column_config.NumberColumn(format="%+.0f"),
    }


def console(store: WorkshopStore, workshop: Workshop, key: str) -> None:
    """The running workshop: header, controls, the latest reveal, charts, and the debrief at the end."""
    notice = st.session_state.pop("notice", None)
    if notice and notice[0] == "error":
        st.error(notice[1])
    header(store, workshop, key)
    side_controls(store, workshop, key)
    if not workshop.decisions:
        st.subheader("How it works")
        st.markdown(
            "Each month you are the EU. Vote on your phone: **engage** (ease sanctions), **hold** (demand that "
            "all be freed, no relief) or **tighten**. The majority decides; a tie means hold. Then see how the "
            "regime answers: whom it frees, whom it arrests, and the story its media tell."
        )
    if workshop.decisions:
        show_reveal(cached_reveal(workshop.spec.scenario.model_dump_json(), _decisions_key(workshop.decisions)))
        show_charts(workshop)
    if workshop.progress.phase == "finished" or (workshop.decisions and st.toggle("Show the debrief now")):
        show_debrief(workshop)


def main() -> None:
    """Route between the start form and the running workshop, by the link's code and key."""
    st.set_page_config(page_title="Workshop (facilitator)", layout="wide")
    st.markdown(PROJECTOR_CSS, unsafe_allow_html=True)
    store = workshop_store(str(default_db_path()))
    code, key = st.query_params.get("code"), st.query_params.get("key")
    if not code or not key:
        start_form(store)
        return
    try:
        workshop = store.check_key(code, key)
    except WorkshopError as exc:
        st.error(str(exc))
        start_form(store)
        return
    console(store, workshop, key)


main()
