"""docs/analysts.md runs: its Python blocks are executed in order, with the sizes of its first block made tiny."""

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "analysts.md"
SIZES = "POINTS, SOBOL_N, REPLICATIONS, AUDIENCE = 256, 64, 20, 300"
TINY = "POINTS, SOBOL_N, REPLICATIONS, AUDIENCE = 6, 2, 2, 30"


def python_blocks(text: str) -> list[str]:
    """The fenced ```python blocks of a Markdown text, in order."""
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_the_walkthrough_runs_with_tiny_sizes(tmp_path, monkeypatch, capsys):
    blocks = python_blocks(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 6 and SIZES in blocks[0], "the first block must set the sizes this test shrinks"
    monkeypatch.chdir(tmp_path)  # the walk-through writes sweeps_out/ and an HTML chart
    namespace = {"__name__": "analysts_walkthrough"}
    for number, block in enumerate(blocks):
        code = block.replace(SIZES, TINY)
        try:
            exec(compile(code, f"docs/analysts.md block {number + 1}", "exec"), namespace)
        except Exception as exc:  # name the block that broke, with its error
            pytest.fail(f"block {number + 1} of docs/analysts.md failed: {exc!r}")
    assert len(namespace["results"].points) == 6 * 4
    assert set(namespace["indices"].table["eu.policy.kind"]) == {"schedule", "reciprocal"}
    assert (tmp_path / "sobol_total_released.html").is_file()
    assert (tmp_path / "sweeps_out" / "walkthrough" / "manifest.json").is_file()
    assert "design points" in capsys.readouterr().out


def test_the_yaml_example_in_the_page_is_a_valid_spec():
    from simulator.exploration.sweep_specs import parse_sweep_yaml

    (block,) = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    spec = parse_sweep_yaml(block)
    assert spec.design.kind == "latin_hypercube" and spec.replications == 20
