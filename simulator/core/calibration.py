"""Calibration to the observed 2024 figures: the targets, the fit measure and the optimiser."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from .model import run_to_end, start
from .record import RECORD_END, RECORD_PRESET, record_targets, target_values
from .runner import simulate
from .scenarios import load_preset, with_overrides
from .schema import Scenario, month_index
from .shipped import DATA, shipped

# How close the issue asks each figure to be: pardons within 30%, stocks within 3%, arrests within 25%.
TOLERANCE = {"pardoned": 0.30, "political_prisoners_end_of_month": 0.03, "newly_recognised": 0.25}

# The point calibration to the record (model v3): the parameters the record informs, each a mechanism's own.
CALIBRATED = (
    "regime.pardons.holiday_share",
    "regime.pardons.election_weight",
    "regime.pardons.release_cost",
    "regime.pardons.max_release_share",
    "regime.pardons.petition_rate",
    "regime.pardons.occasion_election_eve",
    "regime.pardons.campaign_petitions",
    "regime.pardons.initial_petitioner_share",
    "regime.pardons.initial_willing_share",
    "regime.pardons.willing_share",
    "regime.deals.persons_per_relief",
    "regime.learning.relief_per_success",
    "regime.repression.base_arrests",
    "regime.repression.initial_at_risk",
    "regime.repression.pool_inflow",
    "regime.repression.election_repression",
    "regime.repression.mobilisation_response",
    "regime.sentences.early_cohort_completion_rate",
    "regime.sentences.completion_rate_ordinary",
)


def observed_2024() -> pd.DataFrame:
    """Viasna's monthly figures for January-September 2024 (prisoners, newly recognised, pardoned), with sources."""
    with shipped(DATA, "belarus_2024_calibration.csv").open() as handle:
        return pd.read_csv(handle)


@dataclass(frozen=True)
class Fit:
    """Simulated means next to the observed targets for the calibration months."""

    table: pd.DataFrame

    @property
    def loss(self) -> float:
        """Sum of squared relative errors, each scaled by its tolerance, over all targets."""
        return float(((self.table["relative_error"] / self.table["tolerance"]) ** 2).sum())

    @property
    def within_tolerance(self) -> bool:
        """Whether every simulated figure is within its tolerance of the observed one."""
        return bool((self.table["relative_error"].abs() <= self.table["tolerance"]).all())


def fit_to_2024(scenario: Scenario, replications: int = 300, seed: int = 7) -> Fit:
    """Compare a scenario's mean July-September 2024 path with the observed pardons, stocks and arrests."""
    observed = observed_2024().set_index("month")
    months = ("2024-07", "2024-08", "2024-09")
    # Only the observed months matter: simulate up to the last of them.
    horizon = max(
        1, min(scenario.simulation.months, month_index(months[-1]) - month_index(scenario.simulation.start) + 1)
    )
    short = with_overrides(scenario, {"simulation.months": horizon})
    simulated = simulate(short, replications, seed).monthly
    means = (
        simulated.assign(label=simulated["date"].dt.strftime("%Y-%m"))
        .groupby("label")[["pardoned", "prisoners", "newly_imprisoned"]]
        .mean()
    )
    rows = []
    for month in months:
        if month not in means.index:
            continue
        for name, column in (
            ("pardoned", "pardoned"),
            ("political_prisoners_end_of_month", "prisoners"),
            ("newly_recognised", "newly_imprisoned"),
        ):
            target = float(observed.loc[month, name])
            value = float(means.loc[month, column])
            rows.append(
                {
                    "month": month,
                    "figure": name,
                    "observed": target,
                    "simulated": value,
                    "relative_error": (value - target) / target,
                    "tolerance": TOLERANCE[name],
                }
            )
    return Fit(pd.DataFrame(rows))


def record_means(scenario: Scenario, replications: int = 200, seed: int = 7) -> pd.DataFrame:
    """Monthly means over runs of a scenario up to the end of the record, indexed by 'YYYY-MM'."""
    horizon = max(1, month_index(RECORD_END) - month_index(scenario.simulation.start) + 1)
    short = with_overrides(scenario, {"simulation.months": min(horizon, 120)})
    monthly = simulate(short, replications, seed).monthly
    return monthly.assign(label=monthly["date"].dt.strftime("%Y-%m")).groupby("label").mean(numeric_only=True)


