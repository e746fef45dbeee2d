"""The `simulator` command: run scenarios, sweeps, sensitivity analysis and scenario discovery from a terminal."""

from __future__ import annotations

import subprocess
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
import yaml
from rich.console import Console
from rich.table import Table

from .core.scenarios import ScenarioError, load_preset, load_scenario, parse_scenario_yaml, preset_names

app = typer.Typer(
    name="simulator",
    help="Prisoner-release diplomacy simulator: EU sanctions choices vs a regime's release of political prisoners.",
    no_args_is_help=True,
    add_completion=False,
)


class Format(StrEnum):
    """File format of written tables."""

    parquet = "parquet"
    csv = "csv"


Scheduler = Annotated[
    str,
    typer.Option(
        help="'local' (processes here), 'dask-local' (a Dask LocalCluster) or a scheduler address tcp://host:8786."
    ),
]
Workers = Annotated[int | None, typer.Option(min=1, help="Worker processes (default: one per core; 1 runs here).")]
ChunkPoints = Annotated[int | None, typer.Option(min=1, help="Design points per task (default: automatic).")]
OutFolder = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Folder for results; a sweep resumes there (default: sweeps_out/SPEC)."),
]
Formats = Annotated[Format, typer.Option("--format", "-f", help="Format of the tables written.")]


def _examples(*commands: str) -> str:
    """Help epilog listing example commands, one per line."""
    return "Examples:\n\n" + "\n\n".join(f"  {c}" for c in commands)


def _fail(problems: list[str], what: str) -> typer.Exit:
    """Print readable problems to stderr, one per line, and return the exit that signals them."""
    typer.secho(what, err=True, fg=typer.colors.RED, bold=True)
    for problem in problems:
        typer.echo(f"  - {problem}", err=True)
    return typer.Exit(code=1)


def _scenario(name_or_path: str):
    if name_or_path.endswith((".yaml", ".yml")) or Path(name_or_path).is_file():
        return load_scenario(name_or_path)
    return load_preset(name_or_path)


def _write(frame: pd.DataFrame, folder: Path, name: str, fmt: Format) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.{fmt.value}"
    frame.to_parquet(path, index=False) if fmt is Format.parquet else frame.to_csv(path, index=False)
    return path


