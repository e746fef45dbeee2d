"""Execution: identical results on every backend, worker count and chunk size; resume; a killed Dask worker."""

import json
import os
import signal
from dataclasses import dataclass, field

import pandas as pd
import pytest
from distributed import Client, LocalCluster

from simulator import Scenario, with_overrides
from simulator.exploration.designs import SpecError
from simulator.exploration.execution import Execution, chunk_ranges
from simulator.exploration.sweep_specs import SweepSpec
from simulator.exploration.sweeps import ScenarioModel, run_sweep

BASE = with_overrides(Scenario(), {"audience.size": 30, "simulation.months": 4})
SPEC = SweepSpec(
    scenario=BASE,
    design={
        "kind": "latin_hypercube",
        "points": 6,
        "factors": {
            "regime.pardons.release_cost": {"low": 0.1, "high": 1.2},
            "regime.pardons.relief_sensitivity": {},
            "eu.policy.kind": {"levels": ["fixed", "reciprocal"]},
        },
    },
    replications=3,
    seed=5,
    random_streams="independent",
)


def _cluster(workers: int) -> LocalCluster:
    return LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0"
    )


@pytest.fixture(scope="module")
def reference():
    return run_sweep(SPEC, execution=Execution(workers=1), progress=False)


@pytest.fixture(scope="module")
def two_workers():
    with _cluster(2) as cluster:
        yield cluster


def _same(results, reference):
    pd.testing.assert_frame_equal(results.replications, reference.replications)
    pd.testing.assert_frame_equal(results.statistics, reference.statistics)


@pytest.mark.parametrize("chunk", [1, 5, 12])
def test_local_processes_give_identical_results_for_any_chunk_size(reference, chunk):
    _same(run_sweep(SPEC, execution=Execution(workers=2, chunk_points=chunk), progress=False), reference)


@pytest.mark.parametrize("chunk", [1, 4])
def test_dask_gives_identical_results(reference, two_workers, chunk):
    execution = Execution(scheduler=two_workers.scheduler_address, chunk_points=chunk)
    _same(run_sweep(SPEC, execution=execution, progress=False), reference)


def test_dask_local_cluster_with_one_worker_gives_identical_results(reference, tmp_path):
    execution = Execution(scheduler="dask-local", workers=1, chunk_points=3)
    _same(run_sweep(SPEC, tmp_path / "sweep", execution=execution, progress=False), reference)


def test_results_go_to_disk_chunk_by_chunk_with_a_manifest(reference, tmp_path):
    folder = tmp_path / "sweep"
    run_sweep(SPEC, folder, execution=Execution(workers=1, chunk_points=5), progress=False)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["spec_hash"] == SPEC.digest() and manifest["package_version"]
    assert manifest["spec"]["replications"] == 3
    assert [(c["start"], c["stop"]) for c in manifest["chunks"]] == [(0, 5), (5, 10), (10, 12)]
    assert all((folder / c["files"]["replications"]).is_file() for c in manifest["chunks"])
    pd.testing.assert_frame_equal(
        pd.read_parquet(folder / "statistics.parquet"), reference.statistics, check_dtype=False
    )
    assert len(pd.read_parquet(folder / "points.parquet")) == 12


@dataclass(frozen=True)
class CountingModel(ScenarioModel):
    """The scenario model, noting every point it runs and stopping the sweep after `stop_after` points."""

    ran: list = field(default_factory=list)
    stop_after: int | None = None

    def run(self, values, replications, seed, monthly):
        if self.stop_after is not None and len(self.ran) >= self.stop_after:
            raise KeyboardInterrupt("interrupted")
        self.ran.append(seed)
        return super().run(values, replications, seed, monthly)

    def run_batch(self, points, replications, seeds, monthly):
        if self.stop_after is not None and len(self.ran) + len(points) > self.stop_after:
            raise KeyboardInterrupt("interrupted")
        self.ran.extend(seeds)
        return super().run_batch(points, replications, seeds, monthly)


