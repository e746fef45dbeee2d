"""What the data pin down, and which policy conclusions hold across the posterior."""

import json

import numpy as np
from typer.testing import CliRunner

from simulator import cli, load_preset
from simulator.core.identifiability import CONCLUSIONS, conclusions, equal_weight_sample, identifiability
from simulator.core.uncertainty import PRIORS, UNCERTAIN, Posterior, load_posterior


def test_identifiability_compares_every_prior_with_its_posterior():
    table = identifiability()
    assert list(table["parameter"]) == list(UNCERTAIN)
    assert (table["posterior_q05"] <= table["posterior_median"]).all()
    assert (table["posterior_median"] <= table["posterior_q95"]).all()
    assert table["verdict"].str.len().gt(0).all()


def test_a_posterior_concentrated_on_one_value_is_pinned_down():
    values = np.array([[(p.low + p.high) / 2 for p in PRIORS]] * 50)
    values[:, 0] += np.linspace(-0.001, 0.001, 50)
    table = identifiability(Posterior(UNCERTAIN, values))
    assert (table["verdict"] == "pinned down").all()


def test_equal_weight_sample_follows_the_weights():
    values = np.array([[0.0] * len(UNCERTAIN), [1.0] * len(UNCERTAIN)])
    sample = equal_weight_sample(Posterior(UNCERTAIN, values, np.array([0.9, 0.1])), size=1000)
    assert abs(sample[UNCERTAIN[0]].mean() - 0.1) < 0.01


def test_conclusions_report_the_share_of_parameter_sets_in_which_they_hold():
    found = conclusions(load_preset("baseline_2024"), load_posterior(), sets=6, runs_per_set=3, audience_size=80)
    assert list(found["conclusion"]) == [c.statement for c in CONCLUSIONS]
    assert found["share_of_parameter_sets"].between(0, 1).all()
    assert (found["difference_q05"] <= found["difference_q95"]).all()


def test_calibrate_command_prints_the_point_fit():
    result = CliRunner().invoke(cli.app, ["calibrate", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    from simulator.core.record import record_targets

    assert len(document["fit"]) == len(record_targets()) and document["within_tolerance"] is True
