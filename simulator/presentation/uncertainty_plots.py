"""Pictures of parameter uncertainty: each uncertain parameter's prior range against its posterior."""

from __future__ import annotations

import plotly.graph_objects as go

from ..core.identifiability import equal_weight_sample
from ..core.uncertainty import PRIORS, Posterior, Prior


def prior_posterior_figure(posterior: Posterior, priors: tuple[Prior, ...] = PRIORS) -> go.Figure:
    """One row per parameter: its prior range (grey), the posterior's 90% interval (blue) and median (dot).

    Positions are shares of the prior range, so every row has the same scale; the numbers at the
    ends of each row are the prior's bounds and the interval's in the parameter's own units.
    """
    frame = equal_weight_sample(posterior)
    names, lows, highs, medians, texts = [], [], [], [], []
    for prior in priors:
        values = frame[prior.path]
        width = prior.high - prior.low
        q05, q50, q95 = (values.quantile(q) for q in (0.05, 0.5, 0.95))
        names.append(prior.path)
        lows.append((q05 - prior.low) / width)
        highs.append((q95 - prior.low) / width)
        medians.append((q50 - prior.low) / width)
        texts.append(f"prior {prior.low:g} to {prior.high:g}; posterior 90%: {q05:.3g} to {q95:.3g}")
    figure = go.Figure()
    figure.add_trace(go.Bar(y=names, x=[1.0] * len(names), orientation="h", marker_color="#d9d9d9", name="prior range"))
    figure.add_trace(
        go.Bar(
            y=names,
            x=[h - lo for lo, h in zip(lows, highs, strict=True)],
            base=lows,
            orientation="h",
            marker_color="#3b75af",
            name="posterior, 90% interval",
            hovertext=texts,
            hoverinfo="text",
        )
    )
    figure.add_trace(
        go.Scatter(y=names, x=medians, mode="markers", marker={"color": "black", "size": 9}, name="posterior median")
    )
    figure.update_layout(
        barmode="overlay",
        height=70 + 34 * len(names),
        margin={"l": 10, "r": 10, "t": 40, "b": 40},
        title="What the record pins down: each parameter's prior range and posterior",
        xaxis={"title": "position within the prior range", "range": [0, 1], "tickformat": ".0%"},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.15},
    )
    return figure
