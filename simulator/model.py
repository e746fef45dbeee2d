"""The monthly step: senders act, the regime learns and decides, prisoners flow, the audience reacts.

`start` draws every replication's initial state; `step` advances all replications one month and
returns a new state (the old one is untouched, so a workshop can undo); `simulate` runs a whole
scenario. Arrays are shaped (replications, ...); only months are looped over.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from . import audience as aud
from . import narratives as nar
from . import policies, regime, streams
from .schema import ACTIONS, Scenario, month_index


@dataclass(frozen=True)
class State:
    """Everything the model knows after `month` simulated months, for replications first..first+count."""

    scenario: Scenario
    seed: int
    first: int
    month: int
    uniforms: np.ndarray
    audience: aud.Audience
    beliefs: np.ndarray
    prisoners: np.ndarray
    petitioners: np.ndarray
    at_home: np.ndarray
    exiled: np.ndarray
    pressure: np.ndarray
    successes: np.ndarray
    failures: np.ndarray
    decided: np.ndarray
    dependence: np.ndarray
    stability: np.ndarray
    credibility: np.ndarray
    mobilised_share: np.ndarray
    releases: np.ndarray
    arrests: np.ndarray
    history: tuple[dict[str, np.ndarray], ...]

    @property
    def replications(self) -> int:
        """Number of replications in this state."""
        return self.prisoners.shape[0]

    @property
    def finished(self) -> bool:
        """Whether the scenario's horizon has been reached."""
        return self.month >= self.scenario.simulation.months


def _initial_prisoners(params: regime.RegimeParams, count: int) -> np.ndarray:
    leaders = round(params.initial_prisoners * params.leader_share)
    prominent = round(params.initial_prisoners * params.prominent_share)
    ordinary = params.initial_prisoners - leaders - prominent
    return np.tile(np.array([ordinary, prominent, leaders], dtype=np.int64), (count, 1))


def start(scenario: Scenario, replications: int | None = None, seed: int | None = None, first: int = 0) -> State:
    """Draw the initial state of replications first..first+replications (defaults from the scenario)."""
    sim = scenario.simulation
    count = sim.replications if replications is None else replications
    seed = sim.seed if seed is None else seed
    senders = scenario.senders()
    audience, beliefs = aud.create_audience(scenario.audience, streams.agent_generators(seed, first, count))
    successes, failures = regime.prior_evidence(senders)
    mobilised = aud.mobilised_by_group(audience, beliefs, np.full(count, scenario.audience.deterrence))
    return State(
        scenario=scenario,
        seed=seed,
        first=first,
        month=0,
        uniforms=streams.monthly_uniforms(seed, first, count, sim.months),
        audience=audience,
        beliefs=beliefs,
        prisoners=_initial_prisoners(scenario.regime, count),
        petitioners=np.round(
            _initial_prisoners(scenario.regime, count) * scenario.regime.initial_petitioner_share
        ).astype(np.int64),
        at_home=np.full(count, scenario.regime.initial_released_at_home, dtype=np.int64),
        exiled=np.zeros(count, dtype=np.int64),
        pressure=np.tile([s.initial_pressure for s in senders], (count, 1)).astype(float),
        successes=np.tile(successes, (count, 1)),
        failures=np.tile(failures, (count, 1)),
        decided=np.zeros((count, len(senders), 0), dtype=np.int8),
        dependence=np.full(count, scenario.regime.initial_dependence),
        stability=np.full(count, scenario.regime.initial_stability),
        credibility=np.tile([s.initial_credibility for s in senders], (count, 1)).astype(float),
        mobilised_share=aud.overall_mean(audience, mobilised),
        releases=np.zeros((count, 0)),
        arrests=np.zeros((count, 0)),
        history=(),
    )


def _decide_senders(state: State, calendar_month: int, chosen: dict[str, np.ndarray]) -> np.ndarray:
    senders = state.scenario.senders()
    seen = policies.Observations(state.releases, state.arrests, state.prisoners.sum(axis=1))
    friction_draws = state.uniforms[:, state.month, streams.FRICTION]
    decided = np.empty((state.replications, len(senders)), dtype=np.int8)
    for i, sender in enumerate(senders):
        if sender.policy.kind == "interactive":
            if sender.key not in chosen:
                raise ValueError(
                    f"{sender.key}.policy.kind: interactive needs an action each month: "
                    f"call step(state, eu_action=...) with one of {ACTIONS}"
                )
            intended = chosen[sender.key]
        else:
            intended = policies.decide(sender.policy, calendar_month, seen)
        decided[:, i] = policies.apply_friction(intended, sender.friction, friction_draws[:, i])
    return decided


def _in_effect(decided_history: np.ndarray, senders, month: int) -> np.ndarray:
    effect = np.full(decided_history.shape[:2], policies.HOLD, dtype=np.int8)
    for i, sender in enumerate(senders):
        if month - sender.lag_months >= 0:
            effect[:, i] = decided_history[:, i, month - sender.lag_months]
    return effect


