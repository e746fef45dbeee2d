"""Re-run the calibration to July-September 2024 and print the fitted parameters and the fit.

Usage: python scripts/calibrate.py [replications]
Copy the printed values into the defaults in simulator/schema.py (they are marked 'calibrated').
"""

import sys

from simulator import Scenario, with_overrides
from simulator.calibration import calibrate, fit_to_2024

if __name__ == "__main__":
    replications = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    fitted = calibrate(Scenario(), replications=replications)
    for path, value in fitted.items():
        print(f"{path} = {value:.4g}")
    fit = fit_to_2024(with_overrides(Scenario(), fitted), replications=replications)
    print(fit.table.to_string(index=False))
    print(f"loss = {fit.loss:.4f}")
