"""Workshop, participant's view (phones): join with a code, vote each month, see the last reveal.

The ballot is drawn by the page itself, never inside the part that refreshes itself (a fragment
that only watches the workshop's version and reruns the page when it changes: see
`workshop_follow`), so a tap can never land on a ballot that is being redrawn. The ballot is one
choice widget, not three buttons: Streamlit merges taps that arrive while the server is busy, and
merged button clicks run in the buttons' order, not the taps' order; a choice ends on the last
tap. The ballot keeps its place; the confirmation below it stays until the reveal.

Two taps in quick succession run at the same time: Streamlit's fast reruns start a new run of the
page for the second tap without waiting for the first, whose vote may still be on its way to the
database. `cast` therefore records one participant's votes one at a time, and a run that a later
tap has already replaced records nothing, so the database always ends on the last tap. The page
never writes the ballot's value itself (another run could overwrite a tap with it): a new ballot
starts from the database, and one that differs from the database is replaced by a new one.
"""

from __future__ import annotations

import threading
from html import escape

import streamlit as st

from simulator.app.workshop_display import phone_reveal_html
from simulator.app.workshop_follow import follow, mark_page, superseded
from simulator.app.workshop_identity import candidate_tokens, clients, remember
from simulator.app.workshop_messages import error
from simulator.app.workshop_resources import look_up_code, open_store, reveal_at, throttles, workshop_at
from simulator.app.workshop_sending import sending_script
from simulator.app.workshop_style import phone_style
from simulator.presentation.wording import sender_name
from simulator.workshop.rules import WorkshopError, month_name, normalise_code
from simulator.workshop.store import Participant, Workshop, WorkshopStore

# Each label says what the choice means: phones have no hover for a tooltip.
BALLOT = {
    "engage": "Engage: ease sanctions",
    "hold": "Hold: demand all be freed",
    "tighten": "Tighten: add sanctions",
}


@st.cache_resource
def ballot_locks() -> tuple[dict[str, threading.Lock], threading.Lock]:
    """One lock per participant, for this server process: their votes are recorded one at a time."""
    return {}, threading.Lock()


def participant_lock(token: str) -> threading.Lock:
    locks, guard = ballot_locks()
    with guard:
        return locks.setdefault(token, threading.Lock())


def cast(store: WorkshopStore, code: str, token: str, month: int, widget: str) -> None:
    """Ballot callback: record the chosen action; a refusal is kept to show in the confirmation's place."""
    with participant_lock(token):
        action = st.session_state.get(widget)
        if action is None or superseded():
            return  # a later tap's run records that tap's choice after this one
        try:
            store.vote(code, token, month, action)
            st.session_state.pop("refused", None)
            st.session_state["stored"] = (month, action)
        except WorkshopError as exc:
            st.session_state["refused"] = refusal(store, code, month, str(exc).split(": ", 1)[-1])


def refusal(store: WorkshopStore, code: str, month: int, text: str) -> dict:
    """A refused tap: the month its ballot was for, the month then open (if any), and what to say."""
    try:
        now_open = store.workshop(code).progress.voting_month
    except WorkshopError:
        now_open = None
    return {"month": month, "open": now_open, "text": text}


def find_workshop(store: WorkshopStore, typed: str) -> str | None:
    """The canonical code if a workshop has it; wrong codes count against this browser and network.

    A browser that has found the code before in this session, or already joined the workshop, is
    never throttled: it knows the code, so it cannot be guessing, and a room's joined phones must
    never be locked out by someone else's wrong guesses.
    """
    try:
        code = normalise_code(typed)
        if code in st.session_state.get("workshop_codes_found", []):
            return code
        if identify(store, code, warn=False) is not None:
            st.session_state.setdefault("workshop_codes_found", []).append(code)
            return code
        if look_up_code(store, code) < 0:
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
                joins.admit(clients())
                participant = store.join(workshop.code, name, team)
                joins.record(clients())
            except WorkshopError as exc:
                error(str(exc))
                return
            remember(workshop.code, participant.token)
            st.rerun()


def identify(store: WorkshopStore, code: str, warn: bool = True) -> Participant | None:
    """The participant this browser already is in this workshop, if any (session, cookie, then link)."""
    for token in candidate_tokens(code, st.query_params.get("pid")):
        try:
            return store.participant(code, token)
        except WorkshopError:
            continue
    if warn and st.query_params.get("pid"):
        st.warning("pid: this link's participant id is not part of this workshop; join below.")
    return None


def status_line(workshop: Workshop, participant: Participant) -> None:
    """Who you are and what the room is doing now, in a line of fixed height."""
    spec, progress = workshop.spec, workshop.progress
    who = " · ".join(part for part in (participant.name, participant.team) if part) or "anonymous"
    if spec.teams:
        who += f" · {spec.second_name if participant.role == 'second' else 'EU'} team"
    if progress.phase == "voting" and progress.voting_month is not None:
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
        return sender_name(workshop.spec.second_name) if workshop.spec.second_name else "the second sender"
    return "the EU member states" if workshop.spec.council else "the EU"