def test_an_interrupted_sweep_resumes_without_recomputing(reference, tmp_path):
    folder = tmp_path / "sweep"
    first = CountingModel(BASE.model_json(), stop_after=7)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(SPEC, folder, execution=Execution(workers=1, chunk_points=2), progress=False, model=first)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert [(c["start"], c["stop"]) for c in manifest["chunks"]] == [(0, 2), (2, 4), (4, 6)]
    second = CountingModel(BASE.model_json())
    # A different chunk size on resume is fine: only the missing points run.
    resumed = run_sweep(SPEC, folder, execution=Execution(workers=1, chunk_points=5), progress=False, model=second)
    assert len(second.ran) == 6
    _same(resumed, reference)
    third = CountingModel(BASE.model_json())
    again = run_sweep(SPEC, folder, execution=Execution(workers=1), progress=False, model=third)
    assert third.ran == []
    _same(again, reference)


def test_a_chunk_written_but_not_in_the_manifest_is_recomputed(reference, tmp_path):
    folder = tmp_path / "sweep"
    run_sweep(SPEC, folder, execution=Execution(workers=1, chunk_points=4), progress=False)
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["chunks"] = manifest["chunks"][:1]  # as if the run died between writing a chunk and the manifest
    path.write_text(json.dumps(manifest))
    model = CountingModel(BASE.model_json())
    _same(run_sweep(SPEC, folder, execution=Execution(workers=1), progress=False, model=model), reference)
    assert len(model.ran) == 8


def test_a_changed_spec_or_version_is_refused_for_the_folder(tmp_path):
    folder = tmp_path / "sweep"
    run_sweep(SPEC, folder, execution=Execution(workers=1), progress=False)
    changed = SPEC.model_copy(update={"replications": 4})
    with pytest.raises(SpecError, match="holds a different sweep .* write to a new folder"):
        run_sweep(changed, folder, execution=Execution(workers=1), progress=False)
    path = folder / "manifest.json"
    path.write_text(path.read_text().replace('"package_version": "', '"package_version": "0.0.0-old'))
    with pytest.raises(SpecError, match="results of two versions are not mixed"):
        run_sweep(SPEC, folder, execution=Execution(workers=1), progress=False)


def test_a_folder_with_other_files_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SpecError, match="is not empty and holds no sweep manifest"):
        run_sweep(SPEC, tmp_path, execution=Execution(workers=1), progress=False)


def test_a_killed_dask_worker_loses_no_chunk_and_changes_no_result(reference, tmp_path):
    with _cluster(2) as cluster, Client(cluster) as client:
        pids = client.run(os.getpid)
        victim = next(iter(pids.values()))
        killed_at = []

        def kill_once(done, total):
            if done and not killed_at:
                killed_at.append(done)
                os.kill(victim, signal.SIGKILL)

        folder = tmp_path / "sweep"
        execution = Execution(scheduler=cluster.scheduler_address, chunk_points=1)
        results = run_sweep(SPEC, folder, execution=execution, progress=kill_once)
        assert killed_at and killed_at[0] < len(reference.points)
        assert victim not in client.run(os.getpid).values()
    _same(results, reference)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert sorted(c["start"] for c in manifest["chunks"]) == list(range(12))


def test_chunk_ranges_split_missing_points_into_contiguous_runs():
    assert chunk_ranges([0, 1, 2, 3, 4], 2) == [(0, 2), (2, 4), (4, 5)]
    assert chunk_ranges([1, 2, 5, 6, 7], 10) == [(1, 3), (5, 8)]
    assert chunk_ranges([], 3) == []


def test_execution_options_are_checked():
    with pytest.raises(ValueError, match="'cluster' is not a scheduler"):
        Execution(scheduler="cluster")
    assert Execution(workers=2).chunk_size(10_000) == 100
    assert Execution(workers=2).chunk_size(10) == 2
    assert Execution(chunk_points=7).chunk_size(10) == 7


