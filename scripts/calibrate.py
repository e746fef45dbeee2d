"""Re-run the point calibration to the record (July 2024 - September 2025) and print the fitted parameters.

Usage: python scripts/calibrate.py [replications] [iterations per stage]
It fits `simulator.core.calibration.CALIBRATED` on the as_it_happened preset (audience of 500
agents: shares, not counts, reach the regime) by Nelder-Mead on the targets' errors scaled by
their tolerances: first each mechanism on the figures it explains (repression on recognitions,
pardons on pardons, deals on deals, sentences on stocks), then all together. It prints the values
to copy into the defaults (marked 'calibrated') and the fit table that docs/model.md shows.
"""

import json
import sys
import time
import warnings

from simulator import load_preset, with_overrides
from simulator.core.calibration import CALIBRATED, calibrate, fit_to_record

STAGES = (
    ("recognised", ("regime.repression.",)),
    ("pardons", ("regime.pardons.",)),
    ("US deals", ("regime.deals.", "regime.learning.")),
    ("stock", ("regime.sentences.",)),
)

if __name__ == "__main__":
    warnings.simplefilter("ignore")
    replications = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    base = with_overrides(load_preset("as_it_happened"), {"audience.size": 500, "simulation.uncertainty": "none"})
    began = time.perf_counter()
    fitted: dict = {}
    for figures, prefixes in STAGES:
        paths = tuple(p for p in CALIBRATED if p.startswith(prefixes) and not p.endswith("campaign_months"))
        fitted.update(
            calibrate(with_overrides(base, fitted), replications, paths=paths, maxiter=iterations, figures=(figures,))
        )
        print(f"stage {figures}: {time.perf_counter() - began:.0f} s", flush=True)
    paths = tuple(p for p in CALIBRATED if not p.endswith("campaign_months"))
    fitted.update(calibrate(with_overrides(base, fitted), replications, paths=paths, maxiter=2 * iterations))
    print(json.dumps(fitted, indent=1))
    fit = fit_to_record(with_overrides(base, {**fitted, "audience.size": 2000}), replications=500)
    print(fit.table.drop(columns="why").round(3).to_string(index=False))
    print(f"loss = {fit.loss:.3f}; within tolerance: {fit.within_tolerance}; {time.perf_counter() - began:.0f} s")