def _as_codes(action, count: int) -> np.ndarray:
    if isinstance(action, str):
        if action not in ACTIONS:
            raise ValueError(f"eu_action: {action!r} is not one of {ACTIONS}")
        return np.full(count, ACTIONS.index(action), dtype=np.int8)
    codes = np.asarray(action, dtype=np.int8)
    if codes.shape != (count,) or codes.min() < 0 or codes.max() > 2:
        raise ValueError(f"eu_action: expected an action name or {count} codes in 0..2")
    return codes


def step(state: State, eu_action=None, sender_actions: dict | None = None) -> State:
    """Advance every replication one month; eu_action (name or codes) drives an interactive EU policy."""
    if state.finished:
        raise ValueError(f"simulation.months: the horizon of {state.scenario.simulation.months} months is reached")
    sc, count, t = state.scenario, state.replications, state.month
    senders = sc.senders()
    chosen = {k: _as_codes(v, count) for k, v in (sender_actions or {}).items()}
    if eu_action is not None:
        chosen[sc.eu.key] = _as_codes(eu_action, count)
    calendar = month_index(sc.simulation.start) + t
    u = state.uniforms[:, t]

    decided_now = _decide_senders(state, calendar, chosen)
    decided = np.concatenate([state.decided, decided_now[:, :, None]], axis=2)
    in_effect = _in_effect(decided, senders, t)
    pressure, relief = regime.update_pressure(state.pressure, in_effect, senders)
    weights = np.array([s.sanctions_weight for s in senders])
    total_pressure = (pressure * weights).sum(axis=1)

    last_release = state.releases[:, -1] if t else np.zeros(count)
    successes, failures = regime.learn_reciprocity(
        state.successes,
        state.failures,
        regime.prior_evidence(senders),
        last_release >= sc.regime.release_signal_threshold,
        decided_now,
        sc.regime,
    )
    belief = successes / (successes + failures)
    engagement_value = np.array([s.engagement_value for s in senders])
    expected_relief = belief * (weights * pressure + engagement_value)

    proximity = regime.election_proximity(month_index(sc.simulation.election) - calendar, sc.regime.campaign_months)
    drivers = regime.release_drivers(expected_relief, proximity, total_pressure, state.mobilised_share, sc.regime)
    willingness = regime.release_willingness(drivers, sc.regime)
    pardoned = streams.binomial(u[:, streams.RELEASE], state.petitioners, sc.regime.max_release_share * willingness)
    deal = regime.deal_intensity(drivers, decided_now)
    traded = streams.binomial(
        u[:, streams.DEAL_RELEASE],
        state.prisoners - state.petitioners,
        sc.regime.max_deal_share * willingness * deal[:, None],
    )
    released = pardoned + traded
    tightened = (in_effect == policies.TIGHTEN).any(axis=1) | (decided_now == policies.TIGHTEN).any(axis=1)
    repression = regime.repression_drivers(state.mobilised_share, tightened, expected_relief, proximity, sc.regime)
    intensity = np.maximum(sum(repression.values()), 0.0)

    flows = _prisoner_flows(state, u, pardoned, traded, intensity)
    events = nar.Events(
        released=released.sum(axis=1).astype(float),
        released_before=last_release,
        arrests=(flows["new_arrests"] + flows["rearrests"]).astype(float),
        relief_came=(relief.sum(axis=1) > 1e-9).astype(float),
        tightened=tightened.astype(float),
        all_held=(decided_now == policies.HOLD).all(axis=1).astype(float),
        dependence=state.dependence,
        election_proximity=np.full(count, proximity),
    )
    fits = nar.fit_to_events(events)
    narrative = nar.choose(events, fits, sc.regime.narrative_noise, u[:, streams.NARRATIVE])
    fit = fits[np.arange(count), narrative]
    ap = sc.audience
    credibility_of_story = ap.credibility_contradicted + (ap.credibility_consistent - ap.credibility_contradicted) * fit
    shift = ap.deterrence * intensity - ap.social_proof * state.mobilised_share
    beliefs, acceptance_by_group, mobilised_by_group = aud.audience_month(
        state.audience,
        state.beliefs,
        credibility_of_story,
        (1 - ap.independent_critique) * credibility_of_story,
        (u[:, streams.PARTNER_OFFSET] * ap.size).astype(np.int64),
        shift,
        ap,
    )
    mobilised_share = aud.overall_mean(state.audience, mobilised_by_group)
    acceptance = aud.overall_mean(state.audience, acceptance_by_group)

    relief_total = (relief * weights).sum(axis=1)
    rp = sc.regime
    dependence = np.clip(
        state.dependence
        + rp.pivot_rate * total_pressure * (1 - state.dependence)
        - rp.decoupling_rate * relief_total * state.dependence,
        0,
        1,
    )
    stability_target = np.clip(
        0.5
        + rp.stability_from_acceptance * (acceptance - 0.5)
        - rp.stability_from_mobilisation * mobilised_share
        - rp.stability_from_pressure * total_pressure
        + rp.stability_from_dependence * dependence,
        0,
        1,
    )
    stability = state.stability + rp.stability_adjustment * (stability_target - state.stability)
    credibility = _update_credibility(state.credibility, in_effect, events, senders)

    record = {
        "decided": decided_now,
        "in_effect": in_effect,
        "pressure": pressure,
        "relief": relief,
        "belief": belief,
        "credibility": credibility,
        "released": released,
        "released_in_deals": traded.sum(axis=1),
        "prisoners": flows["prisoners"],
        "petitioners": flows["petitioners"],
        "new_arrests": flows["new_arrests"],
        "rearrests": flows["rearrests"],
        "completed": flows["completed"],
        "deported": flows["deported"],
        "at_home": flows["at_home"],
        "exiled": flows["exiled"],
        "narrative": narrative,
        "story_credibility": credibility_of_story,
        "acceptance": acceptance,
        "acceptance_by_group": acceptance_by_group,
        "mobilised_share": mobilised_share,
        "mobilised_by_group": mobilised_by_group,
        "repression": intensity,
        "stability": stability,
        "dependence": dependence,
        "total_pressure": total_pressure,
        "election_proximity": np.full(count, proximity),
        "release_drivers": drivers,
        "repression_drivers": repression,
    }
    return replace(
        state,
        month=t + 1,
        beliefs=beliefs,
        prisoners=flows["prisoners"],
        petitioners=flows["petitioners"],
        at_home=flows["at_home"],
        exiled=flows["exiled"],
        pressure=pressure,
        successes=successes,
        failures=failures,
        decided=decided,
        dependence=dependence,
        stability=stability,
        credibility=credibility,
        mobilised_share=mobilised_share,
        releases=np.concatenate([state.releases, released.sum(axis=1, keepdims=True)], axis=1),
        arrests=np.concatenate([state.arrests, (flows["new_arrests"] + flows["rearrests"])[:, None]], axis=1),
        history=state.history + (record,),
    )


