"""Many parameter sets in one model run: the runs of several scenarios side by side along the replication axis.

A sweep runs the same scenario at thousands of design points. Stepping each point on its own pays
the model's fixed cost per month (a few dozen small array operations) thousands of times. Here the
points' replications are stacked into one state, with the parameters that differ between points
held as per-replication arrays, and stepped together. Every replication keeps its own random
streams (seed, replication index), so each point's results are identical to a run of its own.

Only parameters that the monthly step reads per replication may differ within a batch
(`PER_REPLICATION`): the regime's and the audience's, and each sender's numeric settings and
policy thresholds (friction, lag, sanctions weight and steps, engagement value, envoy visits,
priors, credibility, a rule's thresholds and window; `State.sender_values`). The others change
the model's structure or its labels and need separate runs: the audience's size and group
shares, the calendar, which senders take part and from when, a sender's name and key, its policy
kind, fixed action and schedule, and its ladder of relief items.
"""

from __future__ import annotations

import json
from dataclasses import fields, replace
from typing import Any

import numpy as np
import pandas as pd

from .audience import Audience
from .limits import BATCH_AGENTS
from .model import SENDER_GROUPS, State, run_to_end, start
from .results import monthly_frame, relief_per_person_released, summary_frame
from .scenarios import check_runnable
from .schema import Scenario
from .uncertainty import Varied, varied_paths

# Read only when the initial state is drawn: any value per point, as each point's start is drawn on its own.
_INITIAL = (
    "regime.leader_share",
    "regime.prominent_share",
    "regime.pardons.initial_petitioner_share",
    "regime.pardons.initial_willing_share",
    "regime.sentences.early_cohort_share",
    "regime.initial_released_at_home",
    "regime.initial_dependence",
    "regime.initial_stability",
    "audience.diet_spread",
    "audience.threshold_mean",
    "audience.threshold_spread",
    "audience.learning_rate",
    "audience.stubbornness",
    "audience.independent_media_reach",
    *(
        f"audience.{field}_{group}"
        for field in ("state_media", "initial_belief", "grievance")
        for group in ("supporter", "apolitical", "opposition")
    ),
)
# A sender's settings read only when the initial state is drawn.
_SENDER_INITIAL = ("initial_pressure", "initial_credibility")
# A sender's settings read by the monthly step through `State.senders`, which broadcasts per-replication arrays.
_SENDER_STEPPED = (
    "friction",
    "lag_months",
    "sanctions_weight",
    "tighten_step",
    "relief_step",
    "engagement_value",
    "erosion",
    "prior_belief",
    "prior_strength",
    "engage_credibility_cost",
    "firm_credibility_gain",
    "envoy_visit_rate",
    "policy.engage_threshold",
    "policy.tighten_threshold",
    "policy.all_free_threshold",
    "policy.window_months",
    "policy.net_release_step",
)
# Read by the monthly step through the state's parameter groups, which broadcast per-replication arrays.
_STEPPED = (
    "regime.pardons.release_cost",
    "regime.pardons.relief_sensitivity",
    "regime.pardons.pressure_response",
    "regime.pardons.mobilisation_penalty",
    "regime.pardons.election_weight",
    "regime.pardons.decision_softness",
    "regime.prominent_cost_multiplier",
    "regime.leader_cost_multiplier",
    "regime.pardons.max_release_share",
    "regime.pardons.petition_rate",
    "regime.learning.release_signal_threshold",
    "regime.learning.belief_memory",
    "regime.learning.refusal_memory",
    "regime.learning.hold_as_refusal",
    "regime.repression.base_arrests",
    "regime.repression.new_arrest_prominent_share",
    "regime.repression.rearrest_rate",
    "regime.pardons.deportation_share",
    "regime.sentences.completion_rate_ordinary",
    "regime.sentences.completion_rate_prominent",
    "regime.sentences.completion_rate_leaders",
    "regime.sentences.early_cohort_completion_rate",
    "regime.repression.mobilisation_response",
    "regime.repression.siege_repression",
    "regime.repression.hostage_incentive",
    "regime.repression.hostage_memory",
    "regime.repression.election_repression",
    "regime.deals.persons_per_relief",
    "regime.deals.leader_ask",
    "regime.deals.prominent_ask",
    "regime.pardons.holiday_share",
    "regime.pardons.campaign_petitions",
    "regime.pardons.willing_share",
    "regime.learning.relief_per_success",
    "regime.repression.hostage_reference",
    "regime.repression.pool_inflow",
    "regime.repression.initial_at_risk",
    "regime.repression.mobilised_inflow",
    "regime.repression.released_rejoin_share",
    "regime.deals.lumpiness",
    "regime.narratives.narrative_noise",
    "regime.pivot_rate",
    "regime.decoupling_rate",
    "regime.stability_from_acceptance",
    "regime.stability_from_mobilisation",
    "regime.stability_from_pressure",
    "regime.stability_from_dependence",
    "regime.stability_adjustment",
    "regime.pardons.occasion_new_year",
    "regime.pardons.occasion_victory_day",
    "regime.pardons.occasion_independence_day",
    "regime.pardons.occasion_unity_day",
    "regime.pardons.occasion_october_revolution",
    "regime.pardons.occasion_other_months",
    "regime.pardons.occasion_election_eve",
    "audience.credibility_consistent",
    "audience.credibility_contradicted",
    "audience.supporter_trust",
    "audience.relief_persuasion",
    "audience.unanswered_persuasion",
    "audience.rally_effect",
    "audience.hardship_cost",
    "audience.deterrence",
    "audience.social_proof",
    "audience.independent_critique",
)
_SENDERS = tuple(f"{group}.{name}" for group in SENDER_GROUPS for name in _SENDER_INITIAL + _SENDER_STEPPED)
PER_REPLICATION: frozenset[str] = frozenset(_INITIAL + _STEPPED + _SENDERS)
# Not a parameter, but set per point by sweeps: replications, seeds and the random streams are per point.
_PER_POINT_SETTINGS = frozenset({"simulation.replications", "simulation.seed"})


