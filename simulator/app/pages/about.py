"""About the model: a picture of who drives what, a plain summary, then the ODD, every assumption and the data."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from simulator import Scenario, __version__
from simulator.app import ui
from simulator.core.identifiability import identifiability
from simulator.core.record import observed_record
from simulator.core.shipped import DATA, DOCS, read_text
from simulator.core.uncertainty import load_posterior, posterior_conclusions, posterior_metadata
from simulator.presentation.diagram import arrow_rows, diagram_figure
from simulator.presentation.uncertainty_plots import prior_posterior_figure
from simulator.presentation.uncertainty_text import what_bands_show
from simulator.presentation.wording import plain_unit

SUMMARY = """
**In one paragraph.** Each month the EU (and, if you switch it on, a second sender such as the United
States) engages, holds or tightens sanctions. The regime watches: it learns whether releasing prisoners
gets answered with relief, and weighs that hope, the sanctions it feels, the coming election and the fear
of looking weak against the cost of letting prisoners go. It pardons some (on holidays, from those who
petitioned), trades others in deals with a sender that pays, keeps arresting, and has state media tell
the story that fits the EU's answer. A simulated population hears that story through its own media and
believes it more or less; the angriest may protest, which brings more arrests. Every arrow in the picture
has parameters you can change on **Explore**; hover a numbered dot to see them.
"""

NOT_A_FORECAST = """
This simulator is a **stylised model, not a forecast**. It represents a regime, one or two senders of
sanctions and a domestic audience with a few mechanisms each, chosen to make the EU's dilemma explicit:
rewarding releases may free people now but invite new arrests; holding or tightening keeps principle and
leverage but may leave people in prison and hand the regime another story.

- Its defaults are calibrated to the record of Belarus from July 2024 to September 2025 (pardons, deals,
  the prisoner stock, recognitions); after that it extrapolates mechanisms, not data.
- Competing hypotheses (does pressure make a regime release more, or less?) are parameters: results hold
  *under the assumptions you set*. {bands}
- It says nothing about any real person, and it does not predict what any government will do.
"""


def assumptions_table() -> pd.DataFrame:
    """Every parameter with its default (in the default scenario), unit, allowed range, source and meaning."""
    defaults = ui.flat_values(Scenario())
    rows = []
    for path, info in ui.PARAMETERS.items():
        allowed = f"{info.minimum:g} to {info.maximum:g}" if info.maximum is not None else ", ".join(info.choices)
        rows.append(
            {
                "parameter": path,
                "name": info.label,
                "default": ui.encode_value(defaults[path]),
                "unit": plain_unit(info.unit),
                "allowed": allowed,
                "source": info.source,
                "meaning": info.help,
                "advanced": info.advanced,
            }
        )
    return pd.DataFrame(rows)


def _model_description() -> None:
    st.markdown(read_text(DOCS, "model.md"))


def parameter_labels() -> dict[str, str]:
    """Each parameter's plain name by dotted path, for the diagram's arrows."""
    return {path: info.label for path, info in ui.PARAMETERS.items()}


def _picture() -> None:
    """The causal diagram, then its arrows as a table with the parameters on each."""
    st.header("A picture of the model: who drives what")
    labels = parameter_labels()
    st.plotly_chart(
        diagram_figure(labels, ui.large_text()),
        key="chart_diagram",
        config={"displaylogo": False, "displayModeBar": False},
    )
    st.caption(
        "Blue: the senders, whose moves you choose. Orange: the regime and its state media. Green: the "
        "population. Grey: what they change. Each numbered arrow is listed below with the parameters that "
        "set how strong it is."
    )
    with st.expander("The arrows and their parameters", expanded=False):
        st.table(pd.DataFrame(arrow_rows(labels)).set_index("#"))


def _what_the_data_pin_down() -> None:
    """Prior against posterior for each uncertain parameter: a picture, a table, and how the posterior was made."""
    made = posterior_metadata()
    st.markdown(
        "Fifteen months are observed (July 2024 to September 2025), so much of the regime's and the audience's "
        "behaviour cannot be learned from data. The model's calibration (approximate Bayesian computation on "
        "the mean of several runs of each parameter set) says how far the record "
        "narrow each assumption: grey is the range thought plausible before, blue where the data leave it "
        "(90% of the posterior). Explore and Compare draw these assumptions run by run by default, so their "
        "bands show this uncertainty as well as chance."
    )
    st.plotly_chart(prior_posterior_figure(load_posterior()), key="about_posterior", config={"displaylogo": False})
    table = identifiability().rename(columns={"shrinkage": "share of spread removed"})
    st.dataframe(
        table,
        hide_index=True,
        column_config={"share of spread removed": st.column_config.NumberColumn(format="percent")},
    )
    st.caption(
        f"{load_posterior().size} parameter sets from {made['simulations']:,} simulated runs in "
        f"{made['run_minutes']:.0f} minutes (seed {made['seed']}, model version {made['model_version']}); re-run "
        "with `simulator calibrate --posterior` (docs/model.md, 3.5-3.7)."
    )
    st.subheader("Which policy conclusions hold across the posterior")
    found = posterior_conclusions()
    st.dataframe(
        found.rename(columns={"share_of_parameter_sets": "holds in this share of parameter sets"}),
        hide_index=True,
        column_config={"holds in this share of parameter sets": st.column_config.NumberColumn(format="percent")},
    )
    st.caption(
        "Each fixed EU policy run on 100 posterior parameter sets (20 runs each, common random numbers, 24 "
        "months of baseline_2024, the EU alone); a conclusion that holds in some sets and not in others "
        "changes sign: it is an assumption, not a result. Recomputed by `simulator calibrate --report`."
    )


def render() -> None:
    """The About page."""
    st.title("About the model")
    st.markdown(SUMMARY)
    _picture()
    # What the bands hold is said in the same words as on Explore and Compare, for the default scenario.
    st.markdown(NOT_A_FORECAST.format(bands=what_bands_show(Scenario())))
    model, assumptions, uncertain, data = st.tabs(
        ["The full description (ODD)", "Assumptions (every parameter)", "What the data pin down", "Observed data"]
    )
    with model:
        _model_description()
    with assumptions:
        st.caption(
            "Each parameter's default, allowed range and source, as declared in the parameter schema "
            "(simulator/core/schema.py); the app's controls are generated from the same declarations."
        )
        st.dataframe(assumptions_table(), hide_index=True)
    with uncertain:
        _what_the_data_pin_down()
    with data:
        st.caption(
            "The monthly record for Belarus, January 2024 to September 2025, that the model is calibrated to; "
            "the Explore page overlays it on its charts."
        )
        st.dataframe(observed_record(), hide_index=True)
        st.markdown(read_text(DATA, "SOURCES.md"))
    st.caption(f"Simulator version {__version__}.")


if __name__ == "__main__":
    render()
