"""What the record cannot pin down: the uncertain parameters, their priors, and the calibrated posterior.

The posterior is a sample of parameter sets shipped with the package (`data/posterior_record.csv`,
made by `scripts/calibrate_posterior.py`). A run with `simulation.uncertainty: posterior` gives
each replication one set, chosen by a draw that depends only on (seed, replication), so results
stay reproducible and independent of chunking. Parameters the scenario sets away from their
defaults are the user's assumptions and are kept, not drawn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from pydantic import BaseModel

from .schema import Scenario
from .shipped import DATA, shipped

POSTERIOR_FILE = "posterior_record.csv"
POSTERIOR_METADATA = "posterior_record.json"
# Which policy conclusions hold across the posterior, computed with it by scripts/model_results.py (posterior).
POSTERIOR_CONCLUSIONS = "posterior_conclusions.csv"


@dataclass(frozen=True)
class Prior:
    """A uniform prior over a parameter's plausible range, with the reason for that range."""

    path: str
    low: float
    high: float
    why: str


PRIORS: tuple[Prior, ...] = (
    Prior("regime.pardons.holiday_share", 0.6, 1.0, "the 2025 holiday pardons cleared most of the queue"),
    Prior("regime.pardons.campaign_petitions", 0.5, 4.0, "the 2024 campaign brought several times more petitions"),
    Prior("regime.pardons.petition_rate", 0.02, 0.06, "about 8-20 petitions a month outside a campaign"),
    Prior("regime.pardons.initial_willing_share", 0.15, 0.45, "judgement: many refuse to admit guilt"),
    Prior("regime.pardons.willing_share", 0.1, 0.4, "judgement: many refuse to admit guilt"),
    Prior("regime.pardons.election_weight", 1.5, 3.0, "pull of the campaign: its pardons ran to January 2025"),
    Prior("regime.pardons.release_cost", 0.1, 0.5, "cost of releasing: only the pardon series informs it"),
    Prior("regime.pardons.occasion_election_eve", 0.5, 1.0, "five of six campaign months had a pardon"),
    Prior("regime.deals.persons_per_relief", 1500.0, 3500.0, "three US deals (3, 14, 52 people) inform it"),
    Prior("regime.learning.relief_per_success", 0.02, 0.08, "how fast the US deals grew"),
    Prior("regime.repression.base_arrests", 30.0, 45.0, "Viasna recognised about 53 a month in late 2024"),
    Prior("regime.repression.initial_at_risk", 500.0, 1000.0, "recognitions fell to about 33 a month in 2025"),
    Prior("regime.repression.election_repression", 0.0, 1.0, "recognitions held up through the campaign"),
    Prior("regime.sentences.early_cohort_completion_rate", 0.04, 0.09, "2020-22 terms of two to five years"),
    Prior("regime.sentences.completion_rate_ordinary", 0.002, 0.015, "terms of three to ten years"),
    Prior("regime.pardons.pressure_response", -1.0, 1.0, "competing hypotheses: coercion works, or defiance"),
    Prior(
        "regime.repression.hostage_incentive",
        0.26,
        0.87,
        "Brandt, George and Sandler (2016): 26-87% more after concessions",
    ),
    Prior("audience.relief_persuasion", 0.2, 0.9, "judgement: no survey data in a controlled media space"),
    Prior("audience.rally_effect", -0.5, 0.6, "rally round the flag or erosion: the literature is split"),
    Prior("audience.hardship_cost", 0.0, 1.0, "judgement: how much felt sanctions cost the siege story"),
)
UNCERTAIN: tuple[str, ...] = tuple(p.path for p in PRIORS)


@dataclass(frozen=True)
class Posterior:
    """Parameter sets of the calibrated posterior: one row per set, one column per uncertain parameter.

    weights: (sets,) importance weights summing to 1 (equal for a resampled sample).
    """

    paths: tuple[str, ...]
    values: np.ndarray
    weights: np.ndarray | None = None

    def pick(self, uniforms: np.ndarray) -> np.ndarray:
        """Row of the set each replication uses, by the inverse CDF of the weights at its uniform."""
        if self.weights is None:
            return np.minimum((uniforms * self.size).astype(np.int64), self.size - 1)
        return np.minimum(np.searchsorted(np.cumsum(self.weights), uniforms, side="right"), self.size - 1)

    @property
    def effective_size(self) -> float:
        """Effective sample size of the weighted sets (Kish): how many equally weighted distinct sets they are worth.

        Repeated rows (a resampled set kept twice) count as one set with their weights summed.
        """
        weights = np.full(self.size, 1.0 / self.size) if self.weights is None else self.weights
        _, which = np.unique(self.values, axis=0, return_inverse=True)
        per_set = np.bincount(which.ravel(), weights=weights)
        return float(1.0 / np.sum(per_set**2))

    @property
    def size(self) -> int:
        """Number of parameter sets."""
        return self.values.shape[0]

    def frame(self) -> pd.DataFrame:
        """The sets as a DataFrame (columns are dotted parameter paths)."""
        return pd.DataFrame(self.values, columns=list(self.paths))


