"""Experimental designs: which parameters vary in a sweep, over what, and how the points are sampled.

A design crosses the *levels* of its discrete factors (e.g. the EU policy kind) with a sample of its
*continuous* factors (e.g. how much releasing costs the regime). Every discrete combination sees the
same continuous sample, so policies are compared on the same uncertain worlds, and the sensitivity
analysis is run once per combination (SALib has no categorical inputs).
"""

from __future__ import annotations

import difflib
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator
from scipy.stats import qmc

from ..core.parameters import ParameterInfo
from ..core.scenarios import ScenarioError, describe_error
from ..extras import require

DesignKind = Literal["grid", "latin_hypercube", "sobol_sequence", "sobol_sensitivity", "morris"]
SENSITIVITY_KINDS = ("sobol_sensitivity", "morris")
MAX_POINTS = 1_000_000  # keeps point stream keys (2**20 + point) apart from the design's own key
# Points of a large design checked against the model before a sweep starts (about 0.4 ms each).
CHECKED_POINTS = 256
Level = str | bool | int | float

# Spawn key of the design's own sampling stream; replication keys are (index, stream) pairs, point keys 2**20 + p.
_DESIGN_STREAM = 2**21
# Policy kinds a sweep cannot run by itself: an interactive policy needs a person each month.
_UNSWEEPABLE = {"eu.policy.kind": {"interactive"}, "second_sender.policy.kind": {"interactive"}}


class SpecError(ScenarioError):
    """A sweep spec or design that cannot be used; `problems` lists one readable line per bad field."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Factor(_Spec):
    """One varying parameter: a range (low, high) for a number, or explicit levels for a choice."""

    low: float | None = Field(None, description="Lower end of the range; defaults to the schema's minimum.")
    high: float | None = Field(None, description="Upper end of the range; defaults to the schema's maximum.")
    levels: list[Level] | None = Field(None, min_length=1, description="Explicit values, crossed with the rest.")
    steps: int | None = Field(None, ge=2, le=1000, description="Grid values across the range (grid designs).")

    @model_validator(mode="after")
    def _range_or_levels(self):
        if self.levels is not None and (self.low is not None or self.high is not None or self.steps is not None):
            raise ValueError("give either levels or a range (low, high, steps), not both")
        return self


class Design(_Spec):
    """What varies (factors by dotted path) and how points are sampled."""

    kind: DesignKind = Field("latin_hypercube", description="Sampling scheme.")
    factors: dict[str, Factor] = Field(..., min_length=1, description="Dotted parameter path -> range or levels.")
    points: int = Field(
        64,
        ge=1,
        le=MAX_POINTS,
        description="Samples (latin_hypercube, sobol_sequence), base "
        "sample N (sobol_sensitivity) or trajectories (morris).",
    )
    steps: int = Field(5, ge=2, le=1000, description="Grid values per continuous factor (grid).")
    second_order: bool = Field(False, description="sobol_sensitivity: also sample for second-order indices.")
    morris_levels: int = Field(4, ge=2, le=100, description="morris: grid levels of each trajectory.")

    @field_validator("points")
    @classmethod
    def _balanced_sobol(cls, points: int, info: ValidationInfo) -> int:
        if info.data.get("kind") in ("sobol_sequence", "sobol_sensitivity") and points & (points - 1):
            lower = 1 << (points.bit_length() - 1)
            raise ValueError(
                f"{points} is not a power of 2, which Sobol' sequences need to stay balanced; "
                f"use {lower} or {lower * 2}"
            )
        return points


@dataclass(frozen=True)
class ResolvedFactor:
    """A factor with its range or levels filled in from the schema and checked against it."""

    path: str
    low: float | None = None
    high: float | None = None
    levels: tuple[Level, ...] = ()
    integer: bool = False
    steps: int | None = None

    @property
    def bounds(self) -> tuple[float, float]:
        """The range (low, high) of a continuous factor."""
        if self.low is None or self.high is None:
            raise ValueError(f"design.factors.{self.path}: a factor with levels has no range")
        return self.low, self.high

    @property
    def discrete(self) -> bool:
        """Whether the factor takes listed levels (crossed with the sample) rather than a range."""
        return bool(self.levels)


def validate_design(data: Any) -> Design:
    """Build a Design from plain data, raising SpecError that names each bad field, value and allowed range."""
    if isinstance(data, Design):
        return data
    try:
        return Design.model_validate(data)
    except ValidationError as exc:
        raise SpecError([f"design.{describe_error(e)}" for e in exc.errors()]) from None


def resolve_factors(design: Design, parameters: Mapping[str, ParameterInfo]) -> list[ResolvedFactor]:
    """Fill in each factor's range or levels from the parameter table, and reject what the schema does not allow."""
    problems: list[str] = []
    resolved = [_resolve(path, factor, parameters, problems) for path, factor in design.factors.items()]
    if not problems and design.kind != "grid" and not any(not f.discrete for f in resolved):
        problems.append(
            f"design.factors: a {design.kind} design needs at least one factor with a range; "
            "use kind: grid to run levels only"
        )
    if problems:
        raise SpecError(problems)
    return resolved


