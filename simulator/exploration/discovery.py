"""Scenario discovery: which regions of the parameter space lead to an outcome of interest.

The outcome is a condition on indicators at each design point, e.g. "total_released > 300 and
net_change_in_prisoners <= 0". A shallow decision tree (scikit-learn) splits the design into boxes; the
boxes where the outcome is the rule are reported as readable limits on the parameters, with their
coverage (share of all cases of interest that fall in the box) and density (share of the box's points
that are cases of interest), as in PRIM.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..extras import require
from .conditions import Clause, cases_of_interest, parse_condition
from .designs import ResolvedFactor
from .sweeps import SweepResults

__all__ = ["Clause", "Discovery", "discover", "parse_condition"]


@dataclass(frozen=True)
class Discovery:
    """Boxes of the parameter space where the outcome of interest is the rule."""

    condition: str
    base_rate: float
    boxes: pd.DataFrame
    limits: pd.DataFrame


def discover(
    results: SweepResults, condition: str, statistic: str = "mean", *, max_depth: int = 3, min_share: float = 0.05
) -> Discovery:
    """Find boxes of parameter values where `condition` holds for the indicator `statistic` at a design point.

    `max_depth` bounds how many limits a box has; `min_share` is the smallest share of points a box may hold.
    """
    if not 1 <= max_depth <= 10:
        raise ValueError(f"max_depth: {max_depth} must be between 1 and 10")
    if not 0 < min_share < 0.5:
        raise ValueError(f"min_share: {min_share} must be between 0 and 0.5")
    tree_module = require("sklearn.tree", "analysis")
    table = results.table(statistic)
    cases = cases_of_interest(results, condition, statistic)
    features = _features(table, results.factors)
    tree = tree_module.DecisionTreeClassifier(
        max_depth=max_depth, min_samples_leaf=max(1, math.ceil(min_share * len(table))), random_state=0
    )
    tree.fit(features.to_numpy(dtype=float), cases)
    boxes, limits = _boxes(tree, features, cases, results.factors)
    return Discovery(condition, float(cases.mean()), boxes, limits)


def _features(table: pd.DataFrame, factors: list[ResolvedFactor]) -> pd.DataFrame:
    """Continuous factors as they are; each level of a discrete factor as a 0/1 column 'path=level'."""
    columns = {}
    for f in factors:
        if f.discrete:
            for level in f.levels:
                columns[f"{f.path}={level}"] = (table[f.path] == level).astype(float)
        else:
            columns[f.path] = table[f.path].astype(float)
    return pd.DataFrame(columns)


def _boxes(tree, features: pd.DataFrame, cases: np.ndarray, factors: list[ResolvedFactor]):
    leaves = tree.apply(features.to_numpy(dtype=float))
    total_cases = max(int(cases.sum()), 1)
    rows: list[dict] = []
    limits: list[dict] = []
    for leaf, path in _leaf_paths(tree.tree_):
        inside = leaves == leaf
        density = float(cases[inside].mean())
        box = _limits(path, features.columns, factors)
        rows.append(
            {
                "leaf": leaf,
                "points": int(inside.sum()),
                "cases": int(cases[inside].sum()),
                "coverage": float(cases[inside].sum() / total_cases),
                "density": density,
                "rule": _rule(box, factors),
            }
        )
        limits.extend({"leaf": leaf, **limit} for limit in _limit_rows(box, factors))
    boxes = pd.DataFrame(rows).sort_values(["density", "coverage"], ascending=False, kind="stable")
    # Keep the boxes where the outcome is the rule; if there are none, the best one still says where to look.
    boxes = boxes[boxes["density"] >= 0.5] if (boxes["density"] >= 0.5).any() else boxes.head(1)
    boxes = boxes.reset_index(drop=True).rename_axis("box").reset_index()
    limits = pd.DataFrame(limits, columns=["leaf", "factor", "low", "high", "levels"])
    limits = boxes[["box", "leaf"]].merge(limits, on="leaf").drop(columns="leaf")
    return boxes.drop(columns="leaf"), limits


def _leaf_paths(tree, node: int = 0, path: tuple = ()):
    """Every leaf of a fitted tree with the splits that lead to it: (feature, threshold, goes_left)."""
    left, right = tree.children_left[node], tree.children_right[node]
    if left == right:
        yield node, path
        return
    split = (tree.feature[node], tree.threshold[node])
    yield from _leaf_paths(tree, left, (*path, (*split, True)))
    yield from _leaf_paths(tree, right, (*path, (*split, False)))


def _limits(path, columns, factors: list[ResolvedFactor]) -> dict[str, Any]:
    """Each factor's interval (continuous) or allowed levels (discrete) inside a box."""
    box: dict[str, Any] = {f.path: [f.low, f.high] if not f.discrete else set(f.levels) for f in factors}
    by_path = {f.path: f for f in factors}
    for feature, threshold, goes_left in path:
        column = columns[feature]
        if column in by_path:
            interval = box[column]
            interval[1 if goes_left else 0] = threshold
        else:
            factor_path, level_text = column.split("=", 1)
            level = next(v for v in by_path[factor_path].levels if str(v) == level_text)
            box[factor_path] = box[factor_path] - {level} if goes_left else box[factor_path] & {level}
    return box


def _limit_rows(box: dict[str, Any], factors: list[ResolvedFactor]) -> list[dict]:
    rows = []
    for f in factors:
        value = box[f.path]
        if f.discrete and value != set(f.levels):
            rows.append(
                {"factor": f.path, "low": np.nan, "high": np.nan, "levels": ", ".join(map(str, _ordered(f, value)))}
            )
        elif not f.discrete and value != [f.low, f.high]:
            rows.append({"factor": f.path, "low": value[0], "high": value[1], "levels": ""})
    return rows


def _rule(box: dict[str, Any], factors: list[ResolvedFactor]) -> str:
    parts = []
    for f in factors:
        value = box[f.path]
        if f.discrete and value != set(f.levels):
            parts.append(f"{f.path} in {{{', '.join(map(str, _ordered(f, value)))}}}")
        elif not f.discrete and value != [f.low, f.high]:
            parts.append(
                _interval_text(
                    f.path, value[0] if value[0] != f.low else None, value[1] if value[1] != f.high else None
                )
            )
    return " and ".join(parts) if parts else "anywhere in the design"


def _interval_text(path: str, low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{low:.3g} < {path} <= {high:.3g}"
    return f"{path} <= {high:.3g}" if high is not None else f"{path} > {low:.3g}"


def _ordered(factor: ResolvedFactor, levels: set) -> list:
    return [v for v in factor.levels if v in levels]
