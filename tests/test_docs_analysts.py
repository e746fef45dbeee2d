"""docs/analysts.md runs as a script: its Python blocks, pasted in order into one file with tiny sizes, run as is."""

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "simulator" / "docs" / "analysts.md"
SIZES = "POINTS, SOBOL_N, REPLICATIONS, AUDIENCE = 256, 64, 20, 300"
TINY = "POINTS, SOBOL_N, REPLICATIONS, AUDIENCE = 6, 2, 2, 30"
GUARD = 'if __name__ == "__main__":\n'


def python_blocks(text: str) -> list[str]:
    """The fenced ```python blocks of a Markdown text, in order."""
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_every_block_that_does_work_is_guarded_for_worker_processes():
    blocks = python_blocks(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 8 and blocks[0].startswith(GUARD), "the guard must be shown first"
    setup = [b for b in blocks if SIZES in b]
    assert len(setup) == 1 and not setup[0].startswith(GUARD)
    unguarded = [b.splitlines()[0] for b in blocks if b is not setup[0] and not b.startswith(GUARD)]
    assert not unguarded, f"blocks that would run again in every worker: {unguarded}"


def test_the_walkthrough_runs_as_a_script_with_local_worker_processes(tmp_path):
    blocks = python_blocks(DOC.read_text(encoding="utf-8"))
    script = tmp_path / "walkthrough.py"
    script.write_text("\n\n".join(block.replace(SIZES, TINY) for block in blocks), encoding="utf-8")
    # Run as a user would: `python walkthrough.py`, so the sweeps start spawned workers that re-import it.
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "design points" in done.stdout and "work goes here" in done.stdout
    for made in (
        "sobol_total_released.html",
        "prim_trajectory.html",
        "sweeps_out/walkthrough/manifest.json",
        "sweeps_out/baseline.nc",
    ):
        assert (tmp_path / made).is_file(), made


def test_the_yaml_example_in_the_page_is_a_valid_spec():
    from simulator.exploration.sweep_specs import parse_sweep_yaml

    (block,) = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    spec = parse_sweep_yaml(block)
    assert spec.design.kind == "latin_hypercube" and spec.replications == 20
