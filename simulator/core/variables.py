"""What each result column means and its unit: the long_name and units of every variable in a NetCDF file.

Units follow the CF conventions, where counts, shares and indices are dimensionless ("1"); the long name says
what is counted and on what scale. `describe` returns None for a column it does not know, so that a new column
without a description is caught by the tests rather than written without one.
"""

from __future__ import annotations

from .audience import GROUPS
from .regime import TIERS

DIMENSIONLESS = "1"

# Columns that exist once per run, by name: (long name, units).
_FIXED = {
    "replication": "replication (independent run) number",
    "month": "month of the run, counted from 1",
    "date": "first day of the calendar month",
    "sanctions_pressure": "sanctions pressure on the regime from all senders, weighted (index, 0-1)",
    "released": "political prisoners released this month (people)",
    "released_in_deals": "prisoners released in deals with senders this month (people)",
    "pardoned": "prisoners pardoned this month (people)",
    "pardon_held": "a pardon batch was held this month (1 yes, 0 no)",
    "pardon_occasion": "strength of this month's pardon occasion in the calendar (0 none)",
    "holiday_pardon_held": "a holiday clemency pardon was held this month (1 yes, 0 no)",
    "holiday_pardon_expected": "petitioners the holiday routine alone frees this month, expected (people)",
    "freed_not_political": "people freed in deals this month who are not recognised political prisoners (people)",
    "freed_in_deals": "everyone freed in deals this month, political prisoners or not (people)",
    "at_risk": "people at risk of arrest still in the country at the end of the month (people)",
    "credited_sender": "the sender a story of relief names as having paid, or none (category)",
    "left_out_sender": "the sender a 'divide' story names as left out, or none (category)",
    "deported": "released prisoners deported abroad this month (people)",
    "new_arrests": "new political arrests this month (people)",
    "rearrests": "former prisoners arrested again this month (people)",
    "newly_imprisoned": "new arrests plus rearrests this month (people)",
    "completed_sentences": "prisoners freed at the end of their sentence this month (people)",
    "prisoners": "political prisoners held at the end of the month (people)",
    "petitioners": "prisoners who have petitioned for a pardon (people)",
    "prisoners_2020_22_wave": "prisoners still held from the 2020-22 wave of arrests (people)",
    "released_at_home": "released prisoners living in the country (people)",
    "exiled": "released prisoners living abroad (people)",
    "narrative": "the regime's story this month (category)",
    "headline": "the month's headline in the regime's media (text)",
    "story_credibility": "credibility of the regime's story to the audience (share, 0-1)",
    "acceptance": "share of the audience accepting the regime's story (0-1)",
    "mobilised_share": "share of the audience mobilised against the regime (0-1)",
    "repression": "repression intensity (index, 1 = the 2024 level)",
    "stability": "regime stability (index, 0-1)",
    "dependence": "the regime's economic and security dependence on Russia and China (index, 0-1)",
    "election_proximity": "weight of the campaign before the vote (0 outside it, 1 the month of the vote)",
    "driver_election": "pull of the campaign before the vote on pardons (index)",
    "driver_pressure": "pull of sanctions pressure on releases (index)",
    "driver_mobilisation": "pull of mobilisation on releases (index)",
    "driver_cost": "cost of releasing prisoners to the regime (index)",
    "repression_baseline": "baseline repression (index)",
    "repression_mobilisation": "repression answering mobilisation (index)",
    "repression_siege": "repression under the regime's siege story (index)",
    "repression_hostage": "arrests made to trade later, after releases were paid for (index)",
    "repression_election": "repression before the election (index)",
    "total_released": "political prisoners released over the run (people)",
    "total_newly_imprisoned": "new arrests plus rearrests over the run (people)",
    "total_rearrested": "former prisoners arrested again over the run (people)",
    "total_released_in_deals": "prisoners released in deals over the run (people)",
    "total_freed_not_political": "people freed in deals over the run who are not political prisoners (people)",
    "total_deported": "released prisoners deported over the run (people)",
    "net_change_in_prisoners": "prisoners at the end minus prisoners at the start (people)",
    "final_prisoners": "political prisoners held at the end of the run (people)",
    "prisoner_months": "months spent in prison over the run, summed over prisoners (person-months)",
    "final_acceptance": "share of the audience accepting the regime's story at the end (0-1)",
    "mean_mobilised_share": "mean share of the audience mobilised over the run (0-1)",
    "final_stability": "regime stability at the end of the run (index, 0-1)",
    "final_dependence": "the regime's dependence on Russia and China at the end of the run (index, 0-1)",
    "relief_per_person_released": "sanctions relief given per prisoner released, weighted by sender (index)",
}
# Columns that exist once per sender, by prefix before the sender's key ({} is the key).
_PER_SENDER = {
    "action_decided_": "action sender {} decided this month (category)",
    "action_in_effect_": "action of sender {} in effect this month (category)",
    "pressure_": "sanctions pressure from sender {} (index, 0-1)",
    "relief_": "sanctions relief sender {} gives this month (index)",
    "reciprocity_belief_": "the regime's belief that sender {} answers releases with relief (0-1)",
    "credibility_": "credibility of the promises of sender {} to the regime (0-1)",
    "released_in_deals_": "prisoners released in deals with sender {} this month (people)",
    "deal_offer_": "value of sender {}'s relief item on the table, discounted by the regime's trust (relief)",
    "freed_not_political_": "people freed in deals with sender {} who are not political prisoners (people)",
    "freed_in_deals_": "everyone freed in deals with sender {} this month (people)",
    "relief_item_value_": "value of the relief item sender {} delivered in a deal this month (relief)",
    "driver_relief_": "pull of relief from sender {} on releases (index)",
    "final_credibility_": "credibility of the promises of sender {} at the end of the run (0-1)",
    "total_relief_": "sanctions relief sender {} gave over the run (index, summed over months)",
}
# Columns that exist once per prisoner tier or audience group, by prefix before the tier or group ({}).
_PER_TIER = {
    "released_": "{} prisoners released this month (people)",
    "prisoners_": "{} prisoners held at the end of the month (people)",
}
_PER_GROUP = {
    "story_credibility_": "credibility of the regime's story to the {} group (share, 0-1)",
    "acceptance_": "share of the {} group accepting the regime's story (0-1)",
    "mobilised_": "share of the {} group mobilised against the regime (0-1)",
    "final_acceptance_": "share of the {} group accepting the regime's story at the end (0-1)",
}


def describe(name: str, sender_keys: tuple[str, ...]) -> tuple[str, str] | None:
    """A column's long name and units (CF), or None if the column is not described here."""
    if name.startswith("summary_"):  # a summary column renamed beside a monthly one of the same name
        found = describe(name.removeprefix("summary_"), sender_keys)
        return None if found is None else (f"{found[0]}, over the run", found[1])
    if name in _FIXED:
        return _FIXED[name], DIMENSIONLESS
    for prefixes, keys in ((_PER_SENDER, sender_keys), (_PER_TIER, TIERS), (_PER_GROUP, GROUPS)):
        for prefix, meaning in prefixes.items():
            key = name.removeprefix(prefix)
            if name.startswith(prefix) and key in keys:
                return meaning.format(key), DIMENSIONLESS
    return None
