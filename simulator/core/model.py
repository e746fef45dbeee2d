"""The monthly step: senders act, the regime learns and decides, prisoners flow, the audience reacts.

`start` draws every replication's initial state; `step` advances all replications one month and
returns a new state (the old one is untouched, so a workshop can undo); `simulate` runs a whole
scenario. Arrays are shaped (replications, ...); only months are looped over.

The senders' settings are read through `State.senders`, where a batch of design points
(batching.py) holds the numeric ones that differ between points as (replications,) arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from scipy import special

from . import audience as aud
from . import deals as deal
from . import learning, pardons, policies, regime, repression, streams
from . import narratives as nar
from .parameters import column, per_sender
from .schema import ACTIONS, AudienceParams, RegimeParams, Scenario, SenderParams, month_index
from .uncertainty import Varied, check_parameters, draw_parameters, varied_group

# The scenario's sender groups in the order of `Scenario.senders()`.
SENDER_GROUPS: tuple[str, ...] = ("eu", "second_sender")


@dataclass(frozen=True)
class State:
    """Everything the model knows after `month` simulated months, for replications first..first+count."""

    scenario: Scenario
    seed: int
    first: int
    month: int
    regime_params: RegimeParams | Varied
    audience_params: AudienceParams | Varied
    drawn: dict[str, np.ndarray]
    uniforms: np.ndarray
    audience: aud.Audience
    beliefs: np.ndarray
    prisoners: np.ndarray
    petitioners: np.ndarray
    willing: np.ndarray
    early_cohort: np.ndarray
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
    paid_memory: np.ndarray
    paid_values: np.ndarray
    at_risk: np.ndarray
    deals_done: np.ndarray
    items_delivered: np.ndarray
    releases: np.ndarray
    arrests: np.ndarray
    history: tuple[dict[str, np.ndarray], ...]
    # Settings of a sender ("eu", "second_sender") that differ between a batch's points: {name: (replications,)}.
    # Kept apart from the scenario, which a workshop may swap for another EU policy mid-run.
    sender_values: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)

    @property
    def senders(self) -> list[SenderParams | Varied]:
        """The active senders, EU first, with their per-replication settings where a batch varies them."""
        groups = [(name, getattr(self.scenario, name)) for name in SENDER_GROUPS]
        return [
            Varied(sender, self.sender_values[name]) if name in self.sender_values else sender
            for name, sender in groups
            if sender.enabled
        ]

    @property
    def replications(self) -> int:
        """Number of replications in this state."""
        return self.prisoners.shape[0]

    @property
    def finished(self) -> bool:
        """Whether the scenario's horizon has been reached."""
        return self.month >= self.scenario.simulation.months


def _initial_prisoners(params: RegimeParams, count: int) -> np.ndarray:
    leaders = round(params.initial_prisoners * params.leader_share)
    prominent = round(params.initial_prisoners * params.prominent_share)
    ordinary = params.initial_prisoners - leaders - prominent
    return np.tile(np.array([ordinary, prominent, leaders], dtype=np.int64), (count, 1))


