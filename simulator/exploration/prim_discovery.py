"""PRIM scenario discovery on a sweep (or any table of inputs): the trajectory, a chosen box, its inspection.

    found = prim(results, "total_released > 300 and net_change_in_prisoners <= 0")
    found.trajectory      # one row per box: coverage, density, mass, restricted inputs
    found.inspect()       # the chosen box's limits with quasi-p-values
    found.figure()        # the coverage-density trajectory (Plotly)

See `prim` for the method itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .conditions import cases_of_interest
from .prim import Box, Inputs, box_statistics, full_box, paste, peel, quasi_p_values, read_inputs, restricted
from .sweeps import SweepResults


@dataclass(frozen=True)
class PrimSettings:
    """How PRIM peels and pastes, and which box on the trajectory it reports by default."""

    peel_alpha: float = 0.05
    paste_alpha: float = 0.05
    min_mass: float = 0.05
    target_density: float = 0.8

    def check(self) -> None:
        """Raise ValueError naming each setting out of its allowed range."""
        problems = [
            f"{name}: {value} must be above 0 and below {limit}"
            for name, value, limit in (
                ("peel_alpha", self.peel_alpha, 0.5),
                ("paste_alpha", self.paste_alpha, 0.5),
                ("min_mass", self.min_mass, 1.0),
            )
            if not 0 < value < limit
        ]
        if not 0 < self.target_density <= 1:
            problems.append(f"target_density: {self.target_density} must be above 0 and at most 1")
        if problems:
            raise ValueError("; ".join(problems))


@dataclass(frozen=True)
class PrimResult:
    """The coverage-density trajectory of PRIM boxes, and the box chosen from it (`chosen`)."""

    condition: str
    base_rate: float
    inputs: Inputs
    cases: np.ndarray
    boxes: tuple[Box, ...]
    stages: tuple[str, ...]
    chosen: int

    @property
    def trajectory(self) -> pd.DataFrame:
        """One row per box: box, stage (start, peel, paste), points, cases, coverage, density, mass, restricted."""
        rows = [
            {"box": i, "stage": stage, **box_statistics(self.inputs, self.cases, box)}
            for i, (box, stage) in enumerate(zip(self.boxes, self.stages, strict=True))
        ]
        return pd.DataFrame(rows)

    def inspect(self, box: int | None = None) -> pd.DataFrame:
        """One row per input the box limits: low and high (continuous) or levels (categorical), and quasi-p-value."""
        chosen = self._box(box)
        qp = quasi_p_values(self.inputs, self.cases, chosen)
        rows = []
        for name in restricted(self.inputs, chosen):
            low, high, levels = _limit(self.inputs, chosen, name)
            rows.append({"factor": name, "low": low, "high": high, "levels": levels, "qp": qp[name]})
        return pd.DataFrame(rows, columns=["factor", "low", "high", "levels", "qp"])

    def statistics(self, box: int | None = None) -> dict[str, float]:
        """Points, cases, coverage, density, mass and restricted inputs of one box (the chosen one by default)."""
        return box_statistics(self.inputs, self.cases, self._box(box))

    def rule(self, box: int | None = None) -> str:
        """The box's limits as text, e.g. '0.2 <= regime.pardons.release_cost <= 0.6 and eu.policy.kind in {...}'."""
        chosen = self._box(box)
        parts = []
        for name in restricted(self.inputs, chosen):
            parts.append(_limit_text(self.inputs, chosen, name))
        return " and ".join(parts) if parts else "anywhere in the design"

    def contains(self, box: int | None = None) -> np.ndarray:
        """Which design points lie inside a box (the chosen one by default), shape (points,)."""
        return self._box(box).contains(self.inputs)

    def figure(self):
        """The coverage-density trajectory as a Plotly figure; the chosen box is marked."""
        return trajectory_figure(self)

    def _box(self, box: int | None) -> Box:
        index = self.chosen if box is None else box
        if not 0 <= index < len(self.boxes):
            raise ValueError(f"box: {index} is not on the trajectory; choose 0 to {len(self.boxes) - 1}")
        return self.boxes[index]


def prim(
    results: SweepResults, condition: str, statistic: str = "mean", settings: PrimSettings | None = None
) -> PrimResult:
    """PRIM on a sweep: boxes of factor values where `condition` holds for `statistic` at a design point."""
    table = results.table(statistic)
    cases = cases_of_interest(results, condition, statistic)
    continuous = [f for f in results.factors if not f.discrete]
    categorical = [f for f in results.factors if f.discrete]
    inputs = read_inputs(
        table,
        [f.path for f in continuous],
        [f.path for f in categorical],
        ranges={f.path: f.bounds for f in continuous},
        levels={f.path: f.levels for f in categorical},
    )
    return find_boxes(inputs, cases, condition, settings)


