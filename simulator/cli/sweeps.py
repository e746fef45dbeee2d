"""`simulator sweep`: run (or resume) a sweep spec in its folder; the shared runner of every sweep command."""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Annotated

import typer

from .options import AsJson, ChunkPoints, Format, Formats, OutFolder, Scheduler, Workers, examples
from .reporting import cut, fail, friendly, say
from .tables import print_frame, print_json, records, write


def load_spec(spec: Path):
    """A validated sweep spec from a file or a shipped example's name, or the exit that lists its problems."""
    from ..core.scenarios import ScenarioError
    from ..exploration.sweep_specs import load_sweep_spec

    try:
        return load_sweep_spec(spec)
    except ScenarioError as exc:
        raise fail(exc.problems, f"Invalid sweep spec {spec}:") from None


def run_spec(
    spec_path: Path,
    out: Path | None,
    scheduler: str,
    workers: int | None,
    chunk_points: int | None,
    as_json: bool = False,
    needs: tuple[tuple[str, str], ...] = (),
):
    """Run (or resume) the sweep of a spec file in its folder, with a progress bar; say what was reused.

    `needs` lists (module, extra) pairs the analysis after the sweep imports: checked first, so a missing
    extra is named before minutes of work rather than after.
    """
    from pydantic import ValidationError

    from ..core.scenarios import ScenarioError
    from ..exploration.execution import Execution
    from ..exploration.sweeps import run_sweep
    from ..extras import require

    for module, extra in needs:
        require(module, extra)
    spec = load_spec(spec_path)
    try:
        execution = Execution(scheduler=scheduler, workers=workers, chunk_points=chunk_points)
    except ValidationError as exc:
        raise fail(
            [f"{e['loc'][0]}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()], "Invalid options:"
        ) from None
    folder = out or Path("sweeps_out") / spec_path.stem
    started = time.perf_counter()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            results = run_sweep(spec, folder, execution=execution, progress=True)
    except ScenarioError as exc:
        raise fail(exc.problems, f"Cannot run {spec_path}:") from None
    except OSError as exc:  # includes timeouts; a remote scheduler is the usual cause, else the output folder
        where = f"scheduler: cannot reach {scheduler!r}" if "://" in scheduler else f"out: cannot write {str(folder)!r}"
        raise fail([f"{where} ({cut(exc, 150)})"], f"Cannot run {spec_path}:") from None
    except KeyboardInterrupt:
        typer.echo(f"Interrupted: finished chunks are saved in {folder}; rerun the same command to resume.", err=True)
        raise typer.Exit(code=130) from None
    for warning in caught:
        typer.secho(f"warning: {cut(warning.message)}", err=True, fg=typer.colors.YELLOW)
    say(_report(results, spec, folder, scheduler, time.perf_counter() - started), as_json)
    return results, folder


def _report(results, spec, folder: Path, scheduler: str, seconds: float) -> str:
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


def sweep_json(results, folder: Path) -> dict:
    """The sweep's folder, size and provenance as a JSON-ready dict."""
    keys = ("points", "computed_points", "reused_points", "spec_hash", "version", "repairs")
    return {"folder": str(folder), **{k: results.metadata[k] for k in keys}}


@friendly("Cannot sweep")
def sweep(
    spec: Annotated[
        Path,
        typer.Argument(help="A sweep spec YAML file (base, overrides, design, replications, seed) or a shipped one."),
    ],
    out: OutFolder = None,
    scheduler: Scheduler = "local",
    workers: Workers = None,
    chunk_points: ChunkPoints = None,
    fmt: Formats = Format.parquet,
    as_json: AsJson = False,
) -> None:
    """Run a sweep (resumable: rerun the same command after an interruption), write its tables, print a summary."""
    results, folder = run_spec(spec, out, scheduler, workers, chunk_points, as_json)
    written = [str(write(results.statistics, folder, "statistics", fmt))] if fmt is Format.csv else []
    means = results.table("mean")[results.indicators].describe().T[["min", "50%", "max"]]
    means.columns = ["lowest", "median", "highest"]
    table = means.reset_index(names="indicator")
    if as_json:
        print_json({**sweep_json(results, folder), "indicators": records(table), "wrote": written})
        return
    for path in written:
        typer.echo(f"wrote {path}")
    print_frame(table, "Mean over replications, across design points")


def register(app: typer.Typer) -> None:
    """Add `sweep` to the command."""
    app.command(
        epilog=examples(
            "simulator sweep release_cost_grid   (a shipped example; or a spec file of your own)",
            "simulator sweep policies_lhs --out sweeps_out/policies   (rerun to resume)",
            "simulator sweep policies_lhs --scheduler dask-local --workers 2",
            "simulator sweep my_sweep.yaml --scheduler tcp://scheduler-host:8786",
        )
    )(sweep)
