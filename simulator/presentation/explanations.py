"""Plain-language explanations of the regime's decisions, from the driver columns of the results.

The same words serve every page (Explore's story, the workshop's reveal, the driver charts), so
the regime's reasons read alike wherever a person meets them.
"""

from __future__ import annotations

import pandas as pd

from ..core.schema import Scenario

# Plain-language names of the model's drivers, for the reveal's "why" line.
RELEASE_DRIVERS = {
    "election": "the coming election",
    "pressure": "sanctions pressure",
    "mobilisation": "fear of looking weak before protesters",
    "cost": "the cost of letting prisoners go",
}
REPRESSION_DRIVERS = {
    "mobilisation": "crushing protest",
    "siege": "a crackdown under the siege",
    "hostage": "taking new prisoners to trade",
    "election": "the pre-election crackdown",
}


def _signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "\u2212")


def why_release(rows: pd.DataFrame, scenario: Scenario) -> str:
    """One line naming what pushed the regime towards releases this month and what held it back."""
    names = dict(RELEASE_DRIVERS)
    names.update({f"relief_{s.key}": f"hope of relief from the {s.name}" for s in scenario.senders()})
    means = {k: float(rows[f"driver_{k}"].mean()) for k in names if f"driver_{k}" in rows}
    push = sorted(((v, k) for k, v in means.items() if v > 0.005), reverse=True)
    hold = sorted((v, k) for k, v in means.items() if v < -0.005)
    pushing = ", ".join(f"{names[k]} ({_signed(v)})" for v, k in push) or "nothing much"
    holding = ", ".join(f"{names[k]} ({_signed(v)})" for v, k in hold) or "nothing much"
    lean = "bigger" if sum(means.values()) > 0 else "smaller"
    return f"Pushing towards releases: {pushing}. Holding them back: {holding}. On balance it leaned to {lean} batches."


def why_arrests(rows: pd.DataFrame) -> str:
    """One line naming what drove arrests above the regime's routine level this month."""
    extra = {k: float(rows[f"repression_{k}"].mean()) for k in REPRESSION_DRIVERS if f"repression_{k}" in rows}
    rising = sorted(((v, k) for k, v in extra.items() if v > 0.005), reverse=True)
    if not rising:
        return "Arrests stayed at the regime's routine level of repression."
    parts = ", ".join(f"{REPRESSION_DRIVERS[k]} ({_signed(v)})" for v, k in rising)
    return f"Arrests above the routine level came from {parts}."