def _number(value: float) -> str:
    """Counts as whole numbers with thousands separators, small quantities with three significant digits."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _print_frame(frame: pd.DataFrame, title: str) -> None:
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        table.add_column(str(column), justify="right" if pd.api.types.is_numeric_dtype(frame[column]) else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*[_number(v) if isinstance(v, float) else str(v) for v in row])
    Console(highlight=False).print(table)


@app.command(
    epilog=_examples("simulator run baseline_2024", "simulator run scenarios/reciprocal.yaml -n 200 -o runs/reciprocal")
)
def run(
    scenario: Annotated[str, typer.Argument(help="A preset name (e.g. baseline_2024) or a scenario YAML file.")],
    replications: Annotated[int | None, typer.Option("--replications", "-n", min=1, help="Replications.")] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Root seed (default: the scenario's).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for monthly and summary tables.")] = None,
    fmt: Formats = Format.parquet,
) -> None:
    """Run one scenario and print the spread of its summary indicators."""
    from .core.runner import simulate

    try:
        chosen = _scenario(scenario)
    except ScenarioError as exc:
        known = [] if scenario.endswith((".yaml", ".yml")) else [f"presets: {', '.join(preset_names())}"]
        raise _fail(exc.problems + known, f"Cannot run {scenario}:") from None
    results = simulate(chosen, replications, seed)
    quantiles = results.summary.drop(columns="replication").quantile([0.05, 0.5, 0.95]).T
    quantiles.columns = ["q05", "median", "q95"]
    _print_frame(quantiles.reset_index(names="indicator"), f"{chosen.meta.name}: {len(results.summary)} replications")
    if out is not None:
        for path in results.save(out, formats=(fmt.value,)):
            typer.echo(f"wrote {path}")


def _load_spec(spec: Path):
    from .exploration.sweep_specs import load_sweep_spec

    try:
        return load_sweep_spec(spec)
    except ScenarioError as exc:
        raise _fail(exc.problems, f"Invalid sweep spec {spec}:") from None


def _run_spec(spec_path: Path, out: Path | None, scheduler: str, workers: int | None, chunk_points: int | None):
    """Run (or resume) the sweep of a spec file in its folder, with a progress bar."""
    from pydantic import ValidationError

    from .exploration.execution import Execution
    from .exploration.sweeps import run_sweep

    spec = _load_spec(spec_path)
    try:
        execution = Execution(scheduler=scheduler, workers=workers, chunk_points=chunk_points)
    except ValidationError as exc:
        raise _fail(
            [f"{e['loc'][0]}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()], "Invalid options:"
        ) from None
    folder = out or Path("sweeps_out") / spec_path.stem
    started = time.perf_counter()
    try:
        results = run_sweep(spec, folder, execution=execution, progress=True)
    except ScenarioError as exc:
        raise _fail(exc.problems, f"Cannot run {spec_path}:") from None
    except OSError as exc:  # includes timeouts; a remote scheduler is the usual cause, else the output folder
        where = f"scheduler: cannot reach {scheduler!r}" if "://" in scheduler else f"out: cannot write {str(folder)!r}"
        raise _fail([f"{where} ({exc})"], f"Cannot run {spec_path}:") from None
    except KeyboardInterrupt:
        typer.echo(f"Interrupted: finished chunks are saved in {folder}; rerun the same command to resume.", err=True)
        raise typer.Exit(code=130) from None
    typer.echo(
        f"{len(results.points)} points x {spec.replications} replications in "
        f"{time.perf_counter() - started:.1f} s; results in {folder}"
    )
    return results, folder


@app.command(
    epilog=_examples(
        "simulator sweep sweeps/release_cost_grid.yaml",
        "simulator sweep sweeps/policies_lhs.yaml --out sweeps_out/policies   (rerun to resume)",
        "simulator sweep sweeps/policies_lhs.yaml --scheduler dask-local --workers 2",
        "simulator sweep sweeps/policies_lhs.yaml --scheduler tcp://scheduler-host:8786",
    )
)
def sweep(
    spec: Annotated[Path, typer.Argument(help="A sweep spec YAML file (base, overrides, design, replications, seed).")],
    out: OutFolder = None,
    scheduler: Scheduler = "local",
    workers: Workers = None,
    chunk_points: ChunkPoints = None,
    fmt: Formats = Format.parquet,
) -> None:
    """Run a sweep (resumable: rerun the same command after an interruption), write its tables, print a summary."""
    results, folder = _run_spec(spec, out, scheduler, workers, chunk_points)
    if fmt is Format.csv:
        typer.echo(f"wrote {_write(results.statistics, folder, 'statistics', fmt)}")
    means = results.table("mean")[results.indicators].describe().T[["min", "50%", "max"]]
    means.columns = ["lowest", "median", "highest"]
    _print_frame(means.reset_index(names="indicator"), "Mean over replications, across design points")


@app.command(
    epilog=_examples(
        "simulator sensitivity sweeps/sobol_regime.yaml --indicator total_released",
        "simulator sensitivity sweeps/sobol_regime.yaml -i prisoner_months --plot sobol.html",
        "simulator sensitivity sweeps/morris_screening.yaml -i final_acceptance",
    )
)
def sensitivity(
    spec: Annotated[Path, typer.Argument(help="A sweep spec whose design kind is sobol_sensitivity or morris.")],
    indicator: Annotated[str, typer.Option("--indicator", "-i", help="Summary indicator to analyse.")] = (
        "total_released"
    ),
    statistic: Annotated[str, typer.Option(help="Statistic over replications: mean, std, q05, q50...")] = "mean",
    plot: Annotated[Path | None, typer.Option(help="Also write the bar chart to this HTML file.")] = None,
    out: OutFolder = None,
    scheduler: Scheduler = "local",
    workers: Workers = None,
    chunk_points: ChunkPoints = None,
    fmt: Formats = Format.csv,
) -> None:
    """Sobol indices (S1, ST with confidence intervals) or Morris screening of an indicator, per policy level."""
    from .exploration.sensitivity import sensitivity as analyse

    results, folder = _run_spec(spec, out, scheduler, workers, chunk_points)
    try:
        result = analyse(results, indicator, statistic)
    except ValueError as exc:
        raise _fail([str(exc)], "Cannot analyse:") from None
    _print_frame(result.table, f"{result.method} indices of {indicator} ({statistic})")
    typer.echo(f"wrote {_write(result.table, folder, f'sensitivity-{indicator}', fmt)}")
    if plot is not None:
        result.figure().write_html(plot)
        typer.echo(f"wrote {plot}")


@app.command(
    epilog=_examples(
        "simulator discover sweeps/policies_lhs.yaml --where 'total_released > 300 and net_change_in_prisoners <= 0'",
        "simulator discover sweeps/policies_lhs.yaml --where 'final_acceptance < 0.4' --max-depth 2",
    )
)
def discover(
    spec: Annotated[Path, typer.Argument(help="A sweep spec (any design kind).")],
    where: Annotated[str, typer.Option(help="Outcome of interest: 'indicator op number' clauses joined by 'and'.")],
    statistic: Annotated[str, typer.Option(help="Statistic over replications the condition reads.")] = "mean",
    max_depth: Annotated[int, typer.Option(min=1, max=10, help="Most limits in one box.")] = 3,
    out: OutFolder = None,
    scheduler: Scheduler = "local",
    workers: Workers = None,
    chunk_points: ChunkPoints = None,
    fmt: Formats = Format.csv,
) -> None:
    """Scenario discovery: boxes of parameter values where the outcome of interest holds, with coverage and density."""
    from .exploration.discovery import discover as find_boxes

    results, folder = _run_spec(spec, out, scheduler, workers, chunk_points)
    try:
        found = find_boxes(results, where, statistic, max_depth=max_depth)
    except ValueError as exc:
        raise _fail([str(exc)], "Cannot discover:") from None
    typer.echo(f"{found.base_rate:.0%} of the design points satisfy: {where}")
    _print_frame(found.boxes, "Boxes where the outcome is the rule")
    typer.echo(f"wrote {_write(found.limits, folder, 'discovery-limits', fmt)}")
    typer.echo(f"wrote {_write(found.boxes, folder, 'discovery-boxes', fmt)}")


@app.command(
    epilog=_examples(
        "simulator compare sweeps/policies_lhs.yaml -i prisoner_months --lower-is-better",
        "simulator compare sweeps/policies_lhs.yaml -i total_released",
    )
)
def compare(
    spec: Annotated[Path, typer.Argument(help="A sweep spec whose factors include the policy lever's levels.")],
    indicator: Annotated[str, typer.Option("--indicator", "-i", help="Summary indicator to compare.")] = (
        "total_released"
    ),
    lever: Annotated[str, typer.Option(help="Discrete factor(s), comma-separated, whose levels are the policies.")] = (
        "eu.policy.kind"
    ),
    lower_is_better: Annotated[bool, typer.Option(help="Prefer lower values (e.g. prisoner_months).")] = False,
    out: OutFolder = None,
    scheduler: Scheduler = "local",
    workers: Workers = None,
    chunk_points: ChunkPoints = None,
    fmt: Formats = Format.csv,
) -> None:
    """Policy comparison under uncertainty: each policy's outcomes across all worlds, and its regret."""
    from .exploration.comparison import compare_policies

    results, folder = _run_spec(spec, out, scheduler, workers, chunk_points)
    try:
        found = compare_policies(results, indicator, lever.split(","), better="lower" if lower_is_better else "higher")
    except ValueError as exc:
        raise _fail([str(exc)], "Cannot compare:") from None
    _print_frame(found.summary, f"{indicator} by policy ({'lower' if lower_is_better else 'higher'} is better)")
    typer.echo(f"wrote {_write(found.regret, folder, f'regret-{indicator}', fmt)}")


