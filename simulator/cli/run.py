"""`simulator run`: one scenario, its spread of outcomes, and its tables or NetCDF cube."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from ..core.scenarios import ScenarioError, load_preset, load_scenario, preset_names, with_overrides
from .options import AsJson, RunFormat, Seed, examples
from .reporting import cut, fail, friendly
from .tables import print_frame, print_json, records

MAX_SET_CHARS = 200


def scenario_named(name_or_path: str):
    """A scenario from a YAML file, or a shipped preset by name."""
    if name_or_path.endswith((".yaml", ".yml")) or Path(name_or_path).is_file():
        return load_scenario(name_or_path)
    return load_preset(name_or_path)


def overrides(assignments: list[str]) -> dict[str, Any]:
    """`key=value` pairs from --set as dotted-path overrides; values are read as YAML scalars or lists."""
    found, problems = {}, []
    for assignment in assignments:
        key, sep, text = assignment.partition("=")
        if not sep or not key.strip():
            problems.append(
                f"--set: {cut(assignment, 80)!r} is not key=value (e.g. --set regime.pardons.release_cost=0.4)"
            )
        elif len(text) > MAX_SET_CHARS:
            problems.append(f"--set {key}: the value is {len(text)} characters, above the {MAX_SET_CHARS} allowed")
        else:
            try:
                found[key.strip()] = yaml.safe_load(text) if text.strip() else ""
            except yaml.YAMLError:
                problems.append(f"--set {key}: {cut(text, 80)!r} is not a value")
    if problems:
        raise ScenarioError(problems)
    return found


@friendly("Cannot run")
def run(
    scenario: Annotated[str, typer.Argument(help="A preset name (e.g. baseline_2024) or a scenario YAML file.")],
    replications: Annotated[int | None, typer.Option("--replications", "-n", min=1, help="Replications.")] = None,
    seed: Seed = None,
    assignments: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="Change a parameter by dotted path, e.g. --set regime.pardons.release_cost=0.4 (repeat)."
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for monthly and summary tables.")] = None,
    fmt: Annotated[
        RunFormat, typer.Option("--format", "-f", help="Tables (parquet, csv) or one NetCDF cube (netcdf).")
    ] = RunFormat.parquet,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on stderr.")] = True,
    as_json: AsJson = False,
) -> None:
    """Run one scenario and print the spread of its summary indicators."""
    from ..core.runner import check_seed, simulate
    from ..core.scenarios import check_runnable
    from ..exploration.execution import progress_bar

    try:
        chosen = scenario_named(scenario)
    except ScenarioError as exc:
        known = [] if scenario.endswith((".yaml", ".yml")) else [f"presets: {', '.join(preset_names())}"]
        raise fail(exc.problems + known, f"Cannot run {scenario}:") from None
    if assignments:
        chosen = with_overrides(chosen, overrides(assignments))
    count = chosen.simulation.replications if replications is None else replications
    if seed is not None:
        check_seed(seed, "--seed")
    check_runnable(chosen, count)  # refused at once, before any work or progress bar
    if progress:
        with progress_bar("Run", count * chosen.simulation.months, unit="replication-months") as update:
            results = simulate(chosen, replications, seed, progress=update)
    else:
        results = simulate(chosen, replications, seed)
    quantiles = results.summary.drop(columns="replication").quantile([0.05, 0.5, 0.95]).T
    quantiles.columns = ["q05", "median", "q95"]
    table = quantiles.reset_index(names="indicator")
    written = [str(p) for p in _save_run(results, out, fmt)] if out is not None else []
    if as_json:
        print_json({"scenario": chosen.meta.name, **results.metadata, "indicators": records(table), "wrote": written})
        return
    print_frame(table, f"{chosen.meta.name}: {len(results.summary)} replications")
    for path in written:
        typer.echo(f"wrote {path}")


def _save_run(results, out: Path, fmt: RunFormat) -> list[Path]:
    if fmt is RunFormat.netcdf:
        from ..core.cube import save_netcdf

        return [save_netcdf(results, out / "results.nc")]
    return results.save(out, formats=(fmt.value,))


def register(app: typer.Typer) -> None:
    """Add `run` to the command."""
    app.command(
        epilog=examples(
            "simulator run baseline_2024",
            "simulator run reciprocal -n 200 -o runs/reciprocal",
            "simulator run my_scenario.yaml -n 200",
            "simulator run baseline_2024 -o runs/baseline --format netcdf",
            "simulator run baseline_2024 --set eu.policy.kind=reciprocal --set regime.pardons.release_cost=0.4 --json",
        )
    )(run)
