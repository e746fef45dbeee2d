"""Explore one scenario: pick a preset, change the EU's policy and the assumptions, see what happens and why."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import quote, urlencode

import pandas as pd
import streamlit as st

from simulator import (
    Results,
    Scenario,
    ScenarioError,
    load_preset,
    preset_names,
    scenario_to_yaml,
    validate_scenario,
    with_overrides,
)
from simulator.app import ui
from simulator.app.chart_in_place import chart_in_place, plotly_loader
from simulator.app.explore_charts import chart_tabs, explore_figures, explore_payloads
from simulator.core.provenance import provenance
from simulator.core.record import RECORD_END
from simulator.presentation import plots
from simulator.presentation.explanations import sender_move, story_headlines, why_arrests, why_release
from simulator.presentation.safe_text import escape_markdown
from simulator.presentation.uncertainty_text import what_bands_show
from simulator.presentation.wording import preset_question, preset_setting

Colour = Literal["normal", "inverse", "off"]  # the delta colours of st.metric that this page uses
# The sidebar's sections, by the group of parameters each shows. The regime's mechanisms have one each, as
# in the schema: a student looks for a parameter by what it does, and a rerun redraws only the open ones.
SECTIONS = {
    "eu": "EU sanctions and frictions",
    "regime": "Regime: prisoners and stability",
    "regime.pardons": "Regime: pardons",
    "regime.deals": "Regime: deals",
    "regime.repression": "Regime: arrests",
    "regime.sentences": "Regime: sentences",
    "regime.learning": "Regime: learning",
    "audience": "Audience",
    "second_sender": "Second sender",
    "simulation": "Simulation",
}
ABOUT_PAGE = str(Path(__file__).resolve().parent / "about.py")
MONTH, WHOLE = "explore_month", "All months"
SECTION, STORY = "section:", "explore_story"
# Expanders whose content is drawn only once opened (the session keeps whether each is open).
UPLOAD_BOX, SHARE_LINK = "explore_upload_box", "explore_share_link"
HEADLINES = (
    "total_released",
    "total_newly_imprisoned",
    "net_change_in_prisoners",
    "prisoner_months",
    "final_acceptance",
)


# --- changes of the whole choice: links, presets, reset, uploads ----------------------------------


def _read_link_once() -> None:
    """Open the view a shared link describes, once per session; a bad link leaves an error, not a crash."""
    if st.session_state.get("link_read"):
        return
    st.session_state["link_read"] = True
    if not st.query_params:
        return
    params = st.query_params.to_dict()
    try:
        ui.set_explore_choice(*ui.decode_link(params))
    except ScenarioError as exc:
        st.session_state["link_problems"] = exc.problems
        # A damaged change must not cost the link its question: a valid preset is kept.
        if params.get("preset") in preset_names():
            ui.set_explore_choice(params["preset"], {})


def _start_again(preset: str) -> None:
    """Back to a preset without changes; notes about earlier links and files no longer apply."""
    ui.set_explore_choice(preset, {})
    for key in ("link_problems", "upload_problems", "upload_note"):
        st.session_state[key] = None


def _choose_preset() -> None:
    _start_again(st.session_state[ui.WIDGET + "preset"])


def _reset() -> None:
    _start_again(ui.explore_choice()[0])


def _open_upload() -> None:
    """Replace the scenario by an uploaded file if it is valid; otherwise keep it and record why not."""
    upload = st.session_state.get("upload")
    if upload is None:
        return
    try:
        scenario = ui.read_upload(upload.name, upload.getvalue())
    except ScenarioError as exc:
        st.session_state["upload_problems"] = exc.problems
        return
    preset, overrides = ui.closest_preset(scenario)
    ui.set_explore_choice(preset, overrides)
    st.session_state["upload_problems"] = None
    st.session_state["link_problems"] = None
    st.session_state["upload_note"] = f"Opened {upload.name!r}: the preset {preset} with {len(overrides)} changes."


# --- the sidebar -------------------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def preset_questions() -> dict[str, str]:
    """Each preset's question, by preset name (the presets ship with the package, so this never changes)."""
    return {name: preset_question(load_preset(name)) for name in preset_names()}


