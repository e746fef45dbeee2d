"""Plain words for what bands and shares carry: chance only, or also what the data leave open."""

from __future__ import annotations

from ..core.parameters import parameter_table
from ..core.schema import Scenario
from ..core.uncertainty import varied_paths


def _uncertainty_control(where: str) -> str:
    """The name of the control that switches drawn assumptions on or off, from the schema, and where it is."""
    label = next(p.label for p in parameter_table(Scenario) if p.path == "simulation.uncertainty")
    return f"'{label}'{where}"


def what_bands_show(scenario: Scenario, where: str = "") -> str:
    """One or two sentences for a chart caption: which uncertainty the bands hold.

    `where` says where the control is when the page showing the caption has none (" on Explore").
    """
    control = _uncertainty_control(where)
    if scenario.simulation.uncertainty == "none":
        return (
            "Every run uses the same assumptions (this parameter set only), so the bands show chance alone. "
            f"Set {control} to posterior to add what the record cannot pin down."
        )
    drawn = len(varied_paths(scenario))
    return (
        f"Each run also draws {drawn} assumptions the record cannot pin down (such as whether sanctions "
        "pressure makes the regime release more or less) from the calibrated posterior, so the bands show "
        f"chance and that uncertainty. Set {control} to none to see this parameter set only."
    )


def what_shares_count(scenario: Scenario) -> str:
    """One sentence for a comparison: what 'in N% of runs' counts over."""
    if scenario.simulation.uncertainty == "none":
        return "Runs differ only by chance: every policy faces the same random numbers and the same assumptions."
    return (
        "Runs differ by chance and by the assumptions the data leave open: each run draws its own, and every "
        "policy faces the same draws, so 'in N% of runs' counts worlds where the assumptions differ too."
    )
