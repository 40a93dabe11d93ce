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
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

ALL_ON = {"buddy_start": "inside"}


def measure(persons: int, repeats: int) -> dict:
    """Whole-run and kernel seconds of ``repeats`` runs (medians) after one warm-up run."""
    from numba._dispatcher import Dispatcher
    from numba.core.registry import CPUDispatcher

    from analysis.summary import summarise
    from model import ReentryModel

    def one_run(seed: int) -> float:
        start = time.perf_counter()
        summarise(ReentryModel("flow", persons=persons, weeks=156, seed=seed, params=ALL_ON).run())
        return time.perf_counter() - start

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
    totals, kernels, calls = [], [], []
    for seed in range(2, 2 + repeats):
        inside[:] = [0.0, 0]
        totals.append(one_run(seed))
        kernels.append(inside[0])
        calls.append(inside[1])
    total, kernel = statistics.median(totals), statistics.median(kernels)
    return {
        "persons": persons,
        "total_s": round(total, 3),
        "kernel_s": round(kernel, 3),
        "kernel_calls": int(statistics.median(calls)),
        "ratio": round(total / kernel, 2),
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
    for persons in map(int, args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(persons), "--repeats", str(args.repeats)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout)
        print(
            f"flow {persons:>6,} persons: run with summary {r['total_s'] * 1000:7.0f} ms, "
            f"inside kernels {r['kernel_s'] * 1000:6.0f} ms ({r['kernel_calls']:,} calls), "
            f"ratio {r['ratio']:.2f} (target <= 1.5)"
        )


if __name__ == "__main__":
    main()
