"""Where runs execute: serially, in a local process pool, or on Dask.

All three call :func:`experiments.runner.run_task` and yield results as they
complete. At most ``2 x workers`` runs are in flight, so memory does not grow
with the number of runs. Because every draw is keyed by (seed, person, week,
purpose), the results are identical whichever executor runs them.

An executor is opened before the results folder is touched (:func:`executor`),
so an unreachable Dask scheduler is reported before anything is written. Faults
of the executor itself (a lost scheduler, a cluster without workers) end the
run with an :class:`ExecutorLostError`, one line for the user; the runs already
stored are kept and ``--resume`` continues.

Dask: ``scheduler="local"`` starts a ``LocalCluster`` with one single-threaded
worker process per core (the work is Python and bound by the GIL);
``scheduler="tcp://HOST:PORT"`` uses an existing cluster, whose workers must
have this project installed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, CancelledError, ProcessPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from functools import partial
from typing import TYPE_CHECKING

from model.limits import check_memory, memory_needed

from .errors import ExecutorLostError, UserError
from .runner import Task, run_task  # light: run_task imports the model when it runs

if TYPE_CHECKING:
    import pandas as pd
    from distributed import Client

EXECUTORS = ("serial", "process", "dask")
DASK_TIMEOUT = 30.0
"""Seconds to wait for a Dask scheduler to answer, or for a worker when none is left."""
Result = tuple[dict, "pd.DataFrame"]
Runner = Callable[[list[Task]], Iterator[Result]]


def default_workers() -> int:
    return max(os.cpu_count() or 1, 1)


def runs_here(kind: str, workers: int | None) -> bool:
    """Whether this process runs the tasks itself, without worker processes."""
    return kind == "serial" or (kind == "process" and (workers or default_workers()) == 1)


def check_fits(tasks: list[Task], kind: str, workers: int | None, scheduler: str | None) -> None:
    """Refuse, in one line, runs that cannot fit in memory here, before any is started.

    Runs on a remote Dask cluster use its workers' memory, which is not known here.
    """
    if not tasks or (kind == "dask" and scheduler not in (None, "local")):
        return
    t = max(tasks, key=lambda t: memory_needed(t.mode, t.persons, t.weeks, t.warmup))
    at_once = 0 if runs_here(kind, workers) else min(workers or default_workers(), len(tasks))
    check_memory(t.mode, t.persons, t.weeks, t.warmup, workers=at_once)


@contextmanager
def executor(
    kind: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    timeout: float = DASK_TIMEOUT,
) -> Iterator[Runner]:
    """Open an executor; yield a function that runs tasks and yields their results.

    Raises:
        UserError: a Dask scheduler that does not answer within ``timeout`` seconds.
    """
    workers = workers or default_workers()
    if runs_here(kind, workers):
        yield _serial
    elif kind == "process":
        yield partial(_process_pool, workers=workers)
    elif kind == "dask":
        with _dask_client(scheduler or "local", workers, timeout) as client:
            yield partial(_dask, client=client, workers=workers, timeout=timeout)
    else:
        raise ValueError(f"executor must be one of {', '.join(EXECUTORS)} (got {kind!r})")


def execute(
    tasks: list[Task],
    kind: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    timeout: float = DASK_TIMEOUT,
) -> Iterator[Result]:
    """Run ``tasks`` and yield ``(record, weekly)`` per run, in completion order."""
    with executor(kind, workers, scheduler, timeout) as run:
        yield from run(tasks)


def _serial(tasks: list[Task]) -> Iterator[Result]:
    yield from (run_task(t) for t in tasks)


# ---------------------------------------------------------------------- process pool
def _die_with_parent(parent: int) -> None:
    """Pool worker initializer: end this worker when the process that started it dies.

    A parent killed with SIGKILL cannot shut its pool down, and idle workers would
    wait for work forever. On Linux the kernel sends SIGKILL the moment the parent
    dies; elsewhere a thread checks once a second.
    """
    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    else:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _process_pool(tasks: list[Task], workers: int) -> Iterator[Result]:
    # spawn: workers start clean, whatever threads the parent has (Dask, tqdm)
    context = multiprocessing.get_context("spawn")
    pending = iter(tasks)
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_die_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
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


# ---------------------------------------------------------------------- Dask
@contextmanager
def _dask_client(scheduler: str, workers: int, timeout: float) -> Iterator[Client]:
    from distributed import Client, LocalCluster

    with ExitStack() as stack:
        # the client warns as it recovers (rescheduling results lost with a worker); the
        # user needs only the outcome, which the watchdog reports in one line
        stack.enter_context(_log_level("distributed.client", logging.ERROR))
        if scheduler == "local":
            with _workers_ignore_ctrl_c():
                cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,  # runs cancelled at Ctrl-C are not news
                )
            stack.enter_context(cluster)
            client = stack.enter_context(Client(cluster))
        else:
            try:
                client = stack.enter_context(Client(scheduler, timeout=f"{timeout}s"))
            except (OSError, TimeoutError):
                raise UserError(
                    f"--scheduler {scheduler}: no Dask scheduler answered within {timeout:g} s "
                    "(start one with 'dask scheduler', raise --dask-timeout, or use "
                    "--scheduler local)"
                ) from None
        try:
            yield client
        except ExecutorLostError:
            # closing a client whose scheduler is gone logs each failed reconnection with
            # its traceback; the user gets our one line instead
            for name in list(logging.root.manager.loggerDict):
                if name.partition(".")[0] == "distributed":  # Dask sets some levels per module
                    logging.getLogger(name).setLevel(logging.CRITICAL)
            raise


@contextmanager
def _log_level(name: str, level: int) -> Iterator[None]:
    logger = logging.getLogger(name)
    previous = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(previous)


@contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Start worker processes with Ctrl-C ignored (inherited through exec).

    Ctrl-C reaches the whole process group. This process stops the cluster itself;
    workers that caught it too would each print a KeyboardInterrupt traceback.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change signal handlers
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _lost_scheduler() -> ExecutorLostError:
    return ExecutorLostError("lost the connection to the Dask scheduler")


def _dask(tasks: list[Task], client: Client, workers: int, timeout: float) -> Iterator[Result]:
    from distributed import wait as dask_wait

    pending = iter(tasks)
    in_flight = {
        client.submit(run_task, t, pure=False)
        for _, t in zip(range(2 * workers), pending, strict=False)
    }
    watchdog = _Watchdog(client, timeout)
    while in_flight:
        try:
            done, in_flight = dask_wait(in_flight, timeout=1.0, return_when=FIRST_COMPLETED)
        except TimeoutError:
            watchdog.check()
            continue
        except CancelledError:  # the client cancels every future when the scheduler goes
            raise _lost_scheduler() from None
        for future in done:
            yield _result(future, watchdog)
            future.release()
            nxt = next(pending, None)
            if nxt is not None:
                in_flight.add(client.submit(run_task, nxt, pure=False))


class _Watchdog:
    """Ends the wait when the cluster has had no worker for ``timeout`` seconds.

    Without workers, Dask keeps runs (and results lost with their worker) waiting
    forever; a user would see a silent hang.
    """

    def __init__(self, client: Client, timeout: float) -> None:
        self.client, self.timeout = client, timeout
        self.since: float | None = None

    def check(self) -> None:
        try:
            has_workers = bool(self.client.scheduler_info()["workers"])
        except (OSError, TimeoutError):
            raise _lost_scheduler() from None
        now = time.monotonic()
        self.since = None if has_workers else (self.since or now)
        if self.since is not None and now - self.since > self.timeout:
            raise ExecutorLostError(f"the Dask cluster has had no worker for {self.timeout:g} s")


def _result(future, watchdog: _Watchdog) -> Result:
    from distributed import KilledWorker

    while True:
        try:
            # a finished run's result lives on its worker: if that worker goes, Dask
            # recomputes it, which needs a worker
            return future.result(timeout=1.0)
        except TimeoutError:
            watchdog.check()
        except CancelledError:
            raise _lost_scheduler() from None
        except KilledWorker:
            raise ExecutorLostError(
                "Dask workers died three times while running one task (out of memory?)"
            ) from None
