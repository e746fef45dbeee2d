"""Roles beyond a single vote: teams for the EU and the second sender, and EU Council rules.

A workshop can split the room into two teams, each deciding its own sender's move (the EU and the
second sender, e.g. the United States), and can play the EU's decision under Council rules: every
participant of the EU team is a member state, and a change of sanctions (engage or tighten) needs
unanimity, so one veto keeps hold. Under Council rules the model's member-state friction is off:
the people in the room play it.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("eu", "second")
MAJORITY, UNANIMITY = "majority", "unanimity"


@dataclass(frozen=True)
class Rules:
    """How a workshop decides: teams for the two senders or one room, and the EU's voting rule."""

    teams: bool = False
    council: bool = False

    @property
    def eu_rule(self) -> str:
        """The EU's voting rule: unanimity for a change under Council rules, else a majority."""
        return UNANIMITY if self.council else MAJORITY

    def describe(self, eu_name: str, second_name: str | None) -> str:
        """One sentence for the room saying who decides what and how (names are plain text)."""
        who = f"The {eu_name} team decides the {eu_name}" if self.teams else f"The room decides the {eu_name}"
        how = (
            "; every member state must agree to engage or to tighten, one veto keeps hold"
            if self.council
            else "; the majority decides and a tie means hold"
        )
        other = f". The {second_name} team decides the {second_name} by majority" if self.teams and second_name else ""
        return f"{who}{how}{other}."


def winner(counts: dict[str, int], rule: str) -> str | None:
    """The decided action from votes by action: None without votes; hold when the rule is not met.

    Majority: the most-voted action, a tie at the top means hold (a split room cannot agree to move).
    Unanimity: an action every voter chose, else hold (one member state's veto blocks a change).
    """
    total = sum(counts.values())
    if total == 0:
        return None
    if rule == UNANIMITY:
        agreed = [a for a, n in counts.items() if n == total]
        return agreed[0] if agreed else "hold"
    top = max(counts.values())
    leaders = [a for a, n in counts.items() if n == top]
    return leaders[0] if len(leaders) == 1 else "hold"


def next_role(team_sizes: dict[str, int]) -> str:
    """The team a newcomer joins: the smaller one, the EU on a tie, so the teams stay balanced."""
    return min(ROLES, key=lambda role: (team_sizes.get(role, 0), ROLES.index(role)))