def _preset_picker(preset: str) -> None:
    key = ui.WIDGET + "preset"
    if key not in st.session_state:
        st.session_state[key] = preset
    questions = preset_questions()
    st.selectbox(
        "The question",
        list(questions),
        key=key,
        format_func=questions.__getitem__,
        on_change=_choose_preset,
        help="Ready-made scenarios, each asking one question; picking another replaces every setting.",
    )


def _upload_box() -> None:
    box = st.expander("Open a scenario file (YAML)", key=UPLOAD_BOX, on_change="rerun")
    if box.open is False:
        return  # the file box is drawn when opened: the browser then loads its code only for those who upload
    with box:
        st.file_uploader(
            "Scenario file",
            type=["yaml", "yml"],
            key="upload",
            on_change=_open_upload,
            max_upload_size=1,
            help="A file saved from this app or written by hand (at most 256 KB).",
        )
        if st.session_state.get("upload_problems"):
            ui.show_problems(
                "This file was not opened; your current scenario is unchanged.", st.session_state["upload_problems"]
            )
        elif st.session_state.get("upload_note"):
            st.success(escape_markdown(st.session_state["upload_note"]))


def section_paths(group: str) -> list[str]:
    """The parameters a sidebar section shows: those of its group that no section of a subgroup shows."""
    subgroups = [other + "." for other in SECTIONS if other.startswith(group + ".")]
    return [p for p in ui.PARAMETERS if p.startswith(group + ".") and not p.startswith(tuple(subgroups))]


def section_caption(group: str) -> str:
    """What a sidebar section holds, from the schema's description of its group."""
    if group == "regime":  # the regime's own description lists the mechanisms that have sections of their own
        return (
            "The regime's prisoners and their tiers, its stability and its patrons (and, among the advanced "
            "parameters, how state media pick a story)."
        )
    model: Any = Scenario
    for name in group.split("."):
        model = model.model_fields[name].annotation
    return model.__doc__


def _sidebar(base: Scenario) -> None:
    """Reset, files, and every parameter but the EU's move (which is on the page), by actor and mechanism."""
    base_values = ui.flat_values(base)
    current = ui.current_values(base_values)
    st.button("Reset to this question's settings", on_click=_reset, icon=":material/restart_alt:")
    _upload_box()
    advanced = ui.remembered(st.toggle, "Show advanced parameters", "advanced", False)
    for group, title in SECTIONS.items():
        section = st.expander(title, key=SECTION + group, on_change="rerun")
        if section.open is False:
            continue  # a closed section's controls are not drawn: fewer widgets to redraw on every change
        with section:
            st.caption(section_caption(group))
            if group in ("eu", "second_sender"):
                ui.sender_controls(group, base_values, current, advanced)
            else:
                ui.controls(section_paths(group), base_values, current, advanced)


# --- results --------------------------------------------------------------------------------------


def _reference(base: Scenario, scenario: Scenario) -> Results | None:
    """The preset run with the scenario's sample sizes and horizon, so deltas show what the other changes did."""
    try:
        data = {**base.model_dump(mode="json"), "simulation": scenario.simulation.model_dump(mode="json")}
        data["audience"]["size"] = scenario.audience.size  # a sample size, not an assumption about people
        reference = validate_scenario(data)
        return ui.run(reference.model_json()) if not ui.run_problems(reference) else None
    except ValueError:
        return None


