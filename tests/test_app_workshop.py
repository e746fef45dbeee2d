"""AppTest of the workshop pages: the facilitator's console, the projected screen and the phones."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from simulator.workshop.rules import WorkshopSpec, make_spec
from simulator.workshop.store import DB_ENV_VAR, WorkshopStore

PAGES = Path(__file__).resolve().parent.parent / "simulator" / "app" / "pages"
CONSOLE = str(PAGES / "workshop_facilitator.py")
SCREEN = str(PAGES / "workshop_screen.py")
JOIN = str(PAGES / "workshop_join.py")
TIMEOUT = 60
HOSTILE = "![x](http://attacker.example/p.png) [link](http://attacker.example) <img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True)
def fresh_process_caches():
    """Throttles, stores and cached reveals are per process: every test starts without them."""
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A fresh database that the pages open through $SIMULATOR_WORKSHOP_DB."""
    path = tmp_path / "workshops.sqlite3"
    monkeypatch.setenv(DB_ENV_VAR, str(path))
    return WorkshopStore(path)


@pytest.fixture
def room(store):
    return store.create(make_spec("baseline_2024", rounds=2, replications=12, seed=3, title="Seminar"))


def console(code: str | None = None, key: str | None = None) -> AppTest:
    at = AppTest.from_file(CONSOLE, default_timeout=TIMEOUT)
    if code:
        at.query_params.update({"code": code, "key": key})
    return at.run()


def screen(code: str, **extra) -> AppTest:
    at = AppTest.from_file(SCREEN, default_timeout=TIMEOUT)
    at.query_params.update({"code": code, **extra})
    return at.run()


def phone(code: str | None = None, pid: str | None = None) -> AppTest:
    at = AppTest.from_file(JOIN, default_timeout=TIMEOUT)
    if code:
        at.query_params["code"] = code
    if pid:
        at.query_params["pid"] = pid
    return at.run()


def current_fragment() -> str | None:
    """The id of the fragment now running, None in a full run of the page (Streamlit's internals move)."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState

        return ThreadState.get().fragment_id
    except ImportError:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        return get_script_run_ctx().current_fragment_id


def texts(at: AppTest, kind: str) -> list[str]:
    """The texts of one kind of element, with Markdown escapes removed (messages are escaped literals)."""
    return [re.sub(r"\\(.)", r"\1", element.value) for element in getattr(at, kind)]


def html(at: AppTest) -> str:
    """Everything the page drew with st.html, joined."""
    return "\n".join(element.proto.body for element in at.get("html"))


def confirmed(at: AppTest) -> str:
    """The text of the box under a phone's ballot."""
    found = re.findall(r'<div class="ws-phone ws-confirm [^"]*" data-testid="ws-confirm">([^<]*)</div>', html(at))
    assert len(found) == 1, found
    return found[0].replace("&#x27;", "'")


def button(at: AppTest, starts: str):
    return next(b for b in at.button if b.label.startswith(starts))


def vote(at: AppTest, action: str) -> AppTest:
    """Tap one choice of the phone's ballot."""
    return at.radio[0].set_value(action).run()


def join_form_shown(at: AppTest) -> bool:
    """Whether the page asks to join (the participant's view has only a hidden field the browser echoes)."""
    return any(field.key != "ws_shown" for field in at.text_input)


def join(at: AppTest, name: str = "") -> AppTest:
    at.text_input[0].input(name)
    return at.button[0].click().run()


# The console


def test_the_console_starts_a_workshop_with_roles(store):
    at = console()
    assert not at.exception
    at.slider[0].set_value(3)
    at.toggle[0].set_value(True)  # two teams
    at.toggle[1].set_value(True)  # Council rules
    at.toggle[2].set_value(True)  # names required
    at.button(key="FormSubmitter:start-Start the workshop").click().run()
    assert not at.exception
    workshop = store.check_key(at.query_params["code"], at.query_params["key"])
    assert workshop.spec.teams and workshop.spec.council and workshop.spec.require_names
    assert workshop.spec.scenario.eu.friction == 0
    assert "Month 1 of 3: July 2024" in texts(at, "header")
    assert button(at, "Open the vote on month 1")
    at.run()  # a rerun after the result
    assert not at.exception


