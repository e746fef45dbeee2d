"""One identity per browser on the phones, and who is asking (for the throttles).

A participant's private id is kept three ways: in the session (so Back keeps it), in a cookie for
this workshop (so a reload, a new tab or a link without `pid` keeps it), and in the link. A browser
that already has an identity in a workshop gets that identity back instead of a new one.
"""

from __future__ import annotations

import secrets

import streamlit as st

from simulator.workshop.rules import WorkshopError, check_token

COOKIE_PREFIX = "simulator_workshop_"
COOKIE_MAX_AGE = 24 * 3600


def cookie_name(code: str) -> str:
    """The cookie holding this browser's participant id in one workshop."""
    return f"{COOKIE_PREFIX}{code}"


def browser_cookies() -> dict[str, str]:
    """The cookies the browser sent when this session opened."""
    return dict(st.context.cookies or {})


def candidate_tokens(code: str, link_pid: str | None) -> list[str]:
    """Participant ids this browser may hold for a workshop, strongest first: session, cookie, link."""
    found = [st.session_state.get(f"workshop_pid_{code}"), browser_cookies().get(cookie_name(code)), link_pid]
    tokens = []
    for token in found:
        try:
            if token and check_token("pid", token) not in tokens:
                tokens.append(token)
        except WorkshopError:
            continue
    return tokens


def remember(code: str, token: str) -> None:
    """Keep the participant's id in the session, the link and a cookie for this workshop."""
    check_token("pid", token)
    st.session_state[f"workshop_pid_{code}"] = token
    if st.query_params.get("pid") != token:
        st.query_params.update({"code": code, "pid": token})
    # Drawn on every run until the browser sends the cookie back (a rerun may drop an element drawn once).
    if browser_cookies().get(cookie_name(code)) != token:
        # The id has been checked to be URL-safe base64, so it can sit inside the script as it is.
        st.html(
            f"<script>document.cookie = '{cookie_name(code)}={token}; path=/; max-age={COOKIE_MAX_AGE}; "
            "SameSite=Lax';</script>",
            unsafe_allow_javascript=True,
        )


def clients() -> dict[str, str]:
    """Who is asking, for the throttles: this browser session and its network address."""
    session = st.session_state.setdefault("workshop_client", secrets.token_hex(8))
    address = st.context.ip_address
    # Streamlit reports no address behind some proxies (and a stand-in object under AppTest): all are one.
    return {"session": session, "address": address if isinstance(address, str) and address else "unknown"}
