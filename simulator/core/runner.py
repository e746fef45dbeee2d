"""Running a scenario: replications in chunks, results gathered into tidy tables."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .model import State, run_to_end, start
from .results import Results, monthly_frame, summary_frame
from .scenarios import ScenarioError, check_runnable, with_overrides
from .schema import Scenario
from .uncertainty import load_posterior, varied_paths
from .version import MODEL_VERSION, RANDOM_STREAMS, __version__

Progress = Callable[[int, int], None]
# The schema's range for simulation.seed: numpy's SeedSequence takes larger numbers, but then a seed given here
# could not be written back into the scenario it ran.
MAX_SEED = 2**32 - 1


def check_seed(seed: object, name: str = "seed") -> None:
    """Refuse a root seed outside 0 to 2^32 - 1 (or not a whole number) in one line naming it."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed <= MAX_SEED:
        allowed = f"a seed is a whole number from 0 to {MAX_SEED:,}"
        raise ScenarioError([f"{name}: {_shown_number(seed)} is not allowed; {allowed}"])


def _shown_number(value: object) -> str:
    """A value as a short text; a huge integer by its digit count (Python refuses to print 4,300 digits or more)."""
    if isinstance(value, int) and value.bit_length() > 128:
        return f"a whole number of about {int(value.bit_length() * 0.30103):,} digits"
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def simulate(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    chunk_size: int | None = None,
    progress: Progress | None = None,
    uncertainty: str | None = None,
) -> Results:
    """Run a scenario over many replications and return its Results.

    Replications default to the scenario's; the seed defaults to the scenario's. Results do not
    depend on `chunk_size` (it only bounds memory). `progress(done, total)` counts replication-months.
    `uncertainty` ('none' or 'posterior') overrides the scenario's `simulation.uncertainty`: with
    'posterior' each replication draws the parameters the data cannot pin down from the posterior.
    """
    if uncertainty is not None:
        scenario = with_overrides(scenario, {"simulation.uncertainty": uncertainty})
    count = scenario.simulation.replications if replications is None else replications
    seed = scenario.simulation.seed if seed is None else seed
    check_seed(seed)
    check_runnable(scenario, count)
    chunk = count if chunk_size is None else max(1, chunk_size)
    months = scenario.simulation.months
    frames, drawn = [], []
    for first in range(0, count, chunk):
        size = min(chunk, count - first)

        def tick(done: int, total: int, first=first, size=size) -> None:
            if progress is not None:
                progress(first * months + done * size, count * months)

        final = run_to_end(start(scenario, size, seed, first), tick)
        frames.append(monthly_frame(final.history, scenario, first))
        drawn.append(final.drawn)
    monthly = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    summary = _with_drawn(summary_frame(monthly, scenario), drawn)
    return Results(scenario, seed, monthly, summary, _metadata(scenario, seed, count))


def results_from_state(state: State) -> Results:
    """Results of a state stepped by hand (e.g. in a workshop), for the months simulated so far."""
    if not state.history:
        raise ValueError("state: no month has been simulated yet")
    monthly = monthly_frame(state.history, state.scenario, state.first)
    return Results(
        state.scenario,
        state.seed,
        monthly,
        _with_drawn(summary_frame(monthly, state.scenario), [state.drawn]),
        _metadata(state.scenario, state.seed, state.replications),
    )


def uncertainty_note(scenario: Scenario) -> str:
    """Plain words for what a run's bands show: chance only, or chance and what the data cannot pin down."""
    if scenario.simulation.uncertainty == "none":
        return "none: every run uses this parameter set; bands show chance only"
    drawn = ", ".join(varied_paths(scenario)) or "nothing (you set every uncertain parameter yourself)"
    return (
        f"posterior: each run draws from {load_posterior().size} calibrated parameter sets the parameters the "
        f"2024 data cannot pin down ({drawn}); bands show chance and that uncertainty"
    )


def _with_drawn(summary: pd.DataFrame, drawn: list[dict]) -> pd.DataFrame:
    """The summary with one column per drawn parameter (its dotted path): each replication's own value."""
    for path in drawn[0] if drawn else ():
        summary[path] = np.concatenate([chunk[path] for chunk in drawn])
    return summary


def _metadata(scenario: Scenario, seed: int, replications: int) -> dict:
    return {
        "uncertainty": uncertainty_note(scenario),
        "seed": seed,
        "replications": replications,
        "scenario_hash": scenario.digest(),
        "scenario_name": scenario.meta.name,
        "version": __version__,
        "model_version": MODEL_VERSION,
        "random_streams": RANDOM_STREAMS,
    }


def warm_up() -> None:
    """Compile every numba kernel a run uses (or load it from numba's on-disk cache), with a tiny run.

    Kernels are compiled for their argument types, not their sizes, so a few replications of a few agents
    of the default preset fill the same cache as a full run: the first real run then only loads them.
    Numba writes its cache beside kernels.py, or, where that is read-only (a system-wide install), under the
    user's cache folder (~/.cache/numba), or wherever $NUMBA_CACHE_DIR points.
    """
    from .scenarios import load_preset

    scenario = with_overrides(load_preset("as_it_happened"), {"simulation.replications": 4, "audience.size": 50})
    simulate(scenario)
