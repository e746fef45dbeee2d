"""`simulator validate`: check a scenario or sweep spec file without running it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..core.scenarios import ScenarioError, parse_scenario_yaml, read_yaml_safely
from ..core.yaml_files import YamlRefused, read_limited
from .options import AsJson, examples
from .reporting import MAX_PROBLEMS, cut, fail, friendly
from .tables import print_json


@friendly("Cannot validate")
def validate(
    file: Annotated[Path, typer.Argument(help="A scenario or sweep spec YAML file.")], as_json: AsJson = False
) -> None:
    """Check a scenario or sweep spec file: exit code 0 if valid, 1 with one line per problem if not."""
    try:
        if not file.is_file():
            raise ScenarioError([f"file: {str(file)!r} does not exist"])
        try:
            text = read_limited(file)  # its size first: a huge file is refused without being read
        except YamlRefused as exc:
            raise ScenarioError([f"file: {exc}"]) from None
        document = _validated(file, text)
    except ScenarioError as exc:
        if as_json:
            print_json({"file": str(file), "valid": False, "problems": [cut(p) for p in exc.problems[:MAX_PROBLEMS]]})
            raise typer.Exit(code=1) from None
        raise fail(exc.problems, f"{file} is not valid:") from None
    if as_json:
        print_json({"file": str(file), "valid": True, **document})
    else:
        typer.echo(document["message"])


def _validated(file: Path, text: bytes) -> dict:
    """What a valid file holds, or ScenarioError naming each problem."""
    if _looks_like_sweep(text):
        from ..exploration.sweep_specs import parse_sweep_yaml
        from ..exploration.sweeps import design_points

        spec = parse_sweep_yaml(text, file.parent)
        _, points = design_points(spec)
        message = (
            f"{file}: valid sweep spec ({spec.design.kind}: {len(points)} points x {spec.replications} replications)"
        )
        return {"kind": "sweep", "points": len(points), "replications": spec.replications, "message": message}
    scenario = parse_scenario_yaml(text)
    message = f"{file}: valid scenario {scenario.meta.name!r} (hash {scenario.digest()})"
    return {"kind": "scenario", "name": scenario.meta.name, "hash": scenario.digest(), "message": message}


def _looks_like_sweep(text: bytes) -> bool:
    try:
        data = read_yaml_safely(text)
    except ScenarioError:
        return False  # the scenario reader reports why the file cannot be read
    return isinstance(data, dict) and "design" in data


def register(app: typer.Typer) -> None:
    """Add `validate` to the command."""
    app.command(epilog=examples("simulator validate my_scenario.yaml", "simulator validate my_sweep.yaml"))(validate)
