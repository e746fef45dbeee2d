"""Reading, writing and overriding scenarios, with errors a person can act on."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .limits import (
    MAX_FILE_BYTES,
    MAX_PROBLEM_CHARS,
    MAX_PROBLEMS,
    MAX_SHOWN_VALUE,
    MAX_YAML_NODES,
    run_size_problems,
)
from .migration import migrate_path
from .schema import Scenario
from .shipped import PRESETS, names_in, shipped
from .yaml_files import YamlRefused, load_yaml

# Kept for callers that import it from here; the limit itself lives in limits.py.
MAX_SCENARIO_BYTES = MAX_FILE_BYTES
# The version of the scenario-file format; saved files carry it. Version 1 (and a file without the line) is read
# too: its flat regime parameters move to their mechanism's group, with a notice (migration.py).
SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)


def _cut(line: str) -> str:
    return line if len(line) <= MAX_PROBLEM_CHARS else line[: MAX_PROBLEM_CHARS - 3] + "..."


class ScenarioError(ValueError):
    """A scenario that cannot be used; `problems` holds one readable line per bad field (at most 20 shown)."""

    def __init__(self, problems: list[str]):
        shown = [_cut(str(p)) for p in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"... and {len(problems) - MAX_PROBLEMS:,} more problems")
        self.problems = shown
        super().__init__("; ".join(shown))


def _shown(value) -> str:
    """A bad value as it appears in a message, cut short so a huge input cannot flood it."""
    try:
        text = repr(value) if isinstance(value, str) else str(value)
    except ValueError:  # an integer of more than 4,300 digits cannot even be printed
        text = f"an integer of about {int(value.bit_length() * 0.30103):,} digits"
    return text if len(text) <= MAX_SHOWN_VALUE else text[: MAX_SHOWN_VALUE - 3] + "..."


_PLAIN_NAME = re.compile(r"^[A-Za-z0-9_]{1,60}$")


def _field_name(part: Any) -> str:
    """A path component as it appears in a message: a plain name as it is, anything else quoted and cut."""
    return _field_path([part])


def _field_path(parts) -> str:
    """A dotted field path for a message, safe on one line whatever keys a file or link held."""
    names = [str(part) for part in parts]
    if all(_PLAIN_NAME.match(name) for name in names):
        return ".".join(names)
    shown = repr(".".join(names))
    return shown if len(shown) <= 60 else shown[:57] + "..."


def describe_error(error: Mapping[str, Any]) -> str:
    """One readable line for a pydantic error: the field path, the bad value and what is allowed."""
    path = _field_path(error["loc"]) or "scenario"
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


def _schema_version_problem(data: dict[str, Any]) -> str | None:
    version = data.get("schema_version", 1)
    if version in READABLE_VERSIONS and isinstance(version, int) and not isinstance(version, bool):
        return None
    return (
        f"schema_version: {_shown(version)} is not supported; this version of the simulator reads "
        f"schema_version {' and '.join(map(str, READABLE_VERSIONS))} (files without it are read as 1)"
    )


def validate_scenario(data: dict[str, Any]) -> Scenario:
    """Build a Scenario from plain data, raising ScenarioError that names each bad field, value and range."""
    if not isinstance(data, dict):
        raise ScenarioError([f"scenario: expected a mapping of groups to parameters, got {type(data).__name__}"])
    problem = _schema_version_problem(data)
    if problem:
        raise ScenarioError([problem])
    try:
        scenario = Scenario.model_validate({k: v for k, v in data.items() if k != "schema_version"})
    except ValidationError as exc:
        raise ScenarioError([describe_error(e) for e in exc.errors()]) from None
    _check_savable(scenario)
    return scenario


def _check_savable(scenario: Scenario) -> None:
    """Refuse a scenario whose saved file (every default written out) the reader would refuse: too many values."""
    count = saved_values(_saved_data(scenario))
    if count > MAX_YAML_NODES:
        schedules = {
            f"{group}.policy.schedule": len(getattr(scenario, group).policy.schedule)
            for group in ("eu", "second_sender")
        }
        longest = max(schedules, key=lambda path: schedules[path])
        raise ScenarioError(
            [
                f"{longest}: {schedules[longest]:,} months listed; saved with every setting the scenario would hold "
                f"{count:,} values, above the maximum {MAX_YAML_NODES:,} a file may hold; list only the months "
                "where the action changes"
            ]
        )


def read_yaml_safely(text: str | bytes, kind: str = "scenario files") -> Any:
    """Parse YAML without code execution, aliases, duplicate keys, deep nesting or oversize input.

    An empty or comment-only text is refused; every refusal is a ScenarioError whose line starts with 'file:'.
    """
    try:
        data = load_yaml(text, kind)
    except YamlRefused as exc:
        raise ScenarioError([f"file: {exc}"]) from None
    if data is None:
        raise ScenarioError([f"file: is empty (or holds only comments); {kind} need at least one setting"])
    return data


def parse_scenario_yaml(text: str | bytes) -> Scenario:
    """Parse scenario YAML safely (no code execution, no aliases, size- and depth-limited) and validate it."""
    return validate_scenario(read_yaml_safely(text))


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario YAML file; missing parameters take their defaults."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError([f"file: {_shown(str(path))} does not exist"])
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ScenarioError([f"file: {path.stat().st_size:,} bytes is above the maximum {MAX_FILE_BYTES:,} bytes"])
    return parse_scenario_yaml(path.read_bytes())


_ASTRAL_ESCAPE = re.compile(r"\\U[0-9A-F]{8}")


class _Unescaped:
    """A stream that writes PyYAML's escapes of characters beyond U+FFFF as the characters themselves."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, data: str) -> None:
        # In a double-quoted scalar PyYAML writes each escape in a write of its own, and a backslash
        # of the text itself always as "\\", so a write that is exactly one escape is one character.
        self._stream.write(chr(int(data[2:], 16)) if _ASTRAL_ESCAPE.fullmatch(data) else data)


