"""Reading, writing and overriding scenarios, with errors a person can act on."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .schema import Scenario
from .shipped import PRESETS, names_in, shipped

MAX_SCENARIO_BYTES = 256 * 1024
# The version of the scenario-file format; saved files carry it, files without it are read as this version.
SCHEMA_VERSION = 1


class ScenarioError(ValueError):
    """A scenario that cannot be used; `problems` lists one readable line per bad field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


MAX_SHOWN_VALUE = 80


def _shown(value) -> str:
    """A bad value as it appears in a message, cut short so a huge input cannot flood it."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= MAX_SHOWN_VALUE else text[: MAX_SHOWN_VALUE - 3] + "..."


def describe_error(error: dict) -> str:
    """One readable line for a pydantic error: the field path, the bad value and what is allowed."""
    path = ".".join(str(p) for p in error["loc"]) or "scenario"
    ctx = error.get("ctx", {})
    kind = error["type"]
    shown = _shown(error.get("input"))
    if kind in ("less_than_equal", "less_than"):
        return f"{path}: {shown} is above the maximum {ctx.get('le', ctx.get('lt'))}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{path}: {shown} is below the minimum {ctx.get('ge', ctx.get('gt'))}"
    if kind == "extra_forbidden":
        return f"{path}: unknown field (check the spelling; see the parameter list in docs/model.md)"
    if kind == "literal_error":
        return f"{path}: {shown} is not allowed; choose one of {ctx.get('expected')}"
    if kind == "value_error":
        return f"{path}: {error['msg'].removeprefix('Value error, ')}"
    return f"{path}: {shown} is not valid ({error['msg']})"


def validate_scenario(data: dict[str, Any]) -> Scenario:
    """Build a Scenario from plain data, raising ScenarioError that names each bad field, value and range."""
    if not isinstance(data, dict):
        raise ScenarioError([f"scenario: expected a mapping of groups to parameters, got {type(data).__name__}"])
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError([describe_error(e) for e in exc.errors()]) from None


def read_yaml_safely(text: str | bytes, kind: str = "scenario files") -> Any:
    """Parse YAML without code execution, aliases or oversize input; errors are ScenarioErrors naming the file."""
    if len(text) > MAX_SCENARIO_BYTES:
        raise ScenarioError([f"file: {len(text)} bytes is above the maximum {MAX_SCENARIO_BYTES} bytes"])
    try:
        # Aliases can expand a small file into an enormous structure ("billion laughs"); our files never need them.
        if any(isinstance(token, yaml.AliasToken) for token in yaml.scan(text, Loader=yaml.SafeLoader)):
            raise ScenarioError([f"file: uses YAML aliases (*name), which {kind} do not allow"])
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError([f"file: not valid YAML ({str(exc).splitlines()[0]})"]) from None
    return {} if data is None else data


def parse_scenario_yaml(text: str | bytes) -> Scenario:
    """Parse scenario YAML safely (no code execution, no aliases, size-limited) and validate it."""
    return validate_scenario(read_yaml_safely(text))


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario YAML file; missing parameters take their defaults."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError([f"file: {str(path)!r} does not exist"])
    return parse_scenario_yaml(path.read_bytes())


def scenario_to_yaml(scenario: Scenario) -> str:
    """Write a scenario as YAML that load_scenario reads back to an equal scenario."""
    return yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    """Save a scenario to a YAML file."""
    Path(path).write_text(scenario_to_yaml(scenario), encoding="utf-8")


def with_overrides(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """Return a new scenario with parameters replaced by dotted path, e.g. {'regime.release_cost': 0.4}."""
    data = copy.deepcopy(scenario.model_dump(mode="python"))
    problems = []
    for path, value in overrides.items():
        node = data
        *parents, leaf = path.split(".")
        for part in parents:
            if not isinstance(node.get(part), dict):
                problems.append(f"{path}: unknown parameter (no group {part!r})")
                break
            node = node[part]
        else:
            if leaf not in node:
                problems.append(f"{path}: unknown parameter")
            else:
                node[leaf] = value
    if problems:
        raise ScenarioError(problems)
    return validate_scenario(data)


def preset_names() -> list[str]:
    """Names of the ready-made scenarios shipped with the package."""
    return names_in(PRESETS)


def load_preset(name: str) -> Scenario:
    """Load a ready-made scenario by name (e.g. 'baseline_2024')."""
    if name not in preset_names():
        raise ScenarioError([f"preset: {name!r} is not one of {preset_names()}"])
    return parse_scenario_yaml(shipped(PRESETS, f"{name}.yaml").read_bytes())
