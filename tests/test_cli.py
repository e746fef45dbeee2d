"""The `simulator` command: exit codes and messages on good and bad input, and each analysis end to end."""

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from simulator import cli
from simulator.core.shipped import PRESETS, shipped

runner = CliRunner()
SPEC = """
base: baseline_2024
overrides: {{audience.size: 30, simulation.months: 4}}
design:
  kind: {kind}
  points: {points}
  factors:
    regime.release_cost: {{low: 0.1, high: 1.5}}
    regime.relief_sensitivity: {{}}
    eu.policy.kind: {{levels: [fixed, reciprocal]}}
replications: 2
seed: 3
"""


def _invoke(*args):
    return runner.invoke(cli.app, [str(a) for a in args], env={"COLUMNS": "200"})


@pytest.fixture()
def spec_file(tmp_path):
    def write(kind="latin_hypercube", points=6):
        path = tmp_path / f"{kind}.yaml"
        path.write_text(SPEC.format(kind=kind, points=points))
        return path

    return write


def test_validate_accepts_a_scenario_and_a_sweep_spec(spec_file):
    result = _invoke("validate", shipped(PRESETS, "reciprocal.yaml"))
    assert result.exit_code == 0 and "valid scenario 'reciprocal'" in result.output
    result = _invoke("validate", spec_file())
    assert result.exit_code == 0 and "valid sweep spec (latin_hypercube: 12 points x 2 replications)" in result.output


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        (
            "regime:\n  release_cost: 9\n  foo: 1\n",
            ["  - regime.release_cost: 9 is above the maximum 3", "  - regime.foo: unknown field"],
        ),
        (
            "design:\n  factors: {regime.relese_cost: {}}\n",
            ["  - design.factors.regime.relese_cost: unknown parameter; did you mean regime.release_cost?"],
        ),
        (
            "design: {kind: sobol_sensitivity, points: 10, factors: {eu.friction: {}}}\n",
            ["  - design.points: 10 is not a power of 2"],
        ),
        ("regime: [unclosed\n", ["  - file: not valid YAML"]),
    ],
)
def test_validate_prints_one_readable_line_per_problem_and_exits_1(tmp_path, text, lines):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    result = _invoke("validate", path)
    assert result.exit_code == 1
    assert f"{path} is not valid:" in result.stderr
    for line in lines:
        assert any(got.startswith(line) for got in result.stderr.splitlines()), result.stderr


def test_validate_reports_a_missing_file(tmp_path):
    result = _invoke("validate", tmp_path / "none.yaml")
    assert result.exit_code == 1 and "does not exist" in result.stderr


def test_run_prints_the_indicators_and_writes_tables(tmp_path):
    result = _invoke("run", "reciprocal", "-n", 3, "-o", tmp_path / "run", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "reciprocal: 3 replications" in result.output and "total_released" in result.output
    assert len(pd.read_csv(tmp_path / "run" / "summary.csv")) == 3


def test_run_names_an_unknown_preset():
    result = _invoke("run", "no_such_preset")
    assert result.exit_code == 1
    assert "preset: 'no_such_preset' is not one of" in result.stderr and "presets: baseline_2024" in result.stderr


def test_sweep_writes_a_resumable_folder_and_refuses_a_changed_spec(spec_file, tmp_path):
    spec, out = spec_file(), tmp_path / "out"
    result = _invoke("sweep", spec, "--out", out, "--workers", 1, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "12 points x 2 replications" in result.output and "total_released" in result.output
    assert len(pd.read_csv(out / "statistics.csv")) == len(pd.read_parquet(out / "statistics.parquet"))
    chunks = json.loads((out / "manifest.json").read_text())["chunks"]
    assert _invoke("sweep", spec, "--out", out, "--workers", 1).exit_code == 0
    assert json.loads((out / "manifest.json").read_text())["chunks"] == chunks
    spec.write_text(spec.read_text().replace("replications: 2", "replications: 3"))
    result = _invoke("sweep", spec, "--out", out, "--workers", 1)
    assert result.exit_code == 1 and "holds a different sweep" in result.stderr


def test_sweep_rejects_bad_options_and_specs(spec_file, tmp_path):
    result = _invoke("sweep", spec_file(), "--scheduler", "cluster")
    assert result.exit_code == 1 and "scheduler: 'cluster' is not a scheduler" in result.stderr
    result = _invoke("sweep", spec_file(), "--workers", 0)
    assert result.exit_code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("design: {factors: {eu.friction: {high: 2}}}\n")
    result = _invoke("sweep", bad)
    assert result.exit_code == 1 and "design.factors.eu.friction.high: 2.0 is above the maximum 1" in result.stderr


def test_sensitivity_prints_indices_and_writes_table_and_plot(spec_file, tmp_path):
    out, plot = tmp_path / "out", tmp_path / "sobol.html"
    result = _invoke(
        "sensitivity",
        spec_file("sobol_sensitivity", 4),
        "-i",
        "total_released",
        "--out",
        out,
        "--workers",
        1,
        "--plot",
        plot,
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "sensitivity-total_released.csv")
    assert set(table["eu.policy.kind"]) == {"fixed", "reciprocal"} and {"S1", "ST_conf"} <= set(table.columns)
    assert "<html>" in plot.read_text() and "plotly" in plot.read_text()


def test_sensitivity_explains_a_wrong_design_or_indicator(spec_file, tmp_path):
    result = _invoke("sensitivity", spec_file(), "--out", tmp_path / "a", "--workers", 1)
    assert result.exit_code == 1 and "cannot be analysed" in result.stderr
    result = _invoke("sensitivity", spec_file("morris", 2), "-i", "nope", "--out", tmp_path / "b", "--workers", 1)
    assert result.exit_code == 1 and "indicator: 'nope' is not one of" in result.stderr


def test_discover_and_compare(spec_file, tmp_path):
    out = tmp_path / "out"
    result = _invoke("discover", spec_file(), "--where", "total_released >= 1", "--out", out, "--workers", 1)
    assert result.exit_code == 0, result.output
    assert "of the design points satisfy" in result.output and (out / "discovery-boxes.csv").is_file()
    result = _invoke("discover", spec_file(), "--where", "total_released >> 1", "--out", out, "--workers", 1)
    assert result.exit_code == 1 and "is not 'indicator op number'" in result.stderr
    result = _invoke("compare", spec_file(), "-i", "prisoner_months", "--lower-is-better", "--out", out, "--workers", 1)
    assert result.exit_code == 0, result.output
    assert "reciprocal" in result.output and (out / "regret-prisoner_months.csv").is_file()


def test_every_command_has_help_with_examples():
    for command in ("run", "sweep", "sensitivity", "discover", "compare", "validate", "app"):
        result = _invoke(command, "--help")
        assert result.exit_code == 0 and "Examples:" in result.output, command


def test_app_starts_streamlit_on_the_packaged_app(monkeypatch):
    calls = []
    monkeypatch.setattr(subprocess, "call", lambda command: calls.append(command) or 0)
    result = _invoke("app", "--server.port", "8600")
    assert result.exit_code == 0
    command = calls[0]
    assert command[1:4] == ["-m", "streamlit", "run"] and Path(command[4]).is_file()
    assert command[4].endswith("simulator/app/main.py")
    assert command[5:] == ["--server.port", "8600"]


def test_sweep_explains_an_unreachable_scheduler(spec_file, tmp_path):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = _invoke("sweep", spec_file(), "--out", tmp_path / "out", "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 1 and "scheduler: cannot reach 'tcp://127.0.0.1:1'" in result.stderr
