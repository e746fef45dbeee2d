"""Policy scenario simulator: EU sanctions choices, a regime's prisoner releases, and its narratives."""

from .core.model import State, start, step
from .core.parameters import ParameterInfo, parameter_table
from .core.provenance import provenance
from .core.results import Results, quantile_bands
from .core.runner import results_from_state, simulate
from .core.scenarios import (
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
from .core.schema import ACTIONS, Scenario
from .core.version import MODEL_VERSION, __version__

__all__ = [
    "ACTIONS",
    "MODEL_VERSION",
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
    "__version__",
]
