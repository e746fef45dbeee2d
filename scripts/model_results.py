"""Print the numbers docs/model.md reports: the 2024 fit, the seed claims, the 2015 check, the posterior.

Usage: python scripts/model_results.py [calibration|claims|case2015|posterior|predictive|all] [--write]
Each section prints Markdown; with --write it replaces the text between the section's markers
(<!-- name:begin --> and <!-- name:end -->) in docs/model.md.
"""

import sys

import pandas as pd

from simulator import load_preset, simulate, with_overrides
from simulator.core.calibration import fit_to_record
from simulator.core.shipped import DATA as DATA_FOLDER
from simulator.core.uncertainty import POSTERIOR_CONCLUSIONS
from simulator.presentation.model_docs import MODEL_DOC

DATA = MODEL_DOC.parent.parent / DATA_FOLDER


def calibration() -> str:
    """The mean path of as_it_happened (one parameter set) against every target of the record to September 2025."""
    table = fit_to_record(replications=500, seed=2024).table
    lines = ["| figure | observed | simulated mean | tolerance | within |", "|---|---|---|---|---|"]
    for row in table.itertuples():
        inside = "yes" if abs(row.simulated - row.observed) <= row.tolerance_persons else "**no**"
        lines.append(
            f"| {row.figure} | {row.observed:,.0f} | {row.simulated:,.1f} | ±{row.tolerance_persons:,.0f} | {inside} |"
        )
    return "\n".join(lines)


def claims(uncertainty: str = "none") -> str:
    """Month 12 of a fixed EU policy from July 2024, 200 replications, common random numbers."""
    rows = {}
    for action in ("engage", "hold", "tighten"):
        scenario = with_overrides(
            load_preset("baseline_2024"),
            {"eu.policy.kind": "fixed", "eu.policy.action": action, "simulation.uncertainty": uncertainty},
        )
        results = simulate(scenario, replications=200, seed=7)
        monthly = results.monthly
        first_year = monthly[monthly["month"] <= 12].groupby("replication")
        at_twelve = monthly[monthly["month"] == 12].mean(numeric_only=True)
        rows[action] = {
            "acceptance, apolitical": at_twelve["acceptance_apolitical"],
            "acceptance, supporters": at_twelve["acceptance_supporter"],
            "acceptance, opposition": at_twelve["acceptance_opposition"],
            "dependence on Russia/China": at_twelve["dependence"],
            "released in 12 months": first_year["released"].sum().mean(),
            "of them in deals": first_year["released_in_deals"].sum().mean(),
            "newly imprisoned in 12 months": first_year["newly_imprisoned"].sum().mean(),
        }
    frame = pd.DataFrame(rows)
    lines = ["| after 12 months (mean) | engage | hold | tighten |", "|---|---|---|---|"]
    for name, row in frame.iterrows():
        digits = 3 if row.abs().max() < 2 else 0
        lines.append(f"| {name} | " + " | ".join(f"{v:,.{digits}f}" for v in row) + " |")
    return "\n".join(lines)


def case2015() -> str:
    """The 2015 cycle: how many of the six are freed before the October 2015 election."""
    monthly = simulate(load_preset("belarus_2015"), replications=500, seed=1).monthly
    before = monthly[monthly["date"] < "2015-10-01"].groupby("replication")["released"].sum()
    return (
        f"Released before the October 2015 election (500 runs, posterior): mean {before.mean():.1f} of 6; "
        f"at least five in {(before >= 5).mean():.0%} of runs, all six in {(before >= 6).mean():.0%}."
    )


def posterior() -> str:
    """Prior against posterior per parameter, and the share of posterior sets in which each conclusion holds."""
    from simulator.core.identifiability import conclusions, identifiability
    from simulator.core.uncertainty import load_posterior, posterior_metadata

    meta, sample = posterior_metadata(), load_posterior()
    distinct = len(pd.DataFrame(sample.values).drop_duplicates())
    table = identifiability()
    lines = [
        f"Posterior: {sample.size} parameter sets ({distinct} distinct; effective sample size "
        f"{sample.effective_size:.0f}), {len(meta['generations'])} ABC-SMC generations down to a threshold of "
        f"{meta['final_epsilon']:.2f} (every target's mean over {meta['runs_per_set']} runs within its tolerance), "
        f"{meta['simulations']:,} simulated runs, {meta['run_minutes']:.1f} minutes on 2 shared cores, seed "
        f"{meta['seed']}, model version {meta['model_version']}, random streams {meta.get('random_streams', 1)}, "
        f"made on {meta['made_on']}.",
        "",
        "| parameter | prior | posterior median (90% interval) | spread removed | verdict |",
        "|---|---|---|---|---|",
    ]
    for row in table.itertuples():
        lines.append(
            f"| `{row.parameter}` | {row.prior} | {row.posterior_median:.3g} ({row.posterior_q05:.3g} to "
            f"{row.posterior_q95:.3g}) | {row.shrinkage:.0%} | {row.verdict} |"
        )
    found = conclusions(load_preset("baseline_2024"))
    if "--write" in sys.argv:
        found.to_csv(DATA / POSTERIOR_CONCLUSIONS, index=False, float_format="%.6g")
    lines += [
        "",
        "Policy conclusions across 100 posterior parameter sets (20 runs each, 24 months, fixed EU policy):",
        "",
        "| conclusion | holds in this share of parameter sets | median difference (5% to 95% of sets) |",
        "|---|---|---|",
    ]
    for row in found.itertuples():
        lines.append(
            f"| {row.conclusion} | {row.share_of_parameter_sets:.0%}{'' if row.robust else ' (changes sign)'} "
            f"| {row.median_difference:+.3g} ({row.difference_q05:+.3g} to {row.difference_q95:+.3g}) |"
        )
    return "\n".join(lines)


def predictive() -> str:
    """Posterior predictive check: each target's mean over 1,000 posterior runs and its 90% band, against the record."""
    from simulator.core.calibration import posterior_predictive

    table = posterior_predictive(runs=1000, seed=11)
    lines = [
        "| figure | observed | predictive mean (tolerance) | 90% band | mean within | inside band |",
        "|---|---|---|---|---|---|",
    ]
    for row in table.itertuples():
        lines.append(
            f"| {row.figure} | {row.observed:,.0f} | {row.predictive_mean:,.1f} (±{row.tolerance:,.0f}) | "
            f"{row.band_low:,.0f} to {row.band_high:,.0f} | {'yes' if row.mean_within else '**no**'} | "
            f"{'yes' if row.inside_band else '**no**'} |"
        )
    return "\n".join(lines)


def write_section(document: str, name: str, text: str) -> str:
    """The document with the text between a section's markers replaced."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    head, rest = document.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{text}\n{end}{tail}"


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    sections = {
        "calibration": calibration,
        "claims": claims,
        "case2015": case2015,
        "posterior": posterior,
        "predictive": predictive,
    }
    document = MODEL_DOC.read_text(encoding="utf-8")
    for name, make in sections.items():
        if which in (name, "all"):
            text = make()
            print(f"<!-- {name} -->\n{text}\n")
            document = write_section(document, name, text)
    if "--write" in sys.argv:
        MODEL_DOC.write_text(document, encoding="utf-8")
