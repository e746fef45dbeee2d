"""Files shipped inside the package: presets, example sweep specs, observed data and the docs.

Read through `importlib.resources`, so they are found from a wheel, a zip or a source checkout alike.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

PRESETS = "presets"
SWEEP_EXAMPLES = "sweep_examples"
DATA = "data"
DOCS = "docs"


def shipped(folder: str, name: str = "") -> Traversable:
    """The shipped folder (or a file in it) inside the installed package."""
    root = resources.files("simulator").joinpath(folder)
    return root.joinpath(name) if name else root


def names_in(folder: str, suffix: str = ".yaml") -> list[str]:
    """Names (without suffix) of the shipped files with that suffix in a folder, sorted."""
    entries = shipped(folder).iterdir()
    return sorted(entry.name.removesuffix(suffix) for entry in entries if entry.name.endswith(suffix))


def read_text(folder: str, name: str) -> str:
    """The text of one shipped file."""
    return shipped(folder, name).read_text(encoding="utf-8")
