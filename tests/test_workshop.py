"""Workshop game logic, independent of Streamlit and of the database: rules, tallies, replay, reveal, debrief."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from simulator import load_preset, parse_scenario_yaml, scenario_to_yaml, simulate, with_overrides
from simulator.core.runner import results_from_state
from simulator.workshop.debrief import (
    BEST,
    FIXED_POLICIES,
    ROOM,
    compute_debrief,
    debrief_html,
    path_scenario,
    rule_grid,
    run_policy,
)
from simulator.workshop.rules import (
    Decision,
    Progress,
    ReplayCache,
    Tally,
    WorkshopError,
    check_range,
    clean_text,
    make_spec,
    normalise_code,
    replay,
    reveal_month,
)

ROUNDS, RUNS = 4, 16


@pytest.fixture(scope="module")
def spec():
    """A small workshop: four months, sixteen runs."""
    return make_spec("baseline_2024", rounds=ROUNDS, replications=RUNS, seed=11, title="Test room")


def decisions(actions, by="room"):
    return [Decision(i + 1, a, by, Tally(**{a: 1})) for i, a in enumerate(actions)]


# Building a workshop


def test_spec_makes_the_eu_interactive_over_the_chosen_months(spec):
    assert spec.scenario.eu.policy.kind == "interactive"
    assert spec.rounds == ROUNDS
    assert spec.scenario.simulation.replications == RUNS
    assert spec.scenario.simulation.seed == 11
    assert spec.title == "Test room"


def test_spec_second_sender_choices():
    assert not make_spec("us_second_sender", second_sender="none").scenario.second_sender.enabled
    fixed = make_spec("baseline_2024", second_sender="tighten").scenario.second_sender
    assert fixed.enabled and fixed.policy.kind == "fixed" and fixed.policy.action == "tighten"
    kept = make_spec("us_second_sender").scenario.second_sender
    assert kept.enabled and kept.policy.kind == "schedule"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rounds": 0}, "rounds"),
        ({"rounds": 25}, "rounds"),
        ({"replications": 0}, "replications"),
        ({"second_sender": "bribe"}, "second_sender"),
        ({"title": "<script>"}, "title"),
    ],
)
def test_spec_rejects_bad_settings_naming_the_field(kwargs, field):
    with pytest.raises(WorkshopError, match=f"^{field}:"):
        make_spec("baseline_2024", **kwargs)


def test_unknown_preset_is_named():
    with pytest.raises(WorkshopError, match="preset: 'nowhere'"):
        make_spec("nowhere")


def test_check_range_refuses_non_integers():
    with pytest.raises(WorkshopError, match="not a whole number"):
        check_range("rounds", 2.5, 1, 3)
    with pytest.raises(WorkshopError, match="not a whole number"):
        check_range("rounds", True, 1, 3)


# Participant input


@pytest.mark.parametrize("name", ["Anna", "Jean-Luc O'Neil", "Łukasz Żółć", "Team 7", "Dr. Smith", "Алесь", ""])
def test_names_accept_letters_of_any_script(name):
    assert clean_text("name", name) == name


def test_names_are_trimmed_and_spaces_collapsed():
    assert clean_text("name", "  Anna   Maria ") == "Anna Maria"


@pytest.mark.parametrize(
    "name", ["<b>x</b>", "[link](http://x)", "![img](x)", "a*b*", "Robert'); DROP TABLE", "x_y", "`code`", "a\u202eb"]
)
def test_names_refuse_markup_and_code(name):
    with pytest.raises(WorkshopError, match="^name: .* is not allowed"):
        clean_text("name", name)


def test_names_have_a_length_limit():
    with pytest.raises(WorkshopError, match="41 characters is above the maximum 40"):
        clean_text("name", "a" * 41)


def test_codes_are_normalised_and_checked():
    assert normalise_code(" k7pq-2m ") == "K7PQ2M"
    with pytest.raises(WorkshopError, match="^code: 'K0PQ2M' is not a join code"):
        normalise_code("K0PQ2M")


# Votes and phases


def test_tally_majority_and_tie_rule():
    assert Tally(engage=3, hold=1, tighten=2).winner() == "engage"
    assert Tally(engage=2, hold=0, tighten=2).winner() == "hold"
    assert Tally(engage=1, hold=1, tighten=0).winner() == "hold"
    assert Tally().winner() is None
    assert Tally(1, 2, 3).total == 6


def test_progress_phases():
    assert Progress(0, 3).phase == "ready"
    assert Progress(0, 3, voting_month=1).phase == "voting"
    assert Progress(0, 3, voting_month=1, paused=True).phase == "paused"
    assert Progress(3, 3).phase == "finished"


def test_progress_rules():
    with pytest.raises(WorkshopError, match="vote for month 1 is open"):
        Progress(0, 3, voting_month=1).check_can_decide()
    with pytest.raises(WorkshopError, match="all 3 months are played"):
        Progress(3, 3).check_can_decide()
    with pytest.raises(WorkshopError, match="paused"):
        Progress(1, 3, paused=True).check_can_decide()
    with pytest.raises(WorkshopError, match="no month has been decided"):
        Progress(0, 3).check_can_undo()
    Progress(0, 3, voting_month=1).check_can_undo()


def test_late_and_stale_ballots_are_refused_clearly():
    with pytest.raises(WorkshopError, match="the vote on month 2 closed before your tap; your vote was not counted"):
        Progress(2, 3).check_ballot(2)
    with pytest.raises(WorkshopError, match="this ballot is for month 1 but the room is voting on month 2"):
        Progress(1, 3, voting_month=2).check_ballot(1)
    Progress(1, 3, voting_month=2).check_ballot(2)


# Replay


def test_replay_is_deterministic_and_cached_states_match(spec):
    actions = ["engage", "hold", "tighten"]
    first, second = replay(spec.scenario, actions), ReplayCache().state(spec.scenario, actions)
    assert first.month == second.month == 3
    a, b = results_from_state(first).monthly, results_from_state(second).monthly
    assert a.equals(b)


def test_undo_is_replaying_a_prefix(spec):
    cache = ReplayCache()
    chain = cache.chain(spec.scenario, ["engage", "tighten"])
    assert [s.month for s in chain] == [0, 1, 2]
    assert cache.state(spec.scenario, ["engage"]) is chain[1]
    assert results_from_state(chain[1]).monthly.equals(results_from_state(replay(spec.scenario, ["engage"])).monthly)


def test_cache_is_bounded(spec):
    cache = ReplayCache(max_states=3)
    cache.chain(spec.scenario, ["hold", "hold", "hold", "hold"])
    assert len(cache._states) == 3


def test_room_choices_change_the_outcome(spec):
    engage = results_from_state(replay(spec.scenario, ["engage"] * ROUNDS)).summary
    tighten = results_from_state(replay(spec.scenario, ["tighten"] * ROUNDS)).summary
    assert not np.array_equal(engage["final_credibility_eu"], tighten["final_credibility_eu"])


# Reveal


def test_reveal_reports_the_month(spec):
    cache = ReplayCache()
    made = decisions(["hold", "tighten"])
    reveal = reveal_month(cache, spec.scenario, made)
    assert reveal.month == 2 and reveal.month_name == "August 2024"
    assert reveal.decision.action == "tighten"
    assert 0 <= reveal.blocked_share <= 1
    assert reveal.released.low <= reveal.released.median <= reveal.released.high
    assert reveal.prisoners.median > 0
    assert reveal.headline and 0 < reveal.narrative_share <= 1
    assert set(reveal.belief_after) == {"supporter", "apolitical", "opposition"}
    assert reveal.why_release.startswith("Pushing towards releases:")
    assert reveal.why_arrests.startswith("Arrests")
    monthly = results_from_state(cache.state(spec.scenario, ["hold"])).monthly
    assert reveal.belief_before["opposition"] == pytest.approx(monthly["acceptance_opposition"].mean())


def test_reveal_of_a_hold_month_has_nothing_blocked(spec):
    reveal = reveal_month(ReplayCache(), spec.scenario, decisions(["hold"]))
    assert reveal.blocked_share == 0
    assert reveal.belief_before["supporter"] == spec.scenario.audience.initial_belief_supporter


def test_reveal_needs_a_decided_month(spec):
    with pytest.raises(WorkshopError, match="no month has been decided"):
        reveal_month(ReplayCache(), spec.scenario, [])


# Debrief


def test_other_policies_share_the_rooms_random_numbers(spec):
    """Running a policy from the room's initial state equals simulating it from scratch (same seed)."""
    initial = ReplayCache().chain(spec.scenario, [])[0]
    overrides = FIXED_POLICIES["Always hold"]
    ours = run_policy(initial, overrides, ROUNDS)
    reference = simulate(with_overrides(spec.scenario, overrides))
    assert ours.monthly.equals(reference.monthly)


