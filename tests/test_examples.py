"""The analyst notebook in examples/ runs end to end in a fresh kernel, without errors."""

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "analyst_walkthrough.ipynb"


def test_the_analyst_notebook_runs_end_to_end(tmp_path):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), "commit it clean"
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    text = "\n".join(
        output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    assert "design points" in text and "chosen box:" in text and "share_sole_best" in text
    figure = notebook.cells[6].outputs[0]["data"]
    assert "application/vnd.plotly.v1+json" in figure
    assert (tmp_path / "sweeps_out" / "notebook" / "manifest.json").is_file()
