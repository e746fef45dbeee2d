"""Plain-language explanations of the regime's decisions, from the driver columns of the results.

The same words serve every page (Explore's story, the workshop's reveal, the driver charts), so
the regime's reasons read alike wherever a person meets them.
"""

from __future__ import annotations

import pandas as pd

from ..core.narratives import headline
from ..core.policies import scheduled_action
from ..core.schema import Scenario, SenderParams, month_index

# Plain-language names of the model's drivers, for the reveal's "why" line.
RELEASE_DRIVERS = {
    "election": "the campaign before the vote",
    "pressure": "sanctions pressure",
    "mobilisation": "fear of looking weak before protesters",
    "cost": "the cost of letting prisoners go",
}
REPRESSION_DRIVERS = {
    "mobilisation": "crushing protest",
    "siege": "a crackdown under the siege",
    "hostage": "taking new prisoners to trade",
    "election": "the pre-election crackdown",
}


def _signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "\u2212")


def why_release(rows: pd.DataFrame, scenario: Scenario) -> str:
    """One line naming what pushed the regime towards releases this month and what held it back."""
    names = dict(RELEASE_DRIVERS)
    names.update({f"relief_{s.key}": f"hope of relief from the {s.name}" for s in scenario.senders()})
    means = {k: float(rows[f"driver_{k}"].mean()) for k in names if f"driver_{k}" in rows}
    push = sorted(((v, k) for k, v in means.items() if v > 0.005), reverse=True)
    hold = sorted((v, k) for k, v in means.items() if v < -0.005)
    pushing = ", ".join(f"{names[k]} ({_signed(v)})" for v, k in push) or "nothing much"
    holding = ", ".join(f"{names[k]} ({_signed(v)})" for v, k in hold) or "nothing much"
    lean = "bigger" if sum(means.values()) > 0 else "smaller"
    line = f"Pushing towards releases: {pushing}. Holding them back: {holding}. On balance it leaned to {lean} batches."
    return " ".join([line, why_occasion(rows), *why_deals(rows, scenario)]).strip()


def why_occasion(rows: pd.DataFrame) -> str:
    """One sentence on the pardon calendar: was this month an occasion, and did a pardon come, on which motive?"""
    if "pardon_occasion" not in rows:
        return ""
    chance = float(rows["pardon_occasion"].mean())
    held = float(rows["pardon_held"].mean())
    occasion = "a pardon occasion" if chance >= 0.5 else "an ordinary month for pardons"
    outcome = "a pardon was held" if held >= 0.5 else "no pardon was held"
    sentence = f"It was {occasion} (chance of a pardon {chance:.0%}) and {outcome}."
    if "holiday_pardon_held" in rows and float(rows["holiday_pardon_held"].mean()) >= 0.5:
        routine = float(rows["holiday_pardon_expected"].mean())
        sentence += (
            f" The holiday clemency routine alone frees about {routine:.0f}, whatever the regime expects from abroad."
        )
    return sentence


def why_deals(rows: pd.DataFrame, scenario: Scenario) -> list[str]:
    """One sentence per sender that struck a deal this month: its offer, the batch it bought and the price."""
    sentences = []
    for sender in scenario.senders():
        bought = rows.get(f"released_in_deals_{sender.key}")
        if bought is None or float(bought.mean()) < 0.5:
            continue
        item = float(rows[f"relief_item_value_{sender.key}"].mean())
        trusted = float(rows[f"deal_offer_{sender.key}"].mean())
        others = float(rows.get(f"freed_not_political_{sender.key}", bought * 0).mean())
        trust = trusted / item if item > 0 else 0.0
        extra = f", and {others:.0f} people who are not political prisoners" if others >= 0.5 else ""
        sentences.append(
            f"Deal with the {sender.name}: the next item on its ladder, discounted by the regime's trust that it "
            f"delivers ({trust:.0%}), bought {bought.mean():.0f} political prisoners{extra}; trust grows with "
            "relief delivered, so the next deal can be larger."
        )
    return sentences


def why_arrests(rows: pd.DataFrame) -> str:
    """One line naming what drove arrests above the regime's routine level this month."""
    extra = {k: float(rows[f"repression_{k}"].mean()) for k in REPRESSION_DRIVERS if f"repression_{k}" in rows}
    rising = sorted(((v, k) for k, v in extra.items() if v > 0.005), reverse=True)
    if not rising:
        return "Arrests stayed at the regime's routine level of repression."
    parts = ", ".join(f"{REPRESSION_DRIVERS[k]} ({_signed(v)})" for v, k in rising)
    return f"Arrests above the routine level came from {parts}."


def story_headlines(story: pd.DataFrame) -> list[str]:
    """Each month's state-media headline in one replication, claiming the releases a reader could have seen.

    "We freed N" counts last month's releases; in the first month there is no earlier month in the run,
    so it counts that month's own (the results' headline counts 0 there, beside a month with pardons).
    """
    released = story["released"].astype(int).tolist()
    before = released[:1] + released[:-1]
    return [headline(n, r, b) for n, r, b in zip(story["narrative"], released, before, strict=True)]


def intended_action(sender: SenderParams, date: pd.Timestamp) -> str | None:
    """What a sender's policy set for a month before friction, where the policy alone says (a move or a schedule).

    None for a rule or a person's choice (they read the month's events), and before the sender enters.
    """
    month = month_index(f"{date:%Y-%m}")
    if month < month_index(sender.entry_month):
        return None
    if sender.policy.kind == "fixed":
        return sender.policy.action
    if sender.policy.kind == "schedule":
        return scheduled_action(sender.policy.schedule, sender.policy.default_action, month)
    return None


def sender_move(row: pd.Series, sender: SenderParams) -> str:
    """A sender's move in one month as Markdown, saying when member-state friction blocked what it meant to do."""
    decided, in_effect = row[f"action_decided_{sender.key}"], row[f"action_in_effect_{sender.key}"]
    intended = intended_action(sender, row["date"])
    if intended is not None and intended != "hold" and decided == "hold":
        return (
            f"{sender.name} meant to **{intended}**, but member-state friction blocked it (a move is blocked with "
            f"chance {sender.friction:.0%} a month), so it holds (in effect: {in_effect})"
        )
    return f"{sender.name} decides to **{decided}** (in effect: {in_effect})"


# Mechanisms that only act once something has happened: a parameter's field name, the driver column that
# shows the mechanism acting, and why it may not have (so a change to it can move nothing).
DORMANT_MECHANISMS = {
    "hostage_incentive": (
        "repression_hostage",
        "it only counts after the regime has been paid for releases (a deal, or relief answering one), "
        "and in these runs it never was",
    ),
    "siege_repression": ("repression_siege", "it only counts in months a sender tightens, and none did"),
}


def drawn_range(values: pd.Series) -> str:
    """A parameter each run drew for itself, in words: 'drawn run by run (5-95%: -0.66 to 0.72)'."""
    low, high = values.quantile(0.05), values.quantile(0.95)
    return f"drawn run by run (5–95%: {_signed(low)} to {_signed(high)})".replace("+", "")


def why_unmoved(path: str, monthly: pd.DataFrame) -> str | None:
    """Why a change to a parameter moved no run, when its mechanism never acted in these runs (else None)."""
    column, reason = DORMANT_MECHANISMS.get(path.rsplit(".", 1)[-1], (None, None))
    if column is None or column not in monthly or monthly[column].abs().max() > 0:
        return None
    return reason
