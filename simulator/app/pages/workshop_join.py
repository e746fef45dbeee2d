"""Workshop, participant's view (phones): join with a code, vote each month, see the last reveal.

The ballot is drawn by the page itself, never inside the auto-refreshing part: a small fragment
only asks the database for the workshop's version every half second and reruns the page when it
changes, so a tap can never land on a ballot that is being redrawn. The ballot is one choice
widget, not three buttons: Streamlit merges taps that arrive while the server is busy, and merged
button clicks run in the buttons' order, not the taps' order, so the last tap could lose; a
choice always ends on the last tap. The ballot keeps its place; the confirmation below it stays
until the reveal.
"""

from __future__ import annotations

from html import escape

import streamlit as st

from simulator.app.workshop_display import phone_reveal_html
from simulator.app.workshop_identity import candidate_tokens, clients, remember
from simulator.app.workshop_messages import error
from simulator.app.workshop_resources import (
    PHONE_POLL_SECONDS,
    open_store,
    reveal_at,
    throttles,
    workshop_at,
)
from simulator.app.workshop_style import phone_style
from simulator.workshop.rules import WorkshopError, month_name, normalise_code
from simulator.workshop.store import Participant, Workshop, WorkshopStore

# Each label says what the choice means: phones have no hover for a tooltip.
BALLOT = {
    "engage": "Engage: ease sanctions",
    "hold": "Hold: demand all be freed",
    "tighten": "Tighten: add sanctions",
}


def cast(store: WorkshopStore, code: str, token: str, month: int, widget: str) -> None:
    """Ballot callback: record the chosen action; a refusal is kept to show in the confirmation's place."""
    action = st.session_state.get(widget)
    if action is None:
        return
    try:
        store.vote(code, token, month, action)
        st.session_state.pop("refused", None)
    except WorkshopError as exc:
        st.session_state["refused"] = (month, str(exc).split(": ", 1)[-1])


def find_workshop(store: WorkshopStore, typed: str) -> str | None:
    """The canonical code if a workshop has it; wrong codes count against this browser and network."""
    guesses = throttles()["code"]
    try:
        guesses.check(clients())
        code = normalise_code(typed)
        if store.version(code) < 0:
            guesses.record(clients())
            raise WorkshopError(f"code: no workshop has the code {code}; check it with the facilitator")
        return code
    except WorkshopError as exc:
        error(str(exc))
        return None


def code_form(store: WorkshopStore) -> None:
    """Ask for the join code shown on the screen."""
    with st.form("code"):
        typed = st.text_input("Join code", max_chars=12, placeholder="e.g. K7PQ2M")
        if st.form_submit_button("Continue", type="primary", width="stretch"):
            code = find_workshop(store, typed)
            if code:
                st.query_params["code"] = code
                st.rerun()


def join_form(store: WorkshopStore, workshop: Workshop) -> None:
    """Name (required if the facilitator says so) and team, then join; the id is kept by this browser."""
    required = workshop.spec.require_names
    st.write(
        "Your name is shown to the facilitator only."
        if required
        else "Your name and team are optional; they are shown to the facilitator only."
    )
    with st.form("join"):
        name = st.text_input("Name" if required else "Name (optional)", max_chars=40)
        team = st.text_input("Table or group (optional)", max_chars=40)
        if st.form_submit_button("Join", type="primary", width="stretch"):
            joins = throttles()["join"]
            try:
                joins.check(clients())
                participant = store.join(workshop.code, name, team)
                joins.record(clients())
            except WorkshopError as exc:
                error(str(exc))
                return
            remember(workshop.code, participant.token)
            st.rerun()


def identify(store: WorkshopStore, code: str) -> Participant | None:
    """The participant this browser already is in this workshop, if any (session, cookie, then link)."""
    for token in candidate_tokens(code, st.query_params.get("pid")):
        try:
            return store.participant(code, token)
        except WorkshopError:
            continue
    if st.query_params.get("pid"):
        st.warning("pid: this link's participant id is not part of this workshop; join below.")
    return None


