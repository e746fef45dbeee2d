"""The wheel carries everything a user needs, and works outside a checkout (issue 9)."""

import email
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

import simulator

ROOT = Path(__file__).resolve().parent.parent
# Build products, caches and local outputs: never part of a source tree handed to the build.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", "__pycache__", "*.pyc", ".venv", "artifacts", ".*_cache", ".hypothesis",
    "*.sqlite3*", "runs", "sweeps_out", "node_modules",
)  # fmt: skip


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A clean copy of the source tree (no stale build folders can leak into the wheel)."""
    copy = tmp_path_factory.mktemp("source") / "project"
    shutil.copytree(ROOT, copy, symlinks=True, ignore=NOT_SOURCE)
    return copy


@pytest.fixture(scope="module")
def wheel(source, tmp_path_factory) -> Path:
    """The wheel built from the clean copy, as `pip install .` or `python -m build` would build it."""
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)]
    built = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    (path,) = out.glob("*.whl")
    return path


def _package_files(source: Path) -> set[str]:
    package = source / "simulator"
    return {f"simulator/{p.relative_to(package).as_posix()}" for p in package.rglob("*") if p.is_file()}


def test_the_wheel_holds_every_file_of_the_package(source, wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = _package_files(source)
    for needed in ("presets", "sweep_examples", "data", "docs", "app/pages"):
        assert any(name.startswith(f"simulator/{needed}/") for name in expected), needed
    assert "simulator/py.typed" in expected
    assert sorted(expected - names) == []


def test_the_wheel_carries_the_licence_version_and_extras_by_user(wheel):
    archive = zipfile.ZipFile(wheel)
    info = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    metadata = email.message_from_bytes(archive.read(info))
    assert metadata["Version"] == simulator.__version__
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in archive.namelist())
    requires = metadata.get_all("Requires-Dist")
    core = {r.split(">")[0].split("[")[0].strip() for r in requires if "extra ==" not in r}
    assert core == {"numpy", "numba", "scipy", "pandas", "pydantic", "PyYAML", "pyarrow", "typer", "click"}
    assert set(metadata.get_all("Provides-Extra")) == {"app", "analysis", "docs", "test", "ema", "all"}
    assert any(r.startswith("ema_workbench") and 'extra == "ema"' in r for r in requires)
    assert not any(r.startswith("pyabc") for r in requires)  # the calibration is the package's own (numpy)
    assert any(r.startswith("streamlit") and 'extra == "app"' in r for r in requires)
    assert any(r.startswith("SALib") and 'extra == "analysis"' in r for r in requires)


def test_the_installed_wheel_finds_its_presets_sweeps_docs_and_app_from_any_folder(wheel, tmp_path):
    target = tmp_path / "installed"
    command = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)]
    installed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr[-2000:]
    check = textwrap.dedent(
        """
        from pathlib import Path
        import simulator
        from simulator import load_preset, preset_names, simulate
        from simulator.core.shipped import DATA, DOCS, SWEEP_EXAMPLES, names_in, read_text, shipped

        assert Path(simulator.__file__).is_relative_to(Path.cwd().parent / "installed"), simulator.__file__
        assert {"baseline_2024", "us_second_sender"} <= set(preset_names())
        for name in preset_names():
            load_preset(name)
        assert "release_cost_grid" in names_in(SWEEP_EXAMPLES)
        assert "model" in names_in(DOCS, ".md") and read_text(DATA, "belarus_2024_calibration.csv")
        assert shipped("app", "main.py").is_file()
        print(len(simulate(load_preset("baseline_2024"), replications=3).summary))
        """
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    ran = subprocess.run(
        [sys.executable, "-c", check],
        cwd=outside,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout.strip() == "3"
