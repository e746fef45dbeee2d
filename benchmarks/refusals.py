"""How fast hostile inputs are refused: oversized designs, hostile YAML, workshop throttles (docs/robustness.md).

    python benchmarks/refusals.py

Each line: what was given, the verdict, and the median of five timings on this machine.
"""

from __future__ import annotations

import statistics
import time

from simulator import Scenario, ScenarioError, parameter_table, parse_scenario_yaml, scenario_to_yaml
from simulator.exploration.designs import Design, SpecError, expand
from simulator.exploration.sweep_specs import SweepSpec
from simulator.exploration.sweeps import design_points
from simulator.workshop.throttle import CODE_LIMITS, Throttle

PARAMETERS = {info.path: info for info in parameter_table(Scenario)}
RANGES = [
    "regime.pardons.release_cost",
    "regime.pardons.election_weight",
    "regime.pardons.petition_rate",
    "eu.friction",
    "regime.deals.lumpiness",
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


def round_trip(text: str) -> None:
    """Read a scenario, save it, and read the saved text back."""
    parse_scenario_yaml(scenario_to_yaml(parse_scenario_yaml(text)))


def design(kind: str, ranges: int, **options) -> Design:
    return Design(kind=kind, factors={path: {} for path in RANGES[:ranges]}, **options)


def main() -> None:
    throttle = Throttle("code", CODE_LIMITS)
    timed("grid 1000^3", lambda: expand(design("grid", 3, steps=1000), PARAMETERS, 1))
    timed("sobol_sensitivity 2^18 x 7", lambda: expand(design("sobol_sensitivity", 5, points=2**18), PARAMETERS, 1))
    timed("morris 1,000,000 x 6", lambda: expand(design("morris", 5, points=1_000_000), PARAMETERS, 1))
    grid = SweepSpec(design={"kind": "grid", "steps": 1000, "factors": {p: {} for p in RANGES[:2]}})
    timed("legal grid 1000 x 1000: points built and a sample checked", lambda: design_points(grid), repeats=1)
    timed("YAML !!bool maybe", lambda: parse_scenario_yaml("meta: {name: !!bool maybe}"))
    months = "".join(f"      '{1990 + m // 12}-{m % 12 + 1:02d}': hold\n" for m in range(990))
    timed("990-month schedule", lambda: parse_scenario_yaml(f"eu:\n  policy:\n    schedule:\n{months}"))
    emoji = 'eu:\n  name: "\ufeff' + "\U0001f600" * 26_000 + '"\n'
    timed("104 KB name with a byte-order mark: read, save, read back", lambda: round_trip(emoji))
    timed("wrong code, throttle check", lambda: throttle.admit({"session": "s", "address": "unknown"}), repeats=50)
    timed("YAML 250,000 [", lambda: parse_scenario_yaml("regime: " + "[" * 250_000))


if __name__ == "__main__":
    main()
