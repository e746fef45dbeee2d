"""One test per mechanism: changing its parameter moves the outputs the documented way."""

import numpy as np
import pytest
from conftest import run_small

from simulator import Scenario

HOLD = {"eu__policy__kind": "fixed", "eu__policy__action": "hold"}
ENGAGE = {"eu__policy__kind": "fixed", "eu__policy__action": "engage"}
TIGHTEN = {"eu__policy__kind": "fixed", "eu__policy__action": "tighten"}


def total(results, column):
    """Mean over replications of a monthly column summed over months."""
    return results.monthly.groupby("replication")[column].sum().mean()


def test_release_cost_lowers_releases():
    assert total(run_small(regime__pardons__release_cost=0.8), "released") < total(
        run_small(regime__pardons__release_cost=0.3), "released"
    )


def test_pardons_free_the_cheapest_tier_first():
    results = run_small(regime__pardons__election_weight=0.5, **HOLD)
    monthly = results.monthly
    share = {t: monthly[f"released_{t}"].sum() / monthly[f"prisoners_{t}"].sum() for t in ("ordinary", "prominent")}
    assert share["ordinary"] > share["prominent"]
    assert monthly["released_leaders"].sum() <= monthly["released_prominent"].sum()


def test_base_arrests_drive_new_arrests():
    assert total(run_small(regime__repression__base_arrests=80), "new_arrests") > total(
        run_small(regime__repression__base_arrests=20), "new_arrests"
    )


def test_rearrest_rate_drives_rearrests():
    assert total(run_small(regime__repression__rearrest_rate=0.01), "rearrests") > total(
        run_small(regime__repression__rearrest_rate=0.0), "rearrests"
    )
    assert total(run_small(regime__repression__rearrest_rate=0.0), "rearrests") == 0


def test_completion_rate_drives_completed_sentences():
    fast = run_small(regime__sentences__completion_rate_ordinary=0.08)
    slow = run_small(regime__sentences__completion_rate_ordinary=0.01)
    assert total(fast, "completed_sentences") > total(slow, "completed_sentences")


def test_campaign_pardons_end_with_the_vote():
    after = {"simulation__months": 12, "regime__pardons__occasion_other_months": 0.0}
    monthly = run_small(**after, **HOLD).monthly
    quiet = monthly["date"].dt.strftime("%Y-%m").isin(["2025-02", "2025-03", "2025-04"])
    assert monthly.loc[quiet, "pardoned"].sum() == 0
    assert (monthly.loc[quiet, "driver_election"] == 0).all()
    campaign = monthly["date"].dt.strftime("%Y-%m").isin(["2024-10", "2024-12"])
    assert monthly.loc[campaign, "pardoned"].sum() > 0


def test_election_weight_raises_releases_before_the_election():
    strong = run_small(regime__pardons__election_weight=1.5, **HOLD)
    none = run_small(regime__pardons__election_weight=0.0, **HOLD)
    assert total(strong, "released") > total(none, "released")
    assert (none.monthly["driver_election"] == 0).all()


def test_regime_learns_that_engagement_pays_and_hold_does_not():
    engage = run_small(**ENGAGE).monthly.groupby("month")["reciprocity_belief_eu"].mean()
    hold = run_small(**HOLD).monthly.groupby("month")["reciprocity_belief_eu"].mean()
    assert engage.iloc[-1] > engage.iloc[0]
    assert hold.iloc[-1] < hold.iloc[0]


def test_hold_read_as_refusal_lowers_belief_more():
    harsh = run_small(regime__learning__hold_as_refusal=1.0, **HOLD).monthly["reciprocity_belief_eu"].mean()
    mild = run_small(regime__learning__hold_as_refusal=0.0, **HOLD).monthly["reciprocity_belief_eu"].mean()
    assert harsh < mild


@pytest.mark.parametrize("response, more", [(1.5, True), (-1.5, False)])
def test_pressure_response_is_a_hypothesis_not_a_code_branch(response, more):
    # Political pardons only (no holiday routine), so the queue of petitioners does not bind.
    political = {"regime__pardons__pressure_response": response, "regime__pardons__holiday_share": 0.0}
    tighten = total(run_small(**political, **TIGHTEN), "pardoned")
    hold = total(run_small(**political, **HOLD), "pardoned")
    assert (tighten > hold) == more


