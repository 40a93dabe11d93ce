"""How much of a run is compiled kernel work, and how much is Python around it.

Run with ``.venv/bin/python benchmarks/bench_overhead.py [--sizes 400,10000]``.
Each size runs in its own process: one run to compile and load the kernels, then
``--repeats`` timed runs (flow mode, 156 weeks after the warm-up, every mechanism on),
each timed whole (the model built, run and summarised) and, in the same run, the time
spent inside compiled kernels called from Python. The ratio of the two is the overhead
(target, issue 18: at most 1.5 at 400 and at 10,000 persons).

Kernel time is counted at numba's dispatcher, so it includes numba's own per-call work
(typing the arguments, unboxing them): that work is part of calling a kernel, and a
compiled week driver would remove it with the Python around it.

With 400 persons and a larger size, it also prints what the Sobol design of
``bench_experiments.py`` would take if nothing but the kernels ran: the 400-person
run's simulated person-weeks at the larger size's kernel cost per person-week, where
per-call overhead is the smallest share. That is a floor for any change that only
removes Python and per-call work.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

ALL_ON = {"buddy_start": "inside"}
SOBOL_RUNS, SOBOL_PERSONS, SOBOL_WORKERS = 9_216, 400, 2
"""The sensitivity benchmark's design: N=256 for 10 parameters, 3 replications, 2 cores."""


def measure(persons: int, repeats: int) -> dict:
    """Whole-run and kernel seconds of ``repeats`` runs (medians) after one warm-up run."""
    from numba._dispatcher import Dispatcher
    from numba.core.registry import CPUDispatcher

    from analysis.summary import summarise
    from model import ReentryModel

    simulated = [0]  # person-weeks of the last run, the warm-up's included

    def one_run(seed: int) -> float:
        start = time.perf_counter()
        m = ReentryModel("flow", persons=persons, weeks=156, seed=seed, params=ALL_ON).run()
        summarise(m)
        seconds = time.perf_counter() - start
        weekly = m.weekly_table()
        simulated[0] = int((weekly["detained"] + weekly["released"]).sum())
        return seconds

    one_run(1)  # compile and load every kernel before the dispatcher is wrapped
    inside = [0.0, 0]
    call = Dispatcher.__call__

    def timed(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return call(self, *args, **kwargs)
        finally:
            inside[0] += time.perf_counter() - start
            inside[1] += 1

    CPUDispatcher.__call__ = timed  # a kernel called from a kernel is not counted twice
    totals, kernels, calls, person_weeks = [], [], [], []
    for seed in range(2, 2 + repeats):
        inside[:] = [0.0, 0]
        totals.append(one_run(seed))
        kernels.append(inside[0])
        calls.append(inside[1])
        person_weeks.append(simulated[0])
    total, kernel = statistics.median(totals), statistics.median(kernels)
    return {
        "persons": persons,
        "total_s": round(total, 3),
        "kernel_s": round(kernel, 3),
        "kernel_calls": int(statistics.median(calls)),
        "ratio": round(total / kernel, 2),
        "person_weeks": int(statistics.median(person_weeks)),
        "kernel_us_per_person_week": round(
            statistics.median(k / n * 1e6 for k, n in zip(kernels, person_weeks, strict=True)), 3
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="400,10000", help="comma-separated persons (flow)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per size")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.repeats)))
        return
    rows = {}
    for persons in map(int, args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(persons), "--repeats", str(args.repeats)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = rows[persons] = json.loads(out.stdout)
        print(
            f"flow {persons:>6,} persons: run with summary {r['total_s'] * 1000:7.0f} ms, "
            f"inside kernels {r['kernel_s'] * 1000:6.0f} ms ({r['kernel_calls']:,} calls), "
            f"ratio {r['ratio']:.2f} (target <= 1.5); {r['person_weeks']:,} person-weeks, "
            f"{r['kernel_us_per_person_week']:.2f} us of kernel time each"
        )
    if SOBOL_PERSONS in rows and len(rows) > 1:
        # the largest size has the least per-call overhead in its kernel time: its cost per
        # person-week is the closest measure here of the kernels' own work
        largest = rows[max(rows)]
        floor = (
            SOBOL_RUNS
            * rows[SOBOL_PERSONS]["person_weeks"]
            * largest["kernel_us_per_person_week"]
            / 1e6
            / SOBOL_WORKERS
        )
        print(
            f"Sobol design ({SOBOL_RUNS:,} runs of {SOBOL_PERSONS} persons, {SOBOL_WORKERS} "
            f"workers) at the kernel cost per person-week of {max(rows):,} persons, with "
            f"nothing outside the kernels: {floor / 60:.1f} min (target, issue 18: 5 min)"
        )


if __name__ == "__main__":
    main()