def test_a_wrong_key_shows_no_controls(room):
    at = console(room.code, "x" * 24)
    assert any("does not carry the facilitator key" in e for e in texts(at, "error"))
    assert not [b for b in at.button if b.label.startswith("Open the vote")]


def test_a_stale_console_tab_cannot_undo_another_month(store, room):
    """Issue 13.2: two tabs, two months decided; Undo month 2 in tab 1, then in the stale tab 2."""
    store.decide(room.code, room.key, 1, "engage")
    store.decide(room.code, room.key, 2, "hold")
    first, second = console(room.code, room.key), console(room.code, room.key)
    button(first, "Undo month 2").click().run()
    assert store.workshop(room.code).actions == ("engage",)
    button(second, "Undo month 2").click().run()  # drawn before the first tab's undo
    assert store.workshop(room.code).actions == ("engage",)
    assert not second.exception
    assert button(second, "Undo month 1")  # the stale tab now shows where the workshop stands


def test_a_stale_console_cannot_decide_a_month_twice(store, room):
    first, second = console(room.code, room.key), console(room.code, room.key)
    first.button(key="decide_engage").click().run()
    second.button(key="decide_tighten").click().run()  # drawn for month 1, which is decided now
    assert store.workshop(room.code).actions == ("engage",)
    assert any("was drawn for month 1" in e for e in texts(second, "error"))


def test_the_console_links_to_a_screen_without_the_key(room):
    at = console(room.code, room.key)
    screen_button = at.get("link_button")[0]
    assert "workshop_screen?code=" in screen_button.proto.url and room.key not in screen_button.proto.url
    assert any(room.key in c.value for c in at.code)  # the private link, in its own expander


def test_pause_undo_and_debrief_from_the_console(store, room):
    anna = store.join(room.code)
    at = console(room.code, room.key)
    at.button(key="decide_engage").click().run()
    button(at, "Pause").click().run()
    assert store.workshop(room.code).progress.phase == "paused"
    assert "paused" in html(phone(room.code, anna.token))
    button(at, "Resume").click().run()
    button(at, "Undo month 1").click().run()
    assert store.workshop(room.code).actions == ()
    at.button(key="decide_hold").click().run()
    button(at, "Show the debrief on the screen now").click().run()
    assert store.workshop(room.code).show_debrief
    at.button(key="decide_tighten").click().run()
    assert not at.exception
    assert "All 2 months played" in texts(at, "header")
    assert len(at.get("download_button")) == 2
    at.run()
    assert not at.exception


# The screen


def test_the_screen_drops_a_key_from_its_address_and_has_nothing_to_click(room):
    """Issue 13.6: the projected page never keeps the facilitator key in its URL."""
    at = screen(room.code, key=room.key)
    assert "key" not in at.query_params and at.query_params["code"] == room.code
    assert not at.button and not at.get("link_button") and not at.toggle
    page = html(at)
    assert room.key not in page
    assert 'class="ws-code"' in page and "workshop_join" in page and "data:image/png;base64" in page


def test_the_screen_shows_the_revealed_month_first_then_the_next_step(store, room):
    anna = store.join(room.code)
    store.open_vote(room.code, room.key, 1)
    store.vote(room.code, anna.token, 1, "tighten")
    store.close_vote(room.code, room.key, 1)
    at = screen(room.code)
    assert not at.exception
    page = html(at)
    assert page.index("July 2024: the EU chose to TIGHTEN") < page.index("Next: month 2 of 2")
    assert "State media" in page and "Why?" in page and "Room&#x27;s vote: engage 0 · hold 0 · tighten 1" in page
    assert len(at.get("plotly_chart")) == 3
    at.run()
    assert not at.exception


def test_the_screen_shows_the_last_months_reveal_then_the_debrief_when_the_facilitator_says(store, room):
    """Issue 22, item 1: after the last vote the room sees its last choice before the debrief."""
    store.decide(room.code, room.key, 1, "hold")
    store.decide(room.code, room.key, 2, "engage")
    at = screen(room.code)
    assert not at.exception
    page = html(at)
    assert "August 2024: the EU chose to ENGAGE" in page and "State media" in page and "Why?" in page
    assert "All 2 months played: the debrief follows." in page and 'class="ws-table"' not in page
    desk = console(room.code, room.key)
    button(desk, "Show the debrief on the screen").click().run()
    assert store.workshop(room.code).show_debrief
    at.run()
    page = html(at)
    assert 'class="ws-table"' in page and "The months that mattered most" in page
    assert "The room" in page and "Always tighten" in page
    assert "The debrief of all 2 months." in page and "the debrief follows" not in page
    button(desk, "Back to the last month on the screen").click().run()
    assert "August 2024: the EU chose to ENGAGE" in html(at.run())


