"""Workshop, participant's view (phones): join with a code, vote each month, see the last reveal.

A participant's identity lives in the link (?code=...&pid=...), so reloading the page keeps it.
The view refreshes itself every few seconds so it follows the facilitator's rounds.
"""

from __future__ import annotations

import streamlit as st

from simulator.app.workshop_resources import replay_cache, workshop_store
from simulator.core.schema import Scenario
from simulator.workshop.rules import (
    Decision,
    Reveal,
    Tally,
    WorkshopError,
    month_name,
    normalise_code,
    reveal_month,
)
from simulator.workshop.store import Participant, Workshop, WorkshopStore, default_db_path

ACTION_HELP = {
    "engage": "Ease sanctions in answer to the releases.",
    "hold": "Take note, demand that all be freed, no relief.",
    "tighten": "Add sanctions: pressure for all to be freed.",
}


@st.cache_data(max_entries=256, show_spinner=False)
def cached_reveal(scenario_json: str, decisions_key: tuple) -> Reveal:
    """The reveal of the latest month; cached so that a room of phones polling costs one simulation."""
    decisions = [Decision(m, a, by, Tally(e, h, t)) for m, a, by, e, h, t in decisions_key]
    return reveal_month(replay_cache(), Scenario.model_validate_json(scenario_json), decisions)


def cast(store: WorkshopStore, code: str, token: str, month: int, action: str) -> None:
    """Button callback: record the vote and keep the store's answer to show after the rerun."""
    try:
        st.session_state["ballot"] = ("success", store.vote(code, token, month, action).message)
    except WorkshopError as exc:
        st.session_state["ballot"] = ("error", str(exc))


def code_form() -> None:
    """Ask for the join code shown by the facilitator."""
    with st.form("code"):
        typed = st.text_input("Join code", max_chars=12, placeholder="e.g. K7PQ2M")
        if st.form_submit_button("Continue", type="primary"):
            try:
                st.query_params["code"] = normalise_code(typed)
            except WorkshopError as exc:
                st.error(str(exc))
                return
            st.rerun()


def join_form(store: WorkshopStore, workshop: Workshop) -> None:
    """Optional name and team, then join; the participant id goes into the link."""
    st.write("Your name and team are optional; they are shown to the facilitator only.")
    with st.form("join"):
        name = st.text_input("Name (optional)", max_chars=40)
        team = st.text_input("Team (optional)", max_chars=40)
        if st.form_submit_button("Join", type="primary"):
            try:
                participant = store.join(workshop.code, name, team)
            except WorkshopError as exc:
                st.error(str(exc))
                return
            st.query_params.update({"code": workshop.code, "pid": participant.token})
            st.rerun()


@st.fragment(run_every="3s")
def participant_view(store: WorkshopStore, code: str, token: str) -> None:
    """What a participant sees now: the ballot while a vote is open, else a waiting line; and the last reveal."""
    try:
        workshop = store.workshop(code)
        participant = store.participant(code, token)
    except WorkshopError as exc:
        st.error(str(exc))
        return
    who = " · ".join(part for part in (participant.name, participant.team) if part)
    st.caption(f"Joined as {who}" if who else "Joined anonymously")
    ballot = st.session_state.pop("ballot", None)
    if ballot:
        (st.success if ballot[0] == "success" else st.error)(ballot[1])
    progress = workshop.progress
    if progress.phase == "voting":
        ballot_box(store, workshop, participant)
    elif progress.phase == "paused":
        st.info("The workshop is paused. Stay on this page; it will carry on.")
    elif progress.phase == "finished":
        st.info("All months are played: the debrief is on the big screen.")
    else:
        st.info(f"Waiting for the facilitator to open the vote on month {progress.next_month}.")
    if workshop.decisions:
        last_reveal(workshop)


def ballot_box(store: WorkshopStore, workshop: Workshop, participant: Participant) -> None:
    """Three large buttons; the current vote is highlighted and can be changed until the vote closes."""
    month = workshop.progress.voting_month
    st.subheader(f"Month {month}, {month_name(workshop.spec.scenario, month)}: what should the EU do?")
    mine = store.my_vote(workshop.code, participant.token, month)
    for action, help_text in ACTION_HELP.items():
        st.button(
            f"{action.capitalize()}{'  ✓' if action == mine else ''}",
            key=f"vote_{action}",
            type="primary" if action == mine else "secondary",
            width="stretch",
            on_click=cast,
            args=(store, workshop.code, participant.token, month, action),
        )
        st.caption(help_text)
    if mine:
        st.write(f"Your vote: **{mine}**. You can change it until the facilitator closes the vote.")


def last_reveal(workshop: Workshop) -> None:
    """A short version of the latest reveal."""
    key = tuple(
        (d.month, d.action, d.decided_by, d.tally.engage, d.tally.hold, d.tally.tighten) for d in workshop.decisions
    )
    reveal = cached_reveal(workshop.spec.scenario.model_dump_json(), key)
    st.divider()
    st.subheader(f"Last month, {reveal.month_name}")
    st.write(f"The EU chose to **{reveal.decision.action}**.")
    st.write(f"State media: *{reveal.headline}*")
    left, right = st.columns(2)
    left.metric("Released", f"{reveal.released.median:,.0f}")
    right.metric("Newly imprisoned", f"{reveal.newly_imprisoned.median:,.0f}")
    st.caption(f"Medians over runs. Political prisoners now: {reveal.prisoners.median:,.0f}.")


def main() -> None:
    """Route between the code form, the join form and the participant's view, by the link."""
    st.set_page_config(page_title="Workshop: vote", layout="centered")
    st.header("Workshop: you are the EU")
    store = workshop_store(str(default_db_path()))
    code, token = st.query_params.get("code"), st.query_params.get("pid")
    if not code:
        code_form()
        return
    try:
        workshop = store.workshop(code)
    except WorkshopError as exc:
        st.error(str(exc))
        code_form()
        return
    st.write(f"**{workshop.spec.title}**")
    if token:
        try:
            store.participant(workshop.code, token)
        except WorkshopError as exc:
            st.warning(str(exc))
            token = None
    if not token:
        join_form(store, workshop)
        return
    participant_view(store, workshop.code, token)


main()
