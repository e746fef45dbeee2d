"""Parameter metadata: one declaration per parameter, read by the app, the CLI and the docs."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, get_args

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


def param(
    default: Any,
    *,
    unit: str,
    help: str,
    label: str | None = None,
    ge: float | None = None,
    le: float | None = None,
    advanced: bool = False,
    source: str = "judgement",
) -> Any:
    """Declare a model parameter with its unit, allowed range, help text and the source of its default."""
    return Field(
        default,
        ge=ge,
        le=le,
        title=label,
        description=help,
        json_schema_extra={"unit": unit, "advanced": advanced, "source": source},
    )


def column(value):
    """A per-replication parameter (replications,) as a column that broadcasts over senders or tiers."""
    return value[:, None] if isinstance(value, np.ndarray) and value.ndim == 1 else value


def per_sender(senders, name: str) -> np.ndarray:
    """One setting of every sender side by side: (senders,), or (replications, senders) where a batch varies it."""
    values = [getattr(sender, name) for sender in senders]
    if any(isinstance(value, np.ndarray) for value in values):
        return np.stack(np.broadcast_arrays(*values), axis=-1)
    return np.array(values)


class Group(BaseModel):
    """Base for parameter groups: unknown fields are rejected, values are frozen, numbers must be numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        # YAML reads `yes`/`true` as booleans and pydantic would take them as 1; NaN would only be reported
        # as above a maximum. Both are refused here, naming what a number field allows.
        field = cls.model_fields.get(info.field_name or "")
        if field is None or field.annotation not in (int, float):
            return value
        if isinstance(value, bool) or (isinstance(value, float) and math.isnan(value)):
            kind = "a whole number" if field.annotation is int else "a number"
            lower, upper = _bounds(field)
            allowed = f" from {_shown(lower)} to {_shown(upper)}" if lower is not None and upper is not None else ""
            shown = str(value).lower()
            raise ValueError(f"{shown} is not a number; give {kind}{allowed}")
        return value


@dataclass(frozen=True)
class ParameterInfo:
    """Everything a front end needs to show one parameter: path, label, unit, range, default, help."""

    path: str
    label: str
    unit: str
    default: Any
    minimum: float | None
    maximum: float | None
    help: str
    advanced: bool
    source: str
    kind: str
    choices: tuple[str, ...] = ()


def _shown(bound: float) -> str:
    return f"{int(bound):,}" if float(bound).is_integer() else f"{bound:g}"


def _bounds(field) -> tuple[float | None, float | None]:
    lower = upper = None
    for rule in field.metadata:
        lower = getattr(rule, "ge", lower)
        upper = getattr(rule, "le", upper)
    return lower, upper


def _kind_and_choices(annotation) -> tuple[str, tuple[str, ...]]:
    origin_args = get_args(annotation)
    if annotation is bool:
        return "bool", ()
    if annotation is int:
        return "int", ()
    if annotation is float:
        return "float", ()
    if annotation is str:
        return "str", ()
    if origin_args and all(isinstance(a, str) for a in origin_args):
        return "choice", tuple(origin_args)
    return "other", ()


def parameter_table(model: type[BaseModel], prefix: str = "", defaults: BaseModel | None = None) -> list[ParameterInfo]:
    """List every parameter of a scenario model, depth first, with its dotted path and metadata.

    Defaults are read from a default instance, so a group whose default differs from its class's
    (the second sender is not the EU) shows its own defaults.
    """
    defaults = model() if defaults is None else defaults
    rows: list[ParameterInfo] = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            rows.extend(parameter_table(annotation, prefix=f"{path}.", defaults=getattr(defaults, name)))
            continue
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        lower, upper = _bounds(field)
        kind, choices = _kind_and_choices(annotation)
        rows.append(
            ParameterInfo(
                path=path,
                label=field.title or name.replace("_", " ").capitalize(),
                unit=str(extra.get("unit", "")),
                default=getattr(defaults, name),
                minimum=lower,
                maximum=upper,
                help=field.description or "",
                advanced=bool(extra.get("advanced", False)),
                source=str(extra.get("source", "judgement")),
                kind=kind,
                choices=choices,
            )
        )
    return rows