def test_a_room_that_always_holds_matches_always_hold(spec):
    debrief = compute_debrief(spec, decisions(["hold"] * ROUNDS), ReplayCache())
    table = debrief.comparison.set_index("strategy")
    assert table.loc[ROOM].equals(table.loc["Always hold"])
    assert table.loc["Always hold", "vs the room"] == 0


def test_debrief_ranks_the_rules_and_names_the_best(spec):
    actions = ["engage", "hold", "tighten", "tighten"]
    debrief = compute_debrief(spec, decisions(actions), ReplayCache())
    assert list(debrief.comparison["strategy"][:4]) == [ROOM, "Always engage", "Always hold", "Always tighten"]
    assert debrief.comparison["strategy"].iloc[4] == BEST
    assert len(debrief.rules) == len(rule_grid())
    assert debrief.rules["prisoner_months"].is_monotonic_increasing
    assert debrief.comparison["prisoner_months"].iloc[4] == debrief.rules["prisoner_months"].min()
    pivotal = debrief.pivotal
    assert sorted(pivotal["month"]) == [1, 2, 3, 4]
    assert pivotal["swing"].is_monotonic_decreasing
    room_total = debrief.comparison.set_index("strategy").loc[ROOM, "prisoner_months"]
    for row in pivotal.itertuples():
        assert getattr(row, row.room) == pytest.approx(room_total)
        assert row.swing >= 0


