"""Make the shipped posterior: ABC-SMC of the uncertain parameters to the record (July 2024 - September 2025).

Usage: python scripts/calibrate_posterior.py [population] [runs per set] [max_minutes] [seed]
Writes simulator/data/posterior_record.csv (the last population's parameter sets, equal weights)
and posterior_record.json (how it was made: method, seed, date, model version, run time,
thresholds, targets, priors). The same run is `simulator calibrate --posterior`.
"""

import datetime
import json
import sys
import time
from pathlib import Path

from simulator.core.inference import abc_smc
from simulator.core.provenance import provenance
from simulator.core.scenarios import load_preset

DATA = Path(__file__).resolve().parent.parent / "simulator" / "data"

if __name__ == "__main__":
    population, runs, minutes, seed = (
        int(a) for a in (sys.argv[1:] + ["1500", "8", "20", "2024"][len(sys.argv) - 1 :])
    )
    began = time.perf_counter()
    calibration = abc_smc(
        population, runs, seed, max_minutes=float(minutes), progress=lambda line: print(line, flush=True)
    )
    calibration.posterior.to_csv(DATA / "posterior_record.csv", index=False, float_format="%.6g")
    record = provenance(load_preset("as_it_happened"), seed)
    metadata = {
        **calibration.metadata,
        "script": "scripts/calibrate_posterior.py",
        "made_on": datetime.date.today().isoformat(),
        "model_version": record.get("model_version", record["simulator_version"]),
        "random_streams": record["random_streams"],
        "simulator_version": record["simulator_version"],
        "schema_version": record.get("schema_version"),
        "wall_seconds": round(time.perf_counter() - began, 1),
    }
    (DATA / "posterior_record.json").write_text(json.dumps(metadata, indent=2) + "\n")
    print(
        json.dumps({k: metadata[k] for k in ("distinct_sets", "effective_sample_size", "final_epsilon", "run_minutes")})
    )
