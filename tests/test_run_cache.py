"""The app's run cache is bounded by bytes, not by a count of runs (issue 20, item 6)."""

import pickle
import threading

import pytest
import streamlit as st

from simulator import Scenario
from simulator.app.run_cache import BUDGET_ENV_VAR, RunCache, budget_bytes


def test_the_least_recently_used_values_go_first_once_the_budget_is_passed():
    cache = RunCache(max_bytes=3 * len(pickle.dumps(b"x" * 1000)))
    for key in "abc":
        cache.get(key, lambda: b"x" * 1000)
    cache.get("a", lambda: pytest.fail("a is kept"))  # a is now the most recently used
    cache.get("d", lambda: b"x" * 1000)
    assert cache.keys() == ["c", "a", "d"] and cache.bytes_held <= cache.max_bytes


def test_a_value_larger_than_the_whole_budget_is_returned_but_not_kept():
    cache = RunCache(max_bytes=100)
    cache.get("small", lambda: b"x")
    assert cache.get("big", lambda: b"x" * 1000) == b"x" * 1000
    assert cache.keys() == ["small"]


def test_each_caller_gets_its_own_copy():
    cache = RunCache(max_bytes=10_000)
    first = cache.get("k", lambda: [1, 2])
    first.append(3)
    assert cache.get("k", lambda: None) == [1, 2]


def test_callers_for_the_same_key_compute_it_once():
    cache, started, calls = RunCache(max_bytes=10_000), threading.Event(), []

    def slow():
        calls.append(1)
        started.set()
        threading.Event().wait(0.2)
        return "done"

    threads = [threading.Thread(target=cache.get, args=("k", slow)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1]


def test_the_budget_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(BUDGET_ENV_VAR, "64")
    assert budget_bytes() == 64 * 2**20
    monkeypatch.setenv(BUDGET_ENV_VAR, "lots")
    with pytest.raises(ValueError, match=rf"^{BUDGET_ENV_VAR}: 'lots' is not allowed; give a whole number"):
        budget_bytes()


def test_runs_differing_only_in_their_seed_stay_within_the_budget(monkeypatch):
    """The report's case: links that differ in simulation.seed each added a run until memory ran out."""
    from simulator.app import ui

    def scenario(seed: int) -> str:
        return Scenario(simulation={"months": 3, "replications": 4, "seed": seed}, audience={"size": 50}).model_json()

    one = len(pickle.dumps(ui.simulate(Scenario.model_validate_json(scenario(0))), protocol=pickle.HIGHEST_PROTOCOL))
    st.cache_resource.clear()
    monkeypatch.setattr(ui, "budget_bytes", lambda: int(2.5 * one))
    runs = []
    real = ui.simulate
    monkeypatch.setattr(ui, "simulate", lambda s: runs.append(s.simulation.seed) or real(s))
    for seed in (1, 2, 3, 3):
        ui.run(scenario(seed))
    assert runs == [1, 2, 3]  # the repeat of seed 3 is served from the cache
    assert ui.run_cache().bytes_held <= 2.5 * one and ui.run_cache().keys() == [scenario(2), scenario(3)]
    st.cache_resource.clear()