def test_hostage_incentive_raises_arrests_when_releases_pay():
    keen = run_small(regime__repression__hostage_incentive=1.5, **ENGAGE)
    none = run_small(regime__repression__hostage_incentive=0.0, **ENGAGE)
    assert total(keen, "new_arrests") > total(none, "new_arrests")


def test_siege_repression_raises_arrests_under_tightening():
    harsh = run_small(regime__repression__siege_repression=1.0, **TIGHTEN)
    none = run_small(regime__repression__siege_repression=0.0, **TIGHTEN)
    assert total(harsh, "new_arrests") > total(none, "new_arrests")


def test_mobilisation_feeds_repression():
    kwargs = {"audience__threshold_mean": 0.1, "audience__deterrence": 0.0}
    responsive = run_small(regime__repression__mobilisation_response=20, **kwargs)
    indifferent = run_small(regime__repression__mobilisation_response=0, **kwargs)
    assert responsive.monthly["mobilised_share"].mean() > 0
    assert responsive.monthly["repression"].mean() > indifferent.monthly["repression"].mean()


def test_deterrence_lowers_mobilisation():
    low = run_small(audience__deterrence=0.0, audience__threshold_mean=0.3)
    high = run_small(audience__deterrence=1.0, audience__threshold_mean=0.3)
    assert high.monthly["mobilised_share"].mean() < low.monthly["mobilised_share"].mean()


def _eu_ladder(deported_share):
    return [{"name": "relief", "value": 0.05, "eases_sanctions": True, "deported_share": deported_share}]


def test_deportation_share_sends_pardoned_people_abroad():
    deporting = run_small(regime__pardons__deportation_share=1.0, eu__relief_items=_eu_ladder(1.0), **ENGAGE)
    keeping = run_small(regime__pardons__deportation_share=0.0, eu__relief_items=_eu_ladder(0.0), **ENGAGE)
    assert (deporting.summary["total_deported"] == deporting.summary["total_released"]).all()
    assert keeping.summary["total_deported"].sum() == 0


def test_each_relief_item_sets_who_is_deported_from_its_deal():
    results = run_small(regime__pardons__deportation_share=0.0, eu__relief_items=_eu_ladder(1.0), **ENGAGE)
    assert results.summary["total_released_in_deals"].sum() > 0
    assert (results.summary["total_deported"] == results.summary["total_released_in_deals"]).all()


def test_independent_media_reach_lowers_acceptance():
    reached = run_small(audience__independent_media_reach=1.0)
    blocked = run_small(audience__independent_media_reach=0.0)
    assert reached.summary["final_acceptance"].mean() < blocked.summary["final_acceptance"].mean()


def test_stories_follow_what_the_eu_did():
    def top(results):
        return results.monthly["narrative"].value_counts().idxmax()

    assert top(run_small(regime__narratives__narrative_noise=0.0, **ENGAGE)) == "victory"
    assert top(run_small(regime__narratives__narrative_noise=0.0, **TIGHTEN)) in ("siege", "pivot_east")
    held = run_small(regime__narratives__narrative_noise=0.0, regime__pardons__election_weight=2.0, **HOLD).monthly
    assert {"humanism", "hypocrisy"} <= set(held["narrative"])


def test_friction_blocks_moves():
    blocked = run_small(eu__friction=1.0, **TIGHTEN).monthly
    assert (blocked["action_decided_eu"] == "hold").all()
    free = run_small(eu__friction=0.0, **TIGHTEN).monthly
    assert (free["action_decided_eu"] == "tighten").all()


def test_implementation_lag_delays_effect():
    monthly = run_small(eu__friction=0.0, eu__lag_months=2, **TIGHTEN).monthly
    first = monthly[monthly["replication"] == monthly["replication"].min()]
    assert list(first["action_in_effect_eu"][:3]) == ["hold", "hold", "tighten"]