def fit_to_record(
    scenario: Scenario | None = None, replications: int = 200, seed: int = 7, figures: tuple[str, ...] = ()
) -> Fit:
    """Compare a scenario's mean path with every target of the record to September 2025.

    By default the point calibration: as_it_happened with one parameter set (`uncertainty: none`).
    """
    if scenario is None:
        scenario = with_overrides(load_preset(RECORD_PRESET), {"simulation.uncertainty": "none"})
    means = record_means(scenario, replications, seed)
    rows = []
    for target in record_targets():
        if figures and not target.name.startswith(figures):
            continue
        if not set(target.months) <= set(means.index):
            continue
        value = target.simulated(means)
        rows.append(
            {
                "figure": target.name,
                "observed": target.observed,
                "simulated": value,
                "tolerance_persons": target.tolerance,
                "relative_error": (value - target.observed) / max(target.observed, 1.0),
                "tolerance": target.tolerance / max(target.observed, 1.0),
                "why": target.why,
            }
        )
    return Fit(pd.DataFrame(rows))


def calibrate(
    scenario: Scenario | None = None,
    replications: int = 100,
    seed: int = 7,
    paths=CALIBRATED,
    maxiter: int = 600,
    figures: tuple[str, ...] = (),
) -> dict[str, float]:
    """Find the parameters that best reproduce the record to September 2025 (Nelder-Mead on scaled errors).

    figures: fit only the targets whose names start with these (e.g. ('pardons',)); all by default.
    """
    base = scenario or with_overrides(load_preset(RECORD_PRESET), {"simulation.uncertainty": "none"})
    start = np.array([_get(base, p) for p in paths])
    integers = {p for p in paths if isinstance(_get_raw(base, p), int)}

    def candidate(scaled: np.ndarray) -> dict[str, float]:
        values = np.abs(scaled) * np.where(start == 0, 1.0, start) + np.where(start == 0, scaled - 1, 0)
        return {p: (round(v) if p in integers else float(v)) for p, v in zip(paths, values, strict=True)}

    def loss(scaled: np.ndarray) -> float:
        try:
            fitted = with_overrides(base, candidate(scaled))
        except ValueError:
            return 1e6
        return fit_to_record(fitted, replications, seed, figures).loss

    best = optimize.minimize(
        loss, np.ones_like(start), method="Nelder-Mead", options={"xatol": 1e-3, "fatol": 1e-3, "maxiter": maxiter}
    )
    return candidate(best.x)


def _get_raw(scenario: Scenario, path: str):
    node = scenario
    for part in path.split("."):
        node = getattr(node, part)
    return node


def _get(scenario: Scenario, path: str) -> float:
    return float(_get_raw(scenario, path))


def posterior_predictive(
    scenario: Scenario | None = None, runs: int = 1000, seed: int = 11, quantiles=(0.05, 0.95)
) -> pd.DataFrame:
    """Each target of the record against runs drawn from the shipped posterior: its mean, and its 90% band.

    One row per target: observed, the predictive mean and its tolerance (`mean_within`), and the band of the
    runs' values with whether the observed figure lies inside it (`inside_band`).
    """
    base = scenario or load_preset(RECORD_PRESET)
    horizon = max(1, month_index(RECORD_END) - month_index(base.simulation.start) + 1)
    short = with_overrides(base, {"simulation.months": horizon, "simulation.uncertainty": "posterior"})
    targets = record_targets()
    values = target_values(run_to_end(start(short, runs, seed)).history, short, targets)
    low, high = np.quantile(values, quantiles, axis=0)
    rows = []
    for i, target in enumerate(targets):
        mean = float(values[:, i].mean())
        rows.append(
            {
                "figure": target.name,
                "observed": target.observed,
                "predictive_mean": mean,
                "tolerance": target.tolerance,
                "mean_within": abs(mean - target.observed) <= target.tolerance,
                "band_low": float(low[i]),
                "band_high": float(high[i]),
                "inside_band": bool(low[i] <= target.observed <= high[i]),
            }
        )
    return pd.DataFrame(rows)