def status_line(workshop: Workshop, participant: Participant) -> None:
    """Who you are and what the room is doing now, in a line of fixed height."""
    spec, progress = workshop.spec, workshop.progress
    who = " · ".join(part for part in (participant.name, participant.team) if part) or "anonymous"
    if spec.teams:
        who += f" · {spec.second_name if participant.role == 'second' else 'EU'} team"
    if progress.phase == "voting":
        month = progress.voting_month
        now = f"Month {month}, {month_name(spec.scenario, month)}: what should {_sender(workshop, participant)} do?"
    elif progress.phase == "paused":
        now = "Paused"
    elif progress.phase == "finished":
        now = "All months are played"
    else:
        now = f"Waiting for the vote on month {progress.next_month}"
    st.html(
        f'<p class="ws-phone-title">{escape(spec.title)} · joined as {escape(who)}</p>'
        f'<p class="ws-phone-status">{escape(now)}</p>'
    )


def _sender(workshop: Workshop, participant: Participant) -> str:
    if workshop.spec.teams and participant.role == "second":
        return workshop.spec.second_name
    return "the EU member states" if workshop.spec.council else "the EU"


def ballot(store: WorkshopStore, workshop: Workshop, participant: Participant) -> None:
    """Three large choices in a fixed order and place; the confirmation below stays until the reveal."""
    month = workshop.progress.voting_month
    mine = store.my_vote(workshop.code, participant.token, month)
    # One widget per month, kept across reruns (so it never remounts under the thumb), always showing
    # what the database holds: a refused tap or an undone month clears it.
    widget = f"ballot_{month}"
    if st.session_state.get(widget) != mine:
        st.session_state[widget] = mine
    st.radio(
        "Your vote",
        list(BALLOT),
        index=None,
        format_func=BALLOT.get,
        key=widget,
        label_visibility="collapsed",
        on_change=cast,
        args=(store, workshop.code, participant.token, month, widget),
    )
    refused = st.session_state.get("refused")
    if refused and refused[0] == month:
        confirmation("ws-late", refused[1])
    elif mine:
        confirmation("ws-ok", f"✓ Your vote: {mine.upper()}. It is counted; you can change it until the vote closes.")
    else:
        confirmation("ws-none", "Tap your choice. You can change it until the vote closes.")


def confirmation(kind: str, text: str) -> None:
    """The box under the ballot; always the same height, so nothing above it moves."""
    st.html(f'<div class="ws-phone ws-confirm {kind}" data-testid="ws-confirm">{escape(text)}</div>')


def waiting(workshop: Workshop) -> None:
    """Between votes: a refused late tap is said plainly, then what the room waits for."""
    refused = st.session_state.get("refused")
    if refused and refused[0] > workshop.progress.months_played - 1:
        confirmation("ws-late", refused[1])
    phase = workshop.progress.phase
    text = {
        "paused": "The workshop is paused. Stay on this page; it will carry on.",
        "finished": "All months are played: the debrief is on the big screen.",
    }.get(phase, f"Waiting for the facilitator to open the vote on month {workshop.progress.next_month}.")
    st.html(f'<div class="ws-phone ws-wait">{escape(text)}</div>')


@st.fragment(run_every=PHONE_POLL_SECONDS)
def follow(store: WorkshopStore, code: str, seen: int) -> None:
    """Every half second, one read of the workshop's version; a change reruns the whole page."""
    try:
        changed = store.version(code) != seen
    except WorkshopError:
        changed = True  # the page itself will say what is wrong
    if changed:
        st.rerun()


def participant_view(store: WorkshopStore, workshop: Workshop, participant: Participant, path: str) -> None:
    """What a participant sees now: the ballot while a vote is open, else a waiting line; and the last reveal."""
    status_line(workshop, participant)
    if workshop.progress.phase == "voting":
        ballot(store, workshop, participant)
    else:
        waiting(workshop)
    if workshop.decisions:
        reveal = reveal_at(workshop, path, workshop.code, workshop.version)
        st.html(phone_reveal_html(reveal))


def main() -> None:
    """Route between the code form, the join form and the participant's view, by the link and this browser."""
    st.set_page_config(page_title="Workshop: vote", layout="centered")
    phone_style()
    store = open_store()
    typed = st.query_params.get("code")
    if not typed:
        code_form(store)
        return
    code = find_workshop(store, typed)
    if code is None:
        code_form(store)
        return
    path = str(store.path)
    try:
        version = store.version(code)
        workshop = workshop_at(store, path, code, version)
        participant = identify(store, code)
    except WorkshopError as exc:
        error(str(exc))
        return
    if participant is None:
        st.html(f'<p class="ws-phone-title">{escape(workshop.spec.title)}</p>')
        join_form(store, workshop)
        return
    try:
        participant_view(store, workshop, participant, path)
    except WorkshopError as exc:
        error(str(exc))
    follow(store, code, version)
    remember(code, participant.token)


main()