def ballot(store: WorkshopStore, workshop: Workshop, participant: Participant) -> str:
    """Three large choices in a fixed order and place; the confirmation below stays until the reveal.

    Returns what it shows, in short (the ballot and the confirmation), for the page's mark.
    """
    month = workshop.progress.voting_month
    assert month is not None, "a ballot is shown only while a vote is open"
    mine = store.my_vote(workshop.code, participant.token, month)
    # One widget for each opening of a vote (the version changes when a vote opens, pauses or is undone),
    # kept across reruns so it never remounts under the thumb. It starts from the database; a widget
    # that no longer shows what the database holds (a refused tap) is replaced by a new one.
    widget = ballot_key(month, workshop.version)
    if widget in st.session_state and st.session_state[widget] != mine and not superseded():
        lost_tap(month, st.session_state[widget], mine)
        st.session_state["ballot_renewals"] = st.session_state.get("ballot_renewals", 0) + 1
        widget = ballot_key(month, workshop.version)
    st.radio(
        "Your vote",
        list(BALLOT),
        index=list(BALLOT).index(mine) if mine else None,
        format_func=BALLOT.get,
        key=widget,
        label_visibility="collapsed",
        width="stretch",
        on_change=cast,
        args=(store, workshop.code, participant.token, month, widget),
    )
    only_ballot(widget)
    sending_script()
    refused = st.session_state.get("refused")
    if refused and month in (refused["month"], refused["open"]):
        said = confirmation(refused.get("kind", "ws-late"), refused["text"])
    elif mine:
        counted = f"✓ Your vote: {mine.upper()}. It is counted; you can change it until the vote closes."
        said = confirmation("ws-ok", counted)
    else:
        said = confirmation("ws-none", "Tap your choice. You can change it until the vote closes.")
    return f"{widget}|{said}"


def lost_tap(month: int, shown: str | None, stored: str | None) -> None:
    """Say so when the ballot shows a choice the database does not hold and no refusal explains it.

    That is a tap the server never stored: made while the connection was down (a server restart:
    the browser comes back with its choice shown, in a new session, and no vote is recorded). A
    choice this session stored that the database no longer holds was changed from another tab.
    """
    refused = st.session_state.get("refused")
    if shown is None or (refused and refused["month"] == month):
        return
    if st.session_state.get("stored") != (month, shown):
        text = (
            f"Your tap on {shown.upper()} was not counted: the connection to the server was interrupted. "
            "Tap your choice again."
        )
        st.session_state["refused"] = {"month": month, "open": month, "text": text}
    elif stored:
        text = f"Your vote was changed to {stored.upper()} from another tab."
        st.session_state["refused"] = {"month": month, "open": month, "text": text, "kind": "ws-ok"}


def ballot_key(month: int, version: int) -> str:
    return f"ballot_{month}_{version}_{st.session_state.get('ballot_renewals', 0)}"


def only_ballot(widget: str | None) -> None:
    """Hide every ballot but the current one.

    When a new ballot replaces another (the next month opened before this phone saw the last one
    close), the browser keeps the old one, greyed, below the new one until a run of the page
    finishes undisturbed; a tap on it would be for a closed month. Drawn after the ballot, so the
    new ballot is in place before the old one goes.
    """
    shown = f":not(.st-key-{widget})" if widget else ""
    st.html(f'<style>[class*="st-key-ballot_"]{shown} {{ display: none !important; }}</style>')


def confirmation(kind: str, text: str) -> str:
    """The box under the ballot; always the same height, so nothing above it moves. Returns its text."""
    st.html(f'<div class="ws-phone ws-confirm {kind}" data-testid="ws-confirm">{escape(text)}</div>')
    return text


def waiting(workshop: Workshop) -> str:
    """Between votes: a refused late tap is said plainly, then what the room waits for. Returns the texts."""
    only_ballot(None)
    refused = st.session_state.get("refused")
    said = ""
    if refused and refused["month"] > workshop.progress.months_played - 1:
        said = confirmation("ws-late", refused["text"])
    phase = workshop.progress.phase
    text = {
        "paused": "The workshop is paused. Stay on this page; it will carry on.",
        "finished": "All months are played: the debrief follows on the big screen.",
    }.get(phase, f"Waiting for the facilitator to open the vote on month {workshop.progress.next_month}.")
    st.html(f'<div class="ws-phone ws-wait">{escape(text)}</div>')
    return f"{said}|{text}"


def participant_view(store: WorkshopStore, workshop: Workshop, participant: Participant, path: str) -> str:
    """What a participant sees now: the ballot while a vote is open, else a waiting line; and the last reveal.

    Returns what the view shows beyond the workshop's version, in short, for the page's mark.
    """
    status_line(workshop, participant)
    if workshop.progress.phase == "voting":
        shown = ballot(store, workshop, participant)
    else:
        shown = waiting(workshop)
    if workshop.decisions:
        reveal = reveal_at(workshop, path, workshop.code, workshop.version)
        st.html(phone_reveal_html(reveal))
    return shown


def main() -> None:
    """Route between the code form, the join form and the participant's view, by the link and this browser."""
    st.set_page_config(page_title="Workshop: vote", layout="centered")
    phone_style()
    if "key" in st.query_params:
        # A facilitator link opened on a phone (or shared by mistake) must not keep the key in its address.
        del st.query_params["key"]
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
    # The follower has a slot of its own at the top, so that every view has the same fragment (a browser
    # still showing an older view polls one the server knows); it runs once the page is drawn.
    slot = st.container(key="ws-follow")
    try:
        shown = participant_view(store, workshop, participant, path)
    except WorkshopError as exc:
        error(str(exc))
        shown = str(exc)
    remember(code, participant.token)
    mark_page(version, shown)
    with slot:
        follow(store, code)


main()
