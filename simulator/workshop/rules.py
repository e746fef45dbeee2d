"""Workshop mode: a room plays the EU month by month.

This module holds the rules of the game and no storage or UI: what a workshop plays (a scenario
whose EU policy is interactive), how a round's votes are tallied, which requests are allowed in
which phase, how the model state is rebuilt by replaying the room's decisions, and what the
reveal of a month shows. `workshop_store` keeps workshops in SQLite; `debrief` compares the
room's path with alternatives.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.audience import GROUPS
from ..core.model import State, start, step
from ..core.results import Results
from ..core.runner import results_from_state
from ..core.scenarios import ScenarioError, load_preset, with_overrides
from ..core.schema import ACTIONS, Scenario, month_index, month_label
from ..presentation.explanations import why_arrests, why_release
from .roles import MAJORITY, Rules, winner

MAX_ROUNDS = 24
MAX_REPLICATIONS = 2000
DEFAULT_ROUNDS = 12
DEFAULT_REPLICATIONS = 200
SECOND_SENDER_CHOICES = ("as in the preset", "none", "engage", "hold", "tighten")
NAME_MAX = 40
TITLE_MAX = 80
CODE_LENGTH = 6
# No 0/O, 1/I/L: codes are read off a projector and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# Letters of any script, digits, spaces and a little punctuation: enough for names and team names,
# nothing that Markdown or HTML could turn into a link, an image or markup.
_NAME = re.compile(r"^[^\W_]+(?:[ .'\-]+[^\W_]+)*\.?$")

PHASES = ("ready", "voting", "paused", "finished")


class WorkshopError(ValueError):
    """A workshop request that breaks a rule; the message names the field, the value and what is allowed."""


@dataclass(frozen=True)
class WorkshopSpec:
    """What a workshop plays: its title, preset and scenario (EU interactive), its roles and who may join."""

    title: str
    preset: str
    scenario: Scenario
    teams: bool = False
    council: bool = False
    require_names: bool = False

    @property
    def rules(self) -> Rules:
        """Who decides what: one room or two teams, majority or Council unanimity for the EU."""
        return Rules(self.teams, self.council)

    @property
    def second_name(self) -> str | None:
        """The second sender's name when a team plays it, else None."""
        return self.scenario.second_sender.name if self.teams else None

    @property
    def rounds(self) -> int:
        """Months the room decides, one per round."""
        return self.scenario.simulation.months


def make_spec(
    preset: str,
    rounds: int = DEFAULT_ROUNDS,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int | None = None,
    second_sender: str = SECOND_SENDER_CHOICES[0],
    title: str = "",
    teams: bool = False,
    council: bool = False,
    require_names: bool = False,
) -> WorkshopSpec:
    """Build a workshop from a preset: the EU becomes interactive; the horizon is the number of rounds.

    With `teams` the second sender is enabled and interactive too (a second team decides it); with
    `council` the EU decides by unanimity and the model's member-state friction is switched off,
    because the room's member states now play it.
    """
    check_range("rounds", rounds, 1, MAX_ROUNDS)
    check_range("replications", replications, 1, MAX_REPLICATIONS)
    if second_sender not in SECOND_SENDER_CHOICES:
        raise WorkshopError(f"second_sender: {second_sender!r} is not one of {SECOND_SENDER_CHOICES}")
    if teams and second_sender != SECOND_SENDER_CHOICES[0]:
        raise WorkshopError(
            f"second_sender: {second_sender!r} cannot be played with teams, where a team decides the second "
            f"sender's moves; choose {SECOND_SENDER_CHOICES[0]!r}"
        )
    try:
        base = load_preset(preset)
    except ScenarioError as exc:
        raise WorkshopError(str(exc)) from None
    overrides = {
        "eu.policy.kind": "interactive",
        "simulation.months": rounds,
        "simulation.replications": replications,
        "simulation.seed": base.simulation.seed if seed is None else seed,
    }
    if teams:
        overrides.update({"second_sender.enabled": True, "second_sender.policy.kind": "interactive"})
        if "entry_month" in type(base.second_sender).model_fields:
            # A team that could not act for months would have nothing to play: it takes part from month 1.
            overrides["second_sender.entry_month"] = base.simulation.start
    if council:
        overrides["eu.friction"] = 0.0
    if second_sender == "none":
        overrides["second_sender.enabled"] = False
    elif second_sender in ACTIONS:
        overrides.update(
            {
                "second_sender.enabled": True,
                "second_sender.policy.kind": "fixed",
                "second_sender.policy.action": second_sender,
            }
        )
    try:
        scenario = with_overrides(base, overrides)
    except ScenarioError as exc:
        raise WorkshopError(str(exc)) from None
    return WorkshopSpec(
        title=clean_text("title", title, TITLE_MAX) or preset.replace("_", " "),
        preset=preset,
        scenario=scenario,
        teams=bool(teams),
        council=bool(council),
        require_names=bool(require_names),
    )


