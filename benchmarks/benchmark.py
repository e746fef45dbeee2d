"""Time the model: the default interactive case and a large case, each in a fresh process.

Usage: python benchmarks/benchmark.py            (both cases, plus a memory-scaling check)
       python benchmarks/benchmark.py --quick    (the default case only)
Prints seconds (best of five runs, two for the large case), the model's wall and CPU time per agent-step,
agent-steps per second and peak memory above the baseline, with the load average when it starts.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

CASES = {
    "default (500 x 2,000 x 24)": (500, 2000, 24, 5),
    "large (2,000 x 5,000 x 24)": (2000, 5000, 24, 2),
}
SCALING = [(250, 2000), (500, 2000), (1000, 2000), (500, 4000)]


def measure(replications: int, agents: int, months: int, repeats: int) -> dict:
    """Run one case in this process and return its timings and peak memory."""
    from simulator import Scenario, simulate, with_overrides
    from simulator.core.model import run_to_end, start

    scenario = with_overrides(Scenario(), {"audience.size": agents, "simulation.months": months})
    simulate(with_overrides(scenario, {"audience.size": 50}), replications=10)  # warm imports and caches
    baseline_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    model_times, model_cpu, total_times = [], [], []
    for _ in range(repeats):
        began, began_cpu = time.perf_counter(), time.process_time()
        run_to_end(start(scenario, replications, seed=1))
        model_times.append(time.perf_counter() - began)
        model_cpu.append(time.process_time() - began_cpu)
        began = time.perf_counter()
        simulate(scenario, replications, seed=1)
        total_times.append(time.perf_counter() - began)
    peak_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - baseline_kib) / 1024
    steps = replications * agents * months
    return {
        "model_s": min(model_times),
        "simulate_s": min(total_times),
        "agent_steps": steps,
        "ns_per_agent_step": min(model_times) / steps * 1e9,
        "cpu_ns_per_agent_step": min(model_cpu) / steps * 1e9,
        "peak_mib": peak_mib,
    }


def run_case(replications: int, agents: int, months: int, repeats: int) -> dict:
    """Run one case in a fresh Python process so peak memory is its own."""
    out = subprocess.run(
        [sys.executable, __file__, "--one", str(replications), str(agents), str(months), str(repeats)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    """Print the benchmark table."""
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(*map(int, sys.argv[2:6]))))
        return
    quick = "--quick" in sys.argv
    print(f"load average {os.getloadavg()[0]:.2f}")
    print(
        f"{'case':32} {'model s':>8} {'simulate s':>10} {'ns/agent-step':>13} {'CPU ns':>7} {'agent-steps/s':>14} "
        f"{'peak MiB':>9}"
    )
    for name, spec in list(CASES.items())[: 1 if quick else None]:
        r = run_case(*spec)
        print(
            f"{name:32} {r['model_s']:8.3f} {r['simulate_s']:10.3f} {r['ns_per_agent_step']:13.1f} "
            f"{r['cpu_ns_per_agent_step']:7.1f} "
            f"{r['agent_steps'] / r['model_s']:14.3g} {r['peak_mib']:9.0f}"
        )
    if quick:
        return
    print("\nmemory scaling (24 months): replications x agents -> peak MiB, MiB per million agents")
    for replications, agents in SCALING:
        r = run_case(replications, agents, 24, 1)
        print(
            f"  {replications:5} x {agents:5} -> {r['peak_mib']:7.0f} MiB, "
            f"{r['peak_mib'] / (replications * agents / 1e6):6.1f} MiB per million agents"
        )


if __name__ == "__main__":
    main()