def start(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    first: int = 0,
    parameters: dict[str, np.ndarray] | None = None,
) -> State:
    """Draw the initial state of replications first..first+replications (defaults from the scenario).

    parameters: optional per-replication values {dotted path: (replications,) array} of uncertain
    regime and audience parameters (see `uncertainty.UNCERTAIN`); without them a posterior
    scenario draws its own.
    """
    sim = scenario.simulation
    count = sim.replications if replications is None else replications
    seed = sim.seed if seed is None else seed
    senders = scenario.senders()
    if parameters is not None:
        drawn = check_parameters(parameters, count)
    elif sim.uncertainty == "posterior":
        drawn = draw_parameters(scenario, streams.parameter_uniforms(seed, first, count))
    else:
        drawn = {}
    # Parameters of the initial state may be drawn per replication too (the posterior's people at risk).
    regime_params = varied_group(scenario, "regime", drawn)
    audience, beliefs = aud.create_audience(scenario.audience, seed, first, count)
    successes, failures = learning.prior_evidence(senders)
    mobilised = aud.mobilised_by_group(audience, beliefs, np.full(count, scenario.audience.deterrence))
    return State(
        scenario=scenario,
        seed=seed,
        first=first,
        month=0,
        regime_params=regime_params,
        audience_params=varied_group(scenario, "audience", drawn),
        drawn=drawn,
        uniforms=streams.monthly_uniforms(seed, first, count, sim.months),
        audience=audience,
        beliefs=beliefs,
        prisoners=_initial_prisoners(scenario.regime, count),
        petitioners=np.round(
            _initial_prisoners(scenario.regime, count) * scenario.regime.pardons.initial_petitioner_share
        ).astype(np.int64),
        willing=np.round(
            _initial_prisoners(scenario.regime, count)
            * (1 - scenario.regime.pardons.initial_petitioner_share)
            * column(regime_params.pardons.initial_willing_share)
        ).astype(np.int64),
        early_cohort=np.round(
            _initial_prisoners(scenario.regime, count)[:, 0] * scenario.regime.sentences.early_cohort_share
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
        paid_memory=np.zeros(count),
        paid_values=np.zeros((count, 0)),
        at_risk=np.round(np.broadcast_to(regime_params.repression.initial_at_risk, (count,))).astype(np.int64),
        deals_done=np.zeros((count, len(senders)), dtype=np.int64),
        items_delivered=np.zeros((count, len(senders))),
        releases=np.zeros((count, 0)),
        arrests=np.zeros((count, 0)),
        history=(),
    )


def _taking_part(state: State, calendar_month: int) -> np.ndarray:
    """Which senders act this month (their entry month has come), shape (senders,) bool."""
    return np.array([calendar_month >= month_index(s.entry_month) for s in state.senders], dtype=bool)


def _decide_senders(state: State, calendar_month: int, chosen: dict[str, np.ndarray]) -> np.ndarray:
    """Each sender's decision this month after friction, shape (replications, senders); hold before its entry."""
    senders = state.senders
    seen = policies.Observations(state.releases, state.arrests, state.prisoners.sum(axis=1))
    friction_draws = state.uniforms[:, state.month, streams.FRICTION]
    decided = np.full((state.replications, len(senders)), policies.HOLD, dtype=np.int8)
    for i, sender in enumerate(senders):
        if calendar_month < month_index(sender.entry_month):
            continue
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
    """The action each sender has in effect this month, given its implementation lag."""
    effect = np.full(decided_history.shape[:2], policies.HOLD, dtype=np.int8)
    for i, sender in enumerate(senders):
        lag = sender.lag_months
        if isinstance(lag, np.ndarray):
            # Lags differ within a batch: each replication looks back its own number of months.
            when = month - lag
            looked_up = decided_history[np.arange(len(when)), i, np.maximum(when, 0)]
            effect[:, i] = np.where(when >= 0, looked_up, policies.HOLD)
        elif month - lag >= 0:
            effect[:, i] = decided_history[:, i, month - lag]
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
    chosen = {k: _as_codes(v, state.replications) for k, v in (sender_actions or {}).items()}
    if eu_action is not None:
        chosen[state.scenario.eu.key] = _as_codes(eu_action, state.replications)
    return _step(state, chosen)


def _step(state: State, chosen: dict[str, np.ndarray], spare_beliefs: np.ndarray | None = None) -> State:
    """One month; the new beliefs are written into spare_beliefs when given (an array no state still needs)."""
    month = _senders_act(state, chosen)
    month.update(_regime_decides(state, month))
    month.update(_prisoner_flows(state, month))
    month.update(_story_and_audience(state, month, spare_beliefs))
    month.update(_scores(state, month))
    return _advance(state, month)


def _senders_act(state: State, chosen: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Senders decide, decisions take effect after their lags, and sanctions pressure moves.

    A sender before its entry month leaves everything untouched: its pressure stands still and
    counts for nothing, so switching on a later sender does not change the months before it.
    """
    senders = state.senders
    taking_part = _taking_part(state, _calendar_month(state))
    decided_now = _decide_senders(state, _calendar_month(state), chosen)
    decided = np.concatenate([state.decided, decided_now[:, :, None]], axis=2)
    in_effect = _in_effect(decided, senders, state.month)
    moved, relief = regime.update_pressure(state.pressure, in_effect, senders)
    pressure = np.where(taking_part, moved, state.pressure)
    relief = relief * taking_part
    weights = per_sender(senders, "sanctions_weight") * taking_part
    return {
        "taking_part": taking_part,
        "decided": decided_now,
        "decided_history": decided,
        "in_effect": in_effect,
        "pressure": pressure,
        "relief": relief,
        "total_pressure": (pressure * weights).sum(axis=1),
        "total_relief": (relief * weights).sum(axis=1),
        "delivered": relief * weights,
    }


def _regime_decides(state: State, month: dict) -> dict[str, np.ndarray]:
    """The regime updates what it expects from each sender, then picks its pardons, deals and repression."""
    sc, senders, u = state.scenario, state.senders, state.uniforms[:, state.month]
    rp = state.regime_params
    last_release = state.releases[:, -1] if state.month else np.zeros(state.replications)
    # Only unilateral pardons wait for an answer; a deal was answered when it was struck.
    last_pardons = state.history[-1]["pardoned"].sum(axis=1) if state.history else np.zeros(state.replications)
    answers = np.where(month["taking_part"], month["decided"], -1)
    successes, failures = learning.learn_reciprocity(
        state.successes,
        state.failures,
        learning.prior_evidence(senders),
        last_pardons >= rp.learning.release_signal_threshold,
        answers,
        month["delivered"] + state.items_delivered,
        rp.learning,
    )
    belief = successes / (successes + failures)
    expected_relief = belief * regime.relief_on_offer(month["pressure"], senders) * month["taking_part"]
    calendar_month = _calendar_month(state)
    proximity = pardons.campaign_proximity(
        month_index(sc.simulation.election) - calendar_month, sc.regime.pardons.campaign_months
    )
    pardoned, pardon_record = _pardons(state, month, expected_relief, proximity, calendar_month % 12 + 1)
    deals = _deals(state, month, belief, u)
    relief_answered = month["total_relief"] * (last_release >= rp.learning.release_signal_threshold)
    paid_values = np.concatenate([state.paid_values, (deals["item_value"].sum(axis=1) + relief_answered)[:, None]], 1)
    delay = sc.regime.repression.hostage_delay
    paid_then = paid_values[:, -1 - delay] if paid_values.shape[1] > delay else np.zeros(state.replications)
    paid_memory = repression.remember_payment(state.paid_memory, paid_then, rp.repression)
    tightened = ((month["in_effect"] == policies.TIGHTEN) | (month["decided"] == policies.TIGHTEN)).any(axis=1)
    drivers = repression.repression_drivers(state.mobilised_share, tightened, paid_memory, proximity, rp.repression)
    return {
        **deals,
        **pardon_record,
        "successes": successes,
        "failures": failures,
        "belief": belief,
        "last_release": last_release,
        "proximity": np.full(state.replications, proximity),
        "repression_drivers": drivers,
        "repression": np.maximum(sum(drivers.values()), 0.0),
        "paid_memory": paid_memory,
        "paid_values": paid_values,
        "pardoned": pardoned,
        "released": pardoned + deals["traded"],
        "tightened": tightened,
    }


def _pardons(state: State, month: dict, expected_relief: np.ndarray, proximity: float, month_of_year: int):
    """The regime's own pardons this month by tier, and what the "why" needs: motives, occasion, routine part."""
    pp, u = state.regime_params.pardons, state.uniforms[:, state.month]
    drivers = pardons.motive_drivers(expected_relief, proximity, month["total_pressure"], state.mobilised_share, pp)
    political = pardons.willingness(drivers, regime.tier_prices(state.regime_params), pp)
    holiday_chance, occasion = pardons.occasion_chances(month_of_year, proximity, pp)
    draw = u[:, streams.PARDON_OCCASION]
    holiday_held, held = draw < holiday_chance, draw < occasion
    share, routine = pardons.pardon_shares(state.petitioners, holiday_held, held, political, pp)
    pardoned = streams.binomial(u[:, streams.RELEASE], state.petitioners, share)
    record = {
        "release_drivers": drivers,
        "occasion": np.broadcast_to(np.asarray(occasion, float), (state.replications,)).copy(),
        "pardon_held": held,
        "holiday_held": holiday_held,
        "holiday_expected": (routine * state.petitioners).sum(axis=1),
    }
    return pardoned, record


def _deals(state: State, month: dict, belief: np.ndarray, u: np.ndarray) -> dict[str, np.ndarray]:
    """Priced exchanges: each engaging sender whose envoy comes puts its next relief item on the table.

    The regime discounts the item by its belief that this sender delivers (belief:
    (replications, senders)), so a new sender gets a small test release and batches grow as items
    of more value come to the table and trust builds. Deals take prisoners who have not
    petitioned (leaders first); the item is delivered when the deal is struck.
    """
    rp, senders = state.regime_params, state.senders
    item = deal.item_on_table(deal.ladder_arrays([s.relief_items for s in senders]), state.deals_done)
    visits = u[:, streams.ENVOY_VISIT][:, : len(senders)] < per_sender(senders, "envoy_visit_rate")
    engaging = (month["decided"] == policies.ENGAGE) & month["taking_part"] & visits
    spread = column(rp.deals.lumpiness)
    lumpiness = np.exp(spread * special.ndtri(np.clip(u[:, streams.DEAL_SIZE], 1e-12, 1 - 1e-12)) - spread**2 / 2)
    available = state.prisoners - state.petitioners
    prices = regime.tier_prices(rp)
    traded = np.zeros_like(state.prisoners)
    by_sender = np.zeros((state.replications, len(senders)), dtype=np.int64)
    for i in range(len(senders)):
        batch = deal.deal_batch(
            item["value"][:, i] * belief[:, i], lumpiness[:, i], available - traded, prices, rp.deals
        )
        batch *= engaging[:, i, None]
        traded += batch
        by_sender[:, i] = batch.sum(axis=1)
    struck = by_sender > 0
    weights = np.maximum(per_sender(senders, "sanctions_weight"), 1e-9)
    eased = item["value"] * item["eases_sanctions"] * struck
    pressure = np.clip(month["pressure"] - eased / weights, 0.0, 1.0)
    relief = month["relief"] + (month["pressure"] - pressure)
    return {
        "traded": traded,
        "released_in_deals_by_sender": by_sender,
        "others_freed_by_sender": deal.others_freed(by_sender, item["non_political_share"]) * struck,
        "deal_deported_share": (by_sender * item["deported_share"]).sum(axis=1) / np.maximum(by_sender.sum(axis=1), 1),
        "deal_offer": item["value"] * belief * engaging,
        "item_value": item["value"] * struck,
        "deals_done": state.deals_done + struck,
        "pressure": pressure,
        "relief": relief,
        "total_relief": (relief * weights * month["taking_part"]).sum(axis=1),
    }


def _story_and_audience(state: State, month: dict, spare_beliefs: np.ndarray | None = None) -> dict[str, Any]:
    """State media pick a story for what happened; each group receives it its own way, talks, and may mobilise."""
    ap, u = state.audience_params, state.uniforms[:, state.month]
    credit = nar.credit(month["relief"] * month["taking_part"], month["decided"], month["taking_part"])
    events = nar.Events(
        released=month["released"].sum(axis=1).astype(float),
        released_before=month["last_release"],
        arrests=(month["new_arrests"] + month["rearrests"]).astype(float),
        relief_came=(month["total_relief"] > 1e-9).astype(float),
        divided=(credit["holder"] >= 0).astype(float),
        tightened=month["tightened"].astype(float),
        all_held=(month["decided"] == policies.HOLD).all(axis=1).astype(float),
        dependence=state.dependence,
        election_proximity=month["proximity"],
        pressure=month["total_pressure"],
    )
    fits = nar.fit_to_events(events)
    noise = column(state.regime_params.narratives.narrative_noise)
    narrative = nar.choose(events, fits, noise, u[:, streams.NARRATIVE])
    credibility_by_group, credibility = nar.reception(narrative, fits, events, ap)
    shift = ap.deterrence * month["repression"] - ap.social_proof * state.mobilised_share
    beliefs, acceptance_by_group, mobilised_by_group = aud.audience_month(
        state.audience,
        state.beliefs,
        credibility_by_group,
        (1 - ap.independent_critique) * credibility,
        (u[:, streams.PARTNER_OFFSET] * ap.size).astype(np.int64),
        shift,
        ap,
        out=spare_beliefs,
    )
    return {
        "events": events,
        "credited": credit["payer"],
        "holder": credit["holder"],
        "narrative": narrative,
        "story_credibility": credibility,
        "story_credibility_by_group": credibility_by_group,
        "beliefs": beliefs,
        "acceptance_by_group": acceptance_by_group,
        "acceptance": aud.overall_mean(state.audience, acceptance_by_group),
        "mobilised_by_group": mobilised_by_group,
        "mobilised_share": aud.overall_mean(state.audience, mobilised_by_group),
    }


def _scores(state: State, month: dict) -> dict[str, np.ndarray]:
    """Dependence on Russia/China, regime stability and each sender's credibility after this month."""
    rp = state.regime_params
    dependence = regime.update_dependence(state.dependence, month["total_pressure"], month["total_relief"], rp)
    stability = regime.update_stability(
        state.stability, month["acceptance"], month["mobilised_share"], month["total_pressure"], dependence, rp
    )
    moved = _update_credibility(state.credibility, month["in_effect"], month["events"], state.senders)
    credibility = np.where(month["taking_part"], moved, state.credibility)
    return {"dependence": dependence, "stability": stability, "credibility": credibility}


_RECORDED = (
    "decided",
    "in_effect",
    "pressure",
    "relief",
    "belief",
    "credibility",
    "released",
    "prisoners",
    "petitioners",
    "new_arrests",
    "rearrests",
    "completed",
    "deported",
    "at_home",
    "exiled",
    "narrative",
    "story_credibility",
    "story_credibility_by_group",
    "acceptance",
    "acceptance_by_group",
    "mobilised_share",
    "mobilised_by_group",
    "repression",
    "stability",
    "dependence",
    "total_pressure",
    "release_drivers",
    "repression_drivers",
    "pardoned",
    "pardon_held",
    "occasion",
    "released_in_deals_by_sender",
    "deal_offer",
    "early_cohort",
    "holiday_held",
    "holiday_expected",
    "others_freed_by_sender",
    "item_value",
    "at_risk",
    "credited",
    "holder",
)


def _advance(state: State, month: dict) -> State:
    """The state after this month, with the month's record appended to the history."""
    record = {name: month[name] for name in _RECORDED}
    record["released_in_deals"] = month["traded"].sum(axis=1)
    record["pardon_held"] = month["pardon_held"].astype(np.int8)
    record["holiday_held"] = month["holiday_held"].astype(np.int8)
    record["election_proximity"] = month["proximity"]
    released = month["released"].sum(axis=1, keepdims=True)
    imprisoned = (month["new_arrests"] + month["rearrests"])[:, None]
    return replace(
        state,
        month=state.month + 1,
        beliefs=month["beliefs"],
        prisoners=month["prisoners"],
        petitioners=month["petitioners"],
        willing=month["willing"],
        early_cohort=month["early_cohort"],
        at_home=month["at_home"],
        exiled=month["exiled"],
        pressure=month["pressure"],
        successes=month["successes"],
        failures=month["failures"],
        decided=month["decided_history"],
        dependence=month["dependence"],
        stability=month["stability"],
        credibility=month["credibility"],
        mobilised_share=month["mobilised_share"],
        paid_memory=month["paid_memory"],
        paid_values=month["paid_values"],
        at_risk=month["at_risk"],
        deals_done=month["deals_done"],
        items_delivered=month["item_value"],
        releases=np.concatenate([state.releases, released], axis=1),
        arrests=np.concatenate([state.arrests, imprisoned], axis=1),
        history=state.history + (record,),
    )


def _calendar_month(state: State) -> int:
    return month_index(state.scenario.simulation.start) + state.month


def _prisoner_flows(state: State, month: dict) -> dict[str, np.ndarray]:
    """Arrests, re-arrests, completed sentences, petitions and deportations; every person stays accounted for.

    Pardoned people come from petitioners, traded ones (released in a deal) from the others.
    Sentences then end among those still held: the 2020-22 wave at its own rate (so the flow falls
    as those terms run out), everyone else at their tier's rate; petitioners whose term ends leave
    the petition queue. New arrivals have not petitioned yet.
    """
    rp, u = state.regime_params, state.uniforms[:, state.month]
    pardoned, traded, released, intensity = month["pardoned"], month["traded"], month["released"], month["repression"]
    held = state.prisoners - released
    early = _early_cohort_after_releases(state, released[:, 0], u)
    completed = _completed_sentences(held, early, u, rp)
    early = early - completed[:, 3]
    completed = completed[:, :3]
    petitioners = state.petitioners - pardoned
    petitioners_done = streams.binomial(
        u[:, streams.PETITIONERS_COMPLETED], completed, petitioners / np.maximum(held, 1)
    )
    # A hypergeometric split drawn as a binomial: clip to what each side can hold.
    petitioners_done = np.clip(petitioners_done, np.maximum(completed - (held - petitioners), 0), petitioners)
    petitioners = petitioners - petitioners_done
    willing = np.minimum(state.willing, held - completed - petitioners)
    rate = pardons.petition_rate(rp.pardons, month["proximity"])
    petitions = streams.binomial(u[:, streams.PETITIONS], willing, column(rate))
    rep = rp.repression
    new_arrests = streams.binomial(
        u[:, streams.NEW_ARRESTS], state.at_risk, repression.arrest_probability(intensity, rep)
    )
    prominent_new = streams.binomial(u[:, streams.PROMINENT_ARRESTS], new_arrests, rep.new_arrest_prominent_share)
    rearrests = streams.binomial(u[:, streams.REARRESTS], state.at_home, np.minimum(rep.rearrest_rate * intensity, 1))
    deported = streams.binomial(u[:, streams.DEPORTATION], pardoned.sum(axis=1), rp.pardons.deportation_share)
    deported += streams.binomial(u[:, streams.DEAL_DEPORTATION], traded.sum(axis=1), month["deal_deported_share"])
    prisoners = held - completed
    prisoners[:, 0] += new_arrests - prominent_new + rearrests
    prisoners[:, 1] += prominent_new
    freed_at_home = released.sum(axis=1) - deported + completed.sum(axis=1)
    return {
        "prisoners": prisoners,
        "petitioners": petitioners + petitions,
        "willing": pardons.willing_after(willing - petitions, prisoners - held + completed, rp.pardons),
        "early_cohort": early,
        "completed": completed,
        "new_arrests": new_arrests,
        "rearrests": rearrests,
        "deported": deported,
        "at_home": state.at_home - rearrests + freed_at_home,
        "exiled": state.exiled + deported,
        "at_risk": repression.pool_after(state.at_risk, new_arrests, state.mobilised_share, freed_at_home, rep),
    }


def _early_cohort_after_releases(state: State, released_ordinary: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Ordinary prisoners of the 2020-22 wave still held after this month's releases, shape (replications,).

    Releases do not choose by conviction year, so the wave loses its share of the ordinary released.
    """
    share = state.early_cohort / np.maximum(state.prisoners[:, 0], 1)
    leaving = streams.binomial(u[:, streams.EARLY_COHORT_RELEASED], released_ordinary, share)
    others = state.prisoners[:, 0] - state.early_cohort
    leaving = np.clip(leaving, np.maximum(released_ordinary - others, 0), state.early_cohort)
    return state.early_cohort - leaving


def _completed_sentences(held: np.ndarray, early: np.ndarray, u: np.ndarray, rp) -> np.ndarray:
    """Sentences ending by tier, plus (last column) how many of the ordinary ones were in the 2020-22 wave."""
    rp = rp.sentences
    early_done = streams.binomial(u[:, streams.EARLY_COHORT_COMPLETED], early, rp.early_cohort_completion_rate)
    later = held.copy()
    later[:, 0] -= early
    rates = regime.by_tier(rp.completion_rate_ordinary, rp.completion_rate_prominent, rp.completion_rate_leaders)
    completed = streams.binomial(u[:, streams.COMPLETION], later, rates)
    completed[:, 0] += early_done
    return np.column_stack([completed, early_done])


def _update_credibility(credibility: np.ndarray, in_effect: np.ndarray, events: nar.Events, senders) -> np.ndarray:
    """Credibility with pro-democracy forces: engaging while arrests outpace releases looks like appeasement."""
    cost = per_sender(senders, "engage_credibility_cost")
    gain = per_sender(senders, "firm_credibility_gain")
    appeasement = (events.arrests / (events.arrests + events.released + 1.0))[:, None]
    loss = (in_effect == policies.ENGAGE) * cost * appeasement * credibility
    firm = (in_effect != policies.ENGAGE) * gain * (1 - credibility)
    return np.clip(credibility - loss + firm, 0.0, 1.0)


def run_to_end(state: State, progress=None) -> State:
    """Step a state through the rest of its horizon; `progress(done, total)` is called after each month."""
    total = state.scenario.simulation.months
    first, spare = state, None
    while not state.finished:
        previous, state = state, _step(state, {}, spare)
        # The states in between are this loop's own: the beliefs of the one just left make next month's
        # output, so the agents' largest array is not allocated (and its memory faulted in) anew each month.
        spare = None if previous is first else previous.beliefs
        if progress is not None:
            progress(state.month, total)
    return state