def test_the_screen_follows_council_rules(store):
    council = store.create(make_spec("baseline_2024", rounds=2, replications=12, council=True))
    members = [store.join(council.code) for _ in range(3)]
    store.open_vote(council.code, council.key, 1)
    for member, action in zip(members, ["engage", "engage", "hold"], strict=True):
        store.vote(council.code, member.token, 1, action)
    store.close_vote(council.code, council.key, 1)
    page = html(screen(council.code))
    assert "the EU chose to HOLD" in page and "no unanimity: one veto is enough" in page


# The phones


def test_a_participant_joins_votes_and_the_confirmation_stays_until_the_reveal(store, room):
    at = join(phone(room.code), "Anna")
    pid = at.query_params["pid"]
    assert store.participant(room.code, pid).name == "Anna"
    assert "Waiting for the facilitator to open the vote on month 1" in html(at)
    store.open_vote(room.code, room.key, 1)
    at.run()
    assert "Month 1, July 2024: what should the EU do?" in html(at)
    vote(at, "engage")
    vote(at, "tighten")
    assert store.tally(room.code, 1).counts() == {"engage": 0, "hold": 0, "tighten": 1}
    for _ in range(3):  # polls and reruns: the confirmation does not go away
        at.run()
        assert "Your vote: TIGHTEN. It is counted" in html(at)
    store.close_vote(room.code, room.key, 1)
    at.run()
    assert not at.exception
    assert "Last month, July 2024" in html(at) and "Your vote" not in html(at)


def test_the_ballot_is_drawn_outside_the_refreshing_fragment(store, room, monkeypatch):
    """Issue 13.1: a ballot inside @st.fragment(run_every=...) loses taps that land while it redraws."""
    anna = store.join(room.code)
    store.open_vote(room.code, room.key, 1)
    drawn_in = []
    for widget in ("button", "radio"):
        real = getattr(st, widget)

        def recording(label, *args, real=real, **kwargs):
            drawn_in.append((label, current_fragment()))
            return real(label, *args, **kwargs)

        monkeypatch.setattr(st, widget, recording)
    at = phone(room.code, anna.token)
    assert [label for label, _ in drawn_in] == ["Your vote"]
    assert drawn_in[0][1] is None  # drawn by the page's own run, not by a fragment
    assert list(at.radio[0].options) == [
        "Engage: ease sanctions",
        "Hold: demand all be freed",
        "Tighten: add sanctions",
    ]


def test_a_tap_after_the_close_says_so_and_is_not_counted(store, room):
    anna = store.join(room.code)
    store.open_vote(room.code, room.key, 1)
    at = phone(room.code, anna.token)
    store.cancel_vote(room.code, room.key, 1)  # closed while the phone still shows the ballot
    vote(at, "hold")
    assert "the vote on month 1 closed before your tap; your vote was not counted" in html(at)
    assert store.tally(room.code, 1).total == 0
    at.run()
    assert "closed before your tap" in html(at)  # it stays until the next vote opens


def test_a_tap_on_last_months_ballot_is_refused_on_this_months_ballot(store, room):
    """The next month opened before the phone saw the last one close: the tap says so, and the new ballot is empty."""
    anna = store.join(room.code)
    store.open_vote(room.code, room.key, 1)
    at = phone(room.code, anna.token)
    store.vote(room.code, anna.token, 1, "hold")
    store.close_vote(room.code, room.key, 1)
    store.open_vote(room.code, room.key, 2)
    vote(at, "tighten")  # on the ballot drawn for month 1
    assert "this ballot is for month 1 but the room is voting on month 2" in html(at)
    assert "Month 2, August 2024: what should the EU do?" in html(at)
    assert at.radio[0].value is None and store.tally(room.code, 2).total == 0
    # Only the current ballot is shown, should the browser still hold the last one.
    assert f'[class*="st-key-ballot_"]:not(.st-key-{at.radio[0].key})' in html(at)
    vote(at, "engage")
    assert "Your vote: ENGAGE" in html(at) and "this ballot is for month 1" not in html(at)


