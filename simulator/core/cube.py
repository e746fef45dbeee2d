"""Results as an xarray cube: every monthly variable over (replication, month), summaries over replication.

xarray is optional (the 'analysis' extra) and imported only when a cube is asked for. The cube's
attributes carry the run's provenance (package, model and library versions, scenario hash and name, seed)
and the whole scenario as JSON, and every variable its `long_name` and `units` (CF conventions), so a
NetCDF4 file written from it says what made it and what each number is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from ..extras import require
from .provenance import provenance
from .schema import Scenario
from .variables import describe

CONVENTIONS = "CF-1.10"

_INDEX = ("replication", "month")


class RunTables(Protocol):
    """What a cube is made of: a run's tables, its scenario, seed and metadata (as `Results` holds them).

    A protocol rather than `Results` itself, so that results.py can offer `to_xarray` without an import circle.
    """

    @property
    def scenario(self) -> Scenario: ...
    @property
    def seed(self) -> int: ...
    @property
    def monthly(self) -> pd.DataFrame: ...
    @property
    def summary(self) -> pd.DataFrame: ...
    @property
    def metadata(self) -> dict: ...


def results_cube(results: RunTables):
    """An xarray Dataset: monthly columns as (replication, month) variables, summary indicators as (replication,)."""
    xr = require("xarray", "analysis")
    monthly = results.monthly.sort_values(list(_INDEX), kind="stable")
    replications = np.sort(monthly["replication"].unique())
    months = np.sort(monthly["month"].unique())
    shape = (len(replications), len(months))
    if len(monthly) != shape[0] * shape[1]:
        raise ValueError("monthly: rows are not one per replication and month; the cube needs a full grid")
    variables: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
    for column in monthly.columns:
        if column in (*_INDEX, "date"):
            continue
        variables[column] = (_INDEX, _plain(monthly[column]).reshape(shape))
    summary = results.summary.set_index("replication").reindex(replications)
    for column in summary.columns:
        name = column if column not in variables else f"summary_{column}"
        variables[name] = (("replication",), _plain(summary[column]))
    dates = monthly.loc[monthly["replication"] == replications[0], "date"].to_numpy()
    coords = {"replication": replications, "month": months, "date": ("month", dates)}
    cube = xr.Dataset(variables, coords=coords, attrs=cube_attributes(results))
    keys = tuple(sender.key for sender in results.scenario.senders())
    for name in [*cube.data_vars, *cube.coords]:
        long_name, units = describe(str(name), keys) or (str(name).replace("_", " "), "1")
        cube[name].attrs["long_name"] = long_name
        if name != "date":  # xarray writes a date's units itself ("days since ...")
            cube[name].attrs["units"] = units
    return cube


def _plain(column: pd.Series) -> np.ndarray:
    """Numbers as they are; categories and text as strings (NetCDF has no categorical type)."""
    if isinstance(column.dtype, pd.CategoricalDtype) or column.dtype == object or pd.api.types.is_string_dtype(column):
        return column.astype(str).to_numpy(dtype=object)
    if pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=np.int8)
    return column.to_numpy()


def cube_attributes(results: RunTables) -> dict[str, str | int | float]:
    """The run's metadata and provenance as NetCDF-safe attributes (no None, no nested values)."""
    about = {**provenance(results.scenario, results.seed), **results.metadata}
    attributes = {key: netcdf_attribute(value) for key, value in about.items()}
    attributes["scenario_json"] = results.scenario.model_dump_json()
    attributes["title"] = f"Simulated runs of scenario {results.scenario.meta.name!r}"
    attributes["Conventions"] = CONVENTIONS
    return attributes


def netcdf_attribute(value) -> str | int | float:
    """A metadata value as NetCDF can store it: numbers and text as they are, booleans as 0/1, the rest as JSON."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | str):
        return value
    return json.dumps(value, default=str)


def save_netcdf(results: RunTables, path: str | Path) -> Path:
    """Write the results cube to a NetCDF4 file (HDF5, through h5netcdf and h5py of the 'analysis' extra)."""
    # Both are required rather than falling back to scipy's NetCDF3, which would drop the format silently.
    require("h5netcdf", "analysis")
    require("h5py", "analysis")
    cube = results_cube(results)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cube.to_netcdf(path, engine="h5netcdf")
    return path
