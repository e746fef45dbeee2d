"""`simulator calibrate`: the point fit to the record, what the shipped posterior pins down, or a new posterior."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .options import AsJson, examples
from .reporting import friendly, say
from .tables import print_frame, print_json, records


@friendly("Cannot calibrate")
def calibrate(
    report: Annotated[
        bool, typer.Option(help="Report what the shipped posterior pins down and what it leaves open.")
    ] = False,
    posterior: Annotated[
        bool, typer.Option(help="Re-run the Bayesian calibration to the record (ABC-SMC, batched; minutes).")
    ] = False,
    population: Annotated[int, typer.Option(min=20, help="Parameter sets in each ABC population.")] = 2000,
    runs: Annotated[int, typer.Option(min=1, help="Runs of each parameter set whose mean is compared.")] = 8,
    minutes: Annotated[float, typer.Option(min=1, help="Stop starting new ABC populations after this long.")] = 25.0,
    seed: Annotated[int, typer.Option(help="Seed of the calibration, 0 to 4,294,967,295.")] = 2024,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder for posterior.csv and posterior.json.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Calibrate to the record to September 2025: the point fit, the posterior report, or a new posterior."""
    if posterior:
        _new_posterior(population, runs, minutes, seed, out or Path("posterior"), as_json)
    elif report:
        _posterior_report(as_json)
    else:
        from ..core.calibration import fit_to_record

        fit = fit_to_record()
        if as_json:
            print_json({"loss": fit.loss, "within_tolerance": fit.within_tolerance, "fit": records(fit.table)})
            return
        print_frame(
            fit.table.drop(columns="why"),
            "The record, July 2024 - September 2025: observed and simulated means (as_it_happened, one parameter set)",
        )


def _new_posterior(population: int, runs: int, minutes: float, seed: int, out: Path, as_json: bool) -> None:
    """Run ABC-SMC with progress lines (and the time left) and write the parameter sets and how they were made."""
    from ..core.inference import abc_smc
    from ..core.runner import check_seed

    check_seed(seed, "--seed")
    say(f"ABC-SMC: {population} parameter sets, {runs} runs each, for up to {minutes:g} min", as_json)
    made = abc_smc(population, runs, seed, max_minutes=minutes, progress=lambda line: say(line, as_json))
    out.mkdir(parents=True, exist_ok=True)
    made.posterior.to_csv(out / "posterior.csv", index=False, float_format="%.6g")
    (out / "posterior.json").write_text(json.dumps(made.metadata, indent=2, default=str) + "\n")
    if as_json:
        print_json({**made.metadata, "wrote": [str(out / "posterior.csv"), str(out / "posterior.json")]})
        return
    typer.echo(f"wrote {out / 'posterior.csv'} and {out / 'posterior.json'} ({made.metadata['run_minutes']} min)")


def _posterior_report(as_json: bool) -> None:
    """Prior against posterior per parameter, and the share of posterior sets in which each conclusion holds."""
    from ..core.identifiability import conclusions, identifiability
    from ..core.scenarios import load_preset

    table = identifiability()
    say("Running the three fixed EU policies on 100 posterior parameter sets (20 runs each)...", as_json)
    found = conclusions(load_preset("baseline_2024"))
    if as_json:
        print_json({"parameters": records(table), "conclusions": records(found)})
        return
    print_frame(
        table.drop(columns="verdict"), "What the record pins down (shrinkage: share of the prior's spread removed)"
    )
    for row in table.itertuples():
        typer.echo(f"  {row.parameter}: {row.verdict}")
    print_frame(found, "Policy conclusions across the posterior (share of parameter sets in which each holds)")


def register(app: typer.Typer) -> None:
    """Add `calibrate` to the command."""
    app.command(
        epilog=examples(
            "simulator calibrate                      (the point fit to the record, as in docs/model.md)",
            "simulator calibrate --report             (prior vs posterior, and which policy conclusions change sign)",
            "simulator calibrate --posterior --out posterior/   (re-run ABC-SMC; about 15-20 minutes on 2 cores)",
        )
    )(calibrate)
