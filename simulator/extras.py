"""Optional dependencies by user (app, analysis): import them lazily, with one line saying which extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

DISTRIBUTION = "prisoner-diplomacy-simulator"


class MissingExtra(ImportError):
    """An optional dependency is not installed; the message names the extra that provides it."""


def require(module: str, extra: str) -> ModuleType:
    """Import an optional module, or raise MissingExtra naming the extra to install (e.g. 'analysis')."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        raise MissingExtra(
            f"{top} is not installed; it comes with the '{extra}' extra: pip install '{DISTRIBUTION}[{extra}]'"
        ) from exc
