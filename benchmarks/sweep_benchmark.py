"""Sweep benchmark: a Latin hypercube sweep on the local backend, and Dask scaling from 1 to 2 workers.

Usage (from the repository root):

    python benchmarks/sweep_benchmark.py                      # 10,000 points x 20 replications, then Dask 1 vs 2
    python benchmarks/sweep_benchmark.py --fraction 0.1       # time 1,000 points and extrapolate to 10,000
    python benchmarks/sweep_benchmark.py --skip-local --dask-points 400
    python benchmarks/sweep_benchmark.py --senders-only       # CPU per point of sender parameters, nothing else

Each design point runs the baseline scenario with a smaller audience (300 agents, as in the example
sweep specs) over 24 months; a second design varies the senders' settings and the EU's reciprocal rule thresholds
(the US taking part). Results are written to a temporary folder as Parquet chunks, as a real
sweep does. Wall times include starting the worker processes or the cluster, and depend on whatever
else runs on the machine; the CPU time per point, measured in one process, does not.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from simulator import Scenario, __version__, with_overrides
from simulator.exploration.execution import Execution
from simulator.exploration.sweeps import sweep

# Measured with this script before the sweep changes of issue 12 (2 cores, load average 1.5, 2,000 points):
# the rate every new measurement is compared with.
BEFORE_POINTS_PER_SECOND = 37.9
BEFORE_CPU_MS_PER_POINT = 49

UNCERTAINTIES = {
    "regime.pardons.release_cost": {"low": 0.1, "high": 1.5},
    "regime.pardons.relief_sensitivity": {"low": 0.0, "high": 3.0},
    "regime.pardons.pressure_response": {},
    "regime.repression.hostage_incentive": {"low": 0.0, "high": 1.5},
    "regime.learning.hold_as_refusal": {},
}
# The common sender factors of a sweep: both senders' numeric settings and the EU's reciprocal rule thresholds.
SENDER_UNCERTAINTIES = {
    "regime.pardons.release_cost": {"low": 0.1, "high": 1.5},
    "eu.friction": {"low": 0.0, "high": 0.5},
    "eu.tighten_step": {"low": 0.05, "high": 0.4},
    "eu.relief_step": {"low": 0.05, "high": 0.4},
    "eu.sanctions_weight": {"low": 0.5, "high": 2.0},
    "eu.envoy_visit_rate": {"low": 0.1, "high": 0.9},
    "eu.prior_belief": {"low": 0.1, "high": 0.8},
    "eu.policy.engage_threshold": {"low": 5, "high": 100},
    "eu.policy.tighten_threshold": {"low": 20, "high": 200},
    "second_sender.initial_pressure": {"low": 0.2, "high": 0.8},
    "second_sender.engagement_value": {"low": 0.0, "high": 0.5},
}
# The designs timed per point: regime parameters only, and sender parameters (EU reciprocal, US taking part).
DESIGNS = {
    "regime": ({}, UNCERTAINTIES),
    "senders": ({"eu.policy.kind": "reciprocal", "second_sender.enabled": True}, SENDER_UNCERTAINTIES),
}


def timed_sweep(
    points: int, replications: int, audience: int, execution: Execution, folder: Path, design_name: str = "regime"
) -> float:
    """Seconds to run a Latin hypercube sweep of `points` points on the given backend, writing to `folder`."""
    overrides, factors = DESIGNS[design_name]
    base = with_overrides(Scenario(), {"audience.size": audience, **overrides})
    design = {"kind": "latin_hypercube", "points": points, "factors": factors}
    started = time.perf_counter()
    sweep(base, design, replications, seed=2024, out=folder, execution=execution, progress=False)
    return time.perf_counter() - started


def load() -> str:
    """The machine's load average over the last minute: other work there slows every wall-clock number."""
    return f"(load average {os.getloadavg()[0]:.1f})"


def cpu_per_point(args, scratch: Path, design_name: str = "regime") -> float:
    """CPU seconds one design point takes, measured in this process: unaffected by other load on the machine."""
    execution = Execution(workers=1)
    # Compile and cache kernels first.
    timed_sweep(2, args.replications, args.audience, execution, scratch / f"warm-up-{design_name}", design_name)
    started = time.process_time()
    timed_sweep(
        args.calibration_points,
        args.replications,
        args.audience,
        execution,
        scratch / f"cpu-{design_name}",
        design_name,
    )
    return (time.process_time() - started) / args.calibration_points


