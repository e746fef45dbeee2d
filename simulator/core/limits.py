"""Resource limits, in one place: how large a run may be, how large and deep a file may be, what dates mean.

The numbers come from measurements on the 2-core, 23 GiB development machine (see docs/robustness.md):
the model holds about 45 MiB per million agents (replications x audience.size) and steps one agent-month
in about 3 ns (13 ns and 60 MiB before random streams v2: the limits were set then and kept); the result
tables take about 1.45 KiB per replication-month (row of `Results.monthly`).
The library's limits keep one run under about 2 GiB and a minute; the shared app's are smaller.
"""

from __future__ import annotations

from dataclasses import dataclass

# Scenario and sweep files: checked before parsing, so a huge or deeply nested file costs nothing.
MAX_FILE_BYTES = 256 * 1024
# Scenario files nest four levels (eu.policy.schedule[i]); sweep specs five. 32 leaves room and stays far
# below the recursion the YAML composer would hit (about 300 levels).
MAX_YAML_DEPTH = 32
# A scenario file holds about 150 values (400 with a long schedule) and a sweep spec a few dozen; reading
# 2,000 takes about 0.05 s on an idle core.
MAX_YAML_NODES = 2_000
# Base-60 integers (1:2:3:...) cost quadratic time to build; no setting needs a number this long.
MAX_NUMBER_CHARS = 100

# Error messages: a huge input must not produce a huge message.
MAX_SHOWN_VALUE = 80
MAX_PROBLEM_CHARS = 300
MAX_PROBLEMS = 20

# Text fields: a scenario must still fit in a file once saved with every default written out (about 5 KiB).
MAX_NAME_CHARS = 200
MAX_DESCRIPTION_CHARS = 20_000
MAX_SCENARIO_JSON_BYTES = MAX_FILE_BYTES // 2

# Months a scenario may start (and hold its election) in: with the 120-month horizon every simulated month
# stays a valid pandas timestamp (1677-2262), and the range covers any plausible study.
FIRST_MONTH = "1990-01"
LAST_MONTH = "2100-12"
# Agents stepped together when a sweep batches its design points into one run (about 45 MiB).
BATCH_AGENTS = 1_000_000


@dataclass(frozen=True)
class RunLimits:
    """The largest run allowed: agents held at once, agent-months stepped, rows in the monthly table."""

    agents: int
    agent_months: int
    result_rows: int
    owner: str


# 10 million agents: about 450 MiB; 600 million agent-months: about 2 s of model time;
# 1 million rows: about 1.4 GiB of tables and 25 s to build them.
LIBRARY_LIMITS = RunLimits(agents=10_000_000, agent_months=600_000_000, result_rows=1_000_000, owner="the")
# The app is shared by a room: each run must stay a few seconds and a few hundred MiB.
APP_LIMITS = RunLimits(agents=10_000_000, agent_months=250_000_000, result_rows=250_000, owner="the app's")


def run_size_problems(replications: int, agents: int, months: int, limits: RunLimits = LIBRARY_LIMITS) -> list[str]:
    """Why a run of this size is refused (empty if it fits), one line per limit naming the fields and values."""
    problems = []
    if replications * agents > limits.agents:
        problems.append(
            f"simulation.replications x audience.size: {replications:,} x {agents:,} = {replications * agents:,} "
            f"agents is above {limits.owner} limit of {limits.agents:,} (about 45 MiB per million agents)"
        )
    if replications * agents * months > limits.agent_months:
        problems.append(
            f"simulation.replications x audience.size x simulation.months: {replications:,} x {agents:,} x "
            f"{months} = {replications * agents * months:,} agent-months is above {limits.owner} limit of "
            f"{limits.agent_months:,}"
        )
    if replications * months > limits.result_rows:
        problems.append(
            f"simulation.replications x simulation.months: {replications:,} x {months} = {replications * months:,} "
            f"result rows is above {limits.owner} limit of {limits.result_rows:,} (about 1.45 KiB per row)"
        )
    return problems
