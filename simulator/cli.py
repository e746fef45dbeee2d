"""The `simulator` command: run scenarios, sweeps, sensitivity analysis and scenario discovery from a terminal.

Every command reports bad input in short lines on stderr and exits 1, never with a traceback (set
SIMULATOR_DEBUG=1 to see one); `--json` prints one JSON document on stdout instead of tables.
"""

from __future__ import annotations

import functools
import json
import math
import os
import sys
import time
import warnings
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import click
import pandas as pd
import typer
import yaml
from rich.console import Console
from rich.table import Table

from .core.scenarios import (
    ScenarioError,
    load_preset,
    load_scenario,
    parse_scenario_yaml,
    preset_names,
    read_yaml_safely,
    with_overrides,
)
from .core.version import __version__
from .extras import MissingExtra

# A huge input must not produce a huge message: lines are cut, and only the first problems are listed.
MAX_PROBLEM_CHARS = 300
MAX_PROBLEMS = 20
MAX_SET_CHARS = 200

app = typer.Typer(
    name="simulator",
    help="Prisoner-release diplomacy simulator: EU sanctions choices vs a regime's release of political prisoners.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    """File format of written tables."""

    parquet = "parquet"
    csv = "csv"


class RunFormat(StrEnum):
    """File format of a run's tables: Parquet or CSV tables, or one NetCDF cube."""

    parquet = "parquet"
    csv = "csv"
    netcdf = "netcdf"


class Method(StrEnum):
    """Scenario-discovery method."""

    tree = "tree"
    prim = "prim"


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
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout instead of tables.")]


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"simulator {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Prisoner-release diplomacy simulator: EU sanctions choices vs a regime's release of political prisoners."""


def _examples(*commands: str) -> str:
    """Help epilog listing example commands, one per line."""
    return "Examples:\n\n" + "\n\n".join(f"  {c}" for c in commands)


def _cut(text: str, limit: int = MAX_PROBLEM_CHARS) -> str:
    """One line of at most `limit` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _fail(problems: list[str], what: str) -> typer.Exit:
    """Print readable problems to stderr, one short line each, and return the exit that signals them."""
    typer.secho(_cut(what), err=True, fg=typer.colors.RED, bold=True)
    for problem in problems[:MAX_PROBLEMS]:
        typer.echo(f"  - {_cut(problem)}", err=True)
    if len(problems) > MAX_PROBLEMS:
        typer.echo(f"  - and {len(problems) - MAX_PROBLEMS} more problems", err=True)
    return typer.Exit(code=1)


def _friendly(what: str) -> Callable:
    """Turn any error a command meets into short lines on stderr and exit code 1 (SIMULATOR_DEBUG=1 re-raises)."""

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(*args, **kwargs):
            try:
                return command(*args, **kwargs)
            except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, KeyboardInterrupt):
                raise
            except ScenarioError as exc:
                raise _fail(exc.problems, f"{what}:") from None
            except Exception as exc:
                if os.environ.get("SIMULATOR_DEBUG"):
                    raise
                raise _fail([_describe(exc)], f"{what}:") from None

        return wrapper

    return decorate


def _describe(exc: Exception) -> str:
    """One line saying what went wrong, in words where the kind of error is known."""
    if isinstance(exc, MissingExtra):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "not enough memory for this run; use fewer replications, a smaller audience or fewer months"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to read"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    if isinstance(exc, ValueError | yaml.YAMLError | OSError):
        return str(exc) or type(exc).__name__
    return f"unexpected {type(exc).__name__}: {exc} (set SIMULATOR_DEBUG=1 to see where)"


def _scenario(name_or_path: str):
    if name_or_path.endswith((".yaml", ".yml")) or Path(name_or_path).is_file():
        return load_scenario(name_or_path)
    return load_preset(name_or_path)


def _overrides(assignments: list[str]) -> dict[str, Any]:
    """`key=value` pairs from --set as dotted-path overrides; values are read as YAML scalars or lists."""
    overrides, problems = {}, []
    for assignment in assignments:
        key, sep, text = assignment.partition("=")
        if not sep or not key.strip():
            problems.append(f"--set: {_cut(assignment, 80)!r} is not key=value (e.g. --set regime.release_cost=0.4)")
        elif len(text) > MAX_SET_CHARS:
            problems.append(f"--set {key}: the value is {len(text)} characters, above the {MAX_SET_CHARS} allowed")
        else:
            try:
                overrides[key.strip()] = yaml.safe_load(text) if text.strip() else ""
            except yaml.YAMLError:
                problems.append(f"--set {key}: {_cut(text, 80)!r} is not a value")
    if problems:
        raise ScenarioError(problems)
    return overrides


def _write(frame: pd.DataFrame, folder: Path, name: str, fmt: Format) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.{fmt.value}"
    frame.to_parquet(path, index=False) if fmt is Format.parquet else frame.to_csv(path, index=False)
    return path


def _number(value: float) -> str:
    """Counts as whole numbers with thousands separators, small quantities with three significant digits."""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _print_frame(frame: pd.DataFrame, title: str) -> None:
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        table.add_column(str(column), justify="right" if pd.api.types.is_numeric_dtype(frame[column]) else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*[_number(v) if isinstance(v, float) else str(v) for v in row])
    Console(highlight=False).print(table)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts (missing values as null)."""
    return json.loads(frame.to_json(orient="records", double_precision=15))


def _print_json(document: dict) -> None:
    typer.echo(json.dumps(document, indent=1, default=str))


def _say(text: str, as_json: bool) -> None:
    """A line for the reader: on stdout normally, on stderr when stdout carries JSON."""
    typer.echo(text, err=as_json)


@app.command(
    epilog=_examples(
        "simulator run baseline_2024",
        "simulator run scenarios/reciprocal.yaml -n 200 -o runs/reciprocal",
        "simulator run baseline_2024 -o runs/baseline --format netcdf",
        "simulator run baseline_2024 --set eu.policy.kind=reciprocal --set regime.release_cost=0.4 --json",
    )
)
@_friendly("Cannot run")
def run(
    scenario: Annotated[str, typer.Argument(help="A preset name (e.g. baseline_2024) or a scenario YAML file.")],
    replications: Annotated[int | None, typer.Option("--replications", "-n", min=1, help="Replications.")] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Root seed (default: the scenario's).")] = None,
    assignments: Annotated[
        list[str] | None,
        typer.Option("--set", help="Change a parameter by dotted path, e.g. --set regime.release_cost=0.4 (repeat)."),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for monthly and summary tables.")] = None,
    fmt: Annotated[
        RunFormat, typer.Option("--format", "-f", help="Tables (parquet, csv) or one NetCDF cube (netcdf).")
    ] = RunFormat.parquet,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on stderr.")] = True,
    as_json: AsJson = False,
) -> None:
    """Run one scenario and print the spread of its summary indicators."""
    from .core.runner import simulate
    from .core.scenarios import check_runnable
    from .exploration.execution import progress_bar

    try:
        chosen = _scenario(scenario)
    except ScenarioError as exc:
        known = [] if scenario.endswith((".yaml", ".yml")) else [f"presets: {', '.join(preset_names())}"]
        raise _fail(exc.problems + known, f"Cannot run {scenario}:") from None
    if assignments:
        chosen = with_overrides(chosen, _overrides(assignments))
    count = chosen.simulation.replications if replications is None else replications
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
        _print_json({"scenario": chosen.meta.name, **results.metadata, "indicators": _records(table), "wrote": written})
        return
    _print_frame(table, f"{chosen.meta.name}: {len(results.summary)} replications")
    for path in written:
        typer.echo(f"wrote {path}")


def _save_run(results, out: Path, fmt: RunFormat) -> list[Path]:
    if fmt is RunFormat.netcdf:
        from .core.cube import save_netcdf

        return [save_netcdf(results, out / "results.nc")]
    return results.save(out, formats=(fmt.value,))


def _load_spec(spec: Path):
    from .exploration.sweep_specs import load_sweep_spec

    try:
        return load_sweep_spec(spec)
    except ScenarioError as exc:
        raise _fail(exc.problems, f"Invalid sweep spec {spec}:") from None


def _run_spec(
    spec_path: Path, out: Path | None, scheduler: str, workers: int | None, chunk_points: int | None, as_json=False
):
    """Run (or resume) the sweep of a spec file in its folder, with a progress bar; say what was reused."""
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
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            results = run_sweep(spec, folder, execution=execution, progress=True)
    except ScenarioError as exc:
        raise _fail(exc.problems, f"Cannot run {spec_path}:") from None
    except OSError as exc:  # includes timeouts; a remote scheduler is the usual cause, else the output folder
        where = f"scheduler: cannot reach {scheduler!r}" if "://" in scheduler else f"out: cannot write {str(folder)!r}"
        raise _fail([f"{where} ({_cut(exc, 150)})"], f"Cannot run {spec_path}:") from None
    except KeyboardInterrupt:
        typer.echo(f"Interrupted: finished chunks are saved in {folder}; rerun the same command to resume.", err=True)
        raise typer.Exit(code=130) from None
    for warning in caught:
        typer.secho(f"warning: {_cut(warning.message)}", err=True, fg=typer.colors.YELLOW)
    _say(_sweep_report(results, spec, folder, scheduler, time.perf_counter() - started), as_json)
    return results, folder


def _sweep_report(results, spec, folder: Path, scheduler: str, seconds: float) -> str:
    """What the sweep did: how many points ran now, how many were already in the folder, and where."""
    computed, total = results.metadata["computed_points"], len(results.points)
    if computed == 0:
        where = "" if scheduler == "local" else f"; scheduler {scheduler!r} was not contacted"
        return (
            f"nothing to run: all {total} points x {spec.replications} replications were already in {folder}"
            f"{where} (use a new --out folder to run the sweep again)"
        )
    reused = f" ({total - computed} were already there)" if computed < total else ""
    return f"{computed} points x {spec.replications} replications in {seconds:.1f} s{reused}; results in {folder}"


@app.command(
    epilog=_examples(
        "simulator sweep sweeps/release_cost_grid.yaml",
        "simulator sweep sweeps/policies_lhs.yaml --out sweeps_out/policies   (rerun to resume)",
        "simulator sweep sweeps/policies_lhs.yaml --scheduler dask-local --workers 2",
        "simulator sweep sweeps/policies_lhs.yaml --scheduler tcp://scheduler-host:8786",
    )
)
@_friendly("Cannot sweep")
def sweep(
    spec: Annotated[Path, typer.Argument(help="A sweep spec YAML file (base, overrides, design, replications, seed).")],
    out: OutFolder = None,
    scheduler: Scheduler = "local",
    workers: Workers = None,
    chunk_points: ChunkPoints = None,
    fmt: Formats = Format.parquet,
    as_json: AsJson = False,
) -> None:
    """Run a sweep (resumable: rerun the same command after an interruption), write its tables, print a summary."""
    results, folder = _run_spec(spec, out, scheduler, workers, chunk_points, as_json)
    written = [str(_write(results.statistics, folder, "statistics", fmt))] if fmt is Format.csv else []
    means = results.table("mean")[results.indicators].describe().T[["min", "50%", "max"]]
    means.columns = ["lowest", "median", "highest"]
    table = means.reset_index(names="indicator")
    if as_json:
        _print_json({**_sweep_json(results, folder), "indicators": _records(table), "wrote": written})
        return
    for path in written:
        typer.echo(f"wrote {path}")
    _print_frame(table, "Mean over replications, across design points")


def _sweep_json(results, folder: Path) -> dict:
    keys = ("points", "computed_points", "reused_points", "spec_hash", "version", "repairs")
    return {"folder": str(folder), **{k: results.metadata[k] for k in keys}}


@app.command(
    epilog=_examples(
        "simulator sensitivity sweeps/sobol_regime.yaml --indicator total_released",
        "simulator sensitivity sweeps/sobol_regime.yaml -i prisoner_months --plot sobol.html",
        "simulator sensitivity sweeps/morris_screening.yaml -i final_acceptance",
    )
)
@_friendly("Cannot analyse")
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
    as_json: AsJson = False,
) -> None:
    """Sobol indices (S1, ST with confidence intervals) or Morris screening of an indicator, per policy level."""
    from .exploration.sensitivity import sensitivity as analyse

    results, folder = _run_spec(spec, out, scheduler, workers, chunk_points, as_json)
    try:
        result = analyse(results, indicator, statistic)
    except ValueError as exc:
        raise _fail([str(exc)], "Cannot analyse:") from None
    written = [str(_write(result.table, folder, f"sensitivity-{indicator}", fmt))]
    if plot is not None:
        result.figure().write_html(plot)
        written.append(str(plot))
    if as_json:
        _print_json({**_sweep_json(results, folder), "method": result.method, "indices": _records(result.table)})
        return
    _print_frame(result.table, f"{result.method} indices of {indicator} ({statistic})")
    for path in written:
        typer.echo(f"wrote {path}")


@app.command(
    epilog=_examples(
        "simulator discover sweeps/policies_lhs.yaml --where 'total_released > 300 and net_change_in_prisoners <= 0'",
        "simulator discover sweeps/policies_lhs.yaml --where 'final_acceptance < 0.4' --max-depth 2",
        "simulator discover sweeps/policies_lhs.yaml --where 'total_released > 300' --method prim --plot prim.html",
    )
)
@_friendly("Cannot discover")
def discover(
    spec: Annotated[Path, typer.Argument(help="A sweep spec (any design kind).")],
    where: Annotated[str, typer.Option(help="Outcome of interest: 'indicator op number' clauses joined by 'and'.")],
    statistic: Annotated[str, typer.Option(help="Statistic over replications the condition reads.")] = "mean",
    method: Annotated[Method, typer.Option(help="'tree' (a shallow decision tree) or 'prim' (peeling).")] = (
        Method.tree
    ),
    max_depth: Annotated[int, typer.Option(min=1, max=10, help="tree: most limits in one box.")] = 3,
    min_density: Annotated[
        float, typer.Option(min=0.01, max=1.0, help="prim: report the widest box at least this dense.")
    ] = 0.8,
    plot: Annotated[Path | None, typer.Option(help="prim: write the coverage-density trajectory to this HTML.")] = None,
    out: OutFolder = None,
    scheduler: Scheduler = "local",
    workers: Workers = None,
    chunk_points: ChunkPoints = None,
    fmt: Formats = Format.csv,
    as_json: AsJson = False,
) -> None:
    """Scenario discovery: boxes of parameter values where the outcome of interest holds, with coverage and density."""
    results, folder = _run_spec(spec, out, scheduler, workers, chunk_points, as_json)
    try:
        if method is Method.prim:
            _discover_prim(results, where, statistic, min_density, plot, folder, fmt, as_json)
        else:
            _discover_tree(results, where, statistic, max_depth, folder, fmt, as_json)
    except ValueError as exc:
        raise _fail([str(exc)], "Cannot discover:") from None


def _discover_tree(results, where, statistic, max_depth, folder, fmt, as_json) -> None:
    from .exploration.discovery import discover as find_boxes

    found = find_boxes(results, where, statistic, max_depth=max_depth)
    written = [str(_write(found.limits, folder, "discovery-limits", fmt))]
    written.append(str(_write(found.boxes, folder, "discovery-boxes", fmt)))
    if as_json:
        _print_json(
            {"condition": where, "base_rate": found.base_rate, "boxes": _records(found.boxes), "wrote": written}
        )
        return
    typer.echo(f"{found.base_rate:.0%} of the design points satisfy: {where}")
    _print_frame(found.boxes, "Boxes where the outcome is the rule")
    for path in written:
        typer.echo(f"wrote {path}")


def _discover_prim(results, where, statistic, min_density, plot, folder, fmt, as_json) -> None:
    from .exploration.prim_discovery import PrimSettings, prim

    found = prim(results, where, statistic, PrimSettings(target_density=min_density))
    limits = found.inspect()
    written = [str(_write(found.trajectory, folder, "prim-trajectory", fmt))]
    written.append(str(_write(limits, folder, "prim-limits", fmt)))
    if plot is not None:
        found.figure().write_html(plot)
        written.append(str(plot))
    chosen = found.statistics()
    if as_json:
        _print_json(
            {
                "condition": where,
                "base_rate": found.base_rate,
                "box": found.chosen,
                "rule": found.rule(),
                **chosen,
                "limits": _records(limits),
                "trajectory": _records(found.trajectory),
                "wrote": written,
            }
        )
        return
    typer.echo(f"{found.base_rate:.0%} of the design points satisfy: {where}")
    typer.echo(
        f"PRIM box {found.chosen} ({len(found.boxes)} boxes on the trajectory): coverage {chosen['coverage']:.0%}, "
        f"density {chosen['density']:.0%}, {chosen['points']} points: {found.rule()}"
    )
    if len(limits):
        _print_frame(limits, "Limits of the box")
        typer.echo("qp: quasi-p-value of each limit; a large one (above 0.05) means the limit could be dropped")
    for path in written:
        typer.echo(f"wrote {path}")


@app.command(
    epilog=_examples(
        "simulator compare sweeps/policies_lhs.yaml -i prisoner_months --lower-is-better",
        "simulator compare sweeps/policies_lhs.yaml -i total_released",
    )
)
@_friendly("Cannot compare")
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
    as_json: AsJson = False,
) -> None:
    """Policy comparison under uncertainty: each policy's outcomes across all worlds, and its regret."""
    from .exploration.comparison import TIES_NOTE, compare_policies

    results, folder = _run_spec(spec, out, scheduler, workers, chunk_points, as_json)
    try:
        found = compare_policies(results, indicator, lever.split(","), better="lower" if lower_is_better else "higher")
    except ValueError as exc:
        raise _fail([str(exc)], "Cannot compare:") from None
    written = [str(_write(found.regret, folder, f"regret-{indicator}", fmt))]
    if as_json:
        _print_json({"indicator": indicator, "note": TIES_NOTE, "summary": _records(found.summary), "wrote": written})
        return
    _print_frame(found.summary, f"{indicator} by policy ({'lower' if lower_is_better else 'higher'} is better)")
    typer.echo(TIES_NOTE)
    for path in written:
        typer.echo(f"wrote {path}")


@app.command(
    epilog=_examples(
        "simulator calibrate                      (the point fit to July-September 2024, as in docs/model.md)",
        "simulator calibrate --report             (prior vs posterior, and which policy conclusions change sign)",
        "simulator calibrate --posterior --out posterior/   (re-run ABC-SMC; about 20 minutes on 2 cores)",
    )
)
@_friendly("Cannot calibrate")
def calibrate(
    report: Annotated[
        bool, typer.Option(help="Report what the shipped posterior pins down and what it leaves open.")
    ] = False,
    posterior: Annotated[
        bool, typer.Option(help="Re-run the Bayesian calibration (ABC-SMC, needs the analysis extra).")
    ] = False,
    population: Annotated[int, typer.Option(min=20, help="ABC particles per population.")] = 1000,
    minutes: Annotated[float, typer.Option(min=1, help="Stop starting new ABC populations after this long.")] = 18.0,
    seed: Annotated[int, typer.Option(min=0, help="Seed of the calibration.")] = 2024,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder for posterior.csv and posterior.json.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Calibrate to the observed 2024 figures: the point fit, the posterior report, or a new posterior."""
    if posterior:
        _new_posterior(population, minutes, seed, out or Path("posterior"), as_json)
    elif report:
        _posterior_report(as_json)
    else:
        from .core.calibration import fit_to_2024
        from .core.schema import Scenario

        fit = fit_to_2024(Scenario())
        if as_json:
            _print_json({"loss": fit.loss, "within_tolerance": fit.within_tolerance, "fit": _records(fit.table)})
            return
        _print_frame(fit.table, "July-September 2024: observed and simulated means at the defaults")


def _new_posterior(population: int, minutes: float, seed: int, out: Path, as_json: bool) -> None:
    """Run ABC-SMC with progress lines and write the weighted parameter sets and how they were made."""
    from .core.inference import abc_calibrate

    _say(f"ABC-SMC: {population} particles per population, new populations for up to {minutes:g} min", as_json)
    made = abc_calibrate(population, 50, seed, minutes, progress=lambda line: _say(line, as_json))
    out.mkdir(parents=True, exist_ok=True)
    made.posterior.to_csv(out / "posterior.csv", index=False, float_format="%.6g")
    (out / "posterior.json").write_text(json.dumps(made.metadata, indent=2, default=str) + "\n")
    if as_json:
        _print_json({**made.metadata, "wrote": [str(out / "posterior.csv"), str(out / "posterior.json")]})
        return
    typer.echo(f"wrote {out / 'posterior.csv'} and {out / 'posterior.json'} ({made.metadata['run_minutes']} min)")


def _posterior_report(as_json: bool) -> None:
    """Prior against posterior per parameter, and the share of posterior sets in which each conclusion holds."""
    from .core.identifiability import conclusions, identifiability
    from .core.scenarios import load_preset

    table = identifiability()
    _say("Running the three fixed EU policies on 100 posterior parameter sets (20 runs each)...", as_json)
    found = conclusions(load_preset("baseline_2024"))
    if as_json:
        _print_json({"parameters": _records(table), "conclusions": _records(found)})
        return
    _print_frame(
        table.drop(columns="verdict"), "What the 2024 data pin down (shrinkage: share of the prior's spread removed)"
    )
    for row in table.itertuples():
        typer.echo(f"  {row.parameter}: {row.verdict}")
    _print_frame(found, "Policy conclusions across the posterior (share of parameter sets in which each holds)")


@app.command(
    epilog=_examples("simulator validate scenarios/reciprocal.yaml", "simulator validate sweeps/sobol_regime.yaml")
)
@_friendly("Cannot validate")
def validate(
    file: Annotated[Path, typer.Argument(help="A scenario or sweep spec YAML file.")], as_json: AsJson = False
) -> None:
    """Check a scenario or sweep spec file: exit code 0 if valid, 1 with one line per problem if not."""
    try:
        if not file.is_file():
            raise ScenarioError([f"file: {str(file)!r} does not exist"])
        text = file.read_bytes()
        document = _validated(file, text)
    except ScenarioError as exc:
        if as_json:
            _print_json({"file": str(file), "valid": False, "problems": [_cut(p) for p in exc.problems[:MAX_PROBLEMS]]})
            raise typer.Exit(code=1) from None
        raise _fail(exc.problems, f"{file} is not valid:") from None
    if as_json:
        _print_json({"file": str(file), "valid": True, **document})
    else:
        typer.echo(document["message"])


def _validated(file: Path, text: bytes) -> dict:
    """What a valid file holds, or ScenarioError naming each problem."""
    if _looks_like_sweep(text):
        from .exploration.sweep_specs import parse_sweep_yaml
        from .exploration.sweeps import design_points

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


@app.command(
    "app",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    epilog=_examples("simulator app", "simulator app --server.port 8502"),
)
@_friendly("Cannot start the app")
def start_app(context: typer.Context) -> None:
    """Start the Streamlit app shipped in the package; extra options go to Streamlit."""
    from .extras import require

    require("streamlit", "app")
    script = Path(__file__).resolve().parent / "app" / "main.py"
    command = [sys.executable, "-m", "streamlit", "run", str(script), *context.args]
    sys.stdout.flush()
    sys.stderr.flush()
    # Become the Streamlit server instead of waiting on it: a SIGTERM or SIGKILL sent to `simulator app`
    # then stops the server itself, and no orphaned server is left behind.
    os.execv(sys.executable, command)