class _Dumper(yaml.SafeDumper):
    """The safe dumper, writing emoji in double-quoted strings as 4 bytes of UTF-8 instead of a 10-byte escape.

    A string holding a byte-order mark or a control character must be double-quoted; PyYAML then
    escapes every emoji in it, which made a 104 KB scenario save to 283 KB, above the reading limit.
    """

    def write_double_quoted(self, text, split=True):
        stream, self.stream = self.stream, _Unescaped(self.stream)
        try:
            super().write_double_quoted(text, split)
        finally:
            self.stream = stream


def saved_values(data: Any) -> int:
    """How many values (scalars and collections) the YAML of `data` holds, as the reader counts them."""
    if isinstance(data, dict):
        return 1 + sum(1 + saved_values(value) for value in data.values())
    if isinstance(data, list | tuple):
        return 1 + sum(saved_values(value) for value in data)
    return 1


def _saved_data(scenario: Scenario) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, **scenario.model_dump(mode="json")}


def scenario_to_yaml(scenario: Scenario) -> str:
    """Write a scenario as YAML (with its schema_version) that load_scenario reads back to an equal scenario."""
    return yaml.dump(_saved_data(scenario), Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    """Save a scenario to a YAML file."""
    Path(path).write_text(scenario_to_yaml(scenario), encoding="utf-8")


def check_runnable(scenario: Scenario, replications: int | None = None) -> None:
    """Refuse, before any work, a scenario that validates but cannot run unattended, or a run too large.

    An interactive policy needs a person each month (the workshop steps it by hand); `replications`
    overrides the scenario's own, as `simulate(..., replications=N)` does.
    """
    count = scenario.simulation.replications if replications is None else replications
    problems = [
        f"{group}.policy.kind: 'interactive' needs a person to choose each month (the Workshop pages, or "
        "step(state, eu_action=...)); to run it unattended choose fixed, schedule, reciprocal, maximalist or graduated"
        for group in ("eu", "second_sender")
        if getattr(scenario, group).enabled and getattr(scenario, group).policy.kind == "interactive"
    ]
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        problems.append(f"replications: {_shown(count)} is not allowed; give a whole number of at least 1")
    else:
        problems += run_size_problems(count, scenario.audience.size, scenario.simulation.months)
    if problems:
        raise ScenarioError(problems)


def with_overrides(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """Return a new scenario with parameters replaced by dotted path, e.g. {'regime.pardons.release_cost': 0.4}."""
    data = copy.deepcopy(scenario.model_dump(mode="python"))
    problems = []
    for path, value in overrides.items():
        if not isinstance(path, str):
            problems.append(
                f"{_field_name(path)}: a parameter is named by a dotted path such as 'regime.pardons.release_cost'"
            )
            continue
        current = migrate_path(path)
        if current is None:
            continue  # a version-1 parameter that version 2 dropped (migrate_path says so)
        path = current
        node = data
        *parents, leaf = path.split(".")
        shown = _field_path(path.split("."))
        for part in parents:
            if not isinstance(node.get(part), dict):
                problems.append(f"{shown}: unknown parameter (no group {_field_name(part)})")
                break
            node = node[part]
        else:
            if leaf not in node:
                problems.append(f"{shown}: unknown parameter")
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
        raise ScenarioError([f"preset: {_shown(name)} is not one of {preset_names()}"])
    return parse_scenario_yaml(shipped(PRESETS, f"{name}.yaml").read_bytes())