def _resolve(path: str, factor: Factor, parameters: Mapping[str, ParameterInfo], problems: list[str]):
    where = f"design.factors.{path}"
    info = parameters.get(path)
    if info is None:
        hint = difflib.get_close_matches(path, list(parameters), n=1)
        problems.append(f"{where}: unknown parameter" + (f"; did you mean {hint[0]}?" if hint else ""))
        return None
    if factor.levels is not None or info.kind in ("choice", "bool"):
        return _resolve_levels(path, factor, info, problems)
    if info.kind not in ("int", "float"):
        problems.append(f"{where}: a {info.kind} parameter can only vary through explicit levels")
        return None
    low = info.minimum if factor.low is None else factor.low
    high = info.maximum if factor.high is None else factor.high
    for name, value in (("low", low), ("high", high)):
        if value is None:
            problems.append(f"{where}.{name}: the schema sets no bound; give one")
    if low is None or high is None:
        return None
    if info.minimum is not None and low < info.minimum:
        problems.append(f"{where}.low: {low} is below the minimum {info.minimum}")
    if info.maximum is not None and high > info.maximum:
        problems.append(f"{where}.high: {high} is above the maximum {info.maximum}")
    if low >= high:
        problems.append(f"{where}: low {low} must be below high {high}")
    return ResolvedFactor(path, float(low), float(high), integer=info.kind == "int", steps=factor.steps)


def _resolve_levels(path: str, factor: Factor, info: ParameterInfo, problems: list[str]):
    where = f"design.factors.{path}.levels"
    defaults = (False, True) if info.kind == "bool" else info.choices
    allowed = [c for c in defaults if c not in _UNSWEEPABLE.get(path, set())]
    levels = list(factor.levels) if factor.levels is not None else allowed
    if factor.low is not None or factor.high is not None:
        problems.append(f"design.factors.{path}: a choice takes levels (one of {allowed}), not a range")
    for level in levels:
        if defaults and level not in allowed:
            problems.append(f"{where}: {level!r} is not allowed; choose from {allowed}")
        elif info.minimum is not None and isinstance(level, int | float) and level < info.minimum:
            problems.append(f"{where}: {level} is below the minimum {info.minimum}")
        elif info.maximum is not None and isinstance(level, int | float) and level > info.maximum:
            problems.append(f"{where}: {level} is above the maximum {info.maximum}")
    if len(set(map(repr, levels))) != len(levels):
        problems.append(f"{where}: {levels} repeats a level")
    return ResolvedFactor(path, levels=tuple(levels))


def expand(design: Design, parameters: Mapping[str, ParameterInfo], seed: int) -> pd.DataFrame:
    """Expand a design into its points: one row per point with `point`, `sample` and one column per factor path.

    `sample` numbers the continuous sample row, shared by every combination of discrete levels;
    discrete combinations are the outer loop, so a SALib sample stays contiguous and in order.
    """
    factors = resolve_factors(design, parameters)
    continuous = [f for f in factors if not f.discrete]
    discrete = [f for f in factors if f.discrete]
    check_size(design, factors)
    sample = continuous_sample(design, continuous, seed)
    combos = list(itertools.product(*(f.levels for f in discrete)))
    total = len(combos) * len(sample)
    table = {"point": np.arange(total), "sample": np.tile(np.arange(len(sample)), len(combos))}
    for j, factor in enumerate(continuous):
        table[factor.path] = np.tile(sample[:, j], len(combos))
    for j, factor in enumerate(discrete):
        table[factor.path] = pd.Series([combo[j] for combo in combos for _ in range(len(sample))], dtype=object)
    return pd.DataFrame(table)


