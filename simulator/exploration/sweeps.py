"""Sweeps: run a scenario at every point of a design and gather tidy tables of the outcomes.

Random streams: by default every design point uses the same root seed, so replication r draws the same
random numbers at every point (common random numbers). Differences between points then come from the
parameters, not from noise, which sharpens sensitivity indices and policy regret. `random_streams:
independent` gives each point its own stream derived from the root seed and the point's index instead.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from ..core.batching import batchable, simulate_batch
from ..core.parameters import ParameterInfo, parameter_table
from ..core.provenance import provenance
from ..core.runner import simulate
from ..core.scenarios import ScenarioError, with_overrides
from ..core.schema import Scenario
from ..core.version import RESULTS_VERSION, __version__
from .designs import (
    Design,
    ResolvedFactor,
    SpecError,
    applied_value,
    checked_rows,
    expand,
    resolve_factors,
    validate_design,
)
from .execution import Execution, Task, chunk_ranges, progress_bar, run_tasks
from .store import ChunkStore, open_store
from .sweep_specs import SweepSpec, quantile_name, validate_sweep_spec


class DamagedChunk(UserWarning):
    """A chunk in a sweep's folder failed its checks on resume and is recomputed."""


class Model(Protocol):
    """What a sweep runs at each point: named inputs in, one row of indicators per replication out.

    A model may also offer `run_batch(points, replications, seeds, monthly)`, a list of what `run` gives
    for each point; a sweep's task then hands it all its points at once (see `ScenarioModel.run_batch`).
    """

    @property
    def name(self) -> str:
        """The model's name, part of a sweep's spec hash."""

    def parameters(self) -> Mapping[str, ParameterInfo]:
        """Parameters that may vary, by dotted path, with their ranges or choices."""

    def check(self, values: dict[str, Any]) -> None:
        """Raise ScenarioError if these values cannot be run together."""

    def run(self, values: dict, replications: int, seed: int, monthly: bool) -> tuple[pd.DataFrame, Any]:
        """Per-replication indicators (with a 'replication' column) and, if asked, the monthly rows."""


@dataclass(frozen=True)
class ScenarioModel:
    """The simulator as a sweep model: a base scenario with parameters overridden by dotted path."""

    scenario_json: str
    name: str = "scenario"

    def parameters(self) -> dict[str, ParameterInfo]:
        """Every scenario parameter by dotted path."""
        return {info.path: info for info in parameter_table(Scenario)}

    def check(self, values: dict[str, Any]) -> None:
        """Raise ScenarioError if the overridden scenario is not valid."""
        with_overrides(self.base, values)

    @cached_property
    def base(self) -> Scenario:
        """The base scenario, read once per model (a worker reads it once per chunk, not once per point)."""
        return Scenario.model_validate_json(self.scenario_json)

    def run(self, values: dict, replications: int, seed: int, monthly: bool) -> tuple[pd.DataFrame, Any]:
        """Simulate the base scenario with these overrides."""
        results = simulate(with_overrides(self.base, values), replications, seed)
        return results.summary, results.monthly if monthly else None

    def run_batch(
        self, points: list[dict], replications: int, seeds: list[int], monthly: bool
    ) -> list[tuple[pd.DataFrame, Any]]:
        """`run` at many points, stepping together the points that differ only in per-replication parameters."""
        outcomes: list = [None] * len(points)
        for group in _shared_runs(points):
            scenarios = [with_overrides(self.base, points[i]) for i in group]
            ran = simulate_batch(scenarios, replications, [seeds[i] for i in group], monthly)
            for i, outcome in zip(group, ran, strict=True):
                outcomes[i] = outcome
        return outcomes


def _shared_runs(points: list[dict]) -> list[list[int]]:
    """Indices of points that can share one model run: equal in every value that is not per-replication."""
    groups: dict[str, list[int]] = {}
    for i, values in enumerate(points):
        structure = {path: value for path, value in values.items() if not batchable(path)}
        groups.setdefault(repr(sorted(structure.items())), []).append(i)
    return list(groups.values())


