"""PRIM scenario discovery: peel a box around the cases of interest, paste it back out, inspect the result.

The Patient Rule Induction Method (Friedman and Fisher 1999; for scenario discovery Bryant and Lempert
2010, as in EMA Workbench's `prim`) starts from a box holding every design point. *Peeling* repeatedly
removes a thin slice (a share `peel_alpha` of the box's points) from one side of one continuous input, or
one level of a categorical input (e.g. an EU policy kind), choosing the slice whose removal raises the
density of cases of interest most per point removed. Each box on the way is a point of the *coverage-density
trajectory*: coverage is the share of all cases inside the box, density the share of the box's points
that are cases. *Pasting* then grows the last box again wherever that adds cases without lowering its density.

Each restriction of a box gets a quasi-p-value: the one-sided binomial chance of seeing at least the
box's cases if the box were no denser than the same box without that restriction. A large value says the
restriction could be dropped without losing much.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import binom


@dataclass(frozen=True)
class Inputs:
    """The design as PRIM reads it: continuous inputs as floats, categorical ones as level codes."""

    continuous: tuple[str, ...]
    values: np.ndarray  # (points, continuous inputs)
    low: np.ndarray  # (continuous inputs,) the unrestricted lower ends
    high: np.ndarray  # (continuous inputs,) the unrestricted upper ends
    categorical: tuple[str, ...]
    codes: np.ndarray  # (points, categorical inputs), index into `levels`
    levels: tuple[tuple, ...]

    @property
    def points(self) -> int:
        """Number of design points."""
        return self.values.shape[0]


@dataclass(frozen=True)
class Box:
    """A box: an interval [low, high] per continuous input and the allowed levels of each categorical one."""

    low: np.ndarray
    high: np.ndarray
    allowed: tuple[np.ndarray, ...]  # one boolean array per categorical input, one entry per level

    def contains(self, inputs: Inputs) -> np.ndarray:
        """Which design points lie inside the box, shape (points,)."""
        inside = np.all((inputs.values >= self.low) & (inputs.values <= self.high), axis=1)
        for k, allowed in enumerate(self.allowed):
            inside &= allowed[inputs.codes[:, k]]
        return inside

    def with_interval(self, j: int, low: float, high: float) -> Box:
        """The same box with continuous input j limited to [low, high]."""
        new_low, new_high = self.low.copy(), self.high.copy()
        new_low[j], new_high[j] = low, high
        return Box(new_low, new_high, self.allowed)

    def with_levels(self, k: int, allowed: np.ndarray) -> Box:
        """The same box with categorical input k limited to the `allowed` levels."""
        return Box(self.low, self.high, (*self.allowed[:k], allowed, *self.allowed[k + 1 :]))


def read_inputs(
    table: pd.DataFrame,
    continuous: Sequence[str],
    categorical: Sequence[str] = (),
    ranges: Mapping[str, tuple[float, float]] | None = None,
    levels: Mapping[str, Sequence] | None = None,
) -> Inputs:
    """PRIM's view of a table of inputs; ranges and levels default to what the table holds."""
    ranges, levels = ranges or {}, levels or {}
    missing = [c for c in (*continuous, *categorical) if c not in table.columns]
    if missing:
        raise ValueError(f"inputs: {missing} are not columns of the table; it has {list(table.columns)}")
    values = table[list(continuous)].to_numpy(dtype=float).reshape(len(table), len(continuous))
    if np.isnan(values).any():
        raise ValueError("inputs: continuous inputs hold missing values; PRIM needs a value at every point")
    seen_low = values.min(axis=0) if len(values) else np.zeros(len(continuous))
    seen_high = values.max(axis=0) if len(values) else np.zeros(len(continuous))
    low = np.array([ranges[c][0] if c in ranges else seen_low[j] for j, c in enumerate(continuous)], dtype=float)
    high = np.array([ranges[c][1] if c in ranges else seen_high[j] for j, c in enumerate(continuous)], dtype=float)
    level_lists = tuple(tuple(levels.get(c, pd.unique(table[c]))) for c in categorical)
    codes = np.zeros((len(table), len(categorical)), dtype=np.int64)
    for k, c in enumerate(categorical):
        lookup = {level: i for i, level in enumerate(level_lists[k])}
        unknown = set(table[c]) - set(lookup)
        if unknown:
            raise ValueError(f"inputs: {c!r} holds {sorted(map(str, unknown))}, not among its levels {level_lists[k]}")
        codes[:, k] = table[c].map(lookup).to_numpy()
    return Inputs(tuple(continuous), values, low, high, tuple(categorical), codes, level_lists)


def full_box(inputs: Inputs) -> Box:
    """The unrestricted box: every design point inside."""
    return Box(inputs.low.copy(), inputs.high.copy(), tuple(np.ones(len(lv), dtype=bool) for lv in inputs.levels))


def peel(inputs: Inputs, cases: np.ndarray, box: Box, alpha: float, min_mass: float) -> list[Box]:
    """Peel `box` slice by slice while the densest peel keeps at least `min_mass` of the points."""
    trajectory = [box]
    fewest = max(1, int(np.ceil(min_mass * inputs.points)))
    while True:
        inside = box.contains(inputs)
        if cases[inside].all():
            return trajectory  # density 1: nothing left to gain
        size, density = int(inside.sum()), float(cases[inside].mean())
        best, best_key = None, None
        for candidate in _peels(inputs, box, inside, alpha):
            kept = candidate.contains(inputs)
            count = int(kept.sum())
            if count < fewest:
                continue
            # Gain in density per point removed (EMA's 'lenient1'): a whole categorical level is peeled only
            # when it is worth its size, not merely because dropping a third of the box raises the density.
            gain = (float(cases[kept].mean()) - density) / (size - count)
            key = (gain, count)
            if best_key is None or key > best_key:
                best, best_key = candidate, key
        if best is None:
            return trajectory
        box = best
        trajectory.append(box)


