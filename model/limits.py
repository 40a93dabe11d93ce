"""What a run may ask for: its mode, size, warm-up and seed, and the memory it will need.

The model, the command line and design files check runs against these same
limits, and every failure is a one-line :class:`ParameterError`. The memory
check runs before anything is allocated, so a run that cannot fit is refused at
once instead of failing minutes later with an allocation error.
"""

from __future__ import annotations

import resource
from pathlib import Path

from .declare import ParameterError

MODES = ("cohort", "flow")
MAX_PERSONS = 10_000_000
MAX_WEEKS = 2080  # 40 years
MAX_SEED = 2**62
"""Seeds fit the 64-bit draw key with room for ``seed + replication``."""
DEFAULT_WARMUP_WEEKS = 520
"""Weeks a flow run is simulated before it is measured, chosen by Welch's procedure on the
baseline (benchmarks/bench_steady_state.py and docs/ODD.md section 5)."""
MAX_WARMUP_WEEKS = 1040

# Memory of one run: the people and their agents, the release events (which grow with
# re-releases in flow mode) and the process log. Fitted to the growth of peak resident
# memory over 10k to 1M people and 52 to 1,040 weeks, buddy programme on, and set 4-6%
# above the largest measurement (benchmarks/bench_memory.py and its README section).
BYTES_PER_PERSON = {"cohort": 2300, "flow": 1600}
BYTES_PER_PERSON_WEEK = {"cohort": 3.7, "flow": 7.3}
PROCESS_BASE = 300 * 2**20
"""Resident memory of a fresh worker process once the model is loaded (measured 270 MB)."""
ADDRESS_RESERVE = 1200 * 2**20
"""Address space reserved at a first run beyond what it touches (thread stacks and malloc
arenas; measured 1.05 GB). It counts against an address-space limit (ulimit -v) only."""
WORKER_ADDRESS = 800 * 2**20
"""Address space of a fresh worker with the model loaded (measured 720 MB)."""
CGROUP = Path("/sys/fs/cgroup")
MEMINFO = Path("/proc/meminfo")


def check_run(mode: str, persons: int, weeks: int, seed: int) -> None:
    """Raise a one-line ParameterError unless the run's settings are within the limits."""
    if mode not in MODES:
        raise ParameterError(f"mode must be one of {', '.join(MODES)} (got {mode!r})")
    for name, value, lo, hi in (
        ("persons", persons, 1, MAX_PERSONS),
        ("weeks", weeks, 1, MAX_WEEKS),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise ParameterError(f"{name} must be an integer in [{lo}, {hi}] (got {value!r})")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ParameterError(f"seed must be a non-negative integer up to 2**62 (got {seed!r})")


def warmup_weeks(mode: str, warmup: int | None) -> int:
    """A run's warm-up: as given, or the default of its mode (flow only; a cohort has none).

    Raises:
        ParameterError: a warm-up out of range, or one asked of a cohort run.
    """
    if warmup is None:
        return DEFAULT_WARMUP_WEEKS if mode == "flow" else 0
    if isinstance(warmup, bool) or not isinstance(warmup, int):
        raise ParameterError(f"warmup must be an integer number of weeks (got {warmup!r})")
    if not 0 <= warmup <= MAX_WARMUP_WEEKS:
        raise ParameterError(f"warmup must be in [0, {MAX_WARMUP_WEEKS}] weeks (got {warmup})")
    if mode == "cohort" and warmup:
        raise ParameterError(f"warmup applies to flow mode; a cohort run has none (got {warmup})")
    return warmup


def memory_needed(mode: str, persons: int, weeks: int, warmup: int = 0) -> int:
    """Estimated bytes one run allocates, beyond the loaded model (an upper envelope).

    A flow run's warm-up adds its entries and weeks, at the run's entry rate.
    """
    everyone = persons * (weeks + warmup) / weeks
    return int(everyone * (BYTES_PER_PERSON[mode] + BYTES_PER_PERSON_WEEK[mode] * (weeks + warmup)))


def _read_int(path: Path) -> int | None:
    try:
        text = path.read_text().split()[0]
    except (OSError, IndexError):
        return None
    return int(text) if text.isdigit() else None  # cgroup v2 writes "max" for no limit


def _proc_kb(path: Path, field: str) -> int | None:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def shared_memory_available() -> tuple[int, str] | None:
    """Bytes free for new allocations by any process here, and what limits them.

    The smallest of the machine's available memory and the container's (cgroup)
    limit less its use; None where neither can be read (not Linux).
    """
    found = []
    available = _proc_kb(MEMINFO, "MemAvailable")
    if available is not None:
        found.append((available, "available on this machine"))
    for limit, used in (
        ("memory.max", "memory.current"),  # cgroup v2
        ("memory/memory.limit_in_bytes", "memory/memory.usage_in_bytes"),  # cgroup v1
    ):
        cap = _read_int(CGROUP / limit)
        use = _read_int(CGROUP / used)
        # cgroup v1 reports "no limit" as a huge number; only a limit below RAM binds
        if cap is not None and use is not None and cap < 2**60:
            found.append((max(cap - use, 0), "left under the container's memory limit"))
    return min(found) if found else None


def address_space_available(current: int) -> tuple[int, str] | None:
    """Bytes of address space left under ``ulimit -v`` for a process now using ``current``."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return None
    return max(
        soft - current - ADDRESS_RESERVE, 0
    ), "left under the address-space limit (ulimit -v)"


def check_memory(mode: str, persons: int, weeks: int, warmup: int = 0, workers: int = 0) -> None:
    """Refuse, in one line, a run that cannot fit in memory, before it allocates anything.

    Args:
        mode, persons, weeks, warmup: The run.
        workers: 0 when this process runs the model itself; else the number of new
            worker processes that each run one such run at the same time.
    """
    need = memory_needed(mode, persons, weeks, warmup)
    if workers:  # each worker holds the model and one run at a time
        together = workers * (need + PROCESS_BASE)
        checks = [
            (shared_memory_available(), together),
            (address_space_available(WORKER_ADDRESS), need),
        ]
    else:
        used = _proc_kb(Path("/proc/self/status"), "VmSize") or 0
        checks = [(shared_memory_available(), need), (address_space_available(used), need)]
    for found, wanted in checks:
        if found is not None and wanted > found[0]:
            each = f" with {workers} workers at once" if workers and wanted != need else ""
            fewer = "persons, weeks or workers" if workers else "persons or weeks"
            raise ParameterError(
                f"a {mode} run of {persons:,} persons over {weeks} weeks{_after(warmup)} needs "
                f"about {_gb(wanted)} of memory{each}, but {_gb(found[0])} is {found[1]}; "
                f"use fewer {fewer}"
            )


def _after(warmup: int) -> str:
    return f" after {warmup} weeks of warm-up" if warmup else ""


def _gb(n: int) -> str:
    return f"{n / 2**30:.1f} GB"
