"""Running a sweep's chunks: in this process, in local worker processes, or on a Dask cluster.

The backends only move work around: each chunk's result depends on its points and seeds alone, so the
results are the same on every backend, with any number of workers and any chunk size. Each finished
chunk is handed to `on_done` at once (the sweep writes it to disk there), so a crash loses no finished work.
"""

from __future__ import annotations

import contextlib
import logging
import math
import multiprocessing
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..extras import require

Progress = Callable[[int, int], None]
# Up to 100 points per task: points that differ only in per-replication parameters are stepped together
# (core/batching.py), which needs many per task to pay off (about 0.5 s of work per task with 20
# replications of 300 agents); points that cannot be batched take about 5 s, still small enough for a
# large cluster to share out and for the progress bar to move.
MAX_AUTO_CHUNK = 100
CONNECT_TIMEOUT = "10s"
# Below this much estimated work a sweep left to choose runs in this process: a spawned worker costs 3-6 s to
# start (importing numpy, numba and pandas, loading the compiled kernels), so two workers made a 256-point
# sweep take 16 s against 3.4 s in process on 2 cores.
IN_PROCESS_SECONDS = 10.0
# How often a local worker checks that the sweep that started it is still alive.
PARENT_CHECK_SECONDS = 1.0


class Execution(BaseModel):
    """Where and how a sweep runs: the backend, how many workers, and how many points go in one task."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scheduler: str = Field(
        "local",
        description="'local' (processes on this machine), 'dask-local' (a Dask "
        "LocalCluster started for this run) or a Dask scheduler address such as tcp://host:8786.",
    )
    workers: int | None = Field(
        None,
        ge=1,
        le=1024,
        description="Local processes or LocalCluster workers (default: one per core, or none for a sweep of a "
        "few seconds); 1 runs locally in this process.",
    )
    chunk_points: int | None = Field(
        None,
        ge=1,
        le=100_000,
        description="Design points per task (default: about four tasks per worker, at most 25 points each).",
    )

    @field_validator("scheduler")
    @classmethod
    def _known_scheduler(cls, value: str) -> str:
        if value not in ("local", "dask-local") and "://" not in value:
            raise ValueError(
                f"{value!r} is not a scheduler; use 'local', 'dask-local' or an address like tcp://host:8786"
            )
        return value

    def sized_for(self, seconds: float) -> Execution:
        """This execution for work of about `seconds` in one process: in process if small and left to choose."""
        if self.scheduler == "local" and self.workers is None and seconds < IN_PROCESS_SECONDS:
            return self.model_copy(update={"workers": 1})
        return self

    def worker_count(self) -> int:
        """Workers to use: as asked, else one per core."""
        return self.workers or os.cpu_count() or 1

    def chunk_size(self, points: int) -> int:
        """Design points per task: as asked, else enough tasks to keep every worker busy and the bar moving."""
        if self.chunk_points:
            return self.chunk_points
        return max(1, min(MAX_AUTO_CHUNK, math.ceil(points / (4 * self.worker_count()))))


@dataclass(frozen=True)
class Task:
    """One unit of work: the design points [start, stop) and what the worker function needs to run them."""

    start: int
    stop: int
    payload: Any


def chunk_ranges(missing: Sequence[int], size: int) -> list[tuple[int, int]]:
    """Split sorted point indices into contiguous ranges [start, stop) of at most `size` points."""
    ranges: list[tuple[int, int]] = []
    for point in map(int, missing):
        if ranges and ranges[-1][1] == point and ranges[-1][1] - ranges[-1][0] < size:
            ranges[-1] = (ranges[-1][0], point + 1)
        else:
            ranges.append((point, point + 1))
    return ranges


def run_tasks(
    function: Callable[[Any], Any], tasks: list[Task], on_done: Callable[[Task, Any], None], execution: Execution
) -> None:
    """Run `function(task.payload)` for every task on the chosen backend, calling `on_done` as each finishes."""
    if not tasks:
        return
    if execution.scheduler == "local":
        if execution.worker_count() == 1 or len(tasks) == 1:
            for task in tasks:
                on_done(task, function(task.payload))
        else:
            _run_processes(function, tasks, on_done, execution.worker_count())
        return
    with _dask_client(execution) as client:
        _run_dask(client, function, tasks, on_done)


def _run_processes(function, tasks: list[Task], on_done, workers: int) -> None:
    # Spawned (not forked) workers import the library once each and are safe beside threads in the parent.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        mp_context=context,
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    )
    try:
        pending = {pool.submit(function, task.payload): task for task in tasks}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                on_done(pending.pop(future), future.result())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def exit_with_parent(parent: int) -> None:
    """In a worker process: exit as soon as the sweep process `parent` is gone (e.g. SIGKILLed), leaving no orphan."""
    watcher = threading.Thread(target=_watch_parent, args=(parent,), name="exit-with-parent", daemon=True)
    watcher.start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:  # reparented: the sweep that started this worker has died
            os._exit(1)


@contextlib.contextmanager
def _dask_client(execution: Execution) -> Iterator[Any]:
    distributed = require("distributed", "analysis")
    Client, LocalCluster = distributed.Client, distributed.LocalCluster

    if execution.scheduler != "dask-local":
        # A wrong address fails within seconds with an OSError naming it, instead of hanging for Dask's 30 s.
        with Client(execution.scheduler, timeout=CONNECT_TIMEOUT) as client:
            yield client
        return
    cluster = LocalCluster(
        n_workers=execution.worker_count(),
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # loopback only, any free port: never clashes with another cluster
        # Dask logs its own shutdown (heartbeats to a scheduler already closed, nannies killing workers) as
        # errors and tracebacks after a sweep that succeeded; a task's failure still reaches the sweep through
        # its future, and a lost worker's tasks are rerun by the scheduler.
        silence_logs=logging.CRITICAL,
    )
    with cluster, Client(cluster) as client:
        yield client


def _run_dask(client, function, tasks: list[Task], on_done) -> None:
    from distributed import as_completed

    run = uuid.uuid4().hex[:8]
    futures = {
        client.submit(function, task.payload, key=f"sweep-{run}-{task.start}-{task.stop}", pure=False): task
        for task in tasks
    }
    # If a worker dies, the scheduler reruns its unfinished tasks elsewhere; finished chunks are already on disk.
    for future in as_completed(futures):
        on_done(futures[future], future.result())
        future.release()


@contextlib.contextmanager
def progress_bar(description: str, total: int, done: int = 0, unit: str = "points") -> Iterator[Progress]:
    """A terminal progress bar (on stderr) with elapsed time and ETA; yields `update(done, total)`."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task(description, total=total, completed=done)
        yield lambda now, of: bar.update(task, completed=now, total=of)
