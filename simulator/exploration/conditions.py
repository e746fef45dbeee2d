"""Outcomes of interest: conditions such as 'total_released > 300 and net_change_in_prisoners <= 0'.

A condition is parsed, never evaluated as code, and read at each design point's statistic over
replications (the mean by default). Scenario discovery (decision tree or PRIM) looks for where it holds.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

import numpy as np

from .sweeps import SweepResults

_OPERATORS = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
_CLAUSE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*$")
# A condition longer than this is not something a person typed; refusing it keeps error messages short.
MAX_CONDITION_CHARS = 2000


@dataclass(frozen=True)
class Clause:
    """One part of an outcome condition: indicator, comparison and threshold."""

    indicator: str
    op: str
    value: float

    def holds(self, values: np.ndarray) -> np.ndarray:
        """Whether each value satisfies the clause, shape like `values`."""
        return _OPERATORS[self.op](values, self.value)


def parse_condition(text: str, indicators: list[str]) -> list[Clause]:
    """Read a condition such as 'total_released > 300 and net_change_in_prisoners <= 0' (no code is run)."""
    if len(text) > MAX_CONDITION_CHARS:
        raise ValueError(f"condition: {len(text)} characters is longer than the {MAX_CONDITION_CHARS} allowed")
    clauses, problems = [], []
    for part in re.split(r"\s+and\s+", text.strip()):
        match = _CLAUSE.match(part)
        if not match:
            shown = part if len(part) <= 80 else part[:77] + "..."
            problems.append(f"condition: {shown!r} is not 'indicator op number' (op one of {', '.join(_OPERATORS)})")
        elif match[1] not in indicators:
            problems.append(f"condition: {match[1]!r} is not an indicator; choose from {indicators}")
        else:
            clauses.append(Clause(match[1], match[2], float(match[3])))
    if problems:
        raise ValueError("; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else ""))
    return clauses


def cases_of_interest(results: SweepResults, condition: str, statistic: str = "mean") -> np.ndarray:
    """Whether the condition holds at each design point, shape (points,), in point order."""
    table = results.table(statistic)
    clauses = parse_condition(condition, results.indicators)
    return np.logical_and.reduce([c.holds(table[c.indicator].to_numpy()) for c in clauses])
