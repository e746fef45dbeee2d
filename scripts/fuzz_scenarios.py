"""Nightly-size fuzz of scenario files and link overrides: count what is accepted, refused and crashed.

    python scripts/fuzz_scenarios.py --cases 10000 --seed 1

Uses the generator and judge of tests/test_fuzz.py (tests/fuzz_cases.py). Exits 1 if any case crashed, took
more than 2 s, or the process grew by more than 500 MiB; the counts go in simulator/docs/robustness.md.
"""

from __future__ import annotations

import argparse
import collections
import platform
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzz_cases import case, judge  # noqa: E402

SLOWEST_ALLOWED = 2.0
MEMORY_ALLOWED_MIB = 500


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    """Run the cases and print a summary; exit status 1 if any case broke a rule."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    judge(case(random.Random(0)))  # compile the model before timing anything
    start_mib, started = _peak_mib(), time.perf_counter()
    counts: collections.Counter[str] = collections.Counter()
    kinds: collections.Counter[str] = collections.Counter()
    crashes: collections.Counter[str] = collections.Counter()
    slowest: list[tuple[float, str, str]] = []
    for _ in range(args.cases):
        item = case(rng)
        verdict = judge(item)
        counts[verdict.outcome] += 1
        kinds[f"{item.kind} {verdict.outcome}"] += 1
        if verdict.outcome == "crashed":
            crashes[verdict.detail[:160]] += 1
        slowest = sorted(slowest + [(verdict.seconds, item.kind, repr(item.payload)[:70])], reverse=True)[:5]
    elapsed, grown = time.perf_counter() - started, _peak_mib() - start_mib

    print(f"{args.cases:,} cases (seed {args.seed}) in {elapsed:.0f} s on Python {platform.python_version()}")
    print("outcomes: " + ", ".join(f"{k} {counts[k]:,}" for k in ("accepted", "refused", "crashed")))
    print("by kind: " + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))
    print(f"peak memory grew by {grown:.0f} MiB (from {start_mib:.0f} MiB)")
    for seconds, kind, payload in slowest:
        print(f"slow: {seconds:.2f} s {kind} {payload}")
    for detail, count in crashes.most_common(10):
        print(f"crash x{count}: {detail}")
    broke = counts["crashed"] or slowest[0][0] > SLOWEST_ALLOWED or grown > MEMORY_ALLOWED_MIB
    return 1 if broke else 0


if __name__ == "__main__":
    sys.exit(main())
