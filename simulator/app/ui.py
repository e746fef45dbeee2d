"""Shared pieces of the app's pages: cached runs, schema-driven controls, shareable links and uploads.

A page's scenario is a preset plus overrides (dotted path -> value). The overrides live in
`st.session_state` (UI state of one browser session); results never do: they come from `run`,
cached on the scenario's canonical JSON, so every session asking for the same scenario shares one run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from simulator import (
    ACTIONS,
    ParameterInfo,
    Results,
    Scenario,
    ScenarioError,
    load_preset,
    parameter_table,
    parse_scenario_yaml,
    preset_names,
    simulate,
    with_overrides,
)
from simulator.app.run_cache import RunCache, budget_bytes
from simulator.core.limits import APP_LIMITS, run_size_problems
from simulator.core.policies import POLICY_FIELDS, scheduled_action
from simulator.core.scenarios import MAX_SCENARIO_BYTES
from simulator.core.schema import month_index, month_label
from simulator.presentation.explanations import drawn_range, why_unmoved
from simulator.presentation.safe_text import escape_markdown
from simulator.presentation.wording import plain_unit, sender_name

MODEL_NOTE = (
    "**A stylised model, not a forecast.** It shows how outcomes *could* depend on the EU's choices under "
    "stated assumptions, calibrated to Belarus in 2024; it cannot say what will happen."
)
DEFAULT_PRESET = "as_it_happened"
# Session keys: the Explore page's choice lives outside widget keys, which Streamlit drops on other pages.
PRESET, OVERRIDES, WIDGET = "explore_preset", "explore_overrides", "w:"
PARAMETERS: dict[str, ParameterInfo] = {p.path: p for p in parameter_table(Scenario) if not p.path.startswith("meta.")}
MAX_LINK_PARAMETERS, MAX_LINK_VALUE = 200, 1000
MAX_SHOWN_PROBLEM = 300
# Session keys of expanders whose content is drawn only once opened (a folded move's settings).
MOVE_SETTINGS = "move_settings:"


@st.cache_resource(show_spinner=False)  # made in an instant: nothing to wait for
def run_cache() -> RunCache:
    """The finished runs of this server process, bounded by bytes (see run_cache.py)."""
    return RunCache(budget_bytes())


def run(scenario_json: str) -> Results:
    """Simulate a scenario given as canonical JSON (a stable cache key; pydantic objects are not)."""
    return run_cache().get(
        scenario_json,
        lambda: simulate(Scenario.model_validate_json(scenario_json)),
        on_miss=lambda: st.spinner("Simulating every replication..."),
    )


def run_problems(scenario: Scenario) -> list[str]:
    """Why a valid scenario cannot run in the shared app (too large, or a person must choose), one line each."""
    sim, size = scenario.simulation, scenario.audience.size
    problems = [
        f"{group}.policy.kind: 'interactive' needs a person to choose each month; play it on the Workshop pages "
        "or pick another kind here"
        for group in ("eu", "second_sender")
        if getattr(scenario, group).enabled and getattr(scenario, group).policy.kind == "interactive"
    ]
    # The app is shared by a room: its limits (in simulator/core/limits.py) are smaller than the library's.
    problems += run_size_problems(sim.replications, size, sim.months, APP_LIMITS)
    return problems


def show_problems(title: str, problems: list[str], where=st) -> None:
    """An error box with one line per problem (each naming field, value and what is allowed), shown as text.

    Problems quote what a person typed or uploaded, so they are escaped: a value cannot become a link or image.
    """
    lines = [p if len(p) <= MAX_SHOWN_PROBLEM else p[:MAX_SHOWN_PROBLEM] + "..." for p in problems]
    where.error(escape_markdown(title) + "\n\n" + "\n".join(f"- {escape_markdown(line)}" for line in lines))


def model_note() -> None:
    """The short reminder shown on every page of what the model is not."""
    st.caption(MODEL_NOTE + " See **About the model**.")


def large_text() -> bool:
    """Whether the session asked for projector-size text (a toggle in the sidebar)."""
    return bool(st.session_state.get("large_text", False))


def projector_style() -> None:
    """Enlarge text and figures for a room when the session asked for large text."""
    if large_text():
        st.html(
            "<style>"
            "[data-testid='stMarkdownContainer'] p, [data-testid='stMarkdownContainer'] li {font-size: 1.3rem;}"
            "[data-testid='stMetricValue'], [data-testid='stMetricValue'] * {font-size: 2.6rem !important;}"
            "[data-testid='stMetricLabel'] p {font-size: 1.2rem;}"
            "h1 {font-size: 3rem !important;}"
            "</style>"
        )


# Colours with at least 4.5:1 contrast on Streamlit's light backgrounds (white, #f8f8f7 in the sidebar,
# #f3e5e6 behind a selected segmented button): its own grey captions (#828180 at 60% opacity, 3.9:1) and selected
# button text (#c53948, 4.2:1) fall short of WCAG AA.
CAPTION_COLOUR, SELECTED_COLOUR, FOCUS_COLOUR = "#5c5b59", "#a82c3a", "#0b57d0"
ACCESSIBLE_CSS = f"""<style>
[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] * {{
  color: {CAPTION_COLOUR} !important; opacity: 1 !important;
}}
[data-testid='stButtonGroup'] [data-selected='true'] p {{color: {SELECTED_COLOUR} !important;}}
a:focus-visible, button:focus-visible, summary:focus-visible, [role='tab']:focus-visible,
[role='slider']:focus-visible, [tabindex]:focus-visible, [data-baseweb='select']:focus-within > div {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px;
}}
.skip-link {{position: fixed; left: -10000px; top: 0.5rem; z-index: 1000001; padding: 0.5rem 1rem;
  background: #ffffff; color: {FOCUS_COLOUR}; font-weight: 600; border-radius: 0.25rem;}}
.skip-link:focus {{left: 0.5rem;}}
body:has(#skip-to-main) [data-testid='stSkipToContent'] {{display: none;}}
</style>"""
# Streamlit draws the sidebar (navigation and controls) before the page, so a keyboard user tabs through
# all of it first: a skip link, first in the document, moves focus to the page's heading.
SKIP_LINK_JS = """<script>
(() => {
  if (document.getElementById('skip-to-main')) return;
  const link = document.createElement('a');
  link.id = 'skip-to-main';
  link.className = 'skip-link';
  link.href = '#stMain';
  link.textContent = 'Skip to main content';
  link.addEventListener('click', (event) => {
    event.preventDefault();
    const main = document.querySelector("[data-testid='stMain']");
    const target = (main && main.querySelector('h1')) || main;
    if (!target) return;
    target.setAttribute('tabindex', '-1');
    target.focus();
  });
  document.body.prepend(link);
})();
</script>"""


def accessible_style() -> None:
    """Readable contrast, visible focus rings and a skip link to the page's content, on every page."""
    st.html(ACCESSIBLE_CSS)
    st.html(SKIP_LINK_JS, unsafe_allow_javascript=True)


def headline_style() -> None:
    """Headline numbers small enough to show with their units in five columns on a laptop."""
    st.html(
        "<style>[data-testid='stMetricValue'] {font-size: 1.55rem;}"
        # Less empty space above the title, so that on a laptop the charts start on the first screen.
        "[data-testid='stMainBlockContainer'] {padding-top: 3rem;}"
        "[data-testid='stMain'] h1 {font-size: 2.25rem; padding-top: 0;}"
        ".phone-only {display: none;} @media (max-width: 640px) {.phone-only {display: block;}}"
        # The move's buttons wrap to a second row rather than run off a narrow screen.
        "[data-testid='stButtonGroup'] div:has(> button) {flex-wrap: wrap !important; max-width: 100%;}"
        # A value too wide for its column wraps under its number instead of ending in an ellipsis.
        "[data-testid='stMetricValue'] * {white-space: normal !important; text-overflow: clip !important;}</style>"
    )


def remembered(widget, label: str, key: str, default: Any, **options) -> Any:
    """Show a widget whose value survives visits to other pages (Streamlit drops the keys of unseen widgets)."""
    store = "keep:" + key
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(store, default)
    value = widget(label, key=key, **options)
    st.session_state[store] = value
    return value


# --- scenarios as preset + overrides -------------------------------------------------------------


def flat_values(scenario: Scenario) -> dict[str, Any]:
    """Every adjustable parameter of a scenario by dotted path."""
    data = scenario.model_dump(mode="json")
    values = {}
    for path in PARAMETERS:
        node = data
        for part in path.split("."):
            node = node[part]
        values[path] = node
    return values


def differences(scenario: Scenario, base: Scenario) -> dict[str, Any]:
    """The parameters in which a scenario differs from a base, as overrides."""
    mine, theirs = flat_values(scenario), flat_values(base)
    return {path: value for path, value in mine.items() if value != theirs[path]}


def closest_preset(scenario: Scenario) -> tuple[str, dict[str, Any]]:
    """The preset a scenario differs from least, and those differences."""
    options = {name: differences(scenario, load_preset(name)) for name in preset_names()}
    name = min(options, key=lambda n: (len(options[n]), n != DEFAULT_PRESET))
    return name, options[name]


def explore_choice() -> tuple[str, dict[str, Any]]:
    """The preset and overrides this session's Explore page holds (the baseline, unchanged, at first)."""
    return st.session_state.get(PRESET, DEFAULT_PRESET), dict(st.session_state.get(OVERRIDES, {}))


def set_explore_choice(preset: str, overrides: dict[str, Any]) -> None:
    """Replace the Explore page's preset and overrides; its controls start again from the new values."""
    st.session_state[PRESET] = preset
    st.session_state[OVERRIDES] = dict(overrides)
    for key in [k for k in st.session_state if str(k).startswith(WIDGET)]:
        del st.session_state[key]


def explore_scenario() -> tuple[str, Scenario]:
    """The Explore page's preset name and scenario; raises ScenarioError if the overrides do not validate."""
    preset, overrides = explore_choice()
    return preset, with_overrides(load_preset(preset), overrides)


# --- shareable links ------------------------------------------------------------------------------


def encode_value(value: Any) -> str:
    """A parameter value as text for a URL query string (schedules as 'YYYY-MM:action,...')."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return ",".join(f"{month}:{action}" for month, action in value.items())
    return repr(value) if isinstance(value, float) else str(value)


def decode_value(info: ParameterInfo, text: str) -> Any:
    """Parse a query-string value for a parameter; raises ValueError with a readable message."""
    if info.kind == "int":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{info.path}: {text!r} is not a whole number") from None
    if info.kind == "float":
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{info.path}: {text!r} is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"{info.path}: {text!r} is not a finite number")
        return number
    if info.kind == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"{info.path}: {text!r} is not allowed; write true or false")
        return text.lower() == "true"
    if info.kind == "other":
        pairs = [item.split(":") for item in text.split(",") if item]
        if any(len(pair) != 2 for pair in pairs):
            raise ValueError(f"{info.path}: {text!r} is not a schedule; write YYYY-MM:action pairs separated by commas")
        return dict(pairs)
    return text


def encode_link(preset: str, overrides: dict[str, Any]) -> dict[str, str]:
    """Query-string parameters for a view: the preset and each changed parameter by dotted path."""
    return {"preset": preset, **{path: encode_value(value) for path, value in sorted(overrides.items())}}


def decode_link(params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """Read a preset and overrides from query-string parameters, checking everything; raises ScenarioError."""
    params = {k: v[-1] if isinstance(v, list) else v for k, v in params.items() if not k.startswith("embed")}
    preset = params.pop("preset", DEFAULT_PRESET)
    problems = []
    if len(params) > MAX_LINK_PARAMETERS:
        raise ScenarioError([f"link: {len(params)} parameters is above the maximum {MAX_LINK_PARAMETERS}"])
    if preset not in preset_names():
        problems.append(f"preset: {preset[:MAX_LINK_VALUE]!r} is not one of {preset_names()}")
    overrides = {}
    for path, text in params.items():
        if path not in PARAMETERS:
            problems.append(f"{path[:100]}: unknown parameter (check the spelling)")
        elif len(text) > MAX_LINK_VALUE:
            problems.append(f"{path}: the value is {len(text)} characters long, above the maximum {MAX_LINK_VALUE}")
        else:
            try:
                overrides[path] = decode_value(PARAMETERS[path], text)
            except ValueError as exc:
                problems.append(str(exc))
    if problems:
        raise ScenarioError(problems)
    with_overrides(load_preset(preset), overrides)
    return preset, overrides


# --- uploads --------------------------------------------------------------------------------------


def _holds_nothing(data: bytes) -> bool:
    """Whether a YAML file holds no document: only blank lines, comments and document markers."""
    lines = data.decode("utf-8", errors="replace").splitlines()
    return all(not line.strip() or line.lstrip().startswith("#") or line.strip() in ("---", "...") for line in lines)


def read_upload(name: str, data: bytes) -> Scenario:
    """Parse an uploaded scenario file safely; raises ScenarioError naming each problem.

    An empty or comment-only file is refused: read as a scenario it would be the bare defaults, and
    opening it would silently replace the user's work.
    """
    if len(data) > MAX_SCENARIO_BYTES:
        raise ScenarioError([f"file: {name!r} is {len(data):,} bytes, above the maximum {MAX_SCENARIO_BYTES:,}"])
    if _holds_nothing(data):
        raise ScenarioError([f"file: {name!r} holds no scenario (it is empty or only comments)"])
    try:
        return parse_scenario_yaml(data)
    except RecursionError:
        raise ScenarioError([f"file: {name!r} nests too deeply to be a scenario"]) from None


# --- controls generated from the parameter schema -------------------------------------------------


def bounds(info: ParameterInfo) -> tuple[float, float]:
    """A numeric parameter's allowed range (every int and float parameter of the schema has both ends)."""
    if info.minimum is None or info.maximum is None:
        raise ValueError(f"{info.path}: the schema gives no range for a slider")
    return info.minimum, info.maximum


def _step(info: ParameterInfo) -> float:
    """A slider step fine enough for the range and for the schema's default value."""
    low, high = bounds(info)
    span = high - low
    coarse = 10 ** (math.floor(math.log10(span)) - 2)
    decimals = len(f"{float(info.default):.10f}".rstrip("0").split(".")[1])
    return min(coarse, 10.0**-decimals)


def _help(info: ParameterInfo) -> str:
    unit = plain_unit(info.unit)
    bounds = f"Allowed: {info.minimum:g} to {info.maximum:g} ({unit})." if info.maximum is not None else ""
    return f"{info.help}\n\n{bounds} Source: {info.source}. (`{info.path}`)"


def control_label(info: ParameterInfo) -> str:
    """A control's label: the parameter's name and, for numbers, its unit in plain words."""
    unit = plain_unit(info.unit)
    return f"{info.label} ({unit})" if unit and info.kind in ("int", "float") else info.label


def parameter_control(info: ParameterInfo, current: Any) -> Any:
    """One widget for a parameter, labelled, ranged and explained from the schema; returns its value."""
    key = WIDGET + info.path
    if key not in st.session_state:
        st.session_state[key] = current
    label = control_label(info)
    helptext = _help(info)
    if info.kind == "bool":
        return st.toggle(label, key=key, help=helptext)
    if info.kind == "choice":
        return st.selectbox(label, info.choices, key=key, help=helptext)
    if info.kind == "int":
        low, high = (int(end) for end in bounds(info))
        widget = st.slider if high - low <= 100 else st.number_input
        return widget(label, min_value=low, max_value=high, step=1, key=key, help=helptext)
    if info.kind == "float":
        step = _step(info)
        minimum, maximum = bounds(info)
        widget = st.slider if maximum - minimum <= 5 else st.number_input
        return widget(
            label,
            min_value=float(minimum),
            max_value=float(maximum),
            step=step,
            format=f"%.{max(0, -math.floor(math.log10(step)))}f",
            key=key,
            help=helptext,
        )
    return st.text_input(label, key=key, help=helptext, max_chars=200)


def _record(path: str, value: Any, base: dict[str, Any]) -> None:
    """Keep a control's value as an override when it differs from the preset, and drop it when it does not."""
    overrides = st.session_state.setdefault(OVERRIDES, {})
    if value == base[path]:
        overrides.pop(path, None)
    else:
        overrides[path] = value


def controls(paths: list[str], base: dict[str, Any], current: dict[str, Any], advanced: bool) -> dict[str, Any]:
    """Show the controls of these parameters (advanced ones only if asked) and return their values."""
    values = {}
    for path in paths:
        info = PARAMETERS[path]
        if info.kind == "other" and not path.endswith(".schedule"):
            continue  # a list of records (a sender's ladder) has no single widget; see ladder_table
        if advanced or not info.advanced:
            values[path] = parameter_control(info, current[path])
            _record(path, values[path], base)
    return values


def current_values(base: dict[str, Any]) -> dict[str, Any]:
    """Every parameter's value as the user now sees it: the preset, the overrides, then this run's widget states.

    Widget states come last because a control changed in this run records its override only when it is
    drawn, and controls drawn earlier (the schedule table reads the horizon) must already see it.
    """
    fresh = {path: st.session_state[WIDGET + path] for path in PARAMETERS if WIDGET + path in st.session_state}
    return {**base, **explore_choice()[1], **fresh}


def _months(current: dict[str, Any]) -> list[str]:
    first = month_index(current["simulation.start"])
    return [month_label(first + m) for m in range(current["simulation.months"])]


def expand_schedule(schedule: dict[str, str], default: str, months: list[str]) -> list[str]:
    """The action in force each month under a schedule (from each listed month on, until the next one)."""
    return [scheduled_action(schedule, default, month_index(month)) for month in months]


def compress_schedule(months: list[str], actions: list[str]) -> dict[str, str]:
    """The shortest schedule giving these monthly actions: the first month and every change."""
    return {m: a for i, (m, a) in enumerate(zip(months, actions, strict=True)) if i == 0 or a != actions[i - 1]}


def _schedule_editor(group: str, base: dict[str, Any], current: dict[str, Any]) -> None:
    """A month-by-month table of the sender's actions; edits become a compressed schedule override."""
    path = f"{group}.policy.schedule"
    try:
        months = _months(current)
    except ValueError:
        st.warning("Fix the start month (YYYY-MM) to edit the schedule.")
        return
    default = current[f"{group}.policy.default_action"]
    actions = expand_schedule(current[path], default, months)
    table = pd.DataFrame({"Month": months, "Action": actions})
    # The key follows the table, so after an edit the editor restarts from the new schedule.
    key = f"{WIDGET}{path}:{hash((tuple(months), tuple(actions)))}"
    info = PARAMETERS[path]
    edited = st.data_editor(
        table,
        key=key,
        hide_index=True,
        disabled=["Month"],
        height=min(38 + 35 * len(months), 320),
        column_config={"Action": st.column_config.SelectboxColumn(options=list(ACTIONS), required=True)},
    )
    st.caption(f"{info.help} Source: {info.source}.")
    chosen = [a if a in ACTIONS else actions[i] for i, a in enumerate(edited["Action"])]
    if chosen != actions:
        current[path] = compress_schedule(months, chosen)
    base_actions = expand_schedule(base[path], base[f"{group}.policy.default_action"], months)
    overrides = st.session_state.setdefault(OVERRIDES, {})
    if expand_schedule(current[path], default, months) == base_actions:
        overrides.pop(path, None)
    else:
        overrides[path] = current[path]


# The sender's move, as a student thinks of it: one of the three actions every month, a rule, or a schedule.
MOVES = ("engage", "hold", "tighten", "rule", "schedule")
MOVE_LABELS = {"engage": "Engage", "hold": "Hold", "tighten": "Tighten", "rule": "A rule", "schedule": "A schedule"}
RULES = ("reciprocal", "maximalist", "graduated")


def move_values(group: str, move: str) -> dict[str, str]:
    """The policy a sender's fixed move sets (engage, hold or tighten every month), by dotted path."""
    return {f"{group}.policy.kind": "fixed", f"{group}.policy.action": move}


def policy_move(kind: str, action: str) -> str | None:
    """The move a policy amounts to (None for an interactive policy, which a person plays in the workshop)."""
    if kind == "fixed":
        return action
    if kind in RULES:
        return "rule"
    return "schedule" if kind == "schedule" else None


def settled(base: Scenario, overrides: dict[str, Any]) -> tuple[dict[str, Any], Scenario]:
    """The overrides that still apply to a preset (see `applicable`), and the scenario they make of it."""
    scenario = with_overrides(base, overrides)
    kept = applicable(overrides, scenario)
    return kept, scenario if kept == overrides else with_overrides(base, kept)


def applicable(overrides: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """The overrides that still matter: none of a sender that is off, none of policy fields its kind ignores."""
    kept = {}
    for path, value in overrides.items():
        group, *rest = path.split(".")
        sender = getattr(scenario, group, None)
        if group in ("eu", "second_sender") and path != f"{group}.enabled":
            assert sender is not None, "both senders are groups of every scenario"
            if not sender.enabled:
                continue
            if rest[0] == "policy" and rest[1] != "kind" and rest[1] not in POLICY_FIELDS[sender.policy.kind]:
                continue
        kept[path] = value
    return kept


def describe_move(kind: str, action: str) -> str:
    """A policy in a student's words: 'Engage', 'A schedule', 'A rule (reciprocal)'."""
    move = policy_move(kind, action)
    if move == "rule":
        return f"A rule ({kind})"
    return MOVE_LABELS[move] if move else "Decided by a person (interactive)"


def _shown_value(info: ParameterInfo, value: Any, results: Results | None) -> str:
    """A parameter's value as its runs used it: drawn run by run (with its range), or the one value."""
    if results is not None and info.path in results.summary:
        return drawn_range(results.summary[info.path])
    return escape_markdown(encode_value(value))


def change_lines(
    base: Scenario, overrides: dict[str, Any], before: Results | None = None, after: Results | None = None
) -> list[str]:
    """Each change against a preset in plain words, as Markdown showing the values literally.

    A sender's policy kind and fixed action read as one change of its move. With the runs before and
    after the changes, a value each run drew for itself reads as drawn (with its range), and a change
    that moved no run says why when the runs show it.
    """
    values, changed = flat_values(base), {**flat_values(base), **overrides}
    lines, done = [], set()
    for group in ("eu", "second_sender"):
        kind, action = f"{group}.policy.kind", f"{group}.policy.action"
        if kind in overrides or action in overrides:
            old, new = (describe_move(v[kind], v[action]) for v in (values, changed))
            name = escape_markdown(sender_name(changed[group + ".name"]))
            lines.append(f"{name[:1].upper() + name[1:]}'s move: {old} → **{new}**")
            done |= {kind, action}
    for path, value in sorted(overrides.items()):
        if path in done:
            continue
        info = PARAMETERS[path]
        unit = plain_unit(info.unit) if info.kind in ("int", "float") else ""
        old, new = _shown_value(info, values[path], before), _shown_value(info, value, after)
        line = f"{info.label}: {old} → **{new}**{f' ({unit})' if unit else ''}"
        if after is not None and (reason := why_unmoved(path, after.monthly)):
            line += f" (this moved nothing: {reason})"
        lines.append(line)
    return lines


def _set(path: str, value: Any, base: dict[str, Any], current: dict[str, Any]) -> None:
    current[path] = value
    _record(path, value, base)


def move_control(group: str, name: str, base: dict[str, Any], current: dict[str, Any]) -> str | None:
    """The sender's move as one row of buttons (engage, hold, tighten, a rule, a schedule); returns it."""
    kind_path, action_path = f"{group}.policy.kind", f"{group}.policy.action"
    key = f"{WIDGET}{group}.move"
    if key not in st.session_state:
        st.session_state[key] = policy_move(current[kind_path], current[action_path])
    move = st.segmented_control(
        f"What does the {escape_markdown(name)} do each month?",
        MOVES,
        format_func=MOVE_LABELS.__getitem__,
        key=key,
        help="Engage: talks and step-by-step sanctions relief. Hold: acknowledge releases, demand that all be "
        "freed, no relief. Tighten: more sanctions. A rule reacts to what the regime does; a schedule "
        "sets the move month by month.",
    )
    if move in ACTIONS:
        for path, value in move_values(group, move).items():
            _set(path, value, base, current)
    elif move == "schedule":
        _set(kind_path, "schedule", base, current)
    elif move == "rule":
        rule_key = WIDGET + kind_path
        if st.session_state.get(rule_key) not in RULES:
            st.session_state[rule_key] = current[kind_path] if current[kind_path] in RULES else RULES[0]
        info = replace(PARAMETERS[kind_path], label="Which rule", choices=RULES)
        _set(kind_path, parameter_control(info, current[kind_path]), base, current)
    return move


def sender_policy(group: str, name: str, base: dict[str, Any], current: dict[str, Any], folded: bool = False) -> None:
    """A sender's move and the settings that move reads (a rule's thresholds, the schedule's months).

    `folded` puts those settings in a closed expander, so the move takes one row of the page.
    """
    move = move_control(group, name, base, current)
    kind = current[f"{group}.policy.kind"]
    if move is None:
        st.caption(
            "Decided by a person each month (interactive): play it on the Workshop pages, or pick a move here."
            if kind == "interactive"
            else "Pick a move."
        )
        return
    fields = [f for f in POLICY_FIELDS[kind] if f not in ("default_action", "action")]
    # The action is the move itself; a schedule's default is edited inside its table.
    if not fields:
        return
    where = st.container()
    if folded:
        title = f"Settings of this move: {describe_move(kind, current[f'{group}.policy.action'])}"
        where = st.expander(title, key=MOVE_SETTINGS + group, on_change="rerun")
        if where.open is False:
            return  # drawn when opened: a schedule's table alone costs a first visit about a second in the browser
    with where:
        for field in fields:
            if field == "schedule":
                _schedule_editor(group, base, current)
            else:
                controls([f"{group}.policy.{field}"], base, current, advanced=True)


def sender_controls(group: str, base: dict[str, Any], current: dict[str, Any], advanced: bool) -> None:
    """A sender's controls: active or not, its move (for a second sender), its sanctions and frictions.

    The EU's move is drawn first of all on the page (`sender_policy`), so it is not repeated here.
    """
    if not controls([f"{group}.enabled"], base, current, advanced=True)[f"{group}.enabled"]:
        st.caption("Not active in this scenario.")
        return
    if group != "eu":
        sender_policy(group, current[f"{group}.name"], base, current)
    st.markdown("**Sanctions and frictions**")
    rest = [
        p
        for p in PARAMETERS
        if p.startswith(group + ".") and ".policy." not in p and not p.endswith(("enabled", ".relief_items"))
    ]
    controls(rest, base, current, advanced)
    if advanced:
        ladder_table(group, current)


def ladder_table(group: str, current: dict[str, Any]) -> None:
    """A sender's ladder of relief items, read-only: what each deal gives and who is freed for it."""
    items = current.get(f"{group}.relief_items") or []
    if not items:
        return
    st.markdown("**Ladder of relief items** (each deal takes the next; change them in a scenario file)")
    table = pd.DataFrame(items).rename(
        columns={
            "name": "item",
            "value": "value to the regime",
            "eases_sanctions": "eases sanctions",
            "deported_share": "share deported",
            "non_political_share": "share not political prisoners",
        }
    )
    st.dataframe(table, hide_index=True)