def test_a_ballot_starts_from_the_recorded_vote(store, room):
    """A reload, or a ballot drawn anew after a pause, shows the vote the database holds."""
    anna = store.join(room.code)
    store.open_vote(room.code, room.key, 1)
    store.vote(room.code, anna.token, 1, "tighten")
    at = phone(room.code, anna.token)
    assert at.radio[0].value == "tighten" and "Your vote: TIGHTEN" in html(at)
    store.set_paused(room.code, room.key, True)
    store.set_paused(room.code, room.key, False)
    at.run()
    assert at.radio[0].value == "tighten"


def test_one_browser_keeps_one_identity_without_pid_in_the_link(store, room):
    """Issue 13.5: dropping pid from the link, or Back to the join link, gives the same identity."""
    at = join(phone(room.code), "Anna")
    pid = at.query_params["pid"]
    del at.query_params["pid"]
    at.run()
    assert not join_form_shown(at)  # the session keeps the identity
    assert at.query_params["pid"] == pid
    assert store.workshop(room.code).participants == 1


def test_a_new_session_of_the_same_browser_gets_its_identity_from_the_cookie(store, room, monkeypatch):
    anna = store.join(room.code, "Anna")
    monkeypatch.setattr(
        "simulator.app.workshop_identity.browser_cookies", lambda: {f"simulator_workshop_{room.code}": anna.token}
    )
    at = phone(room.code)  # a link without pid, in a fresh session
    assert not join_form_shown(at) and at.query_params["pid"] == anna.token
    assert "joined as Anna" in html(at)


def test_a_first_join_writes_the_cookie(room):
    at = join(phone(room.code), "Anna")
    scripts = [h.proto for h in at.get("html") if "document.cookie" in h.proto.body]
    assert scripts and f"simulator_workshop_{room.code}={at.query_params['pid']}" in scripts[0].body


def test_required_names_are_asked_for(store):
    named = store.create(make_spec("baseline_2024", rounds=2, replications=12, require_names=True))
    at = join(phone(named.code), "")
    assert any("asks everyone for a name" in e for e in texts(at, "error"))
    assert store.workshop(named.code).participants == 0


def test_code_guessing_is_throttled(room):
    at = phone()
    for _ in range(6):
        at.text_input[0].input("ABCDEF")
        at.button[0].click().run()
    assert any("no workshop has the code ABCDEF" in e for e in texts(at, "error"))
    at.text_input[0].input(room.code)
    at.button[0].click().run()
    assert any("too many attempts from this browser" in e for e in texts(at, "error"))
    assert "code" not in at.query_params


def test_joining_is_throttled_per_browser(store, room, monkeypatch):
    from simulator.workshop import throttle

    monkeypatch.setitem(throttle.JOIN_LIMITS, "session", throttle.Limit(1, 600.0))
    at = join(phone(room.code), "Anna")
    other = store.create(make_spec("baseline_2024", rounds=2, replications=12))
    at.query_params.clear()
    at.query_params["code"] = other.code
    at.run()
    join(at, "Anna")
    assert any("join: too many attempts from this browser" in e for e in texts(at, "error"))
    assert store.workshop(other.code).participants == 0


def test_a_team_member_votes_for_their_sender(store):
    teams = store.create(make_spec("baseline_2024", rounds=2, replications=12, teams=True))
    store.join(teams.code, "Eva")  # the EU team
    at = join(phone(teams.code), "Sam")  # the second team
    name = store.workshop(teams.code).spec.second_name
    store.open_vote(teams.code, teams.key, 1)
    at.run()
    assert f"{name} team" in html(at) and f"what should the {name} do?" in html(at)  # not "should United States"
    vote(at, "engage")
    assert store.tally(teams.code, 1, "second").engage == 1
    decision = store.close_vote(teams.code, teams.key, 1)
    assert decision.move == ("hold", "engage")
    at.run()
    assert f"{name} chose to <b>engage</b>" in html(at)


