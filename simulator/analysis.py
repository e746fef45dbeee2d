"""The analysts' toolkit in one import: sweeps, sensitivity analysis, scenario discovery and policy comparison.

    from simulator.analysis import sweep, sensitivity, discover, prim, compare_policies

It needs the `analysis` extra (SALib, scikit-learn, and Dask for clusters). See docs/analysts.md.
"""

from .exploration.comparison import PolicyComparison, compare_policies
from .exploration.designs import Design, Factor, SpecError, expand
from .exploration.discovery import Discovery, discover
from .exploration.ema_bridge import ScenarioFunction, ema_model, to_ema
from .exploration.execution import Execution
from .exploration.prim_discovery import PrimResult, PrimSettings, prim, prim_table
from .exploration.sensitivity import SensitivityResult, sensitivity
from .exploration.sweep_specs import SweepSpec, load_sweep_spec, parse_sweep_yaml, validate_sweep_spec
from .exploration.sweeps import ScenarioModel, SweepResults, design_points, point_statistics, run_sweep, sweep

__all__ = [
    "Design",
    "Discovery",
    "Execution",
    "Factor",
    "PolicyComparison",
    "PrimResult",
    "PrimSettings",
    "ScenarioFunction",
    "ScenarioModel",
    "SensitivityResult",
    "SpecError",
    "SweepResults",
    "SweepSpec",
    "compare_policies",
    "design_points",
    "discover",
    "ema_model",
    "expand",
    "load_sweep_spec",
    "parse_sweep_yaml",
    "point_statistics",
    "prim",
    "prim_table",
    "run_sweep",
    "sensitivity",
    "sweep",
    "to_ema",
    "validate_sweep_spec",
]
