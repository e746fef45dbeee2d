"""Plain words for a student: units of the parameters, and the question each preset asks.

The schema's units are written for modellers ("propensity per pressure"); a student needs to know
what a number counts. Units not listed here are already plain and are shown as written.
"""

from __future__ import annotations

from ..core.schema import Scenario

# Model-internal wording that must never reach a student's screen (tests check every unit against it).
JARGON = ("propensity", "logit", "log sd", "pseudo", "per pressure", "score", "index")

PLAIN_UNITS = {
    "persons": "people",
    "persons/month": "people per month",
    "persons per unit of relief": "people per step of relief",
    "per person-month": "chance per person per month",
    "share": "share, 0 to 1",
    "share/month": "share per month",
    "probability": "chance, 0 to 1",
    "index 0-1": "scale from 0 to 1",
    "index": "points on a 0-1 scale",
    "x": "times",
    "weight": "weight, 0 = none, 1 = full",
    "relief": "steps of relief",
    "propensity": "weight in the regime's choice",
    "propensity per relief": "weight in the regime's choice per step of relief",
    "propensity per pressure": "weight in the regime's choice at full sanctions",
    "propensity per share": "weight in the regime's choice per share protesting",
    "repression": "extra arrests, as a share of the usual",
    "repression per share": "extra arrests per share protesting",
    "index per repression": "stability points per step of repression",
    "index per pressure": "stability points at full sanctions",
    "index per share": "stability points per share protesting",
    "belief per pressure": "belief change at full sanctions",
    "per pressure-month": "per month at full sanctions",
    "per relief": "per step of relief",
    "logit sd": "spread between people",
    "log sd": "spread between deals",
    "pseudo-observations": "months of evidence",
    "score": "amount of randomness",
    "runs": "runs",
    "agents": "simulated people",
}


def plain_unit(unit: str) -> str:
    """A parameter's unit in words a student reads without the model's documentation."""
    return PLAIN_UNITS.get(unit, unit)


def preset_question(scenario: Scenario) -> str:
    """The question a preset asks, from its description's 'Question:' sentence (else the whole description)."""
    description = " ".join(scenario.meta.description.split())
    _, marker, question = description.partition("Question:")
    text = (question if marker else description).strip()
    return text[:1].upper() + text[1:]


def preset_setting(scenario: Scenario) -> str:
    """What a preset sets up: its description before the question."""
    description = " ".join(scenario.meta.description.split())
    return description.partition("Question:")[0].strip()