def test_bad_codes_and_ids_are_explained(store, room):
    at = phone("NOPE")
    assert any("is not a join code" in e for e in texts(at, "error"))
    at = phone(room.code, "A" * 22)
    assert any("not part of this workshop" in w for w in texts(at, "warning"))
    assert join_form_shown(at)  # offered to join


# Text that people or files supplied (issue 13.9)


def _markdown_like(at: AppTest) -> list[str]:
    """Every string the page rendered through Markdown (where a link or image would come alive)."""
    kinds = ("markdown", "caption", "title", "header", "subheader", "info", "success", "warning", "error")
    found = [e.value for kind in kinds for e in getattr(at, kind)]
    return found + [m.label for m in at.metric] + [b.label for b in at.button]


def test_titles_and_sender_names_render_as_text_everywhere(store, tmp_path):
    scenario = make_spec("baseline_2024", rounds=2, replications=12, teams=True).scenario
    hostile = scenario.model_copy(
        update={
            "eu": scenario.eu.model_copy(update={"name": HOSTILE}),
            "second_sender": scenario.second_sender.model_copy(update={"name": HOSTILE}),
        }
    )
    room = store.create(WorkshopSpec("Seminar", "baseline_2024", hostile, teams=True))
    with sqlite3.connect(store.path) as db:  # a title written by another tool or an older version
        db.execute("UPDATE workshops SET title = ? WHERE code = ?", (HOSTILE, room.code))
    member = store.join(room.code, "Anna")
    second = store.join(room.code, "Sam")
    store.open_vote(room.code, room.key, 1)
    store.vote(room.code, second.token, 1, "engage")
    views = [console(room.code, room.key), screen(room.code), phone(room.code, member.token)]
    views.append(phone(room.code, second.token))
    store.close_vote(room.code, room.key, 1)
    views += [screen(room.code), phone(room.code, member.token), console(room.code, room.key)]
    for at in views:
        assert not at.exception
        assert not [s for s in _markdown_like(at) if "](" in s or "<img" in s], "user text reached Markdown"
        page = html(at)  # st.html reads no Markdown: only raw tags could come alive there
        assert "<img src=x" not in page and "<a " not in page


# Databases that cannot be used (issue 13.10)


@pytest.mark.parametrize("page", [CONSOLE, SCREEN, JOIN])
def test_a_foreign_database_gives_a_clear_message_on_every_page(tmp_path, monkeypatch, page):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE participants (id INTEGER PRIMARY KEY, email TEXT)")
    monkeypatch.setenv(DB_ENV_VAR, str(path))
    at = AppTest.from_file(page, default_timeout=TIMEOUT)
    at.query_params["code"] = "K7PQ2M"
    at.run()
    assert not at.exception
    assert any("database:" in e and "another program" in e and DB_ENV_VAR in e for e in texts(at, "error"))


def test_a_read_only_database_is_reported_before_anyone_votes(store, room, monkeypatch):
    connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda p, *a, **k: connect(f"file:{p}?mode=ro", *a, uri=True, **k))
    at = phone(room.code)
    assert not at.exception
    assert any("read-only here, so no vote could be saved" in e for e in texts(at, "error"))
    assert not join_form_shown(at)  # no join form that would fail on submit


def test_a_refused_name_is_quoted_as_text_not_markdown(room):
    at = join(phone(room.code), "![x](http://attacker.example/p.png)")
    shown = [e.value for e in at.error]
    assert shown and all("](http" not in e for e in shown)  # escaped: no image, no request
    assert any("is not allowed" in e for e in texts(at, "error"))


def test_wrong_code_links_behind_one_address_never_lock_out_joined_phones_or_newcomers(store, room, monkeypatch):
    """Issue 20, item 1: every AppTest session reports no address ("unknown"), as a room behind a proxy does."""
    import dataclasses

    from simulator.workshop import throttle

    # The address allowance made small, so a few links stand for the 31 of the report.
    monkeypatch.setitem(
        throttle.CODE_LIMITS, "address", dataclasses.replace(throttle.CODE_LIMITS["address"], attempts=3)
    )
    phones = [join(phone(room.code), f"P{i}") for i in range(3)]
    store.open_vote(room.code, room.key, 1)
    for _ in range(5):
        attacker = phone("ZZZZZZ")
        assert any("no workshop has the code ZZZZZZ" in e for e in texts(attacker, "error"))
    for at in phones:
        at.run()
        assert not texts(at, "error") and at.radio, texts(at, "error")
        vote(at, "tighten")
    assert store.tally(room.code, 1).tighten == 3
    newcomer = phone(room.code)
    assert not texts(newcomer, "error") and join_form_shown(newcomer)