def _finished(tmp_path, chunk_points=4):
    folder = tmp_path / "sweep"
    run_sweep(SPEC, folder, execution=Execution(workers=1, chunk_points=chunk_points), progress=False)
    return folder


def _copy_over(folder):
    (folder / "replications/part-0000004-0000008.parquet").write_bytes(
        (folder / "replications/part-0000008-0000012.parquet").read_bytes()
    )


def _edit_values(folder):
    path = folder / "replications/part-0000004-0000008.parquet"
    frame = pd.read_parquet(path)
    frame["total_released"] = frame["total_released"] + 1
    frame.to_parquet(path, index=False)


def _flip_one_bit(folder):
    path = folder / "replications/part-0000004-0000008.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10
    path.write_bytes(bytes(data))


def _truncate(folder):
    path = folder / "replications/part-0000004-0000008.parquet"
    path.write_bytes(path.read_bytes()[:100])


def _delete(folder):
    (folder / "replications/part-0000004-0000008.parquet").unlink()


def _overlap(folder):
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["chunks"].append({**manifest["chunks"][2], "start": 6, "stop": 12})
    path.write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (_copy_over, "chunk 4-8: replications/part-0000004-0000008.parquet does not match its checksum"),
        (_edit_values, "chunk 4-8: .* does not match its checksum"),
        (_flip_one_bit, "chunk 4-8: .* does not match its checksum"),
        (_truncate, "chunk 4-8: .* does not match its checksum"),
        (_delete, "chunk 4-8: replications/part-0000004-0000008.parquet is missing"),
        (_overlap, "chunk 6-12: .* says it holds other points or another sweep"),
    ],
)
def test_a_damaged_chunk_is_recomputed_and_named(reference, tmp_path, damage, reason):
    folder = _finished(tmp_path)
    damage(folder)
    model = CountingModel(BASE.model_json())
    with pytest.warns(UserWarning, match=reason + ".*will be recomputed"):
        resumed = run_sweep(SPEC, folder, execution=Execution(workers=1), progress=False, model=model)
    _same(resumed, reference)
    assert len(model.ran) == (0 if damage is _overlap else 4)
    assert resumed.metadata["repairs"] and resumed.metadata["computed_points"] == len(model.ran)
    manifest = json.loads((folder / "manifest.json").read_text())
    covered = sorted(p for c in manifest["chunks"] for p in range(c["start"], c["stop"]))
    assert covered == list(range(12))
    again = CountingModel(BASE.model_json())
    run_sweep(SPEC, folder, execution=Execution(workers=1), progress=False, model=again)
    assert again.ran == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "is damaged \\(not valid JSON"),
        ('{"format": 2}', "is damaged \\(no list of chunks\\)"),
        ("[1, 2]", "is damaged \\(no list of chunks\\)"),
    ],
)
def test_a_corrupt_manifest_is_refused_with_a_message(tmp_path, text, message):
    folder = _finished(tmp_path)
    (folder / "manifest.json").write_text(text)
    with pytest.raises(SpecError, match=message + ".*start the sweep again"):
        run_sweep(SPEC, folder, execution=Execution(workers=1), progress=False)


def test_a_manifest_chunk_without_its_checksum_is_refused(tmp_path):
    folder = _finished(tmp_path)
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["chunks"][1]["sha256"]
    path.write_text(json.dumps(manifest))
    with pytest.raises(SpecError, match="chunk entry 1 lacks start, stop, files, sha256, rows"):
        run_sweep(SPEC, folder, execution=Execution(workers=1), progress=False)


def test_a_chunk_naming_a_file_outside_the_folder_is_not_read(reference, tmp_path):
    folder = _finished(tmp_path)
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["chunks"][0]["files"]["replications"] = "../../etc/passwd"
    path.write_text(json.dumps(manifest))
    with pytest.warns(UserWarning, match="names a file outside the sweep folder"):
        _same(run_sweep(SPEC, folder, execution=Execution(workers=1), progress=False), reference)


