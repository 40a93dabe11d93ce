"""Compile the model's kernels ahead of the first run.

numba keeps compiled kernels in ``__pycache__`` next to the source. A fresh install
has none: the first run compiles every kernel (40-60 s on 2 cores), and several
processes started at once each compile their own copy. Compiling once, up front,
lets every later process load the cache in a fraction of a second.
"""

from __future__ import annotations

import time


def compile_kernels() -> float:
    """Run a tiny model through every code path that has a kernel; returns seconds.

    Cohort and flow mode, the buddy programme on: together they call every compiled
    kernel with the argument types real runs use, so the cache holds them all.
    """
    from .model import ReentryModel

    started = time.perf_counter()
    for mode, warmup in (("cohort", None), ("flow", 0)):
        params = {"buddy_start": "inside", "coaching": True}
        ReentryModel(mode=mode, persons=60, weeks=30, warmup=warmup, params=params).run()
    return time.perf_counter() - started


if __name__ == "__main__":
    print("Compiling the model's kernels (once after install or a change to them)...", flush=True)
    print(f"done in {compile_kernels():.0f} s")
