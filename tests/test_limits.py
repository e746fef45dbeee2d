"""Resource limits: stated once (simulator/core/limits.py), refused at once, in one line per limit."""

import pytest

from simulator import Scenario, ScenarioError, load_preset, with_overrides
from simulator.core.limits import APP_LIMITS, LIBRARY_LIMITS, run_size_problems
from simulator.core.scenarios import check_runnable


def test_the_defaults_and_every_preset_fit_the_app_limits():
    for scenario in [Scenario()] + [load_preset(name) for name in ("baseline_2024", "us_second_sender")]:
        sim = scenario.simulation
        assert run_size_problems(sim.replications, scenario.audience.size, sim.months, APP_LIMITS) == []


def test_the_benchmarks_large_case_fits_the_library_limits():
    assert run_size_problems(2_000, 5_000, 24) == []


def test_a_scenario_needing_gigabytes_is_refused_at_validation_naming_fields_and_limit():
    with pytest.raises(ScenarioError) as error:
        with_overrides(Scenario(), {"simulation.replications": 100_000, "audience.size": 2_500, "simulation.months": 1})
    (line,) = error.value.problems
    assert line == (
        "scenario: simulation.replications x audience.size: 100,000 x 2,500 = 250,000,000 agents is above the "
        "limit of 10,000,000 (about 45 MiB per million agents)"
    )


def test_long_horizons_and_many_replications_are_limited_by_agent_months_and_rows():
    problems = run_size_problems(50_000, 120, 120)
    assert [p.split(":")[0] for p in problems] == [
        "simulation.replications x audience.size x simulation.months",
        "simulation.replications x simulation.months",
    ]
    assert "6,000,000 result rows is above the limit of 1,000,000" in problems[1]


def test_a_replications_override_is_checked_before_any_work(monkeypatch):
    from simulator.core import runner

    monkeypatch.setattr(runner, "start", lambda *a, **k: pytest.fail("the model started before the check"))
    with pytest.raises(ScenarioError):
        runner.simulate(load_preset("baseline_2024"), replications=1_000_000_000_000)
    with pytest.raises(ScenarioError) as error:
        check_runnable(load_preset("baseline_2024"), replications=1_000_000_000_000)
    assert len(error.value.problems) == 3
    assert error.value.problems[0].startswith("simulation.replications x audience.size: 1,000,000,000,000 x 2,000")


@pytest.mark.parametrize("replications", [0, -5, 2.5, "10", True])
def test_a_replications_override_must_be_a_whole_number_of_at_least_one(replications):
    with pytest.raises(ScenarioError, match=r"^replications: .* give a whole number of at least 1"):
        check_runnable(Scenario(), replications=replications)


def test_a_scenario_within_the_limits_is_runnable():
    check_runnable(Scenario())
    check_runnable(Scenario(), replications=LIBRARY_LIMITS.agents // Scenario().audience.size)


@pytest.mark.parametrize("group", ["eu", "second_sender"])
def test_an_interactive_policy_validates_but_is_refused_for_an_unattended_run(group):
    overrides = {f"{group}.policy.kind": "interactive", "second_sender.enabled": True}
    scenario = with_overrides(Scenario(), overrides)  # valid: the workshop plays exactly this
    with pytest.raises(ScenarioError) as error:
        check_runnable(scenario)
    (line,) = error.value.problems
    assert line.startswith(f"{group}.policy.kind: 'interactive' needs a person to choose each month")
