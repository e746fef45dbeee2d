"""Seeded generator of hostile and clumsy inputs (scenario files, dotted-path overrides as links give them),
and the judge that says whether the library handled each one: accepted, or refused naming a field.

Shared by tests/test_fuzz.py (a minute in the suite) and scripts/fuzz_scenarios.py (the nightly-size run).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

import yaml

from simulator import (
    Scenario,
    ScenarioError,
    check_runnable,
    parameter_table,
    parse_scenario_yaml,
    scenario_to_yaml,
    simulate,
    with_overrides,
)
from simulator.core.limits import MAX_FILE_BYTES, MAX_PROBLEM_CHARS, MAX_PROBLEMS
from simulator.exploration.designs import check_size, expand, resolve_factors, validate_design

PARAMETERS = parameter_table(Scenario)
PATHS = [p.path for p in PARAMETERS]
PARAMETERS_BY_PATH = {p.path: p for p in PARAMETERS}
BUILT_POINTS = 20_000  # legal designs up to this size are built and their size checked against the count
GROUPS = sorted({path.split(".")[0] for path in PATHS})
MONTHS = ["2024-07", "9999-12", "0001-01", "1989-12", "2101-01", "2024-13", "2024-7", "24-07", "2100-12", "1990-01"]
YAML_NOISE = list("[]{}:-,#&*!|>'\"%@`?\t\n ")
YAML_NOISE += ["\n  ", ": ", "- ", "---\n", "...\n", "&a ", "*a", "!!python/name:os.system", "\ufeff"]
# Tags a file may put before any value: PyYAML's own constructors trust that the value matches.
TAGS = ["!!bool ", "!!int ", "!!float ", "!!timestamp ", "!!str ", "!!null ", "!!binary ", "!!set ", "!!omap "]
TAGS += ["!!pairs ", "!!seq ", "!!map ", "!<tag:yaml.org,2002:bool> ", "!<tag:yaml.org,2002:int> ", "!local "]
TAGGED_VALUES = ["maybe", "''", "'-'", "x", "2024-01-01T99:99", "0x", "[1]", "{a: 1}", "1e999", "yes", "'\ufeff'"]
TEXT = "abcxyz019 _.-/\\'\"\n\t\x00\x07\u00e9\u0416\u4e2d\U0001f600\u202e\ufeff<>![]()"


@dataclass(frozen=True)
class Case:
    """One input: a scenario file's text ('file'), a sweep design ('design') or dotted-path overrides ('overrides')."""

    kind: str
    payload: Any


@dataclass(frozen=True)
class Verdict:
    """What the library did with a case: 'accepted', 'refused' or 'crashed', how long the verdict took, and why.

    `seconds` times reading and validating (what a refusal costs); saving and running an accepted scenario
    afterwards is checked for crashes but not timed.
    """

    outcome: str
    seconds: float
    detail: str = ""


def _text(rng: random.Random, longest: int = 40) -> str:
    length = rng.choice([0, 1, 5, longest, rng.randint(0, 5000)])
    return "".join(rng.choice(TEXT) for _ in range(length))


def _number(rng: random.Random) -> Any:
    return rng.choice(
        [
            rng.randint(-5, 5),
            rng.randint(-(10**6), 10**6),
            10 ** rng.randint(5, 400),
            -(10 ** rng.randint(5, 50)),
            rng.uniform(-10, 10),
            float("nan"),
            float("inf"),
            -float("inf"),
            1e308,
            -0.0,
            2**32,
            2**63,
        ]
    )


