"""Policy comparison under uncertainty: each EU policy's outcomes across the uncertain worlds, and its regret.

A sweep that crosses the policy levels with a sample of uncertain parameters runs every policy in the
same worlds (same parameter values, and the same random numbers by default). In each world the best
policy sets the mark; a policy's regret there is how far it falls short of that mark. A robust policy
has a small regret everywhere, not just a good average.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from .sweeps import SweepResults

TIES_NOTE = (
    "share_best counts a world for every policy tied for best there, so it can sum to more than 1; "
    "share_sole_best counts only worlds where the policy alone is best (it sums to at most 1)."
)


@dataclass(frozen=True)
class PolicyComparison:
    """Per-policy outcome distribution and regret (`summary`), and the regret in every world (`regret`).

    In `summary`, `share_best` is the share of worlds where the policy is best or tied for best (ties count
    for every tied policy, so the column can sum to more than 1); `share_sole_best` counts only the worlds
    where it alone is best. In `regret`, `tied_for_best` says how many policies share the best value there.
    """

    indicator: str
    better: str
    lever: tuple[str, ...]
    summary: pd.DataFrame
    regret: pd.DataFrame


def compare_policies(
    results: SweepResults,
    indicator: str,
    lever: str | list[str] = "eu.policy.kind",
    *,
    better: Literal["higher", "lower"] = "higher",
    statistic: str = "mean",
) -> PolicyComparison:
    """Compare the levels of a policy lever (one or more discrete factors) across every uncertain world.

    A world is a row of the continuous sample together with the levels of any other discrete factors.
    `better` says whether a higher or a lower indicator is preferred (e.g. lower for prisoner_months).
    """
    levers = (lever,) if isinstance(lever, str) else tuple(lever)
    discrete = [f.path for f in results.factors if f.discrete]
    missing = [path for path in levers if path not in discrete]
    if missing:
        raise ValueError(f"lever: {missing} must be factors with levels in the design; it has {discrete}")
    if better not in ("higher", "lower"):
        raise ValueError(f"better: {better!r} is not allowed; choose 'higher' or 'lower'")
    table = results.table(statistic)
    if indicator not in results.indicators:
        raise ValueError(f"indicator: {indicator!r} is not one of {results.indicators}")
    world = ["sample", *[p for p in discrete if p not in levers]]
    frame = table[[*world, *levers, indicator]].rename(columns={indicator: "value"})
    frame["policy"] = frame[list(levers)].astype(str).agg(" / ".join, axis=1)
    best = frame.groupby(world)["value"].transform("max" if better == "higher" else "min")
    frame["best"] = best
    frame["regret"] = (best - frame["value"]).abs()
    # Ties are common with common random numbers (e.g. two policies that never engage): say so in the table.
    frame["tied_for_best"] = frame.groupby(world)["regret"].transform(lambda r: int((r == 0).sum()))
    _check_complete(frame, world)
    return PolicyComparison(indicator, better, levers, _summary(frame), frame.reset_index(drop=True))


def _check_complete(frame: pd.DataFrame, world: list[str]) -> None:
    counts = frame.groupby(world)["policy"].nunique()
    if counts.nunique() != 1:
        raise ValueError("design: not every policy was run in every world; cross the lever's levels with the sample")


def _sole_best(group: pd.DataFrame) -> float:
    return float(np.mean((group["regret"] == 0) & (group["tied_for_best"] == 1)))


def _summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per policy: outcome quantiles, mean and max regret, and how often it is best (see TIES_NOTE)."""
    by = frame.groupby("policy", sort=False)
    summary = pd.DataFrame(
        {
            "mean": by["value"].mean(),
            "q05": by["value"].quantile(0.05),
            "q50": by["value"].median(),
            "q95": by["value"].quantile(0.95),
            "mean_regret": by["regret"].mean(),
            "max_regret": by["regret"].max(),
            "share_best": by["regret"].apply(lambda r: float(np.mean(r == 0))),
            "share_sole_best": by[["regret", "tied_for_best"]].apply(_sole_best),
        }
    )
    return summary.sort_values(["max_regret", "mean_regret"], kind="stable").reset_index()