@pytest.mark.parametrize("page", ["screen", "console"])
def test_the_screen_and_console_throttle_wrong_codes_like_the_join_page(room, page):
    """Issue 20, item 11: both pages say whether a code exists, so each wrong code counts as a guess."""
    at = AppTest.from_file(SCREEN if page == "screen" else CONSOLE, default_timeout=TIMEOUT)
    for guess in ["ABCDEF", "ABCDEG", "ABCDEH", "ABCDEJ", "ABCDEK", "ABCDEM"]:
        at.query_params.update({"code": guess, "key": "x" * 24})
        at.run()
        assert any(f"no workshop has the code {guess}" in e for e in texts(at, "error"))
    at.query_params.update({"code": room.code, "key": room.key})
    at.run()
    assert any("code: too many attempts from this browser" in e for e in texts(at, "error"))


def test_a_code_found_once_is_not_counted_again(room):
    at = screen(room.code)
    for _ in range(8):
        at.run()
    assert not texts(at, "error")


def test_creating_workshops_is_throttled(store):
    at = console()
    for _ in range(6):
        at.query_params.clear()
        at.run()
        at.button(key="FormSubmitter:start-Start the workshop").click().run()
    assert any("create: too many attempts from this browser (5 in 600 s" in e for e in texts(at, "error"))
    assert len(store._db.value("SELECT group_concat(code) FROM workshops", ()).split(",")) == 5


def test_the_join_page_drops_a_facilitator_key_from_its_address(room):
    """Issue 20, item 16: a console link opened on the join page must not keep the key in the address."""
    at = AppTest.from_file(JOIN, default_timeout=TIMEOUT)
    at.query_params.update({"code": room.code, "key": room.key})
    at.run()
    assert "key" not in at.query_params and at.query_params["code"] == room.code
    join(at, "Anna")
    assert "key" not in at.query_params and at.query_params["pid"]


def test_a_tap_the_server_never_stored_is_said_to_be_not_counted(store, room):
    """Issue 20, item 13: after a server restart the browser comes back, in a new session, showing the
    choice it tapped while the connection was down; no vote was recorded, and the phone must say so."""
    anna = store.join(room.code, "Anna")
    store.open_vote(room.code, room.key, 1)
    version = store.version(room.code)
    at = AppTest.from_file(JOIN, default_timeout=TIMEOUT)
    at.query_params.update({"code": room.code, "pid": anna.token})
    at.session_state[f"ballot_1_{version}_0"] = "tighten"  # what the browser sends back on reconnecting
    at.run()
    assert confirmed(at).startswith("Your tap on TIGHTEN was not counted: the connection to the server was")
    assert store.tally(room.code, 1).total == 0
    assert at.radio[0].value is None  # the ballot shows what the database holds: nothing
    vote(at, "tighten")
    assert confirmed(at) == "✓ Your vote: TIGHTEN. It is counted; you can change it until the vote closes."
    assert store.tally(room.code, 1).tighten == 1


def test_a_vote_changed_from_another_tab_is_said_so(store, room):
    anna = store.join(room.code, "Anna")
    store.open_vote(room.code, room.key, 1)
    at = phone(room.code, anna.token)
    vote(at, "tighten")
    store.vote(room.code, anna.token, 1, "engage")  # the same person's other tab
    at.run()
    assert confirmed(at) == "Your vote was changed to ENGAGE from another tab." and at.radio[0].value == "engage"


def test_the_ballot_carries_the_script_that_shows_a_tap_as_sending(store, room):
    """Issue 22, item 9: 'Sending...' at once in the browser; the server's confirmation replaces it."""
    anna = store.join(room.code, "Anna")
    store.open_vote(room.code, room.key, 1)
    at = phone(room.code, anna.token)
    scripts = [h.proto.body for h in at.get("html") if "__wsSending" in h.proto.body]
    assert len(scripts) == 1 and "Sending your vote: " in scripts[0] and 'data-testid="ws-confirm"' in html(at)
