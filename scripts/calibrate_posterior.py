"""Make the shipped posterior: ABC-SMC of the uncertain parameters to July-September 2024.

Usage: python scripts/calibrate_posterior.py [population] [generations] [max_minutes] [seed]
Writes simulator/data/posterior_2024.csv (the last population's parameter sets and their weights)
and posterior_2024.json (how it was made: seed, run time, epsilons, priors, measurement uncertainty).
The same run is `simulator calibrate --posterior`.
"""

import json
import sys
import time
from pathlib import Path

from simulator.core.inference import abc_calibrate

DATA = Path(__file__).resolve().parent.parent / "simulator" / "data"

if __name__ == "__main__":
    population, generations, minutes, seed = (
        int(a) for a in (sys.argv[1:] + ["1000", "10", "25", "2024"][len(sys.argv) - 1 :])
    )
    began = time.perf_counter()
    calibration = abc_calibrate(population, generations, seed, float(minutes), progress=print)
    calibration.posterior.to_csv(DATA / "posterior_2024.csv", index=False, float_format="%.6g")
    metadata = {
        **calibration.metadata,
        "script": "scripts/calibrate_posterior.py",
        "wall_seconds": round(time.perf_counter() - began, 1),
    }
    (DATA / "posterior_2024.json").write_text(json.dumps(metadata, indent=2) + "\n")
    print(calibration.posterior.describe().T.to_string())
