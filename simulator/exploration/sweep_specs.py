"""Sweep specs: everything that determines a sweep's results, validated, hashable, and readable from YAML.

A spec file names a base scenario (a preset or a scenario file) and fixed overrides, the design (what
varies and how it is sampled), the replications, the seed, the random streams and the statistics kept.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..core.scenarios import ScenarioError, describe_error, load_preset, load_scenario, read_yaml_safely, with_overrides
from ..core.schema import Scenario
from ..core.shipped import SWEEP_EXAMPLES, names_in, shipped
from ..core.yaml_files import YamlRefused, read_limited
from .designs import Design, SpecError

_POINT_STREAM = 2**20  # spawn keys of per-point streams: 2**20 + point index


def quantile_name(q: float) -> str:
    """Column name of a quantile, as in Results.bands: 0.05 -> 'q05', 0.5 -> 'q50', 0.025 -> 'q2.5'."""
    percent = q * 100
    return f"q{round(percent):02d}" if abs(percent - round(percent)) < 1e-9 else f"q{percent:g}"


class SweepSpec(BaseModel):
    """Everything that determines a sweep's results: base scenario, design, replications, seed and outputs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: Scenario = Field(default_factory=Scenario, description="Base scenario that every point modifies.")
    design: Design
    replications: int = Field(20, ge=1, le=100_000, description="Replications at every design point.")
    seed: int = Field(2024, ge=0, le=2**32 - 1, description="Root seed of the design and of every run.")
    random_streams: Literal["common", "independent"] = Field(
        "common", description="common: every point reuses the root seed; independent: one stream per point."
    )
    quantiles: tuple[float, ...] = Field((0.05, 0.5, 0.95), min_length=1, description="Quantiles over replications.")
    monthly: bool = Field(False, description="Also keep the month-by-month rows of every run (large).")

    @field_validator("quantiles")
    @classmethod
    def _proper_quantiles(cls, values: tuple[float, ...]) -> tuple[float, ...]:
        for q in values:
            if not 0 < q < 1:
                raise ValueError(f"{q} is not a quantile; use numbers strictly between 0 and 1, e.g. 0.05")
        if len({quantile_name(q) for q in values}) != len(values):
            raise ValueError(f"{list(values)} repeats a quantile")
        return values

    def digest(self, model_name: str = "scenario") -> str:
        """Short hash of everything that changes the results (not the scenario's name or description)."""
        data = self.model_dump(mode="json", exclude={"scenario"})
        text = json.dumps({"model": model_name, "scenario": self.scenario.model_json(), **data}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def point_seeds(self, points: np.ndarray) -> list[int]:
        """The root seed of each design point's runs."""
        if self.random_streams == "common":
            return [self.seed] * len(points)
        return [
            int(np.random.SeedSequence(self.seed, spawn_key=(_POINT_STREAM + int(p),)).generate_state(1)[0])
            for p in points
        ]


def validate_sweep_spec(data: Any, folder: str | Path = ".") -> SweepSpec:
    """Build a SweepSpec from plain data; a `base` preset or scenario file plus `overrides` make its scenario.

    Paths in `base` are relative to `folder` (the spec file's folder). Raises SpecError naming each bad field.
    """
    if isinstance(data, SweepSpec):
        return data
    if not isinstance(data, dict):
        raise SpecError([f"spec: expected a mapping of fields to values, got {type(data).__name__}"])
    data = dict(data)
    if "base" in data or "overrides" in data:
        if "scenario" in data:
            raise SpecError(["scenario: give either a scenario or base and overrides, not both"])
        data["scenario"] = _base_scenario(
            data.pop("base", "baseline_2024"), data.pop("overrides", None) or {}, Path(folder)
        )
    try:
        return SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError([describe_error(e) for e in exc.errors()]) from None


def _base_scenario(base: Any, overrides: Any, folder: Path) -> Scenario:
    if not isinstance(base, str):
        raise SpecError([f"base: {base!r} is not a preset name or a scenario file path"])
    if not isinstance(overrides, dict):
        raise SpecError([f"overrides: expected a mapping of dotted paths to values, got {type(overrides).__name__}"])
    try:
        if base.endswith((".yaml", ".yml")):
            scenario = load_scenario(folder / base)
        else:
            scenario = load_preset(base)
        return with_overrides(scenario, overrides)
    except ScenarioError as exc:
        where = "overrides" if overrides and not any(p.startswith(("preset", "file")) for p in exc.problems) else "base"
        raise SpecError([f"{where}: {p}" for p in exc.problems]) from None


def parse_sweep_yaml(text: str | bytes, folder: str | Path = ".") -> SweepSpec:
    """Parse a sweep spec from YAML safely (no code execution, no aliases, size-limited) and validate it."""
    try:
        data = read_yaml_safely(text, kind="sweep specs")
    except ScenarioError as exc:
        raise SpecError(exc.problems) from None
    return validate_sweep_spec(data, folder)


def sweep_example_names() -> list[str]:
    """Names of the example sweep specs shipped with the package (e.g. 'policies_lhs')."""
    return names_in(SWEEP_EXAMPLES)


def load_sweep_spec(path: str | Path) -> SweepSpec:
    """Load a sweep spec YAML file, or a shipped example by name (base scenario, overrides, design, seed)."""
    path = Path(path)
    if not path.is_file() and str(path) in sweep_example_names():
        return parse_sweep_yaml(shipped(SWEEP_EXAMPLES, f"{path}.yaml").read_bytes())
    if not path.is_file():
        raise SpecError([f"file: {str(path)!r} does not exist (nor is it a shipped example: {sweep_example_names()})"])
    try:
        text = read_limited(path, kind="sweep specs")
    except YamlRefused as exc:
        raise SpecError([f"file: {exc}"]) from None
    return parse_sweep_yaml(text, path.parent)
