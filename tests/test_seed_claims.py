"""The seed article's claims hold at the defaults: EU choices change what people believe, not only the label.

After 12 months of a fixed EU policy from July 2024 (common random numbers), apolitical acceptance
under engage is at least 5 points above hold, and dependence on Russia/China is higher under
tighten than under hold. docs/model.md reports the same comparison at full size.
"""

import pytest

from simulator import load_preset, simulate, with_overrides


@pytest.fixture(scope="module")
def after_twelve_months():
    base = load_preset("baseline_2024")
    rows = {}
    for action in ("engage", "hold", "tighten"):
        scenario = with_overrides(
            base,
            {
                "eu.policy.kind": "fixed",
                "eu.policy.action": action,
                "simulation.months": 12,
                "audience.size": 600,
            },
        )
        monthly = simulate(scenario, replications=120, seed=7).monthly
        rows[action] = monthly[monthly["month"] == 12].mean(numeric_only=True)
    return rows


def test_engagement_makes_victory_credible_to_the_apolitical(after_twelve_months):
    engage, hold = after_twelve_months["engage"], after_twelve_months["hold"]
    assert engage["acceptance_apolitical"] >= hold["acceptance_apolitical"] + 0.05


def test_tightening_deepens_dependence_on_russia_and_china(after_twelve_months):
    assert after_twelve_months["tighten"]["dependence"] > after_twelve_months["hold"]["dependence"]


def test_siege_rallies_supporters(after_twelve_months):
    assert after_twelve_months["tighten"]["acceptance_supporter"] > after_twelve_months["hold"]["acceptance_supporter"]
