"""The regime's stories: which one state media broadcast, how well events fit it, and its headline."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .actions import ENGAGE
from .parameters import Group, param

NARRATIVES: tuple[str, ...] = ("humanism", "victory", "hypocrisy", "siege", "pivot_east", "divide")
HUMANISM, VICTORY, HYPOCRISY, SIEGE, PIVOT_EAST, DIVIDE = range(6)

HEADLINES: dict[str, str] = {
    "humanism": "President pardons {released} citizens in a gesture of humanism",
    "victory": "Sanctions eased: even the {payer} had to give in to Minsk's goodwill",
    "hypocrisy": "The West only talks: we freed {released_before}, they did nothing",
    "siege": "Hostile West tightens the siege; the nation stands firm",
    "pivot_east": "Besieged by the West, Minsk turns to its true friends in Moscow and Beijing",
    "divide": "The {payer} deals with Minsk while the {holder} is left out in the cold",
}
# Humanism in a month without releases: the regime's standing story, with nothing to count.
HUMANISM_WITHOUT_RELEASES = "President: the door to clemency stays open to all who repent"


class NarrativeParams(Group):
    """How state media pick a story."""

    narrative_noise: float = param(
        0.3,
        ge=0,
        le=3,
        unit="score",
        label="Narrative unpredictability",
        help="Random spread in which story state media pick.",
        advanced=True,
    )


@dataclass(frozen=True)
class Events:
    """What anyone could see this month, arrays shaped (replications,).

    released_before: last month's releases; divided: one sender gave relief while another held or tightened.
    """

    released: np.ndarray
    released_before: np.ndarray
    arrests: np.ndarray
    relief_came: np.ndarray
    divided: np.ndarray
    tightened: np.ndarray
    all_held: np.ndarray
    dependence: np.ndarray
    election_proximity: np.ndarray
    pressure: np.ndarray


def fit_to_events(events: Events) -> np.ndarray:
    """How far the visible events bear out each story, shape (replications, 5), in [0, 1]."""
    fits = np.empty((events.released.shape[0], len(NARRATIVES)))
    released = events.released > 0
    fits[:, HUMANISM] = released * (events.released / (events.released + events.arrests + 1e-9))
    fits[:, VICTORY] = events.relief_came
    # "We acted, they did nothing" is borne out as far as last month's releases outweigh the arrests.
    unanswered = events.released_before / (events.released_before + events.arrests + 1e-9)
    fits[:, HYPOCRISY] = events.all_held * (events.released_before > 0) * unanswered
    fits[:, SIEGE] = events.tightened
    fits[:, PIVOT_EAST] = events.tightened * events.dependence
    fits[:, DIVIDE] = events.relief_came * events.divided
    return np.clip(fits, 0.0, 1.0)


def credit(relief: np.ndarray, decided: np.ndarray, taking_part: np.ndarray) -> dict[str, np.ndarray]:
    """Whom a story of relief names: the sender that gave most relief, and one that held or tightened meanwhile.

    relief: (replications, senders) relief given this month; decided: action codes; taking_part:
    (senders,) bool. Returns 'payer' and 'holder' sender indices, shaped (replications,), -1 for none.
    """
    if relief.shape[1] == 0:
        none = np.full(relief.shape[0], -1)
        return {"payer": none, "holder": none}
    paid = relief > 1e-9
    payer = np.where(paid.any(axis=1), relief.argmax(axis=1), -1)
    refusing = (decided != ENGAGE) & taking_part & ~paid
    holder = np.where((payer >= 0) & refusing.any(axis=1), refusing.argmax(axis=1), -1)
    return {"payer": payer, "holder": holder}


def choose(events: Events, fits: np.ndarray, noise: float, uniforms: np.ndarray) -> np.ndarray:
    """The story state media broadcast: the best-fitting one, humanism favoured before the election."""
    scores = fits.copy()
    scores[:, HUMANISM] += 0.5 * events.election_proximity * (events.released > 0)
    scores += noise * uniforms
    # A story nothing bears out is not told (no "victory" without relief, no "we freed 0"); humanism,
    # the regime's standing story, is always available.
    untold = fits <= 0
    untold[:, HUMANISM] = False
    return np.where(untold, -np.inf, scores).argmax(axis=1)


def reception(narrative: np.ndarray, fits: np.ndarray, events: Events, params) -> tuple[np.ndarray, np.ndarray]:
    """How believable this month's story is to each group, shape (replications, 3), and to independent media.

    A story starts from the credibility its fit to visible events earns. Then each group weighs
    what it can verify and already believes: supporters set part of any doubt aside; relief is
    visible to all, so "victory" after relief, and "divide" (one sender pays while another holds),
    persuade supporters and the apolitical (the opposition reads them as appeasement); "the West
    only talks" persuades them when releases went unanswered; "siege" and "pivot east" rally
    supporters (or, with a negative rally effect, erode them) and cost among the apolitical as
    sanctions hardship is felt. params: the audience parameters (scalars or (replications,) arrays).
    """
    rows = np.arange(narrative.shape[0])
    fit = fits[rows, narrative]
    base = params.credibility_contradicted + (params.credibility_consistent - params.credibility_contradicted) * fit
    doubt = 1.0 - base
    lift = np.zeros((narrative.shape[0], 3))
    lift[:, 0] += params.supporter_trust * doubt
    victory = ((narrative == VICTORY) | (narrative == DIVIDE)) * events.relief_came
    lift[:, :2] += (params.relief_persuasion * victory * doubt)[:, None]
    unanswered = (narrative == HYPOCRISY) * fit
    lift[:, :2] += (params.unanswered_persuasion * unanswered * doubt)[:, None]
    besieged = (narrative == SIEGE) | (narrative == PIVOT_EAST)
    rally = params.rally_effect * np.where(np.asarray(params.rally_effect) >= 0, doubt, base)
    lift[:, 0] += besieged * rally
    lift[:, 1] -= besieged * params.hardship_cost * events.pressure * base
    by_group = np.clip(base[:, None] + lift, 0.0, 1.0)
    return by_group, base


def headline(narrative: str, released: int, released_before: int, payer: str = "West", holder: str = "West") -> str:
    """A one-line state-media headline for a story, this month's figures and the senders it names."""
    if narrative == "humanism" and released == 0:
        return HUMANISM_WITHOUT_RELEASES
    return HEADLINES[narrative].format(released=released, released_before=released_before, payer=payer, holder=holder)