def prim_table(
    table: pd.DataFrame,
    cases: np.ndarray | Sequence[bool],
    categorical: Sequence[str] = (),
    *,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    settings: PrimSettings | None = None,
) -> PrimResult:
    """PRIM on any table of inputs: every column not listed as categorical is read as a number."""
    cases = np.asarray(cases, dtype=bool)
    if cases.shape != (len(table),):
        raise ValueError(f"cases: {cases.shape[0] if cases.ndim else 0} values for a table of {len(table)} rows")
    continuous = [c for c in table.columns if c not in categorical]
    return find_boxes(read_inputs(table, continuous, categorical, ranges), cases, "cases given", settings)


def find_boxes(inputs: Inputs, cases: np.ndarray, condition: str, settings: PrimSettings | None = None) -> PrimResult:
    """Peel from the full box, paste the last box, and choose one box on the trajectory."""
    settings = settings or PrimSettings()
    settings.check()
    if inputs.points == 0:
        raise ValueError("inputs: the design has no points")
    if not cases.any():
        raise ValueError(f"condition: {condition!r} holds at no design point; PRIM needs some cases of interest")
    peeled = peel(inputs, cases, full_box(inputs), settings.peel_alpha, settings.min_mass)
    pasted = paste(inputs, cases, peeled[-1], settings.paste_alpha)
    boxes = (*peeled, *pasted)
    stages = ("start", *["peel"] * (len(peeled) - 1), *["paste"] * len(pasted))
    chosen = _choose(inputs, cases, boxes, settings.target_density)
    return PrimResult(condition, float(cases.mean()), inputs, cases, boxes, stages, chosen)


def _choose(inputs: Inputs, cases: np.ndarray, boxes: Sequence[Box], target_density: float) -> int:
    """The box with the most coverage among those dense enough; if none is, the densest box."""
    stats = [box_statistics(inputs, cases, box) for box in boxes]
    dense = [i for i, s in enumerate(stats) if s["density"] >= target_density]
    if dense:
        return max(dense, key=lambda i: (stats[i]["coverage"], -i))
    return max(range(len(stats)), key=lambda i: (stats[i]["density"], stats[i]["coverage"]))


def _limit(inputs: Inputs, box: Box, name: str) -> tuple[float, float, str]:
    if name in inputs.continuous:
        j = inputs.continuous.index(name)
        return float(box.low[j]), float(box.high[j]), ""
    k = inputs.categorical.index(name)
    allowed = [str(level) for level, keep in zip(inputs.levels[k], box.allowed[k], strict=True) if keep]
    return np.nan, np.nan, ", ".join(allowed)


def _limit_text(inputs: Inputs, box: Box, name: str) -> str:
    """One restriction as text, naming only the sides the box actually limits."""
    low, high, levels = _limit(inputs, box, name)
    if levels:
        return f"{name} in {{{levels}}}"
    j = inputs.continuous.index(name)
    if low > inputs.low[j] and high < inputs.high[j]:
        return f"{low:.3g} <= {name} <= {high:.3g}"
    return f"{name} >= {low:.3g}" if low > inputs.low[j] else f"{name} <= {high:.3g}"


def trajectory_figure(result: PrimResult):
    """Coverage (x) against density (y) for every box on the PRIM trajectory, coloured by restricted inputs."""
    import plotly.express as px

    trajectory = result.trajectory
    figure = px.scatter(
        trajectory,
        x="coverage",
        y="density",
        color="restricted",
        hover_data=["box", "stage", "points", "mass"],
        color_continuous_scale="Viridis",
        title=f"PRIM trajectory: {result.condition}",
    )
    figure.add_scatter(
        x=trajectory["coverage"], y=trajectory["density"], mode="lines", line={"color": "lightgrey"}, showlegend=False
    )
    chosen = trajectory.iloc[result.chosen]
    figure.add_scatter(
        x=[chosen["coverage"]],
        y=[chosen["density"]],
        mode="markers",
        marker={"symbol": "circle-open", "size": 16, "color": "crimson"},
        name=f"chosen box {result.chosen}",
    )
    figure.update_layout(
        xaxis={"range": [0, 1.02], "title": "coverage (share of all cases inside the box)"},
        yaxis={"range": [0, 1.02], "title": "density (share of the box's points that are cases)"},
        coloraxis_colorbar={"title": "restricted inputs"},
    )
    return figure