def test_tightening_raises_pressure_and_dependence_engaging_gives_relief():
    tighten = run_small(eu__friction=0.0, **TIGHTEN)
    engage = run_small(eu__friction=0.0, **ENGAGE)
    assert tighten.monthly["sanctions_pressure"].iloc[-1] > engage.monthly["sanctions_pressure"].iloc[-1]
    assert tighten.summary["final_dependence"].mean() > engage.summary["final_dependence"].mean()
    assert engage.summary["total_relief_eu"].mean() > 0 == tighten.summary["total_relief_eu"].sum()


def test_engaging_while_arrests_continue_costs_credibility():
    engage = run_small(**ENGAGE).summary["final_credibility_eu"].mean()
    hold = run_small(**HOLD).summary["final_credibility_eu"].mean()
    assert engage < hold


def test_stability_falls_with_mobilisation_weight():
    kwargs = {"audience__threshold_mean": 0.1, "audience__deterrence": 0.0}
    fragile = run_small(regime__stability_from_mobilisation=15, **kwargs).summary["final_stability"].mean()
    robust = run_small(regime__stability_from_mobilisation=0, **kwargs).summary["final_stability"].mean()
    assert fragile < robust


def test_second_sender_that_pays_is_learned_separately():
    results = run_small(
        second_sender__enabled=True,
        second_sender__policy__kind="fixed",
        second_sender__policy__action="engage",
        second_sender__friction=0.0,
        **HOLD,
    )
    by_month = results.monthly.groupby("month")[["reciprocity_belief_eu", "reciprocity_belief_us"]].mean()
    assert by_month["reciprocity_belief_us"].iloc[-1] > by_month["reciprocity_belief_eu"].iloc[-1]
    alone = run_small(**HOLD)
    assert total(results, "released") > total(alone, "released")
    assert "driver_relief_us" in results.monthly


def test_drivers_explain_the_decision():
    monthly = run_small(**ENGAGE).monthly
    drivers = [c for c in monthly if c.startswith("driver_")]
    assert {"driver_relief_eu", "driver_election", "driver_pressure", "driver_mobilisation", "driver_cost"} <= set(
        drivers
    )
    assert np.isfinite(monthly[drivers].to_numpy()).all()
    assert (monthly["driver_relief_eu"] > 0).all()


def test_deals_happen_only_when_a_sender_engages():
    engage = run_small(**ENGAGE)
    hold = run_small(**HOLD)
    assert hold.summary["total_released_in_deals"].sum() == 0
    assert engage.summary["total_released_in_deals"].mean() > 0
    assert total(engage, "released") > total(hold, "released")


def test_pardons_pause_between_occasions():
    quiet = {
        "regime__pardons__occasion_other_months": 0.0,
        "regime__pardons__occasion_election_eve": 0.0,
        "regime__pardons__occasion_new_year": 0.0,
        "regime__pardons__occasion_victory_day": 0.0,
        "regime__pardons__occasion_october_revolution": 0.0,
    }
    monthly = run_small(**quiet, **HOLD).monthly
    off_occasion = ~monthly["date"].dt.month.isin([7, 9])
    assert (monthly.loc[off_occasion, "pardoned"] == 0).all()
    assert monthly.loc[~off_occasion, "pardoned"].sum() > 0


def test_baseline_has_months_without_pardons():
    monthly = run_small().monthly
    assert (monthly["pardoned"] == 0).mean() > 0.2
    assert not monthly["pardon_held"][monthly["pardoned"] > 0].eq(False).any()


US_DEALS = {
    "second_sender__enabled": True,
    "second_sender__policy__kind": "schedule",
    "second_sender__policy__schedule": {"2025-03": "engage", "2025-04": "hold", "2025-09": "engage", "2025-10": "hold"},
    "second_sender__friction": 0.0,
    "second_sender__sanctions_weight": 1.0,
    "second_sender__relief_step": 0.2,
    "second_sender__engagement_value": 0.3,
}


