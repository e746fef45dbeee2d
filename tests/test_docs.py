"""The documentation stays true: every parameter documented, the README example runs."""

import re
from pathlib import Path

from simulator import Scenario, parameter_table
from simulator.presentation.model_docs import MODEL_DOC, with_parameter_tables

ROOT = Path(__file__).resolve().parent.parent


def test_every_parameter_is_in_the_model_document():
    document = MODEL_DOC.read_text(encoding="utf-8")
    missing = [p.path for p in parameter_table(Scenario) if f"`{p.path}`" not in document]
    assert not missing, f"undocumented parameters (run scripts/update_model_docs.py): {missing}"


def test_parameter_tables_match_the_schema():
    document = MODEL_DOC.read_text(encoding="utf-8")
    assert with_parameter_tables(document) == document, "run scripts/update_model_docs.py"


def test_model_document_follows_odd():
    document = MODEL_DOC.read_text(encoding="utf-8")
    for heading in ("## 1. Overview", "## 2. Design concepts", "## 3. Details", "### 3.4 How the defaults were chosen"):
        assert heading in document


def test_readme_python_examples_run(capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "total_released" in printed and "headline" in printed
