"""How the CLI reports: problems as short lines on stderr with exit code 1, never a traceback."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

import click
import typer
import yaml

from ..core.scenarios import ScenarioError
from ..extras import MissingExtra

# A huge input must not produce a huge message: lines are cut, and only the first problems are listed.
MAX_PROBLEM_CHARS = 300
MAX_PROBLEMS = 20

Command = TypeVar("Command", bound=Callable[..., Any])

# Exits the command meant: Typer's Exit (which no longer subclasses click's), click's own, its usage errors
# and aborts. They pass through as they are; re-reporting them would print a second, bogus block.
_INTENDED = (typer.Exit, click.exceptions.Exit, click.ClickException, click.exceptions.Abort)


def cut(text: object, limit: int = MAX_PROBLEM_CHARS) -> str:
    """One line of at most `limit` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def fail(problems: list[str], what: str) -> typer.Exit:
    """Print readable problems to stderr, one short line each, and return the exit that signals them."""
    typer.secho(cut(what), err=True, fg=typer.colors.RED, bold=True)
    for problem in problems[:MAX_PROBLEMS]:
        typer.echo(f"  - {cut(problem)}", err=True)
    if len(problems) > MAX_PROBLEMS:
        typer.echo(f"  - and {len(problems) - MAX_PROBLEMS} more problems", err=True)
    return typer.Exit(code=1)


def friendly(what: str) -> Callable[[Command], Command]:
    """Turn any error a command meets into short lines on stderr and exit code 1 (SIMULATOR_DEBUG=1 re-raises).

    Ctrl-C exits with 130, the shell's code for an interrupt, after one line saying so.
    """

    def decorate(command: Command) -> Command:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return command(*args, **kwargs)
            except _INTENDED:
                raise
            except KeyboardInterrupt:
                typer.echo("Interrupted.", err=True)
                raise typer.Exit(code=130) from None
            except ScenarioError as exc:
                raise fail(exc.problems, f"{what}:") from None
            except Exception as exc:
                if os.environ.get("SIMULATOR_DEBUG"):
                    raise
                raise fail([describe(exc)], f"{what}:") from None

        return wrapper  # type: ignore[return-value]

    return decorate


def describe(exc: Exception) -> str:
    """One line saying what went wrong, in words where the kind of error is known."""
    if isinstance(exc, MissingExtra):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "not enough memory for this run; use fewer replications, a smaller audience or fewer months"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to read"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    if isinstance(exc, ValueError | yaml.YAMLError | OSError):
        return str(exc) or type(exc).__name__
    return f"unexpected {type(exc).__name__}: {exc} (set SIMULATOR_DEBUG=1 to see where)"


def say(text: str, as_json: bool) -> None:
    """A line for the reader: on stdout normally, on stderr when stdout carries JSON."""
    typer.echo(text, err=as_json)