def _headline_metrics(results: Results, reference: Results | None, preset: str) -> None:
    """The median of each headline indicator with its unit, its 90% range and its change against the preset."""
    for column, name in zip(st.columns(len(HEADLINES)), HEADLINES, strict=True):
        indicator = plots.INDICATORS[name]
        values = results.summary[name]
        delta = None
        colour: Colour = "off"
        if reference is not None:
            delta = indicator.shown(values.median() - reference.summary[name].median(), signed=True)
            colour = cast(Colour, {True: "normal", False: "inverse", None: "off"}[indicator.higher_is_better])
        column.metric(
            indicator.label,
            indicator.shown(values.median()),
            delta,
            delta_color=colour,
            help=f"The median over {len(values)} runs; 90% of them lie between "
            f"{indicator.shown(values.quantile(0.05))} and {indicator.shown(values.quantile(0.95))}. The change "
            f"is against the question's own settings ({preset}) run with the same number of runs, seed and months.",
        )


def _charts(scenario: Scenario, large: bool, month: pd.Timestamp | None, last: pd.Timestamp) -> None:
    """The open tab's charts (only those are built and drawn), replayed up to a month when one is chosen.

    How to read them follows the charts, so that on a laptop the charts start on the first screen.
    """
    groups = chart_tabs(scenario)
    # Here, after the headline numbers: the browser evaluates Plotly's script (a second or more) before it
    # draws anything that comes after the request for it.
    plotly_loader()
    for tab, names in zip(st.tabs(list(groups), key="explore_tab", on_change="rerun"), groups.values(), strict=True):
        if tab.open is False:
            continue  # built and drawn when opened: a change then costs two charts, not ten
        payloads = explore_payloads(
            scenario.model_json(), large, tuple(names), None if month is None else (month, last)
        )
        with tab:
            for row in range(0, len(names), 2):
                pair = names[row : row + 2]
                for column, name in zip(st.columns(len(pair)), pair, strict=True):
                    with column:
                        chart_in_place(payloads[name], f"chart_{name}")
    st.caption(
        f"Lines are medians over {scenario.simulation.replications} runs; the darker band holds the middle 50% "
        f"of them, the lighter band 90%. Diamonds are the observed record (Viasna), fitted from July 2024 to "
        f"{pd.Timestamp(RECORD_END + '-01'):%B %Y}, when it ends (marked); dotted lines mark the senders' moves and "
        f"the election. {what_bands_show(scenario)}"
    )


# --- the month-by-month story ---------------------------------------------------------------------


def month_story(row: pd.Series, scenario: Scenario) -> str:
    """One month of a replication as Markdown: what each sender did, what the regime did and said, and why."""
    moves = "; ".join(
        sender_move(row, s.model_copy(update={"name": escape_markdown(s.name)})) for s in scenario.senders()
    )
    # The same plain words as the workshop's reveal, read from this one replication's drivers.
    month = row.to_frame().T
    return (
        f"**{row['date']:%b %Y}** · {moves or 'no sender is active'}.  \n"
        f"Regime: pardons **{row['released']:,}** ({row['deported']:,} deported); **{row['newly_imprisoned']:,}** "
        f"newly imprisoned ({row['new_arrests']:,} arrests, {row['rearrests']:,} re-arrests); "
        f"{row['prisoners']:,} in prison at month end.  \n"
        f"State media ({row['narrative'].replace('_', ' ')}): *“{escape_markdown(row['headline'])}”*  \n"
        f"**Why?** {escape_markdown(why_release(month, scenario))} {escape_markdown(why_arrests(month))}"
    )


@st.cache_data(max_entries=32, show_spinner=False)
def story_text(scenario_json: str) -> tuple[int, list[str]]:
    """The typical replication's number and its month-by-month story (cached with the run)."""
    results = ui.run(scenario_json)
    replication = results.typical_replication()
    story = results.story(replication)
    story["headline"] = story_headlines(story)
    return replication, [month_story(row, results.scenario) for _, row in story.iterrows()]


def _step_month(options: list[str], step: int) -> None:
    position = options.index(st.session_state.get(MONTH, WHOLE)) if st.session_state.get(MONTH) in options else 0
    st.session_state[MONTH] = options[min(max(position + step, 0), len(options) - 1)]