def check_range(field: str, value, low: int, high: int) -> int:
    """Return an integer within [low, high] or raise a WorkshopError naming the field."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise WorkshopError(f"{field}: {value!r} is not a whole number; choose {low} to {high}")
    if not low <= value <= high:
        raise WorkshopError(f"{field}: {value} is outside the allowed range {low} to {high}")
    return int(value)


def clean_text(field: str, value: str, max_length: int = NAME_MAX) -> str:
    """A participant-typed name, team or title, trimmed; empty is allowed; anything risky is refused."""
    if not isinstance(value, str):
        raise WorkshopError(f"{field}: expected text, got {type(value).__name__}")
    text = " ".join(value.split())
    if len(text) > max_length:
        raise WorkshopError(f"{field}: {len(text)} characters is above the maximum {max_length}")
    if text and not _NAME.match(text):
        raise WorkshopError(
            f"{field}: {text!r} is not allowed; use letters, digits and spaces, with . ' - "
            f"between words (at most {max_length} characters)"
        )
    return text


def normalise_code(value: str) -> str:
    """The canonical join code typed by a person (case and spaces ignored), or a WorkshopError."""
    code = "".join(str(value).split()).replace("-", "").upper()
    if not _CODE.match(code):
        shown = str(value)[:20]
        raise WorkshopError(
            f"code: {shown!r} is not a join code; codes are {CODE_LENGTH} letters and digits "
            f"(no 0, O, 1, I or L), e.g. K7PQ2M"
        )
    return code


def check_token(field: str, value: str) -> str:
    """A participant id or facilitator key from a link, checked for shape before any database look-up."""
    if not isinstance(value, str) or not _TOKEN.match(value):
        raise WorkshopError(f"{field}: the link's {field} is malformed; open the link you were given again")
    return value


def new_code() -> str:
    """A random join code (uniqueness is the store's job)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    """A random secret for a facilitator key or a participant id."""
    return secrets.token_urlsafe(18)


def check_action(action: str) -> str:
    """An EU action name, or a WorkshopError listing the allowed ones."""
    if action not in ACTIONS:
        raise WorkshopError(f"action: {action!r} is not one of {ACTIONS}")
    return action


@dataclass(frozen=True)
class Tally:
    """Votes of one round by action."""

    engage: int = 0
    hold: int = 0
    tighten: int = 0

    @property
    def total(self) -> int:
        """Votes cast."""
        return self.engage + self.hold + self.tighten

    def counts(self) -> dict[str, int]:
        """Votes by action name, in the order engage, hold, tighten."""
        return {a: getattr(self, a) for a in ACTIONS}

    def winner(self, rule: str = MAJORITY) -> str | None:
        """The decided action under a voting rule (see `roles.winner`); None without votes."""
        return winner(self.counts(), rule)


@dataclass(frozen=True)
class Decision:
    """What the EU did in one month of the workshop, and how the room got there."""

    month: int
    action: str
    decided_by: str
    tally: Tally
    second_action: str | None = None
    second_tally: Tally = Tally()

    @property
    def move(self) -> tuple[str, str | None]:
        """The month's move for the replay: the EU's action and the second team's (None without teams)."""
        return (self.action, self.second_action)


@dataclass(frozen=True)
class Progress:
    """Where a workshop stands: months decided, the month whose vote is open (if any), paused or not."""

    months_played: int
    rounds: int
    voting_month: int | None = None
    paused: bool = False

    @property
    def phase(self) -> str:
        """One of PHASES: paused wins over voting, which wins over ready or finished."""
        if self.paused:
            return "paused"
        if self.voting_month is not None:
            return "voting"
        return "finished" if self.months_played >= self.rounds else "ready"

    @property
    def next_month(self) -> int:
        """The 1-based month the room decides next."""
        return self.months_played + 1

    def check_can_decide(self) -> None:
        """Opening a vote or deciding alone needs an unpaused workshop with months left and no open vote."""
        self._check_not_paused()
        if self.voting_month is not None:
            raise WorkshopError(f"vote: the vote for month {self.voting_month} is open; close or cancel it first")
        if self.months_played >= self.rounds:
            raise WorkshopError(f"rounds: all {self.rounds} months are played; undo a month or go to the debrief")

    def check_voting(self) -> int:
        """The month whose vote is open, or a WorkshopError if none is."""
        self._check_not_paused()
        if self.voting_month is None:
            raise WorkshopError("vote: no vote is open")
        return self.voting_month

    def check_ballot(self, month: int) -> None:
        """A participant's vote must be for the month whose vote is open now; late votes are refused."""
        if self.paused:
            raise WorkshopError(f"vote: the workshop is paused; your vote for month {month} was not counted")
        if self.voting_month is None:
            raise WorkshopError(f"vote: the vote on month {month} closed before your tap; your vote was not counted")
        if month != self.voting_month:
            raise WorkshopError(
                f"vote: this ballot is for month {month} but the room is voting on month "
                f"{self.voting_month}; your vote was not counted, please vote again"
            )

    def check_can_undo(self) -> None:
        """Undo needs an unpaused workshop with at least one decided month (or an open vote to cancel)."""
        self._check_not_paused()
        if self.months_played == 0 and self.voting_month is None:
            raise WorkshopError("undo: no month has been decided yet")

    def check_drawn_for(self, control: str, drawn_for: int, current: int) -> None:
        """A control drawn for one month must not act on another (a stale tab or a double click)."""
        if drawn_for != current:
            raise WorkshopError(
                f"month: '{control}' was drawn for month {drawn_for} but the workshop is now at month "
                f"{current}; nothing was changed, the page shows where it stands"
            )

    def _check_not_paused(self) -> None:
        if self.paused:
            raise WorkshopError("pause: the workshop is paused; resume it first")


def month_name(scenario: Scenario, month: int) -> str:
    """Calendar name of a workshop month (1-based), e.g. 'July 2024'."""
    label = month_label(month_index(scenario.simulation.start) + month - 1)
    return pd.Timestamp(f"{label}-01").strftime("%B %Y")


Move = tuple[str, str | None]


class ReplayCache:
    """Model states rebuilt by replaying decisions, kept in memory per process (least recently used first out).

    A state depends only on the scenario's model parameters and the decisions so far, and states are
    immutable, so the key is (scenario JSON, decisions): two workshops never share mutable data.
    """

    def __init__(self, max_states: int = 48, max_results: int = 16):
        self._states: OrderedDict[tuple[str, tuple[Move, ...]], State] = OrderedDict()
        self._results: OrderedDict[tuple[str, tuple[Move, ...]], Results] = OrderedDict()
        self._max = max_states
        self._max_results = max_results
        self._lock = threading.Lock()

    def chain(self, scenario: Scenario, moves) -> list[State]:
        """States after 0, 1, ..., len(moves) months; a move is an EU action or (EU action, second team's)."""
        moves = tuple(as_move(m) for m in moves)
        key = scenario.model_json()
        states = [self._get((key, ())) or self._put((key, ()), start(scenario))]
        for n in range(1, len(moves) + 1):
            cached = self._get((key, moves[:n]))
            states.append(cached or self._put((key, moves[:n]), play(states[-1], moves[n - 1])))
        return states

    def state(self, scenario: Scenario, moves) -> State:
        """The state after the room's decisions."""
        return self.chain(scenario, moves)[-1]

    def results(self, scenario: Scenario, moves) -> Results:
        """The result tables after the room's decisions (built once per path, then shared)."""
        key = (scenario.model_json(), tuple(as_move(m) for m in moves))
        with self._lock:
            found = self._results.get(key)
        if found is None:
            found = results_from_state(self.state(scenario, moves))
            with self._lock:
                self._results[key] = found
                while len(self._results) > self._max_results:
                    self._results.popitem(last=False)
        return found

    def prepare_next(self, scenario: Scenario, moves, teams: bool = False) -> None:
        """Build every possible next month while the room votes, so that the reveal only has to read it."""
        seconds = ACTIONS if teams else (None,)
        for eu in ACTIONS:
            for second in seconds:
                self.results(scenario, [*moves, (eu, second)])

    def _get(self, key) -> State | None:
        with self._lock:
            state = self._states.get(key)
            if state is not None:
                self._states.move_to_end(key)
            return state

    def _put(self, key, state: State) -> State:
        with self._lock:
            self._states[key] = state
            while len(self._states) > self._max:
                self._states.popitem(last=False)
        return state


def as_move(move) -> Move:
    """A month's move as (EU action, second team's action or None), from an action name or a pair."""
    eu, second = (move, None) if isinstance(move, str) else tuple(move)
    return (check_action(eu), None if second is None else check_action(second))


def play(state: State, move) -> State:
    """One month of the model with the room's move: the EU's action and, with teams, the second sender's."""
    eu, second = as_move(move)
    if second is None:
        return step(state, eu)
    return step(state, eu, sender_actions={state.scenario.second_sender.key: second})


def replay(scenario: Scenario, moves) -> State:
    """Rebuild a workshop's state from its decisions, without a cache (same decisions, same state)."""
    state = start(scenario)
    for move in moves:
        state = play(state, move)
    return state


def initial_acceptance(scenario: Scenario) -> dict[str, float]:
    """Belief in the regime's story by audience group before the first month, as the scenario sets it."""
    # The scenario's group means, not the drawn agents': the audience's internals are the model's business.
    return {g: float(getattr(scenario.audience, f"initial_belief_{g}")) for g in GROUPS}


@dataclass(frozen=True)
class Spread:
    """A quantity over replications: median and the 90% range (5th to 95th percentile)."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values) -> Spread:
        """Median and 90% range of an array of values over replications."""
        q = np.quantile(np.asarray(values, dtype=float), [0.5, 0.05, 0.95])
        return cls(float(q[0]), float(q[1]), float(q[2]))


@dataclass(frozen=True)
class Reveal:
    """What the room sees after a month: the regime's answer, its story, the audience, and why."""

    month: int
    month_name: str
    decision: Decision
    blocked_share: float
    released: Spread
    newly_imprisoned: Spread
    prisoners: Spread
    narrative: str
    narrative_share: float
    headline: str
    belief_before: dict[str, float]
    belief_after: dict[str, float]
    why_release: str
    why_arrests: str
    second_name: str | None = None
    second_blocked_share: float = 0.0


def reveal(results: Results, decision: Decision, before: dict[str, float] | None = None) -> Reveal:
    """The reveal of a month from the results so far; `before` is group acceptance before month 1."""
    month = decision.month
    rows = results.monthly[results.monthly["month"] == month]
    if rows.empty:
        raise WorkshopError(f"month: {month} has not been simulated yet")
    eu = results.scenario.eu.key
    modal = rows["narrative"].astype(str).value_counts()
    narrative = str(modal.index[0])
    told = rows[rows["narrative"].astype(str) == narrative]
    typical = told.iloc[int((told["released"] - told["released"].median()).abs().to_numpy().argmin())]
    groups = list(GROUPS)
    after = {g: float(rows[f"acceptance_{g}"].mean()) for g in groups}
    if month > 1:
        prior = results.monthly[results.monthly["month"] == month - 1]
        before = {g: float(prior[f"acceptance_{g}"].mean()) for g in groups}
    elif before is None:
        raise WorkshopError("before: month 1 needs the audience's acceptance before the first month")
    return Reveal(
        month=month,
        month_name=month_name(results.scenario, month),
        decision=decision,
        blocked_share=float((rows[f"action_decided_{eu}"].astype(str) != decision.action).mean()),
        released=Spread.of(rows["released"]),
        newly_imprisoned=Spread.of(rows["newly_imprisoned"]),
        prisoners=Spread.of(rows["prisoners"]),
        narrative=narrative,
        narrative_share=float(modal.iloc[0] / len(rows)),
        headline=str(typical["headline"]),
        belief_before=before,
        belief_after=after,
        why_release=why_release(rows, results.scenario),
        why_arrests=why_arrests(rows),
        **_second_sender_move(results, rows, decision),
    )


def _second_sender_move(results: Results, rows: pd.DataFrame, decision: Decision) -> dict:
    """The second team's sender and how often friction blocked its move, when a team played it."""
    if decision.second_action is None:
        return {}
    sender = results.scenario.second_sender
    blocked = (rows[f"action_decided_{sender.key}"].astype(str) != decision.second_action).mean()
    return {"second_name": sender.name, "second_blocked_share": float(blocked)}


def reveal_month(cache: ReplayCache, scenario: Scenario, decisions: list[Decision], month: int | None = None) -> Reveal:
    """The reveal of a decided month (the latest by default), replaying the decisions through the cache."""
    if not decisions:
        raise WorkshopError("month: no month has been decided yet")
    month = len(decisions) if month is None else check_range("month", month, 1, len(decisions))
    results = cache.results(scenario, [d.move for d in decisions[:month]])
    return reveal(results, decisions[month - 1], initial_acceptance(scenario))
