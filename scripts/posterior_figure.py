"""Draw docs/posterior.svg: each uncertain parameter's prior range against the shipped posterior.

Usage: python scripts/posterior_figure.py   (needs kaleido, which drives the system's Chromium: pip install kaleido)
The About page draws the same figure live from simulator.presentation.uncertainty_plots.
"""

from pathlib import Path

from simulator.core.uncertainty import load_posterior
from simulator.presentation.uncertainty_plots import prior_posterior_figure

OUT = Path(__file__).resolve().parent.parent / "simulator" / "docs" / "posterior.svg"

if __name__ == "__main__":
    figure = prior_posterior_figure(load_posterior())
    figure.update_layout(width=900)
    figure.write_image(OUT)
    print(f"wrote {OUT}")