@app.command(
    epilog=_examples("simulator validate scenarios/reciprocal.yaml", "simulator validate sweeps/sobol_regime.yaml")
)
def validate(file: Annotated[Path, typer.Argument(help="A scenario or sweep spec YAML file.")]) -> None:
    """Check a scenario or sweep spec file: exit code 0 if valid, 1 with one line per problem if not."""
    from .exploration.sweep_specs import parse_sweep_yaml
    from .exploration.sweeps import design_points

    try:
        if not file.is_file():
            raise ScenarioError([f"file: {str(file)!r} does not exist"])
        text = file.read_bytes()
        if _looks_like_sweep(text):
            spec = parse_sweep_yaml(text, file.parent)
            _, points = design_points(spec)
            typer.echo(
                f"{file}: valid sweep spec ({spec.design.kind}: {len(points)} points x "
                f"{spec.replications} replications)"
            )
        else:
            scenario = parse_scenario_yaml(text)
            typer.echo(f"{file}: valid scenario {scenario.meta.name!r} (hash {scenario.digest()})")
    except ScenarioError as exc:
        raise _fail(exc.problems, f"{file} is not valid:") from None


def _looks_like_sweep(text: bytes) -> bool:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    return isinstance(data, dict) and "design" in data


@app.command(
    "app",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    epilog=_examples("simulator app", "simulator app --server.port 8502"),
)
def start_app(context: typer.Context) -> None:
    """Start the Streamlit app shipped in the package; extra options go to Streamlit."""
    script = Path(__file__).resolve().parent / "app" / "main.py"
    command = [sys.executable, "-m", "streamlit", "run", str(script), *context.args]
    raise typer.Exit(subprocess.call(command))
