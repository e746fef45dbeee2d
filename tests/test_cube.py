"""Results as an xarray cube and a NetCDF file with provenance."""

import sys

import numpy as np
import pytest

from simulator import Scenario, simulate, with_overrides
from simulator.core import cube
from simulator.extras import MissingExtra

xr = pytest.importorskip("xarray")


@pytest.fixture(scope="module")
def results():
    return simulate(with_overrides(Scenario(), {"audience.size": 30, "simulation.months": 6}), 4, 7)


def test_the_cube_holds_every_monthly_and_summary_value(results):
    data = results.to_xarray()
    assert dict(data.sizes) == {"replication": 4, "month": 6}
    monthly = results.monthly.sort_values(["replication", "month"])
    for column in ("prisoners", "released", "acceptance"):
        np.testing.assert_array_equal(data[column].values.ravel(), monthly[column].to_numpy())
    np.testing.assert_array_equal(data["narrative"].values.ravel(), monthly["narrative"].astype(str).to_numpy())
    np.testing.assert_array_equal(data["total_released"].values, results.summary["total_released"].to_numpy())
    assert data["total_released"].dims == ("replication",)
    assert str(data["date"].values[0])[:7] == results.scenario.simulation.start


def test_the_cube_says_what_made_it(results):
    attributes = results.to_xarray().attrs
    assert attributes["scenario_hash"] == results.scenario.digest() and attributes["seed"] == 7
    assert attributes["simulator_version"] and attributes["numpy"] and attributes["numba"]
    assert Scenario.model_validate_json(attributes["scenario_json"]) == results.scenario


def test_netcdf_round_trip_keeps_values_and_metadata(results, tmp_path):
    pytest.importorskip("h5netcdf")
    pytest.importorskip("h5py")
    path = cube.save_netcdf(results, tmp_path / "run.nc")
    with xr.open_dataset(path) as back:
        assert back.attrs["scenario_hash"] == results.scenario.digest()
        np.testing.assert_array_equal(back["prisoners"].values, results.to_xarray()["prisoners"].values)
        assert list(back["narrative"].values[0].astype(str)) == list(results.to_xarray()["narrative"].values[0])


def test_the_netcdf_file_is_netcdf4_with_units_and_long_name_on_every_variable(results, tmp_path):
    h5py = pytest.importorskip("h5py")
    pytest.importorskip("h5netcdf")
    path = cube.save_netcdf(results, tmp_path / "run.nc")
    assert path.read_bytes()[:8] == b"\x89HDF\r\n\x1a\n"  # NetCDF4 is HDF5; NetCDF3 starts with b"CDF"
    with h5py.File(path, "r") as file:  # the file as ncdump -h sees it, without xarray's decoding
        assert file.attrs["Conventions"] == "CF-1.10" and file.attrs["model_version"]
        names = [name for name in file if isinstance(file[name], h5py.Dataset)]
        assert len(names) >= 70
        for name in names:
            attributes = file[name].attrs
            assert "long_name" in attributes and "units" in attributes, name


def test_every_result_column_is_described_by_name(results):
    from simulator.core.variables import describe

    two_senders = simulate(
        with_overrides(Scenario(), {"audience.size": 30, "simulation.months": 3, "second_sender.enabled": True}), 2, 1
    )
    for run in (results, two_senders):
        keys = tuple(sender.key for sender in run.scenario.senders())
        columns = [*run.monthly.columns, *run.summary.columns]
        assert [c for c in columns if describe(c, keys) is None] == []


def test_a_missing_netcdf_library_names_the_extra(results, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(MissingExtra, match="h5py is not installed; it comes with the 'analysis' extra"):
        cube.save_netcdf(results, tmp_path / "run.nc")


def test_a_missing_xarray_names_the_extra(results, monkeypatch):
    monkeypatch.setitem(sys.modules, "xarray", None)
    with pytest.raises(MissingExtra, match="xarray is not installed; it comes with the 'analysis' extra"):
        results.to_xarray()


def test_a_sweep_becomes_a_point_by_replication_cube(tmp_path):
    from simulator.exploration.execution import Execution
    from simulator.exploration.sweeps import sweep

    base = with_overrides(Scenario(), {"audience.size": 30, "simulation.months": 4})
    design = {
        "kind": "latin_hypercube",
        "points": 3,
        "factors": {
            "regime.pardons.release_cost": {"low": 0.1, "high": 1.5},
            "eu.policy.kind": {"levels": ["fixed", "reciprocal"]},
        },
    }
    results = sweep(base, design, replications=2, seed=1, execution=Execution(workers=1), progress=False)
    data = results.to_xarray()
    assert dict(data.sizes) == {"point": 6, "replication": 2}
    table = results.replications.sort_values(["point", "replication"])
    np.testing.assert_array_equal(data["total_released"].values.ravel(), table["total_released"].to_numpy())
    np.testing.assert_array_equal(
        data["regime.pardons.release_cost"].values, results.points["regime.pardons.release_cost"]
    )
    assert list(data["eu.policy.kind"].values) == list(results.points["eu.policy.kind"].astype(str))
    assert data.attrs["spec_hash"] == results.metadata["spec_hash"] and "design" in data.attrs["spec_json"]
    assert data["total_released"].mean("replication").values == pytest.approx(results.outcome("total_released"))
    assert data["total_released"].attrs["long_name"].startswith("political prisoners released over the run")
    assert data["regime.pardons.release_cost"].attrs["long_name"] and data.attrs["Conventions"] == "CF-1.10"
    assert all({"long_name", "units"} <= set(data[name].attrs) for name in [*data.data_vars, *data.coords])