def month_stepper(dates: list[pd.Timestamp]) -> int | None:
    """A slider with back and forward buttons that replays the run month by month; the month's index or None."""
    options = [WHOLE, *(f"{d:%b %Y}" for d in dates)]
    if st.session_state.get(MONTH) not in options:
        st.session_state[MONTH] = WHOLE
    back, slider, forward = st.columns([1, 10, 1], vertical_alignment="bottom")
    back.button("◀", key="month_back", on_click=_step_month, args=(options, -1), help="The month before")
    slider.select_slider("Replay month by month", options, key=MONTH, help="The charts and the story up to a month.")
    forward.button("▶", key="month_forward", on_click=_step_month, args=(options, 1), help="The month after")
    chosen = st.session_state[MONTH]
    return None if chosen == WHOLE else options.index(chosen) - 1


def _month_told(scenario_json: str, month: int | None) -> None:
    """The chosen month of the typical run, told above the charts it replays."""
    if month is not None:
        st.info(story_text(scenario_json)[1][month])


@st.cache_data(max_entries=32, show_spinner=False)
def typical_run(scenario_json: str) -> int:
    """The number of the typical replication (cheap: the story itself is told only when asked for)."""
    return ui.run(scenario_json).typical_replication()


def _story(scenario_json: str, large: bool) -> None:
    replication = typical_run(scenario_json)
    whole = st.expander(
        f"What happened, month by month, in a typical run (run {replication})", key=STORY, on_change="rerun"
    )
    if whole.open is False:
        return  # two dozen paragraphs are made and sent only for those who open them
    months = story_text(scenario_json)[1]
    with whole:
        st.caption(
            f"Run {replication} is the one whose total released is closest to the median. The tab *Why the "
            "regime acted* charts the regime's reasons for and against releasing in this run."
        )
        with st.container(height=520 if large else 420):
            st.markdown("\n\n".join(months))


# --- downloads and the page -----------------------------------------------------------------------


def saved_scenario(scenario: Scenario, preset: str, overrides: dict[str, Any]) -> Scenario:
    """The scenario to save, its name and description saying which preset it changed and how."""
    if not overrides:
        return scenario
    changed = ", ".join(sorted(overrides))
    return with_overrides(
        scenario,
        {"meta.name": f"{preset}_modified", "meta.description": f"{scenario.meta.description} Changed: {changed}."},
    )


def _downloads(scenario: Scenario, preset: str, overrides: dict[str, Any]) -> None:
    """Buttons for the scenario file, result tables, charts and provenance; all but the last are made on click."""
    key, saved = scenario.model_json(), saved_scenario(scenario, preset, overrides)
    made = provenance(scenario, scenario.simulation.seed)
    stamp = "".join(f"# {name}: {value}\n" for name, value in made.items())
    files: tuple[tuple[str, Any, str, str], ...] = (
        ("Scenario (YAML)", lambda: stamp + scenario_to_yaml(saved), ".yaml", "application/x-yaml"),
        ("Results per month (CSV)", lambda: ui.run(key).monthly.to_csv(index=False), "_monthly.csv", "text/csv"),
        ("Results per run (CSV)", lambda: ui.run(key).summary.to_csv(index=False), "_summary.csv", "text/csv"),
        (
            "Charts (HTML)",
            lambda: plots.figures_html(
                list(
                    explore_figures(key, False, tuple(n for ns in chart_tabs(scenario).values() for n in ns)).values()
                ),
                saved.meta.name,
            ),
            "_charts.html",
            "text/html",
        ),
        ("Provenance (JSON)", json.dumps(made, indent=1), "_provenance.json", "application/json"),
    )
    # A row that wraps: each button as wide as its label, so no label is cut on a laptop or a phone.
    row = st.container(horizontal=True)
    for label, data, suffix, mime in files:
        row.download_button(label, data, saved.meta.name + suffix, mime, on_click="ignore", icon=":material/download:")


