"""The baseline reproduces the observed July-September 2024 figures on average."""

import pytest

from simulator import Scenario
from simulator.core.calibration import TOLERANCE, fit_to_2024, observed_2024


@pytest.fixture(scope="module")
def fit():
    return fit_to_2024(Scenario(), replications=500, seed=2024)


def test_observed_figures_are_shipped_with_sources():
    observed = observed_2024()
    assert list(observed.loc[observed["month"].isin(["2024-07", "2024-08", "2024-09"]), "pardoned"]) == [18, 30, 67]
    assert observed["source_note"].str.contains("Viasna").any()


@pytest.mark.parametrize("figure", sorted(TOLERANCE))
def test_each_figure_is_within_its_tolerance(fit, figure):
    rows = fit.table[fit.table["figure"] == figure]
    assert len(rows) == 3
    assert (rows["relative_error"].abs() <= TOLERANCE[figure]).all(), rows.to_string()


def test_pardons_rise_from_july_to_september(fit):
    pardons = fit.table[fit.table["figure"] == "pardoned"]["simulated"].to_list()
    assert pardons[0] < pardons[1] < pardons[2]


def test_new_political_prisoners_are_near_54_a_month(fit):
    arrests = fit.table[fit.table["figure"] == "newly_recognised"]["simulated"].mean()
    assert abs(arrests - 54) / 54 <= 0.25
