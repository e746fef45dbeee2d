"""A bridge to EMA Workbench: the simulator as an EMA-style model, and sweep results as EMA's (experiments, outcomes).

EMA Workbench (Kwakkel 2017) sees a model as a function of named uncertainties and levers that returns
named outcomes. `ScenarioFunction` is that function for the simulator; `ema_model` wraps it in EMA's
`Model` with its uncertainties, levers and outcomes declared (it needs ema_workbench installed).
`to_ema` turns a finished sweep into the `(experiments, outcomes)` pair that EMA's analyses (prim, cart,
feature scoring, regional sensitivity, plots) take, so a sweep run here is analysed there without re-running.

EMA wants parameter names that are Python identifiers, so a dotted path becomes `regime__pardons__release_cost`
(dots to double underscores); `path_of` turns it back.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..core.parameters import parameter_table
from ..core.runner import simulate
from ..core.scenarios import with_overrides
from ..core.schema import Scenario
from ..extras import require
from .designs import Factor, ResolvedFactor, resolve_factors, validate_design
from .sweeps import SweepResults

DEFAULT_OUTCOMES = ("total_released", "total_newly_imprisoned", "net_change_in_prisoners", "prisoner_months")
DEFAULT_LEVERS = ("eu.policy.kind",)
_STATISTICS = ("mean", "median", "std", "q05", "q95")


def ema_name(path: str) -> str:
    """EMA's name for a dotted parameter path: 'regime.pardons.release_cost' -> 'regime__pardons__release_cost'."""
    return path.replace(".", "__")


def path_of(name: str) -> str:
    """The dotted parameter path of an EMA name: 'regime__pardons__release_cost' -> 'regime.pardons.release_cost'."""
    return name.replace("__", ".")


@dataclass(frozen=True)
class ScenarioFunction:
    """The simulator as an EMA-style function: keyword arguments by EMA name in, a dict of named outcomes out.

    Each call simulates the base scenario with the given parameters, `replications` times from `seed`
    (the same seed for every call: common random numbers), and returns each outcome's `statistic` over
    the replications.
    """

    scenario_json: str
    replications: int = 20
    seed: int = 2024
    outcomes: tuple[str, ...] = DEFAULT_OUTCOMES
    statistic: str = "mean"

    def __post_init__(self):
        if self.statistic not in _STATISTICS:
            raise ValueError(f"statistic: {self.statistic!r} is not one of {list(_STATISTICS)}")
        if self.replications < 1:
            raise ValueError(f"replications: {self.replications} is below the minimum 1")

    @cached_property
    def base(self) -> Scenario:
        """The base scenario, read once."""
        return Scenario.model_validate_json(self.scenario_json)

    def __call__(self, **inputs) -> dict[str, float]:
        """Run the model at these inputs (EMA names) and return {outcome: value}."""
        overrides = {path_of(name): _plain(value) for name, value in inputs.items()}
        summary = simulate(with_overrides(self.base, overrides), self.replications, self.seed).summary
        unknown = [o for o in self.outcomes if o not in summary.columns]
        if unknown:
            raise ValueError(f"outcomes: {unknown} are not indicators; choose from {list(summary.columns[1:])}")
        return {name: _statistic(summary[name], self.statistic) for name in self.outcomes}


def _plain(value):
    """EMA hands numpy scalars; the scenario schema wants plain Python values."""
    return value.item() if isinstance(value, np.generic) else value


def _statistic(values: pd.Series, statistic: str) -> float:
    if statistic.startswith("q"):
        return float(values.quantile(int(statistic[1:]) / 100))
    return float(getattr(values, statistic)())


def resolved_factors(base: Scenario, factors: Mapping[str, Mapping | Factor]) -> list[ResolvedFactor]:
    """Factors by dotted path (as in a design: a range, levels, or {} for the schema's range), checked."""
    design = validate_design({"kind": "latin_hypercube", "points": 1, "factors": dict(factors)})
    return resolve_factors(design, {info.path: info for info in parameter_table(Scenario)})


def ema_model(
    base: Scenario,
    factors: Mapping[str, Mapping | Factor],
    *,
    levers: Sequence[str] = DEFAULT_LEVERS,
    outcomes: Sequence[str] = DEFAULT_OUTCOMES,
    replications: int = 20,
    seed: int = 2024,
    name: str = "simulator",
):
    """An EMA Workbench `Model` of the simulator: `factors` not in `levers` are its uncertainties."""
    ema = require("ema_workbench", "ema")
    resolved = resolved_factors(base, factors)
    missing = [lever for lever in levers if lever not in factors]
    if missing:
        raise ValueError(f"levers: {missing} are not among the factors {list(factors)}")
    function = ScenarioFunction(base.model_json(), replications, seed, tuple(outcomes))
    model = ema.Model(name, function=function)
    model.uncertainties = [_ema_parameter(ema, f) for f in resolved if f.path not in levers]
    model.levers = [_ema_parameter(ema, f) for f in resolved if f.path in levers]
    model.outcomes = [ema.ScalarOutcome(o) for o in outcomes]
    return model


def _ema_parameter(ema, factor: ResolvedFactor):
    name = ema_name(factor.path)
    if factor.discrete:
        return ema.CategoricalParameter(name, list(factor.levels))
    low, high = factor.bounds
    if factor.integer:
        return ema.IntegerParameter(name, int(low), int(high))
    return ema.RealParameter(name, low, high)


def to_ema(
    results: SweepResults, statistic: str = "mean", levers: Sequence[str] = DEFAULT_LEVERS
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """A sweep as EMA's (experiments, outcomes): one experiment row per design point, one array per indicator.

    `experiments` has a column per factor (EMA names), then `scenario` (the world: the row of the
    continuous sample and any non-lever discrete levels), `policy` (the levels of the `levers` present,
    joined by ' / ') and `model`; discrete factors are categorical columns, as EMA writes them. With
    ema_workbench installed, each indicator is declared as an EMA scalar outcome, so EMA's `save_results`
    (which looks outcomes up by name) writes the pair as it writes its own.
    """
    table = results.table(statistic)
    experiments = pd.DataFrame({ema_name(f.path): _column(table, f) for f in results.factors})
    present = [f.path for f in results.factors if f.path in levers]
    worlds = ["sample", *[f.path for f in results.factors if f.discrete and f.path not in present]]
    experiments["scenario"] = table.groupby(worlds, sort=False, observed=True).ngroup().to_numpy()
    experiments["policy"] = table[present].astype(str).agg(" / ".join, axis=1) if present else "none"
    experiments["model"] = results.metadata.get("model", "scenario")
    outcomes = {indicator: table[indicator].to_numpy(dtype=float) for indicator in results.indicators}
    _declare_outcomes(results.indicators)
    return experiments, outcomes


def _declare_outcomes(names: Sequence[str]) -> None:
    """Declare scalar outcomes to EMA's registry (EMA 2.5 and 3.x fill it as outcomes are made), if installed."""
    try:
        ema_outcomes = importlib.import_module("ema_workbench.em_framework.outcomes")
    except ImportError:
        return  # without EMA nothing reads the registry
    for name in names:
        ema_outcomes.ScalarOutcome(name)


def _column(table: pd.DataFrame, factor: ResolvedFactor) -> pd.Series:
    if factor.discrete:
        return pd.Categorical(table[factor.path], categories=list(factor.levels))
    return table[factor.path].to_numpy(dtype=float)
