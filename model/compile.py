"""Compile the model's kernels ahead of the first run.

numba keeps compiled kernels in ``__pycache__`` next to the source. A fresh install
has none: the first run compiles every kernel (40-60 s on 2 cores), and several
processes started at once each compile their own copy. Compiling once, up front,
lets every later process load the cache in a fraction of a second.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
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


def kernels_cached() -> bool:
    """Whether every kernel has compiled code in the cache for its current source.

    Kernels are the compiled functions that Python calls, named with a leading
    underscore (``_services_kernel``); the public helpers they call (``missing``,
    ``unit``) are compiled into them and have no cache of their own. numba drops a
    cache entry whose source file changed, so an edited kernel counts as not cached.
    """
    from numba.core.registry import CPUDispatcher

    from . import __path__ as package

    for info in pkgutil.iter_modules(package):
        module = importlib.import_module(f"{__package__}.{info.name}")
        for name, obj in vars(module).items():
            if (
                isinstance(obj, CPUDispatcher)
                and name.startswith("_")
                and obj.__module__ == module.__name__
            ):
                try:
                    if not obj._cache._cache_file._load_index():
                        return False
                except (AttributeError, OSError):  # another numba: assume nothing is cached
                    return False
    return True


def ensure_compiled() -> None:
    """Compile the kernels now, saying so, if any is missing from the cache.

    The first run after an install or an edit would otherwise sit silent for about a
    minute, and every worker process would compile its own copy.
    """
    if kernels_cached():
        return
    print(
        "Compiling the model's kernels (once after an install or a change to them; up to a "
        "minute)...",
        file=sys.stderr,
        flush=True,
    )
    print(f"compiled in {compile_kernels():.0f} s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    print("Compiling the model's kernels (once after install or a change to them)...", flush=True)
    print(f"done in {compile_kernels():.0f} s")