def test_the_debrief_table_is_ranked_and_the_room_is_not_compared_with_itself(spec):
    """Issue 22, item 2: the heading says "ranked", so the rows are; the room's row had "room better in 0%"."""
    from simulator.workshop.debrief import comparison_table

    debrief = compute_debrief(spec, decisions(["engage", "hold", "tighten", "tighten"]), ReplayCache())
    table = comparison_table(debrief)
    assert list(table["Rank"]) == list(range(1, len(table) + 1))
    assert table["Prisoner-months"].is_monotonic_increasing
    assert sorted(table["EU strategy"]) == sorted(debrief.comparison["strategy"])
    room = table[table["EU strategy"] == ROOM].iloc[0]
    assert room["Room better in (share of runs)"] is None and room["Prisoner-months vs the room"] is None
    others = table[table["EU strategy"] != ROOM]
    assert others["Room better in (share of runs)"].notna().all()
    page = debrief_html(debrief, "K7PQ2M")
    assert "<td>The room</td>" in page and "<td>—</td>" in page


def test_the_debrief_chart_shades_only_the_rooms_band(spec):
    """Issue 22, item 2: five overlapping bands were a grey mass; alternatives are median lines."""
    from simulator.workshop.debrief import debrief_figure

    debrief = compute_debrief(spec, decisions(["engage", "hold"]), ReplayCache())
    figure = debrief_figure(debrief)
    filled = [trace.name for trace in figure.data if trace.fill == "toself"]
    assert filled == [f"{ROOM} 90% range"]
    lines = [trace.name for trace in figure.data if trace.fill != "toself"]
    assert lines == list(debrief.prisoners) and len({trace.line.dash for trace in figure.data[1:]}) == len(lines)


def test_debrief_html_is_one_self_contained_page(spec):
    debrief = compute_debrief(spec, decisions(["engage", "hold"]), ReplayCache())
    page = debrief_html(debrief, "K7PQ2M")
    assert page.startswith("<!DOCTYPE html>")
    assert re.search(r"<script[^>]*\bsrc=", page) is None, "every script must be inline so the page opens offline"
    assert "Plotly.newPlot" in page
    assert "Test room" in page and "Always tighten" in page and "months that mattered" in page


def test_room_path_as_schedule_reproduces_the_workshop(spec):
    actions = ["engage", "engage", "tighten", "hold"]
    scenario = path_scenario(spec, actions, "K7PQ2M")
    assert scenario.eu.policy.kind == "schedule"
    assert scenario.eu.policy.schedule == {"2024-07": "engage", "2024-09": "tighten", "2024-10": "hold"}
    reloaded = parse_scenario_yaml(scenario_to_yaml(scenario))
    assert simulate(reloaded).monthly.equals(results_from_state(replay(spec.scenario, actions)).monthly)


def test_path_of_a_partial_workshop_covers_the_months_played(spec):
    scenario = path_scenario(spec, ["tighten"], "K7PQ2M")
    assert scenario.simulation.months == 1
    assert load_preset("baseline_2024").simulation.months != 1


def test_the_documentation_example_runs_and_prints_what_it_says(tmp_path, monkeypatch, capsys):
    """docs/workshop.md: the Python block runs, and its output is the block that follows 'It prints:'."""
    text = (Path(__file__).resolve().parent.parent / "docs" / "workshop.md").read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    expected = re.search(r"It prints:\n\n```\n(.*?)```", text, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "docs/workshop.md", "exec"), {})
    assert capsys.readouterr().out == expected


# Roles: teams and Council rules


