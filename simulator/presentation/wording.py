"""Plain words for a student: units of the parameters, and the question each preset asks.

The schema's units are written for modellers ("propensity per pressure"); a student needs to know
what a number counts. Units not listed here are already plain and are shown as written.
"""

from __future__ import annotations

import re
from functools import cache

from ..core.parameters import parameter_table
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


@cache
def _labels() -> dict[str, str]:
    return {p.path: p.label for p in parameter_table(Scenario)}


def named_parameters(text: str) -> str:
    """Text with each dotted parameter path it names ("see regime.pardons.pressure_response") replaced by the
    parameter's label from the schema, so a student reads the name shown beside the control."""
    labels = _labels()

    def label(match: re.Match) -> str:
        path = match.group(0)
        return f"“{labels[path]}”" if path in labels else path

    return re.sub(r"\b[a-z_]+(?:\.[a-z_]+)+\b", label, text)


def sender_name(name: str) -> str:
    """A sender's name as it reads inside a sentence: 'the United States', 'the European Union'."""
    takes_the = name.split(" ")[0] in ("United", "European") or name.endswith(("Union", "States", "Kingdom"))
    return f"the {name}" if takes_the and not name.lower().startswith("the ") else name


def preset_question(scenario: Scenario) -> str:
    """The question a preset asks, from its description's 'Question:' sentence (else the whole description)."""
    description = named_parameters(" ".join(scenario.meta.description.split()))
    _, marker, question = description.partition("Question:")
    text = (question if marker else description).strip()
    return text[:1].upper() + text[1:]


def preset_setting(scenario: Scenario) -> str:
    """What a preset sets up: its description before the question."""
    description = named_parameters(" ".join(scenario.meta.description.split()))
    return description.partition("Question:")[0].strip()