def _peels(inputs: Inputs, box: Box, inside: np.ndarray, alpha: float) -> Iterator[Box]:
    """Every box one slice smaller than `box`: a side of a continuous input, or one level of a categorical one."""
    for j in range(len(inputs.continuous)):
        ordered = np.sort(inputs.values[inside, j])
        if len(ordered) < 2 or ordered[0] == ordered[-1]:
            continue
        step = max(1, int(alpha * len(ordered)))
        low = ordered[min(step, len(ordered) - 1)]
        if low <= ordered[0]:  # ties: move to the next distinct value so the peel removes something
            low = ordered[np.searchsorted(ordered, ordered[0], side="right")]
        yield box.with_interval(j, low, box.high[j])
        high = ordered[max(len(ordered) - 1 - step, 0)]
        if high >= ordered[-1]:
            high = ordered[np.searchsorted(ordered, ordered[-1], side="left") - 1]
        yield box.with_interval(j, box.low[j], high)
    for k, allowed in enumerate(box.allowed):
        present = np.unique(inputs.codes[inside, k])
        if len(present) < 2:
            continue
        for level in present:
            narrower = allowed.copy()
            narrower[level] = False
            yield box.with_levels(k, narrower)


def paste(inputs: Inputs, cases: np.ndarray, box: Box, alpha: float) -> list[Box]:
    """Grow `box` slice by slice while a paste adds cases without lowering its density; the boxes after each."""
    pasted: list[Box] = []
    while True:
        inside = box.contains(inputs)
        density = float(cases[inside].mean()) if inside.any() else 0.0
        found = int(cases[inside].sum())
        best, best_key = None, None
        for candidate in _pastes(inputs, box, int(inside.sum()), alpha):
            grown = candidate.contains(inputs)
            key = (float(cases[grown].mean()), int(cases[grown].sum()))
            if key[0] >= density and key[1] > found and (best_key is None or key > best_key):
                best, best_key = candidate, key
        if best is None:
            return pasted
        box = best
        pasted.append(box)


def _pastes(inputs: Inputs, box: Box, size: int, alpha: float) -> Iterator[Box]:
    """Every box one slice larger than `box`: a side of a continuous input, or one more level."""
    step = max(1, int(alpha * size))
    for j in range(len(inputs.continuous)):
        others = _without_interval(inputs, box, j)
        column = inputs.values[:, j]
        below = np.sort(column[others & (column < box.low[j])])[::-1]
        if len(below):
            yield box.with_interval(j, below[min(step, len(below)) - 1], box.high[j])
        above = np.sort(column[others & (column > box.high[j])])
        if len(above):
            yield box.with_interval(j, box.low[j], above[min(step, len(above)) - 1])
    for k, allowed in enumerate(box.allowed):
        for level in np.flatnonzero(~allowed):
            wider = allowed.copy()
            wider[level] = True
            yield box.with_levels(k, wider)


def _without_interval(inputs: Inputs, box: Box, j: int) -> np.ndarray:
    """Points inside the box once continuous input j is unrestricted."""
    return box.with_interval(j, -np.inf, np.inf).contains(inputs)


def restricted(inputs: Inputs, box: Box) -> list[str]:
    """Names of the inputs the box limits, in input order."""
    names = [c for j, c in enumerate(inputs.continuous) if box.low[j] > inputs.low[j] or box.high[j] < inputs.high[j]]
    names += [c for k, c in enumerate(inputs.categorical) if not box.allowed[k].all()]
    return names


def quasi_p_values(inputs: Inputs, cases: np.ndarray, box: Box) -> dict[str, float]:
    """Each restriction's quasi-p-value: chance of the box's cases if the box were as dense as without it."""
    inside = box.contains(inputs)
    found, size = int(cases[inside].sum()), int(inside.sum())
    values = {}
    for name in restricted(inputs, box):
        looser = _unrestricted(inputs, box, name).contains(inputs)
        rate = float(cases[looser].mean())
        values[name] = float(binom.sf(found - 1, size, rate)) if size else 1.0
    return values


def _unrestricted(inputs: Inputs, box: Box, name: str) -> Box:
    if name in inputs.continuous:
        j = inputs.continuous.index(name)
        return box.with_interval(j, inputs.low[j], inputs.high[j])
    k = inputs.categorical.index(name)
    return box.with_levels(k, np.ones_like(box.allowed[k]))


def box_statistics(inputs: Inputs, cases: np.ndarray, box: Box) -> dict[str, float]:
    """Points, cases, coverage, density, mass and number of restricted inputs of one box."""
    inside = box.contains(inputs)
    found, size = int(cases[inside].sum()), int(inside.sum())
    return {
        "points": size,
        "cases": found,
        "coverage": found / max(int(cases.sum()), 1),
        "density": found / size if size else 0.0,
        "mass": size / inputs.points,
        "restricted": len(restricted(inputs, box)),
    }