def test_council_rule_needs_unanimity_and_majority_breaks_ties_to_hold():
    from simulator.workshop.roles import MAJORITY, UNANIMITY, next_role, winner

    assert winner({"engage": 3, "hold": 0, "tighten": 0}, UNANIMITY) == "engage"
    assert winner({"engage": 9, "hold": 0, "tighten": 1}, UNANIMITY) == "hold"
    assert winner({"engage": 9, "hold": 0, "tighten": 1}, MAJORITY) == "engage"
    assert winner({"engage": 2, "hold": 0, "tighten": 2}, MAJORITY) == "hold"
    assert winner({"engage": 0, "hold": 0, "tighten": 0}, UNANIMITY) is None
    assert next_role({}) == "eu" and next_role({"eu": 1}) == "second" and next_role({"eu": 2, "second": 2}) == "eu"


def test_council_switches_off_the_models_friction_and_teams_make_the_second_sender_interactive():
    council = make_spec("baseline_2024", rounds=2, replications=4, council=True)
    assert council.council and council.scenario.eu.friction == 0
    assert council.rules.eu_rule == "unanimity"
    teams = make_spec("baseline_2024", rounds=2, replications=4, teams=True)
    assert teams.scenario.second_sender.enabled and teams.scenario.second_sender.policy.kind == "interactive"
    assert teams.second_name == teams.scenario.second_sender.name
    assert "team decides" in teams.rules.describe("EU", teams.second_name)
    with pytest.raises(WorkshopError, match="^second_sender: 'none' cannot be played with teams"):
        make_spec("baseline_2024", teams=True, second_sender="none")


@pytest.fixture(scope="module")
def team_spec():
    return make_spec("baseline_2024", rounds=3, replications=RUNS, seed=11, teams=True, title="Teams")


def test_the_second_teams_moves_change_the_outcome(team_spec):
    cache = ReplayCache()
    paying = results_from_state(cache.state(team_spec.scenario, [("hold", "engage")] * 3)).monthly
    firm = results_from_state(cache.state(team_spec.scenario, [("hold", "tighten")] * 3)).monthly
    key = team_spec.scenario.second_sender.key
    assert set(paying[f"action_decided_{key}"].astype(str)) <= {"engage", "hold"}
    assert (paying[f"action_decided_{key}"].astype(str) == "engage").any()  # the team acts from month 1
    assert set(firm[f"action_decided_{key}"].astype(str)) <= {"tighten", "hold"}
    assert not paying["prisoners"].equals(firm["prisoners"]) or not paying["narrative"].equals(firm["narrative"])
    assert results_from_state(replay(team_spec.scenario, [("hold", "engage")] * 3)).monthly.equals(paying)


def test_a_team_reveal_names_the_second_sender(team_spec):
    moves = [Decision(1, "hold", "room", Tally(hold=2), "engage", Tally(engage=1))]
    shown = reveal_month(ReplayCache(), team_spec.scenario, moves)
    assert shown.second_name == team_spec.scenario.second_sender.name
    assert 0 <= shown.second_blocked_share <= 1


def test_a_team_debrief_keeps_the_second_teams_moves_and_its_path_reproduces_it(team_spec):
    played = [
        Decision(m, a, "room", Tally(**{a: 1}), s, Tally(**{s: 1}))
        for m, (a, s) in enumerate([("hold", "engage"), ("tighten", "engage"), ("hold", "hold")], start=1)
    ]
    cache = ReplayCache()
    debrief = compute_debrief(team_spec, played, cache)
    room = debrief.comparison.set_index("strategy").loc[ROOM, "prisoner_months"]
    assert np.isfinite(room)
    path = path_scenario(team_spec, [d.action for d in played], "K7PQ2M", tuple(played))
    assert path.second_sender.policy.kind == "schedule"
    rerun = simulate(path).monthly
    direct = results_from_state(cache.state(team_spec.scenario, [d.move for d in played])).monthly
    assert rerun["prisoners"].equals(direct["prisoners"])


def test_preparing_the_next_month_builds_the_reveal_ahead(spec):
    cache = ReplayCache()
    cache.prepare_next(spec.scenario, ["hold"])
    prepared = cache.results(spec.scenario, ["hold", "tighten"])
    assert cache.results(spec.scenario, [("hold", None), ("tighten", None)]) is prepared
    assert prepared.monthly.equals(results_from_state(replay(spec.scenario, ["hold", "tighten"])).monthly)


def test_debrief_says_how_robust_the_rooms_ranking_is(spec):
    from simulator.workshop.debrief import ROOM_BETTER, robustness_line

    debrief = compute_debrief(spec, decisions(["engage", "hold", "tighten", "tighten"]), ReplayCache())
    shares = debrief.comparison.set_index("strategy")[ROOM_BETTER]
    assert shares[ROOM] == 0.0 and shares.between(0, 1).all()
    line = robustness_line(debrief)
    assert "% of runs" in line and "ranking is" in line
    assert ("assumptions" in line) == (spec.scenario.simulation.uncertainty == "posterior")
    assert "Room better in" in debrief_html(debrief, "K7PQ2M")
