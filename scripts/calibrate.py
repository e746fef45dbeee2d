"""Re-run the calibration to July-September 2024 and print the fitted parameters and the fit.

Usage: python scripts/calibrate.py [replications] [campaign_months]
Copy the printed values into the defaults in simulator/schema.py (they are marked 'calibrated').
"""

import sys

from simulator import Scenario, with_overrides
from simulator.core.calibration import calibrate, fit_to_2024

if __name__ == "__main__":
    replications = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    base = Scenario()
    if len(sys.argv) > 2:
        base = with_overrides(base, {"regime.campaign_months": int(sys.argv[2])})
    fitted = calibrate(base, replications=replications)
    for path, value in fitted.items():
        print(f"{path} = {value:.4g}")
    fit = fit_to_2024(with_overrides(base, fitted), replications=replications)
    print(fit.table.to_string(index=False))
    print(f"loss = {fit.loss:.4f}")