def _share(preset: str, overrides: dict[str, Any]) -> None:
    """Keep the address bar pointing at this view, and show the link to copy."""
    params = ui.encode_link(preset, overrides)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    # Encoded, so a value holding & # + % (a sender named "Tom & Jerry") reopens this view, not another.
    query = urlencode(params, quote_via=quote)
    st.markdown("**Share this view**: the address in your browser's bar opens it again; so does this link.")
    link = st.expander("The link, to copy", key=SHARE_LINK, on_change="rerun")
    if link.open is False:
        return  # st.code brings a large script to the browser, which every first visit would otherwise load
    link.code(f"{(st.context.url or '').rstrip('/')}/?{query}", language=None, wrap_lines=True)


def _changes(
    base: Scenario, overrides: dict[str, Any], before: Results | None = None, after: Results | None = None
) -> None:
    """The changes against the question's settings, with the values the runs used before and after them."""
    if overrides:
        lines = ui.change_lines(base, overrides, before, after)
        st.markdown("**Your changes to this question's settings:** " + "; ".join(lines))


def _introduction(preset: str, base: Scenario) -> None:
    """The title, the question, what it sets up and the EU's move: in the page, where a phone shows it too."""
    title, link = st.columns([3, 1], vertical_alignment="bottom")
    title.title("Explore: engage, hold or tighten?", anchor=False)
    link.page_link(ABOUT_PAGE, label="How the model works", icon=":material/schema:")
    # Side by side on a laptop, so the charts start on the first screen; one above the other on a phone.
    question, move = st.columns([3, 2], gap="medium")
    with question:
        _preset_picker(preset)
        # A selector cuts a long question at a phone's edge, so a phone also shows it whole.
        st.html(f"<p class='phone-only'><b>{html.escape(preset_questions()[preset])}</b></p>")
        st.markdown(escape_markdown(preset_setting(base)))
    base_values = ui.flat_values(base)
    current = ui.current_values(base_values)
    with move:
        ui.sender_policy("eu", current["eu.name"], base_values, current, folded=True)


def _settled_choice(base: Scenario) -> tuple[dict[str, Any], Scenario]:
    """This session's overrides without those that no longer apply, and the scenario they make."""
    overrides = ui.explore_choice()[1]
    kept, scenario = ui.settled(base, overrides)
    if kept != overrides:
        st.session_state[ui.OVERRIDES] = kept
    return kept, scenario


def render() -> None:
    """The Explore page."""
    _read_link_once()
    ui.headline_style()
    preset = ui.explore_choice()[0]
    base = load_preset(preset)
    _introduction(preset, base)
    with st.sidebar:
        _sidebar(base)
    if st.session_state.get("link_problems"):
        ui.show_problems(
            f"This link could not be opened, so the question's own settings ({preset}) are shown instead.",
            st.session_state["link_problems"],
        )
    try:
        overrides, scenario = _settled_choice(base)
    except ScenarioError as exc:
        _changes(base, ui.explore_choice()[1])
        ui.show_problems("These settings cannot be simulated; change them in the sidebar.", exc.problems)
        return
    if problems := ui.run_problems(scenario):
        _changes(base, overrides)
        ui.show_problems("This scenario cannot run in the app.", problems)
        return
    try:
        results = ui.run(scenario.model_json())
    except ValueError as exc:
        _changes(base, overrides)
        ui.show_problems("This scenario cannot run here.", [str(exc)])
        return
    reference = _reference(base, scenario) if overrides else None
    # Each in a place of its own, empty when there is nothing to say: a line that appeared would move every
    # element after it, and the browser would build those numbers and charts anew rather than update them.
    with st.empty():
        _changes(base, overrides, reference, results)
    _headline_metrics(results, reference, preset)
    dates = sorted(results.monthly["date"].unique())
    month = month_stepper(dates)
    with st.empty():
        _month_told(scenario.model_json(), month)
    _charts(scenario, ui.large_text(), None if month is None else dates[month], dates[-1])
    _story(scenario.model_json(), ui.large_text())
    st.header("Save and share")
    _downloads(scenario, preset, overrides)
    _share(preset, overrides)


if __name__ == "__main__":
    render()