def sender_benchmark(args, scratch: Path) -> None:
    """CPU time per point of a design that varies the senders' settings and rule thresholds."""
    cpu = cpu_per_point(args, scratch, "senders")
    print(
        f"CPU time per point, sender parameters varied: {cpu * 1000:.1f} ms ({args.replications} replications, "
        f"{args.calibration_points} points) {load()}"
    )


def local_benchmark(args, scratch: Path) -> None:
    """Time the local backend on the full design, or on a fraction of it and extrapolate."""
    cpu = cpu_per_point(args, scratch)
    print(
        f"CPU time per point, in one process: {cpu * 1000:.0f} ms ({args.replications} replications; "
        f"before: {BEFORE_CPU_MS_PER_POINT} ms); "
        f"{args.points} points on {args.workers} fully free cores would take about "
        f"{cpu * args.points / args.workers:.0f} s"
    )
    points = max(1, round(args.points * args.fraction))
    seconds = timed_sweep(points, args.replications, args.audience, Execution(workers=args.workers), scratch / "local")
    rate = points / seconds
    print(
        f"local backend, {args.workers} processes: {points} points x {args.replications} replications "
        f"in {seconds:.1f} s wall = {rate:.1f} points/s ({rate * args.replications:.0f} runs/s) {load()}; "
        f"before: {BEFORE_POINTS_PER_SECOND} points/s, now {rate / BEFORE_POINTS_PER_SECOND:.2f}x"
    )
    if points < args.points:
        print(
            f"  extrapolated to {args.points} points: {args.points / rate:.0f} s "
            f"({args.points / rate / 60:.1f} min), assuming the measured rate holds"
        )


def dask_benchmark(args, scratch: Path) -> None:
    """Time the same sweep on a LocalCluster with 1 and then 2 workers."""
    timings = {}
    for workers in (1, 2):
        execution = Execution(scheduler="dask-local", workers=workers)
        timings[workers] = timed_sweep(
            args.dask_points, args.replications, args.audience, execution, scratch / f"dask-{workers}"
        )
        rate = args.dask_points / timings[workers]
        print(
            f"Dask LocalCluster, {workers} worker(s): {args.dask_points} points x {args.replications} replications "
            f"in {timings[workers]:.1f} s = {rate:.1f} points/s {load()}"
        )
    print(f"  speed-up from 1 to 2 workers: {timings[1] / timings[2]:.2f}x")


def main() -> None:
    """Parse the options and run the benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000, help="Latin hypercube points (default 10,000).")
    parser.add_argument("--replications", type=int, default=20, help="Replications per point (default 20).")
    parser.add_argument("--fraction", type=float, default=1.0, help="Share of the points to time (default all).")
    parser.add_argument("--audience", type=int, default=300, help="Audience agents per replication (default 300).")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="Local processes (default: cores).")
    # As many as a small study: a design's fixed costs (its checked sample of points, a batch's set-up) are
    # spread as in real use; 40 points cost twice as much CPU each.
    parser.add_argument("--calibration-points", type=int, default=1000, help="Points timed in-process (default 1,000).")
    parser.add_argument("--dask-points", type=int, default=500, help="Points for the Dask scaling run (default 500).")
    parser.add_argument("--skip-local", action="store_true", help="Only run the Dask scaling benchmark.")
    parser.add_argument("--skip-dask", action="store_true", help="Only run the local benchmark.")
    parser.add_argument("--senders-only", action="store_true", help="Only time the design of sender parameters.")
    args = parser.parse_args()
    print(
        f"simulator {__version__}, Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"audience {args.audience} agents, 24 months"
    )
    with tempfile.TemporaryDirectory() as scratch:
        sender_benchmark(args, Path(scratch))
        if args.senders_only:
            return
        if not args.skip_local:
            local_benchmark(args, Path(scratch))
        if not args.skip_dask:
            dask_benchmark(args, Path(scratch))


if __name__ == "__main__":
    main()
