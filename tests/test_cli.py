"""The `simulator` command: exit codes and messages on good and bad input, and each analysis end to end."""

import inspect
import json
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from simulator import cli
from simulator.core.shipped import PRESETS, shipped

# click before 8.2 mixes stderr into the output unless asked not to; 8.2 always keeps them apart and dropped the flag.
runner = CliRunner(
    **({"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters else {})
)
SPEC = """
base: baseline_2024
overrides: {{audience.size: 30, simulation.months: 4}}
design:
  kind: {kind}
  points: {points}
  factors:
    regime.pardons.release_cost: {{low: 0.1, high: 1.5}}
    regime.pardons.relief_sensitivity: {{}}
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
            ["  - regime.pardons.release_cost: 9 is above the maximum 3", "  - regime.foo: unknown field"],
        ),
        (
            "design:\n  factors: {regime.relese_cost: {}}\n",
            ["  - design.factors.regime.relese_cost: unknown parameter; did you mean regime.pardons.release_cost?"],
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
    assert "preset: 'no_such_preset' is not one of" in result.stderr
    assert "presets: as_it_happened, baseline_2024" in result.stderr


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


def test_preparing_the_server_runs_and_charts_the_default_question_into_the_apps_caches(monkeypatch):
    import gc

    pytest.importorskip("streamlit")
    from simulator import load_preset
    from simulator.app import explore_charts, server, ui

    built = []
    real = explore_charts.chart_builders
    monkeypatch.setattr(
        explore_charts, "chart_builders", lambda results, large: built.append(results) or real(results, large)
    )
    explore_charts.explore_figures.clear()
    ui.run_cache.clear()
    server.prepare()
    scenario = load_preset(ui.DEFAULT_PRESET)
    questions = explore_charts.first_questions(scenario)
    assert [r.scenario for r in built] == questions and questions[0] == scenario
    assert len(built[0].summary) == scenario.simulation.replications
    # What a first visit asks for is already there: its runs, and their first tab's charts (not built again).
    assert ui.run_cache().keys() == [q.model_json() for q in questions]
    names = tuple(next(iter(explore_charts.chart_tabs(scenario).values())))
    assert set(explore_charts.explore_figures(scenario.model_json(), False, names)) == set(names)
    assert len(built) == len(questions)
    assert gc.get_freeze_count() > 0  # and left all of it out of the garbage collections after each run
    gc.unfreeze()


def test_the_server_leaves_what_it_has_loaded_out_of_later_garbage_collections():
    """Streamlit collects garbage after every run: what was loaded once must not be walked on every click."""
    import gc

    pytest.importorskip("streamlit")
    from simulator.app import server

    gc.unfreeze()
    try:
        server.freeze_long_lived()
        frozen = gc.get_freeze_count()
        made_later = [[]]
        gc.collect()
        tracked = gc.get_objects()
        assert frozen > 1000 and gc.get_freeze_count() == frozen
        assert not any(o is server.freeze_long_lived for o in tracked)  # loaded before: left out
        assert any(o is made_later for o in tracked)  # made afterwards: still collected as usual
    finally:
        gc.unfreeze()


def test_app_serves_the_packaged_app_in_its_own_process(monkeypatch):
    pytest.importorskip("streamlit")
    from simulator.app import server

    calls, prepared = [], []
    monkeypatch.setattr(server, "prepare", lambda: prepared.append(True))
    monkeypatch.setattr(server, "serve", lambda options: calls.append([str(server.MAIN_SCRIPT), *options]))
    result = _invoke("app", "--server.port", "8600")
    assert result.exit_code == 0 and prepared == [True]
    command = calls[0]
    assert Path(command[0]).is_file() and command[0].endswith("simulator/app/main.py")
    assert command[1:3] == ["--server.port", "8600"]
    # On this machine only, without usage statistics, the Deploy button or a file watcher, unless asked.
    assert command[3:] == [
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--server.fileWatcherType",
        "none",
    ]
    calls.clear()
    assert _invoke("app", "--network", "--server.fileWatcherType=auto").exit_code == 0
    assert calls[0][1:] == [
        "--server.fileWatcherType=auto",
        "--server.address",
        "0.0.0.0",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]


def test_sweep_explains_an_unreachable_scheduler(spec_file, tmp_path):
    import dask

    # Import distributed first: dask.config.set removes on exit the keys that did not exist on entry,
    # and distributed adds its own on import, so later code would find no 'distributed' config at all.
    pytest.importorskip("distributed")

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = _invoke("sweep", spec_file(), "--out", tmp_path / "out", "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 1 and "scheduler: cannot reach 'tcp://127.0.0.1:1'" in result.stderr


def test_version_prints_the_package_version():
    from simulator import __version__

    result = _invoke("--version")
    assert result.exit_code == 0 and result.output.strip() == f"simulator {__version__}"


def test_run_prints_json_and_applies_set_overrides():
    plain = json.loads(_invoke("run", "baseline_2024", "-n", 2, "--no-progress", "--json").stdout)
    assert {row["indicator"] for row in plain["indicators"]} >= {"total_released", "prisoner_months"}
    assert plain["replications"] == 2 and plain["scenario"] == "baseline_2024"
    result = _invoke(
        "run",
        "baseline_2024",
        "-n",
        2,
        "--json",
        "--set",
        "eu.policy.kind=reciprocal",
        "--set",
        "regime.pardons.release_cost=0.4",
    )
    assert result.exit_code == 0, result.output
    changed = json.loads(result.stdout)
    assert changed["scenario_hash"] != plain["scenario_hash"]


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("regime.pardons.release_cost", "--set: 'regime.pardons.release_cost' is not key=value"),
        ("regime.pardons.release_cost=9", "regime.pardons.release_cost: 9 is above the maximum"),
        ("regime.no_such=1", "regime.no_such"),
        ("regime.pardons.release_cost=" + "9" * 500, "above the 200 allowed"),
    ],
)
def test_run_names_a_bad_set_override(assignment, message):
    result = _invoke("run", "baseline_2024", "-n", 2, "--set", assignment)
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_run_shows_progress_on_stderr():
    result = _invoke("run", "baseline_2024", "-n", 2)
    assert result.exit_code == 0 and "replication-months" in result.stderr


def test_validate_answers_in_json(spec_file, tmp_path):
    good = json.loads(_invoke("validate", spec_file(), "--json").stdout)
    assert good["valid"] and good["kind"] == "sweep" and good["points"] == 12
    bad = tmp_path / "bad.yaml"
    bad.write_text("regime:\n  release_cost: 9\n")
    result = _invoke("validate", bad, "--json")
    assert result.exit_code == 1
    answer = json.loads(result.stdout)
    assert not answer["valid"] and answer["problems"][0].startswith("regime.pardons.release_cost: 9")


def test_a_finished_sweep_says_it_ran_nothing_and_did_not_contact_the_scheduler(spec_file, tmp_path):
    spec, out = spec_file(), tmp_path / "out"
    assert _invoke("sweep", spec, "--out", out, "--workers", 1).exit_code == 0
    result = _invoke("sweep", spec, "--out", out, "--scheduler", "tcp://scheduler-host:8786")
    assert result.exit_code == 0
    assert "nothing to run: all 12 points x 2 replications were already in" in result.output
    assert "scheduler 'tcp://scheduler-host:8786' was not contacted" in result.output
    answer = json.loads(_invoke("sweep", spec, "--out", out, "--json").stdout)
    assert answer["computed_points"] == 0 and answer["reused_points"] == 12


def test_a_damaged_chunk_is_reported_as_a_warning(spec_file, tmp_path):
    spec, out = spec_file(), tmp_path / "out"
    assert _invoke("sweep", spec, "--out", out, "--workers", 1).exit_code == 0
    chunk = sorted((out / "replications").glob("part-*.parquet"))[0]
    chunk.write_bytes(chunk.read_bytes()[:50])
    result = _invoke("sweep", spec, "--out", out, "--workers", 1)
    assert result.exit_code == 0
    assert f"warning: sweep folder {out}: chunk" in result.stderr and "will be recomputed" in result.stderr
    (out / "manifest.json").write_text("{broken")
    result = _invoke("sweep", spec, "--out", out, "--workers", 1)
    assert result.exit_code == 1 and "is damaged (not valid JSON" in result.stderr


def test_discover_with_prim_writes_the_trajectory_and_the_box(spec_file, tmp_path):
    out, plot = tmp_path / "out", tmp_path / "prim.html"
    args = ("discover", spec_file(points=20), "--where", "total_released >= 0", "--out", out, "--workers", 1)
    result = _invoke(*args, "--method", "prim", "--plot", plot)
    assert result.exit_code == 0, result.output
    assert "PRIM box" in result.output and "coverage" in result.output
    trajectory = pd.read_csv(out / "prim-trajectory.csv")
    assert {"coverage", "density", "mass", "restricted"} <= set(trajectory.columns)
    assert "plotly" in plot.read_text()
    answer = json.loads(_invoke(*args, "--method", "prim", "--json").stdout)
    assert answer["base_rate"] == 1.0 and answer["rule"] == "anywhere in the design"


def test_compare_explains_ties(spec_file, tmp_path):
    args = ("compare", spec_file(), "-i", "prisoner_months", "--out", tmp_path / "out", "--workers", 1)
    result = _invoke(*args)
    assert "share_sole_best" in result.output and "can sum to more than 1" in result.output
    answer = json.loads(_invoke(*args, "--json").stdout)
    assert sum(row["share_sole_best"] for row in answer["summary"]) <= 1 + 1e-9
    assert all(row["share_sole_best"] <= row["share_best"] for row in answer["summary"])


BAD_FILES = {
    "empty": b"",
    "binary": bytes(range(256)) * 4,
    "not a mapping": b"- 1\n- 2\n",
    "nested": b"regime: " + b"[" * 1000 + b"]" * 1000 + b"\n",
    "huge list": b"regime:\n  release_cost: [" + b"1, " * 20000 + b"1]\n",
    "sweep without factors": b"design: {kind: grid}\n",
}


@pytest.mark.parametrize("content", BAD_FILES.values(), ids=BAD_FILES.keys())
@pytest.mark.parametrize("command", ["run", "validate", "sweep", "sensitivity", "discover", "compare"])
def test_bad_files_give_short_messages_never_tracebacks(tmp_path, command, content):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    extra = ["--where", "total_released > 1"] if command == "discover" else []
    result = (
        _invoke(command, path, *extra, "--out", tmp_path / "out")
        if command not in ("run", "validate")
        else (_invoke(command, path))
    )
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.splitlines()
    assert 1 <= len(lines) <= 25 and all(len(line) <= 310 for line in lines), result.stderr[:2000]


def test_a_folder_given_as_a_file_is_a_short_message(tmp_path):
    for command in ("run", "validate", "sweep"):
        result = _invoke(command, tmp_path)
        assert result.exit_code in (1, 2) and "Traceback" not in result.output, (command, result.output)


def _cli(*args, **kwargs):
    import sys

    return subprocess.Popen(
        [sys.executable, "-c", "from simulator.cli import app; app()", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def test_a_core_install_validates_and_runs_and_names_the_missing_extra(spec_file, tmp_path):
    import sys

    blocker = tmp_path / "sitecustomize.py"
    # Make the analysis extra's packages unimportable, as on an install without [analysis].
    blocker.write_text(
        "import sys\nfor name in ('SALib', 'sklearn', 'distributed', 'dask'):\n    sys.modules[name] = None\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}

    def call(*args):
        return subprocess.run(
            [sys.executable, "-c", "from simulator.cli import app; app()", *map(str, args)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )

    assert call("validate", shipped(PRESETS, "engage.yaml")).returncode == 0
    assert call("validate", spec_file()).returncode == 0
    ran = call("run", "baseline_2024", "-n", 2, "--no-progress")
    assert ran.returncode == 0, ran.stderr
    result = call("sensitivity", spec_file("sobol_sensitivity", 4), "--out", tmp_path / "s", "--workers", 1)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "SALib is not installed; it comes with the 'analysis' extra" in result.stderr
    result = call("sweep", spec_file(), "--out", tmp_path / "d", "--scheduler", "dask-local")
    assert result.returncode == 1 and "distributed is not installed" in result.stderr
    # The analysis's extra is checked before the sweep runs, not after it.
    result = call("discover", spec_file(), "--where", "total_released > 1", "--out", tmp_path / "t", "--workers", 1)
    assert result.returncode == 1 and "sklearn is not installed" in result.stderr
    assert not (tmp_path / "t").exists()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_a_sigkilled_sweep_leaves_no_pool_workers(tmp_path):
    import signal
    import time

    spec = tmp_path / "long.yaml"
    spec.write_text(SPEC.format(kind="latin_hypercube", points=400).replace("replications: 2", "replications: 20"))
    sweep_process = _cli("sweep", spec, "--out", tmp_path / "out", "--workers", 2, "--chunk-points", 1)
    deadline, workers = time.monotonic() + 120, []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = [p for p in _children(sweep_process.pid) if "spawn_main" in _cmdline(p)]
        time.sleep(0.5)
    assert len(workers) == 2, "the sweep never started its workers"
    sweep_process.send_signal(signal.SIGKILL)
    sweep_process.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.5)
    assert not any(_alive(p) for p in workers), "pool workers outlived the sweep"


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_sigterm_to_simulator_app_stops_the_streamlit_server(tmp_path):
    import signal
    import time
    import urllib.request

    port = _free_port()
    app_process = _cli(
        "app", "--server.headless", "true", "--server.port", port, "--server.address", "127.0.0.1", cwd=tmp_path
    )
    url, deadline, up = f"http://127.0.0.1:{port}/_stcore/health", time.monotonic() + 120, False
    while time.monotonic() < deadline and not up and app_process.poll() is None:
        try:
            up = urllib.request.urlopen(url, timeout=2).status == 200
        except OSError:
            time.sleep(0.5)
    assert up, "the app never answered its health check"
    app_process.send_signal(signal.SIGTERM)
    app_process.wait(timeout=30)
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)


def test_run_writes_a_netcdf_cube(tmp_path):
    xr = pytest.importorskip("xarray")
    result = _invoke("run", "baseline_2024", "-n", 2, "--no-progress", "-o", tmp_path / "run", "--format", "netcdf")
    assert result.exit_code == 0, result.output
    with xr.open_dataset(tmp_path / "run" / "results.nc") as cube:
        assert cube.sizes["replication"] == 2 and cube.attrs["scenario_name"] == "baseline_2024"


def test_a_refusal_is_one_block_and_exit_code_1(tmp_path):
    missing = tmp_path / "none.yaml"
    result = _invoke("validate", missing)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"{missing} is not valid:\n  - file: {str(missing)!r} does not exist\n"
    result = _invoke("run", "baseline_2024", "-n", 2, "--no-progress", "--set", "regime.pardons.release_cost=9")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "Cannot run:\n  - regime.pardons.release_cost: 9 is above the maximum 3.0\n"


def test_ctrl_c_exits_130_with_one_line(spec_file, tmp_path, monkeypatch):
    from simulator.core import runner
    from simulator.exploration import sweeps

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sweeps, "run_sweep", interrupted)
    out = tmp_path / "out"
    result = _invoke("sweep", spec_file(), "--out", out)
    assert (result.exit_code, result.stdout) == (130, "")
    assert result.stderr == f"Interrupted: finished chunks are saved in {out}; rerun the same command to resume.\n"
    monkeypatch.setattr(runner, "simulate", interrupted)
    result = _invoke("run", "baseline_2024", "-n", 2, "--no-progress")
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "Interrupted.\n")


@pytest.mark.parametrize("seed", [2**32, 2**64, -1])
def test_a_seed_out_of_range_is_refused_in_one_line(seed):
    result = _invoke("run", "baseline_2024", "-n", 2, "--no-progress", "--seed", seed)
    assert (result.exit_code, result.stdout) == (1, "")
    allowed = "a seed is a whole number from 0 to 4,294,967,295"
    assert result.stderr == f"Cannot run:\n  - --seed: {seed} is not allowed; {allowed}\n"
    assert _invoke("run", "baseline_2024", "-n", 2, "--no-progress", "--seed", 2**32 - 1).exit_code == 0


@pytest.mark.parametrize("command", ["validate", "sweep"])
def test_a_huge_file_is_refused_by_its_size_without_being_read(tmp_path, monkeypatch, command):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as file:
        file.truncate(2**30)  # 1 GiB, sparse: nothing is written
    for reader in ("read_bytes", "read_text"):
        monkeypatch.setattr(Path, reader, lambda self, *a, **k: pytest.fail(f"{self} was read whole"))
    result = _invoke(command, path, *(["--out", tmp_path / "out"] if command == "sweep" else []))
    assert (result.exit_code, result.stdout) == (1, "")
    kind = "scenario files" if command == "validate" else "sweep specs"
    first = f"{path} is not valid:" if command == "validate" else f"Invalid sweep spec {path}:"
    assert result.stderr == f"{first}\n  - file: 1,073,741,824 bytes is above the maximum 262,144 bytes for {kind}\n"


def test_a_dask_local_sweep_ends_without_dask_log_lines(spec_file, tmp_path):
    pytest.importorskip("distributed")
    done = _cli("sweep", spec_file(), "--out", tmp_path / "out", "--scheduler", "dask-local", "--workers", 1)
    stdout, stderr = done.communicate(timeout=300)
    assert done.returncode == 0, stderr[-2000:]
    assert "12 points x 2 replications" in stdout
    assert [line for line in stderr.splitlines() if "distributed" in line or "Traceback" in line] == []