@lru_cache(maxsize=1)
def load_posterior() -> Posterior:
    """The shipped posterior sample (read once per process; the arrays are read-only)."""
    with shipped(DATA, POSTERIOR_FILE).open() as handle:
        frame = pd.read_csv(handle)
    values = frame[list(UNCERTAIN)].to_numpy(dtype=float)
    values.setflags(write=False)
    weights = None
    if "weight" in frame:
        weights = frame["weight"].to_numpy(dtype=float) / frame["weight"].sum()
        weights.setflags(write=False)
    return Posterior(UNCERTAIN, values, weights)


def posterior_metadata() -> dict:
    """How the shipped posterior was made: script, seed, run time, population, distances, observed data."""
    return json.loads(shipped(DATA, POSTERIOR_METADATA).read_text(encoding="utf-8"))


def posterior_conclusions() -> pd.DataFrame:
    """The share of posterior parameter sets in which each policy conclusion holds (shipped with the posterior)."""
    with shipped(DATA, POSTERIOR_CONCLUSIONS).open() as handle:
        return pd.read_csv(handle)


def varied_paths(scenario: Scenario) -> tuple[str, ...]:
    """The uncertain parameters a posterior run draws: those the scenario leaves at their defaults."""
    defaults = Scenario()
    return tuple(p for p in UNCERTAIN if _value(scenario, p) == _value(defaults, p))


def draw_parameters(scenario: Scenario, uniforms: np.ndarray, posterior: Posterior | None = None) -> dict:
    """Per-replication values of the drawn parameters, {path: (replications,) array}.

    uniforms: (replications,) one uniform per replication (from its own random stream) that
    picks its posterior set, so a replication's parameters never depend on the others.
    """
    if scenario.simulation.uncertainty != "posterior":
        return {}
    posterior = posterior or load_posterior()
    rows = posterior.pick(uniforms)
    return {path: posterior.values[rows, posterior.paths.index(path)] for path in varied_paths(scenario)}


def check_parameters(parameters: dict, replications: int) -> dict[str, np.ndarray]:
    """Validate explicit per-replication parameter values: known uncertain paths, one finite value per replication."""
    checked = {}
    for path, values in parameters.items():
        if path not in UNCERTAIN:
            raise ValueError(f"parameters: {path!r} is not an uncertain parameter; allowed: {', '.join(UNCERTAIN)}")
        values = np.asarray(values, dtype=float)
        if values.shape != (replications,) or not np.isfinite(values).all():
            raise ValueError(f"parameters: {path} needs {replications} finite values, got shape {values.shape}")
        checked[path] = values
    return checked


class Varied:
    """A parameter group whose drawn parameters are per-replication arrays; the others read from the group.

    values: {name or dotted name within the group: (replications,) array}; a dotted name
    (`pardons.release_cost`) makes the sub-group a Varied of its own.
    """

    def __init__(self, group: BaseModel, values: dict[str, np.ndarray]):
        self._group = group
        self._values = {k: v for k, v in values.items() if "." not in k}
        children: dict[str, dict[str, np.ndarray]] = {}
        for key, value in values.items():
            if "." in key:
                child, rest = key.split(".", 1)
                children.setdefault(child, {})[rest] = value
        self._children = {name: Varied(getattr(group, name), inner) for name, inner in children.items()}

    def __getattr__(self, name: str):
        own = self.__dict__
        if name in own["_values"]:
            return own["_values"][name]
        if name in own["_children"]:
            return own["_children"][name]
        return getattr(own["_group"], name)


def varied_group(scenario: Scenario, group: str, drawn: dict[str, np.ndarray]):
    """One parameter group (e.g. 'regime') with its drawn values as arrays, or the plain group if none are drawn."""
    values = {path.split(".", 1)[1]: v for path, v in drawn.items() if path.split(".", 1)[0] == group}
    plain = getattr(scenario, group)
    return Varied(plain, values) if values else plain


def _value(scenario: Scenario, path: str) -> object:
    node: object = scenario
    for part in path.split("."):
        node = getattr(node, part)
    return node