def batchable(path: str) -> bool:
    """Whether design points may differ in this dotted parameter path and still share one model run.

    Yes for the regime's and audience's per-replication parameters and a sender's numeric settings and
    rule thresholds; no for what shapes the run (which senders act and from when, a policy's kind,
    action or schedule, a ladder of relief items, the audience's size, the calendar).
    """
    return path in PER_REPLICATION or path in _PER_POINT_SETTINGS


def start_batch(scenarios: list[Scenario], replications: int, seeds: list[int]) -> State:
    """One state holding `replications` replications of every scenario, in order, each with its own streams.

    The scenarios may differ only in `PER_REPLICATION` parameters; anything else raises ValueError.
    """
    _check_same_structure(scenarios)
    states = [start(scenario, replications, seed) for scenario, seed in zip(scenarios, seeds, strict=True)]
    if len({tuple(state.drawn) for state in states}) > 1:
        raise ValueError("scenarios: the points draw different uncertain parameters from the posterior; run apart")
    first = states[0]
    stacked: dict[str, Any] = {
        f.name: np.concatenate([getattr(state, f.name) for state in states])
        for f in fields(State)
        if isinstance(getattr(first, f.name), np.ndarray)
    }
    return replace(
        first,
        **stacked,
        audience=_stack_audiences([state.audience for state in states]),
        regime_params=_stack_group(states, "regime", replications),
        audience_params=_stack_group(states, "audience", replications),
        sender_values=_sender_values(scenarios, replications),
        drawn={path: np.concatenate([state.drawn[path] for state in states]) for path in first.drawn},
    )


def simulate_batch(
    scenarios: list[Scenario], replications: int, seeds: list[int], monthly: bool = False
) -> list[tuple[pd.DataFrame, pd.DataFrame | None]]:
    """Each scenario's per-replication summary (and monthly rows if asked), as separate runs would give them.

    Scenarios are run together in batches of at most `BATCH_AGENTS` agents; under the posterior,
    those that draw different uncertain parameters (because they set some themselves) run apart.
    """
    for scenario in scenarios:
        check_runnable(scenario, replications)
    results: list = [None] * len(scenarios)
    for batch in _batches(scenarios, replications):
        chosen = [scenarios[i] for i in batch]
        for i, rows in zip(batch, _run_batch(chosen, replications, [seeds[i] for i in batch], monthly), strict=True):
            results[i] = rows
    return results