def test_chunk_files_carry_their_range_and_provenance(tmp_path):
    from simulator.core.provenance import read_parquet_provenance as read_parquet_metadata

    folder = _finished(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    chunk = manifest["chunks"][1]
    about = read_parquet_metadata(folder / chunk["files"]["replications"])
    assert about["points"] == [4, 8] and about["spec_hash"] == SPEC.digest() == manifest["spec_hash"]
    assert about["simulator_version"] and about["numpy"] and about["seed"] == SPEC.seed
    assert chunk["rows"]["replications"] == 4 * SPEC.replications and len(chunk["sha256"]["replications"]) == 64
    stats = read_parquet_metadata(folder / "statistics.parquet")
    assert stats["table"] == "statistics" and stats["spec_hash"] == SPEC.digest()


def test_a_chunk_swapped_in_with_its_checksum_edited_is_recomputed(reference, tmp_path):
    from simulator.exploration.store import _sha256

    folder = _finished(tmp_path)
    target, other = folder / "replications/part-0000004-0000008.parquet", "replications/part-0000008-0000012.parquet"
    target.write_bytes((folder / other).read_bytes())
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["chunks"][1]["sha256"]["replications"] = _sha256(target)  # the edit hides from the checksum
    path.write_text(json.dumps(manifest))
    model = CountingModel(BASE.model_json())
    with pytest.warns(UserWarning, match="chunk 4-8: .* says it holds other points or another sweep"):
        resumed = run_sweep(SPEC, folder, execution=Execution(workers=1), progress=False, model=model)
    _same(resumed, reference)
    assert len(model.ran) == 4


def test_a_manifest_number_of_thousands_of_digits_is_refused_in_one_line(tmp_path):
    folder = _finished(tmp_path)
    path = folder / "manifest.json"
    path.write_text(path.read_text().replace('"format": 3', '"format": ' + "9" * 5000))
    with pytest.raises(SpecError) as refused:
        run_sweep(SPEC, folder, execution=Execution(workers=1), progress=False)
    assert refused.value.problems == [
        f"out: {str(path)!r} is damaged (a number of 5,000 digits, above the 20 a sweep writes); delete its folder "
        "(or choose a new one) to start the sweep again"
    ]


MONTHLY = SPEC.model_copy(update={"monthly": True})


@pytest.mark.parametrize("reader", ["pyarrow.dataset", "duckdb", "polars"])
def test_each_table_folder_reads_directly_as_one_dataset(tmp_path, reader):
    pytest.importorskip(reader)
    folder = tmp_path / "sweep"
    results = run_sweep(MONTHLY, folder, execution=Execution(workers=1, chunk_points=5), progress=False)
    for name, expected in (("replications", results.replications), ("monthly", results.monthly)):
        where = folder / name
        if reader == "pyarrow.dataset":
            import pyarrow.dataset as ds

            frame = ds.dataset(where, format="parquet").to_table().to_pandas()
        elif reader == "duckdb":
            import duckdb

            frame = duckdb.sql(f"select * from read_parquet('{where}/*.parquet')").df()
        else:
            import polars as pl

            frame = pl.read_parquet(f"{where}/*.parquet").to_pandas()
        order = [c for c in ("point", "replication", "month") if c in frame.columns]
        frame = frame.sort_values(order, kind="stable").reset_index(drop=True)
        assert list(frame.columns) == list(expected.columns) and len(frame) == len(expected)
        pd.testing.assert_frame_equal(frame, expected, check_dtype=False, check_categorical=False)


def test_a_small_sweep_left_to_choose_runs_in_this_process(monkeypatch):
    from simulator.exploration import execution

    assert Execution().sized_for(3.0).worker_count() == 1
    assert Execution().sized_for(60.0) == Execution()
    assert Execution(workers=2).sized_for(3.0).worker_count() == 2  # a choice made is kept
    monkeypatch.setattr(execution, "_run_processes", lambda *a: pytest.fail("worker processes were started"))
    run_sweep(SPEC, execution=Execution(chunk_points=2), progress=False)