def test_deals_climb_the_ladder_a_new_sender_starts_small():
    monthly = run_small(**US_DEALS, **HOLD).monthly
    deals = monthly[monthly["freed_in_deals_us"] > 0]
    assert set(deals["date"].dt.strftime("%Y-%m")) <= {"2025-03", "2025-09"}
    by_month = monthly.groupby(monthly["date"].dt.strftime("%Y-%m"))["freed_in_deals_us"].mean()
    assert 0 < by_month["2025-03"] < by_month["2025-09"]
    assert (deals["released_leaders"] > 0).mean() > 0.5
    assert (monthly["freed_not_political_us"] >= 0).all()


def test_items_that_ease_sanctions_lift_the_senders_pressure():
    monthly = run_small(**{**US_DEALS, "second_sender__relief_step": 0.0}, **HOLD).monthly
    september = monthly[monthly["date"].dt.strftime("%Y-%m") == "2025-09"]
    struck = september["freed_in_deals_us"] > 0
    first_item = Scenario().second_sender.relief_items[0]
    assert not first_item.eases_sanctions
    assert (september.loc[struck, "relief_us"] > 0).any() or (september.loc[struck, "relief_item_value_us"] > 0).all()


def test_a_later_sender_leaves_the_months_before_its_entry_untouched():
    alone = run_small(**HOLD).monthly
    joined = run_small(**US_DEALS, **HOLD).monthly
    before = alone["date"] < "2025-01-01"
    common = [c for c in alone.columns if c in joined.columns and c != "headline"]
    # Columns naming a sender have the senders as categories: compare what they say.
    named = {"credited_sender": object, "left_out_sender": object}
    assert alone.loc[before, common].astype(named).equals(joined.loc[before, common].astype(named))
    assert not alone.loc[~before, "released"].equals(joined.loc[~before, "released"])


def test_sentences_of_the_2020_22_wave_run_out_so_completions_fall():
    closed = {
        "regime__repression__base_arrests": 0.0,
        "regime__repression__rearrest_rate": 0.0,
        "regime__pardons__max_release_share": 0.0,
    }
    monthly = run_small(**closed, **HOLD).monthly.groupby("month")[["completed_sentences", "prisoners_2020_22_wave"]]
    means = monthly.mean()
    assert means["completed_sentences"].iloc[-3:].mean() < 0.6 * means["completed_sentences"].iloc[:3].mean()
    assert means["prisoners_2020_22_wave"].is_monotonic_decreasing


def test_early_cohort_rate_drives_completions():
    fast = run_small(regime__sentences__early_cohort_completion_rate=0.12)
    slow = run_small(regime__sentences__early_cohort_completion_rate=0.02)
    assert total(fast, "completed_sentences") > total(slow, "completed_sentences")


def test_the_hostage_response_follows_payments_after_a_delay():
    keen = {"regime__repression__hostage_incentive": 1.5, "regime__repression__hostage_reference": 0.05}
    paid = run_small(**keen, regime__repression__hostage_delay=3, **US_DEALS, **HOLD).monthly
    unpaid = run_small(regime__repression__hostage_incentive=0.0, **US_DEALS, **HOLD).monthly
    label = paid["date"].dt.strftime("%Y-%m")
    early = label.isin(["2025-03", "2025-04", "2025-05"])
    assert (paid.loc[early, "repression_hostage"] == 0).all()
    later = label.isin(["2025-06", "2025-07", "2025-08"])
    assert paid.loc[later, "repression_hostage"].mean() > 0
    assert paid.loc[later, "new_arrests"].mean() > unpaid.loc[later, "new_arrests"].mean()


def test_the_pool_of_people_at_risk_depletes_so_arrests_fall():
    closed = {
        "regime__repression__pool_inflow": 0.0,
        "regime__repression__mobilised_inflow": 0.0,
        "regime__repression__released_rejoin_share": 0.0,
    }
    monthly = run_small(**closed, **HOLD).monthly.groupby("month")[["new_arrests", "at_risk"]].mean()
    assert monthly["at_risk"].is_monotonic_decreasing
    assert monthly["new_arrests"].iloc[-3:].mean() < monthly["new_arrests"].iloc[:3].mean()


def test_a_regime_with_no_sender_at_all_still_runs():
    monthly = run_small(eu__enabled=False).monthly
    assert (monthly["released_in_deals"] == 0).all()
    assert not any(c.startswith("action_decided_") for c in monthly)
