"""How fast hostile inputs are refused: oversized designs, hostile YAML, workshop throttles (docs/robustness.md).

    python benchmarks/refusals.py

Each line: what was given, the verdict, and the median of five timings on this machine.
"""

from __future__ import annotations

import statistics
import time

from simulator import Scenario, ScenarioError, parameter_table, parse_scenario_yaml
from simulator.exploration.designs import Design, SpecError, expand
from simulator.exploration.sweep_specs import SweepSpec
from simulator.exploration.sweeps import design_points

PARAMETERS = {info.path: info for info in parameter_table(Scenario)}
RANGES = [
    "regime.release_cost",
    "regime.election_weight",
    "regime.petition_rate",
    "eu.friction",
    "regime.deal_lumpiness",
]


def timed(label: str, action, repeats: int = 5) -> None:
    """Print the median wall time of `action` and what it said."""
    times, said = [], ""
    for _ in range(repeats):
        start = time.perf_counter()
        try:
            action()
            said = "accepted"
        except (ScenarioError, SpecError) as exc:
            said = str(exc)[:90]
        times.append(time.perf_counter() - start)
    print(f"{label}: {statistics.median(times) * 1000:.2f} ms  ({said})")


def design(kind: str, ranges: int, **options) -> Design:
    return Design(kind=kind, factors={path: {} for path in RANGES[:ranges]}, **options)


def main() -> None:
    timed("grid 1000^3", lambda: expand(design("grid", 3, steps=1000), PARAMETERS, 1))
    timed("sobol_sensitivity 2^18 x 7", lambda: expand(design("sobol_sensitivity", 5, points=2**18), PARAMETERS, 1))
    timed("morris 1,000,000 x 6", lambda: expand(design("morris", 5, points=1_000_000), PARAMETERS, 1))
    grid = SweepSpec(design={"kind": "grid", "steps": 1000, "factors": {p: {} for p in RANGES[:2]}})
    timed("legal grid 1000 x 1000: points built and a sample checked", lambda: design_points(grid), repeats=1)
    timed("YAML !!bool maybe", lambda: parse_scenario_yaml("meta: {name: !!bool maybe}"))
    timed("YAML 250,000 [", lambda: parse_scenario_yaml("regime: " + "[" * 250_000))


if __name__ == "__main__":
    main()
