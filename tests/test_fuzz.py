"""Fuzz: thousands of hostile or clumsy scenario files (YAML tags, byte-order marks and emoji among them), sweep
designs (many far too large) and link overrides; each is accepted, or refused with a ScenarioError naming a
field, within 500 MB; nothing else ever escapes (issues 13 and 20). How long each verdict takes
is measured by scripts/fuzz_scenarios.py (the 2 s bound, docs/robustness.md), not asserted here."""

import random
import resource

import pytest
from conftest import run_small
from fuzz_cases import TAGS, Case, case, judge

CASES = 2_000  # about 20 s on the 2-core development machine; scripts/fuzz_scenarios.py runs the nightly size
MEMORY_ALLOWED_MIB = 500


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture(scope="module")
def warm():
    """Compile the model once, so the first accepted case is not charged with Numba's start-up."""
    run_small(simulation__months=2, simulation__replications=2, audience__size=30)


def test_every_fuzzed_input_is_accepted_or_refused_naming_a_field(warm):
    rng = random.Random(20261125)
    before = _peak_mib()
    outcomes = {"accepted": 0, "refused": 0, "crashed": 0}
    exercised = {"tagged": 0, "byte-order mark": 0, "design": 0, "oversized design": 0}
    failures = []
    for index in range(CASES):
        item = case(rng)
        verdict = judge(item)
        outcomes[verdict.outcome] += 1
        text = item.payload if isinstance(item.payload, str) else ""
        exercised["tagged"] += any(tag.strip() in text for tag in TAGS)
        exercised["byte-order mark"] += "\ufeff" in text
        exercised["design"] += item.kind == "design"
        exercised["oversized design"] += "above the maximum 1,000,000" in verdict.detail
        if verdict.outcome == "crashed":
            failures.append(f"case {index} ({item.kind}, {verdict.seconds:.2f} s): {verdict.detail}")
    assert not failures, "\n".join(failures[:10])
    assert _peak_mib() - before < MEMORY_ALLOWED_MIB
    # The generator must exercise both paths, or the test would prove nothing.
    assert outcomes["accepted"] >= CASES // 50 and outcomes["refused"] >= CASES // 2, outcomes
    assert min(exercised.values()) >= CASES // 100, exercised


@pytest.mark.parametrize(
    "text",
    [
        "regime: " + "[" * 250_000,
        "- " * 120_000,
        "regime: [" + ",".join(["1"] * 120_000) + "]",
        "simulation: {seed: " + "1:" * 120_000 + "1}",
        "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n",
        b"meta: \x80\x81 garbage",
        "x" * 300_000,
        "simulation: {months: !!int ''}",
        "meta: {name: !!bool maybe}",
        "simulation: {start: !!timestamp x}",
    ],
    ids=["brackets", "dashes", "values", "base-60", "aliases", "bytes", "oversize", "int-tag", "bool-tag", "date-tag"],
)
def test_inputs_aimed_at_the_parser_are_refused_in_one_line(text):
    verdict = judge(Case("file", text), run=False)
    assert verdict.outcome == "refused", verdict.detail
    assert verdict.detail.startswith("file: ") and "\n" not in verdict.detail
