"""A sweep as an xarray cube: every indicator over (point, replication), factor values along point.

xarray is optional (the 'analysis' extra) and imported only when a cube is asked for. The attributes
carry the sweep's provenance (spec hash, package and library versions) and its spec as JSON.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd
from pydantic import BaseModel

from ..core.cube import CONVENTIONS, netcdf_attribute
from ..core.parameters import parameter_table
from ..core.schema import Scenario
from ..core.variables import describe
from ..extras import require
from .designs import ResolvedFactor


class SweepTables(Protocol):
    """What a sweep cube is made of (as `SweepResults` holds it); a protocol, so sweeps.py is not imported here."""

    @property
    def spec(self) -> BaseModel: ...
    @property
    def factors(self) -> list[ResolvedFactor]: ...
    @property
    def points(self) -> pd.DataFrame: ...
    @property
    def replications(self) -> pd.DataFrame: ...
    @property
    def metadata(self) -> dict: ...
    @property
    def indicators(self) -> list[str]: ...


def sweep_cube(results: SweepTables):
    """An xarray Dataset: one (point, replication) variable per indicator, each factor a coordinate along point."""
    xr = require("xarray", "analysis")
    table = results.replications.sort_values(["point", "replication"], kind="stable")
    points = results.points["point"].to_numpy()
    replications = np.sort(table["replication"].unique())
    shape = (len(points), len(replications))
    if len(table) != shape[0] * shape[1]:
        raise ValueError("replications: rows are not one per point and replication; the cube needs a full grid")
    variables = {name: (("point", "replication"), table[name].to_numpy().reshape(shape)) for name in results.indicators}
    coords = {"point": points, "replication": replications, "sample": ("point", results.points["sample"].to_numpy())}
    for factor in results.factors:
        values = results.points[factor.path]
        coords[factor.path] = ("point", values.astype(str).to_numpy(dtype=object) if factor.discrete else values)
    attributes = {key: netcdf_attribute(value) for key, value in results.metadata.items() if value is not None}
    attributes["spec_json"] = results.spec.model_dump_json()
    attributes["Conventions"] = CONVENTIONS
    cube = xr.Dataset(variables, coords=coords, attrs=attributes)
    _describe_variables(cube, results)
    return cube


def _describe_variables(cube, results: SweepTables) -> None:
    """A long_name and units (CF) on every variable: indicators as in a run's cube, factors from the schema."""
    scenario = getattr(results.spec, "scenario", None)
    keys = tuple(s.key for s in scenario.senders()) if scenario is not None else ("eu",)
    labels = {info.path: (info.label, info.unit) for info in parameter_table(Scenario)}
    for name in [*cube.data_vars, *cube.coords]:
        if name in labels:
            label, unit = labels[name]
            long_name = f"{label} ({unit})" if unit else label
        elif name == "point":
            long_name = "design point number"
        elif name == "sample":
            long_name = "row of the continuous sample the point takes its values from"
        else:
            long_name = (describe(str(name), keys) or (str(name).replace("_", " "), "1"))[0]
        cube[name].attrs.update(long_name=long_name, units="1")
