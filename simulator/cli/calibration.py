"""`simulator calibrate`: the point fit to 2024, what the shipped posterior pins down, or a new posterior."""

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
        bool, typer.Option(help="Re-run the Bayesian calibration (ABC-SMC, needs the calibrate extra).")
    ] = False,
    population: Annotated[int, typer.Option(min=20, help="ABC particles per population.")] = 1000,
    minutes: Annotated[float, typer.Option(min=1, help="Stop starting new ABC populations after this long.")] = 18.0,
    seed: Annotated[int, typer.Option(help="Seed of the calibration, 0 to 4,294,967,295.")] = 2024,
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
        from ..core.calibration import fit_to_2024
        from ..core.schema import Scenario

        fit = fit_to_2024(Scenario())
        if as_json:
            print_json({"loss": fit.loss, "within_tolerance": fit.within_tolerance, "fit": records(fit.table)})
            return
        print_frame(fit.table, "July-September 2024: observed and simulated means at the defaults")


def _new_posterior(population: int, minutes: float, seed: int, out: Path, as_json: bool) -> None:
    """Run ABC-SMC with progress lines and write the weighted parameter sets and how they were made."""
    from ..core.runner import check_seed
    from ..extras import require

    check_seed(seed, "--seed")
    require("pyabc", "calibrate")  # named before any work, and by the extra that brings it
    from ..core.inference import abc_calibrate

    say(f"ABC-SMC: {population} particles per population, new populations for up to {minutes:g} min", as_json)
    made = abc_calibrate(population, 50, seed, minutes, progress=lambda line: say(line, as_json))
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
        table.drop(columns="verdict"), "What the 2024 data pin down (shrinkage: share of the prior's spread removed)"
    )
    for row in table.itertuples():
        typer.echo(f"  {row.parameter}: {row.verdict}")
    print_frame(found, "Policy conclusions across the posterior (share of parameter sets in which each holds)")


def register(app: typer.Typer) -> None:
    """Add `calibrate` to the command."""
    app.command(
        epilog=examples(
            "simulator calibrate                      (the point fit to July-September 2024, as in docs/model.md)",
            "simulator calibrate --report             (prior vs posterior, and which policy conclusions change sign)",
            "simulator calibrate --posterior --out posterior/   (re-run ABC-SMC; about 20 minutes on 2 cores)",
        )
    )(calibrate)
