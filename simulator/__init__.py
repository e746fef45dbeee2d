"""Policy scenario simulator: EU sanctions choices, a regime's prisoner releases, and its narratives."""

# The one place the version is written: pyproject.toml reads it from here.
__version__ = "0.1.0"

from .core.model import State, start, step  # noqa: E402
from .core.parameters import ParameterInfo, parameter_table  # noqa: E402
from .core.provenance import provenance  # noqa: E402
from .core.results import Results, quantile_bands  # noqa: E402
from .core.runner import results_from_state, simulate  # noqa: E402
from .core.scenarios import (  # noqa: E402
    ScenarioError,
    check_runnable,
    load_preset,
    load_scenario,
    parse_scenario_yaml,
    preset_names,
    save_scenario,
    scenario_to_yaml,
    validate_scenario,
    with_overrides,
)
from .core.schema import ACTIONS, Scenario  # noqa: E402

__all__ = [
    "ACTIONS",
    "ParameterInfo",
    "Results",
    "Scenario",
    "ScenarioError",
    "State",
    "check_runnable",
    "load_preset",
    "load_scenario",
    "parameter_table",
    "parse_scenario_yaml",
    "preset_names",
    "provenance",
    "quantile_bands",
    "results_from_state",
    "save_scenario",
    "scenario_to_yaml",
    "simulate",
    "start",
    "step",
    "validate_scenario",
    "with_overrides",
]