@dataclass(frozen=True)
class SweepResults:
    """A finished sweep: design points, per-replication indicators, statistics per point, and the spec."""

    spec: SweepSpec
    factors: list[ResolvedFactor]
    points: pd.DataFrame
    replications: pd.DataFrame
    statistics: pd.DataFrame
    monthly: pd.DataFrame | None = None
    metadata: dict = field(default_factory=dict)

    @property
    def indicators(self) -> list[str]:
        """Names of the indicators measured at every point."""
        return [c for c in self.replications.columns if c not in ("point", "replication")]

    def table(self, statistic: str = "mean") -> pd.DataFrame:
        """One row per design point: its factor values and every indicator at one statistic (e.g. mean, q50)."""
        chosen = self.statistics[self.statistics["statistic"] == statistic]
        if chosen.empty:
            allowed = sorted(self.statistics["statistic"].unique())
            raise ValueError(f"statistic: {statistic!r} is not one of {allowed}")
        wide = chosen.pivot(index="point", columns="indicator", values="value")[self.indicators]
        return self.points.merge(wide.reset_index(), on="point")

    def to_xarray(self):
        """An xarray Dataset: every indicator over (point, replication), factor values along point, provenance."""
        from .sweep_cube import sweep_cube

        return sweep_cube(self)

    def outcome(self, indicator: str, statistic: str = "mean") -> np.ndarray:
        """One indicator's statistic at every design point, in point order, shape (points,)."""
        if indicator not in self.indicators:
            raise ValueError(f"indicator: {indicator!r} is not one of {self.indicators}")
        return self.table(statistic)[indicator].to_numpy()


def sweep(
    base_scenario: Scenario,
    design: Design | dict,
    replications: int = 20,
    seed: int | None = None,
    *,
    out: str | Path | None = None,
    execution: Execution | None = None,
    progress: Any = True,
    **options: Any,
) -> SweepResults:
    """Run `base_scenario` at every point of `design`, `replications` times each; see SweepSpec for `options`.

    `out` is a folder for resumable results; `progress` is True (a terminal bar), False, or `f(done, total)`.
    """
    spec = validate_sweep_spec(
        {
            "scenario": base_scenario,
            "design": validate_design(design),
            "replications": replications,
            "seed": base_scenario.simulation.seed if seed is None else seed,
            **options,
        }
    )
    return run_sweep(spec, out=out, execution=execution, progress=progress)


def run_sweep(
    spec: SweepSpec,
    out: str | Path | None = None,
    *,
    execution: Execution | None = None,
    progress: Any = True,
    model: Model | None = None,
) -> SweepResults:
    """Run a validated sweep spec, resuming from `out` if it holds this spec; see `sweep`."""
    model = model if model is not None else ScenarioModel(spec.scenario.model_json())
    execution = execution or Execution()
    factors, points = design_points(spec, model)
    about = {**provenance(spec.scenario, spec.seed), "spec_hash": spec.digest(model.name), "model": model.name}
    store = open_store(out, spec.model_dump(mode="json"), spec.digest(model.name), RESULTS_VERSION, len(points), about)
    for repair in store.repairs:
        warnings.warn(f"sweep folder {store.folder}: {repair}", DamagedChunk, stacklevel=2)
    store.save_table("points", points)
    computed = _run_missing(spec, model, factors, points, store, execution, progress)
    return _gather(spec, factors, points, store, model.name, computed)


def design_points(spec: SweepSpec, model: Model | None = None) -> tuple[list[ResolvedFactor], pd.DataFrame]:
    """A spec's resolved factors and design points, after checking that the model can run every point."""
    model = model if model is not None else ScenarioModel(spec.scenario.model_json())
    factors = resolve_factors(spec.design, model.parameters())
    points = expand(spec.design, model.parameters(), spec.seed)
    _check_points(model, factors, points)
    return factors, points


def _run_missing(spec, model, factors, points, store: ChunkStore, execution: Execution, progress) -> int:
    """Run the points not yet in the store; how many were run."""
    done = np.zeros(len(points), dtype=bool)
    for start, stop in store.done_ranges():
        done[start:stop] = True
    missing = np.flatnonzero(~done)
    seeds = spec.point_seeds(points["point"].to_numpy())
    records = points.to_dict("records")
    worker = partial(run_points, model, factors, spec.replications, spec.monthly)
    execution = execution.sized_for(estimated_seconds(spec, len(missing)))
    ranges = chunk_ranges(missing.tolist(), execution.chunk_size(len(missing)))
    tasks = [Task(a, b, (records[a:b], seeds[a:b])) for a, b in ranges]
    with _progress(progress, len(points), int(done.sum())) as update:
        count = int(done.sum())

        def on_done(task: Task, frames: dict[str, pd.DataFrame]) -> None:
            nonlocal count
            store.write(task.start, task.stop, frames)
            count += task.stop - task.start
            update(count, len(points))

        run_tasks(worker, tasks, on_done, execution)
    return len(missing)


def estimated_seconds(spec: SweepSpec, points: int) -> float:
    """Rough time in one process for `points` of this sweep: a fixed cost per point plus the model's agent-months.

    Measured on the 2-core development machine: about 12 ms per point around the model, and about 15 ns per
    agent-month inside it (a 256-point sweep of 20 x 300 x 24 took 3.4 s).
    """
    base = spec.scenario
    agent_months = spec.replications * base.audience.size * base.simulation.months
    return points * (0.012 + agent_months * 15e-9)


