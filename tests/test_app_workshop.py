"""AppTest of the workshop pages: the facilitator's console and the participant's phone view."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from simulator.workshop.rules import make_spec
from simulator.workshop.store import DB_ENV_VAR, WorkshopStore

PAGES = Path(__file__).resolve().parent.parent / "simulator" / "app" / "pages"
FACILITATOR = str(PAGES / "workshop_facilitator.py")
JOIN = str(PAGES / "workshop_join.py")
TIMEOUT = 60


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A fresh database that the pages open through $SIMULATOR_WORKSHOP_DB."""
    path = tmp_path / "workshops.sqlite3"
    monkeypatch.setenv(DB_ENV_VAR, str(path))
    return WorkshopStore(path)


@pytest.fixture
def room(store):
    return store.create(make_spec("baseline_2024", rounds=2, replications=12, seed=3, title="Seminar"))


def facilitator(code: str | None = None, key: str | None = None) -> AppTest:
    at = AppTest.from_file(FACILITATOR, default_timeout=TIMEOUT)
    if code:
        at.query_params.update({"code": code, "key": key})
    return at.run()


def participant(code: str | None = None, pid: str | None = None) -> AppTest:
    at = AppTest.from_file(JOIN, default_timeout=TIMEOUT)
    if code:
        at.query_params["code"] = code
    if pid:
        at.query_params["pid"] = pid
    return at.run()


def texts(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


def button(at: AppTest, starts: str):
    return next(b for b in at.button if b.label.startswith(starts))


def test_facilitator_starts_a_workshop_from_the_form(store):
    at = facilitator()
    assert not at.exception
    at.slider[0].set_value(3)
    at.select_slider[0].set_value(50)
    at.button(key="FormSubmitter:start-Start the workshop").click().run()
    assert not at.exception
    code, key = at.query_params["code"], at.query_params["key"]
    workshop = store.check_key(code, key)
    assert workshop.spec.rounds == 3 and workshop.spec.scenario.simulation.replications == 50
    assert "Month 1 of 3: July 2024" in texts(at, "title")
    assert any(code in m for m in texts(at, "markdown"))
    assert button(at, "Open the vote on month 1")


def test_a_wrong_key_shows_no_controls(room):
    at = facilitator(room.code, "x" * 24)
    assert any("does not carry the facilitator key" in e for e in texts(at, "error"))
    assert not [b for b in at.button if b.label.startswith("Open the vote")]


def test_participant_joins_votes_and_sees_the_reveal(store, room):
    phone = participant(room.code)
    phone.text_input[0].input("Anna")
    phone.text_input[1].input("Blue")
    phone.button[0].click().run()
    pid = phone.query_params["pid"]
    assert store.participant(room.code, pid).name == "Anna"
    assert any("Waiting for the facilitator to open the vote on month 1" in i for i in texts(phone, "info"))

    screen = facilitator(room.code, room.key)
    button(screen, "Open the vote").click().run()
    assert store.workshop(room.code).progress.phase == "voting"

    phone.run()
    assert "Month 1, July 2024: what should the EU do?" in texts(phone, "subheader")
    phone.button(key="vote_engage").click().run()
    assert any("counted: engage" in s for s in texts(phone, "success"))
    phone.button(key="vote_tighten").click().run()
    assert any("changed from engage to tighten" in s for s in texts(phone, "success"))
    assert store.tally(room.code, 1).counts() == {"engage": 0, "hold": 0, "tighten": 1}

    button(screen, "Close the vote").click().run()
    assert not screen.exception
    assert "July 2024: the EU chose to TIGHTEN" in texts(screen, "subheader")
    assert len(screen.metric) == 6
    assert any("Why?" in i for i in texts(screen, "info"))

    phone.run()
    assert "Last month, July 2024" in texts(phone, "subheader")
    assert any("vote on month 2" in i for i in texts(phone, "info"))


def test_a_reload_keeps_the_participant(store, room):
    anna = store.join(room.code, "Anna", "Blue")
    phone = participant(room.code, anna.token)
    assert "Joined as Anna · Blue" in texts(phone, "caption")
    assert not phone.text_input


def test_a_late_vote_is_refused_clearly(store, room):
    anna = store.join(room.code)
    store.open_vote(room.code, room.key)
    phone = participant(room.code, anna.token)
    store.cancel_vote(room.code, room.key)  # closed while the phone still shows the ballot
    phone.button(key="vote_hold").click().run()
    assert any("voting for month 1 is closed; your vote was not counted" in e for e in texts(phone, "error"))
    assert store.tally(room.code, 1).total == 0


def test_markup_in_a_name_is_refused(store, room):
    phone = participant(room.code)
    phone.text_input[0].input("<script>alert(1)</script>")
    phone.button[0].click().run()
    assert any("name: '<script>alert(1)</script>' is not allowed" in e for e in texts(phone, "error"))
    assert store.workshop(room.code).participants == 0
    assert "pid" not in phone.query_params


def test_bad_codes_and_ids_are_explained(store, room):
    phone = participant("NOPE")
    assert any("is not a join code" in e for e in texts(phone, "error"))
    phone = participant(room.code, "A" * 22)
    assert any("not part of workshop" in w for w in texts(phone, "warning"))
    assert phone.text_input  # offered to join again


def test_code_form_leads_to_the_join_form(room):
    phone = participant()
    phone.text_input[0].input(room.code.lower())
    phone.button[0].click().run()
    assert phone.query_params["code"] == room.code
    assert [t.label for t in phone.text_input] == ["Name (optional)", "Team (optional)"]


def test_pause_undo_and_debrief(store, room):
    anna = store.join(room.code)
    screen = facilitator(room.code, room.key)
    screen.button(key="decide_engage").click().run()
    assert "July 2024: the EU chose to ENGAGE" in texts(screen, "subheader")
    button(screen, "Pause").click().run()
    assert store.workshop(room.code).progress.phase == "paused"
    assert any("Paused" in w for w in texts(screen, "warning"))
    assert any("paused" in i for i in texts(participant(room.code, anna.token), "info"))
    button(screen, "Resume").click().run()
    button(screen, "Undo month 1").click().run()
    assert store.workshop(room.code).actions == ()
    screen.button(key="decide_hold").click().run()
    screen.button(key="decide_tighten").click().run()
    assert not screen.exception
    assert "All 2 months played" in texts(screen, "title")
    assert "Debrief" in texts(screen, "header")
    assert "The months that mattered most" in texts(screen, "subheader")
    table = screen.dataframe[0].value
    assert list(table["EU strategy"][:4]) == ["The room", "Always engage", "Always hold", "Always tighten"]
    downloads = screen.get("download_button")
    assert len(downloads) == 2


def test_debrief_can_be_shown_before_the_end(store, room):
    store.decide(room.code, room.key, "hold")
    screen = facilitator(room.code, room.key)
    assert "Debrief" not in texts(screen, "header")
    screen.toggle[0].set_value(True).run()
    assert "Debrief" in texts(screen, "header")