def _value(rng: random.Random, depth: int = 0) -> Any:
    """A value of any kind YAML can carry, sometimes a plausible one for a real parameter."""
    roll = rng.random()
    if roll < 0.3:
        return _plausible(rng, rng.choice(PARAMETERS))
    if roll < 0.5:
        return _number(rng)
    if roll < 0.6:
        return rng.choice([True, False, None, "", "yes", "no", "null", "~", "NaN", ".inf"])
    if roll < 0.7:
        return rng.choice(MONTHS)
    if roll < 0.8 or depth > 4:
        return _text(rng)
    if roll < 0.9:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 6))]
    return {_key(rng): _value(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def _plausible(rng: random.Random, info) -> Any:
    """A value near (or just outside) what a parameter allows."""
    if info.kind == "choice":
        return rng.choice(list(info.choices) + ["interactive", "Engage", ""])
    if info.kind == "bool":
        return rng.choice([True, False, "true", 0, 1, 2])
    if info.kind in ("int", "float") and info.minimum is not None and info.maximum is not None:
        low, high = info.minimum, info.maximum
        inside = rng.uniform(low, high)
        value = rng.choice([low, high, inside, inside, inside, low - 1, high + 1, high * 1000])
        return int(value) if info.kind == "int" and rng.random() < 0.8 else value
    if info.path.endswith(("start", "election", "entry_month")):
        return rng.choice(MONTHS)
    if info.path.endswith("schedule"):
        return [{_key(rng): _value(rng, 3) for _ in range(rng.randint(0, 3))} for _ in range(rng.randint(0, 3))]
    return _text(rng)


def _key(rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(PATHS).split(".")[-1]
    if roll < 0.7:
        return rng.choice(GROUPS + ["policy", "schema_version", "meta"])
    if roll < 0.9:
        return _text(rng, 12) or "x"
    return rng.choice([1, 2.5, True, None, "2024-07"])


def _path(rng: random.Random) -> Any:
    """A dotted path as a link might carry it: real, partial, too long, misspelt, or not a path at all."""
    real = rng.choice(PATHS)
    return rng.choice(
        [
            real,
            real,
            real,
            real.split(".")[0],
            real + ".x",
            real.upper(),
            "." + real,
            real.replace(".", ".."),
            _text(rng, 20),
            "",
            "schema_version",
            rng.choice(GROUPS) + "." + _text(rng, 8),
            5,
        ]
    )


def _scenario_data(rng: random.Random) -> Any:
    data: dict[Any, Any] = {}
    for _ in range(rng.randint(0, 6)):
        group = rng.choice(GROUPS) if rng.random() < 0.8 else _key(rng)
        section = data.setdefault(group, {}) if isinstance(data.get(group, {}), dict) else {}
        for _ in range(rng.randint(0, 6)):
            info = rng.choice([p for p in PARAMETERS if p.path.startswith(f"{group}.")] or PARAMETERS)
            leaf = info.path.split(".", 1)[1] if rng.random() < 0.8 else _key(rng)
            section[leaf] = _plausible(rng, info) if rng.random() < 0.7 else _value(rng)
        if rng.random() < 0.1:
            data[group] = _value(rng)
    if rng.random() < 0.1:
        data["schema_version"] = rng.choice([1, 2, 0, "1", None])
    return data if rng.random() < 0.95 else _value(rng)


def _dump(data: Any) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return repr(data)


def _mutate(rng: random.Random, text: str) -> str:
    """Damage a text the way editors, copy-paste and attackers do."""
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        at = rng.randint(0, len(text))
        if roll < 0.35:
            text = text[:at] + rng.choice(YAML_NOISE) + text[at:]
        elif roll < 0.5:
            text = text[:at] + text[at + rng.randint(1, 40) :]
        elif roll < 0.6:
            lines = text.splitlines(keepends=True) or [""]
            line = rng.choice(lines)
            text = text + line  # a duplicated line: often a duplicate key
        elif roll < 0.7:
            text = text.replace("  ", "\t", 1)
        elif roll < 0.8:
            depth = rng.choice([10, 40, 200, 5000])
            opener = rng.choice(["[", "{a: ", "- ", "a:\n" + " "])
            text = text[:at] + opener * depth + text[at:]
        elif roll < 0.85:
            text = text[:at]
        elif roll < 0.95:
            text = _tag_a_value(rng, text)
        else:
            text = text[:at] + "&x [1, 2]\nother: *x\n" + text[at:]
    return text


def _tag_a_value(rng: random.Random, text: str) -> str:
    """Put a YAML tag before one value of the text, sometimes with a value that does not match it."""
    places = [i for i in range(len(text) - 1) if text[i : i + 2] == ": "]
    if not places:
        return rng.choice(TAGS) + text
    at = rng.choice(places) + 2
    if rng.random() < 0.5:
        return text[:at] + rng.choice(TAGS) + text[at:]
    end = text.find("\n", at)
    return text[:at] + rng.choice(TAGS) + rng.choice(TAGGED_VALUES) + (text[end:] if end >= 0 else "")


def _hostile_text(rng: random.Random) -> str | bytes:
    """Texts aimed at the parser itself: size, depth, count, aliases, encodings, long numbers."""
    return rng.choice(
        [
            "regime: " + "[" * rng.randint(30, 300_000),
            "- " * rng.randint(10, 100_000),
            "".join(" " * i + f"k{i}:\n" for i in range(rng.randint(10, 500))),
            "regime: [" + ",".join(["1"] * rng.randint(100, 60_000)) + "]",
            "simulation: {seed: " + "9" * rng.randint(50, 200_000) + "}",
            "simulation: {seed: " + "1:" * rng.randint(10, 100_000) + "1}",
            "a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b]\n",
            "meta: {name: '" + "a" * rng.choice([10, MAX_FILE_BYTES - 20, MAX_FILE_BYTES + 10]) + "'}",
            bytes(rng.randrange(256) for _ in range(rng.randint(0, 300))),
            "\ufeff" + "meta: {name: bom}",
            'meta:\n  description: "\ufeff' + "\U0001f600" * rng.choice([10, 26_000, 60_000]) + '"\n',
            'eu:\n  name: "\ufeff' + "\U0001f600" * rng.choice([1_000, 26_000, 40_000]) + '"\n',
            f"simulation: {{months: {rng.choice(TAGS)}{rng.choice(TAGGED_VALUES)}}}",
            "eu:\n  policy:\n    kind: schedule\n    schedule:\n"
            + "".join(
                f"      '{1990 + m // 12}-{m % 12 + 1:02d}': hold\n" for m in range(rng.choice([100, 900, 1300]))
            ),
            "# only a comment\n" * rng.randint(0, 3),
            "meta:\n  name: a\nmeta:\n  name: b\n",
            "regime: !!python/object/apply:os.system ['true']",
            "simulation: {start: 2024-13-45}",
            "? [a, b]\n: c\n",
        ]
    )


def _design(rng: random.Random) -> Any:
    """A sweep design as a spec file holds it: half plausible (often far too large), half with any values."""
    plausible = rng.random() < 0.5

    def pick(good: list, bad: list) -> Any:
        return rng.choice(good) if plausible or rng.random() < 0.5 else rng.choice(bad)

    ranged = [p for p in PARAMETERS if p.kind in ("int", "float") and p.minimum is not None and p.maximum is not None]
    chosen = [p for p in PARAMETERS if p.kind in ("choice", "bool")]
    factors: dict[Any, Any] = {}
    for _ in range(rng.randint(1, 7)):
        info = rng.choice(ranged if rng.random() < 0.7 else chosen)
        if rng.random() < 0.5:
            factor: Any = {}
        elif info.kind in ("int", "float"):
            factor = {"steps": pick([2, 10, 100, 1000, 1000], [1001, 0, "x", 1.5])}
            if not plausible and rng.random() < 0.3:
                factor.update(low=_number(rng), high=_number(rng))
        else:
            levels = [c for c in (info.choices or [True, False]) if c != "interactive"]
            factor = {"levels": rng.sample(levels, k=rng.randint(1, len(levels)))}
            if not plausible and rng.random() < 0.5:
                factor["levels"].append(rng.choice(["bogus", "interactive", None, 7]))
        path = info.path if plausible or rng.random() < 0.9 else _key(rng)
        factors[path] = factor if plausible or rng.random() < 0.95 else _value(rng)
    kinds = ["grid", "grid", "latin_hypercube", "sobol_sequence", "sobol_sensitivity", "morris"]
    kind = rng.choice(kinds) if rng.random() < 0.9 else rng.choice(["bogus", 3])
    power = kind in ("sobol_sequence", "sobol_sensitivity")
    design = {
        "kind": kind,
        "factors": factors,
        "points": pick(
            [8, 64, 1024, 2**16, 2**18, 2**19] if power else [1, 10, 500, 10**5, 10**6], [-1, "many", 10**9, 6]
        ),
        "steps": pick([5, 100, 1000, 1000], [1001, 1, "x"]),
    }
    if rng.random() < 0.3:
        design.update(second_order=rng.random() < 0.5, morris_levels=pick([2, 4, 10], [1, 101]))
    return design if plausible or rng.random() < 0.95 else _value(rng)


def case(rng: random.Random) -> Case:
    """One random input: a scenario file (mostly damaged), a sweep design, or overrides (sometimes as link strings)."""
    roll = rng.random()
    if roll < 0.45:
        text = _dump(_scenario_data(rng))
        return Case("file", _mutate(rng, text) if rng.random() < 0.6 else text)
    if roll < 0.55:
        return Case("file", _hostile_text(rng))
    if roll < 0.65:
        return Case("design", _design(rng))
    if rng.random() < 0.4:  # what a link made by the app holds: real parameters, values near their ranges
        chosen = rng.sample(PARAMETERS, rng.randint(1, 4))
        overrides = {info.path: _plausible(rng, info) for info in chosen}
    else:
        overrides = {_path(rng): _value(rng) for _ in range(rng.randint(1, 6))}
    if rng.random() < 0.5:  # as a link gives them: every value a string
        overrides = {path: str(value)[:2000] for path, value in overrides.items()}
    return Case("overrides", overrides)


def _names_a_field(problem: str) -> bool:
    """A problem line starts with what it is about ('file', 'scenario', a dotted path ...) then ': '."""
    subject, sep, rest = problem.partition(": ")
    return bool(sep and subject.strip() and rest.strip()) or problem.startswith("... and ")


def _refusal_problem(error: ScenarioError) -> str:
    """Why a refusal is not good enough ('' if it is): each line names a field, and the message is bounded."""
    problems = error.problems
    if not problems or len(problems) > MAX_PROBLEMS + 1:
        return f"{len(problems)} problem lines"
    bad = [p for p in problems if not _names_a_field(p) or len(p) > MAX_PROBLEM_CHARS]
    return f"a line that names no field or is too long: {bad[0][:200]!r}" if bad else ""


def _use(scenario: Scenario, run: bool) -> None:
    """What a user does next with an accepted scenario: save it, read it back, check it can run, run it small."""
    try:
        read_back = parse_scenario_yaml(scenario_to_yaml(scenario))
    except ScenarioError as exc:
        raise AssertionError(f"an accepted scenario is refused after saving: {exc}") from None
    if read_back != scenario:
        raise AssertionError("an accepted scenario does not read back equal after saving")
    try:
        check_runnable(scenario, replications=2)
    except ScenarioError:
        return
    if run:
        small = with_overrides(scenario, {"simulation.replications": 2, "audience.size": 30})
        simulate(small, replications=2)


def _build_design(data: Any) -> None:
    """Count a design from its spec (an oversized one is refused here, before any point exists); build a small one.

    Legal designs above BUILT_POINTS are counted, not built, so the fuzz run stays short; their
    building is what tests/test_designs.py checks.
    """
    design = validate_design(data)
    factors = resolve_factors(design, PARAMETERS_BY_PATH)
    total = check_size(design, factors)
    if total <= BUILT_POINTS:
        points = expand(design, PARAMETERS_BY_PATH, 1)
        if len(points) != total:
            raise AssertionError(f"a design counted as {total} points built {len(points)}")


def judge(item: Case, run: bool = True) -> Verdict:
    """Feed one case to the library as a user would and classify what happened."""
    started = time.perf_counter()
    seconds = None
    try:
        if item.kind == "design":
            _build_design(item.payload)
            return Verdict("accepted", time.perf_counter() - started)
        if item.kind == "file":
            scenario = parse_scenario_yaml(item.payload)
        else:
            scenario = with_overrides(Scenario(), item.payload)
        seconds = time.perf_counter() - started
        _use(scenario, run)
        outcome, detail = "accepted", ""
    except ScenarioError as exc:
        problem = _refusal_problem(exc)
        outcome, detail = ("crashed", problem) if problem else ("refused", exc.problems[0])
    except Exception as exc:  # noqa: BLE001 - any other exception is exactly what the fuzz test looks for
        outcome, detail = "crashed", f"{type(exc).__name__}: {str(exc)[:300]}"
    return Verdict(outcome, time.perf_counter() - started if seconds is None else seconds, detail)
