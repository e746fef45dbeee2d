"""Global sensitivity analysis of a sweep: which parameters drive an indicator (Sobol indices, Morris screening).

SALib has no categorical inputs, so a sweep with discrete factors (e.g. the EU policy kind) is analysed
once per combination of their levels: each combination has its own complete SALib sample (the design
crosses every level with the same sample), and the table says which combination each row belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..extras import require
from .designs import SENSITIVITY_KINDS, salib_problem
from .sweeps import SweepResults

_SOBOL_COLUMNS = ["S1", "S1_conf", "ST", "ST_conf"]
_MORRIS_COLUMNS = ["mu", "mu_star", "mu_star_conf", "sigma"]


@dataclass(frozen=True)
class SensitivityResult:
    """Sensitivity indices of one indicator: a table with one row per factor (and per discrete combination)."""

    method: str
    indicator: str
    statistic: str
    table: pd.DataFrame
    by: tuple[str, ...] = ()

    def figure(self):
        """Bar chart of the indices with their confidence intervals (a Plotly figure)."""
        return sensitivity_figure(self)


def sensitivity(
    results: SweepResults, indicator: str, statistic: str = "mean", *, resamples: int = 100, conf_level: float = 0.95
) -> SensitivityResult:
    """Sobol indices (first-order S1 and total ST, with confidence intervals) or Morris screening of an indicator.

    The method follows the sweep's design: `sobol_sensitivity` gives Sobol indices, `morris` gives Morris
    mu* and sigma. `statistic` picks what is analysed at each point (mean over replications by default).
    """
    design = results.spec.design
    if design.kind not in SENSITIVITY_KINDS:
        raise ValueError(
            f"design.kind: {design.kind!r} cannot be analysed; run a sweep with kind {' or '.join(SENSITIVITY_KINDS)}"
        )
    if not 0 < conf_level < 1:
        raise ValueError(f"conf_level: {conf_level} must be between 0 and 1")
    problem = salib_problem(results.factors)
    discrete = [f.path for f in results.factors if f.discrete]
    values = results.table(statistic)
    if indicator not in results.indicators:
        raise ValueError(f"indicator: {indicator!r} is not one of {results.indicators}")
    parts = []
    for levels, group in _by_levels(values, discrete):
        group = group.sort_values("point")
        y = group[indicator].to_numpy(dtype=float)
        x = group[problem["names"]].to_numpy(dtype=float)
        analyse = _sobol if design.kind == "sobol_sensitivity" else _morris
        frame = analyse(problem, x, y, design, resamples, conf_level, results.spec.seed)
        parts.append(frame.assign(**levels))
    table = pd.concat(parts, ignore_index=True)
    table = table[[*discrete, "factor", *[c for c in table.columns if c not in (*discrete, "factor")]]]
    method = "sobol" if design.kind == "sobol_sensitivity" else "morris"
    return SensitivityResult(method, indicator, statistic, table, tuple(discrete))


def _by_levels(values: pd.DataFrame, discrete: list[str]):
    if not discrete:
        yield {}, values
        return
    for key, group in values.groupby(discrete, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        yield dict(zip(discrete, key, strict=True)), group


def _sobol(problem, x, y, design, resamples, conf_level, seed) -> pd.DataFrame:
    names = problem["names"]
    if np.ptp(y) == 0:
        # A constant indicator has no variance to apportion: no parameter drives it.
        return pd.DataFrame({"factor": names, **{c: np.zeros(len(names)) for c in _SOBOL_COLUMNS}})
    indices = require("SALib.analyze.sobol", "analysis").analyze(
        problem, y, calc_second_order=design.second_order, num_resamples=resamples, conf_level=conf_level, seed=seed
    )
    return pd.DataFrame({"factor": names, **{c: np.asarray(indices[c], dtype=float) for c in _SOBOL_COLUMNS}})


def _morris(problem, x, y, design, resamples, conf_level, seed) -> pd.DataFrame:
    indices = require("SALib.analyze.morris", "analysis").analyze(
        problem, x, y, num_resamples=resamples, conf_level=conf_level, num_levels=design.morris_levels, seed=seed
    )
    return pd.DataFrame(
        {"factor": problem["names"], **{c: np.asarray(indices[c], dtype=float) for c in _MORRIS_COLUMNS}}
    )


def sensitivity_figure(result: SensitivityResult):
    """Bar chart of Sobol S1 and ST (or Morris mu* and sigma) per factor, with confidence intervals as error bars."""
    import plotly.express as px

    table = result.table.copy()
    discrete = list(result.by)
    table["levels"] = table[discrete].astype(str).agg(", ".join, axis=1) if discrete else "all"
    if result.method == "sobol":
        long = pd.concat(
            [
                table.assign(index="first order (S1)", value=table["S1"], interval=table["S1_conf"]),
                table.assign(index="total (ST)", value=table["ST"], interval=table["ST_conf"]),
            ]
        )
        title = f"Sobol indices of {result.indicator} ({result.statistic})"
    else:
        long = pd.concat(
            [
                table.assign(index="mu* (overall effect)", value=table["mu_star"], interval=table["mu_star_conf"]),
                table.assign(index="sigma (non-linear or interacting)", value=table["sigma"], interval=0.0),
            ]
        )
        title = f"Morris screening of {result.indicator} ({result.statistic})"
    figure = px.bar(
        long,
        x="factor",
        y="value",
        color="index",
        error_y="interval",
        barmode="group",
        facet_row="levels" if discrete else None,
        title=title,
    )
    figure.update_layout(xaxis_title="parameter", yaxis_title="index", legend_title_text="")
    return figure
