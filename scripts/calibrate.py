"""Re-run the point calibration to the record (July 2024 - September 2025) and print the fitted parameters.

Usage: python scripts/calibrate.py [replications] [iterations]
It fits the parameters in `simulator.core.calibration.CALIBRATED` on the as_it_happened preset
(audience of 500 agents: shares, not counts, reach the regime) by Nelder-Mead on the targets'
errors scaled by their tolerances, then prints the values to copy into the schema defaults (they
are marked 'calibrated') and the fit table that docs/model.md shows.
"""

import json
import sys
import time
import warnings

from simulator import load_preset, with_overrides
from simulator.core.calibration import calibrate, fit_to_record

if __name__ == "__main__":
    warnings.simplefilter("ignore")
    replications = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
    base = with_overrides(load_preset("as_it_happened"), {"audience.size": 500})
    began = time.perf_counter()
    fitted = calibrate(base, replications=replications, maxiter=iterations)
    print(json.dumps(fitted, indent=1))
    fit = fit_to_record(with_overrides(load_preset("as_it_happened"), fitted), replications=500)
    print(fit.table.drop(columns="why").round(3).to_string(index=False))
    print(f"loss = {fit.loss:.3f}; within tolerance: {fit.within_tolerance}; {time.perf_counter() - began:.0f} s")