def design_size(design: Design, factors: list[ResolvedFactor]) -> tuple[int, str]:
    """How many points a design expands to, counted from its spec alone, and how (e.g. '1000 x 1000 x 3 levels')."""
    continuous = [f for f in factors if not f.discrete]
    combos = math.prod(len(f.levels) for f in factors if f.discrete)
    if not continuous:
        samples, how = 1, "1"
    elif design.kind == "grid":
        axes = [_grid_length(f, design.steps) for f in continuous]
        samples, how = math.prod(axes), " x ".join(map(str, axes))
    elif design.kind in ("latin_hypercube", "sobol_sequence"):
        samples, how = design.points, f"{design.points} samples"
    elif design.kind == "sobol_sensitivity":
        per = 2 * len(continuous) + 2 if design.second_order else len(continuous) + 2
        samples, how = design.points * per, f"{design.points} x {per} (Saltelli)"
    else:
        samples, how = design.points * (len(continuous) + 1), f"{design.points} x {len(continuous) + 1} (Morris)"
    return samples * combos, how + (f" x {combos} level combinations" if combos > 1 else "")


def check_size(design: Design, factors: list[ResolvedFactor]) -> int:
    """Refuse, before any point is built, a design of more than MAX_POINTS points; returns its size."""
    total, how = design_size(design, factors)
    if total > MAX_POINTS:
        raise SpecError(
            [f"design: {total:,} points ({how}) is above the maximum {MAX_POINTS:,}; lower points, steps or levels"]
        )
    return total


def checked_rows(points: pd.DataFrame, factors: list[ResolvedFactor], sample: int = CHECKED_POINTS) -> np.ndarray:
    """The rows of a design whose values are checked against the model before a sweep starts.

    Every point's values lie in their schema ranges already (resolve_factors); what a check can still
    find are combinations the scenario refuses (e.g. too many agent-months), which are largest at a
    factor's ends. So: the first and last point, each factor's smallest and largest value, every
    level of each choice, and an even spread of `sample` points, instead of every point of a large design.
    """
    if len(points) <= sample:
        return np.arange(len(points))
    rows = {0, len(points) - 1, *np.linspace(0, len(points) - 1, sample).round().astype(int).tolist()}
    for factor in factors:
        column = points[factor.path]
        if factor.discrete:
            rows.update(int(i) for i in column.reset_index(drop=True).drop_duplicates().index)
        else:
            rows.update((int(column.to_numpy().argmin()), int(column.to_numpy().argmax())))
    return np.array(sorted(rows))


def salib_problem(factors: list[ResolvedFactor]) -> dict:
    """SALib's problem definition for the continuous factors (names are the dotted paths)."""
    continuous = [f for f in factors if not f.discrete]
    return {
        "num_vars": len(continuous),
        "names": [f.path for f in continuous],
        "bounds": [[f.low, f.high] for f in continuous],
    }


def continuous_sample(design: Design, continuous: list[ResolvedFactor], seed: int) -> np.ndarray:
    """The continuous part of a design, shape (samples, factors), in the factors' own units."""
    if not continuous:
        return np.empty((1, 0))
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_DESIGN_STREAM,)))
    lows = np.array([f.low for f in continuous])
    highs = np.array([f.high for f in continuous])
    if design.kind == "grid":
        axes = [_grid_axis(f, design.steps) for f in continuous]
        return np.array(list(itertools.product(*axes)), dtype=float)
    if design.kind == "latin_hypercube":
        return qmc.scale(qmc.LatinHypercube(len(continuous), rng=rng).random(design.points), lows, highs)
    if design.kind == "sobol_sequence":
        return qmc.scale(qmc.Sobol(len(continuous), rng=rng).random(design.points), lows, highs)
    problem = salib_problem(continuous)
    salib_seed = int(rng.integers(2**31))
    if design.kind == "sobol_sensitivity":
        sobol_sample = require("SALib.sample.sobol", "analysis")
        return sobol_sample.sample(problem, design.points, calc_second_order=design.second_order, seed=salib_seed)
    morris_sample = require("SALib.sample.morris", "analysis")
    return morris_sample.sample(problem, design.points, num_levels=design.morris_levels, seed=salib_seed)


def _grid_length(factor: ResolvedFactor, default_steps: int) -> int:
    steps = factor.steps or default_steps
    if not factor.integer:
        return steps
    return len(_grid_axis(factor, default_steps))  # at most 1,000 values: cheap to build and count


def _grid_axis(factor: ResolvedFactor, default_steps: int) -> np.ndarray:
    axis = np.linspace(*factor.bounds, factor.steps or default_steps)
    # Whole-number parameters get whole grid values, without repeats when the range is narrow.
    return np.unique(np.round(axis)) if factor.integer else axis


def applied_value(factor: ResolvedFactor, value: Any) -> Any:
    """The value a model receives: sampled numbers rounded for whole-number parameters, plain Python types."""
    if factor.discrete:
        return value.item() if isinstance(value, np.generic) else value
    return int(round(float(value))) if factor.integer else float(value)
