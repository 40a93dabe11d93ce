"""Where runs execute: serially, in a local process pool, or on Dask.

All three call :func:`experiments.runner.run_task` and yield results as they
complete. At most ``2 x workers`` runs are in flight, so memory does not grow
with the number of runs. Because every draw is keyed by (seed, person, week,
purpose), the results are identical whichever executor runs them.

Dask: ``scheduler="local"`` starts a ``LocalCluster`` with one single-threaded
worker process per core (the work is Python and bound by the GIL);
``scheduler="tcp://HOST:PORT"`` uses an existing cluster, whose workers must
have this project installed.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import TYPE_CHECKING

from .runner import Task, run_task  # light: run_task imports the model when it runs

if TYPE_CHECKING:
    import pandas as pd

EXECUTORS = ("serial", "process", "dask")
Result = tuple[dict, "pd.DataFrame"]


def default_workers() -> int:
    return max(os.cpu_count() or 1, 1)


def execute(
    tasks: list[Task],
    executor: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
) -> Iterator[Result]:
    """Run ``tasks`` and yield ``(record, weekly)`` per run, in completion order."""
    workers = workers or default_workers()
    if executor == "serial" or (executor == "process" and workers == 1):
        yield from (run_task(t) for t in tasks)
    elif executor == "process":
        yield from _process_pool(tasks, workers)
    elif executor == "dask":
        yield from _dask(tasks, workers, scheduler or "local")
    else:
        raise ValueError(f"executor must be one of {', '.join(EXECUTORS)} (got {executor!r})")


def _process_pool(tasks: list[Task], workers: int) -> Iterator[Result]:
    # spawn: workers start clean, whatever threads the parent has (Dask, tqdm)
    context = multiprocessing.get_context("spawn")
    pending = iter(tasks)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        in_flight = {
            pool.submit(run_task, t) for _, t in zip(range(2 * workers), pending, strict=False)
        }
        while in_flight:
            done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
                nxt = next(pending, None)
                if nxt is not None:
                    in_flight.add(pool.submit(run_task, nxt))


def _dask(tasks: list[Task], workers: int, scheduler: str) -> Iterator[Result]:
    from distributed import Client, LocalCluster, as_completed

    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    else:
        cluster, client = None, Client(scheduler, timeout="20s")
    try:
        pending = iter(tasks)
        first = [
            client.submit(run_task, t, pure=False)
            for _, t in zip(range(2 * workers), pending, strict=False)
        ]
        queue = as_completed(first)
        for future in queue:
            yield future.result()
            future.release()
            nxt = next(pending, None)
            if nxt is not None:
                queue.add(client.submit(run_task, nxt, pure=False))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
