"""Running a scenario: replications in chunks, results gathered into tidy tables."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from .. import __version__
from .model import State, run_to_end, start
from .results import Results, monthly_frame, summary_frame
from .schema import Scenario

Progress = Callable[[int, int], None]


def simulate(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
) -> Results:
    """Run a scenario over many replications and return its Results.

    Replications default to the scenario's; the seed defaults to the scenario's. Results do not
    depend on `chunk_size` (it only bounds memory). `progress(done, total)` counts replication-months.
    """
    count = scenario.simulation.replications if replications is None else replications
    seed = scenario.simulation.seed if seed is None else seed
    if count < 1:
        raise ValueError(f"replications: {count} is below the minimum 1")
    chunk = count if chunk_size is None else max(1, chunk_size)
    months = scenario.simulation.months
    frames = []
    for first in range(0, count, chunk):
        size = min(chunk, count - first)

        def tick(done: int, total: int, first=first, size=size) -> None:
            if progress is not None:
                progress(first * months + done * size, count * months)

        frames.append(monthly_frame(run_to_end(start(scenario, size, seed, first), tick).history, scenario, first))
    monthly = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return Results(scenario, seed, monthly, summary_frame(monthly, scenario), _metadata(scenario, seed, count))


def results_from_state(state: State) -> Results:
    """Results of a state stepped by hand (e.g. in a workshop), for the months simulated so far."""
    if not state.history:
        raise ValueError("state: no month has been simulated yet")
    monthly = monthly_frame(state.history, state.scenario, state.first)
    return Results(
        state.scenario,
        state.seed,
        monthly,
        summary_frame(monthly, state.scenario),
        _metadata(state.scenario, state.seed, state.replications),
    )


def _metadata(scenario: Scenario, seed: int, replications: int) -> dict:
    return {
        "seed": seed,
        "replications": replications,
        "scenario_hash": scenario.digest(),
        "scenario_name": scenario.meta.name,
        "version": __version__,
    }
