"""The 'why' lines name the regime's drivers, including the pardon occasion and each deal's price and offer."""

from conftest import run_small

from simulator import load_preset
from simulator.presentation.explanations import why_arrests, why_deals, why_occasion, why_release
from simulator.presentation.wording import JARGON


def test_why_names_the_pardon_occasion():
    results = run_small()
    july = results.monthly[results.monthly["date"] == "2024-07-01"]
    # March 2025: no holiday, and the campaign ended with the vote of January.
    march = results.monthly[results.monthly["date"] == "2025-03-01"]
    assert "a pardon occasion" in why_occasion(july)
    assert "holiday clemency routine" in why_occasion(july)
    assert "an ordinary month for pardons" in why_occasion(march)
    assert why_occasion(july) in why_release(july, results.scenario)


def test_why_names_each_deal_with_its_rung_and_the_regimes_trust():
    results = run_small(load_preset("us_second_sender"))
    monthly = results.monthly
    deal_month = monthly[monthly["date"] == "2025-02-01"]
    quiet_month = monthly[monthly["date"] == "2025-03-01"]
    (sentence,) = why_deals(deal_month, results.scenario)
    assert sentence.startswith("Deal with the United States:") and "next item on its ladder" in sentence
    assert "trust that it delivers" in sentence and "%" in sentence
    assert not [word for word in JARGON if word in sentence.lower()]  # not "sanctions index units"
    assert why_deals(quiet_month, results.scenario) == []
    assert sentence in why_release(deal_month, results.scenario)


def test_why_arrests_names_hostage_taking_after_a_deal():
    # The hostage response follows the value paid after `hostage_delay` months: February's deal reaches May.
    paid = {"regime__repression__hostage_reference": 0.01}
    results = run_small(load_preset("us_second_sender"), **paid)
    after = results.monthly[results.monthly["date"] == "2025-05-01"]
    assert "taking new prisoners to trade" in why_arrests(after)