def run_points(
    model: Model, factors: list[ResolvedFactor], replications: int, monthly: bool, payload: tuple[list[dict], list[int]]
) -> dict[str, pd.DataFrame]:
    """Run one chunk of design points (the worker's task): per-replication indicators, and monthly rows if asked."""
    rows, seeds = payload
    points = [{f.path: applied_value(f, row[f.path]) for f in factors} for row in rows]
    if hasattr(model, "run_batch"):
        outcomes = model.run_batch(points, replications, list(seeds), monthly)
    else:
        outcomes = [model.run(values, replications, seed, monthly) for values, seed in zip(points, seeds, strict=True)]
    summaries, months = [], []
    for row, (summary, monthly_rows) in zip(rows, outcomes, strict=True):
        summaries.append(summary.assign(point=row["point"]))
        if monthly_rows is not None:
            months.append(monthly_rows.assign(point=row["point"]))
    frames = {"replications": _point_first(pd.concat(summaries, ignore_index=True))}
    if months:
        frames["monthly"] = _point_first(pd.concat(months, ignore_index=True))
    return frames


def _check_points(model: Model, factors: list[ResolvedFactor], points: pd.DataFrame) -> None:
    """Reject a design with points the model cannot run, before any work starts (a sample of a large one)."""
    paths = [f.path for f in factors]
    for row in points[["point", *paths]].iloc[checked_rows(points, factors)].itertuples(index=False):
        values = {f.path: applied_value(f, v) for f, v in zip(factors, row[1:], strict=True)}
        try:
            model.check(values)
        except ScenarioError as exc:
            shown = ", ".join(f"{k}={v}" for k, v in values.items())
            raise SpecError([f"design point {row[0]} ({shown}): {p}" for p in exc.problems]) from None


def _gather(
    spec: SweepSpec, factors, points: pd.DataFrame, store: ChunkStore, model_name: str, computed: int
) -> SweepResults:
    replications = store.read("replications")
    _check_complete(replications, points, spec.replications, store)
    statistics = point_statistics(replications, points, spec.quantiles)
    store.save_table("statistics", statistics)
    metadata = {
        **store.provenance,
        "spec_hash": spec.digest(model_name),
        "version": __version__,
        "model": model_name,
        "points": len(points),
        "computed_points": computed,
        "reused_points": len(points) - computed,
        "repairs": list(store.repairs),
        "folder": str(store.folder) if store.folder else None,
    }
    return SweepResults(spec, factors, points, replications, statistics, store.read("monthly"), metadata)


def _check_complete(replications: pd.DataFrame | None, points: pd.DataFrame, count: int, store: ChunkStore) -> None:
    """Refuse to report a sweep whose stored rows are not exactly `count` replications of every point."""
    seen = pd.Series(0, index=points["point"]) if replications is None else replications.groupby("point").size()
    seen = seen.reindex(points["point"], fill_value=0)
    wrong = seen[seen != count]
    if len(wrong):
        where = f" in {str(store.folder)!r}" if store.folder else ""
        shown = ", ".join(f"point {p}: {n}" for p, n in wrong.head(5).items())
        raise SpecError(
            [
                f"out: the stored results{where} do not hold {count} replications of every point ({shown}"
                f"{', ...' if len(wrong) > 5 else ''}); delete the folder and run the sweep again"
            ]
        )


def point_statistics(replications: pd.DataFrame, points: pd.DataFrame, quantiles=(0.05, 0.5, 0.95)) -> pd.DataFrame:
    """Tidy statistics: one row per design point x indicator x statistic (mean, std, quantiles), factors alongside."""
    indicators = [c for c in replications.columns if c not in ("point", "replication")]
    by_point = replications.groupby("point")[indicators]
    parts = {"mean": by_point.mean(), "std": by_point.std(ddof=1)}
    for q in quantiles:
        parts[quantile_name(q)] = by_point.quantile(q)
    long = pd.concat(
        [
            frame.reset_index().melt(id_vars="point", var_name="indicator").assign(statistic=name)
            for name, frame in parts.items()
        ],
        ignore_index=True,
    )
    long = long[["point", "indicator", "statistic", "value"]]
    return points.merge(long, on="point").sort_values(["point", "indicator"], kind="stable").reset_index(drop=True)


def _point_first(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["point", *[c for c in frame.columns if c != "point"]]]


@contextlib.contextmanager
def _progress(progress: Any, total: int, done: int) -> Iterator[Callable[[int, int], None]]:
    if progress is True:
        with progress_bar("Sweep", total, done) as update:
            yield update
    elif callable(progress):
        progress(done, total)
        yield progress
    else:
        yield lambda now, of: None
