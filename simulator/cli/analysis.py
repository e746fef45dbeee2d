"""The analyses of a sweep: `sensitivity` (Sobol, Morris), `discover` (tree, PRIM) and `compare` (regret)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .options import AsJson, ChunkPoints, Format, Formats, Method, OutFolder, Scheduler, Workers, examples
from .reporting import fail, friendly
from .sweeps import run_spec, sweep_json
from .tables import print_frame, print_json, records, write

PLOTTING = ("plotly", "analysis")


@friendly("Cannot analyse")
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
    from ..exploration.sensitivity import sensitivity as analyse

    needs = (("SALib", "analysis"), *((PLOTTING,) if plot else ()))
    results, folder = run_spec(spec, out, scheduler, workers, chunk_points, as_json, needs)
    try:
        result = analyse(results, indicator, statistic)
    except ValueError as exc:
        raise fail([str(exc)], "Cannot analyse:") from None
    written = [str(write(result.table, folder, f"sensitivity-{indicator}", fmt))]
    if plot is not None:
        result.figure().write_html(plot)
        written.append(str(plot))
    if as_json:
        print_json({**sweep_json(results, folder), "method": result.method, "indices": records(result.table)})
        return
    print_frame(result.table, f"{result.method} indices of {indicator} ({statistic})")
    for path in written:
        typer.echo(f"wrote {path}")


@friendly("Cannot discover")
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
    needs = (("sklearn", "analysis"),) if method is Method.tree else ((PLOTTING,) if plot else ())
    results, folder = run_spec(spec, out, scheduler, workers, chunk_points, as_json, needs)
    try:
        if method is Method.prim:
            _discover_prim(results, where, statistic, min_density, plot, folder, fmt, as_json)
        else:
            _discover_tree(results, where, statistic, max_depth, folder, fmt, as_json)
    except ValueError as exc:
        raise fail([str(exc)], "Cannot discover:") from None


def _discover_tree(results, where, statistic, max_depth, folder, fmt, as_json) -> None:
    from ..exploration.discovery import discover as find_boxes

    found = find_boxes(results, where, statistic, max_depth=max_depth)
    written = [str(write(found.limits, folder, "discovery-limits", fmt))]
    written.append(str(write(found.boxes, folder, "discovery-boxes", fmt)))
    if as_json:
        print_json({"condition": where, "base_rate": found.base_rate, "boxes": records(found.boxes), "wrote": written})
        return
    typer.echo(f"{found.base_rate:.0%} of the design points satisfy: {where}")
    print_frame(found.boxes, "Boxes where the outcome is the rule")
    for path in written:
        typer.echo(f"wrote {path}")


def _discover_prim(results, where, statistic, min_density, plot, folder, fmt, as_json) -> None:
    from ..exploration.prim_discovery import PrimSettings, prim

    found = prim(results, where, statistic, PrimSettings(target_density=min_density))
    limits = found.inspect()
    written = [str(write(found.trajectory, folder, "prim-trajectory", fmt))]
    written.append(str(write(limits, folder, "prim-limits", fmt)))
    if plot is not None:
        found.figure().write_html(plot)
        written.append(str(plot))
    chosen = found.statistics()
    if as_json:
        print_json(
            {
                "condition": where,
                "base_rate": found.base_rate,
                "box": found.chosen,
                "rule": found.rule(),
                **chosen,
                "limits": records(limits),
                "trajectory": records(found.trajectory),
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
        print_frame(limits, "Limits of the box")
        typer.echo("qp: quasi-p-value of each limit; a large one (above 0.05) means the limit could be dropped")
    for path in written:
        typer.echo(f"wrote {path}")


@friendly("Cannot compare")
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
    from ..exploration.comparison import TIES_NOTE, compare_policies

    results, folder = run_spec(spec, out, scheduler, workers, chunk_points, as_json)
    try:
        found = compare_policies(results, indicator, lever.split(","), better="lower" if lower_is_better else "higher")
    except ValueError as exc:
        raise fail([str(exc)], "Cannot compare:") from None
    written = [str(write(found.regret, folder, f"regret-{indicator}", fmt))]
    if as_json:
        print_json({"indicator": indicator, "note": TIES_NOTE, "summary": records(found.summary), "wrote": written})
        return
    print_frame(found.summary, f"{indicator} by policy ({'lower' if lower_is_better else 'higher'} is better)")
    typer.echo(TIES_NOTE)
    for path in written:
        typer.echo(f"wrote {path}")


def register(app: typer.Typer) -> None:
    """Add `sensitivity`, `discover` and `compare` to the command."""
    app.command(
        epilog=examples(
            "simulator sensitivity sobol_regime --indicator total_released   (a shipped example)",
            "simulator sensitivity sobol_regime -i prisoner_months --plot sobol.html",
            "simulator sensitivity morris_screening -i final_acceptance",
        )
    )(sensitivity)
    app.command(
        epilog=examples(
            "simulator discover policies_lhs --where 'total_released > 300 and net_change_in_prisoners <= 0'",
            "simulator discover policies_lhs --where 'final_acceptance < 0.4' --max-depth 2",
            "simulator discover unidentified --where 'total_released > 350' --method prim --plot prim.html",
        )
    )(discover)
    app.command(
        epilog=examples(
            "simulator compare policies_lhs -i prisoner_months --lower-is-better",
            "simulator compare my_sweep.yaml -i total_released",
        )
    )(compare)