def _batches(scenarios: list[Scenario], replications: int) -> list[list[int]]:
    """Indices of scenarios that run together: same drawn parameters, at most BATCH_AGENTS agents at once."""
    by_drawn: dict[tuple, list[int]] = {}
    for i, scenario in enumerate(scenarios):
        by_drawn.setdefault(
            varied_paths(scenario) if scenario.simulation.uncertainty == "posterior" else (), []
        ).append(i)
    size = max(1, BATCH_AGENTS // (replications * scenarios[0].audience.size))
    return [group[a : a + size] for group in by_drawn.values() for a in range(0, len(group), size)]


def _run_batch(scenarios: list[Scenario], replications: int, seeds: list[int], monthly: bool) -> list:
    final = run_to_end(start_batch(scenarios, replications, seeds))
    months = monthly_frame(final.history, scenarios[0], 0, headlines=monthly)
    summary = summary_frame(months, scenarios[0])
    # The first point's sanctions weights stand in summary_frame; each point's rows need their own.
    summary["relief_per_person_released"] = relief_per_person_released(
        summary, _sanctions_weights(scenarios, replications)
    )
    for path, values in final.drawn.items():
        summary[path] = values
    return [
        (
            _point_rows(summary, i, replications, 1),
            _point_rows(months, i, replications, len(final.history)) if monthly else None,
        )
        for i in range(len(scenarios))
    ]


def _sanctions_weights(scenarios: list[Scenario], replications: int) -> dict[str, np.ndarray]:
    """Each sender's sanctions weight on every row of a batch's summary, {key: (points x replications,)}."""
    weights = zip(*([s.sanctions_weight for s in scenario.senders()] for scenario in scenarios), strict=True)
    keys = [sender.key for sender in scenarios[0].senders()]
    return {key: np.repeat(np.array(by_point), replications) for key, by_point in zip(keys, weights, strict=True)}


def _point_rows(frame: pd.DataFrame, point: int, replications: int, rows_each: int) -> pd.DataFrame:
    """The rows of one point's replications (the frame is replication-major), numbered from 0 as in a run of its own."""
    size = replications * rows_each
    rows = frame.iloc[point * size : (point + 1) * size].reset_index(drop=True)
    rows["replication"] = rows["replication"].to_numpy() - point * replications
    return rows


def _check_same_structure(scenarios: list[Scenario]) -> None:
    """Refuse scenarios that differ in anything a per-replication array cannot carry."""
    first = _flat(scenarios[0])
    for scenario in scenarios[1:]:
        differing = sorted(p for p, v in _flat(scenario).items() if v != first.get(p) and not batchable(p))
        if differing:
            raise ValueError(f"scenarios: cannot share one run, they differ in {', '.join(differing)}")


def _flat(scenario: Scenario) -> dict:
    return _flatten(scenario.model_dump(mode="json", exclude={"meta"}))


def _flatten(values: dict, prefix: str = "") -> dict:
    """Every parameter of a dumped scenario by dotted path (groups within groups included)."""
    flat = {}
    for key, value in values.items():
        if isinstance(value, dict) and key != "schedule":
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = json.dumps(value, sort_keys=True) if isinstance(value, (list, dict)) else value
    return flat


def _attribute(group, dotted: str):
    for part in dotted.split("."):
        group = getattr(group, part)
    return group


def _stack_audiences(audiences: list[Audience]) -> Audience:
    """The agents of every point side by side; their group sizes match (checked in `_check_same_structure`)."""
    arrays = {
        f.name: np.concatenate([getattr(a, f.name) for a in audiences])
        for f in fields(Audience)
        if f.name != "group_bounds"
    }
    return Audience(group_bounds=audiences[0].group_bounds, **arrays)


def _sender_values(scenarios: list[Scenario], replications: int) -> dict[str, dict[str, np.ndarray]]:
    """Each sender's stepped settings that differ between points, as per-replication arrays (points in order)."""
    values = {}
    for group in SENDER_GROUPS:
        senders = [getattr(scenario, group) for scenario in scenarios]
        differing = {
            name: np.repeat(np.array([_attribute(sender, name) for sender in senders]), replications)
            for name in _SENDER_STEPPED
            if len({_attribute(sender, name) for sender in senders}) > 1
        }
        if differing:
            values[group] = differing
    return values


def _stack_group(states: list[State], group: str, replications: int):
    """A parameter group whose values that differ between points (or are drawn) are per-replication arrays."""
    groups = [getattr(state, f"{group}_params") for state in states]
    plain = getattr(states[0].scenario, group)
    names = [path.split(".", 1)[1] for path in PER_REPLICATION if path.startswith(f"{group}.")]
    varying = {
        name: np.concatenate([np.broadcast_to(np.asarray(_attribute(g, name)), (replications,)) for g in groups])
        for name in names
        if isinstance(_attribute(groups[0], name), np.ndarray) or len({_attribute(g, name) for g in groups}) > 1
    }
    return Varied(plain, varying) if varying else plain