def _prisoner_flows(
    state: State, u: np.ndarray, pardoned: np.ndarray, traded: np.ndarray, intensity: np.ndarray
) -> dict[str, np.ndarray]:
    """Arrests, re-arrests, petitions, completed sentences and deportations; every person stays accounted for.

    pardoned (from petitioners) and traded (released in a deal without petitioning): (replications, 3).
    Sentences end among those not waiting for a pardon, and some of them file a petition. New
    arrivals have not petitioned yet.
    """
    rp = state.scenario.regime
    released = pardoned + traded
    waiting = state.prisoners - state.petitioners - traded
    completion = np.array([rp.completion_rate_ordinary, rp.completion_rate_prominent, rp.completion_rate_leaders])
    completed = streams.binomial(u[:, streams.COMPLETION], waiting, completion)
    petitions = streams.binomial(u[:, streams.PETITIONS], waiting - completed, rp.petition_rate)
    new_arrests = streams.poisson(u[:, streams.NEW_ARRESTS], rp.base_arrests * intensity)
    prominent_new = streams.binomial(u[:, streams.PROMINENT_ARRESTS], new_arrests, rp.new_arrest_prominent_share)
    rearrests = streams.binomial(u[:, streams.REARRESTS], state.at_home, np.minimum(rp.rearrest_rate * intensity, 1))
    deported = streams.binomial(u[:, streams.DEPORTATION], pardoned.sum(axis=1), rp.deportation_share)
    deported += streams.binomial(u[:, streams.DEAL_DEPORTATION], traded.sum(axis=1), rp.deal_deportation_share)
    prisoners = state.prisoners - released - completed
    prisoners[:, 0] += new_arrests - prominent_new + rearrests
    prisoners[:, 1] += prominent_new
    freed_at_home = released.sum(axis=1) - deported + completed.sum(axis=1)
    return {
        "prisoners": prisoners,
        "petitioners": state.petitioners - pardoned + petitions,
        "completed": completed,
        "new_arrests": new_arrests,
        "rearrests": rearrests,
        "deported": deported,
        "at_home": state.at_home - rearrests + freed_at_home,
        "exiled": state.exiled + deported,
    }


def _update_credibility(credibility: np.ndarray, in_effect: np.ndarray, events: nar.Events, senders) -> np.ndarray:
    """Credibility with pro-democracy forces: engaging while arrests outpace releases looks like appeasement."""
    cost = np.array([s.engage_credibility_cost for s in senders])
    gain = np.array([s.firm_credibility_gain for s in senders])
    appeasement = (events.arrests / (events.arrests + events.released + 1.0))[:, None]
    loss = (in_effect == policies.ENGAGE) * cost * appeasement * credibility
    firm = (in_effect != policies.ENGAGE) * gain * (1 - credibility)
    return np.clip(credibility - loss + firm, 0.0, 1.0)


def run_to_end(state: State, progress=None) -> State:
    """Step a state through the rest of its horizon; `progress(done, total)` is called after each month."""
    total = state.scenario.simulation.months
    while not state.finished:
        state = step(state)
        if progress is not None:
            progress(state.month, total)
    return state
